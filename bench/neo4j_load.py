"""How long loading plans into Neo4j takes: 1, 100 and 1,000 generated plans (a benchmark, not a test).

Usage (a server must be running, e.g. ``make neo4j``; the database is WIPED)::

    .venv/bin/python bench/neo4j_load.py            # 1 100 1000 plans
    .venv/bin/python bench/neo4j_load.py 1 10 --runs 3

For each size: generate the plans with :mod:`kg.synth` (seed 0), read them,
wipe the database, then time ``Neo4jSink.write`` (constraints + one
transaction per document), a second identical load (every MERGE finds its
node), a ``--replace`` load, and the ``agency-load`` named query.  Medians
of ``--runs`` runs; results are also written to ``bench/results/neo4j_load.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.stores.neo4j import Neo4jSettings, Neo4jSink, connect, exclusive, run_named  # noqa: E402
from kg.synth import write_corpus  # noqa: E402
from loaders import read_plans  # noqa: E402

OUR_LABELS = ["Agency", "Collective", "Document", "Plan", "Programme", "Resolution", "Task", "TaskGroup"]


def timed(f, *args, **kwargs) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = f(*args, **kwargs)
    return time.perf_counter() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1, 100, 1000])
    ap.add_argument("--runs", type=int, default=1, help="runs per size (median reported)")
    ap.add_argument("--batch-size", type=int, default=1000)
    args = ap.parse_args()

    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    foreign = driver.execute_query(
        "MATCH (n) WHERE none(l IN labels(n) WHERE l IN $ours) RETURN count(n) AS n",
        ours=OUR_LABELS,
        database_=settings.database,
    ).records[0]["n"]
    if foreign:
        print(f"refusing to wipe {settings.uri}: {foreign} nodes were not written by kg", file=sys.stderr)
        return 1
    version = driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v").records[
        0
    ]["v"]
    with exclusive(settings):  # tests on this machine wait instead of wiping our data
        sink = Neo4jSink(driver, settings.database, batch_size=args.batch_size)
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            for n in args.sizes:
                folder = Path(tmp) / str(n)
                write_corpus(n, folder, seed=0)
                read_s, result = timed(read_plans, [folder])
                first, again, replace, query = [], [], [], []
                for _ in range(args.runs):
                    sink.wipe()
                    first.append(timed(sink.write, result)[0])
                    again.append(timed(sink.write, result)[0])
                    replace.append(timed(sink.write, result, replace=True)[0])
                    query.append(timed(run_named, "agency-load", {}, driver=driver, settings=settings)[0])
                counts = sink.counts()
                # Someone else writing to the same server would make the figures meaningless.
                assert counts["Task"] == len({(t.document, t.id) for t in result.tasks}), counts
                rels = sum(v for k, v in counts.items() if k.isupper())
                row = {
                    "plans": n,
                    "tasks": len(result.tasks),
                    "nodes": sum(counts.get(k, 0) for k in ("Agency", "Document", "Task", "TaskGroup")),
                    "relationships": rels,
                    "read_s": round(read_s, 3),
                    "load_s": round(statistics.median(first), 3),
                    "reload_s": round(statistics.median(again), 3),
                    "replace_s": round(statistics.median(replace), 3),
                    "agency_load_query_s": round(statistics.median(query), 3),
                }
                row["tasks_per_s"] = round(row["tasks"] / row["load_s"])
                rows.append(row)
                print(json.dumps(row), flush=True)
        sink.wipe()
    driver.close()

    cols = list(rows[0])
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    out = ROOT / "bench" / "results" / "neo4j_load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "neo4j": version,
        "python": platform.python_version(),
        "runs": args.runs,
        "batch_size": args.batch_size,
    }
    out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT)} (Neo4j {version}, {args.runs} run(s) per size)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
