"""The words an agency's name is made of, and the shape test that tells a body from a fragment.

Kind words ("sở", "ban", "đơn vị") make a class after "các"; head words ("Sở", "Bộ",
"UBND") start a body's name, the ambiguous ones ("Báo", "Hội") only before a capitalised
word or a level; role words ("chủ trì", "phối hợp") and predicate verbs ("rà soát",
"tham mưu") say what a body does and are no part of its name.  :func:`is_organisation`
keeps fragments out: a text becomes an agency only if the gazetteer knows it or it has
the shape of an organisation.  The cell grammar (:mod:`loaders.agencies`) and the
resolution of names (:mod:`loaders.agency_names`) read with these words.

>>> is_organisation("Sở Tài chính"), is_organisation("Báo chí")
(True, False)
"""

from __future__ import annotations

import re

from kg.model import Role
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key

__all__ = ["GENERIC_NOUNS", "HEAD_WORDS", "is_organisation"]


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


_KIND_ONLY_BODIES = re.compile(r"^(?:cơ quan|đơn vị|doanh nghiệp)\s\S")


_ONE_KIND = re.compile(rf"(?:{_GENERIC})\.?")


def _is_class(key: str) -> bool:
    """Whether a keyed text names a class of bodies without "các": kinds listed ("Bộ, cơ quan
    ngang bộ", "UBND xã, phường") or qualified ("đơn vị liên quan"); one bare kind is not one.
    """
    if _class_start(key):
        return True
    # "cơ quan thông tấn báo chí", "đơn vị sự nghiệp công lập": a kind only bodies are.
    if _KIND_ONLY_BODIES.match(key):
        return True
    parts = [p.strip() for p in key.split(",")]
    if len(parts) > 1 and all(_GENERIC_START.match(p) for p in parts[1:]):
        return bool(_GENERIC_START.match(parts[0]) or _open(parts[0]))
    return bool(_GENERIC_ONLY.match(key)) and not _ONE_KIND.fullmatch(key)


_PLURAL = re.compile(r"^(?:các|những)\s")


def _starts_body(text: str, gazetteer: Gazetteer) -> bool:
    """Whether *text* starts a body by itself: a known name, a head word or a class "các …"."""
    key = name_key(text)
    hits = gazetteer.find(text)
    if hits and hits[0].start == 0:
        return True
    if bool(_PLAIN.match(key) or _heads_named(key, text) or _PLURAL.match(key)):
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


_PEOPLE_OR_PLURAL = re.compile(r"^(?:nhân dân|các|những)\s*")


def _open(name: str) -> bool:
    """Whether a class may go on with more kinds after a comma ("UBND xã", "Sở", "các cơ quan")."""
    key = name_key(name)
    if _GENERIC_ONLY.match(key) or _class_start(key):
        return True
    m = _PLAIN.match(key)
    rest = key[m.end() :].strip() if m else key
    rest = _PEOPLE_OR_PLURAL.sub("", rest)
    # "Văn phòng Bộ", "Thanh tra Bộ": a capital names the one body ("the Ministry"), no kind.
    kind = clean(name)[len(key) - len(rest) :]
    return bool(m) and bool(rest) and bool(_GENERIC_ONLY.match(rest)) and not kind[:1].isupper()
