"""The generated corpus's hard cases (``generate(…, hard=…)``), counted, and each read back exactly.

Over PLANS generated plans every hard case of :data:`kg.synth.HARD_CASES` occurs at
least a known number of times, and every occurrence is read as the generator's truth
states it: the cell written the hard way (its agencies and roles, and the warnings its
unknown names raise), the row's other fields, the header (issuer, number, title, chain),
the ids of two appendices numbered from 1, and every prose task.

FORMS_LEARNT lists forms the generator does not write, where the reader once disagreed with
a careful reader; each is an ordinary test now.  A check over CHECK_PLANS plans at HARD_SHARE
catches what the smaller fixture's seed does not write.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kg.model import ExtractResult, Role
from kg.model.gazetteer import Gazetteer
from kg.synth import CELL_CASES, HARD_CASES, SynthPlan, SynthTask, generate, write_corpus
from loaders import read_plan
from loaders.agencies import split_cell
from loaders.prose import read_prose_tasks
from tests.test_synth import (
    TASK_FIELDS,
    differences,
    document_differences,
    expected_warnings,
    task_differences,
)

PLANS = 60
SEED = 5
HARD = 0.3
# At least this many of each, in PLANS plans (the seed gives more; a generator change that
# writes a case far less often fails here).
AT_LEAST = {
    "shared-head": 150,
    "collective-commas": 150,
    "qualifier": 150,
    "place-qualified": 30,
    "wrapped-issuer": 12,
    "wrapped-number": 8,
    "upper-title": 12,
    "prose": 5,
    "several-tables": 5,
}
DOCUMENT_CASES = ("wrapped-issuer", "wrapped-number", "upper-title")
# The wider check: this many plans, this share of them hard, each read exactly.
CHECK_PLANS = 200
HARD_SHARE = 0.2


@pytest.fixture(scope="module")
def read_back(tmp_path_factory) -> list[tuple[SynthPlan, ExtractResult]]:
    out = tmp_path_factory.mktemp("synth-hard")
    write_corpus(PLANS, out, seed=SEED, hard=HARD)
    return [(plan, read_plan(out / plan.file)) for plan in generate(PLANS, seed=SEED, hard=HARD)]


def _task_warnings(result: ExtractResult, task_id: str) -> list[tuple[int, str]]:
    return sorted((w.line, w.message) for w in result.warnings if w.message.startswith(f"task {task_id}: "))


def _hard_task_differences(plan: SynthPlan, t: SynthTask, result: ExtractResult) -> list[str]:
    """A task with a hard cell: that cell, the row's other fields and the warnings of its row.

    In a table row the other agency cell is plain: its agencies, and the warnings that quote
    its text, are measured by tests/test_synth.py, not here.  A prose task is compared whole.
    """
    got = {r.id: r for r in result.tasks}.get(t.id)
    if got is None:
        return [f"{plan.file} {t.id}: not read"]
    other = "" if "prose" in t.hard else {"lead": "coordinating", "coordinating": "lead"}.get(t.hard_cell, "")
    out = task_differences(plan, t, got, [f for f in TASK_FIELDS if f != other])
    plain = _cell_text(plan, t, other) if other else ""

    def mine(warnings: list[tuple[int, str]]) -> list[tuple[int, str]]:
        return [w for w in warnings if not (plain and _quoted(w[1]) in plain)]

    have, want = mine(_task_warnings(result, t.id)), mine(expected_warnings([t]))
    if have != want:
        out.append(f"{plan.file} {t.id}: warnings {have} != {want}")
    return out


def _cell_text(plan: SynthPlan, t: SynthTask, cell: str) -> str:
    """The text of a task's lead or coordinating cell, over its rows (columns TT, title, lead, partners)."""
    col = 2 if cell == "lead" else 3
    rows = (plan.lines[n - 1].split("\t") for n in t.lines)
    return " ".join(r[col] for r in rows if len(r) > col)


def _quoted(message: str) -> str:
    """The text a warning quotes ("… kept as written: 'X'" → X)."""
    return message.rsplit(": ", 1)[-1].strip("'\"")


