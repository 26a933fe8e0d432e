"""The explorer's web app (Starlette): pages, the JSON API and the SPARQL 1.1 Protocol over a store.

Read-only: the store is opened with ``pyoxigraph.Store.read_only`` and SPARQL updates are refused
(403).  Every page is a Jinja2 template with autoescaping, every script and style is served from
``kg/explorer/static`` and the Content-Security-Policy header forbids anything else, so text read
from a plan is shown as text, never run.

Each table of a page is offered as CSV and JSON: the page's URL with ``format=csv|json&table=NAME``.

>>> print(CSP.split("; ")[0])
default-src 'self'
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.explorer.data import Explorer, Table, cell_text
from kg.explorer.urls import agency_url, iri_url, plan_url, task_url

__all__ = ["CSP", "create_app"]

HERE = Path(__file__).resolve().parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
ROLE_NAMES = {
    "lead": "Lead (chủ trì)",
    "directing": "Directing (chỉ đạo)",
    "coordinating": "Coordinating (phối hợp)",
}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every {{ }} is escaped: plan text is text
    undefined=jinja2.StrictUndefined,
)


class SecurityHeaders:
    """ASGI middleware: the CSP and no-sniff headers on every answer, and a ``Server-Timing`` header
    (the time the server took to start answering, which the browser's performance entries show next
    to its own: ``bench/explorer.py`` reads both)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"server-timing", f"app;dur={took:.1f}".encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Rendering ---------------------------------------------------------------------------------------


def _page(
    request: Request, template: str, tables: list[Table] | None = None, status: int = 200, **context: Any
) -> Response:
    """The page, or one of its tables as CSV/JSON when the URL asks (``format=csv|json&table=NAME``)."""
    tables = tables or []
    fmt = request.query_params.get("format")
    if fmt in {"csv", "json"}:
        wanted = request.query_params.get("table") or (tables[0].name if tables else "")
        table = next((t for t in tables if t.name == wanted), None)
        if table is None:
            return PlainTextResponse(f"no table {wanted!r} on this page", status_code=404)
        return table_response(table, fmt)
    exports = {t.name: _export_links(request, t.name) for t in tables}
    if "graph_node" in context:
        context["graph_preload"] = graph_url(context["graph_node"], context.get("graph_as_of") or "")
    html = _env.get_template(template).render(
        tables={t.name: t for t in tables},
        exports=exports,
        role_names=ROLE_NAMES,
        request_path=request.url.path,
        cypher_on=getattr(request.app.state, "cypher", None) is not None,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def graph_url(node: str, as_of: str = "") -> str:
    """The neighbourhood the page's script asks for first (2 hops, collectives on), written as the script
    writes it (``URLSearchParams``), so that the page's ``<link rel=preload>`` answers the script's fetch:
    the server works the neighbourhood out while the browser is still reading the page.

    >>> graph_url("agency:ha-noi/sở nội vụ")
    '/api/graph?node=agency%3Aha-noi%2Fs%E1%BB%9F+n%E1%BB%99i+v%E1%BB%A5&hops=2&collectives=1'
    """
    params = {"node": node, "hops": "2", "collectives": "1"}
    if as_of:
        params["as_of"] = as_of
    return "/api/graph?" + urlencode(params, safe="*")


def _export_links(request: Request, name: str) -> dict[str, str]:
    params = {k: v for k, v in request.query_params.items() if k not in {"format", "table"}}
    return {
        fmt: request.url.path + "?" + urlencode({**params, "format": fmt, "table": name})
        for fmt in ("csv", "json")
    }


def table_response(table: Table, fmt: str) -> Response:
    """A table as CSV (text cells, lists joined with "; ") or JSON (the rows' own values)."""
    if fmt == "json":
        rows = [{c: r.get(c) for c in table.columns} for r in table.rows]
        return Response(
            json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n", media_type="application/json"
        )
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.columns)
    for r in table.rows:
        w.writerow([cell_text(r.get(c)) for c in table.columns])
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{table.name}.csv"'},
    )


def _error(request: Request, message: str, status: int = 400) -> Response:
    return _page(request, "error.html", status=status, message=message)


def _agency_link(key: str = "id") -> Callable[[Mapping[str, Any]], str | None]:
    return lambda r: agency_url(r[key]) if r.get(key) else None


# Pages -------------------------------------------------------------------------------------------


