"""Who holds a task today: agencies over time, through the 2025 reorganisation.

A plan from 2024 names agencies that were merged, absorbed or abolished in
2025.  By National Assembly Resolution 190/2025/QH15 a name in an existing
document converts to the agency that received the function.  The change
events live in ``ontology/reorg.toml`` (each with its date, legal basis and
sources, and ``confirmed = false`` where no source confirms it);
:mod:`kg.graph.reorg_events` reads them and this module follows them from the agency
a plan named to the agency that holds the work on a given day.

These are the reference answers for the ``current-holder`` question, in the
style of :mod:`kg.graph.metrics`: pure functions, rows of plain values.

>>> from datetime import date
>>> h = holder("ha-noi/so-ke-hoach-va-dau-tu", date(2026, 1, 1))
>>> h.agencies, h.events, h.confirmed
(('ha-noi/so-tai-chinh',), ('ha-noi-2025-so-tai-chinh',), True)
>>> holder("ha-noi/so-ke-hoach-va-dau-tu", date(2024, 6, 1)).agencies
('ha-noi/so-ke-hoach-va-dau-tu',)

Every province: the March 2025 department rules apply to each (unconfirmed where no
source states the province's own resolution), and the bodies of a province merged on
1 July 2025 pass to the same bodies of the resulting province:

>>> h = holder("binh-duong/so-ke-hoach-va-dau-tu", date(2026, 1, 1))
>>> h.agencies, [(s.target, s.confirmed) for s in h.steps]
(('ho-chi-minh/so-tai-chinh',), [('binh-duong/so-tai-chinh', False), ('ho-chi-minh/so-tai-chinh', True)])
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import networkx as nx

from kg.graph.metrics import agency_load
from kg.graph.network import agency_node, document_node
from kg.graph.reorg_events import ChangeEvent, Reorg, _default
from kg.model import NATIONAL, Agency
from kg.model.gazetteer import Gazetteer

__all__ = [
    "Holder",
    "Holding",
    "Lifespan",
    "Step",
    "agency_history",
    "agency_label",
    "agency_load_as_of",
    "agency_record",
    "as_of_graph",
    "current_holder",
    "holder",
    "holding_on",
    "holdings",
    "lifespan",
    "lifespans",
]

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Step:
    """One event followed from one agency to the next."""

    event: str
    date: date
    kind: str
    source: str
    target: str
    basis: str  # "successor", or the functions moved and the keywords that matched
    confirmed: bool
    legal_basis: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds the work of agency ``named`` on a day: the agencies and the chain of events."""

    named: str
    agencies: tuple[str, ...]
    steps: tuple[Step, ...] = ()

    @property
    def events(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.event for s in self.steps))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(src for s in self.steps for src in s.sources))

    @property
    def confirmed(self) -> bool:
        """True when every step is confirmed by a source (trivially true when nothing changed)."""
        return all(s.confirmed for s in self.steps)

    @property
    def changed(self) -> bool:
        return self.agencies != (self.named,)


@dataclass(frozen=True, slots=True)
class Lifespan:
    """When an agency existed, as far as the events say (``None``: before/after the events)."""

    agency: str
    start: date | None
    end: date | None
    started_by: str | None
    ended_by: str | None


# Following events -----------------------------------------------------------------------------------


# The events that may touch each agency, by reorg (a handful of Reorg objects live at once).
_EVENT_INDEX: dict[int, tuple[Reorg, dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], bool]] = {}


