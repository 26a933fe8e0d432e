"""Agency headings: a numbered heading that names bodies and is no sentence ("2.1. Sở Tài
chính", "Trách nhiệm của …", "Sở X có trách nhiệm:") leads every lettered item or bullet
under it, or each of its paragraphs (see the rules in :mod:`loaders.prose`).

An item that opens "Phối hợp (với) X …" is led by X, the heading's body coordinating; an
item that only says what the body is assigns nothing; a class of merely related units never
leads.

>>> from kg.model.gazetteer import Gazetteer
>>> from loaders.prose import read_prose_tasks
>>> lines = ["III. TỔ CHỨC THỰC HIỆN", "", "1. Sở Tài chính", "", "a) Bố trí kinh phí thực hiện."]
>>> [(t.id, [a.name for a in t.lead]) for t in read_prose_tasks(lines, file="x", document="d",
...     jurisdiction="Hà Nội", gazetteer=Gazetteer.default())]
[('III.1.a', ['Sở Tài chính'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import Agency, Assignment, Role
from kg.model.text import clean, name_key
from loaders.agencies import split_cell
from loaders.body import _BULLET, _ROMAN, _VERB, _has_verb, addressees
from loaders.prose_items import _field, _is_time, _is_title, _Item, _Para
from loaders.prose_records import _PARENS, _add, _cell, _Ctx, _inline_time, _Roles, _title, _with_deadline
from loaders.prose_subjects import _GIVE, _REQUEST, _names_body, _partners, _subject, _vague

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
# An item whose partners follow in its sub-items: "b) Chủ trì, phối hợp" (nothing after "phối hợp").
_OPEN_COORD_END = re.compile(r"\bphối hợp(?:\s+(?:với|cùng))?\s*:?$")
# "(gồm các Sở: Xây dựng, …)": a class heading followed by the bodies it is made of.
_MEMBERS = re.compile(r"\(\s*gồm\s+(?P<m>[^()]+)\)")


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
