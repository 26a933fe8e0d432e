"""Render an :class:`~kg.model.ExtractResult` for the ``kg extract`` command."""

from __future__ import annotations

from collections import Counter

from kg.model import ExtractResult, Role
from kg.output import render_rows, to_json

__all__ = ["render_extract", "task_rows"]


def task_rows(result: ExtractResult) -> list[dict[str, object]]:
    """One flat row per task (for CSV and table output)."""
    return [
        {
            "document": t.document,
            "id": t.id,
            "group": t.group.id if t.group else "",
            "title": t.title,
            "directing": [a.name for a in t.directing],
            "lead": [a.name for a in t.lead],
            "coordinating": [a.name for a in t.coordinating],
            "deadline": t.deadline.text,
            "start": t.deadline.start.isoformat() if t.deadline.start else "",
            "end": t.deadline.end.isoformat() if t.deadline.end else "",
            "recurrence": t.deadline.recurrence.value if t.deadline.recurrence else "",
            "lines": "-".join(str(n) for n in (t.source.lines[0], t.source.lines[-1]))
            if len(t.source.lines) > 1
            else str(t.source.lines[0]),
        }
        for t in result.tasks
    ]


def _summary(result: ExtractResult) -> str:
    out = []
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
    load: Counter[str] = Counter()
    for t in result.tasks:
        for a in t.assignments:
            if a.role is Role.LEAD and not a.agency.is_collective:
                load[a.agency.name] += 1
    out.append(f"{len(result.agencies())} agencies; most tasks led:")
    out += [f"  {n:3d}  {name}" for name, n in load.most_common(5)]
    out.append(f"{len(result.warnings)} warnings")
    return "\n".join(out) + "\n"


def render_extract(result: ExtractResult, fmt: str) -> str:
    """The text of ``kg extract --format FMT``."""
    if fmt == "json":
        return to_json(result.as_dict())
    if fmt == "summary":
        return _summary(result)
    columns = ["id", "lead", "coordinating", "deadline"] if fmt == "table" else None
    return render_rows(task_rows(result), fmt, columns=columns, width=48)
