"""The closed ``kg:`` namespace: read from the ontology, and every term the code and the queries name is declared."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.rdf.namespace import KG, K, declared_terms, ontology_files

ROOT = Path(__file__).resolve().parent.parent


def test_the_quick_reading_of_the_ontology_is_rdflibs():
    """What kg.rdf.namespace reads without rdflib (a line that opens with kg:Name) is every kg: subject."""
    g = Graph()
    for f in ontology_files():
        g.parse(f)
    subjects = {str(s)[len(KG) :] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(KG)}
    assert subjects and declared_terms() == subjects


def test_an_undeclared_term_fails():
    with pytest.raises(AttributeError, match="kg:laed is not declared"):
        _ = K.laed
    with pytest.raises(AttributeError):
        K.lead = "x"  # closed: not changed either
    assert K.lead == KG + "lead" and K.lead in set(K)


def _terms_named_in_code() -> dict[str, str]:
    """term -> where, for each ``K.term`` in kg/ (functions included: read, not run)."""
    out = {}
    for file in sorted((ROOT / "kg").rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "K":
                out.setdefault(node.attr, f"{file.relative_to(ROOT)}:{node.lineno}")
    return out


def test_every_term_the_code_names_is_declared():
    named = _terms_named_in_code()
    assert {"lead", "Task", "Holding", "BodyAssignment", "Merger"} <= set(named)  # the walk sees them
    assert {t: where for t, where in named.items() if t not in declared_terms()} == {}


def test_no_kg_term_is_spelt_out_in_code():
    """``KG + "lead"`` or ``f"{KG}lead"`` would bypass the closed namespace."""
    spelt = re.compile(r"KG\s*\+\s*[\"']|\{KG\}\w")
    found = [
        f"{f.relative_to(ROOT)}:{n}"
        for f in sorted((ROOT / "kg").rglob("*.py"))
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if spelt.search(line)
    ]
    assert found == []


def test_every_term_the_queries_and_shapes_name_is_declared():
    used: dict[str, str] = {}
    files = [*sorted((ROOT / "queries").rglob("*.rq")), ROOT / "ontology" / "shapes.ttl"]
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            for term in re.findall(r"(?<![\w:])kg:([A-Za-z_]\w*)", line):
                used.setdefault(term, f"{f.relative_to(ROOT)}:{n}")
    assert {"lead", "Task"} <= set(used)  # the scan sees them
    assert {t: where for t, where in used.items() if t not in declared_terms()} == {}
