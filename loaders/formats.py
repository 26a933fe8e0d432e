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
:class:`kg.model.PlanError` naming the file: :class:`UnreadableFile` for a
file that is damaged or not what its suffix says (broken XML, corrupt zip or
deflate data, bad CSV, wrong encoding), :class:`LimitExceeded` for one over
a limit below.  Nothing else escapes a reader, so a batch goes on past it.

Limits (module-level defaults; a caller may set them, ``loaders.formats.MAX_FILE_BYTES = …``).
A hostile file must cost time and memory in proportion to its size, never to
a number written in it, so each limit is checked before the work it bounds:

* ``MAX_FILE_BYTES``: the file as stored; only regular files are read (a FIFO
  or a device is refused, never opened for a blocking read);
* ``MAX_ZIP_ENTRIES``, ``MAX_UNZIPPED_BYTES``: parts of a .docx/.xlsx and
  their total size decompressed, from the sizes the zip declares (Python's
  zipfile never inflates past a declared size), before any part is parsed;
* ``MAX_SPAN``: a colspan, rowspan or gridSpan counts as at most this many
  (the HTML standard's own cap on colspan);
* ``MAX_TABLE_CELLS``, ``MAX_SHEET_CELLS``: cells of a table once its spans are
  laid out, and of a spreadsheet's used rows (read sparsely: one far-away
  cell costs one cell, not the grid up to it);
