"""The `fairstake` command line. Subcommands live next to the code they drive and are
mounted here, so this module stays the only place that knows the whole command tree."""

from __future__ import annotations

import os
import subprocess
import sys

import typer

from fairstake import PROJECT_ROOT

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Fairstake platform tooling.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks: print figures, end with one JSON line.")
app.add_typer(bench_app, name="bench")


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
    extra: list[str] = typer.Argument(None, help="Extra arguments passed to pytest (after --)."),
) -> None:
    """Run every test: the whole suite on anvil, and the contract suite again on ganache."""
    if soak:
        os.environ["FAIRSTAKE_SOAK"] = "1"
    wanted = [c.strip() for c in chains.split(",") if c.strip()]
    unknown = set(wanted) - {"anvil", "ganache"}
    if unknown:
        typer.echo(f"error: unknown chain(s): {', '.join(sorted(unknown))}", err=True)
        raise typer.Exit(2)
    extra = list(extra or [])
    failed = False
    if "anvil" in wanted:
        failed |= _pytest(["tests", *extra]) != 0
    if "ganache" in wanted:
        failed |= _pytest(["tests/contracts", "--network", "ganache-cli", *extra]) != 0
    raise typer.Exit(1 if failed else 0)


@bench_app.command("gas")
def bench_gas_command(
    chain: str = typer.Option("anvil", help="Local chain to measure on: anvil or ganache."),
) -> None:
    """Gas used by the Vault's deposits, withdrawals, locks, settles, refunds, pools and LP moves."""
    from fairstake.bench.gas import report

    report(chain)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
