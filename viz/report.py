"""A one-file HTML report for a researcher: figures, load ranking, matrix, deadlines, network, chain, tasks, audit.

Every number comes from :mod:`kg.graph.metrics` (the reference answers the named
queries are tested against), so the report and the queries agree.  Charts are
plain HTML and CSS; the only script is vis-network for the embedded network,
inlined like everything else (see :mod:`viz.html`).  The body audit
(:mod:`kg.graph.audit`) is shown apart from the appendix figures: body items are
not roles, and a body the text only requests counts in no load.

>>> from loaders import read_plan
>>> from kg.pipeline import audits_of
>>> result = read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt")
>>> ctx = report_context(result, audits=audits_of(result))
>>> ctx["figures"]
{'documents': 1, 'tasks': 30, 'agencies': 16, 'collectives': 4}
>>> ctx["ranking"][0]["agency"], ctx["ranking"][0]["lead"]
('Sở Nội vụ', 7)
>>> ctx["audit"][0]["kinds"]
{'assign': 27, 'general': 8, 'request': 4, 'standing': 1}
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.graph import metrics
from kg.model import Agency, Document, ExtractResult
from viz import network as vnet

if TYPE_CHECKING:
    from kg.graph.audit import AuditReport

__all__ = [
    "AUDIT_MAX_ROWS",
    "MATRIX_MAX_TASKS",
    "MAX_ROWS",
    "TIMELINE_MAX_TASKS",
    "document_label",
    "issuer_label",
    "legal_basis_words",
    "report_context",
    "report_html",
    "report_title",
]

logger = logging.getLogger(__name__)

MAX_ROWS = 60  # agencies in the ranking and the matrix; the rest are counted, not drawn
MATRIX_MAX_TASKS = 120  # beyond this the matrix has a column per group of tasks, not per task
TIMELINE_MAX_TASKS = 150  # beyond this the timeline counts tasks per month
AUDIT_MAX_ROWS = 300  # body items, and findings, shown per document; the rest are counted
ROLE_LETTERS = {"lead": "L", "directing": "D", "coordinating": "C"}


def _figures(G: nx.MultiDiGraph, result: ExtractResult) -> dict[str, int]:
    agencies = len(metrics.agency_load(G))
    return {
        "documents": len(result.documents),
        "tasks": len(result.tasks),
        "agencies": agencies,
        "collectives": len(metrics.agency_load(G, collectives=True)) - agencies,
    }


def _ranking(G: nx.MultiDiGraph, limit: int) -> tuple[list[dict[str, Any]], int, int]:
    rows = metrics.agency_load(G)
    widest = max((r["lead"] + r["directing"] + r["coordinating"] for r in rows), default=1) or 1
    return rows[:limit], max(0, len(rows) - limit), widest


def _tasks(G: nx.MultiDiGraph) -> list[tuple[str, dict[str, Any]]]:
    """Task nodes in reading order: plan, then position in the plan."""
    tasks = [(n, d) for n, d in G.nodes(data=True) if d["type"] == "task"]
    tasks.sort(key=lambda nd: (nd[1]["document"], nd[1]["seq"]))
    return tasks


def _matrix(G: nx.MultiDiGraph, limit: int, max_tasks: int) -> dict[str, Any]:
    """Agencies (collectives included) × tasks, or × groups of tasks when there are many tasks."""
    load = metrics.agency_load(G, collectives=True)
    rows = load[:limit]
    tasks = _tasks(G)
    per_task = len(tasks) <= max_tasks
    if per_task:
        columns = [
            {"key": n, "label": d["id"], "title": f"{d['id']} {d['title']}", "group": d["group"] or ""}
            for n, d in tasks
        ]
    else:
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for _, d in tasks:
            key = (d["document"], d["group"] or "")
            if key not in seen:
                seen[key] = {
                    "key": key,
                    "label": d["group"] or "–",
                    "title": f"{d['document']} {d['group'] or ''} {d['group_title'] or ''}".strip(),
                    "group": d["document"],
                }
        columns = list(seen.values())
    cells: dict[str, dict[Any, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for a, t, e in G.edges(data=True):
        if e.get("rel") != "role":
            continue
        col = t if per_task else (G.nodes[t]["document"], G.nodes[t]["group"] or "")
        cells[G.nodes[a]["id"]][col][e["role"]] += 1
    body = []
    for r in rows:
        mine = cells[r["id"]]
        body.append(
            {
                **r,
                "cells": [
                    " ".join(
                        (ROLE_LETTERS[role] if per_task else f"{mine[c['key']][role]}{ROLE_LETTERS[role]}")
                        for role in ("lead", "directing", "coordinating")
                        if mine[c["key"]][role]
                    )
                    for c in columns
                ],
            }
        )
    spans: list[tuple[str, int]] = []
    for c in columns:
        if spans and spans[-1][0] == c["group"]:
            spans[-1] = (c["group"], spans[-1][1] + 1)
        else:
            spans.append((c["group"], 1))
    return {
        "per_task": per_task,
        "columns": columns,
        "spans": spans,
        "rows": body,
        "hidden": max(0, len(load) - limit),
    }


def _timeline(G: nx.MultiDiGraph, max_tasks: int) -> dict[str, Any]:
    """Dated tasks on a time axis (from :func:`kg.graph.metrics.deadlines`), undated ones counted by kind."""
    by_task: dict[tuple[str, str], dict[str, Any]] = {}
    for row in metrics.deadlines(G):
        key = (row["plan"], row["task"])
        item = by_task.setdefault(
            key,
            {"task": row["task"], "plan": row["plan"], "title": row["title"], "deadline": row["deadline"]}
            | {"due": row["due"], "agencies": []},
        )
        item["agencies"].append(f"{row['agency']} ({row['jurisdiction']}, {row['role']})")
    tasks = _tasks(G)
    start_of = {(d["document"], d["id"]): d["start"] for _, d in tasks}
    undated: dict[str, int] = defaultdict(int)
    for _, d in tasks:
        if d["end"] is None:
            undated[d["recurrence"] or ("open-ended" if d["start"] else "no date")] += 1
    items = list(by_task.values())
    if not items:
        return {"rows": [], "months": [], "undated": dict(undated), "axis": []}
    first = min(start_of[(i["plan"], i["task"])] or date.fromisoformat(i["due"]) for i in items)
    last = max(date.fromisoformat(i["due"]) for i in items)
    first, last = date(first.year, 1, 1), date(last.year, 12, 31)
    span = (last - first).days or 1

    def pct(d: date) -> float:
        return round(100 * (d - first).days / span, 2)

    axis = [{"year": y, "left": pct(date(y, 1, 1))} for y in range(first.year, last.year + 1)]
    if len(items) > max_tasks:
        months: dict[str, int] = defaultdict(int)
        for i in items:
            months[i["due"][:7]] += 1
        top = max(months.values())
        return {
            "rows": [],
            "months": [
                {"month": m, "tasks": n, "width": round(100 * n / top, 1)} for m, n in sorted(months.items())
            ],
            "undated": dict(undated),
            "axis": axis,
            "dated": len(items),
        }
    for i in items:
        due = date.fromisoformat(i["due"])
        start = start_of[(i["plan"], i["task"])] or due
        i["left"] = pct(start)
        i["width"] = max(0.6, round(pct(due) - pct(start), 2))
    return {"rows": items, "months": [], "undated": dict(undated), "axis": axis, "dated": len(items)}


def issuer_label(doc: Document) -> str | None:
    """The issuer with its place, as a citation names it: "UBND Thành phố Hà Nội".

    >>> from dataclasses import replace
    >>> from loaders import read_plan
    >>> doc = read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt").documents[0]
    >>> issuer_label(doc)
    'UBND Thành phố Hà Nội'
    >>> issuer_label(replace(doc, issuer=replace(doc.issuer, name="UBND thành phố Hà Nội")))
    'UBND thành phố Hà Nội'
    """
    if doc.issuer is None:
        return None
    name, place = doc.issuer.name, doc.issuer.jurisdiction or doc.place
    # A name that already carries its place ("UBND tỉnh Đồng Nai") is left as it is.
    if not place or strip_key(place) in strip_key(name):
        return name
    return f"{name} {place}"


def strip_key(text: str) -> str:
    """Case and tone placement aside (``kg.model.text.name_key``), for "does this name hold that place"."""
    from kg.model.text import name_key

    return name_key(text)


def document_label(doc: Document) -> str:
    """The document as cited: its type and number, or its type and year when the number is left blank.

    A draft or a copy gives "/KH-UBND" with the number to fill in: that is not a number.
    """
    if doc.number:
        return f"{doc.type} {doc.number}"
    year = doc.date.year if doc.date else doc.year
    return f"{doc.type} ({year}, number not given)" if year else f"{doc.type} (number not given)"


# The reorganisation data writes "NOT FOUND" where no source gives a number or a decision; a report says so in words.
_NOT_FOUND_LEAD = re.compile(r"^\s*NOT FOUND\s*\((?P<what>.+)\)\s*$", re.DOTALL)
_NOT_FOUND_NUMBER = re.compile(r"\(\s*số hiệu\s+NOT FOUND\s*\)", re.IGNORECASE)
_NOT_FOUND = re.compile(r"\bNOT FOUND\b")


def legal_basis_words(text: str | None) -> str:
    """A legal basis as a reader should see it: a number no source gives is said in words, never a placeholder.

    >>> legal_basis_words("NOT FOUND (the Hanoi Party Committee's decision establishing the commission)")
    "the Hanoi Party Committee's decision establishing the commission (its number and date: no source found gives them)"
    >>> legal_basis_words("Quyết định của Thống đốc (số hiệu NOT FOUND)")
    'Quyết định của Thống đốc (its number: no source found gives it)'
    >>> legal_basis_words(None)
    'no legal basis recorded'
    """
    if not text or not text.strip():
        return "no legal basis recorded"
    m = _NOT_FOUND_LEAD.match(text)
    if m:
        return f"{m.group('what').strip()} (its number and date: no source found gives them)"
    text = _NOT_FOUND_NUMBER.sub("(its number: no source found gives it)", text)
    return _NOT_FOUND.sub("not found in any source", text)


def _chains(G: nx.MultiDiGraph, result: ExtractResult) -> list[dict[str, Any]]:
    rows = metrics.document_chain(G)
    out = []
    for doc in sorted(result.documents, key=lambda d: d.id):
        out.append(
            {
                "id": doc.id,
                "label": document_label(doc),
                "issuer": issuer_label(doc),
                "date": doc.date.isoformat() if doc.date else doc.date_text,
                "title": doc.title,
                "file": doc.file,
                "levels": [r for r in rows if r["plan"] == doc.id],
            }
        )
    return out


def _sources(result: ExtractResult) -> tuple[list[dict[str, Any]], dict[tuple[str, int], str]]:
    """The task rows of every source file, quoted, with an anchor per line."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for t in result.tasks:
        wanted[t.source.file].update(t.source.lines)
    files, anchors = [], {}
    for k, (name, lines) in enumerate(sorted(wanted.items())):
        try:
            text = Path(name).read_text(encoding="utf-8-sig").splitlines()
        except OSError as e:  # the file moved since it was read: keep the line numbers only
            logger.warning("%s: cannot quote the source lines: %s", name, e.strerror)
            text = []
        quoted = []
        for n in sorted(lines):
            anchor = f"src-{k}-L{n}"
            anchors[(name, n)] = anchor
            # NFC: a line typed with combining marks shows each letter whole, not detached diacritics.
            line = unicodedata.normalize("NFC", text[n - 1]) if 0 < n <= len(text) else ""
            quoted.append({"n": n, "anchor": anchor, "text": line})
        files.append({"file": name, "lines": quoted})
    return files, anchors


