"""The persisted RDF store: Oxigraph (pyoxigraph) on disk, one named graph per document.

:func:`kg.pipeline.build_files` (``kg build``) writes documents into a store
directory (default ``.kg``) once; ``run_named`` / ``sparql`` then answer
queries from it, in a new process each time, without a server.  The SPARQL
default graph is the union of all named graphs: the ontology, the gazetteer,
one graph per document, and a shared graph describing once what several
documents name (agencies, cited documents).  Rebuilding a document replaces
its graph, so a build is idempotent; a build is atomic (:mod:`kg.stores.atomic`):
this module only reads, and a store whose build did not finish is refused.

Why Oxigraph and not plain rdflib: measured on this machine (README "RDF
store"), building and querying are one to two orders of magnitude faster,
and the store persists without a server.  rdflib's API stays available:
:func:`to_dataset` returns the store's content as an ``rdflib.Dataset``, and
:func:`select` runs the same query text on either engine.

>>> import tempfile
>>> from kg.pipeline import build
>>> from loaders import read_plan
>>> path = tempfile.mkdtemp() + "/kg"
>>> build([read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt")], path)["documents"]
1
>>> run_named("depends-on", {"agency": "Department of Home Affairs"}, store=path)[0]["task"]
'II.1'
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.model import Agency
from kg.rdf.plan import KG, PREFIXES, agency_iri
from kg.stores import StoreError
from kg.stores.atomic import ENGINE, MARK, pinned
from kg.stores.service import check_service

__all__ = [
    "DEFAULT_STORE",
    "EXPORT_FORMATS",
    "agencies",
    "export",
    "open_store",
    "run_named",
    "select",
    "sparql",
    "to_dataset",
    "validate",
]

DEFAULT_STORE = Path(".kg")
XSD = PREFIXES["xsd"]

EXPORT_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}


# The store directory --------------------------------------------------------------------------


def _check(path: Path) -> None:
    """One line for a path that is no finished store."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a kg store (it is a file); nothing was changed")
    if path.is_dir() and not (path / MARK).is_file():
        if (path / ENGINE).is_dir():
            raise StoreError(
                f"{path}: incomplete store (no {MARK}, which a build writes last); "
                f"run `kg build FILE... --store {path}` again"
            )
        raise StoreError(f"{path}: not a kg store (no {MARK}); nothing in it was changed")
    if not path.exists():
        raise StoreError(f"{path}: no store here; run `kg build FILE... --store {path}` first")


def open_store(path: Path | str = DEFAULT_STORE) -> ox.Store:
    """The Oxigraph store at *path*, read-only; a build swaps a new store in beside it (kg.stores.atomic).

    A path that is not a store, or whose build did not finish (no completeness
    mark), is refused with :class:`StoreError` and left untouched.  An open that
    meets a build swapping the store in (the folder changed under it) is tried
    again: it sees the old store or the new one.
    """
    path = Path(path)
    tries = 5
    for attempt in range(tries):
        _check(path)
        try:
            return ox.Store.read_only(f"{pinned(path)}/{ENGINE}")
        except (OSError, RuntimeError) as e:  # RocksDB's "Corruption" when its files changed mid-open
            if attempt == tries - 1:
                raise StoreError(f"{path}: cannot open the store: {str(e).splitlines()[0]}") from None
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _as_store(store: ox.Store | Path | str) -> ox.Store:
    return store if isinstance(store, ox.Store) else open_store(store)


# Querying ----------------------------------------------------------------------------------------


_INTEGERS = frozenset({XSD + "integer", XSD + "int", XSD + "long"})


def _py_ox(term: Any) -> Any:
    """A pyoxigraph term as a Python value (an integer or a boolean, else its text); ``None`` unbound.

    Called once per value of every row: the type is tested with ``type() is`` and the datatype
    read once (2x faster on 200,000 rows than ``isinstance`` and a lookup per branch).
    """
    if type(term) is not ox.Literal:
        return None if term is None else term.value
    value = term.value
    datatype = term.datatype.value
    if datatype in _INTEGERS:
        return int(value)
    if datatype == XSD + "boolean":
        return value in {"true", "1"}
    return value


def _ox_term(value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, _IRI):
        return ox.NamedNode(str(value))
    return ox.Literal(str(value))


class _IRI(str):
    """A string that is bound as an IRI, not as a literal."""


def _py_rdflib(term: Any) -> Any:
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype else None
        if dt in {XSD + "integer", XSD + "int", XSD + "long"}:
            return int(term)
        if dt == XSD + "boolean":
            return bool(term.toPython())
        return str(term)
    return str(term)


