"""Read plan documents into the typed records of :mod:`kg.model`.

>>> from pathlib import Path
>>> result = read_plan(Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
>>> len(result.tasks), result.tasks[0].id
(30, 'I.1')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.gazetteer import Gazetteer
from kg.model import ExtractResult, Issue, PlanError

__all__ = [
    "SUFFIXES",
    "Batch",
    "iter_files",
    "iter_plans",
    "read_batch",
    "read_plan",
    "read_plans",
    "read_text",
]

# The suffixes a directory is searched for (see loaders/formats.py).
SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".csv", ".tsv", ".xlsx")
SUFFIXES += (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".doc", ".odt", ".rtf")  # loaders/office.py


def read_text(path: Path) -> list[str]:
    """The lines of a text document, or a :class:`PlanError` naming the file.

    Refuses a missing, empty, binary or non-UTF-8 file; accepts CRLF and a BOM.
    """
    from loaders.formats import _decode, _read_bytes

    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise PlanError("binary file, not a text document", file=str(path))
    return _decode(data, str(path)).splitlines()


def read_plan(path: Path | str, *, gazetteer: Gazetteer | None = None) -> ExtractResult:
    """Read one plan document (any format of :mod:`loaders.formats`): its identity,
    every task of its task tables, warnings.

    Raises :class:`kg.model.PlanError` (one line, naming the file) when the
    document cannot be read, is not a supported format or has no task table.
    """
    from loaders.appendix import read_tasks
    from loaders.document import read_document
    from loaders.formats import load
    from loaders.tables import find_tables

    path = Path(path)
    gazetteer = gazetteer or Gazetteer.default()
    loaded = load(path)
    lines = list(loaded.lines)
    name = str(path)
    tables = find_tables(lines) if loaded.tables is None else list(loaded.tables)
    first_table = tables[0].line if tables else None
    document, jurisdiction = read_document(
        lines, file=name, gazetteer=gazetteer, table_line=_appendix_line(lines, first_table)
    )
    warnings: list[Issue] = list(loaded.warnings)
    tasks, reports = read_tasks(
        lines,
        file=name,
        document=document.id,
        jurisdiction=jurisdiction,
        gazetteer=gazetteer,
        warn=warnings.append,
        tables=tables,
    )
    return ExtractResult((document,), tuple(tasks), tuple(warnings), tuple(reports))


def _appendix_line(lines: list[str], first_table: int | None) -> int | None:
    """Where the appendix starts ("Phụ lục"), else the first table."""
    from kg.text import name_key, strip_markup

    for i, line in enumerate(lines, start=1):
        if name_key(strip_markup(line.lstrip("# "))).startswith("phụ lục") and i > 20:
            return i
    return first_table


def _hidden(path: Path, root: Path) -> bool:
    """Hidden files and folders, and the lock files office programs leave ("~$plan.docx")."""
    return any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)


def _walk(paths: Iterable[Path | str]) -> Iterator[tuple[Path, bool]]:
    """Each document *paths* name, and whether it was named (True) or found in a directory."""
    for p in map(Path, paths):
        if p.is_dir():
            for q in sorted(p.rglob("*")):
                if q.is_file() and q.suffix.lower() in SUFFIXES and not _hidden(q, p):
                    yield q, False
        else:
            yield p, True


def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The documents named by *paths*: files as given, directories searched (recursively,
    in name order) for files of a supported format, hidden files and lock files left out."""
    for path, _ in _walk(paths):
        yield path


def read_plans(paths: Iterable[Path | str], *, gazetteer: Gazetteer | None = None) -> ExtractResult:
    """Read several documents into one result; the first document that fails raises.

    As in :func:`read_batch`, a file found in a directory that holds no task table
    (a README beside the plans) is passed over; a file named on its own is not.
    """
    from loaders.appendix import NoTaskTable

    gazetteer = gazetteer or Gazetteer.default()
    parts: list[ExtractResult] = []
    for path, named in _walk(paths):
        try:
            parts.append(read_plan(path, gazetteer=gazetteer))
        except NoTaskTable:
            if named:
                raise
    return ExtractResult.concat(parts)


# Below this many files a process pool costs more (starting it, shipping results back) than it saves.
PARALLEL_FROM = 8
# What forked workers run (then, gazetteer): inherited with the process, never pickled (a gazetteer's
# caches cannot be).  Set by iter_plans just before it forks.
_FORKED: dict[str, Any] = {}


def _read_forked(items: list[tuple[Path, bool]]) -> list[Any]:
    return _read_chunk(items, _FORKED["then"], _FORKED["gazetteer"])


