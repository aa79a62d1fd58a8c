"""Gas scenarios of player protection and skill games, rows for `fairstake bench gas`.

Every figure is a whole transaction's gasUsed (intrinsic 21000 and calldata included) on a
fresh deployment of the real contracts, except the `registry_*` hook figures: those are the
execution gas of the registry's own frame for one `beforeStake` / `afterSettle` call (read from
a call trace of a RegistryGasProbe transaction, so the registry's account and slots are cold as
on a real first call; without the caller's 2,600 gas account access, as the `*_in_registry` rows
of `ops.bench.gas`). `registry_before_stake_unlimited`: no break, no limit, no KYC rule on the
token. `registry_before_stake_all_limits`: loss, wager and deposit limits in all three windows
and a KYC rule on the token (a stake under the threshold: counted, no level needed), the
player's second stake of the windows (their counts already written once).
`registry_before_stake_all_limits_person`: the same limits set through a wallet bound to a KYC
subject, so they bind the wallet and its person, both counted; the wallet holds a valid level.

`measure_skill_gas(project)` runs every scenario on the chain brownie is connected to (the
`fairstake bench gas` table calls it); `skill_gas(kind)` does the same on its own fresh chain.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import Any

from fairstake import signing
from fairstake.manifest import ETH
from ops.chain import LocalChain

USD = 10**6
HOUR = 3600
DAY = 86400
REFEREE = 7  # dev account index of the referee key
ATTESTOR = 8  # dev account index of the KYC attestor key
PLAYERS = tuple(range(10, 18))  # dev accounts that play
PROTECTED = (2, 3, 4, 5, 6, 9)  # dev accounts that set limits, exclude themselves, get attested


@dataclass
class SkillDeployment:
    """Everything the scenarios need, deployed and wired like production (governance = owner here)."""

    project: Any
    owner: Any
    vault: Any
    registry: Any
    match: Any
    tournament: Any
    usds: Any
    probe: Any
    players: list[Any]
    chain_id: int

    def tx(self, who: Any) -> dict[str, Any]:
        return {"from": who}


def deploy_skill(project: Any) -> SkillDeployment:
    """Vault wired to the PlayerRegistry, Match, Tournament, USDS and the hook probe; players funded."""
    from brownie import accounts, web3

    owner = accounts[0]
    sender = {"from": owner}
    project.VaultBankroll.deploy(sender)  # the library the Vault links to
    vault = project.Vault.deploy(owner, sender)
    registry = project.PlayerRegistry.deploy(owner, sender)
    usds = project.MockStablecoin.deploy(sender)
    match = project.Match.deploy(vault, registry, owner, sender)
    tournament = project.Tournament.deploy(vault, registry, owner, sender)
    probe = project.RegistryGasProbe.deploy(registry, sender)
    vault.setToken(usds, True, sender)
    vault.setToken(ETH, True, sender)
    vault.setPlayerRegistry(registry, sender)  # the Vault asks the registry on every lock
    registry.setVault(vault, True, sender)
    for game in (match, tournament):
        vault.setGame(game, True, sender)
        game.setReferee(accounts[REFEREE], True, sender)
        game.setRake(500, sender)
    registry.setVault(probe, True, sender)  # beforeStake, beforeDeposit and afterSettle, as the Vault calls them
    registry.setAttestor(accounts[ATTESTOR], True, sender)
    players = [accounts[i] for i in PLAYERS]
    for player in players:
        usds.mint(player, 10_000 * USD, {"from": player})
        usds.approve(vault, 10_000 * USD, {"from": player})
        vault.depositFor(player, usds, 10_000 * USD, {"from": player})
    return SkillDeployment(
        project, owner, vault, registry, match, tournament, usds, probe, players, int(web3.eth.chain_id)
    )


def _now() -> int:
    from brownie import web3

    return int(web3.eth.get_block("latest")["timestamp"])


def _in_registry(d: SkillDeployment, tx: Any) -> int:
    """Execution gas of the registry's frame in a probe transaction (from its call trace)."""
    from ops.bench.gas import _call_trace, _frame_into

    return int(_frame_into(_call_trace(tx), d.registry.address)["gasUsed"], 16)


def _limit_everything(d: SkillDeployment, wallet: Any, value: int) -> None:
    """Loss, wager and deposit limits of `value` in every window (24 h, 7 days, 30 days)."""
    for kind in (0, 1, 2):
        for window in (0, 1, 2):
            d.registry.setLimit(d.usds, kind, window, value, d.tx(wallet))


