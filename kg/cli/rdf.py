"""``kg build``, ``kg query``, ``kg sparql``, ``kg export``, ``kg validate``: the knowledge graph on disk.

``kg build`` reads plans once into a persisted store (default ``.kg`` in the
working directory); the other commands read that store.  Heavy imports
happen inside the commands.
"""

from __future__ import annotations

import importlib
import inspect
import time
from pathlib import Path
from typing import Any

import click

from kg.model.output import format_options, guard_output
from kg.model.settings import default_store

__all__ = ["BACKENDS", "build", "export", "query", "sparql", "validate"]

# Named-query backends (kg.stores.Backend), "name": "module:class"; the class takes the store directory
# when its constructor has a ``store`` parameter. Every one is asked through kg.stores.runner.run.
BACKENDS: dict[str, str] = {
    "rdf": "kg.stores.rdf:OxigraphBackend",
    "networkx": "kg.stores.graph:NetworkxBackend",
    "neo4j": "kg.stores.neo4j:Neo4jBackend",
}


def _store_given() -> bool:
    """Whether --store was typed on this command line ($KG_STORE set for every command does not count)."""
    return click.get_current_context().get_parameter_source("store") == click.core.ParameterSource.COMMANDLINE


def _no_store_with_endpoint(endpoint: str | None) -> None:
    """A query asks one place: an endpoint and a store named together would drop one without a word."""
    if endpoint and _store_given():
        raise click.UsageError("--store and --endpoint name two places to ask; give one")


def open_backend(backend: str, store: Path, endpoint: str | None = None) -> Any:
    """The :class:`kg.stores.Backend` named *backend* (or the SPARQL *endpoint*), over *store* when it reads one."""
    if endpoint:
        from kg.stores.endpoint import EndpointBackend

        return EndpointBackend(endpoint)
    module, attr = BACKENDS[backend].split(":")
    cls = getattr(importlib.import_module(module), attr)
    return cls(store) if "store" in inspect.signature(cls).parameters else cls()


_STORE = click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=default_store,
    show_default="$KG_STORE, else .kg",
    help="The store directory.",
)


_ENDPOINT = click.option(
    "--endpoint",
    metavar="URL",
    help="An external SPARQL 1.1 endpoint (server root, or query URL; see kg.stores.endpoint).",
)


def _fail(e: Exception) -> click.ClickException:
    return click.ClickException(str(e).splitlines()[0] if str(e) else type(e).__name__)


def progress_bar(length: int, label: str, quiet: bool) -> Any:
    """A progress bar on stderr when it is a terminal and not *quiet* (as ``kg synth``), else a no-op (``None``)."""
    import contextlib
    import sys

    if quiet or not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    return click.progressbar(length=length, label=label, file=sys.stderr)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_STORE
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@click.option("--prune", is_flag=True, help="Remove the documents of files read before that no longer exist.")
@click.option(
    "--wait", is_flag=True, help="When another build is writing the store, wait for it (else fail)."
)
@_ENDPOINT
def build(
    files: tuple[Path, ...], store: Path, quiet: bool, prune: bool, wait: bool, endpoint: str | None
) -> None:
    """Read plan documents (files or directories) into the store; a document read again replaces its graph.

    On a store built before, only new files and files whose content changed are read
    (a content hash per file is kept in the store); --prune also removes the documents
    of files that are gone.  The new store is built beside the old one and swapped in
    when it is complete: queries meanwhile answer from the old store, and a build that
    fails or is stopped (Ctrl-C) leaves it as it was.  One build at a time per store.

    \b
    Example:
      kg build examples/ --store .kg
      kg build examples/ --store .kg --prune           # again: only what changed
      kg build examples/ --endpoint http://127.0.0.1:7878   # then push every graph there
    """
    import sys

    from kg.pipeline import build_files
    from kg.stores import StoreError
    from loaders import iter_files

    start = time.perf_counter()
    warnings: list = []
    passed: list[str] = []
    plans: list = []
    # Files are read, audited and loaded one at a time (streamed; worker processes when there are many).
    try:
        with progress_bar(len(list(iter_files(files))), "reading plans", quiet) as bar:
            counts = build_files(
                files,
                store,
                progress=bar.update if bar else None,
                warn=warnings.append,
                skipped=passed.append,
                prune=prune,
                plan=plans.append,
                wait=wait,
            )
    except StoreError as e:
        raise _fail(e) from None
    except KeyboardInterrupt:
        # The new store was being built beside the old one, which is as it was (kg.stores.atomic).
        click.echo(f"\ninterrupted: {store} is as it was before this build", err=True)
        sys.exit(130)
    if not quiet:
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
    for file in passed:  # as kg extract says it: a folder of plans also holds notes and readmes
        click.echo(f"note: {file}: no task table found, not a plan (skipped)", err=True)
    click.echo(
        f"{store}: {counts['documents']} documents, {counts['tasks']} tasks, {counts['quads']} quads"
        f"; files: {plans[0].summary()} ({time.perf_counter() - start:.2f} s)",
        err=True,
    )
    if endpoint:
        from kg.stores.endpoint import push

        start = time.perf_counter()
        try:
            pushed = push(store, endpoint)
        except StoreError as e:
            raise _fail(e) from None
        click.echo(
            f"{endpoint}: pushed {pushed['graphs']} graphs, {pushed['triples']} triples"
            f" ({time.perf_counter() - start:.2f} s)",
            err=True,
        )


