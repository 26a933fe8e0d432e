"""What the explorer shows, read from a built store: search, the records of each page, neighbourhoods.

One :class:`Explorer` per server: the store opened read-only, its networkx graph
(:func:`kg.stores.graph.to_networkx`) read once, and the agency records for name
lookups.  Everything here returns plain values (dicts, lists, :class:`Table`);
the web layer (:mod:`kg.explorer.app`) only renders them.

>>> from kg.api import sample_store
>>> ex = Explorer(sample_store(), cache=False)
>>> [hit.title for hit in ex.search("so noi vu ha noi")[:1]]
['Sở Nội vụ']
>>> ex.search("Department of Home Affairs")[0].url
'/agency/ha-noi/so-noi-vu'
"""

from __future__ import annotations

import functools
import gc
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import networkx as nx

from kg.model.text import name_key, strip_diacritics

__all__ = ["MAX_GRAPH_NODES", "Explorer", "Hit", "Table", "loose"]

# A neighbourhood drawn in the browser is cut to this many nodes (nearest first): sigma.js draws
# far more, but past a few hundred labels a neighbourhood stops being readable.
MAX_GRAPH_NODES = 400
ROLES = ("lead", "directing", "coordinating")
COLOURS = {
    "agency": "#1f77b4",
    "collective": "#9ecae1",
    "task": "#ff7f0e",
    "document": "#2ca02c",
    "more": "#999999",
}


def cache_dir() -> Path | None:
    """Where the graph read from a store is kept between starts: ``$KG_EXPLORER_CACHE`` ("off": nowhere),
    else ``$XDG_CACHE_HOME/kg-plans/explorer``, else ``~/.cache/kg-plans/explorer``."""
    import os

    env = os.environ.get("KG_EXPLORER_CACHE")
    if env:
        return None if env.strip().lower() in {"off", "0", "no", "none"} else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg-plans" / "explorer"