def _attest(d: SkillDeployment, wallet: Any, person: str, level: int) -> Any:
    now = _now()
    subject = signing.subject_id(b"bench attestor salt", person)
    typed = signing.kyc_attestation(
        d.registry.address,
        d.chain_id,
        wallet.address,
        level,
        now + 365 * DAY,
        signing.jurisdiction_hash("MT"),
        1,
        now,
        subject,
    )
    signed = signing.sign(typed, signing.dev_private_key(ATTESTOR))
    message = typed["message"]
    attestation = (wallet.address, level, message["expiry"], message["jurisdictionHash"], 1, now, subject)
    return d.registry.attest(attestation, signed.signature, d.tx(wallet))


# ------------------------------------------------------------------ scenarios


def scenario_protection(d: SkillDeployment) -> dict[str, int]:
    """Registry hooks as the registry runs them, and the player-facing protection transactions."""
    from brownie import accounts

    plain, limited, excluded, verified, bound, everything = (accounts[i] for i in PROTECTED)
    stake = d.probe.measureBeforeStake
    figures = {
        "registry_before_stake_unlimited": _in_registry(d, stake(plain, d.usds, USD, d.tx(plain))),
    }
    figures["limit_set"] = int(d.registry.setLimit(d.usds, 0, 0, 100 * USD, d.tx(limited)).gas_used)
    figures["limit_raise_pending"] = int(d.registry.setLimit(d.usds, 0, 0, 200 * USD, d.tx(limited)).gas_used)
    d.registry.setLimit(d.usds, 1, 1, 500 * USD, d.tx(limited))
    figures["registry_before_stake_two_limits"] = _in_registry(d, stake(limited, d.usds, USD, d.tx(limited)))
    figures["registry_after_settle_two_limits"] = _in_registry(
        d, d.probe.measureAfterSettle(limited, d.usds, USD, 2 * USD, d.tx(limited))
    )
    figures["self_exclude"] = int(d.registry.selfExclude(184 * DAY, d.tx(excluded)).gas_used)
    figures["kyc_attest"] = int(_attest(d, verified, "bench person", 2).gas_used)

    # Every limit kind: loss, wager and deposit limits in all three windows and a KYC rule on the
    # token whose threshold the stakes stay under; the second stake is measured.
    d.registry.setKycRule(d.usds, 1_000 * USD, 2, d.tx(d.owner))
    _limit_everything(d, everything, 1_000 * USD)
    stake(everything, d.usds, USD, d.tx(everything))
    figures["registry_before_stake_all_limits"] = _in_registry(d, stake(everything, d.usds, USD, d.tx(everything)))
    # The same limits through a wallet bound to a KYC subject: on the wallet and on its person.
    _attest(d, bound, "bench bound person", 2)
    _limit_everything(d, bound, 1_000 * USD)
    stake(bound, d.usds, USD, d.tx(bound))
    figures["registry_before_stake_all_limits_person"] = _in_registry(d, stake(bound, d.usds, USD, d.tx(bound)))
    # The heaviest report the Vault makes to an honest registry: a payout credited to every window
    # of the wallet and of its person (what `Vault.REGISTRY_REPORT_GAS` must cover).
    figures["registry_after_settle_all_limits_person"] = _in_registry(
        d, d.probe.measureAfterSettle(bound, d.usds, USD, 2 * USD, d.tx(bound))
    )
    d.registry.setKycRule(d.usds, 0, 0, d.tx(d.owner))
    return figures


def _match_result(d: SkillDeployment, match_id: int, ranking: list[Any]) -> bytes:
    typed = signing.match_result(d.match.address, d.chain_id, match_id, 0, [p.address for p in ranking])
    return signing.sign(typed, signing.dev_private_key(REFEREE)).signature


