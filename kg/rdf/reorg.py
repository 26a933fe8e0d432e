"""The change events as RDF: W3C ORG change events plus the function transfers of ``ontology/reorg.ttl``.

Agencies get the IRIs of :func:`kg.rdf.iri.agency_iri`, so the triples join the
plan graphs in one store; events get ``<BASE>id/event/<id>`` and their
function transfers ``<BASE>id/event/<id>/function/<n>``.  No blank nodes:
the same file always gives the same triples.

>>> g = events_graph()
>>> from rdflib import URIRef
>>> from rdflib.namespace import ORG
>>> ev = URIRef(event_iri("ha-noi-2025-so-tai-chinh"))
>>> URIRef(agency_iri("ha-noi/so-ke-hoach-va-dau-tu")) in set(g.objects(ev, ORG.originalOrganization))
True
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns

from kg.graph.reorg import lifespans
from kg.graph.reorg_events import Reorg, load_events
from kg.model.gazetteer import Gazetteer
from kg.model.places import provinces
from kg.rdf.iri import agency_iri, event_iri
from kg.rdf.namespace import KG, REORG_GRAPH, declared_terms

# REORG_GRAPH and event_iri are re-exported: the events' graph and IRIs, found where their triples are made.
__all__ = ["REORG_GRAPH", "event_iri", "event_triples", "events_graph", "events_ntriples"]

# Closed, as kg.rdf.namespace.K: a term the ontology does not declare raises AttributeError.
K = ns.ClosedNamespace(KG, sorted(declared_terms()))
SCHEMA = Namespace("https://schema.org/")
_KIND = {
    "merger": K.Merger,
    "absorption": K.Absorption,
    "transfer_of_functions": K.TransferOfFunctions,
    "renaming": K.Renaming,
    "abolition": K.Abolition,
}

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def _agency(agency_id: str, gazetteer: Gazetteer) -> Iterator[Triple]:
    """Enough about an agency for the events to read on their own (the plan graphs say more)."""
    a = URIRef(agency_iri(agency_id))
    entry = gazetteer.get(agency_id.rsplit("/", 1)[-1])
    # A class of bodies ("UBND các phường, xã") is a kg:Collective, as in the plan graphs (kg.rdf.plan).
    yield (
        a,
        ns.RDF.type,
        K.Collective if entry is not None and entry.kind == "collective" else ns.ORG.Organization,
    )
    yield a, ns.DCTERMS.identifier, Literal(agency_id)
    if entry is not None:
        yield a, ns.SKOS.prefLabel, Literal(entry.name, lang="vi")
        yield a, ns.SKOS.prefLabel, Literal(entry.name_en, lang="en")


def event_triples(
    reorg: Reorg | None = None, gazetteer: Gazetteer | None = None, *, describe_agencies: bool = True
) -> Iterator[Triple]:
    """Every triple of the change events, the agencies they name and the derived existence intervals.

    Existence intervals (``schema:foundingDate``/``schema:dissolutionDate``)
    come only from events dated to the day.  A store whose plan graphs
    describe the agencies already takes the events with
    ``describe_agencies=False``: a second copy of an agency's labels in
    another graph would repeat rows of the union default graph.
    """
    reorg = reorg or load_events()
    gazetteer = gazetteer or Gazetteer.default()
    agencies: set[str] = set()
    for ev in reorg.events:
        e = URIRef(event_iri(ev.id))
        yield e, ns.RDF.type, ns.ORG.ChangeEvent
        yield e, ns.DCTERMS.identifier, Literal(ev.id)
        yield e, K.changeKind, _KIND[ev.kind]
        yield e, ns.PROV.startedAtTime, Literal(ev.date.isoformat(), datatype=ns.XSD.date)
        yield e, K.datePrecision, Literal(ev.date_precision)
        yield e, K.legalBasis, Literal(ev.legal_basis, lang="vi")
        yield e, K.confirmed, Literal(ev.confirmed)
        if ev.note:
            yield e, ns.DCTERMS.description, Literal(ev.note, lang="en")
        for src in ev.sources:
            yield e, ns.DCTERMS.source, URIRef(src)
        for a in ev.original:
            agencies.add(a)
            yield e, ns.ORG.originalOrganization, URIRef(agency_iri(a))
        for a in ev.resulting:
            agencies.add(a)
            yield e, ns.ORG.resultingOrganization, URIRef(agency_iri(a))
            yield URIRef(agency_iri(a)), ns.ORG.resultedFrom, e
        if ev.successor:
            yield e, K.mainSuccessor, URIRef(agency_iri(ev.successor))
        if ev.merged_places:
            names = {p.slug: p.display for p in provinces()}
            for place in ev.merged_places:
                yield e, K.mergedJurisdiction, Literal(names[place], lang="vi")
            yield e, K.resultingJurisdiction, Literal(names[ev.into_place], lang="vi")
        for n, t in enumerate(ev.functions, 1):
            f = URIRef(f"{event_iri(ev.id)}/function/{n}")
            agencies.update((t.source, t.target))
            yield e, K.functionTransfer, f
            yield f, ns.RDF.type, K.FunctionTransfer
            yield f, K.transferredFrom, URIRef(agency_iri(t.source))
            yield f, K.transferredTo, URIRef(agency_iri(t.target))
            yield f, K.confirmed, Literal(t.confirmed)
            yield f, ns.PROV.startedAtTime, Literal(ev.date.isoformat(), datatype=ns.XSD.date)
            for text in t.functions:
                yield f, K.function, Literal(text, lang="vi")
            for text in t.functions_en:
                yield f, K.function, Literal(text, lang="en")
            for word in t.keywords:
                yield f, K.matchKeyword, Literal(word)
            for src in t.sources:
                yield f, ns.DCTERMS.source, URIRef(src)
            if t.note:
                yield f, ns.DCTERMS.description, Literal(t.note, lang="en")
    for a in sorted(agencies) if describe_agencies else ():
        yield from _agency(a, gazetteer)
    # Only events dated to the day bound an existence interval; a "not-after" date is not an end date.
    exact = {ev.id for ev in reorg.events if ev.date_precision == "day"}
    for span in lifespans(reorg).values():
        a = URIRef(agency_iri(span.agency))
        if span.start and span.started_by in exact:
            yield a, SCHEMA.foundingDate, Literal(span.start.isoformat(), datatype=ns.XSD.date)
        if span.end and span.ended_by in exact:
            yield a, SCHEMA.dissolutionDate, Literal(span.end.isoformat(), datatype=ns.XSD.date)


def events_graph(reorg: Reorg | None = None, gazetteer: Gazetteer | None = None) -> Graph:
    """The change events as an rdflib graph, with the project's prefixes bound."""
    g = Graph()
    for prefix, namespace in (
        ("org", ns.ORG),
        ("prov", ns.PROV),
        ("dct", ns.DCTERMS),
        ("skos", ns.SKOS),
        ("kg", K),
        ("schema", SCHEMA),
    ):
        g.bind(prefix, namespace)
    for triple in event_triples(reorg, gazetteer):
        g.add(triple)
    return g


def events_ntriples(reorg: Reorg | None = None, gazetteer: Gazetteer | None = None) -> bytes:
    """The events as N-Triples for a store whose plan graphs describe the agencies (see :func:`event_triples`).

    >>> b"org#ChangeEvent>" in events_ntriples()
    True
    """
    lines = dict.fromkeys(
        " ".join(term.n3() for term in t) + " .\n"
        for t in event_triples(reorg, gazetteer, describe_agencies=False)
    )
    return "".join(lines).encode("utf-8")
