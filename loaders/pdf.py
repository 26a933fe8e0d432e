"""Read a PDF plan: text lines in reading order and tables rebuilt from their ruling lines.

A page with a text layer is read with pdfplumber (chosen by measurement over
PyMuPDF's ``find_tables``: on the same LibreOffice-printed plan both found the
same tables and cells, pdfplumber in a fifth of the time and with Vietnamese
combining marks kept in place, where PyMuPDF's cell text split "nhiệ m");
a page that is a picture of paper (an image over most of it, next to no text: a scan) is
handed to :mod:`loaders.ocr`.

* Tables are found by their ruling lines (pdfplumber's table finder); a cell
  merged across columns counts once, a cell merged down applies to each row
  it covers (as in DOCX); a cell whose every word is set in a bold face is
  marked ``**…**``.
* A table that goes on over a page break (its first thing on the next page,
  same columns) is joined: a repeated header row is dropped, and a first
  row with an empty number cell (a row the page break cut) is joined to the
  row it continues.
* Text outside tables becomes lines in reading order, top to bottom: words on
  one baseline form a line, a wide gap splits it (the two columns of a
  plan's header block), and a line is joined to the next when the next one's
  first word would not have fitted on it (a wrapped line, not a paragraph end).
* Pages rotated by their ``/Rotate`` entry (landscape appendix pages) are read
  upright, and so is a page whose text runs sideways (turned a quarter back);
  a page number alone at the top or bottom of a page is left out.
* Each line and table row keeps where it is printed (:class:`kg.model.Position`: its page
  and box in points from the top left of the page as read; a row a page break cut has
  one a page), so a task read from a PDF or a scan can point at its row.

A password-protected or corrupt PDF is a :class:`kg.model.PlanError` naming the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kg.model import Issue, PlanError, Position

__all__ = [
    "Element",
    "Grid",
    "Paragraph",
    "Word",
    "assemble",
    "at_page",
    "lines_of",
    "load_pdf",
    "paragraphs",
]

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True, slots=True)
class Word:
    """A word on a page (points or pixels, origin top left) and whether its face is bold."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    bold: bool = False
    confidence: float | None = None  # Tesseract's (0-100) for a word of a scan


@dataclass(frozen=True, slots=True)
class Line:
    """Words on one baseline, left to right."""

    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Grid:
    """A table on a page: column left edges (as a fraction of the page width), rows of cell
    text, and for each row a warning (low OCR confidence) or ``None``."""

    columns: tuple[float, ...]
    rows: list[list[str]]
    notes: list[str | None] = field(default_factory=list)
    # for each cell merged down from a row above, the index of that row (else None)
    origins: list[list[int | None]] = field(default_factory=list)
    # for each row, where it is printed (two positions once a page break cut it and it was joined)
    positions: list[tuple[Position, ...]] = field(default_factory=list)
    # a cell's text set right, and what was changed, once a page break's halves are joined (OCR
    # corrects a name only whole: "Cuc Văn thư" | "và Lưu trữ nhà nước")
    correct: Callable[[str], tuple[str, list[str]]] | None = None


@dataclass(frozen=True, slots=True)
class Element:
    """A page's text line or table, at its top coordinate."""

    top: float
    text: str | None = None
    grid: Grid | None = None
    note: str | None = None
    full: bool = False  # its last line reaches the right edge: it may go on on the next page
    gap: bool = False  # a blank gap above it (written as a blank line, as a text copy has it)
    position: Position | None = None  # where a text line is printed


def lines_of(words: Iterable[Word], gap: float = 2.5) -> list[Line]:
    """Group *words* into lines top to bottom; a horizontal gap wider than *gap* times the
    text height starts a new line on the same baseline (a second column).

    >>> ws = [Word(0, 10, 0, 10, "Sở"), Word(12, 30, 1, 10, "Nội"), Word(200, 220, 0, 10, "Hà"), Word(0, 9, 14, 24, "vụ")]
    >>> [ln.text for ln in lines_of(ws)]
    ['Sở Nội', 'Hà', 'vụ']
    """
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (w.top + w.bottom) / 2
        if rows and rows[-1][0].top <= middle <= rows[-1][0].bottom:
            rows[-1].append(w)
        else:
            rows.append([w])
    out: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        height = max(w.bottom - w.top for w in row)
        start = 0
        for i in range(1, len(row) + 1):
            if i == len(row) or row[i].x0 - row[i - 1].x1 > gap * height:
                out.append(Line(tuple(row[start:i])))
                start = i
    return out


