"""Test dependencies that `make test` installs: under CI=true a missing one fails, elsewhere it skips."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

from tests.support.browser import in_ci


def need(module: str) -> ModuleType:
    """Import *module*; outside CI a missing one skips the test (one line), under CI=true it fails.

    >>> need("json").dumps([])
    '[]'
    """
    if in_ci():
        return importlib.import_module(module)
    return pytest.importorskip(module)
