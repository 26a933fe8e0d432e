"""The HTML and CSV readers: an HTML page's text blocks and ``<table>`` rows, a CSV or TSV file as one
table (see :mod:`loaders.formats` for what each gives and its limits, read there when a file is read).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from loaders.formats import (
    LimitExceeded,
    Loaded,
    UnreadableFile,
    _brief,
    _cell_text,
    _count,
    _decode,
    _merge_grid,
    _over,
    _read_bytes,
    _span,
    table_lines,
)
from loaders.tables import Table

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


# By suffix; loaders.dispatch reads by suffix.
READERS: dict[str, Callable[[Path], Loaded]] = {
    ".html": _load_html,
    ".htm": _load_html,
    ".csv": _load_csv,
    ".tsv": _load_csv,
}
