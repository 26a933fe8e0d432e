"""Read the tasks a plan assigns in its text, not in a table, as :class:`kg.model.Task` records.

Many plans have no task table: the body itself says who leads, who coordinates
and by when.  The body is parsed by :mod:`loaders.body` (blank-line paragraphs
nested by their markers: I., 1., 1.1., a), "- "); this module reads tasks out of
that tree by the rules a careful reader of any plan applies:

* **Labelled item.**  An item whose sub-paragraphs carry labels ("Cơ quan chủ
  trì: …", "Đơn vị chủ trì (thực hiện): …", "Cơ quan thực hiện: …", "Cơ quan
  phối hợp: …", "Thời gian thực hiện: …", "Thời hạn hoàn thành: …"; bold,
  italic or wrapped "Thời" / "gian thực hiện:"), directly or under a "b) Cơ quan
  thực hiện:" field, is one task: the item the labels belong to.  Its roles come
  from the labels only (bodies named in its task text do not count).
* **"Cơ quan thực hiện" as a sentence.**  Every clause's subject carries the work
  out ("Sở X chủ trì …; Sở Y và các sở … chủ động …"); only the bodies after
  "phối hợp (với)" are partners.  A list without verbs leads as a whole.
* **Unlabelled sibling.**  A numbered item among labelled ones is a task too, led
  by the subject of its text if it names one (else by no one).
* **Agency heading.**  A numbered heading that names bodies and is no sentence
  ("2.1. Sở Tài chính", "**1.** / **Công an thành phố**", "Sở Tài chính - Cơ quan
  thường trực …" (the role after the dash dropped), "Đề nghị Tòa án nhân dân
  tỉnh", "Trách nhiệm của …", "… (gồm các Sở: A, B)" (its members), "Sở X có
  trách nhiệm:" over items) leads every lettered item or bullet under it, or
  each of its paragraphs; an item that only says what the body is ("X là lực
  lượng tiên phong …") assigns nothing.  An item that opens
  "Phối hợp (với) X …" (after "Căn cứ …," if any) is led by X, the heading's body
  coordinating; a class of merely related units ("các đơn vị liên quan", "… chức
  năng") never leads: beside X, or alone, it coordinates.  Elsewhere the bodies
  after "phối hợp (với)" coordinate, except after "tham mưu UBND … phối hợp Bộ X"
  (the body advised works with the ministry, not this one).  "Phối hợp với X …;
  chủ trì Y" is two tasks, the second the heading's own.
* **Split items.**  An item whose text is completed by sub-items that each open
  with bodies ("b) Chủ trì, phối hợp" + "- Sở Tài chính … tham mưu …"; "Trong
  đó:" + "+ Sở Xây dựng: …") is one task per sub-item: after "phối hợp" the
  sub-item's bodies coordinate, otherwise they lead.  Sub-items that do not open
  with bodies ("- Dự án 1: …") spell out one task.
* **Numbered duty.**  A numbered item (or the one paragraph under its title)
  whose subject is a body that carries it out is a task ("Sở Khoa học và Công
  nghệ theo dõi, đôn đốc …", "Giao Công an tỉnh chủ trì …", "Căn cứ Kế hoạch
  này, các sở, ban, ngành … xây dựng kế hoạch …"), unless it speaks to every
  body alike: bodies named by reference ("được phân công chủ trì"), everyone
  concerned ("… và các cơ quan, đơn vị có liên quan"), or the duty to carry out
  "Kế hoạch này" itself.  Any other paragraph is a task only when its subject
  "chủ trì" ("Đồng thời, giao Công an tỉnh chủ trì, …").
* **Deadlines** come from the "Thời gian/Thời hạn … :" field or paragraph that
  follows the item (a shared one after sub-items applies to all), or from the
  same words, "hoàn thành trong/trước …", "định kỳ hằng năm (trước …)" or "trong
  thời hạn N ngày" inside the item.
* **Requests.**  "Đề nghị …" asks a body outside the issuer's authority: the task
  keeps the body as lead and carries the attribute ``("request", "Đề nghị")``.
* **Persons** stand for their body ("Thủ trưởng sở, ban, ngành", "lực lượng Công
  an"); a person of no named body is kept as written ("Trưởng Ban Chỉ đạo").

Sections of aims, requirements, viewpoints and scope are not read; funding
sections are (a plan often gives Sở Tài chính a task there).  Task ids are the
item's number path ("III.2.1.a", "IV.1.3.1.2" for the 2nd sub-item of the 1st
bullet); a second task of one item gets "#2".  ``source.lines`` starts at the line
that opens the item (the heading line of a labelled item, the paragraph of an
agency heading with one paragraph).

>>> from kg.model.gazetteer import Gazetteer
>>> lines = ["III. PHÂN CÔNG NHIỆM VỤ", "", "1. Sở Nội vụ", "",
...          "a) Chủ trì, phối hợp với Sở Tài chính xây dựng đề án.", "",
...          "b) Phối hợp với Công an tỉnh tuyên truyền."]
>>> tasks = read_prose_tasks(lines, file="x.txt", document="d", jurisdiction="Hà Nội", gazetteer=Gazetteer.default())
>>> [(t.id, [a.name for a in t.lead], [a.name for a in t.coordinating]) for t in tasks]
[('III.1.a', ['Sở Nội vụ'], ['Sở Tài chính']), ('III.1.b', ['Công an tỉnh'], ['Sở Nội vụ'])]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kg.model import Agency, Assignment, Deadline, Issue, Role, Source, Task, TaskGroup
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key
from loaders.agencies import split_cell, unknown_message
from loaders.body import _BULLET, _ROMAN, _VERB, _VERB_FIRST, _has_verb, _Node, _paragraphs, _tree, addressees
from loaders.deadlines import parse_deadline

__all__ = ["read_prose_tasks"]

# Sections that state aims, requirements, viewpoints or scope: no task is assigned there.
_NOT_TASKS = re.compile(
    r"^(?:mục đích|mục tiêu|quan điểm|căn cứ|sự cần thiết|thực trạng|đánh giá|đối tượng|phạm vi"
    r"|yêu cầu|bối cảnh|tình hình|định hướng)"
)
# A labelled field: "Cơ quan chủ trì: …", "Đơn vị phối hợp: …", "Thời gian thực hiện: …", "Nhiệm vụ: …".
_FIELD = re.compile(
    r"^(?:(?:các\s+)?(?:cơ quan|đơn vị|cơ quan,? đơn vị|cơ quan/đơn vị|đơn vị/cơ quan)\s+"
    r"(?P<role>chủ trì|phối hợp|thực hiện|chịu trách nhiệm|đầu mối)(?:\s*\(?thực hiện\)?|\s+chính)?"
    r"|(?P<time>thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành))?"
    r"|(?P<what>nhiệm vụ|nội dung)(?:\s+(?:thực hiện|công việc|nhiệm vụ))?)"
    r"\s*:\s*"
)
_FIELD_ROLE = {"chủ trì": "lead", "thực hiện": "exec", "chịu trách nhiệm": "exec", "đầu mối": "lead"}
# The same deadline words inside an item's text ("… gửi Bộ Tài chính. Thời gian hoàn thành: Trước ngày 31/5/2026.").
_INLINE_TIME = re.compile(
    r"(?:^|[.;]\s+)(?:thời gian|thời hạn)(?:\s+(?:thực hiện|hoàn thành))?\s*:\s*(?P<v>[^;]+?)\.?$"
)
# "Hoàn thành, báo cáo … trong tháng 11/2025": a completion date inside the text.
# The date is whole: a year of four digits, a quarter in Roman or Arabic figures ("Quý III/2023"),
# a day or month with what follows it ("ngày 15 tháng 12 năm 2025", "tháng 11/2025").
_DONE_BY = re.compile(
    r"(?P<v>(?:hoàn thành\s+)?(?:trong|trước|chậm nhất)\s+"
    r"(?:năm\s+\d{4}"
    r"|quý\s+(?:iv|i{1,3}|[1-4])(?![\wà-ỹ])(?:\s*(?:[/.-]|năm)\s*\d{4})?"
    r"|(?:ngày|tháng)\s+\d{1,2}(?:\s+tháng\s+\d{1,2})?(?:\s*[/.-]\s*\d{1,4}){0,2}(?:\s*năm\s*\d{4})?))"
)
# "Định kỳ hằng năm (trước ngày 15 tháng 12)", "trước ngày 20 hằng tháng", "trước ngày 15/11 hằng năm";
# "báo cáo … kết quả thực hiện hằng năm": a yearly report of results is due every year ("hằng năm"
# after a noun, "kinh phí … hằng năm", "kế hoạch … hằng năm", says what the thing is, not when).
_PERIODIC = re.compile(
    r"(?P<v>định kỳ\s+(?:hằng|hàng)\s+(?:năm|quý|tháng)(?:\s*\(trước ngày[^()]*\))?"
    r"|trước ngày \d{1,2}(?:/\d{1,2})?\s+(?:hằng|hàng)\s+(?:tháng|quý|năm))"
    r"|kết quả(?: thực hiện)?(?: kế hoạch)?\s+(?P<y>(?:hằng|hàng) (?:năm|quý|tháng))(?=\s|$|[.,;])"
)
# "… khi Chính phủ và các Bộ, ngành ban hành các văn bản hướng dẫn", "sau khi Nghị định … được ban hành":
# the work falls due when the higher level issues its text (a clause that ends the sentence).
_ON_ISSUE = re.compile(r"(?:^|\s)(?P<v>(?:sau )?khi [^.;()]{0,160}?\bban hành\b[^.;()]*?)\s*(?:[.;]|$)")
# "trong thời hạn 10 ngày kể từ ngày nhận Kế hoạch này".
_WITHIN = re.compile(r"(?P<v>trong thời hạn \d+ ngày(?: (?:làm việc|kể từ)[^.;,()]*)?)")
_REQUEST = re.compile(r"^(?:kính\s+)?(?:đề nghị|khuyến khích|mời)\s+", re.IGNORECASE)
_GIVE = re.compile(r"^(?:(?:đồng thời|ngoài ra|bên cạnh đó)\s*,\s*)?(?:giao(?:\s+cho)?\s+)?", re.IGNORECASE)
_DUTY_COLON = re.compile(
    r"\s+(?:(?:có|chịu)\s+trách nhiệm|có nhiệm vụ|thực hiện)(?:\s+(?:thực hiện|triển khai))?"
    r"(?:\s+(?:các|những)\s+(?:nội dung|nhiệm vụ)(?:\s+(?:sau|cụ thể)(?:\s+đây)?)?)?$",
    re.IGNORECASE,
)
_RESPONSIBLE_OF = re.compile(r"^(?:trách nhiệm|nhiệm vụ)\s+của\s+", re.IGNORECASE)
# Titles that stand for a person of a body ("Trưởng Ban Chỉ đạo", "Giám đốc Sở …").
_PERSON = re.compile(
    r"^(?:phó\s+)?(?:trưởng|giám đốc|chủ tịch|thủ trưởng|người đứng đầu|chánh)\s+", re.IGNORECASE
)
# An item that opens by coordinating with someone else: that body leads.
_OPENS_COORD = re.compile(
    r"^(?:chủ động\s+|tích cực\s+|thường xuyên\s+)?phối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng))?\s+"
)
_COORD = re.compile(r"\bphối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng))?\s+")
# An item whose partners follow in its sub-items: "b) Chủ trì, phối hợp" (nothing after "phối hợp").
_OPEN_COORD_END = re.compile(r"\bphối hợp(?:\s+(?:với|cùng))?\s*:?$")
# "(gồm các Sở: Xây dựng, …)": a class heading followed by the bodies it is made of.
_MEMBERS = re.compile(r"\(\s*gồm\s+(?P<m>[^()]+)\)")
# A singular generic head followed by lower-case words names no body ("Cơ quan thường trực …").
_WEAK_SINGULAR = re.compile(
    r"^(?:[Tt]ổ chức|[Cc]ơ quan|[Đđ]ơn vị|[Đđ]ịa phương|[Dd]oanh nghiệp|[Ll]ực lượng|[Cc]ơ sở|[Cc]ấp)\s+[a-zà-ỹđ]"
)
_PARENS = re.compile(r"\s*\([^()]*\)")
# "… theo chức năng, nhiệm vụ được giao", "… trong phạm vi chức năng của mình": a qualifier, not a body.
_QUALIFIER = re.compile(
    r"\s+(?:theo|trong phạm vi|thuộc phạm vi|trong|theo phạm vi)\s+(?:chức năng|phạm vi|thẩm quyền|lĩnh vực)"
    r".*?(?=\s+và\s+(?:các\s+)?\w|[;.]|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Para:
    text: str
    lines: tuple[int, ...]


@dataclass
class _Item:
    """A node of the body tree with its paragraphs (head first) and its number path."""

    node: _Node
    number: str
    paras: list[_Para]
    marker: str  # the raw marker of its first line ("-", "+", "a)", "1." …)
    children: list[_Item] = field(default_factory=list)

    @property
    def head(self) -> str:
        return self.node.head

    @property
    def body(self) -> list[_Para]:
        return self.paras[1:]

    def all_lines(self) -> list[int]:
        out = [n for p in self.paras for n in p.lines]
        for c in self.children:
            out.extend(c.all_lines())
        return sorted(set(out))


@dataclass(frozen=True, slots=True)
class _Roles:
    lead: tuple[Assignment, ...]
    coordinating: tuple[Assignment, ...]
    lead_text: str
    coordinating_text: str = ""


@dataclass
class _Ctx:
    file: str
    document: str
    jurisdiction: str | None
    gazetteer: Gazetteer
    warn: Callable[[Issue], None] | None
    lines: Sequence[str] = ()
    out: list[Task] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)  # text of a labelled field that names no body


def read_prose_tasks(
    lines: Sequence[str],
    *,
    file: str,
    document: str,
    jurisdiction: str | None,
    gazetteer: Gazetteer,
    warn: Callable[[Issue], None] | None = None,
    stored: bool = False,
) -> list[Task]:
    """The tasks the body of a plan assigns in its text, in document order (``[]`` if none).

    *stored*: the format stores paragraphs, one a line (.docx, HTML, PDF; see :func:`loaders.body._paragraphs`).
    """
    # A line of nothing but emphasis marks ("* *") is a blank line: it must not glue "Nơi nhận" to the text.
    lines = ["" if re.fullmatch(r"[\s*_]*", line) else line for line in lines]
    paras = _paragraphs(lines, len(lines), stored=stored)
    by_first = {numbers[0]: _Para(text, tuple(numbers)) for text, numbers in paras}
    roots = [_item(n, (), by_first, lines, 0) for n in _tree(paras)]
    sections = [r for r in roots if not _NOT_TASKS.match(name_key(r.head))]
    ctx = _Ctx(file, document, jurisdiction, gazetteer, warn, lines)
    for root in sections:
        _read(root, None, ctx)
    tasks = _unique(ctx.out)
    if warn is not None:
        for task in tasks:
            for a in task.assignments:
                # As in a table: every name the gazetteer does not know, body or class.
                if not a.agency.recognised:
                    line = task.source.lines[0] if task.source.lines else None
                    warn(Issue(file, line, "agency", f"task {task.id}: {unknown_message(a.agency)}"))
    return tasks


# --- the tree -------------------------------------------------------------------------------


def _item(
    node: _Node, path: tuple[str, ...], by_first: dict[int, _Para], lines: Sequence[str], index: int
) -> _Item:
    """Wrap a body node: split its lines back into paragraphs, give it its number path."""
    paras: list[_Para] = []
    i = 0
    while i < len(node.lines):
        para = by_first.get(node.lines[i])
        if para is None:  # a paragraph joined to the one before it (a sentence cut by a page break)
            paras[-1] = _Para(paras[-1].text, (*paras[-1].lines, node.lines[i])) if paras else paras
            i += 1
            continue
        paras.append(para)
        i += len(para.lines)
    # The node's head is the paragraph text without its marker.
    if paras:
        paras[0] = _Para(node.head, paras[0].lines)
    if node.level == _BULLET:
        label = str(index)
    else:
        label = node.label
    if path and "." in label and label.startswith(path[-1] + "."):
        number = (*path[:-1], label)
    else:
        number = (*path, label)
    raw = lines[node.lines[0] - 1].strip().lstrip("*_ ") if node.lines else ""
    marker = raw[:1] if node.level == _BULLET else label
    item = _Item(node, ".".join(number), paras, marker)
    bullets = 0
    for child in node.children:
        if child.level == _BULLET:
            bullets += 1
        item.children.append(_item(child, number, by_first, lines, bullets))
    _nest_plus(item)
    return item


def _nest_plus(item: _Item) -> None:
    """ "+ …" bullets after a "- …" bullet are its sub-items (the parser puts them side by side)."""
    kept: list[_Item] = []
    for child in item.children:
        if (
            child.node.level == _BULLET
            and child.marker == "+"
            and kept
            and kept[-1].node.level == _BULLET
            and kept[-1].marker != "+"
        ):
            parent = kept[-1]
            child.number = f"{parent.number}.{len(parent.children) + 1}"
            parent.children.append(child)
            continue
        kept.append(child)
    # Renumber the remaining bullets in order.
    n = 0
    for child in kept:
        if child.node.level == _BULLET:
            n += 1
            base = child.number.rsplit(".", 1)[0]
            old = child.number
            child.number = f"{base}.{n}"
            if old != child.number:
                for sub in child.children:
                    sub.number = child.number + sub.number[len(old) :]
    item.children = kept


def _walk(item: _Item):
    yield item
    for c in item.children:
        yield from _walk(c)


# --- reading --------------------------------------------------------------------------------


def _read(item: _Item, parent: _Item | None, ctx: _Ctx) -> None:
    level = item.node.level
    if level != _ROMAN and _labelled(item):
        _emit_labelled(item, parent, ctx)
        return
    if level not in (_ROMAN, _BULLET):
        heading = _heading(item, ctx)
        if heading is not None and not any(_heading(c, ctx) for c in item.children):
            _emit_headed(item, heading, ctx)
            return
        if _emit_numbered(item, parent, ctx):
            return
    if level != _ROMAN:
        _emit_sentences(item, parent, ctx)
    labelled = any(_labelled(c) for c in item.children)
    for child in item.children:
        inner = any(_labelled(i) for i in _walk(child))
        if labelled and child.node.level not in (_ROMAN, _BULLET) and not inner:
            # A numbered item among labelled ones is one of the plan's tasks too, labelled or not.
            _emit_unlabelled(child, item, ctx)
            continue
        _read(child, item, ctx)


def _field(text: str) -> tuple[str, str] | None:
    """("lead" | "coord" | "exec" | "time" | "what", value) for a labelled paragraph, else None."""
    text = clean(text)
    m = _FIELD.match(name_key(text))
    if not m:
        return None
    value = text[m.end() :].strip()
    if m.group("role"):
        return ("coord" if m.group("role") == "phối hợp" else _FIELD_ROLE[m.group("role")]), value
    return ("time" if m.group("time") else "what"), value


def _fields(item: _Item) -> list[tuple[str, str, _Item | None]]:
    """The labelled fields of an item: its children and body paragraphs, and those under an empty field."""
    out: list[tuple[str, str, _Item | None]] = []
    for p in item.body:
        f = _field(p.text)
        if f:
            out.append((*f, None))
    for child in item.children:
        f = _field(child.head)
        if not f:
            continue
        out.append((*f, child))
        for p in child.body:  # a field typed without its dash after another ("Thời gian thực hiện: …")
            g = _field(p.text)
            if g:
                out.append((*g, None))
        if not f[1]:  # "b) Cơ quan thực hiện:" over "- Đơn vị chủ trì: …" / "- Đơn vị phối hợp: …"
            for sub in child.children:
                g = _field(sub.head)
                if g:
                    out.append((*g, sub))
    return out


def _labelled(item: _Item) -> bool:
    return any(kind in {"lead", "exec"} and value for kind, value, _ in _fields(item))


def _emit_labelled(item: _Item, parent: _Item | None, ctx: _Ctx) -> None:
    ctx.fragments.clear()
    fields = _fields(item)
    lead: list[Assignment] = []
    coord: list[Assignment] = []
    lead_text, coord_text, deadline, what = [], [], "", ""
    for kind, value, _ in fields:
        if kind == "lead":
            lead += _cell(value, Role.LEAD, ctx, report=True)
            lead_text.append(value)
        elif kind == "coord":
            coord += _cell(value, Role.COORDINATING, ctx, report=True)
            coord_text.append(value)
        elif kind == "time" and not deadline:
            deadline = value
        elif kind == "what" and not what:
            what = value
    for kind, value, _ in fields:
        if kind == "exec":
            roles = _exec_roles(value, ctx)
            if not lead:
                lead += roles.lead
                lead_text.append(roles.lead_text)
            coord += roles.coordinating
            if roles.coordinating_text:
                coord_text.append(roles.coordinating_text)
    title = clean(item.head).rstrip(":").strip() or what
    if _field(item.head):
        title = what or title
    _add(
        ctx,
        item,
        parent,
        title,
        _Roles(tuple(lead), tuple(coord), "; ".join(lead_text), "; ".join(coord_text)),
        deadline,
        lines=item.all_lines(),
    )


def _exec_roles(value: str, ctx: _Ctx) -> _Roles:
    """The roles a "Cơ quan thực hiện: …" field states: a list of bodies, or sentences naming them."""
    value = clean(value).rstrip(". ")
    if not _has_verb(value, ctx.gazetteer):
        return _Roles(tuple(_cell(value, Role.LEAD, ctx, report=True)), (), value)
    # Every clause's subject carries the work out ("Sở X chủ trì …; Sở Y và các sở … chủ động …");
    # only the bodies after "phối hợp (với)" are partners.
    clauses = [c.strip() for c in value.split(";") if c.strip()]
    lead: list[Assignment] = []
    coord: list[Assignment] = []
    texts: list[str] = []
    for clause in clauses:
        subject = _subject(clause, ctx)
        if subject:
            phrase, found = subject
            lead += [Assignment(a, Role.LEAD, phrase) for a in found]
            texts.append(phrase)
    ctexts: list[str] = []
    for clause in clauses:
        c, t = _partners(clause, ctx, exclude=lead)
        coord += c
        ctexts += t
    return _Roles(tuple(lead), tuple(coord), "; ".join(texts), "; ".join(ctexts))


def _cell(value: str, role: Role, ctx: _Ctx, *, report: bool = False) -> list[Assignment]:
    """The bodies a field value lists (qualifiers such as "theo chức năng, nhiệm vụ" dropped).

    *report*: the value is a labelled field ("Cơ quan chủ trì: …"), so text in it that names no
    body is kept to be reported as a "fragment" warning on the task it gives (see :func:`_add`).
    """
    # A parenthesis after a name qualifies it ("Trung tâm Dịch vụ việc làm (Sở Nội vụ)"): not a body.
    value = _PARENS.sub("", _QUALIFIER.sub("", clean(value))).strip(" .;")
    fragment = ctx.fragments.append if report else None
    return split_cell(value, ctx.gazetteer, ctx.jurisdiction, role, fragment=fragment)


# --- agency headings ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Heading:
    agencies: tuple[Assignment, ...]
    text: str
    request: bool


def _heading(item: _Item, ctx: _Ctx) -> _Heading | None:
    """The bodies a numbered heading names ("2.1. Sở Tài chính", "Đề nghị …", "Trách nhiệm của …"), or None."""
    if not (item.children or item.body) or item.node.level in (_ROMAN, _BULLET):
        return None
    head = clean(item.head)
    text = head.rstrip(":").strip()
    request = False
    if m := _REQUEST.match(text):
        request, text = True, text[m.end() :]
    text = text[_GIVE.match(text).end() :]
    if head.endswith(":") and item.children and (m := _DUTY_COLON.search(text)):
        text = text[: m.start()]  # "Sở Tài chính có trách nhiệm:" over its items: a heading
    responsible = False
    if m := _RESPONSIBLE_OF.match(text):
        responsible, text = True, text[m.end() :]
    members = _MEMBERS.search(text)
    if members:
        # "các Sở: …": the agency-cell reader shares the head among the names (loaders/agencies.py).
        found = _cell(members.group("m"), Role.LEAD, ctx)
        if found:
            return _Heading(tuple(found), clean(members.group("m")), request)
    text = _PARENS.sub("", text).strip(" :")
    if not text or len(text) > 200:
        return None
    if responsible:
        found = _cell(text, Role.LEAD, ctx)
        if not found and re.match(r"^(?:các\s+)?đối tượng\s", name_key(text)):
            # "Trách nhiệm của đối tượng thực hiện kiểm kê": those the plan binds, a class as written.
            name = text[:1].upper() + text[1:]
            found = [
                Assignment(
                    ctx.gazetteer.unrecognised(name, ctx.jurisdiction, kind="collective"), Role.LEAD, text
                )
            ]
        return _Heading(tuple(found), text, request)
    if not _is_title(head) or _has_verb(text, ctx.gazetteer):
        return None  # a sentence, not a heading
    if m := _PERSON.match(text):
        rest = text[m.end() :]
        found = addressees(rest, ctx.gazetteer, ctx.jurisdiction, whole=True)
        if found and all(a.recognised for a in found):
            return _Heading(tuple(Assignment(a, Role.LEAD, text) for a in found), text, request)
        return _Heading(
            (Assignment(ctx.gazetteer.unrecognised(text, ctx.jurisdiction), Role.LEAD, text),), text, request
        )
    text = _role_dash(text, ctx)
    if not _names_body(text, ctx):
        return None
    return _Heading(tuple(_cell(text, Role.LEAD, ctx)), text, request)


def _role_dash(text: str, ctx: _Ctx) -> str:
    """ "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": what follows a dash after a name is its role."""
    found = ctx.gazetteer.find(text)
    if found and found[0].start == 0:
        rest = text[found[0].end :]
        if re.match(r"^\s+[-–]\s+", rest):
            return text[: found[0].end]
    return text


def _names_body(text: str, ctx: _Ctx) -> bool:
    """Whether a heading is a list of bodies: no verb, and it opens with a known name or a body's head word."""
    from loaders.agencies import HEAD_WORDS

    if _has_verb(text, ctx.gazetteer) or text.upper() == text:
        return False
    if _VERB_FIRST.match(name_key(text)) or _WEAK_SINGULAR.match(text):
        return False  # "Tổ chức tổng rà soát …", "Cơ quan thường trực …": a verb or a role, not a body
    found = ctx.gazetteer.find(text)
    if found and found[0].start == 0:
        return True
    key = name_key(text)
    key = re.sub(r"^(?:các|những)\s+", "", key)
    heads = sorted({name_key(h) for h in HEAD_WORDS}, key=len, reverse=True)
    return any(key == h or key.startswith((h + " ", h + ",")) for h in heads) and len(text.split()) <= 25


