"""The generated corpus: deterministic bytes, and read back exactly as the generator intended."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

import pytest

from kg.model import ExtractResult, Role, Task
from kg.synth import SynthPlan, SynthTask, generate, write_corpus
from loaders import read_plan, read_plans

# Enough plans that each form the plain generator writes now and then (two bodies printed with
# no separator, a lower-case body after a class, an abbreviation that chairs) occurs; a few seconds.
PLANS = 40
SEED = 11
TASK_FIELDS = ("group", "number", "title", "lead", "coordinating", "deadline", "lines", "attributes")


def document_differences(plan: SynthPlan, result: ExtractResult) -> list[str]:
    """How the document read differs from *plan*'s: identity, title and chain."""
    out: list[str] = []
    doc = result.documents[0]
    want = plan.document
    got_doc = (doc.id, doc.type, doc.number, doc.date, doc.year, doc.place, doc.issuer, doc.title)
    want_doc = (want.id, want.type, want.number, want.date, want.year, want.place, want.issuer, want.title)
    if got_doc != want_doc:
        out.append(f"{plan.file}: document {got_doc} != {want_doc}")
    chain = tuple(r.id for r in doc.chain())
    if doc.implements != want.chain[:1] or chain != want.chain:
        out.append(f"{plan.file}: chain {doc.implements} {chain} != {want.chain}")
    return out


def task_differences(
    plan: SynthPlan, t: SynthTask, r: Task, fields: Collection[str] = TASK_FIELDS
) -> list[str]:
    """How task *r* as read differs from *t*, in the named *fields*."""
    lead = tuple((a.agency, a.role) for a in r.assignments if a.role is not Role.COORDINATING)
    pairs = {
        "group": ((r.group.id, r.group.title) if r.group else (None, None), (t.group, t.group_title)),
        "number": (r.number, t.number),
        "title": (r.title, t.title),
        "lead": (lead, t.lead),
        "coordinating": (r.coordinating, t.coordinating),
        "deadline": (r.deadline, t.deadline),
        "lines": (r.source.lines, t.lines),
        "attributes": (r.attributes, t.attributes),
    }
    return [
        f"{plan.file} {t.id} {k}: {a!r} != {b!r}" for k, (a, b) in pairs.items() if k in fields and a != b
    ]


def expected_warnings(tasks: Iterable[SynthTask]) -> list[tuple[int, str]]:
    """The warnings the unknown names written in *tasks* must raise: (line, message)."""
    return sorted(
        (t.lines[0], f"task {t.id}: agency not in the gazetteer, kept as written: {name!r}")
        for t in tasks
        for name in t.unrecognised
    )


def differences(plan: SynthPlan, result: ExtractResult) -> list[str]:
    """Every way *result* (one file read) differs from what *plan* states; empty when exact."""
    out = document_differences(plan, result)
    got = {t.id: t for t in result.tasks}
    if list(got) != [t.id for t in plan.tasks]:
        out.append(f"{plan.file}: task ids {list(got)} != {[t.id for t in plan.tasks]}")
    for t in plan.tasks:
        if t.id in got:
            out += task_differences(plan, t, got[t.id])
    got_warnings = sorted((w.line, w.message) for w in result.warnings)
    if got_warnings != (want := expected_warnings(plan.tasks)):
        out.append(f"{plan.file}: warnings {got_warnings} != {want}")
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    write_corpus(PLANS, out, seed=SEED)
    return out


def test_same_seed_same_bytes(corpus, tmp_path):
    write_corpus(PLANS, tmp_path, seed=SEED)
    first = {p.name: p.read_bytes() for p in sorted(corpus.iterdir())}
    again = {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir())}
    assert len(first) == PLANS
    assert first == again


def test_other_seed_other_corpus():
    assert [p.lines for p in generate(2, seed=1)] != [p.lines for p in generate(2, seed=2)]


def test_smaller_corpus_is_a_prefix():
    assert [p.lines for p in generate(2, seed=SEED)] == [p.lines for p in generate(3, seed=SEED)][:2]


def test_read_back_exactly(corpus):
    for plan in generate(PLANS, seed=SEED):
        assert differences(plan, read_plan(corpus / plan.file)) == []


def test_read_plans_sees_every_task(corpus):
    result = read_plans([corpus])
    plans = list(generate(PLANS, seed=SEED))
    assert len(result.documents) == PLANS
    assert len(result.tasks) == sum(len(p.tasks) for p in plans)
    # Only the names the generator wrote as unknown are reported.
    assert {w.code for w in result.warnings} <= {"agency"}
    assert len(result.warnings) == sum(len(t.unrecognised) for p in plans for t in p.tasks)


def test_chain_between_generated_documents():
    """A plan that implements another plan of the corpus names it by the id the reader gives that plan."""
    plans = list(generate(60, seed=SEED))
    ids = {p.document.id for p in plans}
    linked = [p for p in plans if p.document.chain[0] in ids]
    assert linked, "no plan implements another plan of the corpus"
    assert any(len(p.document.chain) >= 3 for p in linked)


def test_corpus_shape():
    plans = list(generate(40, seed=SEED))
    kinds = {p.document.issuer.kind for p in plans}
    assert {"people_committee", "party_body", "ministry"} <= kinds
    tasks = [t for p in plans for t in p.tasks]
    assert all(0 <= len(t.coordinating) <= 4 for t in tasks)
    assert any(len(t.lines) > 1 for t in tasks), "no continuation row"
    agencies = {a.id for t in tasks for a, _ in t.lead} | {a.id for t in tasks for a in t.coordinating}
    assert len(agencies) > 200
    lines = [line for p in plans for line in p.lines]
    assert any("\u00a0" in line for line in lines)
    assert any(line != __import__("unicodedata").normalize("NFC", line) for line in lines)


def test_cli_writes_the_same_files(runner, tmp_path, corpus):
    from kg.cli import main

    out = tmp_path / "c"
    r = runner.invoke(main, ["synth", "--plans", str(PLANS), "--seed", str(SEED), "-o", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    assert r.output == ""  # quiet: no progress bar, no summary
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in corpus.iterdir())
    again = runner.invoke(main, ["synth", "--plans", "1", "-o", str(out)])
    assert again.exit_code == 1
    assert "not empty" in again.output
