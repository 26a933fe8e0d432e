"""Benchmarks: generated corpora of 1 … 10,000 plans through every phase that exists (``make bench``).

Each configuration (phase × size) runs in its own process, so its peak RSS
is its own (``os.wait4`` returns the child's ``ru_maxrss``) and a timeout
stops it without losing the others.  Phases plug in by name (``PHASES``);
a phase whose optional package is not installed is skipped with a note, and
a phase whose module is broken stops the run.  Results go to
``bench/results/`` (JSON and Markdown) and the Markdown is printed.

    python bench/run.py --sizes "1 100 1000" --timeout 600

Not part of the test suite.  See bench/README.md for the columns.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
RESULTS = ROOT / "bench" / "results"
DEFAULT_SIZES = (1, 100, 1000, 10000)
KG = str(Path(sys.executable).with_name("kg"))
DEADLINE_WINDOW = ("2025-01-01", "2025-12-31")


# --------------------------------------------------------------------------------------------------
# Corpora


def corpus(plans: int, seed: int) -> Path:
    """The generated corpus of *plans* plans, written once under .cache/bench/."""
    from kg.synth import write_corpus

    out = CACHE / f"plans-{plans}-seed-{seed}"
    if (out / ".complete").exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".plans-{plans}-", dir=CACHE))
    start = time.perf_counter()
    size = write_corpus(plans, tmp, seed=seed)
    (tmp / ".complete").write_text(
        json.dumps({"plans": plans, "seed": seed, "bytes": size, "seconds": time.perf_counter() - start})
        + "\n",
        encoding="utf-8",
    )
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


# --------------------------------------------------------------------------------------------------
# Query parameters: the same question for every engine.


def query_params(busiest: str) -> dict[str, dict[str, str]]:
    """Parameters per named query; *busiest* is the id of the agency with the most tasks."""
    return {
        "depends-on": {"agency": busiest},
        "agency-profile": {"agency": busiest},
        "deadlines": {"from": DEADLINE_WINDOW[0], "to": DEADLINE_WINDOW[1]},
    }


def _timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median wall time of *repeat* calls, and the last value."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def emit(**fields: Any) -> None:
    """One result line for the parent (stdout, JSON); printed as soon as known, so a timeout keeps it."""
    print(json.dumps(fields, ensure_ascii=False, default=str), flush=True)


# --------------------------------------------------------------------------------------------------
# Child phases (run as `python bench/run.py --child NAME ...`).


def _read(corpus_dir: Path):
    from loaders import read_plans

    seconds, result = _timed(lambda: read_plans([corpus_dir]))
    emit(
        metric="read",
        seconds=seconds,
        documents=len(result.documents),
        tasks=len(result.tasks),
        agencies=len(result.agencies()),
        warnings=len(result.warnings),
    )
    return result


def child_read(corpus_dir: Path, work: Path, params: dict[str, Any]) -> None:
    _read(corpus_dir)


def child_networkx(corpus_dir: Path, work: Path, params: dict[str, Any]) -> None:
    from kg.graph import metrics
    from kg.graph.network import build_graph

    result = _read(corpus_dir)
    seconds, G = _timed(lambda: build_graph(result))
    emit(metric="build", seconds=seconds, nodes=G.number_of_nodes(), edges=G.number_of_edges())
    top = metrics.agency_load(G)
    emit(metric="busiest", id=top[0]["id"] if top else None, name=top[0]["agency"] if top else None)
    busiest = top[0]["id"] if top else ""
    start, end = (datetime.fromisoformat(d).date() for d in DEADLINE_WINDOW)
    calls = {
        "agency-load": lambda: metrics.agency_load(G),
        "depends-on": lambda: metrics.depends_on(G, [busiest]),
        "co-responsibility": lambda: metrics.co_responsibility(G),
        "deadlines": lambda: metrics.deadlines(G, start=start, end=end),
        "agency-profile": lambda: metrics.agency_profile(G, [busiest]),
        "plan-summary": lambda: metrics.plan_summary(G),
        "document-chain": lambda: metrics.document_chain(G),
    }
    for name, call in calls.items():
        seconds, rows = _timed(call, repeat=params.get("repeat", 3))
        emit(metric="query", query=name, seconds=seconds, rows=len(rows))


class _QueryBound(Exception):
    """A query ran past its own time bound (``--query-timeout``)."""


def _bounded(fn: Callable[[], Any], seconds: float) -> Callable[[], Any]:
    """*fn* stopped by SIGALRM after *seconds* (0: no bound); rdflib is pure Python, so the alarm interrupts it."""
    if not seconds:
        return fn

    def run() -> Any:
        def stop(signum: int, frame: Any) -> None:
            raise _QueryBound

        old = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)

    return run


def _run_queries(
    engine_rows: Callable[[str, dict[str, str]], list], params: dict[str, Any], repeat: int, bound: float = 0
) -> None:
    from queries import registry

    for name, q in registry().items():
        if not q.sparql:
            continue
        args = query_params(params["busiest"]).get(name, {})
        try:
            first, rows = _timed(_bounded(lambda n=name, a=args: engine_rows(n, a), bound))
        except _QueryBound:
            # A lower bound, not a figure: the next query still runs.
            emit(metric="query", query=name, seconds=None, stopped_after=bound)
            continue
        warm = first
        if repeat > 1 and first < 5:
            warm, rows = _timed(lambda n=name, a=args: engine_rows(n, a), repeat=repeat)
        emit(metric="query", query=name, seconds=warm, first=first, rows=len(rows))


def child_rdf(corpus_dir: Path, work: Path, params: dict[str, Any]) -> None:
    """Read, build the Oxigraph store, then every named query warm (same process)."""
    from kg import pipeline
    from kg.stores import rdf
    from kg.stores.runner import run

    result = _read(corpus_dir)
    store = work / "store"
    seconds, counts = _timed(lambda: pipeline.build([result], store))
    emit(metric="build", seconds=seconds, quads=counts["quads"], bytes=_du(store))
    opened = rdf.open_store(store)
    _run_queries(
        lambda n, a: run(rdf.OxigraphBackend(engine=opened), n, a),
        params,
        params.get("repeat", 3),
        params.get("query_timeout", 0),
    )


def child_rdflib(corpus_dir: Path, work: Path, params: dict[str, Any]) -> None:
    """The same quads in plain rdflib (the default in-memory store), the same query files unchanged.

    The quads are those the Oxigraph build wrote (built here first, not timed): the rdflib build
    is ``kg.stores.rdf.to_dataset``, i.e. parsing the store's N-Quads into ``Dataset(default_union=True)``.
    """
    import gc

    from kg import pipeline
    from kg.stores import rdf
    from kg.stores.runner import run

    result = _read(corpus_dir)
    store = work / "store"
    pipeline.build([result], store)
    del result
    gc.collect()
    seconds, ds = _timed(lambda: rdf.to_dataset(store))
    emit(metric="build", seconds=seconds, quads=len(ds))
    _run_queries(
        lambda n, a: run(rdf.OxigraphBackend(engine=ds), n, a), params, 1, params.get("query_timeout", 0)
    )


def child_neo4j(corpus_dir: Path, work: Path, params: dict[str, Any]) -> None:
    """Read (with the body audits), load into the Neo4j server at NEO4J_URI (WIPED first), every named
    Cypher query warm.  The load is ``kg neo4j load``'s: constraints, one transaction per document."""
    from kg.pipeline import audits_of
    from kg.stores.neo4j import Neo4jBackend, Neo4jSettings, Neo4jSink, connect, exclusive
    from kg.stores.runner import run

    result = _read(corpus_dir)
    audits = audits_of(result)
    settings = Neo4jSettings.from_env()
    with connect(settings) as driver, exclusive(settings):
        sink = Neo4jSink(driver, settings.database)
        sink.wipe()
        seconds, _ = _timed(lambda: sink.write(result, audits=audits))
        counts = sink.counts()
        emit(
            metric="build",
            seconds=seconds,
            nodes=sum(v for k, v in counts.items() if not k.isupper()),
            relationships=sum(v for k, v in counts.items() if k.isupper()),
        )
        _run_queries(
            lambda n, a: run(Neo4jBackend(settings, driver=driver), n, a), params, params.get("repeat", 3)
        )
        sink.wipe()


