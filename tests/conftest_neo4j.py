"""Fixtures for the tests that need a real Neo4j server (import them into a test module).

The server is the one at NEO4J_URI (default bolt://127.0.0.1:7687; ``make neo4j``
starts one, ``make test`` starts and stops it).  Unreachable: under CI=true
the tests fail with the reason; elsewhere they skip with one line saying why.
Each test starts from an empty database (Community has one database), so the
session refuses to run against a database holding nodes this project did not
write.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Every label the loader writes: a database with anything else is someone's data, not ours to wipe.
OUR_LABELS = [
    "Agency",
    "AuditFinding",
    "BodyAssignment",
    "Collective",
    "Document",
    "Plan",
    "Programme",
    "Resolution",
    "Task",
    "TaskGroup",
]


def _why_no_server() -> str:
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not found, so scripts/neo4j.sh cannot start a server"
    return "start one with `make neo4j`"


@pytest.fixture(scope="session")
def neo4j_session() -> Iterator[tuple[Any, Any]]:
    """(driver, settings) for the server at NEO4J_URI; fails under CI=true, skips elsewhere, when unusable."""
    from kg.stores import StoreError
    from kg.stores.neo4j import Neo4jSettings, connect, exclusive, neo4j_errors

    settings = Neo4jSettings.from_env()
    try:
        driver = connect(settings)
        with neo4j_errors(settings):
            driver.execute_query("RETURN 1", database_=settings.database)
    except StoreError as e:
        if IN_CI:
            pytest.fail(f"CI=true and Neo4j is not usable: {e}", pytrace=False)
        pytest.skip(f"Neo4j not usable ({e}); {_why_no_server()}")
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE none(l IN labels(n) WHERE l IN $ours) RETURN count(n) AS n",
        ours=OUR_LABELS,
        database_=settings.database,
    )
    if records[0]["n"]:
        driver.close()
        pytest.fail(
            f"database {settings.database} at {settings.uri} holds {records[0]['n']} nodes not written by kg;"
            " the Neo4j tests wipe the database, so point NEO4J_URI at a scratch server",
            pytrace=False,
        )
    with exclusive(settings):  # another test run on this machine would wipe our data: take turns
        yield driver, settings
    driver.close()


@pytest.fixture
def neo4j_db(neo4j_session: tuple[Any, Any]) -> tuple[Any, Any]:
    """(driver, settings) on an empty database."""
    driver, settings = neo4j_session
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
    return driver, settings
