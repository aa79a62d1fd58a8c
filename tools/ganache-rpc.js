#!/usr/bin/env node
// Serves a ganache 7 chain over HTTP JSON-RPC, normalising hex arguments.
//
// Why: eth-brownie 1.22 looks transactions up by a hash without the 0x prefix;
// ganache rejects that, and brownie then waits forever on its first deploy.
// anvil tolerates it. Adding the prefix here keeps the same tests running on both.
//
// Usage: ganache-rpc.js --port N [--chain-id N] [--accounts N] [--balance ETH] [--block-time S]
'use strict';
const http = require('http');
const ganache = require('ganache');

function option(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(option('port', '8545'));
const blockTime = Number(option('block-time', '0'));
const provider = ganache.provider({
  chain: { chainId: Number(option('chain-id', '1337')), hardfork: 'shanghai' },
  wallet: {
    totalAccounts: Number(option('accounts', '20')),
    defaultBalance: Number(option('balance', '1000000')),
    mnemonic: option('mnemonic', 'test test test test test test test test test test test junk'),
  },
  miner: { defaultGasPrice: 0, blockGasLimit: '0x1c9c380', blockTime },
  logging: { quiet: true },
});

const HASH_METHODS = new Set([
  'eth_getTransactionByHash',
  'eth_getTransactionReceipt',
  'debug_traceTransaction',
  'eth_getBlockByHash',
]);

function normalise(request) {
  // brownie's development settings send gasPrice 0, which anvil accepts with
  // --base-fee 0; ganache has no zero base fee, so let it price the transaction.
  if (request.method === 'eth_sendTransaction' && Array.isArray(request.params) && request.params[0]) {
    const tx = Object.assign({}, request.params[0]);
    if (tx.gasPrice !== undefined && BigInt(tx.gasPrice) === 0n) delete tx.gasPrice;
    request.params = [tx].concat(request.params.slice(1));
  }
  if (HASH_METHODS.has(request.method) && Array.isArray(request.params)) {
    const first = request.params[0];
    if (typeof first === 'string' && /^[0-9a-fA-F]{64}$/.test(first)) {
      request.params = ['0x' + first].concat(request.params.slice(1));
    }
  }
  return request;
}

async function handleOne(request) {
  if (process.env.GANACHE_RPC_TRACE) process.stderr.write(JSON.stringify(request).slice(0, 300) + "\n");
  const id = request && request.id !== undefined ? request.id : null;
  try {
    const result = await provider.request(normalise({ method: request.method, params: request.params || [] }));
    if (process.env.GANACHE_RPC_TRACE) process.stderr.write("<- " + JSON.stringify(result).slice(0, 600) + "\n");
    return { jsonrpc: '2.0', id, result: result === undefined ? null : result };
  } catch (err) {
    if (process.env.GANACHE_RPC_TRACE) process.stderr.write("<- ERR " + String(err.message) + "\n");
    const error = { code: typeof err.code === 'number' ? err.code : -32000, message: String(err.message || err) };
    if (err.data !== undefined) error.data = err.data;
    return { jsonrpc: '2.0', id, error };
  }
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }));
      return;
    }
    const reply = Array.isArray(body) ? await Promise.all(body.map(handleOne)) : await handleOne(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply));
  });
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write('ganache-rpc listening on 127.0.0.1:' + port + '\n');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => provider.disconnect().then(() => process.exit(0))));
}
