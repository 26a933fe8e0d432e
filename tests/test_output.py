"""kg.model.output: tables that fit the terminal, CSV for Excel, xlsx, formula-safe cells, files that follow the umask."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest

from kg.model.output import (
    OutputError,
    deliver,
    neutralise,
    render,
    render_rows,
    terminal_width,
    write_atomic,
)
from tests.support.deps import need

ROWS = [
    {
        "agency": "Liên hiệp các Hội Khoa học và Kỹ thuật Thành phố Hà Nội",
        "jurisdiction": "Hà Nội",
        "agency_en": "Union of Science and Technology Associations of Hanoi",
        "lead": 1234567,
        "total": 98765,
        "id": "ha-noi/lien-hiep-cac-hoi-khoa-hoc-va-ky-thuat",
    },
    {
        "agency": "Sở Nội vụ",
        "jurisdiction": "Đồng Nai",
        "agency_en": "Department of Home Affairs",
        "lead": 7,
        "total": 7,
        "id": "dong-nai/so-noi-vu",
    },
]


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_a_table_fits_the_terminal_and_never_cuts_numbers(width, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    assert terminal_width() == width
    text = render_rows(ROWS, "table")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width, text
    assert "1234567" in text and "98765" in text  # numbers whole
    assert "Hà Nội" in text and "Đồng Nai" in text  # the jurisdiction is kept before less useful columns
    assert lines[2].startswith("Liên hiệp")


def test_columns_that_cannot_fit_are_named_and_ids_are_whole_when_shown() -> None:
    narrow = render_rows(ROWS, "table", term_width=60)
    assert "not shown: agency_en, id;" in " ".join(narrow.split()) and "ha-noi/" not in narrow
    wide = render_rows(ROWS, "table", term_width=400)
    assert "ha-noi/lien-hiep-cac-hoi-khoa-hoc-va-ky-thuat" in wide and "not shown" not in wide
    assert "…" not in wide


def test_csv_for_excel_has_a_bom_and_every_diacritic() -> None:
    plain = render(ROWS, "csv")
    excel = render(ROWS, "csv", bom=True)
    assert not plain.startswith("\ufeff")
    assert excel.encode("utf-8").startswith(b"\xef\xbb\xbf")
    back = list(csv.DictReader(io.StringIO(excel.lstrip("\ufeff"))))
    assert [r["agency"] for r in back] == [r["agency"] for r in ROWS]
    assert back[1]["jurisdiction"] == "Đồng Nai"


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://x","y")'])
def test_csv_cells_never_run_as_formulas(text) -> None:
    out = render([{"task": "I.1", "title": text, "n": -3}], "csv")
    row = list(csv.reader(io.StringIO(out)))[1]
    assert row[1] == "'" + text  # quoted: a spreadsheet shows it as text
    assert row[2] == "-3"  # a number stays a number
    assert neutralise("Sở Nội vụ") == "Sở Nội vụ"


def test_xlsx_opens_with_openpyxl_and_keeps_vietnamese(tmp_path) -> None:
    openpyxl = need("openpyxl")
    rows = [*ROWS, {"agency": "=cmd|' /C calc'!A0", "lead": 1, "id": "x"}]
    path = tmp_path / "load.xlsx"
    deliver(render(rows, "xlsx", columns=list(ROWS[0])), path, fmt="xlsx")
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == list(ROWS[0])
    assert ws["A3"].value == "Sở Nội vụ" and ws["B3"].value == "Đồng Nai"
    assert ws["D2"].value == 1234567  # a number, not text
    assert ws["A4"].data_type == "s"  # text, never a formula


def test_xlsx_needs_a_file() -> None:
    with pytest.raises(OutputError) as e:
        render_rows(ROWS, "xlsx")
    assert "-o" in str(e.value) and "\n" not in str(e.value)


def test_json_jsonl_and_markdown_keep_diacritics() -> None:
    assert json.loads(render(ROWS, "json"))[1]["agency"] == "Sở Nội vụ"
    lines = render(ROWS, "jsonl").splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["jurisdiction"] == "Đồng Nai" and "Đồng Nai" in lines[1]
    md = render([{"a": "x|y", "b": "Sở"}], "md").splitlines()
    assert md == ["| a | b |", "|---|---|", "| x\\|y | Sở |"]


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_written_files_follow_the_umask(tmp_path, mask) -> None:
    old = os.umask(mask)
    try:
        path = write_atomic(tmp_path / "out" / "x.csv", "a\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_a_replaced_file_keeps_its_mode(tmp_path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "new"
