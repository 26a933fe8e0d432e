"""Mentions of documents in a text: "Kế hoạch số 179/KH-UBND ngày 12/5/2025 của UBND tỉnh …",
"Nghị quyết số 45-NQ/TW … của Ban Chấp hành Trung ương Đảng khóa XIII", "Luật Việc làm".

Each mention gives the document's type, its number (codes printed in capitals get their usual
case back: "QĐ-TTG" → "QĐ-TTg"), its date and its issuer as printed; a law is cited by its
name.  The chain of :mod:`loaders.document_chain` is made of these mentions.

>>> [(r.type, r.number) for r in find_refs("căn cứ Quyết định số 1899/QĐ-TTG ngày 15/8/2022 của Thủ tướng")]
[('Quyết định', '1899/QĐ-TTg')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key

__all__ = ["DOC_TYPES", "RefMention", "find_refs", "fix_number"]


# Document types and the codes their numbers carry ("30-CTr/TU", "123/KH-UBND").
DOC_TYPES = {
    "chương trình hành động": "CTr",
    "kế hoạch hành động": "KH",
    "thông tư liên tịch": "TTLT",
    "nghị quyết": "NQ",
    "kế hoạch": "KH",
    "quyết định": "QĐ",
    "chỉ thị": "CT",
    "kết luận": "KL",
    "nghị định": "NĐ",
    "thông tư": "TT",
    "công văn": "CV",
    "thông báo": "TB",
    "hướng dẫn": "HD",
    "đề án": "ĐA",
    "chương trình": "CTr",
    "luật": "L",
}
_CODE_TYPE = {
    "ctr": "Chương trình hành động",
    "nq": "Nghị quyết",
    "kh": "Kế hoạch",
    "qđ": "Quyết định",
    "ct": "Chỉ thị",
    "kl": "Kết luận",
    "nđ": "Nghị định",
    "tt": "Thông tư",
    "tb": "Thông báo",
    "hd": "Hướng dẫn",
    "đa": "Đề án",
}
# Codes written with lower-case letters ("QĐ-TTg", "30-CTr/TU", "TTr"): an upper-case
# title prints them in capitals, and the number must still be the same number.
_MIXED_CODES = {name_key(c): c for c in ("TTg", "CTr", "TTr", "QĐi")}
_TYPE_ALT = "|".join(sorted((re.escape(t) for t in DOC_TYPES), key=len, reverse=True))
_NUM = r"\d+[\w.]*(?:[/-][\w.Đđ]+)+"
_NUM_SPACED = r"\d+[\w.]*(?:\s?[/-]\s?[\w.Đđ]+)+"
_DATE = (
    r"ngày\s*(?:(?P<{0}d>\d{{1,2}})\s*[/.-]\s*(?P<{0}m>\d{{1,2}})\s*[/.-]\s*(?P<{0}y>\d{{4}})"
    r"|(?P<{0}td>\d{{1,2}})\s+tháng\s+(?P<{0}tm>\d{{1,2}})\s+năm\s+(?P<{0}ty>\d{{4}}))"
)
_REF_STOP = (
    r"(?=\s+(?:về|thực hiện|triển khai|phê duyệt|ban hành|khóa|khoá|tại|trong|đối với|giai đoạn"
    r"|quy định|hướng dẫn|và|nhằm|ngày|sửa đổi)\b|[,;:(“\"”.]|$)"
)
# The class of first letters lets the search skip most positions before trying every type.
_TYPE_FIRST = "".join(sorted({c for t in DOC_TYPES for c in (t[0], t[0].upper())}))
_REF = re.compile(
    rf"(?<!\w)(?=[{_TYPE_FIRST}])(?P<type>{_TYPE_ALT})\s+(?:số\s*)?(?P<number>{_NUM})"
    rf"(?:\s*,?\s*{_DATE.format('a')})?"
    rf"(?:\s*(?:của|do)\s+(?P<issuer>[^,;:(“\"”]+?))?{_REF_STOP}"
    rf"(?:\s*,?\s*{_DATE.format('b')})?"
    r"(?:\s+(?P<term>kh[óo]a\s+[IVXLC]+))?",
    re.IGNORECASE,
)
# A law is cited by its name: "Luật Việc làm", "Luật sửa đổi, bổ sung một số điều của
# Luật Tiêu chuẩn và quy chuẩn kỹ thuật"; the name ends where a date, a place, an issuer
# or punctuation starts.
_LAW = re.compile(
    r"(?<!\w)(?P<type>bộ\s+luật|luật)\s+(?P<name>"
    r"(?:sửa\s+đổi,?\s+bổ\s+sung\s+(?:một\s+số\s+điều\s+)?(?:của\s+)?(?:các\s+)?(?:bộ\s+)?luật\s+)?"
    r"(?!số\b)\w[^,;:.()“”\"\[\]]*?)"
    r"(?=\s+(?:số|ngày|năm|trên\s+địa\s+bàn|tại|của|trong|đến|về|giai\s+đoạn|thuộc|nhằm|được|đã"
    r"|cho|theo|và\s+các|và\s+(?:văn\s+bản|nghị|quyết|thông|chỉ))\b|[,;:.()“”\"\[\]]|$)",
    re.IGNORECASE,
)
# The office of a body's head before the body ("Bộ trưởng Bộ Nông nghiệp …", "Chủ tịch Ủy ban nhân dân
# tỉnh"): the office holder signs for the body, which is the document's issuer.
OFFICE = re.compile(
    r"^(?:bộ trưởng|chủ tịch|giám đốc|tổng giám đốc|trưởng ban|chủ nhiệm|thống đốc|tổng kiểm toán)\s+"
    r"(?=(?:bộ|ủy ban|uỷ ban|ubnd|sở|ban|ngân hàng|kiểm toán|văn phòng|hội đồng)\b)",
    re.IGNORECASE,
)
_STOP_ISSUER = re.compile(r"\s+(?:về|thực hiện|triển khai)\b.*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RefMention:
    """A document reference as written, before its issuer is resolved.

    A law cited by its name has no number; *name* holds its name ("Luật Việc làm").
    """

    type: str
    number: str | None
    date: date | None
    issuer: str | None
    term: str | None
    start: int
    end: int
    name: str | None = None


_SPACED_SLASH = re.compile(r"\s*([/-])\s*")
_LETTERS = re.compile(r"[^\W\d_]+")


def fix_number(number: str) -> str:
    """A document number as usually written: no stray spaces, mixed-case codes restored.

    >>> fix_number("1899/QĐ-TTG")
    '1899/QĐ-TTg'
    >>> fix_number("10- CTR/TU")
    '10-CTr/TU'
    """
    number = _SPACED_SLASH.sub(lambda m: m.group(1), clean(number))  # r"\1", not parsed per call
    return _LETTERS.sub(lambda m: _MIXED_CODES.get(name_key(m.group(0)), m.group(0)), number)


def _when(y: str | None, m: str | None, d: str | None) -> date | None:
    if not (y and m and d):
        return None
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _match_date(m: re.Match[str], p: str) -> date | None:
    return _when(m.group(p + "y"), m.group(p + "m"), m.group(p + "d")) or _when(
        m.group(p + "ty"), m.group(p + "tm"), m.group(p + "td")
    )


def _upper(text: str) -> bool:
    return text == text.upper() and any(c.isalpha() for c in text)


def _law_name(kind: str, name: str) -> str:
    """A law's name as usually written; a name printed in capitals gets sentence case.

    >>> _law_name("LUẬT", "VIỆC LÀM")
    'Luật Việc làm'
    """
    kind = kind[0].upper() + kind[1:].lower()
    if _upper(name):
        name = name.lower()
        # "… CỦA LUẬT TIÊU CHUẨN …": the amended law's name starts with a capital too.
        name = re.sub(r"(\bluật\s+)(\w)", lambda m: "Luật " + m.group(2).upper(), name)
        if not name.startswith(("sửa đổi", "Luật")):
            name = name[0].upper() + name[1:]
    return clean(f"{kind} {name}")


def _laws(text: str, taken: list[tuple[int, int]]) -> list[RefMention]:
    """Laws cited by name in *text*, outside the spans *taken* by numbered references."""
    out = []
    pos = 0
    # A rejected match ("pháp luật và Bộ luật …") must not hide a law inside it: search on from the next character.
    while m := _LAW.search(text, pos):
        pos = m.start() + 1
        word = m.group("type")
        name = m.group("name")
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        if not _upper(m.group(0)):
            # In running text a law's name is capitalised: "Luật Đất đai", not "luật định".
            if word[0].islower() or not (name[0].isupper() or name_key(name).startswith("sửa đổi")):
                continue
        if re.search(r"pháp\s*$", text[: m.start()], re.IGNORECASE):  # "pháp luật"
            continue
        when = None
        after = re.match(rf"\s*,?\s*{_DATE.format('a')}", text[m.end() :], re.IGNORECASE)
        if after:
            when = _match_date(after, "a")
        kind = word[0].upper() + word[1:].lower()
        out.append(RefMention(kind, None, when, "Quốc hội", None, m.start(), m.end(), _law_name(word, name)))
        pos = m.end()
    return out


def find_refs(text: str, gazetteer: Gazetteer | None = None) -> list[RefMention]:
    """Every "Type số N ngày D của Issuer" mention in *text*, and every law cited by name, in order.

    With a *gazetteer*, an issuer the pattern cut at "và" is extended to the
    whole name the gazetteer knows ("của Bộ Khoa học và Công nghệ về việc …").

    >>> from kg.model.gazetteer import Gazetteer
    >>> [r.issuer for r in find_refs("Quyết định số 912/QĐ-BKHCN ngày 18/5/2025 của Bộ Khoa học và Công nghệ về việc", Gazetteer.default())]
    ['Bộ Khoa học và Công nghệ']
    >>> [(r.type, r.number, str(r.date)) for r in find_refs("THỰC HIỆN QUYẾT ĐỊNH SỐ 1899/QĐ-TTG NGÀY 04/9/2025 CỦA THỦ TƯỚNG CHÍNH PHỦ")]
    [('Quyết định', '1899/QĐ-TTg', '2025-09-04')]
    >>> [r.issuer for r in find_refs("Chỉ thị số 8008/CT-TCTL ngày 25/10/2019 của Bộ trưởng Bộ Nội vụ về việc")]
    ['Bộ Nội vụ']
    >>> [(r.name, str(r.date)) for r in find_refs("Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;")]
    [('Luật Tổ chức Chính phủ', '2025-02-18')]
    """
    out = []
    text = clean(text)
    for m in _REF.finditer(text):
        when = _match_date(m, "a") or _match_date(m, "b")
        issuer = m.group("issuer")
        at = m.start("issuer")
        if issuer:
            issuer = _STOP_ISSUER.sub("", issuer).strip() or None
        if issuer and (office := OFFICE.match(issuer)):
            issuer, at = issuer[office.end() :], at + office.end()
        if issuer and gazetteer is not None:
            found = gazetteer.find(text[at : at + 160])
            if found and found[0].start == 0 and found[0].end > len(issuer):
                issuer = text[at : at + found[0].end]
        ref_type = m.group("type")
        ref_type = ref_type[0].upper() + ref_type[1:].lower()
        number = fix_number(m.group("number"))
        out.append(RefMention(ref_type, number, when, issuer, m.group("term"), m.start(), m.end()))
    out += _laws(text, [(r.start, r.end) for r in out])
    return sorted(out, key=lambda r: r.start)


def _year(number: str | None, when: date | None) -> str:
    if when:
        return str(when.year)
    m = re.search(r"(?:19|20)\d\d", number or "")
    return m.group(0) if m else ""
