"""Write results safely and render rows as a table that fits the terminal, CSV, JSON, Markdown or Excel.

Outputs are written to a temporary file beside the target and renamed, so a
failure (or Ctrl-C) never leaves a half-written file; the file gets the
permissions any new file of the user gets (the umask), or keeps those of the
file it replaces.  A target that is no plain file (``/dev/stdout``, a pipe) is
written into, never replaced.  An output never overwrites an input of the same
command nor lands inside a store (:func:`check_output`, :func:`guard_output`);
a target that cannot be written is one line naming it.

>>> print(render_rows([{"a": 1, "b": "Sở Nội vụ"}], "csv"), end="")
a,b
1,Sở Nội vụ

A table is as wide as the terminal: text columns are shortened (the least
important first), numbers and ids never are; columns that cannot fit are left out
and named below the table.

>>> rows = [{"agency": "Sở Nông nghiệp và Phát triển nông thôn", "lead": 12, "id": "ha-noi/so-nn-ptnt"}]
>>> print(render_rows(rows, "table", term_width=40), end="")
agency                              lead
----------------------------------  ----
Sở Nông nghiệp và Phát triển nông…    12
(not shown: id; --format csv or a wider
terminal shows every column)
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import json
import os
import shutil
import stat
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "OutputError",
    "check_output",
    "current_umask",
    "deliver",
    "guard_output",
    "neutralise",
    "render",
    "render_rows",
    "terminal_width",
    "to_json",
    "write_atomic",
]

FORMATS = ("table", "csv", "json", "jsonl", "md", "xlsx")
BINARY_FORMATS = ("xlsx",)  # written to a file only (-o), never to a terminal
BOM = "\ufeff"  # lets Excel read UTF-8 CSV with every diacritic
_GAP = "  "
_MIN_TEXT = 10  # a text column is not shortened below this (or its header)
_READABLE = 20  # nor below this while a less important one can still give
_FALLBACK_WIDTH = 100


class OutputError(ValueError):
    """An output that cannot be made as asked (xlsx to a terminal); ``str()`` is one line."""


# Files -------------------------------------------------------------------------------------------


def current_umask() -> int:
    """The process's umask (``0o022`` for most users): what new files and folders leave out."""
    mask = os.umask(0o022)  # reading the umask means setting it; put it back at once
    os.umask(mask)
    return mask


def _same_file(a: Path, b: Path) -> bool:
    """One file under two names (the same path, a link, a hard link)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_output(
    path: Path | str, inputs: Iterable[Path | str] = (), *, reads: Callable[[Path], bool] | None = None
) -> None:
    """Refuse (:class:`OutputError`, one line) an output that would overwrite an input or lie in a store.

    *inputs* are the files and folders the same command reads; a file inside an
    input folder counts as an input when it exists and *reads* says the
    command would read it (every file when *reads* is ``None``).  A store is
    found by its marks (:func:`kg.model.settings.store_of`), so a store's own files
    are never replaced by an output, whatever the command.

    >>> import tempfile
    >>> plan = Path(tempfile.mkdtemp()) / "plan.txt"
    >>> _ = plan.write_text("Kế hoạch")
    >>> check_output(plan, [plan])
    Traceback (most recent call last):
    ...
    kg.model.output.OutputError: refusing to write ... over an input of this command; write it elsewhere
    >>> check_output(plan.with_name("tasks.json"), [plan])
    """
    from kg.model.settings import store_of

    target = Path(path)
    store = store_of(target)
    if store is not None:
        raise OutputError(f"refusing to write {path} inside the store {store}; write it elsewhere")
    real = Path(os.path.realpath(target))
    for given in inputs:
        given = Path(given)
        if _same_file(target, given):
            raise OutputError(f"refusing to write {path} over an input of this command; write it elsewhere")
        folder = Path(os.path.realpath(given))
        if (
            folder.is_dir()
            and real.is_relative_to(folder)
            and real.is_file()
            and (reads is None or reads(real))
        ):
            raise OutputError(
                f"refusing to write {path} over a file of {given}, an input folder of this command;"
                " write it elsewhere"
            )


def guard_output(
    *, reads: Callable[[Path], bool] | None = None, also: Sequence[str] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator for a command with ``-o``: :func:`check_output` before the command does any work.

    The inputs are the command's arguments that are paths (``files``,
    ``--store``…) and the text arguments named in *also* that name a file
    (a query file).  Put it under the click options.
    """

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            output = kwargs.get("output")
            if output is not None:
                inputs: list[Path] = []
                for name, value in kwargs.items():
                    if name == "output":
                        continue
                    values = value if isinstance(value, list | tuple) else [value]
                    inputs += [v for v in values if isinstance(v, Path)]
                    if name in also and isinstance(value, str) and Path(value).is_file():
                        inputs.append(Path(value))
                check_output(output, inputs, reads=reads)
            return f(*args, **kwargs)

        return wrapper

    return decorate


