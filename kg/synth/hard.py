"""Hard cases: what real plans print and a careful reader still reads right.

Cells with a shared head ("Sở Tài chính, Nội vụ"), classes whose names carry commas,
parenthetical notes, place-qualified bodies; headers with a wrapped issuer or number and an
upper-case title; plans in prose (labelled and agency-headed items) and plans with two
appendix tables.  The choices come from a random stream of their own (:class:`_Hard`), so a
plan written with ``hard=0`` keeps the bytes of the plain corpus.

>>> CELL_CASES
('shared-head', 'collective-commas', 'qualifier', 'place-qualified')
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from kg.model import Agency, Deadline, Role
from kg.model.gazetteer import Entry, Gazetteer
from kg.synth.bodies import _labels, _local_pool, _Pools, _variant, _zipf_pick
from kg.synth.records import PLACES, Place, SynthTask
from kg.synth.vocabulary import _ROMAN, _deadline, _last_day, _task_title

__all__ = ["CELL_CASES", "HARD_CASES"]


HARD_CASES = (
    "shared-head",  # "Sở Tài chính, Nội vụ, Xây dựng", "các Sở: Tài chính, Nội vụ": one body per name
    "collective-commas",  # "UBND các xã, phường, đặc khu", "Sở, ban, ngành, đoàn thể": one class
    "qualifier",  # "Sở X (chủ trì phần …)", "Bộ Công an (Cục …)": the parenthetical is no body
    "place-qualified",  # a national plan naming "Sở Tài chính tỉnh Bắc Ninh", "UBND thành phố A, B"
    "wrapped-issuer",  # "ỦY BAN NHÂN" / "DÂN" / "TỈNH X" on separate lines
    "wrapped-number",  # "Số:" with the number on the next line
    "upper-title",  # an upper-case title that alone carries the chain ("THỰC HIỆN NGHỊ QUYẾT SỐ …")
    "prose",  # no table: labelled items and agency-headed items in the text
    "several-tables",  # Phụ lục I and Phụ lục II, each numbered from 1
)
CELL_CASES = HARD_CASES[:4]

# Fields that are head words of bodies themselves ("Công an tỉnh"): written first in a shared-head
# list, since the reader takes them, after the first, for a body of their own (a gap it has).
_FIELD_HEADS = frozenset({"bo-cong-an"})
_EVERYONE = (
    "Các cơ quan, đơn vị căn cứ chức năng được giao chủ động xây dựng kế hoạch của đơn vị; "
    "định kỳ báo cáo kết quả thực hiện./."
)
# Classes whose names carry commas, with the gazetteer entry each one is (None: a class the
# gazetteer does not list, kept as written).
_LOCAL_CLASSES = (
    ("UBND các xã, phường, đặc khu", "ubnd-cac-phuong-xa"),
    ("Ủy ban nhân dân xã, phường, đặc khu", "ubnd-cac-phuong-xa"),
    ("cơ quan, địa phương liên quan", "cac-co-quan-dia-phuong-lien-quan"),
    ("Các cơ quan, địa phương có liên quan", "cac-co-quan-dia-phuong-lien-quan"),
    ("Sở, ban, ngành, đoàn thể", "cac-so-ban-nganh"),
    ("Các sở, ban, ngành, đoàn thể", "cac-so-ban-nganh"),
    ("Các cơ quan, đơn vị, địa phương có liên quan", None),
    ("Các sở, ngành, đoàn thể, doanh nghiệp", None),
)
_NATIONAL_CLASSES = (
    ("Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "cac-bo-co-quan-ngang-bo-co-quan-thuoc-chinh-phu"),
    ("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "cac-bo-co-quan-ngang-bo-co-quan-thuoc-chinh-phu"),
    ("cơ quan, địa phương liên quan", "cac-co-quan-dia-phuong-lien-quan"),
    ("UBND các tỉnh, thành phố trực thuộc trung ương", "ubnd-cac-tinh-thanh-pho"),
    ("Các tập đoàn, tổng công ty nhà nước", None),
    ("Các cơ quan, tổ chức, doanh nghiệp có liên quan", None),
)
# Parentheticals that say which part of the work a body takes: notes, never bodies.
_LEAD_NOTES = (
    "(chủ trì phần kinh phí)",
    "(chủ trì phần đầu tư, xây dựng, vận hành tại địa phương)",
    "(chủ trì về chuyên môn)",
    "(theo chức năng, nhiệm vụ được giao)",
)
_PARTNER_NOTES = ("(theo chức năng, nhiệm vụ)", "(phần nội dung liên quan)", "(đối với lĩnh vực được giao)")
# A unit named inside its ministry: the ministry is the agency.
_UNITS = {
    "bo-cong-an": (
        "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "Trung tâm Dữ liệu quốc gia về dân cư",
        "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",
    ),
    "bo-khoa-hoc-va-cong-nghe": ("Cục Chuyển đổi số quốc gia", "Cục Đổi mới sáng tạo"),
    "bo-tai-chinh": ("Cục Thống kê", "Vụ Ngân sách nhà nước"),
    "bo-noi-vu": ("Vụ Tổ chức - Biên chế",),
    "bo-y-te": ("Cục Quản lý Khám, chữa bệnh",),
}


@dataclass(frozen=True, slots=True)
class _Cells:
    """What writing a cell needs: the pools, the gazetteer and the plan's place."""

    pools: _Pools
    g: Gazetteer
    place: Place | None  # None: a national plan
    jurisdiction: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class _HardCell:
    """A cell (or the first part of one) written the hard way, and what it states."""

    kind: str
    text: str
    agencies: tuple[Agency, ...]
    lead: bool  # it is the whole lead cell; else the first part of the coordinating cell
    unrecognised: tuple[str, ...] = ()


