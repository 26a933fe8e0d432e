"""Read a plan in any supported format into document text lines and tables.

Every format gives the same two things, so the task-table reader and the
document-identity reader are shared:

* ``lines``: the document's text, one paragraph (or table row) a line; a
  table row is written as a Markdown row ``| c1 | c2 |`` so that each row
  has a line number the task records can cite;
* ``tables``: the tables as :class:`loaders.tables.Table` records whose rows
  carry those line numbers and the cells as the format stores them (``None``
  for text files, whose tables are found in the lines).

Formats, by file suffix:

* ``.txt``, ``.md``: plain text or Markdown (tab-separated or pipe rows);
* ``.docx``: paragraphs and tables in body order (python-docx); a cell merged
  across columns counts once, a cell merged down over rows applies to each
  row (a lead agency shared by several tasks); a cell whose every run is
  bold is marked bold (``**…**``) like the Markdown copies;
* ``.html``, ``.htm``: the body's text blocks and ``<table>`` rows (``<head>``
  is not document text), with ``colspan`` and
  ``rowspan`` treated as in DOCX, ``<b>``/``<strong>``/``<th>`` as bold;
* ``.csv``, ``.tsv``: one table (delimiter sniffed among comma, semicolon, tab);
* ``.xlsx``: one table per sheet (openpyxl), merged cells as in DOCX.

A line break inside a cell is kept as ``\\n``; in an agency cell it separates
agencies.  A missing, empty, corrupt or unsupported file is a
:class:`kg.model.PlanError` naming the file.

>>> loaded = load(Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
>>> loaded.tables is None, loaded.lines[2]
(True, 'Số: /KH-UBND')
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

from kg.model import Issue, PlanError
from loaders.tables import Row, Table

__all__ = ["SUFFIXES", "Loaded", "load", "table_lines"]


@dataclass(frozen=True, slots=True)
class Loaded:
    """A document as text lines, and its tables when the format stores them as tables."""

    lines: tuple[str, ...]
    tables: tuple[Table, ...] | None = None
    warnings: tuple[Issue, ...] = ()  # what reading the format doubted (low OCR confidence), by line


def _read_bytes(path: Path) -> bytes:
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanError("no such file", file=name) from None
    except IsADirectoryError:
        raise PlanError("is a directory, not a document", file=name) from None
    except OSError as e:
        raise PlanError(f"cannot read: {e.strerror}", file=name) from None
    if not data.strip():
        raise PlanError("empty file", file=name)
    return data


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise PlanError("not UTF-8 text", file=name, line=line) from None


def _cell_text(text: str) -> str:
    return "\n".join(part.strip() for part in text.replace("\r", "").split("\n") if part.strip())


def table_lines(grid: Sequence[Sequence[str]], lines: list[str]) -> Table | None:
    """Append *grid* to *lines* as Markdown rows and return it as a :class:`Table`.

    Empty rows are left out; trailing empty cells are dropped.

    >>> lines = ["Phụ lục"]
    >>> t = table_lines([["TT", "Nội dung"], ["", ""], ["1", "Việc\\nA"]], lines)
    >>> lines[1:], [(r.line, r.cells) for r in t.rows]
    (['', '| TT | Nội dung |', '| 1 | Việc A |', ''], [(3, ('TT', 'Nội dung')), (4, ('1', 'Việc\\nA'))])
    """
    rows: list[Row] = []
    lines.append("")
    for cells in grid:
        cells = [_cell_text(c) for c in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        shown = " | ".join(c.replace("\n", " ").replace("|", "/") for c in cells)
        lines.append(f"| {shown} |")
        rows.append(Row(len(lines), tuple(cells)))
    lines.append("")
    return Table(rows[0].line, tuple(rows)) if rows else None


def _merge_grid(cells: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Lay out rows of (text, rowspan, colspan): a column span counts once, a row span repeats down.

    >>> _merge_grid([[("I. Nhóm", 1, 3)], [("1", 1, 1), ("Việc", 1, 1), ("Sở Nội vụ", 2, 1)], [("2", 1, 1), ("Việc B", 1, 1)]])
    [['I. Nhóm', '', ''], ['1', 'Việc', 'Sở Nội vụ'], ['2', 'Việc B', 'Sở Nội vụ']]
    """
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows it still covers)
    out: list[list[str]] = []
    for row in cells:
        line: list[str] = []
        queue = list(row)
        while queue or any(c >= len(line) for c in pending):
            col = len(line)
            if col in pending:
                text, left = pending.pop(col)
                line.append(text)
                if left > 1:
                    pending[col] = (text, left - 1)
            elif queue:
                text, rowspan, colspan = queue.pop(0)
                line.append(text)
                if rowspan > 1:
                    pending[col] = (text, rowspan - 1)
                line.extend([""] * (colspan - 1))
            else:
                line.append("")
        out.append(line)
    return out


# ---------------------------------------------------------------- text


def _load_text(path: Path) -> Loaded:
    from loaders import read_text

    return Loaded(tuple(read_text(path)))


# ---------------------------------------------------------------- DOCX


