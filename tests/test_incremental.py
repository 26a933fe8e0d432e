"""Incremental ``kg build``: only new or changed files are read, ``--prune`` drops the documents of files gone,
and the store equals a fresh build of the same files every time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import pipeline as P
from kg.cli import main
from kg.stores import rdf as R
from kg.stores.manifest import MANIFEST, Manifest
from kg.synth import write_corpus
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plans")
    write_corpus(5, out, seed=11)
    (out / "README.md").write_text("# Notes\n\nNo task table here.\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Plans of another seed: a file's new content, with other documents and tasks."""
    out = tmp_path_factory.mktemp("other")
    write_corpus(2, out, seed=12)
    return out


@pytest.fixture
def corpus(plans: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(plans, folder)
    return folder


def _build(files: list[Path], store: Path, **kw) -> tuple[dict, object, list[str]]:
    plans, skipped = [], []
    counts = P.build_files(files, store, jobs=1, plan=plans.append, skipped=skipped.append, **kw)
    return counts, plans[0], skipped


def _fresh(folder: Path, tmp_path: Path, name: str) -> set:
    path = tmp_path / name
    P.build_files([folder], path, jobs=1)
    return set(R.open_store(path))


def test_an_unchanged_rerun_reads_nothing(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    first, plan, skipped = _build([corpus], store)
    assert (len(plan.new), plan.changed, plan.unchanged, plan.removed) == (6, (), (), ())
    assert first["documents"] == 5 and skipped == [str(corpus / "README.md")]
    before = set(R.open_store(store))
    again, plan, skipped = _build([corpus], store)
    assert again == {"documents": 0, "tasks": 0, "quads": first["quads"]}  # no document was parsed
    assert (plan.new, plan.changed, len(plan.unchanged), plan.removed) == ((), (), 6, ())
    assert skipped == [str(corpus / "README.md")]  # still said, without reading it
    assert set(R.open_store(store)) == before


def test_a_changed_file_replaces_its_documents(corpus: Path, other: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    _build([corpus], store)
    target = sorted(corpus.glob("*.txt"))[1]
    old = {d for e in Manifest.load(store).files.values() for d in e.documents}
    target.write_bytes(sorted(other.glob("*.txt"))[0].read_bytes())  # another plan in the same file
    counts, plan, _ = _build([corpus], store)
    assert plan.changed == (str(target.resolve()),) and len(plan.unchanged) == 5 and not plan.new
    assert counts["documents"] == 1
    now = {d for e in Manifest.load(store).files.values() for d in e.documents}
    assert len(old - now) == 1 and len(now - old) == 1  # the old document is gone, the new one is there
    assert set(R.open_store(store)) == _fresh(corpus, tmp_path, "fresh")


def test_a_new_file_is_added_and_prune_removes_the_files_gone(
    corpus: Path, other: Path, tmp_path: Path
) -> None:
    store = tmp_path / "kg"
    _build([corpus], store)
    added = corpus / "zz-added.txt"
    added.write_bytes(sorted(other.glob("*.txt"))[1].read_bytes())
    counts, plan, _ = _build([corpus], store)
    assert plan.new == (str(added.resolve()),) and counts["documents"] == 1
    assert set(R.open_store(store)) == _fresh(corpus, tmp_path, "fresh-added")
    gone = sorted(corpus.glob("*.txt"))[0]
    gone.unlink()
    _, plan, _ = _build([corpus], store)  # without --prune the documents stay
    assert plan.removed == ()
    kept = set(R.open_store(store))
    _, plan, _ = _build([corpus], store, prune=True)
    assert plan.removed == (str(gone.resolve()),)
    pruned = set(R.open_store(store))
    assert pruned == _fresh(corpus, tmp_path, "fresh-pruned") and pruned < kept


def test_answers_equal_a_fresh_build(corpus: Path, other: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    _build(sorted(corpus.glob("*.txt"))[:2], store)
    sorted(corpus.glob("*.txt"))[0].write_bytes(sorted(other.glob("*.txt"))[0].read_bytes())
    _build([corpus], store, prune=True)
    fresh = tmp_path / "fresh"
    P.build_files([corpus], fresh, jobs=1)
    for name in ("agency-load", "plan-summary", "co-responsibility", "deadlines", "document-chain"):
        assert R.run_named(name, {}, store=store) == R.run_named(name, {}, store=fresh), name
    agency = R.run_named("agency-load", {}, store=fresh)[0]["agency"]
    for name in ("depends-on", "agency-profile"):
        assert R.run_named(name, {"agency": agency}, store=store) == R.run_named(
            name, {"agency": agency}, store=fresh
        )


def test_records_built_over_a_store_are_read_again_next_time(corpus: Path, tmp_path: Path) -> None:
    from loaders import read_plan

    store = tmp_path / "kg"
    _build([corpus], store)
    first = sorted(corpus.glob("*.txt"))[0]
    P.build([read_plan(first)], store)  # the graph of that file, written from records: not hashed
    _, plan, _ = _build([corpus], store)
    assert plan.new == (str(first.resolve()),) and len(plan.unchanged) == 5


def test_build_says_what_it_did(corpus: Path, tmp_path: Path, runner) -> None:
    store = str(tmp_path / "kg")
    res = runner.invoke(main, ["build", str(corpus), str(SAMPLE), "--store", store, "-q"])
    assert res.exit_code == 0, res.output
    assert "files: 7 new, 0 changed, 0 unchanged, 0 removed" in res.stderr
    res = runner.invoke(main, ["build", str(corpus), str(SAMPLE), "--store", store, "-q", "--prune"])
    assert ": 0 documents, 0 tasks," in res.stderr
    assert "files: 0 new, 0 changed, 7 unchanged, 0 removed" in res.stderr
    assert (tmp_path / "kg" / MANIFEST).is_file()


def test_a_document_another_file_still_gives_stays(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    _build([corpus], store)
    copy = corpus / "zz-copy.txt"
    copy.write_bytes(sorted(corpus.glob("*.txt"))[2].read_bytes())  # the same plan twice
    _build([corpus], store)
    copy.unlink()
    _, plan, _ = _build([corpus], store, prune=True)
    assert plan.removed == (str(copy.resolve()),)
    assert set(R.open_store(store)) == _fresh(corpus, tmp_path, "fresh")


def test_a_build_that_reads_every_file_again_starts_from_nothing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other code (another fingerprint) reads every file again: the new store is built afresh, not from a
    copy of the old one, and is what a fresh build gives; a store that holds more than the files read is
    still built from a copy, so nothing else goes."""
    from kg.stores import manifest, rdf_write

    store = tmp_path / "kg"
    _build([corpus], store)
    copies: list[Path] = []
    real = rdf_write.checkpoint
    monkeypatch.setattr("kg.pipeline.checkpoint", lambda old, new: copies.append(old) or real(old, new))
    monkeypatch.setattr(manifest, "fingerprint", lambda: "other code")
    counts, plan, _ = _build([corpus], store)
    assert len(plan.changed) == 6 and counts["documents"] == 5 and copies == []
    assert set(R.open_store(store)) == _fresh(corpus, tmp_path, "fresh")
    monkeypatch.setattr(manifest, "fingerprint", lambda: "yet other code")
    _build(sorted(corpus.glob("*.txt"))[:2], store)  # the other three plans stay
    assert copies == [store.resolve()] and set(R.open_store(store)) == _fresh(corpus, tmp_path, "fresh-2")