def _neo4j_available() -> str | None:
    """The phase WIPES the database: it runs only against a server named explicitly by NEO4J_URI that
    holds nothing but this project's nodes (as bench/neo4j_load.py checks)."""
    if not os.environ.get("NEO4J_URI"):
        return "set NEO4J_URI to a scratch server (it is wiped), e.g. NEO4J_BOLT_PORT=7697 scripts/neo4j.sh start"
    reason = _available("kg.stores.neo4j", "Neo4jSink", "run_named")
    if reason:
        return reason
    from kg.stores import StoreError
    from kg.stores.neo4j import Neo4jSettings, connect

    sys.path.insert(0, str(ROOT / "bench"))
    from neo4j_load import OUR_LABELS

    settings = Neo4jSettings.from_env()
    try:
        with connect(settings) as driver:
            foreign = driver.execute_query(
                "MATCH (n) WHERE none(l IN labels(n) WHERE l IN $ours) RETURN count(n) AS n",
                ours=[*OUR_LABELS, "AuditFinding", "BodyAssignment"],
                database_=settings.database,
            ).records[0]["n"]
    except (StoreError, OSError, Exception) as e:  # unreachable, refused: skip with the reason
        return f"{settings.uri} not usable: {str(e).splitlines()[0] if str(e) else type(e).__name__}"
    return f"{settings.uri} holds {foreign} nodes not written by kg; not wiping it" if foreign else None


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


