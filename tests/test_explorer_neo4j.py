"""``kg serve --neo4j``: the Cypher page against a real Neo4j server, read-only.

The server is the one at NEO4J_URI (``tests/conftest_neo4j.py``: skipped when there is none, a
failure under CI=true); the sample is loaded into it, and ``kg serve --neo4j`` is started on a store
of the same sample with that environment.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests.support.deps import need

pytestmark = pytest.mark.neo4j

need("uvicorn")
need("httpx")

from click.testing import CliRunner  # noqa: E402

from kg.api import SAMPLE  # noqa: E402
from kg.cli import main  # noqa: E402
from queries import registry  # noqa: E402
from tests.test_explorer import _textarea, build_store, start_server, stop_server  # noqa: E402

WRITES = [
    "CREATE (n:Probe {x: 1}) RETURN n",
    "MATCH (a:Agency) SET a.name = 'changed' RETURN count(a)",
    "MATCH (t:Task) DETACH DELETE t",
    "MERGE (n:Probe {x: 2})",
    "CREATE INDEX probe_x IF NOT EXISTS FOR (n:Probe) ON (n.x)",
]


def _env(settings) -> dict[str, str]:
    return {"NEO4J_URI": settings.uri, "NEO4J_DATABASE": settings.database, "NEO4J_USER": ""}


@pytest.fixture(scope="module")
def loaded(neo4j_session):
    """The sample in the Neo4j server (as ``kg neo4j load`` writes it)."""
    from kg.pipeline import audits_of
    from kg.stores.neo4j import Neo4jSink
    from loaders import read_plan

    driver, settings = neo4j_session
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
    result = read_plan(SAMPLE)
    Neo4jSink(driver, settings.database).write(result, audits=audits_of(result))
    return driver, settings


@pytest.fixture(scope="module")
def cypher_server(loaded, tmp_path_factory):
    from loaders import read_plan

    _, settings = loaded
    store = build_store(tmp_path_factory.mktemp("explorer-neo4j") / "kg", read_plan(SAMPLE))
    s = start_server(store, args=("--neo4j",), env=_env(settings))
    yield s
    stop_server(s)


def _counts(driver, database) -> tuple[int, int]:
    records, _, _ = driver.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r",
        database_=database,
    )
    return records[0]["n"], records[0]["r"]


def test_the_cypher_page_is_linked_and_seeded_with_every_named_query(cypher_server):
    assert 'href="/cypher"' in cypher_server.get("/").text
    page = cypher_server.get("/cypher")
    assert page.status_code == 200
    assert "content-security-policy" in page.headers
    named = [q for q in registry().values() if q.cypher]
    for q in named:
        assert f'<option value="{q.name}">' in page.text
    for q in named:
        seeded = cypher_server.get("/cypher", params={"example": q.name}).text
        assert _textarea(seeded, "query") == q.cypher.replace("\r\n", "\n"), q.name
        params = _textarea(seeded, "params")
        assert {line.split("=")[0] for line in params.splitlines()} == {
            f"{p.name}_ids" if p.type == "agency" else p.name for p in q.params
        }


@pytest.mark.parametrize("name", [q.name for q in registry().values() if q.cypher])
def test_a_named_query_run_from_the_page_answers_as_kg_query_does(cypher_server, loaded, name):
    """Seeded, then run as it stands: the rows are those of ``kg query NAME --backend neo4j`` with the
    same parameters (the busiest agency for an agency parameter)."""
    from kg.stores.neo4j import run_named

    driver, settings = loaded
    seeded = cypher_server.get("/cypher", params={"example": name}).text
    text, params = _textarea(seeded, "query"), _textarea(seeded, "params")
    r = cypher_server.get("/cypher", params={"query": text, "params": params})
    assert r.status_code == 200 and 'class="error"' not in r.text, r.text[-800:]
    rows = cypher_server.get(
        "/cypher", params={"query": text, "params": params, "format": "json", "table": "rows"}
    ).json()
    typed = {}
    for line in params.splitlines():
        key, _, value = line.partition("=")
        if key.endswith("_ids") and value != "[]":
            typed[key.removesuffix("_ids")] = re.findall(r'"([^"]+)"', value)[0]
        elif value not in {"null", "[]"}:
            typed[key] = value
    expected = run_named(name, typed, settings=settings, driver=driver)
    assert rows == expected
    assert f"{len(rows)} row" in r.text


def test_load_csv_is_refused_and_fetches_nothing(cypher_server, loaded):
    from tests.test_safety import sparql_listener

    with sparql_listener() as (url, seen):
        r = cypher_server.get("/cypher", params={"query": f"LOAD CSV FROM '{url}' AS row RETURN row"})
        assert r.status_code == 403 and "LOAD CSV" in r.text and seen == []


def test_the_server_refuses_every_write(cypher_server, loaded):
    driver, settings = loaded
    before = _counts(driver, settings.database)
    for text in WRITES:
        r = cypher_server.get("/cypher", params={"query": text})
        assert r.status_code == 403, (text, r.status_code, re.findall(r'class="error">([^<]*)', r.text))
        assert "read-only" in r.text
    assert _counts(driver, settings.database) == before
    records, _, _ = driver.execute_query("SHOW INDEXES YIELD name RETURN collect(name) AS names")
    assert "probe_x" not in records[0]["names"]


def test_parameters_are_bound_and_exported_as_csv_and_json(cypher_server):
    query = "MATCH (a:Agency {name: $name})-[:LEADS]->(t:Task) RETURN t.id AS task ORDER BY t.position"
    params = {"query": query, "params": "name=Sở Nội vụ"}
    page = cypher_server.get("/cypher", params=params)
    assert page.status_code == 200 and "7 rows" in page.text
    csv_ = cypher_server.get("/cypher", params={**params, "format": "csv", "table": "rows"})
    assert csv_.headers["content-type"].startswith("text/csv")
    assert csv_.text.splitlines()[0] == "task" and len(csv_.text.splitlines()) == 8
    js = cypher_server.get("/cypher", params={**params, "format": "json", "table": "rows"}).json()
    assert [r["task"] for r in js] == csv_.text.splitlines()[1:]
    # The export links on the page carry the query and its parameters.
    link = "/cypher?" + urlencode({**params, "format": "csv", "table": "rows"})
    assert link.replace("&", "&amp;") in page.text
    # A value holding markup stays text in the table.
    hostile = cypher_server.get(
        "/cypher", params={"query": "RETURN $x AS x", "params": "x=<img src=x onerror=alert(1)>"}
    )
    assert "<img" not in hostile.text and "&lt;img src=x onerror=alert(1)&gt;" in hostile.text


def test_errors_are_one_line_on_the_page(cypher_server):
    bad = cypher_server.get("/cypher", params={"query": "MATCH (n RETURN n"})
    assert bad.status_code == 400 and 'class="error">Cypher syntax error' in bad.text
    assert _textarea(bad.text, "query") == "MATCH (n RETURN n"
    missing = cypher_server.get("/cypher", params={"query": "RETURN $nothing AS x"})
    assert missing.status_code == 400 and "nothing" in missing.text
    lines = cypher_server.get("/cypher", params={"query": "RETURN 1", "params": "no equals sign"})
    assert lines.status_code == 400 and "NAME=VALUE" in lines.text


def test_rows_past_the_cap_are_not_fetched(cypher_server):
    from kg.explorer.cypher import MAX_ROWS

    query = f"UNWIND range(1, {MAX_ROWS + 5}) AS i RETURN i"
    page = cypher_server.get("/cypher", params={"query": query})
    assert page.status_code == 200 and f"More than {MAX_ROWS} rows" in page.text
    rows = cypher_server.get("/cypher", params={"query": query, "format": "json", "table": "rows"}).json()
    assert len(rows) == MAX_ROWS and rows[-1] == {"i": MAX_ROWS}


def test_serve_neo4j_without_a_server_is_one_line(tmp_path):
    from loaders import read_plan

    store = build_store(tmp_path / "kg", read_plan(SAMPLE))
    r = CliRunner().invoke(
        main,
        ["serve", "--store", str(store), "--neo4j"],
        env={"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_USER": None},
    )
    assert r.exit_code == 1 and "cannot reach Neo4j at bolt://127.0.0.1:1" in r.output
    assert "Traceback" not in r.output
