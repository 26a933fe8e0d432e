"""Read a plan's own identity: type, number, place and date, issuer, title, signer,
the chain of documents it implements and the documents it cites.

What the copy leaves blank stays blank: "Số: /KH-UBND" has no number and
"ngày tháng năm 2024" no date, only a year.

Rules, for any plan:

* The header is read as printed, whatever the copy did to its two columns:
  lines wrapped anywhere ("ỦY BAN NHÂN" / "DÂN" / "TỈNH ĐỒNG THÁP"), the
  columns one after the other, interleaved line by line, side by side on one
  line, or as a Markdown table row. The national motto ("CỘNG HÒA XÃ HỘI CHỦ
  NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc", or the Party's "ĐẢNG CỘNG
  SẢN VIỆT NAM") is the right column wherever its words fall; what is left
  above "Số:" and the place-and-date line is the left column.
* The issuer is that left column. When it names a parent body and then a
  body of it ("ỦY BAN NHÂN DÂN TỈNH X" / "SỞ TÀI CHÍNH"), the issuer is the
  last body and its place is the parent's. Without such a header, the issuer
  is the subject of the sentence "… ban hành Kế hoạch", else the body of the
  signature block ("TM. ỦY BAN NHÂN DÂN"; never a title such as "KT. CHỦ TỊCH").
* The number is what follows "Số:", on that line or the next; only a number
  shape ("179/KH-UBND") is a number. Codes printed in capitals get their usual
  case back ("QĐ-TTG" → "QĐ-TTg").
* The type is the title line ("KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG", …), else
  the code of the number, else "Công văn" for a letter ("V/v …"); the title
  is the paragraph under it.
* A document issued by the Government, the Prime Minister or a ministry is
  national (jurisdiction ``None``); otherwise its jurisdiction is the
  province or city its issuer names ("UBND tỉnh Đồng Nai"), else the place
  of the place-and-date line ("Đồng Tháp, ngày 19 tháng 11 năm 2025").
* The chain is what the plan says it carries out ("thực hiện", "triển khai",
  "thi hành"), in the title, the sentence that issues it ("Ủy ban nhân dân
  tỉnh ban hành Kế hoạch thực hiện …") or the opening sentence, in any case: "THỰC HIỆN
  QUYẾT ĐỊNH SỐ 1899/QĐ-TTG", "triển khai thi hành Luật Việc làm". Each link
  of "Thực hiện A … về thực hiện B" is a step up. A document the plan only
  rests on ("Căn cứ …") is cited, not implemented.

>>> refs = find_refs("Thực hiện Chương trình hành động số 30-CTr/TU ngày 08/3/2024 của Thành ủy về thực hiện Nghị quyết số 45-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng khóa XIII")
>>> [(r.type, r.number, r.date.isoformat(), r.issuer, r.term) for r in refs]
[('Chương trình hành động', '30-CTr/TU', '2024-03-08', 'Thành ủy', None), ('Nghị quyết', '45-NQ/TW', '2023-11-24', 'Ban Chấp hành Trung ương Đảng', 'khóa XIII')]
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.model import Agency, Document, DocumentRef
from kg.model.gazetteer import Entry, Gazetteer
from kg.model.places import canonical_place
from kg.model.text import clean, name_key, slug, strip_markup

__all__ = ["DOC_TYPES", "Header", "RefMention", "find_refs", "read_document", "read_header"]

# Document types and the codes their numbers carry ("30-CTr/TU", "123/KH-UBND").
DOC_TYPES = {
    "chương trình hành động": "CTr",
    "kế hoạch hành động": "KH",
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
_STOP_ISSUER = re.compile(r"\s+(?:về|thực hiện|triển khai)\b.*$", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^\d,]{2,40}?)\s*,\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*"
    r"năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
# "Số: 179/KH-UBND", "Số 12-KH/TU" (Party documents print no colon), "Số:" alone.
_NUMBER_LINE = re.compile(r"^Số\s*(?::\s*|(?=\d|/|$))(?P<num>.*)$", re.IGNORECASE)
_NUMBER_SHAPE = re.compile(r"^(?:\d+[\w.]*)?(?:\s?[/-]\s?[\w.Đđ]+)+$")
_LETTER = re.compile(r"^V/v\b", re.IGNORECASE)
_IMPLEMENTS = re.compile(
    r"(?:^|\b)(?:triển khai\s*,?\s*)?(?:thực hiện|thi hành|triển khai)\s*(?:các\s+)?$", re.IGNORECASE
)
_VERB_BEFORE = re.compile(r"(?:triển khai|thực hiện|thi hành)\s*(?:các\s+)?$", re.IGNORECASE)
# An opening sentence is running text: a title in capitals ("TRIỂN KHAI …") is not one.
_OPENING = re.compile(r"^(?:Thực hiện|Triển khai)\b")
# Where the preamble starts, if no title line closed the header first.
_PREAMBLE = re.compile(r"^(?:(?i:Căn cứ|Theo đề nghị|Xét|Kính gửi)|Thực hiện|Triển khai|[IVX]+\.\s)\b")
_SIGN_BLOCK = re.compile(r"^(?:TM|KT|TL|TUQ|Q)\.\s", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s\-_=–—.*]+$")
# The right column of the header: the national motto, or the Party's name on a Party document.
_MOTTOS = tuple(
    tuple(name_key(w) for w in re.findall(r"\w+", m))
    for m in ("Cộng hòa xã hội chủ nghĩa Việt Nam Độc lập - Tự do - Hạnh phúc", "Đảng Cộng sản Việt Nam")
)
# Where a motto piece may start besides where the last piece stopped: each line of it.
_MOTTO_STARTS = ((0, 8), (0,))
# The place a body's name ends with: "… TỈNH ĐỒNG NAI", "… THÀNH PHỐ HỒ CHÍ MINH", "… TP. HUẾ".
_PLACE_TAIL = re.compile(
    r"^(?P<body>.*?\b(?:tỉnh|thành phố|tp\.?))\s+(?!(?:ủy|uỷ)\b)(?P<place>\w+(?:\s+\w+){0,3})$", re.IGNORECASE
)
# "TỈNH ỦY QUẢNG NGÃI", "THÀNH ỦY HÀ NỘI": the Party Committee and then its place.
_PARTY_TAIL = re.compile(
    r"^(?P<body>(?:tỉnh|thành)\s+(?:ủy|uỷ))\s+(?P<place>\w+(?:\s+\w+){0,3})$", re.IGNORECASE
)
# Words an organisation's name starts with.
_ORG_HEAD = re.compile(
    r"^(?:bộ|sở|ban|cục|tổng cục|chi cục|vụ|viện|học viện|trung tâm|ủy ban|uỷ ban|ubnd|hội đồng|công an"
    r"|bộ chỉ huy|bộ tư lệnh|hội|liên hiệp|liên đoàn|đài|báo|trường|văn phòng|thanh tra|kho bạc|ngân hàng"
    r"|tập đoàn|tổng công ty|công ty|đảng ủy|đảng uỷ|đảng bộ|tỉnh ủy|tỉnh uỷ|thành ủy|thành uỷ|mặt trận|đoàn"
    r"|chính phủ|thủ tướng|quốc hội|tòa án|toà án|viện kiểm sát|kiểm toán|bảo hiểm)\b",
    re.IGNORECASE,
)


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


@dataclass(frozen=True, slots=True)
class Header:
    """What the header block prints, as printed (see :func:`read_header`)."""

    issuer: str | None
    number_text: str | None
    place: str | None
    date_text: str | None
    day: int | None
    month: int | None
    year: int | None
    type: str | None
    title: str | None
    letter: bool
    end: int


def _plain(line: str) -> str:
    return strip_markup(re.sub(r"^\s*#+\s*", "", line))


def fix_number(number: str) -> str:
    """A document number as usually written: no stray spaces, mixed-case codes restored.

    >>> fix_number("1899/QĐ-TTG")
    '1899/QĐ-TTg'
    >>> fix_number("10- CTR/TU")
    '10-CTr/TU'
    """
    number = re.sub(r"\s*([/-])\s*", r"\1", clean(number))
    return re.sub(r"[^\W\d_]+", lambda m: _MIXED_CODES.get(name_key(m.group(0)), m.group(0)), number)


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
    >>> [(r.name, str(r.date)) for r in find_refs("Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;")]
    [('Luật Tổ chức Chính phủ', '2025-02-18')]
    """
    out = []
    text = clean(text)
    for m in _REF.finditer(text):
        when = _match_date(m, "a") or _match_date(m, "b")
        issuer = m.group("issuer")
        if issuer:
            issuer = _STOP_ISSUER.sub("", issuer).strip() or None
        if issuer and gazetteer is not None:
            at = m.start("issuer")
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