def _is_time(text: str) -> bool:
    f = _field(text)
    return f is not None and f[0] == "time"


def _emit_headed(item: _Item, heading: _Heading, ctx: _Ctx) -> None:
    attrs = (("request", "Đề nghị"),) if heading.request else ()
    if not item.children:
        # Its paragraphs, each a task when there are several; a deadline paragraph belongs to the one above.
        units: list[tuple[_Para, str]] = []
        for p in item.body:
            if _is_time(p.text) and units:
                units[-1] = (_Para(units[-1][0].text, units[-1][0].lines + p.lines), _field(p.text)[1])
            elif not _is_time(p.text):
                units.append((p, ""))
        for k, (p, deadline) in enumerate(units, start=1):
            if _states(p.text, ctx):
                continue
            number = item.number if len(units) == 1 else f"{item.number}.{k}"
            roles = _unit_roles(p.text, heading, ctx)
            deadline = deadline or _inline_time(p.text)
            _add(
                ctx,
                item,
                item,
                _title(p.text),
                roles,
                deadline,
                lines=list(p.lines),
                number=number,
                attrs=attrs,
            )
        return
    for unit in item.children:
        _emit_unit(unit, item, heading, ctx, attrs)


def _unit_text(unit: _Item) -> tuple[str, str, list[int]]:
    """An item's text without its deadline paragraphs, its deadline, and its lines (sub-items excluded)."""
    texts = [unit.head] + [p.text for p in unit.body if not _is_time(p.text)]
    deadline = next((_field(p.text)[1] for p in unit.body if _is_time(p.text)), "")
    text = clean(" ".join(t for t in texts if t))
    if not deadline:
        deadline = _inline_time(text)
    lines = sorted({n for p in unit.paras for n in p.lines})
    return text, deadline, lines


