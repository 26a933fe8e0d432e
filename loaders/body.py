"""Read a plan's body: which bodies each item addresses, what it asks of them, and where.

The body of a plan (before the appendix) lists its tasks as prose items:

* a lettered or numbered item names its addressees before a colon
  ("b) Sở Thông tin và Truyền thông:"), as a heading ("1. Bộ Xây dựng") or as
  the subject of its sentence ("3. Sở Khoa học và Công nghệ là cơ quan thường
  trực, …"); an item or bullet without addressees inherits those of the item
  it sits under;
* "Đề nghị …" / "Khuyến khích …" *asks* bodies outside the issuer's authority
  (Party organs, the Fatherland Front, mass organisations): a request, not an
  assignment; "… là cơ quan thường trực / đầu mối" names the standing agency;
  items addressed only to classes of bodies ("Các sở, ban, ngành …") or to
  no one are general duties;
* "phối hợp với X, Y" names the coordinators, "gửi X tổng hợp" / "báo cáo … về X"
  the body it reports to.

Only the sections that carry tasks are read (objectives, viewpoints and funding
sections are not), and only up to the appendix; the recipients list ("Nơi nhận")
and the signature are skipped.

>>> from kg.model.gazetteer import Gazetteer
>>> lines = ["II. NHIỆM VỤ", "", "a) Đề nghị Ban Tuyên giáo Thành ủy:", "", "Chỉ đạo công tác tuyên truyền.",
...          "", "b) Sở Nội vụ:", "", "- Chủ trì, phối hợp với Sở Tài chính xây dựng đề án;"]
>>> items, _ = read_body_lines(lines, file="x.txt", document="d", jurisdiction="Hà Nội", gazetteer=Gazetteer.default())
>>> [(i.ref, i.kind.value, [a.name for a in i.agencies], [a.name for a in i.coordinating]) for i in items]
[('II.a', 'request', ['Ban Tuyên giáo Thành ủy'], []), ('II.b#1', 'assign', ['Sở Nội vụ'], ['Sở Tài chính'])]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Agency, Issue, Role, Source
from kg.model.body import BodyAssignment, BodyKind, BodyReading
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key, strip_markup
from loaders.tables import Table, find_tables

__all__ = ["addressees", "read_body", "read_body_lines"]

# Marker levels, outermost first.  "Điều N." articles only delimit; their prose is boilerplate.
_ARTICLE, _ROMAN, _NUMBER, _SUBNUMBER, _LETTER, _BULLET = range(6)
_MARKERS = (
    (_ARTICLE, re.compile(r"^Điều\s+(\d+)\s*[.:]\s*(.*)$", re.IGNORECASE)),
    (_ROMAN, re.compile(r"^([IVXL]+)\s*[.)]\s*(.*)$")),
    (_SUBNUMBER, re.compile(r"^(\d{1,2}\.\d{1,2})\.?\s+(.*)$")),
    (_NUMBER, re.compile(r"^(\d{1,2})\s*[.)](?!\d)\s*(.*)$")),
    (_LETTER, re.compile(r"^([a-zđ])\s*\)\s*(.*)$")),
    (_BULLET, re.compile(r"^[-–+•]\s+(.*)$")),
)
# Sections that state aims, viewpoints, funding or background, not tasks.
_NOT_TASKS = re.compile(
    r"^(?:mục đích|mục tiêu|quan điểm|kinh phí|căn cứ|sự cần thiết|thực trạng|đánh giá|đối tượng|phạm vi"
    r"|yêu cầu|bối cảnh|tình hình|nguồn vốn|dự toán|định hướng)"
)
_RECIPIENTS = re.compile(r"^nơi nhận\b")
_REQUEST = re.compile(r"^(?:kính\s+)?(?:đề nghị|khuyến khích|mời)\s*:?\s*", re.IGNORECASE)
_GIVE = re.compile(r"^(?:giao(?:\s+cho)?|yêu cầu)\s+", re.IGNORECASE)
_STANDING = re.compile(r"\bcơ quan (?:thường trực|đầu mối)\b")
# Verbs that end the subject of a sentence ("Sở Khoa học và Công nghệ là cơ quan thường trực").
# Matched case-sensitively (names capitalise their words) and never inside a gazetteer name.
_VERBS = (
    "là|chủ trì|phối hợp|chủ động|có trách nhiệm|chịu trách nhiệm|căn cứ|tập trung|tích cực|xây dựng|tổ chức"
    "|triển khai|thực hiện|tham mưu|chỉ đạo|theo dõi|đề xuất|hướng dẫn|nghiên cứu|rà soát|tăng cường|đẩy mạnh"
    "|bảo đảm|đảm bảo|cung cấp|tuyên truyền|phát huy|định kỳ|theo|tham gia|quán triệt|ban hành|kiểm tra|tổng hợp"
    "|báo cáo|để|nhằm|thẩm định|hỗ trợ|vận động|xem xét|phát triển|ưu tiên|tiên phong|mở|nghiêm túc|cần|phải"
    "|khẩn trương|sớm|kịp thời|trên cơ sở|bố trí|cập nhật|ứng dụng|đổi mới|hoàn thiện|được giao|thi hành|tiếp tục"
    "|đôn đốc|giám sát|trình|tiếp nhận|định hướng|thúc đẩy|lồng ghép|nâng cao|quản lý|đề nghị|gửi|công bố|kiểm soát|dẫn dắt|cử"
)
_VERB = re.compile(rf"(?<![\wÀ-ỹ])(?:{_VERBS})(?![\wÀ-ỹ])")
_GENERIC_START = re.compile(
    r"^(?:sở|ban|ngành|bộ|đơn vị|địa phương|cơ quan|tổ chức|doanh nghiệp|đoàn thể|hội|trường|viện|cơ sở"
    r"|hợp tác xã|lực lượng|cấp|tập đoàn|nhà đầu tư)\b"
)
_PLURAL_BEFORE = re.compile(r"(?:các|những)\s*$")
# "các cơ quan, tổ chức khác": a word listed after a kind of body is another kind, not a verb.
_KIND_BEFORE = re.compile(r"(?:cơ quan|đơn vị|địa phương|doanh nghiệp|cá nhân),\s*$", re.IGNORECASE)
# The first word of a body's proper name ("Ban Quản lý khu Kinh tế", "Hiệp hội Doanh nghiệp").
_ORG_HEAD = re.compile(
    r"^(?:các |những )?(?:sở|ban|bộ|ủy ban|uỷ ban|ubnd|hđnd|hội đồng|hội|liên hiệp|hiệp hội|liên minh|liên đoàn"
    r"|viện|trường|đại học|học viện|đảng ủy|đảng uỷ|thành ủy|tỉnh ủy|cấp ủy|văn phòng|ngân hàng|công an"
    r"|bộ chỉ huy|đoàn|mặt trận|mttq|báo|đài|trung tâm|quỹ|tập đoàn|tổng công ty|công ty|cục|chi cục|tổng cục"
    r"|thanh tra|kho bạc|cơ quan|đơn vị|tổ chức|doanh nghiệp|ngành|địa phương|chính quyền|lực lượng|cơ sở"
    r"|hợp tác xã|người đứng đầu|thủ trưởng|chủ tịch|bộ trưởng|giám đốc|tòa án|toà án)\b"
)
# Heads strong enough to name a body with one capitalised word ("Ủy ban nhân dân xã, phường").
_STRONG_HEAD = re.compile(
    r"^(?:sở|ban|bộ|ủy ban|uỷ ban|ubnd|hội|liên hiệp|hiệp hội|liên minh|liên đoàn|viện|trường|đảng ủy|đảng uỷ"
    r"|ngân hàng|công an|đoàn|mặt trận|báo|đài|quỹ|cục|văn phòng|tòa án|toà án)\b"
)
_VERB_FIRST = re.compile(r"^(?:ban hành|tổ chức|hội nghị|hội thảo|hội thi|đoàn kết|báo cáo|bộ máy)\b")
_PLURAL_START = re.compile(r"^(?:các|những|toàn thể|mọi)\b")
_COORD = re.compile(r"\bphối hợp(?:\s+(?:với|cùng))?\s+", re.IGNORECASE)
_SEND = re.compile(r"\bgửi\s+(?:về\s+)?", re.IGNORECASE)
_REPORT_TO = re.compile(r"\bbáo cáo(?:[^.;:()]{0,80}?\s+về|\s+)\s*", re.IGNORECASE)


@dataclass
class _Node:
    """A marker paragraph and what follows it, before it is turned into records."""

    level: int
    label: str
    head: str
    lines: list[int]
    body: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    read: bool = True


def _body_end(lines: Sequence[str], tables: Sequence[Table] | None = None) -> int:
    """The number of lines before the appendix ("Phụ lục" heading, else the first table).

    *tables* are those the format stores (a .docx's, a spreadsheet's); ``None``
    for a text file, whose tables are found in its lines.

    >>> _body_end(["Kế hoạch", "Nội dung", "| TT | Nội dung |", "| 1 | Việc |"])
    2
    """
    for i, line in enumerate(lines, start=1):
        if i > 20 and name_key(strip_markup(line.lstrip("# "))).startswith("phụ lục"):
            return i - 1
    tables = find_tables(lines) if tables is None else tables
    return tables[0].line - 1 if tables else len(lines)


def _paragraphs(lines: Sequence[str], end: int, *, stored: bool = False) -> list[tuple[str, list[int]]]:
    """Blank-line separated paragraphs (text, line numbers); wrapped continuations joined.

    A paragraph that starts in lower case continues the one before it (a page
    break cut the sentence); a line starting with "- " after a line ending in
    ";", "." or ":" starts a new paragraph (lists typed without blank lines).
    With *stored*, the format stores paragraphs (.docx, HTML, PDF): each line is
    one, with no blank line between.

    >>> _paragraphs(["a) Sở Nội vụ:", "Chủ trì việc A."], 2, stored=True)
    [('a) Sở Nội vụ:', [1]), ('Chủ trì việc A.', [2])]
    >>> _paragraphs(["a) Sở Nội vụ:", "Chủ trì việc A."], 2)
    [('a) Sở Nội vụ: Chủ trì việc A.', [1, 2])]
    """
    paras: list[tuple[list[str], list[int]]] = []
    current: tuple[list[str], list[int]] | None = None
    for number, raw in enumerate(lines[:end], start=1):
        line = raw.strip()
        if not line or line.startswith("|"):
            current = None
            continue
        starts_item = (
            re.match(r"^[-–+•]\s", line) and current and current[0][-1].rstrip("* ").endswith((";", ".", ":"))
        )
        if current is None or starts_item or stored:
            current = ([line], [number])
            paras.append(current)
        else:
            current[0].append(line)
            current[1].append(number)
    out: list[tuple[str, list[int]]] = []
    for texts, numbers in paras:
        text = strip_markup(re.sub(r"^\s*#+\s*", "", " ".join(texts)))
        if not text:
            continue
        if out and text[0].islower() and _marker(text) is None:
            prev, prev_lines = out[-1]
            out[-1] = (f"{prev} {text}", prev_lines + numbers)
            continue
        out.append((text, numbers))
    return out


def _marker(text: str) -> tuple[int, str, str] | None:
    for level, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            if level == _BULLET:
                return level, "", m.group(1)
            return level, m.group(1), m.group(2)
    return None


def _tree(paras: list[tuple[str, list[int]]]) -> list[_Node]:
    """Nest marker paragraphs by level; plain paragraphs join the innermost open item."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    skipping = False
    for text, numbers in paras:
        key = name_key(text)
        if _RECIPIENTS.match(key):
            skipping = True
            stack = []
            continue
        found = _marker(text)
        if skipping and (found is None or found[0] not in (_ARTICLE, _ROMAN)):
            continue
        skipping = False
        if found is None:
            if stack:
                stack[-1].body.append(text)
                stack[-1].lines.extend(numbers)
            continue
        level, label, head = found
        if level != _ARTICLE and not stack and level != _ROMAN:
            continue  # prose before any section (preamble, "Điều 2. … có hiệu lực")
        node = _Node(level, label, head, list(numbers))
        if level == _ROMAN:
            node.read = not _NOT_TASKS.match(name_key(head))
        while stack and stack[-1].level >= level:
            stack.pop()
        if level == _ARTICLE:
            stack = []
            continue
        if stack:
            node.read = stack[-1].read
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return roots


