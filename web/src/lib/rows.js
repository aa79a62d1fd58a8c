// Field access for API rows, which may come in snake_case or camelCase.

/** The first present field of `row` among `names`. */
export function field(row, ...names) {
  for (const name of names) {
    if (row?.[name] !== undefined && row[name] !== null) return row[name];
  }
  return undefined;
}

export function big(value) {
  if (value === undefined || value === null || value === "") return 0n;
  return BigInt(value);
}
