"""How long loading plans into Neo4j takes: 1, 100 and 1,000 generated plans (a benchmark, not a test).

With ``--corpus DIR`` (a folder of plans, e.g. ``kg synth --plans 10000``): a FRESH database of the
project's server (``scripts/neo4j.sh``; NEO4J_BOLT_PORT, NEO4J_HEAP) through each ``--path``: ``load``
(the server restarted empty, then ``kg neo4j load DIR``) and ``import`` (``kg neo4j import DIR``: stop,
neo4j-admin import, start), each timed as a fresh process with its own report (client peak RSS), then
every named Cypher query warm (median of 3 when under 5 s; depends-on and agency-profile for the agency
leading the most tasks), with the load average beside each figure; results in
``bench/results/neo4j_scale.json``::

    NEO4J_BOLT_PORT=7791 NEO4J_HEAP=3g NEO4J_URI=bolt://127.0.0.1:7791 \
        .venv/bin/python bench/neo4j_load.py --corpus /path/plans --path import load

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


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _kg(*args: str) -> tuple[float, float, str]:
    """Run ``kg ARGS`` as a fresh process: seconds, CPU seconds (its workers and the JVMs it ran
    included: a figure less at the mercy of other jobs on a shared machine) and its report (last line)."""
    import subprocess

    code = "import sys; from kg.cli import main; sys.argv[0] = 'kg'; sys.exit(main())"
    t0, c0 = time.perf_counter(), _cpu()
    p = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True)
    secs, cpu = time.perf_counter() - t0, _cpu() - c0
    if p.returncode:
        raise SystemExit(f"kg {' '.join(args)} failed: {p.stderr.strip()[-2000:]}")
    return secs, cpu, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""


def _queries(driver, settings) -> list[dict]:
    from queries import registry

    # The agency leading the most tasks, by its name (which may denote one agency per province) and by id.
    busiest = driver.execute_query(
        "MATCH (a:Agency)-[:LEADS]->(t:Task) RETURN a.name AS name, a.id AS id, count(t) AS n "
        "ORDER BY n DESC LIMIT 1",
        database_=settings.database,
    ).records[0]
    out = []
    for name, q in sorted(registry().items()):
        if not q.cypher:
            continue
        runs = [{}]
        if name in {"depends-on", "agency-profile"}:
            runs = [{"agency": busiest["name"]}, {"agency": busiest["id"]}]
        for params in runs:
            load = _load_average()
            first, rows = timed(run_named, name, params, driver=driver, settings=settings)
            times = [first]
            if first < 5:
                times = [
                    timed(run_named, name, params, driver=driver, settings=settings)[0] for _ in range(3)
                ]
            row = {"query": name, "params": params, "first_s": round(first, 3)}
            row |= {"warm_s": round(statistics.median(times), 3), "rows": len(rows), "load": load}
            out.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return out


def queries_only() -> int:
    """The named queries on whatever the server holds now."""
    settings = Neo4jSettings.from_env()
    with connect(settings) as driver:
        _queries(driver, settings)
    return 0


def scale(corpus: Path, paths: list[str], queries: bool = True) -> int:
    """Fresh Neo4j databases from *corpus* through each of *paths*, and the named queries on each."""
    import subprocess

    script = ROOT / "scripts" / "neo4j.sh"
    settings = Neo4jSettings.from_env()
    plans = sum(1 for _ in corpus.glob("*.txt"))
    results = []
    for path in paths:
        before = _load_average()
        if path == "load":
            subprocess.run(["bash", str(script), "stop"], check=True, capture_output=True)
            t0 = time.perf_counter()
            subprocess.run(["bash", str(script), "start"], check=True, capture_output=True)  # empty
            start = time.perf_counter() - t0
            secs, cpu, report = _kg("neo4j", "load", str(corpus), "-q")
            row = {"path": path, "plans": plans, "start_s": round(start, 2), "seconds": round(secs, 2)}
        else:
            secs, cpu, report = _kg("neo4j", "import", str(corpus), "-q")
            row = {"path": path, "plans": plans, "seconds": round(secs, 2)}
        row["cpu_s"] = round(cpu, 2)
        row |= {"report": report, "load_before": before, "load_after": _load_average()}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if queries:
            with connect(settings) as driver:
                row["queries"] = _queries(driver, settings)
        results.append(row)
    out = ROOT / "bench" / "results" / "neo4j_scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    out.write_text(json.dumps(old + results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1, 100, 1000])
    ap.add_argument("--runs", type=int, default=1, help="runs per size (median reported)")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--corpus", type=Path, help="a folder of plans: fresh databases through --path")
    ap.add_argument("--path", nargs="+", choices=["load", "import"], default=["import", "load"])
    ap.add_argument("--no-queries", action="store_true", help="with --corpus: time the loads only")
    ap.add_argument("--queries-only", action="store_true", help="the named queries on the server as it is")
    args = ap.parse_args()
    if args.queries_only:
        return queries_only()
    if args.corpus is not None:
        return scale(args.corpus, args.path, not args.no_queries)

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