def _read_chunk(
    items: list[tuple[Path, bool]], then: Callable[[ExtractResult], Any] | None, gazetteer: Gazetteer | None
) -> list[Any]:
    """Read a few files (in a worker process or in-process): each one's ``then(result)``, ``None``
    for a directory file without a task table, or the :class:`PlanError` to raise (as a tuple:
    exceptions with keyword-only arguments do not survive pickling)."""
    from loaders.appendix import NoTaskTable

    gazetteer = gazetteer or Gazetteer.default()
    out: list[Any] = []
    for path, named in items:
        try:
            result = read_plan(path, gazetteer=gazetteer)
        except NoTaskTable as e:
            out.append(("error", type(e), e.message, e.file, e.line) if named else None)
            continue
        except PlanError as e:
            out.append(("error", type(e), e.message, e.file, e.line))
            continue
        out.append(("ok", then(result) if then else result))
    return out


def iter_plans(
    paths: Iterable[Path | str],
    *,
    then: Callable[[ExtractResult], Any] | None = None,
    gazetteer: Gazetteer | None = None,
    jobs: int | None = None,
    chunksize: int = 4,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Any]:
    """Read the documents *paths* name one at a time, in file order: each one's result, or ``then(result)``.

    Nothing holds more than a few documents at once, so a national corpus
    streams through.  With many files (``PARALLEL_FROM``) the files are read
    by *jobs* worker processes (default: one per core), *chunksize* files per
    task, at most a few tasks ahead of the consumer; *then* runs in
    the worker too (forked: any callable), so the parent receives only what
    it needs (which must pickle).  Errors as :func:`read_plans`: a
    file found in a directory without a task table is passed over (``None``
    is not yielded), the first other :class:`PlanError` is raised when its
    file's turn comes.  *progress* is called with the number of files done.

    >>> from pathlib import Path
    >>> [r.tasks[0].id for r in iter_plans([Path(__file__).parent.parent / "examples"])][:1]
    ['I.1']
    """
    import os
    from collections import deque

    items = list(_walk(paths))
    jobs = jobs or os.cpu_count() or 1
    chunksize = max(1, chunksize)
    chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
    if jobs < 2 or len(items) < PARALLEL_FROM:
        done = (_read_chunk(c, then, gazetteer) for c in chunks)
        yield from _unpack(done, chunks, progress)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with the modules already imported.  Python 3.11 forks every worker at
    # the first submit, so a caller that opens a store (threads of its own) after the first result
    # forks nothing from a threaded process.
    _FORKED.update(then=then, gazetteer=gazetteer)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque = deque()
        todo = iter(chunks)
        ahead = 2 * jobs  # tasks in flight: enough to keep every worker busy, few enough to bound memory

        def fill() -> None:
            while len(pending) < ahead:
                chunk = next(todo, None)
                if chunk is None:
                    return
                pending.append(pool.submit(_read_forked, chunk))

        def results() -> Iterator[list[Any]]:
            fill()
            while pending:
                out = pending.popleft().result()
                fill()
                yield out

        try:
            yield from _unpack(results(), chunks, progress)
        finally:
            for f in pending:
                f.cancel()
            _FORKED.clear()


def _unpack(
    done: Iterable[list[Any]], chunks: list[list[tuple[Path, bool]]], progress: Callable[[int], None] | None
) -> Iterator[Any]:
    for chunk, outs in zip(chunks, done, strict=False):
        for out in outs:
            if out is not None and out[0] == "error":
                _, cls, message, file, line = out
                raise cls(message, file=file, line=line)
            if out is not None:
                yield out[1]
        if progress:
            progress(len(chunk))


@dataclass(frozen=True, slots=True)
class Batch:
    """What a batch read: the result of the documents read, the errors of those that
    failed, and the files of a directory that hold no task table (notes, readmes)."""

    result: ExtractResult
    failed: tuple[PlanError, ...] = ()
    skipped: tuple[PlanError, ...] = ()

    @property
    def tried(self) -> int:
        return len(self.result.documents) + len(self.failed) + len(self.skipped)


def read_batch(paths: Iterable[Path | str], *, gazetteer: Gazetteer | None = None) -> Batch:
    """Read every document *paths* name; a document that fails does not stop the others.

    A file named on its own that cannot be read is *failed*; a file found in a
    directory that has no task table at all is *skipped* (a folder of plans
    also holds notes and readmes), any other error is a failure.
    """
    from loaders.appendix import NoTaskTable

    gazetteer = gazetteer or Gazetteer.default()
    parts: list[ExtractResult] = []
    failed: list[PlanError] = []
    skipped: list[PlanError] = []
    for path, named in _walk(paths):
        try:
            parts.append(read_plan(path, gazetteer=gazetteer))
        except NoTaskTable as e:
            (failed if named else skipped).append(e)
        except PlanError as e:
            failed.append(e)
    result = ExtractResult.concat(parts)
    return Batch(result, tuple(failed), tuple(skipped))
