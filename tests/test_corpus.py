"""The seven real plans of ../shared/corpus, against golden files written by reading them.

Each golden file (tests/golden/corpus/<doc>.json) lists every task row of the
document's task tables, by the line it starts on, with its lead and
coordinating agencies as a careful reader names them; the row counts are the
ones SOURCES.md gives.  See tests/support/corpus_score.py for the measures.
"""

from __future__ import annotations

import pytest

from loaders import read_plan
from tests.support.corpus_score import golden_files, load_golden, score

pytestmark = pytest.mark.corpus

GOLDEN = {p.stem: load_golden(p) for p in golden_files()}


@pytest.fixture(scope="module")
def results(corpus_dir):
    return {name: read_plan(corpus_dir / g["file"]) for name, g in GOLDEN.items()}


def test_every_corpus_document_has_a_golden_file(corpus_dir):
    docs = {p.stem for p in corpus_dir.glob("doc*.txt")}
    assert docs == set(GOLDEN)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_tasks_and_agencies(results, name):
    golden = GOLDEN[name]
    s = score(results[name], golden)
    assert len(golden["tasks"]) == golden["task_rows"]
    assert (s.found, s.extra) == (s.expected, 0), s.line()
    assert s.lead_exact >= 0.98, s.line()
    assert s.coord_f1 >= 0.95, s.line()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_document_identity(results, name):
    want = GOLDEN[name]["document"]
    (doc,) = results[name].documents
    assert (doc.type, doc.number, doc.date.isoformat()) == (want["type"], want["number"], want["date"])
    assert doc.issuer.name == want["issuer"] and doc.issuer.recognised
    assert doc.issuer.jurisdiction == want["jurisdiction"]
    # Agencies of a provincial plan are scoped by its province; those of a national plan are not.
    lead = next(a for t in results[name].tasks for a in t.lead if not a.is_collective)
    assert lead.jurisdiction in {want["jurisdiction"], None}


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
