// Reading the indexer's audit record of a bet (/audit/bets/{id}, backend BetAudit): the proof
// re-verified, the outcome and payout recomputed with the rules, each as a named check.

/** {verified: true|false|null, problems: string[]}: null while the bet is unsettled or unchecked. */
export function auditVerdict(record) {
  const checks = Array.isArray(record?.checks) ? record.checks : [];
  if (!checks.length || record?.bet?.status === "pending") return { verified: null, problems: [] };
  const problems = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? `chain ${show(c.chain)} ≠ recomputed ${show(c.recomputed)}`}`);
  return { verified: problems.length === 0 && record.ok === true, problems };
}

export function show(value) {
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
