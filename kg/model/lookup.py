"""Find the agencies a user means by a name: one matcher for the command line, the API, the explorer and reports.

A name is Vietnamese or English, an alias, an abbreviation or an id, in any
case, with or without diacritics, optionally followed by its jurisdiction:
"Sở Nội vụ, Hà Nội" or "Sở Nội vụ (Hà Nội)".

>>> from loaders import read_plan
>>> from kg.graph.network import build_graph
>>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> find_agencies(G, "Department of Home Affairs")
['ha-noi/so-noi-vu']
>>> find_agencies(G, "SỞ NỘI VỤ"), find_agencies(G, "so noi vu (Ha Noi)")
(['ha-noi/so-noi-vu'], ['ha-noi/so-noi-vu'])
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.model import Agency
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key, strip_diacritics

__all__ = ["AmbiguousAgency", "NoAgency", "agency_param", "find_agencies", "match_agencies", "resolve_agency"]


class NoAgency(LookupError):
    """No agency matches a name; ``str()`` names the closest ones."""

    def __init__(self, name: str, closest: list[str]) -> None:
        self.name = name
        self.closest = closest
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        super().__init__(f"no agency matches {name!r}{hint}")


class AmbiguousAgency(LookupError):
    """A name that denotes several agencies (one per jurisdiction); ``candidates`` holds their records.

    >>> a = Agency("ha-noi/so-noi-vu", "Sở Nội vụ", None, "department", True, "Hà Nội")
    >>> b = Agency("da-nang/so-noi-vu", "Sở Nội vụ", None, "department", True, "Đà Nẵng")
    >>> print(AmbiguousAgency("so noi vu", [a, b]))
    'so noi vu' names 2 agencies — Sở Nội vụ in Đà Nẵng, Hà Nội; add the jurisdiction, e.g. 'Sở Nội vụ, Đà Nẵng'
    """

    def __init__(self, name: str, candidates: Iterable[Agency]) -> None:
        self.name = name
        self.candidates = sorted(
            candidates, key=lambda a: (_loose(a.name), _loose(a.jurisdiction or ""), a.id)
        )
        names = list(dict.fromkeys(a.name for a in self.candidates))
        if len(names) == 1:
            listed = f"{names[0]} in " + ", ".join(_place(a) for a in self.candidates)
        else:
            listed = ", ".join(f"{a.name} ({_place(a)})" for a in self.candidates)
        first = self.candidates[0]
        hint = f"{first.name}, {first.jurisdiction}" if first.jurisdiction else first.id
        super().__init__(
            f"{name!r} names {len(self.candidates)} agencies — {listed}; add the jurisdiction, e.g. {hint!r}"
        )

    def __str__(self) -> str:
        return str(self.args[0])


def _place(agency: Agency) -> str:
    return agency.jurisdiction or "national"


# "Sở Nội vụ (Hà Nội)" or "Sở Nội vụ, Hà Nội": a name and the jurisdiction it is meant in.
_PARENS = re.compile(r"^(?P<name>.+?)\s*\((?P<place>[^()]+)\)$")
_COMMA = re.compile(r"^(?P<name>.+),\s*(?P<place>[^,]+)$")
# The words a place may be typed with ("thành phố Hà Nội", "tỉnh Đồng Nai", "TP. Hồ Chí Minh").
_PLACE_WORDS = re.compile(r"^(?:thanh pho|tinh|tp\.?)\s+")


def _loose(text: str) -> str:
    """The comparison key without diacritics (đ as d): "so noi vu" finds Sở Nội vụ.

    >>> _loose("Sở Nội vụ") == _loose("SO NOI VU")
    True
    """
    return strip_diacritics(name_key(text))


def _place_key(text: str) -> str:
    return _PLACE_WORDS.sub("", _loose(text))


def _split(text: str) -> tuple[str, str] | None:
    """*text* as (name, place) when it ends with "(place)" or ", place", else None.

    >>> _split("Sở Nội vụ (Hà Nội)"), _split("UBND các quận, huyện, thị xã"), _split("Sở Nội vụ")
    (('Sở Nội vụ', 'Hà Nội'), ('UBND các quận, huyện', 'thị xã'), None)
    """
    text = clean(text)
    for pattern in (_PARENS, _COMMA):
        m = pattern.match(text)
        if m:
            return m.group("name").strip(), m.group("place").strip()
    return None


def _split_place(text: str, places: Iterable[str]) -> tuple[str, str | None]:
    """*text* as (name, jurisdiction) when it ends with a jurisdiction of *places*, else (text, None).

    >>> _split_place("Sở Nội vụ (Hà Nội)", ["Hà Nội"])
    ('Sở Nội vụ', 'Hà Nội')
    >>> _split_place("so noi vu, thanh pho ha noi", ["Hà Nội"])
    ('so noi vu', 'Hà Nội')
    >>> _split_place("UBND các quận, huyện, thị xã", ["Hà Nội"])
    ('UBND các quận, huyện, thị xã', None)
    """
    known = {_place_key(p): p for p in places}
    split = _split(text)
    if split and _place_key(split[1]) in known:
        return split[0], known[_place_key(split[1])]
    return clean(text), None


def _is_province(text: str) -> bool:
    """True when *text* names a province or centrally-run city, with or without diacritics.

    >>> _is_province("Huế"), _is_province("tinh dong nai"), _is_province("thị xã")
    (True, True, False)
    """
    from kg.model.places import only_place, provinces

    if only_place(text) is not None:
        return True
    return _place_key(text) in {_place_key(p.name) for p in provinces()}


def _records(source: nx.Graph | Iterable[Agency]) -> list[Agency]:
    """Agency records from a graph of :mod:`kg.graph.network` (its agency nodes) or from records."""
    if isinstance(source, nx.Graph):
        return [
            Agency(
                d["id"],
                d["name"],
                d.get("name_en"),
                d.get("kind") or "",
                bool(d.get("recognised")),
                d.get("jurisdiction"),
            )
            for _, d in source.nodes(data=True)
            if d.get("type") == "agency"
        ]
    return list(source)


def _exact(records: list[Agency], name: str, gazetteer: Gazetteer) -> list[str]:
    """Ids whose name, English name or id is *name* (case and tone placement aside), or its gazetteer entry's."""
    key = name_key(name)
    # An agency without an English name must not match by its missing one.
    hits = [
        a.id
        for a in records
        if key in {name_key(a.name), name_key(a.id)} or (a.name_en and key == name_key(a.name_en))
    ]
    entry = gazetteer.lookup(name)
    if entry is not None:
        hits += [a.id for a in records if a.id == entry.key or a.id.endswith("/" + entry.key)]
    return sorted(set(hits))


