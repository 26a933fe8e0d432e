"""Read plan documents into the typed records of :mod:`kg.model`.

>>> from pathlib import Path
>>> result = read_plan(Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
>>> len(result.tasks), result.tasks[0].id
(30, 'I.1')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.model import ExtractResult, Issue, PlanError, Position
from kg.model.gazetteer import Gazetteer

__all__ = [
    "SUFFIXES",
    "Batch",
    "ReadFailed",
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
    """The lines of a text document (:func:`loaders.formats.read_text`)."""
    from loaders.formats import read_text

    return read_text(path)


def read_plan(path: Path | str, *, gazetteer: Gazetteer | None = None) -> ExtractResult:
    """Read one plan document (any format of :mod:`loaders.formats`): its identity,
    every task of its task tables, warnings.  A document without a task table is
    read for the tasks its text assigns (:mod:`loaders.prose`).

    A task read from a PDF or a scan carries where it is printed (its
    ``source.positions``: page and box), and a warning or error names its page.

    Raises :class:`kg.model.PlanError` (one line, naming the file) when the
    document cannot be read, is not a supported format, or has neither a task
    table nor tasks in its text (:class:`loaders.appendix.NoTaskTable`).
    """
    from loaders.dispatch import load

    path = Path(path)
    gazetteer = gazetteer or Gazetteer.default()
    loaded = load(path)
    if loaded.positions:
        try:
            return _placed(_read_loaded(path, loaded, gazetteer), loaded)
        except PlanError as e:  # a PDF's error names the page, not a line of the text it was read into
            raise e.on_page(loaded.page(e.line)) from None
    return _read_loaded(path, loaded, gazetteer)


def _read_loaded(path: Path, loaded, gazetteer: Gazetteer) -> ExtractResult:
    """What :func:`read_plan` reads from the document *loaded* from *path*."""
    from loaders.appendix import NoTaskTable, read_tasks
    from loaders.document import read_document
    from loaders.prose import read_prose_tasks
    from loaders.tables import find_tables

    lines = list(loaded.lines)
    name = str(path)
    tables = find_tables(lines) if loaded.tables is None else list(loaded.tables)
    first_table = tables[0].line if tables else None
    document, jurisdiction = read_document(
        lines, file=name, gazetteer=gazetteer, table_line=_appendix_line(lines, first_table)
    )
    warnings: list[Issue] = list(loaded.warnings)
    # What both readers need: the document's lines, where they come from, and where warnings go.
    context = dict(
        file=name, document=document.id, jurisdiction=jurisdiction, gazetteer=gazetteer, warn=warnings.append
    )
    missing: NoTaskTable | None = None
    try:
        tasks, reports, indicators = read_tasks(lines, tables=tables, **context)
    except NoTaskTable as e:
        missing, tasks, reports, indicators = e, [], [], []
    if not tasks:
        # No task table: the plan may assign its tasks in the text (loaders/prose.py); if not, it is no plan.
        tasks = read_prose_tasks(lines, stored=loaded.tables is not None, **context)
        if not tasks and missing is not None:
            raise missing
    return ExtractResult((document,), tuple(tasks), tuple(warnings), tuple(reports), tuple(indicators))


def _placed(result: ExtractResult, loaded) -> ExtractResult:
    """*result* of a PDF or scan (*loaded*) with each task and indicator given the positions of its
    lines, and each warning the page of its line.

    >>> from kg.model import Issue, Source, Task, Deadline
    >>> from loaders.formats import Loaded
    >>> t = Task("1", "d", None, "1", "Việc", (), Deadline(""), Source("p.pdf", (7, 8)))
    >>> at = {7: (Position(2, (1, 700, 500, 780)),), 8: (Position(2, (1, 780, 500, 800)), Position(3, (1, 50, 500, 90)))}
    >>> out = _placed(ExtractResult(tasks=(t,), warnings=(Issue("p.pdf", 8, "agency", "?"),)), Loaded((), positions=at))
    >>> [(p.page, p.box) for p in out.tasks[0].source.positions], str(out.warnings[0])
    ([(2, (1, 700, 500, 800)), (3, (1, 50, 500, 90))], 'p.pdf: page 2: ?')
    """

    positions = loaded.positions or {}

    def placed(record):
        return replace(
            record, source=replace(record.source, positions=_merged(record.source.lines, positions))
        )

    return replace(
        result,
        tasks=tuple(map(placed, result.tasks)),
        indicators=tuple(map(placed, result.indicators)),
        warnings=tuple(replace(w, page=loaded.page(w.line)) for w in result.warnings),
    )


def _merged(lines: Iterable[int], positions: Mapping[int, tuple[Position, ...]]) -> tuple[Position, ...]:
    """The positions of *lines*, one a page: the box around the page's boxes, the lowest confidence."""
    by_page: dict[int, list[Position]] = {}
    for line in lines:
        for p in positions.get(line, ()):
            by_page.setdefault(p.page, []).append(p)
    out = []
    for page, ps in by_page.items():
        boxes = [p.box for p in ps if p.box]
        box = (
            (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
            if boxes
            else None
        )
        known = [p.confidence for p in ps if p.confidence is not None]
        out.append(Position(page, box, min(known) if known else None))
    return tuple(out)


def _appendix_line(lines: list[str], first_table: int | None) -> int | None:
    """Where the appendix starts ("Phụ lục"), else the first table."""
    from kg.model.text import name_key, strip_markup

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
            parts.append(_read_one(path, gazetteer))
        except NoTaskTable:
            if named:
                raise
    return ExtractResult.concat(parts)


class ReadFailed(PlanError):
    """A document whose reading failed in a way no reader foresaw (a bug it triggers): one line
    naming the file and what was raised, so a batch goes on and a worker can send it back."""


def _read_one(path: Path, gazetteer: Gazetteer) -> ExtractResult:
    """:func:`read_plan`, any failure a :class:`PlanError` naming the file.

    The readers turn what a damaged or hostile file raises into a PlanError
    themselves (see :mod:`loaders.formats`); what still escapes is named here.
    """
    try:
        return read_plan(path, gazetteer=gazetteer)
    except PlanError:
        raise
    except Exception as e:  # anything but Ctrl-C and exit: named, and the batch goes on
        from loaders.formats import _brief

        raise ReadFailed(f"could not be read ({_brief(e)})", file=str(path)) from None


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
    for a directory file without a task table, or the :class:`PlanError` to raise, as plain data
    (its class, message, file and line): exceptions with keyword-only arguments do not survive
    pickling, nor do those of libraries that carry unpicklable state (lxml's error log)."""
    from loaders.appendix import NoTaskTable

    gazetteer = gazetteer or Gazetteer.default()
    out: list[Any] = []
    for path, named in items:
        try:
            result = _read_one(path, gazetteer)
            out.append(("ok", then(result) if then else result))
        except NoTaskTable as e:
            out.append(("error", type(e), e.message, e.file, e.line, e.page) if named else None)
        except PlanError as e:
            out.append(("error", type(e), e.message, e.file, e.line, e.page))
        except Exception as e:  # in *then*: still plain data naming the file
            from loaders.formats import _brief

            out.append(("error", ReadFailed, f"could not be read ({_brief(e)})", str(path), None, None))
    return out


def _worker_init(parent: int) -> None:
    """Run in each reader worker as it starts: it dies with its parent, and leaves Ctrl-C to it.

    A worker outlives a killed parent otherwise (it waits on its task queue for
    ever).  On Linux the kernel kills it when the parent goes (``PR_SET_PDEATHSIG``;
    the pool forks its workers from the thread that first submits, the thread
    that reads); elsewhere a thread watches the parent.  Ctrl-C reaches the whole
    process group: the parent stops the pool, a worker's own traceback would be noise.
    """
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a handler the parent may have set
    if not (sys.platform.startswith("linux") and _set_pdeathsig(signal.SIGKILL)):
        import threading

        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent went before the death signal was set
        os._exit(1)


def _set_pdeathsig(sig: int) -> bool:
    """Ask Linux to send *sig* to this process when its parent dies; whether it took."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, int(sig), 0, 0, 0) == 0  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    import os
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


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
    from concurrent.futures.process import BrokenProcessPool

    # fork: the workers start with the modules already imported.  Python 3.11 forks every worker at
    # the first submit, so a caller that opens a store (threads of its own) after the first result
    # forks nothing from a threaded process.
    _FORKED.update(then=then, gazetteer=gazetteer)
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=(os.getpid(),),
    ) as pool:
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
            for chunk in chunks:  # results come back in the order the chunks were submitted
                try:
                    out = pending.popleft().result()
                except BrokenProcessPool:
                    # A worker was killed (out of memory, a signal): every unfinished chunk fails with it, so
                    # the first of them names the earliest file the culprit can be.
                    message = "a reading process was killed while reading this file or one after it"
                    raise ReadFailed(message, file=str(chunk[0][0])) from None
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
                _, cls, message, file, line, page = out
                raise cls(message, file=file, line=line).on_page(page)
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
            parts.append(_read_one(path, gazetteer))
        except NoTaskTable as e:
            (failed if named else skipped).append(e)
        except PlanError as e:
            failed.append(e)
    result = ExtractResult.concat(parts)
    return Batch(result, tuple(failed), tuple(skipped))
