"""Start ``kg serve`` on a store for a benchmark, and wait for the address it prints.

>>> callable(start_serve)
True
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_serve(store: str | Path, *, keep_stderr: bool = False) -> tuple[subprocess.Popen[str], str]:
    """``kg serve --store STORE --port 0`` started from the repository, and its address.

    With *keep_stderr* the server's stderr is a pipe (read it after stopping the server); a server
    that exits before printing its address ends the benchmark with what it said.
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if keep_stderr else None,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if m := re.search(r"http://127\.0\.0\.1:\d+", line):
            return proc, m.group(0)
    said = proc.stderr.read() if proc.stderr else ""
    raise SystemExit("kg serve did not start" + (": " + said if said else ""))
