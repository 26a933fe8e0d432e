"""The Cypher page of ``kg serve --neo4j``: any Cypher on the configured Neo4j server, read-only.

Each query runs in a READ transaction (``session.execute_read`` on a session opened with
``default_access_mode=READ``), so the server itself refuses a write (``Neo.ClientError.Statement.
AccessMode``), whatever the text says; a transaction that runs past :data:`TIMEOUT_S` is stopped by
the server, and at most :data:`MAX_ROWS` rows are fetched.  Values are bound as parameters
(``NAME=VALUE`` lines, as ``kg cypher -p`` takes them), never pasted into the text.

The editor is seeded with the named ``.cypher`` queries; their parameters are written out as lines
with the declared defaults (an agency parameter as the list of ids the named query expects).

>>> parse_params("collectives=true\\nas_of=null\\n\\nagency_ids=[\\"ha-noi/so-noi-vu\\"]")
{'collectives': True, 'as_of': None, 'agency_ids': ['ha-noi/so-noi-vu']}
>>> parse_params("name=Sở Nội vụ")
{'name': 'Sở Nội vụ'}
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kg.query_params import ParamError

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.stores.neo4j import Neo4jSettings
    from queries import NamedQuery

__all__ = [
    "MAX_ROWS",
    "TIMEOUT_S",
    "CypherConsole",
    "CypherResult",
    "example",
    "parse_params",
]

# A careless MATCH (n) RETURN n on a large graph would fill the server's memory and the page: the
# rows past this are not fetched, and the page says so.
MAX_ROWS = 10_000
# The server stops a transaction past this (its own timeout, so a runaway query frees the server too).
TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class CypherResult:
    """The columns and rows of one query (values made plain: dates as ISO text, nodes as dicts)."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    truncated: bool  # more rows than MAX_ROWS: only the first were fetched


def parse_params(text: str) -> dict[str, Any]:
    """``NAME=VALUE`` lines (empty lines skipped) as parameters: a value that parses as JSON (a number,
    true/false, null, a list) is bound as such, as ``kg cypher -p`` does; a day (``2026-01-01``) as a
    date; anything else as text.

    Raises :class:`kg.query_params.ParamError` for a line without a name and ``=``.
    """
    out: dict[str, Any] = {}
    for line in filter(None, (x.strip() for x in text.splitlines())):
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise ParamError(f"a parameter line is NAME=VALUE, not {line!r}")
        out[name.strip()] = _value(value.strip())
    return out


def _value(text: str) -> Any:
    """One parameter value: JSON when a number, boolean, null or list; a day as a date; else the text.

    >>> _value("5"), _value("[1, 2]"), _value('{"a": 1}'), _value("Sở"), _value("2026-01-01")
    (5, [1, 2], '{"a": 1}', 'Sở', datetime.date(2026, 1, 1))
    """
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # the named queries compare dates with dates, not text
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, int | float | bool | list) or value is None else text


def example(query: NamedQuery, agency_id: str | None = None) -> dict[str, str]:
    """A named query as the editor shows it: its Cypher text and one parameter line per declared
    parameter (its default; an agency parameter as ``NAME_ids=[…]``, the ids the query expects,
    with *agency_id* as a start).

    >>> from queries import registry
    >>> ex = example(registry()["depends-on"], "ha-noi/so-noi-vu")
    >>> ex["params"]
    'agency_ids=["ha-noi/so-noi-vu"]\\nas_of=null'
    >>> example(registry()["agency-load"])["params"]
    'collectives=false\\nas_of=null'
    """
    lines = []
    for p in query.params:
        if p.type == "agency":
            lines.append(f"{p.name}_ids={json.dumps([agency_id] if agency_id else [], ensure_ascii=False)}")
        elif p.default == "today":  # worked out by kg query; the server is given the day itself
            lines.append(f"{p.name}={date.today().isoformat()}")
        elif p.default is None or p.default == "none":
            lines.append(f"{p.name}=null")
        else:
            lines.append(f"{p.name}={p.default}")
    return {
        "name": query.name,
        "description": query.description,
        "text": query.cypher or "",
        "params": "\n".join(lines),
    }


class CypherConsole:
    """A driver on the configured server for the Cypher page; every query in a READ transaction."""

    def __init__(self, settings: Neo4jSettings, driver: Driver | None = None) -> None:
        from kg.stores.neo4j import connect

        self.settings = settings
        self.driver = driver or connect(settings)  # fails fast (StoreError) when the server does not answer

    def run(self, text: str, params: Mapping[str, Any] | None = None) -> CypherResult:
        """Rows of *text* with *params* bound, in a READ transaction.

        Raises :class:`kg.stores.StoreError` with one line (a write refused by the server, a syntax
        error, the server gone); a write the server refused is a :class:`kg.stores.neo4j.WriteRefused`.
        """
        from neo4j import READ_ACCESS, unit_of_work

        from kg.stores.neo4j import check_no_fetch, neo4j_errors, plain

        @unit_of_work(timeout=TIMEOUT_S)
        def work(tx: Any) -> CypherResult:
            result = tx.run(text, dict(params or {}))
            keys = tuple(result.keys())
            rows = []
            for record in result:
                if len(rows) == MAX_ROWS:
                    return CypherResult(keys, tuple(rows), True)
                rows.append({k: plain(record[k]) for k in keys})
            return CypherResult(keys, tuple(rows), False)

        with neo4j_errors(self.settings):
            check_no_fetch(self.driver, self.settings.database, text, params)
            with self.driver.session(
                database=self.settings.database, default_access_mode=READ_ACCESS
            ) as session:
                return session.execute_read(work)

    def close(self) -> None:
        self.driver.close()
