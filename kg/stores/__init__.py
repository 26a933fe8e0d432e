"""Graph stores behind ``kg build`` / ``kg query``: the persisted RDF store and the networkx view of it.

Every backend answers the named queries (:mod:`queries`) through one runner,
:func:`kg.stores.runner.run`, which looks the query up, types its parameters,
resolves agency names, merges and orders runs and shapes the rows.  A backend
gives only what is its own (:class:`Backend`): the rows of one query text for
typed bindings, and the agencies it holds.

>>> issubclass(StoreError, Exception)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kg.model import Agency
    from queries import NamedQuery

__all__ = ["Backend", "StoreError"]


class StoreError(Exception):
    """A store path that cannot be used (missing, not a store, locked); ``str()`` is one line."""


class Backend(Protocol):
    """What a store gives the named-query runner (:mod:`kg.stores.runner`).

    ``dialect`` names the text of a :class:`queries.NamedQuery` the backend runs
    (``"sparql"``, ``"cypher"``; ``"networkx"`` for the reference functions).
    :meth:`rows` gets typed *bindings*: each declared parameter that has a value,
    an ``agency`` parameter as the list of agency ids it names.  A backend whose
    ``lists`` is false binds one value per run: the runner then calls it once per
    agency id and merges the rows in the query's ``ORDER BY``.
    """

    dialect: str
    lists: bool

    def rows(self, query: NamedQuery, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows of *query* with *bindings*, in the query's order, before shaping."""
        ...

    def agencies(self) -> list[Agency]:
        """Every agency the store holds (collectives included), as records."""
        ...
