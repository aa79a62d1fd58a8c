// The deployment manifest (fairstake/manifest.py format), served by the API at /deployment:
// chain id, contract addresses and ABIs, tokens. Everything the client calls comes from here.
import { Contract, Interface, ZeroAddress, getAddress } from "ethers";

export const ERC20_ABI = [
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address owner) view returns (uint256)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
];

export class Deployment {
  constructor(manifest) {
    if (manifest?.version !== 1) throw new Error(`unsupported deployment manifest version ${manifest?.version}`);
    this.manifest = manifest;
    this.chainId = BigInt(manifest.chainId);
    this.rpcUrl = manifest.rpcUrl || "";
    this.contracts = manifest.contracts ?? {};
    this.tokens = Object.entries(manifest.tokens ?? {}).map(([symbol, token]) => ({
      symbol,
      address: getAddress(token.address),
      decimals: Number(token.decimals),
      isNative: getAddress(token.address) === ZeroAddress,
    }));
  }

  has(name) {
    return Boolean(this.contracts[name]?.address);
  }

  address(name) {
    if (!this.has(name)) throw new Error(`${name} is not deployed on this platform`);
    return this.contracts[name].address;
  }

  /** An ethers Contract for `name`, bound to a runner (provider for reads, signer for writes). */
  contract(name, runner) {
    return new Contract(this.address(name), this.contracts[name].abi, runner);
  }

  /** Which deployed contract an address belongs to (for labelling events). */
  nameOf(address) {
    if (!address) return null;
    const wanted = address.toLowerCase();
    for (const [name, info] of Object.entries(this.contracts)) {
      if (info.address?.toLowerCase() === wanted) return name;
    }
    return null;
  }

  token(addressOrSymbol) {
    const key = String(addressOrSymbol ?? "").toLowerCase();
    return this.tokens.find((t) => t.symbol.toLowerCase() === key || t.address.toLowerCase() === key) ?? null;
  }

  /** Whether the contract `name` has a function called `fn` (features light up as contracts land). */
  hasFunction(name, fn) {
    return Boolean(this.contracts[name]?.abi?.some((item) => item.type === "function" && item.name === fn));
  }

  /** Every deployed ABI (and ERC-20's), for naming custom errors in failed transactions. */
  interfaces() {
    return [...Object.values(this.contracts).map((c) => new Interface(c.abi)), new Interface(ERC20_ABI)];
  }

  erc20(address, runner) {
    return new Contract(address, ERC20_ABI, runner);
  }
}

export async function loadDeployment(api) {
  return new Deployment(await api.get("/deployment"));
}
