"""The networkx model of a store's content, and the reference answers (:mod:`kg.graph.metrics`) over it.

:func:`to_networkx` rebuilds the graph of :func:`kg.graph.network.build_graph` (same
node ids and the attributes the metrics read) from the RDF store, so
``kg query --backend networkx`` answers from the same store as the SPARQL
backend, and ``kg export --format graphml|gexf`` writes it.

:func:`to_networkx` reads the whole store (seconds at 1,000 plans, minutes at
10,000).  ``kg build`` therefore also keeps, inside the store folder, what
each file adds to that graph (:data:`PARTS`: one pickle per file of the steps
of :func:`kg.graph.network.add_result` and ``add_audit``, named by its hash in
the build manifest, made by the reader's workers) and the order the store took
the files in; :func:`stored_graph` composes the same graph from them with the
code of :func:`kg.graph.network.build_graph`, and gives None for a store
without them (built by older code or by :func:`kg.pipeline.build`), which
:func:`read_graph` then reads with :func:`to_networkx`.

>>> import tempfile
>>> from loaders import read_plan
>>> from kg.pipeline import build
>>> path = tempfile.mkdtemp() + "/kg"
>>> _ = build([read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt")], path)
>>> run_named("agency-load", {}, store=path)[0]["agency"]
'Sở Nội vụ'
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import pickle
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from kg.graph import metrics
from kg.graph.network import agency_node, document_node, task_node
from kg.model import Agency
from kg.rdf.plan import PREFIXES, REORG_GRAPH
from kg.stores.rdf import DEFAULT_STORE, agencies, open_store, select

__all__ = [
    "PARTS",
    "NetworkxBackend",
    "export_graph",
    "part_bytes",
    "part_path",
    "parts_fingerprint",
    "parts_order",
    "read_graph",
    "run_named",
    "stored_graph",
    "to_networkx",
    "without_gc",
    "write_parts_index",
]

# The project's prefixes (kg.rdf.plan.PREFIXES), declared once for the queries below.
_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

_DOCUMENTS = (
    _PREFIXES
    + """
SELECT DISTINCT ?id ?doc_type ?number ?date ?issuer ?issuer_name ?title ?read WHERE {
  ?d a <http://data.europa.eu/eli/ontology#LegalResource> ; dct:identifier ?id ;
     eli:type_document/skos:prefLabel ?doc_type .
  OPTIONAL { ?d eli:number ?number }
  OPTIONAL { ?d eli:date_document ?date }
  OPTIONAL { ?d dct:title ?title }
  OPTIONAL { ?d eli:passed_by ?i . ?i dct:identifier ?issuer ; skos:prefLabel ?issuer_name
             FILTER(LANG(?issuer_name) = "vi") }
  BIND(EXISTS { ?d dct:source ?f } AS ?read)
}"""
)

_DOC_EDGES = (
    _PREFIXES
    + """
SELECT DISTINCT ?from ?to ?rel ?first WHERE {
  VALUES (?p ?rel) { (eli:ensures_implementation_of "implements") (eli:cites "cites") }
  ?a ?p ?b . ?a dct:identifier ?from . ?b dct:identifier ?to .
  BIND(EXISTS { ?a kg:chainParent ?b } AS ?first)
}"""
)

_TASKS = (
    _PREFIXES
    + """
SELECT DISTINCT ?t ?id ?seq ?document ?title ?group ?group_title ?deadline ?start ?end ?recurrence ?file
WHERE {
  ?t a kg:Task ; dct:identifier ?id ; kg:position ?seq ; dct:title ?title ;
     p-plan:isStepOfPlan/dct:identifier ?document ; kg:deadline ?dl .
  ?dl rdfs:label ?deadline .
  OPTIONAL { ?dl time:hasBeginning/time:inXSDDate ?start }
  OPTIONAL { ?dl time:hasEnd/time:inXSDDate ?end }
  OPTIONAL { ?t dct:accrualPeriodicity ?freq BIND(STRAFTER(STR(?freq), "http://purl.org/cld/freq/") AS ?recurrence) }
  OPTIONAL { ?t dct:isPartOf ?g . ?g a kg:TaskGroup ; dct:identifier ?group ; dct:title ?group_title }
  OPTIONAL { ?t p-plan:isStepOfPlan/dct:source/rdfs:label ?file }
}"""
)

_LINES = _PREFIXES + "SELECT DISTINCT ?t ?line WHERE { ?t a kg:Task ; prov:wasDerivedFrom/kg:line ?line }"
# A PDF's or scan's task: the pages of its FragmentSelectors ("page=3&viewrect=…", kg/rdf/plan.py).
_PAGES = (
    _PREFIXES
    + "SELECT DISTINCT ?t ?value WHERE { ?t a kg:Task ; prov:wasDerivedFrom/oa:hasSelector/rdf:value ?value }"
)

_ROLES = (
    _PREFIXES
    + """
