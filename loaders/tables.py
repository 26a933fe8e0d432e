"""Find the tables of a plain-text plan: tab-separated rows or Markdown pipe rows.

A table is a run of row lines; blank lines inside it (page breaks) do not end
it, any other line of prose does.

>>> lines = ["Intro", "TT\\tNội dung", "1.\\tViệc A", "", "2.\\tViệc B", "Hết."]
>>> [(t.line, [r.cells for r in t.rows]) for t in find_tables(lines)]
[(2, [('TT', 'Nội dung'), ('1.', 'Việc A'), ('2.', 'Việc B')])]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Row", "Table", "find_tables", "row_cells"]

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: its 1-based line number and its cells as written."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table: the line it starts on and its rows."""

    line: int
    rows: tuple[Row, ...]


def row_cells(line: str) -> tuple[str, ...] | None:
    """The cells of a table row line, or ``None`` when the line is not a row.

    >>> row_cells("| 1 | Việc A | Sở Nội vụ |")
    ('1', 'Việc A', 'Sở Nội vụ')
    >>> row_cells("1.\\tViệc A\\t\\t")
    ('1.', 'Việc A', '', '')
    >>> row_cells("Một câu văn.") is None
    True
    """
    stripped = line.strip()
    if stripped.startswith("|"):
        if _MD_SEPARATOR.match(stripped):
            return ()
        body = stripped[1:]
        if body.endswith("|"):
            body = body[:-1]
        return tuple(c.strip() for c in body.split("|"))
    if "\t" in line:
        return tuple(c.strip() for c in line.rstrip("\r\n").split("\t"))
    return None


def find_tables(lines: Sequence[str]) -> list[Table]:
    """Every table in *lines*, in document order."""
    tables: list[Table] = []
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        cells = row_cells(line)
        if cells is None:
            if line.strip() and rows:
                tables.append(Table(rows[0].line, tuple(rows)))
                rows = []
            continue
        if cells == () or not any(cells):
            continue
        rows.append(Row(number, cells))
    if rows:
        tables.append(Table(rows[0].line, tuple(rows)))
    return tables