# ---------------------------------------------------------------- the header block


def _segments(lines: Sequence[str], limit: int = 60) -> list[tuple[int, str]]:
    """The header's pieces of text in reading order, with their line index.

    A Markdown table row gives its cells left to right, a cell's ``<br>`` lines
    one by one; a line whose columns are set apart by a tab or a run of spaces
    gives each column. A blank line gives ``""``.
    """
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines[:limit]):
        raw = line.strip()
        if raw.startswith("|") and raw.endswith("|") and len(raw) > 1:
            if re.fullmatch(r"[|\s:\-]+", raw):
                continue
            parts = [p for cell in raw[1:-1].split("|") for p in re.split(r"<br\s*/?>", cell, flags=re.I)]
        else:
            parts = re.split(r"<br\s*/?>|\t+| {3,}", raw, flags=re.I)
        texts = [_plain(p) for p in parts]
        texts = [t for t in texts if t] or [""]
        out.extend((i, t) for t in texts)
    return out


def _strip_motto(text: str, at: list[int]) -> tuple[str, bool]:
    """*text* without the motto words it holds, and whether it held any.

    *at* is, per motto, how far its words have been read: a piece continues
    where the last one stopped, or starts a line of the motto. A piece of one
    word counts only as a whole line that continues the motto (so "TỈNH HÀ
    NAM" keeps its "NAM").

    >>> _strip_motto("CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", [0, 0])
    ('CHÍNH PHỦ', True)
    >>> _strip_motto("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", [0, 0])
    ('BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI', False)
    """
    found = False
    while True:
        words = list(re.finditer(r"\w+", text))
        keys = [name_key(w.group(0)) for w in words]
        best: tuple[int, int, int, int] | None = None  # start word, length, motto, next
        for mi, motto in enumerate(_MOTTOS):
            for q in {at[mi], *_MOTTO_STARTS[mi]}:
                for s in range(len(keys)):
                    k = 0
                    while s + k < len(keys) and q + k < len(motto) and keys[s + k] == motto[q + k]:
                        k += 1
                    whole_line = k == len(keys) and q == at[mi] and q > 0
                    if (k >= 2 or (k == 1 and whole_line)) and (best is None or k > best[1]):
                        best = (s, k, mi, q + k)
        if best is None:
            return clean(text), found
        s, k, mi, nxt = best
        at[mi] = nxt
        found = True
        text = text[: words[s].start()] + " " + text[words[s + k - 1].end() :]
        text = re.sub(r"^[\s\-–—:*]+|[\s\-–—:*]+$", "", text)


