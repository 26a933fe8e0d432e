"""Who holds a task today: agencies over time, through the 2025 reorganisation.

A plan from 2024 names agencies that were merged, absorbed or abolished in
2025.  By National Assembly Resolution 190/2025/QH15 a name in an existing
document converts to the agency that received the function.  The change
events live in ``ontology/reorg.toml`` (each with its date, legal basis and
sources, and ``confirmed = false`` where no source confirms it); this module
reads them and follows them from the agency a plan named to the agency that
holds the work on a given day.

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

import functools
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from kg.graph.metrics import agency_load
from kg.model import NATIONAL, Agency
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key

__all__ = [
    "KINDS",
    "PRECISIONS",
    "ChangeEvent",
    "FunctionTransfer",
    "Holder",
    "Holding",
    "Lifespan",
    "Moved",
    "Reorg",
    "Rule",
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
    "load_events",
]

KINDS = ("merger", "absorption", "transfer_of_functions", "renaming", "abolition")
# "day": took effect that day; "decision": date of the deciding act; "not-after": had happened by then.
PRECISIONS = ("day", "decision", "not-after")
Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class FunctionTransfer:
    """Part of an agency's functions going to another body than the main successor.

    ``source``/``target`` are agency ids; ``keywords`` are the words of a task's
    text that select this transfer (see :func:`holder`).
    """

    source: str
    target: str
    functions: tuple[str, ...]
    functions_en: tuple[str, ...]
    keywords: tuple[str, ...]
    confirmed: bool
    sources: tuple[str, ...]
    note: str = ""

    def hits(self, text: str) -> tuple[str, ...]:
        """The keywords found in *text* as whole words (any spelling variant, see :func:`kg.model.text.name_key`).

        >>> t = FunctionTransfer("a", "b", (), (), ("tuyên truyền", "báo chí"), True, ())
        >>> t.hits("Tuyên truyền về Nghị quyết")
        ('tuyên truyền',)
        """
        key = name_key(text)
        return tuple(k for k in self.keywords if re.search(rf"(?<!\w){re.escape(name_key(k))}(?!\w)", key))


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One organisational change (an ``org:ChangeEvent``), with agency ids resolved."""

    id: str
    date: date
    date_precision: str
    kind: str
    jurisdiction: str | None
    original: tuple[str, ...]
    resulting: tuple[str, ...]
    successor: str | None
    legal_basis: str
    sources: tuple[str, ...]
    confirmed: bool
    note: str = ""
    functions: tuple[FunctionTransfer, ...] = ()
    # A merger of provinces: every body of a place of ``merged_places`` (slugs) passes to the same body of
    # ``into_place``; ``key_maps[place]`` names a province's body in a city ("ubnd-tinh" -> "ubnd-thanh-pho").
    merged_places: tuple[str, ...] = ()
    into_place: str | None = None
    key_maps: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False)
    # Gazetteer keys whose passing the sources state (others: unconfirmed), and keys that do not pass.
    confirmed_keys: frozenset[str] = frozenset()
    excluded_keys: frozenset[str] = frozenset()

    @property
    def ends(self) -> tuple[str, ...]:
        """Originals that do not continue: they end the day before :attr:`date`."""
        return tuple(a for a in self.original if a not in self.resulting)

    def place_successor(self, agency_id: str) -> str | None:
        """In a merger of provinces, the body of the resulting province that takes over *agency_id*.

        >>> ev = load_events().get("ho-chi-minh-2025-hop-nhat-tinh")
        >>> ev.place_successor("binh-duong/so-tai-chinh"), ev.place_successor("binh-duong/ubnd-tinh")
        ('ho-chi-minh/so-tai-chinh', 'ho-chi-minh/ubnd-thanh-pho')
        >>> ev.place_successor("ho-chi-minh/so-tai-chinh") is None
        True
        """
        place, _, key = agency_id.partition("/")
        if not key or place not in self.merged_places or key in self.excluded_keys:
            return None
        return f"{self.into_place}/{self.key_maps.get(place, {}).get(key, key)}"

    def successor_of(self, agency_id: str) -> str | None:
        """Who takes over *agency_id* if it ends in this event (``None``: it does not end)."""
        return self.place_successor(agency_id) or (self.successor if agency_id in self.ends else None)

    def confirmed_for(self, agency_id: str) -> bool:
        """Whether the sources state this event for *agency_id* (a province merger: by the body's kind)."""
        if self.place_successor(agency_id) is None:
            return self.confirmed
        return self.confirmed and agency_id.partition("/")[2] in self.confirmed_keys

    @property
    def starts(self) -> tuple[str, ...]:
        """Resulting organisations that are new: they start on :attr:`date`."""
        return tuple(a for a in self.resulting if a not in self.original)

    def touches(self, agency_id: str) -> bool:
        """True if the event ends, continues or takes functions from *agency_id*."""
        return (
            agency_id in self.original
            or any(f.source == agency_id for f in self.functions)
            or self.place_successor(agency_id) is not None
        )