def _event_index(reorg: Reorg) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]], bool]:
    """Event indices by agency (an original or a source of functions) and by merged place, and whether
    the events are in date order (the walk in :func:`_follow` may then skip the events between)."""
    found = _EVENT_INDEX.get(id(reorg))
    if found is not None and found[0] is reorg:
        return found[1], found[2], found[3]
    by_agency: dict[str, list[int]] = {}
    by_place: dict[str, list[int]] = {}
    for i, ev in enumerate(reorg.events):
        for a in {*ev.original, *(f.source for f in ev.functions)}:
            by_agency.setdefault(a, []).append(i)
        for place in set(ev.merged_places):
            by_place.setdefault(place, []).append(i)
    ordered = all(a.date <= b.date for a, b in zip(reorg.events, reorg.events[1:], strict=False))
    entry = (
        reorg,
        {k: tuple(v) for k, v in by_agency.items()},
        {k: tuple(v) for k, v in by_place.items()},
        ordered,
    )
    _EVENT_INDEX[id(reorg)] = entry
    return entry[1], entry[2], entry[3]


def _candidates(reorg: Reorg, agency_id: str, start: int) -> list[int] | range:
    """The indices from *start* of the events that may touch *agency_id* (:meth:`ChangeEvent.touches`
    decides), in order: every event when they are not in date order.

    >>> from kg.graph.reorg_events import _default
    >>> r = _default()
    >>> a = "binh-duong/so-ke-hoach-va-dau-tu"
    >>> touching = {i for i, ev in enumerate(r.events) if ev.touches(a)}
    >>> bool(touching) and touching <= set(_candidates(r, a, 0))
    True
    """
    by_agency, by_place, ordered = _event_index(reorg)
    if not ordered:
        return range(start, len(reorg.events))
    found = {*by_agency.get(agency_id, ()), *by_place.get(agency_id.partition("/")[0], ())}
    return sorted(i for i in found if i >= start)


def _follow(
    agency_id: str, as_of: date, text: str, reorg: Reorg, start: int, depth: int = 0
) -> tuple[list[str], list[Step]]:
    """Holders of *agency_id*'s work after events ``reorg.events[start:]`` up to *as_of*."""
    if depth > len(reorg.events):  # pragma: no cover - a cycle in the data
        raise ValueError(f"reorg: cycle through {agency_id}")
    for i in _candidates(reorg, agency_id, start):
        ev = reorg.events[i]
        if ev.date > as_of:
            break
        if not ev.touches(agency_id):
            continue
        moves: list[tuple[str, str, bool, tuple[str, ...]]] = []
        transfers = [(t, t.hits(text)) for t in ev.functions if t.source == agency_id]
        best = max((len(h) for _, h in transfers), default=0)
        for t, hit in transfers:
            if best and len(hit) == best:
                basis = f"functions: {', '.join(t.functions)} (matched: {', '.join(hit)})"
                moves.append((t.target, basis, ev.confirmed and t.confirmed, t.sources + ev.sources))
        if not moves and (successor := ev.successor_of(agency_id)):
            moves.append((successor, "successor", ev.confirmed_for(agency_id), ev.sources))
        if not moves:
            continue  # the agency continues through this event with the work in question
        holders: list[str] = []
        steps: list[Step] = []
        for target, basis, confirmed, sources in moves:
            steps.append(
                Step(ev.id, ev.date, ev.kind, agency_id, target, basis, confirmed, ev.legal_basis, sources)
            )
            more, more_steps = _follow(target, as_of, text, reorg, i + 1, depth + 1)
            holders += [h for h in more if h not in holders]
            steps += more_steps
        return holders, steps
    return [agency_id], []


