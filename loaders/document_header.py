"""A plan's header block and its issuer: read as printed, whatever the copy did to its columns.

The national motto (or the Party's name) is the right column wherever its words fall; what is
left above "Số:" and the place-and-date line is the left column, the issuer.  The number is
what follows "Số:" (only a number's shape is one); the type is the title line, the title the
paragraph under it.  Without a header the issuer is the subject of "… ban hành Kế hoạch", else
the body of the signature block.  The rules are listed in :mod:`loaders.document`.

>>> h = read_header(["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP", "Số: 179/KH-UBND", "Đồng Tháp, ngày 19 tháng 11 năm 2025", "KẾ HOẠCH", "Phát triển thể thao"])
>>> h.issuer, h.number_text, h.type, (h.year, h.month, h.day), h.title
('ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP', '179/KH-UBND', 'Kế hoạch', (2025, 11, 19), 'Phát triển thể thao')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg.model import Agency
from kg.model.gazetteer import Entry, Gazetteer
from kg.model.places import canonical_place, only_place
from kg.model.text import clean, name_key, strip_markup
from loaders.document_refs import DOC_TYPES, OFFICE, _upper

__all__ = ["Header", "read_header"]


_PLACE_DATE = re.compile(
    r"^(?P<place>[^\d,]{2,40}?)\s*,\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*"
    r"năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
# "Số: 179/KH-UBND", "Số 12-KH/TU" (Party documents print no colon), "Số:" alone.
_NUMBER_LINE = re.compile(r"^Số\s*(?::\s*|(?=\d|/|$))(?P<num>.*)$", re.IGNORECASE)
_NUMBER_SHAPE = re.compile(r"^(?:\d+[\w.]*)?(?:\s?[/-]\s?[\w.Đđ]+)+$")
_LETTER = re.compile(r"^V/v\b", re.IGNORECASE)
# Where the preamble starts, if no title line closed the header first.
_PREAMBLE = re.compile(r"^(?:(?i:Căn cứ|Theo đề nghị|Xét|Kính gửi)|Thực hiện|Triển khai|[IVX]+\.\s)\b")
_SIGN_BLOCK = re.compile(r"^(?:TM|KT|TL|TUQ|Q)\.\s", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s\-_=–—.*]+$")
# A legal-text site's catalogue card above the document ("Số hiệu: | 2165/QĐ-UBND | Loại văn bản: |
# Quyết định |"): the site's fields, not the document's header.
_CATALOGUE = re.compile(
    r"^(?:số hiệu|loại văn bản|nơi ban hành|cơ quan ban hành|người ký|ngày ban hành|ngày hiệu lực|ngày công báo"
    r"|số công báo|lĩnh vực|tình trạng(?: hiệu lực)?|ngày hết hiệu lực)\s*:",
    re.IGNORECASE,
)
# The right column of the header: the national motto, or the Party's name on a Party document.
_MOTTOS = tuple(
    tuple(name_key(w) for w in re.findall(r"\w+", m))
    for m in ("Cộng hòa xã hội chủ nghĩa Việt Nam Độc lập - Tự do - Hạnh phúc", "Đảng Cộng sản Việt Nam")
)
_MOTTO_WORDS = frozenset(w for m in _MOTTOS for w in m)
_WORD = re.compile(r"\w+")
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


_MD_HEADING = re.compile(r"^\s*#+\s*")


def _plain(line: str) -> str:
    return strip_markup(_MD_HEADING.sub("", line))


_MD_RULE = re.compile(r"[|\s:\-]+")
_BR_SPLIT = re.compile(r"<br\s*/?>", re.I)
_COLUMN_SPLIT = re.compile(r"<br\s*/?>|\t+| {3,}", re.I)


def _segments(lines: Sequence[str], limit: int = 60) -> Iterator[tuple[int, list[str]]]:
    """The header's pieces of text in reading order, line by line: each line's index and pieces.

    A Markdown table row gives its cells left to right, a cell's ``<br>`` lines
    one by one; a line whose columns are set apart by a tab or a run of spaces
    gives each column. A blank line gives ``""``; a Markdown rule nothing at all.

    >>> list(_segments(["| ỦY BAN NHÂN DÂN<br>TỈNH X | CỘNG HÒA |", "|---|---|", "", "KẾ HOẠCH"]))
    [(0, ['ỦY BAN NHÂN DÂN', 'TỈNH X', 'CỘNG HÒA']), (2, ['']), (3, ['KẾ HOẠCH'])]
    """
    cells = _pipe_cells(lines[:limit])
    for i, line in enumerate(lines[:limit]):
        if i in cells:
            if cells[i]:
                yield i, cells[i].split("\t")
            continue
        raw = line.strip()
        if raw.startswith("|") and raw.endswith("|") and len(raw) > 1:
            if _MD_RULE.fullmatch(raw):
                continue
            parts = [p for cell in raw[1:-1].split("|") for p in _BR_SPLIT.split(cell)]
        else:
            parts = _COLUMN_SPLIT.split(raw)
        texts = [_plain(p) for p in parts]
        yield i, [t for t in texts if t] or [""]


class _Pieces:
    """The header's pieces without the motto (``texts``, with their line in ``index``), read only as
    far as they are asked for: the header most often ends within its first fifteen lines.

    ``alone`` holds the lines read that give one piece only (a line of its own, not a table cell
    or a column beside another).
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self.texts: list[str] = []
        self.index: list[int] = []
        self.alone: set[int] = set()
        self._lines = _segments(lines)
        self._at = [0, 0]  # how far each motto has been read (see _strip_motto)

    def has(self, k: int) -> bool:
        """Whether there is a piece *k* (reading on as far as it)."""
        while len(self.texts) <= k:
            line = next(self._lines, None)
            if line is None:
                return False
            i, parts = line
            if len(parts) == 1:
                self.alone.add(i)
            for t in parts:
                if _CATALOGUE.match(t):
                    continue
                if t and not _SEPARATOR.match(t):
                    t, _ = _strip_motto(t, self._at)
                    if t and not _SEPARATOR.match(t):
                        self.texts.append(t)
                        self.index.append(i)
        return True


