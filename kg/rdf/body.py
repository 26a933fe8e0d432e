"""A plan's body and its audit as RDF: N-Quads for the document's named graph (``ontology/body.ttl``).

Each body item is a ``kg:BodyAssignment`` of its own, never a role of a task
(a body the text only *requests* is not a lead):

* ``kg:addressee``, ``kg:coordinatingWith``, ``kg:reportsTo`` the agencies it
  names, ``kg:assignmentKind`` one of ``kg:Assigned``, ``kg:Requested``,
  ``kg:Standing``, ``kg:General``;
* ``kg:correspondsTo`` the appendix tasks it is linked to (same task IRIs as
  :mod:`kg.rdf.plan`), ``dct:isPartOf`` the plan;
* ``dct:identifier`` its key ("II.2.a#1"), ``kg:section``, ``kg:bullet``,
  ``kg:ordinal`` (its place in the body), ``dct:description`` its text;
* ``prov:wasDerivedFrom`` an ``oa:SpecificResource`` with its ``kg:line``\\ s
  and an RFC 5147 line selector, as tasks have.

Each audit finding is a ``kg:AuditFinding`` with ``kg:findingKind``,
``kg:appendixRef`` / ``kg:aboutTask``, ``kg:section``, ``kg:ordinal``,
``rdfs:comment`` (the message, @en) and its ``kg:line``\\ s.

IRIs are built from ids only (``id/body/<document>/<key>``,
``id/finding/<document>/<n>``), so the same input gives the same quads.  The
agencies named are described in the shared graph with the triples
:mod:`kg.rdf.plan` gives them, so a body-only agency has a name too.

>>> from loaders import read_plan
>>> from loaders.body import read_body
>>> from kg.graph.audit import audit
>>> plan = "examples/hanoi-kh-30-ctr-tu-2024.txt"
>>> [doc] = body_graphs([audit(read_body(plan), read_plan(plan))])
>>> body_iri(doc.document, "II.2.a#1").rsplit("/", 1)[-1]
'II.2.a%231'
>>> sum("ontology#Requested>" in line for line in doc.quads.splitlines())
4
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from kg.graph.body import BodyStatement, FindingStatement, statements
from kg.model.body import BodyKind
from kg.model.gazetteer import Gazetteer
from kg.rdf.iri import body_iri, document_graph_iri, document_iri, file_iri, finding_iri, task_iri
from kg.rdf.namespace import PREFIXES, K
from kg.rdf.plan import describe_agency, holding_quads
from kg.rdf.quads import DocumentQuads, Quads, integer, lit, ref

if TYPE_CHECKING:
    from kg.graph.audit import AuditReport

# body_iri and finding_iri are re-exported: the body's IRIs, found where its quads are written.
__all__ = ["KIND_CONCEPT", "body_graphs", "body_iri", "finding_iri"]

KIND_CONCEPT = {
    BodyKind.ASSIGN: K.Assigned,
    BodyKind.REQUEST: K.Requested,
    BodyKind.STANDING: K.Standing,
    BodyKind.GENERAL: K.General,
}
_P = PREFIXES
_TYPE = _P["rdf"] + "type"


def _source(q: Quads, subject: str, file: str, lines: tuple[int, ...]) -> None:
    # Once: the file and the 1-based lines (as for a task in kg.rdf.plan; no RFC 5147 selector repeating them).
    src = f"{subject}/source"
    q.mine(subject, _P["prov"] + "wasDerivedFrom", ref(src))
    q.mine(src, _P["oa"] + "hasSource", ref(file_iri(file)))
    for line in lines:
        q.mine(src, K.line, integer(line))


def _body(q: Quads, s: BodyStatement, gazetteer: Gazetteer, plan_date: date | None = None) -> None:
    item = s.item
    iri = body_iri(s.document, s.key)
    q.mine(iri, _TYPE, ref(K.BodyAssignment))
    q.mine(iri, _P["dct"] + "identifier", lit(s.key))
    q.mine(iri, _P["dct"] + "isPartOf", ref(document_iri(s.document)))
    q.mine(iri, K.assignmentKind, ref(KIND_CONCEPT[item.kind]))
    q.mine(iri, K.section, lit(item.section))
    if item.bullet is not None:
        q.mine(iri, K.bullet, integer(item.bullet))
    q.mine(iri, K.ordinal, integer(s.position))
    q.mine(iri, _P["dct"] + "description", lit(item.text, "vi"))
    for prop, named in (
        (K.addressee, item.agencies),
        (K.coordinatingWith, item.coordinating),
        (K.reportsTo, item.reports_to),
    ):
        for a in named:
            q.mine(iri, prop, ref(describe_agency(q, a, gazetteer)))
            # Who holds this part after the 2025 changes (kg:Holding, as for tasks in kg.rdf.plan).
            holding_quads(q, iri, prop, a, item.text, plan_date, gazetteer)
    for task_id in s.appendix:
        q.mine(iri, K.correspondsTo, ref(task_iri(s.document, task_id)))
    _source(q, iri, item.source.file, item.source.lines)


def _finding(q: Quads, f: FindingStatement) -> None:
    iri = finding_iri(f.document, f.position)
    q.mine(iri, _TYPE, ref(K.AuditFinding))
    q.mine(iri, _P["dct"] + "isPartOf", ref(document_iri(f.document)))
    q.mine(iri, K.findingKind, lit(f.finding.kind.value))
    q.mine(iri, K.ordinal, integer(f.position))
    q.mine(iri, _P["rdfs"] + "comment", lit(f.finding.message, "en"))
    if f.finding.appendix:
        q.mine(iri, K.appendixRef, lit(f.finding.appendix))
        q.mine(iri, K.aboutTask, ref(task_iri(f.document, f.finding.appendix)))
    if f.finding.section:
        q.mine(iri, K.section, lit(f.finding.section))
    _source(q, iri, f.finding.file, f.finding.lines)


def body_graphs(
    reports: Iterable[AuditReport], gazetteer: Gazetteer | None = None
) -> Iterator[DocumentQuads]:
    """The body items and findings of each audited document, for its named graph (and the shared one).

    The quads go into the same graph as the document's tasks
    (:func:`kg.rdf.plan.document_graph_iri`), so rebuilding a document replaces its
    body too; a builder appends ``quads`` to the document's quads and
    ``shared`` to its shared lines.
    """
    gazetteer = gazetteer or Gazetteer.default()
    reports = list(reports)
    dates = {r.document: r.date for r in reports}
    bodies, findings = statements(reports)
    # Grouped by document once: scanning every statement for each document was quadratic.
    by_doc: dict[str, tuple[list[BodyStatement], list[FindingStatement]]] = {}
    for s in bodies:
        by_doc.setdefault(s.document, ([], []))[0].append(s)
    for f in findings:
        by_doc.setdefault(f.document, ([], []))[1].append(f)
    for doc, (mine, found) in by_doc.items():
        # own=(): what the body writers add (agencies) is shared; what they call their own is the document's.
        q = Quads(document_graph_iri(doc), own=())
        for s in mine:
            _body(q, s, gazetteer, dates.get(doc))
        for f in found:
            _finding(q, f)
        yield DocumentQuads(doc, q.text(), tuple(q.shared))
