"""What the reader's speed rests on (issue #17): each shortcut gives what the plain way gives.

The corpus golden tests pin what is read; these pin that the faster ways of reading it are the
same ways: the gazetteer's prefix tree finds what the plain list of names finds, the body audit
reuses the document the plan reader has just read, and records cross processes whole.
"""

from __future__ import annotations

import itertools
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.model import pickle_by_fields
from kg.model.gazetteer import Gazetteer
from kg.model.text import name_key

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _texts() -> list[str]:
    files = sorted(CORPUS.rglob("*.txt")) + sorted((ROOT / "examples").glob("*.txt"))
    return [name_key(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()]


def test_the_gazetteer_finder_finds_what_the_plain_list_of_names_finds() -> None:
    g = Gazetteer.default()
    names = sorted({name_key(x) for e in g.entries for x in (e.name, *e.aliases)}, key=len, reverse=True)
    plain = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)")
    # Plan text, every name alone, and names run together (a longer name must win only where it ends a word).
    texts = _texts() + names + [f"{a} {b}" for a, b in itertools.pairwise(names)]
    texts += [f"{a}{b}" for a, b in zip(names, names[7:], strict=False)]
    assert len(texts) > 2000
    differ = [
        t for t in texts if [m.span() for m in plain.finditer(t)] != [m.span() for m in g._finder.finditer(t)]
    ]
    assert differ == []


def test_the_body_audit_reuses_the_document_just_read(sample_path: Path) -> None:
    from kg.pipeline import audits_of
    from loaders import read_plan
    from loaders.document import _read_document

    _read_document.cache_clear()
    result = read_plan(sample_path)
    [report] = audits_of(result)
    assert report.document == result.documents[0].id
    assert _read_document.cache_info().misses == 1 and _read_document.cache_info().hits >= 1


def test_a_record_with_a_keyword_only_field_is_not_pickled_by_position() -> None:
    @dataclass(frozen=True, slots=True)
    class Odd:
        a: int
        b: int = field(default=0, kw_only=True)

    with pytest.raises(TypeError, match="positional"):
        pickle_by_fields(Odd)


def test_a_read_crosses_processes_whole(sample) -> None:
    from kg.pipeline import Read, audits_of

    read = Read(sample, tuple(audits_of(sample)))
    back = pickle.loads(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == read
    assert back.result.tasks[0].assignments == read.result.tasks[0].assignments
    assert back.audits[0].assignments == read.audits[0].assignments
