"""Find the agencies a user means by a name: Vietnamese, English, alias or any spelling variant.

>>> from loaders import read_plan
>>> from kg.network import build_graph
>>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> find_agencies(G, "Department of Home Affairs")
['ha-noi/so-noi-vu']
>>> find_agencies(G, "SỞ NỘI VỤ")
['ha-noi/so-noi-vu']
"""

from __future__ import annotations

import difflib

import networkx as nx

from kg.gazetteer import Gazetteer
from kg.text import name_key

__all__ = ["NoAgency", "find_agencies"]


class NoAgency(LookupError):
    """No agency matches a name; ``str()`` names the closest ones."""

    def __init__(self, name: str, closest: list[str]) -> None:
        self.name = name
        self.closest = closest
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        super().__init__(f"no agency matches {name!r}{hint}")


def find_agencies(G: nx.MultiDiGraph, name: str, gazetteer: Gazetteer | None = None) -> list[str]:
    """Ids of the agencies of *G* that *name* denotes (several when a local name spans jurisdictions)."""
    gazetteer = gazetteer or Gazetteer.default()
    key = name_key(name)
    agencies = {n: d for n, d in G.nodes(data=True) if d.get("type") == "agency"}
    hits = [
        d["id"]
        for d in agencies.values()
        if key in {name_key(d["name"]), name_key(d["name_en"] or ""), name_key(d["id"])}
    ]
    entry = gazetteer.lookup(name)
    if entry is not None:
        hits += [
            d["id"] for d in agencies.values() if d["id"] == entry.key or d["id"].endswith("/" + entry.key)
        ]
    if hits:
        return sorted(set(hits))
    labels = {name_key(x): x for d in agencies.values() for x in (d["name"], d["name_en"]) if x}
    closest = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.4)
    raise NoAgency(name, [labels[c] for c in closest])
