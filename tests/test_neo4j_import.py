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
from kg.pipeline import audits_of, run
from kg.stores.neo4j_import import (
    ARRAY_DELIMITER,
    ImportFiles,
    ImportSink,
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


def _rows(files: ImportFiles) -> tuple[set, set, int]:
    """Every node row (as a header -> cell map) and relationship row of the CSVs, and how many rows."""
    out: list[set] = [set(), set()]
    n = 0
    for kind, groups in enumerate((files.nodes, files.relationships)):
        for _, parts in groups:
            for header, data in parts:
                with (files.folder / header).open(encoding="utf-8", newline="") as f:
                    [head] = list(csv.reader(f))
                with (files.folder / data).open(encoding="utf-8", newline="") as f:
                    for row in csv.reader(f):
                        assert len(row) == len(head)
                        out[kind].add(
                            frozenset((h.split(":")[0] or h, c) for h, c in zip(head, row, strict=True) if c)
                        )
                        n += 1
    return out[0], out[1], n


def test_the_csvs_hold_every_node_and_relationship(plans: list[Path], tmp_path: Path) -> None:
    graph = _memory(plans)
    files = write_csv(graph, tmp_path / "csv")
    nodes, rels, n = _rows(files)
    assert n == len(graph.nodes) + len(graph.rels) == len(nodes) + len(rels)
    for _, parts in files.nodes:
        head = (files.folder / parts[0][0]).read_text(encoding="utf-8")
        assert head.startswith(":ID,") and head.rstrip().endswith(",:LABEL")
    assert files.counts["Task"] == len(read_plans(plans).tasks)
    assert f"--array-delimiter={ARRAY_DELIMITER}" in files.arguments()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]  # no temporary folder left beside it


def test_the_pipeline_sink_streams_the_same_csvs(plans: list[Path], tmp_path: Path) -> None:
    whole = write_csv(_memory(plans), tmp_path / "whole")
    sink = ImportSink(tmp_path / "streamed")
    done = run(plans, [sink], jobs=1)
    assert done["sinks"] == [{"documents": len(plans), "tasks": done["tasks"]}]
    assert sink.files is not None and sink.files.counts == whole.counts
    assert _rows(sink.files) == _rows(whole)
    # What stays in memory is the agencies and documents alone.
    assert {n.label for n in sink.graph.nodes.values()} == {"Agency", "Document"}


def _task_rows(files: ImportFiles) -> set:
    return {r for r in _rows(files)[0] if (":LABEL", "Task") in r}


def test_a_document_read_again_replaces_its_earlier_reading(plans: list[Path], tmp_path: Path) -> None:
    text = plans[1].read_text(encoding="utf-8")
    changed = tmp_path / "changed" / plans[1].name
    changed.parent.mkdir()
    changed.write_text(text.replace("Sở", "Ban", 1), encoding="utf-8")
    sink = ImportSink(tmp_path / "csv")
    run([plans[1], plans[2], changed], [sink], jobs=1)
    assert sink.files is not None
    alone = write_csv(_memory([plans[2], changed]), tmp_path / "alone")
    assert (
        _task_rows(sink.files)
        == _task_rows(alone)
        != _task_rows(write_csv(_memory(plans[1:3]), tmp_path / "x"))
    )
    local = {"Task", "TaskGroup", "BodyAssignment", "AuditFinding", "PART_OF", "LEADS", "COORDINATES"}
    assert {k: n for k, n in sink.files.counts.items() if k in local} == {
        k: n for k, n in alone.counts.items() if k in local
    }


def test_an_interrupted_import_leaves_no_half_written_folder(plans: list[Path], tmp_path: Path) -> None:
    from kg.model import PlanError

    bad = tmp_path / "notes.txt"
    bad.write_text("Không phải kế hoạch.\n", encoding="utf-8")
    target = tmp_path / "out" / "csv"
    with pytest.raises(PlanError):
        run([plans[0], bad], [ImportSink(target)], jobs=1)
    assert not target.parent.exists() or list(target.parent.iterdir()) == []
    # A folder written before stays whole when the next run fails, and is replaced when it succeeds.
    first = write_csv(_memory([plans[0]]), target)
    before = sorted(p.name for p in target.iterdir())
    with pytest.raises(PlanError):
        run([plans[1], bad], [ImportSink(target)], jobs=1)
    assert sorted(p.name for p in target.iterdir()) == before
    assert _rows(first)[2] > 0
    sink = ImportSink(target)
    run([plans[1]], [sink], jobs=1)
    assert sink.files is not None and _rows(sink.files) == _rows(
        write_csv(_memory([plans[1]]), tmp_path / "b")
    )
    assert sorted(p.name for p in target.parent.iterdir()) == ["csv"]


def test_a_folder_of_other_files_is_never_replaced(plans: list[Path], tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="other than import CSVs"):
        run(plans[:1], [ImportSink(tmp_path)], jobs=1)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


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

    sink = ImportSink(tmp_path / "csv")
    run(plans, [sink], jobs=1)  # the pipeline streams the CSVs
    files = sink.files
    assert files is not None
    run_import(files)  # stops the server, imports into a fresh database, starts it again
    Neo4jSink(driver, settings.database).ensure_schema()
    set_empty_lists(files, driver, settings.database)
    imported = _dump(driver, settings.database)
    assert imported[0] == loaded[0]
    assert imported[1] == loaded[1]
    assert _answers(driver, settings, plans) == answers
