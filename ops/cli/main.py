"""The `fairstake` command line. Subcommands live next to the code they drive and are
mounted here, so this module stays the only place that knows the whole command tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from fairstake import PROJECT_ROOT
from ops.bench.indexer import bench_indexer_command
from ops.cli import fail
from ops.cli.api import api_command
from ops.cli.audit import audit_app
from ops.cli.index import index_command
from ops.cli.oracle import oracle_app
from ops.cli.sign import attest_app, referee_app
from ops.cli.vrf import vrf_app

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Fairstake platform tooling.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks: print figures, end with one JSON line.")
app.add_typer(bench_app, name="bench")
app.add_typer(audit_app, name="audit")
app.add_typer(vrf_app, name="vrf")
app.add_typer(oracle_app, name="oracle")
app.add_typer(referee_app, name="referee")
app.add_typer(attest_app, name="attest")


def _pytest(args: list[str]) -> int:
    env = dict(os.environ)
    env.setdefault("SOLCX_BINARY_PATH", str(PROJECT_ROOT / ".solcx"))
    env["PATH"] = f"{PROJECT_ROOT / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}"
    command = [sys.executable, "-m", "pytest", *args]
    typer.echo(f"$ {' '.join(command[1:])}", err=True)
    return subprocess.call(command, cwd=PROJECT_ROOT, env=env)


@app.command("test")
def test_command(
    soak: bool = typer.Option(False, "--soak", help="Long mode: many more stateful sequences and fault rounds."),
    chains: str = typer.Option("anvil,ganache", help="Chains for the contract suite (comma-separated)."),
    extra: Annotated[list[str] | None, typer.Argument(help="Extra arguments passed to pytest (after --).")] = None,
) -> None:
    """Run every test: the whole suite on anvil, and the contract suite again on ganache."""
    if soak:
        os.environ["FAIRSTAKE_SOAK"] = "1"
    wanted = [c.strip() for c in chains.split(",") if c.strip()]
    unknown = set(wanted) - {"anvil", "ganache"}
    if unknown:
        fail(f"unknown chain(s): {', '.join(sorted(unknown))}")
    extra = list(extra or [])
    # Paths among the extra arguments narrow the run; without any, everything runs.
    paths = [a for a in extra if not a.startswith("-") and (PROJECT_ROOT / a.split("::")[0]).exists()]
    options = [a for a in extra if a not in paths]
    failed = False
    if "anvil" in wanted:
        failed |= _pytest([*(paths or ["tests"]), *options]) != 0
    if "ganache" in wanted:
        contract_paths = [p for p in paths if p.startswith("tests/contracts")] if paths else ["tests/contracts"]
        if contract_paths:
            failed |= _pytest([*contract_paths, "--network", "ganache-cli", *options]) != 0
    raise typer.Exit(1 if failed else 0)


@bench_app.command("vrf")
def bench_vrf_command() -> None:
    """ECVRF: proofs/s, prove cost in scalar mults, verify and fulfil gas, request-to-fulfil latency."""
    from ops.bench.suite import BENCHES, print_figures

    print_figures("vrf", BENCHES["vrf"].load()())


@bench_app.command("gas")
def bench_gas_command() -> None:
    """Gas of every operation (Vault, Dice, Jackpot, Match, Tournament, protection) on a fresh deployment."""
    from ops.bench.suite import BENCHES, print_figures

    print_figures("gas", BENCHES["gas"].load()())


@bench_app.command("profile")
def bench_profile_command() -> None:
    """A Dice bet's place and settle callback gas by contract and cost class (opcode trace)."""
    from ops.bench.profile import profile_dice

    typer.echo(profile_dice())


@bench_app.command("load")
def bench_load_command(
    players: Annotated[int, typer.Option(min=1, max=14, help="Concurrent simulated players.")] = 8,
    seconds: Annotated[float, typer.Option(min=5, help="How long the players keep betting.")] = 60,
    block_time: Annotated[float, typer.Option(min=0.1, help="Seconds per block.")] = 1.0,
) -> None:
    """K concurrent players for T seconds on 1 s blocks: settled bets/s, latency, oracle/indexer RSS and CPU."""
    from ops.bench.load import run_load
    from ops.bench.suite import print_figures

    print_figures("load", run_load(players=players, seconds=seconds, block_time=block_time))