def _states(text: str, ctx: _Ctx) -> bool:
    """ "Doanh nghiệp công nghệ số là lực lượng tiên phong …": the text says what a body is, not what it
    does (its first verb is "là"); "… là cơ quan thường trực / đầu mối" gives it a role and is kept."""
    key = name_key(text)
    first = next(
        (m for m in _VERB.finditer(key) if not re.search(r"(?:các|những)\s*$", key[: m.start()])), None
    )
    return (
        first is not None
        and first.group() == "là"
        and "," not in key[: first.start()]
        and not re.match(r"là cơ quan (?:thường trực|đầu mối)", key[first.start() :])
    )


def _emit_unit(unit: _Item, heading_item: _Item, heading: _Heading, ctx: _Ctx, attrs) -> None:
    text, deadline, lines = _unit_text(unit)
    if _states(text, ctx) and not unit.children:
        return
    subs = [c for c in unit.children]
    opening = [(_subject(c.head, ctx), c) for c in subs]
    if subs and all(s is not None for s, _ in opening):
        # Split item: one task per sub-item that names its bodies.
        coordinate = bool(_OPEN_COORD_END.search(name_key(text.rstrip(" :."))))
        shared = deadline
        last = subs[-1]
        for subject, sub in opening:
            stext, sdeadline, slines = _unit_text(sub)
            if sub is last and sdeadline and not shared and any(_is_time(p.text) for p in sub.body):
                shared = sdeadline  # the deadline after the last sub-item belongs to them all
            phrase, found = subject
            if coordinate:
                own = _unit_roles(text, heading, ctx)
                roles = _Roles(
                    own.lead,
                    tuple(Assignment(a, Role.COORDINATING, phrase) for a in found),
                    own.lead_text,
                    phrase,
                )
            else:
                rest = stext[len(phrase) :]
                coord, ctexts = _partners(rest, ctx, exclude=[])
                roles = _Roles(
                    tuple(Assignment(a, Role.LEAD, phrase) for a in found),
                    tuple(coord),
                    phrase,
                    "; ".join(ctexts),
                )
            _add(
                ctx,
                sub,
                heading_item,
                _title(stext),
                roles,
                sdeadline,
                lines=slines,
                attrs=attrs,
            )
        # Sub-items without a deadline of their own take the shared one.
        n = len(opening)
        for k in range(len(ctx.out) - n, len(ctx.out)):
            t = ctx.out[k]
            if not t.deadline.text and shared:
                ctx.out[k] = _with_deadline(t, shared)
        return
    full = text
    if subs:  # the sub-items spell the item out ("… quyết định:" + "- Phương án …")
        full = clean(" ".join([text, *(c.head for c in subs)]))
        lines = unit.all_lines()
    roles = _unit_roles(full, heading, ctx)
    second = _chairs_after(full, roles, heading)
    if second is not None:
        # "Phối hợp với X …; chủ trì …": the item holds two tasks, the second led by the heading's body.
        cut, rest = second
        at = _line_of(rest, lines, ctx)
        first_lines = [n for n in lines if n < at] or lines[:1]
        _add(
            ctx,
            unit,
            heading_item,
            _title(full[:cut]),
            _unit_roles(full[:cut], heading, ctx),
            deadline,
            lines=first_lines,
            attrs=attrs,
        )
        own = _Roles(
            heading.agencies, tuple(_partners(rest, ctx, exclude=list(heading.agencies))[0]), heading.text
        )
        _add(
            ctx,
            unit,
            heading_item,
            _title(rest),
            own,
            deadline,
            lines=[n for n in lines if n >= at],
            attrs=attrs,
        )
        return
    _add(ctx, unit, heading_item, _title(text), roles, deadline, lines=lines, attrs=attrs)


