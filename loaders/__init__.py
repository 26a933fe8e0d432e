"""Read plan documents into the typed records of :mod:`kg.model`.

>>> from pathlib import Path
>>> result = read_plan(Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
>>> len(result.tasks), result.tasks[0].id
(30, 'I.1')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.gazetteer import Gazetteer
from kg.model import ExtractResult, Issue, PlanError

__all__ = ["SUFFIXES", "Batch", "iter_files", "read_batch", "read_plan", "read_plans", "read_text"]

# The suffixes a directory is searched for (see loaders/formats.py).
SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".csv", ".tsv", ".xlsx")


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
    warnings: list[Issue] = []
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
