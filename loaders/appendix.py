"""Read the task tables of a plan into :class:`kg.model.Task` records.

A task table is recognised by its header row, never by its position: a row
naming a task column (Nội dung, Nhiệm vụ, Tên nhiệm vụ…) and a lead column
(Cơ quan chủ trì, Đơn vị thực hiện, CHỦ TRÌ…).  Then, row by row:

* a header row seen again (after a page break) is skipped;
* a row numbered with a Roman numeral, or a single merged cell such as
  "I. NÂNG CAO …", opens a task group; a capital letter other than I, V, X
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
* a row with no number and an empty lead cell continues the task above it,
  cell by cell; with a lead cell it is a task of its own, numbered in order;
* a header row seen again inside the table, even one shortened by a merged
  cell (no number column), is skipped; the columns stay those of the first
  header;
* a table with no header of its own, with rows as wide as the task table
  before it, continues that table (the plan broke it for a part heading or a
  page): it is read with the same columns, groups and parts.

Indicator tables (a "Chỉ tiêu" column) are reported and skipped, even when
they have a lead column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kg.gazetteer import Gazetteer
from kg.model import Deadline, Issue, PlanError, Role, Source, TableReport, Task, TaskGroup
from kg.text import clean, name_key, strip_markup
from loaders.agencies import split_cell
from loaders.deadlines import UnknownDeadline, parse_deadline
from loaders.tables import Row, Table, find_tables

__all__ = ["NoTaskTable", "column_roles", "read_tasks"]


class NoTaskTable(PlanError):
    """A document with no table at all that looks like a task table (no task and lead header)."""


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


@lru_cache(maxsize=4096)
def _column_role(header: str) -> str:
    k = _FOOTNOTE.sub("", name_key(strip_markup(header))).strip(" :.")
    if k in {"tt", "stt", "số tt", "số thứ tự"}:
        return "number"
    if "chỉ tiêu" in k:
        return "indicator"
    if "chủ trì" in k or re.fullmatch(r"(?:cơ quan|đơn vị|cơ quan, đơn vị) (?:thực hiện|thực hiện chính)", k):
        return "lead"
    if "phối hợp" in k:
        return "coordinating"
    if re.match(r"(?:thời gian|thời hạn|tiến độ|hạn)", k):
        return "deadline"
    if "nội dung" in k or "nhiệm vụ" in k or k.startswith("tên") or "giải pháp" in k:
        return "title"
    return "extra"


def column_roles(cells: Sequence[str]) -> tuple[str, ...]:
    """The role of each column of a header row.

    >>> column_roles(["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp thực hiện", "Thời gian trình/ thực hiện"])
    ('number', 'title', 'lead', 'coordinating', 'deadline')
    >>> column_roles(["**STT**", "**Nhiệm vụ, giải pháp**", "**Đơn vị thực hiện**", "**Sản phẩm đầu ra**"])
    ('number', 'title', 'lead', 'extra')
    """
    return tuple(_column_role(c) for c in cells)


def _is_header(roles: tuple[str, ...]) -> bool:
    """A header names at least two of the columns a task table has."""
    known = {"number", "title", "lead", "coordinating", "deadline", "indicator"}
    return len(known.intersection(roles)) >= 3 or {"title", "lead"} <= set(roles)


@dataclass
class _Draft:
    """A task row being assembled (continuation rows add to it)."""

    number: str
    group: TaskGroup | None
    cells: list[str]
    lines: list[int] = field(default_factory=list)


def _cell(cells: Sequence[str], i: int | None) -> str:
    return cells[i] if i is not None and i < len(cells) else ""


def _is_roman(number: str) -> bool:
    """A Roman group number: I, II, … (a lone C, D, L or M is a part letter)."""
    return bool(_ROMAN.match(number)) and (len(number) > 1 or number in "IVX")


def _is_part(number: str) -> bool:
    return bool(_PART.match(number))


def _is_bold_heading(raw: Sequence[str]) -> bool:
    """Every filled cell is bold (``**…**`` or ``<b>…</b>``); filler such as ``** **`` is empty."""
    filled = [c for c in raw if strip_markup(c)]
    return bool(filled) and all(_BOLD_CELL.match(c) for c in filled)


@dataclass
class _State:
    """Where the reader is in a task table: part, section (Roman group), group (or sub-group).

    Kept across a table that continues the one before it.
    """

    part: str | None = None
    section: TaskGroup | None = None
    group: TaskGroup | None = None
    counters: dict[str | None, int] = field(default_factory=dict)


def read_tasks(
    lines: Sequence[str],
    *,
    file: str,
    document: str,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    warn: Callable[[Issue], None],
    tables: Sequence[Table] | None = None,
) -> tuple[list[Task], list[TableReport]]:
    """Every task of every task table in *lines* (or in *tables*, when a format reader
    found them), with a report of the tables seen."""
    tasks: list[Task] = []
    reports: list[TableReport] = []
    lead_less: Row | None = None
    previous: tuple[Row, int, _State] | None = None  # the last task table: header, width, state
    for table in find_tables(lines) if tables is None else tables:
        header_at = next((i for i, r in enumerate(table.rows) if _is_header(column_roles(r.cells))), None)
        width = max(len(r.cells) for r in table.rows)
        if previous is not None and (header_at is None or header_at > 0) and width == previous[1]:
            # No header of its own: it continues the task table before it.
            header, _, state = previous
            found = _read_table(
                table.rows, header, file, document, jurisdiction, gazetteer, warn, tasks, state
            )
            shown = tuple(strip_markup(c) for c in header.cells)
            reports.append(
                TableReport(file, table.line, shown, True, "continues the task table above", found)
            )
            continue
        if header_at is None:
            continue
        header = table.rows[header_at]
        roles = column_roles(header.cells)
        shown = tuple(strip_markup(c) for c in header.cells)
        if "indicator" in roles:
            reports.append(TableReport(file, header.line, shown, False, "indicator table (chỉ tiêu)"))
            previous = None
            continue
        if "lead" not in roles:
            reports.append(TableReport(file, header.line, shown, False, "no lead column"))
            lead_less = lead_less or header
            previous = None
            continue
        state = _State()
        found = _read_table(
            table.rows[header_at + 1 :], header, file, document, jurisdiction, gazetteer, warn, tasks, state
        )
        reports.append(TableReport(file, header.line, shown, True, "task table", found))
        previous = (header, len(header.cells), state)
    if not any(r.read for r in reports):
        if lead_less is not None:
            raise PlanError("task table has no lead column (Cơ quan chủ trì)", file=file, line=lead_less.line)
        raise NoTaskTable("no task table found (a header row with Nội dung and Cơ quan chủ trì)", file=file)
    if not tasks:
        first = next(r for r in reports if r.read)
        raise PlanError("the task table has no task rows", file=file, line=first.line)
    return tasks, reports


def _read_table(
    rows: Sequence[Row],
    header: Row,
    file: str,
    document: str,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    warn: Callable[[Issue], None],
    tasks: list[Task],
    state: _State,
) -> int:
    roles = column_roles(header.cells)
    col = {r: roles.index(r) for r in ("number", "title", "lead", "coordinating", "deadline") if r in roles}
    if "number" not in col and roles[0] != "title":
        col["number"] = 0
    headers = {tuple(name_key(strip_markup(c)) for c in header.cells)}
    extras = [(i, strip_markup(header.cells[i])) for i, r in enumerate(roles) if r == "extra"]
    drafts: list[_Draft] = []
    counters = state.counters

    for row in rows:
        cells = [strip_markup(c) for c in row.cells]
        keyed = tuple(name_key(c) for c in cells)
        if keyed in headers:
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
        number = _cell(cells, col.get("number")).rstrip(".").strip()
        lead_cell = _cell(cells, col.get("lead"))
        # A merged group row: one cell "I. TITLE" (or "A. TITLE").
        if len(non_empty) == 1:
            m = _MERGED_GROUP.match(non_empty[0])
            if m and (_is_roman(m.group("id")) or _is_part(m.group("id"))):
                number, cells = m.group("id"), [m.group("id"), m.group("title")]
                lead_cell = ""
        heading = _is_bold_heading(row.cells)
        if number and (_is_roman(number) or _is_part(number)) and (heading or not lead_cell.strip("* ")):
            title = _cell(cells, col.get("title")) or next((c for c in cells[1:] if c), "")
            if _is_part(number):
                state.part, gid = number, number
            else:
                gid = f"{state.part}.{number}" if state.part else number
            state.group = state.section = TaskGroup(gid, clean(title), document, row.line)
            continue
        if number and _NUMBER.match(number) and heading:
            # A bold numbered row ("5.1 | Thương mại") heads a sub-group of the current group.
            title = next((c for c in non_empty if c != number), "")
            parent = state.section.id if state.section else None
            gid = f"{parent}.{number}" if parent else number
            state.group = TaskGroup(gid, clean(title), document, row.line)
            continue
        if number and _NUMBER.match(number):
            drafts.append(_Draft(number, state.group, list(cells), [row.line]))
            continue
        if not number and drafts and not lead_cell and _continues(drafts[-1], state.group):
            draft = drafts[-1]
            for i, c in enumerate(cells):
                if i == col.get("number") or not c:
                    continue
                while len(draft.cells) <= i:
                    draft.cells.append("")
                draft.cells[i] = f"{draft.cells[i]} {c}".strip()
            draft.lines.append(row.line)
            continue
        if not number and lead_cell:
            gid = state.group.id if state.group else None
            counters[gid] = counters.get(gid, sum(1 for d in drafts if d.group == state.group)) + 1
            drafts.append(_Draft(str(counters[gid]), state.group, list(cells), [row.line]))
            continue
        warn(Issue(file, row.line, "row", f"row not understood, skipped: {' | '.join(non_empty)[:80]!r}"))

    seen_ids: set[str] = {t.id for t in tasks if t.document == document}
    count = 0
    for d in drafts:
        tid = _task_id(d, state)
        if tid in seen_ids:
            n = 2
            while f"{tid}#{n}" in seen_ids:
                n += 1
            warn(Issue(file, d.lines[0], "duplicate-id", f"task id {tid} appears twice; second is {tid}#{n}"))
            tid = f"{tid}#{n}"
        seen_ids.add(tid)
        tasks.append(_task(d, tid, col, extras, file, document, jurisdiction, gazetteer, warn))
        count += 1
    return count


def _task_id(d: _Draft, state: _State) -> str:
    """Group id + number; under a sub-group "B.IV.5.1", task "5.1.2" is "B.IV.5.1.2", not "B.IV.5.1.5.1.2"."""
    if d.group is None:
        return d.number
    gid = d.group.id
    sub = gid.rsplit(".", 1)
    if len(sub) == 2 and _NUMBER.match(sub[1]):
        # gid is "<section>.<n.m>": find the numeric tail (it may itself contain dots).
        parts = gid.split(".")
        k = next(i for i in range(len(parts)) if all(p.isdigit() for p in parts[i:]))
        section, subnum = ".".join(parts[:k]), ".".join(parts[k:])
        if d.number.startswith(subnum + "."):
            return f"{section}.{d.number}" if section else d.number
    return f"{gid}.{d.number}"


def _continues(draft: _Draft, group: TaskGroup | None) -> bool:
    return draft.group == group


def _task(
    d: _Draft,
    tid: str,
    col: dict[str, int],
    extras: list[tuple[int, str]],
    file: str,
    document: str,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    warn: Callable[[Issue], None],
) -> Task:
    line = d.lines[0]

    def note(message: str) -> None:
        warn(Issue(file, line, "agency", f"task {tid}: {message}"))

    lead_text = clean(_cell(d.cells, col.get("lead")))
    coord_text = clean(_cell(d.cells, col.get("coordinating")))
    assignments = split_cell(lead_text, gazetteer, jurisdiction, Role.LEAD, warn=note)
    assignments += split_cell(coord_text, gazetteer, jurisdiction, Role.COORDINATING, warn=note)
    if not any(a.role is Role.LEAD for a in assignments):
        note("no lead agency")
    deadline_text = clean(_cell(d.cells, col.get("deadline")))
    try:
        deadline = parse_deadline(deadline_text, strict=True)
    except UnknownDeadline:
        deadline = Deadline(deadline_text)
        warn(
            Issue(
                file, line, "deadline", f"task {tid}: deadline not understood, text kept: {deadline_text!r}"
            )
        )
    attributes = tuple((name, clean(_cell(d.cells, i))) for i, name in extras if _cell(d.cells, i))
    return Task(
        id=tid,
        document=document,
        group=d.group,
        number=d.number,
        title=clean(_cell(d.cells, col.get("title"))),
        assignments=tuple(assignments),
        deadline=deadline,
        source=Source(file, tuple(d.lines)),
        lead_text=lead_text,
        coordinating_text=coord_text,
        attributes=attributes,
    )
