"""Per-game chain-only audits, registered with fairstake.audit.game_audit.

Each recomputes outcomes with the shared rules (fairstake.rules) from the bet as recorded at
placement and the verified random words, and compares with what the game recorded and what the
Vault credited.
"""

from __future__ import annotations
