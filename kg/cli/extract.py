"""``kg extract``: read plan documents (any supported format, files or directories) in a batch.

A batch goes on past a document that cannot be read: each failure is one line
on stderr (``error: FILE[:LINE]: message``), the documents that were read are
written, and a summary line ends the run when more than one document was
tried.  A file found in a directory that holds no task table at all (a readme)
is skipped with a note, not failed.  The exit status is 1 when any document
failed (0 with ``--allow-failures`` as long as one document was read), and 1
with nothing written when none was read.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import read_as_plan
from kg.model.output import guard_output

__all__ = ["extract", "render_tables", "strict_message"]


def render_tables(result) -> str:
    """The tables each document holds and whether they were read, one line each.

    >>> from kg.model import ExtractResult, TableReport
    >>> r = ExtractResult(tables=(TableReport("p.txt", 9, ("TT", "Chỉ tiêu"), False, "indicator table (chỉ tiêu)"),))
    >>> print(render_tables(r), end="")
    tables:
      p.txt:9 skipped: indicator table (chỉ tiêu) [TT | Chỉ tiêu]
    """
    out = ["tables:"]
    for t in result.tables:
        head = " | ".join(t.header)
        if t.read:
            out.append(f"  {t.file}:{t.line} read, {t.tasks} tasks ({t.reason}) [{head}]")
        else:
            out.append(f"  {t.file}:{t.line} skipped: {t.reason} [{head}]")
    return "\n".join(out) + "\n"


def strict_message(result) -> str:
    """Why ``--strict`` fails: what was not read right, counted, and the first warning.

    >>> from kg.model import ExtractResult, Issue
    >>> print(strict_message(ExtractResult(warnings=(Issue("p.txt", 4, "row", "row not understood, skipped: 'x'"),))))
    strict: 1 warnings (1 rows not understood); first: p.txt:4: row not understood, skipped: 'x'
    """
    from kg.cli.extract_view import reading_counts

    counts = reading_counts(result)
    why = f" ({', '.join(f'{n} {what}' for what, n in counts.items())})" if counts else ""
    return f"strict: {len(result.warnings)} warnings{why}; first: {result.warnings[0]}"


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "summary", "json", "jsonl", "csv", "md", "xlsx"]),
    default="table",
    show_default=True,
    help="json: the documented public schema; jsonl, csv, md, xlsx (with -o): one row per task.",
)
@click.option("--excel", "--bom", "bom", is_flag=True, help="CSV for Excel: UTF-8 with a byte-order mark.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of stdout.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (nothing written) on any warning: a row not understood, a new agency, a rejected fragment…",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings or skipped tables.")
@click.option(
    "--allow-failures",
    is_flag=True,
    help="Exit 0 when some documents failed but at least one was read.",
)
@guard_output(reads=read_as_plan)
def extract(
    files: tuple[Path, ...],
    fmt: str,
    bom: bool,
    output: Path | None,
    strict: bool,
    quiet: bool,
    allow_failures: bool,
) -> None:
    """Read the task tables of plan documents: .txt .md .docx .html .csv .xlsx files or directories.

    A document that cannot be read is reported on one line and the others are
    still read; the exit status is 1 if any failed (see --allow-failures).

    \b
    Example:
      kg extract examples/hanoi-kh-30-ctr-tu-2024.txt --format json -o tasks.json
      kg extract plans/ --format summary
    """
    from kg.cli.extract_view import render_extract, task_rows
    from kg.model.output import OutputError, deliver, render
    from loaders import read_batch

    if fmt == "xlsx" and output is None:
        raise click.ClickException("--format xlsx writes a file: add -o FILE.xlsx")

    batch = read_batch(files)
    result, failed = batch.result, batch.failed
    if not batch.tried:
        raise click.ClickException(f"no supported documents found in {', '.join(map(str, files))}")
    for e in failed:
        click.echo(f"error: {e}", err=True)
    if not quiet:
        for e in batch.skipped:
            click.echo(f"note: {e} (skipped)", err=True)
    if not result.documents:
        if batch.tried > 1:
            click.echo(f"none of {batch.tried} documents could be read; nothing written", err=True)
        raise SystemExit(1)
    if strict and result.warnings:
        raise click.ClickException(strict_message(result))
    if fmt in {"jsonl", "csv", "md", "xlsx"}:
        text = render(task_rows(result), fmt, bom=bom)
    else:
        text = render_extract(result, fmt)
    if fmt == "summary":
        text += render_tables(result)
    try:
        deliver(text, output, fmt=fmt)
    except OutputError as e:
        raise click.ClickException(str(e)) from None
    if output is not None and not quiet:
        click.echo(
            f"wrote {output} ({len(result.tasks)} tasks from {len(result.documents)} documents)", err=True
        )
    if not quiet:
        for w in result.warnings:
            click.echo(f"warning: {w}", err=True)
        for t in result.tables:
            if not t.read:
                click.echo(f"note: {t.file}:{t.line}: table skipped: {t.reason}", err=True)
    if batch.tried > 1:
        names = ", ".join(e.file for e in failed)
        click.echo(
            f"read {len(result.documents)} of {batch.tried} documents, {len(result.tasks)} tasks"
            + (f"; {len(batch.skipped)} skipped (no task table)" if batch.skipped else "")
            + (f"; {len(failed)} failed: {names}" if failed else ""),
            err=True,
        )
    if failed and not allow_failures:
        raise SystemExit(1)
