"""The pipeline: each file read once, audited, and written to every sink, streamed in file order."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import loaders
from kg.cli import main
from kg.graph.network import build_graph
from kg.pipeline import AuditSink, Neo4jLoad, NetworkxSink, OxigraphSink, Read, audits_of, build_files, run
from kg.stores import rdf as R
from kg.synth import write_corpus
from loaders import read_plans


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plans")
    write_corpus(12, out, seed=21)
    (out / "README.md").write_text("# Notes\n\nNo task table here.\n", encoding="utf-8")
    return out


def _same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    return dict(a.nodes(data=True)) == dict(b.nodes(data=True)) and sorted(
        a.edges(keys=True, data=True), key=repr
    ) == sorted(b.edges(keys=True, data=True), key=repr)


def test_one_read_feeds_every_sink(corpus: Path, tmp_path: Path) -> None:
    """The store and the networkx graph of one pass equal those made the old way, every file read once."""
    whole = read_plans([corpus])
    reference = build_graph(whole, audits_of(whole))
    graph, audit, skipped = NetworkxSink(), AuditSink(), []
    counts = build_files([corpus], tmp_path / "kg", jobs=2, sinks=[graph, audit], skipped=skipped.append)
    assert counts["tasks"] == len(whole.tasks) and skipped == [str(corpus / "README.md")]
    assert _same_graph(graph.graph, reference)
    assert [r.document for r in audit.reports] == [d.id for d in whole.documents]
    assert R.run_named("agency-load", {}, store=tmp_path / "kg")


def test_each_file_is_loaded_once(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from functools import lru_cache

    from loaders import dispatch

    loads: list[str] = []
    real = dispatch._load.__wrapped__

    def counting(path, identity):
        loads.append(path.name)
        return real(path, identity)

    monkeypatch.setattr(dispatch, "_load", lru_cache(maxsize=1)(counting))
    run([corpus], [NetworkxSink(), AuditSink()], jobs=1)
    assert sorted(loads) == sorted(p.name for p in corpus.iterdir())  # appendix and body: one load


class _Recorder:
    """A Neo4j sink stand-in: what it was given, and how many files had been read by then."""

    def __init__(self, read: list[str]) -> None:
        self.read, self.calls = read, []

    def ensure_schema(self) -> None:
        self.calls.append(("schema", len(self.read)))

    def statements(self, result, audits):  # in the reader (here in-process: jobs=1)
        audits = list(audits)
        return [(d.id, len(result.tasks), len(audits)) for d in result.documents]

    def write_statements(self, docs, *, replace, progress):
        from kg.stores.neo4j import LoadReport

        self.calls.append(([d for d, _, _ in docs], len(self.read), sum(a for _, _, a in docs)))
        return LoadReport(len(docs), sum(n for _, n, _ in docs), 0)


def test_neo4j_load_streams_one_file_at_a_time(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Neo4j sink gets each file as it is read (never the whole batch), one document per write."""
    read: list[str] = []
    real = loaders.read_plan

    def reading(path, **kw):
        read.append(str(path))
        return real(path, **kw)

    monkeypatch.setattr(loaders, "read_plan", reading)
    recorder = _Recorder(read)
    sink = Neo4jLoad(recorder)
    run([corpus], [sink], jobs=1)
    plans = len(list(corpus.glob("*.txt")))
    writes = [c for c in recorder.calls if c[0] != "schema"]
    assert len(writes) == plans and all(len(docs) == 1 and audits == 1 for docs, _, audits in writes)
    assert writes[0][1] < plans  # the first document went before the last file was read
    assert [seen for _, seen, _ in writes] == sorted(seen for _, seen, _ in writes)
    assert sink.close()["documents"] == plans


def test_a_sink_is_aborted_when_reading_fails(corpus: Path, tmp_path: Path) -> None:
    from kg.model import PlanError
    from kg.stores.atomic import Rebuild, stale_folders

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00 not a plan")
    graph = NetworkxSink()
    with Rebuild(tmp_path / "kg") as rebuild:
        from kg.model.gazetteer import Gazetteer

        store = OxigraphSink(rebuild, Gazetteer.default())
        with pytest.raises(PlanError, match=r"bad\.txt"):
            run([*sorted(corpus.glob("*.txt"))[:2], bad], [store, graph], jobs=1)
        assert store.writer is None
    assert not (tmp_path / "kg").exists() and not stale_folders(tmp_path / "kg")


def test_read_is_what_a_worker_sends(sample) -> None:
    import pickle

    read = Read(sample, tuple(audits_of(sample)))
    assert pickle.loads(pickle.dumps(read)) == read


def test_kg_audit_passes_over_a_folders_notes(corpus: Path, runner) -> None:
    res = runner.invoke(main, ["audit", str(corpus), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert str(corpus / "README.md") not in res.stdout and str(sorted(corpus.glob("*.txt"))[0]) in res.stdout