def _chairs_after(text: str, roles: _Roles, heading: _Heading) -> tuple[int, str] | None:
    """Where an item led by another body goes on "; chủ trì …" (a task of the heading's own)."""
    if {a.agency.id for a in roles.lead} == {a.agency.id for a in heading.agencies}:
        return None
    m = re.search(r";\s*(?=chủ trì\b)", name_key(text))
    return (m.start(), clean(text[m.end() :])) if m else None


def _line_of(rest: str, lines: list[int], ctx: _Ctx) -> int:
    """The line on which the words *rest* begin."""
    probe = name_key(" ".join(rest.split()[:2]))
    for n in lines:
        raw = name_key(ctx.lines[n - 1]) if n - 1 < len(ctx.lines) else ""
        if probe and probe in raw:
            return n
    return lines[-1]


def _unit_roles(text: str, heading: _Heading, ctx: _Ctx) -> _Roles:
    """Roles of an item under an agency heading: the heading leads, unless the item opens
    "Phối hợp (với) X" with X naming bodies; a class of merely related units ("các đơn vị liên
    quan", "các cơ quan chức năng") never leads: beside X, or alone, it coordinates."""
    text = clean(text)
    opening = text
    if m := re.match(r"^(?:căn cứ|trên cơ sở)\b.*?,\s*(?=(?:chủ động\s+)?phối hợp\b)", name_key(text)):
        opening = text[m.end() :]  # "Căn cứ chức năng, nhiệm vụ …, phối hợp với X …"
    m = _OPENS_COORD.match(name_key(opening))
    if m:
        subject = _subject(opening[m.end() :], ctx)
        if subject:
            phrase, found = subject
            named = [a for a in found if not _vague(a)]
            if named:
                lead = tuple(Assignment(a, Role.LEAD, phrase) for a in named)
                coord = [Assignment(a.agency, Role.COORDINATING, a.text) for a in heading.agencies]
                coord += [Assignment(a, Role.COORDINATING, phrase) for a in found if _vague(a)]
                more, texts = _partners(opening[m.end() + len(phrase) :], ctx, exclude=[*lead, *coord])
                return _police(
                    _Roles(lead, (*coord, *more), phrase, "; ".join([heading.text, *texts])), heading, ctx
                )
    if (own := _own_subject(opening, heading, ctx)) is not None:
        return _police(own, heading, ctx)
    lead = heading.agencies
    coord, texts = _partners(text, ctx, exclude=list(lead))
    return _police(_Roles(lead, tuple(coord), heading.text, "; ".join(texts)), heading, ctx)


