"""Read the tables of a plan that name a responsible body on each row.

Two kinds of table are read: task tables (:class:`kg.model.Task`) and
indicator tables (:class:`kg.model.Indicator`).  A table is recognised by its
header row, never by its position.

Columns are named by what they mean:

* the lead column names who answers for the row: a duty word (chủ trì, thực
  hiện, phụ trách, chịu trách nhiệm, trách nhiệm, tiếp nhận, xử lý, đầu mối,
  triển khai, được giao, phân công) alone or after a noun that names a body
  (cơ quan, đơn vị, bộ, sở, ngành…): "Cơ quan chủ trì", "CHỦ TRÌ", "Đơn vị
  chịu trách nhiệm phổ biến", "Bộ phụ trách tiếp nhận, xử lý", "Đơn vị được
  giao nhiệm vụ".  After a person or a place ("Lãnh
  đạo phụ trách", "Người chịu trách nhiệm") it is not the lead, nor is a
  column without a duty word ("Tỉnh kiến nghị", "Người đứng đầu");
* "phối hợp" names the partners, "Thời gian/Thời hạn/Tiến độ…" the deadline;
* the row-title column of a task table names the work (Nội dung, Nhiệm vụ,
  Tên…, Giải pháp, Hoạt động); of an indicator table, the indicator
  ("Chỉ tiêu", "Tên chỉ tiêu").  A "chỉ tiêu" column that gives a value
  ("Chỉ tiêu đạt được", "Chỉ tiêu năm 2030") is a result column;
* a header names at least three such columns, or a row title and a lead.

A table with a row title that names work is a task table, whatever result
or indicator columns it also has (Kết quả, Sản phẩm, Chỉ tiêu đạt được); a
table whose rows are indicators is an indicator table: its rows are read as
indicators, with their lead, never counted as tasks.  Then, row by row:

* a header row seen again (after a page break), even one shortened by a
  merged cell (no number column), is skipped, as is a row that numbers the
  columns ("A | B | 1 | 2 …"); the columns stay those of the first header;
* a row numbered with a Roman numeral, or a single merged cell such as
  "I. NÂNG CAO …", opens a group; a capital letter other than I, V, X
  ("A", "B", "C") opens a part, and the Roman groups below it restart
  ("B.I", "B.II");
* a row whose every filled cell is bold is a heading, never a task: with a
  Roman numeral or letter it opens a group or part, with a number ("5.1")
  it opens a sub-group of the current group (filler cells such as ``** **``
  count as empty);
* a row numbered 1, 1., 1.1 … is a task, with id group + number ("II.1");
  numbering that restarts in each group gives distinct ids because the group
  is part of the id; a task numbered under a sub-group ("5.1.2" under "5.1")
  keeps its own number;
* a numbered row that names no body, followed by rows numbered under it
  (11, then 11.1, 11.2 …), heads them: it is a sub-group, not a task;
* a row with fewer cells than the header lost the cells merged down from
  the row above (a table copied from a web page drops them and shifts the
  rest left): its cells are placed under the columns their words suit (a
  date under the deadline, a body under the lead), leftmost between equals,
  and a numbered row takes each missing cell from the row above;
* a row with no number continues the task above it, cell by cell: its text
  continues the task's, its bodies (a second lead, a sub-item's own
  partners) join the task's.  It is a task of its own only when it has a
  lead and a title of its own (not a "- …" sub-item) and its number cell is
  not merged from the row above; in a table that numbers no task at all,
  every row with a lead is a task, numbered in order;
* a table with no header of its own, with rows as wide as the table before
  it, continues that table (the plan broke it for a part heading or a
  page): it is read with the same columns, groups and parts.

When two tables of one kind in a document give the same ids (each numbers
from 1), every id carries its table's appendix ("Phụ lục II" → "PL II.3"),
or "Bảng 2.3" when the tables have no distinct appendix headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kg.model import (
    Deadline,
    Indicator,
    Issue,
    PlanError,
    Role,
    Source,
    TableReport,
    Task,
    TaskGroup,
)
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key, strip_markup
from loaders.agencies import HEAD_WORDS, split_cell
from loaders.deadlines import UnknownDeadline, parse_deadline
from loaders.tables import Row, Table, align_cells, find_tables, is_column_numbering

__all__ = ["NoTaskTable", "column_roles", "read_tasks"]


class NoTaskTable(PlanError):
    """A document with no table at all that names a responsible body per row (tasks or indicators)."""


_ROMAN = re.compile(r"^(?=[IVXLC])(M{0,3})(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
# A single capital letter is a part ("A", "B", "C"…), except I, V and X, which are
# Roman numerals; no plan numbers groups C (100) or D (500).
_PART = re.compile(r"^[A-HJ-UWYZĐ]$")
_BOLD_CELL = re.compile(
    r"^\s*(?:\*\*|<b>|<strong>)(?P<body>.*?)(?:\*\*|</b>|</strong>)\s*$", re.IGNORECASE | re.DOTALL
)
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
_MERGED_GROUP = re.compile(r"^(?P<id>[IVXLC]+|[A-ZĐ])\s*[.)/:-]\s*(?P<title>\S.*)$")
_FOOTNOTE = re.compile(r"[\s*]*(?:\(\d+\)|\[\d+\]|\d+)$")

# --- The grammar of column names -------------------------------------------------------------

# A duty: the words that make the body named in the column answer for the row.
_DUTY = re.compile(
    r"chủ trì|chịu trách nhiệm|trách nhiệm|phụ trách|thực hiện|tiếp nhận|xử lý|đầu mối|triển khai"
    r"|được giao|phân công"
)
# Nouns that name a body (not a person, not a place) as the subject of a duty.
_BODY_NOUN = re.compile(
    r"(?:các )?(?:cơ quan|đơn vị|bộ|ngành|sở|ban|cục|vụ|tổ chức|địa phương|cấp|ủy ban|ubnd|chính quyền|chủ thể)\b"
)
# What a column of values says: a result, a target, a level to reach.
_VALUE = re.compile(r"kết quả|mục tiêu|giá trị|\bđạt\b|phấn đấu|kế hoạch|\bnăm\b|\d")
# The row title of an indicator table: "Chỉ tiêu", "Tên chỉ tiêu", "Nội dung chỉ tiêu".
_INDICATOR = re.compile(r"^(?:tên |nội dung |danh mục |các )?chỉ tiêu\b")
_TITLE = re.compile(r"nội dung|nhiệm vụ|giải pháp|^tên\b|^hoạt động|^công việc|^đề án|^dự án")
# A column name is a few words; a longer cell is data, never a header.
_MAX_HEADER_WORDS = 12


def _names_responsible_body(k: str) -> bool:
    """A duty, alone or after nouns naming a body: "Cơ quan, đơn vị thực hiện", "Chủ trì".

    >>> _names_responsible_body("bộ phụ trách tiếp nhận, xử lý"), _names_responsible_body("lãnh đạo phụ trách")
    (True, False)
    """
    m = _DUTY.search(k)
    if not m:
        return False
    subject = k[: m.start()].strip(" ,/-;:")
    pieces = [p for p in re.split(r"\s*(?:,|/|;|&|\bvà\b|\bhoặc\b)\s*", subject) if p]
    return all(_BODY_NOUN.match(p) for p in pieces)


@lru_cache(maxsize=4096)
def _column_role(header: str) -> str:
    k = _FOOTNOTE.sub("", name_key(strip_markup(header))).strip(" :.")
    if len(k.split()) > _MAX_HEADER_WORDS:
        return "extra"
    if k in {"tt", "stt", "số tt", "số thứ tự"}:
        return "number"
    if re.match(r"(?:thời gian|thời hạn|tiến độ|hạn)", k):
        return "deadline"
    if "phối hợp" in k and "chủ trì" not in k:
        return "coordinating"
    if _names_responsible_body(k):
        return "lead"
    if _INDICATOR.match(k) and not _VALUE.search(k):
        return "indicator"
    if _TITLE.search(k):
        return "title"
    return "extra"


def column_roles(cells: Sequence[str]) -> tuple[str, ...]:
    """The role of each column of a header row.

    >>> column_roles(["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp thực hiện", "Thời gian trình/ thực hiện"])
    ('number', 'title', 'lead', 'coordinating', 'deadline')
    >>> column_roles(["**STT**", "**Nhiệm vụ, giải pháp**", "**Đơn vị thực hiện**", "**Sản phẩm đầu ra**"])
    ('number', 'title', 'lead', 'extra')
    >>> column_roles(["TT", "Nội dung kiến nghị", "Tỉnh kiến nghị", "Bộ phụ trách tiếp nhận, xử lý"])
    ('number', 'title', 'extra', 'lead')
    >>> column_roles(["TT", "Chỉ tiêu", "Đơn vị", "Chỉ tiêu đạt được", "Chủ trì"])
    ('number', 'indicator', 'extra', 'extra', 'lead')
    """
    return tuple(_column_role(c) for c in cells)


def _is_header(roles: tuple[str, ...]) -> bool:
    """A header names at least three of the columns a task table has, or a row title and a lead."""
    known = {"number", "title", "lead", "coordinating", "deadline", "indicator"}
    named = set(roles)
    return len(known & named) >= 3 or ("lead" in named and bool({"title", "indicator"} & named))


def _kind(roles: tuple[str, ...]) -> str:
    """The kind of table: "indicators" when the row title is "Chỉ tiêu" and no column names work, else "tasks"."""
    return "indicators" if "indicator" in roles and "title" not in roles else "tasks"


# A column that gives an indicator's result or target; yearly columns ("Năm 2026") are values by year.
_TARGET = re.compile(r"kết quả|mục tiêu|giá trị|\bđạt\b|phấn đấu|chỉ tiêu")


def _is_value_column(header: str) -> bool:
    """A column that gives an indicator's target ("Kết quả", "Mục tiêu", "Chỉ tiêu đạt được")."""
    return bool(_TARGET.search(name_key(strip_markup(header))))


