"""Before/after figures of the lean graph, incremental builds and the Neo4j bulk import, with the machine load.

``python bench/scale.py --sizes "100 1000"`` runs each phase twice, once on a
*before* tree (``git archive`` of ``--before``, default the merge base with
``main``, unpacked under ``.cache/bench/``) and once on this tree, each run in a
fresh process (wall time, peak RSS of that process), and prints a Markdown
table; ``bench/results/scale.{md,json}`` keep it.  Phases:

* ``quads``: quads per task of the mapping (``bench/quads.py``'s count, no store);
* ``build``: ``kg build DIR`` into a new store (text files to a queryable store);
* ``rerun``: the same ``kg build`` again, nothing changed (after only: before, it read everything again);
* ``add-one``: one plan added to the folder, ``kg build`` again;
* ``neo4j``: a fresh Neo4j database: ``kg neo4j load`` (before) against ``kg neo4j import`` (after), with
  the project's own server (``scripts/neo4j.sh``); skipped when it is not running.

The load average (1, 5, 15 min) is printed before each run: other jobs share this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
PY = sys.executable


def before_tree(rev: str) -> Path:
    """The source tree at *rev*, unpacked once under ``.cache/bench/``."""
    sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", rev], capture_output=True, text=True, check=True
    )
    out = CACHE / f"tree-{sha.stdout.strip()[:12]}"
    if not (out / "kg").is_dir():
        out.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)
    return out


def corpus(plans: int, seed: int = 1) -> Path:
    """``kg synth --plans N`` (cached; the same as bench/run.py's corpora)."""
    out = CACHE / f"plans-{plans}-seed-{seed}"
    if not out.is_dir():
        tmp = out.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(
            [
                PY,
                "-m",
                "kg.cli",
                "synth",
                "--plans",
                str(plans),
                "--seed",
                str(seed),
                "-o",
                str(tmp),
                "--quiet",
            ],
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        tmp.rename(out)
    return out


def run(argv: list[str], tree: Path, env: dict | None = None) -> dict[str, Any]:
    """Run *argv* with *tree*'s packages first: wall seconds, peak RSS of that process (MB), exit status,
    the last lines of its output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree), **(env or {})}, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        return {
            "seconds": round(seconds, 2),
            "rss_mb": round(usage.ru_maxrss / 1024),
            "status": proc.returncode,
            "stdout": out.read().strip().splitlines()[-3:],
            "stderr": err.read().strip().splitlines()[-3:],
        }


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _quads(tree: Path, plans: Path) -> dict[str, Any]:
    code = (
        "import json,sys; sys.path.insert(0, sys.argv[2]); "
        "sys.path.insert(0, sys.argv[3]); from quads import count; print(json.dumps(count([sys.argv[1]])))"
    )
    r = run([PY, "-c", code, str(plans), str(tree), str(ROOT / "bench")], tree)
    if r["status"] == 0:
        r.update(json.loads(r["stdout"][-1]))
        r.pop("top", None)
    return r


def phases(tree: Path, which: str, plans: Path, work: Path, neo4j: bool) -> dict[str, Any]:
    """Every phase on *tree* (``before`` or ``after``) for the corpus *plans*."""
    out: dict[str, Any] = {}
    print(f"  {which}: load {load()}", file=sys.stderr)
    out["quads"] = _quads(tree, plans)
    folder = work / f"{which}-plans"
    shutil.copytree(plans, folder)
    extra = sorted(plans.parent.glob(f"plans-{_size(plans) + 1}-seed-*"))
    store = work / f"{which}-store"
    kg = [PY, "-m", "kg.cli"]
    out["build"] = run([*kg, "build", str(folder), "--store", str(store), "-q"], tree)
    out["build"]["load"] = load()
    out["rerun"] = run([*kg, "build", str(folder), "--store", str(store), "-q"], tree)
    if extra:
        last = sorted(extra[0].glob("*.txt"))[-1]
        shutil.copy(last, folder / last.name)
        out["add-one"] = run([*kg, "build", str(folder), "--store", str(store), "-q"], tree)
    if neo4j:
        cmd = (
            ["neo4j", "load", str(folder), "-q"]
            if which == "before"
            else ["neo4j", "import", str(folder), "-q"]
        )
        if which == "before":
            run([*kg, "neo4j", "wipe", "--yes"], tree)
        out["neo4j"] = run([*kg, *cmd], tree, env={"PYTHON": PY})
        out["neo4j"]["load"] = load()
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    return out


def _size(plans: Path) -> int:
    return int(plans.name.split("-")[1])


def _cell(r: dict[str, Any] | None, key: str = "seconds") -> str:
    if not r:
        return "–"
    if r.get("status"):
        return f"failed ({(r.get('stderr') or ['?'])[-1][:60]})"
    v = r.get(key)
    return "–" if v is None else (f"{v:.2f} s" if key == "seconds" else str(v))


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Before: {report['before']}; after: this tree. Load average (1/5/15 min) given per build.",
        "",
        "| plans | phase | before | after |",
        "|---:|---|---|---|",
    ]
    for size, r in report["sizes"].items():
        b, a = r["before"], r["after"]
        rows = [
            ("quads per task", _cell(b.get("quads"), "per_task"), _cell(a.get("quads"), "per_task")),
            ("quads (mapping)", _cell(b.get("quads"), "quads"), _cell(a.get("quads"), "quads")),
            (
                "`kg build` fresh (s, peak RSS, load)",
                f"{_cell(b.get('build'))}, {b['build']['rss_mb']:.0f} MB, {b['build']['load']}",
                f"{_cell(a.get('build'))}, {a['build']['rss_mb']:.0f} MB, {a['build']['load']}",
            ),
            ("`kg build` again, nothing changed", _cell(b.get("rerun")), _cell(a.get("rerun"))),
            ("`kg build` after one plan added", _cell(b.get("add-one")), _cell(a.get("add-one"))),
        ]
        if "neo4j" in a:
            rows.append(
                (
                    "Neo4j fresh database: `load` before, `import` after (incl. server start)",
                    f"{_cell(b.get('neo4j'))} ({b['neo4j']['load']})",
                    f"{_cell(a.get('neo4j'))} ({a['neo4j']['load']})",
                )
            )
        lines += [f"| {size} | {p} | {x} | {y} |" for p, x, y in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100 1000")
    ap.add_argument("--before", default=None, help="git revision of the before tree [merge base with main]")
    ap.add_argument(
        "--neo4j", action="store_true", help="also the Neo4j phase (restarts the project's server)"
    )
    args = ap.parse_args(argv)
    rev = (
        args.before
        or subprocess.run(
            ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    before = before_tree(rev)
    report: dict[str, Any] = {"before": rev[:12], "load_start": load(), "sizes": {}}
    for size in map(int, args.sizes.split()):
        print(f"{size} plans", file=sys.stderr)
        plans = corpus(size)
        corpus(size + 1)  # the plan added (kg synth: plan i does not depend on N)
        with tempfile.TemporaryDirectory(dir=CACHE) as work:
            report["sizes"][size] = {
                which: phases(tree, which, plans, Path(work), args.neo4j)
                for which, tree in (("before", before), ("after", ROOT))
            }
    report["load_end"] = load()
    text = markdown(report)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    (out / "scale.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
