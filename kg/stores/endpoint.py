"""Any external SPARQL 1.1 endpoint as a copy of the store: push graphs to it, ask it the named queries.

``push`` copies every named graph of a built store (``kg build --endpoint``)
with SPARQL 1.1 Update, one request per graph (``DROP SILENT GRAPH`` then
``INSERT DATA``), so pushing again replaces each graph and is idempotent.
``run_named`` and ``sparql`` send queries with the SPARQL 1.1 Protocol (POST
``application/sparql-query``, results ``application/sparql-results+json``) and
return the same rows as :func:`kg.stores.rdf.run_named`.

The protocol has no parameter binding, so parameters become a ``VALUES`` block
written from escaped RDF terms (:func:`sparql_term`) at the start of the
query's outer ``WHERE`` group; user text is never spliced in raw.  The default
graph is made the union of this project's graphs: with ``default-graph-uri``
(the protocol's way; other graphs on the endpoint are left out), or on an
Oxigraph server with its faster ``union-default-graph`` switch.

Endpoint URLs: a server root (``http://127.0.0.1:7878``) means Oxigraph's
``/query`` and ``/update``; a URL ending in ``/query`` updates at the sibling
``/update`` (Oxigraph, Fuseki); any other URL is used for both.

>>> endpoint_urls("http://127.0.0.1:7878")
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
>>> endpoint_urls("http://h/ds/query")
('http://h/ds/query', 'http://h/ds/update')
>>> sparql_term('say "hi" {#}\\n')
'"say \\\\"hi\\\\" {#}\\\\n"'
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import date
from typing import Any

from kg.model import Agency
from kg.rdf.plan import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SHARED_GRAPH, document_graph_iri
from kg.stores import StoreError

__all__ = [
    "EndpointBackend",
    "EndpointError",
    "agencies",
    "endpoint_urls",
    "inject_values",
    "push",
    "run_named",
    "sparql",
    "sparql_iri",
    "sparql_term",
]

XSD = PREFIXES["xsd"]
TIMEOUT = 60.0
# Every graph this project writes starts with this IRI; queries see only these graphs.
GRAPH_BASE = os.path.commonprefix(  # noqa: RUF071 - a string prefix of IRIs is what is wanted
    [SHARED_GRAPH, ONTOLOGY_GRAPH, GAZETTEER_GRAPH, document_graph_iri("")]
)
_MAX_URL = 4000  # longer default-graph-uri lists go in a form-encoded body instead


class EndpointError(StoreError):
    """The endpoint cannot be reached, or answered with an HTTP error; ``str()`` is one line."""


# Terms -------------------------------------------------------------------------------------------

# IRIREF of the SPARQL/N-Triples grammar, absolute (a scheme), no escapes: ``\\`` is excluded too,
# so no \\u escape can smuggle a ``>`` in.
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*')
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE = re.compile(r'[\\"\n\r\t\b\f]')


def sparql_iri(value: str) -> str:
    """*value* as a SPARQL IRI term, refused (``ValueError``) unless it is an absolute IRI.

    >>> sparql_iri("https://kg-plans.example.org/agency/ha-noi/so-noi-vu")
    '<https://kg-plans.example.org/agency/ha-noi/so-noi-vu>'
    >>> sparql_iri("x> } DROP ALL #")
    Traceback (most recent call last):
    ValueError: not an absolute IRI: 'x> } DROP ALL #'
    """
    if not _IRI.fullmatch(value):
        raise ValueError(f"not an absolute IRI: {value!r}")
    return f"<{value}>"


def sparql_term(value: Any) -> str:
    """A Python value as a SPARQL term: ``str`` a string literal, ``int``, ``bool``, ``date``, or an IRI.

    IRIs are strings marked with :func:`kg.stores.rdf.iri`.  String literals
    escape ``\\``, ``"`` and line breaks (ECHAR), which is all the grammar
    requires; braces, ``#`` and any Unicode stay as they are inside the quotes.

    >>> sparql_term("Sở Nội vụ"), sparql_term(3), sparql_term(True), sparql_term(date(2024, 6, 30))
    ('"Sở Nội vụ"', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>', '"2024-06-30"^^<http://www.w3.org/2001/XMLSchema#date>')
    """
    from kg.stores.rdf import iri

    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    if isinstance(value, date):
        return f'"{value.isoformat()}"^^<{XSD}date>'
    if isinstance(value, type(iri(""))):
        return sparql_iri(str(value))
    if isinstance(value, str):
        return '"' + _ESCAPE.sub(lambda m: _ECHAR[m.group()], value) + '"'
    raise TypeError(f"cannot write {type(value).__name__} as a SPARQL term")


def values_block(runs: list[Mapping[str, Any]]) -> str:
    """A ``VALUES`` block with one row per binding set (all with the same variables); ``""`` for none.

    >>> values_block([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])
    'VALUES (?a ?b) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer> "x") ("2"^^<http://www.w3.org/2001/XMLSchema#integer> "y") }'
    """
    names = list(runs[0]) if runs else []
    if not names:
        return ""
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    rows = " ".join("(" + " ".join(sparql_term(run[n]) for n in names) + ")" for run in runs)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {rows} }}"


# Comments, strings and IRIs (skipped), SELECT keywords and opening braces: enough of the lexer to place
# VALUES blocks without being fooled by a "{" or "#" inside a string or comment.
_TOKEN = re.compile(
    r'(?P<skip>#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>)'
    r"|(?P<select>\bSELECT\b)|(?P<values>\bVALUES\s*(?:[?$]\w+|\([^)]*\))\s*\{)|(?P<brace>\{)|(?P<close>\})",
    re.IGNORECASE,
)
_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_SUBSELECT = re.compile(r"\s*(?:#[^\n]*\s*)*SELECT\b", re.IGNORECASE)


def _projected(projection: str) -> set[str] | None:
    """The plain variables a SELECT clause projects (``None`` for ``*``); not the ``(expr AS ?x)`` ones.

    >>> sorted(_projected(" DISTINCT ?a (COUNT(?t) AS ?n) ?b "))
    ['a', 'b']
    """
    if projection.strip().upper().removeprefix("DISTINCT").removeprefix("REDUCED").strip() == "*":
        return None
    depth, outer = 0, []
    for ch in projection:
        depth += ch == "("
        outer.append(ch if depth == 0 else " ")
        depth -= ch == ")"
    return set(_VAR.findall("".join(outer)))


def inject_values(query: str, runs: list[Mapping[str, Any]]) -> str:
    r"""*query* with its parameters bound by ``VALUES`` blocks, as pyoxigraph's substitutions bind them.

    Engine-side bindings (SEP-0007) make a value visible in every group of
    the query, and inside a sub-SELECT when it projects the variable.  So every
    group graph pattern of the SELECT starts with a ``VALUES`` block of the
    parameters in scope there, and the FILTERs of nested groups see them too.
    (One block at the top, or a trailing ``VALUES`` clause, would be joined
    only after the nested FILTERs had run with the parameters unbound.)

    >>> q = 'SELECT ?s # {\nWHERE { ?s <http://x/p> "{" { SELECT ?s (1 AS ?n) { ?s ?p ?o } } }'
    >>> print(inject_values(q, [{"s": "v"}]))
    SELECT ?s # {
    WHERE { VALUES (?s) { ("v") }
     ?s <http://x/p> "{" { SELECT ?s (1 AS ?n) { VALUES (?s) { ("v") }
     ?s ?p ?o } } }
    """
    runs = [r for r in runs if r]
    if not runs:
        return query
    names = list(runs[0])
    inserts: list[tuple[int, str]] = []
    scopes: list[list[str] | None] = []  # per open brace: the parameters in scope, None for a VALUES table
    select_at: int | None = None
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind == "select":
            select_at = m.end()
        elif kind == "values":
            scopes.append(None)
        elif kind == "close":
            if scopes:
                scopes.pop()
        elif kind == "brace":
            inherited = next((sc for sc in reversed(scopes) if sc is not None), None)
            if select_at is not None:  # the WHERE group of a SELECT: what it projects
                projection = re.sub(r"(?i)\bWHERE\s*$", "", query[select_at : m.start()].strip())
                projected = _projected(projection)
                if inherited is None and not scopes:
                    in_scope = names  # the query's own SELECT: every parameter
                else:
                    in_scope = [n for n in (inherited or []) if projected is None or n in projected]
                select_at = None
            elif not scopes and not inserts:
                in_scope = []  # a brace before any SELECT (e.g. a CONSTRUCT template): leave it
            else:
                in_scope = list(inherited or [])
            scopes.append(in_scope)
            if in_scope and not _SUBSELECT.match(query, m.end()):
                rows = list({tuple((n, r[n]) for n in in_scope): None for r in runs})
                inserts.append((m.end(), f" {values_block([dict(row) for row in rows])}\n"))
    if not inserts:
        raise ValueError("the query has no SELECT ... WHERE group to bind parameters in")
    for pos, text in reversed(inserts):
        query = query[:pos] + text + query[pos:]
    return query


# HTTP --------------------------------------------------------------------------------------------


def endpoint_urls(url: str) -> tuple[str, str]:
    """``(query URL, update URL)`` for *url* (see the module docstring).

    Query parameters in *url* (``?union-default-graph``) stay on the query URL only.

    >>> endpoint_urls("http://h:7878/?union-default-graph")
    ('http://h:7878/query?union-default-graph', 'http://h:7878/update')
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise EndpointError(f"{url}: not an http(s) endpoint URL")
    path = parts.path.rstrip("/")
    if not path:
        query, update = path + "/query", path + "/update"
    elif path.endswith("/query"):
        query, update = parts.path, path[: -len("query")] + "update"
    else:
        query = update = parts.path
    return (
        urllib.parse.urlunsplit(parts._replace(path=query, fragment="")),
        urllib.parse.urlunsplit(parts._replace(path=update, query="", fragment="")),
    )


