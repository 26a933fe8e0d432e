"""kg.stores.endpoint against a real Oxigraph server (PyPI ``oxigraph``) started here on 127.0.0.1.

The server runs once per module in a temporary directory.  When it cannot
start: under CI=true the tests fail; elsewhere they skip with one line.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import pipeline as P
from kg.cli import main
from kg.model.lookup import NoAgency, find_agencies
from kg.stores import endpoint as E
from kg.stores import rdf as R
from loaders import read_plans
from queries import registry

pytestmark = pytest.mark.endpoint

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
AGENCY = "Sở Nội vụ"
TRICKY = [
    'a "quoted" word',
    'end"} # DROP ALL',
    "x' } ; DROP ALL #",
    "back\\slash \\ and \\\\ two",
    "\\u0022 not a quote \\U0001F600",
    "line\nbreak\r\nand\ttab",
    "{braces} <angle> #hash ?var $var",
    "\"\"\"triple\"\"\" and '''single'''",
    "Sở Nội vụ – Ủy ban nhân dân thành phố Hà Nội, Đoàn Thanh niên",
    "emoji 🎌 and NUL-free \x07 bell \b\f",
    "",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unusable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true and the Oxigraph server is not usable: {reason}", pytrace=False)
    pytest.skip(f"Oxigraph server not usable ({reason}); pip install oxigraph")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The root URL of an Oxigraph server on a free port of 127.0.0.1, stopped after the module."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        _unusable("no `oxigraph` executable")
    port = _free_port()
    log = tmp_path_factory.mktemp("oxigraph-log") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                binary,
                "serve",
                "--location",
                str(tmp_path_factory.mktemp("oxigraph")),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                req = urllib.request.Request(
                    url + "/query", data=b"ASK {}", headers={"Content-Type": "application/sparql-query"}
                )
                with urllib.request.urlopen(req, timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text(errors="replace").strip().splitlines()
                    _unusable(text[-1] if text else f"no answer on {url}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> list[Path]:
    """The sample and six synthetic plans (several cities: one name, several agencies)."""
    from kg.synth import write_corpus

    synth = tmp_path_factory.mktemp("synth")
    write_corpus(6, synth, seed=11)
    return [SAMPLE, *sorted(synth.glob("*.txt"))]


@pytest.fixture(scope="module")
def local(tmp_path_factory, plans) -> Path:
    path = tmp_path_factory.mktemp("endpoint") / "kg"
    P.build([read_plans(plans)], path)
    return path


def test_the_store_has_an_agency_name_with_several_ids(local):
    assert len(find_agencies(R.agencies(local), AGENCY)) > 1  # so one VALUES block carries several rows


@pytest.fixture(scope="module")
def pushed(server, local) -> str:
    E.push(local, server)
    return server


def _cases() -> list[tuple[str, dict[str, str]]]:
    """Every named SPARQL query: defaults, and each parameter given."""
    cases = []
    for name, q in registry().items():
        if not q.sparql:
            continue
        kinds = {p.name: p.type for p in q.params}
        base = {n: AGENCY for n, t in kinds.items() if t == "agency"}
        cases.append((name, base))
        for n, t in kinds.items():
            # as_of: a day after the 2025 changes, so that moved work is followed to its holders.
            given_ = {"bool": "true", "date": "2026-01-01" if n == "as_of" else "2024-07-01"}.get(t)
            if given_:
                cases.append((name, {**base, n: given_}))
    cases.append(("agency-profile", {"agency": "Department of Home Affairs"}))
    cases.append(("deadlines", {"from": "2024-03-01", "to": "2024-12-31"}))
    return cases


@pytest.mark.parametrize(("name", "params"), _cases(), ids=lambda v: v if isinstance(v, str) else repr(v))
def test_named_query_on_endpoint_equals_local_store(pushed, local, name, params):
    expected = R.run_named(name, params, store=local)
    assert E.run_named(name, params, url=pushed) == expected


def test_document_chain_for_one_plan(pushed, local):
    plan = R.run_named("plan-summary", {}, store=local)[0]["plan"]
    rows = E.run_named("document-chain", {"plan": plan}, url=pushed)
    assert rows and {r["plan"] for r in rows} == {plan}
    assert rows == R.run_named("document-chain", {"plan": plan}, store=local)


def test_push_twice_leaves_the_same_triples(server, local):
    first = E.push(local, server)
    count = E.count(server)
    second = E.push(local, server)
    assert first == second
    assert E.count(server) == count == first["triples"] == len(R.open_store(local))
    documents = R.run_named("plan-summary", {}, store=local)
    assert (
        len(E.graphs(server)) == first["graphs"] == len(documents) + 4
    )  # + shared, ontology, gazetteer, reorg


def test_hostile_parameters_are_harmless(pushed, local):
    before = E.count(pushed)
    hostile = 'Sở Nội vụ"} # } DROP ALL'
    with pytest.raises(NoAgency):  # resolved against the endpoint's agencies, never sent as text
        E.run_named("depends-on", {"agency": hostile}, url=pushed)
    plan = R.run_named("plan-summary", {}, store=local)[0]["plan"]
    for text in filter(
        None, TRICKY
    ):  # a str parameter does reach the server: as one literal that matches nothing
        assert E.run_named("document-chain", {"plan": plan + text}, url=pushed) == []
    assert E.count(pushed) == before
    with pytest.raises(ValueError, match="not an absolute IRI"):
        E.sparql_iri("http://x/> } ; DROP ALL #")


def test_terms_round_trip_through_the_server(server):
    runs = [{"i": i, "v": text} for i, text in enumerate(TRICKY)]
    runs += [{"i": 100, "v": date(2024, 6, 30)}, {"i": 101, "v": True}, {"i": 102, "v": -7}]
    rows = E.select(server, "SELECT ?i ?v ?t WHERE { BIND(DATATYPE(?v) AS ?t) } ORDER BY ?i", runs)
    got = {r["i"]: r["v"] for r in rows}
    assert got == {r["i"]: (r["v"].isoformat() if isinstance(r["v"], date) else r["v"]) for r in runs}


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_literal_serialiser_round_trips(text):
    # The server's parser is Oxigraph's; pyoxigraph parses the same grammar in-process.
    rows = list(ox.Store().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {E.sparql_term(text)} }} }}"))
    assert [r["v"].value for r in rows] == [text]


def test_cli_build_and_query_via_endpoint(server, local, plans, tmp_path):
    runner = CliRunner()
    store = tmp_path / "kg"  # the same plans as `local`, so the endpoint keeps the same content
    built = runner.invoke(
        main, ["build", *map(str, plans), "--store", str(store), "--endpoint", server, "-q"]
    )
    assert built.exit_code == 0, built.output
    assert f"pushed {len(plans) + 4} graphs" in built.stderr  # + shared, ontology, gazetteer, reorg
    args = ["query", "depends-on", "-p", f"agency={AGENCY}", "--format", "json"]
    remote = runner.invoke(main, [*args, "--endpoint", server])
    here = runner.invoke(main, [*args, "--store", str(local)])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == here.stdout and AGENCY in remote.stdout
    ask = runner.invoke(main, ["sparql", "ASK { ?t kg:lead ?a }", "--endpoint", server])
    assert ask.stdout.strip() == "true"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "agency-load"], "cannot reach the endpoint"),
        (["sparql", "ASK { ?s ?p ?o }"], "cannot reach the endpoint"),
        (["build", str(SAMPLE), "-q"], "cannot reach the endpoint"),
    ],
)
def test_unreachable_endpoint_is_one_line(tmp_path, args, message):
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    store = ["--store", str(tmp_path / "kg")] if args[0] == "build" else []  # build then push
    result = CliRunner().invoke(main, [*args, *store, "--endpoint", url])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 + ("build" in args) and message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["query", "agency-load"], ["sparql", "ASK { ?s ?p ?o }"]])
def test_a_store_and_an_endpoint_together_are_refused(tmp_path, args):
    """A query asks one place: --store beside --endpoint would be dropped without a word."""
    url = f"http://127.0.0.1:{_free_port()}"
    result = CliRunner().invoke(main, [*args, "--store", str(tmp_path / "kg"), "--endpoint", url])
    assert result.exit_code == 2 and "give one" in result.stderr
    assert "Traceback" not in result.output


def test_server_errors_are_one_line(server):
    runner = CliRunner()
    bad = runner.invoke(main, ["sparql", "SELECT ?s WHERE { ?s a kg:Plan", "--endpoint", server])
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 1
    assert "HTTP 400" in bad.stderr
    missing = runner.invoke(main, ["query", "agency-load", "--endpoint", server + "/no/such/path"])
    assert missing.exit_code == 1 and "HTTP 404" in missing.stderr and missing.stderr.count("\n") == 1


def test_standard_dataset_parameters_give_the_same_rows(pushed, local):
    # Any SPARQL 1.1 endpoint: the union default graph spelled as default-graph-uri (+ named-graph-uri)
    # in the URL, as the module sends to a server that is not Oxigraph.
    from urllib.parse import urlencode

    graphs = E.graphs(pushed)
    dataset = urlencode([(k, g) for k in ("default-graph-uri", "named-graph-uri") for g in graphs])
    url = f"{pushed}/query?{dataset}"
    assert E.endpoint_urls(url)[0] == url
    for name, params in [("depends-on", {"agency": AGENCY}), ("plan-summary", {})]:
        assert E.run_named(name, params, url=url) == R.run_named(name, params, store=local)
