"""Split a lead or coordinating cell into the agencies it names, the way a careful reader does.

Rules, each one a reader of any plan would state:

* Commas, semicolons and line breaks separate agencies, except inside a name
  the gazetteer knows ("Đảng ủy Khối các Trường Đại học, Cao đẳng Hà Nội").
* A plural phrase lists *kinds* of bodies, not bodies: in "Các Sở, ngành, đơn vị
  liên quan" or "UBND các quận, huyện, thị xã" the words after the commas
  continue the phrase, which is one collective participant.
* A trailing "chỉ đạo" marks a directing agency, "chủ trì" a lead one.
* Two names the gazetteer knows, side by side with no separator
  ("Sở Khoa học và Công nghệ Sở Công Thương"), are two agencies.
* "và" after a known name starts a second participant ("Bộ Công an và các
  địa phương …" is Bộ Công an and the localities).
* A segment that names no body (no gazetteer name and no head word such as
  Bộ, Sở, Ban, UBND, Viện, Trường, Hội, Công an, doanh nghiệp…) continues the
  segment before it: "các địa phương Bắc Ninh, Bình Dương, An Giang" lists
  places of one phrase, not three agencies.
* A name the gazetteer does not know is kept, marked unrecognised.

>>> from kg.gazetteer import Gazetteer
>>> cell = "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội, Trường Đào tạo Cán bộ Lê Hồng Phong, các Sở, ngành, đơn vị liên quan"
>>> [a.agency.name for a in split_cell(cell, Gazetteer.default(), "Hà Nội", Role.COORDINATING)]
['Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội', 'Trường Đào tạo Cán bộ Lê Hồng Phong', 'Các Sở, ngành, đơn vị liên quan']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from kg.gazetteer import Gazetteer, Match
from kg.model import Agency, Assignment, Role
from kg.text import clean, name_key, strip_markup

__all__ = ["GENERIC_NOUNS", "resolve_name", "split_cell"]

# Words that name a kind of body; after "các" (or alone) they make a plural phrase.
GENERIC_NOUNS = (
    "sở",
    "ban",
    "ngành",
    "bộ",
    "đơn vị",
    "địa phương",
    "cơ quan",
    "tổ chức",
    "quận",
    "huyện",
    "thị xã",
    "thành phố",
    "tỉnh",
    "xã",
    "phường",
    "thị trấn",
    "doanh nghiệp",
    "đoàn thể",
    "hội",
    "trường",
    "viện",
    "cơ sở",
    "hợp tác xã",
    "hộ kinh doanh",
    "lực lượng",
    "cấp",
    "đặc khu",
    "tập đoàn",
    "tổng công ty",
    "nhà cung cấp",
    "nhà đầu tư",
    "cơ quan báo chí",
)
_GENERIC = "|".join(sorted((re.escape(name_key(n)) for n in GENERIC_NOUNS), key=len, reverse=True))
# A segment made only of generic words (plus qualifiers) continues a plural phrase.
_QUALIFIERS = r"(?:có liên quan|liên quan|trực thuộc|thuộc \S+|tỉnh|thành phố|tp|trung ương|các cấp|trên địa bàn(?: \S+)*|khác)"
_GENERIC_SEGMENT = re.compile(rf"^(?:các |những )?(?:{_GENERIC})(?: (?:{_GENERIC}|{_QUALIFIERS}))*\.?$")
_OPEN_PLURAL = re.compile(rf"(?:^|\s)(?:các|những) (?:{_GENERIC})\b|^(?:{_GENERIC})$")
_ROLE_SUFFIX = re.compile(r"[\s,:(]*\(?(chủ trì|chỉ đạo|phối hợp)\)?[\s.)]*$")
_LEADING = re.compile(r"^(?:và|với|cùng|-|–|\+)\s+")
_PLACE_WORDS = re.compile(
    r"^(?:\s|,|-|của|thuộc|tỉnh|thành phố|tp\.?|trung ương|liên quan|có liên quan|trên địa bàn)*$"
)
# Words a name of a body starts with (or contains); a segment without one and without a
# gazetteer name names no body of its own.
HEAD_WORDS = (
    "bộ",
    "sở",
    "ban",
    "ủy ban",
    "ubnd",
    "hđnd",
    "hội đồng",
    "viện",
    "trường",
    "đại học",
    "học viện",
    "hội",
    "hiệp hội",
    "liên hiệp",
    "liên minh",
    "liên đoàn",
    "cục",
    "chi cục",
    "tổng cục",
    "vụ",
    "văn phòng",
    "thanh tra",
    "đài",
    "báo",
    "thông tấn",
    "công an",
    "bộ chỉ huy",
    "bộ tư lệnh",
    "trung tâm",
    "quỹ",
    "tập đoàn",
    "tổng công ty",
    "công ty",
    "ngân hàng",
    "kho bạc",
    "bảo hiểm",
    "thuế",
    "hải quan",
    "tòa án",
    "viện kiểm sát",
    "đoàn",
    "mặt trận",
    "đảng ủy",
    "tỉnh ủy",
    "thành ủy",
    "chính phủ",
    "thủ tướng",
    "quốc hội",
    "cơ quan",
    "đơn vị",
    "địa phương",
    "tổ chức",
    "doanh nghiệp",
    "nhà cung cấp",
    "nhà đầu tư",
    "cơ sở",
    "hợp tác xã",
    "chủ đầu tư",
    "tỉnh",
    "thành phố",
    "huyện",
    "quận",
    "xã",
    "phường",
    "đặc khu",
    "ngành",
    "cấp ủy",
    "lực lượng",
    "nhà trường",
    "bệnh viện",
)
_HEAD = re.compile(r"(?:^|\s)(?:" + "|".join(sorted(HEAD_WORDS, key=len, reverse=True)) + r")(?:\s|$)")
_ROLES = {"chủ trì": Role.LEAD, "chỉ đạo": Role.DIRECTING, "phối hợp": Role.COORDINATING}


def _spans(text: str, matches: list[Match]) -> list[tuple[int, int]]:
    """Split points of *text*: separators outside gazetteer names."""
    protected = [(m.start, m.end) for m in matches]

    def inside(i: int) -> bool:
        return any(s <= i < e for s, e in protected)

    cuts, start = [], 0
    for i, ch in enumerate(text):
        if ch in ",;\n" and not inside(i):
            cuts.append((start, i))
            start = i + 1
    cuts.append((start, len(text)))
    return [(s, e) for s, e in cuts if text[s:e].strip()]


def _merge_plurals(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join the comma-separated words of a plural phrase back into one span."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        seg = name_key(text[s:e].strip())
        if out:
            ps, pe = out[-1]
            prev = name_key(text[ps:pe].strip())
            if _GENERIC_SEGMENT.match(seg) and (_OPEN_PLURAL.search(prev) or _GENERIC_SEGMENT.match(prev)):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def _merge_nameless(text: str, spans: list[tuple[int, int]], gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Join a segment that names no body (a place name in a list) to the segment before it."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        seg = text[s:e].strip()
        key = name_key(seg)
        if out and not gazetteer.find(seg) and not _HEAD.search(key) and not _ROLE_SUFFIX.fullmatch(key):
            out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


def resolve_name(name: str, gazetteer: Gazetteer, jurisdiction: str | None) -> tuple[list[Agency], bool]:
    """The agencies one segment names, and whether the gazetteer knew them.

    >>> from kg.gazetteer import Gazetteer
    >>> [a.name for a in resolve_name("Sở Khoa học và Công nghệ Sở Công Thương", Gazetteer.default(), "Hà Nội")[0]]
    ['Sở Khoa học và Công nghệ', 'Sở Công Thương']
    """
    name = clean(name)
    entry = gazetteer.lookup(name)
    if entry is not None:
        return [gazetteer.resolve(entry, jurisdiction)], True
    key = name_key(name)
    matches = gazetteer.find(name)
    if matches:
        gaps = [key[: matches[0].start]]
        gaps += [key[a.end : b.start] for a, b in itertools.pairwise(matches)]
        gaps.append(key[matches[-1].end :])
        if len(matches) > 1 and all(re.fullmatch(r"[\s,;]*(?:và)?[\s,;]*", g) for g in gaps):
            return [gazetteer.resolve(m.entry, jurisdiction) for m in matches], True
        if not gaps[0].strip() and re.match(r"^\s+và(?:\s|$)", gaps[1] if len(gaps) > 1 else ""):
            # "Bộ Công an và các địa phương …": the known name, then a second participant.
            rest = re.sub(r"^\s+và\s+", "", key[matches[0].end :])
            more, known = resolve_name(name[len(name) - len(rest) :], gazetteer, jurisdiction)
            return [gazetteer.resolve(matches[0].entry, jurisdiction), *more], known
        if len(matches) == 1 and not gaps[0].strip():
            tail = gaps[-1]
            place = name_key(jurisdiction or "")
            if _PLACE_WORDS.match(tail.replace(place, "") if place else tail):
                return [gazetteer.resolve(matches[0].entry, jurisdiction)], True
    collective = bool(_OPEN_PLURAL.search(key) or _GENERIC_SEGMENT.match(key))
    kind = "collective" if collective else "other"
    return [gazetteer.unrecognised(name, jurisdiction, kind=kind)], False


def split_cell(
    cell: str,
    gazetteer: Gazetteer,
    jurisdiction: str | None,
    default_role: Role,
    *,
    warn: Callable[[str], None] | None = None,
) -> list[Assignment]:
    """The assignments a table cell states, in cell order.

    >>> from kg.gazetteer import Gazetteer
    >>> cell = "Ban Tuyên giáo Thành ủy chỉ đạo, Sở Thông tin và Truyền thông chủ trì"
    >>> [(a.agency.name, a.role.value) for a in split_cell(cell, Gazetteer.default(), "Hà Nội", Role.LEAD)]
    [('Ban Tuyên giáo Thành ủy', 'directing'), ('Sở Thông tin và Truyền thông', 'lead')]
    """
    text = strip_markup(cell)
    if not text or text in {"-", "–", "x"}:
        return []
    spans = _merge_nameless(text, _merge_plurals(text, _spans(text, gazetteer.find(text))), gazetteer)
    out: list[Assignment] = []
    seen: set[tuple[str, Role]] = set()
    for s, e in spans:
        segment = text[s:e].strip(" .;:")
        role = default_role
        m = _ROLE_SUFFIX.search(name_key(segment))
        if m and default_role is not Role.COORDINATING:
            role = _ROLES[m.group(1)]
            segment = segment[: m.start()].strip(" ,.;:")
        segment = _LEADING.sub("", segment).strip()
        if not segment:
            continue
        agencies, known = resolve_name(segment, gazetteer, jurisdiction)
        if not known and warn is not None:
            warn(f"agency not in the gazetteer, kept as written: {segment!r}")
        for agency in agencies:
            if (agency.id, role) in seen:
                continue
            seen.add((agency.id, role))
            out.append(Assignment(agency=agency, role=role, text=segment))
    return out
