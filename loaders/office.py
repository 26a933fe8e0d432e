"""Plans as published: the readers :mod:`loaders.dispatch` hands PDF, scans and legacy
office files to, and the LibreOffice conversion of ``.doc``, ``.odt`` and ``.rtf``.

A legacy file is converted with LibreOffice headless (``soffice --headless
--convert-to docx``) in a temporary folder, with a profile of its own so that
several conversions may run at once, then read as a ``.docx``.  Without
LibreOffice the file is a one-line :class:`kg.model.PlanError`.

>>> sorted(READERS)[:4]
['.doc', '.jpeg', '.jpg', '.odt']
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from kg.model import PlanError

__all__ = ["READERS", "soffice", "to_docx"]

# LibreOffice converts a long plan in a few seconds; a hung conversion must not hang a batch.
TIMEOUT = 180


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(path: Path, outdir: Path) -> Path:
    """*path* converted to ``.docx`` in *outdir* by LibreOffice headless."""
    program = soffice()
    if program is None:
        raise PlanError(
            f"reading {path.suffix} needs LibreOffice (soffice), which is not installed", file=str(path)
        )
    profile = outdir / "profile"
    try:
        done = subprocess.run(
            [
                program,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "docx",
                "--outdir",
                str(outdir),
                str(path.resolve()),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise PlanError(f"LibreOffice did not convert the file within {TIMEOUT} s", file=str(path)) from None
    out = outdir / f"{path.stem}.docx"
    if done.returncode != 0 or not out.exists():
        raise PlanError(
            f"LibreOffice could not convert the file to .docx (not a valid {path.suffix})", file=str(path)
        )
    return out


def _load_legacy(path: Path):
    from loaders.formats import Loaded, _read_bytes
    from loaders.ooxml import _load_docx

    _read_bytes(path)
    with tempfile.TemporaryDirectory(prefix="kg-office-") as tmp:
        loaded = _load_docx(to_docx(path, Path(tmp)))
    return Loaded(loaded.lines, loaded.tables, loaded.warnings)


def _load_pdf(path: Path):
    from loaders.ocr import ocr_pdf_page
    from loaders.pdf import load_pdf

    return load_pdf(path, ocr_pdf_page)


def _load_image(path: Path):
    from loaders.ocr import load_image

    return load_image(path)


READERS: dict[str, Callable[[Path], object]] = {
    ".pdf": _load_pdf,
    ".png": _load_image,
    ".jpg": _load_image,
    ".jpeg": _load_image,
    ".tif": _load_image,
    ".tiff": _load_image,
    ".doc": _load_legacy,
    ".odt": _load_legacy,
    ".rtf": _load_legacy,
}