class Paragraph(NamedTuple):
    """Lines joined into a paragraph: its top, text, whether its last line reaches within three
    line heights of the text's right edge (it may go on on the next page), whether a blank gap
    of more than one and a half line heights separates it from the paragraph above, its box,
    and the mean confidence of its words (OCR; ``None`` for a text layer)."""

    top: float
    text: str
    full: bool
    gap: bool
    box: Box
    confidence: float | None = None


def _box(lines: Sequence[Line]) -> Box:
    return (min(ln.x0 for ln in lines), lines[0].top, max(ln.x1 for ln in lines), lines[-1].bottom)


def _confidence(lines: Sequence[Line]) -> float | None:
    known = [w.confidence for ln in lines for w in ln.words if w.confidence is not None and w.confidence >= 0]
    return sum(known) / len(known) if known else None


def paragraphs(lines: Sequence[Line], right: float, sep: str = " ") -> list[Paragraph]:
    """Join wrapped lines into paragraphs: a line goes on with the next when the next line's
    first word would not have fitted before *right* (the text's right edge), and the next line
    starts no further right than it (an indented line starts a paragraph).
    A line that ended early (a heading, a list item's end) ends its paragraph.

    >>> a = Line((Word(0, 95, 0, 10, "Chủ trì tham mưu,"),))
    >>> b = Line((Word(0, 30, 12, 22, "xây dựng"),))
    >>> c = Line((Word(0, 20, 24, 34, "- Việc"),))
    >>> [(p.top, p.text, p.full, p.gap, p.box) for p in paragraphs([a, b, c], right=100)]
    [(0, 'Chủ trì tham mưu, xây dựng', False, False, (0, 0, 95, 22)), (24, '- Việc', False, False, (0, 24, 20, 34))]
    """
    out: list[tuple[float, str, bool, bool]] = []
    members: list[list[Line]] = []
    previous: Line | None = None
    for line in lines:
        first = line.words[0]
        height = line.bottom - line.top
        if (
            previous is not None
            and previous.x1 + (first.x1 - first.x0) + height * 0.3 > right
            and line.top - previous.bottom < height
            and line.x0 <= previous.x0 + height
            and not _starts_item(line.text)
        ):
            # "45-" wrapped before "NQ/TW": the hyphen belongs to the word, no space (a lone dash keeps its)
            joiner = "" if re.search(r"\w-$", out[-1][1]) else sep
            top, text, _, gap = out[-1]
            out[-1] = (top, text + joiner + line.text, line.x1 > right - 3 * height, gap)
            members[-1].append(line)
        else:
            # a blank line's worth of space (more than paragraph spacing, 6-12 pt, gives)
            gap = previous is not None and line.top - previous.bottom > 1.5 * height
            out.append((line.top, line.text, line.x1 > right - 3 * height, gap))
            members.append([line])
        previous = line
    return [Paragraph(*p, _box(m), _confidence(m)) for p, m in zip(out, members, strict=True)]


_ITEM = re.compile(r"^(?:[-–•+*]\s|[0-9IVXivx]+[.)]\s|[a-zđ]\)\s)")


def _starts_item(text: str) -> bool:
    """A list item ("- ", "2. ", "b) ") starts a paragraph even after a full line."""
    return bool(_ITEM.match(text))


_PAGE_NUMBER = re.compile(r"^[-–\s]*\d{1,3}[-–\s]*$")


def cell_text(words: Sequence[Word], left: float, right: float) -> str:
    """The text of a table cell (its box from *left* to *right*): wrapped lines joined, a line
    that ended early ends a paragraph (kept as ``\\n``: agencies set one per line), bold marked
    ``**…**`` when every word is bold.  The text's right edge is the box's less the cell's
    padding, taken as wide as on the left.

    >>> cell_text([Word(5, 40, 0, 10, "Sở Tài"), Word(5, 30, 12, 22, "chính")], 0, 50)
    'Sở Tài chính'
    >>> print(cell_text([Word(5, 30, 0, 10, "Sở Y tế"), Word(5, 15, 12, 22, "Sở"), Word(17, 35, 12, 22, "Nội vụ")], 0, 50))
    Sở Y tế
    Sở Nội vụ
    """
    if not words:
        return ""
    right -= min(w.x0 for w in words) - left
    text = "\n".join(p.text for p in paragraphs(lines_of(words, gap=4.0), right))
    if all(w.bold for w in words):
        return f"**{text}**"
    return text


