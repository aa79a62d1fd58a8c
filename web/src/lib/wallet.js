// Wallet discovery (EIP-6963) and connection (EIP-1193). The page never sees a private key:
// every write is a transaction the player signs in their own wallet.
import { BrowserProvider, toQuantity } from "ethers";

const LEGACY_UUID = "legacy-window-ethereum";

/**
 * Collects wallets that announce themselves (eip6963:announceProvider) and asks installed
 * wallets to announce (eip6963:requestProvider). `window.ethereum` is offered only when no
 * wallet announced itself, since EIP-6963 wallets usually also inject it.
 */
export class WalletDiscovery extends EventTarget {
  constructor(win = window) {
    super();
    this.window = win;
    this.announced = new Map();
    this.onAnnounce = (event) => {
      const { info, provider } = event.detail ?? {};
      if (!info?.uuid || typeof provider?.request !== "function") return;
      this.announced.set(info.uuid, { info: Object.freeze({ ...info }), provider });
      this.dispatchEvent(new Event("change"));
    };
    win.addEventListener("eip6963:announceProvider", this.onAnnounce);
  }

  request() {
    this.window.dispatchEvent(new Event("eip6963:requestProvider"));
  }

  get wallets() {
    const found = [...this.announced.values()];
    if (!found.length && this.window.ethereum?.request) {
      found.push({
        info: { uuid: LEGACY_UUID, name: "Browser wallet", icon: "", rdns: "window.ethereum" },
        provider: this.window.ethereum,
      });
    }
    return found;
  }
}

/** The connected wallet: account, chain, an ethers provider and signer on top of EIP-1193. */
export class WalletConnection extends EventTarget {
  constructor(expectedChainId) {
    super();
    this.expectedChainId = BigInt(expectedChainId);
    this.wallet = null;
    this.account = null;
    this.chainId = null;
    this.provider = null;
    this.handlers = null;
  }

  get connected() {
    return Boolean(this.account);
  }

  get onExpectedChain() {
    return this.chainId === this.expectedChainId;
  }

  async connect(wallet) {
    this.disconnect();
    const accounts = await wallet.provider.request({ method: "eth_requestAccounts" });
    if (!accounts?.length) throw new Error("the wallet shared no account");
    this.wallet = wallet;
    this.account = accounts[0];
    this.chainId = BigInt(await wallet.provider.request({ method: "eth_chainId" }));
    this.handlers = {
      accountsChanged: (list) => {
        this.account = list?.[0] ?? null;
        this.refreshProvider();
      },
      chainChanged: (id) => {
        this.chainId = BigInt(id);
        this.refreshProvider();
      },
      disconnect: () => this.disconnect(),
    };
    for (const [name, handler] of Object.entries(this.handlers)) wallet.provider.on?.(name, handler);
    this.refreshProvider();
  }

  disconnect() {
    if (this.wallet && this.handlers) {
      for (const [name, handler] of Object.entries(this.handlers)) {
        this.wallet.provider.removeListener?.(name, handler);
      }
    }
    const was = this.connected;
    this.wallet = this.account = this.chainId = this.provider = this.handlers = null;
    if (was) this.dispatchEvent(new Event("change"));
  }

  refreshProvider() {
    // A fresh BrowserProvider per chain: ethers pins the network on first use. No request cache:
    // ethers would answer a repeated identical request (the same deposit twice) from it for 250 ms,
    // so a gas estimate made before the first one was mined could let the second go out and revert
    // on chain, without a reason to show.
    this.provider = this.account
      ? new BrowserProvider(this.wallet.provider, undefined, { pollingInterval: 500, cacheTimeout: -1 })
      : null;
    this.dispatchEvent(new Event("change"));
  }

  async signer() {
    if (!this.connected) throw new Error("connect a wallet first");
    if (!this.onExpectedChain) throw new Error(`switch the wallet to chain ${this.expectedChainId}`);
    return this.provider.getSigner(this.account);
  }

  /** Asks the wallet to switch to the platform's chain, adding it first when unknown. */
  async switchChain(chainName, rpcUrl) {
    const chainId = toQuantity(this.expectedChainId);
    try {
      await this.wallet.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    } catch (error) {
      if (error?.code !== 4902 || !rpcUrl) throw error;
      await this.wallet.provider.request({
        method: "wallet_addEthereumChain",
        params: [{ chainId, chainName, rpcUrls: [rpcUrl], nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 } }],
      });
    }
  }
}
