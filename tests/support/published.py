"""Make a plan "as published" from its text version: a .docx with real tables, then
(LibreOffice) a PDF and a legacy .doc, then (poppler) a 200 dpi scan.

The text version's paragraphs become paragraphs (Markdown marks dropped, a line
wholly in ``**…**`` set bold, a blank line an empty paragraph); its task table becomes one Word table whose
header row repeats on every page (as plans are typeset), a group row ("I",
"II") is one cell merged across the other columns, a lead cell equal to the
one above (same group) is merged down, and a row the text version split at a
page break (its number cell empty) is joined back to the row it continues.
The appendix is a landscape section.

>>> _plain("## **2. Đổi mới**  ")
('2. Đổi mới', True)
>>> _plain("<b>I</b>")
('I', True)
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

_MARK = re.compile(r"</?b>|\*\*|(?<!\w)\*|\*(?!\w)")


def _plain(text: str) -> tuple[str, bool]:
    """The text without Markdown/HTML marks, and whether it was bold as a whole."""
    text = text.rstrip()
    stripped = text.lstrip("#").strip()
    bold = (stripped.startswith("**") and stripped.endswith("**")) or stripped.startswith("<b>")
    return " ".join(_MARK.sub("", stripped).split()), bold


def _rows(table) -> list[list[str]]:
    """A table's rows: the header once (a repeat is a page break of the text copy), a row the
    page break cut (number cell empty, right after a repeated header) joined back."""
    rows: list[list[str]] = []
    after_header = False
    for row in table.rows:
        cells = list(row.cells)
        if rows:
            cells = (cells + [""] * len(rows[0]))[: len(rows[0])]
        if rows and cells == rows[0]:
            after_header = True
            continue
        if after_header and rows and not cells[0].strip() and any(c.strip() for c in cells):
            rows[-1] = [
                " ".join(x for x in (a.strip(), b.strip()) if x) for a, b in zip(rows[-1], cells, strict=True)
            ]
            after_header = False
            continue
        after_header = False
        rows.append(cells)
    return rows


def _widths(rows: list[list[str]], total: float) -> list[float]:
    """Column widths (cm) sharing *total*: a narrow number column, each other column at least
    as wide as its longest word (Word would break a word no plan breaks), the rest by text length."""
    n = len(rows[0])
    texts = [[_plain(r[j])[0] for r in rows] for j in range(n)]
    least = [0.5 + 0.3 * max((len(w) for t in col for w in t.split()), default=1) for col in texts]
    weight = [min(60.0, max(16.0, sum(map(len, col)) / len(col))) for col in texts]
    if n > 2:
        least[0], weight[0] = max(1.2, least[0]), 0.0
    spare = max(0.0, total - sum(least))
    return [a + spare * w / sum(weight) for a, w in zip(least, weight, strict=True)]


def write_docx(text_plan: Path, out: Path) -> Path:
    """Write *text_plan* (a Markdown/tab-separated plan) as a .docx at *out*."""
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Pt

    from loaders import read_text
    from loaders.tables import find_tables

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Serif"
    style.font.size = Pt(12)
    lines = read_text(text_plan)
    tables = {t.line - 1: t for t in find_tables(lines)}
    ends = {t.line - 1: t.rows[-1].line - 1 for t in tables.values()}
    first = min(tables, default=len(lines))
    heads = [i for i in range(first) if _plain(lines[i])[0].lower().startswith("phụ lục")]
    landscape = heads[-1] if heads else first
    i = 0
    while i < len(lines):
        if i == landscape:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        if i in tables:
            rows = _rows(tables[i])
            if rows and len(rows[0]) > 1:
                _table(document, rows)
            i = ends[i] + 1
            continue
        text, bold = _plain(lines[i])
        if text:
            document.add_paragraph().add_run(text).bold = bold
        elif i and lines[i - 1].strip():
            document.add_paragraph()  # a blank line, as typists leave between paragraphs
        i += 1
    document.add_paragraph()  # Word ends a document with a paragraph, never a table
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


def _table(document, rows: list[list[str]]) -> None:
    """*rows* as a Word table: header repeated on each page, group rows merged across, equal
    lead cells of one group merged down."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    from kg.model.text import name_key

    section = document.sections[-1]
    total = (section.page_width - section.left_margin - section.right_margin) / Cm(1) - 0.2
    widths = [Cm(w) for w in _widths(rows, total)]
    n = len(rows[0])
    table = document.add_table(rows=len(rows), cols=n)
    table.style = "Table Grid"
    table.autofit = False
    for gc, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        gc.set(qn("w:w"), str(width.twips))
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    header = [name_key(_plain(c)[0]) for c in rows[0]]
    lead = next(
        (j for j, h in enumerate(header) if "chủ trì" in h or ("thực hiện" in h and j > 1)), min(2, n - 1)
    )
    start: int | None = None  # the row where a run of equal lead cells starts
    for r, cells in enumerate(rows):
        texts = [_plain(c) for c in cells]
        filled = [j for j, (t, _) in enumerate(texts) if t]
        # a group row: text in the first two cells only, its number bold or a single cell
        group = r > 0 and n > 2 and bool(filled) and max(filled) <= 1 and (texts[0][1] or len(filled) == 1)
        for c, (text, bold) in enumerate(texts):
            cell = table.cell(r, c)
            cell.width = widths[c]
            if text:
                cell.paragraphs[0].add_run(text).bold = bold or r == 0
        if group:
            left = 0 if filled == [0] else 1  # one cell: the whole row merged; else all but the number
            table.cell(r, left).merge(table.cell(r, n - 1))
            start = None
            continue
        if r > 1 and start is not None and texts[lead][0] and texts[lead][0] == _plain(rows[start][lead])[0]:
            top = table.cell(start, lead)
            below = table.cell(r, lead)
            for p in below.paragraphs[1:]:
                p._p.getparent().remove(p._p)
            for run in below.paragraphs[0].runs:
                run._r.getparent().remove(run._r)
            top.merge(below)
            for p in top.paragraphs[1:]:  # python-docx joins the merged texts; keep the one name
                p._p.getparent().remove(p._p)
        else:
            start = r if r > 0 else None


def convert(source: Path, to: str, outdir: Path) -> Path:
    """LibreOffice headless: *source* converted to format *to* (``pdf``, ``doc``, or with a
    filter and its options, ``pdf:writer_pdf_Export:{…}``) in *outdir*."""
    profile = outdir / ".lo-profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return outdir / f"{source.stem}.{to.split(':')[0]}"


def scan(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """*pdf* rasterised (``pdftoppm -r dpi -gray``) and joined back into an image-only PDF (img2pdf)."""
    pages_dir = out.parent / f"{out.stem}-pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(pages_dir / "p")], check=True, timeout=240
    )
    pages = sorted(pages_dir.glob("p*.png"))
    subprocess.run(["img2pdf", *map(str, pages), "-o", str(out)], check=True, timeout=240)
    return out
