// Jackpot in the web client (see web/src/games/dice/index.js for the fields); its panel shows the
// chain's figures only (no rules module) and refreshes on the round's events.
import { jackpotPanel } from "./panel.js";

export default {
  key: "jackpot",
  title: "Jackpot",
  panel: (ctx) => jackpotPanel(ctx),
  rules: null,
  refreshOn: ["RoundOpened", "TicketsBought", "DrawRequested", "RoundDrawn", "RoundClosed", "PrizeClaimed", "RoundRefundable", "TicketsRefunded", "DrawCompensated", "CompensationPaid", "PrizeRolledOver"],
};
