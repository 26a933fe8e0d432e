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

The parts: :mod:`loaders.appendix_columns` (what a column name means) and
:mod:`loaders.appendix_rows` (the rows read under a header); this module finds the tables,
labels them by appendix and makes the records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.model import (
    Deadline,
    Indicator,
    Issue,
    PlanError,
    Role,
    Source,
    TableReport,
    Task,
)
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key, strip_markup
from loaders.agencies import split_cell
from loaders.appendix_columns import _is_header, _is_value_column, column_roles
from loaders.appendix_rows import (
    _cell,
    _Columns,
    _columns,
    _Draft,
    _fits,
    _promote_headings,
    _read_rows,
    _Reading,
    _State,
    _task_id,
)
from loaders.deadlines import UnknownDeadline, parse_deadline
from loaders.tables import Row, Table, find_tables

__all__ = ["NoTaskTable", "read_tasks"]


class NoTaskTable(PlanError):
    """A document with no table at all that names a responsible body per row (tasks or indicators)."""


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
