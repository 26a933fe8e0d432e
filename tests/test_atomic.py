"""Atomic, locked stores: a build is swapped in whole or not at all, one writer at a time.

The kill tests run the real ``kg`` command on a generated corpus (``kg synth``)
and stop it with ``kill -9`` or Ctrl-C (SIGINT to its process group, as a
terminal sends it) while it writes the new store: the old store answers as
before, no worker process is left, and the next build leaves no temporary folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.cli import main
from kg.pipeline import build_files
from kg.stores import StoreError
from kg.stores import rdf as R
from kg.stores.atomic import MARK, Rebuild, lock_path, retired_path, stale_folders
from kg.synth import write_corpus
from tests.conftest import SAMPLE

ROOT = Path(__file__).resolve().parent.parent
# This tree's kg (an installed `kg` script may run another checkout's).
KG = [sys.executable, "-m", "kg.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
PLANS = 160  # enough for a build of several seconds, with worker processes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plans")
    write_corpus(PLANS, out, seed=5)
    return out


@pytest.fixture(scope="module")
def old(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the first plans of the corpus: what a rebuild over it must not lose."""
    path = tmp_path_factory.mktemp("old") / "kg"
    build_files(sorted(corpus.glob("*.txt"))[:10], path, jobs=1)
    return path


def _graphs(store: Path) -> int:
    return len(list(R.open_store(store).named_graphs()))


def _answers(store: Path) -> tuple:
    return _graphs(store), R.run_named("agency-load", {}, store=store)


def _copy(store: Path, to: Path) -> Path:
    import shutil

    shutil.copytree(store, to)
    return to


def _kg(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [*KG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=ENV, **kw
    )


def _processes_of(marker: str) -> list[int]:
    """The processes whose command line names *marker* (a build's store path): the build and its workers."""
    found = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit() and int(p.name) != os.getpid():
            try:
                if marker.encode() in (p / "cmdline").read_bytes():
                    found.append(int(p.name))
            except OSError:
                continue
    return found


def _wait_for_the_new_store(store: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the build writes its new store beside the old one (it has read its first files)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if any((f / "oxigraph").is_dir() for f in stale_folders(store)):
            time.sleep(1.0)  # well into the writing
            return
        time.sleep(0.05)
    pytest.fail(f"the build did not start writing (exit {proc.poll()})")


def test_a_store_without_its_mark_is_refused_in_one_line(old: Path, tmp_path: Path, runner) -> None:
    store = _copy(old, tmp_path / "kg")
    (store / MARK).unlink()
    res = runner.invoke(main, ["query", "agency-load", "--store", str(store)])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [
        f"Error: {store}: incomplete store (no {MARK}, which a build writes last); "
        f"run `kg build FILE... --store {store}` again"
    ]
    with pytest.raises(StoreError, match="incomplete store"):
        R.open_store(store)
    # A build replaces the unfinished store with a whole one.
    assert runner.invoke(main, ["build", str(SAMPLE), "--store", str(store), "-q"]).exit_code == 0
    assert R.run_named("agency-load", {}, store=store)


def test_a_store_opened_before_a_swap_answers_from_the_old_store(old: Path, tmp_path: Path) -> None:
    """A query that opened the store before a build swapped a new one in finishes on the old one:
    the engine opens some files only when a query first needs them, and those must be the old
    store's files, not the new store's under the same name."""
    store = _copy(old, tmp_path / "kg")
    before = _answers(store)
    opened = R.open_store(store)  # nothing read yet
    build_files([SAMPLE], store, jobs=1, prune=True)  # everything replaced: the old store retired
    assert _graphs(store) != before[0]
    assert len(list(opened.named_graphs())) == before[0]
    assert R.run_named("agency-load", {}, store=opened) == before[1]


def test_a_second_writer_fails_in_one_line_or_waits(old: Path, tmp_path: Path, runner) -> None:
    store = _copy(old, tmp_path / "kg")
    before = _answers(store)
    args = ["build", str(SAMPLE), "--store", str(store), "-q"]
    with Rebuild(store):  # another build holds the lock
        res = runner.invoke(main, args)
    assert res.exit_code == 1 and len(res.stderr.strip().splitlines()) == 1
    assert "another build is writing this store" in res.stderr and f"process {os.getpid()}" in res.stderr
    assert _answers(store) == before and not stale_folders(store)
    holder = Rebuild(store).__enter__()
    threading.Timer(1.0, holder.__exit__, (None, None, None)).start()
    started = time.monotonic()
    res = runner.invoke(main, [*args, "--wait"])
    assert res.exit_code == 0, res.output
    assert time.monotonic() - started >= 0.9 and _graphs(store) == before[0] + 1


def test_two_first_builds_into_one_new_path_one_wins(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "new" / "kg"
    files = [str(f) for f in sorted(corpus.glob("*.txt"))[:40]]
    procs = [_kg("build", *files, "--store", str(store), "-q") for _ in range(2)]
    outs = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]
    assert sorted(code for code, _ in outs) == [0, 1], outs
    [winner] = [p.pid for p, (code, _) in zip(procs, outs, strict=True) if code == 0]
    [loser] = [err for code, err in outs if code == 1]
    assert loser.strip().splitlines() == [
        f"Error: {store}: another build is writing this store (process {winner}); "
        "nothing was changed (try again, or --wait)"
    ]
    assert _graphs(store) == 40 + 4 and not stale_folders(
        store
    )  # 40 plans, ontology, gazetteer, events, shared


@pytest.mark.parametrize("how", ["kill -9", "Ctrl-C"])
def test_a_build_stopped_midway_leaves_the_old_store(
    corpus: Path, old: Path, tmp_path: Path, how: str
) -> None:
    store = _copy(old, tmp_path / "kg")
    before = _answers(store)
    proc = _kg("build", str(corpus), "--store", str(store), "-q")
    _wait_for_the_new_store(store, proc)
    assert proc.poll() is None, "the build ended before it could be stopped"
    if how == "kill -9":
        os.kill(proc.pid, signal.SIGKILL)
    else:
        os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole foreground group
    code = proc.wait(timeout=120)
    err = proc.stderr.read().decode()
    if how == "Ctrl-C":
        assert code == 130 and err.strip().splitlines() == [
            f"interrupted: {store} is as it was before this build"
        ]
        assert not stale_folders(store)  # removed on the way out
    else:
        assert code == -signal.SIGKILL
    assert _answers(store) == before  # queries answer as before the build
    time.sleep(1.0)
    assert _processes_of(str(store)) == []  # no reader worker outlives the build
    res = subprocess.run(
        [*KG, "build", str(corpus), "--store", str(store), "-q"], capture_output=True, text=True, env=ENV
    )
    assert res.returncode == 0, res.stderr
    assert _graphs(store) == PLANS + 4
    # Beside the store: its lock, and the store this build replaced (kept for readers still on it).
    hidden = sorted(p.name for p in store.parent.iterdir() if p.name.startswith("."))
    assert hidden == sorted([lock_path(store).name, retired_path(store).name])


def test_a_query_during_a_rebuild_sees_the_old_store_or_the_new(
    corpus: Path, old: Path, tmp_path: Path
) -> None:
    store = _copy(old, tmp_path / "kg")
    old_graphs = _graphs(store)
    proc = _kg("build", str(corpus), "--store", str(store), "-q")
    seen: list[int] = []
    while proc.poll() is None:
        seen.append(_graphs(store))
    seen.append(_graphs(store))
    assert proc.returncode == 0, proc.stderr.read().decode()
    assert set(seen) == {old_graphs, PLANS + 4} and seen == sorted(seen), sorted(set(seen))
