"""``kg viz`` and ``kg report``: the network page and the researcher's report, each one offline HTML file.

Both read plan documents (files or directories) like ``kg extract`` and write
exactly one file, the one given with ``-o`` (UTF-8, through a temporary file
and a rename); nothing else is written, no ``lib/`` folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg.cli import read_as_plan
from kg.model.output import guard_output
from kg.query_params import DAY

__all__ = ["report", "viz"]

_files = click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
_output = click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The HTML file to write.",
)
_title = click.option("--title", help="Page title (default: from the documents).")
_as_of = click.option(
    "--as-of",
    "as_of",
    type=DAY,
    help="Show the agencies holding the work on this day (YYYY-MM-DD or 'today') after the 2025"
    " reorganisation (default: as the plans name them).",
)
_quiet = click.option("-q", "--quiet", is_flag=True, help="Do not say what was written.")


def _wrote(output: Path, what: str, quiet: bool = False) -> None:
    if quiet:
        return
    size = output.stat().st_size
    click.echo(f"wrote {output} ({what}, {size / 1e6:.1f} MB)", err=True)


@click.command()
@_files
@_output
@click.option(
    "--view",
    type=click.Choice(["tasks", "agencies"]),
    default="tasks",
    show_default=True,
    help="tasks: agencies and tasks, an edge per role; agencies: agencies linked by the tasks they share.",
)
@click.option(
    "--collectives/--no-collectives",
    default=None,
    help="Draw collectives ('Các Sở, ngành…'); default: yes in the task view, no in the agency view.",
)
@_title
@_as_of
@_quiet
@guard_output(reads=read_as_plan)
def viz(
    files: tuple[Path, ...],
    output: Path,
    view: str,
    collectives: bool | None,
    title: str | None,
    as_of: Any,
    quiet: bool,
) -> None:
    """Write the responsibility network as one interactive HTML page.

    \b
    Example:
      kg viz examples/hanoi-kh-30-ctr-tu-2024.txt -o network.html
      kg viz plans/ --view agencies -o agencies.html
      kg viz examples/hanoi-kh-30-ctr-tu-2024.txt --as-of 2026-01-01 -o network-2026.html
    """
    from kg.graph.network import build_graph
    from kg.model.output import write_atomic
    from loaders import read_plans
    from viz.network import network_html

    G = build_graph(read_plans(files))
    html = network_html(G, view=view, collectives=collectives, title=title, as_of=as_of)
    write_atomic(output, html)
    tasks = sum(1 for _, d in G.nodes(data=True) if d["type"] == "task")
    _wrote(output, f"{view} view of {tasks} tasks", quiet)


@click.command()
@_files
@_output
@_title
@_as_of
@_quiet
@guard_output(reads=read_as_plan)
def report(files: tuple[Path, ...], output: Path, title: str | None, as_of: Any, quiet: bool) -> None:
    """Write a one-file HTML report: figures, load ranking, matrix, deadlines, network, chain, tasks.

    \b
    Example:
      kg report examples/hanoi-kh-30-ctr-tu-2024.txt -o report.html
      kg report examples/hanoi-kh-30-ctr-tu-2024.txt --as-of 2026-01-01 -o report-2026.html
    """
    from kg.model.output import write_atomic
    from kg.pipeline import audits_of
    from loaders import read_plans
    from viz.report import report_html

    result = read_plans(files)
    write_atomic(output, report_html(result, title=title, as_of=as_of, audits=audits_of(result)))
    _wrote(output, f"{len(result.tasks)} tasks from {len(result.documents)} documents", quiet)