def holder(agency_id: str, as_of: date, text: str = "", reorg: Reorg | None = None) -> Holder:
    """The agency (or agencies) holding *agency_id*'s work on *as_of*, and how.

    Events dated on or before *as_of* are followed in date order from the
    named agency (a ``not-after`` event counts from its date, the day by which
    it is known to have happened).  At each event that touches the current
    agency:

    - if the event moves part of its functions elsewhere (``[[event.functions]]``)
      and *text* (the task title, or role text) contains keywords of a
      transfer, the work goes to that transfer's receiver -- the transfer
      with the most keyword hits, or all of those tied;
    - otherwise, if the agency ends in the event, the work goes to the
      event's main successor (``successor``, by default the first resulting
      organisation);
    - otherwise the agency continues and keeps the work.

    So with no text, or text matching no moved function, the main successor
    holds the work.  Example: "Tuyên truyền về Nghị quyết …" led by Hà Nội's
    Sở Thông tin và Truyền thông goes to the Sở Văn hóa và Thể thao, which
    received press, publishing and communication, the channels of propaganda;
    a digital-transformation task of the same department goes to the Sở Khoa
    học và Công nghệ.  :attr:`Holder.confirmed` is false if any step rests on
    an unconfirmed event or transfer.

    >>> h = holder("ha-noi/so-thong-tin-va-truyen-thong", date(2026, 1, 1), "Tuyên truyền về Nghị quyết")
    >>> h.agencies
    ('ha-noi/so-van-hoa-va-the-thao',)
    >>> holder("ha-noi/so-thong-tin-va-truyen-thong", date(2026, 1, 1), "Chuyển đổi số").agencies
    ('ha-noi/so-khoa-hoc-va-cong-nghe',)
    """
    if agency_id not in (reorg.moved if reorg is not None else _default_moved()):
        return Holder(agency_id, (agency_id,))
    reorg = reorg or _default()
    agencies, steps = _follow(agency_id, as_of, text, reorg, 0)
    return Holder(agency_id, tuple(agencies), tuple(steps))


@dataclass(frozen=True, slots=True)
class Holding:
    """From ``start`` until the day before ``end`` (``None``: still), the work named for ``holder.named``
    is held by ``holder.agencies``."""

    start: date
    end: date | None
    holder: Holder

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def holdings(agency_id: str, text: str = "", reorg: Reorg | None = None) -> tuple[Holding, ...]:
    """Every period in which someone other than *agency_id* holds its work (named for a task of *text*).

    :func:`holder` is constant between two event dates, so it is asked once
    per event date; periods in which the work stays with *agency_id* are left
    out, so an empty tuple means "never moved".  This is what the stores keep
    (``kg:Holding`` in RDF, ``HOLDS`` in Neo4j) so that a query can ask for
    any date.

    >>> [(h.start.isoformat(), h.end, h.holder.agencies) for h in holdings("ha-noi/so-ke-hoach-va-dau-tu")]
    [('2025-03-01', None, ('ha-noi/so-tai-chinh',))]
    >>> holdings("ha-noi/so-noi-vu")
    ()
    """
    if reorg is None:
        # Most agencies never moved: answered from a cached set before the per-text cache.
        return _default_holdings(agency_id, text) if agency_id in _default_moved() else ()
    return _holdings(agency_id, text, reorg)


@cache
def _default_moved() -> frozenset[str]:
    return _default().moved


# Holdings by agency and by what its text matches: most task titles match no moved function, so the
# holdings of thousands of tasks are worked out a few times per agency.
_HELD: dict[tuple[str, tuple[tuple[str, ...], ...]], tuple[Holding, ...]] = {}


def _default_holdings(agency_id: str, text: str) -> tuple[Holding, ...]:
    """:func:`_holdings` on the default events, shared by every text that matches the same keywords of the
    transfers the work could meet (text enters the walk only through ``FunctionTransfer.hits``)."""
    key = (agency_id, tuple(t.hits(text) for t in _transfers_met(agency_id)))
    found = _HELD.get(key)
    if found is None:
        found = _HELD[key] = _holdings(agency_id, text, _default())
    return found


@cache
def _transfers_met(agency_id: str) -> tuple[Any, ...]:
    """Every function transfer whose keywords :func:`_follow` may ask about, from *agency_id* on any day:
    the transfers out of it and out of every agency its work can pass to (default events).

    >>> sorted(t.target for t in _transfers_met("ha-noi/so-thong-tin-va-truyen-thong"))
    ['ha-noi/cong-an-thanh-pho', 'ha-noi/so-van-hoa-va-the-thao']
    """
    reorg = _default()
    seen: set[str] = set()
    todo, out = [agency_id], []
    while todo:
        x = todo.pop()
        if x in seen:
            continue
        seen.add(x)
        for i in _candidates(reorg, x, 0):
            ev = reorg.events[i]
            if not ev.touches(x):
                continue
            for t in ev.functions:
                if t.source == x:
                    out.append(t)
                    todo.append(t.target)
            if (successor := ev.successor_of(x)) is not None:
                todo.append(successor)
    return tuple(out)


