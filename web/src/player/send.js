// One signed transaction to a platform contract from a panel, then every panel refreshed.

/** Sends `call(contract)` from the player's wallet; true once confirmed (failures are shown, not thrown). */
export async function sendAndRefresh(ctx, contractName, label, call) {
  try {
    const contract = ctx.deployment.contract(contractName, await ctx.wallet.signer());
    await ctx.txlog.run(label, () => call(contract));
  } catch (error) {
    ctx.reportError(error);
    return false;
  }
  await ctx.refreshAll();
  return true;
}