# --- Reading rows ----------------------------------------------------------------------------


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
    headers = {tuple(name_key(strip_markup(c)) for c in cols.header.cells)}
    for row in rows:
        cells = [strip_markup(c) for c in row.cells]
        keyed = tuple(name_key(c) for c in cells)
        if keyed in headers or is_column_numbering(cells):
            continue
        # A numbered row is a task even when its words name columns ("… nhiệm vụ …", "… chủ trì").
        numbered = bool(_NUMBER.match(_cell(cells, col.get("number")).rstrip(".").strip()))
        if not numbered:
            row_roles = column_roles(row.cells)
            if _is_header(row_roles) and "lead" in row_roles:
                headers.add(keyed)
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


# --- Appendix labels -------------------------------------------------------------------------

_APPENDIX = re.compile(r"^phụ lục(?: số)?\s+(?P<n>[ivxlc]+|\d+|[a-zđ])\b")


def _appendix_label(lines: Sequence[str], start: int, end: int) -> str:
    """The "Phụ lục …" heading nearest above line *end* and below line *start* ("PL II"), or ""."""
    for i in range(end - 1, max(start, 0), -1):
        m = _APPENDIX.match(name_key(strip_markup(lines[i - 1]).lstrip("#* ").strip()))
        if m:
            n = m.group("n")
            return f"PL {int(n)}" if n.isdigit() else f"PL {n.upper()}"
    return ""


