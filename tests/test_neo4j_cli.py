"""``kg neo4j`` and ``kg cypher``: what a user sees, good input and bad.

Failures (server unreachable, refused credentials, missing database, a
Cypher syntax error) end as one line on stderr, exit status 1, no traceback.
"""

from __future__ import annotations

import json

import pytest

from kg.cli import main
from tests.conftest import SAMPLE

CLOSED = "bolt://127.0.0.1:1"  # nothing listens on port 1


def env_for(settings, **extra: str) -> dict[str, str | None]:
    env = {"NEO4J_URI": settings.uri, "NEO4J_DATABASE": settings.database, "NEO4J_USER": None}
    env["NEO4J_PASSWORD"] = None
    env.update(extra)
    return env


def one_line_error(res, *needles: str) -> str:
    err = res.stderr.strip()
    assert res.exit_code == 1, res.output
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in res.output
    for n in needles:
        assert n in err
    return err


@pytest.mark.parametrize(
    "args",
    [["cypher", "RETURN 1"], ["neo4j", "load", str(SAMPLE)], ["neo4j", "counts"], ["neo4j", "wipe", "--yes"]],
    ids=["cypher", "load", "counts", "wipe"],
)
def test_unreachable_server_is_one_line(runner, args):
    res = runner.invoke(main, args, env={"NEO4J_URI": CLOSED, "NEO4J_USER": None})
    one_line_error(res, "cannot reach Neo4j at bolt://127.0.0.1:1")


def test_a_uri_that_is_not_one_is_refused(runner):
    res = runner.invoke(main, ["cypher", "RETURN 1"], env={"NEO4J_URI": "localhost"})
    one_line_error(res, "NEO4J_URI")


def test_query_neo4j_refuses_a_store(runner, tmp_path):
    """--store names an Oxigraph store: with --backend neo4j it would be dropped without a word."""
    args = ["query", "agency-load", "--backend", "neo4j", "--store", str(tmp_path)]
    res = runner.invoke(main, args, env={"NEO4J_URI": CLOSED, "NEO4J_USER": None})
    assert res.exit_code == 2 and "--store" in res.stderr and "Traceback" not in res.output
    assert len([line for line in res.stderr.splitlines() if line.startswith("Error")]) == 1
    res = runner.invoke(main, args[:4], env={"NEO4J_URI": CLOSED, "NEO4J_USER": None})
    assert "--store" not in res.output and "cannot reach Neo4j" in res.stderr  # without --store, asked


def test_no_password_option_exists(runner):
    res = runner.invoke(main, ["cypher", "--password", "secret", "RETURN 1"])
    assert res.exit_code == 2 and "No such option" in res.output


