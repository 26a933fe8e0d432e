"""The plan records as a networkx graph: the reference model the queries are tested against.

Nodes carry a ``type`` ("agency", "task", "document") and their attributes;
edges run agency → task with a ``role`` ("lead", "directing",
"coordinating"), task → document ("part_of"), and document → document
("implements", "cites").  Node ids are the record ids prefixed by type.

:func:`add_audit` adds what a plan's body says (:mod:`kg.graph.audit`), as
statements of their own, never as ``role`` edges (a body the text only
*requests* is not a lead): ``body_assignment`` nodes with edges agency →
item ("addressed"), item → agency ("coordinating", "reports_to"), item →
task ("corresponds"), item → document ("part_of"); and ``finding`` nodes
with finding → task ("about") and finding → document ("part_of").

>>> from loaders import read_plan
>>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> sum(1 for _, d in G.nodes(data=True) if d["type"] == "task")
30
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from kg.model import Agency, Document, DocumentRef, ExtractResult, Task

if TYPE_CHECKING:
    from kg.graph.audit import AuditReport

__all__ = [
    "add_audit",
    "add_result",
    "agency_node",
    "body_node",
    "build_graph",
    "document_node",
    "finding_node",
    "task_node",
]


def agency_node(agency_id: str) -> str:
    return f"agency:{agency_id}"


def task_node(document_id: str, task_id: str) -> str:
    return f"task:{document_id}#{task_id}"


def document_node(document_id: str) -> str:
    return f"document:{document_id}"


def body_node(document_id: str, key: str) -> str:
    return f"body:{document_id}#{key}"


def finding_node(document_id: str, position: int) -> str:
    return f"finding:{document_id}#{position}"


def _agency_attrs(a: Agency) -> dict[str, object]:
    return {"type": "agency", **a.properties()}


def _doc_attrs(d: Document | DocumentRef) -> dict[str, object]:
    issuer = d.issuer
    return {
        "type": "document",
        "id": d.id,
        "doc_type": d.type,
        "number": d.number,
        "date": d.date,
        "issuer": issuer.id if issuer else None,
        "issuer_name": issuer.name if issuer else None,
        "title": d.title,
        "read": isinstance(d, Document),
    }


def _task_attrs(t: Task, seq: int) -> dict[str, object]:
    return {
        "type": "task",
        "id": t.id,
        "seq": seq,
        "document": t.document,
        "title": t.title,
        "group": t.group.id if t.group else None,
        "group_title": t.group.title if t.group else None,
        "deadline": t.deadline.text,
        "start": t.deadline.start,
        "end": t.deadline.end,
        "recurrence": t.deadline.recurrence.value if t.deadline.recurrence else None,
        "file": t.source.file,
        "lines": t.source.lines,
        "pages": t.source.pages,  # a PDF's or scan's pages the row is printed on (none for text)
    }


def add_result(G: nx.MultiDiGraph, result: ExtractResult) -> nx.MultiDiGraph:
    """Add the documents, tasks and agencies of *result* to *G* (agencies unify by id)."""
    for doc in result.documents:
        for ref in doc.references:
            n = document_node(ref.id)
            if not G.nodes.get(n, {}).get("read"):
                G.add_node(n, **_doc_attrs(ref))
            if ref.issuer:
                G.add_node(agency_node(ref.issuer.id), **_agency_attrs(ref.issuer))
        G.add_node(document_node(doc.id), **_doc_attrs(doc))
        if doc.issuer:
            G.add_node(agency_node(doc.issuer.id), **_agency_attrs(doc.issuer))
        for ref in doc.references:
            for parent in ref.implements:
                G.add_edge(document_node(ref.id), document_node(parent), key="implements", rel="implements")
        for parent in doc.implements:
            G.add_edge(document_node(doc.id), document_node(parent), key="implements", rel="implements")
        for cited in doc.cites:
            G.add_edge(document_node(doc.id), document_node(cited), key="cites", rel="cites")
    seqs: dict[str, int] = {}
    for t in result.tasks:
        seqs[t.document] = seqs.get(t.document, 0) + 1
        tn = task_node(t.document, t.id)
        G.add_node(tn, **_task_attrs(t, seqs[t.document]))
        G.add_edge(tn, document_node(t.document), key="part_of", rel="part_of")
        for a in t.assignments:
            an = agency_node(a.agency.id)
            if an not in G:
                G.add_node(an, **_agency_attrs(a.agency))
            G.add_edge(an, tn, key=a.role.value, rel="role", role=a.role.value, text=a.text)
    return G


def add_audit(G: nx.MultiDiGraph, reports: Iterable[AuditReport]) -> nx.MultiDiGraph:
    """Add the body items and findings of audit *reports* to *G* (built from the same plans).

    Agencies only the body names become agency nodes without tasks, so they
    change no load; a report on a document that is not in *G*, or a link to
    a task that is not, is left out.

    >>> from loaders import read_plan
    >>> from loaders.body import read_body
    >>> from kg.graph.audit import audit
    >>> plan = "examples/hanoi-kh-30-ctr-tu-2024.txt"
    >>> G = add_audit(build_graph(read_plan(plan)), [audit(read_body(plan), read_plan(plan))])
    >>> sorted({d["kind"] for _, d in G.nodes(data=True) if d["type"] == "body_assignment"})
    ['assign', 'general', 'request', 'standing']
    """
    from kg.graph.body import statements

    bodies, findings = statements(reports)
    for s in bodies:
        if document_node(s.document) not in G:
            continue
        item = s.item
        n = body_node(s.document, s.key)
        G.add_node(
            n,
            type="body_assignment",
            id=s.key,
            document=s.document,
            seq=s.position,
            kind=item.kind.value,
            section=item.section,
            bullet=item.bullet,
            text=item.text,
            file=item.source.file,
            lines=item.source.lines,
        )
        G.add_edge(n, document_node(s.document), key="part_of", rel="part_of")
        for rel, agencies in (
            ("addressed", item.agencies),
            ("coordinating", item.coordinating),
            ("reports_to", item.reports_to),
        ):
            for a in agencies:
                an = agency_node(a.id)
                if an not in G:
                    G.add_node(an, **_agency_attrs(a))
                if rel == "addressed":
                    G.add_edge(an, n, key=rel, rel=rel)
                else:
                    G.add_edge(n, an, key=rel, rel=rel)
        for task_id in s.appendix:
            tn = task_node(s.document, task_id)
            if tn in G:
                G.add_edge(n, tn, key="corresponds", rel="corresponds")
    for f in findings:
        if document_node(f.document) not in G:
            continue
        n = finding_node(f.document, f.position)
        G.add_node(
            n,
            type="finding",
            id=str(f.position),
            document=f.document,
            seq=f.position,
            kind=f.finding.kind.value,
            appendix=f.finding.appendix,
            section=f.finding.section,
            message=f.finding.message,
            file=f.finding.file,
            lines=f.finding.lines,
        )
        G.add_edge(n, document_node(f.document), key="part_of", rel="part_of")
        if f.finding.appendix and task_node(f.document, f.finding.appendix) in G:
            G.add_edge(n, task_node(f.document, f.finding.appendix), key="about", rel="about")
    return G


def build_graph(
    results: ExtractResult | Iterable[ExtractResult], audits: Iterable[AuditReport] = ()
) -> nx.MultiDiGraph:
    """A new graph of one or several extraction results (and, when given, their body audits)."""
    G = nx.MultiDiGraph()
    for r in [results] if isinstance(results, ExtractResult) else results:
        add_result(G, r)
    if audits:
        add_audit(G, audits)
    return G
