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
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from kg.gazetteer import Gazetteer
from kg.model import Agency, Document, DocumentRef, ExtractResult, Recurrence, Role, Task
from kg.text import slug

__all__ = [
    "BASE",
    "GAZETTEER_GRAPH",
    "KG",
    "ONTOLOGY_GRAPH",
    "PREFIXES",
    "ROLE_CONCEPT",
    "ROLE_PROPERTY",
    "SHARED_GRAPH",
    "DocumentQuads",
    "agency_iri",
    "document_graph_iri",
    "document_graphs",
    "document_iri",
    "gazetteer_nquads",
    "holding_quads",
    "task_iri",
]

BASE = "https://kg-plans.example.org/"
KG = BASE + "ontology#"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
GAZETTEER_GRAPH = BASE + "graph/gazetteer"
SHARED_GRAPH = BASE + "graph/shared"
REORG_GRAPH = BASE + "graph/reorg"  # the 2025 change events (kg.reorg_rdf)

PREFIXES = {
    "kg": KG,
    "kind": BASE + "kind/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "p-plan": "http://purl.org/net/p-plan#",
    "oa": "http://www.w3.org/ns/oa#",
    "freq": "http://purl.org/cld/freq/",
}
_P = PREFIXES

ROLE_PROPERTY = {
    Role.LEAD: KG + "lead",
    Role.DIRECTING: KG + "directing",
    Role.COORDINATING: KG + "coordinating",
}
ROLE_CONCEPT = {
    Role.LEAD: KG + "LeadRole",
    Role.DIRECTING: KG + "DirectingRole",
    Role.COORDINATING: KG + "CoordinatingRole",
}
# Document class by the type the document gives itself; anything else is a plain eli:LegalResource.
_DOC_CLASS = {
    "nghi-quyet": "Resolution",
    "chi-thi": "Resolution",
    "chuong-trinh-hanh-dong": "Programme",
    "chuong-trinh": "Programme",
    "ke-hoach": "Plan",
    "quyet-dinh": "Plan",
}
_FREQ = {Recurrence.ANNUAL: _P["freq"] + "annual", Recurrence.CONTINUOUS: _P["freq"] + "continuous"}


@lru_cache(maxsize=1 << 16)
def _seg(text: str) -> str:
    """An id as IRI path segments: ids are slugs already; anything else is percent-encoded."""
    # Cached: a document's id is encoded again in the IRI of every task, group and association.
    return quote(text, safe="/-._~")


def agency_iri(agency_id: str) -> str:
    return f"{BASE}id/agency/{_seg(agency_id)}"


def document_iri(document_id: str) -> str:
    # ELI asks for "/eli/" in the IRIs of legal resources.
    return f"{BASE}eli/{_seg(document_id)}"


def document_graph_iri(document_id: str) -> str:
    return f"{BASE}graph/document/{_seg(document_id)}"


def task_iri(document_id: str, task_id: str) -> str:
    return f"{BASE}id/task/{_seg(document_id)}/{_seg(task_id)}"


def _group_iri(document_id: str, group_id: str) -> str:
    return f"{BASE}id/group/{_seg(document_id)}/{_seg(group_id)}"


def _place_iri(name: str) -> str:
    return f"{BASE}id/place/{_seg(slug(name))}"


def _doctype_iri(doc_type: str) -> str:
    return f"{BASE}doctype/{_seg(slug(doc_type))}"


def _entry_iri(key: str) -> str:
    return f"{BASE}gazetteer/{_seg(key)}"


def _file_iri(path: str) -> str:
    return f"{BASE}id/file/{_seg(path)}"


# N-Triples term syntax --------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    # Most values need no escape; four substring tests are cheaper than translating every literal.
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        value = value.translate(_ESCAPES)
    text = f'"{value}"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def _int(n: int) -> str:
    return _lit(str(n), datatype=_P["xsd"] + "integer")


def _date(d) -> str:
    return _lit(d.isoformat(), datatype=_P["xsd"] + "date")


def _bool(b: bool) -> str:
    return _lit("true" if b else "false", datatype=_P["xsd"] + "boolean")


