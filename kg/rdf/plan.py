"""The plan records as RDF: deterministic IRIs and one named graph of N-Quads per document.

The mapping follows ``ontology/kg.ttl``: documents are ELI legal resources,
tasks are p-plan steps of their plan, agencies are ``org:Organization`` (or
``kg:Collective``) with SKOS labels, each responsibility is a PROV qualified
association plus a shortcut (``kg:lead``, ``kg:directing``,
``kg:coordinating``), deadlines are OWL-Time intervals, and every task points
back to the lines it was read from (``kg:line``), and for a PDF or a scan to
where it is printed (an ``oa:FragmentSelector`` ``page=N&viewrect=…`` a page).

IRIs are built from record ids only, so the same input always gives the same
triples, and an agency named by two documents is one node.  No blank nodes.
Quads are written as N-Quads text, because parsing text is the fast way into
any store (docs/bench.md gives the figures).

>>> from loaders import read_plan
>>> result = read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt")
>>> [doc] = document_graphs(result)
>>> agency_iri("ha-noi/so-noi-vu")
'https://kg-plans.example.org/id/agency/ha-noi/so-noi-vu'
>>> agency_iri("ha-noi/so-noi-vu") in doc.shared_subjects()
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.model import Agency, Document, DocumentRef, ExtractResult, Recurrence, Role, Task
from kg.model.gazetteer import Gazetteer
from kg.model.text import slug
from kg.rdf.iri import (
    agency_iri,
    doctype_iri,
    document_graph_iri,
    document_iri,
    entry_iri,
    event_iri,
    file_iri,
    group_iri,
    kind_iri,
    place_iri,
    seg,
    task_iri,
)
from kg.rdf.namespace import (
    BASE,
    GAZETTEER_GRAPH,
    KG,
    ONTOLOGY_GRAPH,
    PREFIXES,
    REORG_GRAPH,
    SHARED_GRAPH,
    K,
)
from kg.rdf.quads import DocumentQuads, Quads, boolean, day, integer, lit, ref

# The namespace and IRIs are re-exported: a caller of the plan mapping finds them here too.
__all__ = [
    "BASE",
    "GAZETTEER_GRAPH",
    "KG",
    "ONTOLOGY_GRAPH",
    "PREFIXES",
    "REORG_GRAPH",
    "ROLE_CONCEPT",
    "ROLE_PROPERTY",
    "SHARED_GRAPH",
    "DocumentQuads",
    "agency_iri",
    "describe_agency",
    "document_graph_iri",
    "document_graphs",
    "document_iri",
    "gazetteer_nquads",
    "holding_quads",
    "task_iri",
]

_P = PREFIXES

ROLE_PROPERTY = {
    Role.LEAD: K.lead,
    Role.DIRECTING: K.directing,
    Role.COORDINATING: K.coordinating,
}
ROLE_CONCEPT = {
    Role.LEAD: K.LeadRole,
    Role.DIRECTING: K.DirectingRole,
    Role.COORDINATING: K.CoordinatingRole,
}
# Document class by the type the document gives itself; anything else is a plain eli:LegalResource.
_DOC_CLASS = {
    "nghi-quyet": K.Resolution,
    "chi-thi": K.Resolution,
    "chuong-trinh-hanh-dong": K.Programme,
    "chuong-trinh": K.Programme,
    "ke-hoach": K.Plan,
    "quyet-dinh": K.Plan,
}
_FREQ = {Recurrence.ANNUAL: _P["freq"] + "annual", Recurrence.CONTINUOUS: _P["freq"] + "continuous"}


RDF_TYPE = _P["rdf"] + "type"
# What a FragmentSelector's value conforms to for a PDF (the W3C Web Annotation model's IRI for it).
RFC3778 = "http://tools.ietf.org/rfc/rfc3778"
SKOS_PREF = _P["skos"] + "prefLabel"
DCT_ID = _P["dct"] + "identifier"


def describe_agency(q: Quads, a: Agency, gazetteer: Gazetteer, cache: dict | None = None) -> str:
    """The agency's IRI; its description goes to the shared graph (formatted once per *cache*).

    Every writer describes an agency this way (plan tasks, body items, holders), so a
    body-only agency has the same labels, kind and jurisdiction as one of the appendix.
    """
    if cache is not None:
        hit = cache.get(a)
        if hit is None:
            scratch = Quads(SHARED_GRAPH, ())
            hit = cache[a] = (describe_agency(scratch, a, gazetteer), tuple(scratch.shared))
        for line in hit[1]:
            q.shared[line] = None
        return hit[0]
    iri = agency_iri(a.id)
    q.add(iri, RDF_TYPE, ref(K.Collective if a.is_collective else _P["org"] + "Organization"))
    q.add(iri, DCT_ID, lit(a.id))
    q.add(iri, SKOS_PREF, lit(a.name, "vi"))
    if a.name_en:
        q.add(iri, SKOS_PREF, lit(a.name_en, "en"))
    kind = kind_iri(a.kind)
    q.add(iri, _P["org"] + "classification", ref(kind))
    q.add(iri, K.recognised, boolean(a.recognised))
    if a.jurisdiction:
        place = place_iri(a.jurisdiction)
        q.add(iri, _P["dct"] + "spatial", ref(place))
        q.add(place, SKOS_PREF, lit(a.jurisdiction, "vi"))
    entry = gazetteer.get(a.id.rsplit("/", 1)[-1]) if a.recognised else None
    if entry is not None:
        q.add(iri, K.entry, ref(entry_iri(entry.key)))
        for alias in entry.aliases:
            q.add(iri, _P["skos"] + "altLabel", lit(alias, "vi"))
    return iri


def _document(q: Quads, d: Document | DocumentRef, gazetteer: Gazetteer, cache: dict | None = None) -> str:
    iri = document_iri(d.id)
    q.add(iri, RDF_TYPE, ref(_P["eli"] + "LegalResource"))
    cls = _DOC_CLASS.get(slug(d.type))
    if cls:
        q.add(iri, RDF_TYPE, ref(cls))
    q.add(iri, DCT_ID, lit(d.id))
    doctype = doctype_iri(d.type)
    q.add(iri, _P["eli"] + "type_document", ref(doctype))
    q.add(doctype, RDF_TYPE, ref(_P["skos"] + "Concept"))
    q.add(doctype, _P["skos"] + "inScheme", ref(K.DocumentTypes))
    q.add(doctype, SKOS_PREF, lit(d.type, "vi"))
    if d.number:
        q.add(iri, _P["eli"] + "number", lit(d.number))
    if d.date:
        q.add(iri, _P["eli"] + "date_document", day(d.date))
    if d.title:
        q.add(iri, _P["dct"] + "title", lit(d.title, "vi"))
    if d.issuer:
        q.add(iri, _P["eli"] + "passed_by", ref(describe_agency(q, d.issuer, gazetteer, cache)))
    for parent in d.implements:
        q.add(iri, _P["eli"] + "ensures_implementation_of", ref(document_iri(parent)))
    if d.implements:
        # The chain upwards follows the first document named, as kg.graph.network / kg.graph.metrics do.
        q.add(iri, K.chainParent, ref(document_iri(d.implements[0])))
    return iri


def _task(
    q: Quads,
    t: Task,
    position: int,
    assignments: Iterable,
    gazetteer: Gazetteer,
    cache: dict | None = None,
    file: str | None = None,
) -> None:
    """The quads of task *t*; *file* is its plan's file (a task read from another one says so)."""
    # Every subject written here is the task or one of its parts, all in the document's own graph.
    assignments = list(assignments)
    written = {a.text for a in assignments}
    iri = task_iri(t.document, t.id)
    q.mine(iri, RDF_TYPE, ref(K.Task))
    q.mine(iri, DCT_ID, lit(t.id))
    q.mine(iri, _P["dct"] + "title", lit(t.title, "vi"))
    q.mine(iri, K.position, integer(position))
    q.mine(iri, _P["p-plan"] + "isStepOfPlan", ref(document_iri(t.document)))
    if t.group:
        g = group_iri(t.document, t.group.id)
        q.mine(iri, _P["dct"] + "isPartOf", ref(g))
        q.mine(g, RDF_TYPE, ref(K.TaskGroup))
        q.mine(g, DCT_ID, lit(t.group.id))
        q.mine(g, _P["dct"] + "title", lit(t.group.title, "vi"))
        q.mine(g, _P["dct"] + "isPartOf", ref(document_iri(t.document)))
    # A cell that is one agency as written is that association's kg:cellText already: not repeated.
    if t.lead_text and t.lead_text not in written:
        q.mine(iri, K.leadCell, lit(t.lead_text, "vi"))
    if t.coordinating_text and t.coordinating_text not in written:
        q.mine(iri, K.coordinatingCell, lit(t.coordinating_text, "vi"))
    for a in assignments:
        agency = describe_agency(q, a.agency, gazetteer, cache)
        q.mine(iri, ROLE_PROPERTY[a.role], ref(agency))
        assoc = f"{iri}/{a.role.value}/{seg(a.agency.id)}"
        # The association, the interval, its instants and the source are typed by the property that
        # leads to them (ontology/kg.ttl gives its range; the shapes target its objects): no rdf:type.
        q.mine(iri, _P["prov"] + "qualifiedAssociation", ref(assoc))
        q.mine(assoc, _P["prov"] + "agent", ref(agency))
        q.mine(assoc, _P["prov"] + "hadRole", ref(ROLE_CONCEPT[a.role]))
        q.mine(assoc, K.cellText, lit(a.text, "vi"))
    dl = t.deadline
    interval = f"{iri}/deadline"
    q.mine(iri, K.deadline, ref(interval))
    q.mine(interval, _P["rdfs"] + "label", lit(dl.text, "vi"))
    for prop, when, name in (("hasBeginning", dl.start, "start"), ("hasEnd", dl.end, "end")):
        if when:
            instant = f"{interval}/{name}"
            q.mine(interval, _P["time"] + prop, ref(instant))
            q.mine(instant, _P["time"] + "inXSDDate", day(when))
    if dl.recurrence:
        q.mine(iri, _P["dct"] + "accrualPeriodicity", ref(_FREQ[dl.recurrence]))
    # Where the row was read, once: its lines (1-based integers), and the file when it is not the plan's
    # own (dct:source of the plan). The title is the quote and the lines the fragment, so no
    # oa:TextQuoteSelector or RFC 5147 selector repeats them.
    src = f"{iri}/source"
    q.mine(iri, _P["prov"] + "wasDerivedFrom", ref(src))
    if t.source.file != file:
        q.mine(src, _P["oa"] + "hasSource", ref(file_iri(t.source.file)))
    for line in t.source.lines:
        q.mine(src, K.line, integer(line))
    # A PDF or scan: where the row is printed, a page each, as the W3C Web Annotation model says a
    # spot in a PDF is selected (a FragmentSelector in the PDF open parameters of RFC 3778).
    for pos in t.source.positions:
        sel = f"{src}/page-{pos.page}"
        q.mine(src, _P["oa"] + "hasSelector", ref(sel))
        q.mine(sel, RDF_TYPE, ref(_P["oa"] + "FragmentSelector"))
        q.mine(sel, _P["dct"] + "conformsTo", ref(RFC3778))
        q.mine(sel, _P["rdf"] + "value", lit(pos.fragment()))