@pytest.mark.neo4j
def test_load_then_query(runner, neo4j_db):
    _, settings = neo4j_db
    env = env_for(settings)
    res = runner.invoke(main, ["neo4j", "load", str(SAMPLE)], env=env)
    assert res.exit_code == 0, res.output
    assert "loaded 1 documents (30 tasks)" in res.stderr
    res = runner.invoke(
        main,
        ["cypher", "--format", "json", "-p", "name=Sở Nội vụ",
         "MATCH (a:Agency {name: $name})-[:LEADS]->(t:Task) RETURN t.id AS task, t.end AS due ORDER BY t.position"],
        env=env,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    led = [
        t for t in __import__("loaders").read_plan(SAMPLE).tasks if any(a.name == "Sở Nội vụ" for a in t.lead)
    ]
    assert [r["task"] for r in rows] == [t.id for t in led]
    assert rows[0]["due"] == led[0].deadline.end.isoformat()
    res = runner.invoke(main, ["neo4j", "counts"], env=env)
    assert res.exit_code == 0 and "Task" in res.stdout and "30" in res.stdout


@pytest.mark.neo4j
def test_cypher_csv_output_to_a_file(runner, neo4j_db, tmp_path):
    _, settings = neo4j_db
    out = tmp_path / "rows.csv"
    res = runner.invoke(
        main, ["cypher", "RETURN $x AS x, $y AS y", "-p", "x=5", "-p", 'y=Sở "a"', "--format", "csv", "-o", str(out)],
        env=env_for(settings),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8") == 'x,y\n5,"Sở ""a"""\n'


@pytest.mark.neo4j
def test_cypher_syntax_error_is_one_line(runner, neo4j_db):
    res = runner.invoke(main, ["cypher", "MATCH (n RETURN n"], env=env_for(neo4j_db[1]))
    one_line_error(res, "Cypher syntax error")


@pytest.mark.neo4j
def test_missing_database_is_one_line(runner, neo4j_db):
    res = runner.invoke(main, ["cypher", "RETURN 1"], env=env_for(neo4j_db[1], NEO4J_DATABASE="no-such-db"))
    one_line_error(res, "database 'no-such-db' does not exist")


@pytest.mark.neo4j
def test_a_user_without_password_is_asked_for_it(runner, neo4j_db):
    """The password comes from NEO4J_PASSWORD or a hidden prompt, never from the command line."""
    _, settings = neo4j_db
    try:
        from kg.stores import StoreError
        from kg.stores.neo4j import Neo4jSettings, connect

        connect(Neo4jSettings(settings.uri, "neo4j", "x-wrong-x", settings.database)).close()
    except StoreError:
        pytest.skip("the server checks passwords and ours is unknown")
    res = runner.invoke(
        main,
        ["cypher", "RETURN 1 AS one", "--format", "csv"],
        env=env_for(settings, NEO4J_USER="neo4j"),
        input="pw\n",
    )
    assert res.exit_code == 0, res.output
    assert "Neo4j password for neo4j" in res.stderr and res.stdout == "one\n1\n"


@pytest.mark.neo4j
def test_wrong_password_is_one_line(runner, neo4j_session):
    _, settings = neo4j_session
    from kg.stores import StoreError
    from kg.stores.neo4j import Neo4jSettings, connect

    try:
        connect(Neo4jSettings(settings.uri, "neo4j", "x-wrong-x", settings.database)).close()
    except StoreError:
        pass
    else:
        pytest.skip(f"the server at {settings.uri} has authentication disabled: no password can be wrong")
    res = runner.invoke(
        main, ["cypher", "RETURN 1"], env=env_for(settings, NEO4J_USER="neo4j", NEO4J_PASSWORD="x-wrong-x")
    )
    one_line_error(res, "authentication failed")


@pytest.mark.neo4j
def test_wipe_asks_first(runner, neo4j_db):
    driver, settings = neo4j_db
    env = env_for(settings)
    assert runner.invoke(main, ["neo4j", "load", str(SAMPLE)], env=env).exit_code == 0
    res = runner.invoke(main, ["neo4j", "wipe"], env=env, input="n\n")
    assert res.exit_code == 1
    count = "MATCH (n) RETURN count(n) AS n"
    assert driver.execute_query(count, database_=settings.database).records[0]["n"] > 0
    res = runner.invoke(main, ["neo4j", "wipe", "--yes"], env=env)
    assert res.exit_code == 0, res.output
    assert driver.execute_query(count, database_=settings.database).records[0]["n"] == 0


@pytest.mark.neo4j
def test_kg_query_backend_neo4j(runner, neo4j_db):
    from kg.cli.rdf import BACKENDS

    if "neo4j" not in BACKENDS:
        pytest.skip("kg query has no neo4j backend yet")
    env = env_for(neo4j_db[1])
    assert runner.invoke(main, ["neo4j", "load", str(SAMPLE)], env=env).exit_code == 0
    res = runner.invoke(main, ["query", "agency-load", "--backend", "neo4j", "--format", "json"], env=env)
    assert res.exit_code == 0, res.output
    top = json.loads(res.stdout)[0]
    assert (top["agency"], top["lead"]) == ("Sở Nội vụ", 7)
    res = runner.invoke(
        main, ["query", "depends-on", "--backend", "neo4j", "-p", "agency=Sở Không Có"], env=env
    )
    one_line_error(res, "no agency matches")


def test_import_refuses_before_touching_the_server(runner, tmp_path):
    """A folder of other files, or a file that is no plan, ends the import in one line before the server
    is stopped, and leaves no CSV folder (nor a temporary one) behind."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("x", encoding="utf-8")
    env = {"NEO4J_URI": CLOSED, "NEO4J_USER": None}
    res = runner.invoke(main, ["neo4j", "import", str(SAMPLE), "--csv-dir", str(mine), "-q"], env=env)
    one_line_error(res, "holds files other than import CSVs")
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    bad = tmp_path / "bad.txt"
    bad.write_text("Không phải kế hoạch.\n", encoding="utf-8")
    out = tmp_path / "out" / "csv"
    res = runner.invoke(
        main, ["neo4j", "import", str(SAMPLE), str(bad), "--csv-dir", str(out), "-q"], env=env
    )
    one_line_error(res, "bad.txt", "nothing was imported")
    assert not out.exists() and not list(out.parent.glob(".*"))
