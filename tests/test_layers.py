"""The layers of the project, and the direction its imports run: read from the sources with ``ast``.

Every ``import`` counts, function-local ones included (an import put inside a
function to dodge a cycle is still the cycle). A package's ``__init__`` run
before its submodule is not counted: only what a file names.

The table below *is* the documentation of the layers. A module the table does
not place fails the test, so a new module must say where it belongs.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kg", "loaders", "viz", "queries", "ontology")

# layer: (what it is, the modules in it: a name covers its submodules unless a longer name places them)
LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "model": (
        "the records every part exchanges, Vietnamese text, place and agency names, settings, row output",
        (
            "kg.model",
            "kg.text",
            "kg.body_model",
            "kg.places",
            "kg.gazetteer",
            "kg.lookup",
            "kg.settings",
            "kg.output",
            "ontology",
        ),
    ),
    "loaders": ("readers of documents in every format into model records", ("loaders",)),
    "graph": (
        "the networkx reference over the records: graph, metrics, body audit, reorganisation",
        ("kg.network", "kg.metrics", "kg.audit", "kg.body_graph", "kg.reorg"),
    ),
    "synth": ("the generator of synthetic corpora", ("kg.synth",)),
    "viz": ("one-file HTML pages: network view and report", ("viz",)),
    "rdf": ("records and graph as RDF quads", ("kg.rdf", "kg.rdf_body", "kg.reorg_rdf")),
    "stores": (
        "backends that hold the graph and answer named queries, and the query texts",
        ("kg.stores", "kg.query_params", "queries"),
    ),
    "pipeline": ("read each document once, audit it, write it to every sink (stores)", ("kg.pipeline",)),
    "api": ("the Python API over a built store (kg.open)", ("kg", "kg.api")),
    "cli": (
        "the commands and the local explorer",
        (
            "kg.cli",
            "kg.cli_agency",
            "kg.cli_audit",
            "kg.cli_extract",
            "kg.cli_neo4j",
            "kg.cli_rdf",
            "kg.cli_synth",
            "kg.cli_viz",
            "kg.extract_view",
            "kg.explorer",
        ),
    ),
}

# What each layer may import (its own layer included): imports run one way, toward the records.
SEES: dict[str, frozenset[str]] = {
    "model": frozenset({"model"}),
    "loaders": frozenset({"model", "loaders"}),
    "graph": frozenset({"model", "graph"}),
    "synth": frozenset({"model", "synth"}),
    "viz": frozenset({"model", "graph", "viz"}),
    "rdf": frozenset({"model", "graph", "rdf"}),
    "stores": frozenset({"model", "graph", "rdf", "stores"}),
    "pipeline": frozenset({"model", "loaders", "graph", "rdf", "stores", "pipeline"}),
    "api": frozenset({"model", "loaders", "graph", "rdf", "stores", "pipeline", "api"}),
    "cli": frozenset(LAYERS),
}

# Modules that import nothing of the project at all.
LEAVES = ("kg.model", "kg.text")

# Known exceptions, each to go when the code named is reorganised. A new edge or a larger cycle fails.
KNOWN_EDGES: set[tuple[str, str]] = set()
KNOWN_CYCLES = {
    # The reorganisation quads need the plan IRIs of kg/rdf.py, which writes them with the plan quads.
    frozenset({"kg.rdf", "kg.reorg_rdf"}),
    # loaders.formats dispatches to the readers of published formats, which use its primitives (Loaded,
    # _read_bytes, table_lines and the limits a caller sets on loaders.formats); breaking it moves those
    # primitives and their limits into a module of their own.
    frozenset({"loaders.formats", "loaders.office", "loaders.pdf", "loaders.ocr"}),
}


@cache
def modules() -> dict[str, Path]:
    """Every module of the project by dotted name."""
    out = {}
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            parts = list(file.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = file
    return out


def _project(name: str) -> str | None:
    """The project module *name* is, or lies in (``kg.model.Task`` -> ``kg.model``)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, file: Path) -> list[tuple[str, int]]:
    """Every (name, line) *file* imports, absolute, function-local imports included."""
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            # `from kg import model` imports the module kg.model; `from kg.model import Task` imports kg.model.
            out += [(f"{base}.{a.name}", node.lineno) for a in node.names]
    return out


