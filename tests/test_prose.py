"""Tasks a plan assigns in its text (loaders/prose.py), one small invented plan per form."""

from __future__ import annotations

import pytest

from kg.model.gazetteer import Gazetteer
from loaders import read_plan
from loaders.appendix import NoTaskTable
from loaders.prose import read_prose_tasks
from tests.support.corpus_score import golden_files, load_golden, score

G = Gazetteer.default()


def _read(text: str, jurisdiction: str = "Hà Nội"):
    lines = text.strip("\n").splitlines()
    return read_prose_tasks(lines, file="x.txt", document="d", jurisdiction=jurisdiction, gazetteer=G)


def _roles(task):
    return [a.name for a in task.lead], [a.name for a in task.coordinating]


LABELLED_LETTERS = """
I. MỤC ĐÍCH, YÊU CẦU

1. Sở Tư pháp chủ trì, phối hợp với Sở Tài chính bảo đảm mục đích.

II. NHIỆM VỤ

**1. Về dữ liệu**

**1.1. Xây
dựng chiến lược dữ liệu:**

a) Nhiệm vụ: Rà soát chiến lược; Sở Tài chính chủ trì, phối hợp với Công an Thành phố tổng hợp.

b) Cơ quan thực hiện:

- Đơn vị chủ trì: Sở Khoa học
và Công nghệ.

- Đơn vị phối hợp: Sở Nội vụ, Sở Tài chính.

c) Thời gian thực hiện: Hoàn
thành trong năm 2025.
"""


def test_labelled_item_with_lettered_fields_is_read_from_its_labels():
    (task,) = _read(LABELLED_LETTERS)
    assert task.id == "II.1.1" and task.source.lines[0] == 9  # the heading line of the item
    assert _roles(task) == (["Sở Khoa học và Công nghệ"], ["Sở Nội vụ", "Sở Tài chính"])
    assert task.deadline.text == "Hoàn thành trong năm 2025" and task.deadline.end.isoformat() == "2025-12-31"
    assert task.group.id == "II.1" and task.title == "Xây dựng chiến lược dữ liệu"
    assert task.lead_text == "Sở Khoa học và Công nghệ."


LABELLED_DASHES = """
II. NỘI DUNG KẾ HOẠCH

**1.****
**Tuyên truyền, phổ biến Luật.

- Cơ quan chủ trì: Sở Tư pháp.

- *Cơ quan phối hợp:* Các sở, ngành; Sở Nội vụ.

**Thời**
**gian thực hiện:** Quý IV/2025.

**2.** Rà soát văn bản

- Cơ quan thực hiện: Sở Nội vụ chủ trì tham mưu, phối hợp với Sở Tài chính.

3. Tổ chức triển khai Chiến lược quốc gia

Thời gian thực hiện sau khi Chiến lược được ban hành.
"""


def test_labelled_dash_fields_wrapped_and_bold_labels_one_sentence_executor():
    one, two, three = _read(LABELLED_DASHES)
    assert (one.id, one.source.lines[0]) == ("II.1", 3)
    assert _roles(one) == (["Sở Tư pháp"], ["Các sở, ngành", "Sở Nội vụ"])
    assert one.deadline.text == "Quý IV/2025" and one.deadline.start.isoformat() == "2025-10-01"
    # "Cơ quan thực hiện: Sở X chủ trì …, phối hợp với Y": X leads, Y coordinates.
    assert _roles(two) == (["Sở Nội vụ"], ["Sở Tài chính"])
    # A numbered item among labelled ones is a task even with no body named.
    assert (three.id, _roles(three), three.deadline.text) == (
        "II.3",
        ([], []),
        "sau khi Chiến lược được ban hành",
    )


AGENCY_HEADED = """
III. PHÂN CÔNG NHIỆM VỤ

**1. Nhiệm vụ của các cơ quan**

**1.1.
Công an tỉnh**

a) Chủ trì, phối hợp với Sở Tư pháp, Sở Nội vụ tổ chức tuyên truyền.

b) Phối hợp với Bộ Chỉ huy Quân sự tỉnh tuần tra biên giới.

c) Phối hợp với các đơn vị liên quan kiểm tra định kỳ.

d) Tham mưu Ủy ban nhân dân tỉnh phối hợp Bộ Công an triển khai dự án.

*1.2.*
*Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo*

Bố trí kinh phí thực hiện Kế hoạch.

2. Đề nghị Tòa án nhân dân tỉnh

- Đẩy nhanh xét xử các vụ án.

- Phối hợp chặt chẽ với Công an tỉnh và các cơ quan có liên quan lập hồ sơ
các vụ án về ma túy; chủ trì tổng kết công tác xét xử.
"""


