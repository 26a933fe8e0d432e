"""``kg neo4j import``: the bulk path gives the graph and the answers of the transactional one.

The in-memory graph (:class:`kg.stores.neo4j_import.MemoryGraph`) is checked
without a server against the CSVs it writes; with the project's own server
(``scripts/neo4j.sh``; the import stops and restarts it) the whole database
after ``neo4j-admin database import full`` is compared, node for node and
relationship for relationship, with what ``Neo4jSink.write`` leaves, and every
named Cypher query gives the same rows on both.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kg.graph.network import build_graph
from kg.pipeline import audits_of
from kg.stores.neo4j_import import (
    ARRAY_DELIMITER,
    MemoryGraph,
    neo4j_script,
    run_import,
    set_empty_lists,
    write_csv,
)
from loaders import iter_plans, read_plans
from queries import registry
from tests.conftest import SAMPLE
from tests.support.browser import in_ci


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from kg.synth import write_corpus

    synth = tmp_path_factory.mktemp("synth")
    write_corpus(4, synth, seed=5)
    return [SAMPLE, *sorted(synth.glob("*.txt"))]


def _memory(files: list[Path]) -> MemoryGraph:
    graph = MemoryGraph()
    for result in iter_plans(files, jobs=1):  # file by file, as the command streams them
        graph.add(result, audits_of(result))
    return graph


def test_the_csvs_hold_every_node_and_relationship(plans: list[Path], tmp_path: Path) -> None:
    graph = _memory(plans)
    files = write_csv(graph, tmp_path)
    nodes = rels = 0
    for _, path in files.nodes:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0][0] == ":ID" and rows[0][-1] == ":LABEL"
        nodes += len(rows) - 1
    for _, path in files.relationships:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        rels += len(rows) - 1
    assert nodes == len(graph.nodes) and rels == len(graph.rels)
    assert files.counts["Task"] == len(read_plans(plans).tasks)
    assert f"--array-delimiter={ARRAY_DELIMITER}" in files.arguments()


def _dump(driver: Any, database: str) -> tuple[set, set]:
    """Every node (labels, properties) and relationship (type, ends, properties) of the database."""
    from kg.stores.neo4j import plain

    def frozen(props: dict) -> tuple:
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in plain(props).items()))

    recs, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS l, properties(n) AS p", database_=database
    )
    nodes = {(frozenset(r["l"]), frozen(r["p"])) for r in recs}
    recs, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, [l IN labels(a) WHERE l IN $kinds][0] + ':' + coalesce(a.key, a.id)"
        " AS a, [l IN labels(b) WHERE l IN $kinds][0] + ':' + coalesce(b.key, b.id) AS b, properties(r) AS p",
        kinds=["Agency", "Document", "Task", "TaskGroup", "BodyAssignment", "AuditFinding"],
        database_=database,
    )
    rels = {(r["t"], r["a"], r["b"], frozen(r["p"])) for r in recs}
    assert len(rels) == len(recs), "two relationships alike"
    return nodes, rels


def _answers(driver: Any, settings: Any, files: list[Path]) -> dict:
    from kg.stores.neo4j import run_named
    from tests.test_neo4j import cases

    G = build_graph(read_plans(files))
    todo = [(n, p) for n, p in cases(G) if registry()[n].cypher]
    todo += [(n, {}) for n in ("requests", "reports-to", "standing-agency", "audit-findings")]
    return {(n, repr(p)): run_named(n, p, driver=driver, settings=settings) for n, p in todo}


def _project_server_runs() -> bool:
    p = subprocess.run(["bash", str(neo4j_script()), "status"], capture_output=True, text=True)
    return p.returncode == 0


@pytest.mark.neo4j
def test_bulk_import_gives_the_graph_and_answers_of_the_transactional_path(
    plans: list[Path], tmp_path: Path, neo4j_db
) -> None:
    from kg.stores.neo4j import Neo4jSink

    if not _project_server_runs():
        reason = "the bulk import needs the project's own server (scripts/neo4j.sh start)"
        if in_ci():
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    driver, settings = neo4j_db
    result = read_plans(plans)
    Neo4jSink(driver, settings.database).write(result, audits=audits_of(result))
    loaded = _dump(driver, settings.database)
    answers = _answers(driver, settings, plans)
    assert any(answers.values())

    files = write_csv(_memory(plans), tmp_path / "csv")
    run_import(files)  # stops the server, imports into a fresh database, starts it again
    Neo4jSink(driver, settings.database).ensure_schema()
    set_empty_lists(files, driver, settings.database)
    imported = _dump(driver, settings.database)
    assert imported[0] == loaded[0]
    assert imported[1] == loaded[1]
    assert _answers(driver, settings, plans) == answers
