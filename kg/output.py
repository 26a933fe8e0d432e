"""Write results safely and render rows as table, JSON or CSV.

Outputs are written to a temporary file beside the target and renamed, so a
failure never leaves a half-written file.

>>> print(render_rows([{"a": 1, "b": "Sở Nội vụ"}], "csv"), end="")
a,b
1,Sở Nội vụ
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "render_rows", "to_json", "write_atomic"]

FORMATS = ("table", "json", "csv")


def write_atomic(path: Path | str, data: str | bytes) -> Path:
    """Write *data* (text as UTF-8) to *path* through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def to_json(data: Any) -> str:
    """JSON with every diacritic kept (no ``\\u`` escapes) and a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def render_rows(
    rows: Sequence[dict[str, Any]], fmt: str, *, columns: Sequence[str] | None = None, width: int = 60
) -> str:
    """Render a list of flat objects as ``table``, ``json`` or ``csv`` text."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return to_json(list(rows))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    cells = [[v if len(v) <= width else v[: width - 1] + "…" for v in row] for row in cells]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"