def _tally(read_back) -> tuple[Counter, Counter, list[str]]:
    """Per hard case: how often it occurs, how often it is read exactly, and the differences."""
    seen: Counter = Counter()
    exact: Counter = Counter()
    problems: list[str] = []

    def count(kind: str, diffs: list[str]) -> None:
        seen[kind] += 1
        exact[kind] += not diffs
        problems.extend(diffs)

    for plan, result in read_back:
        doc = document_differences(plan, result)
        for kind in DOCUMENT_CASES:
            if kind in plan.hard:
                count(kind, doc)
        if "several-tables" in plan.hard:
            ids = [r.id for r in result.tasks]
            diffs = [] if ids == [t.id for t in plan.tasks] else [f"{plan.file}: ids {ids}"]
            by_id = {r.id: r for r in result.tasks}
            keep = ("group", "number", "title", "deadline", "lines", "attributes")
            for t in plan.tasks:
                if t.id in by_id:
                    diffs += task_differences(plan, t, by_id[t.id], keep)
            count("several-tables", diffs)
        if "prose" in plan.hard:
            ids = [r.id for r in result.tasks]
            diffs = [] if ids == [t.id for t in plan.tasks] else [f"{plan.file}: prose ids {ids}"]
            diffs += [d for t in plan.tasks for d in _hard_task_differences(plan, t, result)]
            count("prose", diffs + doc)
        for t in plan.tasks:
            for kind in t.hard:
                if kind in CELL_CASES:
                    count(kind, _hard_task_differences(plan, t, result))
    return seen, exact, problems


def test_every_hard_case_occurs_and_is_read_exactly(read_back):
    seen, exact, problems = _tally(read_back)
    assert set(seen) == set(HARD_CASES), f"cases never written: {set(HARD_CASES) - set(seen)}"
    assert {k: seen[k] for k in HARD_CASES if seen[k] < AT_LEAST[k]} == {}, dict(seen)
    assert problems[:5] == [], f"{len(problems)} differences"
    assert exact == seen


def test_many_plans_read_exactly(tmp_path):
    """Every plan of a larger corpus, plain and hard cells mixed, is read as its truth states:
    rare forms (two bodies run together, a known body after a class) occur here in numbers."""
    write_corpus(CHECK_PLANS, tmp_path, seed=SEED, hard=HARD_SHARE)
    differ = {}
    for plan in generate(CHECK_PLANS, seed=SEED, hard=HARD_SHARE):
        diffs = differences(plan, read_plan(tmp_path / plan.file))
        if diffs:
            differ[plan.file] = diffs[:2]
    assert differ == {}, f"{len(differ)}/{CHECK_PLANS} plans differ"


def test_hard_cases_are_where_the_truth_says(read_back):
    """The truth's marks are honest: the printed text holds what each case names."""
    for plan, _ in read_back:
        text = "\n".join(plan.lines)
        if "wrapped-number" in plan.hard:
            assert "\nSố:\n" in text
        if "upper-title" in plan.hard:
            assert plan.document.title == plan.document.title.upper()
            assert f"**{plan.document.title}**" in text
        if "several-tables" in plan.hard:
            assert "**Phụ lục I**" in text and "**Phụ lục II**" in text
        if "prose" in plan.hard:
            assert "Phụ lục" not in text and all("\t" not in line for line in plan.lines)
        for t in plan.tasks:
            if t.hard_cell:
                row = "\n".join(plan.lines[n - 1] for n in t.lines)
                if "shared-head" in t.hard:
                    assert len(t.lead if t.hard_cell == "lead" else t.coordinating) >= 2, row
                if "place-qualified" in t.hard:
                    assert plan.document.issuer.jurisdiction is None, row
                    cell = t.lead if t.hard_cell == "lead" else [(a, None) for a in t.coordinating]
                    assert any(a.jurisdiction not in {None, "Việt Nam"} for a, _ in cell), row


def _hard_cells(read_back, kind: str) -> list[tuple[SynthTask, str]]:
    """Each task whose row holds a *kind* cell, with that cell's printed text."""
    out = []
    for plan, _ in read_back:
        for t in plan.tasks:
            if kind in t.hard and t.hard_cell:
                if "prose" in t.hard:
                    label = "chủ trì" if t.hard_cell == "lead" else "phối hợp"
                    text = " ".join(plan.lines[n - 1] for n in t.lines if label in plan.lines[n - 1])
                else:
                    text = _cell_text(plan, t, t.hard_cell)
                out.append((t, text))
    return out


