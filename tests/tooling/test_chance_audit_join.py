"""The chain auditor rebuilds a chance bet from its transaction's logs: BetPlaced names the bet,
its request's data word (requestId = betId) gives the lock id, rolls, edge and a packed choice,
that lock's Locked the player, token, stakes and maximum payout, and a BetTerms, when the bet has
one, the choice and the stops. A bet whose request, lock or terms are missing from its transaction,
or whose lock is another game's, is flagged and not audited further."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from web3.datastructures import AttributeDict

from ops.auditor.chance import _placed_bets
from ops.auditor.reader import AuditReport

GAME = "0x" + "d1" * 20
OTHER_GAME = "0x" + "e5" * 20
PLAYER = "0x" + "a1" * 20
TOKEN = "0x" + "00" * 20
TX, OTHER_TX = b"\x01" * 32, b"\x02" * 32
TARGET = 42  # a one-word choice (a Dice target), packed in the data word


def log(tx: bytes, index: int, **args: Any) -> SimpleNamespace:
    """A log as web3 hands it to the auditor: its args an AttributeDict."""
    return SimpleNamespace(args=AttributeDict(args), blockNumber=7, logIndex=index, transactionHash=tx)


def data_word(lock_id: int, rolls: int, edge_bps: int, *, stops: bool = False, packed: int | None = TARGET) -> bytes:
    """lockId at bits 0..55, rolls at 56..63, edgeBps at 64..79, the stops flag at bit 88 and a
    one-word choice at bit 96 with the packed flag at bit 255 (ChanceGame's Bet), written here bit
    by bit, not by the code under test."""
    word = lock_id + rolls * 2**56 + edge_bps * 2**64 + int(stops) * 2**88
    if packed is not None:
        word += packed * 2**96 + 2**255
    return word.to_bytes(32, "big")


class Reader:
    def __init__(self, placed: list[Any], requested: list[Any], locked: list[Any], terms: list[Any] = []) -> None:  # noqa: B006
        self.logs = {
            ("Dice", "BetPlaced"): placed,
            ("Dice", "BetTerms"): terms,
            ("RandomnessCoordinator", "RandomnessRequested"): requested,
            ("Vault", "Locked"): locked,
        }

    def contract(self, name: str) -> Any:
        return SimpleNamespace(address=GAME.upper().replace("0X", "0x"))

    def events(self, name: str, event: str) -> list[Any]:
        return self.logs[(name, event)]


def placed(bet_id: int, tx: bytes = TX) -> Any:
    return log(tx, 3, betId=bet_id)


def locked(lock_id: int, tx: bytes = TX, game: str = GAME, amount: int = 30) -> Any:
    return log(tx, 0, lockId=lock_id, game=game, player=PLAYER, token=TOKEN, amount=amount, maxPayout=57)


def test_a_bet_is_rebuilt_from_its_request_word_and_its_lock() -> None:
    reader = Reader(
        [placed(11)],
        [log(TX, 1, requestId=11, data=data_word(5, 3, 150))],
        [locked(4, amount=99), locked(5)],
    )
    report = AuditReport(0, 10)
    bets = _placed_bets(reader, report, "Dice")  # type: ignore[arg-type]
    assert report.mismatches == []
    bet = bets[11]
    a = bet.args
    assert (a.betId, a.player, a.token, a.stake, bytes(a.choice)) == (11, PLAYER, TOKEN, 10, TARGET.to_bytes(32, "big"))
    assert (a.lockId, a.rolls, a.edgeBps, a.maxPayout, a.stopGain, a.stopLoss) == (5, 3, 150, 57, 0, 0)
    assert (bet.blockNumber, bet.logIndex, bet.transactionHash) == (7, 3, TX)


def test_a_bet_with_stops_or_a_long_choice_takes_them_from_its_bet_terms() -> None:
    long_choice = bytes(range(96))
    reader = Reader(
        [placed(11), placed(12)],
        [
            log(TX, 1, requestId=11, data=data_word(5, 3, 150, stops=True)),
            log(TX, 1, requestId=12, data=data_word(6, 1, 150, packed=None)),
        ],
        [locked(5), locked(6, amount=10)],
        [
            log(TX, 2, betId=11, choice=TARGET.to_bytes(32, "big"), stopGain=20, stopLoss=10),
            log(TX, 2, betId=12, choice=long_choice, stopGain=0, stopLoss=0),
        ],
    )
    report = AuditReport(0, 10)
    bets = _placed_bets(reader, report, "Dice")  # type: ignore[arg-type]
    assert report.mismatches == []
    assert (bets[11].args.stopGain, bets[11].args.stopLoss) == (20, 10)
    assert (bytes(bets[12].args.choice), bets[12].args.stake) == (long_choice, 10)


def test_a_bet_without_its_own_request_lock_or_terms_is_flagged() -> None:
    reader = Reader(
        [placed(11), placed(12), placed(13), placed(14), placed(15), placed(16)],
        [
            log(TX, 1, requestId=11, data=data_word(5, 3, 150)),  # lock 5 is another game's
            log(OTHER_TX, 1, requestId=12, data=data_word(6, 3, 150)),  # requested in another tx
            log(TX, 1, requestId=13, data=data_word(7, 3, 150)),  # lock 7 was never locked
            log(TX, 1, requestId=14, data=data_word(8, 3, 150, stops=True)),  # stops, but no BetTerms
            log(TX, 1, requestId=16, data=data_word(9, 3, 150, packed=None)),  # its BetTerms is another tx's
        ],  # bet 15 has no request at all
        [locked(5, game=OTHER_GAME), locked(6), locked(8), locked(9)],
        [log(OTHER_TX, 2, betId=16, choice=b"\x01" * 96, stopGain=0, stopLoss=0)],
    )
    report = AuditReport(0, 10)
    assert _placed_bets(reader, report, "Dice") == {}  # type: ignore[arg-type]
    assert sorted((m.kind, m.ref) for m in report.mismatches) == [
        ("lock", "11"),
        ("lock", "13"),
        ("request", "12"),
        ("request", "15"),
        ("terms", "14"),
        ("terms", "16"),
    ]
