// Tournament in the web client (see web/src/games/dice/index.js for the fields): the skill games'
// panel for Tournament contracts, refreshed on a tournament's events.
import { skillPanel } from "../../player/skill.js";

export default {
  key: "tournaments",
  title: "Tournament",
  panel: (ctx) => skillPanel(ctx, "Tournament"),
  rules: null,
  refreshOn: ["TournamentCreated", "Entered", "TournamentSettled", "TournamentVoided", "TournamentCancelled", "TournamentExpired"],
};
