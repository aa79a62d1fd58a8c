"""Weighted-multiplier games (Wheel, Plinko). Mirrors contracts/games/base/WeightedRules.sol.

A configuration is a list of 2..64 segments, segment i with a weight w_i (1..65535) and a
multiplier m_i in 1e4 fixed point (ONE = 10_000 pays the stake back). A roll of a 256-bit word
draws r = word % total (total = sum of the weights) and lands on the first segment whose
cumulative weight w_0 + ... + w_i exceeds r, so on segment i with probability w_i / total; it
pays stake * m_i // ONE. The contract finds the segment by binary search; this module walks the
cumulative weights, which is the same function (the agreement tests compare them).

A configuration's RTP, weighted_sum / (total * ONE), must lie in [MIN_RTP_BPS, MAX_RTP_BPS] / 1e4
(hard caps in the contract: a house edge of 2 % to 5 %). A roll's terms are its true maximum
payout stake * max(m_i) // ONE and its house edge stake - ceil(stake * weighted_sum / (total *
ONE)), the unrounded expected payout rounded up, so the edge is never overstated.

A bet's choice is abi.encode(uint32 configId); the configuration itself comes from the game's
ConfigAdded event (immutable once added), so the functions mirroring the engine's hooks take it
as `table`. The engine's per-token edge is unused: a weighted game's edge is its table's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

ONE = 10_000
BPS = 10_000
MIN_SEGMENTS = 2
MAX_SEGMENTS = 64
MAX_WEIGHT = 2**16 - 1
MAX_MULTIPLIER = 2**32 - 1
MIN_RTP_BPS = 9_500
MAX_RTP_BPS = 9_800
RISKS = ("low", "medium", "high")
WORD_LIMIT = 2**256
CHOICE_BYTES = 32
MAX_CONFIG_ID = 2**32 - 1


@dataclass(frozen=True)
class WeightedConfig:
    """A configuration, checked as WeightedRules.pack checks it (ValueError with the reason)."""

    weights: tuple[int, ...]
    multipliers: tuple[int, ...]
    risk: int = 0

    def __post_init__(self) -> None:
        count = len(self.weights)
        if count != len(self.multipliers):
            raise ValueError(f"{count} weights but {len(self.multipliers)} multipliers")
        if not MIN_SEGMENTS <= count <= MAX_SEGMENTS:
            raise ValueError(f"a configuration has {MIN_SEGMENTS}..{MAX_SEGMENTS} segments, got {count}")
        if not 0 <= self.risk < len(RISKS):
            raise ValueError(f"risk is 0..{len(RISKS) - 1}, got {self.risk}")
        for index, weight in enumerate(self.weights):
            if not 1 <= weight <= MAX_WEIGHT:
                raise ValueError(f"segment {index}: weight must be in 1..{MAX_WEIGHT}, got {weight}")
        for index, multiplier in enumerate(self.multipliers):
            if not 0 <= multiplier <= MAX_MULTIPLIER:
                raise ValueError(f"segment {index}: multiplier must be in 0..{MAX_MULTIPLIER}, got {multiplier}")
        if self.max_multiplier <= ONE:
            raise ValueError("no segment pays more than the stake")
        if not MIN_RTP_BPS * self.total_weight <= self.weighted_sum <= MAX_RTP_BPS * self.total_weight:
            raise ValueError(f"RTP {float(rtp(self)):.4%} outside [{MIN_RTP_BPS / BPS:.0%}, {MAX_RTP_BPS / BPS:.0%}]")

    @property
    def total_weight(self) -> int:
        return sum(self.weights)

    @property
    def weighted_sum(self) -> int:
        return sum(w * m for w, m in zip(self.weights, self.multipliers, strict=True))

    @property
    def max_multiplier(self) -> int:
        return max(self.multipliers)


def encode_choice(config_id: int) -> bytes:
    """abi.encode(uint32 configId)."""
    if not 0 <= config_id <= MAX_CONFIG_ID:
        raise ValueError(f"a configuration id is a uint32, got {config_id}")
    return config_id.to_bytes(CHOICE_BYTES, "big")


def decode_choice(choice: bytes) -> int:
    """The configuration id of an abi.encode(uint32 configId) choice."""
    if len(choice) != CHOICE_BYTES:
        raise ValueError(f"a choice is {CHOICE_BYTES} bytes, got {len(choice)}")
    config_id = int.from_bytes(choice, "big")
    if config_id > MAX_CONFIG_ID:
        raise ValueError("a configuration id is a uint32")
    return config_id


def segment(table: WeightedConfig, word: int) -> int:
    """The segment a roll of `word` lands on."""
    if not 0 <= word < WORD_LIMIT:
        raise ValueError("a random word is a uint256")
    drawn = word % table.total_weight
    cumulative = 0
    for index, weight in enumerate(table.weights):
        cumulative += weight
        if drawn < cumulative:
            return index
    raise AssertionError("the cumulative weights end at the total")


def payout(stake: int, multiplier: int) -> int:
    if stake < 0:
        raise ValueError("stake must not be negative")
    return stake * multiplier // ONE


def roll_payout(stake: int, choice: bytes, edge_bps: int, word: int, table: WeightedConfig) -> int:
    """The payout of one roll (the engine's _rollPayout); `choice` names `table`, `edge_bps` is unused."""
    decode_choice(choice)
    return payout(stake, table.multipliers[segment(table, word)])


def roll_terms(stake: int, choice: bytes, edge_bps: int, table: WeightedConfig) -> tuple[int, int]:
    """(maximum payout, house edge) of one roll (the engine's _rollTerms)."""
    decode_choice(choice)
    max_payout = payout(stake, table.max_multiplier)
    expected_up = -(-stake * table.weighted_sum // (table.total_weight * ONE))
    return max_payout, stake - expected_up


def probabilities(table: WeightedConfig) -> tuple[Fraction, ...]:
    return tuple(Fraction(weight, table.total_weight) for weight in table.weights)


def rtp(table: WeightedConfig) -> Fraction:
    """The configuration's return to player, payouts unrounded: weighted_sum / (total * ONE)."""
    return Fraction(table.weighted_sum, table.total_weight * ONE)


def exact_rtp(stake: int, table: WeightedConfig) -> Fraction:
    """Expected payout per unit staked for this exact stake, each segment's rounding down included."""
    if stake <= 0:
        raise ValueError("stake must be positive")
    expected = sum(
        (p * payout(stake, m) for p, m in zip(probabilities(table), table.multipliers, strict=True)), Fraction(0)
    )
    return expected / stake


def return_variance(table: WeightedConfig) -> Fraction:
    """Variance of one roll's return per unit staked (unrounded multipliers), for confidence bounds."""
    mean = rtp(table)
    return sum(
        (p * (Fraction(m, ONE) - mean) ** 2 for p, m in zip(probabilities(table), table.multipliers, strict=True)),
        Fraction(0),
    )


def choice_details(choice: bytes) -> dict[str, int]:
    """What the indexer records of a choice."""
    return {"configId": decode_choice(choice)}


def roll_distribution(stake: int, table: WeightedConfig) -> list[tuple[Fraction, int]]:
    """Each segment's probability and what it pays on `stake`."""
    return [(p, payout(stake, m)) for p, m in zip(probabilities(table), table.multipliers, strict=True)]


@dataclass(frozen=True)
class Tables:
    """A weighted game's rules given its configurations by id (from its ConfigAdded events): the
    engine's hooks with the table looked up from the choice, as the contract does."""

    tables: Mapping[int, WeightedConfig]

    def table(self, choice: bytes) -> WeightedConfig:
        config_id = decode_choice(choice)
        if config_id not in self.tables:
            raise ValueError(f"no configuration {config_id}")
        return self.tables[config_id]

    def roll_terms(self, stake: int, choice: bytes, edge_bps: int) -> tuple[int, int]:
        return roll_terms(stake, choice, edge_bps, self.table(choice))

    def roll_payout(self, stake: int, choice: bytes, edge_bps: int, word: int) -> int:
        return roll_payout(stake, choice, edge_bps, word, self.table(choice))

    def decode_choice(self, choice: bytes) -> int:
        return decode_choice(choice)

    def choice_details(self, choice: bytes) -> dict[str, int]:
        return choice_details(choice)

    def roll_distribution(self, stake: int, choice: bytes, edge_bps: int) -> list[tuple[Fraction, int]]:
        return roll_distribution(stake, self.table(choice))
