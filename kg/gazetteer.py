"""The agency gazetteer: names, English names, kinds and aliases of the bodies plans name.

The data lives in ``ontology/gazetteer.toml``; this module indexes it.  A
*local* entry ("Sở Nội vụ") stands for one body per province or city and is
resolved within the jurisdiction of the document that names it; a *national*
entry is a single body.

>>> g = Gazetteer.default()
>>> g.lookup("Department of Home Affairs").name
'Sở Nội vụ'
>>> g.lookup("sở nội vụ").name_en
'Department of Home Affairs'
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from kg.model import Agency
from kg.text import clean, name_key, slug

__all__ = ["KINDS", "Entry", "Gazetteer", "Match"]

KINDS = frozenset(
    {
        "government",
        "ministry",
        "people_committee",
        "peoples_council",
        "department",
        "party_body",
        "mass_organisation",
        "association",
        "university",
        "training_school",
        "research_institute",
        "state_bank_branch",
        "management_board",
        "police_military",
        "enterprise",
        "press",
        "other",
        "collective",
    }
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One body (or class of bodies) of the gazetteer."""

    key: str
    name: str
    name_en: str
    kind: str
    scope: str
    aliases: tuple[str, ...] = ()

    def labels(self) -> tuple[str, ...]:
        """Every label the entry answers to: name, English name, aliases."""
        return (self.name, self.name_en, *self.aliases)


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer name found in a text, as a span of the cleaned text."""

    start: int
    end: int
    entry: Entry


class Gazetteer:
    """An index over gazetteer entries for exact lookup and for finding names in text."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = tuple(entries)
        self._by_key: dict[str, Entry] = {}
        self._by_label: dict[str, Entry] = {}
        for e in self.entries:
            if e.kind not in KINDS:
                raise ValueError(f"gazetteer entry {e.key}: unknown kind {e.kind!r}")
            if e.key in self._by_key:
                raise ValueError(f"gazetteer: duplicate key {e.key}")
            self._by_key[e.key] = e
            for label in e.labels():
                k = name_key(label)
                other = self._by_label.get(k)
                if other is not None and other is not e:
                    raise ValueError(f"gazetteer: {label!r} names both {other.key} and {e.key}")
                self._by_label[k] = e
        # Vietnamese labels only: English names are for lookup, not for reading cells.
        vi = sorted({name_key(x) for e in self.entries for x in (e.name, *e.aliases)}, key=len, reverse=True)
        alternation = "|".join(re.escape(x) for x in vi)
        self._finder = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        # Plans repeat the same cells thousands of times; the answer depends on the text only.
        self._find_cached = lru_cache(maxsize=1 << 16)(self._find)

    @classmethod
    def from_toml(cls, path: Path) -> Gazetteer:
        """Read a gazetteer file (see ``ontology/gazetteer.toml`` for the format)."""
        with path.open("rb") as f:
            data = tomllib.load(f)
        entries = [
            Entry(
                key=row["key"],
                name=clean(row["name"]),
                name_en=clean(row["name_en"]),
                kind=row["kind"],
                scope=row.get("scope", "national"),
                aliases=tuple(clean(a) for a in row.get("aliases", ())),
            )
            for row in data.get("agency", [])
        ]
        return cls(entries)

    @classmethod
    @cache
    def default(cls) -> Gazetteer:
        """The project's gazetteer, read once per process."""
        from ontology import path

        return cls.from_toml(path("gazetteer.toml"))

    def get(self, key: str) -> Entry | None:
        """The entry with this key, if any."""
        return self._by_key.get(key)

    def lookup(self, name: str) -> Entry | None:
        """The entry a whole name denotes (Vietnamese, English or alias; any spelling variant)."""
        return self._by_label.get(name_key(name))

    def find(self, text: str) -> tuple[Match, ...]:
        """Non-overlapping gazetteer names in ``clean(text)``, longest first at each place.

        >>> [m.entry.name for m in Gazetteer.default().find("Sở Khoa học và Công nghệ Sở Công Thương")]
        ['Sở Khoa học và Công nghệ', 'Sở Công Thương']
        """
        return self._find_cached(text)

    def _find(self, text: str) -> tuple[Match, ...]:
        key = name_key(text)
        return tuple(
            Match(m.start(), m.end(), self._by_label[m.group(0)]) for m in self._finder.finditer(key)
        )

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Names close to *name*, for "did you mean" messages."""
        labels = {name_key(x): x for e in self.entries for x in e.labels()}
        hits = difflib.get_close_matches(name_key(name), list(labels), n=n, cutoff=0.5)
        return [labels[h] for h in hits]

    def resolve(self, entry: Entry, jurisdiction: str | None) -> Agency:
        """The agency an entry denotes in a document of *jurisdiction*."""
        if entry.scope == "local":
            place = jurisdiction or "Việt Nam"
            return Agency(
                id=f"{slug(place)}/{entry.key}",
                name=entry.name,
                name_en=entry.name_en,
                kind=entry.kind,
                recognised=True,
                jurisdiction=place,
            )
        return Agency(
            id=entry.key,
            name=entry.name,
            name_en=entry.name_en,
            kind=entry.kind,
            recognised=True,
            jurisdiction=None,
        )

    @staticmethod
    def unrecognised(name: str, jurisdiction: str | None, *, kind: str = "other") -> Agency:
        """An agency missing from the gazetteer: kept with its own name, marked unrecognised."""
        name = clean(name)
        place = jurisdiction or "Việt Nam"
        return Agency(
            id=f"{slug(place)}/unrecognised-{slug(name)}",
            name=name,
            name_en=None,
            kind=kind,
            recognised=False,
            jurisdiction=place,
        )
