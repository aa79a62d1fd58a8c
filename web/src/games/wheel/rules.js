// Wheel's rules are the weighted games' (web/src/games/weighted.js, the mirror of
// fairstake/rules/wheel.py): a wheel is a weighted configuration read around the wheel.
export * from "../weighted.js";
