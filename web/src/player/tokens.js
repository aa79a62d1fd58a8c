// Token pickers shared by the panels.
import { el, replace } from "../lib/dom.js";

export function fillTokenSelect(select, tokens) {
  replace(select, tokens.map((t) => el("option", { value: t.address }, t.symbol)));
}

export function selectedToken(ctx, select) {
  const token = ctx.deployment.token(select.value);
  if (!token) throw new Error("choose a token");
  return token;
}
