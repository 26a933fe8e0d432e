"""``kg neo4j load|wipe|counts`` and ``kg cypher``: the plan graph in a Neo4j server.

Where the server is comes from the environment (NEO4J_URI, NEO4J_USER,
NEO4J_PASSWORD, NEO4J_DATABASE) or the options ``--uri``, ``--user``,
``--database``.  A password is never taken from the command line: it is read
from NEO4J_PASSWORD or asked for (hidden) when a user is given without one.
Every failure ends as one line on stderr with exit status 1.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.model.output import guard_output

__all__ = ["cypher", "neo4j"]


def _connection_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--uri/--user/--database (with their environment variables), turned into ``settings``."""

    @click.option(
        "--uri", envvar="NEO4J_URI", help="Bolt URI [env NEO4J_URI; default bolt://127.0.0.1:7687]."
    )
    @click.option("--user", envvar="NEO4J_USER", help="User name [env NEO4J_USER; none: no authentication].")
    @click.option("--database", envvar="NEO4J_DATABASE", help="Database [env NEO4J_DATABASE; default neo4j].")
    @functools.wraps(f)
    def wrapper(*args: Any, uri: str | None, user: str | None, database: str | None, **kwargs: Any) -> Any:
        kwargs["settings"] = _settings(uri, user, database)
        return f(*args, **kwargs)

    return wrapper


def _settings(uri: str | None, user: str | None, database: str | None):
    import os

    from kg.stores.neo4j import Neo4jSettings

    password = os.environ.get("NEO4J_PASSWORD") or None
    if user and password is None:
        password = click.prompt(
            f"Neo4j password for {user}", hide_input=True, default="", show_default=False, err=True
        )
    try:
        return Neo4jSettings.from_env(uri=uri, user=user, password=password, database=database)
    except ValueError as e:
        raise click.ClickException(str(e)) from None


def _store_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Driver failures (already one line, as StoreError) end as a ClickException."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from kg.stores import StoreError

        try:
            return f(*args, **kwargs)
        except StoreError as e:
            raise click.ClickException(str(e)) from None

    return wrapper


