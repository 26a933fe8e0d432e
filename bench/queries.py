"""Named queries on one Oxigraph store, warm, in one process: the figures of docs/bench.md's query tables.

The store is opened once (read-only, so a shared store is never written); each
named query runs through the one runner (:func:`kg.stores.runner.run`), as
``kg query`` runs it, without and with ``as_of``.  ``depends-on`` and
``agency-profile`` ask about the busiest agency (most lead + coordinating
roles, from agency-load's answer) and about "Sở Nội vụ, Hà Nội".
``--queries DIR`` runs the query files of another tree (e.g. the main
checkout's ``queries/``) instead of this tree's, for a before/after in one
process; ``--check DIR`` runs both and says whether every answer is equal.

    python bench/queries.py STORE --skip current-holder
    python bench/queries.py STORE --queries OTHER_CHECKOUT/queries --only depends-on

Each line printed is JSON (query, params, seconds: median of ``--repeat`` warm
runs after a first, rows, load: the 1-minute load average when it ran), then a
Markdown table.  Not part of the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# --tree DIR: import kg and queries from another checkout (e.g. the tree before a change), else this one.
_TREE = sys.argv[sys.argv.index("--tree") + 1] if "--tree" in sys.argv[:-1] else str(ROOT)
sys.path.insert(0, _TREE)

AS_OF = "2026-01-01"
DEADLINES = {"from": "2025-01-01", "to": "2025-12-31"}
HANOI = "Sở Nội vụ, Hà Nội"


def load_registry(directory: Path) -> dict[str, Any]:
    """The named queries of the ``queries`` package in *directory* (another tree's), by name."""
    spec = importlib.util.spec_from_file_location(
        f"queries_{abs(hash(directory))}", directory / "__init__.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.registry()


@contextmanager
def using(registry: dict[str, Any] | None) -> Iterator[None]:
    """Run the runner on *registry* (None: this tree's) for the duration."""
    import queries

    if registry is None:
        yield
        return
    saved = queries.registry
    queries.registry = lambda: registry  # type: ignore[assignment]
    try:
        yield
    finally:
        queries.registry = saved  # type: ignore[assignment]


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float, Any]:
    """First run's wall time; median wall and CPU time of *repeat* more (the first's when *repeat* is 0);
    the last value.  CPU time because the machine is shared: Oxigraph answers in the calling thread."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        value = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    if not walls:
        return first, first, first_cpu, value
    return first, statistics.median(walls), statistics.median(cpus), value


def cases(busiest: str) -> list[tuple[str, str, dict[str, str]]]:
    """(label, query, params) for every named query, without and with ``as_of``."""
    base: list[tuple[str, str, dict[str, str]]] = [
        ("agency-load", "agency-load", {}),
        ("depends-on (busiest)", "depends-on", {"agency": busiest}),
        ("depends-on (Sở Nội vụ, Hà Nội)", "depends-on", {"agency": HANOI}),
        ("agency-profile (busiest)", "agency-profile", {"agency": busiest}),
        ("agency-profile (Sở Nội vụ, Hà Nội)", "agency-profile", {"agency": HANOI}),
        ("deadlines (2025)", "deadlines", DEADLINES),
        ("co-responsibility", "co-responsibility", {}),
        ("plan-summary", "plan-summary", {}),
        ("document-chain", "document-chain", {}),
        ("audit-findings", "audit-findings", {}),
        ("reports-to", "reports-to", {}),
        ("requests", "requests", {}),
        ("standing-agency", "standing-agency", {}),
    ]
    out = []
    for label, name, params in base:
        out.append((label, name, params))
        out.append((f"{label}, as of", name, {**params, "as_of": AS_OF}))
    out.append(("current-holder (as of)", "current-holder", {"as_of": AS_OF}))
    return out


def busiest_agency(backend: Any) -> tuple[str, str]:
    """Id and name of the agency with the most lead + coordinating roles (agency-load's counts)."""
    from kg.stores.runner import run

    rows = run(backend, "agency-load", {})
    top = max(rows, key=lambda r: (r["lead"] + r["coordinating"], r["id"]))
    return top["id"], top["agency"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--queries", type=Path, help="run the query files of this queries/ folder")
    ap.add_argument("--check", type=Path, help="also run this queries/ folder's files and compare answers")
    ap.add_argument("--repeat", type=int, default=2, help="warm runs after the first (median)")
    ap.add_argument(
        "--slow", type=float, default=5.0, help="a first run past this many seconds is not repeated"
    )
    ap.add_argument("--only", nargs="*", default=None, help="query names to run")
    ap.add_argument("--skip", nargs="*", default=[], help="query names not to run")
    ap.add_argument("--busiest", help="agency id to ask about (default: found from agency-load)")
    ap.add_argument("--tree", help="import kg and queries from this checkout instead of this one")
    args = ap.parse_args(argv)

    from kg.stores import rdf
    from kg.stores.runner import run

    store = rdf.open_store(args.store)
    backend = rdf.OxigraphBackend(engine=store)
    records = backend.agencies()  # read once, as kg.api does for an opened store
    backend = rdf.OxigraphBackend(engine=store, records=lambda: records)
    mine = load_registry(args.queries) if args.queries else None
    other = load_registry(args.check) if args.check else None
    busiest = args.busiest or busiest_agency(backend)[0]
    code = str(Path(rdf.__file__).parents[2])
    print(
        json.dumps({"store": str(args.store), "code": code, "busiest": busiest, "load": os.getloadavg()[0]}),
        flush=True,
    )
    table = []
    for label, name, params in cases(busiest):
        if (args.only is not None and name not in args.only) or name in args.skip:
            continue
        with using(mine):
            first, warm, cpu, rows = timed(lambda n=name, p=params: run(backend, n, p), 0)
            if first < args.slow:
                _, warm, cpu, rows = timed(lambda n=name, p=params: run(backend, n, p), args.repeat)
        line: dict[str, Any] = {
            "query": label,
            "first": round(first, 3),
            "seconds": round(warm, 3),
            "cpu": round(cpu, 3),
            "rows": len(rows),
            "load": os.getloadavg()[0],
        }
        if other is not None:
            with using(other):
                start = time.perf_counter()
                theirs = run(backend, name, params)
                line["other"] = round(time.perf_counter() - start, 3)
            line["equal"] = theirs == rows
        print(json.dumps(line, ensure_ascii=False), flush=True)
        table.append(line)
    print("\n| query | rows | first | warm | warm CPU | load |" + (" other | equal |" if other else ""))
    print("|---|---:|---:|---:|---:|---:|" + ("---:|---|" if other else ""))
    for t in table:
        extra = f" {t['other']:.2f} s | {t['equal']} |" if other else ""
        print(
            f"| {t['query']} | {t['rows']:,} | {t['first']:.2f} s | {t['seconds']:.2f} s | {t['cpu']:.2f} s "
            f"| {t['load']:.1f} |{extra}"
        )
    return 0 if all(t.get("equal", True) for t in table) else 1


if __name__ == "__main__":
    sys.exit(main())
