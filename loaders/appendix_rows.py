"""Reading the rows of a table under its header: groups and parts, headings, tasks and their
continuation rows, rows that lost their merged cells, and tables continued after a break.

Rows become drafts (:class:`_Draft`): a numbered row starts one, a row with no number
continues the one above cell by cell.  :mod:`loaders.appendix` makes the records of them;
the rules are listed there.

>>> _is_roman("IV"), _is_roman("IIII"), _is_part("B"), _is_part("V")
(True, False, True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kg.model import (
    Issue,
    TaskGroup,
)
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key, strip_markup
from loaders.agency_words import HEAD_WORDS
from loaders.appendix_columns import _is_header, _kind, column_roles
from loaders.deadlines import UnknownDeadline, parse_deadline
from loaders.tables import Row, align_cells, is_column_numbering

_ROMAN = re.compile(r"^(?=[IVXLC])(M{0,3})(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
# A single capital letter is a part ("A", "B", "C"…), except I, V and X, which are
# Roman numerals; no plan numbers groups C (100) or D (500).
_PART = re.compile(r"^[A-HJ-UWYZĐ]$")
_BOLD_CELL = re.compile(
    r"^\s*(?:\*\*|<b>|<strong>)(?P<body>.*?)(?:\*\*|</b>|</strong>)\s*$", re.IGNORECASE | re.DOTALL
)
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
_MERGED_GROUP = re.compile(r"^(?P<id>[IVXLC]+|[A-ZĐ])\s*[.)/:-]\s*(?P<title>\S.*)$")


@dataclass
class _Draft:
    """An item row being assembled (sub-rows and continuation rows add to it)."""

    number: str
    group: TaskGroup | None
    cells: list[str]
    lines: list[int] = field(default_factory=list)
    printed: bool = True  # the number is printed (not given in order by the reader)
    table: int = 0  # index of the table (report) the row was read from


@dataclass
class _State:
    """Where the reader is in a table: part, section (Roman group), group (or sub-group).

    Kept across a table that continues the one before it.  ``last`` holds the
    cells of the row above (for cells merged down from it).
    """

    part: str | None = None
    section: TaskGroup | None = None
    group: TaskGroup | None = None
    counters: dict[str | None, int] = field(default_factory=dict)
    last: list[str] | None = None


@dataclass
class _Columns:
    """The columns of a table, from its header."""

    header: Row
    roles: tuple[str, ...]
    col: dict[str, int]
    extras: list[tuple[int, str]]
    kind: str


@dataclass
class _Reading:
    """A table being read: its columns, the items it holds, where it stands in the document."""

    columns: _Columns
    state: _State
    drafts: list[_Draft]
    label: str = ""  # its appendix ("PL II"), for ids when several tables number from 1
    root: _Reading | None = None  # the table this one continues


def _columns(header: Row) -> _Columns:
    roles = column_roles(header.cells)
    kind = _kind(roles)
    col = {
        r: roles.index(r)
        for r in ("number", "title", "indicator", "lead", "coordinating", "deadline")
        if r in roles
    }
    if kind == "indicators":
        col["title"] = col.pop("indicator")
    else:
        col.pop("indicator", None)
    if "number" not in col and roles[0] not in {"title", "indicator"}:
        col["number"] = 0
    used = set(col.values())
    extras = [(i, strip_markup(c)) for i, c in enumerate(header.cells) if i not in used]
    return _Columns(header, roles, col, extras, kind)


def _cell(cells: Sequence[str | None], i: int | None) -> str:
    return (cells[i] or "") if i is not None and i < len(cells) else ""


def _is_roman(number: str) -> bool:
    """A Roman group number: I, II, … (a lone C, D, L or M is a part letter)."""
    return bool(_ROMAN.match(number)) and (len(number) > 1 or number in "IVX")


def _is_part(number: str) -> bool:
    return bool(_PART.match(number))


def _is_bold_heading(raw: Sequence[str]) -> bool:
    """Every filled cell is bold (``**…**`` or ``<b>…</b>``); filler such as ``** **`` is empty."""
    filled = [c for c in raw if strip_markup(c)]
    return bool(filled) and all(_BOLD_CELL.match(c) for c in filled)


_HEAD = re.compile(
    r"^(?:các |những )?(?:" + "|".join(sorted(map(re.escape, HEAD_WORDS), key=len, reverse=True)) + r")\b"
)
# A sub-item of a task: "- …", "+ …", "• …", "a) …".
_SUB_ITEM = re.compile(r"^\s*(?:[-+•–*]|[a-zđ]\)|\([a-zđ\d]+\))\s*")


def _looks_like_deadline(cell: str) -> bool:
    """A short cell that states a time ("Quý II/2025", "Hằng năm"); a long one is a title."""
    if len(cell) > 40:
        return False
    try:
        d = parse_deadline(cell, strict=True)
    except UnknownDeadline:
        return False
    return bool(d.start or d.end or d.recurrence)


def _fits(roles: tuple[str, ...], gazetteer: Gazetteer) -> Callable[[str, int], int]:
    """How well a cell's words suit a column: a number under the number, a date under the
    deadline, a body's name under the lead or partners (see :func:`loaders.tables.align_cells`)."""

    def looks_like_body(cell: str) -> bool:
        found = gazetteer.find(cell)
        return bool(found and found[0].start == 0) or bool(_HEAD.match(name_key(cell)))

    def fits(cell: str, i: int) -> int:
        role = roles[i] if i < len(roles) else "extra"
        if not cell:
            return 0
        if role == "number":
            n = cell.rstrip(".").strip()
            return 2 if _NUMBER.match(n) or _is_roman(n) or _is_part(n) else -2
        when = _looks_like_deadline(cell)
        if role == "deadline":
            return 1 if when else -1
        if role in {"lead", "coordinating"}:
            return -1 if when else int(looks_like_body(cell))
        return 0

    return fits