def _protected(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in gazetteer.find(text)]


def _subject_end(text: str, gazetteer: Gazetteer) -> int:
    """Where the list of bodies at the start of *text* ends: the first verb or stop outside a name."""
    spans = _protected(text, gazetteer)
    stops = [m.start() for m in re.finditer(r"[.;:()]", text)]
    for m in _VERB.finditer(text):
        if any(s <= m.start() < e for s, e in spans) or _PLURAL_BEFORE.search(text[: m.start()]):
            continue
        stops.append(m.start())
        break
    stops = [s for s in stops if not any(a <= s < b for a, b in spans)]
    return min(stops, default=len(text))


def _has_verb(segment: str, gazetteer: Gazetteer | None = None) -> bool:
    """True when *segment* holds a verb outside the names the gazetteer knows (it is a sentence)."""
    spans = _protected(segment, gazetteer) if gazetteer else []
    return any(
        not _PLURAL_BEFORE.search(segment[: m.start()])
        and not _KIND_BEFORE.search(segment[: m.start()])
        and not any(s <= m.start() < e for s, e in spans)
        for m in _VERB.finditer(segment)
    )


_LEVEL_WORDS = re.compile(r"(?:các\s+)?khu vực|cấp (?:tỉnh|huyện|xã)")


def _looks_like_body(segment: str, agency: Agency, *, first: bool = True) -> bool:
    """Whether a segment of prose names a body, not a topic ("Tổ chức, bộ máy", "Doanh nghiệp số").

    *first*: the segment opens the list (later ones share its plural: "Các sở, …, đơn vị thuộc Thành phố").
    """
    if force := re.match(r"^(?:[Ll]ực lượng|[Cc]ơ quan)\s+(?=[A-ZĐÀ-Ỹ])", segment):
        segment = segment[force.end() :]  # "lực lượng Công an": the force stands for its body
    if _LEVEL_WORDS.fullmatch(name_key(segment).strip()):
        segment = agency.name  # "… thành phố và các khu vực": the body before it at a second level
    key = name_key(segment)
    # "lực lượng chức năng", "doanh nghiệp, tổ chức, cơ sở …": a class, singular or not.
    related = bool(re.search(r"\b(?:chức năng|liên quan)$", key)) or "," in key
    if (
        first
        and agency.kind == "collective"
        and not _PLURAL_START.match(key)
        and _GENERIC_START.match(key)
        and not related
    ):
        return False  # a class of bodies is written in the plural: "các doanh nghiệp", not "Doanh nghiệp số"
    if agency.recognised:
        return True
    words = segment.split()
    if len(words) > 14 or _has_verb(segment) or segment.upper() == segment or _VERB_FIRST.match(key):
        return False  # a sentence ("Ban hành …"), or an upper-case heading ("TỔ CHỨC THỰC HIỆN")
    if agency.kind == "collective":
        return bool(_PLURAL_START.match(key)) or related
    capitals = sum(1 for w in words if w[:1].isupper())
    return bool(_ORG_HEAD.match(key)) and (capitals >= 2 or bool(_STRONG_HEAD.match(key)))


