"""The Solidity PlayerRegistry and the Python protection rules (fairstake/rules/protection.py) agree.

Random sequences of limit changes, stakes, payouts, deposits, breaks, attestations, KYC rules and
time jumps (to window edges and cooling-off ends, to the second) run against the real contract
and the Python model side by side. After every step both must give the same verdict (allowed, or
the same error with the same arguments) and the same effective times; after the sequence, the same
limits in force, pending changes, window counts, KYC threshold counts (per person for bound
wallets), breaks and persons. The model is written from the
README's rules, so where they disagree one of them breaks a promise."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain, history, web3
from brownie.exceptions import VirtualMachineError
from brownie.test import given
from contract_support import ganache_share
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from test_kyc_attestations import _attestation

from fairstake import signing
from fairstake.rules import protection as rules

DAY = rules.DAY
TOKENS = ("0x00000000000000000000000000000000000000A1", "0x00000000000000000000000000000000000000a2")
SUBJECTS = tuple(signing.subject_id(b"agreement test salt!", f"person {n}") for n in range(2))
WALLETS = (1, 2, 3)

wallets = st.sampled_from(WALLETS)
tokens = st.sampled_from(range(len(TOKENS)))
amounts = st.integers(min_value=1, max_value=120)
limit_values = st.one_of(st.sampled_from([0, 50, 100, 150, 300, rules.NO_LIMIT]), st.integers(0, 400))
# A jump: seconds forward, or to a window edge / the latest cooling-off end, one second either side.
jumps = st.one_of(
    st.tuples(st.just("by"), st.sampled_from([1, 60, 3_600, DAY - 1, DAY, 3 * DAY, 8 * DAY, 31 * DAY])),
    st.tuples(st.just("edge"), st.sampled_from(list(rules.Window)), st.integers(-1, 1)),
    st.tuples(st.just("cooled"), st.integers(-1, 1)),
)
actions = st.one_of(
    st.tuples(
        st.just("limit"),
        wallets,
        tokens,
        st.sampled_from(list(rules.LimitKind)),
        st.sampled_from(list(rules.Window)),
        limit_values,
    ),
    st.tuples(st.just("stake"), wallets, tokens, amounts),
    st.tuples(st.just("settle"), wallets, tokens, st.integers(0, 200)),
    st.tuples(st.just("deposit"), wallets, tokens, amounts),
    st.tuples(st.just("jump"), jumps),
    st.tuples(st.just("timeout"), wallets, st.sampled_from(list(rules.TimeOut))),
    st.tuples(
        st.just("exclude"),
        wallets,
        st.sampled_from([183 * DAY, rules.MIN_EXCLUSION, rules.MAX_EXCLUSION, rules.MAX_EXCLUSION + 1, None]),
    ),
    st.tuples(
        st.just("attest"),
        wallets,
        st.sampled_from(range(len(SUBJECTS))),
        st.integers(0, 2),
        st.sampled_from([DAY, 60 * DAY]),
    ),
    st.tuples(st.just("revoke"), wallets),
    st.tuples(st.just("rule"), tokens, st.sampled_from([0, 100, 250]), st.integers(0, 2)),
)


@pytest.fixture(scope="module")
def vault(registry: Any, owner: Any) -> Any:
    """An EOA registered as the Vault, so the test reports deposits directly."""
    registry.setVault(accounts[7], True, {"from": owner})
    return accounts[7]


def _next_block_at(timestamp: int) -> None:
    """The next block's timestamp: exact on anvil; ganache moves its clock there instead (the model
    then takes the block's actual time, so the comparison holds, only less sharply at edges)."""
    if "anvil" in str(web3.client_version).lower():
        web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])  # type: ignore[arg-type]
    else:
        web3.provider.make_request("evm_setTime", [timestamp * 1000])  # type: ignore[arg-type]


def _send(call: Any, *args: Any) -> tuple[Any, str | None, int]:
    """Mine `call` whether or not it reverts: (the transaction, its revert message or None, its time)."""
    tx_args = {**args[-1], "gas_limit": 1_500_000, "allow_revert": True}
    try:
        tx = call(*args[:-1], tx_args)
    except VirtualMachineError as exc:
        return history[-1], str(exc.revert_msg), int(history[-1].timestamp)
    return tx, None, int(tx.timestamp)


def _abi_text(value: object) -> str:
    """An argument as brownie prints a decoded custom error's arguments."""
    if isinstance(value, bytes):
        return str(value)  # brownie prints bytes32 arguments as Python bytes
    if isinstance(value, str):
        return value.lower()
    return str(int(value))  # type: ignore[call-overload]


