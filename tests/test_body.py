"""Reading a plan's body: addressees, kinds, coordinators, reports, provenance.

Expected values are read by hand from examples/hanoi-kh-30-ctr-tu-2024.txt, lines 1–177.
"""

from __future__ import annotations

import pytest

from kg.model.body import BodyKind
from kg.model.gazetteer import Gazetteer
from loaders.body import read_body, read_body_lines
from tests.support.deps import need

# Every lettered item of section II, every bullet under it, and the items of section III,
# with the kind a reader gives it (lines 23–177 of the sample).
SAMPLE_ITEMS = {
    "II.1.a": "request",  # Đề nghị Ban Tuyên giáo Thành ủy
    "II.1.b": "assign",
    "II.1.c#1": "general",  # Các sở, ban, ngành, UBND các quận, huyện, thị xã, đơn vị thuộc Thành phố
    "II.1.c#2": "general",
    "II.1.d": "request",  # Đề nghị Ủy ban MTTQ …, các đoàn thể chính trị - xã hội
    "II.1.đ": "request",  # Đề nghị Đảng ủy ĐHQGHN, Đảng ủy Khối các Trường ĐH, CĐ
    "II.2.a#1": "assign",
    "II.2.a#2": "assign",
    "II.2.b": "assign",
    "II.2.c": "assign",
    "II.2.d#1": "general",
    "II.2.d#2": "general",
    "II.3.a#1": "assign",
    "II.3.a#2": "assign",
    "II.3.b": "assign",
    "II.3.c": "assign",
    "II.3.d": "general",
    "II.4.a#1": "assign",
    "II.4.a#2": "assign",
    "II.4.b#1": "assign",
    "II.4.b#2": "assign",
    "II.4.c": "assign",
    "II.4.d": "assign",
    "II.4.đ": "assign",
    "II.4.e#1": "assign",
    "II.4.e#2": "assign",
    "II.4.g#1": "assign",
    "II.4.g#2": "assign",
    "II.4.h": "assign",
    "II.4.i": "assign",
    "II.4.k": "general",
    "II.5.a#1": "assign",
    "II.5.a#2": "assign",
    "II.5.a#3": "assign",
    "II.5.b#1": "assign",
    "II.5.b#2": "assign",
    "II.5.c": "general",
    "III.1": "general",
    "III.2": "request",  # Đề nghị các cấp ủy đảng, chính quyền, Ủy ban MTTQ …
    "III.3": "standing",  # Sở Khoa học và Công nghệ là cơ quan thường trực
}


@pytest.fixture(scope="module")
def body(sample_path):
    return read_body(sample_path)


@pytest.fixture(scope="module")
def by_ref(body):
    return {i.ref: i for i in body.assignments}


def _names(agencies):
    return [a.name for a in agencies]


def test_every_item_and_bullet_is_read_with_its_kind(body):
    assert {i.ref: i.kind.value for i in body.assignments} == SAMPLE_ITEMS
    assert [i.ref for i in body.assignments] == list(SAMPLE_ITEMS)  # document order
    assert body.warnings == ()


def test_addressees(by_ref):
    assert _names(by_ref["II.1.a"].agencies) == ["Ban Tuyên giáo Thành ủy"]
    assert _names(by_ref["II.1.d"].agencies) == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố",
        "Các đoàn thể chính trị - xã hội Thành phố",
    ]
    assert _names(by_ref["II.1.đ"].agencies) == [
        "Đảng ủy Đại học Quốc gia Hà Nội",
        "Đảng ủy Khối các Trường Đại học, Cao đẳng Hà Nội",
    ]
    assert _names(by_ref["II.4.i"].agencies) == ["Ngân hàng Nhà nước Việt Nam chi nhánh Hà Nội"]
    # Bullets inherit the addressee of their item.
    assert _names(by_ref["II.5.a#3"].agencies) == ["Sở Nội vụ"]
    assert all(a.is_collective for a in by_ref["II.4.k"].agencies)
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố" in _names(by_ref["III.2"].agencies)


def test_standing_agency_is_science_and_technology(body):
    standing = [i for i in body.assignments if i.kind is BodyKind.STANDING]
    assert [(i.ref, _names(i.agencies)) for i in standing] == [("III.3", ["Sở Khoa học và Công nghệ"])]
    assert _names(standing[0].reports_to) == ["UBND Thành phố"]


