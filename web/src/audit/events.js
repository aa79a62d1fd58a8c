// The raw event log with filters, pagination and hash-chained exports (JSONL / CSV).
import { $, el, replace, table } from "../lib/dom.js";
import { shortAddress } from "../lib/format.js";
import { Api, normalizeEvent } from "../lib/api.js";
import { verifyExport } from "../lib/exportChain.js";

const PAGE_SIZE = 50;

export function eventLog(ctx) {
  const { api, deployment } = ctx;
  const form = $("#events-form");
  const container = $("#events-table");
  const exportLinks = $("#events-export");
  const more = $("#events-more");
  const contractSelect = $("#events-contract");
  let rows = [];
  let cursor = null;

  contractSelect.append(...Object.keys(deployment.contracts).map((name) => el("option", { value: name }, name)));

  const filters = () => ({
    contract: contractSelect.value || undefined,
    event: $("#events-name").value.trim() || undefined,
    from_block: $("#events-from").value.trim() || undefined,
    to_block: $("#events-to").value.trim() || undefined,
  });

  function render() {
    replace(container, table([
      { label: "Block", class: "num", value: (e) => String(e.blockNumber) },
      { label: "Tx", value: (e) => (e.txHash ? el("code", { title: e.txHash }, shortAddress(e.txHash)) : "—") },
      { label: "Contract", value: (e) => e.contract ?? deployment.nameOf(e.address) ?? shortAddress(e.address) },
      { label: "Event", value: (e) => e.name },
      { label: "Arguments", value: (e) => el("code", { class: "args" }, JSON.stringify(e.args)) },
    ], rows, { empty: "No events match." }));
  }

  async function load(reset) {
    const params = { ...filters(), limit: PAGE_SIZE };
    if (!reset && cursor) params.cursor = cursor;
    const body = await api.get("/audit/events", params);
    const page = Api.items(body).map(normalizeEvent).filter(Boolean);
    rows = reset ? page : rows.concat(page);
    cursor = body?.next_cursor ?? null;
    more.hidden = !cursor;
    replace(exportLinks, "Export with a running sha256 hash chain: ",
      el("a", { href: exportUrl("jsonl"), download: "fairstake-events.jsonl" }, "JSONL"), " · ",
      el("a", { href: exportUrl("csv"), download: "fairstake-events.csv" }, "CSV"));
    render();
  }

  const exportUrl = (format) => api.url("/audit/events/export", { ...filters(), format });

  async function showVerification(source, text) {
    const result = $("#verify-result");
    replace(result, `Checking ${source}…`);
    const outcome = await verifyExport(text);
    result.className = outcome.valid ? "badge verified big" : "badge mismatch big";
    result.dataset.valid = String(outcome.valid);
    replace(result, outcome.valid
      ? `✓ ${source}: ${outcome.lines} lines, hash chain intact (final hash ${outcome.finalHash.slice(0, 16)}…)`
      : `✗ ${source}: ${outcome.reason}${outcome.firstBadLine ? ` at line ${outcome.firstBadLine}` : ""}`);
  }

  $("#verify-file").addEventListener("change", async (event) => {
    const file = event.target.files?.[0];
    if (file) await showVerification(file.name, await file.text());
  });
  $("#verify-current").addEventListener("click", async () => {
    try {
      const response = await fetch(exportUrl("jsonl"));
      if (!response.ok) throw new Error(`export failed: ${response.status}`);
      await showVerification("the current export", await response.text());
    } catch (error) {
      ctx.reportError(error);
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(true).catch(ctx.reportError);
  });
  more.addEventListener("click", () => load(false).catch(ctx.reportError));
  // New events join the end of the log (chain order) once its last page is shown.
  ctx.feed.addEventListener("event", (e) => {
    const f = filters();
    if (cursor || f.to_block || (f.event && f.event !== e.detail.name)) return;
    if (f.contract && f.contract !== e.detail.contract) return;
    if (rows.some((row) => row.uid && row.uid === e.detail.uid)) return;
    rows.push(e.detail);
    render();
  });
  return { load };
}