@dataclass(frozen=True, slots=True)
class Rule:
    """The legal rule that converts names in existing documents (Resolution 190/2025/QH15)."""

    legal_basis: str
    text_en: str
    sources: tuple[str, ...]


class Moved(frozenset):
    """Agencies whose work some event moves: named ones, and every body of a merged province.

    >>> m = load_events().moved
    >>> "ha-noi/so-ngoai-vu" in m, "binh-duong/so-y-te" in m, "ho-chi-minh/so-y-te" in m
    (True, True, False)
    """

    places: frozenset[str] = frozenset()

    def __new__(cls, ids: frozenset[str] = frozenset(), places: frozenset[str] = frozenset()) -> Moved:
        self = super().__new__(cls, ids)
        self.places = places
        return self

    def __contains__(self, agency_id: object) -> bool:
        if frozenset.__contains__(self, agency_id):
            return True
        return isinstance(agency_id, str) and agency_id.partition("/")[0] in self.places


@dataclass(frozen=True, slots=True)
class Reorg:
    """The change events of ``ontology/reorg.toml``, in date order, and the conversion rule."""

    rule: Rule
    events: tuple[ChangeEvent, ...]
    # Every agency the events name, as the gazetteer resolves it in the event's jurisdiction.
    agencies: dict[str, Agency] = field(default_factory=dict, compare=False, hash=False)
    # Derived once from the events (holder asks it for every role of every plan).
    _moved: Moved = field(init=False, compare=False, hash=False, repr=False)
    _by_id: dict[str, ChangeEvent] = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        moved = Moved(
            frozenset(a for e in self.events for a in (*e.ends, *(f.source for f in e.functions))),
            frozenset(p for e in self.events for p in e.merged_places),
        )
        object.__setattr__(self, "_moved", moved)
        object.__setattr__(self, "_by_id", {e.id: e for e in self.events})

    def get(self, event_id: str) -> ChangeEvent | None:
        return self._by_id.get(event_id)

    @property
    def moved(self) -> Moved:
        """Agencies whose work some event moves: they end in it, give functions away, or are bodies of a
        merged province."""
        return self._moved


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


# Loading ------------------------------------------------------------------------------------------


def _resolve(
    key: str, jurisdiction: str | None, gazetteer: Gazetteer, where: str, seen: dict[str, Agency]
) -> str:
    entry = gazetteer.get(key)
    if entry is None:
        raise ValueError(f"{where}: {key!r} is not a gazetteer key")
    if entry.scope == "local" and not jurisdiction:
        raise ValueError(f"{where}: local key {key!r} needs the event's jurisdiction")
    agency = gazetteer.resolve(entry, jurisdiction)
    seen.setdefault(agency.id, agency)
    return agency.id


def _strings(row: dict[str, Any], field: str) -> tuple[str, ...]:
    return tuple(clean(x) for x in row.get(field, ()))