def test_coordinators_and_reports(by_ref):
    assert _names(by_ref["II.1.b"].coordinating)[0] == "Ban Tuyên giáo Thành ủy"
    assert _names(by_ref["II.2.c"].coordinating)[:2] == [
        "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội",
        "Trường Đào tạo Cán bộ Lê Hồng Phong",
    ]
    assert _names(by_ref["II.5.b#1"].coordinating)[:2] == ["Sở Nội vụ", "Sở Khoa học và Công nghệ"]
    assert by_ref["II.2.a#1"].coordinating == ()
    # "… gửi Sở Nội vụ tổng hợp, báo cáo Thành ủy, UBND Thành phố": the item reports to Sở Nội vụ.
    assert _names(by_ref["II.2.d#1"].reports_to) == ["Sở Nội vụ"]


def test_provenance_and_page_break_continuations(by_ref, body):
    assert by_ref["II.2.a#1"].source.lines == (55,)
    assert by_ref["II.1.đ"].source.lines == (45, 47, 49)  # "… Nghị quyết" / "số 45-NQ/TW …"
    assert "số 45-NQ/TW và các văn bản" in by_ref["II.1.đ"].text
    assert by_ref["II.3.a#1"].text.endswith("đơn vị liên quan;")
    assert by_ref["II.1.a"].text.startswith("Chỉ đạo công tác tuyên truyền")  # the addressee is not text
    # Nothing from the aims (section I), the recipients list or the appendix.
    assert all(23 < line < 179 for i in body.assignments for line in i.source.lines)
    assert "Phụ lục" not in by_ref["II.5.c"].text


def _read(text: str, place: str | None = None):
    return read_body_lines(
        text.split("\n"), file="x.txt", document="d", jurisdiction=place, gazetteer=Gazetteer.default()
    )


def test_numbered_agency_headings_with_lettered_duties():
    """The layout of national decisions: "1. Bộ Xây dựng" then "a) Chủ trì, phối hợp với …"."""
    items, warnings = _read(
        "I. QUAN ĐIỂM\n\n1. Bộ Xây dựng là cơ quan quản lý.\n\n"
        "V. TỔ CHỨC THỰC HIỆN\n\n1. Bộ Xây dựng\n\na) Chủ trì, phối hợp với Bộ Tài chính tổ chức triển khai\n"
        "thực hiện Đề án;\n\nb) Cụ thể hóa các nội dung của Đề án.\n\n"
        "2. Giao Bộ Tài chính chủ trì bố trí kinh phí.\n\n"
        "3. Khuyến khích Hiệp hội Doanh nghiệp tham gia.\n\n"
        "Nơi nhận:\n- Bộ Xây dựng;\n- Lưu: VT."
    )
    got = [(i.ref, i.kind.value, _names(i.agencies), _names(i.coordinating)) for i in items]
    assert got == [
        ("V.1.a", "assign", ["Bộ Xây dựng"], ["Bộ Tài chính"]),
        ("V.1.b", "assign", ["Bộ Xây dựng"], []),
        ("V.2", "assign", ["Bộ Tài chính"], []),
        ("V.3", "request", ["Hiệp hội Doanh nghiệp"], []),
    ]
    assert items[0].source.lines == (9, 10)  # the marker line and its hard-wrapped continuation
    assert warnings == []


def test_items_without_addressee_are_general_and_warned():
    items, warnings = _read("II. NHIỆM VỤ CỤ THỂ\n\na) Xây dựng nền tảng số.\n\nb) Tổ chức đào tạo cán bộ.")
    assert [(i.ref, i.kind.value, i.agencies) for i in items] == [
        ("II.a", "general", ()),
        ("II.b", "general", ()),
    ]
    assert [w.code for w in warnings] == ["body"]


def test_a_body_without_task_items_gives_one_warning():
    items, warnings = _read("QUYẾT ĐỊNH:\n\nĐiều 1. Phê duyệt Chương trình.\n\n[…]\n\nĐiều 2. Có hiệu lực.")
    assert items == []
    assert len(warnings) == 1 and "only the appendix is kept" in warnings[0].message


def test_topic_headings_are_not_addressees():
    items, _ = _read(
        "III. NHIỆM VỤ\n\n1. Tổ chức, bộ máy\n\n- Tổ chức triển khai xây dựng hạ tầng.\n\n"
        "2. Doanh nghiệp số\n\n- Ban hành Chương trình hỗ trợ doanh nghiệp."
    )
    assert [(i.ref, i.agencies) for i in items] == [("III.1#1", ()), ("III.2#1", ())]


