"""The network page and the report without a browser: data handed to vis.js, numbers, escaping, files."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from kg.cli import main
from kg.graph import metrics
from kg.graph.network import build_graph
from kg.pipeline import audits_of
from viz.html import external_references
from viz.layout import cluster_positions, positions
from viz.network import KIND_COLOURS, ROLE_STYLES, network_data, network_html
from viz.report import MAX_ROWS, report_context, report_html

PAYLOAD = "<img src=x onerror=alert(1)>"
LINK = '<a href="javascript:alert(2)">href</a>'  # "href" once switched pyvis to HTML tooltips


@pytest.fixture(scope="module")
def G(sample):
    return build_graph(sample)


def hostile(result):
    """The sample with document text replaced by markup: an agency, a task, a group and a title."""
    t1, t2, *rest = result.tasks
    bad = replace(t2.assignments[0].agency, id="ha-noi/evil", name=PAYLOAD, name_en=LINK)
    t1 = replace(t1, title=PAYLOAD + " " + LINK, group=replace(t1.group, title=PAYLOAD))
    t2 = replace(t2, assignments=(replace(t2.assignments[0], agency=bad), *t2.assignments[1:]))
    doc = replace(result.documents[0], title=PAYLOAD)
    return replace(result, documents=(doc,), tasks=(t1, t2, *rest))


def role_edges(G):
    return [(a, t, e["role"]) for a, t, e in G.edges(data=True) if e.get("rel") == "role"]


def test_task_view_holds_every_agency_task_and_role(G):
    data = network_data(G)
    agencies = {r["id"] for r in metrics.agency_load(G, collectives=True)}
    tasks = [n for n, d in G.nodes(data=True) if d["type"] == "task"]
    assert {n["kg"] for n in data.nodes if n["type"] == "agency"} == agencies
    assert sum(n["type"] == "task" for n in data.nodes) == len(tasks) == 30
    assert len(data.edges) == len(role_edges(G))
    assert len({n["id"] for n in data.nodes}) == len(data.nodes)
    by_id = {n["id"]: n for n in data.nodes}
    drawn = sorted((by_id[e["from"]]["kg"], by_id[e["to"]]["label"], e["role"]) for e in data.edges)
    expected = sorted((G.nodes[a]["id"], G.nodes[t]["id"], r) for a, t, r in role_edges(G))
    assert drawn == expected


def test_agency_view_is_the_projection(G):
    data = network_data(G, view="agencies")
    by_id = {n["id"]: n["kg"] for n in data.nodes}
    assert sorted(by_id.values()) == sorted(r["id"] for r in metrics.agency_load(G))
    drawn = {frozenset((by_id[e["from"]], by_id[e["to"]])): e["value"] for e in data.edges}
    expected = {frozenset((r["id_a"], r["id_b"])): r["tasks"] for r in metrics.co_responsibility(G)}
    assert drawn == expected and drawn


def test_colour_by_kind_size_by_load_roles_apart(G):
    data = network_data(G)
    loads = {r["id"]: r["total"] for r in metrics.agency_load(G, collectives=True)}
    agencies = [n for n in data.nodes if n["type"] == "agency"]
    for n in agencies:
        colour = n["color"] if isinstance(n["color"], str) else n["color"]["background"]
        assert colour == KIND_COLOURS[n["kind"]]
        assert n["load"] == loads[n["kg"]]
    by_load = sorted(agencies, key=lambda n: n["load"])
    assert [n["size"] for n in by_load] == sorted(n["size"] for n in by_load)
    assert by_load[0]["size"] < by_load[-1]["size"]
    looks = {role: (s["color"], s["width"], str(s["dashes"])) for role, s in ROLE_STYLES.items()}
    assert len(set(looks.values())) == 3 and all(len({v[i] for v in looks.values()}) >= 2 for i in (0, 1))
    assert {e["role"] for e in data.edges} == set(ROLE_STYLES)
    for e in data.edges:
        assert (e["color"], e["width"], str(e["dashes"])) == looks[e["role"]]


def test_hover_text_of_tasks_and_agencies(G, sample):
    data = network_data(G)
    task = next(t for t in sample.tasks if t.id == "I.1")
    title = next(n["title"] for n in data.nodes if n["type"] == "task" and n["label"] == "I.1")
    assert title.startswith(f"I.1  {task.title}")
    assert f"Group I: {task.group.title}" in title
    assert f"Deadline: {task.deadline.text}" in title
    assert "Directing: Ban Tuyên giáo Thành ủy" in title and "Lead: Sở Thông tin và Truyền thông" in title
    assert "Coordinating: Các Sở, ngành, đơn vị liên quan" in title
    row = metrics.agency_load(G)[0]
    node = next(n for n in data.nodes if n.get("kg") == row["id"])
    assert node["title"].splitlines()[:2] == [row["agency"], row["agency_en"]]
    assert (
        f"led {row['lead']} · directed {row['directing']} · coordinated {row['coordinating']}"
        in node["title"]
    )


def test_layout_is_precomputed_and_stable(G):
    a, b = network_data(G), network_data(G)
    assert [(n["x"], n["y"]) for n in a.nodes] == [(n["x"], n["y"]) for n in b.nodes]
    assert a.options["physics"] == {"enabled": False}
    points = {(n["x"], n["y"]) for n in a.nodes}
    assert len(points) == len(a.nodes)  # no two nodes on top of each other


def test_cluster_layout_keeps_groups_apart():
    pos = cluster_positions([list(range(10)), list(range(10, 30))], ring=True)
    centre = [tuple(sum(pos[n][i] for n in g) / len(g) for i in (0, 1)) for g in (range(10), range(10, 30))]
    assert math.dist(*centre) > 0
    assert len(set(pos.values())) == 30


def test_positions_of_an_empty_graph():
    import networkx as nx

    assert positions(nx.Graph()) == {}


def test_pyvis_own_template_is_not_offline():
    """Why the pages use their own template: pyvis 0.3.2's in_line page still loads bootstrap from a CDN."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.add_node(1)
    found = external_references(net.generate_html())
    assert len(found) == 2 and all("cdn.jsdelivr.net/npm/bootstrap" in u for u in found)


