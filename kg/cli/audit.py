"""``kg audit``: read each plan's body, link it to its appendix and report where the two disagree."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import read_as_plan
from kg.model.output import guard_output

__all__ = ["audit_command", "render_audit"]

_COLUMNS = ("kind", "appendix", "section", "lines", "message")


def _markdown(reports: list) -> str:
    out: list[str] = []
    for r in reports:
        out.append(f"# Audit of {r.file}\n")
        out.append("## Body assignments\n")
        out.append("| section | bullet | kind | agencies | coordinating | reports to | appendix | lines |")
        out.append("|---|---|---|---|---|---|---|---|")
        for n, a in enumerate(r.assignments):
            cells = [
                a.section,
                "" if a.bullet is None else str(a.bullet),
                a.kind.value,
                ", ".join(x.name for x in a.agencies),
                ", ".join(x.name for x in a.coordinating),
                ", ".join(x.name for x in a.reports_to),
                ", ".join(r.appendix_of(n)),
                f"{a.source.lines[0]}–{a.source.lines[-1]}",
            ]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("\n## Findings\n")
        out.append("| kind | appendix | section | lines | message |")
        out.append("|---|---|---|---|---|")
        for f in r.findings:
            lines = f"{f.lines[0]}–{f.lines[-1]}" if f.lines else ""
            cells = [f.kind.value, f.appendix or "", f.section or "", lines, f.message]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out) + "\n"


def render_audit(reports: list, warnings: list, fmt: str) -> str | bytes:
    """The audit of several documents as ``json``, ``markdown`` (``md``), or its findings as a ``table``,
    ``csv``, ``jsonl`` or ``xlsx`` (bytes)."""
    from kg.graph.audit import audit_rows
    from kg.model.output import render, render_rows, to_json

    if fmt == "json":
        body = [{**a, "file": r.file} for r in reports for a in r.as_dict()["body_assignments"]]
        return to_json(
            {
                "body_assignments": body,
                "findings": [f.as_dict() for r in reports for f in r.findings],
                "warnings": [w.as_dict() for w in warnings],
            }
        )
    if fmt in {"markdown", "md"}:
        return _markdown(reports)
    rows = audit_rows(reports)
    if fmt != "table":
        return render(rows, fmt, columns=_COLUMNS)
    counts = "".join(
        f"{r.file}: {len(r.assignments)} body items, {len(r.findings)} findings\n" for r in reports
    )
    return render_rows(rows, "table", columns=_COLUMNS) + counts


@click.command("audit")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md", "markdown", "csv", "jsonl", "xlsx"]),
    default="table",
    show_default=True,
    help="Findings as a table (csv, jsonl, xlsx with -o), everything as JSON, or a Markdown report (md).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@guard_output(reads=read_as_plan)
def audit_command(files: tuple[Path, ...], fmt: str, output: Path | None, quiet: bool) -> None:
    """Compare each plan's body with its appendix table.

    Reads the body's items (who is assigned, asked or made the standing agency,
    with whom, reporting to whom), links them to the appendix tasks by meaning,
    and lists appendix tasks the body never states, body items with no row, lead
    and coordinator differences, agencies only the body names, collective-only
    leads and deadlines only the appendix states.

    \b
    Example:
      kg audit examples/hanoi-kh-30-ctr-tu-2024.txt --format markdown -o audit.md
    """
    from kg.model.output import OutputError, deliver
    from kg.pipeline import AuditSink, run

    # Each file is read once (appendix and body from the same lines) by the reader pool (kg.pipeline).
    found = AuditSink()
    run(files, [found])
    reports, warnings = found.reports, found.warnings
    text = render_audit(reports, warnings, fmt)
    try:
        deliver(text, output, fmt=fmt)
    except OutputError as e:
        raise click.ClickException(str(e)) from None
    if output is not None and not quiet:
        n = sum(len(r.findings) for r in reports)
        click.echo(f"wrote {output} ({n} findings from {len(reports)} documents)", err=True)
    if not quiet:
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