def addressees(
    text: str, gazetteer: Gazetteer, jurisdiction: str | None, *, whole: bool = False
) -> tuple[Agency, ...]:
    """The bodies named at the start of *text*, or ``()`` when it does not start with one.

    With ``whole=True`` all of *text* must be the list of bodies (a heading
    such as "1. Bộ Xây dựng"); otherwise the list ends at the first verb.

    >>> g = Gazetteer.default()
    >>> [a.name for a in addressees("Sở Khoa học và Công nghệ là cơ quan thường trực", g, "Hà Nội")]
    ['Sở Khoa học và Công nghệ']
    >>> addressees("Tổ chức thể chế hóa và thực hiện đầy đủ", g, "Hà Nội")
    ()
    """
    from loaders.agencies import split_cell

    text = clean(text).strip(" ,;:.")
    if not whole:
        text = text[: _subject_end(text, gazetteer)].strip(" ,;:")
    if not text or len(text) > 300:
        return ()
    key = name_key(text)
    starts = gazetteer.find(text)
    if not (starts and starts[0].start == 0) and not _ORG_HEAD.match(key):
        return ()
    parts = split_cell(text, gazetteer, jurisdiction, Role.COORDINATING)
    merged: list[tuple[str, Agency]] = []
    for part in parts:
        segment, agency = part.text, part.agency
        if any(s == segment for s, _ in merged):
            if agency.recognised or _LEVEL_WORDS.fullmatch(name_key(segment).strip()):
                # one segment naming two known bodies, or two bodies at a second level ("… và các khu vực")
                merged.append((segment, agency))
            continue
        # "các cấp ủy đảng, chính quyền": a lower-case word after a plural phrase continues it.
        if merged and not agency.recognised and segment[:1].islower() and merged[-1][1].kind == "collective":
            joined = f"{merged[-1][0]}, {segment}"
            merged[-1] = (joined, gazetteer.unrecognised(joined, jurisdiction, kind="collective"))
            continue
        merged.append((segment, agency))
    if not merged:
        return ()
    last, last_agency = merged[-1]
    first = gazetteer.find(last)
    lower_tail = bool(first) and first[0].start == 0 and last[first[0].end :].strip()[:1].islower()
    if not whole and not last_agency.recognised and lower_tail:
        # "UBND Thành phố kết quả thực hiện": the name the gazetteer knows, not the words after it.
        merged[-1] = (last[: first[0].end], gazetteer.resolve(first[0].entry, jurisdiction))
    elif not whole and not _looks_like_body(last, last_agency, first=len(merged) == 1):
        # "các đơn vị liên quan cung cấp thông tin": keep the longest leading words that name a body.
        words = last.split()
        for n in range(len(words) - 1, 0, -1):
            shorter = " ".join(words[:n])
            found = addressees(shorter, gazetteer, jurisdiction, whole=True)
            if found and all(a.recognised or a.kind == "collective" for a in found):
                merged[-1:] = [(shorter, a) for a in found]
                break
    # A list of known kinds ("Doanh nghiệp viễn thông, bưu chính") names bodies without "các".
    listed = len(merged) > 1 and all(a.recognised for _, a in merged)
    if not all(_looks_like_body(s, a, first=n == 0 and not listed) for n, (s, a) in enumerate(merged)):
        return ()
    if whole and _has_verb(text, gazetteer):
        return ()  # "2. Bộ Tài chính chủ trì bố trí kinh phí": a sentence, no heading (role words are no part of a name)
    out: dict[str, Agency] = {}
    for _, agency in merged:
        out.setdefault(agency.id, agency)
    return tuple(out.values())