def _own_subject(text: str, heading: _Heading, ctx: _Ctx) -> _Roles | None:
    """An item whose sentence has a subject of its own, other bodies than the heading's ("18. Các
    doanh nghiệp công nghệ số" / "a) Doanh nghiệp viễn thông, bưu chính ưu tiên đầu tư …"): those lead."""
    subject = _subject(text, ctx)
    if subject is None:
        return None
    phrase, found = subject
    named = [a for a in found if not _vague(a)]
    rest = name_key(text[len(phrase) :]).lstrip(" ,")
    if not named or {a.id for a in named} & {a.agency.id for a in heading.agencies}:
        return None
    if not _has_verb(rest, ctx.gazetteer) or rest.startswith("được"):
        return None
    lead = tuple(Assignment(a, Role.LEAD, phrase) for a in named)
    coord, texts = _partners(text[len(phrase) :], ctx, exclude=list(lead))
    return _Roles(lead, tuple(coord), phrase, "; ".join(texts))


def _police(roles: _Roles, heading: _Heading, ctx: _Ctx) -> _Roles:
    """A bare "Công an" ("lực lượng Công an", "cơ quan Công an") is the police at the level of the
    body that speaks: the province's (or city's) under a provincial body; under the communes their
    own police, left as written."""
    if any(re.search(r"\b(?:xã|phường)\b", name_key(a.agency.name)) for a in heading.agencies):
        return roles
    police = _province_police(ctx)
    if police is None:
        return roles

    def fix(assignments: tuple[Assignment, ...]) -> tuple[Assignment, ...]:
        out: list[Assignment] = []
        for a in assignments:
            if name_key(a.agency.name) == "công an":
                a = Assignment(police, a.role, a.text)
            if all(b.agency.id != a.agency.id or b.role is not a.role for b in out):
                out.append(a)
        return tuple(out)

    return _Roles(fix(roles.lead), fix(roles.coordinating), roles.lead_text, roles.coordinating_text)


