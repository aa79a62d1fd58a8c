"""The audit API's part of each registered game, one module per game named after it.

`backend.api.audit.games.<name>` declares `BET_AUDIT` (reads one bet's facts from the indexed
rows and hands them to the audit policy, backend.api.audit.bets.BetAudit) and `THEORY` (its
theoretical RTP: a per-bet win probability, statistics.BetTheory, or a pool's exact return,
statistics.PoolTheory). bets.bet_audit and statistics.theories find them from
fairstake.games.GAMES by the game's name; nothing here is imported unless a game is registered.
"""
