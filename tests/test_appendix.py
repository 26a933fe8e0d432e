"""Rules of the task-table reader, each on a small inline table."""

from pathlib import Path

import pytest

from kg.model import PlanError
from loaders import read_plan
from loaders.appendix_columns import column_roles

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


def test_indicator_table_is_read_as_indicators_not_tasks(tmp_path):
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
    assert [(t.read, t.reason, t.tasks, t.indicators) for t in r.tables] == [
        (True, "task table", 1, 0),
        (True, "indicator table (chỉ tiêu)", 0, 1),
    ]
    (ind,) = r.indicators
    assert (ind.id, ind.title, [a.name for a in ind.lead]) == ("1", "Tỷ lệ", ["Sở Nội vụ"])
    assert dict(ind.attributes) == {"Đơn vị": "%"}


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


# --- Columns by meaning ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Cơ quan chủ trì", "lead"),
        ("CHỦ TRÌ", "lead"),
        ("Đơn vị chịu trách nhiệm phổ biến", "lead"),
        ("Bộ phụ trách tiếp nhận, xử lý", "lead"),
        ("Cơ quan tiếp nhận, xử lý", "lead"),
        ("Đơn vị đầu mối", "lead"),
        ("Cơ quan, đơn vị thực hiện", "lead"),
        ("Trách nhiệm thực hiện", "lead"),
        ("Đơn vị được giao nhiệm vụ", "lead"),
        ("Phân công thực hiện", "lead"),
        ("Nhiệm vụ thực hiện", "title"),
        ("Lãnh đạo phụ trách", "extra"),
        ("Người chịu trách nhiệm", "extra"),
        ("Người đứng đầu", "extra"),
        ("Tỉnh kiến nghị", "extra"),
        ("Kết quả thực hiện", "extra"),
        ("Thời gian thực hiện", "deadline"),
        ("Cơ quan phối hợp thực hiện", "coordinating"),
        ("Đơn vị tính", "extra"),
        ("Chỉ tiêu", "indicator"),
        ("Tên chỉ tiêu", "indicator"),
        ("Chỉ tiêu đạt được", "extra"),
        ("Chỉ tiêu năm 2030", "extra"),
        ("Nội dung kiến nghị", "title"),
    ],
)
def test_column_roles_by_meaning(header, role):
    assert column_roles([header]) == (role,)


def test_province_column_before_the_ministry_is_not_the_lead(tmp_path):
    header = "TT\tNội dung kiến nghị\tTỉnh kiến nghị\tBộ phụ trách tiếp nhận, xử lý"
    r = read_plan(plan(tmp_path, "1\tSửa quy định về đất đai\tĐồng Nai\tBộ Tài chính", header=header))
    (task,) = r.tasks
    assert [a.name for a in task.lead] == ["Bộ Tài chính"]
    assert dict(task.attributes) == {"Tỉnh kiến nghị": "Đồng Nai"}


def test_task_table_with_a_result_column_is_a_task_table(tmp_path):
    header = "TT\tNhiệm vụ\tChỉ tiêu đạt được\tCơ quan chủ trì\tThời gian"
    r = read_plan(plan(tmp_path, "1\tPhổ cập kỹ năng số\t80% người dân\tSở Nội vụ\t2026", header=header))
    (task,) = r.tasks
    assert dict(task.attributes) == {"Chỉ tiêu đạt được": "80% người dân"}
    assert r.indicators == ()
    assert [(t.reason, t.tasks) for t in r.tables] == [("task table", 1)]


# --- Indicator tables ----------------------------------------------------------------------------


def test_indicator_table_alone_is_read_and_its_groups_restart_numbering(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "| | **I. Kinh tế số** | |",
            "| 1 | Kinh tế số chiếm 40% GRDP. | Sở Tài chính |",
            "| 2 | Tỷ lệ doanh nghiệp ứng dụng công nghệ số đạt 60% | Sở Khoa học và Công nghệ |",
            "| | **II. Xã hội số** | |",
            "| 1 | Tỷ lệ phủ sóng 5G đạt 100% dân số. | Sở Khoa học và Công nghệ; Công an tỉnh |",
            header="| **TT** | **Chỉ tiêu** | **Chủ trì** |",
        )
    )
    assert r.tasks == ()
    assert [(i.id, i.group.title) for i in r.indicators] == [
        ("I.1", "Kinh tế số"),
        ("I.2", "Kinh tế số"),
        ("II.1", "Xã hội số"),
    ]
    assert [a.name for a in r.indicators[2].lead] == ["Sở Khoa học và Công nghệ", "Công an tỉnh"]
    assert [(t.reason, t.tasks, t.indicators) for t in r.tables] == [("indicator table (chỉ tiêu)", 0, 3)]