def _title_type(text: str) -> tuple[str, str] | None:
    """The document type a title line prints, and what follows it on the line.

    >>> _title_type("KẾ HOẠCH")
    ('Kế hoạch', '')
    >>> _title_type("CHƯƠNG TRÌNH HÀNH ĐỘNG THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW")
    ('Chương trình hành động', 'THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW')
    >>> _title_type("Kế hoạch này được triển khai") is None
    True
    """
    key = name_key(text).rstrip(" :.")
    if key in DOC_TYPES:
        return key[0].upper() + key[1:], ""
    for t in sorted(DOC_TYPES, key=len, reverse=True):
        # A type and its title on one line: only in capitals, as a title is printed.
        if key.startswith(t + " ") and _upper(text[: len(t)]):
            rest = text[len(t) :].strip(" :")
            return t[0].upper() + t[1:], rest
    return None


def _place_date(texts: list[str], j: int) -> tuple[re.Match[str], int] | None:
    """The place-and-date line starting at piece *j*, and how many pieces it takes.

    A line the copy wrapped ("*Đồng Nai, ngày 18" / "tháng 11 năm 2025*",
    "Thành phố Hồ Chí" / "Minh, ngày 18 …") is read joined with the next ones;
    an issuer line in capitals is never the start of a place.
    """
    for n in (1, 2, 3):
        if n > 1 and (_upper(texts[j]) or not texts[j + n - 1 : j + n]):
            return None
        if j + n > len(texts):
            return None
        m = _PLACE_DATE.match(clean(" ".join(texts[j : j + n])))
        if m:
            return m, n
    return None