def _holdings(agency_id: str, text: str, reorg: Reorg) -> tuple[Holding, ...]:
    if agency_id not in reorg.moved:
        return ()
    days = sorted({e.date for e in reorg.events})
    out: list[Holding] = []
    for i, day in enumerate(days):
        h = holder(agency_id, day, text, reorg)
        end = days[i + 1] if i + 1 < len(days) else None
        if not h.steps:
            continue
        last = out[-1] if out else None
        if (
            last is not None
            and last.end == day
            and (last.holder.agencies, last.holder.steps)
            == (
                h.agencies,
                h.steps,
            )
        ):
            out[-1] = Holding(last.start, end, last.holder)
        else:
            out.append(Holding(day, end, h))
    return tuple(out)


def holding_on(found: tuple[Holding, ...], day: date | None) -> Holding | None:
    """The period of *found* that covers *day*, if any (none: the named agency holds the work).

    >>> holding_on(holdings("ha-noi/so-ke-hoach-va-dau-tu"), date(2026, 1, 1)).holder.agencies
    ('ha-noi/so-tai-chinh',)
    >>> holding_on(holdings("ha-noi/so-ke-hoach-va-dau-tu"), date(2024, 6, 1)) is None
    True
    """
    if day is None:
        return None
    return next((h for h in found if h.covers(day)), None)


def agency_record(
    agency_id: str,
    reorg: Reorg | None = None,
    G: nx.MultiDiGraph | None = None,
    gazetteer: Gazetteer | None = None,
    named: Agency | None = None,
) -> Agency:
    """The :class:`~kg.model.Agency` of an id: from the graph if it has it, else as the events name it,
    else from the gazetteer entry of the id's key (else the id itself, unrecognised).

    A body the gazetteer does not know that passed with its province to another keeps the name the
    plan gave it: from *named* (the agency the plan named) or a node of *G* with the same key.

    >>> agency_record("ha-noi/so-nong-nghiep-va-moi-truong").name_en
    'Department of Agriculture and Environment'
    """
    node = G.nodes.get(agency_node(agency_id)) if G is not None else None
    if node:
        return Agency(
            node["id"], node["name"], node["name_en"], node["kind"], node["recognised"], node["jurisdiction"]
        )
    reorg = reorg or _default()
    if agency_id in reorg.agencies:
        return reorg.agencies[agency_id]
    from kg.model.places import provinces

    gazetteer = gazetteer or Gazetteer.default()
    place, _, key = agency_id.rpartition("/")
    province = next((p for p in provinces() if p.slug == place), None)
    entry = gazetteer.get(key)
    if entry is not None and entry.scope == "local" and province is not None:
        # A body of a province the events never name (the merged provinces' bodies, as a plan names them).
        return gazetteer.resolve(entry, province.name)
    if entry is not None:
        return Agency(agency_id, entry.name, entry.name_en, entry.kind, True, None)
    if province is not None and named is not None and named.id.rpartition("/")[2] == key:
        return Agency(agency_id, named.name, named.name_en, named.kind, False, province.display)
    if G is not None and province is not None:
        # A body the gazetteer does not know, passed to another province: named as the plan named it.
        node = next((d for _, d in G.nodes(data=True) if str(d.get("id", "")).endswith(f"/{key}")), None)
        if node is not None:
            return Agency(agency_id, node["name"], node.get("name_en"), node["kind"], False, province.display)
    return Agency(agency_id, agency_id, None, "other", False, None)