def test_indicator_target_and_a_heading_indicator_over_numbered_ones(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "| 1 | Quy mô kinh tế số | % GDP | ≥ 30 | Sở Tài chính |",
            "| 2 | Chỉ tiêu về dịch vụ công trực tuyến | | | |",
            "| 2.1 | Tỷ lệ hồ sơ trực tuyến toàn trình | % | 80 | Văn phòng UBND tỉnh |",
            "| 2.2 | Tỷ lệ thanh toán trực tuyến | % | 50 | Văn phòng UBND tỉnh |",
            header="| TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi, đánh giá |",
        )
    )
    assert [(i.id, i.target) for i in r.indicators] == [("1", "≥ 30"), ("2.1", "80"), ("2.2", "50")]
    assert r.indicators[1].group.title == "Chỉ tiêu về dịch vụ công trực tuyến"
    assert dict(r.indicators[0].attributes) == {"Đơn vị": "% GDP"}
    assert not [w for w in r.warnings if w.code in {"agency", "row"}]


def test_read_tasks_returns_indicators_and_raises_only_without_either(tmp_path):
    from kg.model.gazetteer import Gazetteer
    from loaders.appendix import NoTaskTable, read_tasks

    kwargs = dict(file="x", document="d", jurisdiction=None, gazetteer=Gazetteer.default(), warn=print)
    tasks, reports, indicators = read_tasks(
        ["| TT | Chỉ tiêu | Chủ trì |", "| 1 | Tỷ lệ | Bộ Nội vụ |"], **kwargs
    )
    assert (tasks, [r.indicators for r in reports], [i.id for i in indicators]) == ([], [1], ["1"])
    with pytest.raises(NoTaskTable):
        read_tasks(["Không có bảng."], **kwargs)


# --- Merged sub-rows ---------------------------------------------------------------------------


def test_short_sub_row_with_a_second_lead_and_partners_joins_its_task(tmp_path):
    header = "| TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |"
    r = read_plan(
        plan(
            tmp_path,
            "| 1 | Xây dựng cơ sở dữ liệu | Sở Nội vụ | Sở Tài chính | 2026 |",
            "| Sở Y tế | Sở Tư pháp |",
            "| 2 | Việc B | Sở Xây dựng | | 2027 |",
            header=header,
        )
    )
    assert [t.id for t in r.tasks] == ["1", "2"]
    first = r.tasks[0]
    assert [a.name for a in first.lead] == ["Sở Nội vụ", "Sở Y tế"]
    assert [a.name for a in first.coordinating] == ["Sở Tài chính", "Sở Tư pháp"]
    assert first.source.lines == (10, 11)
    assert not [w for w in r.warnings if w.code == "row"]


def test_sub_item_with_its_own_partners_is_part_of_the_task(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "1.\tTổ chức tuyên truyền\tSở Văn hóa và Thể thao\tSở Nội vụ\t2025",
            "\t- Trên báo chí\t\tĐài Phát thanh và Truyền hình Hà Nội\t",
            "\t- Trên mạng xã hội\tSở Khoa học và Công nghệ\tCông an Thành phố\t",
        )
    )
    (task,) = r.tasks
    assert task.title == "Tổ chức tuyên truyền - Trên báo chí - Trên mạng xã hội"
    assert [a.name for a in task.lead] == ["Sở Văn hóa và Thể thao", "Sở Khoa học và Công nghệ"]
    assert len(task.coordinating) == 3
    assert task.source.lines == (10, 11, 12)


def test_unnumbered_row_with_its_own_title_and_lead_stays_a_task(tmp_path):
    r = read_plan(plan(tmp_path, "1.\tViệc A\tSở Nội vụ\t\t2024", "\tViệc B\tSở Tài chính\t\t2024"))
    assert [(t.id, t.title) for t in r.tasks] == [("1", "Việc A"), ("2", "Việc B")]


# --- Rowspans in text tables ---------------------------------------------------------------------


