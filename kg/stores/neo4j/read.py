"""Reading from Neo4j: rows of a Cypher query as plain Python, the agencies, and :class:`Neo4jBackend`,
the database as a backend of the named queries (:func:`run_named`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kg.model import Agency
from kg.stores import StoreError
from kg.stores.neo4j.connection import Neo4jSettings, connect, neo4j_errors

if TYPE_CHECKING:
    from neo4j import Driver


def plain(value: Any) -> Any:
    """A value from the driver as plain Python: dates as ISO strings, nodes and relationships as dicts.

    >>> from neo4j.time import Date
    >>> plain([Date(2024, 6, 30), {"n": 1}])
    ['2024-06-30', {'n': 1}]
    """
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration
        return value.iso_format()
    return value


def run_cypher(
    driver: Driver, database: str, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False
) -> list[dict[str, Any]]:
    """Rows of a Cypher query (parameters bound by the server, never spliced), values made plain.

    The query runs in a READ transaction unless *write*: the server itself
    refuses any write then (``Neo.ClientError.Statement.AccessMode``), whatever
    the text looks like.
    """
    from neo4j import RoutingControl

    routing = RoutingControl.WRITE if write else RoutingControl.READ
    if not write:
        check_no_fetch(driver, database, text, params)
    records, _, keys = driver.execute_query(text, dict(params or {}), database_=database, routing_=routing)
    return [{k: plain(r[k]) for k in keys} for r in records]


class FetchRefused(StoreError):
    """A read-only query with ``LOAD CSV``: the server would fetch a file or a URL (one line)."""


def _operators(plan: Mapping[str, Any] | None) -> Iterator[str]:
    if plan:
        yield str(plan.get("operatorType", ""))
        for child in plan.get("children", ()):
            yield from _operators(child)


def check_no_fetch(driver: Driver, database: str, text: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise :class:`FetchRefused` when the server's plan for *text* loads a CSV file (``LOAD CSV FROM
    'http://…'`` is a read, but it makes the server request a URL or read one of its files).

    The server's own plan decides (``EXPLAIN``: nothing runs), not the words of the text.
    """
    from neo4j import RoutingControl

    summary = driver.execute_query(
        "EXPLAIN " + text, dict(params or {}), database_=database, routing_=RoutingControl.READ
    ).summary
    if any(op.split("@")[0] == "LoadCSV" for op in _operators(summary.plan)):
        raise FetchRefused("LOAD CSV makes the server fetch a file or a URL: refused when only reading")


def read_agencies(driver: Driver, database: str) -> list[Agency]:
    """Every agency in the database (collectives included), as records, by id."""
    rows = run_cypher(
        driver,
        database,
        "MATCH (a:Agency) RETURN a.id AS id, a.name AS name, a.name_en AS name_en, a.kind AS kind, "
        "a.recognised AS recognised, a.jurisdiction AS jurisdiction ORDER BY id",
    )
    return [
        Agency(r["id"], r["name"], r["name_en"], r["kind"], bool(r["recognised"]), r["jurisdiction"])
        for r in rows
    ]


class Neo4jBackend:
    """A Neo4j database as a :class:`kg.stores.Backend`: an ``agency`` parameter is bound as the list
    ``$<name>_ids``; every declared parameter is bound (``null`` when not given).

    *driver* is reused when given (the caller closes it); else one is opened from
    *settings* (default: the environment) when first needed and closed by :meth:`close`
    (or at the end of a ``with`` block).  Driver failures raise :class:`kg.stores.StoreError`.
    """

    dialect = "cypher"
    lists = True

    def __init__(self, settings: Neo4jSettings | None = None, *, driver: Driver | None = None) -> None:
        self.settings = settings or Neo4jSettings.from_env()
        self._driver = driver
        self._own = driver is None

    @property
    def driver(self) -> Driver:
        if self._driver is None:
            self._driver = connect(self.settings)
        return self._driver

    def rows(self, query: Any, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        bound = {
            (f"{p.name}_ids" if p.type == "agency" else p.name): bindings.get(
                p.name, [] if p.type == "agency" else None
            )
            for p in query.params
        }
        with neo4j_errors(self.settings):
            return run_cypher(self.driver, self.settings.database, query.cypher, bound)

    def agencies(self) -> list[Agency]:
        with neo4j_errors(self.settings):
            return read_agencies(self.driver, self.settings.database)

    def close(self) -> None:
        if self._own and self._driver is not None:
            self._driver.close()
            self._driver = None

    def __enter__(self) -> Neo4jBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_named(
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    settings: Neo4jSettings | None = None,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """Answer the named query *name* on Neo4j (:func:`kg.stores.runner.run`), with *params* as typed on the
    command line or as Python values.

    Rows have exactly the columns of the query's ``returns:`` line, in the
    order of :mod:`kg.graph.metrics`.  An ``agency`` parameter (a Vietnamese or
    English name, an alias or a spelling variant) is resolved to agency ids
    among the agencies read from the database and bound as the list
    ``$<name>_ids``.  *settings* default to the environment (``NEO4J_URI``…);
    pass *driver* to reuse an open one.  Driver failures raise
    :class:`kg.stores.StoreError` (one line).
    """
    from kg.stores.runner import run

    with Neo4jBackend(settings, driver=driver) as backend:
        return run(backend, name, params)