def assemble(pages: Sequence[Sequence[Element]], file: str):
    """The :class:`loaders.formats.Loaded` of a document from its pages' elements (reading
    order): lines, tables continued over a page break joined, warnings, and where each line
    and table row is printed."""
    from loaders.formats import Loaded, table_lines

    lines: list[str] = []
    tables = []
    warnings: list[Issue] = []
    positions: dict[int, tuple[Position, ...]] = {}
    pending: Grid | None = None
    carry = False  # the last line read may go on on the next page

    def flush() -> None:
        nonlocal pending
        if pending is None:
            return
        kept = [
            (r, n, p)
            for r, n, p in zip(pending.rows, pending.notes, pending.positions, strict=False)
            if any(c.strip() for c in r)
        ]
        table = table_lines([r for r, _, _ in kept], lines)
        if table is not None:
            tables.append(table)
            for row, (_, note, where) in zip(table.rows, kept, strict=False):
                if where:
                    positions[row.line] = where
                if note:
                    warnings.append(Issue(file, row.line, "ocr", note))
        pending = None

    for page in pages:
        last = len(page) - 1
        # a page number alone at the top or bottom of the page is not document text
        page = [
            e for k, e in enumerate(page) if not (e.text and k in (0, last) and _PAGE_NUMBER.match(e.text))
        ]
        for i, element in enumerate(page):
            if element.grid is not None:
                grid = element.grid
                if not grid.notes:
                    grid.notes = [None] * len(grid.rows)
                if not grid.origins:
                    grid.origins = [[None] * len(r) for r in grid.rows]
                if not grid.positions:
                    grid.positions = [()] * len(grid.rows)
                carry = False
                if pending is not None and i == 0 and _same_columns(pending, grid):
                    _continue(pending, grid)
                else:
                    flush()
                    pending = grid
                continue
            text = element.text or ""
            if i == 0 and pending is None and carry and text[:1].islower() and not _starts_item(text):
                lines[-1] += " " + text  # a paragraph the page break cut (it goes on in lower case)
                if element.position:
                    positions[len(lines)] = (*positions.get(len(lines), ()), element.position)
                carry = element.full
                continue
            flush()
            carry = element.full
            if element.gap and lines and lines[-1].strip():
                lines.append("")
            lines.append(text)
            if element.position:
                positions[len(lines)] = (element.position,)
            if element.note:
                warnings.append(Issue(file, len(lines), "ocr", element.note))
    flush()
    return Loaded(tuple(lines), tuple(tables), tuple(warnings), positions)


def _same_columns(a: Grid, b: Grid) -> bool:
    return len(a.columns) == len(b.columns) and all(
        abs(x - y) < 0.01 for x, y in zip(a.columns, b.columns, strict=True)
    )


def _key(cells: Sequence[str]) -> str:
    """A row's letters without marks, bold or spacing: what a repeated header keeps through OCR."""
    text = unicodedata.normalize("NFD", " | ".join(" ".join(c.replace("*", "").split()) for c in cells))
    return (
        "".join(ch for ch in text if not unicodedata.combining(ch))
        .replace("đ", "d")
        .replace("Đ", "D")
        .casefold()
    )