def _label_tables(readings: list[_Reading], items: dict[int, list[_Draft]]) -> None:
    """Label the tables of a kind when two of them give the same id (each numbers from 1):
    each table's appendix ("PL II"), or "Bảng n" when they have no distinct appendix headings.
    Tables whose ids do not meet (a table broken by a page, its groups going on) keep plain ids."""
    for kind in ("tasks", "indicators"):
        roots = [r for r in readings if r.root is None and r.columns.kind == kind]
        owner: dict[str, int] = {}
        clash = False
        for n, r in enumerate(roots):
            for d in items[id(r)]:
                clash |= owner.setdefault(_task_id(d), n) != n
        labels = [r.label for r in roots]
        if not clash:
            labels = [""] * len(roots)
        elif not all(labels) or len(set(labels)) < len(labels):
            labels = [f"Bảng {n}" for n in range(1, len(roots) + 1)]
        for r, label in zip(roots, labels, strict=True):
            r.label = label


# --- Records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Doc:
    """The document being read: what every record and warning names."""

    file: str
    document: str
    jurisdiction: str | None
    gazetteer: Gazetteer
    warn: Callable[[Issue], None]


# What was seen of one table: its line, its header as shown, whether it was read, why, its reading.
_Entry = tuple[int, tuple[str, ...], bool, str, "_Reading | None"]


