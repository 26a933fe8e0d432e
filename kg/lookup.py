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
from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.gazetteer import Gazetteer
from kg.model import Agency
from kg.text import name_key

__all__ = ["NoAgency", "find_agencies"]


class NoAgency(LookupError):
    """No agency matches a name; ``str()`` names the closest ones."""

    def __init__(self, name: str, closest: list[str]) -> None:
        self.name = name
        self.closest = closest
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        super().__init__(f"no agency matches {name!r}{hint}")


def _records(source: nx.Graph | Iterable[Agency]) -> dict[str, dict[str, Any]]:
    """Agency id → {"id", "name", "name_en"} from a graph of :mod:`kg.network` or agency records."""
    if isinstance(source, nx.Graph):
        return {d["id"]: d for _, d in source.nodes(data=True) if d.get("type") == "agency"}
    return {a.id: {"id": a.id, "name": a.name, "name_en": a.name_en} for a in source}


def find_agencies(
    source: nx.Graph | Iterable[Agency], name: str, gazetteer: Gazetteer | None = None
) -> list[str]:
    """Ids of the agencies that *name* denotes (several when a local name spans jurisdictions).

    *source* is the graph of :func:`kg.network.build_graph` or the agency
    records of any store (:class:`kg.model.Agency`, e.g. from
    :func:`kg.stores.rdf.agencies`).

    >>> from kg.model import Agency
    >>> records = [Agency("ha-noi/so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "department", True)]
    >>> find_agencies(records, "So Noi vu")
    Traceback (most recent call last):
    ...
    kg.lookup.NoAgency: no agency matches 'So Noi vu'; closest: Sở Nội vụ
    >>> find_agencies(records, "Sở nội vụ")
    ['ha-noi/so-noi-vu']
    >>> find_agencies(records, " ")
    Traceback (most recent call last):
    ...
    kg.lookup.NoAgency: no agency matches ' '
    """
    gazetteer = gazetteer or Gazetteer.default()
    key = name_key(name)
    if not key:
        raise NoAgency(name, [])
    agencies = _records(source)
    # An agency without an English name must not match by its missing one.
    hits = [
        d["id"]
        for d in agencies.values()
        if key in {name_key(d["name"]), name_key(d["id"])} or (d["name_en"] and key == name_key(d["name_en"]))
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