CHILDREN = {
    "read": child_read,
    "networkx": child_networkx,
    "rdf": child_rdf,
    "rdflib": child_rdflib,
    "neo4j": child_neo4j,
}


# --------------------------------------------------------------------------------------------------
# Parent: processes with a time bound and their peak RSS.


def run_process(argv: list[str], timeout: float) -> dict[str, Any]:
    """Run *argv*; its wall time, peak RSS (MB), exit status and stdout lines; killed after *timeout*."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT, start_new_session=True)
        waited: list[tuple[int, int, Any]] = []
        # wait4 in a thread gives this child's own rusage; the join bounds the time.
        waiter = threading.Thread(target=lambda: waited.append(os.wait4(proc.pid, 0)), daemon=True)
        waiter.start()
        waiter.join(timeout)
        timed_out = waiter.is_alive()
        if timed_out:
            os.killpg(proc.pid, signal.SIGKILL)
            waiter.join()
        _, status, usage = waited[0]
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return {
        "wall": wall,
        "rss_mb": usage.ru_maxrss / 1024,
        "status": proc.returncode,
        "timed_out": timed_out,
        "lines": [json.loads(x) for x in stdout.splitlines() if x.startswith("{")],
        "stdout": stdout,
        "stderr": stderr[-2000:],
    }


def run_child(phase: str, corpus_dir: Path, params: dict[str, Any], timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"bench-{phase}-") as work:
        argv = [sys.executable, __file__, "--child", phase, "--corpus", str(corpus_dir), "--work", work]
        argv += ["--params", json.dumps(params)]
        return run_process(argv, timeout)


def rdf_cli(corpus_dir: Path, params: dict[str, Any], timeout: float) -> dict[str, Any]:
    """`kg build` from the text files (a fresh process), then every named query cold: `kg query NAME --store`."""
    from queries import registry

    out: dict[str, Any] = {"lines": []}
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as work:
        store = Path(work) / "store"
        build = run_process([KG, "build", str(corpus_dir), "--store", str(store), "-q"], timeout)
        out.update({k: build[k] for k in ("wall", "rss_mb", "status", "timed_out", "stderr")})
        if build["status"] != 0:
            return out
        out["bytes"] = _du(store)
        for name, q in registry().items():
            if not q.sparql:
                continue
            argv = [KG, "query", name, "--store", str(store), "--format", "json"]
            for k, v in query_params(params["busiest"]).get(name, {}).items():
                argv += ["--param", f"{k}={v}"]
            bound = params.get("query_timeout") or timeout
            runs = [run_process(argv, bound)]
            if runs[0]["timed_out"]:  # a lower bound, not a figure; the next query still runs
                out["lines"].append(
                    {"metric": "query", "query": name, "seconds": None, "stopped_after": bound}
                )
                continue
            # Repeat only quick runs: a slow cold query is measured once.
            while len(runs) < params.get("repeat", 3) and runs[0]["status"] == 0 and runs[0]["wall"] < 5:
                runs.append(run_process(argv, timeout))
            ok = all(r["status"] == 0 for r in runs)
            out["lines"].append(
                {
                    "metric": "query",
                    "query": name,
                    "seconds": statistics.median(r["wall"] for r in runs) if ok else None,
                    "rss_mb": max(r["rss_mb"] for r in runs),
                    "error": None if ok else runs[0]["stderr"].strip()[-300:],
                }
            )
    return out


def _available(module: str, *attrs: str) -> str | None:
    """None when *module* imports and has *attrs*; the reason to skip when a package it needs is not installed.

    Only a missing third-party package (an extra: the Neo4j driver…) skips a phase. A module of
    the project that does not import, or lacks what its phase calls, is a broken benchmark: the
    run stops and says why, rather than reporting a table without the phase.
    """
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        needed = (e.name or "").split(".")[0]
        if needed and needed not in _PROJECT:
            return f"{module} needs {e.name}, which is not installed"
        raise SystemExit(f"bench: {module} does not import: {e}") from e
    except Exception as e:
        raise SystemExit(f"bench: {module} does not import: {type(e).__name__}: {e}") from e
    missing = [a for a in attrs if not hasattr(mod, a)]
    if missing:
        raise SystemExit(f"bench: {module} lacks {', '.join(missing)}: the phase calls them")
    return None


_PROJECT = {"kg", "loaders", "queries", "viz", "ontology"}


def _cli_available() -> str | None:
    from kg.cli import COMMANDS

    missing = [c for c in ("build", "query") if c not in COMMANDS]
    return f"kg {' / '.join(missing)} not registered" if missing else _available("kg.pipeline", "build_files")


# name -> (why it cannot run, or None; how it runs)
PHASES: dict[str, tuple[Callable[[], str | None], str]] = {
    "read": (lambda: _available("loaders", "read_plans"), "child"),
    "networkx": (lambda: _available("kg.graph.network", "build_graph"), "child"),
    "rdf": (lambda: _available("kg.stores.rdf", "run_named", "open_store"), "child"),
    "rdf-cli": (_cli_available, "cli"),
    "rdflib": (
        lambda: _available("kg.stores.rdf", "to_dataset", "run_named") or _available("kg.pipeline", "build"),
        "child",
    ),
    "neo4j": (_neo4j_available, "child"),
}


def bench(
    sizes: list[int], seed: int, timeout: float, phases: list[str], repeat: int, query_timeout: float = 0
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        # Others may share the machine: its load average (1, 5, 15 min) before and after the run.
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "seed": seed,
        "timeout": timeout,
        "skipped": {},
        "runs": [],
    }
    for name in phases:
        reason = PHASES[name][0]()
        if reason:
            report["skipped"][name] = reason
            print(f"skip {name}: {reason}", file=sys.stderr)
    live = [p for p in phases if p not in report["skipped"]]
    for n in sizes:
        start = time.perf_counter()
        cdir = corpus(n, seed)
        print(f"[{n} plans] corpus ready ({time.perf_counter() - start:.1f} s): {cdir}", file=sys.stderr)
        params: dict[str, Any] = {"busiest": "", "repeat": repeat, "query_timeout": query_timeout}
        ordered = sorted(live, key=lambda p: p != "networkx")  # networkx first: it names the busiest agency
        for name in ordered:
            kind = PHASES[name][1]
            print(f"[{n} plans] {name} …", file=sys.stderr, flush=True)
            run = rdf_cli(cdir, params, timeout) if kind == "cli" else run_child(name, cdir, params, timeout)
            for line in run["lines"]:
                if line.get("metric") == "busiest" and line.get("id"):
                    params["busiest"] = line["id"]
            entry = {"plans": n, "phase": name, **{k: v for k, v in run.items() if k != "stdout"}}
            if run.get("timed_out"):
                entry["note"] = f"stopped after {timeout:.0f} s"
                print(f"[{n} plans] {name}: stopped after {timeout:.0f} s", file=sys.stderr)
            elif run.get("status"):
                print(
                    f"[{n} plans] {name}: exit {run['status']}: {run.get('stderr', '')[-400:]}",
                    file=sys.stderr,
                )
            report["runs"].append(entry)
        report.setdefault("busiest", {})[str(n)] = params["busiest"]
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return report


# --------------------------------------------------------------------------------------------------
# Reporting


def _metric(run: dict[str, Any] | None, metric: str, key: str = "seconds", query: str | None = None) -> Any:
    if not run:
        return None
    for line in run.get("lines", []):
        if line.get("metric") == metric and (query is None or line.get("query") == query):
            return line.get(key)
    return None


def _fmt(x: Any, unit: str = "s") -> str:
    if x is None:
        return "–"
    if unit == "s":
        return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"
    if unit == "x":
        return f"{x:.0f}×" if x >= 10 else f"{x:.1f}×"
    if unit == "MB":
        return f"{x:.0f} MB"
    if unit == "n":
        return f"{x:,}"
    return str(x)


def _ratio(a: Any, b: Any) -> float | None:
    return b / a if a and b else None


def markdown(report: dict[str, Any]) -> str:
    by = {(r["plans"], r["phase"]): r for r in report["runs"]}
    sizes = sorted({r["plans"] for r in report["runs"]})
    out = [
        f"Benchmark {report['started']} (Python {report['python']}, {report['cpus']} CPUs, seed {report['seed']}, "
        f"time bound {report['timeout']:.0f} s per configuration)",
        *(
            [
                f"Machine load average (1/5/15 min): {report['load_before']} before, {report.get('load_after')} after"
            ]
            if "load_before" in report
            else []
        ),
        "",
        "| plans | tasks | agencies | read | networkx build | Oxigraph build | quads | triples/s | store | "
        "`kg build` (text → store) | peak RSS `kg build` | rdflib build | rdflib/Oxigraph | peak RSS rdflib | "
        "Neo4j load | peak RSS Neo4j client |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n in sizes:
        read, nx_, ox_, cli, rl, n4 = (
            by.get((n, p)) for p in ("read", "networkx", "rdf", "rdf-cli", "rdflib", "neo4j")
        )
        read = read or nx_  # the networkx phase reads too
        build_s, quads = _metric(ox_, "build"), _metric(ox_, "build", "quads")
        rl_build = _metric(rl, "build")
        out.append(
            "| "
            + " | ".join(
                [
                    _fmt(n, "n"),
                    _fmt(_metric(read, "read", "tasks"), "n"),
                    _fmt(_metric(read, "read", "agencies"), "n"),
                    _fmt(_metric(read, "read")),
                    _fmt(_metric(nx_, "build")),
                    _fmt(build_s),
                    _fmt(quads, "n"),
                    _fmt(quads / build_s if quads and build_s else None, "n").split(".")[0],
                    _fmt(
                        _metric(ox_, "build", "bytes") / 1e6 if _metric(ox_, "build", "bytes") else None, "MB"
                    ),
                    (_fmt(cli["wall"]) if cli and cli.get("status") == 0 else _note(cli)),
                    _fmt(cli.get("rss_mb") if cli else None, "MB"),
                    _fmt(rl_build) if rl_build is not None else _note(rl),
                    _fmt(_ratio(build_s, rl_build), "x"),
                    _fmt(rl.get("rss_mb") if rl else None, "MB"),
                    _fmt(_metric(n4, "build")) if _metric(n4, "build") is not None else _note(n4),
                    _fmt(n4.get("rss_mb") if n4 else None, "MB"),
                ]
            )
            + " |"
        )
    out += [
        "",
        "Named queries: Oxigraph warm (same process, median of repeats), `kg query` cold (fresh process, "
        "wall time), plain rdflib (in-memory, same query text), ratio rdflib/Oxigraph warm, and the "
        "networkx reference function (kg.graph.metrics), and the named Cypher query on Neo4j (warm).",
        "",
        "| plans | query | Oxigraph warm | `kg query` cold | rdflib | rdflib/Oxigraph | networkx (kg.graph.metrics) "
        "| Neo4j |",
        "|---|---|---|---|---|---|---|---|",
    ]
    names: list[str] = []
    for r in report["runs"]:
        for line in r.get("lines", []):
            if line.get("metric") == "query" and line["query"] not in names:
                names.append(line["query"])
    for n in sizes:
        ox_, cli, rl, nx_, n4 = (by.get((n, p)) for p in ("rdf", "rdf-cli", "rdflib", "networkx", "neo4j"))
        for q in names:
            warm, rlq = _metric(ox_, "query", query=q), _metric(rl, "query", query=q)
            warm_cell, cold_cell = (_bounded_cell(r, q) for r in (ox_, cli))
            bound = _metric(rl, "query", "stopped_after", query=q)
            rl_cell = _fmt(rlq) if rlq is not None else ("stopped" if rl and rl.get("timed_out") else "–")
            ratio = _fmt(_ratio(warm, rlq), "x")
            if rlq is None and bound:
                # Stopped by --query-timeout: the rdflib time and the ratio are lower bounds.
                rl_cell, ratio = f"> {_fmt(bound)}", f"> {_fmt(_ratio(warm, bound), 'x')}" if warm else "–"
            out.append(
                f"| {n:,} | {q} | {warm_cell} | {cold_cell} | {rl_cell} | "
                f"{ratio} | {_fmt(_metric(nx_, 'query', query=q))} | {_fmt(_metric(n4, 'query', query=q))} |"
            )
    notes = [f"- {p}: skipped ({why})" for p, why in report["skipped"].items()]
    notes += [f"- {r['phase']} at {r['plans']:,} plans: {r['note']}" for r in report["runs"] if r.get("note")]
    notes += [
        f"- {r['phase']} at {r['plans']:,} plans: exit {r['status']}: {r.get('stderr', '').strip()[-200:]}"
        for r in report["runs"]
        if r.get("status") and not r.get("timed_out")
    ]
    if notes:
        out += ["", *notes]
    return "\n".join(out) + "\n"


def _bounded_cell(run: dict[str, Any] | None, query: str) -> str:
    """A query's time, or "> N s" when --query-timeout stopped it."""
    seconds = _metric(run, "query", query=query)
    bound = _metric(run, "query", "stopped_after", query=query)
    return f"> {_fmt(bound)}" if seconds is None and bound else _fmt(seconds)


