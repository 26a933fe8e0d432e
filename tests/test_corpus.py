"""The real plans of ../shared/corpus (more/ and prose/ included), against golden files written by reading them.

Each golden file (tests/golden/corpus/<path with / as -->.json) lists every
task of the document (table rows and prose items), by the line it starts on,
with its lead and coordinating agencies as a careful reader names them, and
the document's identity and the documents it implements.  See
tests/support/corpus_score.py for the measures.
"""

from __future__ import annotations

import pytest

from kg.graph.metrics import agency_load
from kg.graph.network import build_graph
from kg.model import NATIONAL
from kg.model.gazetteer import Gazetteer
from kg.model.text import name_key
from loaders import read_plan
from loaders.agency_words import is_organisation
from tests.support.corpus_score import golden_files, golden_name, load_golden, score, score_indicators

pytestmark = pytest.mark.corpus

GOLDEN = {p.stem: load_golden(p) for p in golden_files()}


@pytest.fixture(scope="module")
def results(corpus_dir):
    return {name: read_plan(corpus_dir / g["file"]) for name, g in GOLDEN.items()}


def test_every_corpus_document_has_a_golden_file(corpus_dir):
    # The bundled sample has its own golden file (tests/golden/), checked in test_sample.py.
    docs = {golden_name(p, corpus_dir) for p in corpus_dir.rglob("*.txt") if p.name != "SOURCES.md"}
    assert docs - {"hanoi-kh-30-ctr-tu-2024"} == set(GOLDEN)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_tasks_and_agencies(results, name):
    golden = GOLDEN[name]
    s = score(results[name], golden)
    assert len(golden["tasks"]) == golden["task_rows"]
    assert (s.found, s.extra) == (s.expected, 0), s.line()
    assert s.lead_exact >= 0.98, s.line()
    assert s.coord_f1 >= 0.95, s.line()
    assert s.deadline_exact >= 0.95, s.line()


@pytest.mark.parametrize("name", sorted(n for n, g in GOLDEN.items() if g.get("indicators")))
def test_indicator_rows(results, name):
    s = score_indicators(results[name], GOLDEN[name])
    assert (s.found, s.extra) == (s.expected, 0), s.line()
    assert s.lead_exact >= 0.98, s.line()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_document_identity(results, name):
    want = GOLDEN[name]["document"]
    (doc,) = results[name].documents
    got_date = doc.date.isoformat() if doc.date else None
    assert (doc.type, doc.number, got_date) == (want["type"], want["number"], want["date"])
    assert doc.issuer.name == want["issuer"] and doc.issuer.recognised
    # A national body's Agency.jurisdiction is None, shown as "Việt Nam" (kg.model.NATIONAL); goldens write null or that.
    assert (doc.issuer.jurisdiction or NATIONAL) == (want["jurisdiction"] or NATIONAL)
    # Agencies of a provincial plan are scoped by its province; those of a national plan are not.
    leads = [a for t in results[name].tasks for a in t.lead if not a.is_collective]
    assert not leads or leads[0].jurisdiction in {want["jurisdiction"], None}


@pytest.mark.parametrize("name", sorted(n for n, g in GOLDEN.items() if "implements" in g["document"]))
def test_document_chain(results, name):
    """The documents the plan says it carries out ("Thực hiện …", "Triển khai …" in its title or opening), by number."""
    (doc,) = results[name].documents
    by_id = {r.id: r for r in doc.references}
    got = {_number(by_id[i].number or by_id[i].type) for i in doc.implements if i in by_id}
    assert got == {_number(n) for n in GOLDEN[name]["document"]["implements"]}


def _number(number: str) -> str:
    return name_key(number).replace(" ", "")


def test_indicator_tables_are_read_as_indicators(results):
    # doc01: Phụ lục I (41 numbered indicators, 11 heading 11.1-11.12 and 23 with 23.1-23.4) then the tasks.
    doc01 = [(t.read, t.reason, t.tasks, t.indicators) for t in results["doc01"].tables]
    assert doc01 == [(True, "indicator table (chỉ tiêu)", 0, 56), (True, "task table", 140, 0)]
    # doc02: Phụ lục I (8 + 4), II (6), III (6) are indicators; Phụ lục IV the 12 tasks.
    doc02 = [(t.read, t.tasks, t.indicators) for t in results["doc02"].tables]
    assert doc02 == [(True, 0, 12), (True, 0, 6), (True, 0, 6), (True, 12, 0)]
    assert len(results["doc02"].tasks) == 12