class _Quads:
    """Collects the lines of one named graph; duplicates are dropped, order is kept.

    With *own* given, only subjects that belong to the document (the document
    itself, its tasks, groups and file) go to *graph*; the rest (agencies,
    places, document types, documents it names) go to the shared graph, so
    that each of them is described once however many documents name it.
    """

    def __init__(self, graph: str, own: tuple[str, ...] | None = None) -> None:
        self.graph = _iri(graph)
        self.own = own
        self.lines: dict[str, None] = {}
        self.shared: dict[str, None] = {}
        self._end = f" {self.graph} .\n"

    def add(self, s: str, p: str, o: str) -> None:
        if self.own is None or f"{s}>".startswith(self.own):
            self.lines[f"<{s}> <{p}> {o}{self._end}"] = None
        else:
            self.shared[f"<{s}> <{p}> {o} <{SHARED_GRAPH}> .\n"] = None

    def mine(self, s: str, p: str, o: str) -> None:
        """:meth:`add` for a subject known to belong to the document (a task and its parts)."""
        self.lines[f"<{s}> <{p}> {o}{self._end}"] = None

    def text(self) -> str:
        return "".join(self.lines)


RDF_TYPE = _P["rdf"] + "type"
# What a FragmentSelector's value conforms to for a PDF (the W3C Web Annotation model's IRI for it).
RFC3778 = "http://tools.ietf.org/rfc/rfc3778"
SKOS_PREF = _P["skos"] + "prefLabel"
DCT_ID = _P["dct"] + "identifier"


def _agency(q: _Quads, a: Agency, gazetteer: Gazetteer, cache: dict | None = None) -> str:
    """The agency's IRI; its description goes to the shared graph (formatted once per *cache*)."""
    if cache is not None:
        hit = cache.get(a)
        if hit is None:
            scratch = _Quads(SHARED_GRAPH, ())
            hit = cache[a] = (_agency(scratch, a, gazetteer), tuple(scratch.shared))
        for line in hit[1]:
            q.shared[line] = None
        return hit[0]
    iri = agency_iri(a.id)
    q.add(iri, RDF_TYPE, _iri(KG + "Collective" if a.is_collective else _P["org"] + "Organization"))
    q.add(iri, DCT_ID, _lit(a.id))
    q.add(iri, SKOS_PREF, _lit(a.name, "vi"))
    if a.name_en:
        q.add(iri, SKOS_PREF, _lit(a.name_en, "en"))
    kind = f"{BASE}kind/{_seg(a.kind)}"
    q.add(iri, _P["org"] + "classification", _iri(kind))
    q.add(iri, KG + "recognised", _bool(a.recognised))
    if a.jurisdiction:
        place = _place_iri(a.jurisdiction)
        q.add(iri, _P["dct"] + "spatial", _iri(place))
        q.add(place, SKOS_PREF, _lit(a.jurisdiction, "vi"))
    entry = gazetteer.get(a.id.rsplit("/", 1)[-1]) if a.recognised else None
    if entry is not None:
        q.add(iri, KG + "entry", _iri(_entry_iri(entry.key)))
        for alias in entry.aliases:
            q.add(iri, _P["skos"] + "altLabel", _lit(alias, "vi"))
    return iri


def _document(q: _Quads, d: Document | DocumentRef, gazetteer: Gazetteer, cache: dict | None = None) -> str:
    iri = document_iri(d.id)
    q.add(iri, RDF_TYPE, _iri(_P["eli"] + "LegalResource"))
    cls = _DOC_CLASS.get(slug(d.type))
    if cls:
        q.add(iri, RDF_TYPE, _iri(KG + cls))
    q.add(iri, DCT_ID, _lit(d.id))
    doctype = _doctype_iri(d.type)
    q.add(iri, _P["eli"] + "type_document", _iri(doctype))
    q.add(doctype, RDF_TYPE, _iri(_P["skos"] + "Concept"))
    q.add(doctype, _P["skos"] + "inScheme", _iri(KG + "DocumentTypes"))
    q.add(doctype, SKOS_PREF, _lit(d.type, "vi"))
    if d.number:
        q.add(iri, _P["eli"] + "number", _lit(d.number))
    if d.date:
        q.add(iri, _P["eli"] + "date_document", _date(d.date))
    if d.title:
        q.add(iri, _P["dct"] + "title", _lit(d.title, "vi"))
    if d.issuer:
        q.add(iri, _P["eli"] + "passed_by", _iri(_agency(q, d.issuer, gazetteer, cache)))
    for parent in d.implements:
        q.add(iri, _P["eli"] + "ensures_implementation_of", _iri(document_iri(parent)))
    if d.implements:
        # The chain upwards follows the first document named, as kg.network / kg.metrics do.
        q.add(iri, KG + "chainParent", _iri(document_iri(d.implements[0])))
    return iri