def _named(agencies: Iterable[Agency]) -> str:
    """Agencies with their jurisdiction, so that five provinces' "Sở Tài chính" read as five.

    >>> _named([Agency("ha-noi/so-tai-chinh", "Sở Tài chính", None, "department", True, "Hà Nội")])
    'Sở Tài chính (Hà Nội)'
    """
    return "; ".join(f"{a.name} ({a.place})" for a in agencies)


def _task_rows(result: ExtractResult, anchors: dict[tuple[str, int], str]) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "document": t.document,
            "title": t.title,
            "group": t.group.id if t.group else "",
            "directing": _named(t.directing),
            "lead": _named(t.lead),
            "coordinating": _named(t.coordinating),
            "deadline": t.deadline.text,
            "file": t.source.file,
            "lines": [(n, anchors[(t.source.file, n)]) for n in t.source.lines],
        }
        for t in result.tasks
    ]


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for v in values:
        counts[v] += 1
    return dict(sorted(counts.items()))


def _lines(lines: Sequence[int]) -> str:
    if not lines:
        return ""
    return str(lines[0]) if len(lines) == 1 else f"{lines[0]}–{lines[-1]}"


def _audit(reports: Sequence[AuditReport], limit: int) -> list[dict[str, Any]]:
    """Per document: body items (section, kind, agencies, linked appendix ids, lines) and findings."""
    from kg.graph.body import body_statements

    out = []
    for r in sorted(reports, key=lambda r: r.document):
        items = [
            {
                "ref": s.key,
                "kind": s.item.kind.value,
                "agencies": "; ".join(a.name for a in s.item.agencies),
                "coordinating": "; ".join(a.name for a in s.item.coordinating),
                "reports_to": "; ".join(a.name for a in s.item.reports_to),
                "appendix": ", ".join(s.appendix),
                "text": s.item.text,
                "lines": _lines(s.item.source.lines),
            }
            for s in body_statements(r)
        ]
        findings = [
            {
                "kind": f.kind.value,
                "appendix": f.appendix or "",
                "section": f.section or "",
                "lines": _lines(f.lines),
                "message": f.message,
            }
            for f in r.findings
        ]
        out.append(
            {
                "document": r.document,
                "file": r.file,
                "kinds": _count(i["kind"] for i in items),
                "finding_kinds": _count(f["kind"] for f in findings),
                "items": items[:limit],
                "items_hidden": max(0, len(items) - limit),
                "findings": findings[:limit],
                "findings_hidden": max(0, len(findings) - limit),
            }
        )
    return out