def test_every_form_of_each_case_occurs(read_back):
    """Each case in each of its printed forms, so none goes unmeasured."""
    heads = _hard_cells(read_back, "shared-head")
    shared = [text for _, text in heads]
    assert any(": " in x for x in shared) and any(": " not in x for x in shared)
    assert any(x.startswith("Bộ ") for x in shared) and any("Sở " in x for x in shared)
    # A field with a comma of its own ("Sở Tài chính, Văn hóa, Thể thao và Du lịch": two Sở).
    leads = [(t, x) for t, x in heads if t.hard_cell == "lead" and "prose" not in t.hard]
    assert any(x.split(":")[-1].count(",") + 1 > len(t.lead) for t, x in leads)
    classes = [t for t, _ in _hard_cells(read_back, "collective-commas")]
    cells = [a for t in classes for a in (*(a for a, _ in t.lead), *t.coordinating) if a.is_collective]
    assert any(a.recognised for a in cells) and any(not a.recognised for a in cells)
    notes = [text for _, text in _hard_cells(read_back, "qualifier")]
    assert any("(chủ trì" in x for x in notes) and any("(Cục " in x or "(Vụ " in x for x in notes)
    places = [t for t, _ in _hard_cells(read_back, "place-qualified")]
    assert {len(t.lead) if t.hard_cell == "lead" else 0 for t in places} >= {1, 2}
    prose = [t for plan, _ in read_back if "prose" in plan.hard for t in plan.tasks]
    assert any(t.id.count(".") == 1 for t in prose), "no labelled item"
    assert any(t.title.startswith("Phối hợp với") for t in prose), "no item led by its partner"
    assert any(t.title.startswith("Chủ trì, phối hợp") for t in prose)
    tables = [t.id for plan, _ in read_back if "several-tables" in plan.hard for t in plan.tasks]
    assert any(i.startswith("PL II.") for i in tables)


def test_hard_zero_is_the_plain_corpus():
    assert [p.lines for p in generate(6, seed=SEED, hard=0.0)] == [p.lines for p in generate(6, seed=SEED)]
    assert not any(p.hard or any(t.hard for t in p.tasks) for p in generate(6, seed=SEED))


def test_hard_corpus_is_deterministic_and_a_prefix():
    small = [p.lines for p in generate(5, seed=SEED, hard=HARD)]
    assert small == [p.lines for p in generate(8, seed=SEED, hard=HARD)][:5]
    assert small != [p.lines for p in generate(5, seed=SEED)]
    with pytest.raises(ValueError):
        next(generate(1, hard=1.5))


def test_cli_writes_hard_cases(runner, tmp_path):
    from kg.cli import main

    out = tmp_path / "c"
    r = runner.invoke(
        main, ["synth", "-n", "3", "--seed", str(SEED), "--hard", str(HARD), "-o", str(out), "-q"]
    )
    assert r.exit_code == 0, r.output
    want = {p.file: "\n".join(p.lines) + "\n" for p in generate(3, seed=SEED, hard=HARD)}
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == want


# ---------------------------------------------------------------------------
# Forms the generator leaves out, where the reader once disagreed with a careful reader.

