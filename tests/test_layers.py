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

# layer: (what it is, where its modules are). A place is a path below the repository without ".py": a folder
# places every module under it (a package places its submodules), a file places itself; the longest place
# covering a module wins. A module no place covers fails the test, so a new module says where it belongs:
# best by being put in its layer's folder.
LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "model": (
        "the records every part exchanges, Vietnamese text, place and agency names, settings, row output",
        ("kg/model", "ontology"),
    ),
    "loaders": ("readers of documents in every format into model records", ("loaders",)),
    "graph": (
        "the networkx reference over the records: graph, metrics, body audit, reorganisation",
        ("kg/graph",),
    ),
    "synth": ("the generator of synthetic corpora", ("kg/synth",)),
    "viz": ("one-file HTML pages: network view and report", ("viz",)),
    "rdf": (
        "records and graph as RDF quads: namespace, IRIs, plan, body and reorganisation quads",
        ("kg/rdf",),
    ),
    "stores": (
        "backends that hold the graph and answer named queries, and the query texts",
        ("kg/stores", "kg/query_params", "queries"),
    ),
    "pipeline": ("read each document once, audit it, write it to every sink (stores)", ("kg/pipeline",)),
    "api": ("the Python API over a built store (kg.open)", ("kg/__init__", "kg/api")),
    "cli": ("the commands and the local explorer", ("kg/cli", "kg/explorer")),
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
LEAVES = ("kg.model", "kg.model.text")

# Known exceptions, each to go when the code named is reorganised. A new edge or a larger cycle fails.
KNOWN_EDGES: set[tuple[str, str]] = set()
# No cycle is known: a cycle between modules (function-local imports included) fails the test.
KNOWN_CYCLES: set[frozenset[str]] = set()


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


def place_of(module: str) -> str:
    """Where *module* lives, as the layer table names places.

    >>> place_of("kg.stores.runner"), place_of("kg"), place_of("loaders")
    ('kg/stores/runner', 'kg/__init__', 'loaders/__init__')
    """
    file = modules()[module].relative_to(ROOT).with_suffix("")
    return file.as_posix()


def layer_of(module: str) -> str | None:
    """The layer whose longest place covers *module*.

    >>> layer_of("kg.stores.neo4j"), layer_of("kg.model"), layer_of("kg"), layer_of("loaders.pdf")
    ('stores', 'model', 'api', 'loaders')
    """
    where = place_of(module)
    best, layer = "", None
    for name, (_, places) in LAYERS.items():
        for place in places:
            if (where == place or where.startswith(place + "/")) and len(place) > len(best):
                best, layer = place, name
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
    assert "kg.model" in graph["loaders.appendix"] and "kg.graph.network" in graph["viz.network"]
    assert "loaders.formats" in graph["loaders"]  # a function-local import counts


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if layer_of(m) is None] == []


def test_every_place_holds_a_module() -> None:
    """A place of the table that no module is in (a module moved into its layer's folder) comes out of it."""
    places = [p for _, ps in LAYERS.values() for p in ps]
    held = {p for p in places for m in modules() if place_of(m) == p or place_of(m).startswith(p + "/")}
    assert [p for p in places if p not in held] == []


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


# ---------------------------------------------------------------- shipped files stand on their own


def test_shipped_files_name_no_machine_path() -> None:
    """What ships (the packages and their data, the benchmarks and scripts) points at nothing outside the
    repository."""
    machine = re.compile(r"(?<![\w.])(?:/work/|/home/|/tmp/|/root/|\.\./shared)")
    found = []
    for package in (*PACKAGES, "bench", "scripts"):
        for file in sorted((ROOT / package).rglob("*")):
            if file.suffix not in {".py", ".toml", ".ttl", ".rq", ".cypher", ".html", ".js", ".css", ".sh"}:
                continue
            if "vendor" in file.parts or "__pycache__" in file.parts:
                continue  # third-party files are shipped as published
            for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                if machine.search(line):
                    found.append(f"{file.relative_to(ROOT)}:{n}: {line.strip()[:80]}")
    assert found == []
