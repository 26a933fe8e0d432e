"""The responsibility network as an interactive page: a pyvis/vis-network graph, one offline file.

Two views of the graph of :func:`kg.graph.network.build_graph`:

* ``tasks``: agencies and tasks, an edge per role (lead, directing,
  coordinating) from the agency to the task;
* ``agencies``: agencies only, two agencies linked by the tasks they share
  (:func:`kg.graph.metrics.agency_projection`), the edge weighted by their number.

Agencies are coloured by kind and sized by load (tasks in any role, as
:func:`kg.graph.metrics.agency_load` counts them); tasks are squares apart.
Positions are computed here (:mod:`viz.layout`) and physics is off, so a
large graph is drawn at once instead of being simulated.

>>> from loaders import read_plan
>>> from kg.graph.network import build_graph
>>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> data = network_data(G)
>>> len(data.nodes), len(data.edges)  # 20 agencies and collectives + 30 tasks, 72 role edges
(50, 72)
>>> home = next(n for n in data.nodes if n["label"] == "Sở Nội vụ")
>>> print(home["title"])
Sở Nội vụ
Department of Home Affairs
department · Hà Nội
led 7 · directed 0 · coordinated 0 · 7 tasks
>>> len(network_data(G, view="agencies").nodes)  # collectives left out, as in the load ranking
16
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from kg.graph import metrics
from kg.model import NATIONAL, ExtractResult
from viz import layout

__all__ = [
    "KIND_COLOURS",
    "KIND_LABELS",
    "ROLE_STYLES",
    "TASK_COLOUR",
    "VIEWS",
    "NetworkData",
    "network_data",
    "network_html",
    "pyvis_network",
]

VIEWS = ("tasks", "agencies")

# One colour per gazetteer kind; government bodies warm, party and mass
# organisations red/green, the Sở blue; collectives pale with a dashed border.
KIND_COLOURS: dict[str, str] = {
    "government": "#d62728",
    "people_committee": "#e377c2",
    "peoples_council": "#f7b6d2",
    "ministry": "#ff7f0e",
    "department": "#1f77b4",
    "party_body": "#8c1c13",
    "mass_organisation": "#2ca02c",
    "association": "#98df8a",
    "university": "#9467bd",
    "training_school": "#c5b0d5",
    "research_institute": "#8c564b",
    "state_bank_branch": "#c49c94",
    "management_board": "#17becf",
    "police_military": "#556b2f",
    "enterprise": "#bcbd22",
    "press": "#dbdb8d",
    "other": "#7f7f7f",
    "collective": "#d9d9d9",
}
KIND_LABELS: dict[str, str] = {
    "government": "Government (Chính phủ)",
    "people_committee": "People's Committee (UBND)",
    "peoples_council": "People's Council (HĐND)",
    "ministry": "Ministry (Bộ)",
    "department": "Department (Sở)",
    "party_body": "Party body",
    "mass_organisation": "Mass organisation",
    "association": "Association (Hội)",
    "university": "University",
    "training_school": "Training school",
    "research_institute": "Research institute",
    "state_bank_branch": "State Bank branch",
    "management_board": "Management board",
    "police_military": "Police / military",
    "enterprise": "Enterprise",
    "press": "Press",
    "other": "Other (not in the gazetteer)",
    "collective": "Collective (Các Sở, ngành…)",
}
TASK_COLOUR = "#f2c14e"

# Lead black and thick, directing purple and dashed, coordinating thin and pale.
ROLE_STYLES: dict[str, dict[str, Any]] = {
    "lead": {"color": "#222222", "width": 3, "dashes": False, "label": "leads (chủ trì)"},
    "directing": {"color": "#7b3294", "width": 2.5, "dashes": [12, 6], "label": "directs (chỉ đạo)"},
    # not dotted: 7 in 10 edges coordinate, and dashes cost vis.js more than half of a frame at 1,000 plans
    "coordinating": {"color": "#a3b1bf", "width": 1, "dashes": False, "label": "coordinates (phối hợp)"},
}
_ROLE_NAMES = {"lead": "Lead", "directing": "Directing", "coordinating": "Coordinating"}

LARGE = 2000  # nodes; beyond this edges are hidden while dragging or zooming


@dataclass(frozen=True, slots=True)
class NetworkData:
    """What is handed to vis-network: node and edge dicts, options, and the legend.

    ``agencies`` lists the agency node ids for the neighbourhood picker, in
    load order.
    """

    view: str
    nodes: tuple[dict[str, Any], ...]
    edges: tuple[dict[str, Any], ...]
    options: dict[str, Any]
    legend_kinds: tuple[tuple[str, str, str], ...]  # (kind, label, colour) of the kinds present
    agencies: tuple[str, ...]


def _agency_title(d: dict[str, Any], load: dict[str, Any] | None) -> str:
    lines = [d["name"]]
    if d.get("name_en"):
        lines.append(d["name_en"])
    where = f"{d['kind']} · {d.get('jurisdiction') or NATIONAL}"  # "Việt Nam" for a national body
    if not d.get("recognised", True):
        where += " · not in the gazetteer"
    lines.append(where)
    if load:
        lines.append(
            f"led {load['lead']} · directed {load['directing']} · coordinated {load['coordinating']}"
            f" · {load['total']} task{'s' if load['total'] != 1 else ''}"
        )
    return "\n".join(lines)


def _task_title(G: nx.MultiDiGraph, n: str) -> str:
    d = G.nodes[n]
    lines = [f"{d['id']}  {d['title']}"]
    if d["group"]:
        lines.append(f"Group {d['group']}: {_short(d['group_title'] or '', 90)}".rstrip(": "))
    lines.append(f"Deadline: {d['deadline'] or '—'}")
    by_role: dict[str, list[str]] = defaultdict(list)
    for a, _, e in G.in_edges(n, data=True):
        if e.get("rel") == "role":
            by_role[e["role"]].append(G.nodes[a]["name"])
    for role in ("directing", "lead", "coordinating"):
        if by_role[role]:
            lines.append(f"{_ROLE_NAMES[role]}: {'; '.join(by_role[role])}")
    lines.append(
        f"{d['document']}, line{'s' if len(d['lines']) > 1 else ''} {', '.join(map(str, d['lines']))}"
    )
    return "\n".join(lines)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _size(total: int) -> float:
    # capped: a national body in 1,000 plans would otherwise cover its neighbours
    return round(min(60.0, 10 + 6 * math.sqrt(total)), 1)


def _agency_node(nid: str, d: dict[str, Any], load: dict[str, Any] | None) -> dict[str, Any]:
    total = load["total"] if load else 0
    node = {
        "id": nid,
        "label": d["name"],
        "title": _agency_title(d, load),
        "type": "agency",
        "kind": d["kind"],
        "place": d.get("jurisdiction"),
        "kg": d["id"],
        "load": total,
        "shape": "dot",
        "size": _size(total),
        "color": KIND_COLOURS.get(d["kind"], KIND_COLOURS["other"]),
    }
    if d["kind"] == "collective":
        node["shapeProperties"] = {"borderDashes": [4, 3]}
        node["color"] = {"background": KIND_COLOURS["collective"], "border": "#666666"}
    return node


def _options(n_nodes: int) -> dict[str, Any]:
    large = n_nodes > LARGE
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "DejaVu Sans, Segoe UI, Arial, sans-serif"},
            # labels are drawn only once they would be legible
            "scaling": {"label": {"drawThreshold": 7}},
        },
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1},
    }


def network_data(G: nx.MultiDiGraph, *, view: str = "tasks", collectives: bool | None = None) -> NetworkData:
    """The nodes, edges and options of one view of *G* (see the module doc).

    Parameters
    ----------
    G : the graph of :func:`kg.graph.network.build_graph`
    view : ``"tasks"`` or ``"agencies"``
    collectives : draw collective participants; by default yes in the task
        view (they are in the plan as written) and no in the agency view (as
        in :func:`kg.graph.metrics.agency_load`)
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    if collectives is None:
        collectives = view == "tasks"
    loads = {row["id"]: row for row in metrics.agency_load(G, collectives=collectives)}
    agencies = [n for n, d in G.nodes(data=True) if d["type"] == "agency" and d["id"] in loads]
    ids = {n: f"a{i}" for i, n in enumerate(agencies)}
    nodes: list[dict[str, Any]] = [
        _agency_node(ids[n], G.nodes[n], loads[G.nodes[n]["id"]]) for n in agencies
    ]
    edges: list[dict[str, Any]] = []

    if view == "tasks":
        tasks = [n for n, d in G.nodes(data=True) if d["type"] == "task"]
        for i, n in enumerate(tasks):
            ids[n] = f"t{i}"
            d = G.nodes[n]
            nodes.append(
                {
                    "id": ids[n],
                    "label": d["id"],
                    "title": _task_title(G, n),
                    "type": "task",
                    "shape": "square",
                    "size": 7,
                    "color": {"background": TASK_COLOUR, "border": "#8a6d1d"},
                }
            )
        # edge tooltips only repeat the nodes' text: left out of large pages (a tenth of their size)
        titles = len(ids) <= LARGE
        for a, t, e in G.edges(data=True):
            if e.get("rel") != "role" or a not in ids:
                continue
            style = ROLE_STYLES[e["role"]]
            edge = {
                "id": f"e{len(edges)}",
                "from": ids[a],
                "to": ids[t],
                "role": e["role"],
                "color": style["color"],
                "width": style["width"],
                "dashes": style["dashes"],
            }
            if e.get("named"):  # redrawn through the 2025 changes (kg.graph.reorg.as_of_graph)
                edge["named"] = e["named"]
                edge["dashes"] = [2, 4]
            if titles:
                edge["title"] = f"{G.nodes[a]['name']} {style['label']} {G.nodes[t]['id']}" + (
                    f" (the plan named {e['named']})" if e.get("named") else ""
                )
            edges.append(edge)
        graph = nx.Graph()
        graph.add_nodes_from(ids)
        graph.add_edges_from((a, t) for a, t, e in G.edges(data=True) if e.get("rel") == "role" and a in ids)
        if len(graph) <= layout.SPRING_MAX:
            pos = layout.positions(graph)
        else:
            by_doc: dict[str, list[str]] = defaultdict(list)
            for n in tasks:
                by_doc[G.nodes[n]["document"]].append(n)
            pos = layout.cluster_positions(list(by_doc.values()), ring=True)
            layout.attach(graph, pos, agencies)
    else:
        P = metrics.agency_projection(G, collectives=collectives)
        for a, b, w in P.edges(data="weight"):
            if a in ids and b in ids:
                edges.append(
                    {
                        "id": f"e{len(edges)}",
                        "from": ids[a],
                        "to": ids[b],
                        "value": w,
                        "title": f"{G.nodes[a]['name']} — {G.nodes[b]['name']}: "
                        f"{w} shared task{'s' if w != 1 else ''}",
                        "color": {"color": "#6b7b8c", "opacity": 0.6},
                    }
                )
        graph = nx.Graph(P.subgraph(agencies))
        sizes = {n: _size(loads[G.nodes[n]["id"]]["total"]) for n in agencies}
        if len(graph) <= layout.SPRING_MAX:
            pos = layout.positions(graph)
        else:
            by_place: dict[str, list[str]] = defaultdict(list)
            for n in sorted(agencies, key=lambda n: -loads[G.nodes[n]["id"]]["total"]):
                by_place[G.nodes[n]["jurisdiction"] or ""].append(n)
            groups = [by_place[k] for k in sorted(by_place)]
            gaps = [max(layout.SPACING, 2.2 * max(sizes[n] for n in g)) for g in groups]
            pos = layout.cluster_positions(groups, spacing=gaps)

    back = {v: k for k, v in ids.items()}
    for node in nodes:
        x, y = pos[back[node["id"]]]
        node["x"], node["y"] = round(x, 1), round(y, 1)

    options = _options(len(nodes))
    if view == "agencies":
        options["edges"]["scaling"] = {"min": 1, "max": 10}
    kinds = sorted({G.nodes[n]["kind"] for n in agencies}, key=list(KIND_COLOURS).index)
    legend = tuple((k, KIND_LABELS.get(k, k), KIND_COLOURS.get(k, KIND_COLOURS["other"])) for k in kinds)
    ranked = sorted(agencies, key=lambda n: (-loads[G.nodes[n]["id"]]["total"], G.nodes[n]["name"]))
    return NetworkData(view, tuple(nodes), tuple(edges), options, legend, tuple(ids[n] for n in ranked))


