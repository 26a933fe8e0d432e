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
    "apply_audits",
    "apply_result",
    "audit_steps",
    "body_node",
    "build_graph",
    "document_node",
    "finding_node",
    "result_steps",
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


# What add_result and add_audit do to a graph, as steps of plain tuples, dicts and strings: made once per
# file, they are what ``kg build`` keeps beside the store (kg.stores.graph) for the explorer to compose the
# graph from, which loads several times faster than the records themselves.
_SET, _REF, _NEW, _EDGE = (
    0,
    1,
    2,
    3,
)  # add a node (its attributes replace), a cited document, a node if new, an edge


def result_steps(result: ExtractResult) -> list[tuple]:
    """What :func:`add_result` does with *result*, as steps for :func:`apply_result`.

    >>> from loaders import read_plan
    >>> steps = result_steps(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> apply_result(nx.MultiDiGraph(), steps).number_of_nodes() > 30
    True
    """
    out: list[tuple] = []
    add = out.append
    for doc in result.documents:
        for ref in doc.references:
            # A cited document never replaces one that was read (whichever came first).
            add((_REF, document_node(ref.id), _doc_attrs(ref)))
            if ref.issuer:
                add((_SET, agency_node(ref.issuer.id), _agency_attrs(ref.issuer)))
        add((_SET, document_node(doc.id), _doc_attrs(doc)))
        if doc.issuer:
            add((_SET, agency_node(doc.issuer.id), _agency_attrs(doc.issuer)))
        for ref in doc.references:
            for parent in ref.implements:
                add(
                    (_EDGE, document_node(ref.id), document_node(parent), "implements", {"rel": "implements"})
                )
        for parent in doc.implements:
            add((_EDGE, document_node(doc.id), document_node(parent), "implements", {"rel": "implements"}))
        for cited in doc.cites:
            add((_EDGE, document_node(doc.id), document_node(cited), "cites", {"rel": "cites"}))
    seqs: dict[str, int] = {}
    for t in result.tasks:
        seqs[t.document] = seqs.get(t.document, 0) + 1
        tn = task_node(t.document, t.id)
        add((_SET, tn, _task_attrs(t, seqs[t.document])))
        add((_EDGE, tn, document_node(t.document), "part_of", {"rel": "part_of"}))
        for a in t.assignments:
            an = agency_node(a.agency.id)
            add((_NEW, an, _agency_attrs(a.agency)))
            add((_EDGE, an, tn, a.role.value, {"rel": "role", "role": a.role.value, "text": a.text}))
    return out


def apply_result(G: nx.MultiDiGraph, steps: Iterable[tuple]) -> nx.MultiDiGraph:
    """Do the *steps* of :func:`result_steps` to *G*, in order."""
    nodes = G._node
    for step in steps:
        kind = step[0]
        if kind == _EDGE:
            G.add_edge(step[1], step[2], key=step[3], **step[4])
        elif kind == _SET or (kind == _REF and not nodes.get(step[1], {}).get("read")):
            G.add_node(step[1], **step[2])
        elif kind == _NEW and step[1] not in nodes:
            G.add_node(step[1], **step[2])
    return G


def add_result(G: nx.MultiDiGraph, result: ExtractResult) -> nx.MultiDiGraph:
    """Add the documents, tasks and agencies of *result* to *G* (agencies unify by id)."""
    return apply_result(G, result_steps(result))


def audit_steps(report: AuditReport) -> tuple[str, list[tuple], list[tuple]]:
    """What :func:`add_audit` does with one *report*: its document, its body items (node, attributes,
    agencies linked, appendix tasks) and its findings (node, attributes, the task it is about), for
    :func:`apply_audits`."""
    from kg.graph.body import body_statements, finding_statements

    bodies = []
    for s in body_statements(report):
        item = s.item
        attrs = {
            "type": "body_assignment",
            "id": s.key,
            "document": s.document,
            "seq": s.position,
            "kind": item.kind.value,
            "section": item.section,
            "bullet": item.bullet,
            "text": item.text,
            "file": item.source.file,
            "lines": item.source.lines,
        }
        links = [
            (rel, agency_node(a.id), _agency_attrs(a))
            for rel, agencies in (
                ("addressed", item.agencies),
                ("coordinating", item.coordinating),
                ("reports_to", item.reports_to),
            )
            for a in agencies
        ]
        tasks = [task_node(s.document, task_id) for task_id in s.appendix]
        bodies.append((body_node(s.document, s.key), attrs, links, tasks))
    findings = []
    for f in finding_statements(report):
        attrs = {
            "type": "finding",
            "id": str(f.position),
            "document": f.document,
            "seq": f.position,
            "kind": f.finding.kind.value,
            "appendix": f.finding.appendix,
            "section": f.finding.section,
            "message": f.finding.message,
            "file": f.finding.file,
            "lines": f.finding.lines,
        }
        about = task_node(f.document, f.finding.appendix) if f.finding.appendix else None
        findings.append((finding_node(f.document, f.position), attrs, about))
    return report.document, bodies, findings


def apply_audits(
    G: nx.MultiDiGraph, reports: Iterable[tuple[str, list[tuple], list[tuple]]]
) -> nx.MultiDiGraph:
    """Do the :func:`audit_steps` of several reports to *G*: a document audited twice, the last one wins
    (as :func:`kg.graph.body.statements`); every body item first, then every finding."""
    last = {document: (bodies, findings) for document, bodies, findings in reports}
    for document, (bodies, _) in last.items():
        dn = document_node(document)
        if dn not in G:
            continue
        for n, attrs, links, tasks in bodies:
            G.add_node(n, **attrs)
            G.add_edge(n, dn, key="part_of", rel="part_of")
            for rel, an, agency in links:
                if an not in G:
                    G.add_node(an, **agency)
                if rel == "addressed":
                    G.add_edge(an, n, key=rel, rel=rel)
                else:
                    G.add_edge(n, an, key=rel, rel=rel)
            for tn in tasks:
                if tn in G:
                    G.add_edge(n, tn, key="corresponds", rel="corresponds")
    for document, (_, findings) in last.items():
        dn = document_node(document)
        if dn not in G:
            continue
        for n, attrs, about in findings:
            G.add_node(n, **attrs)
            G.add_edge(n, dn, key="part_of", rel="part_of")
            if about and about in G:
                G.add_edge(n, about, key="about", rel="about")
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
    return apply_audits(G, [audit_steps(r) for r in reports])


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
