"""The explorer's web app (Starlette): pages, the JSON API and the SPARQL 1.1 Protocol over a store.

Read-only: the store is opened with ``pyoxigraph.Store.read_only`` and SPARQL updates are refused
(403).  Every page is a Jinja2 template with autoescaping, every script and style is served from
``kg/explorer/static`` and the Content-Security-Policy header forbids anything else, so text read
from a plan is shown as text, never run.

Each table of a page is offered as CSV and JSON: the page's URL with ``format=csv|json&table=NAME``.

This module holds the pages and the app; :mod:`kg.explorer.render` answers with a template or a
table, :mod:`kg.explorer.api` holds the JSON API and :mod:`kg.explorer.consoles` the SPARQL and
Cypher handlers.

>>> print(CSP.split("; ")[0])
default-src 'self'
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.explorer.api import api_agencies, api_graph, api_query, api_search
from kg.explorer.consoles import cypher_page, sparql
from kg.explorer.data import Explorer, Table
from kg.explorer.render import HERE, _agency_link, _env, _error, _one_line, _page
from kg.explorer.urls import plan_url, task_url

__all__ = ["CSP", "create_app"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
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


# Pages -------------------------------------------------------------------------------------------


def home(request: Request) -> Response:
    ex: Explorer = request.app.state.explorer
    # The reference answers of kg.graph.metrics over the graph read at start: the named queries' rows,
    # without a store-wide query per page view, worked out once.
    shown = ex.home(date.today())
    busiest, ahead, plans = shown["busiest"], shown["deadlines"], shown["plans"]
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
    return _page(request, "home.html", tables, summary=shown["summary"], store=str(ex.path))


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


# The app -----------------------------------------------------------------------------------------


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