class _Hard:
    """The hard-case choices of one plan, from a random stream of their own.

    The plain stream is never drawn from here, and nothing is drawn when *share* is 0, so
    the plain corpus keeps its bytes.
    """

    def __init__(self, rng: random.Random, share: float) -> None:
        self.rng = rng
        self.share = share

    def chance(self, p: float) -> bool:
        return self.share > 0 and self.rng.random() < p

    def form(self) -> str:
        """ "table", "tables" (two appendices) or "prose"."""
        if self.share <= 0:
            return "table"
        r = self.rng.random()
        return "prose" if r < self.share / 2 else "tables" if r < self.share else "table"

    def document_cases(self, blank_number: bool) -> tuple[str, ...]:
        out = [c for c in ("wrapped-issuer", "wrapped-number", "upper-title") if self.chance(self.share)]
        return tuple(c for c in out if not (blank_number and c == "wrapped-number"))

    def cell(self, ctx: _Cells, lead, coordinating) -> _HardCell | None:
        """A hard cell for a row (or None), whose bodies the row does not name already."""
        if not self.chance(self.share):
            return None
        taken = {a.id for a, _ in lead} | {a.id for a in coordinating}
        for _ in range(10):
            kinds = [k for k in CELL_CASES if k != "place-qualified" or ctx.place is None]
            kind = self.rng.choice(kinds)
            as_lead = self.rng.random() < 0.5
            case = _HARD_WRITERS[kind](self.rng, ctx, as_lead)
            if case is None:
                continue
            ids = [a.id for a in case.agencies]
            own = {a.id for a, _ in lead} if as_lead else set()
            if kind == "collective-commas" and not as_lead and any(a.is_collective for a in coordinating):
                continue  # two classes side by side may be read as one longer class: fair either way
            if len(set(ids)) == len(ids) and not set(ids) & (taken - own):
                return case
        return None


def _known(rng: random.Random, ctx: _Cells, pred: Callable[[Entry], bool] = lambda e: True) -> Entry:
    """A known body of the plan's pool (heavy ones likelier), no class."""
    pool = [e for e in _local_pool(ctx.pools, ctx.place, ctx.kind) if e.kind != "collective" and pred(e)]
    return _zipf_pick(rng, pool)


def _shared_heads(ctx: _Cells) -> tuple[str, tuple[Entry, ...]]:
    """The head word a plan's bodies share ("Sở", "Bộ") and the bodies named "<head> <field>"."""
    if ctx.place is None:
        head, pool = "Bộ", ctx.pools.ministries
    else:
        form = "city" if ctx.place.city else "province"
        head = "Sở"
        pool = tuple(
            e for e in ctx.pools.local if e.kind == "department" and ctx.pools.forms[e.key] in {"any", form}
        )
    # A field may hold a comma ("Sở Tài chính, Văn hóa, Thể thao và Du lịch" is two Sở): a
    # careful reader knows the body's name, and no field's parts name bodies of their own.
    return head, tuple(e for e in pool if e.name.startswith(f"{head} "))