def _unwritable(path: Path, e: OSError) -> OSError:
    """*e* as one line naming the target the user gave, not a temporary file beside it."""
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        return OSError(errno.ENOTDIR, f"cannot write there: {parent} is a file, not a folder", str(path))
    return OSError(e.errno, e.strerror or str(e), str(path))


def write_atomic(path: Path | str, data: str | bytes) -> Path:
    """Write *data* (text as UTF-8) to *path* through a temporary file and a rename.

    The file's mode is that of the file it replaces, else ``0666`` less the
    umask (as ``open()`` would give), not the ``0600`` of a temporary file.  A
    link is written through (the file it names is replaced); a target that is
    no plain file (a device such as ``/dev/stdout``, a pipe) is written into,
    never renamed over.  A failure is an ``OSError`` naming *path*, one line.

    >>> import tempfile
    >>> p = write_atomic(Path(tempfile.mkdtemp()) / "x.txt", "Sở Nội vụ")
    >>> p.read_text(encoding="utf-8"), oct(p.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
    ('Sở Nội vụ', True)
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        try:
            st = path.stat()
        except FileNotFoundError:
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            with open(path, "wb") as f:  # a device or a pipe: replacing it would destroy it
                f.write(raw)
            return path
        real = Path(os.path.realpath(path))
        real.parent.mkdir(parents=True, exist_ok=True)
        mode = st.st_mode & 0o7777 if st is not None else 0o666 & ~current_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as e:
        raise _unwritable(path, e) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise _unwritable(path, e) from None
        raise
    return path


def to_json(data: Any) -> str:
    """JSON with every diacritic kept (no ``\\u`` escapes) and a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


# Cells -------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) quoted with ``'``.

    Numbers stay numbers; only text is touched.

    >>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("- Sở Nội vụ"), neutralise(-3), neutralise("Sở")
    ('\\'=HYPERLINK("x")', "'- Sở Nội vụ", -3, 'Sở')
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_id_column(name: str) -> bool:
    """Machine ids: never shortened, and the first left out when a table cannot hold every column."""
    return name in {"id", "iri", "uri"} or name.startswith("id_") or name.endswith(("_id", "_iri"))


# Formats -----------------------------------------------------------------------------------------


def _csv(rows: Sequence[dict[str, Any]], columns: list[str], bom: bool) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if bom else "\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([neutralise(v) if isinstance(v, str) else _cell(v) for v in (r.get(c) for c in columns)])
    return (BOM if bom else "") + buf.getvalue()


def _markdown(rows: Sequence[dict[str, Any]], columns: list[str]) -> str:
    """A GitHub table: every cell whole, ``|`` escaped, line breaks as ``<br>``."""

    def cell(v: Any) -> str:
        return _cell(v).replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _xlsx(rows: Sequence[dict[str, Any]], columns: list[str]) -> bytes:
    """An Excel workbook: one sheet, bold frozen header, filters, numbers as numbers, text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "kg"
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        values = [
            v if _is_number(v) or isinstance(v, bool) else _cell(v) for v in (r.get(c) for c in columns)
        ]
        ws.append(values)
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # a text that starts with "=" stays text, never a formula
                cell.data_type = "s"
    for i, c in enumerate(columns, 1):
        longest = max([len(c), *(len(_cell(r.get(c))) for r in rows)])
        ws.column_dimensions[get_column_letter(i)].width = min(60, longest + 2)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def terminal_width() -> int:
    """The terminal's width: ``$COLUMNS`` when set, else the terminal of stdout, stderr or stdin, else 100."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            continue
    return shutil.get_terminal_size((_FALLBACK_WIDTH, 24)).columns


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _looks_like_ids(values: list[str]) -> bool:
    """Every value is an id ("ha-noi/so-noi-vu"): no spaces, a slash, lower case."""
    present = [v for v in values if v]
    return bool(present) and all(" " not in v and "/" in v and v == v.lower() for v in present)


def _table(
    rows: Sequence[dict[str, Any]], columns: list[str], term_width: int | None, cap: int | None
) -> str:
    """Columns kept by priority, the least important text columns shortened first until the table fits."""
    limit = term_width or terminal_width()
    cells = {c: [_cell(r.get(c)).replace("\n", " ") for r in rows] for c in columns}
    numeric = {c for c in columns if rows and all(_is_number(r.get(c)) or r.get(c) is None for r in rows)}
    ids = {c for c in columns if _is_id_column(c) or _looks_like_ids(cells[c])}
    fixed = numeric | ids
    natural = {c: max([len(c), *(len(v) for v in cells[c])]) for c in columns}
    if cap:
        natural = {c: w if c in fixed else min(w, max(cap, len(c))) for c, w in natural.items()}
    # The first column that is no id names the row: it stays, and keeps more of itself than the others.
    head = next((c for c in columns if c not in ids), columns[0] if columns else "")
    least = {
        c: natural[c] if c in fixed else min(natural[c], max(_MIN_TEXT * (3 if c == head else 1), len(c)))
        for c in columns
    }

    def total(cols: list[str], widths: dict[str, int]) -> int:
        return sum(widths[c] for c in cols) + len(_GAP) * (len(cols) - 1)

    # The least important first: ids, then English names, then the last columns.
    rest = [c for c in columns if c != head]
    order = sorted(rest, key=lambda c: (c not in ids, not c.endswith("_en"), -columns.index(c)))
    shown = list(columns)
    while len(shown) > 1 and total(shown, least) > limit:
        floor = min(natural[head], max(_MIN_TEXT, len(head))) if head not in fixed else least[head]
        if order[0] not in ids and not order[0].endswith("_en") and least[head] > floor:
            # Before a column with real content goes, the row's name gives up its extra width.
            least[head] = max(floor, least[head] - (total(shown, least) - limit))
            continue
        shown.remove(order.pop(0))
    widths = {c: natural[c] for c in shown}
    # Two passes, the least important column first: down to a readable width, then to the least.
    readable = {c: max(least[c], min(natural[c], _READABLE)) for c in columns}
    for floor, cols in ((readable, order), (least, [*order, head])):
        for c in cols:
            excess = total(shown, widths) - limit
            if excess > 0 and c in shown and c not in fixed:
                widths[c] = max(floor[c], widths[c] - excess)

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(widths[c]) if c in numeric else _shorten(v, widths[c]).ljust(widths[c])
            for c, v in zip(shown, values, strict=True)
        ]
        return _GAP.join(parts).rstrip()

    out = [_GAP.join(c.rjust(widths[c]) if c in numeric else c.ljust(widths[c]) for c in shown).rstrip()]
    out.append(_GAP.join("-" * widths[c] for c in shown))
    out += [line([cells[c][i] for c in shown]) for i in range(len(rows))]
    hidden = [c for c in columns if c not in shown]
    if hidden:
        note = f"(not shown: {', '.join(hidden)}; --format csv or a wider terminal shows every column)"
        out += textwrap.wrap(note, width=max(limit, 20), break_on_hyphens=False)
    return "\n".join(out) + "\n"