def _list_queries() -> str:
    from queries import registry

    lines = []
    for name, q in registry().items():
        params = ", ".join(
            f"{p.name}={p.type}" + ("" if p.default is None else f" (default {p.default})") for p in q.params
        )
        lines.append(f"{name}{f'  [{params}]' if params else ''}\n    {q.description}")
    return "\n".join(lines) + "\n"


@click.command()
@click.argument("name", required=False)
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeat)."
)
@format_options()
@click.option("--backend", type=click.Choice(sorted(BACKENDS)), default="rdf", show_default=True)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Answer as of this day (YYYY-MM-DD or 'today'): agencies the 2025 reorganisation merged or"
    " abolished give way to those holding their work (the as_of parameter; default: each plan's own date).",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries with their descriptions.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
@_STORE
@_ENDPOINT
@guard_output()
def query(
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    bom: bool,
    as_of: str | None,
    backend: str,
    list_: bool,
    output: Path | None,
    store: Path,
    endpoint: str | None,
) -> None:
    """Answer a named query (see --list) from the store.

    \b
    Examples:
      kg query --list
      kg query agency-load
      kg query depends-on --param agency="Department of Home Affairs" --format json
      kg query deadlines -p from=2024-01-01 -p to=2024-06-30
      kg query agency-load --as-of 2026-01-01   # after the 2025 mergers
      kg query current-holder --as-of today --format json
      kg query agency-load --endpoint http://127.0.0.1:7878   # ask a SPARQL endpoint instead
    """
    import contextlib

    from kg.model.lookup import AmbiguousAgency, NoAgency
    from kg.model.output import OutputError, deliver, render
    from kg.query_params import ParamError, parse_assignments
    from kg.stores import StoreError
    from kg.stores.runner import run
    from queries import registry

    if list_ or not name:
        click.echo(_list_queries(), nl=False)
        return
    known = registry()
    if name not in known:
        raise click.ClickException(f"no named query {name!r}; known: {', '.join(known)}")
    if backend == "neo4j" and _store_given():  # the option would be dropped without a word
        raise click.UsageError(
            "--store names an Oxigraph store; --backend neo4j asks the server of $NEO4J_URI"
        )
    _no_store_with_endpoint(endpoint)
    shared: list = []  # names several jurisdictions share (kg.model.lookup.AmbiguousAgency)
    try:
        values = parse_assignments(params)
        if as_of is not None:
            if "as_of" in values and values["as_of"] != as_of:
                raise ParamError(f"--as-of {as_of} and --param as_of={values['as_of']} disagree")
            values["as_of"] = as_of
        source = open_backend(backend, store, endpoint)
        with contextlib.closing(source) if hasattr(source, "close") else contextlib.nullcontext():
            # An agency as typed ("so noi vu, ha noi"); a name several places share gets a note (kg.model.lookup).
            rows = run(source, name, values, ambiguous=shared)
        deliver(render(rows, fmt, columns=known[name].returns, bom=bom), output, fmt=fmt)
        for e in shared if fmt == "table" else []:  # machine formats carry the jurisdiction column
            click.echo(f"note: {e} (the rows above are for each)", err=True)
    except (ParamError, NoAgency, AmbiguousAgency, StoreError, OutputError, KeyError) as e:
        raise _fail(e if not isinstance(e, KeyError) else Exception(e.args[0])) from None


