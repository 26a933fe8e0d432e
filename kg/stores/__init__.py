"""Graph stores behind ``kg build`` / ``kg query``: the persisted RDF store and the networkx view of it.

Each backend module offers ``run_named(name, params, ...) -> list[dict]``
answering a named query (:mod:`queries`) with the columns and order of the
reference functions in :mod:`kg.graph.metrics`.

>>> issubclass(StoreError, Exception)
True
"""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(Exception):
    """A store path that cannot be used (missing, not a store, locked); ``str()`` is one line."""