def scenario_match(d: SkillDeployment) -> dict[str, int]:
    """A 2-player match (create, join, join that fills, referee settle) and an 8-player one."""
    a, b = d.players[:2]
    create = d.match.create(d.usds, 10 * USD, 2, [10_000], _now() + HOUR, d.tx(a))
    match_id = int(create.return_value)
    join = d.match.join(match_id, d.tx(a))
    join_fill = d.match.join(match_id, d.tx(b))
    settle = d.match.submitResult(match_id, [b, a], _match_result(d, match_id, [b, a]), d.tx(a))

    big_id = int(d.match.create(d.usds, 10 * USD, 8, [5_000, 3_000, 2_000], _now() + HOUR, d.tx(a)).return_value)
    for player in d.players[:8]:
        d.match.join(big_id, d.tx(player))
    ranking = list(reversed(d.players[:8]))
    settle_8 = d.match.submitResult(big_id, ranking, _match_result(d, big_id, ranking), d.tx(a))

    co_id = int(d.match.create(d.usds, 10 * USD, 2, [10_000], _now() + HOUR, d.tx(a)).return_value)
    d.match.join(co_id, d.tx(a))
    d.match.join(co_id, d.tx(b))
    typed = signing.match_result(d.match.address, d.chain_id, co_id, 0, [a.address, b.address])
    sigs = [signing.sign(typed, signing.dev_private_key(PLAYERS[i])).signature for i in range(2)]
    co_settle = d.match.submitCoSignedResult(co_id, [a, b], sigs, d.tx(a))
    return {
        "match_create": int(create.gas_used),
        "match_join": int(join.gas_used),
        "match_join_filling": int(join_fill.gas_used),
        "match_settle_2p_referee": int(settle.gas_used),
        "match_settle_2p_cosigned": int(co_settle.gas_used),
        "match_settle_8p_referee": int(settle_8.gas_used),
    }


def scenario_tournament(d: SkillDeployment) -> dict[str, int]:
    """An 8-entrant tournament paying 3 places, and the batched refund of a voided one."""
    from brownie import chain

    organiser = d.players[0]
    prizes = [5_000, 3_000, 2_000]
    create = d.tournament.create(d.usds, 5 * USD, 8, prizes, _now() + HOUR, _now() + DAY, d.tx(organiser))
    tournament_id = int(create.return_value)
    enters = [int(d.tournament.enter(tournament_id, d.tx(p)).gas_used) for p in d.players[:8]]
    winners = [p.address for p in d.players[2:5]]
    typed = signing.tournament_result(d.tournament.address, d.chain_id, tournament_id, 0, winners)
    signature = signing.sign(typed, signing.dev_private_key(REFEREE)).signature
    settle = d.tournament.submitResult(tournament_id, winners, signature, d.tx(organiser))

    void_id = int(
        d.tournament.create(d.usds, 5 * USD, 8, prizes, _now() + HOUR, _now() + DAY, d.tx(organiser)).return_value
    )
    for player in d.players[:8]:
        d.tournament.enter(void_id, d.tx(player))
    chain.sleep(HOUR + 1)
    typed = signing.tournament_result(d.tournament.address, d.chain_id, void_id, 0, [])
    d.tournament.submitResult(
        void_id, [], signing.sign(typed, signing.dev_private_key(REFEREE)).signature, d.tx(organiser)
    )
    refund = d.tournament.refundEntries(void_id, 0, 8, d.tx(organiser))
    return {
        "tournament_create": int(create.gas_used),
        "tournament_enter": enters[1],
        "tournament_settle_3_winners": int(settle.gas_used),
        "tournament_refund_8_entries": int(refund.gas_used),
    }


SCENARIOS: tuple[Callable[[SkillDeployment], dict[str, int]], ...] = (
    scenario_protection,
    scenario_match,
    scenario_tournament,
)


def measure_skill_gas(project: Any) -> dict[str, int]:
    """Every scenario on the connected chain (a fresh deployment each time)."""
    deployment = deploy_skill(project)
    figures: dict[str, int] = {}
    for scenario in SCENARIOS:
        figures.update(scenario(deployment))
    return figures


def drain_brownie_threads() -> None:
    """brownie snapshots every transaction for undo in a background thread; let those finish
    before disconnecting, or they fail noisily against a disconnected node."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(timeout=5)


def skill_gas(kind: str = "anvil") -> dict[str, Any]:
    """Start a fresh `kind` chain, deploy, and return every skill/protection gas figure."""
    from brownie import network

    from ops.bench.vrf_gas import _attach

    with LocalChain(kind=kind) as local, redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        project = _attach(local)
        try:
            return {"chain": kind, **measure_skill_gas(project)}
        finally:
            drain_brownie_threads()
            network.disconnect(kill_rpc=False)


if __name__ == "__main__":
    from ops.bench.suite import print_figures

    print_figures("gas_skill", skill_gas())
