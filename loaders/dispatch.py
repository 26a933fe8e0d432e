"""Read a document of any supported format by its suffix: the one entry point of every reader.

The readers sit below this module and never import it: the formats read
natively (:mod:`loaders.formats`: text, Markdown; :mod:`loaders.ooxml`: .docx, .xlsx;
:mod:`loaders.html_csv`: HTML, CSV/TSV)
and the formats as published (:mod:`loaders.office`: PDF, scans, legacy office
files), which use the primitives and limits of :mod:`loaders.formats`. The
limits are read from :mod:`loaders.formats` when a file is read, so a caller
sets them there (``loaders.formats.MAX_FILE_BYTES = …``).

>>> loaded = load(Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt")
>>> loaded.tables is None, loaded.lines[2]
(True, 'Số: /KH-UBND')
>>> ".pdf" in SUFFIXES and ".docx" in SUFFIXES
True
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from kg.model import PlanError
from loaders import formats, html_csv, office, ooxml
from loaders.formats import (
    LimitExceeded,
    Loaded,
    UnreadableFile,
    _brief,
    _count,
    _over,
    _OverLimit,
    _read_bytes,
)
from loaders.tables import row_cells

__all__ = ["SUFFIXES", "load"]

# The formats read natively, then those as published (PDF, scans, legacy office files: pdf.py, ocr.py, office.py).
_READERS: dict[str, Callable[[Path], Loaded]] = {
    **formats.READERS,
    **ooxml.READERS,
    **html_csv.READERS,
    **office.READERS,
}
SUFFIXES = tuple(_READERS)

# What a damaged or mislabelled file makes the libraries raise (lxml's XMLSyntaxError is a SyntaxError,
# openpyxl's descriptors raise TypeError for a value of the wrong kind, zlib.error is corrupt deflate data).
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    csv.Error,
    UnicodeError,
    SyntaxError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    NotImplementedError,
    OSError,
)


def load(path: Path | str) -> Loaded:
    """The lines and tables of a document, read by its suffix (see the module docstring).

    Whatever goes wrong is a :class:`PlanError` naming the file: the library's
    exception is not chained, so a batch that keeps its failures keeps no
    document bytes alive through a traceback (and a worker can send it back).

    The plan reader and the body audit (``kg/pipeline.py``) read a file one
    after the other; a PDF, a scan or a ``.doc`` costs seconds to read, so the
    last document read is kept while the file stays the same (path, inode, size,
    modification time).
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        return _load(path, None)  # says what is wrong with the file
    return _load(path, (str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns))


@lru_cache(maxsize=1)
def _load(path: Path, identity: tuple | None) -> Loaded:
    name = str(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        _read_bytes(path)  # a missing or empty file says so first
        supported = ", ".join(SUFFIXES)
        raise PlanError(
            f"unsupported format {path.suffix or '(no suffix)'!r} (supported: {supported})", file=name
        )
    kind = path.suffix.lstrip(".").upper()
    loaded = Loaded(())
    try:
        loaded = reader(path)
        _check_sizes(loaded)
    except PlanError:
        raise
    except ModuleNotFoundError as e:  # the office extra is not installed (pyproject.toml)
        raise PlanError(
            f"reading {kind} files needs {e.name}: pip install 'kg-plans[office]'", file=name
        ) from None
    except _OverLimit as e:
        raise LimitExceeded(e.message, file=name, line=e.line).on_page(loaded.page(e.line)) from None
    except MemoryError:
        raise LimitExceeded("out of memory while reading", file=name) from None
    except RecursionError:
        raise UnreadableFile("nested too deeply to read", file=name) from None
    except _DAMAGED as e:
        raise UnreadableFile(f"damaged {kind} file ({_brief(e)})", file=name) from None
    return loaded


def _check_sizes(loaded: Loaded) -> None:
    """Every cell within ``MAX_CELL_CHARS``, every other line within ``MAX_LINE_CHARS``.

    A text file's table rows are lines, so their cells are checked as the
    table reader will split them.
    """
    _count(loaded.lines, 0)
    rows = {row.line: row.cells for table in loaded.tables or () for row in table.rows}
    for number, line in enumerate(loaded.lines, start=1):
        cells = rows.get(number) if loaded.tables is not None else row_cells(line)
        if number not in rows and len(line) > formats.MAX_LINE_CHARS:
            raise _OverLimit(_over(f"line of {len(line)} characters", "MAX_LINE_CHARS"), number)
        for cell in cells or ():
            if len(cell) > formats.MAX_CELL_CHARS:
                raise _OverLimit(_over(f"table cell of {len(cell)} characters", "MAX_CELL_CHARS"), number)
