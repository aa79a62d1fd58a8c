"""The chain auditor rebuilds a chance bet from its transaction's logs: BetPlaced carries only what
no other log does, the lock id, rolls and edge come from its request's data word (requestId =
betId) and the maximum payout from that lock's Locked. A bet whose request or lock is missing from
its transaction, or whose lock is another bet's, is flagged and not audited further."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from web3.datastructures import AttributeDict

from ops.auditor.chance import _placed_bets
from ops.auditor.reader import AuditReport

GAME = "0x" + "d1" * 20
PLAYER = "0x" + "a1" * 20
OTHER = "0x" + "b2" * 20
TOKEN = "0x" + "00" * 20
TX, OTHER_TX = b"\x01" * 32, b"\x02" * 32


def log(tx: bytes, index: int, **args: Any) -> SimpleNamespace:
    """A log as web3 hands it to the auditor: its args an AttributeDict."""
    return SimpleNamespace(args=AttributeDict(args), blockNumber=7, logIndex=index, transactionHash=tx)


def data_word(lock_id: int, rolls: int, edge_bps: int) -> bytes:
    """lockId at bits 0..55, rolls at 56..63, edgeBps at 64..79 (ChanceGame's Bet), written here
    bit by bit, not by the code under test."""
    return (lock_id + rolls * 2**56 + edge_bps * 2**64).to_bytes(32, "big")


class Reader:
    def __init__(self, placed: list[Any], requested: list[Any], locked: list[Any]) -> None:
        self.logs = {
            ("Dice", "BetPlaced"): placed,
            ("RandomnessCoordinator", "RandomnessRequested"): requested,
            ("Vault", "Locked"): locked,
        }

    def contract(self, name: str) -> Any:
        return SimpleNamespace(address=GAME.upper().replace("0X", "0x"))

    def events(self, name: str, event: str) -> list[Any]:
        return self.logs[(name, event)]


def placed(bet_id: int, tx: bytes = TX, player: str = PLAYER) -> Any:
    return log(
        tx, 2, betId=bet_id, player=player, token=TOKEN, stake=10, choice=b"", stopGain=0, stopLoss=0, houseEdge=1
    )


def locked(lock_id: int, tx: bytes = TX, player: str = PLAYER, amount: int = 30) -> Any:
    return log(tx, 0, lockId=lock_id, game=GAME, player=player, token=TOKEN, amount=amount, maxPayout=57)


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
    assert (a.betId, a.player, a.stake, a.houseEdge) == (11, PLAYER, 10, 1)
    assert (a.lockId, a.rolls, a.edgeBps, a.maxPayout) == (5, 3, 150, 57)
    assert (bet.blockNumber, bet.logIndex, bet.transactionHash) == (7, 2, TX)


def test_a_bet_without_its_own_request_or_lock_is_flagged() -> None:
    reader = Reader(
        [placed(11), placed(12), placed(13), placed(14), placed(15)],
        [
            log(TX, 1, requestId=11, data=data_word(5, 3, 150)),  # lock 5 is another player's
            log(OTHER_TX, 1, requestId=12, data=data_word(6, 3, 150)),  # requested in another tx
            log(TX, 1, requestId=13, data=data_word(7, 3, 150)),  # lock 7 was never locked
            log(TX, 1, requestId=14, data=data_word(8, 2, 150)),  # lock 8 holds 3 rolls' stakes, not 2
        ],  # bet 15 has no request at all
        [locked(5, player=OTHER), locked(6), locked(8)],
    )
    report = AuditReport(0, 10)
    assert _placed_bets(reader, report, "Dice") == {}  # type: ignore[arg-type]
    assert sorted((m.kind, m.ref) for m in report.mismatches) == [
        ("lock", "11"),
        ("lock", "13"),
        ("lock", "14"),
        ("request", "12"),
        ("request", "15"),
    ]
