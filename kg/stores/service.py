"""SPARQL queries that would call another server (``SERVICE``): found in the parsed query, refused by default.

A ``SERVICE <url> { … }`` clause makes the engine send an HTTP request to
*url* while the query runs: from the user's machine for ``kg sparql`` on the
store, from the endpoint's for ``--endpoint``.  A query someone else wrote
(a shared ``.rq`` file, a link to the explorer) should not be able to do that
unasked, so :func:`check_service` refuses it unless the caller allows it.

The query is parsed (rdflib's SPARQL 1.1 grammar, the store's prefixes
predeclared) and the parse tree searched for a ``ServiceGraphPattern``, so a
``SERVICE`` in a string, an IRI, a comment or a prefixed name (``kg:service``)
is no clause.  Oxigraph accepts a few forms rdflib does not parse (RDF-star
triple terms): such a query is refused only when the word ``SERVICE`` is in it
at all, since without the word it cannot hold the clause.

>>> uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
True
>>> uses_service("SELECT * { ?s <http://example.org/service> 'SERVICE <x> {}' } # SERVICE")
False
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kg.stores import StoreError

__all__ = ["ServiceRefused", "check_service", "uses_service"]

_WORD = re.compile(r"\bSERVICE\b", re.IGNORECASE)


class ServiceRefused(StoreError):
    """A query with a ``SERVICE`` clause, run without leave to call other servers; ``str()`` is one line."""


def _has_service_pattern(node: Any) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(_has_service_pattern(v) for v in node.values())
    if isinstance(node, str):  # a term or a token: no pattern inside
        return False
    try:  # pyparsing's results (registered as a Mapping, but their parts are the list items)
        children = iter(node)
    except TypeError:
        return False
    return any(_has_service_pattern(v) for v in children)


def uses_service(text: str, prefixes: Mapping[str, str] | None = None) -> bool:
    """Whether the SPARQL query *text* holds a ``SERVICE`` clause (see the module's note on what is parsed)."""
    if not _WORD.search(text):
        return False
    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
    try:
        from rdflib.plugins.sparql.parser import parseQuery

        tree = parseQuery(declared + text)
    except Exception:  # a form rdflib does not parse: the word alone decides (never a false "no")
        return True
    return _has_service_pattern(tree)


def check_service(text: str, prefixes: Mapping[str, str] | None = None, *, allow: bool = False) -> None:
    """Raise :class:`ServiceRefused` (one line) when *text* calls another server and *allow* is false."""
    if not allow and uses_service(text, prefixes):
        raise ServiceRefused(
            "the query has a SERVICE clause, which would send a request to another server;"
            " kg sparql --allow-service runs it"
        )
