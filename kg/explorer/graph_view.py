"""The graphs the explorer draws: which nodes of a neighbourhood are drawn (at most
:data:`MAX_GRAPH_NODES`), where they go (:func:`ego_layout`, :func:`packed_layout`), how each
looks, and the whole store seen agency to agency (:func:`agency_view`).

Everything works on the networkx graph of a store (:func:`kg.stores.graph.to_networkx`) and
returns plain values for the browser; :class:`kg.explorer.data.Explorer` keeps the answers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from kg.explorer.urls import node_url

# A neighbourhood drawn in the browser is cut to this many nodes (nearest first): sigma.js draws
# far more, but past a few hundred labels a neighbourhood stops being readable.
MAX_GRAPH_NODES = 400
COLOURS = {
    "agency": "#1f77b4",
    "collective": "#9ecae1",
    "task": "#ff7f0e",
    "document": "#2ca02c",
    "more": "#999999",
}


def neighbourhood(G: nx.MultiDiGraph, node: str, hops: int, collectives: bool) -> dict[str, Any] | None:
    """The neighbourhood of *node* in *G* as :meth:`kg.explorer.data.Explorer.neighbourhood` gives it
    (None when *G* has no such node)."""
    if node not in G:
        return None

    def keep(n: str) -> bool:
        d = G.nodes[n]
        if d.get("type") == "agency":
            return collectives or not d.get("collective") or n == node
        return d.get("type") in {"task", "document"}

    @functools.cache
    def step(n: str) -> list[str]:
        return _links(G, n)

    order = [node]
    seen = {node}
    frontier = [node]
    for _ in range(hops):
        nxt = []
        for n in frontier:
            for m in sorted(step(n)):
                if m not in seen and keep(m):
                    seen.add(m)
                    nxt.append(m)
        order += nxt
        frontier = nxt
    kind = lambda n: G._node[n]["type"]  # noqa: E731
    chosen = _choose(order, step, kind)
    inside = set(chosen)
    edges = []
    # Every link drawn joins a task to an agency (role) or to its plan (part of): read from the
    # tasks' side, since an agency or plan drawn may have thousands of links outside the view.
    for t in chosen:
        if kind(t) != "task":
            continue
        for a, keyed in G._pred[t].items():
            for e in keyed.values():
                if a in inside and e.get("rel") in LINKS:
                    edges.append({"source": a, "target": t, "rel": e.get("role") or e["rel"]})
        for v, keyed in G._succ[t].items():
            for e in keyed.values():
                if v in inside and e.get("rel") in LINKS:
                    edges.append({"source": t, "target": v, "rel": e.get("role") or e["rel"]})
    pos = ego_layout(chosen, lambda n: [m for m in step(n) if m in inside], kind)
    nodes = [_node_json(G, n, pos[n], focus=n == node) for n in chosen]
    left = _left_out(order, inside, kind)
    for i, (k, count) in enumerate(left.items()):
        # One node for each kind left out, at the rim, linked to the focus: the view says what it holds.
        angle = -math.pi / 2 + (i - (len(left) - 1) / 2) * 0.35
        more = f"more:{k}"
        nodes.append(
            {
                "id": more,
                "label": f"+{count:,} {KIND_WORDS[k]}",
                "title": f"{count:,} more {KIND_WORDS[k]} within {hops} hop{'s' if hops > 1 else ''}, "
                "not drawn: see the page's tables",
                "kind": "more",
                "x": round(1.12 * math.cos(angle), 4),
                "y": round(1.12 * math.sin(angle), 4),
                "size": 9,
                "color": COLOURS["more"],
                "url": None,
                "focus": False,
            }
        )
        edges.append({"source": node, "target": more, "rel": "more"})
    return {"focus": node, "hops": hops, "nodes": nodes, "edges": edges, "cut": len(order) - len(chosen)}


LINKS = frozenset({"role", "part_of"})  # the edges a neighbourhood follows: agency–task, task–plan
KIND_WORDS = {"task": "tasks", "agency": "agencies", "document": "plans"}


def _links(G: nx.MultiDiGraph, n: str) -> list[str]:
    """The nodes one role or part-of edge away from *n*, either way (each once).

    Read from the adjacency itself: a busy agency has thousands of edges, and this runs for every
    node of a neighbourhood.
    """
    # The graph's own dicts, not networkx's read-only views over them: three times faster here.
    out: dict[str, None] = {}
    for adjacent in (G._succ[n], G._pred[n]):
        for m, keyed in adjacent.items():
            for e in keyed.values():
                if e.get("rel") in LINKS:
                    out[m] = None
                    break
    return list(out)


def _left_out(order: list[str], inside: set[str], kind: Callable[[str], str]) -> dict[str, int]:
    """How many nodes of each kind the neighbourhood holds but the view leaves out (kinds in order)."""
    left: dict[str, int] = {}
    for n in order:
        if n not in inside:
            left[kind(n)] = left.get(kind(n), 0) + 1
    return {k: left[k] for k in ("task", "agency", "document") if k in left}


def _node_json(G: nx.MultiDiGraph, n: str, xy: tuple[float, float], *, focus: bool) -> dict[str, Any]:
    d = G.nodes[n]
    kind = d["type"]
    colour_kind = "collective" if kind == "agency" and d.get("collective") else kind
    return {
        "id": n,
        "label": _label(d),
        "title": _title(d),
        "kind": kind,
        "x": round(float(xy[0]), 4),
        "y": round(float(xy[1]), 4),
        "size": 12 if focus else {"agency": 7, "document": 8}.get(kind, 4),
        "color": "#d62728" if focus else COLOURS[colour_kind],
        "url": node_url(G, n),
        "focus": focus,
    }


def ego_layout(
    nodes: list[str], links: Callable[[str], list[str]], kind: Callable[[str], str]
) -> dict[str, tuple[float, float]]:
    """Positions for a neighbourhood in time linear in its size (a spring layout of 400 nodes took half
    a second): the focus (``nodes[0]``) at the centre, the agencies and plans ("hubs") on a circle, in
    an order that keeps hubs sharing tasks side by side, and each task where the hubs it links meet
    (their mean, the focus counted), tasks with the same hubs spread on a small sunflower around it.

    >>> links = {"f": ["t1", "t2"], "t1": ["f", "a"], "t2": ["f", "a", "b"], "a": ["t1", "t2"], "b": ["t2"]}
    >>> pos = ego_layout(["f", "t1", "t2", "a", "b"], links.__getitem__, lambda n: "task" if n[0] == "t" else "agency")
    >>> pos["f"], pos["a"], all(abs(c) <= 1 for p in pos.values() for c in p)
    ((0.0, 0.0), (1.0, 0.0), True)
    """
    focus = nodes[0]
    hubs = [n for n in nodes[1:] if kind(n) != "task"]
    tasks = [n for n in nodes[1:] if kind(n) == "task"]
    pos: dict[str, tuple[float, float]] = {focus: (0.0, 0.0)}
    ring = _hub_order(hubs, tasks, links)
    for i, h in enumerate(ring):
        angle = 2 * math.pi * i / max(1, len(ring))
        pos[h] = (math.cos(angle), math.sin(angle))
    groups: dict[tuple[str, ...], list[str]] = {}
    for t in tasks:
        groups.setdefault(tuple(sorted(m for m in links(t) if m in pos)), []).append(t)
    golden = math.pi * (3 - math.sqrt(5))
    for i, (key, members) in enumerate(groups.items()):
        if key:
            cx = sum(pos[m][0] for m in key) / len(key)
            cy = sum(pos[m][1] for m in key) / len(key)
        else:  # linked only through nodes left out: a ring of their own inside the circle
            angle = golden * i
            cx, cy = 0.5 * math.cos(angle), 0.5 * math.sin(angle)
        # Around the focus the sunflower starts off its centre, so that no task hides the focus.
        start = 1 if key == (focus,) else 0
        step = min(0.05, 0.45 / math.sqrt(len(members) + start))
        for j, t in enumerate(members, start):
            r, a = step * math.sqrt(j), golden * j
            x, y = cx + r * math.cos(a), cy + r * math.sin(a)
            scale = max(1.0, math.hypot(x, y))  # inside the circle
            pos[t] = (x / scale, y / scale)
    return pos


def _hub_order(hubs: list[str], tasks: list[str], links: Callable[[str], list[str]]) -> list[str]:
    """The hubs in circle order: from the most linked, each next the one sharing most tasks with the
    last placed (ties: the hubs' own order), so that a task's hubs tend to be near one another.

    >>> links = {"t1": ["a", "c"], "t2": ["a", "c"], "t3": ["b"]}
    >>> _hub_order(["a", "b", "c"], ["t1", "t2", "t3"], links.__getitem__)
    ['a', 'c', 'b']
    """
    if len(hubs) < 3:
        return list(hubs)
    index = {h: i for i, h in enumerate(hubs)}
    shared: dict[str, dict[str, int]] = {h: {} for h in hubs}
    degree = dict.fromkeys(hubs, 0)
    for t in tasks:
        here = [m for m in links(t) if m in index]
        for a in here:
            degree[a] += 1
            for b in here:
                if a != b:
                    shared[a][b] = shared[a].get(b, 0) + 1
    left = set(hubs)
    current = min(hubs, key=lambda h: (-degree[h], index[h]))
    ring = [current]
    left.discard(current)
    while left:
        near = [(n, c) for n, c in shared[current].items() if n in left]
        if near:
            current = min(near, key=lambda nc: (-nc[1], index[nc[0]]))[0]
        else:
            current = min(left, key=lambda h: (-degree[h], index[h]))
        ring.append(current)
        left.discard(current)
    return ring


AGENCY_VIEW_NODES = 150


def agency_view(G: nx.MultiDiGraph, collectives: bool, load: list[dict[str, Any]]) -> dict[str, Any]:
    """The busiest agencies (tasks in any role, at most :data:`AGENCY_VIEW_NODES`, *load* being the
    ``agency-load`` rows of *G*) linked by the tasks they share (edge ``weight``), laid out on the
    server: the whole store seen agency to agency."""
    top = [f"agency:{r['id']}" for r in load[:AGENCY_VIEW_NODES]]
    keep = set(top)
    shared: dict[tuple[str, str], set[str]] = {}
    for t, d in G.nodes(data=True):
        if d.get("type") != "task":
            continue
        here = sorted({a for a, _, e in G.in_edges(t, data=True) if e.get("rel") == "role" and a in keep})
        for i, a in enumerate(here):
            for b in here[i + 1 :]:
                shared.setdefault((a, b), set()).add(t)
    sub = nx.Graph()
    sub.add_nodes_from(top)
    for (a, b), ts in shared.items():
        sub.add_edge(a, b, weight=len(ts))
    pos = packed_layout(sub)
    total = {f"agency:{r['id']}": r["total"] for r in load}
    biggest = max(total.values(), default=1) or 1
    nodes = [
        {
            "id": n,
            # One name in many places (Sở Tài chính): the place tells them apart.
            "label": f"{G.nodes[n]['name']} ({G.nodes[n].get('jurisdiction') or 'Việt Nam'})",
            "title": _title(G.nodes[n]) + f": {total[n]} tasks",
            "kind": "agency",
            "x": round(float(pos[n][0]), 4),
            "y": round(float(pos[n][1]), 4),
            "size": round(3 + 12 * (total[n] / biggest) ** 0.5, 2),
            "color": COLOURS["collective" if G.nodes[n].get("collective") else "agency"],
            "url": node_url(G, n),
            "focus": False,
            "tasks": total[n],
        }
        for n in top
    ]
    edges = [{"source": a, "target": b, "rel": "shared", "weight": len(ts)} for (a, b), ts in shared.items()]
    return {"focus": None, "hops": 0, "nodes": nodes, "edges": edges, "cut": max(0, len(load) - len(top))}


def packed_layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each connected component laid out on its own (spring layout) and the components packed in rows,
    biggest first, each in a square as wide as the root of its size: plans of different places share
    no agency, and one spring layout of them all crushes each into a dot.

    >>> pos = packed_layout(nx.Graph([("a", "b"), ("c", "d")]))
    >>> sorted(pos) == ["a", "b", "c", "d"] and all(abs(v) < 1.001 for p in pos.values() for v in p)
    True
    """
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    width = max(1.0, sum(len(c) for c in parts) ** 0.5 * 1.5)
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for nodes in parts:
        side = max(1.0, len(nodes) ** 0.5)
        if x + side > width and x > 0:
            x, y, row = 0.0, y + row + 0.5, 0.0
        if len(nodes) == 1:
            local = {nodes[0]: (0.0, 0.0)}
        else:
            local = nx.spring_layout(g.subgraph(nodes), seed=7, iterations=50, scale=side / 2)
        for n in nodes:
            px, py = local[n]
            out[n] = (x + side / 2 + float(px), y + side / 2 + float(py))
        x += side + 0.5
        row = max(row, side)
    if not out:
        return out
    xs, ys = [p[0] for p in out.values()], [p[1] for p in out.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: ((px - cx) / span, -(py - cy) / span) for n, (px, py) in out.items()}


def _choose(order: list[str], step: Callable[[str], Iterable[str]], kind: Callable[[str], str]) -> list[str]:
    """At most :data:`MAX_GRAPH_NODES` of *order* (the focus first): all when they fit; else the
    agencies and plans most linked into the neighbourhood (up to a third), then the tasks linking most
    of those, so a busy agency's view still shows its partners and plans, not only its first tasks.

    >>> links = {"f": ["t1", "t2"], "t1": ["f", "a"], "t2": ["f"], "a": ["t1"]}
    >>> _choose(["f", "t1", "t2", "a"], links.__getitem__, lambda n: "task" if n[0] == "t" else "agency")
    ['f', 't1', 't2', 'a']
    """
    if len(order) <= MAX_GRAPH_NODES:
        return order
    focus, rest = order[0], order[1:]
    if all(kind(n) == "task" for n in rest):  # one hop from an agency or a plan: its first tasks
        return order[:MAX_GRAPH_NODES]
    within = set(order)
    # An agency's or plan's links are to tasks: counted from the tasks' side, which have a few each
    # (a busy agency has thousands of links, most of them outside the neighbourhood).
    linked: dict[str, int] = {}
    for n in order:
        if kind(n) == "task":
            for m in step(n):
                if m in within:
                    linked[m] = linked.get(m, 0) + 1
    others = [n for n in rest if kind(n) != "task"]
    others.sort(key=lambda n: -linked.get(n, 0))  # stable: nearest first on ties
    others = others[: MAX_GRAPH_NODES // 3]
    picked = {focus, *others}
    tasks = [n for n in rest if kind(n) == "task"]
    tasks.sort(key=lambda n: -sum(1 for m in step(n) if m in picked))
    return [focus, *others, *tasks[: MAX_GRAPH_NODES - 1 - len(others)]]


def _label(d: Mapping[str, Any]) -> str:
    kind = d.get("type")
    if kind == "agency":
        return str(d["name"])
    if kind == "task":
        return str(d["id"])
    title = str(d.get("title") or "")
    name = d.get("number") or (title[:50] + ("…" if len(title) > 50 else "")) or d["id"]
    return f"{d.get('doc_type') or ''} {name}".strip()


def _title(d: Mapping[str, Any]) -> str:
    """What hovering a node shows: a task's id and title, an agency's name and jurisdiction, a plan's title."""
    kind = d.get("type")
    if kind == "agency":
        return f"{d['name']} ({d.get('jurisdiction') or 'Việt Nam'})"
    if kind == "task":
        return f"{d['id']}: {d.get('title') or ''}"
    return f"{d.get('doc_type') or ''} {d.get('number') or ''}: {d.get('title') or d['id']}"
