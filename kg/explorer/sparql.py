"""The SPARQL 1.1 Protocol over the read-only store: queries by GET or POST, updates refused (403).

Results: SELECT and ASK as SPARQL JSON, CSV or TSV (``Accept`` header, or ``format=json|csv|tsv``);
CONSTRUCT and DESCRIBE as Turtle or N-Triples (``format=ttl|nt``).  The default graph is the union
of the store's graphs, as ``kg sparql`` queries it, with the project's prefixes predeclared.
Without a query (or with ``format=html``), GET shows the query page: a plain editor seeded with the
named queries and, for a query, its answer as a table (:func:`answer_table`).

>>> _result_format("text/csv", None, graph=False) == ox.QueryResultsFormat.CSV
True
>>> _result_format("*/*", "nt", graph=True) == ox.RdfFormat.N_TRIPLES
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

__all__ = ["MAX_ROWS", "TableAnswer", "answer_table", "sparql_endpoint", "wants_page"]

_RESULTS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv; charset=utf-8"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values; charset=utf-8"),
}
_GRAPHS = {
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
}
_ACCEPT = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "ttl",
    "application/n-triples": "nt",
}
_UPDATE_TYPES = {"application/sparql-update"}


def _wanted(accept: str, fmt: str | None) -> list[str]:
    """Format names in order of preference: ``format=`` first, then the Accept header's media types."""
    out = [fmt.lower()] if fmt else []
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in _ACCEPT:
            out.append(_ACCEPT[media])
    return out


def _result_format(accept: str, fmt: str | None, *, graph: bool) -> Any:
    table = _GRAPHS if graph else _RESULTS
    for name in _wanted(accept, fmt):
        if name in table:
            return table[name][0]
    return next(iter(table.values()))[0]


def _media(fmt: Any) -> str:
    for table in (_RESULTS, _GRAPHS):
        for f, media in table.values():
            if f == fmt:
                return media
    return "application/octet-stream"


