"""``kg serve``: start the explorer on a built store (read-only; Ctrl-C stops it)."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["serve"]


@click.command()
@click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The store to explore (default: $KG_STORE, else .kg).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (keep it local).")
@click.option("--port", type=int, default=8765, show_default=True, help="Port (0: any free port).")
@click.option(
    "--neo4j",
    "use_neo4j",
    is_flag=True,
    help="Add a Cypher page on the Neo4j server of NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE "
    "(as kg cypher uses; read transactions only).",
)
def serve(store: Path | None, host: str, port: int, use_neo4j: bool) -> None:
    """Explore the store in a browser: search, agency/task/plan pages, graphs, named queries, SPARQL.

    \b
    Examples:
      kg serve                       # http://127.0.0.1:8765/ over .kg
      kg serve --store out/kg --port 9000
      NEO4J_URI=bolt://127.0.0.1:7687 kg serve --neo4j   # and /cypher on that server
    """
    try:
        import uvicorn
    except ImportError:
        raise click.ClickException("kg serve needs its extra: pip install 'kg-plans[serve]'") from None
    from kg.api import default_store
    from kg.explorer.app import create_app
    from kg.stores import StoreError

    path = store or default_store()
    if host not in {"127.0.0.1", "localhost", "::1"}:
        click.echo(f"warning: --host {host} lets other machines read this store (no login)", err=True)
    cypher = _cypher_console() if use_neo4j else None
    click.echo(f"reading {path} …", err=True)  # a large store takes a while: its graph is read once
    try:
        app = create_app(path, cypher=cypher)
    except StoreError as e:
        if cypher is not None:
            cypher.close()
        raise click.ClickException(str(e)) from None
    explorer = app.state.explorer
    how = {
        "cache": "from the cache of an earlier start",
        "parts": "composed from the records the build kept",
        "quads": "read from the quads (a store built by this kg build starts faster)",
    }[explorer.read_from]
    click.echo(f"graph {how} in {explorer.read_seconds:.1f} s", err=True)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)

    # Print the address once the socket is bound (port 0 picks a free one).
    original = server.startup

    async def startup(sockets=None):
        await original(sockets=sockets)
        for s in server.servers:
            for sock in s.sockets:
                bound_host, bound_port = sock.getsockname()[:2]
                click.echo(
                    f"kg explorer on {path}: http://{_host(bound_host)}:{bound_port}/  (Ctrl-C stops it)"
                )
                return

    server.startup = startup  # type: ignore[method-assign]
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn shuts down, then raises the Ctrl-C again: a clean stop
        pass
    finally:
        if cypher is not None:
            cypher.close()
    click.echo("kg explorer stopped")


def _cypher_console():
    """The Neo4j server of the environment, as ``kg cypher`` finds it; it must answer now (one line if not)."""
    from kg.explorer.cypher import CypherConsole
    from kg.stores import StoreError
    from kg.stores.neo4j import Neo4jSettings

    try:
        settings = Neo4jSettings.from_env()
        console = CypherConsole(settings)
    except (ValueError, StoreError) as e:
        raise click.ClickException(f"--neo4j: {e}") from None
    click.echo(f"Cypher page on {settings.uri} (database {settings.database}, read-only)", err=True)
    return console


def _host(host: str) -> str:
    """An address as it goes in a URL (IPv6 in brackets).

    >>> _host("::1"), _host("127.0.0.1")
    ('[::1]', '127.0.0.1')
    """
    return f"[{host}]" if ":" in host else host
