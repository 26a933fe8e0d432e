"""Nothing lost, nothing half-built, no traceback (issue 19): outputs, read-only queries, Ctrl-C, Neo4j client.

Every check runs the real command: the click runner for what a user types, a
real subprocess and a real SIGINT for Ctrl-C, a real Neo4j server (fixture
``neo4j_db``) for the read-only and interrupted-load checks, a real local HTTP
listener to see whether a SERVICE clause reaches out.
"""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.cli import main
from kg.model.output import OutputError, check_output, write_atomic
from kg.model.settings import STORE_MARKS, store_of
from tests.conftest import IN_CI, ROOT, SAMPLE

PY = sys.executable


def one_line(res, exit_code: int = 1) -> str:
    """The single stderr line of a failed command (no traceback)."""
    err = res.stderr.strip()
    assert res.exit_code == exit_code, res.output
    assert len(err.splitlines()) == 1 and "Traceback" not in res.output, err
    return err


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "st"
    from click.testing import CliRunner

    res = CliRunner().invoke(main, ["build", str(SAMPLE), "--store", str(path), "-q"])
    assert res.exit_code == 0, res.output
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------- safe outputs


def test_the_marks_of_a_store_are_those_the_store_writes(store) -> None:
    from kg.stores.atomic import MARK
    from kg.stores.manifest import MANIFEST

    assert {MARK, MANIFEST} <= set(STORE_MARKS)
    assert store_of(store / "oxigraph" / "CURRENT") == store.resolve()
    assert store_of(store.parent) is None


@pytest.mark.parametrize(
    "command",
    [
        ["extract", "{plan}", "--format", "json"],
        ["audit", "{plan}"],
        ["holders", "{plan}", "--as-of", "2026-01-01"],
        ["viz", "{plan}"],
        ["report", "{plan}"],
    ],
    ids=lambda c: c[0],
)
def test_output_never_overwrites_an_input_file(runner, tmp_path, command) -> None:
    plan = tmp_path / "plan.txt"
    shutil.copy(SAMPLE, plan)
    before = plan.read_bytes()
    res = runner.invoke(main, [c.replace("{plan}", str(plan)) for c in command] + ["-o", str(plan)])
    assert "over an input of this command" in one_line(res)
    assert plan.read_bytes() == before
    link = tmp_path / "link.json"  # another name for the same file is the same input
    link.symlink_to(plan)
    res = runner.invoke(main, [c.replace("{plan}", str(plan)) for c in command] + ["-o", str(link)])
    assert "over an input" in one_line(res) and plan.read_bytes() == before and link.is_symlink()


def test_output_inside_an_input_folder(runner, tmp_path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "plan.txt")
    (folder / "old.csv").write_text("a plan's format: read as an input\n", encoding="utf-8")
    res = runner.invoke(main, ["extract", str(folder), "--format", "csv", "-o", str(folder / "old.csv")])
    assert "an input folder of this command" in one_line(res)
    assert (folder / "old.csv").read_text(encoding="utf-8").startswith("a plan's format")
    # A format no reader reads is no input: written (and again, over itself).
    for _ in range(2):
        res = runner.invoke(
            main, ["extract", str(folder), "--format", "json", "-q", "-o", str(folder / "t.json")]
        )
        assert res.exit_code == 0, res.output
    assert (folder / "t.json").read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize(
    "command",
    [
        ["query", "agency-load", "--store", "{store}"],
        ["sparql", "SELECT * { ?s ?p ?o } LIMIT 1", "--store", "{store}"],
        ["export", "--store", "{store}"],
        ["extract", str(SAMPLE), "--format", "json"],
        ["agency", "history", "Sở Nội vụ", "--format", "csv"],
    ],
    ids=lambda c: " ".join(c[:2]) if c[0] == "agency" else c[0],
)
@pytest.mark.parametrize("inside", ["oxigraph/CURRENT", "kg-store.json", "new.csv"])
def test_output_never_lands_inside_a_store(runner, store, command, inside) -> None:
    before = snapshot(store)
    args = [c.replace("{store}", str(store)) for c in command] + ["-o", str(store / inside)]
    res = runner.invoke(main, args)
    assert f"inside the store {store.resolve()}" in one_line(res)
    assert snapshot(store) == before


