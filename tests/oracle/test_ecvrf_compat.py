"""Bit-compatibility with Chainlink VRF v2.5: proofs produced by Chainlink's Go prover (taken
from the chainlink repository's Foundry tests of VRFCoordinatorV2_5, key sk = 10) verify here,
and our proofs for the same key and seed carry the same gamma, hence the same output.

In Chainlink's coordinator the proof's `seed` field holds the pre-seed and the VRF input is
keccak256(preSeed ‖ blockhash); in ours the field holds that VRF input directly, so the vectors
below are checked with `seed` replaced by `request_seed(preSeed, blockhash)`.
"""

from __future__ import annotations

import dataclasses

import pytest

from oracle import ecvrf, ecvrf_pure
from oracle.proof import Proof

CHAINLINK_SK = 10
CHAINLINK_KEY_HASH = "9f2353bde94264dbc3d554a94cceba2d7d2b4fdce4304d3e09a1fea9fbeb1528"
CHAINLINK_PK = (
    72488970228380509287422715226575535698893157273063074627791787432852706183111,
    62070622898698443831883535403436258712770888294397026493185421712108624767191,
)
BLOCK_HASH_10 = (10).to_bytes(32, "big")

CHAINLINK_PROOFS = [
    Proof(
        pk=CHAINLINK_PK,
        gamma=(
            18593555375562408458806406536059989757338587469093035962641476877033456068708,
            55675218112764789548330682504442195066741636758414578491295297591596761905475,
        ),
        c=56595337384472359782910435918403237878894172750128610188222417200315739516270,
        s=60666722370046279064490737533582002977678558769715798604164042022636022215663,
        seed=94043941380654896554739370173616551044559721638888689173752661912204412136884,
        u_witness="0xEdbE15fd105cfEFb9CCcbBD84403d1F62719E50d",
        c_gamma_witness=(
            11752391553651713021860307604522059957920042356542944931263270793211985356642,
            14713353048309058367510422609936133400473710094544154206129568172815229277104,
        ),
        s_hash_witness=(
            109716108880570827107616596438987062129934448629902940427517663799192095060206,
            79378277044196229730810703755304140279837983575681427317104232794580059801930,
        ),
        z_inv=18898957977631212231148068121702167284572066246731769473720131179584458697812,
    ),
    Proof(
        pk=CHAINLINK_PK,
        gamma=(
            8781676794493524976318989249067879326013864868749595045909181134740761572122,
            70144896394968351242907510966944756907625107566821127114847472296460405612124,
        ),
        c=67847193668837615807355025316836592349514589069599294392546721746916067719949,
        s=114946531382736685625345450298146929067341928840493664822961336014597880904075,
        seed=60086281972849674111646805013521068579710860774417505336898013292594859262126,
        u_witness="0xe1de4fD69277D0C5516cAE4d760b1d08BC340A28",
        c_gamma_witness=(
            90301582727701442026215692513959255065128476395727596945643431833363167168678,
            61501369717028493801369453424028509804064958915788808540582630993703331669978,
        ),
        s_hash_witness=(
            98738650825542176387169085844714248077697103572877410412808249468787326424906,
            85647963391545223707301702874240345890884970941786094239896961457539737216630,
        ),
        z_inv=29080001901010358083725892808339807464533563010468652346220922643802059192842,
    ),
]


def _as_ours(chainlink_proof: Proof) -> Proof:
    return dataclasses.replace(chainlink_proof, seed=ecvrf.request_seed(chainlink_proof.seed, BLOCK_HASH_10))


def test_chainlink_test_key() -> None:
    assert ecvrf.public_key(CHAINLINK_SK) == CHAINLINK_PK
    assert ecvrf.key_hash(CHAINLINK_PK).hex() == CHAINLINK_KEY_HASH


@pytest.mark.parametrize("chainlink_proof", CHAINLINK_PROOFS, ids=["first", "second"])
def test_chainlink_proofs_verify_on_both_paths(chainlink_proof: Proof) -> None:
    proof = _as_ours(chainlink_proof)
    output = ecvrf.verify(proof)
    assert output == ecvrf_pure.verify(proof) == ecvrf.output_of(chainlink_proof.gamma)


@pytest.mark.parametrize("chainlink_proof", CHAINLINK_PROOFS, ids=["first", "second"])
def test_our_proof_for_the_same_seed_has_chainlinks_gamma(chainlink_proof: Proof) -> None:
    theirs = _as_ours(chainlink_proof)
    ours = ecvrf.prove(CHAINLINK_SK, theirs.seed)
    assert ours.gamma == theirs.gamma
    assert ecvrf.verify(ours, theirs.seed) == ecvrf.verify(theirs, theirs.seed)
    # the nonce differs from Chainlink's random one, so the rest of the proof does too
    assert ours.c != theirs.c


def test_chainlink_proof_without_the_blockhash_step_is_rejected() -> None:
    with pytest.raises(ecvrf.InvalidProof) as excinfo:
        ecvrf.verify(CHAINLINK_PROOFS[0])
    assert excinfo.value.reason == ecvrf.Reason.S_HASH_WITNESS_MISMATCH
