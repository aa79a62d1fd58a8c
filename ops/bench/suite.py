"""The benchmark suite: each entry names a function returning a flat dict of figures.

`fairstake bench <name>` runs one and prints its figures ending with one JSON line;
`fairstake bench all` runs them all and writes reports/bench.{json,md} and the README table.
"""

from __future__ import annotations

import json
from typing import Any

from ops.bench.report import Bench


def _vrf() -> dict[str, Any]:
    from ops.bench.oracle_latency import measure_request_to_fulfil_latency
    from ops.bench.vrf import measure_vrf
    from ops.bench.vrf_gas import vrf_gas

    figures: dict[str, Any] = dict(measure_vrf())
    figures.update(vrf_gas())
    figures.update(measure_request_to_fulfil_latency())
    return figures


def _indexer() -> dict[str, Any]:
    from ops.bench.indexer import run_bench

    return run_bench(events=100_000, api_seconds=10.0, concurrency=32, workers=2, postgres=True)


BENCHES: dict[str, Bench] = {
    b.name: b
    for b in (
        Bench("vrf", "ops.bench.suite:_vrf", "ECVRF prove/verify speed, verification and fulfil gas, latency"),
        Bench("gas", "ops.bench.gas:gas_table", "gas of every platform operation"),
        Bench("indexer", "ops.bench.suite:_indexer", "indexer backfill rates, live lag, API throughput"),
        Bench("load", "ops.bench.load:run_load", "concurrent players on 1 s blocks: throughput, latency, RSS"),
    )
}


def print_figures(name: str, figures: dict[str, Any]) -> None:
    width = max((len(k) for k in figures), default=0)
    print(f"== bench {name}")
    for key, value in figures.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else (f"{value:,}" if isinstance(value, int) else value)
        print(f"{key:<{width}}  {shown}")
    print(json.dumps({"bench": name, **figures}, default=str))