def test_a_folder_output_never_lands_inside_a_store(runner, store) -> None:
    before = snapshot(store)
    res = runner.invoke(main, ["synth", "--plans", "1", "-o", str(store / "generated")])
    assert "inside the store" in one_line(res) and snapshot(store) == before


def test_a_query_file_is_an_input_of_kg_sparql(runner, store, tmp_path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT * { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    res = runner.invoke(main, ["sparql", str(rq), "--store", str(store), "-o", str(rq)])
    assert "over an input" in one_line(res) and rq.read_text(encoding="utf-8").startswith("SELECT")


@pytest.mark.parametrize(
    "target",
    ["{file}/x.csv", "/proc/kg-no-such-dir/x.csv", "/proc/version"],
    ids=["under-a-file", "no-such-folder", "read-only-fs"],
)
def test_an_unwritable_target_is_one_line_naming_it(runner, tmp_path, target) -> None:
    file = tmp_path / "plan.txt"
    shutil.copy(SAMPLE, file)
    target = target.replace("{file}", str(file))
    res = runner.invoke(main, ["extract", str(SAMPLE), "--format", "csv", "-o", target])
    err = one_line(res)
    assert err.startswith(f"Error: {target}: ") and ".tmp" not in err, err


def test_a_pipe_or_device_is_written_into_never_replaced(tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "Sở Nội vụ\n")
    reader.join(timeout=30)
    assert got == ["Sở Nội vụ\n".encode()] and stat.S_ISFIFO(fifo.stat().st_mode)
    res = subprocess.run(
        [PY, "-m", "kg.cli", "extract", str(SAMPLE), "--format", "csv", "-q", "-o", "/dev/stdout"],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert res.returncode == 0 and res.stdout.decode("utf-8").count("\n") > 30, res.stderr  # a row per task


def test_a_link_is_written_through(tmp_path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new\n"


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    def interrupted(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n" and [p.name for p in tmp_path.iterdir()] == [
        "out.csv"
    ]


def test_check_output_is_quiet_for_a_new_file(tmp_path) -> None:
    check_output(tmp_path / "new.csv", [SAMPLE, SAMPLE.parent])
    with pytest.raises(OutputError):
        check_output(SAMPLE, [SAMPLE.parent])  # a plan's format inside an input folder


# --------------------------------------------------------------------------- bounded readers


def test_splitting_an_agency_cell_is_linear_in_its_length() -> None:
    """Eight times the bodies, about eight times the time, not 64 (it was quadratic: 300 KB took 93 s)."""
    from kg.model import Role
    from kg.model.gazetteer import Gazetteer
    from loaders.agencies import split_cell

    gazetteer = Gazetteer.default()

    def seconds(size: int) -> float:
        best = float("inf")
        for run in range(2):  # the better of two: a busy machine slows one run, not the shape
            # Another text each run: a cell read before is answered from a cache.
            text = ", ".join(f"Sở Ngành {run} Số {i}" for i in range(size // 10))[:size]
            t0 = time.perf_counter()
            split_cell(text, gazetteer, "Hà Nội", Role.COORDINATING, warn=lambda _: None)
            best = min(best, time.perf_counter() - t0)
        return best

    small, large = seconds(25_000), seconds(200_000)
    assert large / small < 16, f"25 KB {small:.2f} s, 200 KB {large:.2f} s"


# ------------------------------------------------------------------------------- SPARQL SERVICE


@contextmanager
def sparql_listener() -> Iterator[tuple[str, list[str]]]:
    """A local SPARQL endpoint that records each request and answers with no rows."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.answer()

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.answer()

        def answer(self):
            seen.append(self.path)
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "pattern",
    [
        "SERVICE <{url}> {{ ?s ?p ?o }}",
        "OPTIONAL {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "{{ SELECT ?s {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ],
    ids=["plain", "optional-silent", "subquery"],
)
def test_sparql_service_is_refused_unless_allowed(runner, store, pattern) -> None:
    with sparql_listener() as (url, seen):
        query = "SELECT ?s { " + pattern.format(url=url) + " }"
        res = runner.invoke(main, ["sparql", query, "--store", str(store)])
        assert "SERVICE" in one_line(res) and "--allow-service" in res.stderr
        assert seen == []  # nothing left the machine
        res = runner.invoke(main, ["sparql", query, "--store", str(store), "--allow-service"])
        assert res.exit_code == 0, res.output
        assert seen, "with --allow-service the query reaches the other server"


def test_the_python_sparql_refuses_service_too(store) -> None:
    from kg.stores.rdf import sparql
    from kg.stores.service import ServiceRefused

    with sparql_listener() as (url, seen):
        query = f"SELECT ?s {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
        with pytest.raises(ServiceRefused):
            sparql(query, store=store)
        assert seen == []
        assert sparql(query, store=store, allow_service=True) == []
        assert seen


def test_service_in_a_string_or_a_name_is_no_clause(runner, store) -> None:
    query = "SELECT (COUNT(*) AS ?n) { ?s kg:service ?o FILTER(?o = 'SERVICE <http://x/> { }') } # SERVICE"
    res = runner.invoke(main, ["sparql", query, "--store", str(store), "--format", "csv"])
    assert res.exit_code == 0 and res.output.splitlines() == ["n", "0"], res.output


def test_sparql_update_is_still_refused(runner, store) -> None:
    before = snapshot(store)
    res = runner.invoke(main, ["sparql", "INSERT DATA { <x:a> <x:b> <x:c> }", "--store", str(store)])
    one_line(res)
    assert snapshot(store) == before


# ------------------------------------------------------------------------------------ Ctrl-C


def interrupt(
    args: list[str], *, after: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run ``kg ARGS`` in a subprocess, SIGINT it *after* seconds (as Ctrl-C would), and wait."""
    proc = subprocess.Popen(
        [PY, "-m", "kg.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        # A shell starts a background job with SIGINT ignored; Ctrl-C at a terminal is not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(after)
    assert proc.poll() is None, f"the command ended before Ctrl-C: {proc.communicate()}"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Plans enough that reading them lasts well past the moment Ctrl-C comes, on a fast machine too."""
    folder = tmp_path_factory.mktemp("synth") / "plans"
    subprocess.run(
        [PY, "-m", "kg.cli", "synth", "--plans", "500", "--seed", "19", "-q", "-o", str(folder)],
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc")
def test_ctrl_c_during_extract_is_one_line_exit_130_and_nothing_written(corpus, tmp_path) -> None:
    out = tmp_path / "out" / "tasks.json"
    res = interrupt(["extract", str(corpus), "--format", "json", "-o", str(out)], after=4)
    assert res.returncode == 130 and res.stderr == "interrupted\n", res.stderr
    assert not out.parent.exists() or list(out.parent.iterdir()) == []  # no file, no temporary


def test_ctrl_c_during_synth_leaves_no_partial_corpus(tmp_path) -> None:
    out = tmp_path / "corpus"
    res = interrupt(["synth", "--plans", "20000", "-q", "-o", str(out)], after=4)
    assert res.returncode == 130 and res.stderr == "interrupted\n", res.stderr
    assert list(tmp_path.iterdir()) == []  # neither the corpus nor its hidden work folder


def test_an_error_raised_while_handling_ctrl_c_is_still_an_interruption(runner, monkeypatch) -> None:
    """A driver cleaning up after Ctrl-C fails with its own error (BufferError): one line, exit 130."""
    import kg.stores.neo4j

    def connect(_settings):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise BufferError("Existing exports of data: object cannot be re-sized") from None

    monkeypatch.setattr(kg.stores.neo4j, "connect", connect)
    previous = signal.getsignal(signal.SIGINT)
    try:
        res = runner.invoke(main, ["cypher", "RETURN 1"])
    finally:
        signal.signal(signal.SIGINT, previous)  # the command arms a second Ctrl-C to end at once
    assert res.exit_code == 130 and res.stderr == "interrupted\n", res.output


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers (a server that hangs)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    try:
        yield s.getsockname()[1]
    finally:
        s.close()


def test_ctrl_c_while_waiting_for_a_server_is_one_line(tmp_path) -> None:
    with silent_server() as port:
        res = interrupt(
            ["cypher", "RETURN 1", "-o", str(tmp_path / "rows.csv")],
            after=2,
            env={"NEO4J_URI": f"bolt://127.0.0.1:{port}"},
        )
    assert res.returncode == 130 and res.stderr == "interrupted\n", res.stderr
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- Neo4j client


CLOSED = "bolt://127.0.0.1:1"  # nothing listens on port 1


@pytest.mark.parametrize(
    "uri, env",
    [
        ("bolt://kg:s3cr3t-pw@127.0.0.1:1", {}),
        ("bolt://kg:s3cr3t-pw@127.0.0.1:1?region=x", {}),
        ("bolt://127.0.0.1:1?token=s3cr3t-pw", {"NEO4J_USER": "kg", "NEO4J_PASSWORD": "s3cr3t-pw"}),
        ("http://kg:s3cr3t-pw@127.0.0.1:7474", {}),
    ],
    ids=["userinfo", "userinfo-routing", "env-password", "http-userinfo"],
)
def test_a_password_is_never_echoed(runner, uri, env) -> None:
    res = runner.invoke(main, ["cypher", "RETURN 1", "--uri", uri], env={"NEO4J_PASSWORD": None, **env})
    err = one_line(res)
    assert "s3cr3t-pw" not in res.output, err


@pytest.mark.parametrize("scheme", ["http", "https", "ws", "file"])
def test_an_unsupported_uri_scheme_is_one_line(runner, scheme) -> None:
    res = runner.invoke(main, ["cypher", "RETURN 1", "--uri", f"{scheme}://127.0.0.1:7474"])
    assert f"unsupported scheme {scheme!r}" in one_line(res)


@pytest.mark.neo4j
def test_cypher_is_read_only_unless_write(runner, neo4j_db) -> None:
    driver, settings = neo4j_db
    env = {"NEO4J_URI": settings.uri, "NEO4J_DATABASE": settings.database}

    def probes() -> int:
        records, _, _ = driver.execute_query(
            "MATCH (n:Probe) RETURN count(n) AS n", database_=settings.database
        )
        return records[0]["n"]

    for text in (
        "CREATE (n:Probe) RETURN n",
        "MERGE (n:Probe {id: 1})",
        "CREATE INDEX probe_id IF NOT EXISTS FOR (n:Probe) ON (n.id)",
        "CALL db.createLabel('Probe')",
    ):
        res = runner.invoke(main, ["cypher", text], env=env)
        assert "--write" in one_line(res), text
    assert probes() == 0
    res = runner.invoke(main, ["cypher", "CREATE (n:Probe) RETURN count(n) AS n", "--write"], env=env)
    assert res.exit_code == 0 and probes() == 1, res.output
    res = runner.invoke(main, ["cypher", "MATCH (n:Probe) RETURN count(n) AS n", "--format", "csv"], env=env)
    assert res.output.splitlines() == ["n", "1"]
    driver.execute_query("MATCH (n:Probe) DELETE n", database_=settings.database)


@pytest.mark.neo4j
def test_cypher_load_csv_makes_no_request_unless_write(runner, neo4j_db) -> None:
    """LOAD CSV only reads, but the server would fetch the URL: refused by the server's plan, not words."""
    _, settings = neo4j_db
    env = {"NEO4J_URI": settings.uri, "NEO4J_DATABASE": settings.database}
    with sparql_listener() as (url, seen):
        text = f"LOAD CSV FROM '{url}' AS row RETURN count(row) AS n"
        res = runner.invoke(main, ["cypher", text], env=env)
        assert "LOAD CSV" in one_line(res) and seen == []
        res = runner.invoke(main, ["cypher", text, "--write"], env=env)
        assert res.exit_code == 0 and seen, res.output  # asked for: the server fetches it
        res = runner.invoke(main, ["cypher", "RETURN 'LOAD CSV FROM x' AS text", "--format", "csv"], env=env)
        assert res.exit_code == 0 and res.output.splitlines() == ["text", "LOAD CSV FROM x"]


@pytest.mark.neo4j
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals")
def test_ctrl_c_during_neo4j_load_is_one_line_and_every_document_whole(neo4j_db, corpus) -> None:
    """A real SIGINT while documents are being written: exit 130, one line; each document loaded is whole."""
    from loaders import read_plans

    driver, settings = neo4j_db
    env = {"NEO4J_URI": settings.uri, "NEO4J_DATABASE": settings.database}
    proc = subprocess.Popen(
        [PY, "-m", "kg.cli", "neo4j", "load", str(corpus), "-q"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    query = "MATCH (d:Document) WHERE d.read RETURN count(d) AS n"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if driver.execute_query(query, database_=settings.database).records[0]["n"] >= 3:
            break  # writing has begun: interrupt it in the middle
        time.sleep(0.2)
    assert proc.poll() is None, "the load ended before Ctrl-C"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and err.decode() == "interrupted\n", err.decode()
    tasks = {d.id: 0 for d in read_plans([corpus]).documents}
    for t in read_plans([corpus]).tasks:
        tasks[t.document] += 1
    records, _, _ = driver.execute_query(
        "MATCH (d:Document) WHERE d.read OPTIONAL MATCH (t:Task)-[:PART_OF]->(d) RETURN d.id AS id, count(t) AS n",
        database_=settings.database,
    )
    loaded = {r["id"]: r["n"] for r in records}
    assert 3 <= len(loaded) < len(tasks)
    assert all(loaded[d] == tasks[d] for d in loaded)  # no document half-written


# ------------------------------------------------------------------- tests' Neo4j on a free port


@pytest.mark.neo4j
def test_with_neo4j_starts_a_server_beside_a_busy_port(tmp_path) -> None:
    """scripts/with-neo4j.sh, with the Bolt port it prefers taken by another program, starts the
    project's server on the next free port, gives NEO4J_URI to the command, and stops the server."""
    lib = ROOT / ".cache" / "neo4j" / "lib"
    for missing, reason in (
        (shutil.which("java") is None, "needs java for a real server"),
        (
            not (lib / ".complete").is_file(),
            "no fetched Neo4j jars in .cache/neo4j/lib (scripts/neo4j.sh fetch)",
        ),
    ):
        if missing and IN_CI:
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        if missing:
            pytest.skip(reason)
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    for name in ("neo4j.sh", "with-neo4j.sh"):
        shutil.copy(ROOT / "scripts" / name, project / "scripts" / name)
    (project / ".cache" / "neo4j").mkdir(parents=True)
    (project / ".cache" / "neo4j" / "lib").symlink_to(lib)
    # The port the script prefers, taken by a plain socket (KG_TEST_BUSY_PORT: one already taken will do).
    busy = socket.socket()
    port = int(os.environ.get("KG_TEST_BUSY_PORT", "0"))
    try:
        busy.bind(("127.0.0.1", port))
        busy.listen(1)
        port = busy.getsockname()[1]
    except OSError:
        assert port, "no free port"
    probe = (
        "import os; from neo4j import GraphDatabase; uri = os.environ['NEO4J_URI'];"
        " d = GraphDatabase.driver(uri); print(uri, d.execute_query('RETURN 1 AS x').records[0]['x']); d.close()"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "NEO4J_BOLT_PORT"}}
    try:
        res = subprocess.run(
            ["bash", str(project / "scripts" / "with-neo4j.sh"), PY, "-c", probe],
            env={**env, "NEO4J_BOLT_PORT": str(port), "PYTHON": PY, "NEO4J_HEAP": "512m"},
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        busy.close()
    assert res.returncode == 0, res.stderr
    uri, answer = res.stdout.splitlines()[-1].split()  # after the line of neo4j.sh start
    assert answer == "1" and uri != f"bolt://127.0.0.1:{port}", res.stdout
    assert f"127.0.0.1:{port} is taken by another program" in res.stderr
    status = subprocess.run(["bash", str(project / "scripts" / "neo4j.sh"), "status"], capture_output=True)
    assert status.returncode == 3  # stopped after the command
