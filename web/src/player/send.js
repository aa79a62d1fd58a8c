// One signed transaction to a platform contract from a panel, then every panel refreshed.

/**
 * Sends `call(contract)` from the player's wallet; true once confirmed (failures are shown next
 * to `control`, the button that sent it, not thrown; `token`: for amounts in its units).
 */
export async function sendAndRefresh(ctx, contractName, label, call, control = null, token = null) {
  try {
    const contract = ctx.deployment.contract(contractName, await ctx.wallet.signer());
    await ctx.txlog.run(label, () => call(contract), token ? { token } : {});
  } catch (error) {
    ctx.reportError(error, control, token);
    return false;
  }
  await ctx.refreshAll();
  return true;
}
