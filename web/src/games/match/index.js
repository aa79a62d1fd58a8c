// Match in the web client (see web/src/games/dice/index.js for the fields): the skill games' panel
// for Match contracts, refreshed on a match's events.
import { skillPanel } from "../../player/skill.js";

export default {
  key: "matches",
  title: "Match",
  panel: (ctx) => skillPanel(ctx, "Match"),
  rules: null,
  refreshOn: ["MatchCreated", "PlayerJoined", "MatchFull", "MatchSettled", "MatchVoided", "MatchCancelled", "MatchExpired"],
};
