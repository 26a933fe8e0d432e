"""Score a reading of a corpus document against its hand-checked golden file.

Tasks are matched by the line their row starts on (an id scheme may change, the
document does not).  Names are compared through the gazetteer, so a golden name
and the reader's canonical name for the same body are equal; a name the
gazetteer does not know is compared by :func:`kg.text.name_key`.

* tasks found / expected: golden rows the reader produced a task for;
* lead exact: share of golden tasks whose set of lead (and directing) agencies
  is exactly the golden set;
* coordinating F1: micro F1 over (row, agency) pairs of the coordinating cells.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.gazetteer import Gazetteer
from kg.model import ExtractResult, Role
from kg.text import name_key

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

    @property
    def coord_f1(self) -> float:
        p, r = self.coord_precision, self.coord_recall
        return 2 * p * r / (p + r) if p + r else 1.0

    def line(self) -> str:
        return (
            f"{self.file}: tasks {self.found}/{self.expected} (extra {self.extra}), "
            f"lead exact {100 * self.lead_exact:.1f}%, coordinating F1 {100 * self.coord_f1:.1f}% "
            f"(P {100 * self.coord_precision:.1f}%, R {100 * self.coord_recall:.1f}%)"
        )


def golden_files() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*.json"))


def load_golden(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _key(name: str, gazetteer: Gazetteer) -> str:
    entry = gazetteer.lookup(name)
    return entry.key if entry is not None else name_key(name)


def score(result: ExtractResult, golden: dict, gazetteer: Gazetteer | None = None) -> Score:
    gazetteer = gazetteer or Gazetteer.default()
    by_line = {t.source.lines[0]: t for t in result.tasks}
    rows = golden["tasks"]
    found = [r for r in rows if r["line"] in by_line]
    exact = 0
    tp = fp = fn = 0
    for row in rows:
        task = by_line.get(row["line"])
        want_lead = {_key(n, gazetteer) for n in row["lead"]}
        want_coord = {_key(n, gazetteer) for n in row["coordinating"]}
        if task is None:
            fn += len(want_coord)
            continue
        got_lead = {
            _key(a.agency.name, gazetteer) for a in task.assignments if a.role is not Role.COORDINATING
        }
        got_coord = {_key(a.name, gazetteer) for a in task.coordinating}
        exact += got_lead == want_lead
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
    )
