"""The named queries: one question per file, in SPARQL (``sparql/*.rq``) and Cypher (``cypher/*.cypher``).

Each file starts with a header of comment lines (``#`` in SPARQL, ``//`` in Cypher)::

    # name: agency-load
    # description: Agencies ranked by load: tasks led, directed, coordinated, total.
    # params: collectives (bool, default false): include collective participants
    # returns: agency, agency_en, kind, lead, directing, coordinating, total, id

The twin files of one name answer the same question with the same columns in
the same order; :mod:`kg.graph.metrics` holds the reference answers.

What several queries share is written once, as a fragment (``fragments/NAME.rq``
and ``fragments/NAME.cypher``) that a query names in a declared slot,
``@NAME(arguments)``: the day a holding covers (``@on_day(?h)``) is the as-of
logic of every query.  :func:`registry` gives each query's text with its slots
filled (:func:`compose`), so every backend runs complete SPARQL or Cypher; a slot
left unfilled is a syntax error in both languages, never a silently different query.

>>> q = registry()["agency-load"]
>>> q.returns[:3], [p.name for p in q.params], bool(q.sparql and q.cypher)
(('agency', 'jurisdiction', 'agency_en'), ['collectives', 'as_of'], True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["QUERY_DIR", "Fragment", "NamedQuery", "Param", "compose", "fragments", "parse_header", "registry"]

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


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of query text written once: its parameters and body (``fragments/NAME.rq|.cypher``).

    In the body a parameter is replaced by the slot's argument; a SPARQL variable
    starting with ``_`` is the fragment's own and is made unique per slot; any other
    variable (``?as_of``, ``$as_of``) is the query's.
    """

    name: str
    params: tuple[str, ...]
    body: str


_SIGNATURE = re.compile(r"^\s*(?:#|//)\s*fragment:\s*(?P<name>[a-z_]+)\((?P<params>[^()]*)\)\s*$")
_SLOT = re.compile(r"@(?P<name>[a-z_]+)\((?P<args>[^()]*)\)")
_OWN = re.compile(r"\?(_\w+)")
_EXT = {"sparql": "rq", "cypher": "cypher"}


def _parse_fragment(text: str) -> Fragment:
    """A fragment file: its ``fragment: name(params)`` line, comment lines, then the body.

    >>> f = _parse_fragment("# fragment: f(?a, ?b)\\n# description: x\\n?a <p> ?b .\\n")
    >>> f.name, f.params, f.body
    ('f', ('?a', '?b'), '?a <p> ?b .')
    """
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if not line.lstrip().startswith(("#", "//")))
    sig = next(m for m in map(_SIGNATURE.match, lines[:start]) if m)
    params = tuple(a.strip() for a in sig.group("params").split(",") if a.strip())
    return Fragment(sig.group("name"), params, "\n".join(lines[start:]).strip())


@cache
def fragments(dialect: str) -> dict[str, Fragment]:
    """The fragments of *dialect* (``sparql`` or ``cypher``), by name."""
    found = [
        _parse_fragment(p.read_text(encoding="utf-8"))
        for p in sorted(QUERY_DIR.glob(f"fragments/*.{_EXT[dialect]}"))
    ]
    return {f.name: f for f in found}


def _fill(fragment: Fragment, args: list[str], n: int, dialect: str) -> str:
    """The body of *fragment* for one slot: parameters replaced by *args*, own variables suffixed ``_n``."""
    if len(args) != len(fragment.params):
        raise ValueError(f"@{fragment.name} takes {len(fragment.params)} arguments, not {len(args)}: {args}")
    names = dict(zip(fragment.params, args, strict=True))
    if dialect == "sparql":
        body = re.sub(r"\?\w+", lambda m: names.get(m.group(), m.group()), fragment.body)
        return _OWN.sub(lambda m: f"?{m.group(1)}_{n}", body)
    pattern = r"(?<![\w$.])(" + "|".join(map(re.escape, names)) + r")\b"
    return re.sub(pattern, lambda m: names[m.group(1)], fragment.body)


def compose(text: str, dialect: str) -> str:
    """*text* with each slot ``@NAME(args)`` replaced by the fragment NAME of *dialect*.

    A fragment of several lines takes the indentation of the slot's line.

    >>> print(compose("SELECT * WHERE {\\n  OPTIONAL { ?h ?p ?o . @on_day(?h) }\\n}", "sparql"))
    SELECT * WHERE {
      OPTIONAL { ?h ?p ?o . ?h kg:heldFrom ?_from_1 .
      OPTIONAL { ?h kg:heldUntil ?_until_1 }
      OPTIONAL { ?h kg:planDate ?_plan_1 }
      FILTER(COALESCE(?as_of, ?_plan_1) >= ?_from_1 && (!BOUND(?_until_1) || COALESCE(?as_of, ?_plan_1) < ?_until_1)) }
    }
    >>> compose("MATCH (a) WHERE @nothing(a)", "cypher")
    Traceback (most recent call last):
    ...
    ValueError: no query fragment @nothing; known: on_day
    """
    known = fragments(dialect)
    count = 0

    def fill(m: re.Match[str]) -> str:
        nonlocal count
        name = m.group("name")
        if name not in known:
            raise ValueError(f"no query fragment @{name}; known: {', '.join(known)}")
        count += 1
        args = [a for a in re.split(r"[,\s]+", m.group("args")) if a]
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        indent = line[: len(line) - len(line.lstrip())]
        return _fill(known[name], args, count, dialect).replace("\n", "\n" + indent)

    return _SLOT.sub(fill, text)


@cache
def registry() -> dict[str, NamedQuery]:
    """Every named query shipped in ``queries/``, by name."""
    found: dict[str, dict[str, object]] = {}
    for kind, pattern in (("sparql", "sparql/*.rq"), ("cypher", "cypher/*.cypher")):
        for path in sorted(QUERY_DIR.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            header = parse_header(text)
            text = compose(text, kind)
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
