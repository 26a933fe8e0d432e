"""The ``kg`` command: a thin click group over the library.

Every command imports what it needs when it runs, so ``kg --help`` stays fast.
Errors in the input end as one line on stderr and exit status 1.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

__all__ = ["COMMANDS", "main"]

# Commands defined in other modules, imported only when they run: "name": "module:attribute".
# Each family of commands keeps its own module (kg/cli/*.py); add one line here per command.
COMMANDS: dict[str, str] = {
    "extract": "kg.cli.extract:extract",
    "build": "kg.cli.rdf:build",
    "agency": "kg.cli.agency:agency",
    "holders": "kg.cli.agency:holders",
    "query": "kg.cli.rdf:query",
    "sparql": "kg.cli.rdf:sparql",
    "export": "kg.cli.rdf:export",
    "validate": "kg.cli.rdf:validate",
    "neo4j": "kg.cli.neo4j:neo4j",
    "cypher": "kg.cli.neo4j:cypher",
    "audit": "kg.cli.audit:audit_command",
    "synth": "kg.cli.synth:synth",
    "viz": "kg.cli.viz:viz",
    "report": "kg.cli.viz:report",
    "serve": "kg.explorer.cli:serve",
}


class _Group(click.Group):
    """Lazy sub-commands, and the library's own input errors as one-line messages, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, attr = COMMANDS[cmd_name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from kg.model import PlanError
        from kg.model.lookup import AmbiguousAgency, NoAgency
        from kg.model.output import OutputError
        from kg.query_params import ParamError

        try:
            return super().invoke(ctx)
        except (PlanError, OutputError, ParamError, NoAgency, AmbiguousAgency) as e:
            raise click.ClickException(str(e).splitlines()[0] if str(e) else type(e).__name__) from None
        except OSError as e:  # an output that cannot be written: the file and why, on one line
            if e.filename is None or e.strerror is None:
                raise
            raise click.ClickException(f"{e.filename}: {e.strerror}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging on stderr.")
def main(verbose: int) -> None:
    """Responsibilities in Vietnamese government plans: who leads, coordinates and directs which task."""
    logging.basicConfig(
        level=logging.WARNING - 10 * verbose, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
