"""Atomic, locked rebuilds of a store folder: the new store is made beside the old one and swapped in.

A build never writes into the folder readers open.  It takes a lock
(``fcntl.flock`` on ``.NAME.lock`` beside the store ``NAME``), makes the new
store in a hidden sibling folder ``.NAME.build-PID`` (an incremental build
starts from a checkpoint of the old store: ``pyoxigraph.Store.backup`` hard-links
its immutable files, so it costs milliseconds whatever the store's size), writes
the completeness mark (``kg-store.json``) last, and then swaps the two folders
with one rename (Linux ``renameat2(RENAME_EXCHANGE)``; two renames elsewhere).
The store it replaced stays beside it as ``.NAME.retired`` until the next build
(under the lock) removes it.  So:

* a reader opens the old store or the new one, never a mix: a store is opened
  through a descriptor of its folder (:func:`pinned`), so a store opened before
  the swap goes on reading the old folder, under its new name, whose files
  stay until the next build (RocksDB opens some of its files only when a query
  first needs them);
* an interrupted build (Ctrl-C, ``kill -9``, a reading error) leaves the old
  store as it was; what it leaves beside it (``.NAME.build-PID``) is removed by
  the next build, which holds the lock and so knows that no one else is writing;
* a second writer fails at once with one line (:class:`StoreBusy`), or waits
  for the lock (``wait=True``); it never touches another build's folder.

>>> import tempfile
>>> target = Path(tempfile.mkdtemp()) / "kg"
>>> with Rebuild(target) as rb:
...     _ = (rb.start() / "data").write_text("new")
...     rb.commit({"documents": 0})
>>> sorted(p.name for p in target.iterdir()), complete(target)
(['data', 'kg-store.json'], True)
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.stores import StoreError

__all__ = ["ENGINE", "MARK", "Rebuild", "StoreBusy", "complete", "lock_path", "stale_folders"]

# Written last by a build: a folder without it is no store, or one whose build did not finish.
MARK = "kg-store.json"
# The Oxigraph (RocksDB) files, in a folder of their own inside the store.
ENGINE = "oxigraph"
# What a kg store folder may hold: a folder with anything else is not replaced by a build ("kg-graph":
# the records of the explorer's graph, kg.stores.graph.PARTS).
_OWN = {MARK, ENGINE, "kg-build.json", "kg-build.json.tmp", "load.nq.tmp", "kg-graph"}
_FORMAT = {"format": "kg-plans RDF store", "engine": "oxigraph", "version": 1}


class StoreBusy(StoreError):
    """Another build holds the store's lock."""


def _holder(fd: int) -> str:
    """The process id the lock's holder wrote in the lock file. It writes it just after taking the
    lock, so a build that finds the lock taken within that moment waits a little for it (at most 0.5 s)
    rather than name no one."""
    import time

    for _ in range(50):
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if holder.isdigit():
            return holder
        time.sleep(0.01)
    return holder


def lock_path(store: Path) -> Path:
    """The lock file of the store folder *store*: beside it, hidden, never removed (removing a lock file
    lets two processes hold "the" lock at once).

    >>> lock_path(Path("/data/.kg")).as_posix()
    '/data/..kg.lock'
    """
    return store.parent / f".{store.name}.lock"


def _temp_prefix(store: Path) -> str:
    return f".{store.name}.build-"


def retired_path(store: Path) -> Path:
    """Where the store a build replaced waits for the next build: readers that opened it finish on it.

    >>> retired_path(Path("/data/kg")).as_posix()
    '/data/.kg.retired'
    """
    return store.parent / f".{store.name}.retired"


# Descriptors of the store folders opened in this process, by (device, inode): kept open for the
# life of the process so that the engine's later file opens resolve in the folder it opened.
_PINS: dict[tuple[int, int], int] = {}


def pinned(folder: Path) -> str:
    """A path to *folder* that keeps naming the same folder after a build swaps another in its place.

    It goes through a descriptor of the folder (``/proc/self/fd/N`` on Linux); elsewhere the
    folder's own path.
    """
    if not Path("/proc/self/fd").is_dir():
        return str(folder)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    st = os.fstat(fd)
    key = (st.st_dev, st.st_ino)
    if key in _PINS:
        os.close(fd)
        fd = _PINS[key]
    else:
        _PINS[key] = fd
    return f"/proc/self/fd/{fd}"