def _reorg(G: nx.MultiDiGraph, day: date, limit: int) -> dict[str, Any]:
    """The role assignments the 2025 changes moved by *day*, and the events with their legal basis and sources."""
    from kg.graph.reorg import current_holder
    from kg.graph.reorg_events import load_events

    rows = [r for r in current_holder(G, day) if r["events"]]
    reorg = load_events()
    events = []
    for eid in dict.fromkeys(e for r in rows for e in r["events"]):
        ev = reorg.get(eid)
        if ev is not None:
            events.append(
                {
                    "id": ev.id,
                    "date": ev.date.isoformat(),
                    "precision": ev.date_precision,
                    "kind": ev.kind,
                    "legal_basis": legal_basis_words(ev.legal_basis),
                    "confirmed": ev.confirmed,
                    "sources": list(ev.sources),
                    "note": ev.note,
                }
            )
    return {
        "day": day.isoformat(),
        "rows": rows[:limit],
        "hidden": max(0, len(rows) - limit),
        "total": len(rows),
        "events": sorted(events, key=lambda e: (e["date"], e["id"])),
    }


def report_context(
    result: ExtractResult,
    *,
    max_rows: int = MAX_ROWS,
    audits: Sequence[AuditReport] = (),
    as_of: date | None = None,
) -> dict[str, Any]:
    """Everything the report template shows, as plain values (tests read the numbers here).

    *audits* are the body audits to show (:func:`kg.pipeline.audits_of` reads
    them from the documents' files; the report, above the readers, is given them).  With *as_of*
    the ranking, matrix, deadlines and network show the agencies holding the
    work that day after the 2025 reorganisation (:func:`kg.graph.reorg.as_of_graph`);
    without it, the agencies as the plans name them.  Either way the
    ``reorg`` section lists the roles moved by *as_of* (default: today).
    """
    from kg.graph.network import build_graph
    from kg.graph.reorg import as_of_graph

    named = build_graph(result)
    G = as_of_graph(named, as_of) if as_of is not None else named
    ranking, ranking_hidden, widest = _ranking(G, max_rows)
    sources, anchors = _sources(result)
    return {
        "figures": _figures(G, result),
        "ranking": ranking,
        "ranking_hidden": ranking_hidden,
        "widest": widest,
        "matrix": _matrix(G, max_rows, MATRIX_MAX_TASKS),
        "timeline": _timeline(G, TIMELINE_MAX_TASKS),
        "chains": _chains(G, result),
        "tasks": _task_rows(result, anchors),
        "sources": sources,
        "audit": _audit(audits, AUDIT_MAX_ROWS),
        "as_of": as_of.isoformat() if as_of else None,
        "reorg": _reorg(named, as_of or date.today(), AUDIT_MAX_ROWS),
        "graph": G,
    }