def read_tasks(
    lines: Sequence[str],
    *,
    file: str,
    document: str,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    warn: Callable[[Issue], None],
    tables: Sequence[Table] | None = None,
) -> tuple[list[Task], list[TableReport], list[Indicator]]:
    """Every task of every task table and every indicator of every indicator table in *lines*
    (or in *tables*, when a format reader found them), with a report of the tables seen.

    Raises :class:`NoTaskTable` when the document has no table of either kind,
    :class:`kg.model.PlanError` when its only task-like table has no lead column
    or a table that was read holds no row.
    """
    doc = _Doc(file, document, jurisdiction, gazetteer, warn)
    entries, readings, lead_less = _read_tables(
        find_tables(lines) if tables is None else list(tables), lines, doc
    )
    if not readings:
        if lead_less is not None:
            raise PlanError("task table has no lead column (Cơ quan chủ trì)", file=file, line=lead_less.line)
        raise NoTaskTable("no task table found (a header row with Nội dung and Cơ quan chủ trì)", file=file)
    tasks, indicators, counts = _records(readings, doc)
    reports: list[TableReport] = []
    for n, (line, shown, read, reason, reading) in enumerate(entries):
        found = counts.get(n, 0)
        indicator = reading is not None and reading.columns.kind == "indicators"
        reports.append(
            TableReport(file, line, shown, read, reason, 0 if indicator else found, found if indicator else 0)
        )
    for kind, got in (("tasks", tasks), ("indicators", indicators)):
        first = next((r for r in readings if r.columns.kind == kind), None)
        if first is not None and not got:
            what = "task" if kind == "tasks" else "indicator"
            raise PlanError(f"the {what} table has no {what} rows", file=file, line=first.columns.header.line)
    return tasks, reports, indicators


def _read_tables(
    tables: Sequence[Table], lines: Sequence[str], doc: _Doc
) -> tuple[list[_Entry], list[_Reading], Row | None]:
    """Read the rows of every table that has a lead column (or continues one that has)."""
    fits_cache: dict[tuple[str, ...], Callable[[str, int], int]] = {}
    entries: list[_Entry] = []
    readings: list[_Reading] = []
    lead_less: Row | None = None
    previous: _Reading | None = None  # the last table read, which a headerless table may continue
    previous_end = 0
    for table in tables:
        header_at = next((i for i, r in enumerate(table.rows) if _is_header(column_roles(r.cells))), None)
        width = max(len(r.cells) for r in table.rows)
        start, previous_end = previous_end, table.rows[-1].line
        if (
            previous is not None
            and (header_at is None or header_at > 0)
            and width == len(previous.columns.roles)
        ):
            # No header of its own: it continues the table before it.
            root = previous.root or previous
            reading = _Reading(previous.columns, previous.state, root.drafts, root=root)
            fits = fits_cache[previous.columns.roles]
            _read_rows(table.rows, reading, len(entries), doc.document, fits, doc.warn, doc.file)
            shown = tuple(strip_markup(c) for c in previous.columns.header.cells)
            what = "indicator" if previous.columns.kind == "indicators" else "task"
            entries.append((table.line, shown, True, f"continues the {what} table above", reading))
            readings.append(reading)
            continue
        if header_at is None:
            continue
        header = table.rows[header_at]
        cols = _columns(header)
        shown = tuple(strip_markup(c) for c in header.cells)
        if "lead" not in cols.roles:
            entries.append((header.line, shown, False, "no lead column", None))
            lead_less = lead_less or header
            previous = None
            continue
        reading = _Reading(cols, _State(), [], label=_appendix_label(lines, start, table.line))
        fits = fits_cache.setdefault(cols.roles, _fits(cols.roles, doc.gazetteer))
        _read_rows(table.rows[header_at + 1 :], reading, len(entries), doc.document, fits, doc.warn, doc.file)
        reason = "indicator table (chỉ tiêu)" if cols.kind == "indicators" else "task table"
        entries.append((header.line, shown, True, reason, reading))
        readings.append(reading)
        previous = reading
    return entries, readings, lead_less


