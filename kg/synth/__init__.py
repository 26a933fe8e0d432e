"""A generated national corpus: realistic plan documents in the sample's text format, with their truth.

:func:`generate` is a pure function of ``(plans, seed)``: it yields one
:class:`SynthPlan` at a time (the text of one document and what a careful
reader must find in it), so a corpus of any size is never held in memory.
:func:`write_corpus` writes the documents to a directory.

What the documents exercise, the way real plans do:

* issuers: provincial and city People's Committees (Kế hoạch …/KH-UBND),
  provincial and city Party committees (Chương trình hành động …-CTr/TU) and
  ministries (Kế hoạch …/KH-B…), 34 provinces and centrally governed cities;
* implementation chains: "Thực hiện Kế hoạch số … của Ủy ban nhân dân tỉnh về
  thực hiện Chương trình hành động số …-CTr/TU … của Tỉnh ủy về thực hiện Nghị
  quyết số …-NQ/TW … của Bộ Chính trị về …", whose links point at documents of
  the same corpus where they exist;
* the appendix task table: tab-separated, ``<b>`` group rows, the header
  repeated after page breaks, continuation rows, sometimes an extra column;
* agencies from ``ontology/gazetteer.toml`` (local entries resolved per
  province, so ids are scoped by jurisdiction) with a Zipf-like load, written
  with spelling variants (NFD, old/new tone marks, case, non-breaking spaces,
  aliases, "… tỉnh <Place>"), collectives, and names the gazetteer does not know;
* every deadline form :mod:`loaders.deadlines` reads.

The parts: :mod:`kg.synth.records` (what a plan states), :mod:`kg.synth.vocabulary` (titles,
names, deadlines), :mod:`kg.synth.bodies` (the agencies and how plans write them),
:mod:`kg.synth.hard` (the hard cases) and :mod:`kg.synth.writer` (one plan's text).

The same seed gives the same bytes; plan *i* does not depend on how many
plans follow it, so a smaller corpus is a prefix of a larger one.

>>> plans = list(generate(2, seed=7))
>>> [p.file for p in plans] == [p.file for p in generate(2, seed=7)]
True
>>> all(10 <= len(p.tasks) <= 100 for p in plans)
True
>>> plans[0].lines == next(generate(1, seed=7)).lines
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from kg.synth.hard import CELL_CASES, HARD_CASES
from kg.synth.records import PLACES, Place, SynthDocument, SynthPlan, SynthTask
from kg.synth.writer import _Corpus, _plan

__all__ = [
    "CELL_CASES",
    "HARD_CASES",
    "PLACES",
    "Place",
    "SynthDocument",
    "SynthPlan",
    "SynthTask",
    "generate",
    "write_corpus",
]


def generate(plans: int, seed: int = 0, *, hard: float = 0.0) -> Iterator[SynthPlan]:
    """Yield *plans* generated plan documents, one at a time, deterministically from *seed*.

    *hard* (0..1) is how often the hard cases of :data:`HARD_CASES` are written: each
    header case in that share of documents, a hard agency cell in that share of rows,
    prose-form plans and plans with two appendix tables in half that share each.  With
    ``hard=0`` (the default) no hard case is written and the bytes are those of the plain
    corpus.
    """
    if plans < 0:
        raise ValueError("plans must be >= 0")
    if not 0.0 <= hard <= 1.0:
        raise ValueError("hard must be between 0 and 1")
    corpus = _Corpus({}, {})
    for i in range(plans):
        yield _plan(i, seed, corpus, hard)


def write_corpus(
    plans: int,
    out: Path | str,
    *,
    seed: int = 0,
    hard: float = 0.0,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write *plans* generated documents into *out* (created); return the number of bytes written.

    ``progress(1)`` is called after each file.  Files are written one by one
    (temporary file + rename) and never gathered in memory.
    """
    from kg.model.output import write_atomic

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for plan in generate(plans, seed, hard=hard):
        text = "\n".join(plan.lines) + "\n"
        data = text.encode("utf-8")
        write_atomic(out / plan.file, data)
        total += len(data)
        if progress is not None:
            progress(1)
    return total
