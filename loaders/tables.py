"""Find the tables of a plain-text plan: tab-separated rows or Markdown pipe rows.

A table is a run of row lines; blank lines inside it (page breaks) do not end
it, any other line of prose does.

>>> lines = ["Intro", "TT\\tNội dung", "1.\\tViệc A", "", "2.\\tViệc B", "Hết."]
>>> [(t.line, [r.cells for r in t.rows]) for t in find_tables(lines)]
[(2, [('TT', 'Nội dung'), ('1.', 'Việc A'), ('2.', 'Việc B')])]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Row", "Table", "align_cells", "find_tables", "is_column_numbering", "row_cells"]

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


# Every line is asked twice, by the size check of loaders/dispatch.py and by find_tables.
@lru_cache(maxsize=1 << 13)
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
        return tuple([c.strip() for c in body.split("|")])
    if "\t" in line:
        return tuple([c.strip() for c in line.rstrip("\r\n").split("\t")])
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


_COLUMN_LABEL = re.compile(r"^(?:[A-ZĐ]|\(?\d{1,2}\)?)$")


def is_column_numbering(cells: Sequence[str]) -> bool:
    """A row that numbers the columns under the header ("A | B | 1 | 2 | 3"), not a row of data.

    Every cell is a single capital letter or a small number, the numbers run
    1, 2, 3 … and the letters A, B …, one per column.

    >>> is_column_numbering(["A", "B", "1", "2", "3", "4"])
    True
    >>> is_column_numbering(["(1)", "(2)", "(3)", "(4)"])
    True
    >>> is_column_numbering(["1", "Việc A", "Sở Nội vụ"])
    False
    """
    if len(cells) < 3 or not all(_COLUMN_LABEL.match(c) for c in cells):
        return False
    numbers = [int(c.strip("()")) for c in cells if c.strip("()").isdigit()]
    letters = [c for c in cells if not c.strip("()").isdigit()]
    return numbers == list(range(1, len(numbers) + 1)) and letters == sorted(set(letters))


def align_cells(cells: Sequence[str], width: int, fits: Callable[[str, int], int]) -> list[str | None]:
    """Place the cells of a short row under the columns they belong to; ``None`` where a cell is absent.

    A table copied from a web page drops a cell merged down from the row
    above (rowspan), so the cells after it shift left.  The cells keep their
    order; each way of spreading them over the *width* columns is scored by
    ``fits(cell, column)`` (how well a cell's words suit a column: a date
    under the deadline, a body under the lead) and the best wins; between
    equals, the cells stay leftmost (a merged cell is most often at the end).

    >>> fits = lambda cell, col: (1 if col == 3 else -1) if cell.startswith("Quý") else 0
    >>> align_cells(["1", "Việc B", "Quý II/2025"], 4, fits)
    ['1', 'Việc B', None, 'Quý II/2025']
    >>> align_cells(["1", "Việc B"], 4, lambda cell, col: 0)
    ['1', 'Việc B', None, None]
    """
    cells = list(cells)
    if len(cells) >= width:
        return list(cells)
    scores = [[fits(c, col) for col in range(width)] for c in cells]
    best: tuple[int, ...] = tuple(range(len(cells)))
    best_score: int | None = None
    for place in itertools.combinations(range(width), len(cells)):
        score = sum(scores[i][col] for i, col in enumerate(place))
        if best_score is None or score > best_score:
            best, best_score = place, score
    out: list[str | None] = [None] * width
    for c, col in zip(cells, best, strict=True):
        out[col] = c
    return out