def store_stamp(path: Path) -> str:
    """A fingerprint of the store's files (names, sizes, modification times) and of the code that reads
    its graph: a rebuilt store or a changed reader gives another stamp.  Opening a store read-only
    changes none of its files."""
    import hashlib

    import kg.graph.network
    import kg.stores.graph

    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        st = f.stat()
        h.update(f"{f.relative_to(path)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    for module in (kg.stores.graph, kg.graph.network):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()[:24]


def cached_graph(path: Path, read: Callable[[], nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """The store's graph from the cache when its stamp matches, else *read* and kept for the next start.

    The cache holds only what this function wrote (pickles named by the store's path and stamp); a
    cache that cannot be read or written is passed over, never an error.
    """
    import hashlib
    import pickle

    folder = cache_dir()
    if folder is None:
        return read()
    where = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    file = folder / f"{where}-{store_stamp(path)}.pickle"
    try:
        with file.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    G = read()
    try:
        from kg.model.output import write_atomic

        for old in folder.glob(f"{where}-*.pickle"):  # the same store's earlier builds
            old.unlink(missing_ok=True)
        write_atomic(file, pickle.dumps(G, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
    return G


def loose(text: str) -> str:
    """The search key of *text*: lower case, NFC, no diacritics (đ as d), words split on punctuation.

    >>> loose("Sở KH&CN (Hà Nội)")
    'so kh cn ha noi'
    """
    return " ".join(re.findall(r"\w+", strip_diacritics(name_key(text))))


def accented_words(text: str) -> list[str]:
    """The words of *text* written with diacritics (lower case, NFC): those a search matches as typed.

    >>> accented_words("Sở KH&CN noi vu"), accented_words("so noi vu")
    (['sở'], [])
    """
    return [w for w in re.findall(r"\w+", name_key(text)) if strip_diacritics(w) != w]


def has_words(text: str, words: list[str]) -> bool:
    """True when each of *words* is a word of *text* as written (diacritics count).

    >>> has_words("Tăng cường kết nối", ["nối"]), has_words("Sở Nội vụ", ["nối"]), has_words("x", [])
    (True, False, True)
    """
    if not words:
        return True
    own = set(re.findall(r"\w+", name_key(text)))
    return all(w in own for w in words)


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a page: its columns, its rows (plain values), and a link per column.

    ``links`` maps a column to a function of the row giving the URL its cell opens (or None).
    """

    name: str
    columns: tuple[str, ...]
    rows: tuple[Mapping[str, Any], ...]
    links: Mapping[str, Callable[[Mapping[str, Any]], str | None]] = field(default_factory=dict)

    def cells(self, limit: int | None = None) -> list[list[tuple[str, str | None]]]:
        """Each row (the first *limit*) as (text, href) pairs, in column order, for the HTML table.

        >>> Table("t", ("a", "b"), ({"a": 1, "b": ["x", "y"]},), {"a": lambda r: "/x"}).cells()
        [[('1', '/x'), ('x; y', None)]]
        """
        return [
            [(cell_text(r.get(c)), self.links[c](r) if c in self.links else None) for c in self.columns]
            for r in self.rows[:limit]
        ]


def cell_text(value: Any) -> str:
    """A value as one cell of text (lists joined with "; ", None empty), as the CLI's CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    kind: str  # agency, task, plan
    title: str
    detail: str
    jurisdiction: str
    url: str
    score: int


def agency_url(agency_id: str) -> str:
    return "/agency/" + quote(agency_id)


def plan_url(plan_id: str) -> str:
    return "/plan/" + quote(plan_id)


def task_url(plan_id: str, task_id: str) -> str:
    return "/task?" + urlencode({"plan": plan_id, "id": task_id})


def _node_url(G: nx.MultiDiGraph, node: str) -> str | None:
    d = G.nodes[node]
    kind = d.get("type")
    if kind == "agency":
        return agency_url(d["id"])
    if kind == "task":
        return task_url(d["document"], d["id"])
    if kind == "document" and d.get("read"):
        return plan_url(d["id"])
    return None


def iri_url(G: nx.MultiDiGraph, iri: str) -> str | None:
    """The explorer's page of an agency, plan or task IRI of the store (:mod:`kg.rdf.plan`), else None.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("agency:ha-noi/so-noi-vu", type="agency", id="ha-noi/so-noi-vu")
    >>> iri_url(G, "https://kg-plans.example.org/id/agency/ha-noi/so-noi-vu"), iri_url(G, "urn:x")
    ('/agency/ha-noi/so-noi-vu', None)
    """
    from urllib.parse import unquote

    from kg.rdf.plan import BASE

    if not iri.startswith(BASE):
        return None
    path = unquote(iri[len(BASE) :])
    kind, _, rest = path.partition("/")
    candidates: list[str] = []
    if kind == "eli":
        candidates = [f"document:{rest}"]
    elif kind == "id":
        what, _, rest = rest.partition("/")
        if what == "agency":
            candidates = [f"agency:{rest}"]
        elif what == "task":  # a document id may hold "/": each split of "DOC/TASK" is tried
            parts = rest.split("/")
            candidates = [f"task:{'/'.join(parts[:i])}#{'/'.join(parts[i:])}" for i in range(1, len(parts))]
    for node in candidates:
        if node in G:
            return _node_url(G, node)
    return None


def _day(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    from kg.api import _day as parse

    return parse(value)


class Explorer:
    """A store opened read-only for the explorer; see the module's doctest."""

    def __init__(self, path: Path | str, *, cache: bool = True) -> None:
        import kg
        from kg.stores.graph import to_networkx

        self.path = Path(path)
        self.kg = kg.open(self.path)
        self.store = self.kg.store
        read = lambda: to_networkx(self.store)  # noqa: E731
        self.G: nx.MultiDiGraph = cached_graph(self.path, read) if cache else read()
        self._index = self._search_index()
        # The graph is millions of objects that live as long as the server: out of the collector's
        # sight, so that a page's own garbage does not make it walk them all (a second at 1,000 plans).
        gc.collect()
        gc.freeze()

    # Named queries, exactly as `kg query NAME --format json` answers them

    def run(self, name: str, params: Mapping[str, str]) -> list[dict[str, Any]]:
        """Rows of the named query with *params* as typed (strings), as the command line's rdf backend."""
        from kg.stores.rdf import OxigraphBackend
        from kg.stores.runner import run

        return run(OxigraphBackend(self.store, records=self.kg._records), name, dict(params))

    # Search

    def _search_index(self) -> list[tuple[str, Hit]]:
        """(key, hit) pairs: each name, English name and alias of an agency; each task title; each plan."""
        from kg.model.gazetteer import Gazetteer

        G = self.G
        aliases: dict[str, list[str]] = {}
        for entry in Gazetteer.default().entries:
            aliases.setdefault(entry.key, []).extend(entry.labels())
        out: list[tuple[str, Hit]] = []
        for n, d in G.nodes(data=True):
            kind = d.get("type")
            if kind == "agency":
                place = d.get("jurisdiction") or "Việt Nam"
                labels = [d["name"], d.get("name_en") or ""]
                labels += aliases.get(d["id"], []) + aliases.get(d["id"].rsplit("/", 1)[-1], [])
                tasks = sum(1 for _, _, e in G.out_edges(n, data=True) if e.get("rel") == "role")
                hit = Hit("agency", d["name"], d.get("name_en") or "", place, agency_url(d["id"]), tasks)
                for label in dict.fromkeys(x for x in labels if x):
                    out.append((loose(label) + " | " + loose(place), hit))
            elif kind == "task":
                place = _plan_place(G, G.nodes.get(f"document:{d['document']}", {}))
                hit = Hit(
                    "task",
                    d["title"],
                    f"{d['id']} · {d['document']}",
                    place,
                    task_url(d["document"], d["id"]),
                    0,
                )
                out.append((loose(d["title"]) + " | " + loose(place), hit))
            elif kind == "document" and d.get("read"):
                place = _plan_place(G, d)
                title = d.get("title") or d["id"]
                hit = Hit(
                    "plan",
                    title,
                    f"{d.get('doc_type') or ''} {d.get('number') or ''}".strip(),
                    place,
                    plan_url(d["id"]),
                    0,
                )
                out.append((loose(f"{title} {d.get('number') or ''} {d['id']}") + " | " + loose(place), hit))
        return out

    def search(self, q: str, limit: int = 100) -> list[Hit]:
        """Agencies, tasks and plans whose name, alias or title holds every word of *q* (any diacritics).

        Ranked: an exact name first, then a name that starts with the words, then the rest; agencies
        before tasks and plans; then, when *q* is written with diacritics, the names that carry them as
        typed ("nối" before "Nội"); busier agencies first.  A name with its jurisdiction
        ("Sở Nội vụ, Hà Nội", "so noi vu ha noi") finds that jurisdiction's agency.
        """
        from kg.api import match_agencies
        from kg.model.lookup import NoAgency

        words = loose(q).split()
        if not words:
            return []
        exact: set[str] = set()
        try:
            exact = {agency_url(a.id) for a in match_agencies(self.kg._records(), q)}
        except (NoAgency, LookupError):
            pass
        best: dict[str, tuple[int, Hit]] = {}
        for key, hit in self._index:
            name, _, place = key.partition(" | ")
            wanted = _without_place(words, place.split())
            text = " ".join(wanted)
            if hit.url in exact or name == text:
                rank = 3
            elif name.startswith(text):
                rank = 2
            elif f" {text} " in f" {name} ":
                rank = 1
            elif hit.kind == "agency" and _in_order(wanted, name.split()):
                rank = 1  # some words of an agency's name, in order ("so kh cn", "uy ban ha noi")
            else:
                continue
            score = rank * 10 + {"agency": 2, "plan": 1, "task": 0}[hit.kind]
            if hit.url not in best or best[hit.url][0] < score:
                best[hit.url] = (score, hit)
        accents = accented_words(q)
        ranked = sorted(
            best.values(),
            key=lambda sh: (
                -sh[0],
                not has_words(sh[1].title, accents),
                -sh[1].score,
                loose(sh[1].title),
                sh[1].url,
            ),
        )
        return [h for _, h in ranked[:limit]]

    # Pages

    def summary(self) -> dict[str, int]:
        """How many plans, tasks, agencies (collectives apart) and jurisdictions the store holds."""
        nodes = [d for _, d in self.G.nodes(data=True)]
        agencies = [d for d in nodes if d.get("type") == "agency"]
        return {
            "plans": sum(1 for d in nodes if d.get("type") == "document" and d.get("read")),
            "tasks": sum(1 for d in nodes if d.get("type") == "task"),
            "agencies": sum(1 for d in agencies if not d.get("collective")),
            "collectives": sum(1 for d in agencies if d.get("collective")),
            "jurisdictions": len({d.get("jurisdiction") or "Việt Nam" for d in agencies}),
        }

    def agency_node(self, agency_id: str) -> dict[str, Any] | None:
        d = self.G.nodes.get(f"agency:{agency_id}")
        return dict(d) if d else None

    def plan_node(self, plan_id: str) -> dict[str, Any] | None:
        d = self.G.nodes.get(f"document:{plan_id}")
        return dict(d) if d and d.get("read") else None

    def task(self, plan_id: str, task_id: str) -> dict[str, Any] | None:
        """The task's attributes, its roles (agency, role, the cell text as printed) and its source lines."""
        n = f"task:{plan_id}#{task_id}"
        if n not in self.G:
            return None
        G = self.G
        d = dict(G.nodes[n])
        roles = []
        for a, _, e in G.in_edges(n, data=True):
            if e.get("rel") == "role":
                ad = G.nodes[a]
                roles.append(
                    {
                        "role": e["role"],
                        "agency": ad["name"],
                        "jurisdiction": ad.get("jurisdiction") or "Việt Nam",
                        "as_printed": e.get("text") or "",
                        "id": ad["id"],
                    }
                )
        roles.sort(key=lambda r: (ROLES.index(r["role"]) if r["role"] in ROLES else 9, loose(r["agency"])))
        d["roles"] = roles
        d["body"] = sorted(
            (
                {
                    "section": G.nodes[b].get("section"),
                    "kind": G.nodes[b].get("kind"),
                    "text": G.nodes[b].get("text"),
                }
                for b, _, e in G.in_edges(n, data=True)
                if e.get("rel") == "corresponds"
            ),
            key=lambda r: str(r["section"]),
        )
        d["findings"] = [
            {"kind": G.nodes[f].get("kind"), "message": G.nodes[f].get("message")}
            for f, _, e in G.in_edges(n, data=True)
            if e.get("rel") == "about"
        ]
        d["source_lines"] = source_lines(d.get("file"), d.get("lines") or ())
        return d

    def plan_tasks(self, plan_id: str) -> list[dict[str, Any]]:
        G = self.G
        doc = f"document:{plan_id}"
        out = []
        for t, _, e in G.in_edges(doc, data=True):
            if e.get("rel") != "part_of" or G.nodes[t].get("type") != "task":
                continue
            d = G.nodes[t]
            lead = sorted(
                G.nodes[a]["name"] for a, _, r in G.in_edges(t, data=True) if r.get("role") == "lead"
            )
            out.append(
                {
                    "task": d["id"],
                    "group": d.get("group"),
                    "title": d["title"],
                    "lead": lead,
                    "deadline": d.get("deadline"),
                    "seq": d.get("seq") or 0,
                }
            )
        out.sort(key=lambda r: r["seq"])
        return out

    def plans_below(self, plan_id: str) -> list[dict[str, Any]]:
        G = self.G
        doc = f"document:{plan_id}"
        if doc not in G:
            return []
        return sorted(
            (
                {
                    "plan": G.nodes[c]["id"],
                    "type": G.nodes[c].get("doc_type"),
                    "title": G.nodes[c].get("title"),
                }
                for c, _, e in G.in_edges(doc, data=True)
                if e.get("rel") == "implements"
            ),
            key=lambda r: r["plan"],
        )

    def agency_record(self, agency_id: str, as_of: str | date | None = None) -> Any:
        """The agency's :class:`kg.api.AgencyRecord` (tasks by role, partners), read from the graph.

        What :meth:`kg.KnowledgeGraph.agency` answers, without a store-wide query: the agency's own
        edges of the plan graph (of *as_of*'s graph after the 2025 reorganisation, when given).
        Kept once worked out (the last 32): the busiest agency of 10,000 plans has 35,000 tasks.
        """
        return self._agency_record(agency_id, _day(as_of))

    @functools.lru_cache(maxsize=32)  # noqa: B019 — one Explorer per server; the store does not change
    def _agency_record(self, agency_id: str, day: date | None) -> Any:
        from kg.api import AgencyRecord, Partner, tasks_by_role

        G = self._graph_on(day)
        node = f"agency:{agency_id}"
        d = G.nodes[node] if node in G else self.G.nodes[node]
        # The rows of kg.graph.metrics.depends_on, from the agency's own edges: that function walks every
        # role edge of the store (seconds at 10,000 plans).
        tasks = _agency_tasks(G, node) if node in G else []
        shared: dict[str, set[str]] = {}
        for t, keyed in G._succ[node].items() if node in G else ():
            if not any(e.get("rel") == "role" for e in keyed.values()):
                continue
            for a, roles in G._pred[t].items():
                if a != node and any(r.get("rel") == "role" for r in roles.values()):
                    shared.setdefault(a, set()).add(t)
        partners = sorted(
            (Partner(G.nodes[a]["id"], G.nodes[a]["name"], len(ts)) for a, ts in shared.items()),
            key=lambda p: (-p.tasks, p.name, p.id),
        )
        by_role = tasks_by_role(tasks)
        return AgencyRecord(
            agency_id,
            d["name"],
            d.get("name_en"),
            d["kind"],
            d.get("jurisdiction") or "Việt Nam",
            by_role,
            tuple(partners),
            day,
        )

    @functools.lru_cache(maxsize=8)  # noqa: B019 — one Explorer per server; the store does not change
    def agency_load(self, collectives: bool = False, as_of: date | None = None) -> list[dict[str, Any]]:
        """The ``agency-load`` rows (:func:`kg.graph.metrics.agency_load`) of the graph on *as_of*, worked out
        once: it walks the whole graph (seconds at 10,000 plans) and the home page, the agency view and
        the Cypher page's examples all start from it."""
        from kg.graph import metrics

        return metrics.agency_load(self._graph_on(as_of), collectives=collectives)

    def deadlines_ahead(self, today: date, limit: int = 25) -> list[dict[str, Any]]:
        """The first *limit* rows of the ``deadlines`` query from *today* on."""
        from kg.graph import metrics

        return metrics.deadlines(self.G, start=today)[:limit]

    # Neighbourhoods

    @functools.lru_cache(maxsize=4)  # noqa: B019 — one Explorer per server, a few dates at a time
    def _graph_on(self, day: date | None) -> nx.MultiDiGraph:
        from kg.graph.reorg import as_of_graph

        return self.G if day is None else as_of_graph(self.G, day)

    def agency_view(self, *, collectives: bool = False, as_of: str | date | None = None) -> dict[str, Any]:
        """The whole store agency to agency (the busiest agencies and the tasks they share)."""
        return self._agency_view(bool(collectives), _day(as_of))

    @functools.lru_cache(maxsize=8)  # noqa: B019 — a walk of every task: once per view asked
    def _agency_view(self, collectives: bool, day: date | None) -> dict[str, Any]:
        return _agency_view(self._graph_on(day), collectives, self.agency_load(collectives, day))

    def neighbourhood(
        self, node: str, *, hops: int = 1, collectives: bool = True, as_of: str | date | None = None
    ) -> dict[str, Any] | None:
        """The agencies, tasks and plans within *hops* of *node*, laid out on the server (x, y in [-1, 1]).

        Hops follow role edges (agency–task) and part-of edges (task–plan), either way.  At most
        :data:`MAX_GRAPH_NODES` nodes (:func:`_choose`); ``cut`` says how many were left out, and one
        "N more" node per kind left out stands for them.  Worked out once per node and options: a
        page opened again, or its hops switched back, answers from memory.
        """
        return self._neighbourhood(node, max(1, min(2, int(hops))), bool(collectives), _day(as_of))

    @functools.lru_cache(maxsize=128)  # noqa: B019 — a few hundred nodes each; the store does not change
    def _neighbourhood(
        self, node: str, hops: int, collectives: bool, day: date | None
    ) -> dict[str, Any] | None:
        G = self._graph_on(day)
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


def _agency_tasks(G: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    """The ``depends-on`` rows of one agency (:func:`kg.graph.metrics.depends_on`, same columns and order:
    plan, the task's place in it, role), read from its own role edges only."""
    d = G._node[node]
    rows = []
    for t, keyed in G._succ[node].items():
        td = G._node[t]
        for e in keyed.values():
            if e.get("rel") != "role":
                continue
            rows.append(
                (
                    (td["document"], td["seq"], e["role"]),
                    {
                        "task": td["id"],
                        "title": td["title"],
                        "role": e["role"],
                        "group": td["group"],
                        "deadline": td["deadline"],
                        "plan": td["document"],
                        "agency": d["name"],
                        "jurisdiction": d.get("jurisdiction") or "Việt Nam",
                    },
                )
            )
    rows.sort(key=lambda r: r[0])
    return [r for _, r in rows]


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
        "url": _node_url(G, n),
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


def _agency_view(G: nx.MultiDiGraph, collectives: bool, load: list[dict[str, Any]]) -> dict[str, Any]:
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
            "url": _node_url(G, n),
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


def _without_place(words: list[str], place: list[str]) -> list[str]:
    """*words* without a trailing jurisdiction: "so noi vu ha noi" in Hà Nội is "so noi vu".

    >>> _without_place("so noi vu ha noi".split(), ["ha", "noi"]), _without_place(["ha", "noi"], ["ha", "noi"])
    (['so', 'noi', 'vu'], ['ha', 'noi'])
    """
    n = len(place)
    if n and len(words) > n and words[-n:] == place:
        return words[:-n]
    return words


def _in_order(words: list[str], tokens: list[str]) -> bool:
    """Each word is a later token than the one before, or the start of one (3 letters at least).

    >>> _in_order(["so", "vu"], "so noi vu".split()), _in_order(["so", "noi", "vu"], "so ngoai vu ha noi".split())
    (True, False)
    >>> _in_order(["bo", "cong", "thuong"], "bo cong thuong".split()), _in_order(["vu", "so"], "so noi vu".split())
    (True, False)
    """
    i = 0
    for w in words:
        while i < len(tokens) and not (tokens[i] == w or (len(w) >= 3 and tokens[i].startswith(w))):
            i += 1
        if i == len(tokens):
            return False
        i += 1
    return True


def _plan_place(G: nx.MultiDiGraph, d: Mapping[str, Any]) -> str:
    """A plan's jurisdiction: its issuer's (a national issuer's is Việt Nam)."""
    issuer = G.nodes.get(f"agency:{d.get('issuer')}")
    if issuer is None:
        return str(d.get("issuer_name") or "")
    return str(issuer.get("jurisdiction") or "Việt Nam")


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


def source_lines(file: str | None, lines: Sequence[int]) -> list[dict[str, Any]]:
    """The lines of the plan's file a task was read from, as printed there (empty when the file is gone).

    >>> source_lines("examples/hanoi-kh-30-ctr-tu-2024.txt", [1])[0]["line"]
    1
    """
    if not file or not lines:
        return []
    path = Path(file)
    if not path.is_file() or path.suffix.lower() not in {".txt", ".md"}:
        return [{"line": n, "text": ""} for n in sorted(lines)]
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [{"line": n, "text": text[n - 1] if 0 < n <= len(text) else ""} for n in sorted(lines)]