SELECT DISTINCT ?t ?agency ?role ?text WHERE {
  VALUES (?r ?role) { (kg:LeadRole "lead") (kg:DirectingRole "directing") (kg:CoordinatingRole "coordinating") }
  ?t <http://www.w3.org/ns/prov#qualifiedAssociation> ?q .
  ?q <http://www.w3.org/ns/prov#hadRole> ?r ; <http://www.w3.org/ns/prov#agent>/dct:identifier ?agency .
  OPTIONAL { ?q kg:cellText ?text }
}"""
)


# Agencies the store knows only as holders of moved work (kg:Holding): the plans never name them, so
# the plan graph of kg.graph.network has no node for them (kg.graph.reorg.as_of_graph adds them on a day). The
# change events (REORG_GRAPH) name them too, which does not count.
_HOLDERS_ONLY = (
    _PREFIXES
    + """
SELECT DISTINCT ?id WHERE {
  ?h kg:holder ?a . ?a dct:identifier ?id .
  FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?a } FILTER(?p != kg:holder && ?g != <%s>) }
}"""
)


# The plans' bodies (kg.rdf.body): items, the agencies they name, the tasks they state, and findings.
_BODY = (
    _PREFIXES
    + """
SELECT ?b ?key ?document ?pos ?kind ?section ?bullet ?text ?file WHERE {
  ?b a kg:BodyAssignment ; dct:identifier ?key ; dct:isPartOf/dct:identifier ?document ; kg:ordinal ?pos ;
     kg:assignmentKind ?kind ; kg:section ?section ; dct:description ?text .
  OPTIONAL { ?b kg:bullet ?bullet }
  OPTIONAL { ?b prov:wasDerivedFrom/oa:hasSource/rdfs:label ?file }
}"""
)
_BODY_LINKS = (
    _PREFIXES
    + """
SELECT ?b ?rel ?target ?target_doc WHERE {
  VALUES (?p ?rel) { (kg:addressee "addressed") (kg:coordinatingWith "coordinating") (kg:reportsTo "reports_to")
                     (kg:correspondsTo "corresponds") }
  ?b a kg:BodyAssignment ; ?p ?x . ?x dct:identifier ?target .
  OPTIONAL { ?x p-plan:isStepOfPlan/dct:identifier ?target_doc }
}"""
)
_FINDINGS = (
    _PREFIXES
    + """
SELECT ?f ?document ?pos ?kind ?appendix ?section ?message ?file ?about WHERE {
  ?f a kg:AuditFinding ; dct:isPartOf/dct:identifier ?document ; kg:ordinal ?pos ; kg:findingKind ?kind ;
     rdfs:comment ?message .
  OPTIONAL { ?f kg:appendixRef ?appendix }
  OPTIONAL { ?f kg:section ?section }
  OPTIONAL { ?f kg:aboutTask ?about }
  OPTIONAL { ?f prov:wasDerivedFrom/oa:hasSource/rdfs:label ?file }
}"""
)
_SOURCE_LINES = (
    _PREFIXES
    + """