def _write_shared_head(rng: random.Random, ctx: _Cells, as_lead: bool) -> _HardCell | None:
    head, pool = _shared_heads(ctx)
    n = rng.choice((2, 2, 3))
    if len(pool) < n:
        return None
    entries = rng.sample(pool[:14], n)
    # "Bộ Y tế, Công an" is read as a body "Công an" (tests/test_synth_hard.py, READER_GAPS): such a field goes first.
    entries.sort(key=lambda e: e.key not in _FIELD_HEADS)
    fields = [e.name.removeprefix(f"{head} ") for e in entries]
    if rng.random() < 0.6:
        text = f"{head} {', '.join(fields)}"
    else:
        text = f"{'Các' if as_lead or rng.random() < 0.5 else 'các'} {head}: {', '.join(fields)}"
    agencies = tuple(ctx.g.resolve(e, ctx.jurisdiction) for e in entries)
    return _HardCell("shared-head", text, agencies, as_lead)


def _write_class(rng: random.Random, ctx: _Cells, as_lead: bool) -> _HardCell | None:
    phrase, key = rng.choice(_NATIONAL_CLASSES if ctx.place is None else _LOCAL_CLASSES)
    if key is None:
        if ctx.g.lookup(phrase) is not None:
            return None  # the gazetteer has learnt it: no longer a class it lacks
        agency = ctx.g.unrecognised(phrase, ctx.jurisdiction, kind="collective")
        return _HardCell("collective-commas", phrase, (agency,), as_lead, (phrase,))
    if as_lead:
        phrase = phrase[:1].upper() + phrase[1:]
    return _HardCell("collective-commas", phrase, (ctx.g.resolve(ctx.g.get(key), ctx.jurisdiction),), as_lead)


def _write_qualifier(rng: random.Random, ctx: _Cells, as_lead: bool) -> _HardCell | None:
    if ctx.place is None and rng.random() < 0.6:
        key = rng.choice(sorted(_UNITS))
        entry = ctx.g.get(key)
        if entry is None:
            return None
        text = f"{entry.name} ({rng.choice(_UNITS[key])})"
    else:
        entry = _known(rng, ctx, lambda e: e.kind not in {"party_body"})
        notes = _LEAD_NOTES if as_lead else _PARTNER_NOTES
        text = f"{entry.name} {rng.choice(notes)}"
    return _HardCell("qualifier", text, (ctx.g.resolve(entry, ctx.jurisdiction),), as_lead)


def _write_place_qualified(rng: random.Random, ctx: _Cells, as_lead: bool) -> _HardCell | None:
    if ctx.place is not None:
        return None
    g = ctx.g
    if rng.random() < 0.5:
        city = rng.random() < 0.5
        places = [p for p in PLACES if p.city == city]
        a, b = rng.sample(places, 2)
        entry = g.get("ubnd-thanh-pho" if city else "ubnd-tinh")
        head = rng.choice(("UBND", "Ủy ban nhân dân"))
        second = b.name if b.name.startswith("Thành phố") or rng.random() < 0.5 else b.qualifier
        text = f"{head} {a.qualifier}, {second}"
        agencies = (g.resolve(entry, a.name), g.resolve(entry, b.name))
        return _HardCell("place-qualified", text, agencies, as_lead)
    place = _zipf_pick(rng, list(PLACES), s=0.6)
    form = "city" if place.city else "province"
    pool = [
        e
        for e in ctx.pools.local[:30]
        if e.kind == "department" and e.name.startswith("Sở ") and ctx.pools.forms[e.key] in {"any", form}
    ]
    entry = rng.choice(pool)
    return _HardCell(
        "place-qualified", f"{entry.name} {place.qualifier}", (g.resolve(entry, place.name),), as_lead
    )


_HARD_WRITERS: dict[str, Callable[[random.Random, _Cells, bool], _HardCell | None]] = {
    "shared-head": _write_shared_head,
    "collective-commas": _write_class,
    "qualifier": _write_qualifier,
    "place-qualified": _write_place_qualified,
}