def _after(
    pattern: re.Pattern[str], text: str, gazetteer: Gazetteer, jurisdiction: str | None
) -> list[Agency]:
    out: dict[str, Agency] = {}
    for m in pattern.finditer(text):
        for a in addressees(text[m.end() :], gazetteer, jurisdiction):
            out.setdefault(a.id, a)
    return list(out.values())


def _reports_to(text: str, gazetteer: Gazetteer, jurisdiction: str | None) -> tuple[Agency, ...]:
    """The body a report goes to: "gửi Sở Nội vụ tổng hợp", else "báo cáo kết quả … về Sở …"."""
    for pattern in (_SEND, _REPORT_TO):
        for m in pattern.finditer(text):
            found = addressees(text[m.end() :], gazetteer, jurisdiction)
            if found:
                return found
    return ()


@dataclass(frozen=True, slots=True)
class _Head:
    agencies: tuple[Agency, ...]
    request: bool
    rest: str


def _read_head(head: str, gazetteer: Gazetteer, jurisdiction: str | None) -> _Head:
    """Split an item's first paragraph into its addressees and the rest of its text."""
    text = clean(head)
    request = False
    if m := _REQUEST.match(text):
        request, text = True, text[m.end() :]
    elif m := _GIVE.match(text):
        text = text[m.end() :]
    if ":" in text:
        prefix, rest = text.split(":", 1)
        found = addressees(prefix, gazetteer, jurisdiction, whole=True)
        if found:
            return _Head(found, request, rest.strip())
    found = addressees(text, gazetteer, jurisdiction, whole=True)
    if found:
        return _Head(found, request, "")
    found = addressees(text, gazetteer, jurisdiction)
    if found:
        cut = _subject_end(text, gazetteer)
        return _Head(found, request, text[cut:].strip(" ,"))
    return _Head((), request, clean(head))


