"""Settings every entry point shares: where the store is when none is named, and what makes a folder a store.

The command line (``--store``'s default) and the Python API (``kg.open()``)
both call :func:`default_store`, so ``make demo``, ``kg query`` and
``kg.open()`` meet in the same place.  :func:`store_of` tells whether a path
lies inside a store (by the marks a store carries), so that no output is
ever written among a store's own files.

>>> import os
>>> os.environ.get("KG_STORE") or str(default_store()) == ".kg"
True
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["STORE_MARKS", "STORE_VARIABLE", "default_store", "store_of"]

STORE_VARIABLE = "KG_STORE"
# The files a store folder carries at its top: its own mark (kg.stores.atomic.MARK) and the build
# manifest (kg.stores.manifest.MANIFEST).  Either one makes the folder a store.
STORE_MARKS = ("kg-store.json", "kg-build.json")


def default_store() -> Path:
    """The store used when none is named: ``$KG_STORE`` when set (and not empty), else ``.kg``."""
    return Path(os.environ.get(STORE_VARIABLE) or ".kg")


def store_of(path: Path | str) -> Path | None:
    """The store folder *path* is (or lies inside), found by its marks; ``None`` outside every store.

    Links are followed first, so a link into a store is inside it.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "st" / "oxigraph").mkdir(parents=True)
    >>> _ = (root / "st" / STORE_MARKS[0]).write_text("{}")
    >>> store_of(root / "st" / "oxigraph" / "CURRENT") == (root / "st").resolve(), store_of(root / "x.csv")
    (True, None)
    """
    real = Path(os.path.realpath(path))
    for folder in (real, *real.parents):
        if any((folder / mark).is_file() for mark in STORE_MARKS):
            return folder
    return None
