"""The ``kg`` command: a thin click group over the library.

Every command imports what it needs when it runs, so ``kg --help`` stays fast.
Errors in the input end as one line on stderr and exit status 1.  Ctrl-C ends
any command with the one line ``interrupted`` and exit status 130 (as a shell
reports a SIGINT): outputs are renamed into place only when whole
(:func:`kg.model.output.write_atomic`), so nothing half-written is left; a second
Ctrl-C while the command cleans up ends it at once.  Python warnings of the
libraries are for developers: they show with ``-v`` only.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

__all__ = ["COMMANDS", "INTERRUPTED", "interrupt_between", "main", "read_as_plan"]

INTERRUPTED = 130  # the exit status of a command ended by Ctrl-C (128 + SIGINT), as a shell gives it

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
        except KeyboardInterrupt:
            _interrupted()
        except (PlanError, OutputError, ParamError, NoAgency, AmbiguousAgency) as e:
            raise click.ClickException(str(e).splitlines()[0] if str(e) else type(e).__name__) from None
        except OSError as e:  # an output that cannot be written: the file and why, on one line
            if e.filename is None or e.strerror is None:
                raise
            raise click.ClickException(f"{e.filename}: {e.strerror}") from None
        except Exception as e:
            # Ctrl-C inside a library's clean-up (a driver closing its socket) surfaces as that
            # library's error, with the KeyboardInterrupt as its context: still an interruption.
            if _caused_by_interrupt(e):
                _interrupted()
            raise


def _caused_by_interrupt(e: BaseException) -> bool:
    """Whether *e* was raised while a KeyboardInterrupt was being handled (anywhere in its chain)."""
    seen: set[int] = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__  # type: ignore[assignment]
    return False


def _interrupted() -> None:
    """One line and exit 130; a second Ctrl-C during the clean-up that follows ends the process at once."""
    if _in_main_thread():
        signal.signal(signal.SIGINT, lambda *_: os._exit(INTERRUPTED))
    click.echo("interrupted", err=True)
    raise click.exceptions.Exit(INTERRUPTED)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


@contextmanager
def interrupt_between() -> Iterator[Callable[[], None]]:
    """Hold Ctrl-C inside the block until it calls ``check()`` at a point between whole units of work.

    A database client stopped in the middle of a message leaves its connection
    half-written (the Neo4j driver then fails with a BufferError or sends the
    server garbage); held until the current transaction has committed, Ctrl-C
    stops the work cleanly.  ``check()`` raises KeyboardInterrupt when Ctrl-C
    came; so does the end of the block.  A second Ctrl-C ends the process at
    once (a transaction in flight is rolled back by the server).

    >>> with interrupt_between() as check:
    ...     check()  # nothing pending: goes on
    """
    if not _in_main_thread():  # signals reach the main thread only
        yield lambda: None
        return
    pending: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        if pending:
            os.write(2, b"interrupted\n")
            os._exit(INTERRUPTED)
        pending.append(signum)

    def check() -> None:
        if pending:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)
    check()


def read_as_plan(path: Path) -> bool:
    """Whether a command reading a folder reads *path* in it as a plan (its format is one the readers read).

    >>> read_as_plan(Path("plans/kh-30.docx")), read_as_plan(Path("plans/tasks.json"))
    (True, False)
    """
    from loaders import SUFFIXES

    return path.suffix.lower() in SUFFIXES


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging on stderr.")
def main(verbose: int) -> None:
    """Responsibilities in Vietnamese government plans: who leads, coordinates and directs which task."""
    logging.basicConfig(
        level=logging.WARNING - 10 * verbose, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # Warnings of the libraries (deprecations, a workbook without a default style) say nothing a
    # user can act on: they go to the log, shown from -v on, never on every run.
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.WARNING if verbose else logging.ERROR)