def _starts_a_name(text: str) -> bool:
    """Text that starts a name of its own: a capital, or a plural "các …"/"những …"; text that
    starts in lower case or with a figure goes on from the line above ("thuật Hà Nội", "2025").

    >>> _starts_a_name("Sở Y tế"), _starts_a_name("các sở, ngành"), _starts_a_name("thuật Hà Nội")
    (True, True, False)
    """
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return bool(first) and (first[0].isupper() or name_key(first) in {"các", "những"})


def _join(draft: _Draft, placed: Sequence[str | None], cols: _Columns) -> None:
    """Add a row to the item above: text runs on, a body list gains the row's bodies.

    A list cell that goes on in lower case continues a name ("… Văn học nghệ" + "thuật Hà Nội");
    one that starts a new name after a name is separated from it by "; ".
    """
    lists = {cols.col[r] for r in ("lead", "coordinating", "deadline") if r in cols.col}
    for i, c in enumerate(placed):
        if not c or i == cols.col.get("number"):
            continue
        while len(draft.cells) <= i:
            draft.cells.append("")
        before = draft.cells[i]
        if not before:
            draft.cells[i] = c
        elif i in lists and _starts_a_name(c) and not before.rstrip().endswith((",", ";")):
            # Two names would run together: the row break was their separator.
            draft.cells[i] = f"{before}; {c}"
        else:
            draft.cells[i] = f"{before} {c}"


def _own_task(prev: _Draft, title: str, number_merged: bool) -> bool:
    """Whether a row with no number but with a lead is a task of its own rather than part of *prev*."""
    if not prev.printed:
        return True  # the table numbers no task: each row with a lead is one
    return bool(title) and not _SUB_ITEM.match(title) and not number_merged


def _open_group(state: _State, number: str, title: str, document: str, line: int) -> None:
    if _is_part(number):
        state.part, gid = number, number
    else:
        gid = f"{state.part}.{number}" if state.part else number
    state.group = state.section = TaskGroup(gid, clean(title), document, line)
    state.last = None


