"""Neo4j bulk import for a fresh database: node and relationship CSVs for ``neo4j-admin database import full``.

The transactional path (:class:`kg.stores.neo4j.Neo4jSink`) writes each document
in one transaction of ``MERGE`` statements.  For a fresh database that is the
slow way (239 s for 10,000 plans here); ``neo4j-admin database import full``
writes the store files directly.  To give the same graph, this module runs the
very same per-document code (``Neo4jSink._write_document``) against an
in-memory transaction (:class:`GraphTx`) that applies each statement's
``MERGE``/``SET`` semantics to a dictionary graph, then writes that graph as
CSV files (one per label set and per relationship type) with typed headers.

>>> from loaders import read_plan
>>> g = MemoryGraph()
>>> g.add(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> g.counts()["Task"], g.counts()["LEADS"] > 0
(30, True)
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.model import ExtractResult
from kg.stores.neo4j import write as N

__all__ = [
    "GraphTx",
    "ImportFiles",
    "MemoryGraph",
    "neo4j_script",
    "run_import",
    "set_empty_lists",
    "write_csv",
]

# Array values are joined with this character in the CSVs (a unit separator: no text holds it).
ARRAY_DELIMITER = "\x1f"
# How each (label, key property) of a MERGE is identified.
_KEYS = {
    "Agency": "id",
    "Document": "id",
    "Task": "key",
    "TaskGroup": "key",
    "BodyAssignment": "key",
    "AuditFinding": "key",
}


@dataclass
class _Node:
    label: str
    key: str
    labels: set[str]
    props: dict[str, Any]


def _set_plus(props: dict[str, Any], new: dict[str, Any]) -> None:
    """Cypher ``SET n += map``: null values remove the property."""
    for k, v in new.items():
        if v is None:
            props.pop(k, None)
        else:
            props[k] = v


class _Result:
    def __init__(self, record: dict[str, Any] | None = None) -> None:
        self.record = record

    def consume(self) -> None:
        return None

    def single(self) -> dict[str, Any] | None:
        return self.record


@dataclass
class MemoryGraph:
    """The graph the transactional path would leave in an empty database, held in dictionaries."""

    nodes: dict[tuple[str, str], _Node] = field(default_factory=dict)
    # (type, start node, end node, merge key) -> properties
    rels: dict[tuple[str, tuple[str, str], tuple[str, str], tuple], dict[str, Any]] = field(
        default_factory=dict
    )
    # A document's ISSUED_BY relationships, which later statements delete (an index, not a scan).
    issued: dict[tuple[str, str], set] = field(default_factory=dict)

    def add(self, result: ExtractResult, audits: Iterable[Any] = ()) -> None:
        """Apply :meth:`Neo4jSink.write` of *result* (and its *audits*) to this graph."""
        sink = N.Neo4jSink(None)  # type: ignore[arg-type]  # no driver: the transaction is ours
        bodies, findings = N.statements(audits)
        body_of: dict[str, tuple[list, list]] = {}
        for b in bodies:
            body_of.setdefault(b.document, ([], []))[0].append(b)
        for f in findings:
            body_of.setdefault(f.document, ([], []))[1].append(f)
        by_doc: dict[str, list] = {d.id: [] for d in result.documents}
        for t in result.tasks:
            by_doc[t.document].append(t)
        tx = GraphTx(self)
        for doc in result.documents:
            sink._write_document(tx, doc, by_doc[doc.id], False, body_of.get(doc.id, ([], [])))

    def node(self, label: str, key: str) -> _Node | None:
        return self.nodes.get((label, key))

    def merge_node(self, label: str, key: str) -> tuple[_Node, bool]:
        n = self.nodes.get((label, key))
        if n is None:
            n = self.nodes[(label, key)] = _Node(label, key, {label}, {_KEYS[label]: key})
            return n, True
        return n, False

    def merge_rel(
        self, type_: str, a: _Node, b: _Node, key: tuple = (), props: dict | None = None
    ) -> tuple[dict, bool]:
        k = (type_, (a.label, a.key), (b.label, b.key), key)
        r = self.rels.get(k)
        if r is None:
            r = self.rels[k] = dict(props or {})
            if type_ == "ISSUED_BY":
                self.issued.setdefault(k[1], set()).add(k)
            return r, True
        return r, False

    def unlink_issuers(self, d: _Node) -> None:
        for k in self.issued.pop((d.label, d.key), ()):
            del self.rels[k]

    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type, as :meth:`Neo4jSink.counts`."""
        out: dict[str, int] = {}
        for n in self.nodes.values():
            for label in n.labels:
                out[label] = out.get(label, 0) + 1
        for t, *_ in self.rels:
            out[t] = out.get(t, 0) + 1
        return dict(sorted(out.items()))


