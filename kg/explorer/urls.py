"""The explorer's page addresses: of an agency, a plan, a task, a node of the store's graph, and
of an IRI of the store (:mod:`kg.rdf.plan`)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import networkx as nx


def agency_url(agency_id: str) -> str:
    return "/agency/" + quote(agency_id)


def plan_url(plan_id: str) -> str:
    return "/plan/" + quote(plan_id)


def task_url(plan_id: str, task_id: str) -> str:
    return "/task?" + urlencode({"plan": plan_id, "id": task_id})


def node_url(G: nx.MultiDiGraph, node: str) -> str | None:
    d = G.nodes[node]
    kind = d.get("type")
    if kind == "agency":
        return agency_url(d["id"])
    if kind == "task":
        return task_url(d["document"], d["id"])
    if kind == "document" and d.get("read"):
        return plan_url(d["id"])
    return None


def iri_url(G: nx.MultiDiGraph, iri: str) -> str | None:
    """The explorer's page of an agency, plan or task IRI of the store (:mod:`kg.rdf.plan`), else None.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("agency:ha-noi/so-noi-vu", type="agency", id="ha-noi/so-noi-vu")
    >>> iri_url(G, "https://kg-plans.example.org/id/agency/ha-noi/so-noi-vu"), iri_url(G, "urn:x")
    ('/agency/ha-noi/so-noi-vu', None)
    """
    from urllib.parse import unquote

    from kg.rdf.plan import BASE

    if not iri.startswith(BASE):
        return None
    path = unquote(iri[len(BASE) :])
    kind, _, rest = path.partition("/")
    candidates: list[str] = []
    if kind == "eli":
        candidates = [f"document:{rest}"]
    elif kind == "id":
        what, _, rest = rest.partition("/")
        if what == "agency":
            candidates = [f"agency:{rest}"]
        elif what == "task":  # a document id may hold "/": each split of "DOC/TASK" is tried
            parts = rest.split("/")
            candidates = [f"task:{'/'.join(parts[:i])}#{'/'.join(parts[i:])}" for i in range(1, len(parts))]
    for node in candidates:
        if node in G:
            return node_url(G, node)
    return None