def _counterpart(key: str, kind: str, gazetteer: Gazetteer, city_words: tuple[tuple[str, str], ...]) -> str:
    """The key of the body named like *key*'s in a place of *kind* ("tỉnh" or "thành phố").

    A province's bodies carry "tỉnh" in their names, a city's "thành phố" ("Tỉnh ủy", "Thành ủy"):

    >>> words = (("tỉnh ủy", "thành ủy"), ("tỉnh", "thành phố"))
    >>> g = Gazetteer.default()
    >>> _counterpart("van-phong-ubnd-tinh", "thành phố", g, words), _counterpart("tinh-uy", "thành phố", g, words)
    ('van-phong-ubnd-thanh-pho', 'thanh-uy')
    >>> _counterpart("cong-an-thanh-pho", "tỉnh", g, words), _counterpart("so-y-te", "tỉnh", g, words)
    ('cong-an-tinh', 'so-y-te')
    """
    entry = gazetteer.get(key)
    if entry is None or entry.scope != "local":
        return key
    pairs = {name_key(a): name_key(b) for a, b in city_words}
    if kind != "thành phố":
        pairs = {b: a for a, b in pairs.items()}
    words = "|".join(re.escape(w) for w in sorted(pairs, key=len, reverse=True))
    name = name_key(entry.name)
    other_name = re.sub(rf"(?<!\w)(?:{words})(?!\w)", lambda m: pairs[m.group(0)], name)
    if other_name == name:
        return key
    other = gazetteer.lookup(other_name)
    return other.key if other is not None and other.scope == "local" and other.kind == entry.kind else key


def _rule_rows(
    rule: dict[str, Any], gazetteer: Gazetteer, city_words: tuple[tuple[str, str], ...]
) -> list[dict[str, Any]]:
    """The ``[[event]]`` rows a ``[[province_rule]]`` stands for: one per province it applies to.

    Keys are written for a province and named in a city by :func:`_counterpart`; an exception row
    overrides ``confirmed``/``sources``/``note`` for its province, or leaves it out.
    """
    from kg.model.places import provinces

    if rule.get("applies_to") != "before_2025":
        raise ValueError(f"reorg rule {rule['id']}: unknown applies_to {rule.get('applies_to')!r}")
    skip = {name_key(x) for x in rule.get("skip", ())}
    exceptions = {name_key(x["province"]): x for x in rule.get("exception", ())}
    known = {name_key(p.name) for p in provinces()}
    if unknown := (skip | set(exceptions)) - known:
        raise ValueError(f"reorg rule {rule['id']}: unknown provinces {sorted(unknown)}")
    rows = []
    for p in provinces():
        exc = exceptions.get(name_key(p.name), {})
        if not p.before_2025 or name_key(p.name) in skip or exc.get("skip"):
            continue

        def local(key: str, kind: str = p.kind) -> str:
            return _counterpart(key, kind, gazetteer, city_words)

        row = {k: v for k, v in rule.items() if k not in ("applies_to", "skip", "exception", "functions")}
        row |= {
            "id": f"{p.slug}-{rule['id']}",
            "jurisdiction": p.display,
            "original": [local(k) for k in rule["original"]],
            "resulting": [local(k) for k in rule.get("resulting", ())],
            "functions": [
                {**f, "from": local(f["from"]), "to": local(f["to"])} for f in rule.get("functions", ())
            ],
        }
        if rule.get("successor"):
            row["successor"] = local(rule["successor"])
        for k in ("confirmed", "note"):
            if k in exc:
                row[k] = exc[k]
        row["sources"] = [*exc.get("sources", ()), *rule["sources"]]
        rows.append(row)
    return rows