* ``MAX_CELL_CHARS`` (Excel's own cell limit), ``MAX_LINE_CHARS``: one table
  cell, one line of text; ``MAX_LINES``: the lines of one document, counted as
  they are made.

:func:`loaders.dispatch.load` reads a file by its suffix, with these readers and those of
:mod:`loaders.office`:

>>> loaded = READERS[".txt"](Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
>>> loaded.tables is None, loaded.lines[2]
(True, 'Số: /KH-UBND')
"""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

from kg.model import Issue, PlanError, Position
from loaders.tables import Row, Table

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "MAX_SHEET_CELLS",
    "MAX_SPAN",
    "MAX_TABLE_CELLS",
    "MAX_UNZIPPED_BYTES",
    "MAX_ZIP_ENTRIES",
    "READERS",
    "LimitExceeded",
    "Loaded",
    "UnreadableFile",
    "read_text",
    "table_lines",
]

# ---------------------------------------------------------------- limits (see the module docstring)

MAX_FILE_BYTES = 64 * 2**20  # a plan is a few MB even with its seals and signatures as images
MAX_ZIP_ENTRIES = 10_000  # a .docx/.xlsx holds tens of parts, a few hundred with many images
MAX_UNZIPPED_BYTES = 64 * 2**20  # what the parts decompress to: XML takes ten or more times this parsed
MAX_SPAN = 1000  # colspan/rowspan/gridSpan (HTML caps colspan at 1000; Word tables have at most 63 columns)
MAX_TABLE_CELLS = 1_000_000  # one table laid out: a long appendix is a few thousand
MAX_SHEET_CELLS = 1_000_000  # one sheet's used rows × their width
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_LINE_CHARS = 100_000  # one paragraph or text line: some thirty pages
MAX_LINES = 200_000  # paragraphs and table rows of one document: a thousand pages has some 50 000


class UnreadableFile(PlanError):
    """A file that is damaged or not what its suffix says; ``str()`` is one line naming the file."""


class LimitExceeded(PlanError):
    """A file over one of the reader's limits; the message names the limit.

    >>> str(LimitExceeded(_over("table cell of 40000 characters", "MAX_CELL_CHARS"), file="p.docx", line=9))
    'p.docx:9: table cell of 40000 characters, over the limit MAX_CELL_CHARS = 32767'
    """


class _OverLimit(Exception):
    """Raised where a limit is met without the file at hand; :func:`load` names the file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def _over(what: str, limit: str) -> str:
    """The message for a limit met, naming the limit and its value.

    >>> _over("table cell of 40000 characters", "MAX_CELL_CHARS")
    'table cell of 40000 characters, over the limit MAX_CELL_CHARS = 32767'
    """
    return f"{what}, over the limit {limit} = {globals()[limit]}"


def _brief(e: BaseException) -> str:
    """An exception as one short line (XML errors carry newlines and long excerpts).

    >>> import zlib
    >>> _brief(ValueError("bad\\n  value")), _brief(zlib.error("Error -3 while decompressing data"))
    ('ValueError: bad value', 'zlib.error: Error -3 while decompressing data')
    """
    name = type(e).__name__
    if name in {"error", "Error"}:  # zlib.error, csv.Error: the module says what failed
        name = f"{type(e).__module__.lstrip('_')}.{name}"
    text = " ".join(str(e).split())
    text = text[:200] + "…" if len(text) > 200 else text
    return f"{name}: {text}" if text else name


@dataclass(frozen=True, slots=True)
class Loaded:
    """A document as text lines, and its tables when the format stores them as tables."""

    lines: tuple[str, ...]
    tables: tuple[Table, ...] | None = None
    warnings: tuple[Issue, ...] = ()  # what reading the format doubted (low OCR confidence), by line
    # a PDF's or scan's lines: where each is printed (line number -> its page and box, two if a page cut it)
    positions: Mapping[int, tuple[Position, ...]] | None = None

    def page(self, line: int | None) -> int | None:
        """The page *line* is printed on (the first, if a page break cut it), for a PDF or a scan.

        >>> Loaded(("a", "b"), positions={2: (Position(3),)}).page(2), Loaded(("a",)).page(1)
        (3, None)
        """
        where = (self.positions or {}).get(line or 0)
        return where[0].page if where else None


_SPECIAL = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file within ``MAX_FILE_BYTES``, or a :class:`PlanError` naming it.

    Opened non-blocking and checked with ``fstat`` before a byte is read: a FIFO
    would otherwise wait for a writer for ever, a device never end.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise PlanError("no such file", file=name) from None
    except IsADirectoryError:
        raise PlanError("is a directory, not a document", file=name) from None
    except OSError as e:
        raise PlanError(f"cannot read: {e.strerror}", file=name) from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise PlanError("is a directory, not a document", file=name)
        if not stat.S_ISREG(mode):
            kind = _SPECIAL.get(stat.S_IFMT(mode), "a special file")
            raise UnreadableFile(f"{kind}, not a regular file: not read", file=name)
        try:
            data = f.read(MAX_FILE_BYTES + 1)  # not the size fstat gives: a file may grow
        except OSError as e:
            raise PlanError(f"cannot read: {e.strerror}", file=name) from None
    if len(data) > MAX_FILE_BYTES:
        raise LimitExceeded(_over("file too large", "MAX_FILE_BYTES"), file=name)
    if not data.strip():
        raise PlanError("empty file", file=name)
    return data


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise UnreadableFile("not UTF-8 text", file=name, line=line) from None


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
    _count(lines, len(grid))
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

    Linear in the cells laid out, which ``MAX_TABLE_CELLS`` bounds (spans are
    capped at ``MAX_SPAN`` by whoever reads them).

    >>> _merge_grid([[("I. Nhóm", 1, 3)], [("1", 1, 1), ("Việc", 1, 1), ("Sở Nội vụ", 2, 1)], [("2", 1, 1), ("Việc B", 1, 1)]])
    [['I. Nhóm', '', ''], ['1', 'Việc', 'Sở Nội vụ'], ['2', 'Việc B', 'Sở Nội vụ']]
    """
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows it still covers)
    out: list[list[str]] = []
    size = 0

    def carry(line: list[str]) -> None:
        """The cell a row span above brings down into the next column."""
        text, left = pending.pop(len(line))
        if left > 1:
            pending[len(line)] = (text, left - 1)
        line.append(text)

    for row in cells:
        line: list[str] = []
        for text, rowspan, colspan in row:
            while len(line) in pending:
                carry(line)
            size += colspan
            if size > MAX_TABLE_CELLS:
                raise _OverLimit(_over("table too large once its spans are laid out", "MAX_TABLE_CELLS"))
            if rowspan > 1:
                pending[len(line)] = (text, rowspan - 1)
            line.append(text)
            line.extend([""] * (colspan - 1))
        # Row spans from above that reach past this row's own cells (spans this row set are left of it).
        end = max((c + 1 for c in pending if c >= len(line)), default=0)
        size += max(0, end - len(line))
        if size > MAX_TABLE_CELLS:
            raise _OverLimit(_over("table too large once its spans are laid out", "MAX_TABLE_CELLS"))
        while len(line) < end:
            if len(line) in pending:
                carry(line)
            else:
                line.append("")
        out.append(line)
    return out


# ---------------------------------------------------------------- text


def read_text(path: Path) -> list[str]:
    """The lines of a text document, or a :class:`PlanError` naming the file.

    Refuses a missing, empty, binary or non-UTF-8 file; accepts CRLF and a BOM.
    """
    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file, not a text document", file=str(path))
    return _decode(data, str(path)).splitlines()


def _load_text(path: Path) -> Loaded:
    return Loaded(tuple(read_text(path)))


# ---------------------------------------------------------------- DOCX and XLSX: zips


def _checked_zip(path: Path, kind: str) -> io.BytesIO:
    """The bytes of a .docx/.xlsx, once its zip directory is within the limits; nothing is inflated yet.

    Python's zipfile never inflates an entry past the size its directory
    declares (it stops there and fails the CRC), so the declared sizes bound
    what a parser can be given, however the data were crafted.
    """
    data = _read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as e:
        raise UnreadableFile(f"not a valid {kind} file ({_brief(e)})", file=str(path)) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise LimitExceeded(_over(f"{kind} of {len(infos)} zip entries", "MAX_ZIP_ENTRIES"), file=str(path))
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise LimitExceeded(
            _over(f"{kind} decompressing to {unzipped} bytes", "MAX_UNZIPPED_BYTES"), file=str(path)
        )
    return io.BytesIO(data)


def _load_docx(path: Path) -> Loaded:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph

    data = _checked_zip(path, "DOCX")
    try:
        document = docx.Document(data)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise UnreadableFile(f"not a valid DOCX file ({_brief(e)})", file=str(path)) from None
    body = getattr(document.element, "body", None)  # the main part's root may be anything else
    if body is None:
        raise UnreadableFile("not a valid DOCX file (its main part has no w:document/w:body)", file=str(path))
    lines: list[str] = []
    tables: list[Table] = []
    for child in body.iterchildren():
        _count(lines)
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = table_lines(_docx_grid(child, document), lines)
            if table is not None:
                tables.append(table)
    return Loaded(tuple(lines), tuple(tables))


def _docx_grid(tbl, document) -> list[list[str]]:
    """The rows of a Word table: a cell merged across columns counts once, a cell merged down
    (``vMerge``) applies to each row it covers.

    Read from the XML directly, one pass: python-docx's own row cells follow a
    vertical merge up row by row (recursively, so a long merge is quadratic and
    may overflow the stack) and repeat a cell once per column it spans, however
    many that says.
    """
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.table import _Cell

    parent = DocxTable(tbl, document)
    above: dict[int, str] = {}  # grid column -> the text of the cell there in the row above
    grid: list[list[str]] = []
    size = 0
    for tr in tbl.iterchildren(qn("w:tr")):
        cells: list[str] = []
        here: dict[int, str] = {}
        column = _span(_val(tr, "w:trPr/w:gridBefore"), 0)
        for tc in tr.iterchildren(qn("w:tc")):
            span = _span(_val(tc, "w:tcPr/w:gridSpan"))
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
                text = above.get(column, "")  # continues the cell above: its text applies here too
            else:
                text = _docx_cell(_Cell(tc, parent))
            size += span
            if size > MAX_TABLE_CELLS:
                raise _OverLimit(_over("table too large once its spans are laid out", "MAX_TABLE_CELLS"))
            here[column] = text
            cells.append(text)
            cells.extend([""] * (span - 1))
            column += span
        above = here
        grid.append(cells)
    return grid


def _val(element, path: str) -> str | None:
    """The ``w:val`` of the element at *path* (``w:`` names) under *element*, if any."""
    from docx.oxml.ns import qn

    found = element.find("/".join(qn(p) for p in path.split("/")))
    return None if found is None else found.get(qn("w:val"))


def _span(value: str | None, least: int = 1) -> int:
    """A span attribute as a count, capped at ``MAX_SPAN``; what is not a number counts as *least*.

    >>> _span("3"), _span("300000000"), _span("x"), _span(None), _span("0")
    (3, 1000, 1, 1, 1)
    """
    try:
        return min(MAX_SPAN, max(least, int(value if value is not None else least)))
    except ValueError:  # also a number of more digits than int() reads
        return least


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
            _count(self.lines)
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
            self._cell_span = (_span(a.get("rowspan")), _span(a.get("colspan")))
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


def _load_html(path: Path) -> Loaded:
    reader = _HtmlReader()
    reader.feed(_decode(_read_bytes(path), str(path)))
    reader.close()
    return Loaded(tuple(reader.lines), tuple(reader.tables))


# ---------------------------------------------------------------- CSV


def _load_csv(path: Path) -> Loaded:
    name = str(path)
    text = _decode(_read_bytes(path), name)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[list[str]] = []
    try:
        for row in reader:
            _count(rows)
            rows.append(row)
    except csv.Error as e:
        # The csv module refuses a field over its own limit (128 KiB) before ours is checked.
        if "field larger than field limit" in str(e):
            raise LimitExceeded(
                _over("table cell too long", "MAX_CELL_CHARS"),
                file=name,
                line=reader.line_num,
            ) from None
        raise UnreadableFile(f"not a valid CSV file ({_brief(e)})", file=name, line=reader.line_num) from None
    lines: list[str] = []
    table = table_lines(rows, lines)
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

    data = _checked_zip(path, "XLSX")
    try:
        # Read-only: the sheets are parsed as they are read, and merged ranges are not laid out as
        # cells (openpyxl's full mode makes a cell object for every cell a merged range covers).
        book = openpyxl.load_workbook(data, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise UnreadableFile(f"not a valid XLSX file ({_brief(e)})", file=str(path)) from None
    lines: list[str] = []
    tables: list[Table] = []
    try:
        for sheet in book.worksheets:
            grid = _sheet_grid(sheet)
            lines.append(sheet.title)
            table = table_lines(grid, lines)
            if table is not None:
                tables.append(table)
    finally:
        book.close()
    return Loaded(tuple(lines), tuple(tables))


def _sheet_grid(sheet) -> list[list[str]]:
    """A sheet's rows with a value, from its first used column to each row's last value.

    Read sparsely, cell by cell as the sheet stores them: a value far away
    costs one cell, not the grid up to it.  Merged cells as in DOCX: merged
    down, the value applies to each row; merged across, it counts once.
    """
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    rows: dict[int, dict[int, str]] = {}
    with sheet._get_source() as source:  # the sheet's XML, as openpyxl's own read-only rows read it
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        values = 0
        for number, cells in parser.parse():
            for cell in cells:
                text = _xlsx_value(cell["value"])
                if text:
                    rows.setdefault(number, {})[cell["column"]] = text
                    values += 1
            if values > MAX_SHEET_CELLS:  # checked as the values come, not once they are all held
                raise _OverLimit(_over(f"sheet {sheet.title!r}: too many values", "MAX_SHEET_CELLS"))
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    filled = 0
    for m in merged:
        min_col, min_row, _, max_row = range_boundaries(m.ref)
        top = rows.get(min_row, {}).get(min_col, "")
        filled += max(0, max_row - min_row)
        if filled > MAX_SHEET_CELLS:
            raise _OverLimit(_over(f"sheet {sheet.title!r}: merged ranges too large", "MAX_SHEET_CELLS"))
        for r in range(min_row + 1, max_row + 1):
            if top:
                rows.setdefault(r, {})[min_col] = top
            elif r in rows:
                rows[r].pop(min_col, None)
    first = min((min(r) for r in rows.values() if r), default=1)
    size = sum(max(r) - first + 1 for r in rows.values() if r)
    if size > MAX_SHEET_CELLS:
        raise _OverLimit(_over(f"sheet {sheet.title!r} of {size} cells in its used rows", "MAX_SHEET_CELLS"))
    return [[r.get(c, "") for c in range(first, max(r) + 1)] for _, r in sorted(rows.items()) if r]


# ---------------------------------------------------------------- the formats read here

# By suffix; loaders.dispatch adds the formats as published (loaders/office.py) and reads by suffix.
READERS: dict[str, Callable[[Path], Loaded]] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".markdown": _load_text,
    ".docx": _load_docx,
    ".html": _load_html,
    ".htm": _load_html,
    ".csv": _load_csv,
    ".tsv": _load_csv,
    ".xlsx": _load_xlsx,
}


def _count(lines: Sequence[object], more: int = 1) -> None:
    """Refuse a document about to have more than ``MAX_LINES`` lines (checked as they are made:
    a dense file must not first cost the time of reading all of it).

    >>> _count(["a"] * 10, 5)
    """
    if len(lines) + more > MAX_LINES:
        raise _OverLimit(_over("document too long", "MAX_LINES"))