def lifespans(reorg: Reorg | None = None) -> dict[str, Lifespan]:
    """Existence intervals derived from the events, for every agency an event ends or starts.

    An original organisation that does not continue ends the day before the
    event; a resulting organisation that is new starts on it.  An agency in
    both lists (Sở Tài chính, which took in the Sở Kế hoạch và Đầu tư)
    continues and gets no bound from that event.

    >>> s = lifespans()["ha-noi/so-ke-hoach-va-dau-tu"]
    >>> s.end.isoformat(), s.ended_by
    ('2025-02-28', 'ha-noi-2025-so-tai-chinh')
    """
    reorg = reorg or _default()
    start: dict[str, tuple[date, str]] = {}
    end: dict[str, tuple[date, str]] = {}
    for ev in reorg.events:
        for a in ev.starts:
            start.setdefault(a, (ev.date, ev.id))
        for a in ev.ends:
            end.setdefault(a, (ev.date - timedelta(days=1), ev.id))
    return {
        a: Lifespan(
            a,
            start[a][0] if a in start else None,
            end[a][0] if a in end else None,
            start[a][1] if a in start else None,
            end[a][1] if a in end else None,
        )
        for a in sorted({*start, *end})
    }


def agency_label(
    agency_id: str, G: nx.MultiDiGraph | None = None, gazetteer: Gazetteer | None = None
) -> dict:
    """Name, English name and kind of an agency id (:func:`agency_record`).

    >>> agency_label("ha-noi/so-tai-chinh")["name_en"]
    'Department of Finance'
    """
    a = agency_record(agency_id, G=G, gazetteer=gazetteer)
    return {"name": a.name, "name_en": a.name_en, "kind": a.kind}


def _merged_into(ev: ChangeEvent, agency_id: str) -> list[str]:
    """In a merger of provinces, the bodies of the merged provinces that *agency_id* (of the resulting
    province) took in: Sở Tài chính of Hồ Chí Minh took in those of Bình Dương and Bà Rịa - Vũng Tàu."""
    place, _, key = agency_id.partition("/")
    if not ev.merged_places or place != ev.into_place or not key:
        return []
    found = []
    for p in ev.merged_places:
        back = {v: k for k, v in ev.key_maps.get(p, {}).items()}
        other = f"{p}/{back.get(key, key)}"
        if ev.place_successor(other) == agency_id:
            found.append(other)
    return found


def lifespan(agency_id: str, reorg: Reorg | None = None) -> Lifespan | None:
    """When *agency_id* existed as the events say, merged provinces' bodies included (``None``: no bound).

    >>> s = lifespan("binh-duong/so-tai-chinh")
    >>> s.end.isoformat(), s.ended_by
    ('2025-06-30', 'ho-chi-minh-2025-hop-nhat-tinh')
    """
    reorg = reorg or _default()
    start = next((e for e in reorg.events if agency_id in e.starts), None)
    end = next((e for e in reorg.events if e.successor_of(agency_id)), None)
    if start is None and end is None:
        return None
    return Lifespan(
        agency_id,
        start.date if start else None,
        end.date - timedelta(days=1) if end else None,
        start.id if start else None,
        end.id if end else None,
    )


