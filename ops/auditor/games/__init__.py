"""The chain-only auditor's part of each registered game, one module per game named after it.

`ops.auditor.games.<name>` declares `AUDIT` (ops.auditor.audits.GameAudit: reads the game's
events and asks the audit policy what the rules make of them). ops.auditor.game_audit finds it
from fairstake.games.GAMES by the game's name. It lives apart from ops.games (deployment and
simulated play, which need brownie) because the auditor needs nothing but an RPC URL.
"""