@pytest.mark.corpus
def test_every_corpus_document_is_read_without_crash(corpus_dir):
    counts = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        reading = read_body(path)
        counts[path.name] = len(reading.assignments)
        if not reading.assignments:
            assert [w.code for w in reading.warnings if w.code == "body"] == ["body"]
        for item in reading.assignments:
            assert item.text and item.source.lines
    assert counts["doc02.txt"] == 0  # its Điều 1 is left out of the copy: nothing to read
    assert all(n > 0 for name, n in counts.items() if name != "doc02.txt")
    # Documents whose organisation section names agencies yield addressed items.
    for name in ("doc04.txt", "doc06.txt", "doc07.txt", "doc08.txt", "doc10.txt"):
        reading = read_body(corpus_dir / name)
        assert any(i.kind is BodyKind.ASSIGN for i in reading.assignments), name


# ---------------------------------------------------------------- the same body in every format

_MARKUP = ("<b>", "</b>")


def _blocks(lines: list[str]) -> list[str | list[list[str]]]:
    """The sample as paragraphs and tables (its tab-separated rows), as a word processor holds it."""
    out: list[str | list[list[str]]] = []
    for line in lines:
        if "\t" in line:
            row = [cell.strip() for cell in line.split("\t")]
            if out and isinstance(out[-1], list):
                out[-1].append(row)
            else:
                out.append([row])
        else:
            out.append(line)
    return out


def _bold(cell: str) -> tuple[str, bool]:
    bare = cell.replace(_MARKUP[0], "").replace(_MARKUP[1], "")
    return bare, bare != cell


def _as_md(lines: list[str], path):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _as_docx(lines: list[str], path):
    docx = need("docx")
    d = docx.Document()
    for block in _blocks(lines):
        if isinstance(block, str):
            if block.strip():  # a word processor separates paragraphs without empty ones
                d.add_paragraph(block)
            continue
        width = max(len(r) for r in block)
        table = d.add_table(rows=len(block), cols=width)
        for r, row in enumerate(block):
            for c, cell in enumerate(row):
                text, bold = _bold(cell)
                table.cell(r, c).paragraphs[0].add_run(text).bold = bold or None
    d.save(path)


def _as_html(lines: list[str], path):
    from html import escape

    parts = ["<html><head><title>Kế hoạch</title></head><body>"]
    for block in _blocks(lines):
        if isinstance(block, str):
            parts.append(f"<p>{escape(block)}</p>" if block.strip() else "")
            continue
        rows = []
        for row in block:
            cells = [_bold(c) for c in row]
            rows.append(
                "".join(f"<td>{'<b>' if b else ''}{escape(t)}{'</b>' if b else ''}</td>" for t, b in cells)
            )
        parts.append("<table>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>")
    path.write_text("".join(parts) + "</body></html>", encoding="utf-8")


def _items(reading):
    return [(i.ref, i.kind.value, _names(i.agencies), _names(i.coordinating)) for i in reading.assignments]


@pytest.mark.parametrize("suffix, write", [(".md", _as_md), (".docx", _as_docx), (".html", _as_html)])
def test_the_body_reads_the_same_in_every_format(sample_path, body, tmp_path, suffix, write):
    """A plan's body goes through the format loader: its .docx or .html reads as its .txt does."""
    path = tmp_path / sample_path.with_suffix(suffix).name
    write(sample_path.read_text(encoding="utf-8").splitlines(), path)
    reading = read_body(path)
    assert reading.document == body.document and reading.file == str(path)
    assert _items(reading) == _items(body) and len(body.assignments) == len(SAMPLE_ITEMS)


@pytest.mark.parametrize("suffix, write", [(".docx", _as_docx), (".html", _as_html)])
def test_kg_audit_reads_a_plan_in_any_format(runner, sample_path, tmp_path, suffix, write):
    from kg.cli import main

    path = tmp_path / sample_path.with_suffix(suffix).name
    write(sample_path.read_text(encoding="utf-8").splitlines(), path)
    res = runner.invoke(main, ["audit", str(path)])
    assert res.exit_code == 0, res.output
    assert "binary file" not in res.output and "40 body items" in res.output and "lead-differs" in res.output