_DASH_ENDS = re.compile(r"^[\s\-–—:*]+|[\s\-–—:*]+$")


def _pipe_cells(lines: Sequence[str]) -> dict[int, str]:
    """The header's table cells when a web page's copy ends each cell with a "|".

    The "|" stands alone on a line, ends a line, or parts cells on one line ("ỦY BAN NHÂN DÂN |
    CỘNG HÒA … |"). Each cell is one piece of text, its wrapped lines joined and its rules
    dropped, given at its last line; the other lines of the cell map to ``""`` (taken, nothing to
    add). Only cells closed by a "|" count, and only the header's: a run of more than six lines
    (the title and the text, up to the signature's table) ends them. A Markdown table row
    ("| a | b |") is not one of these (:func:`_segments` reads it).

    >>> _pipe_cells(["THỦ TƯỚNG CHÍNH", "PHỦ", "-----", "|", "Số: 275/QĐ-TTg", "|", "QUYẾT ĐỊNH"])
    {0: '', 1: 'THỦ TƯỚNG CHÍNH PHỦ', 2: '', 3: '', 4: 'Số: 275/QĐ-TTg', 5: ''}
    >>> {k: v.split(chr(9)) for k, v in _pipe_cells(["ỦY BAN NHÂN DÂN | CỘNG HÒA |", "Số: 30/QĐ-UBND | Hải Phòng |"]).items()}
    {0: ['ỦY BAN NHÂN DÂN', 'CỘNG HÒA'], 1: ['Số: 30/QĐ-UBND', 'Hải Phòng']}
    """
    if not any("|" in line for line in lines):
        return {}
    out: dict[int, str] = {}
    cell: list[tuple[int, str]] = []
    done: list[tuple[int, int, str]] = []  # closed cells not yet given out: (first line, last line, text)
    for i, line in enumerate(lines):
        raw = line.strip()
        card = bool(_CATALOGUE.match(_plain(raw)))
        if card or (raw.startswith("|") and raw.endswith("|") and len(raw) > 1):
            cell = []
            if card:
                out[i] = ""
            continue
        if "|" not in raw:
            t = _plain(raw)
            if t and not _SEPARATOR.match(t):
                cell.append((i, t))
            if len(cell) > 6:
                break
            continue
        *closed, rest = raw.split("|")
        for piece in closed:
            t = _plain(piece)
            if t and not _SEPARATOR.match(t):
                cell.append((i, t))
            if cell:
                done.append((cell[0][0], cell[-1][0], clean(" ".join(t for _, t in cell))))
            cell = []
        for k in range(min([i, *(c[0] for c in done)]), i + 1):
            out.setdefault(k, "")
        for _, k, text in done:
            out[k] = f"{out[k]}\t{text}" if out[k] else text
        done = []
        t = _plain(rest)
        if t and not _SEPARATOR.match(t):
            cell.append((i, t))
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
        words = list(_WORD.finditer(text))
        keys = [name_key(w.group(0)) for w in words]
        if _MOTTO_WORDS.isdisjoint(keys):  # most pieces: no motto word, nothing to look for
            return clean(text), found
        best: tuple[int, int, int, int] | None = None  # start word, length, motto, next
        for mi, motto in enumerate(_MOTTOS):
            for q in {at[mi], *_MOTTO_STARTS[mi]}:
                if q >= len(motto):
                    continue  # nothing of this motto is left to match from here
                first = motto[q]
                for s in range(len(keys)):
                    if keys[s] != first:
                        continue  # no match starts here (k would be 0)
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
        text = _DASH_ENDS.sub("", text)


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