def test_parts_subgroups_and_restarting_numbers(results):
    ids = [t.id for t in results["doc04"].tasks]
    assert len(ids) == len(set(ids)) == 94
    assert ids[0] == "A.I.1.1" and "B.IV.5.1.3" in ids and ids[-1] == "C.VI.6.3"
    sub = next(t for t in results["doc04"].tasks if t.id == "B.IV.5.2.1")
    assert sub.group.title == "Công nghiệp và năng lượng"
    doc06 = [t.id for t in results["doc06"].tasks]
    assert doc06[:6] == ["I.1", "I.2", "I.3", "I.4", "I.5", "II.1"]
    doc02 = [t.id for t in results["doc02"].tasks]
    assert doc02 == [str(n) for n in range(1, 13)]  # empty number cells: numbered in order


def test_a_group_id_names_one_heading_in_every_document(results):
    """A plan that numbers two sections alike (Cần Thơ's two "IV.") has two groups, not one with two titles."""
    for name, result in results.items():
        headings: dict[str, set[tuple[int | None, str]]] = {}
        for t in result.tasks:
            if t.group:
                headings.setdefault(t.group.id, set()).add((t.group.line, t.group.title))
        assert {g: h for g, h in headings.items() if len(h) > 1} == {}, name
    second = next(t for t in results["prose--ubnd-can-tho-153-2025"].tasks if t.id == "IV.1.a#2")
    assert (second.group.id, second.group.title) == (
        "IV.1#2",
        "Các sở, ban, ngành thành phố và Ủy ban nhân dân xã, phường",
    )


def test_extra_columns_are_task_attributes(results):
    t = results["doc04"].tasks[0]
    assert dict(t.attributes) == {"Sản phẩm đầu ra": "Các cơ chế, chính sách; các văn bản quy phạm pháp luật"}
    assert "Kết quả" in dict(results["doc01"].tasks[0].attributes)


@pytest.mark.parametrize(
    ("name", "text", "start", "end", "recurrence"),
    [
        ("doc08", "Quí IV-2025", "2025-10-01", "2025-12-31", None),
        ("doc08", "Thường xuyên, hằng năm", None, None, "annual"),
        ("doc01", "Tháng 10/2025", "2025-10-01", "2025-10-31", None),
        ("doc01", "6/2025", "2025-06-01", "2025-06-30", None),
        ("doc01", "Nhiệm vụ thường xuyên", None, None, "continuous"),
        ("doc10", "Quý IV/2025- Quý II/2026", "2025-10-01", "2026-06-30", None),
        ("doc10", "Quý III Năm 2026", "2026-07-01", "2026-09-30", None),
        ("doc04", "2026 - 2030", "2026-01-01", "2030-12-31", None),
        ("doc02", "Giai đoạn 2026 - 2030", "2026-01-01", "2030-12-31", None),
        ("doc07", "2025 - 2035", "2025-01-01", "2035-12-31", None),
    ],
)
def test_corpus_deadlines(results, name, text, start, end, recurrence):
    found = [t.deadline for t in results[name].tasks if t.deadline.text == text]
    assert found, f"no task of {name} has deadline {text!r}"
    assert found[0].as_dict() == {"text": text, "start": start, "end": end, "recurrence": recurrence}


def test_no_deadline_left_unread(results):
    unread = [w for r in results.values() for w in r.warnings if w.code == "deadline"]
    assert unread == []


def _fragments(agencies, gazetteer) -> set[str]:
    """Names of non-collective agencies neither known to the gazetteer nor shaped like a body."""
    return {
        a.name
        for a in agencies
        if not a.is_collective and not a.recognised and not is_organisation(a.name, gazetteer)
    }


def test_no_agency_read_from_the_corpus_is_a_fragment(results):
    """Every body a task or an indicator names is one the gazetteer knows or has a body's shape
    (a fragment such as "cấp xã", "Báo chí" or "vận hành tại địa phương)" is a warning, never a node)."""
    gazetteer = Gazetteer.default()
    bad = {
        name: found
        for name, r in results.items()
        if (
            found := _fragments(
                (a.agency for t in (*r.tasks, *r.indicators) for a in t.assignments), gazetteer
            )
        )
    }
    assert not bad


def test_agency_load_of_the_corpus_holds_no_fragment(results):
    gazetteer = Gazetteer.default()
    rows = agency_load(build_graph(results.values()), collectives=True)
    assert rows
    names = {r["agency"] for r in rows if r["kind"] != "collective"}
    assert not {n for n in names if gazetteer.lookup(n) is None and not is_organisation(n, gazetteer)}