def test_items_under_agency_headings():
    tasks = _read(AGENCY_HEADED, "Nghệ An")
    by = {t.id: t for t in tasks}
    assert list(by) == [
        "III.1.1.a",
        "III.1.1.b",
        "III.1.1.c",
        "III.1.1.d",
        "III.1.2",
        "III.2.1",
        "III.2.2",
        "III.2.2#2",
    ]
    assert by["III.1.1.a"].source.lines[0] == 8 and by["III.1.1.a"].group.title == "Công an tỉnh"
    assert _roles(by["III.1.1.a"]) == (["Công an tỉnh"], ["Sở Tư pháp", "Sở Nội vụ"])
    # "Phối hợp với X …": X leads, the heading's body coordinates.
    assert _roles(by["III.1.1.b"]) == (["Bộ Chỉ huy Quân sự tỉnh"], ["Công an tỉnh"])
    # … unless X is only the related units: the heading's body still leads.
    assert _roles(by["III.1.1.c"]) == (["Công an tỉnh"], ["Các đơn vị liên quan"])
    # The ministry the province works with is not the task's partner.
    assert _roles(by["III.1.1.d"]) == (["Công an tỉnh"], [])
    # A heading split over lines, its role after a dash dropped; its one paragraph is the task.
    assert _roles(by["III.1.2"]) == (["Sở Tài chính"], [])
    assert by["III.1.2"].source.lines[0] == 19 and by["III.1.2"].group.title.startswith("Sở Tài chính")
    # A request: the body leads, the task says it was asked.
    assert dict(by["III.2.1"].attributes) == {"request": "Đề nghị"}
    assert [a.name for a in by["III.2.1"].lead] == ["Tòa án nhân dân tỉnh"]
    # One bullet holding both roles is two tasks; the second starts on the line of "chủ trì".
    assert _roles(by["III.2.2"])[0] == ["Công an tỉnh"]
    assert "Tòa án nhân dân tỉnh" in _roles(by["III.2.2"])[1]
    assert [a.name for a in by["III.2.2#2"].lead] == ["Tòa án nhân dân tỉnh"]
    assert (by["III.2.2"].source.lines, by["III.2.2#2"].source.lines) == ((25,), (26,))


SUB_ITEMS = """
IV. NHIỆM VỤ CỤ THỂ

*1.3.
Các cơ quan tham mưu quản lý ngành (gồm các Sở: Xây dựng, Văn hóa, Thể thao và Du lịch)*

- Phối
hợp hướng dẫn các địa phương thực hiện kiểm kê. Trong đó:

+ Sở
Xây dựng: hướng dẫn kiểm kê tài sản giao thông.

+ Sở Văn hóa, Thể thao và Du lịch phối hợp Sở Tài chính: hướng dẫn kiểm kê thiết chế văn hóa.

Thời
gian thực hiện: Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê.

- Cử công chức tham gia tổ công tác.

Thời
hạn hoàn thành: Trước ngày 31/12/2025.

*2.1. Công an tỉnh*

b) Chủ trì, phối hợp

- Sở Tài chính và các đơn vị có liên quan tham mưu cân đối ngân sách.

- Sở Nội vụ tham mưu phân cấp quản lý.
"""


def test_sub_items_that_name_their_bodies_are_tasks_of_their_own():
    tasks = _read(SUB_ITEMS, "Quảng Ngãi")
    by = {t.id: t for t in tasks}
    assert list(by) == ["IV.1.3.1.1", "IV.1.3.1.2", "IV.1.3.2", "IV.2.1.b.1", "IV.2.1.b.2"]
    # "+ Sở X: …" leads its sub-task; the deadline after the sub-items is theirs, all of them.
    assert _roles(by["IV.1.3.1.1"]) == (["Sở Xây dựng"], [])
    assert _roles(by["IV.1.3.1.2"]) == (["Sở Văn hóa, Thể thao và Du lịch"], ["Sở Tài chính"])
    assert {by[k].deadline.start.isoformat() for k in ("IV.1.3.1.1", "IV.1.3.1.2")} == {"2025-11-01"}
    # The class heading's members ("các Sở: …", shared head noun) lead its other items.
    assert _roles(by["IV.1.3.2"])[0] == ["Sở Xây dựng", "Sở Văn hóa, Thể thao và Du lịch"]
    assert by["IV.1.3.2"].deadline.end.isoformat() == "2025-12-31"
    assert by["IV.1.3.1.1"].source.lines[0] == 9
    # "b) Chủ trì, phối hợp" + bullets: one task per bullet, the bullet's bodies coordinate.
    assert _roles(by["IV.2.1.b.1"]) == (["Công an tỉnh"], ["Sở Tài chính", "Các đơn vị liên quan"])
    assert _roles(by["IV.2.1.b.2"]) == (["Công an tỉnh"], ["Sở Nội vụ"])


