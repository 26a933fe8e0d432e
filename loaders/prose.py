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

The parts: :mod:`loaders.prose_items` (the items and their fields), :mod:`loaders.prose_subjects`
(who a sentence names), :mod:`loaders.prose_headings` (agency headings) and
:mod:`loaders.prose_records` (the task records); this module reads labelled items and sentences.

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

from kg.model import Assignment, Issue, Role, Task
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key
from loaders.agency_names import unknown_message
from loaders.body import _BULLET, _ROMAN, _has_verb, _paragraphs, _tree
from loaders.prose_headings import _emit_headed, _heading
from loaders.prose_items import _child_lines, _field, _is_time, _is_title, _Item, _item, _Para, _walk
from loaders.prose_records import _add, _cell, _Ctx, _inline_time, _Roles, _title, _unique
from loaders.prose_subjects import _GIVE, _REQUEST, _partners, _subject

__all__ = ["read_prose_tasks"]

# Sections that state aims, requirements, viewpoints or scope: no task is assigned there.
_NOT_TASKS = re.compile(
    r"^(?:mục đích|mục tiêu|quan điểm|căn cứ|sự cần thiết|thực trạng|đánh giá|đối tượng|phạm vi"
    r"|yêu cầu|bối cảnh|tình hình|định hướng)"
)


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