def _province_mergers(
    merger: dict[str, Any],
    gazetteer: Gazetteer,
    city_words: tuple[tuple[str, str], ...],
    named: dict[str, Agency],
) -> list[ChangeEvent]:
    """One event per province of 1 July 2025 that others merged into (``merged_into`` of the provinces data).

    Its original and resulting organisations are the provinces' People's Committees (the ORG view); every
    other body of a merged province passes through :meth:`ChangeEvent.place_successor`.
    """
    from kg.model.places import provinces

    kinds_ok = set(merger.get("confirmed_kinds", ()))
    kinds_out = set(merger.get("exclude_kinds", ()))
    local = [e for e in gazetteer.entries if e.scope == "local"]
    confirmed_keys = frozenset(e.key for e in local if e.kind in kinds_ok)
    excluded_keys = frozenset(e.key for e in local if e.kind in kinds_out)
    by_name = {p.name: p for p in provinces()}
    events = []
    for into in provinces():
        merged = [p for p in provinces() if p.merged_into == into.name]
        if not merged:
            continue
        if not into.after_2025:
            raise ValueError(
                f"provinces: {merged[0].name} merged into {into.name}, not a province after 2025"
            )

        def ubnd(p: Any) -> str:
            agency = gazetteer.resolve(
                gazetteer.get(_counterpart("ubnd-tinh", p.kind, gazetteer, city_words)), p.name
            )
            named.setdefault(agency.id, agency)
            return agency.id

        key_maps = {
            p.slug: {
                e.key: other
                for e in local
                if (other := _counterpart(e.key, into.kind, gazetteer, city_words)) != e.key
            }
            for p in merged
            if p.kind != into.kind
        }
        names = ", ".join(f"{p.kind} {p.name}" for p in merged)
        events.append(
            ChangeEvent(
                id=f"{into.slug}-2025-hop-nhat-tinh",
                date=merger["date"],
                date_precision=merger.get("date_precision", "day"),
                kind=merger["kind"],
                jurisdiction=into.display,
                original=(ubnd(into), *(ubnd(p) for p in merged)),
                resulting=(ubnd(into),),
                successor=ubnd(into),
                legal_basis=clean(merger["legal_basis"]),
                sources=tuple(merger["sources"]),
                confirmed=bool(merger["confirmed"]),
                note=clean(
                    f"{names} merged into {into.kind} {into.name}, which keeps its name. "
                    + merger.get("note", "")
                ),
                merged_places=tuple(by_name[p.name].slug for p in merged),
                into_place=into.slug,
                key_maps=key_maps,
                confirmed_keys=confirmed_keys,
                excluded_keys=excluded_keys,
            )
        )
    return events


def _event(row: dict[str, Any], gazetteer: Gazetteer, named: dict[str, Agency]) -> ChangeEvent:
    """One ``[[event]]`` row, its gazetteer keys resolved in its jurisdiction."""
    eid = row["id"]
    where = f"reorg event {eid}"
    if row["kind"] not in KINDS:
        raise ValueError(f"{where}: unknown kind {row['kind']!r}")
    if row.get("date_precision", "day") not in PRECISIONS:
        raise ValueError(f"{where}: unknown date_precision {row['date_precision']!r}")
    if not isinstance(row["date"], date) or not row.get("sources"):
        raise ValueError(f"{where}: needs a TOML date and at least one source")
    place = row.get("jurisdiction")
    original = tuple(_resolve(k, place, gazetteer, where, named) for k in row["original"])
    resulting = tuple(_resolve(k, place, gazetteer, where, named) for k in row.get("resulting", ()))
    successor = row.get("successor")
    successor = (
        _resolve(successor, place, gazetteer, where, named) if successor else next(iter(resulting), None)
    )
    functions = tuple(
        FunctionTransfer(
            source=_resolve(f["from"], place, gazetteer, where, named),
            target=_resolve(f["to"], place, gazetteer, where, named),
            functions=_strings(f, "functions"),
            functions_en=_strings(f, "functions_en"),
            keywords=_strings(f, "keywords"),
            confirmed=bool(f.get("confirmed", False)),
            sources=tuple(f.get("sources", ())) or tuple(row["sources"]),
            note=clean(f.get("note", "")),
        )
        for f in row.get("functions", ())
    )
    return ChangeEvent(
        id=eid,
        date=row["date"],
        date_precision=row.get("date_precision", "day"),
        kind=row["kind"],
        jurisdiction=place,
        original=original,
        resulting=resulting,
        successor=successor,
        legal_basis=clean(row["legal_basis"]),
        sources=tuple(row["sources"]),
        confirmed=bool(row["confirmed"]),
        note=clean(row.get("note", "")),
        functions=functions,
    )