def _peak_rss_mb() -> float:
    """This process's peak resident memory (the reader's workers and the server not counted)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


@click.group("neo4j")
def neo4j() -> None:
    """Load plans into a Neo4j server and manage what is there.

    \b
    Example:
      make neo4j                       # a local server on bolt://127.0.0.1:7687
      kg neo4j load examples/hanoi-kh-30-ctr-tu-2024.txt   # constraints, then one transaction per document
      kg cypher "MATCH (a:Agency)-[:LEADS]->(t:Task) RETURN a.name, count(t) ORDER BY count(t) DESC"
    """


@neo4j.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--csv-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Keep the CSV files in this folder (new, or one an import wrote) [default: a temporary folder, "
    "removed after].",
)
@click.option("--no-start", is_flag=True, help="Leave the server stopped after the import.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@_connection_options
@_store_errors
def import_(
    files: tuple[Path, ...], csv_dir: Path | None, no_start: bool, quiet: bool, settings: Any
) -> None:
    """Bulk-import plan documents into a FRESH database of the project's server (scripts/neo4j.sh).

    The documents are read as `kg build` reads them (once each, by the reader's
    worker processes) and turned, one at a time, into the graph `kg neo4j load`
    writes, as node and relationship CSVs; the server is stopped,
    `neo4j-admin database import full` replaces its database with them, and the
    server is started again on it with the constraints.  Everything the
    database held before is gone: use `kg neo4j load` to add documents to a
    live database.  The CSVs are written beside --csv-dir and renamed to it
    once whole: an interrupted import leaves no half-written folder.
    """
    import shutil
    import tempfile

    from kg.cli.rdf import progress_bar
    from kg.model import PlanError
    from kg.model.output import check_output
    from kg.pipeline import run
    from kg.stores.neo4j import Neo4jSink, connect, neo4j_errors
    from kg.stores.neo4j_import import ImportSink, run_import, set_empty_lists
    from loaders import iter_files

    if csv_dir is not None:  # a folder of CSVs is an output like any other: never inside a store
        check_output(csv_dir, files)
    t0 = time.perf_counter()
    warnings: list = []
    notes: list[str] = []
    scratch = None if csv_dir is not None else Path(tempfile.mkdtemp(prefix="kg-neo4j-import-"))
    sink = ImportSink(csv_dir or scratch / "csv")  # type: ignore[operator]
    try:
        try:
            with progress_bar(len(list(iter_files(files))), "reading plans", quiet) as bar:
                run(
                    files,
                    [sink],
                    progress=bar.update if bar else None,
                    warn=warnings.append,
                    skipped=notes.append,
                )
        except (PlanError, ValueError) as e:
            raise click.ClickException(f"{e} (nothing was imported)") from None
        written = sink.files
        assert written is not None
        t_read = time.perf_counter() - t0
        try:
            log, steps = run_import(written, start=not no_start)
        except RuntimeError as e:
            raise click.ClickException(str(e)) from None
        t_import = time.perf_counter() - t0 - t_read
        if not no_start:
            with neo4j_errors(settings), connect(settings) as driver:
                Neo4jSink(driver, settings.database).ensure_schema()
                set_empty_lists(written, driver, settings.database)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    t_schema = time.perf_counter() - t0 - t_read - t_import
    for file in notes:  # a folder of plans also holds notes and readmes, as kg build says
        click.echo(f"note: {file}: no task table found, not a plan (skipped)", err=True)
    counts = written.counts
    rels = sum(n for k, n in counts.items() if k.isupper())
    step = ", ".join(f"{k} {v:.2f}s" for k, v in steps.items())
    click.echo(
        f"imported {sink.counts['documents']} documents ({sink.counts['tasks']} tasks): "
        f"{len(written.nodes)} node groups, {rels} relationships; read and CSV {t_read:.2f}s, "
        f"{step}, constraints {t_schema:.2f}s, total {time.perf_counter() - t0:.2f}s "
        f"(client peak RSS {_peak_rss_mb():.0f} MB); "
        f"now {counts.get('Document', 0)} documents, {counts.get('Task', 0)} tasks, "
        f"{counts.get('Agency', 0)} agencies",
        err=True,
    )
    if not quiet:
        for line in log.splitlines():
            click.echo(line, err=True)
        for w in warnings:
            click.echo(f"warning: {w}", err=True)


@neo4j.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Drop each document's old subgraph first (a new version).")
@click.option(
    "--batch-size", default=1000, show_default=True, type=click.IntRange(1), help="Rows per statement."
)
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@_connection_options
@_store_errors
def load(files: tuple[Path, ...], replace: bool, batch_size: int, quiet: bool, settings: Any) -> None:
    """Load plan documents (files or directories) into Neo4j.

    Uniqueness constraints are created first; each document is then written
    in one transaction (all of it or nothing) as soon as it is read, so the
    client holds one file at a time.  Loading the same documents again changes
    nothing; --replace swaps a document's tasks for a new version.  A document
    that cannot be read stops the load there: the documents before it stay loaded.
    """
    from kg.cli import interrupt_between
    from kg.cli.rdf import progress_bar
    from kg.model import PlanError
    from kg.pipeline import Neo4jLoad, run
    from kg.stores.neo4j import Neo4jSink, connect, neo4j_errors
    from loaders import iter_files

    t0 = time.perf_counter()
    warnings: list = []
    notes: list[str] = []
    # Ctrl-C is held until the document being written has committed: the driver is never stopped
    # in the middle of a message, and the documents loaded so far are whole.
    with interrupt_between() as check, neo4j_errors(settings), connect(settings) as driver:
        sink = Neo4jLoad(Neo4jSink(driver, settings.database, batch_size=batch_size), replace=replace)
        try:
            with progress_bar(len(list(iter_files(files))), "loading documents", quiet) as bar:

                def written(n: int) -> None:
                    if bar:
                        bar.update(n)
                    check()

                run(
                    files,
                    [sink],
                    progress=written,
                    warn=warnings.append,
                    skipped=notes.append,
                )
        except PlanError as e:
            loaded = sink.counts["documents"]
            raise click.ClickException(
                f"{e} (the load stopped there; {loaded} documents before it are loaded)"
            ) from None
        counts = sink.sink.counts()
    for file in notes:  # a folder of plans also holds notes and readmes, as kg build says
        click.echo(f"note: {file}: no task table found, not a plan (skipped)", err=True)
    secs = time.perf_counter() - t0
    report = sink.counts
    what = f"{report['documents']} documents ({report['tasks']} tasks)"
    if replace:
        what += f", {report['replaced']} replaced"
    click.echo(
        f"loaded {what} into {settings.uri} database {settings.database} in {secs:.2f}s "
        f"(client peak RSS {_peak_rss_mb():.0f} MB); "
        f"now {counts.get('Document', 0)} documents, {counts.get('Task', 0)} tasks, "
        f"{counts.get('Agency', 0)} agencies",
        err=True,
    )
    if not quiet:
        for w in warnings:
            click.echo(f"warning: {w}", err=True)


@neo4j.command("wipe")
@click.confirmation_option(prompt="Delete every node and relationship of the database?")
@_connection_options
@_store_errors
def wipe(settings: Any) -> None:
    """Delete everything in the database (the constraints stay)."""
    from kg.stores.neo4j import Neo4jSink, connect, neo4j_errors

    with neo4j_errors(settings), connect(settings) as driver:
        Neo4jSink(driver, settings.database).wipe()
    click.echo(f"wiped database {settings.database} at {settings.uri}", err=True)


@neo4j.command("counts")
@_connection_options
@_store_errors
def counts(settings: Any) -> None:
    """Nodes by label and relationships by type."""
    from kg.model.output import render_rows
    from kg.stores.neo4j import Neo4jSink, connect, neo4j_errors

    with neo4j_errors(settings), connect(settings) as driver:
        found = Neo4jSink(driver, settings.database).counts()
    click.echo(render_rows([{"name": k, "count": v} for k, v in found.items()], "table"), nl=False)


def _param_value(text: str) -> Any:
    """A --param value: JSON when it parses as a number, boolean, null or list; otherwise the text itself."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, int | float | bool | list) or value is None else text


