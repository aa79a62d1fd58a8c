// Plinko in the web client (see web/src/games/dice/index.js for the fields).
import { plinkoPanel } from "./panel.js";
import * as plinkoRules from "./rules.js";

export default { key: "plinko", title: "Plinko", panel: (ctx) => plinkoPanel(ctx), rules: plinkoRules, refreshOn: [] };