def _request(url: str, body: bytes, content_type: str, accept: str = "*/*") -> tuple[Any, bytes]:
    """``(response headers, body)`` of a POST; any failure an :class:`EndpointError` of one line."""
    shown = url.split("?", 1)[0]  # the graph list in the query string would drown the message
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type, "Accept": accept}
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            return response.headers, response.read()
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace").strip()
        first = text.splitlines()[0] if text else e.reason
        raise EndpointError(f"{shown}: HTTP {e.code}: {first}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise EndpointError(f"{shown}: cannot reach the endpoint ({reason})") from None


def _update(url: str, text: str) -> None:
    update_url = endpoint_urls(url)[1]
    _request(update_url, text.encode("utf-8"), "application/sparql-update; charset=utf-8")


def _post_query(url: str, text: str, dataset: list[tuple[str, str]]) -> tuple[Any, bytes]:
    """POST *text* to the query URL with the *dataset* parameters (in the URL, or a form when long)."""
    query_url = endpoint_urls(url)[0]
    accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
    target = query_url + (
        ("&" if "?" in query_url else "?") + urllib.parse.urlencode(dataset) if dataset else ""
    )
    if len(target) <= _MAX_URL:
        return _request(target, text.encode("utf-8"), "application/sparql-query; charset=utf-8", accept)
    body = urllib.parse.urlencode([("query", text), *dataset]).encode("utf-8")
    return _request(query_url, body, "application/x-www-form-urlencoded", accept)


_GRAPHS = (
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { } "
    f"FILTER(STRSTARTS(STR(?g), {sparql_term(GRAPH_BASE)})) }} ORDER BY ?g"
)
_DATASET_PARAMS = {"default-graph-uri", "named-graph-uri", "union-default-graph"}


def _dataset(url: str) -> list[tuple[str, str]]:
    """The protocol parameters that make the default graph the union of this project's graphs.

    A URL that already says which graphs to use (``?union-default-graph``,
    ``default-graph-uri=``) is left as the user wrote it.  An Oxigraph server
    gets its ``union-default-graph`` switch: listing 100 graphs as
    ``default-graph-uri`` made its queries 20-50x slower.  Any other endpoint
    gets the standard ``default-graph-uri`` (and ``named-graph-uri``) list.
    """
    query = urllib.parse.urlsplit(endpoint_urls(url)[0]).query
    if _DATASET_PARAMS & set(urllib.parse.parse_qs(query, keep_blank_values=True)):
        return []
    headers, data = _post_query(url, _GRAPHS, [])
    if headers.get("Server", "").startswith("Oxigraph"):
        return [("union-default-graph", "")]
    graphs = [str(r["g"]) for r in _rows(data)]
    return [(kind, g) for kind in ("default-graph-uri", "named-graph-uri") for g in graphs]


def _value(term: Mapping[str, str] | None) -> Any:
    """A SPARQL JSON result term as :func:`kg.stores.rdf.select` gives it: ints, bools, else the text."""
    if term is None:
        return None
    if term.get("type") in {"literal", "typed-literal"}:
        dt = term.get("datatype")
        if dt in {XSD + "integer", XSD + "int", XSD + "long"}:
            return int(term["value"])
        if dt == XSD + "boolean":
            return term["value"] in {"true", "1"}
    return term["value"]


def _rows(data: bytes) -> list[dict[str, Any]]:
    try:
        doc = json.loads(data)
    except ValueError as e:
        raise EndpointError(f"the endpoint did not answer SPARQL JSON results ({e})") from None
    names = doc.get("head", {}).get("vars", [])
    return [{n: _value(b.get(n)) for n in names} for b in doc.get("results", {}).get("bindings", [])]


# Public API --------------------------------------------------------------------------------------


def push(store: Any, url: str) -> dict[str, int]:
    """Copy every named graph of the built *store* (a path or ``pyoxigraph.Store``) to the endpoint *url*.

    One SPARQL Update request per graph drops the endpoint's copy and inserts
    the local one, so pushing twice leaves the same triples.  Graphs on the
    endpoint that the store does not have are left alone.  Returns
    ``{"graphs": n, "triples": m}``.
    """
    import pyoxigraph as ox

    from kg.stores.rdf import export

    by_graph: dict[str, list[Any]] = {}
    for q in ox.parse(export(store, "nq"), format=ox.RdfFormat.N_QUADS):
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph.setdefault(q.graph_name.value, []).append(q.triple)
    for name, triples in by_graph.items():
        graph = sparql_iri(name)
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        _update(url, f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}}} }}\n")
    return {"graphs": len(by_graph), "triples": sum(map(len, by_graph.values()))}