@click.command()
@click.argument("query_text", metavar="QUERY|FILE")
@format_options()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write rows to this file."
)
@_STORE
@_ENDPOINT
@click.option(
    "--allow-service",
    is_flag=True,
    help="Run a query with a SERVICE clause, which sends requests to other servers (refused by default).",
)
@guard_output(also=("query_text",))
def sparql(
    query_text: str,
    fmt: str,
    bom: bool,
    output: Path | None,
    store: Path,
    endpoint: str | None,
    allow_service: bool,
) -> None:
    """Run a SPARQL query (text or a .rq file) on the store; the default graph is the union of all graphs.

    The store is only read: updates are refused, and so is a SERVICE clause (a
    request to another server) unless --allow-service is given.
    """
    from kg.model.output import OutputError, deliver, render
    from kg.stores import StoreError
    from kg.stores.rdf import PREFIXES
    from kg.stores.rdf import sparql as run_sparql
    from kg.stores.service import check_service

    _no_store_with_endpoint(endpoint)
    path = Path(query_text)
    if query_text.endswith((".rq", ".sparql")) or (len(query_text) < 4096 and "{" not in query_text):
        if not path.is_file():
            raise click.ClickException(f"{query_text}: no such query file")
        from queries import compose

        try:  # a named query's file runs as `kg query` runs it: its fragment slots (@on_day…) filled
            query_text = compose(path.read_text(encoding="utf-8"), "sparql")
        except ValueError as e:
            raise _fail(e) from None
    try:
        check_service(query_text, PREFIXES, allow=allow_service)
        if endpoint:
            from kg.stores.endpoint import sparql as run_remote

            result = run_remote(query_text, url=endpoint)
        else:
            result = run_sparql(query_text, store=store, allow_service=allow_service)
    except SyntaxError as e:
        raise click.ClickException("SPARQL syntax error: " + " ".join(str(e).split())) from None
    except StoreError as e:
        raise _fail(e) from None
    except OSError as e:  # a SERVICE the engine could not reach (with --allow-service), a store read error
        raise click.ClickException("SPARQL: " + " ".join(str(e).split())) from None
    if isinstance(result, bool):
        click.echo("true" if result else "false")
    elif isinstance(result, list) and (not result or isinstance(result[0], dict)):
        try:
            deliver(render(result, fmt, bom=bom), output, fmt=fmt)
        except OutputError as e:
            raise _fail(e) from None
    elif isinstance(result, str):  # an endpoint's CONSTRUCT/DESCRIBE answer, as it sent it
        click.echo(result, nl=not result.endswith("\n"))
    else:
        import pyoxigraph as ox

        click.echo(ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode(), nl=False)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "jsonld", "trig", "nq", "graphml", "gexf"]),
    default="ttl",
    show_default=True,
    help="ttl/nt/jsonld: all graphs merged; trig/nq: named graphs kept; graphml/gexf: the networkx model.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
@_STORE
@guard_output()
def export(fmt: str, output: Path | None, store: Path) -> None:
    """Write the store's graph as RDF, or the networkx model as GraphML/GEXF."""
    from kg.model.output import write_atomic
    from kg.stores import StoreError

    try:
        if fmt in {"graphml", "gexf"}:
            from kg.stores.graph import export_graph

            data = export_graph(store, fmt)
        else:
            from kg.stores.rdf import export as export_rdf

            data = export_rdf(store, fmt)
    except StoreError as e:
        raise _fail(e) from None
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_atomic(output, data)
        click.echo(f"wrote {output}", err=True)


@click.command()
@_STORE
def validate(store: Path) -> None:
    """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 when it does not conform."""
    from kg.stores import StoreError
    from kg.stores.rdf import validate as run_validate

    try:
        conforms, text, _ = run_validate(store)
    except StoreError as e:
        raise _fail(e) from None
    if conforms:
        click.echo(f"{store}: conforms to ontology/shapes.ttl")
        return
    click.echo(text, nl=False)
    raise click.ClickException(f"{store}: does not conform to ontology/shapes.ttl")