@pytest.mark.parametrize("page", ["network", "agencies", "report"])
def test_pages_are_offline_utf8_and_escaped(sample, page):
    bad = hostile(sample)
    html = {
        "network": lambda: network_html(bad),
        "agencies": lambda: network_html(bad, view="agencies", collectives=True),
        "report": lambda: report_html(bad),
    }[page]()
    assert external_references(html) == []
    assert "<script src" not in html and "<link" not in html
    assert '<meta charset="utf-8">' in html
    assert "Sở Nội vụ" in html  # UTF-8 text, not \\u escapes
    assert "<img" not in html and 'href="javascript' not in html
    assert "onerror=alert(1)" in html  # the text is there, escaped


def test_report_numbers_are_the_metrics(sample, G):
    ctx = report_context(sample)
    assert ctx["figures"] == {"documents": 1, "tasks": 30, "agencies": 16, "collectives": 4}
    assert ctx["ranking"] == metrics.agency_load(G)[:MAX_ROWS]
    matrix = ctx["matrix"]
    assert matrix["per_task"] and len(matrix["columns"]) == 30
    load = {r["id"]: r for r in metrics.agency_load(G, collectives=True)}
    assert [r["id"] for r in matrix["rows"]] == list(load)[:MAX_ROWS]
    for r in matrix["rows"]:
        for role, letter in (("lead", "L"), ("directing", "D"), ("coordinating", "C")):
            assert sum(letter in c.split() for c in r["cells"]) == load[r["id"]][role]
    dated = {(r["plan"], r["task"]) for r in metrics.deadlines(G)}
    assert len(ctx["timeline"]["rows"]) == len(dated)
    assert sum(ctx["timeline"]["undated"].values()) == 30 - len(dated)
    assert ctx["chains"][0]["levels"] == metrics.document_chain(G)
    assert [len(t["lines"]) for t in ctx["tasks"]] == [len(t.source.lines) for t in sample.tasks]
    quoted = {line["anchor"]: line["text"] for f in ctx["sources"] for line in f["lines"]}
    first = ctx["tasks"][0]["lines"][0][1]
    assert quoted[first].startswith("1.\tTuyên truyền về Nghị quyết")


