"""Run every probe of issue 19 as a user would, and record what each gives now (a Markdown table).

    python -m tests.support.probes_19 [--out FILE] [--skip-slow]

Each probe runs the real ``kg`` command in a subprocess (the interpreter running this script, the
working tree's code) on files made here, in a temporary folder, and is summed up in one cell: exit
status, stderr line count (and whether a traceback), the first line, and what was measured (documents
left, seconds, temporary files, living workers).  The Neo4j probes use the server at NEO4J_URI when it
answers (they wipe its database: point it at a scratch server, e.g. ``scripts/with-neo4j.sh``) and are
marked "not run" otherwise.  ``--skip-slow`` leaves out the interrupted-build probes (minutes each).

The table is for the closing note of the issue: probe -> what the issue saw -> what it gives now.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
SAMPLE = ROOT / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str
    seconds: float

    def summary(self, limit: int = 150) -> str:
        lines = [ln for ln in self.err.splitlines() if ln.strip()]
        trace = "; TRACEBACK" if "Traceback (most recent call last)" in self.err else ""
        first = lines[0] if lines else "(nothing on stderr)"
        first = first if len(first) <= limit else first[: limit - 1] + "…"
        return f"exit {self.code}, {len(lines)} stderr line(s){trace}: `{first}`"


def kg(*args: str, timeout: float = 300, env: dict[str, str] | None = None, cwd: Path = ROOT) -> Ran:
    t0 = time.perf_counter()
    try:
        p = subprocess.run(
            [PY, "-m", "kg.cli", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
        )
    except subprocess.TimeoutExpired as e:
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        return Ran(-9, "", f"still running after {timeout:.0f} s (killed)\n{err}", time.perf_counter() - t0)
    return Ran(p.returncode, p.stdout, p.stderr, time.perf_counter() - t0)


def started(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``kg ARGS`` in the background, SIGINT at default (as at a terminal), in its own process group."""
    return subprocess.Popen(
        [PY, "-m", "kg.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        preexec_fn=lambda: (signal.signal(signal.SIGINT, signal.SIG_DFL), os.setpgrp()),
    )


def stop(proc: subprocess.Popen, how: str, after: float) -> Ran:
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) or kill -9 after *after* seconds."""
    t0 = time.perf_counter()
    time.sleep(after)
    if proc.poll() is None:
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.kill()
    out, err = proc.communicate(timeout=300)
    return Ran(proc.returncode, out, err, time.perf_counter() - t0)


def children_alive(pattern: str) -> int:
    """Processes still running whose command line holds *pattern* (workers left behind)."""
    n = 0
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if pattern in cmd and "probes_19" not in cmd:
                n += 1
    return n


def documents(store: Path) -> str:
    r = kg(
        "sparql",
        "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?d a kg:Plan }",
        "--store",
        str(store),
        "--format",
        "csv",
    )
    return r.out.splitlines()[-1] if r.code == 0 and r.out.strip() else f"query fails ({r.summary(90)})"


def temporaries(store: Path) -> list[str]:
    """Temporary files and folders of *store*: inside it, or beside it under a name holding its own."""
    folder = store.parent
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if re.search(r"\.tmp|tmp\.", p.name) and store.name in p.relative_to(folder).parts[0]
    )


# ------------------------------------------------------------------------------------ the probes

Probe = tuple[str, str, Callable[[Path], str]]
PROBES: list[Probe] = []


def probe(name: str, before: str, slow: bool = False):
    def add(f: Callable[[Path], str]) -> Callable[[Path], str]:
        PROBES.append((name, before, f))
        f.slow = slow  # type: ignore[attr-defined]
        return f

    return add


def synth(tmp: Path, name: str, plans: int, seed: int) -> Path:
    folder = tmp / name
    if not folder.exists():
        r = kg("synth", "--plans", str(plans), "--seed", str(seed), "-q", "-o", str(folder))
        assert r.code == 0, r.err
    return folder


def interrupted_build(tmp: Path, how: str, after: float) -> str:
    old, new = synth(tmp, "corpus-a", 300, 1), synth(tmp, "corpus-b", 300, 2)
    store = tmp / f"store-{how}-{after:g}"
    r = kg("build", str(old), "--store", str(store), "-q", timeout=1200)
    if r.code != 0:
        return "first build failed: " + r.summary()
    before = documents(store)
    ran = stop(started("build", str(new), "--store", str(store), "-q"), how, after)
    time.sleep(2)
    return (
        f"{ran.summary(90)}; documents before {before}, after {documents(store)}; "
        f"temporary files {temporaries(store) or 'none'}; "
        f"workers alive {children_alive(str(new))}"
    )


for _how, _after in (("ctrl-c", 10), ("ctrl-c", 20), ("kill -9", 10), ("kill -9", 28)):
    probe(
        f"`kg build` of 300 new plans into a store of 300, {_how} at {_after} s",
        "left 203, 0 or 0 of 300 documents; 180 MB load.nq.tmp left; workers alive 30 min later",
        slow=True,
    )(lambda tmp, how=_how, after=_after: interrupted_build(tmp, how, after))


@probe("a query during a rebuild", "saw 250 → 0 → 300 documents", slow=True)
def _query_during_rebuild(tmp: Path) -> str:
    old, new = synth(tmp, "corpus-a", 300, 1), synth(tmp, "corpus-b", 300, 2)
    store = tmp / "store-live"
    kg("build", str(old), "--store", str(store), "-q", timeout=1200)
    proc = started("build", str(new), "--store", str(store), "-q")
    seen = []
    while proc.poll() is None:
        seen.append(documents(store))
        time.sleep(1)
    proc.communicate()
    seen.append(documents(store))
    compact = [s for i, s in enumerate(seen) if i == 0 or s != seen[i - 1]]
    return f"build exit {proc.returncode}; counts seen in order: {' → '.join(compact)}"


@probe(
    "two first builds into the same new path", "both fail; the loser deletes the winner's folder", slow=True
)
def _two_first_builds(tmp: Path) -> str:
    corpus = synth(tmp, "corpus-a", 300, 1)
    store = tmp / "store-race"
    a, b = (
        started("build", str(corpus), "--store", str(store), "-q"),
        started("build", str(corpus), "--store", str(store), "-q"),
    )
    ra, rb = (Ran(p.wait(timeout=1200), *p.communicate(), 0) for p in (a, b))
    return f"A: {ra.summary(80)}; B: {rb.summary(80)}; store then holds {documents(store)} documents"


def hostile_files(tmp: Path) -> dict[str, Path]:
    from tests.test_hostile_inputs import bomb_docx, corrupt_deflate, docx_bytes, main_part, rezip, xlsx_bytes

    folder = tmp / "hostile"
    if folder.exists():
        return {p.name: p for p in folder.iterdir()}
    folder.mkdir()
    files = {
        "broken-xml.docx": rezip(docx_bytes(), lambda n, b: b[: len(b) // 2] if main_part(n) else b),
        "broken-xml.xlsx": rezip(xlsx_bytes(), lambda n, b: b[: len(b) // 2] if main_part(n) else b),
        "deflate.docx": corrupt_deflate(docx_bytes(), "word/document.xml"),
        "deflate.xlsx": corrupt_deflate(xlsx_bytes(), "xl/worksheets/sheet1.xml"),
        "far-cell.xlsx": xlsx_bytes(far=True),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "cell.csv").write_text('STT,Nội dung\n1,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    (folder / "colspan.html").write_text(
        '<table><tr><td colspan="300000000">1</td><td rowspan="99999999">x</td></tr></table>'
    )
    bomb_docx(folder / "bomb.docx")
    agencies = ", ".join(f"Sở Ngành Số {i}" for i in range(20_000))[:300_000]
    (folder / "agency-cell.csv").write_text(
        f'STT,Nội dung,Cơ quan chủ trì,Cơ quan phối hợp\n1,Việc A,Sở Nội vụ,"{agencies}"\n', encoding="utf-8"
    )
    return {p.name: p for p in folder.iterdir()}


READERS = [
    ("extract", []),
    ("build", ["--store", "{tmp}/store-hostile"]),
    ("audit", []),
    ("viz", ["-o", "{tmp}/v.html"]),
    ("report", ["-o", "{tmp}/r.html"]),
    ("holders", ["--as-of", "2026-01-01"]),
]


def every_reader(tmp: Path, file: Path) -> str:
    cells = []
    for command, extra in READERS:
        r = kg(command, str(file), *(a.replace("{tmp}", str(tmp)) for a in extra), timeout=300)
        cells.append(
            f"{command}: exit {r.code}, {len(r.err.splitlines())} line(s)"
            + (", TRACEBACK" if "Traceback" in r.err else "")
        )
    first = kg("extract", str(file))
    return (
        "; ".join(cells)
        + f" — extract says `{first.err.strip().splitlines()[0] if first.err.strip() else ''}`"
    )


for _name, _before in (
    ("broken-xml.docx", "a Python traceback in all seven reading commands"),
    ("broken-xml.xlsx", "a Python traceback in all seven reading commands"),
    ("deflate.docx", "a Python traceback (zlib) in all seven reading commands"),
    ("deflate.xlsx", "a Python traceback (zlib) in all seven reading commands"),
):
    probe(f"a valid zip with {_name.split('.')[0]} data ({_name})", _before)(
        lambda tmp, name=_name: every_reader(tmp, hostile_files(tmp)[name])
    )


@probe(
    "a folder of good and bad files, `kg extract --allow-failures`",
    "the folder aborted at the first bad file",
)
def _allow_failures(tmp: Path) -> str:
    hostile_files(tmp)
    folder = tmp / "mixed"
    folder.mkdir(exist_ok=True)
    shutil.copy(SAMPLE, folder / "a-plan.txt")
    for name in ("broken-xml.docx", "deflate.xlsx", "cell.csv"):
        shutil.copy(tmp / "hostile" / name, folder / name)
    r = kg("extract", str(folder), "--allow-failures", "--format", "summary")
    return f"exit {r.code}; {len([x for x in r.err.splitlines() if x.startswith('error:')])} one-line errors; last line `{r.err.strip().splitlines()[-1]}`"


@probe(
    "a parallel build of a folder with a broken .docx",
    "\"cannot pickle 'lxml.etree._ListErrorLog'\", no file named",
)
def _parallel(tmp: Path) -> str:
    hostile_files(tmp)
    folder = tmp / "parallel"
    folder.mkdir(exist_ok=True)
    for i in range(12):
        shutil.copy(SAMPLE, folder / f"p{i:02}.txt")
    shutil.copy(tmp / "hostile" / "broken-xml.docx", folder / "p05.docx")
    return kg("build", str(folder), "--store", str(tmp / "store-parallel"), "-q").summary()


for _name, _what, _before in (
    ("cell.csv", "a CSV cell over 128 KiB", "`_csv.Error` traceback"),
    ("colspan.html", '130 bytes of HTML with colspan="300000000"', "ran past 240 s"),
    ("far-cell.xlsx", "a 5 KB .xlsx with one cell at XFD1048576", "MemoryError after 173 s"),
    ("bomb.docx", "a .docx expanding to 1 GB of XML", "ran to 6 GB"),
    ("agency-cell.csv", "an agency cell of 300 KB", "28 s (square of the length)"),
):
    probe(f"{_what}: `kg extract`", _before)(
        lambda tmp, name=_name: (lambda r: f"{r.summary()} in {r.seconds:.1f} s")(
            kg("extract", str(hostile_files(tmp)[name]), "--format", "summary", timeout=300)
        )
    )


@probe("splitting an agency cell, called directly (10, 30, 100 KB)", "grows with the square of the length")
def _split_direct(tmp: Path) -> str:
    from kg.model import Role
    from kg.model.gazetteer import Gazetteer
    from loaders.agencies import split_cell

    gazetteer = Gazetteer.default()
    times = []
    for size in (10_000, 30_000, 100_000):
        text = ", ".join(f"Sở Ngành Số {i}" for i in range(size // 10))[:size]
        t0 = time.perf_counter()
        split_cell(text, gazetteer, "Hà Nội", Role.COORDINATING, warn=lambda _: None)
        times.append(f"{size // 1000} KB {time.perf_counter() - t0:.1f} s")
    return "; ".join(times) + " (through a file a cell stops at MAX_CELL_CHARS, a line at MAX_LINE_CHARS)"


@probe("`kg extract` on a FIFO", "waits forever")
def _fifo(tmp: Path) -> str:
    fifo = tmp / "plan.txt.fifo"
    if not fifo.exists():
        os.mkfifo(fifo)
    r = kg("extract", str(fifo), timeout=60)
    return f"{r.summary()} in {r.seconds:.1f} s"


@probe("mode of a written file (umask 022)", "always 0600")
def _mode(tmp: Path) -> str:
    out = tmp / "mode.json"
    kg("extract", str(SAMPLE), "--format", "json", "-q", "-o", str(out))
    return f"{oct(out.stat().st_mode & 0o777)} (umask {oct(os.umask(os.umask(0o022)))})"


@probe("`-o` the input file itself", "silently overwrites the input")
def _over_input(tmp: Path) -> str:
    plan = tmp / "input.txt"
    shutil.copy(SAMPLE, plan)
    r = kg("extract", str(plan), "--format", "json", "-o", str(plan))
    return f"{r.summary()}; input unchanged: {plan.read_bytes() == SAMPLE.read_bytes()}"


@probe("`-o` a file inside the store", "overwrites it; the store then fails with `RuntimeError: Corruption`")
def _into_store(tmp: Path) -> str:
    store = tmp / "store-o"
    kg("build", str(SAMPLE), "--store", str(store), "-q")
    r = kg("query", "agency-load", "--store", str(store), "-o", str(store / "oxigraph" / "CURRENT"))
    after = kg("query", "agency-load", "--store", str(store), "--format", "csv")
    return f"{r.summary()}; the store then answers: exit {after.code}, {len(after.out.splitlines()) - 1} rows"


@probe("`-o` an unwritable target", "a traceback")
def _unwritable(tmp: Path) -> str:
    results = []
    for target in (str(SAMPLE) + "/x.csv", "/proc/kg-none/x.csv", "/sys/x.csv"):
        results.append(kg("query", "agency-load", "--store", str(tmp / "store-o"), "-o", target).summary(110))
    return "; ".join(results)


@probe("a CSV cell starting with `=`", "a live spreadsheet formula")
def _formula(tmp: Path) -> str:
    from kg.model.output import render

    return "cell written as " + render([{"a": '=HYPERLINK("http://x","y")'}], "csv").splitlines()[1]


def neo4j_env() -> dict[str, str] | None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    r = kg("cypher", "RETURN 1 AS x", timeout=60)
    return {"NEO4J_URI": uri} if r.code == 0 else None


@probe("Ctrl-C during `kg neo4j load` (5 tries)", "a 130-line BufferError traceback in 3 of 5 tries")
def _neo4j_ctrl_c(tmp: Path) -> str:
    env = neo4j_env()
    if env is None:
        return "not run: no Neo4j at NEO4J_URI"
    corpus = synth(tmp, "corpus-n", 150, 5)
    results = []
    for after in (12, 16, 20, 25, 30):
        kg("neo4j", "wipe", "--yes", env=env)
        ran = stop(started("neo4j", "load", str(corpus), "-q", env=env), "ctrl-c", after)
        results.append(
            f"exit {ran.code}/{len(ran.err.splitlines())} line"
            + (" TRACEBACK" if "Traceback" in ran.err else "")
        )
    return "; ".join(results) + f"; stderr of the last: `{ran.err.strip()}`"


@probe("`--uri http://…`", "`ModuleNotFoundError: aiohttp`")
def _http(tmp: Path) -> str:
    return kg("cypher", "RETURN 1", "--uri", "http://127.0.0.1:7474").summary()


@probe("a password in the URI, server unreachable", "the password echoed in the error")
def _password(tmp: Path) -> str:
    a = kg("cypher", "RETURN 1", "--uri", "bolt://neo4j:S3cretPw@127.0.0.1:1")
    b = kg(
        "cypher",
        "RETURN 1",
        "--uri",
        "bolt://127.0.0.1:1?x=S3cretPw",
        env={"NEO4J_PASSWORD": "S3cretPw", "NEO4J_USER": "neo4j"},
    )
    shown = any("S3cretPw" in r.out + r.err for r in (a, b))
    return f"{a.summary(100)}; {b.summary(100)}; password shown: {shown}"


@probe("`kg cypher 'CREATE …'`", "ran the CREATE (while `kg sparql` is read-only)")
def _cypher_write(tmp: Path) -> str:
    env = neo4j_env()
    if env is None:
        return "not run: no Neo4j at NEO4J_URI"
    r = kg("cypher", "CREATE (n:ProbeNineteen) RETURN n", env=env)
    n = kg("cypher", "MATCH (n:ProbeNineteen) RETURN count(n) AS n", "--format", "csv", env=env).out.split()[
        -1
    ]
    return f"{r.summary()}; nodes created: {n}"


@probe("`kg sparql` with `SERVICE <http://…>`", "an outbound HTTP request, then an `OSError` traceback")
def _service(tmp: Path) -> str:
    kg("build", str(SAMPLE), "--store", str(tmp / "store-o"), "-q")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    r = kg(
        "sparql",
        f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "--store",
        str(tmp / "store-o"),
    )
    try:
        listener.accept()
        reached = True
    except OSError:
        reached = False
    listener.close()
    return f"{r.summary()}; a request reached the other server: {reached}"


@probe("`make test` with another program listening on 7687", "fails")
def _busy_port(tmp: Path) -> str:
    return (
        "`scripts/with-neo4j.sh` (what `make test` runs) starts the tests' server on the next free port "
        "when NEO4J_BOLT_PORT (7687) is taken: tests/test_safety.py::test_with_neo4j_starts_a_server_beside_a_busy_port"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="Write the Markdown table here too.")
    parser.add_argument("--skip-slow", action="store_true", help="Leave out the interrupted-build probes.")
    parser.add_argument("-k", dest="only", help="Only probes whose name holds this text.")
    args = parser.parse_args()
    lines = ["| probe | the issue saw | now |", "|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="kg-probes-19-") as t:
        tmp = Path(t)
        for name, before, run in PROBES:
            if (args.skip_slow and getattr(run, "slow", False)) or (args.only and args.only not in name):
                continue
            t0 = time.perf_counter()
            try:
                now = run(tmp)
            except Exception as e:  # a probe that cannot run says so; the others go on
                now = f"probe failed to run: {type(e).__name__}: {e}"
            cell = now.replace("|", "\\|")
            row = f"| {name} | {before} | {cell} |"
            print(row, f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
            lines.append(row)
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