def _wrap_header(header: list[str]) -> list[str]:
    """The issuer's block as a narrow column prints it: its first line broken in two.

    >>> _wrap_header(["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH"])
    ['ỦY BAN NHÂN', 'DÂN', 'TỈNH BẮC NINH']
    >>> _wrap_header(["BỘ KHOA HỌC VÀ CÔNG NGHỆ"])
    ['BỘ KHOA HỌC', 'VÀ CÔNG NGHỆ']
    """
    first, *rest = header
    words = first.split(" ")
    if len(words) < 3:
        return header
    cut = len(words) - 1 if len(words) <= 4 else len(words) // 2
    return [" ".join(words[:cut]), " ".join(words[cut:]), *rest]


def _label_appendices(first: tuple[SynthTask, ...], second: tuple[SynthTask, ...]) -> tuple[SynthTask, ...]:
    """The tasks of Phụ lục I and II: when their ids meet, each id carries its appendix ("PL II.3").

    This is the reader's public convention (README, "How a plan is read"; loaders/appendix.py).

    >>> one = SynthTask("1", "1", None, None, "A", (), (), Deadline(""), (9,))
    >>> [t.id for t in _label_appendices((one,), (one,))]
    ['PL I.1', 'PL II.1']
    >>> [t.id for t in _label_appendices((one,), (replace(one, id="I.1"),))]
    ['1', 'I.1']
    """
    if not {t.id for t in first} & {t.id for t in second}:
        return (*first, *second)
    return (
        *(replace(t, id=f"PL I.{t.id}") for t in first),
        *(replace(t, id=f"PL II.{t.id}") for t in second),
    )


_LABELS = {
    "lead": ("Cơ quan chủ trì", "Đơn vị chủ trì"),
    "coordinating": ("Cơ quan phối hợp", "Đơn vị phối hợp"),
    "deadline": ("Thời gian thực hiện", "Thời hạn hoàn thành"),
}
_LETTERS = "abcd"


def _prose(hd: _Hard, lines: list[str], ctx: _Cells, year: int) -> tuple[SynthTask, ...]:
    """Append sections II (labelled items) and III (items under agency headings); their tasks.

    Section II: "1. <title>" / "- Cơ quan chủ trì: …" / "- Cơ quan phối hợp: …" /
    "- Thời gian thực hiện: …", one task each (id "II.1", its lines those of the item and
    its labels).  Section III: "1. Sở Tài chính" heads lettered items, each a task of that
    body (id "III.1.a"); "Phối hợp với X …" is led by X with the heading's body
    coordinating, "Chủ trì, phối hợp với Y …" makes Y a partner.
    """
    rng = hd.rng
    tasks: list[SynthTask] = []
    for n in range(1, rng.randint(3, 8) + 1):
        tasks.append(_labelled_item(hd, lines, ctx, year, n))
    lines += ["### III. TỔ CHỨC THỰC HIỆN", "", _EVERYONE, ""]
    head_pool = [
        e
        for e in _local_pool(ctx.pools, ctx.place, ctx.kind)[:40]
        if e.kind in {"department", "ministry"} and e.scope == ("national" if ctx.place is None else "local")
    ]
    for k, entry in enumerate(rng.sample(head_pool, rng.randint(2, 4)), start=1):
        body = ctx.g.resolve(entry, ctx.jurisdiction)
        lines += [f"{k}. {entry.name}", ""]
        others = [e for e in head_pool if e is not entry]
        for letter in _LETTERS[: rng.randint(1, 3)]:
            tasks.append(_headed_item(rng, lines, ctx, year, f"III.{k}", entry, body, others, letter))
    return tuple(tasks)