def test_matrix_by_group_when_tasks_are_many(sample, G, monkeypatch):
    import viz.report as report

    monkeypatch.setattr(report, "MATRIX_MAX_TASKS", 10)
    matrix = report.report_context(sample)["matrix"]
    assert not matrix["per_task"] and len(matrix["columns"]) == 5  # groups I..V
    load = {r["id"]: r for r in metrics.agency_load(G, collectives=True)}
    for r in matrix["rows"]:
        leads = sum(int(part[:-1]) for c in r["cells"] for part in c.split() if part.endswith("L"))
        assert leads == load[r["id"]]["lead"]


@pytest.mark.parametrize(("command", "extra"), [("viz", []), ("viz", ["--view", "agencies"]), ("report", [])])
def test_cli_writes_only_the_requested_file(runner, sample_path, tmp_path, monkeypatch, command, extra):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(main, [command, str(sample_path), "-o", "out/page.html", *extra])
    assert res.exit_code == 0, res.output
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert files == ["out", "out/page.html"]  # no lib/ folder, no temporary file left
    html = (tmp_path / "out" / "page.html").read_bytes().decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Sở Nội vụ" in html


def test_cli_bad_input_is_one_line(runner, tmp_path):
    res = runner.invoke(main, ["viz", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 1
    assert res.output.strip().count("\n") == 0 and "no such file" in res.output
    assert not (tmp_path / "x.html").exists()


def test_unknown_view_is_refused(G):
    with pytest.raises(ValueError, match="unknown view"):
        network_data(G, view="documents")


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_browser_fails_under_ci_and_skips_outside(monkeypatch, tmp_path, ci, outcome):
    from tests.support.browser import require_browser

    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="chromium not found"):
        require_browser()


# ---------------------------------------------------------------------------------------------- body audit


@pytest.fixture(scope="module")
def sample_audit(sample, sample_path):
    from kg.graph.audit import audit
    from loaders.body import read_body

    return audit(read_body(sample_path), sample)


def hostile_audit(report):
    """The sample's audit with markup in a body item's text and agency, and in a finding."""
    item, *rest = report.assignments
    bad = replace(item.agencies[0], id="ha-noi/evil-body", name=PAYLOAD)
    item = replace(item, text=PAYLOAD + " " + LINK, agencies=(bad,), reports_to=(bad,))
    finding = replace(report.findings[0], message=LINK, section=PAYLOAD)
    return replace(report, assignments=(item, *rest), findings=(finding, *report.findings[1:]))


def test_report_audit_section_is_the_audit(sample, sample_audit):
    [section] = report_context(sample, audits=audits_of(sample))["audit"]  # read from the sample's file
    assert section["document"] == sample_audit.document
    assert [(i["ref"], i["kind"]) for i in section["items"]] == [
        (a.ref, a.kind.value) for a in sample_audit.assignments
    ]
    assert [i["appendix"] for i in section["items"]] == [
        ", ".join(sample_audit.appendix_of(n)) for n in range(len(sample_audit.assignments))
    ]
    assert section["kinds"] == {"assign": 27, "general": 8, "request": 4, "standing": 1}
    assert [f["message"] for f in section["findings"]] == [f.message for f in sample_audit.findings]
    standing = next(i for i in section["items"] if i["kind"] == "standing")
    assert (standing["ref"], standing["agencies"]) == ("III.3", "Sở Khoa học và Công nghệ")
    html = report_html(sample, audits=[sample_audit])
    assert 'id="audit"' in html and 'href="#audit"' in html
    assert html.count('<tr data-body="') == 40 and html.count('<tr data-finding="') == 49
    assert '<tr data-body="II.1.a" data-kind="request"' in html


def test_report_audit_section_is_escaped_and_offline(sample, sample_audit):
    html = report_html(sample, audits=[hostile_audit(sample_audit)])
    assert external_references(html) == []
    assert "<img" not in html and 'href="javascript' not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 3  # agency, reports-to, finding section
    assert "&lt;a href=&#34;javascript:alert(2)&#34;&gt;href&lt;/a&gt;" in html  # the finding's message


def test_report_without_a_readable_body_still_renders(sample, tmp_path):
    moved = replace(sample.documents[0], file=str(tmp_path / "gone.txt"))
    unread = replace(sample, documents=(moved,))
    ctx = report_context(unread, audits=audits_of(unread))
    assert ctx["audit"] == [] and ctx["figures"]["tasks"] == 30
