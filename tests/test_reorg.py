"""Who holds a 2024 task today: the change events, the reference logic and the CLI.

The expected holders are a careful reader's mapping of the sample plan
(KH thực hiện 30-CTr/TU, Hà Nội, 2024) through the 2025 reorganisation, each
checked against the sources cited in ``ontology/reorg.toml``.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from kg.graph import metrics
from kg.graph.network import build_graph
from kg.graph.reorg import agency_history, agency_load_as_of, current_holder, holder, lifespans
from kg.graph.reorg_events import load_events

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def G(sample):
    return build_graph(sample)


@pytest.fixture(scope="module")
def rows(G):
    return current_holder(G, TODAY)


def _row(rows, task, role, named=None):
    (row,) = [r for r in rows if (r["task"], r["role"]) == (task, role) and named in (None, r["named_id"])]
    return row


# The data ----------------------------------------------------------------------------------------


def test_every_event_is_dated_sourced_and_explained_when_unconfirmed():
    reorg = load_events()  # raises on unknown gazetteer keys, kinds or precisions
    assert len(reorg.events) >= 15
    assert [e.date for e in reorg.events] == sorted(e.date for e in reorg.events)
    for e in reorg.events:
        assert e.sources and all(s.startswith("https://") for s in e.sources), e.id
        assert e.legal_basis, e.id
        assert e.confirmed or e.note, f"{e.id}: an unconfirmed event must say what is missing"
        for t in e.functions:
            assert t.functions and t.keywords and t.sources, e.id
            assert t.confirmed or t.note, f"{e.id}: an unconfirmed transfer must say what is missing"
    assert "190/2025/QH15" in reorg.rule.legal_basis


def test_bad_event_file_is_refused(tmp_path):
    bad = tmp_path / "reorg.toml"
    bad.write_text(
        '[rule]\nlegal_basis = "x"\ntext_en = "x"\nsources = []\n'
        '[[event]]\nid = "e"\ndate = 2025-03-01\nkind = "merger"\njurisdiction = "Hà Nội"\n'
        'original = ["so-khong-co"]\nresulting = ["so-tai-chinh"]\nlegal_basis = "x"\n'
        'sources = ["https://example.org"]\nconfirmed = true\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="so-khong-co"):
        load_events(bad)


def test_lifespans_from_events():
    spans = lifespans()
    assert spans["ha-noi/so-ke-hoach-va-dau-tu"].end == date(2025, 2, 28)
    assert spans["ha-noi/so-ngoai-vu"].end == date(2025, 2, 28)
    assert spans["ban-quan-ly-khu-cong-nghe-cao-va-khu-cong-nghiep-ha-noi"].start == date(2025, 3, 1)
    assert spans["ha-noi/ubnd-cac-quan-huyen-thi-xa"].end == date(2025, 6, 30)
    # Sở Tài chính keeps its name through the merger: it continues, unbounded.
    assert "ha-noi/so-tai-chinh" not in spans


# The sample, as of 2026-01-01 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("task", "role", "named", "held_by"),
    [
        ("IV.1", "lead", "ha-noi/so-ke-hoach-va-dau-tu", "ha-noi/so-tai-chinh"),
        ("IV.7", "lead", "ha-noi/so-ke-hoach-va-dau-tu", "ha-noi/so-tai-chinh"),
        ("IV.8", "coordinating", "ha-noi/so-ke-hoach-va-dau-tu", "ha-noi/so-tai-chinh"),
        ("IV.9", "lead", "ha-noi/so-tai-nguyen-va-moi-truong", "ha-noi/so-nong-nghiep-va-moi-truong"),
        ("IV.2", "lead", "ha-noi/so-ngoai-vu", "ha-noi/van-phong-ubnd-thanh-pho"),
        ("IV.3", "lead", "ha-noi/so-ngoai-vu", "ha-noi/van-phong-ubnd-thanh-pho"),
        (
            "III.3",
            "lead",
            "ban-quan-ly-khu-cong-nghe-cao-hoa-lac",
            "ban-quan-ly-khu-cong-nghe-cao-va-khu-cong-nghiep-ha-noi",
        ),
        ("II.1", "coordinating", "ha-noi/ubnd-cac-quan-huyen-thi-xa", "ha-noi/ubnd-cac-phuong-xa"),
        ("III.1", "coordinating", "ha-noi/ubnd-cac-quan-huyen-thi-xa", "ha-noi/ubnd-cac-phuong-xa"),
        # I.1 is propaganda (tuyên truyền) about a resolution: it follows the press, publishing and
        # communication functions that went to the Sở Văn hóa và Thể thao, not the main successor.
        ("I.1", "lead", "ha-noi/so-thong-tin-va-truyen-thong", "ha-noi/so-van-hoa-va-the-thao"),
    ],
)
def test_confirmed_mappings(rows, task, role, named, held_by):
    row = _row(rows, task, role, named)
    assert row["holder_id"] == [held_by]
    assert row["confirmed"] is True
    assert row["events"] and row["sources"]  # every mapping cites its source


def test_unconfirmed_mappings_say_so(rows):
    tg = _row(rows, "I.1", "directing")
    assert tg["holder_id"] == ["ha-noi/ban-tuyen-giao-va-dan-van-thanh-uy"] and tg["confirmed"] is False
    sbv = _row(rows, "IV.10", "lead")
    assert sbv["holder_id"] == ["ngan-hang-nha-nuoc-chi-nhanh-khu-vuc-1"] and sbv["confirmed"] is False
    assert tg["sources"] and sbv["sources"]


def test_unchanged_agencies_keep_their_tasks(rows):
    home = [r for r in rows if r["named_id"] == "ha-noi/so-noi-vu"]
    assert len(home) == 7
    assert all(r["holder_id"] == ["ha-noi/so-noi-vu"] and not r["events"] for r in home)


def test_nothing_changes_before_the_reorganisation(G):
    before = current_holder(G, date(2024, 6, 1))
    assert len(before) == G.number_of_edges() - sum(
        1 for *_, d in G.edges(data=True) if d.get("rel") != "role"
    )
    assert all(r["holder_id"] == [r["named_id"]] and not r["events"] and not r["sources"] for r in before)


def test_dates_are_respected():
    assert holder("ha-noi/so-ke-hoach-va-dau-tu", date(2025, 2, 28)).agencies == (
        "ha-noi/so-ke-hoach-va-dau-tu",
    )
    assert holder("ha-noi/so-ke-hoach-va-dau-tu", date(2025, 3, 1)).agencies == ("ha-noi/so-tai-chinh",)
    district = "ha-noi/ubnd-cac-quan-huyen-thi-xa"
    assert holder(district, date(2025, 6, 30)).agencies == (district,)
    assert holder(district, date(2025, 7, 1)).agencies == ("ha-noi/ubnd-cac-phuong-xa",)


def test_function_transfers_choose_by_task_text():
    ttt = "ha-noi/so-thong-tin-va-truyen-thong"
    assert holder(ttt, TODAY).agencies == ("ha-noi/so-khoa-hoc-va-cong-nghe",)
    assert holder(ttt, TODAY, "Thúc đẩy chuyển đổi số").agencies == ("ha-noi/so-khoa-hoc-va-cong-nghe",)
    assert holder(ttt, TODAY, "Quản lý nhà nước về báo chí, xuất bản").agencies == (
        "ha-noi/so-van-hoa-va-the-thao",
    )
    assert holder(ttt, TODAY, "Bảo đảm an toàn thông tin mạng").agencies == ("ha-noi/cong-an-thanh-pho",)
    # A ministry named nationally follows the ministry events, not the Hà Nội ones.
    assert holder("bo-ke-hoach-va-dau-tu", TODAY).agencies == ("bo-tai-chinh",)


# Load as of a date ----------------------------------------------------------------------------------


@pytest.mark.parametrize("collectives", [False, True])
def test_load_before_the_events_equals_agency_load(G, collectives):
    assert agency_load_as_of(G, date(2024, 6, 1), collectives=collectives) == metrics.agency_load(
        G, collectives=collectives
    )


def test_load_counts_merged_tasks_for_the_successor(G):
    now = {r["id"]: r for r in agency_load_as_of(G, TODAY)}
    assert "ha-noi/so-ke-hoach-va-dau-tu" not in now and "ha-noi/so-ngoai-vu" not in now
    fin = now["ha-noi/so-tai-chinh"]
    # led: IV.1, IV.7 (from Kế hoạch và Đầu tư), IV.11; coordinated: IV.7, IV.8; IV.7 counted once in total.
    assert (fin["lead"], fin["coordinating"], fin["total"]) == (3, 2, 4)
    assert now["ha-noi/van-phong-ubnd-thanh-pho"]["lead"] == 2
    before = {r["id"]: r for r in metrics.agency_load(G)}
    assert now["ha-noi/so-noi-vu"] == before["ha-noi/so-noi-vu"]


# History and RDF ------------------------------------------------------------------------------------


def test_history_of_a_split_department():
    rows = agency_history("ha-noi/so-thong-tin-va-truyen-thong")
    assert {(r["change"], tuple(r["into"])) for r in rows} == {
        ("ended", ("ha-noi/so-khoa-hoc-va-cong-nghe",)),
        ("gave functions", ("ha-noi/so-van-hoa-va-the-thao",)),
        ("gave functions", ("ha-noi/cong-an-thanh-pho",)),
    }
    assert all(r["date"] == "2025-03-01" and r["sources"] for r in rows)


def test_rdf_uses_org_and_declared_local_terms():
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS, ORG, PROV, RDF

    from kg.rdf.plan import KG
    from kg.rdf.reorg import event_iri, events_graph
    from ontology import path

    g = events_graph()
    events = set(g.subjects(RDF.type, ORG.ChangeEvent))
    assert len(events) == len(load_events().events)
    for e in events:
        assert g.value(e, PROV.startedAtTime) is not None and g.value(e, DCTERMS.source) is not None
    ev = URIRef(event_iri("ha-noi-2025-so-tai-chinh"))
    assert len(set(g.objects(ev, ORG.originalOrganization))) == 2
    vocab = Graph().parse(path("reorg.ttl")).parse(path("kg.ttl"))  # the local terms, both files shipped
    declared = {s for s in vocab.subjects() if str(s).startswith(KG)}
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(KG)}
    assert used and used - declared == set()  # the events use local terms, every one declared


# CLI --------------------------------------------------------------------------------------------------


def test_cli_history_accepts_english_names(runner):
    from kg.cli import main

    r = runner.invoke(
        main, ["agency", "history", "Department of Planning and Investment, Hà Nội", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["agency"]["name"] == "Sở Kế hoạch và Đầu tư"
    assert data["events"][0]["into"] == ["Sở Tài chính"] and data["events"][0]["sources"]
    table = runner.invoke(main, ["agency", "history", "sở ngoại vụ", "--place", "Hà Nội"])
    assert table.exit_code == 0 and "Văn phòng UBND Thành phố" in table.output


def test_cli_history_unknown_name_is_one_line(runner):
    from kg.cli import main

    r = runner.invoke(main, ["agency", "history", "Sở Không Có Thật"])
    assert r.exit_code == 1
    assert len(r.stderr.strip().splitlines()) == 1 and "no agency" in r.stderr


def test_cli_holders_json_is_the_reference(runner, sample_path, rows, tmp_path):
    from kg.cli import main

    out = tmp_path / "holders.json"
    r = runner.invoke(
        main, ["holders", str(sample_path), "--as-of", "2026-01-01", "--format", "json", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text(encoding="utf-8")) == rows
    csv = runner.invoke(main, ["holders", str(sample_path), "--as-of", "2026-01-01", "--format", "csv"])
    assert "IV.1,lead,Sở Kế hoạch và Đầu tư,ha-noi/so-ke-hoach-va-dau-tu,Hà Nội,Sở Tài chính" in csv.output


def test_shortcuts_of_the_holdings_walk_give_its_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The event index (only events that may touch an agency are visited) and the holdings shared by
    texts matching the same transfer keywords answer as the full walk over every event does."""
    import kg.graph.reorg as R
    from kg.graph.reorg_events import _default

    events = _default()
    texts = ["", "Tuyên truyền về Nghị quyết", "Chuyển đổi số", "an ninh mạng và báo chí", "Quản lý đất đai"]
    agencies = sorted(events.moved)[::7]
    shared = {(a, t): R._default_holdings(a, t) for a in agencies for t in texts}
    walked = {(a, t): R._holdings(a, t, events) for a in agencies for t in texts}
    monkeypatch.setattr(R, "_candidates", lambda reorg, agency, start: range(start, len(reorg.events)))
    full = {(a, t): R._holdings(a, t, events) for a in agencies for t in texts}
    assert shared == walked == full
    # The texts do change some answers: the shortcut is not blind to them.
    assert any(shared[(a, "")] != shared[(a, t)] for a in agencies for t in texts)
