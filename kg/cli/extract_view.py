"""Render an :class:`~kg.model.ExtractResult` for the ``kg extract`` command.

Every agency shown carries its jurisdiction ("Hà Nội"; "Việt Nam" for a
national body): five provinces' "Sở Tài chính" are five bodies.  The summary
says how well each table was read (:func:`table_readings`).
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from kg.model import ExtractResult, Issue, Role, TableReport, Task
from kg.model.output import render_rows, to_json

__all__ = ["TableReading", "reading_counts", "render_extract", "table_readings", "task_rows"]

# Warning codes that say a part of a table was not read right (the loaders' Issue.code).
ROW, AGENCY, FRAGMENT = "row", "agency", "fragment"


def _labelled(agencies) -> list[str]:
    """Names with their jurisdiction, for a table a person reads: "Sở Tài chính (Hà Nội)"."""
    return [f"{a.name} ({a.place})" for a in agencies]


def task_rows(result: ExtractResult, *, inline_places: bool = False) -> list[dict[str, object]]:
    """One flat row per task (for CSV and table output).

    Each agency list (``directing``, ``lead``, ``coordinating``) has a list of
    the same length beside it (``lead_jurisdiction``…) naming each agency's
    jurisdiction; with *inline_places* the places are written into the names
    instead ("Sở Nội vụ (Hà Nội)"), for the narrow table.

    >>> from loaders import read_plan
    >>> row = task_rows(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))[3]
    >>> row["lead"], row["lead_jurisdiction"]
    (['Sở Nội vụ'], ['Hà Nội'])
    """
    rows = []
    for t in result.tasks:
        row: dict[str, object] = {"document": t.document, "id": t.id, "group": t.group.id if t.group else ""}
        row["title"] = t.title
        for role in ("directing", "lead", "coordinating"):
            agencies = t.agencies(Role(role))
            if inline_places:
                row[role] = _labelled(agencies)
            else:
                row[role] = [a.name for a in agencies]
                row[f"{role}_jurisdiction"] = [a.place for a in agencies]
        row |= {
            "deadline": t.deadline.text,
            "start": t.deadline.start.isoformat() if t.deadline.start else "",
            "end": t.deadline.end.isoformat() if t.deadline.end else "",
            "recurrence": t.deadline.recurrence.value if t.deadline.recurrence else "",
            "lines": "-".join(str(n) for n in (t.source.lines[0], t.source.lines[-1]))
            if len(t.source.lines) > 1
            else str(t.source.lines[0]),
        }
        rows.append(row)
    return rows


@dataclass(frozen=True, slots=True)
class TableReading:
    """How well one table (or, with ``table`` None, a document's text outside any table) was read.

    ``not_understood`` are the "row" warnings (each says why), ``new`` the
    agencies not in the gazetteer, ``fragments`` the pieces of a cell rejected
    as no body (warnings with code "fragment").
    """

    file: str
    table: TableReport | None
    tasks: int
    recognised: int
    new: tuple[str, ...]
    not_understood: tuple[Issue, ...]
    fragments: tuple[Issue, ...]

    def line(self) -> str:
        """One line of counts.

        >>> TableReading("p.txt", None, 3, 2, ("Sở X",), (), ()).line()
        '3 rows read as tasks, 0 rows not understood; agencies: 2 recognised, 1 new, 0 fragments rejected'
        """
        return (
            f"{self.tasks} rows read as tasks, {len(self.not_understood)} rows not understood; "
            f"agencies: {self.recognised} recognised, {len(self.new)} new, {len(self.fragments)} fragments rejected"
        )


def _bucket(starts: list[int], line: int | None) -> int | None:
    """The index of the last table starting at or before *line* (None: before every table)."""
    if line is None:
        return None
    i = bisect.bisect_right(starts, line) - 1
    return i if i >= 0 else None


def table_readings(result: ExtractResult) -> list[TableReading]:
    """Per table of each document (in file order), the counts of :class:`TableReading`.

    A table runs from its header to the next table of its file, so tasks and
    warnings are given to the last table that starts at or above their line;
    those above every table (tasks stated in the text, header warnings) make a
    reading of their own (``table`` None), listed first when it holds anything.

    >>> from loaders import read_plan
    >>> (r,) = table_readings(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> (r.tasks, len(r.not_understood), r.new)
    (30, 0, ())
    """
    out: list[TableReading] = []
    files = [d.file for d in result.documents] + [t.file for t in result.tables]
    for file in dict.fromkeys(files + [w.file for w in result.warnings]):
        tables = sorted((t for t in result.tables if t.file == file), key=lambda t: t.line)
        starts = [t.line for t in tables]
        tasks: dict[int | None, list[Task]] = {}
        issues: dict[int | None, list[Issue]] = {}
        for task in result.tasks:
            if task.source.file == file:
                tasks.setdefault(_bucket(starts, task.source.lines[0]), []).append(task)
        for w in result.warnings:
            if w.file == file:
                issues.setdefault(_bucket(starts, w.line), []).append(w)
        for i in [None, *range(len(tables))]:
            mine, said = tasks.get(i, []), issues.get(i, [])
            if i is None and not mine and not any(w.code in (ROW, FRAGMENT) for w in said):
                continue
            agencies = {a.agency.id: a.agency for t in mine for a in t.assignments}
            out.append(
                TableReading(
                    file,
                    None if i is None else tables[i],
                    len(mine),
                    sum(a.recognised for a in agencies.values()),
                    tuple(sorted({a.name for a in agencies.values() if not a.recognised})),
                    tuple(w for w in said if w.code == ROW),
                    tuple(w for w in said if w.code == FRAGMENT),
                )
            )
    return out


def reading_counts(result: ExtractResult) -> Counter[str]:
    """How many rows were not understood, agencies are new and fragments were rejected, in all.

    >>> from loaders import read_plan
    >>> reading_counts(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    Counter()
    """
    counts: Counter[str] = Counter()
    for r in table_readings(result):
        counts["rows not understood"] += len(r.not_understood)
        counts["new agencies"] += len(r.new)
        counts["fragments rejected"] += len(r.fragments)
    return +counts


def _summary(result: ExtractResult) -> str:
    out = []
    readings = table_readings(result)
    for doc in result.documents:
        tasks = [t for t in result.tasks if t.document == doc.id]
        groups = Counter(t.group.id if t.group else "-" for t in tasks)
        issuer = doc.issuer.name if doc.issuer else "?"
        where = f", {doc.place}" if doc.place else ""
        out.append(
            f"{doc.file}: {doc.type} {doc.number or doc.number_text or ''} — {issuer}{where}, {doc.year or ''}"
        )
        for ref in doc.chain():
            who = ref.issuer.name if ref.issuer else "?"
            when = ref.date.isoformat() if ref.date else ""
            # A law cited by name has no number: its name says what it is ("Luật Việc làm").
            what = f"{ref.type} {ref.number}" if ref.number else (ref.title or ref.type)
            out.append(f"  implements {what} ({who}, {when})")
        out.append(
            f"  {len(tasks)} tasks in {len(groups)} groups"
            + (": " + ", ".join(f"{g} {n}" for g, n in groups.items()) if groups else "")
        )
        indicators = [i for i in result.indicators if i.document == doc.id]
        if indicators:
            # Indicators (chỉ tiêu) are targets a body answers for, not tasks: counted apart.
            led = sum(1 for i in indicators if i.lead)
            out.append(f"  {len(indicators)} indicators (chỉ tiêu), {led} with a lead")
        for r in (r for r in readings if r.file == doc.file):
            where = f"table at line {r.table.line}" if r.table else "text"
            if r.table is not None and not r.table.read:
                out.append(f"  {where}: skipped ({r.table.reason})")
                continue
            out.append(f"  {where}: {r.line()}")
            out += [f"    {w.file}:{w.line}: {w.message}" for w in r.not_understood + r.fragments]
            if r.new:
                out.append("    new agencies: " + "; ".join(r.new))
    load: Counter[tuple[str, str]] = Counter()
    for t in result.tasks:
        for a in t.assignments:
            if a.role is Role.LEAD and not a.agency.is_collective:
                load[(a.agency.name, a.agency.place)] += 1
    out.append(f"{len(result.agencies())} agencies; most tasks led:")
    out += [f"  {n:3d}  {name} ({place})" for (name, place), n in load.most_common(5)]
    out.append(f"{len(result.warnings)} warnings")
    return "\n".join(out) + "\n"


def render_extract(result: ExtractResult, fmt: str) -> str:
    """The text of ``kg extract --format FMT``."""
    if fmt == "json":
        return to_json(result.as_dict())
    if fmt == "summary":
        return _summary(result)
    if fmt == "table":
        rows = task_rows(result, inline_places=True)
        return render_rows(rows, fmt, columns=["id", "lead", "coordinating", "deadline"], width=48)
    return render_rows(task_rows(result), fmt)