def home(request: Request) -> Response:
    ex: Explorer = request.app.state.explorer
    # The reference answers of kg.graph.metrics over the graph read at start: the named queries' rows,
    # without a store-wide query per page view.
    from kg.graph import metrics

    busiest = ex.agency_load()[:15]
    ahead = ex.deadlines_ahead(date.today())
    plans = metrics.plan_summary(ex.G)
    tables = [
        Table(
            "busiest",
            ("agency", "jurisdiction", "lead", "coordinating", "total"),
            tuple(busiest),
            {"agency": _agency_link()},
        ),
        Table(
            "deadlines",
            ("due", "task", "title", "agency", "role", "plan"),
            tuple({**r, "plan_id": r["plan"]} for r in ahead),
            {"task": lambda r: task_url(r["plan"], r["task"]), "plan": lambda r: plan_url(r["plan"])},
        ),
        Table(
            "plans",
            ("plan", "type", "number", "issuer", "date", "tasks", "agencies"),
            tuple(plans),
            {"plan": lambda r: plan_url(r["plan"])},
        ),
    ]
    return _page(request, "home.html", tables, summary=ex.summary(), store=str(ex.path))


def search(request: Request) -> Response:
    ex: Explorer = request.app.state.explorer
    q = request.query_params.get("q", "").strip()
    hits = ex.search(q) if q else []
    rows = tuple(
        {"kind": h.kind, "name": h.title, "detail": h.detail, "jurisdiction": h.jurisdiction, "url": h.url}
        for h in hits
    )
    table = Table("results", ("kind", "name", "detail", "jurisdiction"), rows, {"name": lambda r: r["url"]})
    return _page(request, "search.html", [table], q=q)


def api_search(request: Request) -> Response:
    ex: Explorer = request.app.state.explorer
    q = request.query_params.get("q", "").strip()
    hits = [
        {"kind": h.kind, "name": h.title, "detail": h.detail, "jurisdiction": h.jurisdiction, "url": h.url}
        for h in (ex.search(q) if q else [])
    ]
    return _json({"q": q, "results": hits})


def agency(request: Request) -> Response:
    from kg.graph.reorg import agency_history
    from kg.model.lookup import NoAgency
    from kg.query_params import ParamError

    ex: Explorer = request.app.state.explorer
    agency_id = request.path_params["id"]
    node = ex.agency_node(agency_id)
    if node is None:
        return _error(request, f"no agency {agency_id!r} in this store", 404)
    as_of = request.query_params.get("as_of") or None
    try:
        record = ex.agency_record(agency_id, as_of=as_of)
    except (ParamError, NoAgency, LookupError) as e:
        return _error(request, str(e))
    tables = []
    for role in ("lead", "directing", "coordinating"):
        rows = tuple(
            {"task": t.task, "title": t.title, "group": t.group, "deadline": t.deadline, "plan": t.plan}
            for t in record.tasks[role]
        )
        tables.append(Table(role, ("task", "title", "group", "deadline", "plan"), rows, _task_links()))
    plans = sorted({t.plan for ts in record.tasks.values() for t in ts})
    tables.append(
        Table("plans", ("plan",), tuple({"plan": p} for p in plans), {"plan": lambda r: plan_url(r["plan"])})
    )
    tables.append(
        Table(
            "partners",
            ("name", "tasks", "id"),
            tuple({"name": p.name, "tasks": p.tasks, "id": p.id} for p in record.partners),
            {"name": _agency_link()},
        )
    )
    history = agency_history(agency_id)
    tables.append(
        Table(
            "reorganisation",
            ("date", "change", "from", "into", "functions", "legal_basis", "confirmed", "sources"),
            tuple(history),
        )
    )
    return _page(
        request,
        "agency.html",
        tables,
        agency=node,
        record=record,
        as_of=as_of or "",
        graph_node=f"agency:{agency_id}",
        graph_as_of=as_of or "",
    )


def _task_links() -> dict[str, Callable[[Mapping[str, Any]], str | None]]:
    return {"task": lambda r: task_url(r["plan"], r["task"]), "plan": lambda r: plan_url(r["plan"])}


def task(request: Request) -> Response:
    ex: Explorer = request.app.state.explorer
    plan_id = request.query_params.get("plan", "")
    task_id = request.query_params.get("id", "")
    t = ex.task(plan_id, task_id)
    if t is None:
        return _error(request, f"no task {task_id!r} in plan {plan_id!r}", 404)
    tables = [
        Table(
            "roles",
            ("role", "agency", "jurisdiction", "as_printed"),
            tuple(t["roles"]),
            {"agency": _agency_link()},
        ),
        Table("source", ("line", "text"), tuple(t["source_lines"])),
        Table("body", ("section", "kind", "text"), tuple(t["body"])),
        Table("findings", ("kind", "message"), tuple(t["findings"])),
    ]
    plan = ex.G.nodes.get(f"document:{plan_id}", {})
    return _page(
        request,
        "task.html",
        tables,
        task=t,
        plan=plan,
        plan_href=plan_url(plan_id),
        graph_node=f"task:{plan_id}#{task_id}",
    )


