"""The records ``kg build`` keeps beside the quads (kg.stores.graph.PARTS) compose the store's graph.

The explorer starts from :func:`kg.stores.graph.stored_graph` instead of reading
the whole store (:func:`kg.stores.graph.to_networkx`): the two must be the same
graph, node for node and edge for edge, after a first build, an incremental
build and a ``--prune``, and a store whose parts do not cover it must have none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.pipeline import build, build_files
from kg.stores.graph import PARTS, parts_order, read_graph, stored_graph, to_networkx
from kg.stores.manifest import Manifest
from tests.conftest import SAMPLE


def _edges(G) -> set:
    return {(u, v, k, tuple(sorted(d.items()))) for u, v, k, d in G.edges(keys=True, data=True)}


def _shared_group_ids(G) -> set[str]:
    """The tasks whose group id another group of their plan, with another title, has too: the store keeps
    one group per id and plan (one node, two titles), the records keep each task's own title."""
    titles: dict[tuple[str, str], set[str]] = {}
    for _, d in G.nodes(data=True):
        if d["type"] == "task" and d["group"]:
            titles.setdefault((d["document"], d["group"]), set()).add(d["group_title"])
    return {
        n
        for n, d in G.nodes(data=True)
        if d["type"] == "task" and d["group"] and len(titles[d["document"], d["group"]]) > 1
    }


def assert_composed_is_read(store: Path) -> None:
    """The graph composed from the store's parts is the graph read from its quads (but for the titles of
    groups whose ids repeat in a plan, which the quads cannot tell apart)."""
    G, H = stored_graph(store), to_networkx(store)
    assert G is not None, "the build kept no usable parts"
    assert set(G) == set(H)
    differ = {n for n in G if G.nodes[n] != H.nodes[n]}
    assert differ <= _shared_group_ids(G)
    for n in differ:
        assert {k: v for k, v in G.nodes[n].items() if k != "group_title"} == {
            k: v for k, v in H.nodes[n].items() if k != "group_title"
        }
    assert _edges(G) == _edges(H)
    assert G.number_of_edges() == H.number_of_edges()


def _plans(corpus: Path) -> list[Path]:
    """The corpus files with a task table (the prose plans state their tasks in the text only)."""
    return sorted(corpus.glob("doc*.txt")) + sorted((corpus / "more").glob("*.txt"))


def test_the_sample_graph_composed_from_parts_is_the_store_graph(tmp_path):
    store = tmp_path / "kg"
    build_files([SAMPLE], store)
    assert_composed_is_read(store)
    assert any(d["type"] == "body_assignment" for _, d in stored_graph(store).nodes(data=True))
    [entry] = Manifest.load(store).files.values()
    assert parts_order(store) == [entry.hash]


def test_the_corpus_graph_composed_from_parts_is_the_store_graph(tmp_path, corpus_dir):
    store = tmp_path / "kg"
    build_files([corpus_dir], store)  # the folder and its subfolders: prose plans and READMEs too
    assert len(parts_order(store)) == len([e for e in Manifest.load(store).files.values() if e.documents])
    assert_composed_is_read(store)


def test_incremental_builds_and_prune_keep_the_parts_exact(tmp_path, corpus_dir):
    plans = tmp_path / "plans"
    plans.mkdir()
    files = [SAMPLE, *_plans(corpus_dir)[:4]]
    for f in files[:3]:
        shutil.copy(f, plans / f.name)
    store = tmp_path / "kg"
    build_files([plans], store)
    assert_composed_is_read(store)
    first = {h: (store / PARTS / f"{h}.pickle").stat().st_ino for h in parts_order(store)}

    # A new file and a changed one: the unchanged parts are the old files (linked), the others new.
    for f in files[3:]:
        shutil.copy(f, plans / f.name)
    changed = plans / files[0].name
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Sở Tài chính", "Sở Tư pháp", 1), encoding="utf-8")
    before = stored_graph(store)
    build_files([plans], store)
    assert_composed_is_read(store)
    assert _edges(stored_graph(store)) != _edges(before)
    order = parts_order(store)
    assert len(order) == 5
    kept = [h for h in order if h in first]
    assert len(kept) == 2 and all((store / PARTS / f"{h}.pickle").stat().st_ino == first[h] for h in kept)
    assert order[:2] == kept  # the files read last come last, as the store took them

    # A file removed, with --prune: its part goes with its graph.
    (plans / files[1].name).unlink()
    build_files([plans], store, prune=True)
    assert_composed_is_read(store)
    assert len(parts_order(store)) == 4
    assert len(list((store / PARTS).glob("*.pickle"))) == 4


