"""Every output that lists agencies says whose they are, and every run says how well it read.

The fixture is the sample plan (Hà Nội) beside two copies issued by other
provinces: the same "Sở Tài chính" three times, told apart by a visible
jurisdiction in JSON, CSV, the table, the report and every store's queries.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from kg.cli import main
from kg.cli.extract_view import table_readings
from loaders import read_plan, read_plans
from tests.conftest import SAMPLE

PLACES = ("Hà Nội", "Đà Nẵng", "Cần Thơ")
# Queries that list agencies, and the agency and jurisdiction columns of each row.
AGENCY_COLUMNS = {
    "agency-load": [("agency", "jurisdiction")],
    "co-responsibility": [("agency_a", "jurisdiction_a"), ("agency_b", "jurisdiction_b")],
    "depends-on": [("agency", "jurisdiction")],
    "deadlines": [("agency", "jurisdiction")],
    "agency-profile": [("agency", "jurisdiction")],
    "current-holder": [("named", "jurisdiction")],
}


def _province(folder: Path, place: str) -> Path:
    """The sample as *place*'s plan: the place line and the issuing sentence name it."""
    text = SAMPLE.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^Hà Nội, ngày", f"{place}, ngày", text)
    text, m = re.subn("thành phố Hà Nội ban hành", f"thành phố {place} ban hành", text)
    assert (n, m) == (1, 1)
    path = folder / f"kh-30-{len(place)}-{place.split()[-1].lower()}.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def provinces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("provinces")
    (folder / "plan-ha-noi.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    for place in PLACES[1:]:
        _province(folder, place)
    # A folder of plans also holds notes: every command passes over them with one line.
    (folder / "README.md").write_text("# Plans\n\nThree provinces' copies of one plan.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def store(provinces: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    path = tmp_path_factory.mktemp("store") / "kg"
    res = CliRunner().invoke(main, ["build", str(provinces), "--store", str(path)])
    assert res.exit_code == 0, res.output
    return path


def _params(name: str) -> dict[str, str]:
    if name in ("depends-on", "agency-profile"):
        return {"agency": "Sở Tài chính"}
    return {"as_of": "2026-01-01"} if name == "current-holder" else {}


def _check_places(name: str, rows: list[dict[str, Any]]) -> None:
    """Each agency column has its jurisdiction beside it, and finance departments are told apart."""
    assert rows, name
    for agency, place in AGENCY_COLUMNS[name]:
        assert all(r[place] in (*PLACES, "Việt Nam") for r in rows), (name, {r[place] for r in rows})
        finance = {r[place] for r in rows if r[agency] == "Sở Tài chính"}
        if finance:
            assert finance == set(PLACES), (name, finance)
    if name == "co-responsibility":
        # Three separate plans: no body of one plan's place shares a task with another place's,
        # except the bodies the copies still print with Hà Nội's name ("Liên hiệp các Hội Khoa
        # học và Kỹ thuật Hà Nội"): those are Hà Nội's in whichever plan names them.
        printed_with_place = _named_with_place(PLACES[0])
        crossing = [
            r
            for r in rows
            if r["jurisdiction_a"] != r["jurisdiction_b"]
            and "Việt Nam" not in (r["jurisdiction_a"], r["jurisdiction_b"])
        ]
        assert crossing, "the copies name Hà Nội's bodies: some pairs cross places"
        for r in crossing:
            sides = {(r["agency_a"], r["jurisdiction_a"]), (r["agency_b"], r["jurisdiction_b"])}
            assert sides & {(n, PLACES[0]) for n in printed_with_place}, r


def _named_with_place(place: str) -> set[str]:
    """The bodies the sample names with *place* in their printed words."""
    return {a.agency.name for t in read_plan(SAMPLE).tasks for a in t.assignments if place in a.text}


# --------------------------------------------------------------------------------------------- extract


def test_json_agencies_carry_printed_text_and_jurisdiction(runner):
    res = runner.invoke(main, ["extract", str(SAMPLE), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    tasks = {t["id"]: t for t in data["tasks"]}
    cells = {t.id: t for t in read_plan(SAMPLE).tasks}
    for tid, task in tasks.items():
        for a in task["lead"] + task["coordinating"]:
            assert {"id", "name", "text", "jurisdiction"} <= set(a)
            assert a["text"] and a["text"] in cells[tid].lead_text + " " + cells[tid].coordinating_text
    assert tasks["II.1"]["lead"][0]["jurisdiction"] == "Hà Nội"
    # A national body (the Party Central Committee, issuer of the resolution implemented) is Việt Nam's.
    issuers = {r["issuer"]["name"]: r["issuer"]["jurisdiction"] for r in data["documents"][0]["references"]}
    assert issuers["Ban Chấp hành Trung ương Đảng"] == "Việt Nam"
    assert issuers["Thành ủy"] == "Hà Nội"


def test_csv_and_table_show_each_agency_place(runner, provinces):
    res = runner.invoke(main, ["extract", str(provinces), "--format", "csv", "-q"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 90
    for r in rows:
        assert len(r["lead_jurisdiction"].split("; ")) == len(r["lead"].split("; "))
    finance = {r["lead_jurisdiction"] for r in rows if r["lead"] == "Sở Tài chính"}
    assert finance == set(PLACES)
    table = runner.invoke(main, ["extract", str(provinces), "--format", "table", "-q"]).stdout
    assert {p for p in PLACES if f"Sở Tài chính ({p})" in table} == set(PLACES)


# ---------------------------------------------------------------------------------------------- stores


@pytest.mark.parametrize("name", sorted(AGENCY_COLUMNS))
@pytest.mark.parametrize("backend", ["networkx", "oxigraph"])
def test_store_queries_show_jurisdictions(store, backend, name):
    from kg.stores import graph, rdf

    run = graph.run_named if backend == "networkx" else rdf.run_named
    _check_places(name, run(name, _params(name), store=store))


@pytest.mark.neo4j
def test_neo4j_queries_show_jurisdictions(runner, neo4j_db, provinces):
    from kg.stores.neo4j import run_named
    from tests.test_neo4j_cli import env_for

    driver, settings = neo4j_db
    res = runner.invoke(main, ["neo4j", "load", str(provinces)], env=env_for(settings))
    assert res.exit_code == 0, res.output
    assert "loaded 3 documents (90 tasks)" in res.stderr
    assert [x for x in res.stderr.splitlines() if x.startswith("note:")] == [
        f"note: {provinces / 'README.md'}: no task table found, not a plan (skipped)"
    ]
    for name in AGENCY_COLUMNS:
        _check_places(name, run_named(name, _params(name), driver=driver, settings=settings))


def test_query_cli_csv_has_the_jurisdiction_column(runner, store):
    res = runner.invoke(main, ["query", "agency-load", "--store", str(store), "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["jurisdiction"] for r in rows if r["agency"] == "Sở Tài chính"} == set(PLACES)


def test_build_passes_over_a_readme_with_one_line(runner, provinces, tmp_path):
    res = runner.invoke(main, ["build", str(provinces), "--store", str(tmp_path / "kg")])
    assert res.exit_code == 0, res.output
    notes = [x for x in res.stderr.splitlines() if x.startswith("note:")]
    assert notes == [f"note: {provinces / 'README.md'}: no task table found, not a plan (skipped)"]
    assert ": 3 documents, 90 tasks" in res.stderr
    # Named on its own, a file that is no plan is still an error.
    bad = runner.invoke(main, ["build", str(provinces / "README.md"), "--store", str(tmp_path / "kg2")])
    assert bad.exit_code == 1 and "no task table" in bad.stderr


# ---------------------------------------------------------------------------------------------- report


def test_report_shows_jurisdictions(provinces):
    from viz.report import report_context, report_html

    result = read_plans([provinces])
    ctx = report_context(result, audits=[])
    finance = {r["jurisdiction"] for r in ctx["ranking"] if r["agency"] == "Sở Tài chính"}
    assert finance == set(PLACES)
    assert {t["lead"] for t in ctx["tasks"] if t["lead"].startswith("Sở Tài chính")} == {
        f"Sở Tài chính ({p})" for p in PLACES
    }
    html = report_html(read_plan(SAMPLE), audits=[])
    assert '<td class="kg-place">Hà Nội</td>' in html  # one province: still shown


# ------------------------------------------------------------------------------------------- summary


PLAN = (
    "TT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian\n"
    "1.\tViệc một\tSở Nội vụ\tSở Tài chính\t2024\n"
    "2.\tViệc hai\tSở Tài chính\tBan Điều phối Dữ liệu Đặc biệt\t2025\n"
    "*\tkhông rõ\t\t\t\n"
    "3.\tViệc ba\tSở Nội vụ\t\t2025\n"
)


def test_summary_says_how_each_table_was_read(runner, tmp_path):
    p = tmp_path / "p.txt"
    p.write_text(PLAN, encoding="utf-8")
    (r,) = table_readings(read_plan(p))
    assert (r.tasks, r.recognised, r.new, len(r.not_understood), r.fragments) == (
        3,
        2,
        ("Ban Điều phối Dữ liệu Đặc biệt",),
        1,
        (),
    )
    res = runner.invoke(main, ["extract", str(p), "--format", "summary", "-q"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert (
        "  table at line 1: 3 rows read as tasks, 1 rows not understood; "
        "agencies: 2 recognised, 1 new, 0 fragments rejected"
    ) in lines
    assert f"    {p}:4: row not understood, skipped: 'không rõ'" in lines
    assert "    new agencies: Ban Điều phối Dữ liệu Đặc biệt" in lines
    strict = runner.invoke(main, ["extract", str(p), "--strict", "--format", "summary"])
    assert strict.exit_code == 1 and not strict.stdout
    assert "strict: 2 warnings (1 rows not understood, 1 new agencies)" in strict.stderr


def test_summary_of_a_clean_plan_counts_nothing_wrong(runner):
    res = runner.invoke(main, ["extract", str(SAMPLE), "--format", "summary", "--strict"])
    assert res.exit_code == 0, res.output
    assert (
        "  table at line 207: 30 rows read as tasks, 0 rows not understood; "
        "agencies: 20 recognised, 0 new, 0 fragments rejected"
    ) in res.stdout.splitlines()
