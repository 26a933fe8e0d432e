"""The change events of the 2025 reorganisation, read from ``ontology/reorg.toml``.

Each event (a merger, an absorption, a transfer of functions, a renaming, an abolition) has
its date and the precision of that date, its legal basis and public sources, and
``confirmed = false`` where no source confirms it.  Rules written once stand for an event
in every province (the March 2025 departments), and the mergers of provinces on 1 July 2025
move every body of a merged province to the same body of the resulting one.  Names are
resolved through the gazetteer.  :mod:`kg.graph.reorg` follows these events over time.

>>> reorg = load_events()
>>> e = next(e for e in reorg.events if e.id == "ha-noi-2025-so-tai-chinh")
>>> e.kind, e.date.isoformat(), "ha-noi/so-ke-hoach-va-dau-tu" in reorg.moved
('merger', '2025-03-01', True)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from kg.model import Agency
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key

__all__ = ["KINDS", "PRECISIONS", "ChangeEvent", "FunctionTransfer", "Moved", "Reorg", "Rule", "load_events"]


KINDS = ("merger", "absorption", "transfer_of_functions", "renaming", "abolition")
# "day": took effect that day; "decision": date of the deciding act; "not-after": had happened by then.
PRECISIONS = ("day", "decision", "not-after")


@dataclass(frozen=True, slots=True)
class FunctionTransfer:
    """Part of an agency's functions going to another body than the main successor.

    ``source``/``target`` are agency ids; ``keywords`` are the words of a task's
    text that select this transfer (see :func:`kg.graph.reorg.holder`).
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