def _place_date(pieces: _Pieces, j: int) -> tuple[re.Match[str], int] | None:
    """The place-and-date line starting at piece *j*, and how many pieces it takes.

    A line the copy wrapped ("*Đồng Nai, ngày 18" / "tháng 11 năm 2025*",
    "Thành phố Hồ Chí" / "Minh, ngày 18 …") is read joined with the next ones;
    an issuer line in capitals is never the start of a place.
    """
    pieces.has(j + 2)  # the pieces a wrapped line may take, as far as there are
    texts = pieces.texts
    for n in (1, 2, 3):
        if n > 1 and (_upper(texts[j]) or not texts[j + n - 1 : j + n]):
            return None
        # A piece that reads whole as a known place and date is not the tail of a line above it
        # ("XàHỘI CHỦ NGHĨA" of a garbled motto, then "Kiên Giang, ngày …").
        if (
            n > 1
            and (alone := _PLACE_DATE.match(clean(texts[j + n - 1])))
            and only_place(alone.group("place"))
        ):
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
    return _read_header(tuple(lines))


# The plan reader and the body audit read the same document's header one after the other
# (kg/pipeline.py); the header depends on the lines only, and a Header is frozen.
@lru_cache(maxsize=2)
def _read_header(lines: tuple[str, ...]) -> Header:
    pieces = _Pieces(lines)
    texts, index, alone = pieces.texts, pieces.index, pieces.alone
    issuer: list[str] = []
    open_ = True
    number_text = place = date_text = None
    day = month = year = None
    doc_type = title = None
    letter = False
    end = 0  # the line after the last one the header took, if nothing closes it
    j = 0
    while pieces.has(j):
        t = texts[j]
        if _PREAMBLE.match(t):
            end = index[j]
            break
        # A type line is a line of its own, not a table cell or a column beside another.
        typed = _title_type(t) if index[j] in alone else None
        if typed:
            doc_type, rest = typed
            title, last = _title_lines(lines, index[j], rest, clean(" ".join(issuer)) or None)
            # The preamble starts after the title, also where no blank line sets it apart.
            end = last + 1 if title else index[j]
            break
        if number_text is None and (m := _NUMBER_LINE.match(t)):
            number_text = m.group("num").strip() or None
            nxt = texts[j + 1] if pieces.has(j + 1) else ""
            if number_text is None and _NUMBER_SHAPE.match(nxt):
                number_text, j = nxt, j + 1
            # The left column may print the number beside the place: "Số: 12/KH-UBND Hà Nội, ngày …".
            if number_text and (pm := re.search(r"\s(?=[^\d\s,][^\d,]{1,40},\s*ngày\b)", number_text)):
                texts.insert(j + 1, number_text[pm.end() :])
                index.insert(j + 1, index[j])
                number_text = number_text[: pm.start()].strip()
            open_ = False
        elif place is None and (pd := _place_date(pieces, j)):
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
    # The issuer is printed in capitals: a line in small letters above it (a web page's title of
    # the document) is not part of it.
    while len(issuer) > 1 and not _capitals(issuer[0]) and any(_capitals(x) for x in issuer[1:]):
        issuer.pop(0)
    name = clean(" ".join(issuer)) or None
    return Header(name, number_text, place, date_text, day, month, year, doc_type, title, letter, end)