def read_header(lines: Sequence[str]) -> Header:
    """Read the header block: left column (issuer), number, place and date, type and title.

    >>> h = read_header(["| ỦY BAN NHÂN DÂN<br>THÀNH PHỐ HÀ NỘI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc |",
    ...                  "|---|---|", "| Số:<br>308/KH-UBND | Hà Nội, ngày 17 tháng 11 năm 2025 |", "", "KẾ HOẠCH", "Triển khai Nghị quyết 214/NQ-CP"])
    >>> (h.issuer, h.number_text, h.place, h.year, h.type, h.title)
    ('ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI', '308/KH-UBND', 'Hà Nội', 2025, 'Kế hoạch', 'Triển khai Nghị quyết 214/NQ-CP')
    """
    segs = _segments(lines)
    at = [0, 0]
    texts: list[str] = []
    index: list[int] = []
    alone = {i for i, n in Counter(i for i, _ in segs).items() if n == 1}
    for i, t in segs:
        if t and not _SEPARATOR.match(t):
            t, _ = _strip_motto(t, at)
            if t and not _SEPARATOR.match(t):
                texts.append(t)
                index.append(i)
    issuer: list[str] = []
    open_ = True
    number_text = place = date_text = None
    day = month = year = None
    doc_type = title = None
    letter = False
    end = 0  # the line after the last one the header took, if nothing closes it
    j = 0
    while j < len(texts):
        t = texts[j]
        if _PREAMBLE.match(t):
            end = index[j]
            break
        # A type line is a line of its own, not a table cell or a column beside another.
        typed = _title_type(t) if index[j] in alone else None
        if typed:
            doc_type, rest = typed
            title = _title_after(lines, index[j], rest)
            end = index[j]
            break
        if number_text is None and (m := _NUMBER_LINE.match(t)):
            number_text = m.group("num").strip() or None
            nxt = texts[j + 1] if j + 1 < len(texts) else ""
            if number_text is None and _NUMBER_SHAPE.match(nxt):
                number_text, j = nxt, j + 1
            # The left column may print the number beside the place: "Số: 12/KH-UBND Hà Nội, ngày …".
            if number_text and (pm := re.search(r"\s(?=[^\d\s,][^\d,]{1,40},\s*ngày\b)", number_text)):
                texts.insert(j + 1, number_text[pm.end() :])
                index.insert(j + 1, index[j])
                number_text = number_text[: pm.start()].strip()
            open_ = False
        elif place is None and (pd := _place_date(texts, j)):
            m, n = pd
            place = clean(m.group("place"))
            text = m.string
            date_text = clean(text[name_key(text).index("ngày") :])
            year = int(m.group("y"))
            day = int(m.group("d")) if m.group("d") else None
            month = int(m.group("m")) if m.group("m") else None
            j += n - 1
            # The place closes the left column only once it has begun (the right column may come first).
            open_ = open_ and not issuer
        elif _LETTER.match(t):
            letter = True
            open_ = False
        elif open_ and len(issuer) < 8:
            issuer.append(t)
        else:
            j += 1
            continue
        end = index[j] + 1
        j += 1
    name = clean(" ".join(issuer)) or None
    return Header(name, number_text, place, date_text, day, month, year, doc_type, title, letter, end)


def _title_after(lines: Sequence[str], i: int, rest: str) -> str | None:
    """The title: the paragraph under the type line (and what the type line holds after the type).

    It ends at a blank line, a rule, a "Căn cứ …" line or a line set apart in
    bold (the issuing authority's name over the preamble).
    """
    run: list[str] = [rest] if rest else []
    bold_title = None
    for line in lines[i + 1 : i + 10]:
        t = _plain(line)
        if not t:
            if run:
                break
            continue
        if _SEPARATOR.match(t) or re.match(r"^(?:Căn cứ|Theo đề nghị)\b", t, re.IGNORECASE):
            break
        bold = bool(re.fullmatch(r"\s*(?:#+\s*)?\*\*.*\*\*\s*", line))
        if bold_title is None:
            bold_title = bold
        elif bold and not bold_title:
            break
        run.append(t)
    return clean(" ".join(run)) or None


# ---------------------------------------------------------------- the issuer


def _known(name: str, gazetteer: Gazetteer) -> Entry | None:
    """The gazetteer entry a header name denotes, its place set aside if need be.

    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" is the entry "UBND tỉnh" (in Quảng Ngãi).

    >>> from kg.model.gazetteer import Gazetteer
    >>> _known("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", Gazetteer.default()).name
    'UBND tỉnh'
    """
    entry = gazetteer.lookup(name)
    if entry is None and (m := _PLACE_TAIL.match(clean(name)) or _PARTY_TAIL.match(clean(name))):
        body = re.sub(r"\btp\.?$", "thành phố", m.group("body"), flags=re.IGNORECASE)
        entry = gazetteer.lookup(body)
    return entry