def _records(readings: list[_Reading], doc: _Doc) -> tuple[list[Task], list[Indicator], dict[int, int]]:
    """The tasks and indicators of the tables read, with their ids; and how many each table gave."""
    roots = [r for r in readings if r.root is None]
    items = {id(r): _promote_headings(r.drafts, r.columns, doc.document) for r in roots}
    _label_tables(readings, items)
    tasks: list[Task] = []
    indicators: list[Indicator] = []
    counts: dict[int, int] = {}
    for reading in roots:
        cols = reading.columns
        # Ids are unique within a kind: task "I.1" and indicator "I.1" are different rows.
        seen: set[str] = {t.id for t in tasks} if cols.kind == "tasks" else {i.id for i in indicators}
        for d in items[id(reading)]:
            tid = _task_id(d)
            tid = f"{reading.label}.{tid}" if reading.label else tid
            if tid in seen:
                n = 2
                while f"{tid}#{n}" in seen:
                    n += 1
                doc.warn(
                    Issue(
                        doc.file, d.lines[0], "duplicate-id", f"id {tid} appears twice; second is {tid}#{n}"
                    )
                )
                tid = f"{tid}#{n}"
            seen.add(tid)
            counts[d.table] = counts.get(d.table, 0) + 1
            if cols.kind == "indicators":
                indicators.append(_indicator(d, tid, cols, doc))
            else:
                tasks.append(_task(d, tid, cols, doc))
    return tasks, indicators, counts


def _assignments(
    d: _Draft,
    cols: _Columns,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    note: Callable[[str], None],
    fragment: Callable[[str], None] | None = None,
) -> tuple[str, str, list]:
    lead_text = clean(_cell(d.cells, cols.col.get("lead")))
    coord_text = clean(_cell(d.cells, cols.col.get("coordinating")))
    assignments = split_cell(lead_text, gazetteer, jurisdiction, Role.LEAD, warn=note, fragment=fragment)
    assignments += split_cell(
        coord_text, gazetteer, jurisdiction, Role.COORDINATING, warn=note, fragment=fragment
    )
    if not any(a.role is Role.LEAD for a in assignments):
        note("no lead agency")
    return lead_text, coord_text, assignments


def _row_warnings(doc: _Doc, line: int, what: str) -> tuple[Callable[[str], None], Callable[[str], None]]:
    """The row's two warnings: an agency note, and a piece of a cell that names no body (no node)."""

    def note(message: str) -> None:
        doc.warn(Issue(doc.file, line, "agency", f"{what}: {message}"))

    def fragment(words: str) -> None:
        doc.warn(Issue(doc.file, line, "fragment", f"{what}: not an agency, dropped: {words!r}"))

    return note, fragment


def _task(d: _Draft, tid: str, cols: _Columns, doc: _Doc) -> Task:
    file, document, warn = doc.file, doc.document, doc.warn
    line = d.lines[0]
    note, fragment = _row_warnings(doc, line, f"task {tid}")
    lead_text, coord_text, assignments = _assignments(
        d, cols, doc.jurisdiction, doc.gazetteer, note, fragment
    )
    deadline_text = clean(_cell(d.cells, cols.col.get("deadline")))
    try:
        deadline = parse_deadline(deadline_text, strict=True)
    except UnknownDeadline:
        deadline = Deadline(deadline_text)
        warn(
            Issue(
                file, line, "deadline", f"task {tid}: deadline not understood, text kept: {deadline_text!r}"
            )
        )
    attributes = tuple((name, clean(_cell(d.cells, i))) for i, name in cols.extras if _cell(d.cells, i))
    return Task(
        id=tid,
        document=document,
        group=d.group,
        number=d.number,
        title=clean(_cell(d.cells, cols.col.get("title"))),
        assignments=tuple(assignments),
        deadline=deadline,
        source=Source(file, tuple(d.lines)),
        lead_text=lead_text,
        coordinating_text=coord_text,
        attributes=attributes,
    )


def _indicator(d: _Draft, iid: str, cols: _Columns, doc: _Doc) -> Indicator:
    file, document = doc.file, doc.document
    note, fragment = _row_warnings(doc, d.lines[0], f"indicator {iid}")
    lead_text, _, assignments = _assignments(d, cols, doc.jurisdiction, doc.gazetteer, note, fragment)
    target_col = next((i for i, name in cols.extras if _is_value_column(name)), None)
    others = [(i, name) for i, name in cols.extras if i != target_col]
    if "deadline" in cols.col:
        i = cols.col["deadline"]
        others.append((i, strip_markup(cols.header.cells[i])))
    attributes = tuple((name, clean(_cell(d.cells, i))) for i, name in sorted(others) if _cell(d.cells, i))
    return Indicator(
        id=iid,
        document=document,
        group=d.group,
        number=d.number,
        title=clean(_cell(d.cells, cols.col.get("title"))),
        assignments=tuple(assignments),
        target=clean(_cell(d.cells, target_col)),
        source=Source(file, tuple(d.lines)),
        lead_text=lead_text,
        attributes=attributes,
    )