def stale_folders(store: Path) -> list[Path]:
    """The folders builds of *store* left beside it (new stores not swapped in, old ones not yet removed)."""
    prefix = _temp_prefix(store)
    try:
        return sorted(p for p in store.parent.iterdir() if p.name.startswith(prefix) and p.is_dir())
    except OSError:
        return []


def complete(store: Path) -> bool:
    """Whether *store* is a store whose build finished (it carries the mark)."""
    return (store / MARK).is_file()


def _looks_like_store(folder: Path) -> bool:
    """A folder a build may replace: empty, or holding only what a kg store holds (an unfinished old one)."""
    return all(p.name in _OWN for p in folder.iterdir())


class Rebuild:
    """One locked, atomic build of the store folder *target* (a context manager).

    ``start()`` makes the new store's folder (a checkpoint of the old store when
    *copy*), ``commit(counts)`` marks it complete and swaps it in; leaving the
    ``with`` block without a commit removes the new folder and leaves the old
    store as it was.  The lock is taken on entering (``wait``: wait for it,
    else fail with :class:`StoreBusy`) and released on leaving.
    """

    def __init__(self, target: Path | str, *, wait: bool = False) -> None:
        self.target = Path(
            os.path.realpath(target)
        )  # a store reached through a symlink is swapped where it is
        self.wait = wait
        self.temp = self.target.parent / f"{_temp_prefix(self.target)}{os.getpid()}"
        self._lock: int | None = None
        self.committed = False

    # -- the lock -----------------------------------------------------------------------------------

    def __enter__(self) -> Rebuild:
        target = self.target
        if target.exists() and not target.is_dir():
            raise StoreError(f"{target}: not a kg store (it is a file); nothing was changed")
        if target.is_dir() and not complete(target) and not _looks_like_store(target):
            raise StoreError(f"{target}: not a kg store (no {MARK}); nothing in it was changed")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path(target), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as e:
            raise StoreError(f"{target}: cannot lock the store: {e.strerror or e}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            who = f" (process {holder})" if holder.isdigit() else ""
            raise StoreBusy(
                f"{target}: another build is writing this store{who}; nothing was changed (try again, or --wait)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock = fd
        self._recover()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.committed:
                shutil.rmtree(self.temp, ignore_errors=True)
        finally:
            if self._lock is not None:
                os.ftruncate(self._lock, 0)
                os.close(self._lock)  # releases the flock
                self._lock = None

    def _recover(self) -> None:
        """With the lock held every folder a build left beside the store is dead: put back an old store a
        swap by two renames left outside, then remove the rest, and the store the last build retired."""
        shutil.rmtree(retired_path(self.target), ignore_errors=True)
        for folder in stale_folders(self.target):
            if not self.target.exists() and complete(folder):
                os.rename(folder, self.target)  # killed between the two renames of _swap's fallback
                continue
            shutil.rmtree(folder, ignore_errors=True)

    # -- the new store ------------------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        """Whether there is a finished store to start from."""
        return complete(self.target)

    def start(self, copy: Callable[[Path, Path], None] | None = None) -> Path:
        """Make the new store's folder and return it; *copy(old, new)* first fills it from the old store."""
        shutil.rmtree(self.temp, ignore_errors=True)
        if copy is not None and self.exists:
            self.temp.mkdir()
            copy(self.target, self.temp)
        else:
            self.temp.mkdir()
        return self.temp

    def commit(self, counts: dict[str, Any]) -> None:
        """Write the completeness mark into the new store, swap it in, retire the old one."""
        mark = json.dumps({**_FORMAT, **counts}, ensure_ascii=False) + "\n"
        tmp = self.temp / (MARK + ".tmp")
        tmp.write_text(mark, encoding="utf-8")
        os.replace(tmp, self.temp / MARK)
        _swap(self.temp, self.target)
        self.committed = True
        if self.temp.exists():  # the old store, after the exchange: readers may still be on it
            shutil.rmtree(retired_path(self.target), ignore_errors=True)
            os.rename(self.temp, retired_path(self.target))


def _exchange(a: Path, b: Path) -> bool:
    """Swap the paths *a* and *b* in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False when
    the system or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP}:
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap(new: Path, target: Path) -> None:
    """Put the folder *new* at *target*; the old *target* (if any) ends at *new*'s path."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        return
    # Two renames: between them *target* is missing (a reader is told there is no store, and may retry);
    # a build killed there leaves the old store at *aside*, which the next build puts back (_recover).
    aside = new.with_name(new.name + "-old")
    os.rename(target, aside)
    os.rename(new, target)
    with contextlib.suppress(OSError):
        os.rename(aside, new)
