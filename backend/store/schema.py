"""The store's schema (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Three groups of tables:
- bookkeeping: `meta`, `cursor`, `blocks`, `batches`, `undo` (how far we are, which block hashes we
  saw, and how to undo the unfinalized batches on a reorg);
- the raw event log `events`, one row per decoded log, keyed by a deterministic uid
  (block_number << 20 | log_index) so replays and reorgs reproduce the same ids;
- projections, maintained by `backend.store.projections` in the same transaction as the raw rows.

uint256/int256 values use `U256`: NUMERIC(78,0) on PostgreSQL, decimal TEXT on SQLite (whose
integers stop at 64 bits). Amount ordering and sums that must be exact are done in Python.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator, TypeEngine

metadata = MetaData()


class U256(TypeDecorator[int]):
    """Arbitrary-size integer stored exactly: NUMERIC(78,0) on PostgreSQL, TEXT elsewhere."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.NUMERIC(78, 0))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return Decimal(int(value))
        return str(int(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(value)


def _address() -> String:
    return String(42)


def _hash() -> String:
    return String(66)


# ---------------------------------------------------------------------------- bookkeeping
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

cursor = Table(
    "cursor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_number", BigInteger, nullable=False),
    Column("block_hash", _hash(), nullable=True),
)

blocks = Table(
    "blocks",
    metadata,
    Column("number", BigInteger, primary_key=True),
    Column("hash", _hash(), nullable=False),
    Column("has_events", Boolean, nullable=False),
)

batches = Table(
    "batches",
    metadata,
    Column("from_block", BigInteger, primary_key=True),
    Column("to_block", BigInteger, nullable=False),
    Column("to_hash", _hash(), nullable=False),
    Column("parent_hash", _hash(), nullable=True),
)

undo = Table(
    "undo",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("from_block", BigInteger, nullable=False, index=True),
    Column("table_name", String(64), nullable=False),
    Column("pk", Text, nullable=False),
    Column("row", Text, nullable=True),
)

# ---------------------------------------------------------------------------- raw event log
events = Table(
    "events",
    metadata,
    Column("uid", BigInteger, primary_key=True, autoincrement=False),
    Column("block_number", BigInteger, nullable=False),
    Column("block_hash", _hash(), nullable=False),
    Column("block_time", BigInteger, nullable=False),
    Column("tx_hash", _hash(), nullable=False),
    Column("tx_index", Integer, nullable=False),
    Column("log_index", Integer, nullable=False),
    Column("contract", String(64), nullable=False),
    Column("address", _address(), nullable=False),
    Column("event", String(64), nullable=False),
    Column("args", Text, nullable=False),
    Index("ix_events_contract_event_uid", "contract", "event", "uid"),
)

# Transactions to a platform contract that the player registry refused (a stake or deposit of an
# excluded, timed-out, limited or unverified player; backend.ingest.refusals). Like `events`, raw
# data read from the chain, not a projection: rolled back with the blocks it came from, never rebuilt.
refusals = Table(
    "refusals",
    metadata,
    Column("block_number", BigInteger, primary_key=True, autoincrement=False),
    Column("tx_index", Integer, primary_key=True, autoincrement=False),
    Column("block_hash", _hash(), nullable=False),
    Column("block_time", BigInteger, nullable=False),
    Column("tx_hash", _hash(), nullable=False),
    Column("sender", _address(), nullable=False),
    Column("contract", String(64), nullable=False),
    Column("address", _address(), nullable=False),
    Column("player", _address(), nullable=False),
    Column("error", String(64), nullable=False),
    Column("args", Text, nullable=False),
    Index("ix_refusals_player", "player", "block_number"),
)

# ---------------------------------------------------------------------------- Vault projections
balances = Table(
    "balances",
    metadata,
    Column("player", _address(), primary_key=True),
    Column("token", _address(), primary_key=True),
    Column("free", U256, nullable=False),
    Column("deposited", U256, nullable=False),
    Column("withdrawn", U256, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
    # Credits paid in for the player by others (Vault.payIn: a slashed oracle bond) and free
    # balance moved between addresses (Vault.transfer: a Jackpot passing on compensation).
    Column("paid_in", U256, nullable=False, server_default="0"),
    Column("transferred_in", U256, nullable=False, server_default="0"),
    Column("transferred_out", U256, nullable=False, server_default="0"),
)

locks = Table(
    "locks",
    metadata,
    Column("lock_id", U256, primary_key=True),
    Column("game", _address(), nullable=False),
    Column("player", _address(), nullable=False),
    Column("token", _address(), nullable=False),
    Column("amount", U256, nullable=False),
    Column("max_payout", U256, nullable=False),
    Column("deadline", BigInteger, nullable=False),
    Column("pool_id", U256, nullable=False),
    Column("status", String(16), nullable=False),
    Column("payout", U256, nullable=True),
    Column("bankroll_delta", U256, nullable=True),
    Column("fee", U256, nullable=True),
    Column("created_uid", BigInteger, nullable=False),
    Column("closed_uid", BigInteger, nullable=True),
    Index("ix_locks_player_status", "player", "status"),
)

pools = Table(
    "pools",
    metadata,
    Column("pool_id", U256, primary_key=True),
    Column("game", _address(), nullable=False),
    Column("token", _address(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("balance", U256, nullable=False),
    Column("staked", U256, nullable=False),
    Column("refunded", U256, nullable=False),
    Column("paid", U256, nullable=False),
    Column("fee", U256, nullable=False),
    Column("moved_in", U256, nullable=False),
    Column("moved_out", U256, nullable=False),
    Column("closed_total", U256, nullable=True),
    Column("created_uid", BigInteger, nullable=False),
    # the stakes at close (the rest of closed_total was moved in) and the end of the game's
    # payout window, after which the Vault's backstop may unwind the pool
    Column("closed_stakes", U256, nullable=True),
    Column("pay_by", BigInteger, nullable=True),
    # what the backstop returned to the pool's locks, and gave to the bankroll
    Column("unwound", U256, nullable=False),
    Column("released", U256, nullable=False),
)

# What the Vault paid each player out of each pool (skill prizes, jackpot prizes).
pool_payments = Table(
    "pool_payments",
    metadata,
    Column("pool_id", U256, primary_key=True),
    Column("player", _address(), primary_key=True),
    Column("amount", U256, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
)

token_totals = Table(
    "token_totals",
    metadata,
    Column("token", _address(), primary_key=True),
    Column("free", U256, nullable=False),
    Column("locked", U256, nullable=False),
    Column("reserved", U256, nullable=False),
    Column("pooled", U256, nullable=False),
    Column("bankroll", U256, nullable=False),
    Column("bankroll_shares", U256, nullable=False),
    Column("fees", U256, nullable=False),
    Column("deposited", U256, nullable=False),
    Column("withdrawn", U256, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
    # Vault.payIn totals: credited to beneficiaries' free balances, and added to the bankroll.
    Column("paid_in_credited", U256, nullable=False, server_default="0"),
    Column("paid_in_bankroll", U256, nullable=False, server_default="0"),
    # assets of pending bankroll deposit requests: held by the Vault, owed back, not in the bankroll
    Column("bankroll_pending", U256, nullable=False, server_default="0"),
)

lp_positions = Table(
    "lp_positions",
    metadata,
    Column("provider", _address(), primary_key=True),
    Column("token", _address(), primary_key=True),
    Column("shares", U256, nullable=False),  # held outside a redeem request (Vault.sharesOf)
    Column("deposited", U256, nullable=False),
    Column("withdrawn", U256, nullable=False),
    # the pending requests (Vault.bankrollRequests): a deposit's assets and a redeem's escrowed
    # shares, each claimable from its unix time (0: no request)
    Column("pending_assets", U256, nullable=False, server_default="0"),
    Column("deposit_claimable_at", BigInteger, nullable=False, server_default="0"),
    Column("pending_shares", U256, nullable=False, server_default="0"),
    Column("redeem_claimable_at", BigInteger, nullable=False, server_default="0"),
)

# Configuration events of any contract, latest value per (contract, key), e.g.
# (Vault, game:0xabc) → true, (Vault, protocolFeeBps) → 150.
settings = Table(
    "settings",
    metadata,
    Column("contract", String(64), primary_key=True),
    Column("key", String(160), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
)

# ---------------------------------------------------------------------------- randomness
randomness_requests = Table(
    "randomness_requests",
    metadata,
    Column("request_id", U256, primary_key=True),
    Column("key_hash", _hash(), nullable=False),
    Column("consumer", _address(), nullable=False),
    Column("pre_seed", U256, nullable=False),
    Column("block_num", BigInteger, nullable=False),
    Column("deadline_block", BigInteger, nullable=False),
    Column("deadline_time", BigInteger, nullable=True),
    Column("callback_gas_limit", BigInteger, nullable=False),
    Column("num_words", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("seed", U256, nullable=True),
    Column("output", U256, nullable=True),
    Column("proof", Text, nullable=True),
    Column("callback_success", Boolean, nullable=True),
    Column("requested_uid", BigInteger, nullable=False),
    Column("request_tx", _hash(), nullable=False),
    Column("resolved_uid", BigInteger, nullable=True),
    Column("resolve_tx", _hash(), nullable=True),
)

oracle_keys = Table(
    "oracle_keys",
    metadata,
    Column("key_hash", _hash(), primary_key=True),
    Column("pk", Text, nullable=False),
    Column("registered", Boolean, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
    Column("operator", _address(), nullable=True),
)

# A key's provider bond per token, as the coordinator keeps it: total (everything still bonded,
# reserved and unbonding included), reserved (by pending requests), unbonding (waiting for
# unbondable_at). free = total - reserved - unbonding. The cumulative columns explain `total`:
# total = deposited - withdrawn - slashed.
bonds = Table(
    "bonds",
    metadata,
    Column("key_hash", _hash(), primary_key=True),
    Column("token", _address(), primary_key=True),
    Column("total", U256, nullable=False),
    Column("reserved", U256, nullable=False),
    Column("unbonding", U256, nullable=False),
    Column("unbondable_at", BigInteger, nullable=True),
    Column("deposited", U256, nullable=False),
    Column("withdrawn", U256, nullable=False),
    Column("slashed", U256, nullable=False),
    Column("reservations", BigInteger, nullable=False),
    Column("slashes", BigInteger, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
)

# What each bonded request reserved from its key's bond and how it resolved: status reserved
# (pending), released (fulfilled: back to the free bond) or slashed (expired: paid out,
# `beneficiary_amount` to the beneficiary in the Vault and `residual` to the bankroll or burnt).
bond_reservations = Table(
    "bond_reservations",
    metadata,
    Column("request_id", U256, primary_key=True),
    Column("key_hash", _hash(), nullable=False),
    Column("token", _address(), nullable=False),
    Column("amount", U256, nullable=False),
    Column("beneficiary", _address(), nullable=False),
    Column("beneficiary_amount", U256, nullable=False),
    Column("residual", U256, nullable=False),
    Column("residual_to_bankroll", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reserved_uid", BigInteger, nullable=False),
    Column("reserve_tx", _hash(), nullable=False),
    Column("resolved_uid", BigInteger, nullable=True),
    Column("resolve_tx", _hash(), nullable=True),
    Index("ix_bond_reservations_key_status", "key_hash", "status"),
)

# ---------------------------------------------------------------------------- games (all kinds)
# One row per stake a player put into any game: a Dice bet, a Jackpot ticket purchase, a Match
# or Tournament entry. `bet_key` is "<game>:<id>" (e.g. "dice:17"); `details` holds the
# game-specific parameters and outcome as JSON.
bets = Table(
    "bets",
    metadata,
    Column("bet_key", String(100), primary_key=True),
    Column("game", String(32), nullable=False),
    Column("game_ref", U256, nullable=False),
    Column("player", _address(), nullable=False),
    Column("token", _address(), nullable=False),
    Column("stake", U256, nullable=False),
    Column("status", String(16), nullable=False),
    Column("payout", U256, nullable=True),
    Column("max_payout", U256, nullable=True),
    Column("request_id", U256, nullable=True),
    Column("lock_id", U256, nullable=True),
    Column("details", Text, nullable=False),
    Column("placed_uid", BigInteger, nullable=False),
    Column("placed_time", BigInteger, nullable=False),
    Column("placed_tx", _hash(), nullable=False),
    Column("settled_uid", BigInteger, nullable=True),
    Column("settled_time", BigInteger, nullable=True),
    Column("settled_tx", _hash(), nullable=True),
    Index("ix_bets_uid", "placed_uid"),
    Index("ix_bets_player_uid", "player", "placed_uid"),
    Index("ix_bets_game_uid", "game", "placed_uid"),
    Index("ix_bets_status_uid", "status", "placed_uid"),
    Index("ix_bets_lock", "lock_id"),
    Index("ix_bets_game_ref", "game", "game_ref"),
)

# Per player, token and game: what was staked and paid out (leaderboard, player stats).
player_stats = Table(
    "player_stats",
    metadata,
    Column("player", _address(), primary_key=True),
    Column("token", _address(), primary_key=True),
    Column("game", String(32), primary_key=True),
    Column("bets", BigInteger, nullable=False),
    Column("settled", BigInteger, nullable=False),
    Column("wins", BigInteger, nullable=False),
    Column("wagered", U256, nullable=False),
    Column("paid_out", U256, nullable=False),
    Column("last_uid", BigInteger, nullable=False),
)

jackpot_rounds = Table(
    "jackpot_rounds",
    metadata,
    Column("round_id", U256, primary_key=True),
    Column("token", _address(), nullable=True),
    Column("status", String(16), nullable=False),
    Column("details", Text, nullable=False),
    Column("tickets", U256, nullable=False),
    Column("pot", U256, nullable=False),
    Column("winner", _address(), nullable=True),
    Column("prize", U256, nullable=True),
    Column("opened_uid", BigInteger, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
)

matches = Table(
    "matches",
    metadata,
    Column("match_id", U256, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("token", _address(), nullable=True),
    Column("status", String(16), nullable=False),
    Column("entry", U256, nullable=True),
    Column("players", Text, nullable=False),
    Column("details", Text, nullable=False),
    Column("created_uid", BigInteger, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
)

# ---------------------------------------------------------------------------- player protection
protection = Table(
    "protection",
    metadata,
    Column("player", _address(), primary_key=True),
    Column("excluded_until", BigInteger, nullable=True),
    Column("timed_out_until", BigInteger, nullable=True),
    Column("kyc_level", Integer, nullable=True),
    Column("kyc_expiry", BigInteger, nullable=True),
    Column("kyc_attestor", _address(), nullable=True),
    Column("kyc_jurisdiction", _hash(), nullable=True),
    # the person (KYC subject) the wallet is bound to for good: their breaks bind all their wallets
    Column("kyc_subject", _hash(), nullable=True),
    # the person's account in the registry: their limits are indexed under it in `limits`
    Column("kyc_person", _address(), nullable=True),
    Column("updated_uid", BigInteger, nullable=False),
)

limits = Table(
    "limits",
    metadata,
    Column("player", _address(), primary_key=True),
    Column("token", _address(), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("value", U256, nullable=True),
    Column("effective_at", BigInteger, nullable=True),
    Column("details", Text, nullable=False),
    Column("updated_uid", BigInteger, nullable=False),
)

PROJECTION_TABLES: tuple[Table, ...] = (
    balances,
    locks,
    pools,
    pool_payments,
    token_totals,
    lp_positions,
    settings,
    randomness_requests,
    oracle_keys,
    bonds,
    bond_reservations,
    bets,
    player_stats,
    jackpot_rounds,
    matches,
    protection,
    limits,
)
# What "the same database" means for crash/reorg convergence: the raw log, every projection
# and the cursor. `blocks`, `batches` and `undo` depend on how ranges were batched, not on the chain.
CONTENT_TABLES: tuple[Table, ...] = (cursor, events, refusals, *PROJECTION_TABLES)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in metadata.sorted_tables}
