"""Node positions computed before the page is written, so the browser never runs physics.

Small graphs get networkx's spring layout, seeded so that the same input
draws the same picture.  Large ones get a clustered layout in linear time:
each cluster (a plan's tasks, a jurisdiction's agencies) is a ring or a disc
on a grid, and the remaining nodes (the agencies of the task view) sit at the
centre of their neighbours.  Force-directed layouts are quadratic; at 1,000
plans (46,000 nodes) they take minutes in Python and never settle in vis.js.

>>> import networkx as nx
>>> pos = positions(nx.path_graph(4))
>>> sorted(pos) == [0, 1, 2, 3] and all(len(p) == 2 for p in pos.values())
True
>>> ring = cluster_positions([["a", "b", "c", "d"]], ring=True)
>>> round(ring["c"][1] - ring["a"][1])  # opposite sides of one ring: its diameter
100
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Hashable, Iterable, Sequence

import networkx as nx

__all__ = ["SPACING", "SPRING_MAX", "attach", "cluster_positions", "positions"]

SPACING = 50.0  # canvas pixels between neighbouring nodes
SPRING_MAX = 500  # beyond this, spring_layout costs seconds: use the clustered layout
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

Pos = dict[Hashable, tuple[float, float]]


def positions(G: nx.Graph, *, seed: int = 7) -> Pos:
    """Spring-layout positions of every node of *G*, scaled to canvas pixels.

    Each connected component is laid out on its own and the components are
    packed in rows, largest first: a spring layout of the whole graph would
    push small components to the far edges and squeeze the main one.  Meant
    for graphs of up to :data:`SPRING_MAX` nodes; larger ones should be laid
    out with :func:`cluster_positions` and :func:`attach`.
    """
    H = nx.Graph(G)  # undirected, one edge per pair, weights ignored
    parts = []
    for comp in sorted(nx.connected_components(H), key=lambda c: (-len(c), min(map(str, c)))):
        if len(comp) == 1:
            raw = {next(iter(comp)): (0.0, 0.0)}
        else:
            sub = H.subgraph(sorted(comp, key=str))
            raw = nx.spring_layout(sub, seed=seed, iterations=200)
        scale = SPACING * 1.5 * math.sqrt(len(comp)) if len(comp) > 1 else 0.0
        part = {n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}
        parts.append(part)
    return _pack(parts)


def _pack(parts: list[Pos]) -> Pos:
    """Shelf-pack laid-out parts (largest first) left to right in rows of a roughly square drawing."""
    boxes = []
    for part in parts:
        xs, ys = [p[0] for p in part.values()], [p[1] for p in part.values()]
        # at least four spacings wide: a lone node still has a label under it
        width = max(max(xs) - min(xs) + 2 * SPACING, 5 * SPACING)
        boxes.append((min(xs), min(ys), width, max(ys) - min(ys) + 2 * SPACING))
    row_width = max(max((b[2] for b in boxes), default=0.0), math.sqrt(sum(b[2] * b[3] for b in boxes)) * 1.2)
    pos: Pos = {}
    x = y = row_height = 0.0
    for part, (x0, y0, w, h) in zip(parts, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (px, py) in part.items():
            pos[n] = (px - x0 + x + SPACING, py - y0 + y + SPACING)
        x += w
        row_height = max(row_height, h)
    return pos


def cluster_positions(
    groups: Sequence[Sequence[Hashable]], *, ring: bool = False, spacing: Sequence[float] | None = None
) -> Pos:
    """Each group on its own ring (``ring=True``) or disc, the groups on a square grid.

    A disc is a sunflower spiral: the first node in the centre, later ones
    outwards, so list the most important node first.  ``spacing`` gives each
    group its own distance between nodes (wider for big nodes).
    """
    gaps = list(spacing) if spacing is not None else [SPACING] * len(groups)
    radii = [_radius(len(g), ring, gap) for g, gap in zip(groups, gaps, strict=True)]
    cell = 2 * max(radii, default=0.0) + 3 * SPACING
    cols = max(1, math.ceil(math.sqrt(len(groups))))
    pos: Pos = {}
    for k, (group, r, gap) in enumerate(zip(groups, radii, gaps, strict=True)):
        cx, cy = (k % cols) * cell, (k // cols) * cell
        n = len(group)
        for i, node in enumerate(group):
            if ring:
                a = 2 * math.pi * i / max(n, 1) - math.pi / 2
                rr = r
            else:
                a = i * _GOLDEN_ANGLE
                rr = gap * 0.6 * math.sqrt(i)
            pos[node] = (cx + rr * math.cos(a), cy + rr * math.sin(a))
    return pos


def _radius(n: int, ring: bool, gap: float = SPACING) -> float:
    if ring:
        return max(gap, n * gap / (2 * math.pi))
    return gap * 0.6 * math.sqrt(max(n - 1, 0))


def attach(G: nx.Graph, pos: Pos, nodes: Iterable[Hashable]) -> Pos:
    """Place each of *nodes* at the centre of its already placed neighbours (in place, and returned).

    A small offset derived from the node (stable across runs) keeps nodes
    with the same neighbours from covering each other; nodes without a placed
    neighbour go in a row under the drawing.
    """
    lonely = []
    for node in nodes:
        around = [pos[m] for m in nx.all_neighbors(G, node) if m in pos and m != node]
        if not around:
            lonely.append(node)
            continue
        x = sum(p[0] for p in around) / len(around)
        y = sum(p[1] for p in around) / len(around)
        h = zlib.crc32(str(node).encode("utf-8"))
        a, r = (h % 3600) / 3600 * 2 * math.pi, SPACING * (0.3 + (h >> 12) % 100 / 100)
        pos[node] = (x + r * math.cos(a), y + r * math.sin(a))
    if lonely:
        bottom = max((p[1] for p in pos.values()), default=0.0) + 2 * SPACING
        for i, node in enumerate(lonely):
            pos[node] = (i * SPACING, bottom)
    return pos
