"""``kg synth``: write a generated corpus of plan documents (see :mod:`kg.synth`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kg.model.output import current_umask, guard_output

__all__ = ["synth"]


@click.command()
@click.option("--plans", "-n", type=click.IntRange(min=0), required=True, help="Number of plan documents.")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Same seed, same files.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory to write the documents into (created).",
)
@click.option(
    "--hard",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Share of documents and rows written the hard way: shared head nouns, classes with commas, "
    "qualifiers, place-qualified bodies, wrapped headers, upper-case titles, prose tasks, two appendices.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@guard_output()
def synth(plans: int, seed: int, output: Path, hard: float, quiet: bool) -> None:
    """Write PLANS generated plan documents in the sample's text format.

    \b
    Example:
      kg synth --plans 1000 --seed 1 -o corpus/
      kg synth --plans 200 --hard 0.2 -o hard/
      kg extract corpus/ --format summary
    """
    import shutil
    import tempfile

    from kg.synth import write_corpus

    if output.exists() and any(output.iterdir()):
        raise click.ClickException(f"{output}: directory is not empty")
    # The corpus is written into a hidden folder beside OUTPUT and renamed into place when whole:
    # an interrupted run (Ctrl-C) leaves no corpus with only some of its plans.
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        show = not quiet and sys.stderr.isatty()
        if show:
            with click.progressbar(length=plans, label="writing plans", file=sys.stderr) as bar:
                size = write_corpus(plans, work, seed=seed, hard=hard, progress=bar.update)
        else:
            size = write_corpus(plans, work, seed=seed, hard=hard)
        os.chmod(
            work, 0o777 & ~current_umask()
        )  # a folder as mkdir makes it, not the 0700 of a temporary one
        if output.exists():
            output.rmdir()  # empty (checked above)
        os.replace(work, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not quiet:
        click.echo(f"wrote {plans} plans ({size / 1e6:.1f} MB) to {output}", err=True)