def _split_issuer(name: str, gazetteer: Gazetteer) -> tuple[str, str]:
    """The issuing body of a left column and the text naming its place (a parent body, or itself).

    >>> from kg.model.gazetteer import Gazetteer
    >>> _split_issuer("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH SỞ TÀI CHÍNH", Gazetteer.default())
    ('SỞ TÀI CHÍNH', 'ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH')
    >>> _split_issuer("BỘ NỘI VỤ", Gazetteer.default())
    ('BỘ NỘI VỤ', 'BỘ NỘI VỤ')
    """
    if _known(name, gazetteer):
        return name, name
    words = name.split()
    for k in range(1, len(words)):
        parent, child = " ".join(words[:k]), " ".join(words[k:])
        if _ORG_HEAD.match(child) and (
            _known(parent, gazetteer) or (_known(child, gazetteer) and _is_org(parent))
        ):
            return child, parent
    return name, name


def _province(issuer: str | None, place: str | None) -> str | None:
    """The province or city an issuer's name ends with ("UBND tỉnh Đồng Nai" → "Đồng Nai").

    The place line's spelling is kept when it names the same place, also when
    it prints "Thành phố" as part of the city's name.

    >>> _province("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", None)
    'Đồng Tháp'
    >>> _province("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Thành phố Hồ Chí Minh")
    'Thành phố Hồ Chí Minh'
    >>> _province("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", None), _province("UBND THÀNH PHỐ HÀ NỘI", None)
    ('Thành phố Hồ Chí Minh', 'Hà Nội')
    >>> _province("Tỉnh ủy Đồng Tháp", None)
    'Đồng Tháp'
    """
    if not issuer:
        return None
    # "Tỉnh ủy X" is the Party Committee of X: its place follows "ủy", not "tỉnh".
    m = _PLACE_TAIL.match(clean(issuer)) or _PARTY_TAIL.match(clean(issuer))
    if not m:
        return None
    found = m.group("place")
    if place and name_key(place) in {name_key(found), name_key(f"thành phố {found}")}:
        return canonical_place(place)
    if place and name_key(place) in {name_key(f"tp. {found}"), name_key(f"tp {found}")}:
        return canonical_place("Thành phố " + place.split(None, 1)[1])
    # One spelling everywhere: the place's official name (kg.model.places.canonical_place).
    return canonical_place(" ".join(w[:1].upper() + w[1:].lower() for w in found.split()))


def _is_org(name: str) -> bool:
    """Whether a left column not in the gazetteer still reads as a body's name (in capitals)."""
    return _upper(name) and bool(_ORG_HEAD.match(name)) and len(name) <= 120


def _issuer_text(plain: Sequence[str], gazetteer: Gazetteer, *, subject_only: bool = False) -> str | None:
    """Who issues the document: "…, Ủy ban nhân dân thành phố Hà Nội ban hành …".

    The subject must be a whole body the gazetteer knows (so "… của Chính phủ
    về ban hành Chương trình" is not read as an issuer). Else the body the
    signature block signs for ("TM. ỦY BAN NHÂN DÂN"); "KT. CHỦ TỊCH" and the
    like name a person's title, not a body.
    """
    for text in plain[:80]:
        for m in re.finditer(r"(?:^|[,;.]\s*)([^,.;]{3,80}?)\s+ban hành\b", text):
            subject = clean(m.group(1))
            if _known(subject, gazetteer):
                return subject
    if subject_only:
        return None
    for text in plain:
        if re.match(r"^TM\.\s", text, re.IGNORECASE):
            org = re.sub(r"^TM\.\s*", "", text.split("  ")[0], flags=re.IGNORECASE).strip()
            return clean(org) or None
    return None


def _resolve(name: str, gazetteer: Gazetteer, jurisdiction: str | None) -> Agency:
    entry = _known(name, gazetteer)
    if entry is not None:
        return gazetteer.resolve(entry, jurisdiction)
    from loaders.agencies import resolve_name

    agencies, _ = resolve_name(name, gazetteer, jurisdiction)
    return agencies[0]


# ---------------------------------------------------------------- the document