def test_a_store_written_from_records_has_no_parts_and_is_read_from_its_quads(tmp_path, sample):
    store = tmp_path / "kg"
    build_files([SAMPLE], store)
    build([sample], store)  # the Python API: records, no files to key parts by
    assert stored_graph(store) is None and not (store / PARTS).exists()
    H = to_networkx(store)
    assert dict(read_graph(store).nodes(data=True)) == dict(H.nodes(data=True))


def test_parts_that_do_not_cover_the_store_are_not_kept(tmp_path, corpus_dir):
    plans = tmp_path / "plans"
    plans.mkdir()
    a, b = _plans(corpus_dir)[:2]
    shutil.copy(a, plans / a.name)
    store = tmp_path / "kg"
    build_files([plans], store)
    shutil.rmtree(store / PARTS)  # as a store built by code that kept none
    shutil.copy(b, plans / b.name)
    build_files([plans], store)  # only the new file is read: its part alone would miss the first one
    assert stored_graph(store) is None and not (store / PARTS).exists()
    b2 = plans / b.name
    b2.write_text(b2.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_files([plans], store)
    assert stored_graph(store) is None


def test_parts_of_other_code_are_not_used(tmp_path, monkeypatch):
    import kg.stores.graph as graph

    store = tmp_path / "kg"
    build_files([SAMPLE], store)
    assert stored_graph(store) is not None
    monkeypatch.setattr(graph, "parts_fingerprint", lambda: "other code")
    assert stored_graph(store) is None


def test_a_part_that_would_run_code_is_refused(tmp_path):
    import pickle

    store = tmp_path / "kg"
    build_files([SAMPLE], store)
    [part] = (store / PARTS).glob("*.pickle")
    part.write_bytes(pickle.dumps(([], [Path("x")])))  # any class but a date: not a part this code made
    assert stored_graph(store) is None


@pytest.mark.parametrize("broken", ["missing", "truncated"])
def test_a_damaged_part_falls_back_to_the_quads(tmp_path, broken):
    store = tmp_path / "kg"
    build_files([SAMPLE], store)
    [part] = (store / PARTS).glob("*.pickle")
    if broken == "missing":
        part.unlink()
    else:
        part.write_bytes(part.read_bytes()[:100])
    assert stored_graph(store) is None
    assert read_graph(store).number_of_nodes() == to_networkx(store).number_of_nodes()


def test_the_explorer_starts_from_the_parts_and_shows_the_same(tmp_path, monkeypatch):
    from kg.explorer.data import Explorer

    store = tmp_path / "kg"
    build_files([SAMPLE], store)
    ex = Explorer(store, cache=False)
    assert ex.read_from == "parts"
    monkeypatch.setattr("kg.stores.graph.stored_graph", lambda path: None)  # as a store without parts
    old = Explorer(store, cache=False)
    assert old.read_from == "quads"
    assert ex.summary() == old.summary()
    assert [h.url for h in ex.search("so noi vu")] == [h.url for h in old.search("so noi vu")]
    plan = next(d["id"] for _, d in ex.G.nodes(data=True) if d["type"] == "document" and d["read"])
    assert ex.plan_tasks(plan) == old.plan_tasks(plan)
    for _, d in ex.G.nodes(data=True):
        if d["type"] == "task":
            assert ex.task(d["document"], d["id"]) == old.task(d["document"], d["id"])
        elif d["type"] == "agency":
            assert ex.agency_record(d["id"]) == old.agency_record(d["id"])


def test_kg_serve_says_where_the_graph_came_from(tmp_path):
    import signal

    from tests.test_explorer import start_server

    store = tmp_path / "kg"
    build_files([SAMPLE], store)
    for _ in range(2):  # the parts are the cache: a graph composed from them is not cached again
        s = start_server(store, cache=tmp_path / "cache")
        assert s.get("/").status_code == 200
        s.process.send_signal(signal.SIGINT)
        _, err = s.process.communicate(timeout=30)
        assert "graph composed from the records the build kept in " in err
    assert not list((tmp_path / "cache").glob("*.pickle"))
    shutil.rmtree(store / PARTS)  # as a store built by older code: read from the quads, then cached
    for expected in ("read from the quads", "from the cache of an earlier start"):
        s = start_server(store, cache=tmp_path / "cache")
        s.process.send_signal(signal.SIGINT)
        _, err = s.process.communicate(timeout=30)
        assert f"graph {expected}" in err