def plan(request: Request) -> Response:
    ex: Explorer = request.app.state.explorer
    plan_id = request.path_params["id"]
    node = ex.plan_node(plan_id)
    if node is None:
        return _error(request, f"no plan {plan_id!r} in this store", 404)
    from kg.graph import metrics

    chain = metrics.document_chain(ex.G, plan_id)
    standing = [r for r in metrics.standing_agency(ex.G) if r["plan"] == plan_id]
    audit = [r for r in metrics.audit_findings(ex.G) if r["plan"] == plan_id]
    tasks = ex.plan_tasks(plan_id)
    groups = list(dict.fromkeys(t["group"] for t in tasks if t["group"]))
    tables = [
        Table(
            "chain",
            ("level", "document", "type", "number", "date", "issuer"),
            tuple(chain),
            {"document": lambda r: plan_url(r["document"]) if ex.plan_node(r["document"]) else None},
        ),
        Table(
            "below",
            ("plan", "type", "title"),
            tuple(ex.plans_below(plan_id)),
            {"plan": lambda r: plan_url(r["plan"])},
        ),
        Table(
            "tasks",
            ("task", "group", "title", "lead", "deadline"),
            tuple({**r, "plan": plan_id} for r in tasks),
            {"task": lambda r: task_url(r["plan"], r["task"])},
        ),
        Table("standing", ("agency", "jurisdiction", "section"), tuple(standing)),
        Table("audit", ("kind", "appendix", "section", "message"), tuple(audit)),
    ]
    return _page(request, "plan.html", tables, plan=node, groups=groups, graph_node=f"document:{plan_id}")


def queries_page(request: Request) -> Response:
    from queries import registry

    named = [q for q in registry().values() if q.sparql]
    rows = tuple(
        {
            "name": q.name,
            "description": q.description,
            "params": [p.name for p in q.params],
            "returns": list(q.returns),
        }
        for q in named
    )
    table = Table(
        "queries",
        ("name", "description", "params", "returns"),
        rows,
        {"name": lambda r: f"/queries/{r['name']}"},
    )
    return _page(request, "queries.html", [table], queries=named)


def query_page(request: Request) -> Response:
    from queries import registry

    ex: Explorer = request.app.state.explorer
    name = request.path_params["name"]
    q = registry().get(name)
    if q is None or not q.sparql:
        return _error(request, f"no named query {name!r}", 404)
    params = _query_params(request)
    error = None
    rows: list[dict[str, Any]] = []
    # Run on request only: a store-wide query (co-responsibility) takes seconds on a large store.
    ran = "run" in request.query_params or bool(params)
    if ran:
        try:
            rows = ex.run(name, params)
        except Exception as e:  # a parameter the user typed: shown on the page, one line
            error, ran = _one_line(e), False
    table = Table("rows", tuple(q.returns), tuple(rows), _query_links(q.returns))
    return _page(request, "query.html", [table] if ran else [], query=q, values=params, error=error, ran=ran)


def _query_links(columns: tuple[str, ...]) -> dict[str, Callable[[Mapping[str, Any]], str | None]]:
    links: dict[str, Callable[[Mapping[str, Any]], str | None]] = {}
    if "plan" in columns:
        links["plan"] = lambda r: plan_url(r["plan"]) if r.get("plan") else None
    if "task" in columns and "plan" in columns:
        links["task"] = lambda r: task_url(r["plan"], r["task"]) if r.get("task") else None
    if "agency" in columns and "id" in columns:
        links["agency"] = _agency_link()
    return links


def _query_params(request: Request) -> dict[str, str]:
    """The query-string parameters a named query takes (empty ones and the page's own left out)."""
    own = {"format", "table", "run"}
    return {k: v for k, v in request.query_params.items() if k not in own and v != ""}


def _one_line(e: BaseException) -> str:
    text = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
    return " ".join(text.split())


def api_query(request: Request) -> Response:
    """What ``kg query NAME --format json`` prints, byte for byte; errors as ``{"error": ...}`` (400/404)."""
    from kg.model.output import to_json
    from queries import registry

    ex: Explorer = request.app.state.explorer
    name = request.path_params["name"]
    q = registry().get(name)
    if q is None or not q.sparql:
        return _json({"error": f"no named query {name!r}"}, 404)
    try:
        rows = ex.run(name, dict(request.query_params))
    except Exception as e:
        return _json({"error": _one_line(e)}, 400)
    return Response(to_json(rows), media_type="application/json")