async def _read(request: Request) -> tuple[str | None, str | None, str | None]:
    """(query, update, format) from the request, as the protocol sends them."""
    if request.method == "GET":
        p = request.query_params
        return p.get("query"), p.get("update"), p.get("format")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype in _UPDATE_TYPES:
        return None, (await request.body()).decode("utf-8", "replace"), None
    if ctype == "application/sparql-query":
        return (await request.body()).decode("utf-8", "replace"), None, request.query_params.get("format")
    # application/x-www-form-urlencoded, read here (Starlette's form parser needs python-multipart).
    form = {k: v[-1] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
    fmt = form.get("format") or request.query_params.get("format")
    return form.get("query"), form.get("update"), fmt


def wants_page(method: str, params: Mapping[str, str]) -> bool:
    """True when a request to ``/sparql`` asks for the query page rather than the protocol: a GET with
    neither query nor update, with ``format=html``, or for one of the page's tables (``table=``).

    >>> wants_page("GET", {}), wants_page("GET", {"query": "ASK {}"}), wants_page("GET", {"update": "x"})
    (True, False, False)
    >>> wants_page("GET", {"query": "ASK {}", "format": "html"}), wants_page("POST", {})
    (True, False)
    """
    if method != "GET":
        return False
    if params.get("format") == "html" or "table" in params:
        return True
    return not params.get("query") and params.get("update") is None


async def sparql_endpoint(request: Request) -> Response:
    """The SPARQL protocol: SELECT/ASK/CONSTRUCT/DESCRIBE answered, updates refused (403)."""
    from starlette.concurrency import run_in_threadpool

    from kg.rdf.plan import PREFIXES
    from kg.stores.service import uses_service

    query, update, fmt = await _read(request)
    if update is not None:
        return PlainTextResponse("this endpoint is read-only: SPARQL updates are refused\n", status_code=403)
    if not query:
        return PlainTextResponse(
            "no query: send query=… (or an application/sparql-query body)\n", status_code=400
        )
    store = request.app.state.explorer.store
    if uses_service(query, PREFIXES):  # the explorer never makes a request beyond 127.0.0.1
        return PlainTextResponse(
            "this endpoint calls no other server: a SERVICE clause is refused\n", status_code=403
        )

    def run() -> Response:
        try:
            result = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
        except SyntaxError as e:
            text = " ".join(str(e).split())
            status = 403 if _looks_like_update(query) else 400
            return PlainTextResponse(f"SPARQL: {text}\n", status_code=status)
        accept = request.headers.get("accept", "")
        if isinstance(result, ox.QueryTriples):
            out = _result_format(accept, fmt, graph=True)
            return Response(result.serialize(format=out), media_type=_media(out))
        out = _result_format(accept, fmt, graph=False)
        return Response(result.serialize(format=out), media_type=_media(out))

    return await run_in_threadpool(run)


def _looks_like_update(text: str) -> bool:
    """True when *text* is an update sent as a query (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE…).

    >>> _looks_like_update("PREFIX a: <x:>\\nINSERT DATA { a:s a:p a:o }"), _looks_like_update("SELECT * {}")
    (True, False)
    """
    import re

    body = re.sub(r"(?im)^\s*(PREFIX|BASE)\s+[^\n]*$", "", re.sub(r"#[^\n]*", "", text))
    return bool(re.match(r"\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", body, re.I))


# The page's table holds at most this many rows (the protocol answers every row).
MAX_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class TableAnswer:
    """A query's answer as a table: SELECT's variables, ASK's one ``ask`` cell, CONSTRUCT's triples."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    truncated: bool  # more than MAX_ROWS rows: the first are kept


def answer_table(store: Any, text: str) -> TableAnswer:
    """*text* run on *store* (union default graph, the project's prefixes) as a table of text cells.

    Raises ``SyntaxError`` for a query that does not parse, :class:`PermissionError` for an update.

    >>> s = ox.Store()
    >>> s.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("Sở", language="vi")))
    >>> answer_table(s, "SELECT ?o WHERE { ?s ?p ?o }").rows
    ({'o': 'Sở'},)
    >>> answer_table(s, "ASK { ?s ?p 'x' }").rows, answer_table(s, "CONSTRUCT WHERE { ?s ?p ?o }").columns
    (({'ask': 'false'},), ('subject', 'predicate', 'object'))
    """
    from kg.rdf.plan import PREFIXES
    from kg.stores.service import uses_service

    if _looks_like_update(text):
        raise PermissionError("this endpoint is read-only: SPARQL updates are refused")
    if uses_service(text, PREFIXES):
        raise PermissionError("this endpoint calls no other server: a SERVICE clause is refused")
    result = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    if isinstance(result, ox.QueryBoolean):
        return TableAnswer(("ask",), ({"ask": "true" if bool(result) else "false"},), False)
    if isinstance(result, ox.QueryTriples):
        columns: tuple[str, ...] = ("subject", "predicate", "object")
        items = ({"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in result)
    else:
        columns = tuple(v.value for v in result.variables)
        items = ({c: s[c] for c in columns} for s in result)
    rows = []
    for item in items:
        if len(rows) == MAX_ROWS:
            return TableAnswer(columns, tuple(rows), True)
        rows.append({c: term_text(v) for c, v in item.items()})
    return TableAnswer(columns, tuple(rows), False)


def term_text(term: Any) -> str:
    """An RDF term as a table cell: an IRI or a literal's value, a blank node as ``_:id``, unbound empty.

    >>> term_text(ox.NamedNode("urn:x")), term_text(ox.Literal("1")), term_text(ox.BlankNode("b")), term_text(None)
    ('urn:x', '1', '_:b', '')
    """
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def examples() -> list[dict[str, str]]:
    """The named queries' SPARQL, to seed the editor.  ``kg query`` binds their parameters (``?as_of``,
    an agency's ids…); run here as written, a parameter left unbound takes the query's own default or
    matches every value."""
    from queries import registry

    return [
        {"name": q.name, "description": q.description, "text": q.sparql or ""}
        for q in registry().values()
        if q.sparql
    ]
