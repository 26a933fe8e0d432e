"""The one N-Quads writer: term syntax, and the lines of a document's graph and of the shared graph.

Quads are written as text because parsing text is the fast way into any store
(docs/bench.md gives the figures). Lines are kept in order, duplicates dropped.

>>> q = Quads("http://g", own=("http://a/",))
>>> q.add("http://a/1", "http://p", lit('say "hi"', "en"))
>>> q.add("http://b/2", "http://p", ref("http://a/1"))
>>> q.text(), q.shared
('<http://a/1> <http://p> "say \\\\"hi\\\\""@en <http://g> .\\n', {'<http://b/2> <http://p> <http://a/1> <https://kg-plans.example.org/graph/shared> .\\n': None})
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kg.rdf.namespace import PREFIXES, SHARED_GRAPH

__all__ = ["DocumentQuads", "Quads", "boolean", "day", "integer", "lit", "ref"]

_XSD = PREFIXES["xsd"]
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def ref(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal in N-Triples syntax, with a language tag or a datatype.

    >>> lit("a\\nb"), lit("1", datatype=_XSD + "integer")
    ('"a\\\\nb"', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    # Most values need no escape; four substring tests are cheaper than translating every literal.
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        value = value.translate(_ESCAPES)
    text = f'"{value}"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def integer(n: int) -> str:
    return lit(str(n), datatype=_XSD + "integer")


def day(d: date) -> str:
    return lit(d.isoformat(), datatype=_XSD + "date")


def boolean(b: bool) -> str:
    return lit("true" if b else "false", datatype=_XSD + "boolean")


class Quads:
    """Collects the lines of one named graph; duplicates are dropped, order is kept.

    With *own* given, only subjects that belong to the document (IRIs starting
    with one of *own*; a whole IRI is matched by ending its prefix with ``>``)
    go to *graph*; the rest (agencies, places, document types, documents it
    names) go to the shared graph, so that each of them is described once
    however many documents name it. ``own=()``: every :meth:`add` is shared,
    and :meth:`mine` writes the document's own lines.
    """

    def __init__(self, graph: str, own: tuple[str, ...] | None = None) -> None:
        self.graph = ref(graph)
        self.own = own
        self.lines: dict[str, None] = {}
        self.shared: dict[str, None] = {}
        self._end = f" {self.graph} .\n"

    def add(self, s: str, p: str, o: str) -> None:
        if self.own is None or f"{s}>".startswith(self.own):
            self.lines[f"<{s}> <{p}> {o}{self._end}"] = None
        else:
            self.shared[f"<{s}> <{p}> {o} <{SHARED_GRAPH}> .\n"] = None

    def mine(self, s: str, p: str, o: str) -> None:
        """:meth:`add` for a subject known to belong to the document (a task and its parts)."""
        self.lines[f"<{s}> <{p}> {o}{self._end}"] = None

    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True, slots=True)
class DocumentQuads:
    """The N-Quads of one document: its own graph, and its lines of the shared graph."""

    document: str
    quads: str
    shared: tuple[str, ...]

    def shared_subjects(self) -> set[str]:
        return {line[1 : line.index(">")] for line in self.shared}