def same_row(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two rows say the same, but for a few misread letters (a header repeated on a
    scanned page).

    >>> same_row(["TT", "Cơ quan chủ trì thực hiện"], ["TT", "Cơ quan chủ trì thực hiê"])
    True
    >>> same_row(["TT", "Nội dung"], ["1.", "Việc A"])
    False
    """
    from difflib import SequenceMatcher

    x, y = _key(a), _key(b)
    return x == y or SequenceMatcher(None, x, y).ratio() >= 0.9


def _continue(table: Grid, more: Grid) -> None:
    """Append *more* (the same table on the next page) to *table*.

    A merged cell a page break runs through goes on on the new page as an empty box: when the
    new page's first row has an empty cell that spans down several rows, or the old page ended
    inside a merged cell, or the empty cell is a lead cell (every task has a lead: a lead cell
    merged over two tasks that the break falls between), that cell and the rows it covers
    take the merged cell's text.
    """
    from loaders.appendix_columns import column_roles

    origins = more.origins or [[None] * len(r) for r in more.rows]
    rows = [list(r) for r in more.rows]
    first = 0
    if table.rows and rows and same_row(rows[0], table.rows[0]):
        first = 1  # the header row repeated on each page
    while first < len(rows) and not any(c.strip() for c in rows[first]):
        first += 1
    if first >= len(rows) or not table.rows:
        return
    last, last_origin = table.rows[-1], (table.origins[-1] if table.origins else [])
    cut = not rows[first][0].strip()  # the page break cut a row: its number cell is empty here
    roles = column_roles(table.rows[0])
    said: list[str] = []
    for j, text in enumerate(rows[first]):
        below = any(o[j] == first for o in origins[first + 1 :] if j < len(o))
        running = j < len(last_origin) and last_origin[j] is not None
        lead = j < len(roles) and roles[j] == "lead" and bool(last[0].strip())
        if j < len(last) and last[j] and (cut or (not text.strip() and (below or running or lead))):
            # the merged cell (or the cut row's cell) goes on: its rows here take its text
            whole = " ".join(x for x in (last[j], text) if x.strip()) if cut else last[j]
            if cut and table.correct is not None:
                whole, fixed = table.correct(whole)
                said += fixed
            for r in range(first, len(rows)):
                if r == first or (j < len(origins[r]) and origins[r][j] == first):
                    rows[r][j] = whole
    positions = more.positions or [()] * len(rows)
    if cut:
        table.rows[-1] = rows[first]
        notes = [n for n in (table.notes[-1], more.notes[first], *said) if n]
        table.notes[-1] = "; ".join(dict.fromkeys(notes)) or None
        table.positions[-1] = (*table.positions[-1], *positions[first])  # printed on both pages
        first += 1
    table.rows.extend(rows[first:])
    table.notes.extend(more.notes[first:])
    table.origins.extend(origins[first:])
    table.positions.extend(positions[first:])


# ---------------------------------------------------------------- pdfplumber


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(str(path))
        _ = pdf.pages  # parses the page tree: a broken file fails here
    except (PDFPasswordIncorrect, PdfminerException, PDFSyntaxError) as e:
        cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
            raise PlanError(
                "password-protected PDF (cannot be read without its password)", file=str(path)
            ) from None
        raise PlanError(f"not a valid PDF file ({type(cause).__name__})", file=str(path)) from None
    except Exception as e:  # pdfminer raises many kinds on a damaged file
        raise PlanError(f"not a valid PDF file ({type(e).__name__})", file=str(path)) from None
    return pdf


def _words(page) -> list[Word]:
    out = []
    for w in page.extract_words(extra_attrs=["fontname"], keep_blank_chars=False, use_text_flow=False):
        font = w["fontname"].lower()
        text = unicodedata.normalize("NFC", w["text"])
        out.append(Word(w["x0"], w["x1"], w["top"], w["bottom"], text, "bold" in font or "black" in font))
    return out


def _inside(w: Word, box: tuple[float, float, float, float]) -> bool:
    x, y = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _table_grid(table, words: list[Word], width: float, page: int) -> Grid:
    """A pdfplumber table (on page number *page*) as rows of cell text, each with its position;
    a covered cell (``None``) repeats the cell above when that cell spans down into its row,
    else is empty (a span across)."""
    boxes = [c for row in table.rows for c in row.cells if c is not None]
    texts = {box: cell_text([w for w in words if _inside(w, box)], box[0], box[2]) for box in boxes}
    grid: list[list[str]] = []
    origins: list[list[int | None]] = []
    columns: list[float] = []
    tops: list[float] = []
    for row in table.rows:
        top = min(c[1] for c in row.cells if c is not None)
        tops.append(top)
        cells: list[str] = []
        origin: list[int | None] = []
        for j, box in enumerate(row.cells):
            if box is not None:
                cells.append(texts[box])
                origin.append(None)
                if len(columns) <= j:
                    columns.append(box[0])
                continue
            x = (columns[j] if j < len(columns) else 0) + 1
            cover = next((b for b in boxes if b[0] <= x <= b[2] and b[1] < top + 1 <= b[3]), None)
            down = cover is not None and cover[1] < top - 0.5
            cells.append(texts[cover] if down else "")
            origin.append(min(range(len(tops)), key=lambda k: abs(tops[k] - cover[1])) if down else None)
        grid.append(cells)
        origins.append(origin)
    where = [(at_page(page, _row_box(row)),) for row in table.rows]
    return Grid(tuple(round(c / width, 3) for c in columns), grid, [None] * len(grid), origins, where)


def at_page(number: int, box: Box, scale: float = 1.0, confidence: float | None = None) -> Position:
    """The position of *box* on page *number*, in points (*scale* points a unit of *box*).

    >>> at_page(2, (300, 600, 900, 660), 72 / 300)
    Position(page=2, box=(72.0, 144.0, 216.0, 158.4), confidence=None)
    """
    return Position(number, tuple(round(x * scale, 1) for x in box), confidence)


def _row_box(row) -> Box:
    """A pdfplumber table row's box: its cells' extent, down to the row's own border (the
    nearest bottom of its cells: a cell merged down reaches further)."""
    cells = [c for c in row.cells if c is not None]
    return (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        min(c[3] for c in cells),
    )


def _text_page(page) -> list[Element]:
    words = _words(page)
    tables = page.find_tables()
    number = page.page_number
    elements: list[Element] = []
    for table in tables:
        elements.append(Element(table.bbox[1], grid=_table_grid(table, words, page.width, number)))
    rest = [w for w in words if not any(_inside(w, t.bbox) for t in tables)]
    lines = lines_of(rest)
    right = max((ln.x1 for ln in lines), default=page.width)
    elements.extend(
        Element(p.top, p.text, full=p.full, gap=p.gap, position=at_page(number, p.box))
        for p in paragraphs(lines, right)
    )
    elements.sort(key=lambda e: e.top)
    return elements


def _upright_share(page) -> float:
    chars = page.chars
    if not chars:
        return 1.0
    return sum(1 for c in chars if c["upright"] and c["matrix"][0] > 0) / len(chars)


def upright(pdf, page):
    """*page* turned so that its text reads left to right: a page whose ``/Rotate`` (or the
    lack of one) shows the text sideways, as a landscape appendix put on its side, is read
    turned a quarter the way its text runs."""
    from pdfplumber.page import Page

    if _upright_share(page) >= 0.5:
        return page
    obj = page.page_obj
    before = obj.attrs.get("Rotate", 0)
    for turn in (90, 270, 180):
        obj.attrs["Rotate"] = obj.rotate = (page.rotation + turn) % 360
        turned = Page(pdf, obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
        if _upright_share(turned) >= 0.5:
            return turned
    obj.attrs["Rotate"] = obj.rotate = before
    return page


def is_scan(page) -> bool:
    """A page that is a picture of paper: an image over most of it and next to no text (a
    scan may carry a stamp's few characters; a page with only a signature name is text)."""
    area = page.width * page.height
    covered = sum((i["x1"] - i["x0"]) * (i["bottom"] - i["top"]) for i in page.images)
    return covered > 0.5 * area and len(page.chars) <= 20


def load_pdf(path: Path, read_scan: Callable[[Path, int], list[Element]]):
    """The :class:`loaders.formats.Loaded` of a PDF (see the module docstring).

    *read_scan* reads a scanned page (the path and the page number): :func:`loaders.ocr.ocr_pdf_page`,
    which reads pages with this module's layout, so it is handed in rather than imported.
    """
    from loaders.formats import _read_bytes

    _read_bytes(path)
    pages: list[list[Element]] = []
    with _open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if is_scan(page):
                pages.append(read_scan(path, number))
            elif page.chars:
                pages.append(_text_page(upright(pdf, page)))
            page.close()  # a long PDF is read page by page, not held whole
    loaded = assemble(pages, str(path))
    if not any(line.strip() for line in loaded.lines):
        raise PlanError("no text found (neither a text layer nor recognisable scanned pages)", file=str(path))
    return loaded
