"""The store: the schema, the projections the indexer writes and the state the API reads."""
