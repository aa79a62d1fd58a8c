"""After ops/deploy.py's `deploy_platform` the deployer keeps no instant power.

Every privileged function of every deployed contract is found by reading the contracts' sources
(each contract's own files and the OpenZeppelin ones it inherits, as recorded in its build): a
function is privileged when it has an access modifier (onlyOwner, onlyRole, ...) or when its body,
or an internal helper or modifier it uses, reverts with an error carrying the caller
(`revert NotGuardian(msg.sender)`). A privileged function added later is therefore checked
without editing this file; an unknown kind of guard fails the test until it says who may call it.

For each function a cheap representative call (arguments made up from the ABI, sent as eth_call
so nothing changes) must revert with the guard's error from the deployer, an outsider, the
referee and the attestor, and must get past the guard from the accounts the security model
allows (for every owner-only function: the TimelockController alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from brownie import accounts
from brownie.exceptions import VirtualMachineError

from fairstake import PROJECT_ROOT
from oracle import ecvrf

ORACLE_SECRET = int.from_bytes(ecvrf.keccak256(b"fairstake/tests/governance/oracle"), "big") % ecvrf.N
REFEREE, ATTESTOR = 2, 8
ZERO = "0x" + "00" * 20
# OpenZeppelin's access modifiers and the error each reverts with.
OZ_MODIFIERS = {
    "onlyOwner": "OwnableUnauthorizedAccount",
    "onlyRole": "AccessControlUnauthorizedAccount",
    "onlyRoleOrOpenRole": "AccessControlUnauthorizedAccount",
}
CALLER_REVERT = re.compile(r"revert\s+(\w+)\(\s*(?:msg\.sender|_msgSender\(\)|sender)\s*\)")
# Guards that compare the caller with the owner of one match/pool/lock given by id, not with a role.
PER_OBJECT_GUARDS = {"NotCreator"}
# Guards only contracts pass (registered games, consumers, the coordinator). Made-up arguments
# often fail a state check before them, so they are checked by registration instead
# (test_the_deployer_holds_no_operational_role): no account, the deployer included, is one.
CONTRACT_GUARDS = {"NotGame", "NotConsumer", "NotCoordinator", "NotVault", "NotPlayerRegistry"}
# What the deployer may still do at once, and why (the README's security model says the same).
DEPLOYER_BY_DESIGN = {
    "PROPOSER_ROLE": "proposes timelock operations, which wait out the delay",
    "CANCELLER_ROLE": "cancels pending timelock operations",
    "EXECUTOR_ROLE": "executes timelock operations once their delay has passed",
    "NotGuardian": "the guardian (the deployer unless configured) can pause new locks, nothing else",
    "NotOperator": "TestGame is a development helper; live deployments do not deploy it",
}


@dataclass(frozen=True)
class Guard:
    error: str
    role: str = ""  # the onlyRole argument, for AccessControl guards


@dataclass
class Definition:
    header: str
    body: str


# ------------------------------------------------------------------ reading the sources


def _source_files(contract: Any) -> list[Path]:
    return [PROJECT_ROOT / path for path in contract._build["allSourcePaths"].values()]


def _definitions(text: str) -> Iterator[tuple[str, Definition]]:
    """(name, header and body) of every function and modifier with a body in `text`."""
    for match in re.finditer(r"\b(?:function|modifier)\s+(\w+)\s*\(", text):
        depth, index = 1, match.end()
        while depth:  # skip the parameter list
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            index += 1
        end = index
        while text[end] not in "{;":
            end += 1
        if text[end] == ";":
            continue  # an interface or abstract declaration
        depth, body_end = 1, end + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(text[body_end], 0)
            body_end += 1
        yield match.group(1), Definition(text[index:end], text[end:body_end])


def _direct_guards(definition: Definition) -> set[Guard]:
    guards = set()
    for name, error in OZ_MODIFIERS.items():
        for found in re.finditer(rf"\b{name}\b(?:\(([^{{]*)\))?", definition.header):
            guards.add(Guard(error, (found.group(1) or "").strip()))
    guards |= {Guard(error) for error in CALLER_REVERT.findall(definition.body)}
    return guards


def privileged_functions(contract: Any) -> dict[str, set[Guard]]:
    """Every state-changing ABI function of `contract` whose source guards its caller."""
    definitions: dict[str, list[Definition]] = {}
    for path in _source_files(contract):
        for name, definition in _definitions(path.read_text()):
            definitions.setdefault(name, []).append(definition)

    def guards_of(definition: Definition, depth: int = 0) -> set[Guard]:
        guards = _direct_guards(definition)
        if depth < 2:  # follow modifiers and internal helpers (`_name(...)`)
            used = re.findall(r"\b(\w+)\b", definition.header) + re.findall(r"\b(_\w+)\s*\(", definition.body)
            for helper in set(used):
                for inner in definitions.get(helper, []) if helper not in OZ_MODIFIERS else []:
                    if inner is not definition:
                        guards |= guards_of(inner, depth + 1)
        return guards

    result = {}
    for item in contract.abi:
        if item["type"] != "function" or item["stateMutability"] in ("view", "pure"):
            continue
        found = set().union(*(guards_of(d) for d in definitions.get(item["name"], [])))
        if found:
            result[item["name"]] = found
    return result


# ------------------------------------------------------------------ calling


def _value(kind: dict[str, Any]) -> Any:
    type_ = kind["type"]
    if type_.endswith("[]"):
        return []
    array = re.fullmatch(r"(.+)\[(\d+)\]", type_)
    if array:
        return [_value({**kind, "type": array.group(1)})] * int(array.group(2))
    if type_ == "tuple":
        return tuple(_value(component) for component in kind["components"])
    if type_ == "address":
        return "0x000000000000000000000000000000000000dEaD"
    if type_ == "bool":
        return True
    if type_.startswith(("uint", "int")):
        return 1
    if type_ == "bytes32":
        return "0x" + "11" * 32
    if type_.startswith("bytes"):
        return "0x"
    return "x"


def revert_error(contract: Any, function: str, caller: str) -> str | None:
    """The custom error an eth_call of `function` from `caller` reverts with (None: no revert)."""
    method = getattr(contract, function)
    args = [_value(kind) for kind in method.abi["inputs"]]
    try:
        method.call(*args, {"from": caller})
    except VirtualMachineError as exc:
        return str(exc.revert_msg or "").split(":")[0].split("(")[0].strip()
    return None


# ------------------------------------------------------------------ the deployment


@pytest.fixture(scope="module")
def platform(module_isolation: None, owner: Any) -> dict[str, Any]:
    from ops.deploy import deploy_platform

    contracts, _ = deploy_platform(
        owner,
        oracle_pk=ecvrf.public_key(ORACLE_SECRET),
        referee=accounts[REFEREE],
        attestor=accounts[ATTESTOR],
    )
    return contracts


def allowed_callers(platform: dict[str, Any], contract: str, function: str, guard: Guard, deployer: Any) -> set[str]:
    """Who may pass `guard`, by the security model."""
    if function == "acceptOwnership":  # only a pending owner, and the hand-over leaves none
        pending = str(platform[contract].pendingOwner())
        return set() if pending == ZERO else {pending}
    timelock = platform["TimelockController"].address
    games = {platform[name].address for name in ("Dice", "Jackpot", "Match", "Tournament")}
    by_role = {"getRoleAdmin(role)": timelock, "PROPOSER_ROLE": str(deployer)}
    by_role |= {"CANCELLER_ROLE": str(deployer), "EXECUTOR_ROLE": str(deployer)}
    table: dict[str, set[str]] = {
        "OwnableUnauthorizedAccount": {timelock},
        "TimelockUnauthorizedCaller": {timelock},
        "AccessControlUnauthorizedAccount": {by_role[guard.role]} if guard.role in by_role else set(),
        "NotGuardian": {str(platform["Vault"].guardian()), timelock},
        "NotAttestor": {str(accounts[ATTESTOR]), timelock},
        "NotReferee": {str(accounts[REFEREE])},
        "NotGame": games | ({platform["TestGame"].address} if contract == "Vault" else set()),
        "NotConsumer": {platform["Dice"].address, platform["Jackpot"].address},
        "NotCoordinator": {platform["RandomnessCoordinator"].address},
        "NotVault": {platform["Vault"].address},
        "NotPlayerRegistry": {platform["PlayerRegistry"].address},
        "NotOperator": {str(deployer)},
    }
    if guard.error in PER_OBJECT_GUARDS:
        return set()
    assert guard.error in table, f"{contract}: unknown guard {guard}: add who may pass it to this table"
    assert table[guard.error], f"{contract}: unknown role {guard.role!r}: add who holds it"
    return table[guard.error]


def test_the_scan_finds_the_known_privileged_functions(platform: dict[str, Any]) -> None:
    found = {(name, function) for name, c in platform.items() for function in privileged_functions(c)}
    expected = {
        ("PlayerRegistry", "setAttestor"),
        ("PlayerRegistry", "setKycRule"),
        ("PlayerRegistry", "setVault"),
        ("PlayerRegistry", "transferOwnership"),
        ("Match", "setReferee"),
        ("Tournament", "setReferee"),
        ("Match", "setRake"),
        ("Vault", "setGame"),
        ("Vault", "withdrawFees"),
        ("Vault", "pause"),
        ("RandomnessCoordinator", "registerKey"),
        ("Dice", "setCallbackGasLimit"),
        ("RandomnessCoordinator", "setConsumer"),
        ("Jackpot", "setTiming"),
        ("TimelockController", "updateDelay"),
        ("TimelockController", "grantRole"),
        ("TimelockController", "schedule"),
    }
    assert expected <= found, expected - found
    for player_own in ("selfExclude", "selfExcludePermanently", "takeTimeOut", "setLimit"):
        assert ("PlayerRegistry", player_own) not in found


def test_only_the_timelock_passes_every_governance_guard(platform: dict[str, Any], owner: Any, outsider: Any) -> None:
    checked = 0
    candidates = {str(owner), str(outsider), str(accounts[REFEREE]), str(accounts[ATTESTOR])}
    for name, contract in platform.items():
        for function, guards in privileged_functions(contract).items():
            for guard in guards:
                allowed = allowed_callers(platform, name, function, guard, owner)
                if guard.error in PER_OBJECT_GUARDS | CONTRACT_GUARDS:
                    assert str(owner) not in allowed and str(outsider) not in allowed
                    continue
                if str(owner) in allowed:
                    reason = DEPLOYER_BY_DESIGN.get(guard.role) or DEPLOYER_BY_DESIGN.get(guard.error)
                    assert reason, f"{name}.{function}: the deployer passes {guard}"
                for caller in candidates - allowed:
                    got = revert_error(contract, function, caller)
                    assert got == guard.error, f"{name}.{function} from {caller}: {got!r}, not {guard.error}"
                for caller in allowed:
                    got = revert_error(contract, function, caller)
                    assert got != guard.error, f"{name}.{function} refuses {caller}, who is allowed"
                checked += 1
    assert checked >= 40


def test_every_owner_is_the_timelock_with_nothing_pending(platform: dict[str, Any], owner: Any) -> None:
    from ops.deploy import DEV_TIMELOCK_DELAY, governance_problems, role_holders

    timelock = platform["TimelockController"]
    owned = [c for c in platform.values() if any(item.get("name") == "owner" for item in c.abi)]
    assert {c._name for c in owned} >= {"Vault", "PlayerRegistry", "Match", "Tournament", "Dice"}
    for contract in owned:
        assert contract.owner() == timelock, contract._name
        if any(item.get("name") == "pendingOwner" for item in contract.abi):
            assert contract.pendingOwner() == ZERO, contract._name
    assert timelock.getMinDelay() == DEV_TIMELOCK_DELAY
    holders = role_holders(timelock, timelock.tx.block_number)
    assert holders == {
        "0x" + "00" * 32: {timelock.address},
        str(timelock.PROPOSER_ROLE()): {owner.address},
        str(timelock.CANCELLER_ROLE()): {owner.address},
        str(timelock.EXECUTOR_ROLE()): {owner.address},
    }
    assert governance_problems(timelock, owner, owned, delay=DEV_TIMELOCK_DELAY) == []


def test_the_deployer_holds_no_operational_role(platform: dict[str, Any], owner: Any) -> None:
    registry, vault, coordinator = platform["PlayerRegistry"], platform["Vault"], platform["RandomnessCoordinator"]
    assert not registry.isAttestor(owner) and registry.isAttestor(accounts[ATTESTOR])
    for name in ("Match", "Tournament"):
        assert not platform[name].isReferee(owner) and platform[name].isReferee(accounts[REFEREE])
    assert not vault.isGame(owner)
    assert not registry.isVault(owner) and registry.isVault(vault)
    assert not coordinator.isConsumer(owner)


def test_the_registry_is_governed_only_through_the_timelock(
    platform: dict[str, Any], owner: Any, outsider: Any, reverts_with: Any
) -> None:
    from ops.deploy import govern

    registry = platform["PlayerRegistry"]
    with reverts_with("OwnableUnauthorizedAccount"):
        registry.setAttestor(outsider, True, {"from": owner})
    tx = govern(registry, owner, "setAttestor", outsider, True)
    assert tx.events["AttestorSet"] == {"attestor": outsider, "registered": True}
    assert tx.events["CallExecuted"]["target"] == registry
    assert registry.isAttestor(outsider)


def test_a_live_style_deployment_leaves_out_the_test_game(owner: Any) -> None:
    """What `up --rpc` deploys: no TestGame (whose operator, the deployer, settles its locks at
    will), only the nine games registered in the Vault, and the long delay set by the hand-over."""
    from ops.deploy import deploy_platform, governance_problems

    contracts, _ = deploy_platform(
        owner,
        oracle_pk=ecvrf.public_key(ORACLE_SECRET),
        referee=accounts[REFEREE],
        attestor=accounts[ATTESTOR],
        timelock_delay=2 * 86_400,
        test_game=False,
    )
    vault, timelock = contracts["Vault"], contracts["TimelockController"]
    assert "TestGame" not in contracts
    registered = {
        event["args"]["game"] for event in vault.events.get_sequence(vault.tx.block_number, event_type="GameSet")
    }
    games = ("Dice", "Jackpot", "Match", "Tournament", "CoinToss", "Roulette", "Keno", "Wheel", "Plinko")
    assert registered == {contracts[name].address for name in games}
    assert timelock.getMinDelay() == 2 * 86_400
    owned = [c for c in contracts.values() if any(item.get("name") == "owner" for item in c.abi)]
    assert governance_problems(timelock, owner, owned, delay=2 * 86_400) == []


def test_the_referee_and_attestor_cannot_be_the_deployer(owner: Any) -> None:
    from ops.deploy import GovernanceError, deploy_platform

    for role in ("referee", "attestor"):
        with pytest.raises(GovernanceError, match=f"the {role} must be a key of its own"):
            deploy_platform(owner, oracle_pk=None, **{role: owner})


def test_govern_refuses_a_half_done_hand_over(platform: dict[str, Any], owner: Any, outsider: Any) -> None:
    """While an Ownable2Step transfer waits for acceptance the deployer is still the owner; a
    direct call then would quietly bypass the timelock, so govern refuses it."""
    from brownie import PlayerRegistry

    from ops.deploy import GovernanceError, govern

    registry = PlayerRegistry.deploy(owner, {"from": owner})
    registry.transferOwnership(platform["TimelockController"], {"from": owner})
    with pytest.raises(GovernanceError, match="ownership is pending"):
        govern(registry, owner, "setAttestor", outsider, True)
    assert not registry.isAttestor(outsider)


def test_a_wrong_hand_over_is_reported(platform: dict[str, Any], owner: Any) -> None:
    """check_governance is not a formality: an owner other than the timelock, a pending owner and
    a scheduled operation not yet executed are each reported."""
    from brownie import PlayerRegistry

    from ops.deploy import NO_PREDECESSOR, governance_problems

    timelock = platform["TimelockController"]
    registry = PlayerRegistry.deploy(owner, {"from": owner})
    registry.transferOwnership(timelock, {"from": owner})
    data = timelock.grantRole.encode_input(timelock.PROPOSER_ROLE(), accounts[7])
    timelock.schedule(timelock, 0, data, NO_PREDECESSOR, "0x" + "22" * 32, 60, {"from": owner})
    problems = governance_problems(timelock, owner, [registry], delay=60)
    assert any("is owned by" in p for p in problems)
    assert any("pending owner" in p for p in problems)
    assert any("is still pending" in p for p in problems)
