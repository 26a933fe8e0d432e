"""The reference answers (networkx) on the sample: the figures a careful reader counts by hand."""

from datetime import date

import pytest

from kg.graph import metrics
from kg.graph.network import build_graph
from kg.model.lookup import NoAgency, find_agencies


@pytest.fixture(scope="module")
def G(sample):
    return build_graph(sample)


def test_agency_load_ranks_home_affairs_first(G):
    rows = metrics.agency_load(G)
    assert rows[0]["agency"] == "Sở Nội vụ" and rows[0]["lead"] == 7 and rows[0]["total"] == 7
    assert all(r["kind"] != "collective" for r in rows)
    st = next(r for r in rows if r["agency"] == "Sở Khoa học và Công nghệ")
    assert (st["lead"], st["coordinating"], st["total"]) == (2, 1, 3)  # II.3, IV.8 led; IV.7 coordinated
    tt = next(r for r in rows if r["agency"] == "Sở Thông tin và Truyền thông")
    bt = next(r for r in rows if r["agency"] == "Ban Tuyên giáo Thành ủy")
    assert (tt["lead"], bt["directing"]) == (1, 1)


def test_collectives_on_request(G):
    rows = metrics.agency_load(G, collectives=True)
    coll = next(r for r in rows if r["agency"] == "Các Sở, ngành, đơn vị liên quan")
    assert coll["kind"] == "collective" and coll["coordinating"] == 25


def test_depends_on_home_affairs(G):
    ids = find_agencies(G, "Department of Home Affairs")
    rows = metrics.depends_on(G, ids)
    assert [r["task"] for r in rows] == ["II.1", "II.2", "III.1", "III.5", "V.1", "V.2", "V.3"]
    assert {r["role"] for r in rows} == {"lead"}


def test_co_responsibility_counts_shared_tasks(G):
    rows = metrics.co_responsibility(G)
    pair = next(
        r for r in rows if {r["agency_a"], r["agency_b"]} == {"Sở Tài chính", "Sở Kế hoạch và Đầu tư"}
    )
    assert pair["tasks"] == 2  # IV.7 and IV.8


def test_deadlines_in_a_period_and_overdue(G):
    due_2025 = metrics.deadlines(G, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert sorted({r["task"] for r in due_2025}) == ["III.5", "IV.12"]
    overdue = metrics.deadlines(G, overdue_as_of=date(2024, 7, 1))
    assert {r["task"] for r in overdue} == {"I.3"}


def test_profile_summary_chain(G):
    (p,) = metrics.agency_profile(G, find_agencies(G, "Sở Nội vụ"))
    assert (p["lead"], p["plans"]) == (7, 1)
    (s,) = metrics.plan_summary(G)
    assert (s["tasks"], s["groups"]) == (30, 5)
    chain = metrics.document_chain(G)
    assert [(r["level"], r["number"]) for r in chain] == [(1, "30-CTr/TU"), (2, "45-NQ/TW")]


def test_unknown_agency_names_the_closest(G):
    with pytest.raises(NoAgency) as e:
        find_agencies(G, "Sở Nội vu'")
    assert "Sở Nội vụ" in str(e.value)
