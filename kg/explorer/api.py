"""The explorer's JSON API: search, named queries (as ``kg query NAME --format json`` prints them), a
node's neighbourhood and the agency view, each laid out for the page's script.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kg.explorer.data import Explorer
from kg.explorer.render import _json, _one_line


def api_search(request: Request) -> Response:
    ex: Explorer = request.app.state.explorer
    q = request.query_params.get("q", "").strip()
    hits = [
        {"kind": h.kind, "name": h.title, "detail": h.detail, "jurisdiction": h.jurisdiction, "url": h.url}
        for h in (ex.search(q) if q else [])
    ]
    return _json({"q": q, "results": hits})


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
