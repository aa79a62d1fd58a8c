"""The randomness half of the audit policy (the games' half is fairstake.audit): what a
fulfilment must show, as a pure function over its facts. It lives in the oracle tier because it
needs the ECVRF math; the chain-only auditor and the audit API both apply it.
"""

from __future__ import annotations

from dataclasses import dataclass

from oracle import ecvrf
from oracle.proof import InvalidProof, Proof


@dataclass(frozen=True)
class RandomnessVerdict:
    """What the proof of a fulfilment gives, to compare with what the coordinator recorded.

    `expected_seed` is keccak(preSeed, blockhash(request block)), None without that hash; the
    proof must prove exactly it. `output` is None when the proof does not verify (`reason`
    says why); `words` are the random words the output gives."""

    expected_seed: int | None
    proof_seed: int
    proof_key_hash: str
    output: int | None
    reason: str | None
    words: list[int]

    def seed_matches(self, recorded_seed: int) -> bool:
        return self.expected_seed is not None and self.proof_seed == self.expected_seed == recorded_seed

    def first_failure(
        self, recorded_seed: int, requested_key_hash: str, recorded_output: int
    ) -> tuple[str, str] | None:
        """(kind, detail) of the first check that fails, in the order a fulfilment depends on
        them (the seed, the key, the proof, the output), or None when all hold."""
        if not self.seed_matches(recorded_seed):
            return "seed", "proven seed differs from preSeed + request blockhash"
        if self.proof_key_hash != requested_key_hash.lower():
            return "key", "proof key differs from the requested key"
        if self.output is None:
            return "proof", f"invalid proof: {self.reason}"
        if self.output != recorded_output:
            return "output", "coordinator output differs from the proof's output"
        return None


def verify_fulfilment(
    proof: Proof, pre_seed: int, request_block_hash: bytes | None, num_words: int
) -> RandomnessVerdict:
    """Re-verify a fulfilment from its proof and the request's facts with the independent Python
    verifier: the seed fixed at request time, the key the proof is for, the ECVRF proof itself
    and the words its output gives."""
    expected_seed = None if request_block_hash is None else ecvrf.request_seed(pre_seed, request_block_hash)
    output: int | None = None
    reason = None
    try:
        output = ecvrf.verify(proof, proof.seed)
    except InvalidProof as exc:
        reason = str(exc)
    return RandomnessVerdict(
        expected_seed=expected_seed,
        proof_seed=proof.seed,
        proof_key_hash="0x" + ecvrf.key_hash(proof.pk).hex(),
        output=output,
        reason=reason,
        words=[] if output is None else ecvrf.random_words(output, num_words),
    )