def agency_history(agency_id: str, reorg: Reorg | None = None) -> list[Row]:
    """What the events did to an agency: one row per event touching it, in date order.

    ``change`` says the agency's part: ``ended`` (merged, absorbed, renamed or
    abolished into ``into``), ``continued`` (took in others), ``started``
    (formed from ``from``), ``gave functions`` / ``received functions``.

    >>> [(r["date"], r["change"], r["into"]) for r in agency_history("ha-noi/so-ngoai-vu")]
    [('2025-03-01', 'ended', ['ha-noi/van-phong-ubnd-thanh-pho'])]
    """
    reorg = reorg or _default()
    rows = []
    ended = False
    for ev in reorg.events:
        if ended and ev.merged_places:
            continue  # a body that had already ended is not among those a province merger passes on
        parts: list[tuple[str, list[str], list[str], tuple[str, ...], bool, str, tuple[str, ...]]] = []
        if successor := ev.successor_of(agency_id):
            parts.append(("ended", [], [successor], (), ev.confirmed_for(agency_id), "", ev.sources))
        elif merged := _merged_into(ev, agency_id):
            parts.append(("continued", merged, [], (), ev.confirmed_for(merged[0]), "", ev.sources))
        elif agency_id in ev.original:
            others = [a for a in ev.original if a != agency_id]
            parts.append(("continued", others, [], (), ev.confirmed, "", ev.sources))
        elif agency_id in ev.starts:
            parts.append(("started", list(ev.original), [], (), ev.confirmed, "", ev.sources))
        for t in ev.functions:
            if t.source == agency_id:
                parts.append(("gave functions", [], [t.target], t.functions, t.confirmed, t.note, t.sources))
            if t.target == agency_id:
                parts.append(
                    ("received functions", [t.source], [], t.functions, t.confirmed, t.note, t.sources)
                )
        ended = ended or any(part[0] == "ended" for part in parts)
        for change, frm, into, functions, confirmed, note, sources in parts:
            rows.append(
                {
                    "date": ev.date.isoformat(),
                    "date_precision": ev.date_precision,
                    "event": ev.id,
                    "kind": ev.kind,
                    "change": change,
                    "from": frm,
                    "into": into,
                    "functions": list(functions),
                    "legal_basis": ev.legal_basis,
                    "confirmed": ev.confirmed and confirmed,
                    "sources": list(sources),
                    "note": note or ev.note,
                }
            )
    return rows


# Over the networkx graph --------------------------------------------------------------------------


def _role_edges(G: nx.MultiDiGraph):
    for u, v, data in G.edges(data=True):
        if data.get("rel") == "role":
            yield u, v, data["role"]


def current_holder(G: nx.MultiDiGraph, as_of: date, reorg: Reorg | None = None) -> list[Row]:
    """Who holds each task's role assignments on *as_of*: the reference answer of ``current-holder``.

    One row per task and role assignment (agency → task edge) of the graph of
    :func:`kg.graph.network.build_graph`: ``named`` is the agency the plan named,
    ``holder`` the agencies holding that work on *as_of* (:func:`holder`,
    choosing by the task title) and ``holder_jurisdiction`` their place (a
    merged province's bodies are held by the resulting province's), ``events`` the change events followed and
    ``sources`` their public sources (empty when nothing changed).
    ``confirmed`` is false when a step rests on an unconfirmed event.
    Order: plan, the task's position in its plan, role, named agency.

    >>> from loaders import read_plan
    >>> from kg.graph.network import build_graph
    >>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> row = next(r for r in current_holder(G, date(2026, 1, 1)) if (r["task"], r["role"]) == ("IV.1", "lead"))
    >>> row["named"], row["holder"]
    ('Sở Kế hoạch và Đầu tư', ['Sở Tài chính'])
    """
    reorg = reorg or _default()
    rows = []
    for a, t, role in _role_edges(G):
        td, ad = G.nodes[t], G.nodes[a]
        h = holder(ad["id"], as_of, td["title"], reorg)
        rows.append(
            {
                "plan": td["document"],
                "task": td["id"],
                "role": role,
                "named": ad["name"],
                "named_id": ad["id"],
                "jurisdiction": ad.get("jurisdiction") or NATIONAL,
                "holder": [agency_label(x, G)["name"] for x in h.agencies],
                # The holders are bodies of one place (an event is scoped by one jurisdiction, a province
                # merger moves all of a province's bodies to one), which may not be the named one's.
                "holder_jurisdiction": _place_of(h.agencies[0], reorg, G),
                "holder_id": list(h.agencies),
                "confirmed": h.confirmed,
                "events": list(h.events),
                "sources": list(h.sources),
                "_seq": td["seq"],
            }
        )
    rows.sort(key=lambda r: (r["plan"], r["_seq"], r["role"], r["named"], r["named_id"]))
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def _place_of(agency_id: str, reorg: Reorg, G: nx.MultiDiGraph) -> str:
    """The jurisdiction of an agency id, as the graph or the events name it (national: Việt Nam)."""
    return agency_record(agency_id, reorg, G).jurisdiction or NATIONAL