def _kind(agencies: tuple[Agency, ...], request: bool, text: str) -> BodyKind:
    if agencies and _STANDING.search(name_key(text)):
        return BodyKind.STANDING
    if request and agencies:
        return BodyKind.REQUEST
    if not agencies or all(a.is_collective for a in agencies):
        return BodyKind.GENERAL
    return BodyKind.ASSIGN


def _emit(
    nodes: list[_Node],
    path: tuple[str, ...],
    inherited: _Head | None,
    ctx: dict,
    out: list[BodyAssignment],
) -> None:
    gazetteer, jurisdiction = ctx["gazetteer"], ctx["jurisdiction"]
    bullets = 0
    for node in nodes:
        if not node.read:
            continue
        # A section heading ("III. TỔ CHỨC THỰC HIỆN") titles work; it never addresses a body.
        head = (
            _Head((), False, node.head)
            if node.level == _ROMAN
            else _read_head(node.head, gazetteer, jurisdiction)
        )
        own = head if head.agencies else None
        scope = own or inherited
        if node.level == _BULLET:
            bullets += 1
            section, bullet = ".".join(path), bullets
        else:
            section, bullet = ".".join((*path, node.label)), None
        if node.children:
            next_path = path if node.level == _BULLET else (*path, node.label)
            _emit(node.children, next_path, scope, ctx, out)
            continue
        if node.level == _ROMAN:
            continue  # a section with no items (its tasks are in the appendix)
        text = clean(" ".join(t for t in (head.rest, *node.body) if t and not re.match(r"^\(.*\)\.?$", t)))
        agencies = scope.agencies if scope else ()
        request = (own.request if own else False) or (inherited.request if inherited and not own else False)
        if own is None and head.request:
            request = True
        if not text:
            continue
        out.append(
            BodyAssignment(
                document=ctx["document"],
                section=section,
                bullet=bullet,
                kind=_kind(agencies, request, text),
                agencies=agencies,
                text=text,
                coordinating=tuple(
                    a for a in _after(_COORD, text, gazetteer, jurisdiction) if a not in agencies
                ),
                reports_to=_reports_to(text, gazetteer, jurisdiction),
                source=Source(ctx["file"], tuple(sorted(set(node.lines)))),
            )
        )