def _by_name(records: list[Agency], name: str, gazetteer: Gazetteer) -> list[Agency]:
    """The agencies *name* denotes: exactly, else without diacritics (aliases and abbreviations included)."""
    by_id = {a.id: a for a in records}
    exact = _exact(records, name, gazetteer)
    if exact:
        return [by_id[i] for i in exact]
    key = _loose(name)
    hits = {a.id for a in records if key in {_loose(a.name), _loose(a.name_en or ""), _loose(a.id)}}
    for entry in gazetteer.entries:
        if key in {_loose(label) for label in entry.labels()}:
            hits |= {i for i in by_id if i == entry.key or i.endswith("/" + entry.key)}
    return sorted((by_id[i] for i in hits), key=lambda a: a.id)


def _closest(records: list[Agency], name: str) -> list[str]:
    labels = {name_key(x): x for a in records for x in (a.name, a.name_en) if x}
    return [labels[c] for c in difflib.get_close_matches(name_key(name), list(labels), n=3, cutoff=0.4)]


def match_agencies(
    records: nx.Graph | Iterable[Agency], text: str, gazetteer: Gazetteer | None = None
) -> list[Agency]:
    """Every agency of *records* that *text* denotes, narrowed to a jurisdiction it names.

    *text* is a Vietnamese or English name, an alias or an id, in any case, with
    or without diacritics, optionally followed by a jurisdiction: "Sở Nội vụ,
    Hà Nội" or "Sở Nội vụ (Hà Nội)".  Raises :class:`NoAgency` when nothing
    matches; returns several agencies when a local name spans jurisdictions
    (:func:`resolve_agency` refuses those).

    >>> records = [Agency("ha-noi/so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "department", True, "Hà Nội"),
    ...            Agency("da-nang/so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "department", True, "Đà Nẵng")]
    >>> [a.id for a in match_agencies(records, "SO NOI VU")]
    ['da-nang/so-noi-vu', 'ha-noi/so-noi-vu']
    >>> [a.id for a in match_agencies(records, "Department of Home Affairs (Da Nang)")]
    ['da-nang/so-noi-vu']
    >>> match_agencies(records, "Sở Nội vụ, Huế")
    Traceback (most recent call last):
    ...
    kg.model.lookup.NoAgency: no agency matches 'Sở Nội vụ, Huế'; closest: Sở Nội vụ (Đà Nẵng), Sở Nội vụ (Hà Nội)
    >>> match_agencies(records, " ")
    Traceback (most recent call last):
    ...
    kg.model.lookup.NoAgency: no agency matches ' '
    """
    gazetteer = gazetteer or Gazetteer.default()
    records = _records(records)
    if not name_key(text):
        raise NoAgency(text, [])
    name, place = _split_place(text, {a.jurisdiction for a in records if a.jurisdiction})
    if place:
        found = _by_name(records, name, gazetteer)
        here = [a for a in found if a.jurisdiction == place]
        if here:
            return here
        if found:  # the name is known, elsewhere: say where
            raise NoAgency(text, [f"{a.name} ({_place(a)})" for a in found])
    split = _split(text)
    if split and _is_province(split[1]):  # a province no plan of the store is in: say where the name is
        elsewhere = _by_name(records, split[0], gazetteer)
        raise NoAgency(text, [f"{a.name} ({_place(a)})" for a in elsewhere] or _closest(records, split[0]))
    found = _by_name(records, text, gazetteer)
    if found:
        return found
    elsewhere = _by_name(records, split[0], gazetteer) if split else []
    if elsewhere:  # a place no plan of the store is in: say where the name is
        raise NoAgency(text, [f"{a.name} ({_place(a)})" for a in elsewhere])
    raise NoAgency(text, _closest(records, text))


