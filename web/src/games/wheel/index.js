// Wheel in the web client (see web/src/games/dice/index.js for the fields).
import { wheelPanel } from "./panel.js";
import * as wheelRules from "./rules.js";

export default { key: "wheel", title: "Wheel", panel: (ctx) => wheelPanel(ctx), rules: wheelRules, refreshOn: [] };
