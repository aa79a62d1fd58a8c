"""`python -m ops.games`: write the web client's list of games (ops.games.write_web_registry)."""

from ops.games import write_web_registry

write_web_registry()