def find_agencies(
    source: nx.Graph | Iterable[Agency], name: str, gazetteer: Gazetteer | None = None
) -> list[str]:
    """Ids of the agencies that *name* denotes (several when a local name spans jurisdictions).

    *source* is the graph of :func:`kg.graph.network.build_graph` or the agency
    records of any store (:class:`kg.model.Agency`, e.g. from
    :func:`kg.stores.rdf.agencies`); *name* is read as :func:`match_agencies` reads it.

    >>> records = [Agency("ha-noi/so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "department", True)]
    >>> find_agencies(records, "So Noi vu"), find_agencies(records, "Sở nội vụ")
    (['ha-noi/so-noi-vu'], ['ha-noi/so-noi-vu'])
    >>> find_agencies(records, "Sở Nội vịu")
    Traceback (most recent call last):
    ...
    kg.model.lookup.NoAgency: no agency matches 'Sở Nội vịu'; closest: Sở Nội vụ
    """
    return [a.id for a in match_agencies(source, name, gazetteer)]


def resolve_agency(source: nx.Graph | Iterable[Agency], name: str) -> Agency:
    """The one agency *name* denotes; :class:`AmbiguousAgency` (candidates and their jurisdictions) when several.

    >>> records = [Agency("ha-noi/so-noi-vu", "Sở Nội vụ", None, "department", True, "Hà Nội"),
    ...            Agency("dong-nai/so-noi-vu", "Sở Nội vụ", None, "department", True, "Đồng Nai")]
    >>> resolve_agency(records, "so noi vu, ha noi").id
    'ha-noi/so-noi-vu'
    >>> resolve_agency(records, "Sở Nội vụ")
    Traceback (most recent call last):
    ...
    kg.model.lookup.AmbiguousAgency: 'Sở Nội vụ' names 2 agencies — Sở Nội vụ in Đồng Nai, Hà Nội; add the jurisdiction, e.g. 'Sở Nội vụ, Đồng Nai'
    """
    found = match_agencies(source, name)
    if len(found) > 1:
        raise AmbiguousAgency(name, found)
    return found[0]


def agency_param(source: nx.Graph | Iterable[Agency], value: Any) -> str:
    """A query's agency parameter as the id of the one agency it names (what ``kg query -p agency=…`` passes on)."""
    return resolve_agency(source, str(value)).id
