"""A report one can cite: the issuer with its place, no placeholder text, a matrix that fits, Vietnamese that shows whole."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from loaders import read_plan, read_plans
from viz.report import legal_basis_words, report_html, report_title

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"
CSS = (ROOT / "viz" / "templates" / "report.css").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def html() -> str:
    return report_html(read_plan(SAMPLE), as_of=date(2026, 1, 1))


def test_the_title_names_the_issuer_with_its_place(html) -> None:
    title = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert "UBND Thành phố Hà Nội" in title
    assert "/KH-UBND" not in title  # a number left blank is not printed as if it were one
    assert report_title(read_plan(SAMPLE).documents) in html


def test_several_plans_name_their_issuers(tmp_path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    text[4] = text[4].replace("Hà Nội", "Đà Nẵng")
    text[10] = text[10].replace("thành phố Hà Nội", "thành phố Đà Nẵng")
    other = tmp_path / "danang.txt"
    other.write_text("".join(text), encoding="utf-8")
    title = report_title(read_plans([SAMPLE, other]).documents)
    assert title.startswith("Responsibilities in 2 plans") and "Hà Nội" in title and "Đà Nẵng" in title


@pytest.mark.parametrize(
    "raw",
    [
        "NOT FOUND (the Hanoi Party Committee's decision establishing the commission)",
        "Quyết định của Thống đốc Ngân hàng Nhà nước Việt Nam về thành lập chi nhánh (số hiệu NOT FOUND)",
        "Nghị quyết số NOT FOUND của HĐND",
        None,
        "",
    ],
)
def test_legal_bases_are_said_in_words(raw) -> None:
    words = legal_basis_words(raw)
    assert "NOT FOUND" not in words and words.strip()
    if raw and "(" in raw:
        assert "no source found" in words


def test_every_recorded_legal_basis_reads_without_placeholders() -> None:
    from kg.graph.reorg_events import load_events

    for ev in load_events().events:
        assert not re.search(r"NOT FOUND|TODO|\?\?|\{\{|None", legal_basis_words(ev.legal_basis)), ev.id


def test_the_reorganisation_section_has_no_raw_placeholders(html) -> None:
    section = html[html.index('<section id="reorg"') : html.index('<section id="audit"')]
    assert "<li data-event" in section
    assert not re.search(r"NOT FOUND|\bNone\b|\{\{|\{%", section)


def test_the_matrix_scrolls_with_the_agency_column_fixed(html) -> None:
    assert 'class="kg-scroll kg-matrix-wrap"' in html
    rule = re.search(r"\.kg-matrix tbody th, \.kg-matrix thead th:first-child \{([^}]*)\}", CSS).group(1)
    assert "position: sticky" in rule and "left: 0" in rule and "max-width" in rule
    assert "white-space: nowrap" not in rule


def test_quoted_source_lines_are_whole_vietnamese(tmp_path) -> None:
    rule = re.search(r"\.kg-source \{([^}]*)\}", CSS).group(1)
    fonts = rule.split("font-family:")[1].split(";")[0]
    assert "Noto Sans" in fonts and "monospace" not in fonts.split(",")[0]
    decomposed = tmp_path / "nfd.txt"  # the same plan typed with combining marks
    decomposed.write_text(unicodedata.normalize("NFD", SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    page = report_html(read_plan(decomposed))
    sources = page[page.index('<section id="sources"') :]
    quoted = re.findall(r'<span class="kg-ln">\d+</span>([^<]*)</div>', sources)
    assert quoted and all(unicodedata.is_normalized("NFC", q) for q in quoted)
    assert any("Sở Nội vụ" in q for q in quoted)