def agency_load_as_of(
    G: nx.MultiDiGraph, as_of: date, *, collectives: bool = False, reorg: Reorg | None = None
) -> list[Row]:
    """Like :func:`kg.graph.metrics.agency_load`, counting each task for the agencies holding it on *as_of*.

    A merged agency's tasks count for its successor (chosen per task as in
    :func:`holder`); a task the successor already had in the same role counts
    once.  Same columns and order as ``agency_load``; before any event the two
    are equal.

    >>> from loaders import read_plan
    >>> from kg.graph.network import build_graph
    >>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> fin = next(r for r in agency_load_as_of(G, date(2026, 1, 1)) if r["agency"] == "Sở Tài chính")
    >>> (fin["lead"], fin["coordinating"], fin["total"])
    (3, 2, 4)
    """
    return agency_load(as_of_graph(G, as_of, reorg), collectives=collectives)


# Edges whose agency end moves with the reorganisation: (rel, the agency is the edge's source?).
# Role edges run agency -> task; a body item is addressed by agency -> item and names the agencies
# it coordinates with and reports to by item -> agency (kg.graph.network.add_audit).
_MOVABLE = {"role": True, "addressed": True, "reports_to": False, "coordinating": False}


def as_of_graph(G: nx.MultiDiGraph, as_of: date | None = None, reorg: Reorg | None = None) -> nx.MultiDiGraph:
    """A copy of *G* in which the work of agencies that were reorganised goes to its holders on *as_of*.

    Each role edge (agency -> task) and body edge (addressee, coordinator,
    recipient of a body item) of an agency whose work moved by *as_of* is
    redrawn from the agency (or agencies) holding it then (:func:`holder`,
    choosing by the task title or the item's text), with ``named``/``named_id``
    (the agency the plan named) and ``events`` on the new edge; the holders
    join the graph with their gazetteer names.  Without *as_of* each plan is taken
    on its own date (a plan without a date as named).  Every function of
    :mod:`kg.graph.metrics` then answers "as of" that date: this is the reference
    for the ``as_of`` parameter of the named queries.

    >>> from loaders import read_plan
    >>> from kg.graph.network import build_graph
    >>> from kg.graph.metrics import depends_on
    >>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> H = as_of_graph(G, date(2026, 1, 1))
    >>> [r["task"] for r in depends_on(H, ["ha-noi/so-nong-nghiep-va-moi-truong"])]
    ['IV.9']
    >>> depends_on(as_of_graph(G, date(2024, 6, 1)), ["ha-noi/so-nong-nghiep-va-moi-truong"])
    []
    """
    given, reorg = reorg, reorg or _default()
    moved = reorg.moved if given is not None else _default_moved()
    H = G.copy()
    for u, v, key, data in G.edges(keys=True, data=True):
        rel = data.get("rel")
        if rel not in _MOVABLE:
            continue
        agency, work = (u, v) if _MOVABLE[rel] else (v, u)
        a, w = G.nodes[agency], G.nodes[work]
        if a.get("type") != "agency" or a["id"] not in moved:
            continue
        day = as_of or G.nodes.get(document_node(w["document"]), {}).get("date")
        text = w.get("title") or w.get("text") or ""
        found = holding_on(holdings(a["id"], text, given), day)
        if found is None:
            continue
        H.remove_edge(u, v, key=key)
        for x in found.holder.agencies:
            xn = agency_node(x)
            if xn not in H:
                H.add_node(xn, type="agency", **agency_record(x, reorg, G).properties())
            # The redrawn edge remembers whom the plan named (the network and report show it).
            redrawn = {**data, "named": a["name"], "named_id": a["id"], "events": found.holder.events}
            if _MOVABLE[rel]:
                H.add_edge(xn, v, key=key, **redrawn)
            else:
                H.add_edge(u, xn, key=key, **redrawn)
    return H