def pyvis_network(data: NetworkData, *, height: str = "720px") -> Any:
    """A pyvis ``Network`` holding *data* (lists assigned directly: ``add_node`` is quadratic)."""
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=data.view == "tasks", cdn_resources="in_line")
    net.nodes = list(data.nodes)
    net.edges = list(data.edges)
    net.node_ids = [n["id"] for n in data.nodes]
    net.node_map = {n["id"]: n for n in data.nodes}
    net.options = data.options  # a dict: set_options() would strip every space from the JSON
    return net


def network_context(data: NetworkData, *, height: str = "720px") -> dict[str, Any]:
    """The template variables of the network block (shared by the network page and the report)."""
    net = pyvis_network(data, height=height)
    nodes, edges, _heading, height, width, options = net.get_network_data()
    return {
        "nodes": nodes,
        "edges": edges,
        "options": options,
        "height": height,
        "width": width,
        "view": data.view,
        "legend_kinds": data.legend_kinds,
        "roles": ROLE_STYLES,
        "task_colour": TASK_COLOUR,
        "agency_ids": list(data.agencies),
    }


def network_html(
    results: ExtractResult | Iterable[ExtractResult] | nx.MultiDiGraph,
    *,
    view: str = "tasks",
    collectives: bool | None = None,
    title: str | None = None,
    as_of: date | None = None,
) -> str:
    """The whole network page as one HTML string (the caller writes it, as UTF-8).

    Rendered with our own template rather than pyvis's ``generate_html``:
    pyvis's template loads bootstrap from a CDN, inserts the heading unescaped,
    and switches to HTML tooltips when any title contains "href".

    Without *as_of* the agencies are drawn as the plans name them; with it, as
    they stand that day after the 2025 reorganisation (:func:`kg.graph.reorg.as_of_graph`):
    a moved role is a dotted edge from its holder whose tooltip names the
    agency the plan named.
    """
    from kg.graph.network import build_graph
    from viz.html import assert_offline, environment

    G = results if isinstance(results, nx.MultiDiGraph) else build_graph(results)
    if as_of is not None:
        from kg.graph.reorg import as_of_graph

        G = as_of_graph(G, as_of)
    data = network_data(G, view=view, collectives=collectives)
    docs = [d for _, d in G.nodes(data=True) if d["type"] == "document" and d["read"]]
    if title is None:
        title = _default_title(docs, view)
    ctx = network_context(data, height="calc(100vh - 9rem)")
    html = (
        environment()
        .get_template("network.html")
        .render(
            title=title,
            n_documents=len(docs),
            n_nodes=len(data.nodes),
            n_edges=len(data.edges),
            as_of=as_of.isoformat() if as_of else None,
            n_moved=sum(1 for e in data.edges if e.get("named")),
            **ctx,
        )
    )
    return assert_offline(html)


def _default_title(docs: list[dict[str, Any]], view: str) -> str:
    what = (
        "Agencies linked by shared tasks"
        if view == "agencies"
        else "Who leads, directs and coordinates which task"
    )
    if len(docs) == 1:
        d = docs[0]
        name = " ".join(x for x in (d["doc_type"], d["number"] or "", d["issuer_name"] or "") if x)
        return f"{what} — {name}"
    return f"{what} — {len(docs)} plans"