class GraphTx:
    """A stand-in for a Neo4j transaction: runs the sink's statements (known by their text) on a
    :class:`MemoryGraph` with the semantics Cypher gives them."""

    def __init__(self, graph: MemoryGraph) -> None:
        self.g = graph
        self.handlers = {
            N._ISSUER: self._issuer,
            N._AGENCY: self._agency,
            N._REF_UNLINK: self._ref_unlink,
            N._REF: self._ref,
            N._REF_ISSUER: self._ref_issuer,
            N._IMPLEMENTS: self._implements,
            N._CITES: self._cites,
            N._REFERS: self._refers,
            N._GROUPS: lambda rows: self._part("TaskGroup", rows),
            N._TASKS: lambda rows: self._part("Task", rows),
            N._TASK_GROUPS: self._task_groups,
            N._HOLDS: lambda rows: self._holds("Task", rows),
            N._BODY_HOLDS: lambda rows: self._holds("BodyAssignment", rows),
            N._BODY: lambda rows: self._part("BodyAssignment", rows),
            N._CORRESPONDS: lambda rows: self._link(
                rows, "CORRESPONDS_TO", "BodyAssignment", "item", "Task", "task"
            ),
            N._FINDINGS: lambda rows: self._part("AuditFinding", rows),
            N._ABOUT: lambda rows: self._link(rows, "ABOUT", "AuditFinding", "finding", "Task", "task"),
        }
        for label, q in N._DOC_LABELS.items():
            self.handlers[q] = lambda rows, label=label: self._label(rows, label)
        for t, q in N._ROLES.items():
            self.handlers[q] = lambda rows, t=t: self._role(rows, t)
        for t, q in N._BODY_AGENCIES.items():
            self.handlers[q] = lambda rows, t=t: self._link(
                rows, t, "BodyAssignment", "item", "Agency", "agency"
            )

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kw: Any) -> _Result:
        params = {**(parameters or {}), **kw}
        if query == N._DOC:
            self._doc(params["id"], params["props"])
        elif query == N._DOC_ISSUER:
            self._doc_issuer(params["id"], params["issuer"])
        elif query == N._COLLECTIVE:
            for i in params["ids"]:
                n = self.g.node("Agency", i)
                if n is not None and n.props.get("collective"):
                    n.labels.add("Collective")
        elif query in self.handlers:
            self.handlers[query](params["rows"])
        else:  # the --replace statements never run on a fresh import
            raise ValueError(f"statement not supported in a bulk import: {query.strip()[:60]}")
        return _Result()

    # --- statements ---------------------------------------------------------------------------
    def _issuer(self, rows: list[dict]) -> None:
        for row in rows:
            n, _ = self.g.merge_node("Agency", row["id"])
            _set_plus(n.props, row["props"])

    def _agency(self, rows: list[dict]) -> None:
        for row in rows:
            n, created = self.g.merge_node("Agency", row["id"])
            if created:
                _set_plus(n.props, row["props"])

    def _ref_unlink(self, rows: list[dict]) -> None:
        for row in rows:
            d = self.g.node("Document", row["id"])
            if d is not None and d.props.get("read") is None:
                self.g.unlink_issuers(d)

    def _ref(self, rows: list[dict]) -> None:
        for row in rows:
            d, _ = self.g.merge_node("Document", row["id"])
            if d.props.get("read") is None:
                _set_plus(d.props, row["props"])

    def _ref_issuer(self, rows: list[dict]) -> None:
        for row in rows:
            d = self.g.node("Document", row["id"])
            if d is None or d.props.get("read") is not None or row["issuer"] is None:
                continue
            a = self.g.node("Agency", row["issuer"])
            if a is not None:
                self.g.merge_rel("ISSUED_BY", d, a)

    def _doc(self, id_: str, props: dict) -> None:
        d, _ = self.g.merge_node("Document", id_)
        d.props = {k: v for k, v in props.items() if v is not None}
        self.g.unlink_issuers(d)

    def _doc_issuer(self, id_: str, issuer: str) -> None:
        d, a = self.g.node("Document", id_), self.g.node("Agency", issuer)
        if d is not None and a is not None:
            self.g.merge_rel("ISSUED_BY", d, a)

    def _label(self, rows: list[dict], label: str) -> None:
        for row in rows:
            d = self.g.node("Document", row["id"])
            if d is not None:
                d.labels.add(label)

    def _implements(self, rows: list[dict]) -> None:
        for row in rows:
            a, _ = self.g.merge_node("Document", row["from"])
            b, _ = self.g.merge_node("Document", row["to"])
            r, created = self.g.merge_rel("IMPLEMENTS", a, b)
            if created:
                _set_plus(r, {"order": row["order"]})

    def _cites(self, rows: list[dict]) -> None:
        for row in rows:
            a = self.g.node("Document", row["from"])
            if a is not None:
                b, _ = self.g.merge_node("Document", row["to"])
                self.g.merge_rel("CITES", a, b)

    def _refers(self, rows: list[dict]) -> None:
        for row in rows:
            a, b = self.g.node("Document", row["from"]), self.g.node("Document", row["to"])
            if a is not None and b is not None:
                self.g.merge_rel("REFERS_TO", a, b)

    def _part(self, label: str, rows: list[dict]) -> None:
        for row in rows:
            d = self.g.node("Document", row["document"])
            if d is None:
                continue
            n, _ = self.g.merge_node(label, row["key"])
            _set_plus(n.props, row["props"])
            self.g.merge_rel("PART_OF", n, d)

    def _task_groups(self, rows: list[dict]) -> None:
        self._link(rows, "IN_GROUP", "Task", "task", "TaskGroup", "group")

    def _link(self, rows: list[dict], type_: str, la: str, ka: str, lb: str, kb: str) -> None:
        for row in rows:
            a, b = self.g.node(la, row[ka]), self.g.node(lb, row[kb])
            if a is not None and b is not None:
                self.g.merge_rel(type_, a, b)

    def _role(self, rows: list[dict], type_: str) -> None:
        for row in rows:
            a, t = self.g.node("Agency", row["agency"]), self.g.node("Task", row["task"])
            if a is not None and t is not None:
                r, _ = self.g.merge_rel(type_, a, t)
                _set_plus(r, {"text": row["text"]})

    def _holds(self, label: str, rows: list[dict]) -> None:
        for row in rows:
            a, t = self.g.node("Agency", row["holder"]), self.g.node(label, row["task"])
            if a is None or t is None:
                continue
            key = (row["role"], row["named"], row["from"])
            r, _ = self.g.merge_rel(
                "HOLDS", a, t, key, {"role": row["role"], "named": row["named"], "from": row["from"]}
            )
            _set_plus(r, row["props"])


