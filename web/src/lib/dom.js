// Tiny DOM helpers: build elements without innerHTML so API data can never inject markup.

export function $(selector, root = document) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`missing element ${selector}`);
  return found;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/**
 * A table from column specs [{label, value: row => node|string, class?}] and rows;
 * `rowAttrs(row)` gives each <tr> its attributes (e.g. a data-id).
 */
export function table(columns, rows, { caption, empty = "Nothing yet.", rowAttrs = () => ({}), stackOnPhone = true } = {}) {
  const head = el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", class: c.class }, c.label))));
  const body = el(
    "tbody",
    {},
    rows.length
      ? rows.map((row) => el("tr", rowAttrs(row), columns.map((c) => el("td", { class: c.class, dataset: c.label ? { label: c.label } : undefined }, c.value(row)))))
      : el("tr", {}, el("td", { colspan: columns.length, class: "empty" }, empty)),
  );
  // Wide tables scroll inside their card instead of spilling over the next one; on a phone each
  // row becomes a stacked card of "label: value" lines (styles.css), so no column is hidden sideways.
  return el("div", { class: stackOnPhone ? "table-wrap stack" : "table-wrap" }, el("table", {}, caption ? el("caption", {}, caption) : null, head, body));
}

export function setBusy(button, busy) {
  button.disabled = busy;
  button.setAttribute("aria-busy", busy ? "true" : "false");
}

/**
 * The message element that belongs to `control` (a button or a form): the element its
 * data-message names, else a `.refusal` right after it, made on first use. Errors are shown
 * there, next to what caused them, not only in the page's top banner.
 */
export function messageBeside(control) {
  const named = control.dataset?.message && document.getElementById(control.dataset.message);
  if (named) return named;
  const next = control.nextElementSibling;
  if (next?.classList.contains("refusal")) return next;
  const node = el("p", { class: "refusal", role: "alert", hidden: true });
  control.after(node);
  return node;
}

/** Shows `text` in a message element (empty text hides it); data-error names the cause. */
export function showMessage(node, text, error = "") {
  replace(node, text ?? "");
  node.hidden = !text;
  if (text && error) node.dataset.error = error;
  else delete node.dataset.error;
}
