"""The explorer's query consoles: the SPARQL 1.1 Protocol and the SPARQL page over the store
(:mod:`kg.explorer.sparql`), and the read-only Cypher page on a Neo4j server (:mod:`kg.explorer.cypher`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kg.explorer.data import Explorer, Table
from kg.explorer.render import _error, _one_line, _page
from kg.explorer.urls import iri_url


async def sparql(request: Request) -> Response:
    """The SPARQL protocol (:mod:`kg.explorer.sparql`), or the query page when the request asks for it."""
    from starlette.concurrency import run_in_threadpool

    from kg.explorer.sparql import sparql_endpoint, wants_page

    if wants_page(request.method, request.query_params):
        return await run_in_threadpool(sparql_page, request)
    return await sparql_endpoint(request)


DEFAULT_SPARQL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"


def sparql_page(request: Request) -> Response:
    """The editor (seeded with a named query by ``example=NAME``) and, for ``query=``, its answer as a table."""
    from kg.explorer.sparql import MAX_ROWS, answer_table, examples

    ex: Explorer = request.app.state.explorer
    p = request.query_params
    named = examples()
    chosen = next((e for e in named if e["name"] == p.get("example")), None)
    text = p.get("query") or (chosen["text"] if chosen else DEFAULT_SPARQL)
    tables: list[Table] = []
    error, status, truncated = None, 200, False
    if p.get("query"):
        try:
            answer = answer_table(ex.store, text)
        except PermissionError as e:
            error, status = str(e), 403
        except SyntaxError as e:
            error, status = "SPARQL: " + _one_line(e), 400
        else:
            links = {c: _iri_link(ex, c) for c in answer.columns}
            tables = [Table("results", answer.columns, answer.rows, links)]
            truncated = answer.truncated
    return _page(
        request,
        "sparql.html",
        tables,
        status=status,
        examples=named,
        chosen=chosen["name"] if chosen else "",
        text=text,
        error=error,
        truncated=truncated,
        max_rows=MAX_ROWS,
    )


def _iri_link(ex: Explorer, column: str) -> Callable[[Mapping[str, Any]], str | None]:
    return lambda r: iri_url(ex.G, r.get(column) or "")


def cypher_page(request: Request) -> Response:
    """Cypher on the configured Neo4j server (``kg serve --neo4j``), read-only: the editor, seeded with
    the named queries (``example=NAME``), and for ``query=`` the rows as a table."""
    from kg.explorer.cypher import MAX_ROWS, TIMEOUT_S, example, parse_params
    from kg.query_params import ParamError
    from kg.stores import StoreError
    from kg.stores.neo4j import FetchRefused, WriteRefused
    from queries import registry

    console = getattr(request.app.state, "cypher", None)
    if console is None:
        return _error(request, "no Neo4j server: start the explorer with kg serve --neo4j (NEO4J_URI …)", 404)
    ex: Explorer = request.app.state.explorer
    p = request.query_params
    busiest = ex.agency_load()[:1]
    named = [example(q, busiest[0]["id"] if busiest else None) for q in registry().values() if q.cypher]
    chosen = next((e for e in named if e["name"] == p.get("example")), None)
    if p.get("query"):
        text, params = p["query"], p.get("params", "")
    elif chosen:
        text, params = chosen["text"], chosen["params"]
    else:
        text, params = (
            "MATCH (a:Agency)-[:LEADS]->(t:Task)\nRETURN a.name AS agency, count(t) AS tasks\nORDER BY tasks DESC LIMIT 20",
            "",
        )
    tables: list[Table] = []
    error, status, truncated = None, 200, False
    if p.get("query"):
        try:
            result = console.run(text, parse_params(params))
        except ParamError as e:
            error, status = str(e), 400
        except FetchRefused as e:
            error, status = f"read-only: {e}", 403
        except WriteRefused:
            error, status = (
                "read-only: the query writes, and the server refused it in a read transaction",
                403,
            )
        except StoreError as e:
            error, status = str(e), 400
        else:
            tables = [Table("rows", result.columns, result.rows)]
            truncated = result.truncated
    return _page(
        request,
        "cypher.html",
        tables,
        status=status,
        examples=named,
        chosen=chosen["name"] if chosen else "",
        text=text,
        params=params,
        error=error,
        truncated=truncated,
        max_rows=MAX_ROWS,
        timeout_s=int(TIMEOUT_S),
        server=console.settings,
    )
