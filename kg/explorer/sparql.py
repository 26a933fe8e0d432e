"""The SPARQL 1.1 Protocol over the read-only store: queries by GET or POST, updates refused (403).

Results: SELECT and ASK as SPARQL JSON, CSV or TSV (``Accept`` header, or ``format=json|csv|tsv``);
CONSTRUCT and DESCRIBE as Turtle or N-Triples (``format=ttl|nt``).  The default graph is the union
of the store's graphs, as ``kg sparql`` queries it, with the project's prefixes predeclared.
Without a query, GET shows a plain editor seeded with the named queries.

>>> _result_format("text/csv", None, graph=False) == ox.QueryResultsFormat.CSV
True
>>> _result_format("*/*", "nt", graph=True) == ox.RdfFormat.N_TRIPLES
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

__all__ = ["sparql_endpoint"]

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


async def sparql_endpoint(request: Request, form: Callable[[list[dict]], Response]) -> Response:
    """The SPARQL protocol; a GET without a query gets *form* (the page to write one, given the examples)."""
    from starlette.concurrency import run_in_threadpool

    from kg.rdf.plan import PREFIXES

    query, update, fmt = await _read(request)
    if update is not None:
        return PlainTextResponse("this endpoint is read-only: SPARQL updates are refused\n", status_code=403)
    if not query:
        if request.method == "GET":
            return form(_examples())
        return PlainTextResponse(
            "no query: send query=… (or an application/sparql-query body)\n", status_code=400
        )
    store = request.app.state.explorer.store

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


def _examples() -> list[dict[str, str]]:
    """The named queries' SPARQL, to seed the editor (their parameters are bound, not spliced)."""
    from queries import registry

    return [{"name": q.name, "text": q.sparql or ""} for q in registry().values() if q.sparql]
