"""Fairstake indexer and API.

Data flows one way: `backend.ingest` reads the chain and writes the store, `backend.store`
owns the schema and the projection rules, `backend.api` reads the store. `backend.rpc` is the
JSON-RPC client and `backend.addresses` the EIP-55 helper both ends use. Nothing in `store`
imports `ingest` or `api`, and `api` never imports `ingest` (pyproject's import-linter contracts).
"""