SELECT ?s ?line WHERE {
  { ?s a kg:BodyAssignment } UNION { ?s a kg:AuditFinding }
  ?s prov:wasDerivedFrom/kg:line ?line
}"""
)


def _add_body(G: nx.MultiDiGraph, source: Any) -> None:
    """The body items and findings of the store, as :func:`kg.graph.network.add_audit` adds them."""
    from kg.graph.network import body_node, finding_node
    from kg.rdf.body import KIND_CONCEPT

    kinds = {iri: kind.value for kind, iri in KIND_CONCEPT.items()}
    lines: dict[str, list[int]] = {}
    for row in select(source, _SOURCE_LINES):
        lines.setdefault(row["s"], []).append(row["line"])
    items: dict[str, str] = {}
    for r in sorted(select(source, _BODY), key=lambda r: (r["document"], r["pos"])):
        n = items[r["b"]] = body_node(r["document"], r["key"])
        G.add_node(
            n,
            type="body_assignment",
            id=r["key"],
            document=r["document"],
            seq=r["pos"],
            kind=kinds[r["kind"]],
            section=r["section"],
            bullet=r["bullet"],
            text=r["text"],
            file=r["file"],
            lines=tuple(sorted(lines.get(r["b"], ()))),
        )
        G.add_edge(n, document_node(r["document"]), key="part_of", rel="part_of")
    for r in select(source, _BODY_LINKS):
        n, rel = items[r["b"]], r["rel"]
        if rel == "corresponds":
            G.add_edge(n, task_node(r["target_doc"], r["target"]), key=rel, rel=rel)
        elif rel == "addressed":
            G.add_edge(agency_node(r["target"]), n, key=rel, rel=rel)
        else:
            G.add_edge(n, agency_node(r["target"]), key=rel, rel=rel)
    for r in sorted(select(source, _FINDINGS), key=lambda r: (r["document"], r["pos"])):
        n = finding_node(r["document"], r["pos"])
        G.add_node(
            n,
            type="finding",
            id=str(r["pos"]),
            document=r["document"],
            seq=r["pos"],
            kind=r["kind"],
            appendix=r["appendix"],
            section=r["section"],
            message=r["message"],
            file=r["file"],
            lines=tuple(sorted(lines.get(r["f"], ()))),
        )
        G.add_edge(n, document_node(r["document"]), key="part_of", rel="part_of")
        if r["about"] and r["appendix"]:
            G.add_edge(n, task_node(r["document"], r["appendix"]), key="about", rel="about")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def to_networkx(store: Any = DEFAULT_STORE) -> nx.MultiDiGraph:
    """The graph :func:`kg.graph.network.build_graph` would build from the documents in the store."""
    source = open_store(store) if isinstance(store, Path | str) else store
    G = nx.MultiDiGraph()
    holders_only = {r["id"] for r in select(source, _HOLDERS_ONLY % REORG_GRAPH)}
    for a in agencies(source):
        if a.id in holders_only:
            continue
        G.add_node(
            agency_node(a.id),
            type="agency",
            id=a.id,
            name=a.name,
            name_en=a.name_en,
            kind=a.kind,
            recognised=a.recognised,
            jurisdiction=a.jurisdiction,
            collective=a.is_collective,
        )
    for d in select(source, _DOCUMENTS):
        G.add_node(
            document_node(d["id"]),
            type="document",
            id=d["id"],
            doc_type=d["doc_type"],
            number=d["number"],
            date=_day(d["date"]),
            issuer=d["issuer"],
            issuer_name=d["issuer_name"],
            title=d["title"],
            read=bool(d["read"]),
        )
    # The first parent a document names is its first "implements" edge, as in kg.graph.network.
    for e in sorted(select(source, _DOC_EDGES), key=lambda e: not e["first"]):
        G.add_edge(document_node(e["from"]), document_node(e["to"]), key=e["rel"], rel=e["rel"])
    lines: dict[str, list[int]] = {}
    for row in select(source, _LINES):
        lines.setdefault(row["t"], []).append(row["line"])
    pages: dict[str, list[int]] = {}
    for row in select(source, _PAGES):
        if str(row["value"]).startswith("page="):
            pages.setdefault(row["t"], []).append(int(str(row["value"])[5:].split("&")[0]))
    iri_to_node: dict[str, str] = {}
    for t in sorted(select(source, _TASKS), key=lambda r: (r["document"], r["seq"])):
        n = task_node(t["document"], t["id"])
        iri_to_node[t["t"]] = n
        G.add_node(
            n,
            type="task",
            id=t["id"],
            seq=t["seq"],
            document=t["document"],
            title=t["title"],
            group=t["group"],
            group_title=t["group_title"],
            deadline=t["deadline"],
            start=_day(t["start"]),
            end=_day(t["end"]),
            recurrence=t["recurrence"],
            file=t["file"],
            lines=tuple(sorted(lines.get(t["t"], ()))),
            pages=tuple(sorted(pages.get(t["t"], ()))),
        )
        G.add_edge(n, document_node(t["document"]), key="part_of", rel="part_of")
    for r in select(source, _ROLES):
        G.add_edge(
            agency_node(r["agency"]),
            iri_to_node[r["t"]],
            key=r["role"],
            rel="role",
            role=r["role"],
            text=r["text"],
        )
    _add_body(G, source)
    return G


# What each file a build read adds to the graph, kept for :func:`stored_graph` (a folder inside the store).
PARTS = "kg-graph"
# In PARTS: the code that wrote the parts and the order the store took the files in.
_INDEX = "index.json"
_PARTS_VERSION = 2


def part_bytes(result: Any, audits: Iterable[Any]) -> bytes:
    """One file's part, pickled (in a reader's worker): what :func:`kg.graph.network.add_result` and
    :func:`kg.graph.network.add_audit` do with its records and body audits, as their steps (plain tuples and
    dicts load several times faster than the records)."""
    from kg.graph.network import audit_steps, result_steps

    steps = (result_steps(result), [audit_steps(r) for r in audits])
    return pickle.dumps(steps, protocol=pickle.HIGHEST_PROTOCOL)


def part_path(store: Path, digest: str) -> Path:
    """Where the part of the file whose manifest hash is *digest* lives in the store folder *store*."""
    return Path(store) / PARTS / f"{digest}.pickle"


@functools.lru_cache(maxsize=1)
def parts_fingerprint() -> str:
    """A hash of the code that makes the parts' steps and applies them (:mod:`kg.graph.network`,
    :mod:`kg.graph.body`): parts made by other code are not used.  The rest of the code may change (the
    parts hold plain values, made by the same reading as the store's quads).

    >>> len(parts_fingerprint())
    16
    """
    import hashlib

    import kg.graph.body
    import kg.graph.network

    h = hashlib.sha256(str(_PARTS_VERSION).encode())
    for module in (kg.graph.network, kg.graph.body):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()[:16]


def parts_order(store: Path) -> list[str] | None:
    """The hashes of the store's parts in the order the store took their files, or None when the store
    has no usable parts (none kept, or kept by other code: :func:`parts_fingerprint`)."""
    try:
        index = json.loads((Path(store) / PARTS / _INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if index.get("version") != _PARTS_VERSION or index.get("fingerprint") != parts_fingerprint():
        return None
    return list(index["files"])


def write_parts_index(store: Path, order: Iterable[str] | None) -> None:
    """Record the store's parts (hashes in the order the store took their files) in the store folder
    *store*, and remove the parts not in it; *order* None removes them all (the store's graph cannot be
    composed from them: :func:`read_graph` reads the store itself)."""
    import shutil

    folder = Path(store) / PARTS
    if order is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    order = list(order)
    folder.mkdir(exist_ok=True)
    keep = {f"{h}.pickle" for h in order}
    for f in folder.iterdir():
        if f.name not in keep and f.name != _INDEX:
            f.unlink()
    data = {"version": _PARTS_VERSION, "fingerprint": parts_fingerprint(), "files": order}
    tmp = folder / (_INDEX + ".tmp")
    tmp.write_text(json.dumps(data) + "\n", encoding="utf-8")
    os.replace(tmp, folder / _INDEX)


def stored_graph(store: Path | str) -> nx.MultiDiGraph | None:
    """The graph of the store folder *store* composed from the parts its builds kept (:data:`PARTS`),
    as :class:`kg.pipeline.NetworkxSink` builds it while reading; None when the store kept none that this
    code can use, or one is missing.

    Every file's records are added in the order the store took them (a node described by two files is
    as the last one described it, as in the store's shared graph), then every body audit.
    """
    from kg.graph.network import apply_audits, apply_result
    from kg.stores.manifest import Manifest

    store = Path(store)
    order = parts_order(store)
    if order is None or set(order) != {e.hash for e in Manifest.load(store).files.values() if e.documents}:
        return None
    G = nx.MultiDiGraph()
    audits: list[Any] = []
    with without_gc():
        for digest in order:
            try:
                with part_path(store, digest).open("rb") as f:
                    steps, reports = _PlainUnpickler(f).load()
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
                return None
            apply_result(G, steps)
            audits += reports
        apply_audits(G, audits)  # after every document, as build_graph does
    return G


class _PlainUnpickler(pickle.Unpickler):
    """Loads plain values only (and dates): a part in a store folder someone else made can run no code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("datetime", "date"):
            return date
        raise pickle.UnpicklingError(f"a graph part holds {module}.{name}: not a part this code made")


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off while a graph of millions of objects is made: each
    collection walks every object made so far (composing 1,000 plans: 20 s with it, 8 s without)."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_graph(store: Path | str) -> nx.MultiDiGraph:
    """The graph of the store folder *store*: :func:`stored_graph` when its build kept the parts, else
    :func:`to_networkx` (the same graph, read from the quads)."""
    G = stored_graph(store)
    return to_networkx(store) if G is None else G


class NetworkxBackend:
    """The store's networkx model as a :class:`kg.stores.Backend`: each named query answered by its
    reference function in :mod:`kg.graph.metrics`, on the graph as of the day."""

    dialect = "networkx"
    lists = True

    def __init__(self, store: Any = DEFAULT_STORE) -> None:
        self._store = store
        self._source: Any = None
        self._agencies: list[Agency] | None = None

    @property
    def source(self) -> Any:
        if self._source is None:
            self._source = open_store(self._store) if isinstance(self._store, Path | str) else self._store
        return self._source

    def agencies(self) -> list[Agency]:
        if self._agencies is None:
            self._agencies = agencies(self.source)
        return self._agencies

    def rows(self, query: Any, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        from kg.graph.reorg import as_of_graph

        name, values = query.name, bindings
        G = to_networkx(self.source)
        if name != "current-holder":  # it reads the names the plan gave and follows them itself
            G = as_of_graph(G, values.get("as_of"))
        if "agency" in values:
            # Names resolve among every agency of the store, as the SPARQL backend resolves them: one the
            # plans do not name (a successor, on a day it holds nothing) is a node without tasks.
            for a in self.agencies():
                if a.id in values["agency"] and agency_node(a.id) not in G:
                    G.add_node(agency_node(a.id), type="agency", **a.properties())
        call = {
            "agency-load": lambda: metrics.agency_load(G, collectives=values["collectives"]),
            "depends-on": lambda: metrics.depends_on(G, values["agency"]),
            "co-responsibility": lambda: metrics.co_responsibility(G, collectives=values["collectives"]),
            "deadlines": lambda: metrics.deadlines(
                G, start=values.get("from"), end=values.get("to"), overdue_as_of=values.get("overdue_as_of")
            ),
            "agency-profile": lambda: metrics.agency_profile(G, values["agency"]),
            "plan-summary": lambda: metrics.plan_summary(G),
            "document-chain": lambda: metrics.document_chain(G, values.get("plan")),
            "current-holder": lambda: current_holder_rows(G, values["as_of"]),
            "requests": lambda: metrics.requests(G),
            "reports-to": lambda: metrics.reports_to(G),
            "standing-agency": lambda: metrics.standing_agency(G),
            "audit-findings": lambda: metrics.audit_findings(G),
        }
        if name not in call:
            raise KeyError(f"query {name!r} has no networkx answer; known: {', '.join(call)}")
        return call[name]()


def run_named(name: str, params: Mapping[str, Any], *, store: Any = DEFAULT_STORE) -> list[dict[str, Any]]:
    """The reference answer (:mod:`kg.graph.metrics`) of a named query over the store's content
    (:func:`kg.stores.runner.run`)."""
    from kg.stores.runner import run

    return run(NetworkxBackend(store), name, params)


def current_holder_rows(G: nx.MultiDiGraph, as_of: date) -> list[dict[str, Any]]:
    """The ``current-holder`` rows: :func:`kg.graph.reorg.current_holder` with its lists sorted, as the stores give them."""
    from kg.graph.reorg import current_holder

    rows = current_holder(G, as_of)
    return [
        {
            "plan": r["plan"],
            "task": r["task"],
            "role": r["role"],
            "named": r["named"],
            "jurisdiction": r["jurisdiction"],
            "holder": sorted(set(r["holder"])),
            "confirmed": r["confirmed"],
            "events": sorted(r["events"]),
            "sources": sorted(r["sources"]),
        }
        for r in rows
    ]


def _plain(value: Any) -> Any:
    """GraphML/GEXF take str, int, float and bool attributes only."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return " ".join(str(v) for v in value)
    return value


def export_graph(store: Any = DEFAULT_STORE, fmt: str = "graphml") -> bytes:
    """The store's networkx model as GraphML or GEXF (``None`` attributes left out)."""
    G = to_networkx(store)
    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _plain(v) for k, v in d.items() if v is not None})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: _plain(b) for a, b in d.items() if b is not None})
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(H, buf, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(H, buf, encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {fmt!r}; known: graphml, gexf")
    return buf.getvalue()
