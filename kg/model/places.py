"""Provinces and centrally-run cities, for reading a place out of an agency's name.

The data lives in ``ontology/provinces.toml`` (the 63 before and the 34 after
the merger of 1 July 2025).  A plan names a local body of another place by
appending the place: "Sở Tài chính tỉnh Đồng Nai", "UBND thành phố Hà Nội",
"UBND TP.HCM"; :func:`trailing_place` finds it.

>>> p = trailing_place("Sở Tài chính tỉnh Đồng Nai")
>>> (p.start, p.province.name, p.province.kind)
(13, 'Đồng Nai', 'tỉnh')
>>> only_place("Thành phố Hồ Chí Minh").slug
'ho-chi-minh'
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.model.text import clean, name_key

__all__ = [
    "PlaceMatch",
    "Province",
    "canonical_place",
    "only_place",
    "place_slug",
    "provinces",
    "trailing_place",
]


@dataclass(frozen=True, slots=True)
class Province:
    """A province (tỉnh) or centrally-run city (thành phố)."""

    name: str
    kind: str
    slug: str
    before_2025: bool
    after_2025: bool
    merged_into: str | None = None
    aliases: tuple[str, ...] = ()
    official: str | None = None

    @property
    def display(self) -> str:
        """How a jurisdiction in this place is written: the official name ("Thành phố Hồ Chí Minh",
        whose kind word is part of its name) or the bare name ("Hà Nội", "Đồng Nai")."""
        return self.official or self.name


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place at the end of a name: where it starts (kind word included) and which place."""

    start: int
    province: Province


@cache
def provinces() -> tuple[Province, ...]:
    """Every province and city of the data file, read once."""
    from ontology import path

    with path("provinces.toml").open("rb") as f:
        rows = tomllib.load(f)["province"]
    return tuple(
        Province(
            name=clean(r["name"]),
            kind=r["kind"],
            slug=r["slug"],
            before_2025=r["before_2025"],
            after_2025=r["after_2025"],
            merged_into=r.get("merged_into"),
            aliases=tuple(clean(a) for a in r.get("aliases", ())),
            official=clean(r["official"]) if r.get("official") else None,
        )
        for r in rows
    )


@cache
def _index() -> tuple[dict[str, Province], re.Pattern[str], re.Pattern[str]]:
    by_key: dict[str, Province] = {}
    for p in provinces():
        for label in (p.name, *p.aliases):
            k = name_key(label)
            if k in by_key and by_key[k] is not p:
                raise ValueError(f"provinces: {label!r} names both {by_key[k].name} and {p.name}")
            by_key[k] = p
    names = "|".join(re.escape(k) for k in sorted(by_key, key=len, reverse=True))
    # The kind word a plan prints before the place; "TP." may be glued to the name.
    kind = r"(?:(?:tỉnh|thành phố|tp\.?)\s*)?"
    tail = re.compile(rf"(?:^|(?<=\s)){kind}(?P<p>{names})$")
    whole = re.compile(rf"^{kind}(?P<p>{names})$")
    return by_key, tail, whole


# Readers ask the same few thousand names again and again (every agency of every cell); pure functions
# of a string, their answers frozen.
@lru_cache(maxsize=1 << 14)
def trailing_place(name: str) -> PlaceMatch | None:
    """The province or city a name ends with, kind word included, if any.

    >>> trailing_place("UBND TP.HCM").province.name
    'Hồ Chí Minh'
    >>> trailing_place("Sở Tài chính") is None
    True
    """
    by_key, tail, _ = _index()
    m = tail.search(name_key(name))
    if m is None:
        return None
    return PlaceMatch(m.start(), by_key[m.group("p")])


@lru_cache(maxsize=1 << 14)
def only_place(text: str) -> Province | None:
    """The province or city *text* names and nothing else ("tỉnh Bắc Ninh", "Hà Nội").

    >>> only_place("tỉnh Bắc Ninh").name
    'Bắc Ninh'
    >>> only_place("Sở Nội vụ") is None
    True
    """
    by_key, _, whole = _index()
    m = whole.match(name_key(text).strip(" .,;"))
    return by_key[m.group("p")] if m else None


@lru_cache(maxsize=1 << 14)
def canonical_place(place: str | None) -> str | None:
    """A jurisdiction as it is written everywhere (documents, agencies, outputs): the place's
    official name for display (:attr:`Province.display`).

    Unknown places are returned as given.

    >>> canonical_place("TP.HCM"), canonical_place("Thành phố Hồ Chí Minh")
    ('Thành phố Hồ Chí Minh', 'Thành phố Hồ Chí Minh')
    >>> canonical_place("thành phố Hà Nội"), canonical_place("Việt Nam")
    ('Hà Nội', 'Việt Nam')
    """
    if place is None:
        return None
    found = only_place(place)
    return found.display if found else place


@lru_cache(maxsize=1 << 14)
def place_slug(place: str) -> str:
    """The slug agency ids use for a place: the province's own ("ho-chi-minh"), else of the text.

    >>> place_slug("Thành phố Hồ Chí Minh"), place_slug("Việt Nam")
    ('ho-chi-minh', 'viet-nam')
    """
    from kg.model.text import slug

    found = only_place(place)
    return found.slug if found else slug(place)
