"""Read the task tables of a plan into :class:`kg.model.Task` records.

A task table is recognised by its header row, never by its position: a row
naming a task column (Nội dung, Nhiệm vụ, Tên nhiệm vụ…) and a lead column
(Cơ quan chủ trì, Đơn vị thực hiện, CHỦ TRÌ…).  Then, row by row:

* a header row seen again (after a page break) is skipped;
* a row numbered with a Roman numeral (or a capital letter for a part), or a
  single merged cell such as "I. NÂNG CAO …", opens a task group;
* a row numbered 1, 1., 1.1 … is a task, with id group + number ("II.1");
* a row with no number and an empty lead cell continues the task above it,
  cell by cell; with a lead cell it is a task of its own, numbered in order.

Indicator tables (a "Chỉ tiêu" column) are reported and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kg.gazetteer import Gazetteer
from kg.model import Deadline, Issue, PlanError, Role, Source, TableReport, Task, TaskGroup
from kg.text import clean, name_key, strip_markup
from loaders.agencies import split_cell
from loaders.deadlines import UnknownDeadline, parse_deadline
from loaders.tables import Row, Table, find_tables

__all__ = ["column_roles", "read_tasks"]

_ROMAN = re.compile(r"^(?=[IVXLC])(M{0,3})(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_PART = re.compile(r"^[A-ZĐ]$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
_MERGED_GROUP = re.compile(r"^(?P<id>[IVXLC]+|[A-ZĐ])\s*[.)/:-]\s*(?P<title>\S.*)$")
_FOOTNOTE = re.compile(r"[\s*]*(?:\(\d+\)|\[\d+\]|\d+)$")


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


def read_tasks(
    lines: Sequence[str],
    *,
    file: str,
    document: str,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    warn: Callable[[Issue], None],
) -> tuple[list[Task], list[TableReport]]:
    """Every task of every task table in *lines*, with a report of the tables seen."""
    tasks: list[Task] = []
    reports: list[TableReport] = []
    lead_less: Row | None = None
    for table in find_tables(lines):
        header_at = next((i for i, r in enumerate(table.rows) if _is_header(column_roles(r.cells))), None)
        if header_at is None:
            continue
        header = table.rows[header_at]
        roles = column_roles(header.cells)
        shown = tuple(strip_markup(c) for c in header.cells)
        if "indicator" in roles:
            reports.append(TableReport(file, header.line, shown, False, "indicator table (chỉ tiêu)"))
            continue
        if "lead" not in roles:
            reports.append(TableReport(file, header.line, shown, False, "no lead column"))
            lead_less = lead_less or header
            continue
        found = _read_table(table, header_at, file, document, jurisdiction, gazetteer, warn, tasks)
        reports.append(TableReport(file, header.line, shown, True, "task table", found))
    if not any(r.read for r in reports):
        if lead_less is not None:
            raise PlanError("task table has no lead column (Cơ quan chủ trì)", file=file, line=lead_less.line)
        raise PlanError("no task table found (a header row with Nội dung and Cơ quan chủ trì)", file=file)
    if not tasks:
        first = next(r for r in reports if r.read)
        raise PlanError("the task table has no task rows", file=file, line=first.line)
    return tasks, reports


def _read_table(
    table: Table,
    header_at: int,
    file: str,
    document: str,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    warn: Callable[[Issue], None],
    tasks: list[Task],
) -> int:
    roles = column_roles(table.rows[header_at].cells)
    col = {r: roles.index(r) for r in ("number", "title", "lead", "coordinating", "deadline") if r in roles}
    if "number" not in col and roles[0] != "title":
        col["number"] = 0
    headers = {tuple(name_key(strip_markup(c)) for c in table.rows[header_at].cells)}
    extras = [(i, strip_markup(table.rows[header_at].cells[i])) for i, r in enumerate(roles) if r == "extra"]
    part: str | None = None
    group: TaskGroup | None = None
    drafts: list[_Draft] = []
    counters: dict[str | None, int] = {}

    for row in table.rows[header_at + 1 :]:
        cells = [strip_markup(c) for c in row.cells]
        keyed = tuple(name_key(c) for c in cells)
        if keyed in headers:
            continue
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
            if m and (_ROMAN.match(m.group("id")) or _PART.match(m.group("id"))):
                number, cells = m.group("id"), [m.group("id"), m.group("title")]
                lead_cell = ""
        if number and (_ROMAN.match(number) or _PART.match(number)) and not lead_cell.strip("* "):
            title = _cell(cells, col.get("title")) or next((c for c in cells[1:] if c), "")
            if _PART.match(number) and not _ROMAN.match(number):
                part, gid = number, number
            else:
                gid = f"{part}.{number}" if part else number
            group = TaskGroup(gid, clean(title), document, row.line)
            continue
        if number and _NUMBER.match(number):
            drafts.append(_Draft(number, group, list(cells), [row.line]))
            continue
        if not number and drafts and not lead_cell and _continues(drafts[-1], group):
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
            gid = group.id if group else None
            counters[gid] = counters.get(gid, sum(1 for d in drafts if d.group == group)) + 1
            drafts.append(_Draft(str(counters[gid]), group, list(cells), [row.line]))
            continue
        warn(Issue(file, row.line, "row", f"row not understood, skipped: {' | '.join(non_empty)[:80]!r}"))

    seen_ids: set[str] = {t.id for t in tasks if t.document == document}
    count = 0
    for d in drafts:
        tid = f"{d.group.id}.{d.number}" if d.group else d.number
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
