"""Read plan documents into the typed records of :mod:`kg.model`.

>>> from pathlib import Path
>>> result = read_plan(Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
>>> len(result.tasks), result.tasks[0].id
(30, 'I.1')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.gazetteer import Gazetteer
from kg.model import ExtractResult, Issue, PlanError

__all__ = ["SUFFIXES", "iter_files", "read_plan", "read_plans", "read_text"]

SUFFIXES = (".txt", ".md")


def read_text(path: Path) -> list[str]:
    """The lines of a text document, or a :class:`PlanError` naming the file.

    Refuses a missing, empty, binary or non-UTF-8 file; accepts CRLF and a BOM.
    """
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanError("no such file", file=name) from None
    except IsADirectoryError:
        raise PlanError("is a directory, not a document", file=name) from None
    except OSError as e:
        raise PlanError(f"cannot read: {e.strerror}", file=name) from None
    if not data.strip():
        raise PlanError("empty file", file=name)
    if b"\x00" in data[:8192]:
        raise PlanError("binary file, not a text document", file=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise PlanError("not UTF-8 text", file=name, line=line) from None
    return text.splitlines()


def read_plan(path: Path | str, *, gazetteer: Gazetteer | None = None) -> ExtractResult:
    """Read one plan document: its identity, every task of its task tables, warnings.

    Raises :class:`kg.model.PlanError` (one line, naming the file) when the
    document cannot be read or has no task table.
    """
    from loaders.appendix import read_tasks
    from loaders.document import read_document
    from loaders.tables import find_tables

    path = Path(path)
    gazetteer = gazetteer or Gazetteer.default()
    lines = read_text(path)
    name = str(path)
    tables = find_tables(lines)
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
    )
    return ExtractResult((document,), tuple(tasks), tuple(warnings), tuple(reports))


def _appendix_line(lines: list[str], first_table: int | None) -> int | None:
    """Where the appendix starts ("Phụ lục"), else the first table."""
    from kg.text import name_key, strip_markup

    for i, line in enumerate(lines, start=1):
        if name_key(strip_markup(line.lstrip("# "))).startswith("phụ lục") and i > 20:
            return i
    return first_table


def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The documents named by *paths*: files as given, directories searched for documents."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES)
        else:
            yield p


def read_plans(paths: Iterable[Path | str], *, gazetteer: Gazetteer | None = None) -> ExtractResult:
    """Read several documents into one result (an error in any one raises)."""
    result = ExtractResult()
    for path in iter_files(paths):
        result = result + read_plan(path, gazetteer=gazetteer)
    return result
