"""Plans as published, measured: each text plan written as .docx, printed to PDF and saved as
.doc by LibreOffice, the PDF scanned at 200 dpi (tests/support/published.py); then each read
and compared with the text version, task by task, and timed.

    python bench/published.py [--ocr] [PLAN.txt ...]   (default: the bundled sample)

Prints one Markdown row per plan: pages, text-PDF pages/s, tasks of the text version, tasks of
the PDF and .doc equal to it, and with --ocr the scan's pages/s, rows read and exact leads.
Not part of the test suite (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.model.text import name_key  # noqa: E402
from loaders import read_plan  # noqa: E402
from tests.support.published import convert, scan, write_docx  # noqa: E402


def _task(t) -> tuple:
    return (
        t.id,
        t.title,
        tuple((a.role.value, a.agency.name) for a in t.assignments),
        t.deadline.text,
    )


def _pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return len(doc.pages)


def measure(plan: Path, work: Path, ocr: bool) -> dict:
    want = read_plan(plan)
    folder = work / plan.stem
    docx = write_docx(plan, folder / f"{plan.stem}.docx")
    pdf = convert(docx, "pdf", folder / "pdf")
    doc = convert(docx, "doc", folder / "doc")
    pages = _pages(pdf)
    t = time.perf_counter()
    got_pdf = read_plan(pdf)
    pdf_s = time.perf_counter() - t
    got_doc = read_plan(doc)
    row = {
        "plan": plan.stem,
        "pages": pages,
        "pdf pages/s": f"{pages / pdf_s:.1f}",
        "tasks": len(want.tasks),
        "pdf = txt": _same(want, got_pdf),
        "doc = txt": _same(want, got_doc),
        "pdf identity = txt": _identity(got_pdf) == _identity(want),
    }
    if ocr:
        scanned = scan(pdf, folder / "scan" / f"{plan.stem}.pdf")
        t = time.perf_counter()
        got = read_plan(scanned)
        ocr_s = time.perf_counter() - t
        leads = sum(
            [name_key(a.name) for a in g.lead] == [name_key(a.name) for a in w.lead]
            for w, g in zip(want.tasks, got.tasks, strict=False)
        )
        row.update(
            {
                "ocr pages/s": f"{pages / ocr_s:.2f}",
                "scan rows": len(got.tasks),
                "scan ids =": sum(w.id == g.id for w, g in zip(want.tasks, got.tasks, strict=False)),
                "exact leads": leads,
                "ocr warnings": sum(w.code == "ocr" for w in got.warnings),
            }
        )
    return row


def _identity(result) -> dict:
    out = result.documents[0].as_dict()
    out.pop("file")
    return out


def _same(want, got) -> str:
    a, b = [_task(t) for t in want.tasks], [_task(t) for t in got.tasks]
    equal = sum(x == y for x, y in zip(a, b, strict=False))
    return f"{equal}/{len(a)}" + ("" if len(a) == len(b) else f" (read {len(b)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "plans", nargs="*", type=Path, default=[ROOT / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"]
    )
    parser.add_argument("--ocr", action="store_true", help="also scan the PDF at 200 dpi and read it")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-published-") as tmp:
        for plan in args.plans:
            try:
                rows.append(measure(plan, Path(tmp), args.ocr))
            except Exception as e:  # one plan's failure is a figure too
                rows.append({"plan": plan.stem, "pages": f"error: {e}"})
            print(rows[-1], file=sys.stderr, flush=True)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r.get(k, "")) for k in keys) + " |")


if __name__ == "__main__":
    main()