@cache
def edges() -> dict[str, dict[str, int]]:
    """module -> {project module it imports: first line}."""
    out: dict[str, dict[str, int]] = {}
    for module, file in modules().items():
        found: dict[str, int] = {}
        for name, line in _imported(module, file):
            target = _project(name)
            if target and target != module:
                found.setdefault(target, line)
        out[module] = found
    return out


def layer_of(module: str) -> str | None:
    """The layer the longest name of the table covering *module* gives.

    >>> layer_of("kg.stores.neo4j"), layer_of("kg.model"), layer_of("kg"), layer_of("loaders.pdf")
    ('stores', 'model', 'api', 'loaders')
    """
    best, layer = "", None
    for name, (_, members) in LAYERS.items():
        for m in members:
            if (module == m or module.startswith(m + ".")) and len(m) > len(best):
                best, layer = m, name
    return layer


def cycles() -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph = edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_sources_are_read() -> None:
    """The walk sees the imports it must (a broken walk would make every check below pass)."""
    graph = edges()
    assert "kg.model" in graph["loaders.appendix"] and "kg.network" in graph["viz.network"]
    assert "loaders.formats" in graph["loaders"]  # a function-local import counts


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if layer_of(m) is None] == []


def test_the_leaves_import_nothing_of_the_project() -> None:
    assert {m: sorted(edges()[m]) for m in LEAVES if edges()[m]} == {}


def test_imports_run_toward_the_records() -> None:
    wrong = []
    for module, targets in edges().items():
        for target, line in targets.items():
            if layer_of(target) not in SEES[layer_of(module)] and (module, target) not in KNOWN_EDGES:
                wrong.append(f"{modules()[module].relative_to(ROOT)}:{line}: {module} ({layer_of(module)})")
                wrong[-1] += f" imports {target} ({layer_of(target)})"
    assert wrong == []


def test_the_known_exceptions_still_hold() -> None:
    """An exception that is gone comes out of the table, so that it cannot come back unseen."""
    assert [e for e in KNOWN_EDGES if e[1] not in edges()[e[0]]] == []
    assert [sorted(c) for c in KNOWN_CYCLES if c not in cycles()] == []


def test_no_import_cycle() -> None:
    assert [sorted(c) for c in cycles() if c not in KNOWN_CYCLES] == []


# ---------------------------------------------------------------- third-party imports are declared


def _requirement_name(spec: str) -> str:
    """``"pyvis>=0.3.2"`` -> ``"pyvis"``, normalised as PyPI compares names.

    >>> _requirement_name("Python_Docx[extra]>=1.1 ; python_version>'3'")
    'python-docx'
    """
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", spec.strip(), maxsplit=1)[0]).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return {_requirement_name(s) for s in specs}


def third_party() -> dict[str, str]:
    """Top-level name -> where first imported, for every import of the shipped packages that is
    neither the standard library nor the project."""
    out = {}
    for module, file in modules().items():
        for name, line in _imported(module, file):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in PACKAGES or top == "__future__":
                continue
            out.setdefault(top, f"{file.relative_to(ROOT)}:{line}")
    return out


def test_third_party_imports_are_declared() -> None:
    names = third_party()
    assert {"rdflib", "networkx", "docx"} <= set(names)  # the walk sees them
    distributions = packages_distributions()
    missing = []
    for top, where in sorted(names.items()):
        dists = {_requirement_name(d) for d in distributions.get(top, [])}
        if not dists:
            pytest.fail(f"{where}: {top} is not installed, so its distribution cannot be checked")
        if not dists & declared():
            missing.append(f"{where}: {top} ({', '.join(sorted(dists))})")
    assert missing == []