def _title_lines(
    lines: Sequence[str], i: int, rest: str, issuer: str | None = None
) -> tuple[str | None, int]:
    """The title: the paragraph under the type line (and what the type line holds after the type), and
    the index of its last line (*i* when it has none below).

    It ends at a blank line, a rule, a "Căn cứ …" line, a line set apart in bold or
    naming the issuer (the enacting authority over the preamble: "THỦ TƯỚNG CHÍNH PHỦ",
    "ỦY BAN NHÂN DÂN TỈNH …"), and, for a title printed in capitals, at a line in small
    letters (the preamble's running text).

    >>> _title_lines(["KẾ HOẠCH", "TRIỂN KHAI CÁC GIẢI PHÁP", "NĂM 2019 -", "2020", "Thực hiện Chỉ thị số 8/CT-TTg,"], 0, "")
    ('TRIỂN KHAI CÁC GIẢI PHÁP NĂM 2019 - 2020', 3)
    >>> _title_lines(["QUYẾT ĐỊNH", "BAN HÀNH KẾ HOẠCH", "THỦ TƯỚNG CHÍNH PHỦ", "Căn cứ Luật"], 0, "", "THỦ TƯỚNG CHÍNH PHỦ")
    ('BAN HÀNH KẾ HOẠCH', 1)
    """
    run: list[str] = [rest] if rest else []
    last = i
    bold_title = None
    for k, line in enumerate(lines[i + 1 : i + 10], start=i + 1):
        t = _plain(line)
        if not t:
            if run:
                break
            continue
        if _SEPARATOR.match(t) or _PREAMBLE_START.match(t):
            break
        if run and (
            _RUNNING_START.match(t)
            or ((_names_issuer(t, issuer) or _authority(t, run[-1])) and _preamble_next(lines, k))
            or (_capitals(" ".join(run)) and _small_letters(t))
        ):
            break
        bold = bool(re.fullmatch(r"\s*(?:#+\s*)?\*\*.*\*\*\s*", line))
        if bold_title is None:
            bold_title = bold
        elif bold and not bold_title:
            break
        run.append(t)
        last = k
    return clean(" ".join(run)) or None, last


# The first words of a preamble: the legal bases, the proposal, the directive carried out.
# "Thực hiện …" as running text (sentence case) starts it too, below a title's first line.
_PREAMBLE_START = re.compile(r"^(?i:căn cứ|theo đề nghị|xét đề nghị)\b")
_RUNNING_START = re.compile(r"^(?:Thực hiện|Triển khai)\b")


def _capitals(text: str) -> bool:
    """Whether *text*'s letters are (nearly all) capitals: a title printed as titles are."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _small_letters(text: str) -> bool:
    """Whether most of *text*'s letters are small: running text, not a line of a capitals title."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.islower() for c in letters) > 0.5 * len(letters)


def _preamble_next(lines: Sequence[str], k: int) -> bool:
    """Whether the first line with text after line *k* starts the preamble ("Căn cứ …"); a council's
    term and session under its name ("KHÓA XIII KỲ HỌP THỨ 7") come before it.

    >>> _preamble_next(["HỘI ĐỒNG NHÂN DÂN TỈNH BÌNH ĐỊNH", "KHÓA XIII, KỲ HỌP THỨ 7", "Căn cứ Luật"], 0)
    True
    """
    texts = (t for t in map(_plain, lines[k + 1 : k + 5]) if t and not _SESSION.match(t))
    after = next(texts, "")
    return bool(_PREAMBLE_START.match(after) or _RUNNING_START.match(after))


_SESSION = re.compile(r"^(?:kh[óo]a\s+[IVXLC]+\b|kỳ họp\b)", re.IGNORECASE)
# Words a wrapped title line ends with when its next line goes on with it.
_GOES_ON = re.compile(
    r"(?:\b(?:của|và|về|tại|thuộc|cho|với|trên|đối với|giữa|theo|trong)|[,\-–])\s*$", re.IGNORECASE
)


def _authority(line: str, before: str) -> bool:
    """Whether *line* reads as the enacting authority under a title ending with *before*: a body's
    name or its head's office in capitals ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "CHỦ TỊCH ỦY BAN
    NHÂN DÂN TỈNH …"), where the title's line does not run on into it ("… CỦA" / "ỦY BAN …").

    >>> _authority("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC")
    True
    >>> _authority("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "TRÁCH NHIỆM CỦA")
    False
    """
    text = clean(line)
    named = bool(_ORG_HEAD.match(text) or OFFICE.match(text))
    return named and _capitals(text) and len(text) <= 120 and not _GOES_ON.search(before)


def _names_issuer(line: str, issuer: str | None) -> bool:
    """Whether *line* is the issuer's name alone, or after its head's office ("BỘ TRƯỞNG BỘ NỘI VỤ").

    >>> _names_issuer("BỘ TRƯỞNG BỘ NỘI VỤ", "BỘ NỘI VỤ"), _names_issuer("CỦA BỘ NỘI VỤ", "BỘ NỘI VỤ")
    (True, False)
    """
    if not issuer:
        return False
    key, own = name_key(clean(line)).rstrip(" :."), name_key(issuer)
    if key == own:
        return True
    office = OFFICE.match(key) if key.endswith(" " + own) else None
    return bool(office) and office.end() == len(key) - len(own)


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
    from loaders.agency_names import resolve_name

    agencies, _ = resolve_name(name, gazetteer, jurisdiction)
    return agencies[0]


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
