"""Answers "as of a day" through the 2025 reorganisation: the store's holdings, the CLI, SHACL, the pages.

The expected facts are the careful reader's mapping of the sample plan (see
tests/test_reorg.py): as of 2026-01-01 the Sở Kế hoạch và Đầu tư's work is the
Sở Tài chính's, the Sở Tài nguyên và Môi trường's the Sở Nông nghiệp và Môi
trường's, and so on; as of 2024-06-01 nothing has moved.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from rdflib import Graph, Namespace, URIRef

from kg import pipeline as P
from kg.graph.network import build_graph
from kg.graph.reorg import as_of_graph, current_holder
from kg.stores import rdf as R

KG = Namespace("https://kg-plans.example.org/ontology#")
AFTER, BEFORE = date(2026, 1, 1), date(2024, 6, 1)


@pytest.fixture(scope="module")
def store(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("asof") / "kg"
    P.build([sample], path)
    return path


@pytest.fixture(scope="module")
def G(sample):
    return build_graph(sample)


def _row(rows, agency_id):
    return next(r for r in rows if r["id"] == agency_id)


def test_finance_counts_the_planning_departments_tasks(store):
    # By hand: the Sở Tài chính leads IV.11 and coordinates IV.7 and IV.8 as named; from 1 March 2025 it
    # also leads IV.1 and IV.7, and IV.8's coordinating role of the Sở Kế hoạch và Đầu tư is already its own.
    named = _row(R.run_named("agency-load", {}, store=store), "ha-noi/so-tai-chinh")
    after = _row(R.run_named("agency-load", {"as_of": AFTER.isoformat()}, store=store), "ha-noi/so-tai-chinh")
    assert (named["lead"], named["coordinating"], named["total"]) == (1, 2, 3)
    assert (after["lead"], after["coordinating"], after["total"]) == (3, 2, 4)
    ids = {r["id"] for r in R.run_named("agency-load", {"as_of": AFTER.isoformat()}, store=store)}
    assert "ha-noi/so-ke-hoach-va-dau-tu" not in ids and "ha-noi/so-nong-nghiep-va-moi-truong" in ids


def test_before_the_reorganisation_nothing_moves(store):
    for name in ("agency-load", "co-responsibility", "deadlines", "plan-summary"):
        assert R.run_named(name, {"as_of": BEFORE.isoformat()}, store=store) == R.run_named(
            name, {}, store=store
        ), name


def test_depends_on_a_successor_the_plan_never_names(store):
    rows = R.run_named(
        "depends-on",
        {"agency": "Department of Agriculture and Environment", "as_of": "2026-01-01"},
        store=store,
    )
    assert [(r["task"], r["role"]) for r in rows] == [("IV.9", "lead")]
    assert R.run_named("depends-on", {"agency": "Sở Nông nghiệp và Môi trường"}, store=store) == []


def test_current_holder_from_the_store_is_the_careful_readers_mapping(store, G):
    rows = R.run_named("current-holder", {"as_of": AFTER.isoformat()}, store=store)
    moved = {(r["task"], r["role"], r["named"]): r for r in rows if r["events"]}
    expected = {
        ("IV.1", "lead", "Sở Kế hoạch và Đầu tư"): ["Sở Tài chính"],
        ("IV.7", "lead", "Sở Kế hoạch và Đầu tư"): ["Sở Tài chính"],
        ("IV.9", "lead", "Sở Tài nguyên và Môi trường"): ["Sở Nông nghiệp và Môi trường"],
        ("IV.2", "lead", "Sở Ngoại vụ"): ["Văn phòng UBND Thành phố"],
        ("IV.3", "lead", "Sở Ngoại vụ"): ["Văn phòng UBND Thành phố"],
        ("II.1", "coordinating", "UBND các quận, huyện, thị xã"): ["UBND các phường, xã"],
        ("III.1", "coordinating", "UBND các quận, huyện, thị xã"): ["UBND các phường, xã"],
    }
    for key, holder in expected.items():
        assert moved[key]["holder"] == holder, key
    assert all(r["sources"] and all(s.startswith("https://") for s in r["sources"]) for r in moved.values())
    assert len(moved) == sum(1 for r in current_holder(G, AFTER) if r["events"])
    before = R.run_named("current-holder", {"as_of": BEFORE.isoformat()}, store=store)
    assert len(before) == len(rows) and not any(r["events"] for r in before)
    assert all(r["holder"] == [r["named"]] and r["confirmed"] for r in before)


def test_holdings_conform_and_a_broken_one_is_named(store):
    conforms, text, _ = R.validate(store)
    assert conforms, text
    g = Graph().parse(data=R.export(store, "nt").decode("utf-8"), format="nt")
    holding = next(g.subjects(URIRef(str(KG.holdingRole)), KG.lead))
    g.remove((holding, KG.heldFrom, None))
    conforms, text, _ = R.validate(data=g)
    assert not conforms and str(holding) in text and "starts on exactly one day" in text


def test_cli_as_of_option(runner, store):
    from kg.cli import main

    out = runner.invoke(
        main, ["query", "agency-load", "--store", str(store), "--as-of", "2026-01-01", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    assert _row(json.loads(out.stdout), "ha-noi/so-tai-chinh")["total"] == 4
    bad = runner.invoke(main, ["query", "agency-load", "--store", str(store), "--as-of", "2026-02-30"])
    assert bad.exit_code == 1 and "as_of must be a date" in bad.stderr and "Traceback" not in bad.output
    both = runner.invoke(
        main,
        ["query", "agency-load", "--store", str(store), "--as-of", "2026-01-01", "-p", "as_of=2025-01-01"],
    )
    assert both.exit_code == 1 and "disagree" in both.stderr


def test_network_page_as_of_marks_the_moved_roles(G):
    from viz.network import network_data, network_html

    moved = [e for e in network_data(as_of_graph(G, AFTER)).edges if e.get("named")]
    assert len(moved) == sum(1 for r in current_holder(G, AFTER) if r["events"])
    assert {e["named"] for e in moved} >= {"Sở Kế hoạch và Đầu tư", "Sở Ngoại vụ"}
    page = network_html(G, as_of=AFTER)
    assert 'data-as-of="2026-01-01"' in page and f"{len(moved)} roles moved" in page
    assert "(the plan named Sở Kế hoạch và Đầu tư)" in page
    assert 'data-as-of=""' in network_html(G)


def test_report_as_of_ranks_holders_and_lists_the_events(sample, G):
    from viz.report import report_context

    ctx = report_context(sample, as_of=AFTER, audits=[])
    ranking = {r["id"]: r for r in ctx["ranking"]}
    assert ranking["ha-noi/so-tai-chinh"]["total"] == 4 and "ha-noi/so-ke-hoach-va-dau-tu" not in ranking
    assert ctx["reorg"]["total"] == sum(1 for r in current_holder(G, AFTER) if r["events"])
    assert {e["id"] for e in ctx["reorg"]["events"]} == {e for r in ctx["reorg"]["rows"] for e in r["events"]}
    assert all(e["sources"] and e["legal_basis"] for e in ctx["reorg"]["events"])
    named = report_context(sample, audits=[])
    assert {r["id"]: r for r in named["ranking"]}["ha-noi/so-tai-chinh"]["total"] == 3
    assert named["reorg"]["day"] == date.today().isoformat() and named["as_of"] is None


def test_cli_viz_and_report_as_of(runner, sample_path, tmp_path):
    from kg.cli import main

    for command in ("viz", "report"):
        out = tmp_path / f"{command}.html"
        result = runner.invoke(main, [command, str(sample_path), "--as-of", "2026-01-01", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "2026-01-01" in out.read_text(encoding="utf-8")