def read_document(
    lines: Sequence[str], *, file: str, gazetteer: Gazetteer, table_line: int | None = None
) -> tuple[Document, str | None]:
    """The document's identity and its jurisdiction (``None`` for a national document).

    *table_line* bounds the preamble and body that are searched (the appendix
    is not the document's own text); a table inside the header block does not.
    """
    head = read_header(lines)
    end = table_line - 1 if table_line and table_line - 1 > head.end else len(lines)
    plain = [_plain(x) for x in lines[:end]]
    paragraphs = _paragraphs(lines[head.end : end])
    number_text = head.number_text
    # Only a number's shape is the number: "Số 5 đơn vị …" in a letter's text is not one.
    shaped = re.match(rf"^{_NUM_SPACED}", number_text or "")
    number = fix_number(shaped.group(0)) if shaped else None
    when = _when(str(head.year) if head.year else None, str(head.month or ""), str(head.day or ""))
    doc_type = head.type
    if doc_type is None and number_text:
        code = re.search(r"[/-]([^\W\d_]+)", number_text)
        doc_type = _CODE_TYPE.get(name_key(code.group(1)), None) if code else None
    if doc_type is None and head.letter:
        doc_type = "Công văn"
    doc_type = doc_type or "Văn bản"

    # A header the gazetteer knows (whole, or as parent and body) comes first; then the
    # subject of "… ban hành"; then a header that only has a body's shape; then the signature.
    header = head.issuer if head.issuer and _is_org(head.issuer) else None
    known_header = (
        head.issuer if head.issuer and _known(_split_issuer(head.issuer, gazetteer)[0], gazetteer) else None
    )
    name = (
        known_header
        or _issuer_text(plain, gazetteer, subject_only=True)
        or header
        or _issuer_text(plain, gazetteer)
    )
    issuer_name, parent = _split_issuer(name, gazetteer) if name else (None, None)
    # A body the gazetteer holds as national (the Government, a ministry, a central Party
    # body) issues a national document; a body under a parent is national with its parent.
    entry = _known(parent, gazetteer) if parent else None
    national = entry is not None and entry.scope == "national"
    jurisdiction = None if national else (_province(parent, head.place) or canonical_place(head.place))
    issuer = _resolve(issuer_name, gazetteer, jurisdiction) if issuer_name else None

    refs, chains = _references(head.title, paragraphs, gazetteer, jurisdiction)
    by_id: dict[str, DocumentRef] = {}
    for ref in refs:
        by_id.setdefault(ref.id, ref)
    chain = by_id
    for steps in chains:
        chain = _link_chain(steps, chain)
    implements = list(dict.fromkeys(steps[0] for steps in chains))
    signer, signer_title = _signer(plain)
    issuer_id = issuer.id if issuer else slug(head.place or "vn")
    if number:
        doc_id = f"{issuer_id}/{slug(number)}-{_year(number, when)}".rstrip("-")
    else:
        doc_id = f"{issuer_id}/{slug(doc_type)}-{head.year or ''}-{slug(Path(file).stem)}".replace("--", "-")
    in_chain = {x for steps in chains for x in steps}
    cites = tuple(r.id for r in chain.values() if r.id not in in_chain)
    document = Document(
        id=doc_id,
        file=file,
        type=doc_type,
        number=number,
        number_text=number_text,
        date=when,
        date_text=head.date_text,
        year=head.year,
        place=head.place,
        issuer=issuer,
        title=head.title,
        signer=signer,
        signer_title=signer_title,
        implements=tuple(implements),
        references=tuple(chain.values()),
        cites=cites,
    )
    return document, jurisdiction


def _paragraphs(lines: Sequence[str]) -> list[str]:
    """The text's paragraphs: runs of lines up to a blank line, a rule, a heading or a table row."""
    out: list[str] = []
    run: list[str] = []
    for line in lines:
        stripped = line.strip()
        breaks = not stripped or _SEPARATOR.match(stripped) or stripped.startswith(("#", "|"))
        if breaks and run:
            out.append(clean(" ".join(run)))
            run = []
        if stripped.startswith("#") or (stripped.startswith("|") and stripped.endswith("|")):
            out.append(_plain(stripped))
        elif not breaks:
            run.append(_plain(stripped))
    if run:
        out.append(clean(" ".join(run)))
    return out


def _issuer_of(text: str, gazetteer: Gazetteer, jurisdiction: str | None) -> Agency:
    """The issuer a "của …" phrase names: the gazetteer name it starts with, else the phrase."""
    matches = gazetteer.find(text)
    if matches and matches[0].start == 0:
        return gazetteer.resolve(matches[0].entry, jurisdiction)
    return _resolve(text, gazetteer, jurisdiction)


def _mention_key(m: RefMention) -> str:
    return name_key(m.number or m.name or "")