def _read_rows(
    rows: Sequence[Row],
    reading: _Reading,
    table: int,
    document: str,
    fits: Callable[[str, int], int],
    warn: Callable[[Issue], None],
    file: str,
) -> None:
    """Read *rows* into ``reading.drafts``; *table* is the index of their table's report."""
    cols, state, drafts = reading.columns, reading.state, reading.drafts
    col = cols.col
    width = len(cols.roles)
    headers = [tuple(name_key(strip_markup(c)) for c in cols.header.cells)]
    for row in rows:
        cells = [strip_markup(c) for c in row.cells]
        if _repeats_header(cells, headers) or is_column_numbering(cells):
            continue
        # A numbered row is a task even when its words name columns ("… nhiệm vụ …", "… chủ trì").
        numbered = bool(_NUMBER.match(_cell(cells, col.get("number")).rstrip(".").strip()))
        if not numbered:
            row_roles = column_roles(row.cells)
            if _is_header(row_roles) and "lead" in row_roles:
                headers.append(tuple(name_key(c) for c in cells))
                continue
        non_empty = [c for c in cells if c and c.strip("* ")]
        if not non_empty:
            continue
        # A merged group row: one cell "I. TITLE" (or "A. TITLE").
        if len(non_empty) == 1:
            m = _MERGED_GROUP.match(non_empty[0])
            if m and (_is_roman(m.group("id")) or _is_part(m.group("id"))):
                _open_group(state, m.group("id"), m.group("title"), document, row.line)
                continue
        placed: list[str | None] = align_cells(cells, width, fits) if len(cells) < width else list(cells)
        number_merged = "number" in col and placed[col["number"]] is None
        number = _cell(placed, col.get("number")).rstrip(".").strip()
        lead_cell = _cell(placed, col.get("lead"))
        title = _cell(placed, col.get("title"))
        heading = _is_bold_heading(row.cells)
        if number and (_is_roman(number) or _is_part(number)) and (heading or not lead_cell.strip("* ")):
            _open_group(state, number, title or next((c for c in cells[1:] if c), ""), document, row.line)
            continue
        if number and _NUMBER.match(number) and heading:
            # A bold numbered row ("5.1 | Thương mại") heads a sub-group of the current group.
            sub_title = next((c for c in non_empty if c != number), "")
            parent = state.section.id if state.section else None
            gid = f"{parent}.{number}" if parent else number
            state.group = TaskGroup(gid, clean(sub_title), document, row.line)
            state.last = None
            continue
        full = _inherit(placed, state.last)
        if number and _NUMBER.match(number):
            drafts.append(_Draft(number, state.group, full, [row.line], True, table))
            state.last = full
            continue
        prev = drafts[-1] if drafts and drafts[-1].group == state.group else None
        if not number and prev is not None and not (lead_cell and _own_task(prev, title, number_merged)):
            _join(prev, placed, cols)
            prev.lines.append(row.line)
            state.last = [c or (_cell(state.last, i) if state.last else "") for i, c in enumerate(full)]
            continue
        if not number and lead_cell:
            gid = state.group.id if state.group else None
            counters = state.counters
            counters[gid] = counters.get(gid, sum(1 for d in drafts if d.group == state.group)) + 1
            drafts.append(_Draft(str(counters[gid]), state.group, full, [row.line], False, table))
            state.last = full
            continue
        warn(Issue(file, row.line, "row", f"row not understood, skipped: {' | '.join(non_empty)[:80]!r}"))


def _repeats_header(cells: Sequence[str], headers: Sequence[tuple[str, ...]]) -> bool:
    """Whether *cells* are one of the *headers* (name keys) again, as a table repeats its header
    on every page; compared cell by cell, so a row of data is told apart at its first cell.

    >>> _repeats_header(["Nội dung", "Cơ quan chủ trì"], [("nội dung", "cơ quan chủ trì")])
    True
    >>> _repeats_header(["1", "Việc A"], [("nội dung", "cơ quan chủ trì")])
    False
    """
    return any(
        len(h) == len(cells) and all(name_key(c) == k for c, k in zip(cells, h, strict=True)) for h in headers
    )


def _inherit(placed: Sequence[str | None], last: Sequence[str] | None) -> list[str]:
    """The row's cells, each absent one (merged down from the row above) taken from *last*."""
    return [c if c is not None else (_cell(last, i) if last else "") for i, c in enumerate(placed)]


def _promote_headings(drafts: list[_Draft], cols: _Columns, document: str) -> list[_Draft]:
    """A numbered row that names no body and is followed by rows numbered under it heads them."""
    bodies = [cols.col[r] for r in ("lead", "coordinating") if r in cols.col]
    out: list[_Draft] = []
    for i, d in enumerate(drafts):
        children = []
        for nxt in drafts[i + 1 :]:
            if nxt.group != d.group or not nxt.number.startswith(d.number + "."):
                break
            children.append(nxt)
        if not d.printed or not children or any(_cell(d.cells, b) for b in bodies):
            out.append(d)
            continue
        parent = d.group.id if d.group else None
        gid = f"{parent}.{d.number}" if parent else d.number
        group = TaskGroup(gid, clean(_cell(d.cells, cols.col.get("title"))), document, d.lines[0])
        for c in children:
            c.group = group
    return out


def _task_id(d: _Draft) -> str:
    """Group id + number; under a sub-group "B.IV.5.1", task "5.1.2" is "B.IV.5.1.2", not "B.IV.5.1.5.1.2".

    >>> _task_id(_Draft("5.1.2", TaskGroup("B.IV.5.1", "", "d"), []))
    'B.IV.5.1.2'
    >>> _task_id(_Draft("11.1", TaskGroup("11", "", "d"), []))
    '11.1'
    """
    if d.group is None:
        return d.number
    gid = d.group.id
    parts = gid.split(".")
    k = next((i for i in range(len(parts)) if all(p.isdigit() for p in parts[i:])), len(parts))
    section, sub = parts[:k], ".".join(parts[k:])
    if sub and d.number.startswith(sub + "."):
        return ".".join([*section, d.number])
    return f"{gid}.{d.number}"
