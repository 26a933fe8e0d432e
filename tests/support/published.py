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


def _rows(lines: list[str]) -> list[list[str]]:
    """The task table's rows: the header once, page-split rows joined back."""
    rows: list[list[str]] = []
    for line in lines:
        cells = line.rstrip("\n").split("\t")
        if rows:
            cells = (cells + [""] * len(rows[0]))[: len(rows[0])]
        if rows and cells == rows[0]:
            continue  # header repeated at a page break
        if rows and not cells[0].strip() and any(c.strip() for c in cells):
            prev = rows[-1]
            rows[-1] = [
                " ".join(x for x in (a.strip(), b.strip()) if x) for a, b in zip(prev, cells, strict=False)
            ]
            continue
        rows.append(cells)
    return rows


def write_docx(text_plan: Path, out: Path) -> Path:
    """Write *text_plan* (a Markdown/tab-separated plan) as a .docx at *out*."""
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Serif"
    style.font.size = Pt(12)
    lines = text_plan.read_text(encoding="utf-8").splitlines()
    table_lines = [i for i, line in enumerate(lines) if "\t" in line]
    first, last = table_lines[0], table_lines[-1]
    appendix = max(i for i in range(first) if _plain(lines[i])[0].lower().startswith("phụ lục"))
    for i, line in enumerate(lines[:first]):
        if i == appendix:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        text, bold = _plain(line)
        if text:
            document.add_paragraph().add_run(text).bold = bold
        elif i and lines[i - 1].strip():
            document.add_paragraph()  # a blank line, as typists leave between paragraphs
    rows = _rows(lines[first : last + 1])
    widths = [Cm(1.2), Cm(10), Cm(4.8), Cm(4.8), Cm(3.2)]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    for gc, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        gc.set(qn("w:w"), str(width.twips))
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    merged_from: dict[int, int] = {}  # column -> row where an equal run of cells starts
    for r, cells in enumerate(rows):
        texts = [_plain(c) for c in cells]
        group = r > 0 and texts[0][1] and not any(t for t, _ in texts[2:])
        for c, (text, bold) in enumerate(texts):
            cell = table.cell(r, c)
            cell.width = widths[c] if c < len(widths) else Cm(3)
            if group and c > 1:
                continue
            cell.paragraphs[0].add_run(text).bold = bold or r == 0
        if group:
            table.cell(r, 1).merge(table.cell(r, len(cells) - 1))
            merged_from.clear()
            continue
        lead = 2
        start = merged_from.get(lead)
        if r > 1 and start is not None and texts[lead][0] and texts[lead][0] == _plain(rows[start][lead])[0]:
            top = table.cell(start, lead)
            for p in table.cell(r, lead).paragraphs:
                p._p.getparent().remove(p._p)
            table.cell(r, lead)._tc.append(OxmlElement("w:p"))
            top.merge(table.cell(r, lead))
            # python-docx joins the texts of merged cells; keep the one name
            for p in top.paragraphs[1:]:
                p._p.getparent().remove(p._p)
        else:
            merged_from[lead] = r
    for line in lines[last + 1 :]:
        text, bold = _plain(line)
        if text:
            document.add_paragraph().add_run(text).bold = bold
    document.add_paragraph()  # Word ends a document with a paragraph, never a table
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


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