def read_body_lines(
    lines: Sequence[str],
    *,
    file: str,
    document: str,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    tables: Sequence[Table] | None = None,
) -> tuple[list[BodyAssignment], list[Issue]]:
    """The body assignments of a document given as lines, and warnings about what could not be read.

    *tables* are the tables the format stores (:attr:`loaders.formats.Loaded.tables`).
    """
    paras = _paragraphs(lines, _body_end(lines, tables), stored=tables is not None)
    roots = _tree(paras)
    out: list[BodyAssignment] = []
    ctx = {"gazetteer": gazetteer, "jurisdiction": jurisdiction, "document": document, "file": file}
    _emit(roots, (), None, ctx, out)
    warnings: list[Issue] = []
    if not out:
        warnings.append(
            Issue(
                file, None, "body", "the body has no task items that could be read; only the appendix is kept"
            )
        )
    elif not any(a.agencies for a in out):
        warnings.append(
            Issue(
                file,
                None,
                "body",
                f"the body's {len(out)} items name no addressee; who does what comes from the appendix only",
            )
        )
    unknown: dict[str, int] = {}
    for item in out:
        for a in (*item.agencies, *item.coordinating, *item.reports_to):
            if not a.recognised and a.kind != "collective":
                unknown.setdefault(a.name, item.source.lines[0])
    for name, line in unknown.items():
        warnings.append(Issue(file, line, "agency", f"body names an agency not in the gazetteer: {name!r}"))
    return out, warnings


def read_body(path: Path | str, *, gazetteer: Gazetteer | None = None) -> BodyReading:
    """Read the body of one plan document.

    Raises :class:`kg.model.PlanError` for a file that cannot be read at all; a
    body without readable items gives one warning and no items.

    >>> from pathlib import Path
    >>> reading = read_body(Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
    >>> [(i.ref, i.kind.value) for i in reading.assignments if i.section.startswith("III")]
    [('III.1', 'general'), ('III.2', 'request'), ('III.3', 'standing')]
    """
    from loaders.dispatch import load
    from loaders.document import read_document

    path = Path(path)
    gazetteer = gazetteer or Gazetteer.default()
    # The lines every format gives (loaders/formats.py): a .docx's body is read as its .txt copy's is.
    loaded = load(path)
    lines = list(loaded.lines)
    name = str(path)
    document, jurisdiction = read_document(
        lines, file=name, gazetteer=gazetteer, table_line=_body_end(lines, loaded.tables) + 1
    )
    items, warnings = read_body_lines(
        lines,
        file=name,
        document=document.id,
        jurisdiction=jurisdiction,
        gazetteer=gazetteer,
        tables=loaded.tables,
    )
    return BodyReading(name, document.id, tuple(items), tuple(warnings))