def _rdflib_term(value: Any) -> Any:
    from rdflib import XSD as RXSD
    from rdflib import Literal, URIRef

    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=RXSD.integer)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=RXSD.date)
    if isinstance(value, _IRI):
        return URIRef(str(value))
    return Literal(str(value))


def select(source: Any, query: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of a SELECT *query* on a pyoxigraph ``Store`` or an rdflib ``Dataset``/``Graph``.

    *bindings* maps variable names to Python values, bound by the engine
    (pyoxigraph ``substitutions``, rdflib ``initBindings``), never spliced into
    the text.  Values: ``str`` (a literal), ``int``, ``bool``, ``date``, or an
    IRI made with :func:`iri`.  With pyoxigraph a bound variable must be in the
    SELECT projection (SEP-0007), which is why the named queries project
    their parameters.  Literals come back as ``str``/``int``/``bool``, dates
    as ISO strings, IRIs as strings, unbound values as ``None``.
    """
    bindings = dict(bindings or {})
    if isinstance(source, ox.Store):
        subs = {ox.Variable(k): _ox_term(v) for k, v in bindings.items()}
        solutions = source.query(query, use_default_graph_as_union=True, substitutions=subs or None)
        names = [v.value for v in solutions.variables]
        # A solution iterates over its values in the order of the variables (None when unbound).
        return [dict(zip(names, map(_py_ox, s), strict=True)) for s in solutions]
    result = source.query(query, initBindings={k: _rdflib_term(v) for k, v in bindings.items()})
    names = [str(v) for v in result.vars]
    return [{n: _py_rdflib(row[i]) for i, n in enumerate(names)} for row in result]


def iri(value: str) -> str:
    """Mark a string to be bound as an IRI by :func:`select`."""
    return _IRI(value)


# Every agency with its labels, for name lookup; plain SPARQL 1.1, so endpoints use it too.
# Plain triple patterns, no VALUES over classes or property paths: Oxigraph plans them better (3x).
AGENCIES_QUERY = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX kg: <https://kg-plans.example.org/ontology#>
SELECT DISTINCT ?id ?name ?name_en ?kind ?recognised ?jurisdiction ?collective WHERE {
  { ?a a org:Organization BIND(false AS ?collective) } UNION { ?a a kg:Collective BIND(true AS ?collective) }
  ?a dct:identifier ?id ; skos:prefLabel ?name ; org:classification ?k .
  ?k skos:notation ?kind .
  FILTER(LANG(?name) = "vi")
  OPTIONAL { ?a skos:prefLabel ?name_en FILTER(LANG(?name_en) = "en") }
  OPTIONAL { ?a kg:recognised ?recognised }
  OPTIONAL { ?a dct:spatial/skos:prefLabel ?jurisdiction }
} ORDER BY ?id
"""


def agencies(store: Any) -> list[Agency]:
    """Every agency the documents of the store name (collectives included), as records, by id."""
    source = store if not isinstance(store, Path | str) else open_store(store)
    return [
        Agency(r["id"], r["name"], r["name_en"], r["kind"], bool(r["recognised"]), r["jurisdiction"])
        for r in select(source, AGENCIES_QUERY)
    ]


# Named queries -----------------------------------------------------------------------------------


def sparql_bindings(query: Any, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The SPARQL binding sets of the runner's *bindings*: an ``agency`` parameter's ids become ``?<name>_iri``,
    one binding set per id (in order); every other parameter is bound by its name.

    >>> from queries import registry
    >>> runs = sparql_bindings(registry()["depends-on"], {"agency": ["ha-noi/so-noi-vu", "hue/so-noi-vu"]})
    >>> [r["agency_iri"].rsplit("/", 2)[-2] for r in runs]
    ['ha-noi', 'hue']
    """
    agency = {p.name for p in query.params if p.type == "agency"}
    runs: list[dict[str, Any]] = [{}]
    for name, value in bindings.items():
        if name in agency:
            runs = [{**r, f"{name}_iri": iri(agency_iri(i))} for r in runs for i in value]
        else:
            runs = [{**r, name: value} for r in runs]
    return runs


class OxigraphBackend:
    """The store (or, with *engine*, an rdflib ``Dataset`` of it) as a :class:`kg.stores.Backend`.

    Oxigraph binds one value per variable (``substitutions``), so the runner
    asks once per agency id and merges the rows in the query's ``ORDER BY``.
    The store is opened when first asked.  *records* gives the agencies when the
    caller holds them already (:mod:`kg.api` reads them once per opened store).
    """

    dialect = "sparql"
    lists = False

    def __init__(
        self,
        store: Any = DEFAULT_STORE,
        *,
        engine: Any = None,
        records: Callable[[], list[Agency]] | None = None,
    ) -> None:
        self._store = store
        self._source = engine
        self._records = records

    @property
    def source(self) -> Any:
        if self._source is None:
            self._source = _as_store(self._store)
        return self._source

    def rows(self, query: Any, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows of *query*, in its order; on Oxigraph sorted here rather than by the engine
        (:func:`kg.stores.runner.split_order`: the same order, many times faster for many rows)."""
        from kg.stores.runner import sort_rows, split_order

        (binding,) = sparql_bindings(query, bindings)
        split = split_order(query.sparql) if isinstance(self.source, ox.Store) else None
        if split is None:
            return select(self.source, query.sparql, binding)
        return sort_rows(select(self.source, split[0], binding), split[1])

    def agencies(self) -> list[Agency]:
        return self._records() if self._records else agencies(self.source)


def run_named(
    name: str, params: Mapping[str, Any], *, store: Any = DEFAULT_STORE, engine: Any = None
) -> list[dict[str, Any]]:
    """Answer the named query *name* with *params* as typed on the command line (:func:`kg.stores.runner.run`).

    Rows have exactly the columns of the query's ``# returns:`` line, in the
    order of :mod:`kg.graph.metrics`.  An agency parameter may be a Vietnamese or
    English name, an alias or a spelling variant; it is resolved to agency ids
    first (:class:`kg.model.lookup.NoAgency` when nothing matches), and the query
    runs once per id, the rows merged in the query's order.  *engine* may be
    an rdflib ``Dataset`` to run the same text on rdflib instead of the store.
    """
    from kg.stores.runner import run

    return run(OxigraphBackend(store, engine=engine), name, params)


def sparql(text: str, *, store: Any = DEFAULT_STORE, allow_service: bool = False) -> Any:
    """Run any SPARQL query on the store (union default graph): SELECT rows, ASK bool or CONSTRUCT triples.

    The prefixes of :data:`kg.rdf.plan.PREFIXES` (``kg:``, ``eli:``, ``org:``…) are predeclared. A
    ``SERVICE`` clause would make the engine call another server: it raises
    :class:`~kg.stores.service.ServiceRefused` unless *allow_service*.
    """
    check_service(text, PREFIXES, allow=allow_service)
    source = _as_store(store)
    result = source.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return [{n: _py_ox(s[n]) for n in names} for s in result]
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return list(result)


# Other views of the store ------------------------------------------------------------------------


def to_dataset(store: Any = DEFAULT_STORE) -> Any:
    """The store's content as an ``rdflib.Dataset`` (named graphs kept; default graph = their union)."""
    from rdflib import Dataset

    data = _as_store(store).dump(format=ox.RdfFormat.N_QUADS)
    ds = Dataset(default_union=True)
    ds.parse(data=data.decode("utf-8"), format="nquads")
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    return ds


def _union_triples(store: ox.Store) -> list[ox.Triple]:
    rows = store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    return [ox.Triple(r["s"], r["p"], r["o"]) for r in rows]


def export(store: Any = DEFAULT_STORE, fmt: str = "ttl") -> bytes:
    """The store serialised: ``ttl``/``nt``/``jsonld`` the union of all graphs; ``trig``/``nq`` the graphs."""
    source = _as_store(store)
    if fmt in {"trig", "nq"}:
        return source.dump(format=EXPORT_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    prefixes = PREFIXES if fmt in {"ttl", "jsonld"} else None
    return ox.serialize(_union_triples(source), format=EXPORT_FORMATS[fmt], prefixes=prefixes)


def validate(store: Any = DEFAULT_STORE, *, data: Any = None) -> tuple[bool, str, Any]:
    """SHACL-validate the store (or an rdflib graph *data*) against ``ontology/shapes.ttl``.

    Returns ``(conforms, report text, report graph)``.
    """
    from pyshacl import validate as shacl
    from rdflib import Graph

    from ontology import path as ontology_path

    if data is None:
        data = Graph()
        data.parse(data=export(store, "nt").decode("utf-8"), format="nt")
    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    conforms, report, text = shacl(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    return bool(conforms), str(text), report


__all__ += ["KG", "OxigraphBackend", "iri", "sparql_bindings"]
