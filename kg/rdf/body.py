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
from urllib.parse import quote

from kg.graph.body import BodyStatement, FindingStatement, statements
from kg.model import Agency
from kg.model.body import BodyKind
from kg.model.gazetteer import Gazetteer
from kg.model.text import slug
from kg.rdf.plan import (
    BASE,
    KG,
    PREFIXES,
    SHARED_GRAPH,
    DocumentQuads,
    _Quads,
    agency_iri,
    document_graph_iri,
    document_iri,
    holding_quads,
    task_iri,
)

if TYPE_CHECKING:
    from kg.graph.audit import AuditReport

__all__ = ["KIND_CONCEPT", "body_graphs", "body_iri", "finding_iri"]

KIND_CONCEPT = {
    BodyKind.ASSIGN: KG + "Assigned",
    BodyKind.REQUEST: KG + "Requested",
    BodyKind.STANDING: KG + "Standing",
    BodyKind.GENERAL: KG + "General",
}
_P = PREFIXES
_TYPE = _P["rdf"] + "type"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _seg(text: str) -> str:
    # As kg.rdf.plan: ids are slugs already; anything else ("#", spaces, diacritics) is percent-encoded.
    return quote(text, safe="/-._~")


def body_iri(document_id: str, key: str) -> str:
    """The IRI of a body item (*key* from :mod:`kg.graph.body`)."""
    return f"{BASE}id/body/{_seg(document_id)}/{_seg(key)}"


def finding_iri(document_id: str, position: int) -> str:
    """The IRI of the *position*-th finding of a document's audit."""
    return f"{BASE}id/finding/{_seg(document_id)}/{position}"


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    text = f'"{value.translate(_ESCAPES)}"'
    return f"{text}@{lang}" if lang else f"{text}^^<{datatype}>" if datatype else text


def _int(n: int) -> str:
    return _lit(str(n), datatype=_P["xsd"] + "integer")


class _Lines:
    """Quads of one document graph and of the shared graph; duplicates dropped, order kept."""

    def __init__(self, graph: str) -> None:
        self.graph = graph
        self.own: dict[str, None] = {}
        self.shared: dict[str, None] = {}

    def add(self, s: str, p: str, o: str, *, shared: bool = False) -> None:
        if shared:
            self.shared[f"<{s}> <{p}> {o} <{SHARED_GRAPH}> .\n"] = None
        else:
            self.own[f"<{s}> <{p}> {o} <{self.graph}> .\n"] = None


def _agency(q: _Lines, a: Agency, gazetteer: Gazetteer) -> str:
    """The agency's description in the shared graph, as :mod:`kg.rdf.plan` writes it."""
    iri = agency_iri(a.id)
    cls = KG + "Collective" if a.is_collective else _P["org"] + "Organization"
    q.add(iri, _TYPE, f"<{cls}>", shared=True)
    q.add(iri, _P["dct"] + "identifier", _lit(a.id), shared=True)
    q.add(iri, _P["skos"] + "prefLabel", _lit(a.name, "vi"), shared=True)
    if a.name_en:
        q.add(iri, _P["skos"] + "prefLabel", _lit(a.name_en, "en"), shared=True)
    q.add(iri, _P["org"] + "classification", f"<{BASE}kind/{_seg(a.kind)}>", shared=True)
    q.add(
        iri,
        KG + "recognised",
        _lit("true" if a.recognised else "false", datatype=_P["xsd"] + "boolean"),
        shared=True,
    )
    if a.jurisdiction:
        place = f"{BASE}id/place/{_seg(slug(a.jurisdiction))}"
        q.add(iri, _P["dct"] + "spatial", f"<{place}>", shared=True)
        q.add(place, _P["skos"] + "prefLabel", _lit(a.jurisdiction, "vi"), shared=True)
    entry = gazetteer.get(a.id.rsplit("/", 1)[-1]) if a.recognised else None
    if entry is not None:
        q.add(iri, KG + "entry", f"<{BASE}gazetteer/{_seg(entry.key)}>", shared=True)
        for alias in entry.aliases:
            q.add(iri, _P["skos"] + "altLabel", _lit(alias, "vi"), shared=True)
    return iri


def _source(q: _Lines, subject: str, file: str, lines: tuple[int, ...]) -> None:
    # Once: the file and the 1-based lines (as for a task in kg.rdf.plan; no RFC 5147 selector repeating them).
    src = f"{subject}/source"
    q.add(subject, _P["prov"] + "wasDerivedFrom", f"<{src}>")
    q.add(src, _P["oa"] + "hasSource", f"<{BASE}id/file/{_seg(file)}>")
    for line in lines:
        q.add(src, KG + "line", _int(line))


def _body(q: _Lines, s: BodyStatement, gazetteer: Gazetteer, plan_date: date | None = None) -> None:
    item = s.item
    iri = body_iri(s.document, s.key)
    q.add(iri, _TYPE, f"<{KG}BodyAssignment>")
    q.add(iri, _P["dct"] + "identifier", _lit(s.key))
    q.add(iri, _P["dct"] + "isPartOf", f"<{document_iri(s.document)}>")
    q.add(iri, KG + "assignmentKind", f"<{KIND_CONCEPT[item.kind]}>")
    q.add(iri, KG + "section", _lit(item.section))
    if item.bullet is not None:
        q.add(iri, KG + "bullet", _int(item.bullet))
    q.add(iri, KG + "ordinal", _int(s.position))
    q.add(iri, _P["dct"] + "description", _lit(item.text, "vi"))
    for prop, named in (
        ("addressee", item.agencies),
        ("coordinatingWith", item.coordinating),
        ("reportsTo", item.reports_to),
    ):
        for a in named:
            q.add(iri, KG + prop, f"<{_agency(q, a, gazetteer)}>")
            # Who holds this part after the 2025 changes (kg:Holding, as for tasks in kg.rdf.plan).
            held = _Quads(q.graph, ())
            holding_quads(held, iri, KG + prop, a, item.text, plan_date, gazetteer)
            q.own.update(held.lines)
            q.shared.update(held.shared)
    for task_id in s.appendix:
        q.add(iri, KG + "correspondsTo", f"<{task_iri(s.document, task_id)}>")
    _source(q, iri, item.source.file, item.source.lines)


def _finding(q: _Lines, f: FindingStatement) -> None:
    iri = finding_iri(f.document, f.position)
    q.add(iri, _TYPE, f"<{KG}AuditFinding>")
    q.add(iri, _P["dct"] + "isPartOf", f"<{document_iri(f.document)}>")
    q.add(iri, KG + "findingKind", _lit(f.finding.kind.value))
    q.add(iri, KG + "ordinal", _int(f.position))
    q.add(iri, _P["rdfs"] + "comment", _lit(f.finding.message, "en"))
    if f.finding.appendix:
        q.add(iri, KG + "appendixRef", _lit(f.finding.appendix))
        q.add(iri, KG + "aboutTask", f"<{task_iri(f.document, f.finding.appendix)}>")
    if f.finding.section:
        q.add(iri, KG + "section", _lit(f.finding.section))
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
        q = _Lines(document_graph_iri(doc))
        for s in mine:
            _body(q, s, gazetteer, dates.get(doc))
        for f in found:
            _finding(q, f)
        yield DocumentQuads(doc, "".join(q.own), tuple(q.shared))
