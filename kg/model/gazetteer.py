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
from kg.model.places import canonical_place, only_place, place_slug, trailing_place
from kg.model.text import clean, name_key, slug

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


# A board of an economic zone with the zone's own name: "Ban Quản lý Khu kinh tế Vân Phong …".
_NAMED_ZONE = re.compile(
    r"^Ban [Qq]uản lý (?:các )?[Kk]hu kinh tế(?P<zone>(?: [A-ZĐÀ-Ỹ][^\s,;]*)+?)(?= và\b| tỉnh\b| thành phố\b|$)"
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
    # A local body whose official name carries its place ("Liên hiệp các Hội Khoa học và
    # Kỹ thuật Hà Nội"): resolved, the place is appended to the name.
    place_in_name: bool = False
    # A single body of one province or city ("Trường Đại học Thủ đô Hà Nội"): its jurisdiction.
    place: str | None = None

    def labels(self) -> tuple[str, ...]:
        """Every label the entry answers to: name, English name, aliases."""
        return (self.name, self.name_en, *self.aliases)


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer name found in a text, as a span of the cleaned text."""

    start: int
    end: int
    entry: Entry


def _trie_pattern(words: set[str]) -> str:
    r"""A pattern matching any of *words*, the longest first where several start at one place, as a
    tree of shared prefixes: the regular expression engine then tries one branch per letter instead
    of a thousand names one after the other at every position of a text.

    >>> p = re.compile(rf"(?<!\w){_trie_pattern({'sở', 'sở tài chính', 'sở tư pháp'})}(?!\w)")
    >>> [m.group(0) for m in p.finditer("sở tài chính, sở tư pháp, sở tài nguyên, sở")]
    ['sở tài chính', 'sở tư pháp', 'sở', 'sở']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict) -> str:
        # Longer names first (the optional group is greedy), then the name that ends here.
        alts = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{branch(trie)})"


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
        vi = {name_key(x) for e in self.entries for x in (e.name, *e.aliases)}
        self._finder = re.compile(rf"(?<!\w){_trie_pattern(vi)}(?!\w)")
        # Plans repeat the same cells thousands of times; the answer depends on the text only.
        self._find_cached = lru_cache(maxsize=1 << 16)(self._find)
        # And the same names: an entry's place and the agency it is there (entries and agencies are frozen).
        self._locate_cached = lru_cache(maxsize=1 << 16)(self._locate)
        self._resolve_cached = lru_cache(maxsize=1 << 14)(self._resolve)
        # The labels a misprint of a name may be (same length, same first word), by that shape.
        self._by_shape: dict[tuple[int, str], list[tuple[str, Entry]]] = {}
        for label, e in self._by_label.items():
            self._by_shape.setdefault((len(label), label.split(" ", 1)[0]), []).append((label, e))

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
                place_in_name=row.get("place_in_name", False),
                place=clean(row["place"]) if row.get("place") else None,
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
        """The entry a whole name denotes (Vietnamese, English or alias; any spelling variant).

        A local body named with its place is its entry too:

        >>> Gazetteer.default().lookup("Sở Tài chính tỉnh Đồng Nai").key
        'so-tai-chinh'
        """
        found = self.locate(name)
        return found[0] if found else None

    def locate(self, name: str) -> tuple[Entry, str | None] | None:
        """The entry a whole name denotes and the place it names, if it names one.

        A local entry followed by a province or city ("Sở Tài chính tỉnh Đồng Nai",
        "UBND thành phố Hà Nội", "UBND TP.HCM") is that entry in that place; a name the
        gazetteer knows as a whole otherwise ("Đại học Quốc gia Hà Nội") is itself.

        >>> e, place = Gazetteer.default().locate("UBND thành phố Hà Nội")
        >>> (e.key, place)
        ('ubnd-thanh-pho', 'Hà Nội')
        >>> Gazetteer.default().locate("Đại học Quốc gia Hà Nội")[1] is None
        True
        >>> e, place = Gazetteer.default().locate("Ban Quản lý Khu kinh tế Vân Phong và các khu công nghiệp tỉnh Khánh Hòa")
        >>> (e.key, place)
        ('ban-quan-ly-khu-kinh-te', 'Khánh Hòa')
        """
        return self._locate_cached(name)

    def _locate(self, name: str) -> tuple[Entry, str | None] | None:
        key = name_key(name)
        exact = self._by_label.get(key)
        if exact is not None and exact.scope == "national":
            return exact, None
        at = trailing_place(key)
        if at is not None and at.start > 0:
            rest = key[: at.start].strip(" ,-")
            kind_word = key[at.start :].split(" ", 1)[0]
            printed = {"tỉnh": "tỉnh", "thành": "thành phố", "tp": "tp", "tp.": "tp."}.get(kind_word)
            # "UBND thành phố" / "UBND tỉnh" keep the kind word; "UBND TP.HCM" implies it.
            tries = [f"{rest} {k}" for k in (printed, at.province.kind) if k] + [rest]
            for t in tries:
                entry = self._by_label.get(t)
                if entry is not None and entry.scope == "local" and entry.kind != "collective":
                    return entry, at.province.name
        if exact is not None:
            return exact, None
        zone = _NAMED_ZONE.match(clean(name))
        if zone and not only_place(zone.group("zone")):
            # "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi": the zone's own
            # name names no other body; without it the name is the province's board of its zones.
            return self.locate(name[: zone.start("zone")] + name[zone.end("zone") :])
        return None

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

    def misprint(self, name: str) -> Entry | None:
        """The one entry *name* misspells by a single letter ("Sở Sây dựng"), if exactly one.

        Only names of ten characters or more, with the same first word, are compared.

        >>> Gazetteer.default().misprint("Sở Sây dựng").name
        'Sở Xây dựng'
        >>> Gazetteer.default().misprint("Sở Xây dựng") is None
        True
        """
        key = name_key(name)
        if len(key) < 10 or key in self._by_label:
            return None
        head = key.split(" ", 1)[0]
        found = {
            e.key: e
            for label, e in self._by_shape.get((len(key), head), ())
            if sum(a != b for a, b in zip(label, key, strict=True)) == 1
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Names close to *name*, for "did you mean" messages."""
        labels = {name_key(x): x for e in self.entries for x in e.labels()}
        hits = difflib.get_close_matches(name_key(name), list(labels), n=n, cutoff=0.5)
        return [labels[h] for h in hits]

    def resolve(self, entry: Entry, jurisdiction: str | None) -> Agency:
        """The agency an entry denotes in a document of *jurisdiction*."""
        return self._resolve_cached(entry, jurisdiction)

    def _resolve(self, entry: Entry, jurisdiction: str | None) -> Agency:
        if entry.scope == "local":
            place = canonical_place(jurisdiction) or "Việt Nam"
            name = f"{entry.name} {place}" if entry.place_in_name and jurisdiction else entry.name
            return Agency(
                id=f"{place_slug(place)}/{entry.key}",
                name=name,
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
            jurisdiction=canonical_place(entry.place) if entry.place else None,
        )

    @staticmethod
    def unrecognised(name: str, jurisdiction: str | None, *, kind: str = "other") -> Agency:
        """An agency missing from the gazetteer: kept with its own name, marked unrecognised.

        A body named "… Trung ương" or "… quốc gia" is a central one wherever the plan is
        ("Hội đồng Thi đua - Khen thưởng Trung ương"); a group of them is not ("các cơ quan
        Trung ương trên địa bàn tỉnh" are those in the province), nor a city "trực thuộc Trung ương".

        >>> Gazetteer.unrecognised("Hội đồng Thi đua - Khen thưởng Trung ương", "Nghệ An").jurisdiction
        'Việt Nam'
        """
        name = clean(name)
        central = kind != "collective" and re.search(
            r"(?<!thuộc )\btrung ương\b|\bquốc gia\b", name_key(name)
        )
        place = "Việt Nam" if central else canonical_place(jurisdiction) or "Việt Nam"
        return Agency(
            id=f"{place_slug(place)}/unrecognised-{slug(name)}",
            name=name,
            name_en=None,
            kind=kind,
            recognised=False,
            jurisdiction=place,
        )
