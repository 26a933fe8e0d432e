"""The one named-query runner (kg.stores.runner) and the query fragments written once (queries/fragments).

Every backend's answers are compared with the reference in the parity tests (test_rdf, test_neo4j,
test_endpoint, test_body_graph); here: what the runner does for every backend, and that the as-of
logic is in one place per query language.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from kg.model import Agency
from kg.model.lookup import NoAgency
from kg.query_params import ParamError
from kg.stores import runner
from queries import QUERY_DIR, compose, registry

HOME = [
    Agency("ha-noi/so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "department", True, "Hà Nội"),
    Agency("hue/so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "department", True, "Huế"),
]


class Recorder:
    """A backend that records what it is asked and answers with rows built from its bindings."""

    def __init__(self, dialect: str = "sparql", lists: bool = True, rows=None) -> None:
        self.dialect, self.lists = dialect, lists
        self.calls: list[dict] = []
        self.asked_agencies = 0
        self._rows = rows

    def agencies(self):
        self.asked_agencies += 1
        return HOME

    def rows(self, query, bindings):
        self.calls.append(dict(bindings))
        if self._rows is not None:
            return self._rows(bindings)
        return [{"task": "I.1", "extra": 1, **{k: v for k, v in bindings.items() if k in query.returns}}]


def test_parameters_are_typed_and_agencies_resolved_once_for_the_backend():
    backend = Recorder()
    runner.run(backend, "depends-on", {"agency": "so noi vu", "as_of": "2026-01-01"})
    assert backend.calls == [{"agency": ["ha-noi/so-noi-vu", "hue/so-noi-vu"], "as_of": date(2026, 1, 1)}]
    assert backend.asked_agencies == 1
    backend = Recorder()
    runner.run(backend, "agency-load", {"as_of": date(2026, 1, 1), "collectives": None})
    assert backend.calls == [{"collectives": False, "as_of": date(2026, 1, 1)}]  # typed values kept
    assert backend.asked_agencies == 0  # no agency parameter: the store's agencies are not read


def test_a_backend_binding_one_value_gets_a_run_per_agency_merged_in_the_query_order():
    def rows(bindings):
        (agency,) = bindings["agency"]
        seqs = [1, 3] if agency.startswith("ha-noi") else [2]
        return [
            {"task": f"{agency}:{s}", "plan": "p", "seq": s, "role": "lead", "agency": "Sở Nội vụ"}
            for s in seqs
        ]

    backend = Recorder(lists=False, rows=rows)
    out = runner.run(backend, "depends-on", {"agency": "Department of Home Affairs"})
    assert [c["agency"] for c in backend.calls] == [["ha-noi/so-noi-vu"], ["hue/so-noi-vu"]]
    assert [r["task"] for r in out] == ["ha-noi/so-noi-vu:1", "hue/so-noi-vu:2", "ha-noi/so-noi-vu:3"]
    assert list(out[0]) == list(registry()["depends-on"].returns)  # shaped: the declared columns only


def test_notes_for_a_shared_name_and_errors_as_one_line():
    notes: list = []
    runner.run(Recorder(), "depends-on", {"agency": "Sở Nội vụ"}, ambiguous=notes)
    assert len(notes) == 1 and "Hà Nội" in str(notes[0]) and "Huế" in str(notes[0])
    runner.run(Recorder(), "depends-on", {"agency": "Sở Nội vụ, Huế"}, ambiguous=notes)
    assert len(notes) == 1  # one jurisdiction named: nothing to note
    with pytest.raises(NoAgency):
        runner.run(Recorder(), "depends-on", {"agency": "Sở Không Có"})
    with pytest.raises(ParamError, match="no parameter 'form'"):
        runner.run(Recorder(), "deadlines", {"form": "2024-01-01"})
    with pytest.raises(KeyError, match="no named Cypher query 'nothing'"):
        runner.run(Recorder("cypher"), "nothing", {})
    with pytest.raises(TypeError):
        runner.run(Recorder("cypher", lists=False), "agency-load", {})


def test_list_columns_are_split_from_text_and_kept_as_lists():
    query = registry()["current-holder"]
    text = runner.shape_rows(query, [{"holder": "B\nA", "events": None, "sources": ""}])
    assert text[0]["holder"] == ["A", "B"] and text[0]["events"] == [] and text[0]["sources"] == []
    lists = runner.shape_rows(query, [{"holder": ["B", "A"], "events": [], "sources": ["s"]}])
    assert lists[0]["holder"] == ["B", "A"] and lists[0]["sources"] == ["s"]  # a list is the backend's own


def test_every_backend_of_the_command_line_is_a_runner_backend():
    import importlib

    from kg.cli.rdf import BACKENDS
    from kg.stores.endpoint import EndpointBackend

    classes = [getattr(importlib.import_module(m), c) for m, c in (v.split(":") for v in BACKENDS.values())]
    for cls in [*classes, EndpointBackend]:
        assert cls.dialect in {"sparql", "cypher", "networkx"} and isinstance(cls.lists, bool), cls
        assert callable(cls.rows) and callable(cls.agencies), cls


# The as-of logic, once per query language ------------------------------------------------------------

# What decides which holding covers the day: its first day, its end, the plan's date.
DAY_TERMS = {
    "sparql": ("kg:heldFrom", "kg:heldUntil", "kg:planDate"),
    "cypher": (".from", ".until", ".plan_date"),
}
EXT = {"sparql": "rq", "cypher": "cypher"}


@pytest.mark.parametrize("dialect", ["sparql", "cypher"])
def test_the_day_a_holding_covers_is_written_once(dialect):
    files = sorted((QUERY_DIR / dialect).glob(f"*.{EXT[dialect]}"))
    fragment = (QUERY_DIR / "fragments" / f"on_day.{EXT[dialect]}").read_text(encoding="utf-8")
    assert all(term in fragment for term in DAY_TERMS[dialect])
    slots = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "//")))
        assert not [t for t in DAY_TERMS[dialect] if t in body], f"{path.name} spells the as-of test out"
        # Every holding a query joins is tested for the day by the fragment.
        holdings = len(re.findall(r"kg:holdingOf" if dialect == "sparql" else r":HOLDS\b", body))
        assert body.count("@on_day(") == holdings, path.name
        # Or every holding of the store at once, tested for the day by the fragment held_on_day (SPARQL).
        bulk = body.count("@held_on_day(")
        slots += holdings + bulk
        composed = getattr(registry()[path.stem], dialect)
        assert "@on_day" not in composed and composed.count(DAY_TERMS[dialect][0]) == holdings + bulk
    assert slots >= 10  # the fragment serves most queries: not a test that cannot fail


def test_holdings_read_at_once_are_tested_for_the_day_as_one_is():
    """held_on_day (every holding, for Oxigraph's hash joins) applies on_day's very test of the day."""
    one = (QUERY_DIR / "fragments" / "on_day.rq").read_text(encoding="utf-8")
    bulk = (QUERY_DIR / "fragments" / "held_on_day.rq").read_text(encoding="utf-8")
    tests = [re.findall(r"FILTER\(COALESCE\(\?as_of.*", text) for text in (one, bulk)]
    assert len(tests[0]) == 1 and tests[0] == tests[1]


def test_fragment_variables_are_the_slots_own():
    text = "SELECT * WHERE {\n  OPTIONAL { ?a ?p ?o . @on_day(?a) }\n  OPTIONAL { ?b ?q ?o . @on_day(?b) }\n}"
    out = compose(text, "sparql")
    assert "?_from_1" in out and "?_from_2" in out and "?a kg:heldFrom ?_from_1" in out
    assert "?b kg:heldFrom ?_from_2" in out and out.count("?as_of") == 4  # the query's parameter, shared
    cypher = compose("MATCH (a)-[holds:HOLDS]->(t) WHERE @on_day(holds) RETURN t", "cypher")
    assert "holds.from <= coalesce($as_of, holds.plan_date)" in cypher and "@" not in cypher
    with pytest.raises(ValueError, match="takes 1 arguments"):
        compose("WHERE { @on_day(?a ?b) }", "sparql")
    with pytest.raises(ValueError, match="no query fragment @nothing"):
        compose("WHERE { @nothing(?a) }", "sparql")


def test_a_named_query_file_runs_with_kg_sparql_as_kg_query_runs_it(tmp_path, sample_path):
    import json

    from click.testing import CliRunner

    from kg.cli import main
    from kg.pipeline import build_files

    store = tmp_path / "kg"
    build_files([sample_path], store)
    runner_ = CliRunner()
    path = QUERY_DIR / "sparql" / "agency-load.rq"
    raw = runner_.invoke(main, ["sparql", str(path), "--store", str(store), "--format", "json"])
    named = runner_.invoke(main, ["query", "agency-load", "--store", str(store), "--format", "json"])
    assert raw.exit_code == 0 and named.exit_code == 0, raw.output + named.output
    columns = registry()["agency-load"].returns
    assert [{c: r[c] for c in columns} for r in json.loads(raw.output)] == json.loads(named.output)
