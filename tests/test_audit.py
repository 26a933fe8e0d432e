"""The body/appendix audit on the sample, checked against links and findings read by hand."""

from __future__ import annotations

import json

import pytest

from kg.graph.audit import audit, link
from kg.model import Agency, Assignment, Deadline, ExtractResult, Role, Source, Task
from kg.model.body import BodyAssignment, BodyKind, BodyReading, FindingKind
from loaders.body import read_body

# Read from both halves of examples/hanoi-kh-30-ctr-tu-2024.txt: the appendix row (lines 207–253)
# and the body item(s) stating the same work (lines 23–177).
EXPECTED_LINKS = {
    "I.1": {"II.1.a", "II.1.b"},  # Ban Tuyên giáo (asked to direct) and Sở TT&TT (leads) the propaganda
    "I.2": {"II.1.c#1"},  # quán triệt … tới cán bộ, công chức, viên chức
    "I.3": {"II.1.c#2", "III.1"},  # each body builds its own plan, by function and duty
    "II.1": {"II.2.a#1", "II.2.d#1"},  # Sở Nội vụ proposes talent policies; the others propose to it
    "II.2": {"II.2.a#2", "II.2.d#2"},
    "II.3": {"II.2.b"},
    "II.4": {"II.2.c"},
    "III.1": {"II.3.a#1"},
    "III.2": {"II.3.d"},
    "III.3": {"II.3.b"},
    "III.4": {"II.3.c"},
    "III.5": {"II.3.a#2"},
    "IV.1": {"II.4.a#1"},
    "IV.2": {"II.4.b#1"},
    "IV.3": {"II.4.b#2"},
    "IV.4": {"II.4.e#1"},
    "IV.5": {"II.4.g#1"},
    "IV.6": {"II.4.h"},
    "IV.7": {"II.4.a#2"},
    "IV.8": {"II.4.c"},
    "IV.9": {"II.4.d"},
    "IV.10": {"II.4.i"},
    "IV.11": {"II.4.đ"},
    "IV.12": {"II.4.e#2"},
    "IV.13": {"II.4.g#2"},
    "V.1": {"II.5.a#1"},
    "V.2": {"II.5.a#2"},
    "V.3": {"II.5.a#3"},
    "V.4": {"II.5.b#1"},
    "V.5": {"II.5.b#2"},
}
# Body items no appendix row states: the requests to bodies outside the committee, the general
# "phối hợp" duties of sections 4 and 5, and the standing agency's monitoring.
BODY_ONLY_ITEMS = {"II.1.d", "II.1.đ", "II.4.k", "II.5.c", "III.2", "III.3"}


@pytest.fixture(scope="module")
def report(sample, sample_path):
    return audit(read_body(sample_path), sample)


def _findings(report, kind):
    return [f for f in report.findings if f.kind is kind]


def test_every_appendix_task_links_to_the_body_item_a_reader_links_it_to(report, sample):
    got: dict[str, set[str]] = {t.id: set() for t in sample.tasks}
    for lk in report.links:
        got[lk.task].add(report.assignments[lk.body].ref)
    assert got == EXPECTED_LINKS
    assert _findings(report, FindingKind.NO_BODY) == []


def test_body_items_without_appendix_row(report):
    assert {f.section for f in _findings(report, FindingKind.NO_APPENDIX)} == BODY_ONLY_ITEMS


def test_body_only_agencies_are_listed(report, sample):
    listed = {f.message.split(" is ")[0] for f in _findings(report, FindingKind.BODY_ONLY_AGENCY)}
    assert {
        "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố",
        "Các đoàn thể chính trị - xã hội Thành phố",
        "Đảng ủy Đại học Quốc gia Hà Nội",
        "Đảng ủy Khối các Trường Đại học, Cao đẳng Hà Nội",
    } <= listed
    in_appendix = {a.name for a in sample.agencies()}
    assert not listed & in_appendix
    # Agencies the appendix names (Sở Nội vụ, Sở Khoa học và Công nghệ, …) are never listed.
    assert "Sở Khoa học và Công nghệ" not in listed


def test_requested_body_in_the_lead_cell_is_a_lead_difference(report):
    leads = _findings(report, FindingKind.LEAD_DIFFERS)
    assert [(f.appendix, f.section) for f in leads] == [("I.1", "II.1.a, II.1.b")]
    assert "Ban Tuyên giáo Thành ủy" in leads[0].message and "requests" in leads[0].message
    assert leads[0].lines == (27, 29, 31, 33)


def test_coordinator_differences(report):
    got = {f.appendix: f.message for f in _findings(report, FindingKind.COORDINATORS_DIFFER)}
    assert set(got) == {"IV.7", "IV.8", "IV.12", "V.4"}
    assert "the appendix names Sở Tài chính, Sở Khoa học và Công nghệ" in got["IV.7"]
    assert "the body names Sở Nội vụ, Sở Khoa học và Công nghệ" in got["V.4"]