def select(url: str, query: str, runs: list[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Rows of a SELECT *query* on the endpoint, one ``VALUES`` row per binding set of *runs*."""
    text = inject_values(query, list(runs or []))
    _, data = _post_query(url, text, _dataset(url))
    return _rows(data)


def agencies(url: str) -> list[Agency]:
    """Every agency on the endpoint, as :func:`kg.stores.rdf.agencies` lists them from a store."""
    from kg.stores.rdf import AGENCIES_QUERY

    return [
        Agency(r["id"], r["name"], r["name_en"], r["kind"], bool(r["recognised"]), r["jurisdiction"])
        for r in select(url, AGENCIES_QUERY)
    ]


class EndpointBackend:
    """A SPARQL 1.1 endpoint as a :class:`kg.stores.Backend`: an agency parameter's ids go in one ``VALUES``
    block (one row each), and the query's own ``ORDER BY`` merges their rows."""

    dialect = "sparql"
    lists = True

    def __init__(self, url: str) -> None:
        self.url = url

    def rows(self, query: Any, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        from kg.stores.rdf import sparql_bindings

        return select(self.url, query.sparql, [r for r in sparql_bindings(query, bindings) if r])

    def agencies(self) -> list[Agency]:
        return agencies(self.url)


def run_named(name: str, params: Mapping[str, Any], *, url: str) -> list[dict[str, Any]]:
    """Answer the named query *name* on the endpoint (:func:`kg.stores.runner.run`): the rows of
    :func:`kg.stores.rdf.run_named`."""
    from kg.stores.runner import run

    return run(EndpointBackend(url), name, params)


def sparql(text: str, *, url: str) -> list[dict[str, Any]] | bool | str:
    """Any query on the endpoint (the project's prefixes predeclared): SELECT rows, ASK bool, else RDF text."""
    # One line, so the line numbers of a syntax error are those of *text*.
    prologue = "".join(f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items())
    headers, data = _post_query(url, prologue + text, _dataset(url))
    if "json" not in headers.get("Content-Type", ""):
        return data.decode("utf-8")
    doc = json.loads(data)
    if "boolean" in doc:
        return bool(doc["boolean"])
    return _rows(data)


def graphs(url: str) -> list[str]:
    """The IRIs of this project's named graphs on the endpoint."""
    return [str(r["g"]) for r in _rows(_post_query(url, _GRAPHS, [])[1])]


def count(url: str) -> int:
    """The number of triples in this project's named graphs on the endpoint."""
    text = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(STRSTARTS(STR(?g), {sparql_term(GRAPH_BASE)})) }}"
    )
    return int(_rows(_post_query(url, text, [])[1])[0]["n"])


__all__ += ["GRAPH_BASE", "count", "graphs", "select", "values_block"]
