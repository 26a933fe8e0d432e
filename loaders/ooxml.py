"""The Office Open XML readers: ``.docx`` (python-docx) and ``.xlsx`` (openpyxl).

Each file is a zip whose directory is checked against the limits of :mod:`loaders.formats`
(``MAX_ZIP_ENTRIES``, ``MAX_UNZIPPED_BYTES``) before any part is parsed; tables are laid out
as that module's docstring says (merged cells, ``MAX_SPAN``, ``MAX_TABLE_CELLS``,
``MAX_SHEET_CELLS``).  The limits are read from :mod:`loaders.formats` when a file is read,
so a caller sets them there.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from loaders import formats
from loaders.formats import (
    LimitExceeded,
    Loaded,
    UnreadableFile,
    _brief,
    _cell_text,
    _count,
    _over,
    _OverLimit,
    _read_bytes,
    _span,
    table_lines,
)
from loaders.tables import Table

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
    if len(infos) > formats.MAX_ZIP_ENTRIES:
        raise LimitExceeded(_over(f"{kind} of {len(infos)} zip entries", "MAX_ZIP_ENTRIES"), file=str(path))
    unzipped = sum(i.file_size for i in infos)
    if unzipped > formats.MAX_UNZIPPED_BYTES:
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
            if size > formats.MAX_TABLE_CELLS:
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


def _docx_cell(cell) -> str:
    text = cell.text
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    if text.strip() and runs and all(r.bold for r in runs):
        return f"**{_cell_text(text)}**"
    return text


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
            if values > formats.MAX_SHEET_CELLS:  # checked as the values come, not once they are all held
                raise _OverLimit(_over(f"sheet {sheet.title!r}: too many values", "MAX_SHEET_CELLS"))
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    filled = 0
    for m in merged:
        min_col, min_row, _, max_row = range_boundaries(m.ref)
        top = rows.get(min_row, {}).get(min_col, "")
        filled += max(0, max_row - min_row)
        if filled > formats.MAX_SHEET_CELLS:
            raise _OverLimit(_over(f"sheet {sheet.title!r}: merged ranges too large", "MAX_SHEET_CELLS"))
        for r in range(min_row + 1, max_row + 1):
            if top:
                rows.setdefault(r, {})[min_col] = top
            elif r in rows:
                rows[r].pop(min_col, None)
    first = min((min(r) for r in rows.values() if r), default=1)
    size = sum(max(r) - first + 1 for r in rows.values() if r)
    if size > formats.MAX_SHEET_CELLS:
        raise _OverLimit(_over(f"sheet {sheet.title!r} of {size} cells in its used rows", "MAX_SHEET_CELLS"))
    return [[r.get(c, "") for c in range(first, max(r) + 1)] for _, r in sorted(rows.items()) if r]


# By suffix; loaders.dispatch reads by suffix.
READERS: dict[str, Callable[[Path], Loaded]] = {
    ".docx": _load_docx,
    ".xlsx": _load_xlsx,
}
