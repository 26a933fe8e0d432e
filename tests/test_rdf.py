"""The RDF store: named SPARQL queries against the reference answers, SHACL, export, IRIs, CLI."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kg import pipeline as P
from kg.cli import main
from kg.graph import metrics
from kg.graph.network import build_graph
from kg.graph.reorg import as_of_graph
from kg.model import Agency, Assignment, ExtractResult
from kg.model.gazetteer import KINDS
from kg.model.lookup import find_agencies
from kg.rdf.plan import KG, ONTOLOGY_GRAPH, document_graphs, task_iri
from kg.stores import StoreError
from kg.stores import rdf as R
from kg.stores.graph import current_holder_rows, to_networkx
from loaders import read_plan

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*deprecated:DeprecationWarning")

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"
KGNS = Namespace(KG)


def _variant(tmp: Path) -> Path:
    """The sample as another city's plan: Đà Nẵng's People's Committee issues it."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[4].startswith("Hà Nội, ngày")
    lines[4] = lines[4].replace("Hà Nội", "Đà Nẵng")
    lines[10] = lines[10].replace("thành phố Hà Nội", "thành phố Đà Nẵng")
    out = tmp / "danang-kh-30-ctr-tu-2024.txt"
    out.write_text("".join(lines), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    tmp = tmp_path_factory.mktemp("rdf")
    sample = read_plan(SAMPLE)
    variant = read_plan(_variant(tmp))
    out = {}
    for name, results in {"sample": [sample], "two": [sample, variant]}.items():
        path = tmp / name
        P.build(results, path)
        G = build_graph(results)
        out[name] = (path, G, R.to_dataset(path))
    return out


def _cases(G) -> list[tuple[str, dict[str, str], list[dict]]]:
    home = find_agencies(G, "Sở Nội vụ")
    party = find_agencies(G, "Thành ủy")
    plan = metrics.plan_summary(G)[-1]["plan"]
    now = as_of_graph(G, date(2026, 1, 1))
    return [
        ("agency-load", {}, metrics.agency_load(G)),
        ("agency-load", {"collectives": "true"}, metrics.agency_load(G, collectives=True)),
        ("depends-on", {"agency": "Sở Nội vụ"}, metrics.depends_on(G, home)),
        ("depends-on", {"agency": "Trường Đại học Thủ đô Hà Nội"}, metrics.depends_on(G, find_agencies(G, "Trường Đại học Thủ đô Hà Nội"))),
        ("co-responsibility", {}, metrics.co_responsibility(G)),
        ("co-responsibility", {"collectives": "true"}, metrics.co_responsibility(G, collectives=True)),
        ("deadlines", {}, metrics.deadlines(G)),
        ("deadlines", {"from": "2024-06-01", "to": "2024-12-31"}, metrics.deadlines(G, start=date(2024, 6, 1), end=date(2024, 12, 31))),
        ("deadlines", {"overdue_as_of": "2025-01-01"}, metrics.deadlines(G, overdue_as_of=date(2025, 1, 1))),
        ("agency-profile", {"agency": "Department of Home Affairs"}, metrics.agency_profile(G, home)),
        ("agency-profile", {"agency": "Thành ủy"}, metrics.agency_profile(G, party)),
        ("plan-summary", {}, metrics.plan_summary(G)),
        ("document-chain", {}, metrics.document_chain(G)),
        ("document-chain", {"plan": plan}, metrics.document_chain(G, plan)),
        # After the 2025 changes: Sở Kế hoạch và Đầu tư's work is Sở Tài chính's, Sở Tài nguyên và Môi
        # trường's is Sở Nông nghiệp và Môi trường's (which the plan never names), etc.
        ("agency-load", {"as_of": "2026-01-01"}, metrics.agency_load(now)),
        ("agency-load", {"as_of": "2024-06-01"}, metrics.agency_load(G)),
        ("depends-on", {"agency": "Sở Tài chính", "as_of": "2026-01-01"}, metrics.depends_on(now, find_agencies(now, "Sở Tài chính"))),
        ("depends-on", {"agency": "Sở Nông nghiệp và Môi trường", "as_of": "2026-01-01"}, metrics.depends_on(now, find_agencies(now, "Sở Nông nghiệp và Môi trường"))),
        ("co-responsibility", {"as_of": "2026-01-01"}, metrics.co_responsibility(now)),
        ("deadlines", {"as_of": "2026-01-01"}, metrics.deadlines(now)),
        ("agency-profile", {"agency": "Sở Kế hoạch và Đầu tư", "as_of": "2026-01-01"}, metrics.agency_profile(now, find_agencies(G, "Sở Kế hoạch và Đầu tư"))),
        ("agency-profile", {"agency": "Sở Tài chính", "as_of": "2026-01-01"}, metrics.agency_profile(now, find_agencies(now, "Sở Tài chính"))),
        ("plan-summary", {"as_of": "2026-01-01"}, metrics.plan_summary(now)),
        ("document-chain", {"as_of": "2026-01-01"}, metrics.document_chain(now)),
        ("current-holder", {"as_of": "2026-01-01"}, current_holder_rows(G, date(2026, 1, 1))),
        ("current-holder", {"as_of": "2024-06-01"}, current_holder_rows(G, date(2024, 6, 1))),
    ]  # fmt: skip


# The same query text on plain rdflib too (on the sample only: rdflib is slow), so the files stay portable.
@pytest.mark.parametrize(
    ("corpus", "engine"), [("sample", "oxigraph"), ("two", "oxigraph"), ("sample", "rdflib")]
)
def test_named_queries_match_reference(corpora, corpus: str, engine: str) -> None:
    path, G, ds = corpora[corpus]
    for name, params, expected in _cases(G):
        got = R.run_named(name, params, store=path, engine=ds if engine == "rdflib" else None)
        assert got == expected, (name, params)


def test_every_named_query_is_tested(corpora) -> None:
    from queries import registry

    _, G, _ = corpora["sample"]
    sparql = {n for n, q in registry().items() if q.sparql}
    sparql -= {"requests", "reports-to", "standing-agency", "audit-findings"}  # tests/test_body_graph.py
    assert sparql == {name for name, _, _ in _cases(G)}


def test_two_documents_share_national_agencies_only(corpora) -> None:
    path, _, _ = corpora["two"]
    assert find_agencies(R.agencies(path), "Sở Nội vụ") == ["da-nang/so-noi-vu", "ha-noi/so-noi-vu"]
    load = {r["id"]: r for r in R.run_named("agency-load", {}, store=path)}
    assert load["truong-dai-hoc-thu-do-ha-noi"]["lead"] == 2 * 3  # national: one node for both plans
    assert load["ha-noi/so-noi-vu"]["lead"] == load["da-nang/so-noi-vu"]["lead"] == 7
    chain = R.run_named("document-chain", {}, store=path)
    assert {r["document"] for r in chain if r["level"] == 2} == {
        "ban-chap-hanh-trung-uong-dang/45-nq-tw-2023"
    }


def test_done_when_on_the_sample(corpora) -> None:
    path, _, _ = corpora["sample"]
    top = R.run_named("agency-load", {}, store=path)[0]
    assert (top["agency"], top["lead"]) == ("Sở Nội vụ", 7)
    rows = R.run_named("depends-on", {"agency": "Department of Home Affairs"}, store=path)
    led = [
        t for t in read_plan(SAMPLE).tasks if any(a.name_en == "Department of Home Affairs" for a in t.lead)
    ]
    assert [r["task"] for r in rows] == [t.id for t in led] and len(rows) == 7


def test_networkx_view_of_the_store_is_the_reference_graph(corpora) -> None:
    path, G, _ = corpora["two"]
    H = to_networkx(path)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    edges = lambda g: {(u, v, k, tuple(sorted(d.items()))) for u, v, k, d in g.edges(keys=True, data=True)}  # noqa: E731
    assert edges(H) == edges(G)


def test_shacl_conforms_on_the_sample(corpora) -> None:
    conforms, text, _ = R.validate(corpora["two"][0])
    assert conforms, text


def test_shacl_names_the_offending_nodes(corpora) -> None:
    path, _, _ = corpora["sample"]
    g = Graph().parse(data=R.export(path, "nt").decode("utf-8"), format="nt")
    result = read_plan(SAMPLE)
    t1 = URIRef(task_iri(result.tasks[0].document, "I.1"))
    t2 = URIRef(task_iri(result.tasks[3].document, "II.1"))
    g.remove((t1, KGNS.lead, None))
    end = next(g.objects(URIRef(f"{t2}/deadline/end"), URIRef("http://www.w3.org/2006/time#inXSDDate")))
    g.set(
        (
            URIRef(f"{t2}/deadline/start"),
            URIRef("http://www.w3.org/2006/time#inXSDDate"),
            Literal(date(2030, 1, 1)),
        )
    )
    agency = next(g.subjects(RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
    g.add((agency, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("tên khác", lang="vi")))
    conforms, text, _ = R.validate(data=g)
    assert not conforms
    assert str(end) == "2024-12-31"
    for node, message in [
        (t1, "at least one lead"),
        (URIRef(f"{t2}/deadline"), "starts after it ends"),
        (agency, "exactly one Vietnamese name"),
    ]:
        assert f"Focus Node: <{node}>" in text and message in text


def test_export_turtle_reparses_isomorphic(corpora) -> None:
    path, _, ds = corpora["two"]
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    exported = Graph().parse(data=R.export(path, "ttl").decode("utf-8"), format="turtle")
    assert len(exported) == len(union) > len(ds.graph(URIRef(ONTOLOGY_GRAPH)))
    assert isomorphic(exported, union)


def test_iris_are_deterministic_and_rebuild_is_idempotent(tmp_path: Path) -> None:
    result = read_plan(SAMPLE)
    assert list(document_graphs(result)) == list(document_graphs(read_plan(SAMPLE)))
    P.build([result], tmp_path / "a")
    P.build([read_plan(SAMPLE)], tmp_path / "b")
    dump = lambda p: set(R.export(p, "nq").decode("utf-8").splitlines())  # noqa: E731
    first = dump(tmp_path / "a")
    assert first == dump(tmp_path / "b")
    P.build([result], tmp_path / "a")
    assert dump(tmp_path / "a") == first


def test_parameters_are_bound_not_spliced(tmp_path: Path) -> None:
    result = read_plan(SAMPLE)
    odd = Agency("ha-noi/unrecognised-odd", 'Sở "Lạ"} # { ?s ?p ?o', None, "other", False, "Hà Nội")

    def swap(a: Assignment) -> Assignment:
        return dataclasses.replace(a, agency=odd) if a.agency.id == "ha-noi/so-ngoai-vu" else a

    tasks = tuple(dataclasses.replace(t, assignments=tuple(map(swap, t.assignments))) for t in result.tasks)
    odd_result = ExtractResult(result.documents, tasks)
    P.build([odd_result], tmp_path / "kg")
    G = build_graph(odd_result)
    rows = R.run_named("depends-on", {"agency": odd.name}, store=tmp_path / "kg")
    assert rows == metrics.depends_on(G, [odd.id]) and len(rows) == 2
    hostile = '" } UNION { ?p ?q ?r } #'
    assert R.run_named("document-chain", {"plan": hostile}, store=tmp_path / "kg") == []


def test_store_path_that_is_not_a_store_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not a kg store"):
        P.build([read_plan(SAMPLE)], tmp_path / "data")
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["keep.txt"]
    with pytest.raises(StoreError, match="no store here"):
        R.open_store(tmp_path / "missing")


def test_cli_bad_inputs(corpora, tmp_path: Path) -> None:
    store = str(corpora["sample"][0])
    runner = CliRunner()
    bad = runner.invoke(main, ["sparql", "SELECT * WHERE { ?s ?p }", "--store", store])
    assert bad.exit_code == 1 and "1:" in bad.output and len(bad.output.strip().splitlines()) == 1
    unknown = runner.invoke(main, ["query", "no-such", "--store", store])
    assert unknown.exit_code == 1 and "agency-load" in unknown.output and "depends-on" in unknown.output
    file = tmp_path / "plain.txt"
    file.write_text("x", encoding="utf-8")
    nostore = runner.invoke(main, ["query", "agency-load", "--store", str(file)])
    assert nostore.exit_code == 1 and "not a kg store" in nostore.output
    assert file.read_text(encoding="utf-8") == "x"
    noagency = runner.invoke(main, ["query", "depends-on", "-p", "agency=Sở Không Có", "--store", store])
    assert noagency.exit_code == 1 and "no agency matches" in noagency.output


def test_cli_query_json_and_backends_agree(corpora) -> None:
    import json

    store = str(corpora["two"][0])
    runner = CliRunner()
    args = [
        "query",
        "depends-on",
        "-p",
        "agency=Department of Home Affairs",
        "--format",
        "json",
        "--store",
        store,
    ]
    rdf = runner.invoke(main, args)
    nx_ = runner.invoke(main, [*args, "--backend", "networkx"])
    assert rdf.exit_code == 0, rdf.output
    rows = json.loads(rdf.output)
    assert rows == json.loads(nx_.output) and len(rows) == 14 and set(rows[0]) >= {"task", "role", "agency"}
    listed = runner.invoke(main, ["query", "--list"])
    assert "agency-load" in listed.output and "Agencies ranked by load" in listed.output


def test_ontology_local_terms_are_documented() -> None:
    from ontology import path

    g = Graph().parse(path("kg.ttl"))
    owl = Namespace("http://www.w3.org/2002/07/owl#")
    terms = {
        s
        for cls in (owl.Class, owl.ObjectProperty, owl.DatatypeProperty)
        for s in g.subjects(RDF.type, cls)
        if str(s).startswith(KG)
    }
    assert len(terms) > 15
    label, comment = (
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
    )
    for term in terms:
        langs = {o.language for o in g.objects(term, label)}
        assert {"en", "vi"} <= langs and any(g.objects(term, comment)), term
    notation = URIRef("http://www.w3.org/2004/02/skos/core#notation")
    kinds = {str(o) for s, o in g.subject_objects(notation) if "/kind/" in str(s)}
    assert kinds == set(KINDS)


def test_rebuilding_a_changed_document_drops_what_it_no_longer_says(tmp_path: Path) -> None:
    result = read_plan(SAMPLE)
    P.build([result], tmp_path / "kg")
    # The same document read again, with Sở Ngoại vụ's two tasks now led by Sở Tài chính.
    finance = next(a for a in result.agencies() if a.id == "ha-noi/so-tai-chinh")
    tasks = tuple(
        dataclasses.replace(
            t,
            assignments=tuple(
                dataclasses.replace(a, agency=finance) if a.agency.id == "ha-noi/so-ngoai-vu" else a
                for a in t.assignments
            ),
        )
        for t in result.tasks
    )
    changed = ExtractResult(result.documents, tasks)
    P.build([changed], tmp_path / "kg")
    assert "ha-noi/so-ngoai-vu" not in {a.id for a in R.agencies(tmp_path / "kg")}
    G = build_graph(changed)
    assert R.run_named("agency-load", {}, store=tmp_path / "kg") == metrics.agency_load(G)
    assert dict(to_networkx(tmp_path / "kg").nodes(data=True)) == dict(G.nodes(data=True))