def test_short_rows_take_the_merged_cells_from_the_row_above(tmp_path):
    header = "| **STT** | **Tên thông tin** | **Mức độ** | **Thời gian phổ biến** | **Hình thức** | **Đơn vị chịu trách nhiệm phổ biến** |"
    r = read_plan(
        plan(
            tmp_path,
            "| *A* | *B* | *1* | *2* | *3* | *4* |",
            "| *1* | Số đơn vị hành chính | Chính thức | Tháng 6/2026 | Cổng thông tin | Vụ Chính quyền địa phương |",
            "| *2* | Số đại biểu | Chính thức |",
            "| *3* | Số hội | Chính thức | Tháng 5/2026 | Cổng thông tin | Vụ Tổ chức phi chính phủ |",
            "| *4* | Số quỹ | Sơ bộ | Tháng 3/2026 |",
            "| *5* | Số văn bản |",
            header=header,
        )
    )
    got = [(t.id, [a.name for a in t.lead], t.deadline.text, dict(t.attributes)["Mức độ"]) for t in r.tasks]
    assert got == [
        ("1", ["Vụ Chính quyền địa phương"], "Tháng 6/2026", "Chính thức"),
        ("2", ["Vụ Chính quyền địa phương"], "Tháng 6/2026", "Chính thức"),
        ("3", ["Vụ Tổ chức phi chính phủ"], "Tháng 5/2026", "Chính thức"),
        ("4", ["Vụ Tổ chức phi chính phủ"], "Tháng 3/2026", "Sơ bộ"),
        ("5", ["Vụ Tổ chức phi chính phủ"], "Tháng 3/2026", "Sơ bộ"),
    ]
    assert not [w for w in r.warnings if w.code == "row"]


def test_a_cell_merged_in_the_middle_is_found_by_what_the_others_hold(tmp_path):
    header = "| TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |"
    r = read_plan(
        plan(
            tmp_path,
            "| 1 | Việc A | Sở Nội vụ | Sở Tài chính | Quý I/2026 |",
            "| 2 | Việc B | Quý II/2026 |",
            header=header,
        )
    )
    b = r.tasks[1]
    assert ([a.name for a in b.lead], [a.name for a in b.coordinating], b.deadline.text) == (
        ["Sở Nội vụ"],
        ["Sở Tài chính"],
        "Quý II/2026",
    )


# --- Several tables numbering from 1 ---------------------------------------------------------


def test_task_ids_carry_the_appendix_when_several_tables_number_from_1(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "1.\tViệc A\tSở Nội vụ\t\t2024",
            "2.\tViệc B\tSở Nội vụ\t\t2024",
            "",
            "PHỤ LỤC II",
            "",
            HEAD,
            "1.\tViệc C\tSở Tài chính\t\t2025",
            header="PHỤ LỤC I\n\n" + HEAD,
        )
    )
    assert [t.id for t in r.tasks] == ["PL I.1", "PL I.2", "PL II.1"]
    assert not [w for w in r.warnings if w.code == "duplicate-id"]


def test_tables_without_appendix_headings_are_numbered(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "1.\tViệc A\tSở Nội vụ\t\t2024",
            "",
            "Bảng sau:",
            "",
            HEAD,
            "1.\tViệc C\tSở Tài chính\t\t2025",
        )
    )
    assert [t.id for t in r.tasks] == ["Bảng 1.1", "Bảng 2.1"]


def test_a_table_broken_by_a_page_keeps_plain_ids(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "I\tNhóm một\t\t\t",
            "1.\tViệc A\tSở Nội vụ\t\t2024",
            "Trang 2",
            HEAD,
            "II\tNhóm hai\t\t\t",
            "1.\tViệc B\tSở Tài chính\t\t2025",
        )
    )
    assert [t.id for t in r.tasks] == ["I.1", "II.1"]


def test_row_with_only_a_second_lead_joins_the_numbered_task_above(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "1.\tXây dựng đề án\tSở Nội vụ\tSở Tài chính\t2025",
            "\t\tSở Y tế\tSở Tư pháp\t",
            "2.\tViệc B\tSở Xây dựng\t\t2026",
        )
    )
    assert [t.id for t in r.tasks] == ["1", "2"]
    assert [a.name for a in r.tasks[0].lead] == ["Sở Nội vụ", "Sở Y tế"]
    assert r.tasks[0].lead_text == "Sở Nội vụ; Sở Y tế"
    assert [a.name for a in r.tasks[0].coordinating] == ["Sở Tài chính", "Sở Tư pháp"]


def test_a_piece_of_a_cell_that_names_no_body_is_a_fragment_warning_on_its_row(tmp_path):
    r = read_plan(
        plan(
            tmp_path,
            "| 1 | Việc A | Sở Nội vụ, cấp xã | Báo chí | 2026 |",
            header="| TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |",
        )
    )
    (task,) = r.tasks
    assert [a.agency.name for a in task.assignments] == ["Sở Nội vụ"]
    fragments = [w for w in r.warnings if w.code == "fragment"]
    assert {w.line for w in fragments} == {task.source.lines[0]}
    assert ["cấp xã" in w.message for w in fragments] == [True, False]