G = Gazetteer.default()
FORMS_LEARNT = [
    # A field that is itself a head word, after the first of a shared-head list: three ministries.
    ("Bộ Y tế, Công an, Quốc phòng", None, Role.COORDINATING, ["bo-y-te", "bo-cong-an", "bo-quoc-phong"]),
    # A role word after a shared-head list is the whole list's role.
    ("Sở Tài chính, Nội vụ chủ trì", "Bắc Ninh", Role.LEAD, ["bac-ninh/so-tai-chinh", "bac-ninh/so-noi-vu"]),
    # A known abbreviation before "chủ trì" leads (it is dropped without a warning).
    (
        "Ban Dân vận Tỉnh ủy chỉ đạo, TAND tỉnh chủ trì",
        "An Giang",
        Role.LEAD,
        ["an-giang/ban-dan-van-tinh-uy", "an-giang/toa-an-nhan-dan-tinh"],
    ),
    # Two known bodies with no separator, the second place-qualified: two bodies.
    (
        "Sở Tư pháp Sở Xây dựng tỉnh An Giang",
        "An Giang",
        Role.COORDINATING,
        ["an-giang/so-tu-phap", "an-giang/so-xay-dung"],
    ),
    # A body in lower case after a comma, place-qualified: two bodies, not one class.
    (
        "Công an tỉnh, sở Tài chính tỉnh Nghệ An",
        "Nghệ An",
        Role.COORDINATING,
        ["nghe-an/cong-an-tinh", "nghe-an/so-tai-chinh"],
    ),
    # Two known bodies run together, the first with its place: two bodies, each in its place.
    (
        "Sở NV thành phố Hà Nội Sở Xây dựng",
        "Hà Nội",
        Role.COORDINATING,
        ["ha-noi/so-noi-vu", "ha-noi/so-xay-dung"],
    ),
    (
        "Bộ Tài chính Sở Tài chính thành phố Huế",
        "Huế",
        Role.COORDINATING,
        ["bo-tai-chinh", "hue/so-tai-chinh"],
    ),
    # A name in capitals with no head word (an abbreviation) before "chủ trì" leads.
    (
        "Văn phòng Thành ủy chỉ đạo, ĐHQGHN chủ trì",
        "Hà Nội",
        Role.LEAD,
        ["ha-noi/van-phong-thanh-uy", "dai-hoc-quoc-gia-ha-noi"],
    ),
    # A known body in lower case after a body whose name ends in a kind word: two bodies.
    (
        "Thanh tra Bộ, bộ Tài chính",
        None,
        Role.COORDINATING,
        ["viet-nam/unrecognised-thanh-tra-bo", "bo-tai-chinh"],
    ),
    # "Văn phòng Bộ" is one body (the Ministry's office), no class the next words go on.
    (
        "Văn phòng Bộ, Địa phương liên quan",
        None,
        Role.COORDINATING,
        ["viet-nam/unrecognised-van-phong-bo", "viet-nam/cac-dia-phuong"],
    ),
    # A class of kinds of bodies ("hiệp hội" among them) is one participant.
    (
        "Các hội, hiệp hội, doanh nghiệp",
        None,
        Role.COORDINATING,
        ["viet-nam/unrecognised-cac-hoi-hiep-hoi-doanh-nghiep"],
    ),
]


@pytest.mark.parametrize(("cell", "place", "role", "want"), FORMS_LEARNT, ids=[g[0] for g in FORMS_LEARNT])
def test_learnt_cells(cell, place, role, want):
    assert [a.agency.id for a in split_cell(cell, G, place, role)] == want


def test_role_words_end_a_shared_head_list_and_an_abbreviation():
    """The role word after a list or an abbreviation is its role, not part of a name."""
    got = split_cell("Ban Dân vận Tỉnh ủy chỉ đạo, TAND tỉnh chủ trì", G, "An Giang", Role.LEAD)
    assert [(a.agency.id, a.role, a.text) for a in got] == [
        ("an-giang/ban-dan-van-tinh-uy", Role.DIRECTING, "Ban Dân vận Tỉnh ủy"),
        ("an-giang/toa-an-nhan-dan-tinh", Role.LEAD, "TAND tỉnh"),
    ]
    got = split_cell("Sở Tài chính, Nội vụ chủ trì", G, "Bắc Ninh", Role.COORDINATING)
    assert [(a.agency.id, a.role) for a in got] == [
        ("bac-ninh/so-tai-chinh", Role.COORDINATING),
        ("bac-ninh/so-noi-vu", Role.COORDINATING),
    ]


def test_bodies_run_together_keep_their_own_words():
    got = split_cell(
        "Sở Tư pháp Sở Xây dựng tỉnh An Giang (chủ trì phần thẩm định)", G, "An Giang", Role.LEAD
    )
    assert [(a.agency.id, a.text) for a in got] == [
        ("an-giang/so-tu-phap", "Sở Tư pháp"),
        ("an-giang/so-xay-dung", "Sở Xây dựng tỉnh An Giang (chủ trì phần thẩm định)"),
    ]


@pytest.mark.parametrize("when", ["Quý III/2026", "năm 2026", "ngày 15 tháng 12 năm 2026", "tháng 11/2026"])
def test_prose_deadline_is_read_whole(when):
    """A completion date inside an item is read whole, not cut to its first two characters."""
    lines = [
        "III. TỔ CHỨC THỰC HIỆN",
        "",
        "1. Sở Nội vụ",
        "",
        f"a) Chủ trì xây dựng đề án; hoàn thành trong {when}.",
    ]
    (task,) = read_prose_tasks(lines, file="x.txt", document="d", jurisdiction="Hà Nội", gazetteer=G)
    assert task.deadline.text == f"hoàn thành trong {when}" and task.deadline.end is not None