def _ref_records(
    mentions: list[RefMention], gazetteer: Gazetteer, jurisdiction: str | None
) -> list[DocumentRef]:
    """One record per mention; mentions of one document (same number and issuer) share an id.

    A mention without a date or issuer takes them from another mention of the
    same number, so "Chương trình hành động số 30-CTr/TU của Thành ủy" and the
    dated mention are one document. A law cited by name is keyed by its name,
    spelled as running text spells it rather than as a title in capitals.
    """
    issuers = [_issuer_of(m.issuer, gazetteer, jurisdiction) if m.issuer else None for m in mentions]
    known: dict[str, tuple[date | None, Agency | None, str | None]] = {}
    names: dict[str, str] = {}
    for m, issuer in zip(mentions, issuers, strict=True):
        k = _mention_key(m)
        d, i, t = known.get(k, (None, None, None))
        known[k] = (d or m.date, i or issuer, t or m.term)
        if m.name and (k not in names or _upper(names[k].split(" ", 1)[-1])):
            names[k] = m.name
    out = []
    for m, issuer in zip(mentions, issuers, strict=True):
        k = _mention_key(m)
        d, i, t = known[k]
        issuer = issuer or i
        same = issuer is None or i is None or issuer.id == i.id
        when = m.date or (d if same else None)
        owner = issuer.id if issuer else slug(jurisdiction or "vn")
        rid = f"{owner}/{slug(m.number or names[k])}-{_year(m.number, when)}".rstrip("-")
        title = names.get(k)
        out.append(DocumentRef(rid, m.type, m.number, when, issuer, title, m.term or (t if same else None)))
    return out


def _chain_at(text: str, found: list[RefMention], *, opening: bool) -> list[int]:
    """Which of *found* (the mentions of *text*) form the chain *text* states.

    In an opening sentence ("Thực hiện A …") the first mention starts it; in a
    title it starts at the first mention right after "thực hiện", "triển khai"
    or "thi hành". "… về thực hiện B" goes one step up.
    """
    out: list[int] = []
    cursor = None
    for n, r in enumerate(found):
        if cursor is None:
            if opening or _VERB_BEFORE.search(text[: r.start]):
                out.append(n)
                cursor = r.end
            continue
        if not _IMPLEMENTS.search(text[cursor : r.start].strip()):
            break
        out.append(n)
        cursor = r.end
    return out


# What stands between two documents an opening sentence lists: "A …; B …", "A …, B … và C …".
_LIST_SEPARATOR = re.compile(r"(?:[;,]|\bvà)\s*$")


def _opening_items(text: str, found: list[RefMention]) -> list[list[int]]:
    """The documents an opening sentence says the plan carries out, as chains upwards.

    "Thực hiện A …; B … về thực hiện C và D …; E …, UBND tỉnh ban hành Kế hoạch":
    the plan carries out A, B and E; C and D are what B carries out. A document
    after a list separator (";", ",", "và") is a new item, unless it follows,
    within one description, a document that a listed one carries out (then it
    is carried out by the same one: D beside C); a ";" or the ")" that closes a
    short name such as "(Nghị quyết số 50/NQ-CP)" ends that description.  What
    follows the plan's own issuing clause ("… ban hành Kế hoạch …") is the
    plan's title, not the list.  Each chain starts with a listed document; a
    document with two parents gives two chains.

    >>> text = "Thực hiện Nghị quyết số 1/NQ-CP ngày 1/2/2025 của Chính phủ về ban hành Kế hoạch triển khai Nghị quyết số 2/2024/QH15 ngày 2/3/2024 của Quốc hội (Nghị quyết số 1/NQ-CP) và Quyết định số 3/QĐ-BCA ngày 3/4/2025 của Bộ Công an; UBND tỉnh ban hành Kế hoạch"
    >>> found = find_refs(text)
    >>> [[found[i].number for i in chain] for chain in _opening_items(text, found)]
    [['1/NQ-CP', '2/2024/QH15'], ['3/QĐ-BCA']]
    """
    at = _issuing(text)
    end = at[0] if at else len(text)
    chains: list[list[int]] = []
    nested = False  # the last document seen belongs to a listed one's description
    cursor = 0
    for n, r in enumerate(found):
        if r.start >= end:
            break
        before = text[cursor : r.start]
        separated = bool(_LIST_SEPARATOR.search(before.rstrip()))
        if not chains:
            chains.append([n])
        elif _IMPLEMENTS.search(before.strip()):
            chains[-1].append(n)
            nested = True
        elif separated and (not nested or ";" in before or ")" in before):
            chains.append([n])
            nested = False
        elif separated:
            chains.append([*chains[-1][:-1], n])  # beside the one before it: same parent
        cursor = r.end
    return chains


