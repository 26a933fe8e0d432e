"""The writer of one plan: its issuer and place, the chain of documents it carries out, its
header, opening, sections and signature, and its appendix task table.

The chain links point at documents of the same corpus where they exist: the Central and
Government resolutions of the seed (:func:`_central`), and the plans generated before.

>>> tw, cp = _central(0)
>>> cp[0].chain == (tw[0],) and cp[0].mention.endswith("của Chính phủ")
True
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from kg.model import Role
from kg.model.gazetteer import Gazetteer
from kg.model.text import slug
from kg.synth.bodies import (
    _collective_pool,
    _coord_cell,
    _lead_cell,
    _local_pool,
    _pools,
    _unknown_names,
    _zipf_pick,
)
from kg.synth.hard import _EVERYONE, _Cells, _Hard, _label_appendices, _prose, _wrap_header
from kg.synth.records import PLACES, SynthDocument, SynthPlan, SynthTask
from kg.synth.vocabulary import (
    _GROUP_TITLES,
    _HEADERS,
    _PRODUCTS,
    _RESOLUTION_TOPICS,
    _ROMAN,
    _deadline,
    _person,
    _task_title,
)

# ---------------------------------------------------------------------------
# The documents of the corpus and their chains.


@dataclass(frozen=True, slots=True)
class _Ref:
    """A document a title can name: its mention text, id and own chain."""

    mention: str  # "Chương trình hành động số 12-CTr/TU ngày 08/3/2024 của Tỉnh ủy"
    id: str
    date: date
    chain: tuple[_Ref, ...] = ()  # what it implements, upwards
    topic: str = ""
    province: str | None = None


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month}/{d.year}"


@cache
def _central(seed: int) -> tuple[tuple[_Ref, ...], tuple[_Ref, ...]]:
    """The Central resolutions (…-NQ/TW) and the Government's resolutions (…/NQ-CP) implementing them."""
    rng = random.Random(f"kg-synth:{seed}:central")
    tw, cp = [], []
    numbers = rng.sample(range(10, 99), len(_RESOLUTION_TOPICS))
    cp_numbers = rng.sample(range(1, 240), len(_RESOLUTION_TOPICS))
    for n, m, topic in zip(numbers, cp_numbers, _RESOLUTION_TOPICS, strict=True):
        when = date(2019, 1, 1) + timedelta(days=rng.randint(0, 5 * 365))
        if rng.random() < 0.5:
            issuer, key, term = "Bộ Chính trị", "bo-chinh-tri", ""
        else:
            issuer, key, term = "Ban Chấp hành Trung ương Đảng", "ban-chap-hanh-trung-uong-dang", " khóa XIII"
        ref = _Ref(
            f"Nghị quyết số {n}-NQ/TW ngày {_dmy(when)} của {issuer}{term}",
            f"{key}/{n}-nq-tw-{when.year}",
            when,
            topic=topic,
        )
        tw.append(ref)
        cp_when = when + timedelta(days=rng.randint(30, 200))
        cp.append(
            _Ref(
                f"Nghị quyết số {m}/NQ-CP ngày {_dmy(cp_when)} của Chính phủ",
                f"chinh-phu/{m}-nq-cp-{cp_when.year}",
                cp_when,
                chain=(ref,),
                topic=topic,
            )
        )
    return tuple(tw), tuple(cp)


def _title(parent: _Ref) -> str:
    parts, ref = [parent.mention], parent
    while ref.chain:
        ref = ref.chain[0]
        parts.append(ref.mention)
    return "Thực hiện " + " về thực hiện ".join(parts) + f" về {parent.topic}"


def _chain_ids(parent: _Ref) -> tuple[str, ...]:
    out, ref = [parent.id], parent
    while ref.chain:
        ref = ref.chain[0]
        out.append(ref.id)
    return tuple(out)


def _ministry_code(name: str) -> str:
    words = [w for w in re.split(r"[\s,-]+", name) if w and w not in {"và"}]
    return "".join(w[0].upper() for w in words).replace("Đ", "Đ")


@dataclass
class _Corpus:
    """What later plans may implement: light metadata of the plans generated so far."""

    party: dict[str, list[_Ref]]
    ubnd: dict[str, list[_Ref]]


def _issuer_kind(rng: random.Random) -> str:
    return rng.choices(("ubnd", "party", "ministry"), weights=(65, 15, 20), k=1)[0]