def report_title(docs: Sequence[Document]) -> str:
    """The report's title: the plan and its issuer with its place, or the number of plans and their issuers.

    >>> from loaders import read_plan
    >>> report_title(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt").documents)
    'Responsibilities in Kế hoạch (2024, number not given) — UBND Thành phố Hà Nội'
    """
    if len(docs) == 1:
        issuer = issuer_label(docs[0])
        return f"Responsibilities in {document_label(docs[0])}" + (f" — {issuer}" if issuer else "")
    issuers = list(dict.fromkeys(x for d in docs if (x := issuer_label(d))))
    shown = ", ".join(issuers[:3]) + (f" and {len(issuers) - 3} more" if len(issuers) > 3 else "")
    return f"Responsibilities in {len(docs)} plans" + (f" — {shown}" if shown else "")


def report_html(
    result: ExtractResult,
    *,
    title: str | None = None,
    max_rows: int = MAX_ROWS,
    audits: Sequence[AuditReport] = (),
    as_of: date | None = None,
) -> str:
    """The whole report as one HTML string (the caller writes it, as UTF-8).

    The embedded network is the task view, or the agency view when the task
    view would have more than :data:`viz.network.LARGE` nodes.
    """
    from viz.html import assert_offline, environment

    ctx = report_context(result, max_rows=max_rows, audits=audits, as_of=as_of)
    G = ctx.pop("graph")
    data = vnet.network_data(G, view="tasks")
    if len(data.nodes) > vnet.LARGE:
        data = vnet.network_data(G, view="agencies")
    if title is None:
        title = report_title(result.documents)
    html = (
        environment()
        .get_template("report.html")
        .render(
            title=title,
            letters=ROLE_LETTERS,
            **ctx,
            **vnet.network_context(data, height="640px"),
        )
    )
    return assert_offline(html)
