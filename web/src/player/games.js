// The web client's part of each registered game (fairstake/games/__init__.py GAMES), by the
// game's name: the name the page shows (`title`), its panel (`panel(ctx)` builds it; `key` names
// it among the page's panels and is the id of its <section> in index.html), the rules module it
// computes odds and payouts with (the JS mirror of fairstake/rules/<game>.py, or null when the
// panel shows only the chain's figures), and the feed events that refresh it (none: the panel
// follows the feed itself).
// tests/tooling/test_game_registry.py checks that every registered game is here.
import * as diceRules from "../lib/dice.js";
import { dicePanel } from "./dice.js";
import { jackpotPanel } from "./jackpot.js";
import { skillPanel } from "./skill.js";

export const GAMES = {
  dice: { key: "dice", title: "Dice", panel: (ctx) => dicePanel(ctx), rules: diceRules, refreshOn: [] },
  jackpot: {
    key: "jackpot",
    title: "Jackpot",
    panel: (ctx) => jackpotPanel(ctx),
    rules: null,
    refreshOn: ["RoundOpened", "TicketsBought", "DrawRequested", "RoundDrawn", "RoundClosed", "PrizeClaimed", "RoundRefundable", "TicketsRefunded", "DrawCompensated", "CompensationPaid", "PrizeRolledOver"],
  },
  match: {
    key: "matches",
    title: "Match",
    panel: (ctx) => skillPanel(ctx, "Match"),
    rules: null,
    refreshOn: ["MatchCreated", "PlayerJoined", "MatchFull", "MatchSettled", "MatchVoided", "MatchCancelled", "MatchExpired"],
  },
  tournament: {
    key: "tournaments",
    title: "Tournament",
    panel: (ctx) => skillPanel(ctx, "Tournament"),
    rules: null,
    refreshOn: ["TournamentCreated", "Entered", "TournamentSettled", "TournamentVoided", "TournamentCancelled", "TournamentExpired"],
  },
};