def holding_quads(
    q: Quads,
    work: str,
    prop: str,
    named: Agency,
    text: str,
    plan_date,
    gazetteer: Gazetteer,
    cache: dict | None = None,
) -> None:
    """The ``kg:Holding`` periods of one agency's part in one piece of work (:func:`kg.graph.reorg.holdings`).

    *work* is the IRI of a task (or body item), *prop* the property that links
    it to *named* (``kg:lead``…).  Each period in which the 2025 changes moved
    that work elsewhere becomes a node with the holders, the first day and
    the day it ends (exclusive, absent while it lasts), the plan's own date
    (the default day of a query), the events followed and their sources.
    Nothing is written for work that never moved.
    """
    from kg.graph.reorg import agency_record, holdings

    for n, h in enumerate(holdings(named.id, text), 1):
        node = f"{work}/holding/{prop.rsplit('#', 1)[-1]}/{seg(named.id)}/{n}"
        q.mine(node, RDF_TYPE, ref(K.Holding))
        q.mine(node, K.holdingOf, ref(work))
        q.mine(node, K.holdingRole, ref(prop))
        q.mine(node, K.namedAgency, ref(agency_iri(named.id)))
        for x in h.holder.agencies:
            q.mine(node, K.holder, ref(describe_agency(q, agency_record(x, named=named), gazetteer, cache)))
        q.mine(node, K.heldFrom, day(h.start))
        if h.end:
            q.mine(node, K.heldUntil, day(h.end))
        if plan_date:
            q.mine(node, K.planDate, day(plan_date))
        q.mine(node, K.confirmed, boolean(h.holder.confirmed))
        for event in h.holder.events:
            q.mine(node, K.byEvent, ref(event_iri(event)))
        for src in h.holder.sources:
            q.mine(node, _P["dct"] + "source", ref(src))