def api_graph(request: Request) -> Response:
    """The neighbourhood of ``node`` (``agency:ID``, ``task:PLAN#ID``, ``document:ID``), laid out."""
    ex: Explorer = request.app.state.explorer
    p = request.query_params
    try:
        data = ex.neighbourhood(
            p.get("node", ""),
            hops=int(p.get("hops", "1") or 1),
            collectives=p.get("collectives", "1") not in {"0", "false", "off", ""},
            as_of=p.get("as_of") or None,
        )
    except (ValueError, LookupError) as e:
        return _json({"error": _one_line(e)}, 400)
    if data is None:
        return _json({"error": "no such node"}, 404)
    return _json(data)


def agencies_page(request: Request) -> Response:
    """The agency view (drawn by the page's script from ``/api/agencies``) and its agencies and links as tables."""
    ex: Explorer = request.app.state.explorer
    p = request.query_params
    collectives = p.get("collectives", "0") not in {"0", "false", "off", ""}
    try:
        view = ex.agency_view(collectives=collectives, as_of=p.get("as_of") or None)
    except (ValueError, LookupError) as e:
        return _error(request, _one_line(e))
    names = {n["id"]: n for n in view["nodes"]}
    agencies = tuple(
        {
            "agency": ex.G.nodes[n["id"]]["name"],
            "jurisdiction": ex.G.nodes[n["id"]].get("jurisdiction") or "Việt Nam",
            "tasks": n["tasks"],
            "id": n["id"].removeprefix("agency:"),
        }
        for n in view["nodes"]
    )
    links = tuple(
        {
            "agency_a": ex.G.nodes[e["source"]]["name"],
            "agency_b": ex.G.nodes[e["target"]]["name"],
            "shared_tasks": e["weight"],
            "id_a": e["source"].removeprefix("agency:"),
            "id_b": e["target"].removeprefix("agency:"),
        }
        for e in sorted(view["edges"], key=lambda e: (-e["weight"], e["source"], e["target"]))
        if e["source"] in names and e["target"] in names
    )
    tables = [
        Table("agencies", ("agency", "jurisdiction", "tasks", "id"), agencies, {"agency": _agency_link()}),
        Table(
            "links",
            ("agency_a", "agency_b", "shared_tasks", "id_a", "id_b"),
            links,
            {"agency_a": _agency_link("id_a"), "agency_b": _agency_link("id_b")},
        ),
    ]
    return _page(request, "agencies.html", tables, as_of=p.get("as_of", ""), collectives=collectives)


def api_agencies(request: Request) -> Response:
    """The agency-to-agency view of the whole store, laid out."""
    ex: Explorer = request.app.state.explorer
    p = request.query_params
    try:
        data = ex.agency_view(
            collectives=p.get("collectives", "0") not in {"0", "false", "off", ""},
            as_of=p.get("as_of") or None,
        )
    except (ValueError, LookupError) as e:
        return _json({"error": _one_line(e)}, 400)
    return _json(data)


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, default=str), status_code=status, media_type="application/json"
    )


# The app -----------------------------------------------------------------------------------------


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
    from kg.stores.neo4j import WriteRefused
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


def _warm_up() -> None:
    """Import what the pages use and compile every template now, at start: the first page opened
    would otherwise pay for it (about a second on a loaded machine)."""
    import kg.api
    import kg.graph.metrics
    import kg.model.lookup
    import kg.model.output
    import kg.query_params  # noqa: F401
    from kg.graph.reorg import agency_history
    from queries import registry

    registry()
    agency_history("")  # reads the 2025 reorganisation's events, once
    for name in _env.list_templates():
        _env.get_template(name)


def create_app(store: Path | str, explorer: Explorer | None = None, cypher: Any = None) -> Starlette:
    """The explorer over the store at *store*, opened read-only once; with *cypher* (a
    :class:`kg.explorer.cypher.CypherConsole`), a Cypher page on its Neo4j server too."""
    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/api/search", api_search),
        Route("/agency/{id:path}", agency),
        Route("/task", task),
        Route("/plan/{id:path}", plan),
        Route("/queries", queries_page),
        Route("/queries/{name}", query_page),
        Route("/api/query/{name}", api_query),
        Route("/api/graph", api_graph),
        Route("/agencies", agencies_page),
        Route("/api/agencies", api_agencies),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/cypher", cypher_page),
        Route(
            "/favicon.ico", lambda request: Response(status_code=204)
        ),  # browsers ask; no 404 in the console
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.explorer = explorer or Explorer(store)
    _warm_up()
    app.state.cypher = cypher
    app.add_middleware(SecurityHeaders)
    return app