def load_events(path: Path | str | None = None, gazetteer: Gazetteer | None = None) -> Reorg:
    """Read a change-event file (default ``ontology/reorg.toml``); bad data raises ``ValueError``.

    The file's ``[[event]]`` rows come first, then each ``[[province_rule]]`` applied to every
    province, then the ``[province_merger]`` of 1 July 2025 (one event per resulting province).

    >>> r = load_events()
    >>> r.get("ha-noi-2025-so-tai-chinh").ends
    ('ha-noi/so-ke-hoach-va-dau-tu',)
    >>> r.get("binh-duong-2025-so-tai-chinh").ends, r.get("binh-duong-2025-so-tai-chinh").confirmed
    (('binh-duong/so-ke-hoach-va-dau-tu',), False)
    >>> r.get("ho-chi-minh-2025-hop-nhat-tinh").merged_places
    ('binh-duong', 'ba-ria-vung-tau')
    """
    if path is None:
        from ontology import path as data_path

        path = data_path("reorg.toml")
    gazetteer = gazetteer or Gazetteer.default()
    with Path(path).open("rb") as f:
        data = tomllib.load(f)
    r = data["rule"]
    rule = Rule(clean(r["legal_basis"]), clean(r["text_en"]), tuple(r["sources"]))
    city_words = tuple((a, b) for a, b in data.get("places", {}).get("city_words", ()))
    rows = list(data.get("event", []))
    for province_rule in data.get("province_rule", []):
        rows += _rule_rows(province_rule, gazetteer, city_words)
    named: dict[str, Agency] = {}
    events = [_event(row, gazetteer, named) for row in rows]
    if "province_merger" in data:
        events += _province_mergers(data["province_merger"], gazetteer, city_words, named)
    seen: set[str] = set()
    for e in events:
        if e.id in seen:
            raise ValueError(f"reorg: duplicate event id {e.id}")
        seen.add(e.id)
    # Stable order: date, then file order (a continuing agency's own event may follow another's; a
    # district's end comes before its province's merger, so its communes pass to the new province).
    order = {e.id: i for i, e in enumerate(events)}
    return Reorg(rule, tuple(sorted(events, key=lambda e: (e.date, order[e.id]))), named)


@cache
def _default() -> Reorg:
    return load_events()


# Following events -----------------------------------------------------------------------------------


def _follow(
    agency_id: str, as_of: date, text: str, reorg: Reorg, start: int, depth: int = 0
) -> tuple[list[str], list[Step]]:
    """Holders of *agency_id*'s work after events ``reorg.events[start:]`` up to *as_of*."""
    if depth > len(reorg.events):  # pragma: no cover - a cycle in the data
        raise ValueError(f"reorg: cycle through {agency_id}")
    for i in range(start, len(reorg.events)):
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


@functools.lru_cache(maxsize=65536)
def _default_holdings(agency_id: str, text: str) -> tuple[Holding, ...]:
    return _holdings(agency_id, text, _default())


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
    node = G.nodes.get(f"agency:{agency_id}") if G is not None else None
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
        day = as_of or G.nodes.get(f"document:{w['document']}", {}).get("date")
        text = w.get("title") or w.get("text") or ""
        found = holding_on(holdings(a["id"], text, given), day)
        if found is None:
            continue
        H.remove_edge(u, v, key=key)
        for x in found.holder.agencies:
            xn = f"agency:{x}"
            if xn not in H:
                H.add_node(xn, type="agency", **agency_record(x, reorg, G).properties())
            # The redrawn edge remembers whom the plan named (the network and report show it).
            redrawn = {**data, "named": a["name"], "named_id": a["id"], "events": found.holder.events}
            if _MOVABLE[rel]:
                H.add_edge(xn, v, key=key, **redrawn)
            else:
                H.add_edge(u, xn, key=key, **redrawn)
    return H