def _task(
    q: _Quads,
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
    q.mine(iri, RDF_TYPE, _iri(KG + "Task"))
    q.mine(iri, DCT_ID, _lit(t.id))
    q.mine(iri, _P["dct"] + "title", _lit(t.title, "vi"))
    q.mine(iri, KG + "position", _int(position))
    q.mine(iri, _P["p-plan"] + "isStepOfPlan", _iri(document_iri(t.document)))
    if t.group:
        g = _group_iri(t.document, t.group.id)
        q.mine(iri, _P["dct"] + "isPartOf", _iri(g))
        q.mine(g, RDF_TYPE, _iri(KG + "TaskGroup"))
        q.mine(g, DCT_ID, _lit(t.group.id))
        q.mine(g, _P["dct"] + "title", _lit(t.group.title, "vi"))
        q.mine(g, _P["dct"] + "isPartOf", _iri(document_iri(t.document)))
    # A cell that is one agency as written is that association's kg:cellText already: not repeated.
    if t.lead_text and t.lead_text not in written:
        q.mine(iri, KG + "leadCell", _lit(t.lead_text, "vi"))
    if t.coordinating_text and t.coordinating_text not in written:
        q.mine(iri, KG + "coordinatingCell", _lit(t.coordinating_text, "vi"))
    for a in assignments:
        agency = _agency(q, a.agency, gazetteer, cache)
        q.mine(iri, ROLE_PROPERTY[a.role], _iri(agency))
        assoc = f"{iri}/{a.role.value}/{_seg(a.agency.id)}"
        # The association, the interval, its instants and the source are typed by the property that
        # leads to them (ontology/kg.ttl gives its range; the shapes target its objects): no rdf:type.
        q.mine(iri, _P["prov"] + "qualifiedAssociation", _iri(assoc))
        q.mine(assoc, _P["prov"] + "agent", _iri(agency))
        q.mine(assoc, _P["prov"] + "hadRole", _iri(ROLE_CONCEPT[a.role]))
        q.mine(assoc, KG + "cellText", _lit(a.text, "vi"))
    dl = t.deadline
    interval = f"{iri}/deadline"
    q.mine(iri, KG + "deadline", _iri(interval))
    q.mine(interval, _P["rdfs"] + "label", _lit(dl.text, "vi"))
    for prop, day, name in (("hasBeginning", dl.start, "start"), ("hasEnd", dl.end, "end")):
        if day:
            instant = f"{interval}/{name}"
            q.mine(interval, _P["time"] + prop, _iri(instant))
            q.mine(instant, _P["time"] + "inXSDDate", _date(day))
    if dl.recurrence:
        q.mine(iri, _P["dct"] + "accrualPeriodicity", _iri(_FREQ[dl.recurrence]))
    # Where the row was read, once: its lines (1-based integers), and the file when it is not the plan's
    # own (dct:source of the plan). The title is the quote and the lines the fragment, so no
    # oa:TextQuoteSelector or RFC 5147 selector repeats them.
    src = f"{iri}/source"
    q.mine(iri, _P["prov"] + "wasDerivedFrom", _iri(src))
    if t.source.file != file:
        q.mine(src, _P["oa"] + "hasSource", _iri(_file_iri(t.source.file)))
    for line in t.source.lines:
        q.mine(src, KG + "line", _int(line))
    # A PDF or scan: where the row is printed, a page each, as the W3C Web Annotation model says a
    # spot in a PDF is selected (a FragmentSelector in the PDF open parameters of RFC 3778).
    for pos in t.source.positions:
        sel = f"{src}/page-{pos.page}"
        q.mine(src, _P["oa"] + "hasSelector", _iri(sel))
        q.mine(sel, RDF_TYPE, _iri(_P["oa"] + "FragmentSelector"))
        q.mine(sel, _P["dct"] + "conformsTo", _iri(RFC3778))
        q.mine(sel, _P["rdf"] + "value", _lit(pos.fragment()))


def holding_quads(
    q: _Quads,
    work: str,
    prop: str,
    named: Agency,
    text: str,
    plan_date,
    gazetteer: Gazetteer,
    cache: dict | None = None,
) -> None:
    """The ``kg:Holding`` periods of one agency's part in one piece of work (:func:`kg.reorg.holdings`).

    *work* is the IRI of a task (or body item), *prop* the property that links
    it to *named* (``kg:lead``…).  Each period in which the 2025 changes moved
    that work elsewhere becomes a node with the holders, the first day and
    the day it ends (exclusive, absent while it lasts), the plan's own date
    (the default day of a query), the events followed and their sources.
    Nothing is written for work that never moved.
    """
    from kg.reorg import agency_record, holdings
    from kg.reorg_rdf import event_iri

    for n, h in enumerate(holdings(named.id, text), 1):
        node = f"{work}/holding/{prop.rsplit('#', 1)[-1]}/{_seg(named.id)}/{n}"
        q.mine(node, RDF_TYPE, _iri(KG + "Holding"))
        q.mine(node, KG + "holdingOf", _iri(work))
        q.mine(node, KG + "holdingRole", _iri(prop))
        q.mine(node, KG + "namedAgency", _iri(agency_iri(named.id)))
        for x in h.holder.agencies:
            q.mine(node, KG + "holder", _iri(_agency(q, agency_record(x, named=named), gazetteer, cache)))
        q.mine(node, KG + "heldFrom", _date(h.start))
        if h.end:
            q.mine(node, KG + "heldUntil", _date(h.end))
        if plan_date:
            q.mine(node, KG + "planDate", _date(plan_date))
        q.mine(node, KG + "confirmed", _bool(h.holder.confirmed))
        for event in h.holder.events:
            q.mine(node, KG + "byEvent", _iri(event_iri(event)))
        for src in h.holder.sources:
            q.mine(node, _P["dct"] + "source", _iri(src))


@dataclass(frozen=True, slots=True)
class DocumentQuads:
    """The N-Quads of one document: its own graph, and its lines of the shared graph."""

    document: str
    quads: str
    shared: tuple[str, ...]

    def shared_subjects(self) -> set[str]:
        return {line[1 : line.index(">")] for line in self.shared}


def document_graphs(result: ExtractResult, gazetteer: Gazetteer | None = None) -> Iterator[DocumentQuads]:
    """The quads of each document of *result*: its own named graph and what it says in the shared one.

    A document's graph holds the document, its groups and tasks (with their
    roles, deadlines and sources).  Agencies (labels, kind, jurisdiction),
    places, document types and the documents it names are written to the
    shared graph (``graph/shared``): described once however many documents
    name them, because Oxigraph's union default graph keeps a triple once per
    graph and joins over 100 copies of an agency's labels explode.  A task
    id that occurs twice in one document is one task, as in :mod:`kg.network`:
    the later row's title, deadline and position win and the roles add up.
    """
    gazetteer = gazetteer or Gazetteer.default()
    tasks: dict[str, dict[str, list[Task]]] = {}
    # Positions as kg.network counts them: the n-th row of the document, the last of duplicates.
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
            f"{BASE}id/task/{_seg(doc.id)}/",
            f"{BASE}id/group/{_seg(doc.id)}/",
            f"{_file_iri(doc.file)}>",
        )
        # Subjects are compared with a ">" appended so that the document IRI matches exactly.
        q = _Quads(document_graph_iri(doc.id), own)
        for ref in doc.references:
            _document(q, ref, gazetteer, cache)
        iri = _document(q, doc, gazetteer, cache)
        file_iri = _file_iri(doc.file)
        q.add(iri, _P["dct"] + "source", _iri(file_iri))
        q.add(file_iri, _P["rdfs"] + "label", _lit(doc.file))
        if doc.number_text:
            q.add(iri, _P["eli"] + "id_local", _lit(doc.number_text))
        if doc.place:
            q.add(iri, _P["dct"] + "spatial", _iri(_place_iri(doc.place)))
            q.add(_place_iri(doc.place), SKOS_PREF, _lit(doc.place, "vi"))
        for cited in doc.cites:
            q.add(iri, _P["eli"] + "cites", _iri(document_iri(cited)))
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
    q = _Quads(GAZETTEER_GRAPH)
    for e in gazetteer.entries:
        iri = _entry_iri(e.key)
        q.add(iri, RDF_TYPE, _iri(KG + "GazetteerEntry"))
        q.add(iri, _P["skos"] + "inScheme", _iri(KG + "Gazetteer"))
        q.add(iri, _P["skos"] + "notation", _lit(e.key))
        q.add(iri, SKOS_PREF, _lit(e.name, "vi"))
        q.add(iri, SKOS_PREF, _lit(e.name_en, "en"))
        for alias in e.aliases:
            q.add(iri, _P["skos"] + "altLabel", _lit(alias, "vi"))
        q.add(iri, _P["org"] + "classification", _iri(f"{BASE}kind/{_seg(e.kind)}"))
        q.add(iri, KG + "scope", _lit(e.scope))
    return q.text()