@bench_app.command("all")
def bench_all_command(
    only: Annotated[str, typer.Option(help="Rerun only these (comma-separated); others keep their last figures.")] = "",
) -> None:
    """Run every benchmark; write reports/bench.json and reports/bench.md; refresh the README table."""
    from ops.bench.report import merge_results, previous_results, update_readme, write_reports
    from ops.bench.suite import BENCHES, print_figures

    names = [n.strip() for n in only.split(",") if n.strip()] or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        fail(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    results = {}
    for name in names:
        results[name] = BENCHES[name].load()()
        print_figures(name, results[name])
    if only:
        results = merge_results(previous_results(), results, list(BENCHES))
    json_path, md_path = write_reports(results)
    typer.echo(f"wrote {json_path} and {md_path}")
    if update_readme(results):
        typer.echo("README benchmark table updated")


def _live_role(role: str, variable: str) -> Any:
    """The option naming a live deployment's `role` account: an address or a keystore, or the
    environment's `variable`."""
    return typer.Option(help=f"Live: the {role} (address or keystore; or {variable}).")


@app.command("up")
def up_command(
    chain: Annotated[str, typer.Option(help="Local chain: anvil or ganache.")] = "anvil",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Local chain RPC port.")] = 8545,
    api_port: Annotated[int, typer.Option(min=1, max=65535, help="API, indexer and web client port.")] = 8000,
    players: Annotated[int, typer.Option(min=2, max=14, help="Simulated players.")] = 6,
    bets: Annotated[int, typer.Option(min=0, max=1000, help="Dice bets per simulated player.")] = 6,
    block_time: Annotated[float, typer.Option(min=0, help="Seconds per block (0: mine on every transaction).")] = 0,
    exit_when_done: Annotated[bool, typer.Option("--exit-when-done", help="Stop after the summary.")] = False,
    simulate: Annotated[bool, typer.Option("--simulate/--no-simulate", help="Run the simulated players.")] = True,
    data_dir: Annotated[
        Path | None, typer.Option(help="Run folder: manifest, keys, index, logs (default .data/platform).")
    ] = None,
    rpc: Annotated[
        str | None, typer.Option(help="Deploy to this external JSON-RPC URL instead of a local chain.")
    ] = None,
    deployer_keystore: Annotated[
        Path | None,
        typer.Option(help="Funded deployer keystore for --rpc (password from FAIRSTAKE_DEPLOYER_PASSWORD)."),
    ] = None,
    referee: Annotated[str | None, _live_role("skill-result referee", "FAIRSTAKE_REFEREE_ACCOUNT")] = None,
    attestor: Annotated[str | None, _live_role("KYC attestor", "FAIRSTAKE_ATTESTOR_ACCOUNT")] = None,
    timelock_delay: Annotated[
        int | None,
        typer.Option(min=0, help="Timelock delay in seconds (live: default 172800 = 2 days, at least 1 day)."),
    ] = None,
) -> None:
    """Run the whole platform: chain, contracts, oracle, indexer + API, web client, simulated players."""
    from ops.platform import UpOptions, run_platform

    if chain not in ("anvil", "ganache"):
        fail(f"--chain must be anvil or ganache, not {chain!r}")
    if deployer_keystore is not None and rpc is None:
        fail("--deployer-keystore goes with --rpc")
    if deployer_keystore is None and (referee or attestor):
        fail("--referee and --attestor go with --rpc and --deployer-keystore")
    if deployer_keystore is not None:
        from ops.deployment import DeploymentError, live_settings

        try:  # refuse an unsafe live deployment before starting anything
            live_settings(deployer_keystore, referee=referee, attestor=attestor, timelock_delay=timelock_delay)
        except DeploymentError as exc:
            fail(str(exc))
    options = UpOptions(
        chain=chain,
        port=port,
        api_port=api_port,
        players=players,
        bets_per_player=bets,
        block_time=block_time,
        exit_when_done=exit_when_done,
        simulate=simulate,
        rpc=rpc,
        deployer_keystore=deployer_keystore,
        referee=referee,
        attestor=attestor,
        timelock_delay=timelock_delay,
    )
    if data_dir is not None:
        options.data_dir = data_dir
    raise typer.Exit(run_platform(options))


# Indexer and API (backend/).
app.command("index")(index_command)
app.command("api")(api_command)
bench_app.command("indexer")(bench_indexer_command)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