def _province_police(ctx: _Ctx) -> Agency | None:
    from kg.model.places import only_place

    place = only_place(ctx.jurisdiction) if ctx.jurisdiction else None
    if place is None:
        return None
    found = split_cell(f"Công an {place.kind}", ctx.gazetteer, ctx.jurisdiction, Role.LEAD)
    return found[0].agency if found and found[0].agency.recognised else None


def _vague(agency: Agency) -> bool:
    """A class of units named only by their relation to the task ("… liên quan", "… chức năng")."""
    key = name_key(agency.name)
    return agency.is_collective and bool(
        re.search(r"\b(?:liên quan|chức năng|chuyên môn)\b|^các lực lượng$", key)
    )


def _partners(text: str, ctx: _Ctx, *, exclude: list[Assignment]) -> tuple[list[Assignment], list[str]]:
    """The bodies named after "phối hợp (với)" in *text*."""
    text = clean(text)
    key = name_key(text)
    skip = {a.agency.id for a in exclude}
    out: list[Assignment] = []
    texts: list[str] = []
    for m in _COORD.finditer(key):
        if re.search(r"\btham mưu(?:\s+cho)?(?:\s+[^\s,;.]+){1,8}\s*$", key[: m.start()]):
            continue  # "tham mưu UBND tỉnh phối hợp Bộ Y tế …": the body advised coordinates, not this one
        subject = _subject(text[m.end() :], ctx)
        if not subject:
            continue
        phrase, found = subject
        for a in found:
            if re.fullmatch(r"các lực lượng", name_key(a.name)):
                continue  # "các lực lượng": forces, no body named ("các đơn vị", "các cơ quan" are a class of bodies)
            if a.id not in skip:
                skip.add(a.id)
                out.append(Assignment(a, Role.COORDINATING, phrase))
        texts.append(phrase)
    return out, texts


