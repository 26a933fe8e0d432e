"""The named queries: one question per file, in SPARQL (``sparql/*.rq``) and Cypher (``cypher/*.cypher``).

Each file starts with a header of comment lines (``#`` in SPARQL, ``//`` in Cypher)::

    # name: agency-load
    # description: Agencies ranked by load: tasks led, directed, coordinated, total.
    # params: collectives (bool, default false): include collective participants
    # returns: agency, agency_en, kind, lead, directing, coordinating, total, id

The twin files of one name answer the same question with the same columns in
the same order; :mod:`kg.graph.metrics` holds the reference answers.

>>> q = registry()["agency-load"]
>>> q.returns[:3], [p.name for p in q.params], bool(q.sparql and q.cypher)
(('agency', 'jurisdiction', 'agency_en'), ['collectives', 'as_of'], True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["QUERY_DIR", "NamedQuery", "Param", "parse_header", "registry"]

QUERY_DIR = Path(__file__).resolve().parent
_HEADER = re.compile(r"^\s*(?:#|//)\s*(?P<key>name|description|params?|returns|lists)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[a-z_]+)\s*(?:\((?P<type>[a-z]+)(?:,\s*default\s+(?P<default>[^)]*))?\))?\s*:?\s*(?P<doc>.*)$"
)


@dataclass(frozen=True, slots=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str = "str"
    default: str | None = None
    doc: str = ""


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """One named question with its SPARQL and/or Cypher text."""

    name: str
    description: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    sparql: str | None = None
    cypher: str | None = None
    # Columns whose value is a list: SPARQL gives them as GROUP_CONCAT text (one value per line),
    # which the runners split; Cypher returns lists.
    lists: tuple[str, ...] = ()


def parse_header(text: str) -> dict[str, object]:
    """Read the comment header of a query file.

    >>> h = parse_header("# name: x\\n# description: Y.\\n# params: agency (str): an agency\\n# returns: a, b\\nSELECT")
    >>> h["name"], h["returns"], h["params"][0].name
    ('x', ('a', 'b'), 'agency')
    """
    out: dict[str, object] = {"params": ()}
    params: list[Param] = []
    for line in text.splitlines():
        m = _HEADER.match(line)
        if not m:
            if line.strip() and not line.lstrip().startswith(("#", "//")):
                break
            continue
        key, value = m.group("key"), m.group("value").strip()
        if key.startswith("param"):
            for part in filter(None, (p.strip() for p in value.split(";"))):
                if part.lower() == "none":
                    continue
                pm = _PARAM.match(part)
                if pm:
                    params.append(
                        Param(
                            pm.group("name"), pm.group("type") or "str", pm.group("default"), pm.group("doc")
                        )
                    )
        elif key in ("returns", "lists"):
            out[key] = tuple(c.strip() for c in value.split(",") if c.strip())
        else:
            out[key] = value
    out["params"] = tuple(params)
    return out


@cache
def registry() -> dict[str, NamedQuery]:
    """Every named query shipped in ``queries/``, by name."""
    found: dict[str, dict[str, object]] = {}
    for kind, pattern in (("sparql", "sparql/*.rq"), ("cypher", "cypher/*.cypher")):
        for path in sorted(QUERY_DIR.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            header = parse_header(text)
            name = str(header.get("name") or path.stem.replace("_", "-"))
            entry = found.setdefault(name, {"name": name})
            entry[kind] = text
            for key in ("description", "params", "returns", "lists"):
                if header.get(key) and not entry.get(key):
                    entry[key] = header[key]
    return {
        n: NamedQuery(
            name=n,
            description=str(e.get("description", "")),
            params=tuple(e.get("params", ())),  # type: ignore[arg-type]
            returns=tuple(e.get("returns", ())),  # type: ignore[arg-type]
            sparql=e.get("sparql"),  # type: ignore[arg-type]
            cypher=e.get("cypher"),  # type: ignore[arg-type]
            lists=tuple(e.get("lists", ())),  # type: ignore[arg-type]
        )
        for n, e in sorted(found.items())
    }
