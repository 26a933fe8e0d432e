"""Score a reading of a corpus document against its hand-checked golden file.

Tasks are matched by the line their row starts on (an id scheme may change, the
document does not).  Names are compared through the gazetteer, so a golden name
and the reader's canonical name for the same body are equal; a name the
gazetteer does not know is compared by :func:`kg.model.text.name_key`.

* tasks found / expected: golden rows the reader produced a task for;
* lead exact: share of golden tasks whose set of lead (and directing) agencies
  is exactly the golden set;
* coordinating F1: micro F1 over (row, agency) pairs of the coordinating cells;
* deadline exact: share of golden tasks with a ``deadline_text`` whose task keeps
  that text (compared by :func:`kg.model.text.name_key`).

Indicator rows (``indicators`` in a golden file) are scored the same way against
``ExtractResult.indicators`` by :func:`score_indicators`.

Run as a script to print the figures of every golden document::

    python -m tests.support.corpus_score [CORPUS_DIR]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.model import ExtractResult, Role
from kg.model.gazetteer import Gazetteer
from kg.model.text import name_key

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden" / "corpus"


@dataclass(frozen=True)
class Score:
    file: str
    found: int
    expected: int
    extra: int
    lead_exact: float
    coord_precision: float
    coord_recall: float
    deadline_exact: float = 1.0

    @property
    def coord_f1(self) -> float:
        p, r = self.coord_precision, self.coord_recall
        return 2 * p * r / (p + r) if p + r else 1.0

    def line(self) -> str:
        return (
            f"{self.file}: tasks {self.found}/{self.expected} (extra {self.extra}), "
            f"lead exact {100 * self.lead_exact:.1f}%, coordinating F1 {100 * self.coord_f1:.1f}% "
            f"(P {100 * self.coord_precision:.1f}%, R {100 * self.coord_recall:.1f}%), "
            f"deadline exact {100 * self.deadline_exact:.1f}%"
        )


def golden_files() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*.json"))


def golden_name(document: Path, corpus: Path) -> str:
    """The golden file's stem for a corpus document: its path with ``/`` as ``--``.

    >>> golden_name(Path("/c/prose/a-1.txt"), Path("/c"))
    'prose--a-1'
    """
    return "--".join(document.relative_to(corpus).with_suffix("").parts)


def load_golden(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _key(name: str, gazetteer: Gazetteer) -> str:
    entry = gazetteer.lookup(name)
    return entry.key if entry is not None else name_key(name)


def score(result: ExtractResult, golden: dict, gazetteer: Gazetteer | None = None) -> Score:
    """How *result* reads the task rows of *golden*."""
    return _score(result.tasks, golden["tasks"], golden, gazetteer)


def score_indicators(result: ExtractResult, golden: dict, gazetteer: Gazetteer | None = None) -> Score:
    """How *result* reads the indicator rows of *golden* (its ``indicators``)."""
    rows = golden.get("indicators", [])
    return _score(result.indicators, rows, {**golden, "task_rows": len(rows)}, gazetteer)


def _score(records, rows: list[dict], golden: dict, gazetteer: Gazetteer | None) -> Score:
    gazetteer = gazetteer or Gazetteer.default()
    by_line = {t.source.lines[0]: t for t in records}
    found = [r for r in rows if r["line"] in by_line]
    exact = 0
    tp = fp = fn = 0
    dated = dated_ok = 0
    for row in rows:
        task = by_line.get(row["line"])
        want_lead = {_key(n, gazetteer) for n in row["lead"]}
        want_coord = {_key(n, gazetteer) for n in row["coordinating"]}
        dated += "deadline_text" in row
        if task is None:
            fn += len(want_coord)
            continue
        got_lead = {
            _key(a.agency.name, gazetteer) for a in task.assignments if a.role is not Role.COORDINATING
        }
        got_coord = {_key(a.name, gazetteer) for a in task.coordinating}
        exact += got_lead == want_lead
        if "deadline_text" in row:
            got_deadline = task.deadline.text if hasattr(task, "deadline") else ""
            dated_ok += name_key(got_deadline) == name_key(row["deadline_text"])
        tp += len(got_coord & want_coord)
        fp += len(got_coord - want_coord)
        fn += len(want_coord - got_coord)
    golden_lines = {r["line"] for r in rows}
    extra = sum(1 for line in by_line if line not in golden_lines)
    return Score(
        file=golden["file"],
        found=len(found),
        expected=golden["task_rows"],
        extra=extra,
        lead_exact=exact / len(rows) if rows else 1.0,
        coord_precision=tp / (tp + fp) if tp + fp else 1.0,
        coord_recall=tp / (tp + fn) if tp + fn else 1.0,
        deadline_exact=dated_ok / dated if dated else 1.0,
    )


def main(argv: list[str] | None = None) -> None:
    """Print the figures of every golden document found under the corpus folder."""
    import sys

    from loaders import read_plan

    args = sys.argv[1:] if argv is None else argv
    corpus = Path(args[0]) if args else GOLDEN_DIR.parents[2].parent / "shared" / "corpus"
    for path in golden_files():
        golden = load_golden(path)
        result = read_plan(corpus / golden["file"])
        print(score(result, golden).line())
        if golden.get("indicators"):
            print("  indicators:", score_indicators(result, golden).line())


if __name__ == "__main__":
    main()
