"""The `fairstake` command line, one module per command group."""
