"""The layout rules the corpus needed, each on a small inline plan (no corpus needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.model import Role
from kg.model.gazetteer import Gazetteer
from loaders import read_plan
from loaders.agencies import split_cell
from loaders.deadlines import parse_deadline
from loaders.document import read_document

HEAD = "| **STT** | **Nhiệm vụ, giải pháp** | **Đơn vị thực hiện** | **Đơn vị phối hợp** | **Thời gian thực hiện** |"


def plan(tmp_path: Path, *rows: str, preamble: tuple[str, ...] = ()) -> Path:
    p = tmp_path / "plan.md"
    p.write_text("\n".join([*preamble, "", "PHỤ LỤC", "", *rows, ""]), encoding="utf-8")
    return p


def test_letter_parts_restart_roman_groups_and_c_is_a_part(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            HEAD,
            "| **A** | **PHẦN MỘT** |",
            "| **I** | **Nhóm** |",
            "| 1.1 | Việc | Sở Tư pháp | | 2026 |",
            "| **B** | **PHẦN HAI** |",
            "| **I** | **Nhóm** |",
            "| 1.1 | Việc | Sở Y tế | | 2026 |",
            "| **C** | **PHẦN BA** |",
            "| **I** | **Nhóm** |",
            "| 1.1 | Việc | Sở Xây dựng | | 2026 |",
        )
    )
    assert [t.id for t in r.tasks] == ["A.I.1.1", "B.I.1.1", "C.I.1.1"]


def test_bold_numbered_row_with_filler_is_a_sub_group(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            HEAD,
            "| **V** | **Thương mại và công nghiệp** |",
            "| **5.1** | ** ** | **Thương mại** | ** ** | ** ** |",
            "| 5.1.1 | Việc | Sở Công Thương | | 2026 |",
            "| **5.2** | ** ** | **Công nghiệp** | ** ** | ** ** |",
            "| 5.2.1 | Việc | Sở Công Thương | | 2026 |",
        )
    )
    assert [(t.id, t.group.id, t.group.title) for t in r.tasks] == [
        ("V.5.1.1", "V.5.1", "Thương mại"),
        ("V.5.2.1", "V.5.2", "Công nghiệp"),
    ]
    assert not r.warnings


def test_shortened_sub_header_inside_the_table_is_skipped(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            HEAD,
            "| **I** | **Nhóm** |",
            "| **Nội dung** | **Đơn vị thực hiện** | **Đơn vị phối hợp** | **Thời gian thực hiện** |",
            "| 1.1 | Việc | Sở Y tế | Sở Tài chính | 2026 |",
        )
    )
    (task,) = r.tasks
    assert (task.id, [a.name for a in task.lead], [a.name for a in task.coordinating]) == (
        "I.1.1",
        ["Sở Y tế"],
        ["Sở Tài chính"],
    )


def test_headerless_table_continues_the_task_table_before_it(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            HEAD,
            "| **A** | **PHẦN MỘT** |",
            "| 1 | Việc | Sở Tư pháp | | 2026 |",
            "",
            "Trang 2",
            "",
            "| **B** | **PHẦN HAI** | | | |",
            "| 1 | Việc | Sở Y tế | | 2026 |",
        )
    )
    assert [t.id for t in r.tasks] == ["A.1", "B.1"]
    assert [(t.read, t.reason) for t in r.tables] == [
        (True, "task table"),
        (True, "continues the task table above"),
    ]


def test_indicator_table_with_a_lead_column_is_read_as_indicators(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "| STT | Chỉ tiêu | Đơn vị | Cơ quan chủ trì |",
            "| 1 | Tỷ lệ | % | Sở Nội vụ |",
            "",
            "Danh mục nhiệm vụ",
            "",
            HEAD,
            "| 1 | Việc | Sở Tư pháp | | 2026 |",
        )
    )
    assert [t.id for t in r.tasks] == ["1"]
    assert [i.id for i in r.indicators] == ["1"]
    assert [(t.read, t.tasks, t.indicators) for t in r.tables] == [(True, 0, 1), (True, 1, 0)]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        (
            "Bảo hiểm Xã hội Việt Nam, Bộ Công an và các địa phương Bắc Ninh, Bình Dương, An Giang",
            ["Bảo hiểm Xã hội Việt Nam", "Bộ Công an", "các địa phương Bắc Ninh, Bình Dương, An Giang"],
        ),
        (
            "Bộ Khoa học và Công nghệ và các bộ, ngành, địa phương",
            ["Bộ Khoa học và Công nghệ", "Các bộ, ngành, địa phương"],
        ),
        ("Các sở, ban, ngành tỉnh; UBND các xã, phường", ["Các sở, ban, ngành", "UBND các phường, xã"]),
        ("Sở Khoa học và Công nghệ Sở Công Thương", ["Sở Khoa học và Công nghệ", "Sở Công Thương"]),
    ],
)
def test_cell_splitting_rules(cell, names):
    got = split_cell(cell, Gazetteer.default(), "Đồng Tháp", Role.COORDINATING)
    assert [a.agency.name for a in got] == names


def test_and_following_years_has_no_end():
    d = parse_deadline("2025 và những năm tiếp theo")
    assert (d.start.isoformat(), d.end) == ("2025-01-01", None)


def test_wrapped_header_names_issuer_place_and_date():
    lines = [
        "**ỦY BAN NHÂN",
        "DÂN**",
        "TỈNH ĐỒNG NAI",
        "-------",
        "**CỘNG HÒA XÃ HỘI",
        "CHỦ NGHĨA VIỆT NAM**",
        "---------------",
        "Số: 179/KH-UBND",
        "*Đồng Nai, ngày 18",
        "tháng 11 năm 2025*",
        "",
        "**KẾ HOẠCH**",
        "",
        "PHÁT",
        "TRIỂN KINH TẾ SỐ",
        "",
        "Căn cứ … của Chính phủ về ban hành Chương trình hành động;",
    ]
    doc, jurisdiction = read_document(lines, file="x.md", gazetteer=Gazetteer.default())
    assert (doc.number, doc.date.isoformat(), doc.place, jurisdiction) == (
        "179/KH-UBND",
        "2025-11-18",
        "Đồng Nai",
        "Đồng Nai",
    )
    assert doc.issuer.id == "dong-nai/ubnd-tinh"
    assert doc.title == "PHÁT TRIỂN KINH TẾ SỐ"


def test_national_issuer_has_no_jurisdiction():
    lines = [
        "THỦ TƯỚNG CHÍNH PHỦ",
        "_____",
        "Số: 1528/QĐ-TTg",
        "Hà Nội, ngày 11 tháng 8 năm 2026",
        "QUYẾT ĐỊNH",
    ]
    doc, jurisdiction = read_document(lines, file="x.md", gazetteer=Gazetteer.default())
    assert (doc.issuer.name, jurisdiction, doc.place) == ("Thủ tướng Chính phủ", None, "Hà Nội")
    assert doc.id == "thu-tuong-chinh-phu/1528-qd-ttg-2026"