def test_collective_leads_and_deadlines(report, sample):
    collective = {f.appendix for f in _findings(report, FindingKind.COLLECTIVE_LEAD)}
    assert collective == {"I.2", "I.3", "III.2"}  # "Các Sở, ngành, địa phương", "Các sở, ngành"
    # The body of the sample states no deadline at all: every appendix deadline is the appendix's own.
    missing = {f.appendix for f in _findings(report, FindingKind.DEADLINE_NOT_IN_BODY)}
    assert missing == {t.id for t in sample.tasks}


def test_requests_are_kept_apart_from_assignments(report):
    requests = {
        item.ref: report.appendix_of(n)
        for n, item in enumerate(report.assignments)
        if item.kind is BodyKind.REQUEST
    }
    assert requests == {"II.1.a": ["I.1"], "II.1.d": [], "II.1.đ": [], "III.2": []}


def _agency(name: str, kind: str = "department") -> Agency:
    return Agency(id=name.lower().replace(" ", "-"), name=name, name_en=None, kind=kind, recognised=True)


def test_link_matches_rephrased_text_and_agency():
    noi_vu, tai_chinh = _agency("Sở Nội vụ"), _agency("Sở Tài chính")
    src = Source("x", (1,))
    items = [
        BodyAssignment(
            "d",
            "II.1.a",
            1,
            BodyKind.ASSIGN,
            (noi_vu,),
            "Chủ trì tham mưu, xây dựng cơ sở dữ liệu về đội ngũ trí thức",
            (),
            (),
            src,
        ),
        BodyAssignment(
            "d", "II.1.b", None, BodyKind.ASSIGN, (tai_chinh,), "Đề xuất cơ chế ưu đãi về thuế", (), (), src
        ),
    ]
    tasks = [
        Task(
            "I.1",
            "d",
            None,
            "1",
            "Xây dựng cơ sở dữ liệu về đội ngũ trí thức",
            (Assignment(noi_vu, Role.LEAD, ""),),
            Deadline("2025"),
            src,
        ),
        Task(
            "I.2",
            "d",
            None,
            "2",
            "Tổ chức hội nghị quốc tế",
            (Assignment(noi_vu, Role.LEAD, ""),),
            Deadline("2024"),
            src,
        ),
    ]
    got = [(items[lk.body].ref, lk.task) for lk in link(items, tasks)]
    assert got == [("II.1.a#1", "I.1")]
    report = audit(BodyReading("x", "d", tuple(items)), ExtractResult(tasks=tuple(tasks)))
    assert {f.appendix for f in report.findings if f.kind is FindingKind.NO_BODY} == {"I.2"}
    assert {f.section for f in report.findings if f.kind is FindingKind.NO_APPENDIX} == {"II.1.b"}


def test_cli_json(runner, sample_path, tmp_path):
    from kg.cli import main

    out = tmp_path / "audit.json"
    res = runner.invoke(main, ["audit", str(sample_path), "--format", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    first = data["body_assignments"][0]
    assert {
        "section",
        "bullet",
        "agencies",
        "kind",
        "text",
        "coordinating",
        "reports_to",
        "appendix",
        "lines",
    } <= set(first)
    assert (first["section"], first["kind"], first["appendix"]) == ("II.1.a", "request", ["I.1"])
    assert first["agencies"][0]["name"] == "Ban Tuyên giáo Thành ủy"  # diacritics kept, not escaped
    assert "Ban Tuyên giáo" in out.read_text(encoding="utf-8")
    assert {"kind", "appendix", "section", "message"} <= set(data["findings"][0])
    assert len(data["body_assignments"]) == 40


def test_cli_table_markdown_and_bad_input(runner, sample_path, tmp_path):
    from kg.cli import main

    res = runner.invoke(main, ["audit", str(sample_path)])
    assert res.exit_code == 0 and "lead-differs" in res.output and "40 body items" in res.output
    res = runner.invoke(main, ["audit", str(sample_path), "--format", "markdown"])
    assert res.exit_code == 0 and "## Findings" in res.output and "| II.5.b | 1 |" in res.output
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    res = runner.invoke(main, ["audit", str(empty)])
    assert res.exit_code == 1 and "empty file" in res.output and "Traceback" not in res.output


@pytest.mark.corpus
def test_audit_runs_on_every_corpus_document(corpus_dir):
    from loaders import read_plan

    for path in sorted(corpus_dir.glob("*.txt")):
        result = read_plan(path)
        rep = audit(read_body(path), result)
        ids = {t.id for t in result.tasks}
        assert all(lk.task in ids for lk in rep.links)
        assert all(f.appendix is None or f.appendix in ids for f in rep.findings)
