"""What the page reads from a chance bet's data word (web/src/games/chancePanel.js betWord,
choiceOfWord): the lock id, the rolls and the packed choice, exactly the ABI bytes the rules
modules encode, laid out as ChanceGame's `Bet` documents it; null for a choice that does not pack
(the bet's BetTerms log has it)."""

from __future__ import annotations

from web_node import run_node

from fairstake.rules import cointoss, dice, keno

RUNNER = """
import { betWord, choiceOfWord } from "./web/src/games/chancePanel.js";
import { readFileSync } from "node:fs";
const words = JSON.parse(readFileSync(0, "utf8"));
const results = words.map((data) => {
  const { lockId, rolls } = betWord(data);
  return [String(lockId), rolls, choiceOfWord(data)];
});
process.stdout.write(JSON.stringify(results));
"""

PACKED, TWO_WORDS, WORD_BITS = 1 << 159, 1 << 158, 79
LIMIT = 1 << WORD_BITS


def data_word(lock_id: int, rolls: int, edge_bps: int, has_stops: bool, choice: bytes | None) -> str:
    """The bet's data word (lockId 0..55, rolls 56..63, edgeBps 64..79, hasStops 88, tail 96..255),
    its tail the `choice` packed (each ABI word below 2^79 at bits 0 and 79), or 0 (None)."""
    tail = 0
    if choice is not None:
        words = [int.from_bytes(choice[i : i + 32], "big") for i in range(0, len(choice), 32)]
        assert len(words) in (1, 2) and all(w < LIMIT for w in words)
        tail = PACKED | (TWO_WORDS if len(words) == 2 else 0) | sum(w << (WORD_BITS * i) for i, w in enumerate(words))
    word = lock_id | rolls << 56 | edge_bps << 64 | int(has_stops) << 88 | tail << 96
    return "0x" + word.to_bytes(32, "big").hex()


def test_the_page_reads_the_lock_rolls_and_packed_choice_of_a_data_word() -> None:
    packed = [
        (1, 1, cointoss.encode_choice(True)),  # one word
        (2**56 - 1, 100, dice.encode_choice(98, True)),  # two words, the largest lock id and rolls
        (77, 3, keno.encode_choice(2**32 - 1, 2**64 - 1)),  # two words, each far above a byte
        (5, 1, (LIMIT - 1).to_bytes(32, "big") + (LIMIT - 1).to_bytes(32, "big")),  # both words at the limit
    ]
    not_packed = [(9, 2, True), (10, 1, False)]  # the choice in BetTerms (a stop or an unpackable choice)
    words = [data_word(lock, rolls, 150, i % 2 == 1, choice) for i, (lock, rolls, choice) in enumerate(packed)]
    words += [data_word(lock, rolls, 150, stops, None) for lock, rolls, stops in not_packed]
    results = run_node(RUNNER, words)
    expected = [[str(lock), rolls, "0x" + choice.hex()] for lock, rolls, choice in packed]
    expected += [[str(lock), rolls, None] for lock, rolls, _ in not_packed]
    assert results == expected
