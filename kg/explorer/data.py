"""What the explorer shows, read from a built store: search, the records of each page, neighbourhoods.

One :class:`Explorer` per server: the store opened read-only, its networkx graph
read once (composed from the records the build kept, :func:`kg.stores.graph.stored_graph`,
else read from the quads, :func:`kg.stores.graph.to_networkx`), and the agency records
for name lookups.  Everything here returns plain values (dicts, lists, :class:`Table`);
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
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from kg.explorer.graph_view import agency_view, neighbourhood
from kg.explorer.urls import agency_url, plan_url, task_url
from kg.model.text import name_key, strip_diacritics

__all__ = ["Explorer", "Hit", "Table", "loose"]

ROLES = ("lead", "directing", "coordinating")


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

    from kg.stores.graph import without_gc

    folder = cache_dir()
    if folder is None:
        return read()
    where = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    file = folder / f"{where}-{store_stamp(path)}.pickle"
    try:
        with file.open("rb") as f, without_gc():  # 1.2 s instead of 7.7 s at 1,000 plans
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
        from kg.stores.graph import stored_graph, to_networkx, without_gc

        self.path = Path(path)
        self.kg = kg.open(self.path)
        self.store = self.kg.store

        # The graph composed from the records the build kept beside the quads (seconds), else read from
        # the quads themselves (minutes at 10,000 plans): the same graph either way.  Only a graph read
        # from the quads is cached: writing the cache would cost a first start more than loading it saves
        # the next (10,000 plans at load 8: composed in 32 s, the cache written in 20 s more, loaded in 17 s).
        self.read_from = "cache"  # where the graph came from: "cache", "parts" or "quads" (kg serve says)

        def read() -> nx.MultiDiGraph:
            self.read_from = "quads"
            return to_networkx(self.store)

        started = time.monotonic()
        with without_gc():  # millions of objects made, none of them garbage: collections would walk them all
            G = stored_graph(self.path)
            if G is not None:
                self.read_from = "parts"
            else:
                G = cached_graph(self.path, read) if cache else read()
            self.G: nx.MultiDiGraph = G
        self.read_seconds = time.monotonic() - started
        # The graph is millions of objects that live as long as the server: out of the collector's
        # sight, so that a page's own garbage does not make it walk them all (a second at 1,000 plans).
        gc.collect()
        gc.freeze()
        # The search index (a key for every name and title) was most of a start once the graph is
        # composed (10 of 13 s at 1,000 plans): it is made in a thread while the first pages answer, and a
        # search waits for it.
        # So are the home page's tables, first: they walk the whole graph (20 s at 10,000 plans), and the
        # home page waits for them rather than work them out a second time beside the thread.
        self._home_made = threading.Event()
        self._index_made = threading.Event()
        self._index_rows: list[tuple[str, Hit]] = []
        self._index_error: BaseException | None = None
        threading.Thread(target=self._make_index, name="kg-search-index", daemon=True).start()

    def _make_index(self) -> None:
        try:
            self._home_tables(date.today())
        except Exception:  # the home page asks again, and shows the error
            pass
        finally:
            self._home_made.set()
        try:
            self._index_rows = self._search_index()
        except BaseException as e:  # raised by the searches that wait for it
            self._index_error = e
        finally:
            self._index_made.set()
        gc.collect()
        gc.freeze()  # the index and the tables live as long as the graph

    def home(self, today: date) -> dict[str, Any]:
        """What the home page shows: the summary, the busiest agencies, the deadlines from *today*, the
        plans, each worked out once (the thread started with the server works them out first)."""
        self._home_made.wait()
        return self._home_tables(today)

    def _home_tables(self, today: date) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "busiest": self.agency_load()[:15],
            "deadlines": self.deadlines_ahead(today),
            "plans": self.plan_summary(),
        }

    @functools.lru_cache(maxsize=1)  # noqa: B019 — one Explorer per server; the graph never changes
    def plan_summary(self) -> list[dict[str, Any]]:
        """The ``plan-summary`` rows of the whole store (:func:`kg.graph.metrics.plan_summary`)."""
        from kg.graph import metrics

        return metrics.plan_summary(self.G)

    @property
    def _index(self) -> list[tuple[str, Hit]]:
        """The search index, once the thread that makes it is done."""
        self._index_made.wait()
        if self._index_error is not None:
            raise self._index_error
        return self._index_rows

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

    @functools.lru_cache(maxsize=1)  # noqa: B019 — one Explorer per server; the graph never changes
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
    @functools.lru_cache(maxsize=8)  # noqa: B019 — one Explorer per server, a few dates at a time
    def agency_load(self, collectives: bool = False, as_of: date | None = None) -> list[dict[str, Any]]:
        """The ``agency-load`` rows (:func:`kg.graph.metrics.agency_load`) of the graph on *as_of*, worked out
        once: it walks the whole graph (seconds at 10,000 plans) and the home page, the agency view and
        the Cypher page's examples all start from it."""
        from kg.graph import metrics

        return metrics.agency_load(self._graph_on(as_of), collectives=collectives)

    def deadlines_ahead(self, today: date, limit: int = 25) -> list[dict[str, Any]]:
        """The first *limit* rows of the ``deadlines`` query from *today* on."""
        return self._deadlines_from(today)[:limit]

    @functools.lru_cache(maxsize=2)  # noqa: B019 — today's, and yesterday's around midnight
    def _deadlines_from(self, today: date) -> list[dict[str, Any]]:
        from kg.graph import metrics

        return metrics.deadlines(self.G, start=today)

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
        return agency_view(self._graph_on(day), collectives, self.agency_load(collectives, day))

    def neighbourhood(
        self, node: str, *, hops: int = 1, collectives: bool = True, as_of: str | date | None = None
    ) -> dict[str, Any] | None:
        """The agencies, tasks and plans within *hops* of *node*, laid out on the server (x, y in [-1, 1]).

        Hops follow role edges (agency–task) and part-of edges (task–plan), either way.  At most
        :data:`~kg.explorer.graph_view.MAX_GRAPH_NODES` nodes (:func:`kg.explorer.graph_view._choose`); ``cut`` says how many were left out, and one
        "N more" node per kind left out stands for them.  Worked out once per node and options: a
        page opened again, or its hops switched back, answers from memory.
        """
        return self._neighbourhood(node, max(1, min(2, int(hops))), bool(collectives), _day(as_of))

    @functools.lru_cache(maxsize=128)  # noqa: B019 — a few hundred nodes each; the store does not change
    def _neighbourhood(
        self, node: str, hops: int, collectives: bool, day: date | None
    ) -> dict[str, Any] | None:
        return neighbourhood(self._graph_on(day), node, hops, collectives)


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
