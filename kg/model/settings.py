"""Settings every entry point shares: where the store is when none is named.

The command line (``--store``'s default) and the Python API (``kg.open()``)
both call :func:`default_store`, so ``make demo``, ``kg query`` and
``kg.open()`` meet in the same place.

>>> import os
>>> os.environ.get("KG_STORE") or str(default_store()) == ".kg"
True
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["STORE_VARIABLE", "default_store"]

STORE_VARIABLE = "KG_STORE"


def default_store() -> Path:
    """The store used when none is named: ``$KG_STORE`` when set (and not empty), else ``.kg``."""
    return Path(os.environ.get(STORE_VARIABLE) or ".kg")