def document_graphs(result: ExtractResult, gazetteer: Gazetteer | None = None) -> Iterator[DocumentQuads]:
    """The quads of each document of *result*: its own named graph and what it says in the shared one.

    A document's graph holds the document, its groups and tasks (with their
    roles, deadlines and sources).  Agencies (labels, kind, jurisdiction),
    places, document types and the documents it names are written to the
    shared graph (``graph/shared``): described once however many documents
    name them, because Oxigraph's union default graph keeps a triple once per
    graph and joins over 100 copies of an agency's labels explode.  A task
    id that occurs twice in one document is one task, as in :mod:`kg.graph.network`:
    the later row's title, deadline and position win and the roles add up.
    """
    gazetteer = gazetteer or Gazetteer.default()
    tasks: dict[str, dict[str, list[Task]]] = {}
    # Positions as kg.graph.network counts them: the n-th row of the document, the last of duplicates.
    positions: dict[str, dict[str, int]] = {}
    rows: dict[str, int] = {}
    for t in result.tasks:
        tasks.setdefault(t.document, {}).setdefault(t.id, []).append(t)
        rows[t.document] = rows.get(t.document, 0) + 1
        positions.setdefault(t.document, {})[t.id] = rows[t.document]
    cache: dict = {}  # Agency -> (IRI, its shared-graph lines): agencies recur in every task
    for doc in result.documents:
        iri = document_iri(doc.id)
        own = (
            f"{iri}>",
            f"{BASE}id/task/{seg(doc.id)}/",
            f"{BASE}id/group/{seg(doc.id)}/",
            f"{file_iri(doc.file)}>",
        )
        # Subjects are compared with a ">" appended so that the document IRI matches exactly.
        q = Quads(document_graph_iri(doc.id), own)
        for named in doc.references:
            _document(q, named, gazetteer, cache)
        iri = _document(q, doc, gazetteer, cache)
        source_file = file_iri(doc.file)
        q.add(iri, _P["dct"] + "source", ref(source_file))
        q.add(source_file, _P["rdfs"] + "label", lit(doc.file))
        if doc.number_text:
            q.add(iri, _P["eli"] + "id_local", lit(doc.number_text))
        if doc.place:
            q.add(iri, _P["dct"] + "spatial", ref(place_iri(doc.place)))
            q.add(place_iri(doc.place), SKOS_PREF, lit(doc.place, "vi"))
        for cited in doc.cites:
            q.add(iri, _P["eli"] + "cites", ref(document_iri(cited)))
        by_id = tasks.get(doc.id, {})
        position = positions.get(doc.id, {})
        for task_id, same in by_id.items():
            assignments = {(a.role, a.agency.id): a for t in same for a in t.assignments}
            _task(q, same[-1], position[task_id], assignments.values(), gazetteer, cache, doc.file)
            for a in assignments.values():  # who holds this work after the 2025 changes
                holding_quads(
                    q,
                    task_iri(doc.id, task_id),
                    ROLE_PROPERTY[a.role],
                    a.agency,
                    same[-1].title,
                    doc.date,
                    gazetteer,
                    cache,
                )
        yield DocumentQuads(doc.id, q.text(), tuple(q.shared))


def gazetteer_nquads(gazetteer: Gazetteer | None = None) -> str:
    """Every gazetteer entry as a ``kg:GazetteerEntry`` with its labels, kind and scope."""
    gazetteer = gazetteer or Gazetteer.default()
    q = Quads(GAZETTEER_GRAPH)
    for e in gazetteer.entries:
        iri = entry_iri(e.key)
        q.add(iri, RDF_TYPE, ref(K.GazetteerEntry))
        q.add(iri, _P["skos"] + "inScheme", ref(K.Gazetteer))
        q.add(iri, _P["skos"] + "notation", lit(e.key))
        q.add(iri, SKOS_PREF, lit(e.name, "vi"))
        q.add(iri, SKOS_PREF, lit(e.name_en, "en"))
        for alias in e.aliases:
            q.add(iri, _P["skos"] + "altLabel", lit(alias, "vi"))
        q.add(iri, _P["org"] + "classification", ref(kind_iri(e.kind)))
        q.add(iri, K.scope, lit(e.scope))
    return q.text()