def _labelled_item(hd: _Hard, lines: list[str], ctx: _Cells, year: int, n: int) -> SynthTask:
    rng = hd.rng
    title = _task_title(rng)
    at = [len(lines) + 1]
    lines += [f"{n}. {title}", ""]
    used: set[str] = set()
    entry = _known(rng, ctx)
    lead = [ctx.g.resolve(entry, ctx.jurisdiction)]
    lead_text = _plainly(rng, entry, ctx)
    used.add(lead[0].id)
    coord_parts: list[str] = []
    coordinating: list[Agency] = []
    for _ in range(rng.choice((0, 1, 2, 2, 3))):
        e = _known(rng, ctx)
        a = ctx.g.resolve(e, ctx.jurisdiction)
        if a.id not in used:
            used.add(a.id)
            coord_parts.append(_plainly(rng, e, ctx))
            coordinating.append(a)
    cases: tuple[str, ...] = ()
    unrecognised: tuple[str, ...] = ()
    cell = ""
    if (case := hd.cell(ctx, [(a, Role.LEAD) for a in lead], coordinating)) is not None:
        cases, unrecognised = (case.kind,), case.unrecognised
        cell = "lead" if case.lead else "coordinating"
        if case.lead:
            lead_text, lead = case.text, list(case.agencies)
        elif case.kind == "collective-commas":
            coord_parts, coordinating = [*coord_parts, case.text], [*coordinating, *case.agencies]
        else:
            coord_parts, coordinating = [case.text, *coord_parts], [*case.agencies, *coordinating]
    fields = [("lead", lead_text)]
    fields += [("coordinating", ", ".join(coord_parts))] if coord_parts else []
    deadline = _deadline(rng, year)
    fields += [("deadline", deadline.text)] if deadline.text else []
    for field_name, text in fields:
        at.append(len(lines) + 1)
        lines += [f"- {rng.choice(_LABELS[field_name])}: {text}.", ""]
    return SynthTask(
        id=f"II.{n}",
        number=f"II.{n}",
        group="II",
        group_title="NHIỆM VỤ CHỦ YẾU",
        title=title,
        lead=tuple((a, Role.LEAD) for a in lead),
        coordinating=tuple(coordinating),
        deadline=deadline,
        lines=tuple(at),
        unrecognised=unrecognised,
        hard=(*cases, "prose"),
        hard_cell=cell,
    )


def _plainly(rng: random.Random, entry: Entry, ctx: _Cells) -> str:
    """A body's name or alias, maybe typed another way, not place-qualified."""
    label = (
        entry.name
        if rng.random() < 0.7
        else rng.choice(_labels(entry, ctx.place.city if ctx.place else None))
    )
    return _variant(rng, label)


def _headed_item(rng, lines, ctx, year, group, entry, body, others, letter) -> SynthTask:
    """One lettered item under an agency heading."""
    work = _task_title(rng)
    work = work[:1].lower() + work[1:]
    partners = rng.sample(others, rng.choice((1, 1, 2)))
    named = ", ".join(e.name for e in partners)
    agencies = tuple(ctx.g.resolve(e, ctx.jurisdiction) for e in partners)
    r = rng.random()
    if r < 0.4:
        text, lead, coordinating = work[:1].upper() + work[1:], (body,), ()
    elif r < 0.7:
        text, lead, coordinating = f"Chủ trì, phối hợp với {named} {work}", (body,), agencies
    else:
        text, lead, coordinating = f"Phối hợp với {named} {work}", agencies, (body,)
    deadline = Deadline("")
    if rng.random() < 0.5:
        y = year + rng.choice((0, 1, 2))
        # Not "Quý III/…" nor "năm …": the reader cuts them short (tests/test_synth_hard.py, READER_GAPS).
        if rng.random() < 0.5:
            q = rng.choice((1, 2, 4))
            when = Deadline(f"Quý {_ROMAN[q - 1]}/{y}", date(y, 3 * q - 2, 1), _last_day(y, 3 * q))
        else:
            m = rng.randint(1, 12)
            when = Deadline(f"tháng {m}/{y}", date(y, m, 1), _last_day(y, m))
        deadline = Deadline(f"hoàn thành trong {when.text}", when.start, when.end)
        text = f"{text}; {deadline.text}"
    title = f"{text}."
    lines += [f"{letter}) {title}", ""]
    return SynthTask(
        id=f"{group}.{letter}",
        number=f"{group}.{letter}",
        group=group,
        group_title=entry.name,
        title=title,
        lead=tuple((a, Role.LEAD) for a in lead),
        coordinating=coordinating,
        deadline=deadline,
        lines=(len(lines) - 1,),
        hard=("prose",),
    )