# ---------------------------------------------------------------------------------------------- CSV


def _type(value: Any) -> str:
    """The neo4j-admin import type of a property value."""
    if isinstance(value, list):
        inner = {_type(v) for v in value} or {"string"}
        return (inner.pop() if len(inner) == 1 else "string") + "[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dt.date):
        return "date"
    return "string"


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(_cell(v)) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _columns(props: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Property name -> import type over *props*; a property whose type varies is refused."""
    types: dict[str, str] = {}
    for p in props:
        for k, v in p.items():
            if v is None or (isinstance(v, list) and not v):
                continue
            t = _type(v)
            if types.setdefault(k, t) != t:
                raise ValueError(f"property {k!r} has values of two types ({types[k]}, {t})")
    return dict(sorted(types.items()))


class _Writer:
    """CSV with every value quoted and nulls as empty unquoted fields (an absent property)."""

    def __init__(self, path: Path) -> None:
        self.out = path.open("w", encoding="utf-8", newline="")

    def row(self, cells: list[str | None]) -> None:
        self.out.write(",".join("" if c is None else '"' + c.replace('"', '""') + '"' for c in cells) + "\n")

    def close(self) -> None:
        self.out.close()


@dataclass(frozen=True, slots=True)
class ImportFiles:
    """The CSV files of one graph: ``(labels, path)`` for nodes, ``(type, path)`` for relationships."""

    nodes: tuple[tuple[str, Path], ...]
    relationships: tuple[tuple[str, Path], ...]
    counts: dict[str, int]
    # neo4j-admin reads an empty array as no property: (label, key, property) of the empty lists to set after
    empty_lists: tuple[tuple[str, str, str], ...] = ()

    def arguments(self) -> list[str]:
        """The ``neo4j-admin database import full`` options that read them."""
        return [
            *(f"--nodes={p}" for _, p in self.nodes),
            *(f"--relationships={p}" for _, p in self.relationships),
            f"--array-delimiter={ARRAY_DELIMITER}",
            "--multiline-fields=true",
            "--overwrite-destination=true",
            "--threads=2",
        ]


def write_csv(graph: MemoryGraph, folder: Path | str) -> ImportFiles:
    """Write *graph* as import CSVs into *folder*: one node file per label set, one per relationship type.

    Node ids (``:ID``, not stored) are the label and key; each node keeps its key property.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ids = {k: f"{k[0]}:{k[1]}" for k in graph.nodes}
    by_labels: dict[tuple[str, ...], list[_Node]] = {}
    for n in graph.nodes.values():
        by_labels.setdefault(tuple(sorted(n.labels)), []).append(n)
    nodes = []
    for labels, members in sorted(by_labels.items()):
        cols = _columns(n.props for n in members)
        path = folder / f"nodes-{'-'.join(labels)}.csv"
        w = _Writer(path)
        w.row([":ID", *(f"{k}:{t}" for k, t in cols.items()), ":LABEL"])
        for n in members:
            # Labels are split on the array delimiter too.
            w.row(
                [ids[(n.label, n.key)], *(_cell(n.props.get(k)) for k in cols), ARRAY_DELIMITER.join(labels)]
            )
        w.close()
        nodes.append((";".join(labels), path))
    by_type: dict[str, list] = {}
    for k, props in graph.rels.items():
        by_type.setdefault(k[0], []).append((k, props))
    rels = []
    for type_, members in sorted(by_type.items()):
        cols = _columns(p for _, p in members)
        path = folder / f"rels-{type_}.csv"
        w = _Writer(path)
        w.row([":START_ID", ":END_ID", ":TYPE", *(f"{k}:{t}" for k, t in cols.items())])
        for k, props in members:
            w.row([ids[k[1]], ids[k[2]], type_, *(_cell(props.get(c)) for c in cols)])
        w.close()
        rels.append((type_, path))
    empty = tuple(
        (n.label, n.key, k)
        for n in graph.nodes.values()
        for k, v in n.props.items()
        if isinstance(v, list) and not v
    )
    if any(isinstance(v, list) and not v for props in graph.rels.values() for v in props.values()):
        raise ValueError("a relationship has an empty list property, which neo4j-admin cannot import")
    return ImportFiles(tuple(nodes), tuple(rels), graph.counts(), empty)


def set_empty_lists(files: ImportFiles, driver: Any, database: str) -> None:
    """Give the imported nodes the empty list properties the import left out (``lines: []``)."""
    by: dict[tuple[str, str], list[str]] = {}
    for label, key, prop in files.empty_lists:
        by.setdefault((label, prop), []).append(key)
    for (label, prop), keys in by.items():
        # Label and property come from the sink's closed set of names (never user text); keys are bound.
        driver.execute_query(
            f"UNWIND $keys AS k MATCH (n:{label} {{{_KEYS[label]}: k}}) SET n.{prop} = []",
            keys=keys,
            database_=database,
        )


def neo4j_script() -> Path:
    """The project's Neo4j script (``scripts/neo4j.sh``): it holds the server's jars and home."""
    return Path(__file__).resolve().parents[2] / "scripts" / "neo4j.sh"


def run_import(files: ImportFiles, *, start: bool = True, env: dict[str, str] | None = None) -> str:
    """Stop the project's server, import *files* into a fresh ``neo4j`` database, and start the server
    on it (``NEO4J_KEEP_DATA=1``).  Returns the script's messages; a failure raises ``RuntimeError``."""
    import os

    script = str(neo4j_script())
    env = {**os.environ, **(env or {})}
    out = []
    for args, extra in (
        (["stop"], {}),
        (["import", *files.arguments()], {}),
        *([(["start"], {"NEO4J_KEEP_DATA": "1"})] if start else []),
    ):
        p = subprocess.run(["bash", script, *args], env={**env, **extra}, capture_output=True, text=True)
        out.append((p.stdout + p.stderr).strip())
        if p.returncode != 0:
            raise RuntimeError(
                f"neo4j.sh {args[0]} failed: {out[-1].splitlines()[-1] if out[-1] else p.returncode}"
            )
    return "\n".join(x for x in out if x)
