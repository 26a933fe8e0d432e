"""Plans as published, measured: each text plan written as .docx, printed to PDF and saved as
.doc by LibreOffice, the PDF scanned at 200 dpi (tests/support/published.py); then each read,
timed, and scored against the plan's hand-checked golden file (tests/golden/corpus/).

    python bench/published.py [--ocr] [--ocr-pages N] [--corpus DIR] [PLAN.txt ...]   (default: the bundled sample)

Prints one Markdown row per plan and format: pages, pages per second, and the golden figures of
tests/support/corpus_score.py (tasks found / expected, leads exact, coordinating F1, deadlines
exact), with the text version's own figures for comparison.  A golden row is found by its line
in the text version: a task read from a PDF, .doc or scan is matched to the text version's task
with the same id (the n-th of that id), whose line it takes; a task with no such twin counts as
extra.  Without a golden file (the bundled sample) the text version is the truth.
Not part of the test suite nor of ``make bench`` (timings depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.model import ExtractResult, Role  # noqa: E402
from loaders import read_plan  # noqa: E402
from tests.support.corpus_score import GOLDEN_DIR, golden_name, load_golden, score  # noqa: E402
from tests.support.published import convert, scan, write_docx  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def _pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return len(doc.pages)


def _golden(plan: Path, corpus: Path, text: ExtractResult) -> dict:
    """The plan's golden file, or one made of the text version's reading (no golden file)."""
    try:
        path = GOLDEN_DIR / f"{golden_name(plan.resolve(), corpus.resolve())}.json"
    except ValueError:
        path = None
    if path is not None and path.exists():
        return load_golden(path)
    rows = [
        {
            "line": t.source.lines[0],
            "lead": [a.agency.name for a in t.assignments if a.role is not Role.COORDINATING],
            "coordinating": [a.name for a in t.coordinating],
            "deadline_text": t.deadline.text,
        }
        for t in text.tasks
    ]
    return {"file": plan.name + " (text reading)", "task_rows": len(rows), "tasks": rows}


def relined(got: ExtractResult, text: ExtractResult) -> ExtractResult:
    """*got* with each task's source lines those of its twin in the text version (same id, same
    occurrence), so that golden rows (found by line) find it; a task without a twin gets line 0."""
    lines: dict[tuple[str, int], tuple[int, ...]] = {}
    seen: Counter = Counter()
    for t in text.tasks:
        lines[(t.id, seen[t.id])] = t.source.lines
        seen[t.id] += 1
    seen.clear()
    tasks = []
    for t in got.tasks:
        key = (t.id, seen[t.id])
        seen[t.id] += 1
        tasks.append(replace(t, source=replace(t.source, lines=lines.get(key, (0,)))))
    return replace(got, tasks=tuple(tasks))


class Clock:
    """Wall time and CPU time (this process's and its children's: Tesseract, LibreOffice) of a
    stretch of work; pages per CPU second is what the machine's load does not change."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, self._cpu() - self.cpu


def _row(plan: str, kind: str, pages: int, took: tuple[float, float] | None, result, text, golden) -> dict:
    s = score(relined(result, text) if result is not text else text, golden)
    return {
        "plan": plan,
        "format": kind,
        "pages": pages,
        "pages/s": f"{pages / took[0]:.2f}" if took else "",
        "pages/CPU s": f"{pages / took[1]:.2f}" if took else "",
        "tasks found / expected": f"{s.found}/{s.expected}" + (f" (+{s.extra})" if s.extra else ""),
        "leads exact": f"{100 * s.lead_exact:.1f}%",
        "coordinating F1": f"{100 * s.coord_f1:.1f}%",
        "deadlines exact": f"{100 * s.deadline_exact:.1f}%",
        "warnings": len(result.warnings),
    }


def measure(plan: Path, work: Path, ocr: int, corpus: Path, report=lambda row: None) -> list[dict]:
    """The rows of one plan (text, PDF, .doc, and with *ocr* its scan when it has at most *ocr*
    pages); *report* is called with each row as it is made."""
    text = read_plan(plan)
    golden = _golden(plan, corpus, text)
    folder = work / plan.stem
    docx = write_docx(plan, folder / f"{plan.stem}.docx")
    pdf = convert(docx, "pdf", folder / "pdf")
    doc = convert(docx, "doc", folder / "doc")
    pages = _pages(pdf)
    rows = [_row(plan.stem, "txt", pages, None, text, text, golden)]
    report(rows[-1])
    for kind, path in (("pdf", pdf), ("doc", doc)):
        clock = Clock()
        got = read_plan(path)
        took = clock.stop() if kind == "pdf" else None
        rows.append(_row(plan.stem, kind, pages, took, got, text, golden))
        report(rows[-1])
    if ocr and pages <= ocr:
        scanned = scan(pdf, folder / "scan" / f"{plan.stem}.pdf")
        clock = Clock()
        got = read_plan(scanned)
        rows.append(_row(plan.stem, "scan 200 dpi", pages, clock.stop(), got, text, golden))
        report(rows[-1])
    elif ocr:
        rows.append({"plan": plan.stem, "format": f"scan: not made ({pages} pages > --ocr-pages {ocr})"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "plans", nargs="*", type=Path, default=[ROOT / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"]
    )
    parser.add_argument("--ocr", action="store_true", help="also scan the PDF at 200 dpi and read it")
    parser.add_argument(
        "--ocr-pages", type=int, default=10_000, help="scan only plans of at most this many pages"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="where the golden files' plans lie")
    args = parser.parse_args()
    rows: list[dict] = []
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="kg-published-") as tmp:
        for plan in args.plans:
            try:
                ocr = args.ocr_pages if args.ocr else 0
                rows.extend(
                    measure(
                        plan, Path(tmp), ocr, args.corpus, lambda r: print(r, file=sys.stderr, flush=True)
                    )
                )
            except Exception as e:  # one plan's failure is a figure too
                rows.append({"plan": plan.stem, "format": f"error: {type(e).__name__}: {e}"})
                print(rows[-1], file=sys.stderr, flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r.get(k, "")) for k in keys) + " |")


if __name__ == "__main__":
    main()
