"""How the explorer answers a request: a page from its Jinja2 template (autoescaped: plan text is
text), a page's table as CSV or JSON (``format=csv|json&table=NAME``), an error as a page or as JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from kg.explorer.data import Table, cell_text
from kg.explorer.urls import agency_url

HERE = Path(__file__).resolve().parent


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


def _one_line(e: BaseException) -> str:
    text = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
    return " ".join(text.split())


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, default=str), status_code=status, media_type="application/json"
    )