def render(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    bom: bool = False,
    term_width: int | None = None,
    width: int | None = None,
) -> str | bytes:
    """*rows* (flat dicts) in *fmt* of :data:`FORMATS`: text, or bytes for ``xlsx``.

    *bom* starts CSV with a UTF-8 byte-order mark (for Excel); *term_width*
    overrides the terminal's width for ``table``; *width* caps a table's text cells.

    >>> render([{"task": "I.1", "agency": "=cmd"}], "csv", bom=True).encode("utf-8")[:3]
    b'\\xef\\xbb\\xbf'
    >>> render([{"task": "I.1", "n": 2}], "jsonl")
    '{"task": "I.1", "n": 2}\\n'
    """
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return to_json([{c: r.get(c) for c in columns} for r in rows] if columns else list(rows))
    if fmt == "jsonl":
        return "".join(
            json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False, default=str) + "\n" for r in rows
        )
    if fmt == "csv":
        return _csv(rows, columns, bom)
    if fmt == "md":
        return _markdown(rows, columns)
    if fmt == "xlsx":
        return _xlsx(rows, columns)
    if fmt == "table":
        return _table(rows, columns, term_width, width)
    raise OutputError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def render_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    width: int | None = None,
    term_width: int | None = None,
    bom: bool = False,
) -> str:
    """As :func:`render` for the text formats (``xlsx`` is bytes: use :func:`render`)."""
    if fmt in BINARY_FORMATS:
        raise OutputError(f"--format {fmt} writes a file: add -o FILE.{fmt}")
    text = render(rows, fmt, columns=columns, bom=bom, term_width=term_width, width=width)
    assert isinstance(text, str)
    return text


def deliver(data: str | bytes, output: Path | None, *, fmt: str = "table") -> None:
    """*data* to *output* (atomically), or to stdout; binary formats need a file.

    >>> deliver(b"PK", None, fmt="xlsx")
    Traceback (most recent call last):
    ...
    kg.model.output.OutputError: --format xlsx writes a file: add -o FILE.xlsx
    """
    if output is not None:
        check_output(output)  # never inside a store, whoever calls
        write_atomic(output, data)
        return
    if isinstance(data, bytes) or fmt in BINARY_FORMATS:
        raise OutputError(f"--format {fmt} writes a file: add -o FILE.{fmt}")
    import click

    click.echo(data, nl=False)


def format_options(choices: Sequence[str] = FORMATS, default: str = "table") -> Any:
    """The ``--format`` and ``--excel`` options every command that prints rows takes (a click decorator)."""
    import click

    def decorate(f: Any) -> Any:
        f = click.option(
            "--excel",
            "--bom",
            "bom",
            is_flag=True,
            help="CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends.",
        )(f)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(list(choices)),
            default=default,
            show_default=True,
            help="table (fits the terminal), csv, json, jsonl, md (Markdown) or xlsx (with -o).",
        )(f)

    return decorate