def _subject(text: str, ctx: _Ctx) -> tuple[str, tuple[Agency, ...]] | None:
    """The bodies *text* opens with, and the words that name them.

    The list ends at the first verb or stop outside a name ("Sở Tài chính và các đơn vị có liên
    quan tham mưu …"), and at "tại …" (a place, not a body: "các đơn vị có liên quan tại khu vực
    biên giới").
    """
    text = clean(text).lstrip(" ,:")
    if _VERB.match(name_key(text)):
        return (
            None  # "Phát triển các doanh nghiệp số …": a sentence that opens with its verb names no subject
        )
    phrase = text[: _subject_end(text, ctx)].strip(" ,;:")
    if not phrase:
        return None
    found = addressees(phrase, ctx.gazetteer, ctx.jurisdiction, whole=True) or addressees(
        text, ctx.gazetteer, ctx.jurisdiction
    )
    if not found and _names_body(phrase, ctx):
        # A name the gazetteer does not know, misspelt or new ("Sở Sây dựng"): read as a cell.
        found = tuple(a.agency for a in _cell(phrase, Role.LEAD, ctx))
    if not found:
        return None
    rest = text[len(phrase) :]
    gap = len(rest) - len(rest.lstrip())
    by_role = re.match(r"được\s+(?:giao|phân công)\s+chủ trì\b", name_key(rest))
    if by_role and all(a.is_collective for a in found):
        # "các Sở, ban, ngành được giao chủ trì": one class, the bodies the plan makes lead.
        phrase = clean(text[: len(phrase) + gap + by_role.end()])
        found = (ctx.gazetteer.unrecognised(phrase, ctx.jurisdiction, kind="collective"),)
    return phrase, found


# Words after a list of bodies that begin what they are asked to do, beyond the verbs loaders.body knows.
_MORE_VERBS = re.compile(
    r"\s(?:thường xuyên|kịp thời|tiến hành|xác định|điều tra|nhắc nhở|sử dụng|trao đổi|đẩy nhanh|cùng|trong|tại|ở)\s"
)
_LIST_NOUN = re.compile(r"(?:^|,\s*)(?:tổ chức|đơn vị|cơ quan|địa phương|doanh nghiệp)$")


# A text that opens with a list of kinds of body ("Doanh nghiệp, tổ chức, cơ sở giáo dục …").
_KINDS_FIRST = re.compile(r"^(?:doanh nghiệp|cơ quan|đơn vị|địa phương|tổ chức|cơ sở),\s")


def _subject_end(text: str, ctx: _Ctx) -> int:
    """Where the list of bodies opening *text* ends (:func:`loaders.body._subject_end`, and a verb
    that is a noun of the list — "các cơ quan, tổ chức có liên quan" — does not end it)."""
    spans = [(m.start, m.end) for m in ctx.gazetteer.find(text)]
    inside = lambda i: any(a <= i < b for a, b in spans)  # noqa: E731
    stops = [m.start() for m in re.finditer(r"[.;:()]", text) if not inside(m.start())]
    key = name_key(text)
    for m in _VERB.finditer(text):
        before = key[: m.start()].rstrip()
        if inside(m.start()) or re.search(r"(?:các|những)$", before):
            continue
        if (
            before.endswith(",")
            and _LIST_NOUN.search(key[: m.end()])
            and (re.search(r"\b(?:các|những)\b", before) or _KINDS_FIRST.match(key))
        ):
            continue  # "các cơ quan, tổ chức": "tổ chức" is a noun of the list
        stops.append(m.start())
        break
    more = _MORE_VERBS.search(key)
    if more and not inside(more.start()):
        stops.append(more.start())
    for m in ctx.gazetteer.find(text):
        # After a name the gazetteer knows, a lower-case word that does not go on with the list
        # begins what the body does ("Bộ Chỉ huy Quân sự tỉnh tuần tra …").
        after = text[m.end :]
        if m.entry.kind == "collective" and re.match(r" [a-z]+(?=[\s,.;]|$)", after):
            continue  # "các doanh nghiệp logistics": a foreign word qualifies the class (no verb is one)
        if re.match(r" [a-zà-ỹđ]", after) and not _GOES_ON.match(" " + name_key(after)):
            stops.append(m.end)
            break
    return min(stops, default=len(text))


_GOES_ON = re.compile(
    r" (?:và|hoặc|tỉnh|thành phố|trực thuộc|thuộc|(?:có )?liên quan|cấp|các|khu vực|trên|nhân dân|huyện|xã|phường"
    r"|quận|đặc khu|thị xã|tự chủ|công lập|ngoài công lập)\b"
)


# --- one-sentence tasks ---------------------------------------------------------------------


def _emit_sentences(item: _Item, parent: _Item | None, ctx: _Ctx) -> None:
    """Paragraphs after an item's head whose subject is a body that leads ("Đồng thời, giao … chủ trì …")."""
    for para in item.paras[1:] if item.node.level != _BULLET else []:
        one = _sentence(para.text, ctx, strict=True)
        if one is not None:
            text, roles, attrs = one
            _add(
                ctx,
                item,
                parent,
                _title(text),
                roles,
                _inline_time(text),
                lines=list(para.lines),
                attrs=attrs,
            )


def _emit_numbered(item: _Item, parent: _Item | None, ctx: _Ctx) -> bool:
    """A numbered item whose sentence names the bodies that carry it out is a task.

    The sentence is the item's own text, or its one paragraph under a title
    ("3. Xây dựng các văn bản …" + "Sở, ban, ngành … có trách nhiệm …").  Its body
    paragraphs that lead on their own ("Đồng thời, giao X chủ trì …") are tasks too.
    """
    one = _sentence(item.head, ctx, strict=False)
    own = [p for p in item.body if _sentence(p.text, ctx, strict=True) is None]
    lines = sorted({n for p in (item.paras[0], *own) for n in p.lines} | set(_child_lines(item)))
    if one is None and not item.children and len(item.body) == 1 and _is_title(item.head):
        # A title over one paragraph that names the bodies: the task is that paragraph.
        one = _sentence(item.body[0].text, ctx, strict=False)
        lines = list(item.body[0].lines)
    if one is None:
        return False
    text, roles, attrs = one
    whole = " ".join([text, *(p.text for p in own), *(c.head for c in item.children)])
    deadline = next((_field(p.text)[1] for p in item.body if _is_time(p.text)), "") or _inline_time(whole)
    _add(ctx, item, parent, _title(item.head), roles, deadline, lines=lines, attrs=attrs)
    _emit_sentences(item, parent, ctx)
    return True


def _is_title(text: str) -> bool:
    """A heading, not a sentence: it does not end with a stop."""
    return not clean(text).rstrip("*_ ").endswith((".", ";"))


def _child_lines(item: _Item) -> list[int]:
    return [n for c in item.children for n in c.all_lines()]