def _load_docx(path: Path) -> Loaded:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    _read_bytes(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise PlanError(f"not a valid DOCX file ({e})", file=str(path)) from None
    lines: list[str] = []
    tables: list[Table] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            grid = []
            for row in DocxTable(child, document).rows:
                cells, previous = [], None
                for cell in row.cells:
                    # A cell merged across columns comes back once per column it covers.
                    cells.append("" if cell._tc is previous else _docx_cell(cell))
                    previous = cell._tc
                grid.append(cells)
            table = table_lines(grid, lines)
            if table is not None:
                tables.append(table)
    return Loaded(tuple(lines), tuple(tables))


def _docx_cell(cell) -> str:
    text = cell.text
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    if text.strip() and runs and all(r.bold for r in runs):
        return f"**{_cell_text(text)}**"
    return text


# ---------------------------------------------------------------- HTML

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "section", "article", "tr"}


class _HtmlReader(HTMLParser):
    """Text blocks and tables of an HTML page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.tables: list[Table] = []
        self._text: list[str] = []
        self._skip = 0
        self._depth = 0  # table nesting; inner tables are read as cell text
        self._rows: list[list[tuple[str, int, int]]] = []
        self._row: list[tuple[str, int, int]] | None = None
        self._cell: list[str] | None = None
        self._cell_span = (1, 1)
        self._bold = 0
        self._cell_bold: list[bool] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.lines.append(text)
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"head", "script", "style"}:
            self._skip += 1
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self._flush()
                self._rows = []
        elif self._depth == 1 and tag == "tr":
            self._row = []
        elif self._depth == 1 and tag in {"td", "th"}:
            a = dict(attrs)
            self._cell = []
            self._cell_bold = []
            self._cell_span = (_int(a.get("rowspan")), _int(a.get("colspan")))
            if tag == "th":
                self._bold += 1
        elif tag in {"b", "strong"}:
            self._bold += 1
        elif tag == "br" or (tag in _BLOCKS and self._cell is not None):
            self._data("\n")
        elif tag in _BLOCKS and self._depth == 0:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"head", "script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag == "table":
            self._depth -= 1
            if self._depth == 0:
                table = table_lines(_merge_grid(self._rows), self.lines)
                if table is not None:
                    self.tables.append(table)
        elif self._depth == 1 and tag in {"td", "th"} and self._cell is not None:
            text = _cell_text("".join(self._cell))
            if text and self._cell_bold and all(self._cell_bold):
                text = f"**{text}**"
            if self._row is not None:
                self._row.append((text, *self._cell_span))
            self._cell = None
            if tag == "th":
                self._bold = max(0, self._bold - 1)
        elif self._depth == 1 and tag == "tr" and self._row is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag in {"b", "strong"}:
            self._bold = max(0, self._bold - 1)
        elif tag in _BLOCKS and self._depth == 0:
            self._flush()

    def handle_data(self, data: str) -> None:
        self._data(data)

    def _data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
            if data.strip():
                self._cell_bold.append(self._bold > 0)
        elif self._depth == 0:
            if data == "\n":
                self._flush()
            else:
                self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _load_html(path: Path) -> Loaded:
    reader = _HtmlReader()
    reader.feed(_decode(_read_bytes(path), str(path)))
    reader.close()
    return Loaded(tuple(reader.lines), tuple(reader.tables))


# ---------------------------------------------------------------- CSV


def _load_csv(path: Path) -> Loaded:
    text = _decode(_read_bytes(path), str(path))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    lines: list[str] = []
    table = table_lines(list(csv.reader(io.StringIO(text), dialect)), lines)
    return Loaded(tuple(lines), (table,) if table else ())


# ---------------------------------------------------------------- XLSX


def _xlsx_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _load_xlsx(path: Path) -> Loaded:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _read_bytes(path)
    try:
        book = openpyxl.load_workbook(str(path), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise PlanError(f"not a valid XLSX file ({e})", file=str(path)) from None
    lines: list[str] = []
    tables: list[Table] = []
    for sheet in book.worksheets:
        grid = [[_xlsx_value(c.value) for c in row] for row in sheet.iter_rows()]
        for merged in sheet.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
            # Merged down: the value applies to each row; merged across: it counts once.
            for r in range(merged.min_row + 1, min(merged.max_row, len(grid)) + 1):
                grid[r - 1][merged.min_col - 1] = top
        lines.append(sheet.title)
        table = table_lines(grid, lines)
        if table is not None:
            tables.append(table)
    book.close()
    return Loaded(tuple(lines), tuple(tables))


# ---------------------------------------------------------------- dispatch


def _published_readers() -> dict[str, Callable[[Path], Loaded]]:
    from loaders.office import READERS

    return READERS


_READERS: dict[str, Callable[[Path], Loaded]] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".markdown": _load_text,
    ".docx": _load_docx,
    ".html": _load_html,
    ".htm": _load_html,
    ".csv": _load_csv,
    ".tsv": _load_csv,
    ".xlsx": _load_xlsx,
    **_published_readers(),  # PDF, scans, legacy office files: loaders/pdf.py, ocr.py, office.py
}
SUFFIXES = tuple(_READERS)


def load(path: Path | str) -> Loaded:
    """The lines and tables of a document, read by its suffix (see the module docstring)."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        _read_bytes(path)  # a missing or empty file says so first
        supported = ", ".join(SUFFIXES)
        raise PlanError(
            f"unsupported format {path.suffix or '(no suffix)'!r} (supported: {supported})", file=str(path)
        )
    return reader(path)
