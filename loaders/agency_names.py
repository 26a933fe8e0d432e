"""From one name to the agencies it denotes, through the gazetteer.

A person or a force stands for its body ("Giám đốc Sở Y tế", "lực lượng Công an"); a
place after a local body resolves it there; two known bodies printed with no separator
are two; a known body misprinted by one letter is that body; a name shaped like a body
that the gazetteer does not know is kept as written, and a fragment is no agency
(:func:`loaders.agency_words.is_organisation`).

>>> from kg.model.gazetteer import Gazetteer
>>> [a.name for a in resolve_name("Sở Sây dựng", Gazetteer.default(), "Hà Nội")[0]]
['Sở Xây dựng']
"""

from __future__ import annotations

import itertools
import re

from kg.model import Agency
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key
from loaders.agency_words import _FORCE, _PERSON, _PLAIN, _heads_named, _is_class, is_organisation

__all__ = ["resolve_name", "unknown_message"]


_PLACE_WORDS = re.compile(
    r"^(?:\s|,|-|của|thuộc|trực thuộc|tỉnh|thành phố|tp\.?|trung ương|liên quan|có liên quan|trên địa bàn)*$"
)


_PLURAL_END = re.compile(r"các\s$")
_JOINER = re.compile(r"[\s,;]*(?:và)?[\s,;]*")


def _resolve(name: str, gazetteer: Gazetteer, jurisdiction: str | None) -> tuple[list[Agency], bool, bool]:
    """The agencies a name denotes, whether the gazetteer knew them, whether it names a body at all."""
    name = clean(name).strip(" ,.;:-")
    person = _PERSON.match(name_key(name)) or _FORCE.match(name)
    if person:
        # "Giám đốc Sở Y tế", "Thủ trưởng các sở, ngành": the body the person heads.
        rest = name[person.end() :]
        if _PLURAL_END.search(person.group(0)):
            rest = f"các {rest}"
        if is_organisation(rest, gazetteer):
            name = rest
    located = gazetteer.locate(name)
    if located is not None:
        entry, place = located
        return [gazetteer.resolve(entry, place or jurisdiction)], True, True
    if (run := _known_run(name, gazetteer)) is not None:
        return [a for piece in run for a in _resolve(piece, gazetteer, jurisdiction)[0]], True, True
    key = name_key(name)
    matches = gazetteer.find(name)
    if matches:
        gaps = [key[: matches[0].start]]
        gaps += [key[a.end : b.start] for a, b in itertools.pairwise(matches)]
        gaps.append(key[matches[-1].end :])
        if len(matches) > 1 and all(_JOINER.fullmatch(g) for g in gaps):
            return [gazetteer.resolve(m.entry, jurisdiction) for m in matches], True, True
        if len(matches) > 1 and not gaps[0].strip() and gaps[1].strip() == "thuộc":
            # "Sở, ban, ngành thuộc Ủy ban nhân dân Thành phố": the body it belongs to qualifies it.
            return [gazetteer.resolve(matches[0].entry, jurisdiction)], True, True
        if len(matches) == 1 and not gaps[0].strip():
            tail = gaps[-1]
            place = name_key(jurisdiction or "")
            if _PLACE_WORDS.match(tail.replace(place, "") if place else tail):
                return [gazetteer.resolve(matches[0].entry, jurisdiction)], True, True
    if (_PLAIN.match(key) or _heads_named(key, name)) and (typo := gazetteer.misprint(name)) is not None:
        # "Sở Sây dựng": a known body misprinted by one letter is that body.
        return [gazetteer.resolve(typo, jurisdiction)], True, True
    if not is_organisation(name, gazetteer):
        return [gazetteer.unrecognised(name, jurisdiction)], False, False
    collective = _is_class(key)
    kind = "collective" if collective else "other"
    return [gazetteer.unrecognised(name, jurisdiction, kind=kind)], False, True


def _known_run(name: str, gazetteer: Gazetteer) -> list[str] | None:
    """The known bodies a name strings together with no separator, each as printed, or None.

    Copies of plans lose the comma between two bodies ("Sở Tư pháp Sở Xây dựng tỉnh An Giang",
    "Bộ Tài chính Sở Tài chính thành phố Huế"): where the name is no body of its own but
    cuts, at the starts of names the gazetteer knows, into pieces it knows whole (a place after
    a local body included), those are the bodies.

    >>> _known_run("Sở NV thành phố Hà Nội Sở Xây dựng", Gazetteer.default())
    ['Sở NV thành phố Hà Nội', 'Sở Xây dựng']
    >>> _known_run("Sở Tài chính", Gazetteer.default()) is None
    True
    """
    name = clean(name)
    if gazetteer.lookup(name) is not None:
        return None
    starts = [m.start for m in gazetteer.find(name)]
    if len(starts) < 2 or starts[0] != 0:
        return None
    bounds = [*starts, len(name)]

    def pieces(i: int) -> list[str] | None:
        # The shortest known piece first; a piece that leaves no reading of the rest is not one.
        if i == len(bounds) - 1:
            return []
        for j in range(i + 1, len(bounds)):
            piece = name[bounds[i] : bounds[j]].strip(" ,;")
            entry = gazetteer.lookup(piece)
            if entry is not None and entry.kind != "collective" and (rest := pieces(j)) is not None:
                return [piece, *rest]
        return None

    return pieces(0)


def resolve_name(name: str, gazetteer: Gazetteer, jurisdiction: str | None) -> tuple[list[Agency], bool]:
    """The agencies one name denotes, and whether the gazetteer knew them.

    Always at least one agency: a name the gazetteer does not know is kept as written.

    >>> from kg.model.gazetteer import Gazetteer
    >>> [a.name for a in resolve_name("Sở Khoa học và Công nghệ Sở Công Thương", Gazetteer.default(), "Hà Nội")[0]]
    ['Sở Khoa học và Công nghệ', 'Sở Công Thương']
    >>> a = resolve_name("UBND thành phố Hà Nội", Gazetteer.default(), None)[0][0]
    >>> (a.id, a.jurisdiction)
    ('ha-noi/ubnd-thanh-pho', 'Hà Nội')
    """
    agencies, known, _ = _resolve(name, gazetteer, jurisdiction)
    return agencies, known


def unknown_message(agency: Agency) -> str:
    """The warning every reader (table cell, prose task) gives an agency the gazetteer does not
    know, body or class alike: it is kept under the name printed.

    >>> from kg.model.gazetteer import Gazetteer
    >>> unknown_message(Gazetteer.unrecognised("Quỹ Đầu tư phát triển tỉnh", "Hà Nội"))
    "agency not in the gazetteer, kept as written: 'Quỹ Đầu tư phát triển tỉnh'"
    """
    return f"agency not in the gazetteer, kept as written: {agency.name!r}"
