"""Tables of real plans that name a responsible body per row, as a careful reader reads them.

The figures below were taken by reading the documents in ../shared/corpus:

* doc01 Phụ lục I: 41 numbered indicators in groups "Đến năm 2030" (1–35) and
  "Đến năm 2045" (36–41); row 11 names no body and heads 11.1–11.12, row 23 is
  an indicator of its own with 23.1–23.4 under it: 56 indicators.
* doc02 Phụ lục I (8 + 4, numbering restarts in group II), II (6), III (6):
  24 indicators; its 12 tasks (Phụ lục IV) keep their ids 1–12.
* more/bnv-1383-2025: 29 rows, the unit last; 19 rows shorter than the header
  take the unit (and time) merged down from the row above.
* more/ubnd-bac-ninh-144-2025: TT | Chỉ tiêu | Chủ trì, groups I (6) and II (13).
"""

from __future__ import annotations

import pytest

from loaders import read_plan

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def read(corpus_dir):
    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            cache[name] = read_plan(corpus_dir / name)
        return cache[name]

    return get


def _names(agencies) -> list[str]:
    return [a.name for a in agencies]


def test_doc01_indicator_table(read):
    r = read("doc01.txt")
    ind = {i.id: i for i in r.indicators}
    assert len(r.indicators) == len(ind) == 56
    assert len(r.tasks) == 140
    assert [i.id for i in r.indicators if i.group.id == "I.11"] == [f"I.11.{n}" for n in range(1, 13)]
    assert r.indicators[10].group.title.startswith("Chỉ tiêu về thực hiện thủ tục hành chính")
    assert [k for k in ind if k.startswith("I.23")] == ["I.23", "I.23.1", "I.23.2", "I.23.3", "I.23.4"]
    assert sum(1 for i in r.indicators if i.group.id == "II") == 6
    assert (ind["I.10"].title, ind["I.10"].target, dict(ind["I.10"].attributes)) == (
        "Quy mô kinh tế số",
        "≥ 30",
        {"Đơn vị": "% GDP"},
    )
    assert _names(ind["I.11.2"].lead) == ["Văn phòng Chính phủ"]
    assert _names(ind["I.29"].lead)[:2] == ["Bộ Công an", "Bộ Thông tin và Truyền thông"]
    assert all(i.lead for i in r.indicators)


def test_doc02_three_indicator_tables_carry_their_appendix(read):
    r = read("doc02.txt")
    ids = [i.id for i in r.indicators]
    assert len(ids) == len(set(ids)) == 24
    assert ids[:9] == [*(f"PL I.I.{n}" for n in range(1, 9)), "PL I.II.1"]
    assert ids[12:] == [*(f"PL II.{n}" for n in range(1, 7)), *(f"PL III.{n}" for n in range(1, 7))]
    first = r.indicators[0]
    assert _names(first.lead) == ["Bộ Giáo dục và Đào tạo"]
    assert dict(first.attributes)["Năm 2030"] == "80"
    assert _names(r.indicators[16].lead) == ["Bộ Giáo dục và Đào tạo", "Bộ Khoa học và Công nghệ"]
    assert [t.id for t in r.tasks] == [str(n) for n in range(1, 13)]


# Read from the document: (first STT, last STT, unit, time) for each run of rows.
BNV_1383 = [
    (1, 2, "Vụ Chính quyền địa phương", "Tháng 6/2025"),
    (3, 3, "Vụ Công tác thanh niên và Bình đẳng giới", "Tháng 6/2025"),
    (4, 5, "Vụ Tổ chức phi chính phủ", "Tháng 5/2025"),
    (6, 6, "Ban Thi đua - Khen thưởng Trung ương", "Tháng 5/2025"),
    (7, 7, "Cục Tiền lương và Bảo hiểm xã hội", "Tháng 3/2025"),
    (8, 10, "Cục Quản lý lao động ngoài nước", "Tháng 4/2025"),
    (11, 11, "Cục Việc làm", "Tháng 3/2026"),
    (12, 12, "Cục Việc làm", "Tháng 3/2025"),
    (13, 14, "Cục Việc làm", "Tháng 3/2026"),
    (15, 16, "Cục Việc làm", "Tháng 6/2025"),
    (17, 26, "Cục Văn thư và Lưu trữ nhà nước", "Tháng 6/2026"),
    (27, 29, "Cục Người có công", "Tháng 3/2026"),
]


def test_bnv_1383_rowspans_give_each_row_its_unit_and_time(read):
    r = read("more/bnv-1383-2025.txt")
    want = [(str(n), [unit], when) for a, b, unit, when in BNV_1383 for n in range(a, b + 1)]
    got = [(t.id, _names(t.lead), t.deadline.text) for t in r.tasks]
    assert got == want
    assert [t.source.lines[0] for t in r.tasks] == list(range(74, 103))
    assert not [w for w in r.warnings if w.code in {"row", "deadline"}]
    assert [(t.reason, t.tasks) for t in r.tables] == [("task table", 29)]


def test_bac_ninh_144_indicator_table_is_read_without_a_task_table(read):
    r = read("more/ubnd-bac-ninh-144-2025.txt")
    # Its only table holds indicators; its tasks are assigned in the text (read by loaders/prose.py).
    assert all(t.source.lines[0] < 1360 for t in r.tasks)
    assert [i.id for i in r.indicators] == [f"I.{n}" for n in range(1, 7)] + [f"II.{n}" for n in range(1, 14)]
    assert [i.source.lines[0] for i in r.indicators] == [*range(1365, 1371), *range(1372, 1385)]
    assert {i.group.title for i in r.indicators} == {"Kinh tế số", "Xã hội số"}
    assert _names(r.indicators[0].lead) == ["Sở Tài chính"]
    assert _names(r.indicators[9].lead) == ["Công an tỉnh"]
    assert [(t.reason, t.indicators) for t in r.tables] == [("indicator table (chỉ tiêu)", 19)]


@pytest.mark.parametrize(
    "name", ["doc01.txt", "doc02.txt", "more/bnv-1383-2025.txt", "more/ubnd-bac-ninh-144-2025.txt"]
)
def test_every_row_is_understood_and_every_table_read(read, name):
    r = read(name)
    assert not [w for w in r.warnings if w.code in {"row", "duplicate-id"}]
    assert all(t.read for t in r.tables)


def test_kg_extract_shows_indicators_in_json_and_summary(runner, corpus_dir):
    import json

    from kg.cli import main

    doc = str(corpus_dir / "more" / "ubnd-bac-ninh-144-2025.txt")
    res = runner.invoke(main, ["extract", doc, "--format", "json", "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["indicators"]) == 19
    assert all(
        t["source"]["lines"][0] < 1360 for t in data["tasks"]
    )  # tasks from the text, none from the table
    first = data["indicators"][0]
    assert (first["id"], first["group"]["title"], first["lead"][0]["name"]) == (
        "I.1",
        "Kinh tế số",
        "Sở Tài chính",
    )
    assert data["tables"][0]["indicators"] == 19
    summary = runner.invoke(main, ["extract", doc, "--format", "summary", "-q"])
    assert "  19 indicators (chỉ tiêu), 19 with a lead\n" in summary.stdout
