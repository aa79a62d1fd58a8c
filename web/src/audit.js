// The auditor page: solvency, RTP, bet audit lookup and the event log, all from the API.
import { $, el, messageBeside, replace, showMessage } from "./lib/dom.js";
import { connectPlatform, notify, start } from "./lib/page.js";
import { describeError } from "./lib/tx.js";
import { renderSolvency } from "./audit/solvency.js";
import { renderRtp } from "./audit/rtpChart.js";
import { renderBetRecord } from "./audit/betRecord.js";
import { BET_ID_HELP, normalizeBetId } from "./lib/betIds.js";
import { eventLog } from "./audit/events.js";

/** Renders one section; a failure is shown in that section, the others still render. */
async function section(container, render) {
  try {
    await render();
  } catch (error) {
    replace(container, el("p", { class: "warn", role: "alert" }, describeError(error)));
  }
}

async function main() {
  const platform = await connectPlatform();
  if (!platform) return;
  const { api, deployment, interfaces, feed } = platform;
  const ctx = { api, deployment, feed, notify, reportError: (error) => notify(describeError(error, interfaces)) };
  replace($("#deployment-info"), `Chain ${deployment.chainId} · Vault `, el("code", {}, deployment.has("Vault") ? deployment.address("Vault") : "—"));

  const betForm = $("#bet-form");
  const betInput = $("#bet-id");
  const showBet = (id) => section($("#bet-record"), () => renderBetRecord(ctx, $("#bet-record"), id));
  betForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = normalizeBetId(betInput.value);
    const message = messageBeside(betForm);
    if (!id) {
      showMessage(message, BET_ID_HELP, "BadBetId");
      return;
    }
    showMessage(message, "");
    history.replaceState(null, "", `?bet=${id}#bet-audit`);
    showBet(id);
  });
  const linked = normalizeBetId(new URLSearchParams(window.location.search).get("bet"));
  if (linked) {
    betInput.value = linked;
    $("#bet-audit").scrollIntoView();
  }

  const log = eventLog(ctx);
  const refreshFigures = () => Promise.all([
    section($("#solvency-table"), () => renderSolvency(ctx, $("#solvency-table"))),
    section($("#rtp-chart"), () => renderRtp(ctx, $("#rtp-chart"), $("#rtp-table"))),
  ]);
  await Promise.all([refreshFigures(), section($("#events-table"), () => log.load(true)), linked ? showBet(linked) : null]);

  // Figures follow the chain: recompute at most every few seconds while events arrive.
  let pending = null;
  feed.addEventListener("event", () => {
    pending ??= setTimeout(() => {
      pending = null;
      refreshFigures();
    }, 3000);
  });
}

start(main);
