"""`fairstake bench all`: run every benchmark, write one JSON and one Markdown report, and
regenerate the README's benchmark table from them (between the bench markers).

Every benchmark is a function returning a flat dict of figures; the individual
`fairstake bench X` commands print the same dicts, ending with one JSON line.
"""

from __future__ import annotations

import importlib
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fairstake import PROJECT_ROOT

REPORT_DIR = PROJECT_ROOT / "reports"
README = PROJECT_ROOT / "README.md"
START_MARK = "<!-- bench:start -->"
END_MARK = "<!-- bench:end -->"


@dataclass(frozen=True)
class Goal:
    """A goal from the issues: `figure` compared against `limit` with `op` ('<=' or '>=')."""

    figure: str
    op: str
    limit: float

    def met(self, value: float) -> bool:
        return value <= self.limit if self.op == "<=" else value >= self.limit

    def describe(self) -> str:
        return f"{self.op} {self.limit:g}"


GOALS: dict[str, Goal] = {
    g.figure: g
    for g in (
        Goal("prove_cost_in_scalar_mults", "<=", 8),
        Goal("verify_gas", "<=", 80_000),
        Goal("fulfil_gas_single", "<=", 130_000),
        Goal("fulfil_gas_per_request_batch20", "<=", 100_000),
        Goal("dice_place", "<=", 130_000),
        Goal("dice_fulfil_tx", "<=", 130_000),
        Goal("dice_settle_callback", "<=", 45_000),
        Goal("dice_multi_10_per_roll", "<=", 25_000),
        Goal("dice_multi_100_per_roll", "<=", 3_000),
        Goal("registry_before_stake_unlimited", "<=", 5_000),
        Goal("backfill_events_per_s_sqlite", ">=", 20_000),
        Goal("backfill_ratio_sqlite", ">=", 0.5),
        Goal("api_rps", ">=", 2_000),
        Goal("api_p99_ms", "<=", 20),
    )
}


@dataclass(frozen=True)
class Bench:
    name: str
    target: str  # "module:function" returning dict[str, Any]
    description: str

    def load(self) -> Callable[..., dict[str, Any]]:
        module, _, attr = self.target.partition(":")
        fn: Callable[..., dict[str, Any]] = getattr(importlib.import_module(module), attr)
        return fn


def write_reports(results: dict[str, dict[str, Any]], out_dir: Path = REPORT_DIR) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    }
    json_path = out_dir / "bench.json"
    json_path.write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str))
    md_path = out_dir / "bench.md"
    md_path.write_text(markdown_report(results, meta))
    return json_path, md_path


def previous_results(out_dir: Path = REPORT_DIR) -> dict[str, dict[str, Any]]:
    """The results of the last report written to `out_dir` (empty when there is none or it is unreadable)."""
    try:
        results = json.loads((out_dir / "bench.json").read_text())["results"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return results if isinstance(results, dict) else {}


def merge_results(
    previous: dict[str, dict[str, Any]], fresh: dict[str, dict[str, Any]], order: list[str]
) -> dict[str, dict[str, Any]]:
    """`previous` with the benchmarks in `fresh` replaced, in the suite's order: a partial run
    (`--only`) refreshes its rows and keeps every other benchmark's last figures."""
    merged = {**previous, **fresh}
    known = [name for name in order if name in merged]
    return {name: merged[name] for name in known + [n for n in merged if n not in order]}


def markdown_table(results: dict[str, dict[str, Any]]) -> str:
    rows = ["| benchmark | figure | value | goal | met |", "|---|---|---|---|---|"]
    for bench, figures in results.items():
        for figure, value in figures.items():
            goal = GOALS.get(figure)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            met = ("yes" if goal.met(float(value)) else "no") if goal and numeric else ""
            shown = f"{value:,.2f}" if isinstance(value, float) else (f"{value:,}" if numeric else str(value))
            rows.append(f"| {bench} | {figure} | {shown} | {goal.describe() if goal else ''} | {met} |")
    return "\n".join(rows)


def markdown_report(results: dict[str, dict[str, Any]], meta: dict[str, str]) -> str:
    return (
        "# Fairstake benchmark report\n\n"
        f"Generated {meta['generated_at']} on {meta['machine']} by `fairstake bench all`.\n\n"
        + markdown_table(results)
        + "\n"
    )


def update_readme(results: dict[str, dict[str, Any]], readme: Path = README) -> bool:
    """Replace the table between the bench markers; False when the README has no markers."""
    text = readme.read_text()
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        return False
    table = markdown_table(results)
    readme.write_text(text[: start + len(START_MARK)] + "\n" + table + "\n" + text[end:])
    return True