ONE_SENTENCE = """
III. KINH PHÍ

1. Kinh phí thực hiện Kế hoạch được bố trí từ ngân sách.

2. Sở Tài chính, trên cơ sở đề xuất của các cơ quan, đơn vị, chủ trì tổng hợp dự toán.

3. Các cơ quan được phân công chủ trì thực hiện nhiệm vụ có trách nhiệm lập dự toán.

IV. TỔ CHỨC THỰC HIỆN

1. Sở Khoa học và Công nghệ theo dõi, đôn đốc các sở, ngành triển khai Kế hoạch.

2. Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh kiểm tra việc thực hiện.

Đồng thời, giao Công an tỉnh chủ trì, phối hợp với Sở Tư pháp rà soát văn bản.

3. Các sở, ban, ngành và các cơ quan, đơn vị có liên quan xây dựng kế hoạch triển khai.

4. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan phản ánh về Sở Nội vụ.
"""


def test_one_sentence_duties_and_what_is_not_a_task():
    tasks = _read(ONE_SENTENCE, "Đồng Nai")
    assert [(t.id, t.source.lines[0]) for t in tasks] == [
        ("III.2", 5),
        ("IV.1", 11),
        ("IV.2", 13),
        ("IV.2#2", 15),
    ]
    assert _roles(tasks[0]) == (["Sở Tài chính"], [])
    assert _roles(tasks[1]) == (["Sở Khoa học và Công nghệ"], [])
    assert _roles(tasks[2]) == (["Công an tỉnh"], ["Văn phòng UBND tỉnh"])
    assert _roles(tasks[3]) == (["Công an tỉnh"], ["Sở Tư pháp"])
    assert tasks[2].group.id == "IV"


def test_aims_sections_and_plain_prose_give_no_task():
    assert _read("I. MỤC ĐÍCH\n\n1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính nâng cao nhận thức.") == []
    assert _read("Một văn bản không có nhiệm vụ.") == []


