"""Off-chain figures for `fairstake bench vrf`: proving and verifying speed on one core.

The prover's cost is reported in units of one libsecp256k1 scalar multiplication measured in the
same run (`prove_cost_in_scalar_mults`), which is stable across machines where raw timings are
not. Figures only; nothing here asserts.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import partial

from coincurve import PublicKey

from oracle import ecvrf, ecvrf_pure


def _seconds_per_call(calls: list[Callable[[], object]]) -> float:
    start = time.perf_counter()
    for call in calls:
        call()
    return (time.perf_counter() - start) / len(calls)


def measure_vrf(proofs: int = 500, pure_verifications: int = 10) -> dict[str, float]:
    """Time `proofs` proofs and verifications (distinct random seeds, one key), the same number
    of scalar multiplications with random scalars, and a few pure-Python verifications."""
    if proofs < 1 or pure_verifications < 1:
        raise ValueError("need at least one proof and one pure verification")
    sk = secrets.randbelow(ecvrf.N - 1) + 1
    seeds = [secrets.randbits(256) for _ in range(proofs)]
    point = PublicKey.from_point(*ecvrf.public_key(sk))
    scalars = [(secrets.randbelow(ecvrf.N - 1) + 1).to_bytes(32, "big") for _ in range(proofs)]

    ecvrf.verify(ecvrf.prove(sk, seeds[0]))  # warm caches and lazy imports before timing
    scalar_mult_s = _seconds_per_call([partial(point.multiply, s) for s in scalars])
    prove_s = _seconds_per_call([partial(ecvrf.prove, sk, seed) for seed in seeds])
    generated = [ecvrf.prove(sk, seed) for seed in seeds]
    verify_s = _seconds_per_call([partial(ecvrf.verify, p) for p in generated])
    pure_verify_s = _seconds_per_call([partial(ecvrf_pure.verify, p) for p in generated[:pure_verifications]])
    return {
        "proofs_per_s": 1 / prove_s,
        "prove_us": prove_s * 1e6,
        "prove_cost_in_scalar_mults": prove_s / scalar_mult_s,
        "scalar_mult_us": scalar_mult_s * 1e6,
        "verifies_per_s": 1 / verify_s,
        "verify_us": verify_s * 1e6,
        "verify_cost_in_scalar_mults": verify_s / scalar_mult_s,
        "pure_verify_ms": pure_verify_s * 1e3,
    }
