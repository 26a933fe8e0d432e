"""What reading a plan's text gives: the context of one reading, the roles found for an item,
the bodies a field lists, a deadline written inside the text, and the :class:`kg.model.Task`
records made of them (id from the item's number path, group from its section, one task per
id).

>>> _inline_time("Tổng hợp, báo cáo kết quả. Thời gian hoàn thành: Trước ngày 31/5/2026.")
'Trước ngày 31/5/2026'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kg.model import Assignment, Deadline, Issue, Role, Source, Task, TaskGroup
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key
from loaders.agencies import split_cell
from loaders.deadlines import parse_deadline
from loaders.prose_items import _Item

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
_PARENS = re.compile(r"\s*\([^()]*\)")
# "… theo chức năng, nhiệm vụ được giao", "… trong phạm vi chức năng của mình": a qualifier, not a body.
_QUALIFIER = re.compile(
    r"\s+(?:theo|trong phạm vi|thuộc phạm vi|trong|theo phạm vi)\s+(?:chức năng|phạm vi|thẩm quyền|lĩnh vực)"
    r".*?(?=\s+và\s+(?:các\s+)?\w|[;.]|$)",
    re.IGNORECASE,
)


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


def _cell(value: str, role: Role, ctx: _Ctx, *, report: bool = False) -> list[Assignment]:
    """The bodies a field value lists (qualifiers such as "theo chức năng, nhiệm vụ" dropped).

    *report*: the value is a labelled field ("Cơ quan chủ trì: …"), so text in it that names no
    body is kept to be reported as a "fragment" warning on the task it gives (see :func:`_add`).
    """
    # A parenthesis after a name qualifies it ("Trung tâm Dịch vụ việc làm (Sở Nội vụ)"): not a body.
    value = _PARENS.sub("", _QUALIFIER.sub("", clean(value))).strip(" .;")
    fragment = ctx.fragments.append if report else None
    return split_cell(value, ctx.gazetteer, ctx.jurisdiction, role, fragment=fragment)


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
    """Task ids unique per document: a second task of one item gets "#2". So do group ids: a plan that
    numbers two sections alike ("IV. PHÂN CÔNG …", then "IV. TỔ CHỨC THỰC HIỆN") has two groups, the
    second "IV.1#2" where it repeats "IV.1", not one group with two titles."""
    from dataclasses import replace

    seen: dict[str, int] = {}
    groups: dict[tuple[str, int | None, str], TaskGroup] = {}  # each heading as printed -> its group
    taken: dict[str, int] = {}  # a group id -> how many headings carry it
    out: list[Task] = []
    for t in tasks:
        group = t.group
        if group is not None:
            key = (group.id, group.line, group.title)
            if key not in groups:
                k = taken[group.id] = taken.get(group.id, 0) + 1
                groups[key] = group if k == 1 else replace(group, id=f"{group.id}#{k}")
            group = groups[key]
        n = seen.get(t.id, 0) + 1
        seen[t.id] = n
        t = t if group is t.group else replace(t, group=group)
        out.append(t if n == 1 else replace(t, id=f"{t.id}#{n}"))
    return out
