"""The vocabulary of the graph: base IRI, named graphs, prefixes, and the closed ``kg:`` namespace.

``K`` holds exactly the terms the ontology declares: each ``kg:Name`` that opens
a statement in ``ontology/*.ttl`` (``kg:Task a owl:Class ;``). A term the
ontology does not declare is an error where it is named, never a silent IRI
that no query finds:

>>> K.lead
'https://kg-plans.example.org/ontology#lead'
>>> K.laed
Traceback (most recent call last):
...
AttributeError: kg:laed is not declared in ontology/*.ttl

Terms are plain strings (the N-Quads writers format them); ``tests/test_rdf.py``
checks the declarations read here against rdflib's reading of the same files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "BASE",
    "GAZETTEER_GRAPH",
    "KG",
    "ONTOLOGY_GRAPH",
    "PREFIXES",
    "REORG_GRAPH",
    "SHARED_GRAPH",
    "K",
    "Terms",
    "declared_terms",
]

BASE = "https://kg-plans.example.org/"
KG = BASE + "ontology#"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
GAZETTEER_GRAPH = BASE + "graph/gazetteer"
SHARED_GRAPH = BASE + "graph/shared"
REORG_GRAPH = BASE + "graph/reorg"  # the 2025 change events (kg/rdf/reorg.py)

PREFIXES = {
    "kg": KG,
    "kind": BASE + "kind/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "p-plan": "http://purl.org/net/p-plan#",
    "oa": "http://www.w3.org/ns/oa#",
    "freq": "http://purl.org/cld/freq/",
}

# A declaration opens a statement at the start of a line: `kg:lead a owl:ObjectProperty ;`.
_DECLARED = re.compile(r"^kg:([A-Za-z_]\w*)\s", re.MULTILINE)


def ontology_files() -> list[Path]:
    """The ontology modules (``ontology/*.ttl``), shapes included (they declare nothing of ``kg:``)."""
    from ontology import path

    return sorted(path("kg.ttl").parent.glob("*.ttl"))


def declared_terms(files: list[Path] | None = None) -> frozenset[str]:
    """The local names of the ``kg:`` terms *files* declare.

    >>> {"Task", "lead", "Holding", "BodyAssignment"} <= declared_terms()
    True
    """
    return frozenset(
        m.group(1)
        for f in files or ontology_files()
        for m in _DECLARED.finditer(f.read_text(encoding="utf-8"))
    )


class Terms:
    """A closed namespace: an attribute per declared term (its IRI), :class:`AttributeError` for any other.

    >>> t = Terms("http://example.org/#", ["a"])
    >>> t.a, "a" in t, "b" in t
    ('http://example.org/#a', True, False)
    """

    def __init__(self, base: str, names) -> None:
        # Set as instance attributes: a term is looked up as fast as any attribute (writers use them per quad).
        self.__dict__.update({name: base + name for name in names})
        self.__dict__["_base"] = base

    def __getattr__(self, name: str) -> str:  # only called for a name that is not a term
        prefix = "kg:" if self._base == KG else self._base
        raise AttributeError(f"{prefix}{name} is not declared in ontology/*.ttl")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a closed namespace is not changed")

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and not name.startswith("_") and name in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return (v for k, v in self.__dict__.items() if not k.startswith("_"))


K = Terms(KG, sorted(declared_terms()))
