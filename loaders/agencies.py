"""Read a lead or coordinating cell into the agencies it names, by grammar, not by commas.

Rules, each one a reader of any plan would state:

* Commas, semicolons and line breaks separate agencies, except inside a name
  the gazetteer knows ("Đảng ủy Khối các Trường Đại học, Cao đẳng Hà Nội",
  "Sở Văn hóa, Thể thao và Du lịch").
* "và" joins two bodies only when what follows starts a body by itself (a
  known name, a head word such as Sở, Bộ, UBND, or a class "các …"):
  "Sở Tư pháp và Sở Nội vụ" is two, "Sở Nông nghiệp và Môi trường" is one, and
  so is "Cục Tiền lương và Bảo hiểm xã hội" (a field of work, not a known body).
* A shared head noun is distributed: "Sở Tài chính, Nội vụ" is two Sở;
  "các Sở: Xây dựng, Công Thương" two Sở; "Ban Chỉ huy Phòng thủ dân sự cấp
  tỉnh, cấp xã" two boards.  A remainder is taken with the head where head +
  remainder is a known name (longest first, so "Văn hóa, Thể thao và Du lịch"
  stays one), else where it is a capitalised name.
  A field that is no body by itself takes the head where head + field is a known body
  ("Bộ Y tế, Công an, Quốc phòng": three ministries, not a police force).
* Two known bodies printed with no separator are two ("Sở Tư pháp Sở Xây dựng tỉnh
  An Giang"): a name no body of its own that cuts, at the starts of known names, into
  pieces each known whole (a place after a local body included).
* A plural phrase lists *kinds* of bodies, not bodies: "Các Sở, ngành, đơn vị
  liên quan", "UBND xã, phường, đặc khu", "Bộ, cơ quan ngang bộ, cơ quan thuộc
  Chính phủ", "cơ quan, địa phương liên quan" are each one collective.  A body named by
  itself is no more kinds, whatever its case ("Công an tỉnh, sở Tài chính tỉnh Nghệ An":
  two), and a kind word in capitals after a head names one body ("Văn phòng Bộ").
* A place after a local body resolves the body in that place: "UBND thành phố
  Hà Nội, Thành phố Hồ Chí Minh" is the People's Committee of each city.
* A parenthetical is a note on its body, never a body: "(chủ trì phần đầu tư …)"
  and "Bộ Công an (Trung tâm Dữ liệu quốc gia)" name one agency each; a
  parenthetical "(gồm các Sở: …)" after a class lists its members.
* A class before a colon stands for the names after it: "Các Bộ, ngành: Tài
  chính, Tư pháp" is two Bộ, "Các đơn vị: Trung tâm A, Trung tâm B" two centres.
* A qualifier of scope ("theo chức năng, nhiệm vụ …", "trong phạm vi …") is a note.
* Role words are dropped: a trailing "chủ trì" marks a lead agency, "chỉ đạo" a
  directing one, "phối hợp" a coordinating one, for every body of its clause
  ("Bộ Quốc phòng, Bộ Ngoại giao phối hợp", "Sở Tài chính, Nội vụ chủ trì"), an
  abbreviation's too ("…, TAND tỉnh chủ trì"); "phối hợp với …" makes the bodies
  after it coordinating; "thực hiện", "tham mưu", "hướng dẫn, tổng hợp" … say what
  the body does.  None of them is in an assignment's ``text``: the words naming the
  body, with a parenthetical or a qualifier of scope printed on it.
* A person stands for the body named after the title ("Giám đốc Sở Y tế").
* A fragment is never an agency: a text becomes an agency only if the gazetteer
  knows it or it has the shape of an organisation (a head word at its start, or a
  class "các …"); anything else ("đặc khu", "Báo chí", "cơ sở dữ liệu") is
  reported through ``fragment`` and gives no assignment.
* A name the gazetteer does not know but shaped like a body is kept, marked unrecognised.

>>> from kg.gazetteer import Gazetteer
>>> cell = "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội, Trường Đào tạo Cán bộ Lê Hồng Phong, các Sở, ngành, đơn vị liên quan"
>>> [a.agency.name for a in split_cell(cell, Gazetteer.default(), "Hà Nội", Role.COORDINATING)]
['Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội', 'Trường Đào tạo Cán bộ Lê Hồng Phong', 'Các Sở, ngành, đơn vị liên quan']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from kg.gazetteer import Gazetteer
from kg.model import Agency, Assignment, Role
from kg.places import only_place
from kg.text import clean, name_key, strip_markup

__all__ = ["GENERIC_NOUNS", "HEAD_WORDS", "is_organisation", "resolve_name", "split_cell", "unknown_message"]

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
    "hiệp hội",
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
    "chính quyền",
    "cấp ủy",
    "mặt trận",
    "cục",
    "vụ",
    "cá nhân",
)
_GENERIC = "|".join(sorted((re.escape(name_key(n)) for n in GENERIC_NOUNS), key=len, reverse=True))
# Words that qualify a class without naming a body.
_QUALIFIERS = (
    r"(?:có liên quan|liên quan|trực thuộc|thuộc \S+|tỉnh|thành phố|tp|trung ương|các cấp|cấp tỉnh|"
    r"cấp xã|cấp huyện|trên địa bàn(?: \S+)*|khác|đảng|ngang bộ|chức năng|chuyên môn|và|thuộc(?: [^\s,]+)+)"
)
# A text made only of kind words (plus qualifiers): a class, or the continuation of one.
_GENERIC_ONLY = re.compile(rf"^(?:các |những )?(?:{_GENERIC})(?:,? (?:{_GENERIC}|{_QUALIFIERS}))*\.?$")
_GENERIC_START = re.compile(rf"^(?:{_GENERIC})(?:\s|$)")
# A class "các …" at the start of a text, or after the head of a body ("UBND các xã", "Đảng ủy
# các đơn vị"); not after a verb or a preposition ("giải quyết các vụ việc", "giữa các sở").
_CLASS_ANY = re.compile(rf"(?:^|\s)(?:các|những) (?:{_GENERIC})(?:\s|$|,)")

# Head words of a body's name.  Unambiguous ones count wherever the text starts with them.
_HEADS_PLAIN = (
    "ủy ban",
    "ubnd",
    "hđnd",
    "ubmttq",
    "mttq",
    "hội đồng",
    "bộ chỉ huy",
    "bộ tư lệnh",
    "bộ đội",
    "công an",
    "trung tâm",
    "học viện",
    "đại học",
    "viện kiểm sát",
    "tòa án",
    "văn phòng",
    "thanh tra",
    "kho bạc",
    "kiểm toán nhà nước",
    "ngân hàng",
    "tập đoàn",
    "tổng công ty",
    "công ty",
    "đảng ủy",
    "đảng đoàn",
    "ban cán sự",
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "mặt trận",
    "liên hiệp",
    "liên đoàn",
    "liên minh",
    "hiệp hội",
    "tổng cục",
    "chi cục",
    "chi nhánh",
    "bảo hiểm xã hội",
    "bhxh",
    "doanh nghiệp",
    "tỉnh đoàn",
    "thành đoàn",
    "đoàn thanh niên",
    "bệnh viện",
    "nhà xuất bản",
    "thông tấn xã",
    "hải quan",
    "chính phủ",
    "thủ tướng",
    "quốc hội",
    "thường trực",
    "cảnh sát",
    "tổ công tác",
    "hợp tác xã",
    "ban quản lý",
    "ban chỉ đạo",
    "ban chỉ huy",
    "ban đại diện",
    "trường đại học",
    "trường cao đẳng",
    "trường trung cấp",
    "trường chính trị",
    "hội nông dân",
    "hội cựu chiến binh",
    "hội liên hiệp",
    "hội phụ nữ",
    "công đoàn",
    "cục thuế",
    "thuế tỉnh",
    "thuế thành phố",
)
# Ambiguous ones are also common nouns ("Báo chí", "Hội nghị", "Bộ dữ liệu", "Trường hợp"):
# they head a name only before a capitalised word or a level word ("Thuế tỉnh").
_HEADS_NAMED = (
    "bộ",
    "sở",
    "ban",
    "cục",
    "vụ",
    "viện",
    "hội",
    "đài",
    "báo",
    "trường",
    "đoàn",
    "thuế",
    "quỹ",
    "phòng",
    "đội",
    "tổ",
)
_LEVEL = re.compile(r"^(?:tỉnh|thành phố|tp\.?|huyện|quận|xã|phường|cấp|khu vực|nhân dân|trung ương)(?:\s|$)")
_COMMON = frozenset(
    {
        "báo chí",
        "báo cáo",
        "hội nghị",
        "hội thảo",
        "hội viên",
        "bộ phận",
        "bộ máy",
        "bộ dữ liệu",
        "bộ tiêu chí",
        "bộ chỉ số",
        "sở hữu",
        "trường hợp",
        "vụ việc",
        "vụ án",
        "đoàn thể",
        "đoàn viên",
        "ban hành",
        "phòng chống",
        "phòng ngừa",
        "đội ngũ",
        "cục bộ",
        "viện trợ",
        "quỹ đất",
        "thuế suất",
        "tổ chức",
    }
)
HEAD_WORDS = _HEADS_PLAIN + _HEADS_NAMED
# Word lists are compared with name_key forms ("ủy" is keyed "uỷ", "tòa" "toà").
_HEADS_PLAIN = tuple(name_key(h) for h in _HEADS_PLAIN)
_HEADS_NAMED = tuple(name_key(h) for h in _HEADS_NAMED)
_COMMON = frozenset(name_key(c) for c in _COMMON)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(name_key(w)) for w in sorted(words, key=len, reverse=True))


_PLAIN = re.compile(rf"^(?:{_alternation(_HEADS_PLAIN)})(?:\s|$|[.,:])")


def _class_start(key: str) -> bool:
    """Whether a keyed text starts a class: "các …" first, or after a body's head.

    >>> _class_start("ubnd các xã, phường"), _class_start("giải quyết các vụ việc")
    (True, False)
    """
    m = _CLASS_ANY.search(key)
    if m is None:
        return False
    before = key[: m.start()].strip()
    return not before or bool(_PLAIN.match(before + " ")) or before in _HEADS_NAMED


# Heads that may be shared by a list of names ("Sở Tài chính, Nội vụ", "các Cục: …").
_SHARED_HEADS = (
    "bộ",
    "sở",
    "ban",
    "cục",
    "tổng cục",
    "chi cục",
    "vụ",
    "viện",
    "trung tâm",
    "trường",
    "hội",
    "báo",
    "đài",
    "phòng",
    "văn phòng",
    "ban quản lý",
    "ban chỉ đạo",
    "ban chỉ huy",
    "ủy ban nhân dân",
    "ubnd",
    "công an",
    "thanh tra",
    "doanh nghiệp",
)
# Heads of a kind, not of one body: what they head is a class ("Doanh nghiệp viễn thông, bưu chính").
_KIND_HEADS = frozenset({"doanh nghiệp"})
_SHARED = re.compile(rf"^(?:các |những )?(?P<h>{_alternation(_SHARED_HEADS)})(?=\s|$|:|,)")
# A person's title before the body they stand for.
_PERSON = re.compile(
    r"^(?:đồng chí\s+)?(?:phó\s+)?(?:giám đốc|chủ tịch|thủ trưởng|trưởng|chánh|người đứng đầu|lãnh đạo|"
    r"bí thư|tổng giám đốc|chỉ huy trưởng|cục trưởng|vụ trưởng|viện trưởng|hiệu trưởng)\s+(?:các\s+)?(?=\S)"
)

# A force or an office of a body stands for it: "lực lượng Công an", "lực lượng Hải quan", "cơ quan Công an".
_FORCE = re.compile(r"^(?:[Ll]ực lượng|[Cc]ơ quan)\s+(?=[A-ZĐÀ-Ỹ])")

# Role words: the part a body plays, dropped from its name.
_ROLE_OF = {"chủ trì": Role.LEAD, "chỉ đạo": Role.DIRECTING, "phối hợp": Role.COORDINATING}
_VERBS = (
    "chủ trì",
    "chỉ đạo",
    "phối hợp",
    "thực hiện",
    "tham mưu",
    "hướng dẫn",
    "tổng hợp",
    "theo dõi",
    "báo cáo",
    "thúc đẩy",
    "đôn đốc",
    "chịu trách nhiệm",
    "phụ trách",
    "là cơ quan",
    "làm đầu mối",
    "đầu mối",
    "được giao",
)
_VERB = "|".join(sorted((re.escape(v) for v in _VERBS), key=len, reverse=True))
_VERB_START = re.compile(rf"^\(?(?:{_VERB})(?:\s|$|[,.;:)])")
_VERB_IN = re.compile(rf"(?<=\s)(?<!ban\s)(?<!tổ\s)(?<!đoàn\s)(?:{_VERB})(?=\s|$|[,.;:)])")
# Verbs that open the predicate of a sentence whose subject is a body the gazetteer knows
# ("Sở Khoa học và Công nghệ tiến hành rà soát …", "UBND các xã, phường rà soát …").
_PREDICATES = (
    "tiến hành",
    "rà soát",
    "chủ động",
    "tổ chức",
    "xây dựng",
    "ban hành",
    "tăng cường",
    "đẩy mạnh",
    "tiếp tục",
    "có trách nhiệm",
    "bố trí",
    "nghiên cứu",
    "đề xuất",
    "cập nhật",
    "phổ biến",
    "tuyên truyền",
    "quán triệt",
    "kiểm tra",
    "giám sát",
    "triển khai",
)
_PREDICATE_IN = re.compile(
    rf"(?<=\s)(?:{'|'.join(sorted((re.escape(v) for v in _VERBS + _PREDICATES), key=len, reverse=True))})(?=\s|$|[,.;:)])"
)
# "phối hợp với X": X coordinates.
_WITH = re.compile(r"^(?:và\s+)?phối hợp(?:\s+(?:với|cùng))?\s+(?=\S)")
# Words before a body that are not part of it ("Đề nghị Ban Tuyên giáo …" asks that body).
_LEADING = re.compile(r"^(?:và|với|cùng|gồm|bao gồm|đề nghị|giao|-|–|\+|\*)\s+", re.IGNORECASE)
# An apposition naming the body's role: "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo".
_APPOSITION = re.compile(r"\s[-–]\s(?=(?:cơ quan|đơn vị|thường trực|đầu mối)\b)")
_PLACE_WORDS = re.compile(
    r"^(?:\s|,|-|của|thuộc|trực thuộc|tỉnh|thành phố|tp\.?|trung ương|liên quan|có liên quan|trên địa bàn)*$"
)


def _heads_named(key: str, text: str) -> bool:
    """Whether an ambiguous head word at the start of *text* heads a name."""
    words = key.split(" ", 2)
    printed = text.split(" ", 2)
    if len(words) < 2 or words[0] not in _HEADS_NAMED:
        return False
    if f"{words[0]} {words[1].strip(',.;:')}" in _COMMON:
        return False
    if words[1] == "và" and len(printed) > 2:
        # "Báo và Phát thanh, Truyền hình …": one name joining two kinds of body.
        printed = printed[1:]
    follower = printed[1][:1]
    return follower.isupper() or follower.isdigit() or bool(_LEVEL.match(" ".join(words[1:])))


def is_organisation(text: str, gazetteer: Gazetteer | None = None) -> bool:
    """Whether *text* has the shape of a body: known, a head word at its start, or a class.

    >>> is_organisation("Sở Tài chính"), is_organisation("Báo chí"), is_organisation("cấp xã")
    (True, False, False)
    >>> is_organisation("các đơn vị liên quan"), is_organisation("cơ sở dữ liệu")
    (True, False)
    """
    text = clean(text).strip(" ,.;:")
    key = name_key(text)
    if not key:
        return False
    if gazetteer is not None and gazetteer.lookup(text) is not None:
        return True
    if _PLAIN.match(key) or _heads_named(key, text):
        return True
    if _class_start(key):
        return True
    if (person := _PERSON.match(key)) and is_organisation(text[person.end() :], gazetteer):
        return True  # "Trưởng Ban Chỉ đạo": a person of a body stands for it, kept as written
    return _is_class(key) and not _LEVEL.match(key)


def _is_class(key: str) -> bool:
    """Whether a keyed text names a class of bodies without "các": kinds listed ("Bộ, cơ quan
    ngang bộ", "UBND xã, phường") or qualified ("đơn vị liên quan"); one bare kind is not one.
    """
    if _class_start(key):
        return True
    # "cơ quan thông tấn báo chí", "đơn vị sự nghiệp công lập": a kind only bodies are.
    if re.match(r"^(?:cơ quan|đơn vị|doanh nghiệp)\s\S", key):
        return True
    parts = [p.strip() for p in key.split(",")]
    if len(parts) > 1 and all(_GENERIC_START.match(p) for p in parts[1:]):
        return bool(_GENERIC_START.match(parts[0]) or _open(parts[0]))
    return bool(_GENERIC_ONLY.match(key)) and not re.fullmatch(rf"(?:{_GENERIC})\.?", key)


def _starts_body(text: str, gazetteer: Gazetteer) -> bool:
    """Whether *text* starts a body by itself: a known name, a head word or a class "các …"."""
    key = name_key(text)
    hits = gazetteer.find(text)
    if hits and hits[0].start == 0:
        return True
    if bool(_PLAIN.match(key) or _heads_named(key, text) or re.match(r"^(?:các|những)\s", key)):
        return True
    # "Chủ tịch Ủy ban nhân dân xã, phường", "Thủ trưởng sở, ban, ngành": a person standing for a body.
    person = _PERSON.match(key)
    return bool(person) and is_organisation(text[person.end() :], gazetteer)


# Heads that also name a field of work: after "và" inside a name ("Cục Tiền lương và Bảo hiểm
# xã hội", "Vụ Ngân sách và Thuế") they start a second body only where the gazetteer knows it.
_FIELD_HEADS = re.compile(
    r"^(?:bảo hiểm xã hội|bhxh|thuế|hải quan|thanh tra|kho bạc|ngân hàng|công an)(?:\s|$)"
)


_ZONE = re.compile(r"^(?:các\s+)?khu\s+(?:kinh tế|công nghiệp|chế xuất|công nghệ cao)(?:\s|$)")


_LEVEL_ONLY = re.compile(r"^(?:các\s+)?khu vực$|^cấp (?:tỉnh|huyện|xã)$")


def _starts_second_body(text: str, gazetteer: Gazetteer) -> bool:
    """Whether the words after a "và" start a body of their own (see :func:`_starts_body`)."""
    hits = gazetteer.find(text)
    if hits and hits[0].start == 0:
        return True
    key = name_key(text)
    # "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp …": a zone is a place in the name, not a body.
    return _starts_body(text, gazetteer) and not _FIELD_HEADS.match(key) and not _ZONE.match(key)


# ---------------------------------------------------------------------------------------------
# Parentheticals


@dataclass(frozen=True, slots=True)
class _Paren:
    at: int  # position in the text without parentheticals
    content: str
    enclosed: bool = True  # printed in parentheses (a qualifier of scope is not)

    def printed(self) -> str:
        """The remark as the cell prints it after its body."""
        return f"({self.content})" if self.enclosed else self.content


# A qualifier of scope after a body is a note on it, like a parenthetical: "các sở, ngành theo
# chức năng, nhiệm vụ được giao", "… trong phạm vi chức năng, nhiệm vụ của mình và các cơ quan …".
_SCOPE = re.compile(
    r"\s(?:theo|trong phạm vi|thuộc phạm vi|trong lĩnh vực) (?:chức năng|nhiệm vụ|thẩm quyền|lĩnh vực|phạm vi|quy định)"
    r".*?(?=\s+và\s+(?:các|những)\s|;|$)"
)


def _scope_notes(text: str) -> tuple[str, list[_Paren]]:
    """*text* without its qualifiers of scope, and the qualifiers with where they stood."""
    notes: list[_Paren] = []
    key = name_key(text)
    out, last = [], 0
    for m in _SCOPE.finditer(key):
        out.append(text[last : m.start()])
        notes.append(_Paren(len("".join(out)), clean(text[m.start() : m.end()]), enclosed=False))
        last = m.end()
    out.append(text[last:])
    return "".join(out), notes


def _parentheticals(text: str) -> tuple[str, list[_Paren]]:
    """*text* without its parenthetical remarks, and the remarks with where they stood.

    An unclosed "(" runs to the end of the text; a stray ")" is dropped.

    >>> _parentheticals("Bộ Công an (Trung tâm Dữ liệu quốc gia), Bộ Y tế")
    ('Bộ Công an, Bộ Y tế', [_Paren(at=10, content='Trung tâm Dữ liệu quốc gia', enclosed=True)])
    """
    out: list[str] = []
    parens: list[_Paren] = []
    depth, buf, at = 0, [], 0
    for ch in text:
        if ch == "(":
            if depth == 0:
                buf, at = [], len("".join(out).rstrip())
            else:
                buf.append(ch)
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                parens.append(_Paren(at, clean("".join(buf))))
            else:
                buf.append(ch)
        elif ch == ")":
            continue
        elif depth:
            buf.append(ch)
        else:
            out.append(ch)
    if depth:
        parens.append(_Paren(at, clean("".join(buf))))
    plain = re.sub(r"\s+([,;:.])", r"\1", clean("".join(out)))
    # Positions were taken before the spaces around a removed remark were closed up.
    fixed = [_Paren(min(p.at, len(plain)), p.content) for p in parens]
    return plain, fixed


# ---------------------------------------------------------------------------------------------
# Tokens: the pieces between separators, with the separator before each


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    sep: str  # "" at the start, else ",", ";", ":", "và"


def _tokens(text: str, gazetteer: Gazetteer) -> list[_Token]:
    """Cut *text* at commas, semicolons, line breaks, colons and a "và" that starts a body."""
    protected = [(m.start, m.end) for m in gazetteer.find(text)]

    def inside(i: int) -> bool:
        return any(s <= i < e for s, e in protected)

    cuts: list[tuple[int, int, str]] = []  # (position, length, separator)
    for i, ch in enumerate(text):
        if ch in ",;\n:•" and not inside(i):
            cuts.append((i, 1, {"\n": ";", "•": ";"}.get(ch, ch)))
    key = name_key(text)
    for m in re.finditer(r"(?<=\S) và (?=\S)", key):
        if not inside(m.start() + 1) and _starts_second_body(text[m.end() :], gazetteer):
            cuts.append((m.start(), m.end() - m.start(), "và"))
    cuts.sort()
    out, start, sep = [], 0, ""
    for pos, length, s in cuts:
        if pos < start:
            continue
        out.append(_Token(start, pos, sep))
        start, sep = pos + length, s
    out.append(_Token(start, len(text), sep))
    return out


# ---------------------------------------------------------------------------------------------
# Items: the bodies (or classes) the tokens make, before resolution


@dataclass(slots=True)
class _Item:
    name: str  # the name to resolve
    printed: str  # the words of the cell, as printed
    role: Role
    start: int  # where its words start in the cell (without parentheticals)
    head: str | None = None  # a head shared by a list ("Sở" of "các Sở: …")
    listing: bool = False  # "các Sở:" — stands for the names after it
    in_list: bool = False  # a name of such a list: the head goes on to the next names
    clause: int = 0
    # Printed remarks on the body (a parenthetical, a qualifier of scope): part of its words.
    notes: list[_Paren] = field(default_factory=list)
    # What the cell says the body does ("chủ trì", "thực hiện", "tham mưu, tổng hợp"): its role
    # and work, not its name.
    said: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The words of the cell naming this body, with the remarks printed on it; no role words.

        >>> _Item("Sở Nội vụ", "Sở Nội vụ", Role.LEAD, 0, said=["chủ trì"]).text()
        'Sở Nội vụ'
        """
        return " ".join([self.printed, *(n.printed() for n in self.notes)])


def _open(name: str) -> bool:
    """Whether a class may go on with more kinds after a comma ("UBND xã", "Sở", "các cơ quan")."""
    key = name_key(name)
    if _GENERIC_ONLY.match(key) or _class_start(key):
        return True
    m = _PLAIN.match(key)
    rest = key[m.end() :].strip() if m else key
    rest = re.sub(r"^(?:nhân dân|các|những)\s*", "", rest)
    # "Văn phòng Bộ", "Thanh tra Bộ": a capital names the one body ("the Ministry"), no kind.
    kind = clean(name)[len(key) - len(rest) :]
    return bool(m) and bool(rest) and bool(_GENERIC_ONLY.match(rest)) and not kind[:1].isupper()


def _continues_class(seg: str, gazetteer: Gazetteer) -> bool:
    """Whether *seg* names more kinds of a class: "phường", "cơ quan ngang bộ", "Ban".

    A body named by itself, whatever its case, is none: "Công an tỉnh, sở Tài chính tỉnh
    Nghệ An" is two bodies, "Thanh tra Bộ, bộ Tài chính" too.

    >>> g = Gazetteer.default()
    >>> _continues_class("phường", g), _continues_class("sở Tài chính tỉnh Nghệ An", g)
    (True, False)
    """
    key = name_key(seg)
    if re.match(r"^(?:các|những)\s", key):
        return False  # "…, các cơ quan, đơn vị có liên quan": a class of its own
    if _names_a_body(seg, gazetteer):
        return False
    if _GENERIC_ONLY.match(key):
        return True
    return bool(_GENERIC_START.match(key)) and seg[:1].islower()


def _names_a_body(seg: str, gazetteer: Gazetteer) -> bool:
    """Whether *seg* names one body: a known one that is no class, or a head word before a name
    ("sở Tài chính", "ban Thường vụ Tỉnh đoàn")."""
    entry = gazetteer.lookup(seg)
    if entry is not None:
        return entry.kind != "collective"
    return _heads_named(name_key(seg), clean(seg))


# A class ends with its level or scope ("… đoàn thể cấp tỉnh", "… có liên quan").
_CLOSING = re.compile(r"\s(?:cấp (?:tỉnh|huyện|xã|thành phố)|có liên quan|liên quan)$")


def _closed(name: str, seg: str) -> bool:
    """Whether a class closed by its level or scope is followed by another class with words of its own
    ("các Sở, ban, ngành cấp tỉnh, cơ quan ngành dọc đóng trên địa bàn": two classes)."""
    return bool(_CLOSING.search(name_key(name))) and not _GENERIC_ONLY.match(name_key(seg))


def _shared_head(name: str) -> str | None:
    """The head a list may share: "Sở" of "Sở Tài chính" or of "các Sở"."""
    m = _SHARED.match(name_key(name))
    if not m:
        return None
    return clean(re.sub(r"^(?:các|những)\s+", "", name, flags=re.IGNORECASE)[: len(m.group("h"))])


def _field_of(head: str, seg: str, gazetteer: Gazetteer) -> bool:
    """Whether *seg*, no body by itself, names one with the shared *head* before it: the
    "Công an" of "Bộ Y tế, Công an, Quốc phòng" is the Bộ Công an, not a police force.

    >>> _field_of("Bộ", "Công an", Gazetteer.default()), _field_of("Sở", "Công an tỉnh", Gazetteer.default())
    (True, False)
    """
    if gazetteer.lookup(seg) is not None:
        return False
    entry = gazetteer.lookup(_with_head(head, seg))
    return entry is not None and entry.kind != "collective"


def _with_head(head: str, rest: str) -> str:
    return clean(f"{head[:1].upper()}{head[1:]} {rest}")


def _role_split(
    seg: str, role: Role, default_role: Role, gazetteer: Gazetteer | None = None
) -> tuple[str, Role, str | None]:
    """A segment without its trailing role words: (name, role, the role words).

    >>> _role_split("Sở Nội vụ chủ trì", Role.LEAD, Role.LEAD)
    ('Sở Nội vụ', <Role.LEAD: 'lead'>, 'chủ trì')
    >>> _role_split("Ban Chỉ đạo", Role.LEAD, Role.LEAD)[0]
    'Ban Chỉ đạo'
    """
    key = name_key(seg)
    m = _VERB_IN.search(key)
    if gazetteer is not None:
        # A known body, then a verb: the verb starts what the body does.
        for p in _PREDICATE_IN.finditer(key):
            if gazetteer.lookup(seg[: p.start()].strip(" ,-")) is not None:
                m = p if m is None or p.start() < m.start() else m
                break
    if m is None:
        return seg, role, None
    tail = seg[m.start() :]
    # After a name the gazetteer knows, the verb is a role however it is written
    # ("Liên đoàn Lao động tỉnh Chủ trì", "Sở Nội vụ chủ trì tham mưu UBND …"); after
    # another text only a lower-case verb ending the segment is ("Ban Chỉ đạo thực hiện
    # Chương trình …" is a name).
    known = gazetteer is not None and gazetteer.lookup(seg[: m.start()].strip(" ,-")) is not None
    if not known and (not tail[:1].islower() or any(w[:1].isupper() for w in tail.split()[1:])):
        return seg, role, None
    word = m.group(0)
    if default_role is not Role.COORDINATING and word in _ROLE_OF:
        role = _ROLE_OF[word]
    return seg[: m.start()].strip(" ,.;:-"), role, tail.strip()


# ---------------------------------------------------------------------------------------------
# Resolution


def _resolve(name: str, gazetteer: Gazetteer, jurisdiction: str | None) -> tuple[list[Agency], bool, bool]:
    """The agencies a name denotes, whether the gazetteer knew them, whether it names a body at all."""
    name = clean(name).strip(" ,.;:-")
    person = _PERSON.match(name_key(name)) or _FORCE.match(name)
    if person:
        # "Giám đốc Sở Y tế", "Thủ trưởng các sở, ngành": the body the person heads.
        rest = name[person.end() :]
        if re.search(r"các\s$", person.group(0)):
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
        if len(matches) > 1 and all(re.fullmatch(r"[\s,;]*(?:và)?[\s,;]*", g) for g in gaps):
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

    >>> from kg.gazetteer import Gazetteer
    >>> [a.name for a in resolve_name("Sở Khoa học và Công nghệ Sở Công Thương", Gazetteer.default(), "Hà Nội")[0]]
    ['Sở Khoa học và Công nghệ', 'Sở Công Thương']
    >>> a = resolve_name("UBND thành phố Hà Nội", Gazetteer.default(), None)[0][0]
    >>> (a.id, a.jurisdiction)
    ('ha-noi/ubnd-thanh-pho', 'Hà Nội')
    """
    agencies, known, _ = _resolve(name, gazetteer, jurisdiction)
    return agencies, known


# ---------------------------------------------------------------------------------------------
# The grammar


@dataclass(slots=True)
class _Reader:
    text: str
    gazetteer: Gazetteer
    jurisdiction: str | None
    default_role: Role
    items: list[_Item] = field(default_factory=list)
    at: int = 0  # start of the token being read
    predicate: bool = False  # the last token ended in what its body does

    def read(self, tokens: list[_Token]) -> None:
        role = self.default_role
        clause = 0  # bodies since the last ";" or role word: a trailing role word is theirs
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            seg = self.text[tok.start : tok.end].strip(" .;:")
            seg = _LEADING.sub("", seg).strip()
            nxt = tokens[i + 1].sep if i + 1 < len(tokens) else ""
            i += 1
            clause += tok.sep == ";"
            if not seg:
                continue
            with_ = _WITH.match(name_key(seg))
            if with_ is not None:
                # "chủ trì, phối hợp với X": X and what follows coordinate.
                if self.default_role is not Role.COORDINATING:
                    role = Role.COORDINATING
                clause += 1
                seg = seg[with_.end() :]
            if _VERB_START.match(name_key(seg)) and not _starts_body(seg, self.gazetteer):
                self._note(seg)
                continue
            if self.predicate and not is_organisation(self._bare(seg, role), self.gazetteer):
                # "… rà soát, cập nhật": the words go on with what the body does; "…, TAND tỉnh
                # chủ trì" names a body (the role words after it are its role).
                self.items[-1].said.append(seg)
                continue
            note, seg_role = None, role
            if self.gazetteer.lookup(seg) is None:
                seg, seg_role, note = _role_split(seg, role, self.default_role, self.gazetteer)
            count, last = len(self.items), (self.items[-1] if self.items else None)
            if seg:
                self.at = tok.start
                taken = self._attach(seg, tok.sep, tokens, i - 1)
                i += max(taken - 1, 0)
                if not taken:
                    self._new(seg, tok.start, nxt)
                elif nxt == ":" and _open(self.items[-1].name):
                    # "Các Bộ, ngành: Tài chính, Tư pháp": the class stands for the names after it.
                    self.items[-1].listing = True
                    self.items[-1].head = _shared_head(self.items[-1].name)
            # A token appends its items at the end and removes at most one, the last: what it added
            # is what follows the items before it (not a scan of every item per token: quadratic).
            for item in self.items[max(count - 1, 0) :]:
                if item is not last:
                    item.role, item.clause = role, clause
            self.predicate = bool(note and self.items)
            if self.predicate:
                self.items[-1].said.append(note)
            if note and seg_role is not role:
                # "Bộ Quốc phòng, Bộ Ngoại giao phối hợp": the role word ends its clause.
                for item in reversed(self.items):
                    if item.clause != clause:
                        break
                    item.role = seg_role
                clause += 1

    def _bare(self, seg: str, role: Role) -> str:
        """*seg* without the role words that end it ("Nội vụ chủ trì" → "Nội vụ")."""
        if self.gazetteer.lookup(seg) is not None:
            return seg
        return _role_split(seg, role, self.default_role, self.gazetteer)[0]

    def _new(self, seg: str, start: int, nxt: str) -> None:
        """A body (or a class) of its own; a class before a colon stands for what follows."""
        if nxt == ":" and _open(seg):
            self.items.append(_Item(seg, seg, self.default_role, start, head=_shared_head(seg), listing=True))
        elif nxt == ":" and not _starts_body(seg, self.gazetteer):
            pass  # a label before the list ("Cơ quan phối hợp: …")
        else:
            self.items.append(_Item(seg, seg, self.default_role, start, head=_shared_head(seg)))

    def _note(self, seg: str) -> None:
        if self.items:
            self.items[-1].said.append(seg)

    def _attach(self, seg: str, sep: str, tokens: list[_Token], at: int) -> int:
        """Join *seg* to the item before it; the number of tokens used (0: a new item)."""
        if (
            self.items
            and sep in {",", "và"}
            and _LEVEL_ONLY.match(name_key(seg))
            and not self.items[-1].listing
        ):
            prev = self.items[-1]
            m = re.search(r"\s(?:tỉnh|thành phố|cấp tỉnh|cấp huyện|cấp xã|khu vực)$", name_key(prev.name))
            if m:
                # "Viện kiểm sát nhân dân thành phố, Tòa án nhân dân thành phố và các khu vực": the same
                # bodies at a second level (every body of the run that ends with the first level).
                level = name_key(prev.name)[m.start() :]
                run = []
                for item in reversed(self.items):
                    if not name_key(item.name).endswith(level) or item.listing:
                        break
                    run.insert(0, item)
                for item in run:
                    cut = len(item.name) - len(level)
                    self.items.append(_Item(clean(f"{item.name[:cut]} {seg}"), seg, item.role, self.at))
                return 1
        if not self.items or sep not in {",", ";", ":"}:
            return 0
        prev = self.items[-1]
        g = self.gazetteer
        if prev.listing and not prev.head:
            # "Các đơn vị: Trung tâm A, Trung tâm B": the names, not the class.
            self.items.remove(prev)
            return 0
        if prev.listing or (prev.in_list and sep != ";"):
            taken = self._distribute(prev, tokens, at)
            if taken:
                return taken
        place = only_place(seg)
        if place is not None and not prev.listing:
            located = g.locate(prev.name)
            if located is not None and located[0].scope == "local" and located[0].kind != "collective":
                # "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh": the same body in another place.
                name = f"{located[0].name} {place.kind} {place.name}"
                self.items.append(_Item(name, seg, prev.role, self.at))
                return 1
        known = g.lookup(seg)  # "các sở, ngành, trường đại học, cao đẳng": a known class of its own
        own = known is not None and known.kind == "collective" and "," in seg
        if (
            sep == ","
            and not prev.listing
            and _continues_class(seg, g)
            and not _closed(prev.name, seg)
            and not own
        ):
            if _open(prev.name) or not is_organisation(prev.name, g):
                # More kinds of the class, or more words of a text that names no body.
                self._extend(prev, seg)
                return 1
        if prev.head and (not _starts_body(seg, g) or _field_of(prev.head, seg, g)):
            taken = self._distribute(prev, tokens, at)
            if taken:
                return taken
        level = re.match(r"^(cấp|khu vực)\s", name_key(seg))
        if level and not prev.listing:
            cut = name_key(prev.name).rfind(f" {level.group(1)} ")
            if cut > 0:
                # "Ban Chỉ huy … cấp tỉnh, cấp xã": the second level of the same body.
                self.items.append(_Item(clean(f"{prev.name[:cut]} {seg}"), seg, prev.role, self.at))
                return 1
        if (
            sep == ","
            and _open(prev.name)
            and seg[:1].isupper()
            and not is_organisation(seg, g)
            and not _starts_body(seg, g)
        ):
            # "các địa phương Bắc Ninh, Bình Dương": the names go on the class.
            self._extend(prev, seg)
            return 1
        return 0

    def _extend(self, prev: _Item, seg: str) -> None:
        prev.name = f"{prev.name}, {seg}"
        prev.printed = f"{prev.printed}, {seg}"
        prev.listing = False

    def _distribute(self, prev: _Item, tokens: list[_Token], at: int) -> int:
        """Give *prev*'s head to the names after it ("Sở Tài chính, Nội vụ"); tokens used."""
        head = prev.head or ""
        g = self.gazetteer
        # Longest first: "Văn hóa, Thể thao và Du lịch" is one Sở, not three.
        for j in range(len(tokens) - 1, at - 1, -1):
            if any(t.sep not in {",", ";"} for t in tokens[at + 1 : j + 1]):
                continue
            printed = self._bare(self.text[tokens[at].start : tokens[j].end].strip(" .;:"), prev.role)
            entry = g.lookup(_with_head(head, printed))
            if entry is not None and (entry.kind != "collective" or name_key(head) in _KIND_HEADS):
                self._member(prev, _with_head(head, printed), printed)
                return j - at + 1
        seg = _LEADING.sub("", self.text[tokens[at].start : tokens[at].end].strip(" .;:"))
        seg = self._bare(seg, prev.role)  # "Sở Tài chính, Nội vụ chủ trì": the role is the list's
        if _starts_body(seg, g):
            if prev.listing and name_key(seg).startswith(name_key(head)):
                self._member(prev, seg, seg)  # "các Sở: Sở Tài chính, …"
                return 1
            return 0
        # A capitalised name after a named body ("Sở Tài chính, Kế hoạch"), or any name in
        # a list a colon opens ("các Sở: …"); never a place or the kinds of a class.
        named = seg[:1].isupper() and not _GENERIC_START.match(name_key(seg)) and only_place(seg) is None
        if prev.listing or (named and not _open(prev.name)):
            self._member(prev, _with_head(head, seg), seg)
            return 1
        return 0

    def _member(self, prev: _Item, name: str, printed: str) -> None:
        in_list = prev.listing or prev.in_list
        if prev.listing:
            # "các Sở:" stands for its members, not for a body of its own.
            self.items.remove(prev)
        self.items.append(_Item(name, printed, prev.role, self.at, head=prev.head, in_list=in_list))


def _split_members(paren: _Paren, gazetteer: Gazetteer) -> str | None:
    """The members a "(gồm …)" remark lists, or None."""
    m = re.match(r"^(?:bao\s+)?gồm\s+", name_key(paren.content))
    return paren.content[m.end() :] if m else None


def split_cell(
    cell: str,
    gazetteer: Gazetteer,
    jurisdiction: str | None,
    default_role: Role,
    *,
    warn: Callable[[str], None] | None = None,
    fragment: Callable[[str], None] | None = None,
) -> list[Assignment]:
    """The assignments a table cell (or a list of bodies in the text) states, in order.

    ``warn`` hears of bodies the gazetteer does not know (kept, unrecognised);
    ``fragment`` of text that names no body (dropped).  Without ``fragment``
    the dropped text goes to ``warn``.

    >>> from kg.gazetteer import Gazetteer
    >>> cell = "Ban Tuyên giáo Thành ủy chỉ đạo, Sở Thông tin và Truyền thông chủ trì"
    >>> [(a.agency.name, a.role.value) for a in split_cell(cell, Gazetteer.default(), "Hà Nội", Role.LEAD)]
    [('Ban Tuyên giáo Thành ủy', 'directing'), ('Sở Thông tin và Truyền thông', 'lead')]
    >>> [a.agency.name for a in split_cell("Sở Tài chính, Nội vụ", Gazetteer.default(), "Hà Nội", Role.LEAD)]
    ['Sở Tài chính', 'Sở Nội vụ']
    """
    assignments, said = _split(cell, gazetteer, jurisdiction, default_role)
    for unknown, words in said:
        if not unknown:
            _report(words, fragment, warn)
        elif warn is not None:
            warn(words)
    return list(assignments)


# Plans repeat the same cells many times ("Các Sở, ngành, đơn vị liên quan"); the reading
# depends on the cell, the gazetteer, the place and the column only.
@lru_cache(maxsize=1 << 15)
def _split(
    cell: str, gazetteer: Gazetteer, jurisdiction: str | None, default_role: Role
) -> tuple[tuple[Assignment, ...], tuple[tuple[bool, str], ...]]:
    """The assignments of a cell, and what it says that is to be reported, in order: (True, the
    warning of an unknown body) or (False, words that name no body)."""
    said: list[tuple[bool, str]] = []
    text = strip_markup(cell)
    if not text or text in {"-", "–", "x"}:
        return (), ()
    if apposition := _APPOSITION.search(name_key(text)):
        text = text[: apposition.start()]
    plain, parens = _parentheticals(text)
    plain, scopes = _scope_notes(plain)
    parens += scopes
    members = [(p, _split_members(p, gazetteer)) for p in parens]
    reader = _Reader(plain, gazetteer, jurisdiction, default_role)
    reader.read(_tokens(plain, gazetteer))
    _under_chair(reader)
    _attach_notes(reader, parens)
    out: list[Assignment] = []
    seen: set[tuple[str, Role]] = set()

    def add(agency: Agency, role: Role, words: str) -> None:
        if (agency.id, role) not in seen:
            seen.add((agency.id, role))
            out.append(Assignment(agency=agency, role=role, text=words))

    for item in reader.items:
        listed = next((m for p, m in members if m and p in item.notes), None)
        if listed is not None and _open(item.name):
            # "Các cơ quan … (gồm các Sở: Xây dựng, Công Thương)": the members, not the class.
            found, also = _split(listed, gazetteer, jurisdiction, item.role)
            said += also
            for a in found:
                add(a.agency, a.role, a.text)
            continue
        run = _known_run(item.name, gazetteer)
        if run is not None and item.name == item.printed:
            # "Sở Tư pháp Sở Xây dựng tỉnh An Giang": each body with its own words.
            for k, piece in enumerate(run):
                words = item.text().replace(item.printed, piece, 1) if k == len(run) - 1 else piece
                for agency in _resolve(piece, gazetteer, jurisdiction)[0]:
                    add(agency, item.role, words)
            continue
        agencies, known, body = _resolve(item.name, gazetteer, jurisdiction)
        if not body:
            said.append((False, item.printed))
            continue
        if not known:
            said.append((True, unknown_message(agencies[0])))
        for agency in agencies:
            add(agency, item.role, item.text())
    return tuple(out), tuple(said)


def unknown_message(agency: Agency) -> str:
    """The warning every reader (table cell, prose task) gives an agency the gazetteer does not
    know, body or class alike: it is kept under the name printed.

    >>> from kg.gazetteer import Gazetteer
    >>> unknown_message(Gazetteer.unrecognised("Quỹ Đầu tư phát triển tỉnh", "Hà Nội"))
    "agency not in the gazetteer, kept as written: 'Quỹ Đầu tư phát triển tỉnh'"
    """
    return f"agency not in the gazetteer, kept as written: {agency.name!r}"


def _under_chair(reader: _Reader) -> None:
    """ "Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp xã thực hiện …": where one
    clause's body chairs, the bodies of a clause that only "thực hiện" carry the work out under it,
    as partners."""
    if reader.default_role is not Role.LEAD:
        return
    said = {item.clause: name_key(" ".join(item.said)) for item in reader.items if item.said}
    chaired = [c for c, words in said.items() if words.startswith("chủ trì")]
    doers = {c for c, words in said.items() if words.startswith("thực hiện")}
    if not chaired or not doers:
        return
    for item in reader.items:
        if item.clause in doers and item.clause not in chaired and item.role is Role.LEAD:
            item.role = Role.COORDINATING


def _attach_notes(reader: _Reader, parens: list[_Paren]) -> None:
    """Give each parenthetical to the body it follows, as a note."""
    for p in parens:
        owners = [item for item in reader.items if item.start < p.at] or reader.items[:1]
        if owners:
            owners[-1].notes.append(p)


def _report(text: str, fragment: Callable[[str], None] | None, warn: Callable[[str], None] | None) -> None:
    if fragment is not None:
        fragment(text)
    elif warn is not None:
        warn(f"not an agency, dropped: {text!r}")
