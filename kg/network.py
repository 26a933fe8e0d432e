"""The plan records as a networkx graph: the reference model the queries are tested against.

Nodes carry a ``type`` ("agency", "task", "document") and their attributes;
edges run agency → task with a ``role`` ("lead", "directing",
"coordinating"), task → document ("part_of"), and document → document
("implements", "cites").  Node ids are the record ids prefixed by type.

>>> from loaders import read_plan
>>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> sum(1 for _, d in G.nodes(data=True) if d["type"] == "task")
30
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kg.model import Agency, Document, DocumentRef, ExtractResult, Task

__all__ = ["add_result", "agency_node", "build_graph", "document_node", "task_node"]


def agency_node(agency_id: str) -> str:
    return f"agency:{agency_id}"


def task_node(document_id: str, task_id: str) -> str:
    return f"task:{document_id}#{task_id}"


def document_node(document_id: str) -> str:
    return f"document:{document_id}"


def _agency_attrs(a: Agency) -> dict[str, object]:
    return {
        "type": "agency",
        "id": a.id,
        "name": a.name,
        "name_en": a.name_en,
        "kind": a.kind,
        "recognised": a.recognised,
        "jurisdiction": a.jurisdiction,
        "collective": a.is_collective,
    }


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


def build_graph(results: ExtractResult | Iterable[ExtractResult]) -> nx.MultiDiGraph:
    """A new graph of one or several extraction results."""
    G = nx.MultiDiGraph()
    for r in [results] if isinstance(results, ExtractResult) else results:
        add_result(G, r)
    return G
