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

This module holds the limits, the errors, the primitives every reader shares and the text
readers; :mod:`loaders.ooxml` reads .docx and .xlsx, :mod:`loaders.html_csv` HTML and CSV/TSV,
each reading the limits here when a file is read. :func:`loaders.dispatch.load` reads a file
by its suffix, with these readers and those of :mod:`loaders.office`:

>>> loaded = READERS[".txt"](Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
>>> loaded.tables is None, loaded.lines[2]
(True, 'Số: /KH-UBND')
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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


def _span(value: str | None, least: int = 1) -> int:
    """A span attribute as a count, capped at ``MAX_SPAN``; what is not a number counts as *least*.

    >>> _span("3"), _span("300000000"), _span("x"), _span(None), _span("0")
    (3, 1000, 1, 1, 1)
    """
    try:
        return min(MAX_SPAN, max(least, int(value if value is not None else least)))
    except ValueError:  # also a number of more digits than int() reads
        return least


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


# ---------------------------------------------------------------- the formats read here

# By suffix: the text formats.  loaders.dispatch adds the other formats read natively (loaders/ooxml.py,
# loaders/html_csv.py) and those as published (loaders/office.py), and reads by suffix.
READERS: dict[str, Callable[[Path], Loaded]] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".markdown": _load_text,
}


def _count(lines: Sequence[object], more: int = 1) -> None:
    """Refuse a document about to have more than ``MAX_LINES`` lines (checked as they are made:
    a dense file must not first cost the time of reading all of it).

    >>> _count(["a"] * 10, 5)
    """
    if len(lines) + more > MAX_LINES:
        raise _OverLimit(_over("document too long", "MAX_LINES"))
