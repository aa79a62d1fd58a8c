"""A test wallet for the browser: an EIP-6963-announced EIP-1193 provider whose requests are
forwarded to the chain's RPC from Python (Playwright `expose_function`), so transactions are
sent with `eth_sendTransaction` from an unlocked dev account — the same path a real wallet takes,
minus the confirmation popup. Every request is recorded for assertions."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page

BINDING = "__fairstakeTestWalletRpc"
ICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E"
    "%3Crect width='8' height='8' fill='%231d5fd1'/%3E%3C/svg%3E"
)

# Announced like any EIP-6963 wallet: on load, and again whenever the page asks.
PROVIDER_SCRIPT = """
(() => {
  const config = __CONFIG__;
  let chainId = config.chainId; // a different chain than the node's until the page asks to switch
  const listeners = new Map();
  const emit = (event, value) => (listeners.get(event) ?? []).forEach((fn) => fn(value));
  const provider = {
    isFairstakeTestWallet: true,
    async request({ method, params }) {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [config.account];
        case "eth_chainId":
          if (chainId) return chainId;
          break;
        case "wallet_switchEthereumChain":
          // The wallet "switches" to the node's chain, as a real wallet would after approval.
          const answer = await window[config.binding](method, params ?? []);
          if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
          chainId = null;
          emit("chainChanged", (await window[config.binding]("eth_chainId", [])).result);
          return null;
      }
      const reply = await window[config.binding](method, params ?? []);
      if (reply.error) {
        const error = new Error(reply.error.message);
        error.code = reply.error.code;
        error.data = reply.error.data;
        throw error;
      }
      return reply.result;
    },
    on(event, fn) {
      listeners.set(event, [...(listeners.get(event) ?? []), fn]);
      return provider;
    },
    removeListener(event, fn) {
      listeners.set(event, (listeners.get(event) ?? []).filter((f) => f !== fn));
      return provider;
    },
  };
  window.__fairstakeTestWallet = { emit };
  if (!config.announce) {
    window.ethereum = provider; // a legacy wallet: no EIP-6963, only the injected global
    return;
  }
  const info = Object.freeze({
    uuid: "6b2e3c64-1f1c-4f7e-9a55-3d0f3b2a9e01",
    name: config.name,
    icon: config.icon,
    rdns: "dev.fairstake.testwallet",
  });
  const detail = Object.freeze({ info, provider });
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();
"""


@dataclass
class TestWallet:
    """Installs the provider into a page (before any page script runs) for `account` on `rpc_url`.
    `announce=False` injects it as a legacy `window.ethereum` instead of announcing it (EIP-6963);
    `chain_id` makes it start on another chain until the page asks it to switch. Methods in
    `reject` are refused as a player refuses them in a wallet (EIP-1193 error 4001)."""

    rpc_url: str
    account: str
    name: str = "Fairstake Test Wallet"
    announce: bool = True
    chain_id: str | None = None
    calls: list[tuple[str, list[Any]]] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)

    __test__ = False  # not a pytest test class

    def install(self, page: Page) -> None:
        page.expose_function(BINDING, self._forward)
        config = json.dumps(
            {
                "account": self.account,
                "binding": BINDING,
                "name": self.name,
                "icon": ICON,
                "announce": self.announce,
                "chainId": self.chain_id,
            }
        )
        page.add_init_script(PROVIDER_SCRIPT.replace("__CONFIG__", config))

    def _forward(self, method: str, params: list[Any]) -> dict[str, Any]:
        self.calls.append((method, params))
        if method in self.reject:
            return {"error": {"code": 4001, "message": "User rejected the request."}}
        if method == "wallet_switchEthereumChain":
            return {"result": None}  # recorded only: the node is on the one chain there is
        payload = {"jsonrpc": "2.0", "id": len(self.calls), "method": method, "params": params}
        request = urllib.request.Request(
            self.rpc_url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                reply: dict[str, Any] = json.loads(response.read())
        except urllib.error.URLError as exc:
            return {"error": {"code": -32603, "message": f"RPC unreachable: {exc}"}}
        return reply

    def sent_transactions(self) -> list[dict[str, Any]]:
        return [params[0] for method, params in self.calls if method == "eth_sendTransaction"]
