"""The ``kg`` command: a thin click group over the library.

Every command imports what it needs when it runs, so ``kg --help`` stays fast.
Errors in the input end as one line on stderr and exit status 1.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click

__all__ = ["COMMANDS", "main"]

# Commands defined in other modules, imported only when they run: "name": "module:attribute".
# Each family of commands keeps its own module (kg/cli_*.py); add one line here per command.
COMMANDS: dict[str, str] = {}


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

        try:
            return super().invoke(ctx)
        except PlanError as e:
            raise click.ClickException(str(e)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging on stderr.")
def main(verbose: int) -> None:
    """Responsibilities in Vietnamese government plans: who leads, coordinates and directs which task."""
    logging.basicConfig(
        level=logging.WARNING - 10 * verbose, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "table", "summary"]),
    default="table",
    show_default=True,
    help="Output format (JSON is the documented public schema).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of stdout.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
def extract(files: tuple[Path, ...], fmt: str, output: Path | None, strict: bool, quiet: bool) -> None:
    """Read the task tables of plan documents (files or directories).

    \b
    Example:
      kg extract examples/hanoi-kh-30-ctr-tu-2024.txt --format json -o tasks.json
    """
    from kg.extract_view import render_extract
    from kg.output import write_atomic
    from loaders import read_plans

    result = read_plans(files)
    if strict and result.warnings:
        first = result.warnings[0]
        more = f" (and {len(result.warnings) - 1} more warnings)" if len(result.warnings) > 1 else ""
        raise click.ClickException(f"{first}{more}")
    text = render_extract(result, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(
            f"wrote {output} ({len(result.tasks)} tasks from {len(result.documents)} documents)", err=True
        )
    if not quiet:
        for w in result.warnings:
            click.echo(f"warning: {w}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