@click.command("cypher")
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind $NAME (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
@click.option(
    "--write",
    is_flag=True,
    help="Let the query change the database (default: read-only, refused by the server).",
)
@_connection_options
@_store_errors
@guard_output()
def cypher(
    query: str, params: tuple[str, ...], fmt: str, output: Path | None, write: bool, settings: Any
) -> None:
    """Run an ad-hoc Cypher QUERY on the Neo4j server and print the rows.

    Values are bound as parameters ($name), never pasted into the text:
    a value that parses as JSON (5, true, null, [1, 2]) is bound as such,
    anything else as a string.  The query runs in a read transaction: the
    server refuses CREATE, MERGE, SET, DELETE, schema changes and writing
    procedures unless --write is given.

    \b
    Example:
      kg cypher 'MATCH (a:Agency {name: $name})-[:LEADS]->(t) RETURN t.id, t.title' -p 'name=Sở Nội vụ'
    """
    from kg.model.output import render_rows, write_atomic
    from kg.query_params import ParamError, parse_assignments
    from kg.stores.neo4j import connect, neo4j_errors, run_cypher

    try:
        bound = {k: _param_value(v) for k, v in parse_assignments(params).items()}
    except ParamError as e:
        raise click.BadParameter(str(e), param_hint="--param") from None
    with neo4j_errors(settings), connect(settings) as driver:
        rows = run_cypher(driver, settings.database, query, bound, write=write)
    text = render_rows(rows, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output} ({len(rows)} rows)", err=True)