def _expected(refusal: rules.Refusal | None) -> str | None:
    if refusal is None:
        return None
    return f"{refusal.error}: " + ", ".join(_abi_text(a) for a in refusal.args)


def _ints(values: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _verdict(step: Any) -> rules.Refusal | Any:
    """Runs a model step: its refusal, or its result."""
    try:
        return step()
    except rules.Refused as refused:
        return refused.refusal


class Sequence:
    def __init__(self, registry: Any, game: Any, vault: Any, owner: Any) -> None:
        self.registry, self.game, self.vault, self.owner = registry, game, vault, owner
        self.model = rules.Registry()
        self.nonces = dict.fromkeys(WALLETS, 0)
        self.time = int(chain[-1].timestamp)

    def _at(self, timestamp: int) -> None:
        self.time = max(timestamp, self.time + 1)
        _next_block_at(self.time)

    def jump(self, jump: tuple[Any, ...]) -> None:
        if jump[0] == "by":
            self.time += jump[1]
        elif jump[0] == "edge":
            self.time = max(self.time, rules.window_bounds(self.time, jump[1])[1] + jump[2] - 1)
        else:
            pending = [at for a in self.model.accounts.values() for _, at in a.pending.values()]
            if pending:
                self.time = max(self.time, max(pending) + jump[1] - 1)

    def check(self, action: tuple[Any, ...]) -> None:
        kind, *params = action
        if kind == "jump":
            self.jump(params[0])
            return
        self._at(self.time + 1)
        getattr(self, f"_{kind}")(*params)
        # ganache's clock runs on from where it was set; never set it back behind a mined block
        self.time = max(self.time, int(history[-1].timestamp))

    def _compare(self, message: str | None, outcome: Any, label: str) -> None:
        expected = _expected(outcome if isinstance(outcome, rules.Refusal) else None)
        assert message == expected, f"{label}: chain {message!r}, model {expected!r}"

    def _limit(self, index: int, token: int, kind: rules.LimitKind, window: rules.Window, value: int) -> None:
        wallet = accounts[index]
        tx, message, now = _send(self.registry.setLimit, TOKENS[token], kind, window, value, {"from": wallet})
        outcome = _verdict(lambda: self.model.set_limit(wallet.address, TOKENS[token], kind, window, value, now))
        self._compare(message, outcome, f"setLimit({index}, {token}, {kind!r}, {window!r}, {value})")
        person = self.model.person_of(wallet.address)
        expected = [(wallet.address, value, outcome[0])] + ([(person, value, outcome[1])] if person else [])
        assert [(e["player"], e["value"], e["effectiveAt"]) for e in tx.events["LimitSet"]] == expected

    def _stake(self, index: int, token: int, amount: int) -> None:
        wallet = accounts[index]
        clear = self.model.stake_is_clear(wallet.address, TOKENS[token])  # read before the stake applies anything
        tx, message, now = _send(self.registry.beforeStake, wallet, TOKENS[token], amount, {"from": self.game})
        outcome = _verdict(lambda: self.model.before_stake(wallet.address, TOKENS[token], amount, now))
        self._compare(message, outcome, f"beforeStake({index}, {token}, {amount})")
        if message is None:  # whether the stake's payouts are to be credited; whether a Vault may skip the next ask
            assert tuple(tx.return_value) == (outcome, clear), f"beforeStake({index}, {token}, {amount}) counted, clear"

    def _settle(self, index: int, token: int, paid_out: int) -> None:
        wallet = accounts[index]
        _, message, now = _send(self.registry.afterSettle, wallet, TOKENS[token], 0, paid_out, {"from": self.game})
        assert message is None, "afterSettle never reverts for the Vault"
        self.model.after_settle(wallet.address, TOKENS[token], paid_out, now)

    def _deposit(self, index: int, token: int, amount: int) -> None:
        wallet = accounts[index]
        _, message, now = _send(self.registry.beforeDeposit, wallet, TOKENS[token], amount, {"from": self.vault})
        outcome = _verdict(lambda: self.model.before_deposit(wallet.address, TOKENS[token], amount, now))
        self._compare(message, outcome, f"beforeDeposit({index}, {token}, {amount})")

    def _timeout(self, index: int, period: rules.TimeOut) -> None:
        wallet = accounts[index]
        tx, message, now = _send(self.registry.takeTimeOut, period, {"from": wallet})
        outcome = _verdict(lambda: self.model.take_time_out(wallet.address, period, now))
        self._compare(message, outcome, f"takeTimeOut({index}, {period!r})")
        if message is None:
            assert tx.events["TimeOutTaken"]["until"] == outcome

    def _exclude(self, index: int, duration: int | None) -> None:
        wallet = accounts[index]
        if duration is None:
            tx, message, now = _send(self.registry.selfExcludePermanently, {"from": wallet})
        else:
            tx, message, now = _send(self.registry.selfExclude, duration, {"from": wallet})
        outcome = _verdict(lambda: self.model.self_exclude(wallet.address, duration, now))
        self._compare(message, outcome, f"selfExclude({index}, {duration})")
        if message is None:
            assert tx.events["SelfExclusionSet"]["until"] == outcome

    def _attest(self, index: int, subject: int, level: int, lifetime: int) -> None:
        wallet = accounts[index]
        self.nonces[index] += 1
        expiry = self.time + lifetime
        struct, signature = _attestation(
            self.registry,
            wallet,
            level=level,
            expiry=expiry,
            nonce=self.nonces[index],
            issued_at=self.time,
            subject=SUBJECTS[subject],
        )
        _, message, now = _send(self.registry.attest, struct, signature, {"from": wallet})
        outcome = _verdict(lambda: self.model.attest(wallet.address, SUBJECTS[subject], level, expiry))
        self._compare(message, outcome, f"attest({index}, {subject}, {level})")

    def _revoke(self, index: int) -> None:
        _, message, _ = _send(self.registry.revokeAttestation, accounts[index], {"from": self.owner})
        assert message is None
        self.model.revoke(accounts[index].address)

    def _rule(self, token: int, threshold: int, level: int) -> None:
        _, message, _ = _send(self.registry.setKycRule, TOKENS[token], threshold, level, {"from": self.owner})
        assert message is None
        self.model.set_kyc_rule(TOKENS[token], threshold, level)

    def final_state(self) -> None:
        """Everything the registry's views report, at one block, against the model at its time."""
        self._at(self.time + 1)
        chain.mine()
        block = web3.eth.block_number
        now = int(chain[-1].timestamp)
        at = {"block_identifier": block}
        model = self.model
        for index in WALLETS:
            wallet = accounts[index].address
            assert self.registry.personOf(wallet, at) == (model.person_of(wallet) or "0x" + "00" * 20)
            excluded_until, timed_out_until = model.breaks(wallet)
            assert self.registry.exclusionEnd(wallet, at) == excluded_until
            assert self.registry.timeOutEnd(wallet, at) == timed_out_until
            for token in TOKENS:
                # per person once bound: the sum over the person's wallets the next stake adds to
                staked = model.kyc_staked_of(wallet, token, now)
                assert _ints(self.registry.kycStakedOf(wallet, token, at)) == (
                    staked,
                    *rules.window_bounds(now, rules.KYC_WINDOW),
                )
        for address, account in model.accounts.items():
            limited = {key[0] for key in (*account.limits, *account.pending)}
            for token in limited:
                for kind in rules.LimitKind:
                    for window in rules.Window:
                        pending = account.pending.get((token, kind, window))
                        pending_now = pending if pending and pending[1] > now else (0, 0)
                        expected = (account.limit(token, kind, window, now), *pending_now)
                        assert _ints(self.registry.limitOf(address, token, kind, window, at)) == expected
            for (token, window), count in account.stakes.items():
                fresh = count.epoch == rules.epoch(now, window)
                usage = _ints(self.registry.usageOf(address, token, window, at))
                assert usage[:2] == ((count.wagered, count.net_loss) if fresh else (0, 0))
                assert usage[2:] == rules.window_bounds(now, window)
            for (token, window), count in account.deposits.items():
                fresh = count.epoch == rules.epoch(now, window)
                assert self.registry.depositedOf(address, token, window, at)[0] == (count.deposited if fresh else 0)


@settings(
    max_examples=ganache_share(40, 2),  # ganache's clock differs from anvil's: half, not a quarter
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(actions, min_size=4, max_size=18))
def test_registry_agrees_with_the_python_rules(
    registry: Any, game: Any, vault: Any, owner: Any, steps: list[tuple[Any, ...]]
) -> None:
    sequence = Sequence(registry, game, vault, owner)
    for step in steps:
        sequence.check(step)
    sequence.final_state()
