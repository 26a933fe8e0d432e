"""Rules of the task-table reader, each on a small inline table."""

from pathlib import Path

import pytest

from kg.model import PlanError
from loaders import read_plan

HEAD = "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian"


def plan(tmp_path: Path, *rows: str, header: str = HEAD) -> Path:
    text = "\n".join(
        [
            "Số: 12/KH-UBND",
            "Hà Nội, ngày 05 tháng 4 năm 2024",
            "## KẾ HOẠCH",
            "**Thực hiện Chương trình hành động số 30-CTr/TU ngày 08/3/2024 của Thành ủy**",
            "Ủy ban nhân dân Thành phố ban hành Kế hoạch như sau:",
            "",
            "**Phụ lục**",
            "",
            header,
            *rows,
            "",
        ]
    )
    p = tmp_path / "plan.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_group_rows_and_task_ids(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "<b>I</b>\t<b>Nhóm một</b>\t\t\t",
            "1.\tViệc A\tSở Nội vụ\t\t2024",
            "2.\tViệc B\tSở Tài chính\t\t2025",
            "II\tNhóm hai\t\t\t",
            "1.\tViệc C\tSở Nội vụ\t\t2024",
        )
    )
    assert [t.id for t in r.tasks] == ["I.1", "I.2", "II.1"]
    assert r.tasks[0].group.title == "Nhóm một"
    assert r.tasks[2].group.id == "II"


def test_repeated_header_after_page_break_is_skipped(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "I\tNhóm\t\t\t",
            "1.\tViệc A\tSở Nội vụ\t\t2024",
            "",
            "",
            HEAD,
            "2.\tViệc B\tSở Nội vụ\t\t2024",
        )
    )
    assert [t.id for t in r.tasks] == ["I.1", "I.2"]


def test_continuation_row_joins_cell_by_cell(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "I\tNhóm\t\t\t",
            "1.\tXây dựng cơ chế, chính sách quy\tSở Nội vụ\tHội Liên hiệp Văn học nghệ\t2024",
            "",
            HEAD,
            "\thoạch, kế hoạch.\t\tthuật Hà Nội, các Sở, ngành, đơn vị liên quan\t",
        )
    )
    (task,) = r.tasks
    assert task.title == "Xây dựng cơ chế, chính sách quy hoạch, kế hoạch."
    assert (
        task.coordinating_text == "Hội Liên hiệp Văn học nghệ thuật Hà Nội, các Sở, ngành, đơn vị liên quan"
    )
    assert len(task.coordinating) == 2
    assert task.source.lines == (11, 14)


def test_row_without_number_but_with_lead_is_its_own_task(tmp_path):
    r = read_plan(
        plan(tmp_path, "I\tNhóm\t\t\t", "\tViệc A\tSở Nội vụ\t\t2024", "\tViệc B\tSở Tài chính\t\t2024")
    )
    assert [t.id for t in r.tasks] == ["I.1", "I.2"]


def test_markdown_table_with_other_header_wording(tmp_path):
    header = (
        "| **STT** | **Tên nhiệm vụ** | **Đơn vị<br>chủ trì** | **PHỐI HỢP** | **Thời hạn** | **Sản phẩm** |"
    )
    r = read_plan(
        plan(
            tmp_path,
            "| --- | --- | --- | --- | --- | --- |",
            "| **I. NHÓM MỘT** |",
            "| 1 | Việc A | Sở Nội vụ | Sở Tài chính | Quý II/2024 | Báo cáo |",
            header=header,
        )
    )
    (task,) = r.tasks
    assert task.id == "I.1"
    assert [a.name for a in task.lead] == ["Sở Nội vụ"]
    assert [a.name for a in task.coordinating] == ["Sở Tài chính"]
    assert dict(task.attributes) == {"Sản phẩm": "Báo cáo"}


def test_unknown_deadline_is_kept_with_a_warning(tmp_path):
    r = read_plan(plan(tmp_path, "1.\tViệc A\tSở Nội vụ\t\tSớm nhất có thể"))
    assert r.tasks[0].deadline.text == "Sớm nhất có thể"
    assert r.tasks[0].deadline.start is None
    assert any(w.code == "deadline" and w.line == 10 for w in r.warnings)


def test_unrecognised_agency_is_kept_and_warned(tmp_path):
    r = read_plan(plan(tmp_path, "1.\tViệc A\tBan Chỉ đạo Không Có Thật\t\t2024"))
    (a,) = r.tasks[0].lead
    assert a.name == "Ban Chỉ đạo Không Có Thật" and not a.recognised
    assert any(w.code == "agency" for w in r.warnings)


def test_indicator_table_is_reported_and_skipped(tmp_path):
    p = plan(
        tmp_path,
        "1.\tViệc A\tSở Nội vụ\t\t2024",
        "",
        "Chỉ tiêu:",
        "TT\tChỉ tiêu\tĐơn vị\tCơ quan chủ trì",
        "1\tTỷ lệ\t%\tSở Nội vụ",
    )
    r = read_plan(p)
    assert len(r.tasks) == 1
    assert [(t.read, t.reason) for t in r.tables] == [
        (True, "task table"),
        (False, "indicator table (chỉ tiêu)"),
    ]


def test_no_task_table_is_an_error_naming_the_file(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("Một văn bản không có bảng.\n", encoding="utf-8")
    with pytest.raises(PlanError) as e:
        read_plan(p)
    assert str(e.value).startswith(f"{p}: no task table")


def test_table_without_lead_column_is_an_error_with_line(tmp_path):
    p = plan(tmp_path, "1.\tViệc A\t\t2024", header="TT\tNội dung nhiệm vụ\tCơ quan phối hợp\tThời gian")
    with pytest.raises(PlanError) as e:
        read_plan(p)
    assert str(e.value).startswith(f"{p}:9: task table has no lead column")


def test_document_identity_and_chain(tmp_path):
    doc = read_plan(plan(tmp_path, "1.\tViệc A\tSở Nội vụ\t\t2024")).documents[0]
    assert doc.number == "12/KH-UBND"
    assert doc.date.isoformat() == "2024-04-05"
    assert doc.type == "Kế hoạch"
    assert [r.number for r in doc.chain()] == ["30-CTr/TU"]