def _references(
    title: str | None, plain: Sequence[str], gazetteer: Gazetteer, jurisdiction: str | None
) -> tuple[list[DocumentRef], list[list[str]]]:
    """Every document the text mentions, and the chains the plan states (one per document it carries out).

    The chain is read from the title ("… thực hiện Nghị quyết số 57-NQ/TW …"),
    from the sentence that issues the plan ("Ủy ban nhân dân tỉnh ban hành Kế
    hoạch triển khai thực hiện Quyết định số …") and from the opening sentence,
    the first that starts "Thực hiện …" or "Triển khai …", which may list
    several documents (:func:`_opening_items`): "Thực hiện A … về thực hiện B …"
    means the plan implements A and A implements B. The title's chain (else the
    issuing sentence's) is taken, unless the opening lists the document it
    starts with: then the opening's chains, which say how the plan reaches it
    and what else it carries out (the title's document may be one the opening's
    items carry out: "Thực hiện Quyết định A … triển khai Luật B").
    """
    texts = [clean(t) for t in ([title] if title else []) + list(plain) if t and t.strip()]
    first = 1 if title else 0
    opening = next((i for i, t in enumerate(texts[first:40], start=first) if _OPENING.match(t)), None)
    mentions: list[RefMention] = []
    chains: dict[str, list[int]] = {}
    items: list[list[int]] = []
    for i, text in enumerate(texts):
        found = find_refs(text, gazetteer)
        if title and i == 0:
            chains["title"] = [len(mentions) + n for n in _chain_at(text, found, opening=False)]
        if i == opening:
            items = [[len(mentions) + n for n in item] for item in _opening_items(text, found)]
        if first <= i < 40 and "issuing" not in chains and (at := _issuing(text)):
            inside = [n for n, r in enumerate(found) if at[0] <= r.start < at[1]]
            picked = _chain_at(text, [found[n] for n in inside], opening=False)
            if picked:
                chains["issuing"] = [len(mentions) + inside[n] for n in picked]
        mentions.extend(found)
    records = _ref_records(mentions, gazetteer, jurisdiction)
    ids = {k: [records[i].id for i in v] for k, v in chains.items()}
    listed = [[records[i].id for i in item] for item in items]
    stated = ids.get("title") or ids.get("issuing") or []
    if stated and stated[0] not in {x for item in listed for x in item}:
        return records, [stated]
    return records, listed or ([stated] if stated else [])


# "…, Ủy ban nhân dân tỉnh ban hành Kế hoạch …": the plan's own issuing sentence. Its subject
# holds no "của"/"về" (so "Quyết định số … của Thủ tướng Chính phủ ban hành Kế hoạch …", a
# cited document's content, is not it).
_ISSUING = re.compile(r"(?:^|[,;.:]\s+)(?P<subject>[^,;.:]{2,80}?)\s+ban hành\s+(?P<rest>[^.:;]*)")


def _issuing(text: str) -> tuple[int, int] | None:
    """Where, in *text*, the sentence issuing the plan names what it carries out.

    >>> text = "Thực hiện Quyết định số 1/QĐ-TTg của Thủ tướng Chính phủ ban hành Kế hoạch. UBND tỉnh ban hành Kế hoạch thực hiện Luật Đất đai."
    >>> text[slice(*_issuing(text))]
    'Kế hoạch thực hiện Luật Đất đai'
    """
    for m in _ISSUING.finditer(text):
        if not re.search(r"\b(?:của|về|việc|do|tại)\b", m.group("subject"), re.IGNORECASE):
            return m.start("rest"), m.end("rest")
    return None


def _link_chain(chain: list[str], by_id: dict[str, DocumentRef]) -> dict[str, DocumentRef]:
    out = dict(by_id)
    for child, parent in itertools.pairwise(chain):
        ref = out[child]
        if parent not in ref.implements and parent != child:
            out[child] = DocumentRef(
                ref.id,
                ref.type,
                ref.number,
                ref.date,
                ref.issuer,
                ref.title,
                ref.term,
                (*ref.implements, parent),
            )
    return out


def _signer(plain: Sequence[str]) -> tuple[str | None, str | None]:
    for i, text in enumerate(plain):
        if _SIGN_BLOCK.match(text):
            titles = []
            for t in plain[i:]:
                t = t.strip()
                if not t or re.fullmatch(r"[\[(].*[\])]", t):  # "[đã ký]", "(Đã ký)"
                    continue
                if t.upper() == t:
                    titles.extend(x.strip() for x in re.split(r"\s{2,}|(?=KT\.)|(?=TL\.)", t) if x.strip())
                    continue
                return clean(t), (titles[-1] if titles else None)
    return None, None
