#!/usr/bin/env node
// Speaks the subset of the native solc CLI that py-solc-x and brownie use
// (--version, --standard-json), backed by solc-js so no binary download is needed.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const args = process.argv.slice(2);

function version() {
  // py-solc-x parses "Version: X.Y.Z+commit..." from this output.
  process.stdout.write('solc, the solidity compiler commandline interface\nVersion: ' + solc.version() + '\n');
}

function readImport(importPath) {
  // Imports arrive already remapped by the compiler; resolve them against the
  // working directory (brownie runs from the project root) and node_modules.
  const candidates = [importPath, path.join('node_modules', importPath)];
  for (const candidate of candidates) {
    try {
      return { contents: fs.readFileSync(candidate, 'utf8') };
    } catch (err) {
      // try the next candidate
    }
  }
  return { error: 'File not found: ' + importPath };
}

function standardJson() {
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => {
    const input = Buffer.concat(chunks).toString('utf8');
    const output = solc.compile(input, { import: readImport });
    // No process.exit(): exiting right after a large write to a pipe truncates it.
    process.stdout.write(output);
  });
}

if (args.includes('--version')) {
  version();
} else if (args.includes('--standard-json')) {
  standardJson();
} else {
  process.stderr.write('solc-adapter: only --version and --standard-json are supported\n');
  process.exitCode = 2;
}
