"""One small plan written as Markdown, DOCX, HTML, CSV and XLSX reads the same in every format;
bad files fail alone, on one line, and a batch goes on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.model import PlanError
from loaders import read_batch, read_plan
from tests.support.deps import need

HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan\nchủ trì", "Cơ quan phối hợp", "Thời gian", "Sản phẩm"]
PREAMBLE = [
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
    "Số: 12/KH-UBND",
    "Đồng Tháp, ngày 05 tháng 4 năm 2026",
    "KẾ HOẠCH",
    "Chuyển đổi số trong doanh nghiệp",
    "PHỤ LỤC",
]
# What a careful reader finds in every version of the plan.
EXPECTED = {
    "I.1": (["Sở Nội vụ"], ["Sở Tài chính"], "2026-04-01"),
    "I.2": (["Sở Nội vụ"], ["Sở Tư pháp", "UBND các phường, xã"], "2026-01-01"),
    "II.1": (["Sở Khoa học và Công nghệ", "Sở Công Thương"], ["Các sở, ban, ngành"], None),
}


def _read(path: Path):
    result = read_plan(path)
    got = {
        t.id: ([a.name for a in t.lead], [a.name for a in t.coordinating], t.deadline.as_dict()["start"])
        for t in result.tasks
    }
    return result, got


def _markdown(tmp_path: Path) -> Path:
    rows = [
        "| " + " | ".join(h.replace("\n", "<br>") for h in HEADER) + " |",
        "| --- | --- | --- | --- | --- | --- |",
        "| **I. NHÓM MỘT** |",
        "| 1 | Việc A | Sở Nội vụ | Sở Tài chính | Quý II/2026 | Báo cáo |",
        "| 2 | Việc B | Sở Nội vụ | Sở Tư pháp, UBND các phường, xã | 2026 | Kế hoạch |",
        "| **II** | **Nhóm hai** | ** ** | ** ** | ** ** | ** ** |",
        "| 1 | Việc C | Sở Khoa học và Công nghệ Sở Công Thương | Các sở, ban, ngành | Thường xuyên | |",
    ]
    p = tmp_path / "plan.md"
    p.write_text("\n\n".join(PREAMBLE) + "\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def _docx(tmp_path: Path) -> Path:
    docx = need("docx")
    d = docx.Document()
    for text in PREAMBLE:
        d.add_paragraph(text)
    t = d.add_table(rows=6, cols=6)
    for i, h in enumerate(HEADER):
        t.cell(0, i).text = h
    group = t.cell(1, 0).merge(t.cell(1, 5))  # a group row merged across the table
    group.text = "I. NHÓM MỘT"
    for r, cells in ((2, ["1", "Việc A", "Sở Nội vụ", "Sở Tài chính", "Quý II/2026", "Báo cáo"]),
                     (3, ["2", "Việc B", "", "Sở Tư pháp, UBND các phường, xã", "2026", "Kế hoạch"]),
                     (5, ["1", "Việc C", "Sở Khoa học và Công nghệ Sở Công Thương", "Các sở, ban, ngành",
                          "Thường xuyên", ""])):  # fmt: skip
        for i, text in enumerate(cells):
            if text:
                t.cell(r, i).text = text
    t.cell(2, 2).merge(t.cell(3, 2))  # one lead cell for two tasks, merged down
    for i, text in enumerate(["II", "Nhóm hai"]):
        t.cell(4, i).paragraphs[0].add_run(text).bold = True
    p = tmp_path / "plan.docx"
    d.save(p)
    return p


def _html(tmp_path: Path) -> Path:
    head = "".join(f"<th>{h.replace(chr(10), '<br>')}</th>" for h in HEADER)
    body = (
        '<tr><td colspan="6"><b>I. NHÓM MỘT</b></td></tr>'
        '<tr><td>1</td><td>Việc A</td><td rowspan="2">Sở Nội vụ</td><td>Sở Tài chính</td>'
        "<td>Quý II/2026</td><td>Báo cáo</td></tr>"
        "<tr><td>2</td><td>Việc B</td><td>Sở Tư pháp,<br>UBND các phường, xã</td><td>2026</td>"
        "<td>Kế hoạch</td></tr>"
        "<tr><td><b>II</b></td><td><strong>Nhóm hai</strong></td><td></td><td></td><td></td><td></td></tr>"
        "<tr><td>1</td><td>Việc C</td><td>Sở Khoa học và Công nghệ Sở Công Thương</td>"
        "<td>Các sở, ban, ngành</td><td>Thường xuyên</td><td></td></tr>"
    )
    text = (
        "<html><head><title>Kế hoạch</title><style>td{color:red}</style></head><body>"
        + "".join(f"<p>{x}</p>" for x in PREAMBLE)
        + f"<table><tr>{head}</tr>{body}</table></body></html>"
    )
    p = tmp_path / "plan.html"
    p.write_text(text, encoding="utf-8")
    return p


# A table a researcher typed: other header wording, columns in another order.
SHEET = [
    ["Thời hạn", "TT", "Tên nhiệm vụ", "Đơn vị phối hợp", "Đơn vị chủ trì"],
    ["", "I", "Nhóm một", "", ""],
    ["Quý II/2026", "1", "Việc A", "Sở Tài chính", "Sở Nội vụ"],
    ["2026", "2", "Việc B", "Sở Tư pháp, UBND các phường, xã", "Sở Nội vụ"],
    ["", "II", "Nhóm hai", "", ""],
    ["Thường xuyên", "1", "Việc C", "Các sở, ban, ngành", "Sở Khoa học và Công nghệ Sở Công Thương"],
]


def _csv(tmp_path: Path) -> Path:
    p = tmp_path / "plan.csv"
    with p.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(SHEET)
    return p


def _xlsx(tmp_path: Path) -> Path:
    openpyxl = need("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Danh mục nhiệm vụ"])
    for row in SHEET:
        sheet.append(row)
    sheet["E5"] = None
    sheet.merge_cells("E4:E5")  # "Sở Nội vụ" merged down over tasks 1 and 2
    sheet.merge_cells("C3:E3")  # a group row merged across
    p = tmp_path / "plan.xlsx"
    book.save(p)
    return p


@pytest.mark.parametrize(
    "make", [_markdown, _docx, _html, _csv, _xlsx], ids=["md", "docx", "html", "csv", "xlsx"]
)
def test_every_format_reads_the_same_tasks(tmp_path, make):
    result, got = _read(make(tmp_path))
    assert got == EXPECTED
    assert [r.read for r in result.tables] == [True]


@pytest.mark.parametrize("make", [_markdown, _docx, _html], ids=["md", "docx", "html"])
def test_document_identity_in_every_format(tmp_path, make):
    result, _ = _read(make(tmp_path))
    (doc,) = result.documents
    assert (doc.type, doc.number, doc.date.isoformat()) == ("Kế hoạch", "12/KH-UBND", "2026-04-05")
    assert doc.issuer.name == "UBND tỉnh" and doc.issuer.jurisdiction == "Đồng Tháp"
    assert result.tasks[0].lead[0].id == "dong-thap/so-noi-vu"


def test_extra_columns_and_line_numbers_in_docx(tmp_path):
    result, _ = _read(_docx(tmp_path))
    first = result.tasks[0]
    assert dict(first.attributes) == {"Sản phẩm": "Báo cáo"}
    # The rows cite lines of the text the loader made of the document.
    assert first.source.lines[0] > len(PREAMBLE)


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    broken_docx = tmp_path / "broken.docx"
    broken_docx.write_bytes(b"PK\x03\x04 not really a zip")
    broken_xlsx = tmp_path / "broken.xlsx"
    broken_xlsx.write_text("không phải bảng tính", encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    return {
        "docx": (broken_docx, "not a valid DOCX file"),
        "xlsx": (broken_xlsx, "not a valid XLSX file"),
        "pdf": (pdf, "not a valid PDF file"),  # PDF is read now (loaders/pdf.py); a broken one says so
        "empty": (empty, "empty file"),
    }


@pytest.mark.parametrize("case", ["docx", "xlsx", "pdf", "empty"])
def test_bad_file_is_one_line_error(runner, tmp_path, case):
    path, message = _bad_files(tmp_path)[case]
    with pytest.raises(PlanError, match=message):
        read_plan(path)
    res = runner.invoke(main, ["extract", str(path), "-o", str(tmp_path / "out.json")])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [f"error: {path}: {res.stderr.split(': ', 2)[2].strip()}"]
    assert message in res.stderr and "Traceback" not in res.output
    assert not (tmp_path / "out.json").exists()


def _batch_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    _markdown(folder)
    _docx(folder)
    _csv(folder)
    (folder / "README.md").write_text("Ghi chú về các kế hoạch.\n", encoding="utf-8")
    (folder / "~$plan.docx").write_bytes(b"lock")  # an office lock file, never read
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "notes.odg").write_bytes(b"PK\x03\x04")  # not a supported suffix: not looked at
    return folder


def test_batch_goes_on_past_a_bad_file(tmp_path):
    batch = read_batch([_batch_dir(tmp_path)])
    assert [Path(d.file).name for d in batch.result.documents] == ["plan.csv", "plan.docx", "plan.md"]
    assert len(batch.result.tasks) == 9
    assert [Path(e.file).name for e in batch.failed] == ["broken.docx"]
    assert [Path(e.file).name for e in batch.skipped] == ["README.md"]


def test_cli_batch_writes_what_it_read_and_reports_failures(runner, tmp_path):
    folder = _batch_dir(tmp_path)
    out = tmp_path / "all.json"
    res = runner.invoke(main, ["extract", str(folder), "--format", "json", "-o", str(out)])
    assert res.exit_code == 1
    errors = [x for x in res.stderr.splitlines() if x.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(
        f"error: {folder / 'broken.docx'}: not a valid DOCX file"
    )
    assert res.stderr.strip().splitlines()[-1] == (
        f"read 3 of 5 documents, 9 tasks; 1 skipped (no task table); 1 failed: {folder / 'broken.docx'}"
    )
    assert len(json.loads(out.read_text(encoding="utf-8"))["documents"]) == 3
    again = runner.invoke(main, ["extract", str(folder), "-q", "--allow-failures", "--format", "csv"])
    assert again.exit_code == 0 and "Sở Nội vụ" in again.stdout


def test_cli_summary_lists_tables_read_and_skipped(runner, corpus_dir):
    res = runner.invoke(main, ["extract", str(corpus_dir / "doc02.txt"), "--format", "summary"])
    assert res.exit_code == 0
    tables = res.stdout.split("tables:\n", 1)[1].splitlines()
    assert [x.split()[1] for x in tables] == ["read,", "read,", "read,", "read,"]
    assert "table skipped" not in res.stderr


def test_a_format_whose_library_is_missing_says_which_extra(tmp_path, monkeypatch):
    """Without the office extra a .docx is one line naming what to install, not a traceback."""
    import sys

    path = _docx(tmp_path)
    monkeypatch.setitem(sys.modules, "docx", None)  # what an absent package raises: ModuleNotFoundError
    with pytest.raises(PlanError, match=r"needs docx: pip install 'kg-plans\[office\]'") as e:
        read_plan(path)
    assert str(path) in str(e.value)


def _word_paragraphs(lines: list[str]) -> list[str]:
    """A text copy's paragraphs as a word processor holds them: one each, wrapped lines joined, no empty ones."""
    out: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(" ".join(current))
            current = []
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["ubnd-quang-ngai-1627-2025", "ubnd-nghe-an-1026-2025"])
def test_a_plan_in_prose_reads_the_same_from_docx(corpus_dir, tmp_path, name):
    """A .docx stores paragraphs with no empty line between: each is its own, never glued to the next."""
    docx = need("docx")
    text = corpus_dir / "prose" / f"{name}.txt"
    d = docx.Document()
    for paragraph in _word_paragraphs(text.read_text(encoding="utf-8").splitlines()):
        d.add_paragraph(paragraph)
    path = tmp_path / f"{name}.docx"
    d.save(path)

    def tasks(result):
        return [(t.id, [a.name for a in t.lead], [a.name for a in t.coordinating]) for t in result.tasks]

    expected = tasks(read_plan(text))
    assert len(expected) > 10 and tasks(read_plan(path)) == expected