def _plan(i: int, seed: int, corpus: _Corpus, hard: float) -> SynthPlan:
    rng = random.Random(f"kg-synth:{seed}:{i}")
    pools = _pools()
    g = Gazetteer.default()
    tw, cp = _central(seed)
    kind = _issuer_kind(rng)
    place = _zipf_pick(rng, list(PLACES), s=0.6)
    number_n = i + 1
    blank_number = False
    if kind == "ministry":
        ministry = rng.choice(pools.ministries)
        parent = rng.choice(cp)
        when = parent.date + timedelta(days=rng.randint(20, 400))
        issuer = g.resolve(ministry, None)
        issuer_text = ministry.name
        number = f"{number_n}/KH-{_ministry_code(ministry.name)}"
        doc_type, jurisdiction, printed_place = "Kế hoạch", None, "Hà Nội"
        header = [ministry.name.upper()]
        sign = ("TM. BỘ TRƯỞNG" if rng.random() < 0.3 else "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")
    elif kind == "party":
        entry = g.get("thanh-uy" if place.city else "tinh-uy")
        parent = rng.choice(tw)
        when = parent.date + timedelta(days=rng.randint(20, 500))
        issuer = g.resolve(entry, place.name)
        # "Ban Chấp hành Đảng bộ tỉnh X" (an alias of Tỉnh ủy) rather than "Tỉnh ủy X": see bench/README.md,
        # the reader takes "ủy X" for the province in "Tỉnh ủy X".
        if place.city:
            issuer_text = entry.name if place.name.startswith("Thành phố") else f"{entry.name} {place.name}"
        else:
            issuer_text = f"Ban Chấp hành Đảng bộ tỉnh {place.name}"
        number = f"{number_n}-CTr/TU"
        doc_type, jurisdiction, printed_place = "Chương trình hành động", place.name, place.name
        header = [
            f"ĐẢNG BỘ {'THÀNH PHỐ' if place.city else 'TỈNH'} {place.name.removeprefix('Thành phố ').upper()}"
        ]
        sign = ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")
    else:
        entry = g.get("ubnd-thanh-pho" if place.city else "ubnd-tinh")
        candidates = corpus.ubnd.get(place.name, []) + corpus.party.get(place.name, [])
        r = rng.random()
        if candidates and r < 0.7:
            parent = rng.choice(candidates[-20:])
        elif r < 0.85:
            parent = rng.choice(cp)
        else:  # a Party programme outside the corpus
            tparent = rng.choice(tw)
            pdate = tparent.date + timedelta(days=rng.randint(20, 300))
            pnum = rng.randint(1, 60)
            pentry = g.get("thanh-uy" if place.city else "tinh-uy")
            parent = _Ref(
                f"Chương trình hành động số {pnum}-CTr/TU ngày {_dmy(pdate)} của {pentry.name}",
                f"{g.resolve(pentry, place.name).id}/{pnum}-ctr-tu-{pdate.year}",
                pdate,
                chain=(tparent,),
                topic=tparent.topic,
            )
        when = parent.date + timedelta(days=rng.randint(15, 300))
        issuer = g.resolve(entry, place.name)
        if place.name.startswith("Thành phố"):
            issuer_text = "Ủy ban nhân dân Thành phố"
        else:
            issuer_text = f"Ủy ban nhân dân {'thành phố' if place.city else 'tỉnh'} {place.name}"
        number = f"{number_n}/KH-UBND"
        doc_type, jurisdiction, printed_place = "Kế hoạch", place.name, place.name
        header = ["ỦY BAN NHÂN DÂN", f"{'THÀNH PHỐ' if place.city else 'TỈNH'} {place.name.upper()}"]
        if place.name.startswith("Thành phố"):
            header[1] = place.name.upper()
        sign = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
        blank_number = rng.random() < 0.03
    if when > date(2026, 12, 31):
        when = date(2026, 12, 31) - timedelta(days=rng.randint(0, 200))
    title = _title(parent)
    stem = f"{i + 1:05d}-{slug(printed_place if jurisdiction else issuer.name)}-{slug(number)}"
    file = f"{stem}.txt"
    if blank_number:
        doc_id = f"{issuer.id}/{slug(doc_type)}-{when.year}-{stem}"
    else:
        doc_id = f"{issuer.id}/{slug(number)}-{when.year}"
    own = _Ref(
        f"{doc_type} số {number} ngày {_dmy(when)} của "
        + ("Ủy ban nhân dân tỉnh" if kind == "ubnd" and not place.city else "")
        + ("UBND Thành phố" if kind == "ubnd" and place.city else "")
        + (("Thành ủy" if place.city else "Tỉnh ủy") if kind == "party" else ""),
        doc_id,
        when,
        chain=(parent,),
        topic=parent.topic,
    )
    if kind == "party":
        corpus.party.setdefault(place.name, []).append(own)
    elif kind == "ubnd" and not blank_number and len(_chain_ids(own)) < 5:
        corpus.ubnd.setdefault(place.name, []).append(own)

    hd = _Hard(random.Random(f"kg-synth:{seed}:{i}:hard"), hard)
    form = hd.form()
    cases = hd.document_cases(blank_number)
    printed_title = title.upper() if "upper-title" in cases else title
    document = SynthDocument(
        id=doc_id,
        type=doc_type,
        number=None if blank_number else number,
        date=None if blank_number else when,
        year=when.year,
        place=printed_place,
        issuer=issuer,
        title=printed_title,
        chain=_chain_ids(parent),
    )
    if "wrapped-issuer" in cases:
        header = _wrap_header(header)
    lines: list[str] = []
    lines += [*header, "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    if blank_number:
        lines += [f"Số: /{number.split('/', 1)[1]}", "", f"{printed_place}, ngày tháng năm {when.year}", ""]
    else:
        lines += ["Số:", number] if "wrapped-number" in cases else [f"Số: {number}"]
        lines += ["", f"{printed_place}, ngày {when.day:02d} tháng {when.month} năm {when.year}", ""]
    lines += [f"## {doc_type.upper()}", "", f"**{printed_title}**", ""]
    if "upper-title" in cases:
        # The chain is only in the upper-case title: the opening sentence does not repeat it.
        opening = (
            f"Để triển khai có hiệu quả các nhiệm vụ, {issuer_text} ban hành {doc_type} thực hiện như sau:"
        )
    else:
        opening = (
            f"{title} (sau đây gọi là {parent.mention.split(' ngày ')[0]}), {issuer_text} ban hành "
            f"{doc_type} thực hiện như sau:"
        )
    lines += [
        opening,
        "",
        "### I. MỤC ĐÍCH, YÊU CẦU",
        "",
        "#### 1. Mục đích",
        "",
        f"Cụ thể hóa các quan điểm, mục tiêu để tổ chức thực hiện có hiệu quả {parent.mention.split(' ngày ')[0]}.",
        "",
        "#### 2. Yêu cầu",
        "",
        "Xác định rõ lộ trình, thời gian và trách nhiệm của các cơ quan, đơn vị; gắn với việc đánh giá kết quả công tác hàng năm.",
        "",
        "### II. NHIỆM VỤ CHỦ YẾU",
        "",
    ]
    local_place = place if jurisdiction else None
    ctx = _Cells(pools, g, local_place, jurisdiction, kind)
    tasks: tuple[SynthTask, ...] = ()
    if form == "prose":
        tasks = _prose(hd, lines, ctx, when.year)
    else:
        where = "các Phụ lục I và II" if form == "tables" else "Phụ lục"
        lines += [f"*(Chi tiết tại {where} kèm theo).*", "", "### III. TỔ CHỨC THỰC HIỆN", "", _EVERYONE, ""]
    lines += [
        "***Nơi nhận:***",
        "",
        "- Như trên;",
        "- Lưu: VT.",
        "",
        *(f"**{s}**" for s in sign),
        "",
        f"**{_person(rng)}**",
        "",
    ]
    if form == "prose":
        return SynthPlan(i, file, tuple(lines), document, tasks, (*cases, "prose"))

    def appendix(label: str) -> None:
        lines.extend(
            [
                f"**Phụ lục{label}**",
                "",
                f"**DANH MỤC NHIỆM VỤ TRIỂN KHAI THỰC HIỆN {doc_type.upper()}**",
                "",
                f"(Kèm theo {doc_type} số {number} của {issuer_text})",
                "",
            ]
        )

    appendix(" I" if form == "tables" else "")
    tasks = _table(rng, lines, ctx, when.year, hd)
    if form == "tables":
        lines.append("")
        appendix(" II")
        second = _table(rng, lines, ctx, when.year, hd)
        tasks = _label_appendices(tasks, second)
        cases = (*cases, "several-tables")
    return SynthPlan(i, file, tuple(lines), document, tasks, cases)


def _table(rng: random.Random, lines: list[str], ctx: _Cells, year: int, hd: _Hard) -> tuple[SynthTask, ...]:
    """Append the task table to *lines*; return the tasks it states."""
    pools, g, place, jurisdiction, kind = ctx.pools, ctx.g, ctx.place, ctx.jurisdiction, ctx.kind
    extra = rng.choice(_HEADERS["extra"]) if rng.random() < 0.2 else None
    header_cells = [rng.choice(_HEADERS[c]) for c in ("number", "title", "lead", "coordinating")]
    header_cells += [extra] if extra else []
    header_cells.append(rng.choice(_HEADERS["deadline"]))
    header = "\t".join(header_cells)
    width = len(header_cells)
    dotted = rng.random() < 0.7

    n_tasks = int(rng.triangular(10, 100, 25))
    grouped = rng.random() > 0.05
    n_groups = rng.randint(2, 7) if grouped else 1
    cuts = sorted(rng.sample(range(1, n_tasks), n_groups - 1)) if n_groups > 1 else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, n_tasks], strict=True)]
    group_titles = rng.sample(_GROUP_TITLES, n_groups) if grouped else [None]

    local_pool = _local_pool(pools, place, kind)
    # Only names the gazetteer really lacks: it grows, these lists do not.
    unknown = [n for n in _unknown_names(place) if g.lookup(n) is None]
    collectives = _collective_pool(pools, g, place)
    page = rng.randint(8, 20)
    rows_on_page = 0
    tasks: list[SynthTask] = []

    def emit(row: list[str]) -> int:
        nonlocal rows_on_page
        lines.append("\t".join(row))
        rows_on_page += 1
        return len(lines)

    def page_break() -> None:
        nonlocal rows_on_page
        lines.extend(["", "", "", header])
        rows_on_page = 0

    lines.append(header)
    for gi, (size, gtitle) in enumerate(zip(sizes, group_titles, strict=True)):
        gid = _ROMAN[gi] if grouped else None
        if grouped:
            emit([f"<b>{gid}</b>", f"<b>{gtitle}</b>", *([""] * (width - 2))])
        for n in range(1, size + 1):
            if rows_on_page >= page:
                page_break()
            tid = f"{gid}.{n}" if gid else str(n)
            task_title = _task_title(rng)
            lead_cell, lead, lead_unknown = _lead_cell(
                rng, pools, g, place, jurisdiction, local_pool, unknown, collectives
            )
            coord_parts, coordinating, coord_unknown = _coord_cell(
                rng, pools, g, place, jurisdiction, local_pool, unknown, collectives, {a.id for a, _ in lead}
            )
            row_cases: tuple[str, ...] = ()
            row_cell = ""
            # Not in a row whose partners are printed with no separator (reader gap, see the tests).
            merged = len(coord_parts) < len(coordinating)
            if not merged and (case := hd.cell(ctx, lead, coordinating)) is not None:
                # One cell of the row written the hard way; the other cell keeps its bodies.
                row_cases = (case.kind,)
                row_cell = "lead" if case.lead else "coordinating"
                if case.lead:
                    lead_cell, lead, lead_unknown = case.text, [(a, Role.LEAD) for a in case.agencies], []
                elif case.kind == "collective-commas":  # a class closes the list, as plans write it
                    coord_parts = [*coord_parts, case.text]
                    coordinating = [*coordinating, *case.agencies]
                else:
                    coord_parts = [case.text, *coord_parts]
                    coordinating = [*case.agencies, *coordinating]
                coord_unknown += list(case.unrecognised)
            deadline = _deadline(rng, year)
            product = rng.choice(_PRODUCTS) if extra else None
            cells = [f"{n}." if dotted else str(n), task_title, lead_cell, _join(rng, coord_parts)]
            cells += [product] if extra else []
            cells.append(deadline.text)
            row_lines = []
            split = rng.random() < 0.06 and _splittable(task_title)
            if split:
                head, tail = _split_title(rng, task_title)
                ch, ct = (coord_parts[:-1], coord_parts[-1:]) if len(coord_parts) > 1 else (coord_parts, [])
                cells[1] = head
                cells[3] = ", ".join(ch) + ("," if ct else "")
                row_lines.append(emit(cells))
                if rng.random() < 0.5:
                    page_break()
                cont = ["", tail, "", ", ".join(ct), *([""] * (width - 4))]
                row_lines.append(emit(cont))
            else:
                row_lines.append(emit(cells))
            tasks.append(
                SynthTask(
                    id=tid,
                    number=str(n),
                    group=gid,
                    group_title=gtitle,
                    title=task_title,
                    lead=tuple(lead),
                    coordinating=tuple(coordinating),
                    deadline=deadline,
                    lines=tuple(row_lines),
                    attributes=((extra, product),) if extra else (),
                    unrecognised=tuple(lead_unknown + coord_unknown),
                    hard=row_cases,
                    hard_cell=row_cell,
                )
            )
    return tuple(tasks)


def _join(rng: random.Random, parts: list[str]) -> str:
    return ", ".join(parts) if rng.random() < 0.85 else "; ".join(parts)


def _splittable(title: str) -> bool:
    words = title.split(" ")
    return any(w[:1].islower() for w in words[2:])


def _split_title(rng: random.Random, title: str) -> tuple[str, str]:
    """Split a title where a page break may fall: before a word in lower case."""
    words = title.split(" ")
    at = [i for i in range(2, len(words)) if words[i][:1].islower()]
    i = rng.choice(at)
    return " ".join(words[:i]), " ".join(words[i:])