def test_read_plan_reads_prose_when_there_is_no_task_table(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n\nKẾ HOẠCH\n\n" + AGENCY_HEADED, encoding="utf-8")
    result = read_plan(plan)
    assert len(result.tasks) == 8 and len({t.id for t in result.tasks}) == 8
    assert all(t.document == result.documents[0].id and t.source.file == str(plan) for t in result.tasks)
    note = tmp_path / "note.txt"
    note.write_text("Ghi chú: không có bảng, không có nhiệm vụ.\n", encoding="utf-8")
    with pytest.raises(NoTaskTable):
        read_plan(note)


PROSE_GOLDEN = [p for p in golden_files() if p.name.startswith("prose--")]


@pytest.mark.corpus
@pytest.mark.parametrize("path", PROSE_GOLDEN, ids=[p.stem for p in PROSE_GOLDEN])
def test_prose_corpus_every_task_found(corpus_dir, path):
    """Every task of a prose plan's golden file is found, none extra (names: tests/test_corpus.py)."""
    golden = load_golden(path)
    s = score(read_plan(corpus_dir / golden["file"]), golden)
    assert (s.found, s.extra) == (s.expected, 0), s.line()


PARAGRAPHS = """
VI. TỔ CHỨC THỰC HIỆN

**5. Sở
Công Thương**

Chủ trì triển khai các nhiệm vụ tại mục IV của Kế hoạch.

Tăng cường quản lý thương mại điện tử.

**9. Doanh
nghiệp số**

Phát triển các doanh nghiệp số là lực đẩy chủ đạo.

**18. Các doanh nghiệp công nghệ số**

a) Doanh nghiệp công nghệ số chủ động tham gia triển khai Kế hoạch.

b) Doanh nghiệp công nghệ số là lực lượng tiên phong trong kiến tạo hạ tầng.
"""


def test_paragraphs_under_a_heading_topics_and_statements():
    tasks = _read(PARAGRAPHS, "Bắc Ninh")
    # Two paragraphs under an agency heading: two tasks.  A topic ("Doanh nghiệp số") is no body;
    # "X là lực lượng tiên phong …" says what X is, it gives no task.
    assert [(t.id, t.source.lines[0]) for t in tasks] == [("VI.5.1", 6), ("VI.5.2", 8), ("VI.18.a", 17)]
    assert {a.name for t in tasks[:2] for a in t.lead} == {"Sở Công Thương"}


def test_a_body_with_its_duties_after_a_colon_is_a_heading():
    text = """
III. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính có trách nhiệm:

- Chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí.

- Phối hợp với Công an tỉnh kiểm tra việc sử dụng kinh phí.
"""
    tasks = _read(text, "Nghệ An")
    assert [(t.id, *_roles(t)) for t in tasks] == [
        ("III.1.1", ["Sở Tài chính"], ["Sở Nội vụ"]),
        ("III.1.2", ["Công an tỉnh"], ["Sở Tài chính"]),
    ]


def test_text_of_a_labelled_field_that_names_no_body_is_a_fragment_warning():
    text = """
II. NỘI DUNG

1. Rà soát văn bản

- Cơ quan chủ trì: Sở Tư pháp.

- Cơ quan phối hợp: Sở Nội vụ, cấp xã.
"""
    warnings = []
    lines = text.strip("\n").splitlines()
    (task,) = read_prose_tasks(
        lines, file="x.txt", document="d", jurisdiction="Hà Nội", gazetteer=G, warn=warnings.append
    )
    assert _roles(task) == (["Sở Tư pháp"], ["Sở Nội vụ"])
    fragments = [w for w in warnings if w.code == "fragment"]
    assert [(w.line, "cấp xã" in w.message) for w in fragments] == [(task.source.lines[0], True)]


HEADED = """
III. TỔ CHỨC THỰC HIỆN

**1. Sở Khoa học và Công nghệ**

a) Tổng hợp, đánh giá kết quả thực hiện Kế hoạch hằng năm.

b) Bố trí kinh phí chi thường xuyên hằng năm theo quy định.

c) Tăng cường năng lực phòng, chống ma túy. Phối hợp chặt chẽ lực lượng Công an và các lực lượng liên quan thực hiện Kế hoạch.

**2. Các doanh nghiệp công nghệ số**

a) Doanh nghiệp viễn thông, bưu chính ưu tiên đầu tư nâng cấp hạ tầng số.

b) Doanh nghiệp công nghệ số chủ động tham gia triển khai Kế hoạch.

**3. Ủy ban nhân dân các xã, phường**

a) Chỉ đạo các ban, ngành phối hợp với lực lượng Công an trong rà soát người nghiện.
"""


def test_headed_items_deadlines_subjects_and_police_level():
    tasks = {t.id: t for t in _read(HEADED, jurisdiction="Đồng Nai")}
    # a yearly report of results is due every year; a yearly budget is no deadline
    assert tasks["III.1.a"].deadline.text == "hằng năm" and tasks["III.1.b"].deadline.text == ""
    # a bare "Công an" beside a provincial body is the province's police ...
    assert _roles(tasks["III.1.c"]) == (
        ["Sở Khoa học và Công nghệ"],
        ["Công an tỉnh", "các lực lượng liên quan"],
    )
    # ... beside the communes, their own, as written
    assert _roles(tasks["III.3.a"])[1] == ["Công an"]
    # an item whose sentence has other bodies as its subject is theirs
    assert _roles(tasks["III.2.a"])[0] == [
        "Các doanh nghiệp viễn thông",
        "Các doanh nghiệp cung cấp dịch vụ bưu chính",
    ]
    assert _roles(tasks["III.2.b"])[0] == ["Tập đoàn, doanh nghiệp công nghệ số"]


def test_a_time_clause_on_issue_is_the_deadline_of_an_unlabelled_item():
    text = """
II. NHIỆM VỤ

1. Tuyên truyền Luật

- Cơ quan chủ trì: Sở Tư pháp.

2. Xây dựng văn bản hướng dẫn

Sở, ban, ngành thuộc Ủy ban nhân dân Thành phố có trách nhiệm tham mưu ban hành văn bản khi Chính phủ ban hành các văn bản quy định chi tiết.
"""
    tasks = {t.id: t for t in _read(text, jurisdiction="Thành phố Hồ Chí Minh")}
    assert tasks["II.2"].deadline.text == "khi Chính phủ ban hành các văn bản quy định chi tiết"
    assert _roles(tasks["II.2"])[0] == ["Các sở, ban, ngành"]


def test_prose_warns_of_an_unknown_class_as_a_table_does():
    """One rule for every reader: a name the gazetteer does not know, body or class, is reported."""
    lines = [
        "III. TỔ CHỨC THỰC HIỆN",
        "",
        "1. Sở Công Thương",
        "",
        "a) Chủ trì, phối hợp với các hội, hiệp hội, doanh nghiệp tổ chức hội chợ; hoàn thành trong năm 2026.",
    ]
    warnings = []
    (task,) = read_prose_tasks(
        lines, file="x.txt", document="d", jurisdiction="Hà Nội", gazetteer=G, warn=warnings.append
    )
    assert [a.name for a in task.coordinating] == ["các hội, hiệp hội, doanh nghiệp"]
    assert [w.message for w in warnings] == [
        "task III.1.a: agency not in the gazetteer, kept as written: 'các hội, hiệp hội, doanh nghiệp'"
    ]
