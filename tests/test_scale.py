"""Streaming and parallel ``kg build``: the same store as reading everything first, bounded loads, progress bars.

The corpus is a small generated one (``kg synth``), large enough for the
reader to use worker processes (``loaders.PARALLEL_FROM``).
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import pipeline as P
from kg.cli import main
from kg.model import PlanError
from kg.pipeline import audits_of
from kg.rdf.plan import SHARED_GRAPH, document_graph_iri
from kg.stores import rdf as R
from kg.stores import rdf_write as W
from kg.synth import write_corpus
from loaders import PARALLEL_FROM, iter_plans, read_plan, read_plans
from tests.conftest import SAMPLE

KG = str(Path(sys.executable).with_name("kg"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    write_corpus(PARALLEL_FROM + 4, out, seed=7)
    (out / "README.md").write_text("# Notes\n\nNo task table here.\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> set:
    """The store built the old way: every document read first, then one build with their audits."""
    result = read_plans([corpus])
    path = tmp_path_factory.mktemp("ref") / "kg"
    P.build([result], path, audits=audits_of(result))
    return set(R.open_store(path))


def _tasks(result) -> list:
    return [t.as_dict() for t in result.tasks]


def test_parallel_reading_gives_the_files_in_order(corpus: Path) -> None:
    whole = read_plans([corpus])
    for jobs in (1, 2):
        done: list[int] = []
        parts = list(iter_plans([corpus], jobs=jobs, chunksize=3, progress=done.append))
        assert [d.id for p in parts for d in p.documents] == [d.id for d in whole.documents]
        assert [t for p in parts for t in _tasks(p)] == _tasks(whole)
        assert sum(done) == len(list(corpus.iterdir()))  # the README counts as a file done, not a document


def test_a_bad_file_raises_when_its_turn_comes(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01 binary")
    files = sorted(corpus.glob("*.txt"))
    seen = []
    with pytest.raises(PlanError) as e:
        for r in iter_plans([*files[:PARALLEL_FROM], bad, *files[PARALLEL_FROM:]], jobs=2, chunksize=2):
            seen.append(r.documents[0].id)
    assert e.value.file == str(bad) and "binary" in str(e.value)
    assert len(seen) == PARALLEL_FROM  # every file before it was given, none after
    with pytest.raises(PlanError, match="task table"):  # a file named on its own must have one
        list(iter_plans([corpus / "README.md"]))


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_files_gives_the_store_of_build(
    corpus: Path, reference: set, tmp_path: Path, jobs: int
) -> None:
    warnings: list = []
    counts = P.build_files([corpus], tmp_path / "kg", jobs=jobs, warn=warnings.append)
    assert set(R.open_store(tmp_path / "kg")) == reference
    result = read_plans([corpus])
    assert counts == {"documents": len(result.documents), "tasks": len(result.tasks), "quads": len(reference)}
    assert [str(w) for w in warnings] == [str(w) for w in result.warnings]


def test_rebuilding_over_a_store_replaces_rather_than_adds(
    corpus: Path, reference: set, tmp_path: Path
) -> None:
    path = tmp_path / "kg"
    P.build_files(sorted(corpus.glob("*.txt"))[:3], path)  # into an empty store: loaded as read
    P.build_files([corpus], path)  # over content: staged, three graphs replaced, the others added
    assert set(R.open_store(path)) == reference
    sample = read_plan(SAMPLE)
    P.build([sample], path)
    P.build_files([corpus], path, jobs=1)
    got = set(R.open_store(path))
    assert any(q.graph_name == ox.NamedNode(document_graph_iri(sample.documents[0].id)) for q in got)
    shared = ox.NamedNode(SHARED_GRAPH)
    assert {q for q in reference if q.graph_name != shared} <= got


def test_a_failed_build_leaves_no_store_behind(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00 not a plan")
    files = sorted(corpus.glob("*.txt"))
    with pytest.raises(PlanError):
        P.build_files([*files, bad], tmp_path / "new")
    assert not (tmp_path / "new").exists()
    P.build([read_plan(SAMPLE)], tmp_path / "kg")
    before = set(R.open_store(tmp_path / "kg"))
    with pytest.raises(PlanError):
        P.build_files([*files, bad], tmp_path / "kg")
    assert set(R.open_store(tmp_path / "kg")) == before


def test_loading_in_slices_loads_every_line(tmp_path: Path) -> None:
    lines = [f'<urn:s{i}> <urn:p> "{i} é" <urn:g{i % 3}> .\n' for i in range(500)]
    staging = tmp_path / "x.nq"
    staging.write_text("".join(lines), encoding="utf-8")
    whole, sliced, threaded = ox.Store(), ox.Store(), ox.Store()
    whole.bulk_load(staging.read_bytes(), format=ox.RdfFormat.N_QUADS)
    W._load_file(sliced, staging, chunk=100)  # cuts fall inside lines
    loader = W._Loader(threaded, chunk=300)
    for line in lines:
        loader.write(line.encode())
    loader.close()
    assert len(whole) == 500 and set(sliced) == set(whole) == set(threaded)


def _run_on_a_terminal(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> str:
    """Run ``kg ARGS`` with its stderr on a pseudo-terminal; what it wrote there."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [KG, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=secondary,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
    )
    os.close(secondary)
    out = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    os.close(primary)
    assert proc.wait(timeout=120) == 0, out
    return out.decode("utf-8", "replace")


def test_build_shows_a_progress_bar_on_a_terminal_only(corpus: Path, tmp_path: Path, runner) -> None:
    res = runner.invoke(main, ["build", str(corpus), "--store", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert "reading plans" not in res.stderr and "documents" in res.stderr  # a pipe: the summary only
    shown = _run_on_a_terminal(["build", str(corpus), "--store", str(tmp_path / "b")], tmp_path)
    assert "reading plans" in shown and "100%" in shown
    quiet = _run_on_a_terminal(["build", str(corpus), "--store", str(tmp_path / "c"), "-q"], tmp_path)
    assert "reading plans" not in quiet and "documents" in quiet
    assert set(R.open_store(tmp_path / "a")) == set(R.open_store(tmp_path / "b"))


def test_neo4j_load_shows_a_progress_bar_on_a_terminal_only(
    corpus: Path, tmp_path: Path, runner, neo4j_db
) -> None:
    _, settings = neo4j_db
    env = {"NEO4J_URI": settings.uri, "NEO4J_DATABASE": settings.database}
    files = [str(f) for f in sorted(corpus.glob("*.txt"))[:3]]
    res = runner.invoke(main, ["neo4j", "load", *files], env=env)
    assert res.exit_code == 0, res.output
    assert "loading documents" not in res.stderr and "loaded 3 documents" in res.stderr
    shown = _run_on_a_terminal(["neo4j", "load", *files], tmp_path, env)
    quiet = _run_on_a_terminal(["neo4j", "load", *files, "-q"], tmp_path, env)
    assert "loading documents" in shown and "100%" in shown and "loaded 3 documents" in shown
    assert "loading documents" not in quiet
