"""The IRIs of the graph's nodes, built from record ids only: the same input always gives the same IRI.

>>> agency_iri("ha-noi/so-noi-vu")
'https://kg-plans.example.org/id/agency/ha-noi/so-noi-vu'
>>> task_iri("kh-30", "II.1"), body_iri("kh-30", "II.2.a#1")
('https://kg-plans.example.org/id/task/kh-30/II.1', 'https://kg-plans.example.org/id/body/kh-30/II.2.a%231')
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from kg.model.text import slug
from kg.rdf.namespace import BASE

__all__ = [
    "agency_iri",
    "body_iri",
    "doctype_iri",
    "document_graph_iri",
    "document_iri",
    "entry_iri",
    "event_iri",
    "file_iri",
    "finding_iri",
    "group_iri",
    "kind_iri",
    "place_iri",
    "seg",
    "task_iri",
]


@lru_cache(maxsize=1 << 16)
def seg(text: str) -> str:
    """An id as IRI path segments: ids are slugs already; anything else is percent-encoded.

    >>> seg("II.2.a#1"), seg("ha-noi/so-noi-vu")
    ('II.2.a%231', 'ha-noi/so-noi-vu')
    """
    # Cached: a document's id is encoded again in the IRI of every task, group and association.
    return quote(text, safe="/-._~")


def agency_iri(agency_id: str) -> str:
    return f"{BASE}id/agency/{seg(agency_id)}"


def document_iri(document_id: str) -> str:
    # ELI asks for "/eli/" in the IRIs of legal resources.
    return f"{BASE}eli/{seg(document_id)}"


def document_graph_iri(document_id: str) -> str:
    return f"{BASE}graph/document/{seg(document_id)}"


def task_iri(document_id: str, task_id: str) -> str:
    return f"{BASE}id/task/{seg(document_id)}/{seg(task_id)}"


def group_iri(document_id: str, group_id: str) -> str:
    return f"{BASE}id/group/{seg(document_id)}/{seg(group_id)}"


def place_iri(name: str) -> str:
    return f"{BASE}id/place/{seg(slug(name))}"


def doctype_iri(doc_type: str) -> str:
    return f"{BASE}doctype/{seg(slug(doc_type))}"


def entry_iri(key: str) -> str:
    return f"{BASE}gazetteer/{seg(key)}"


def kind_iri(kind: str) -> str:
    return f"{BASE}kind/{seg(kind)}"


def file_iri(path: str) -> str:
    return f"{BASE}id/file/{seg(path)}"


def body_iri(document_id: str, key: str) -> str:
    """The IRI of a body item (*key* from :mod:`kg.graph.body`)."""
    return f"{BASE}id/body/{seg(document_id)}/{seg(key)}"


def finding_iri(document_id: str, position: int) -> str:
    """The IRI of the *position*-th finding of a document's audit."""
    return f"{BASE}id/finding/{seg(document_id)}/{position}"


def event_iri(event_id: str) -> str:
    """The IRI of a change event of ``ontology/reorg.toml``."""
    return f"{BASE}id/event/{event_id}"