def _note(run: dict[str, Any] | None, value: Any = None) -> str:
    if run is None:
        return "–"
    if run.get("timed_out"):
        return "stopped"
    if run.get("status"):
        return "failed"
    return _fmt(value)


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default=" ".join(map(str, DEFAULT_SIZES)), help='plan counts, e.g. "1 100 1000"'
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=900, help="seconds per configuration (phase × size)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per warm/cold query (median)")
    ap.add_argument("--phases", default=" ".join(PHASES), help="phases to run, by name")
    ap.add_argument(
        "--query-timeout",
        type=float,
        default=120,
        help="seconds per named query (plain rdflib, Oxigraph warm, `kg query` cold; 0: none);"
        " a query past it is reported as '> N s'",
    )
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        sys.path.insert(0, str(ROOT))
        CHILDREN[args.child](args.corpus, args.work, json.loads(args.params))
        return 0
    sizes = [int(x) for x in args.sizes.replace(",", " ").split()]
    phases = args.phases.replace(",", " ").split()
    unknown = [p for p in phases if p not in PHASES]
    if unknown:
        ap.error(f"unknown phase(s) {', '.join(unknown)}; known: {', '.join(PHASES)}")
    report = bench(sizes, args.seed, args.timeout, phases, args.repeat, args.query_timeout)
    text = markdown(report)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = report["started"].replace(":", "").replace("-", "")
    for name in (f"bench-{stamp}", "latest"):
        (args.out / f"{name}.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8"
        )
        (args.out / f"{name}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