def _emit_unlabelled(item: _Item, parent: _Item, ctx: _Ctx) -> None:
    """A numbered item among labelled ones: a task, led by the subject of its text if it names one."""
    roles = _Roles((), (), "")
    for para in item.paras:
        one = _sentence(para.text, ctx, strict=False, collective=True)
        if one is not None:
            roles = one[1]
            break
    deadline = ""
    for para in item.body:
        m = re.match(r"^(?:thời gian|thời hạn)(?:\s+(?:thực hiện|hoàn thành))?\s*:?\s*", name_key(para.text))
        if m:
            deadline = clean(para.text)[m.end() :].rstrip(". ")
    if not deadline:  # no "Thời gian" line: a time stated in its text
        deadline = _inline_time(clean(" ".join(p.text for p in item.body)))
    _add(ctx, item, parent, _title(item.head), roles, deadline, lines=item.all_lines())


# Sentences that speak to every body alike: the duty to carry out "this plan", by those
# "assigned" elsewhere, or by everyone concerned ("… và các cơ quan, đơn vị có liên quan").
_GENERIC_DUTY = re.compile(
    r"^(?:chịu trách nhiệm|có trách nhiệm)?\s*(?:tổ chức\s+)?(?:triển khai|thực hiện)(?:,?\s+(?:thực hiện|triển khai))?"
    r"\s+(?:nghiêm túc\s+)?(?:kế hoạch|quyết định) này"
)
_ADVERBIAL = re.compile(r"^(?:căn cứ|trên cơ sở)\b[^,]{0,200},\s*", re.IGNORECASE)


def _sentence(
    text: str, ctx: _Ctx, *, strict: bool, collective: bool = False
) -> tuple[str, _Roles, tuple[tuple[str, str], ...]] | None:
    """The task one sentence states, if its subject is a body that carries it out.

    *strict*: only a body that "chủ trì" ("Giao Công an tỉnh chủ trì, …", "Sở Tài chính, trên cơ sở
    …, chủ trì …").  Otherwise a numbered item's sentence: one named body with its own duty ("Sở
    Khoa học và Công nghệ theo dõi, đôn đốc …"), or classes of bodies with a job of their own —
    not a duty every body has alike (implement "this plan", "được phân công chủ trì", everyone
    "có liên quan").  *collective*: classes are read whatever their duty.
    """
    text = clean(text)
    request = False
    if m := _REQUEST.match(text):
        request, text = True, text[m.end() :]
    text = text[_GIVE.match(text).end() :]
    if not strict and (m := _ADVERBIAL.match(text)):
        text = text[m.end() :]
    subject = _subject(text, ctx)
    if subject is None:
        return None
    phrase, found = subject
    rest = name_key(text[len(phrase) :]).lstrip(" ,")
    if not _has_verb(rest, ctx.gazetteer) and not re.match(r"chủ trì\b", rest):
        return None  # a name alone ("Doanh nghiệp số") is a heading, not a sentence
    if re.search(r"\bđược\b", name_key(phrase)) or rest.startswith("được"):
        return None  # "Các cơ quan được phân công chủ trì …": bodies named by reference, not assigned here
    sentence = re.split(r"[.;]", rest, maxsplit=1)[0]
    chairs = bool(re.search(r"(?:^|,\s*)chủ trì\b", sentence)) and not re.search(
        r"\bđược(?:\s+\w+){0,2}\s+chủ trì", sentence
    )
    if strict and not chairs:
        return None
    if not chairs and not collective and all(a.is_collective for a in found):
        if re.search(r"\bliên quan\b", name_key(phrase)) or _GENERIC_DUTY.match(rest):
            return None
    lead = tuple(Assignment(a, Role.LEAD, phrase) for a in found)
    coord, ctexts = _partners(text[len(phrase) :].split(";")[0], ctx, exclude=list(lead))
    attrs = (("request", "Đề nghị"),) if request else ()
    return text, _Roles(lead, tuple(coord), phrase, "; ".join(ctexts)), attrs


def _strip_give(text: str) -> str:
    text = clean(text)
    if m := _REQUEST.match(text):
        text = text[m.end() :]
    return text[_GIVE.match(text).end() :]


# --- records --------------------------------------------------------------------------------


def _inline_time(text: str) -> str:
    """A deadline stated inside an item's sentence, as printed ("" if none)."""
    key = name_key(text)
    done = key.find("hoàn thành")
    for pattern in (_INLINE_TIME, _DONE_BY, _PERIODIC, _WITHIN, _ON_ISSUE):
        if pattern is _DONE_BY and done < 0:
            continue  # a date is a deadline when the sentence says by when it is done
        m = pattern.search(key, max(done, 0) if pattern is _DONE_BY else 0)
        if m:
            v = "v" if m.group("v") or "y" not in m.groupdict() else "y"
            return clean(text[m.start(v) : m.end(v)]).rstrip(" .;,")
    return ""


def _title(text: str) -> str:
    return clean(text).rstrip(":").strip()


def _group(parent: _Item | None, ctx: _Ctx) -> TaskGroup | None:
    if parent is None:
        return None
    return TaskGroup(
        parent.number, _title(parent.head), ctx.document, parent.paras[0].lines[0] if parent.paras else None
    )


def _add(
    ctx: _Ctx,
    item: _Item,
    parent: _Item | None,
    title: str,
    roles: _Roles,
    deadline: str,
    *,
    lines: list[int],
    number: str | None = None,
    attrs: tuple[tuple[str, str], ...] = (),
) -> None:
    text = clean(deadline).rstrip(" .;")  # as printed, without the sentence's full stop
    number = number or item.number
    task = Task(
        id=number,
        document=ctx.document,
        group=_group(parent, ctx),
        number=number,
        title=title,
        assignments=(*roles.lead, *roles.coordinating),
        deadline=parse_deadline(text) if text else Deadline(""),
        source=Source(ctx.file, tuple(lines)),
        lead_text=roles.lead_text,
        coordinating_text=roles.coordinating_text,
        attributes=attrs,
    )
    ctx.out.append(task)
    for words in ctx.fragments:
        if ctx.warn is not None:
            message = f"task {number}: not an agency, dropped: {words!r}"
            ctx.warn(Issue(ctx.file, lines[0] if lines else None, "fragment", message))
    ctx.fragments.clear()


def _with_deadline(task: Task, text: str) -> Task:
    from dataclasses import replace

    # As printed, without the sentence's full stop (as _add keeps it).
    return replace(task, deadline=parse_deadline(clean(text).rstrip(" .;")))


def _unique(tasks: list[Task]) -> list[Task]:
    """Task ids unique per document: a second task of one item gets "#2"."""
    from dataclasses import replace

    seen: dict[str, int] = {}
    out: list[Task] = []
    for t in tasks:
        n = seen.get(t.id, 0) + 1
        seen[t.id] = n
        out.append(t if n == 1 else replace(t, id=f"{t.id}#{n}"))
    return out
