"""Neo4j bulk import for a fresh database: node and relationship CSVs for ``neo4j-admin database import full``.

The transactional path (:class:`kg.stores.neo4j.Neo4jSink`) writes each document
in one transaction of ``MERGE`` statements.  For a fresh database that is the
slow way (1,177 s for 10,000 plans against 572 s for the import, on a loaded
machine); ``neo4j-admin database import full`` writes the store files directly.
To give the same graph, this module applies the very same statements
(:meth:`Neo4jSink.statements`) to an in-memory transaction (:class:`GraphTx`)
that gives each one its ``MERGE``/``SET`` semantics on a dictionary graph
(:class:`MemoryGraph`).  :class:`ImportSink`, a sink of :mod:`kg.pipeline`,
streams: each document's own subgraph becomes CSV lines in the reader's worker
(:func:`document_rows`) and is appended at once (:class:`CsvWriter`); only the
agencies and documents wait for the end.

>>> from loaders import read_plan
>>> g = MemoryGraph()
>>> g.add(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> g.counts()["Task"], g.counts()["LEADS"] > 0
(30, True)
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.model import ExtractResult
from kg.stores.neo4j import write as N

__all__ = [
    "CsvWriter",
    "DocumentRows",
    "GraphTx",
    "ImportFiles",
    "ImportSink",
    "MemoryGraph",
    "document_rows",
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

# The nodes one document alone reaches (keyed by its id), and the relationships between documents and
# agencies, which any later document may change: the rest of a document's graph is final once written.
LOCAL_LABELS = frozenset({"Task", "TaskGroup", "BodyAssignment", "AuditFinding"})
SHARED_TYPES = frozenset({"ISSUED_BY", "IMPLEMENTS", "CITES", "REFERS_TO"})


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
    # Streaming: the nodes and relationships of one document created since the last take_local().
    stream: bool = False
    fresh_nodes: list[tuple[str, str]] = field(default_factory=list)
    fresh_rels: list[tuple] = field(default_factory=list)
    _tx: GraphTx | None = field(default=None, repr=False)

    def add(self, result: ExtractResult, audits: Iterable[Any] = ()) -> None:
        """Apply :meth:`Neo4jSink.write` of *result* (and its *audits*) to this graph."""
        for _ in self.add_documents(result, audits):
            pass

    def add_documents(self, result: ExtractResult, audits: Iterable[Any] = ()) -> Iterator[str]:
        """:meth:`add`, one document at a time: yields each document's id once it is written."""
        sink = N.Neo4jSink(None)  # type: ignore[arg-type]  # no driver: only its statements
        yield from self.add_statements(sink.statements(result, audits))

    def add_statements(self, documents: Iterable[N.Statements]) -> Iterator[str]:
        """Apply each document's statements (:meth:`Neo4jSink.statements`); yields its id once applied."""
        if self._tx is None:
            self._tx = GraphTx(self)
        for doc in documents:
            for query, params in doc.statements:
                self._tx.run(query, params)
            yield doc.document

    def take_local(self) -> tuple[list[_Node], list[tuple[tuple, dict[str, Any]]]]:
        """Remove and return the nodes only one document reaches (its tasks, groups, body items and
        findings: their keys start with its id) and their relationships, created since the last call.

        What stays are the agencies and documents, which later documents may change (``stream=True``).
        """
        nodes = [self.nodes.pop(k) for k in self.fresh_nodes]
        rels = [(k, self.rels.pop(k)) for k in self.fresh_rels]
        self.fresh_nodes, self.fresh_rels = [], []
        return nodes, rels

    def node(self, label: str, key: str) -> _Node | None:
        return self.nodes.get((label, key))

    def merge_node(self, label: str, key: str) -> tuple[_Node, bool]:
        n = self.nodes.get((label, key))
        if n is None:
            n = self.nodes[(label, key)] = _Node(label, key, {label}, {_KEYS[label]: key})
            if self.stream and label in LOCAL_LABELS:
                self.fresh_nodes.append((label, key))
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
            elif self.stream and type_ not in SHARED_TYPES:
                self.fresh_rels.append(k)
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


def _present(props: dict[str, Any]) -> dict[str, Any]:
    """The properties a CSV row gives: neither null nor an empty list (neo4j-admin writes no such value)."""
    return {k: v for k, v in props.items() if v is not None and not (isinstance(v, list) and not v)}


def _quote(cell: str | None) -> str:
    """A CSV field with every value quoted, and a null as an empty unquoted field (an absent property)."""
    return "" if cell is None else '"' + cell.replace('"', '""') + '"'


_NODE_HEAD, _NODE_TAIL, _REL_HEAD = (":ID",), (":LABEL",), (":START_ID", ":END_ID", ":TYPE")


def _encode(
    lead: list[str], props: dict[str, Any], tail: list[str], head: tuple, end: tuple
) -> tuple[str, bytes]:
    """The header (the row's own columns, typed) and the CSV line of one row.

    >>> _encode(["Task:a"], {"title": "A", "n": 2, "x": None}, ["Task"], _NODE_HEAD, _NODE_TAIL)
    (':ID,n:long,title:string,:LABEL', b'"Task:a","2","A","Task"\\n')
    """
    present = _present(props)
    cols = sorted(present)
    header = ",".join([*head, *(f"{k}:{_type(present[k])}" for k in cols), *end])
    cells = [*lead, *(_cell(present[k]) for k in cols), *tail]
    return header, (",".join(map(_quote, cells)) + "\n").encode()


def _node_row(n: _Node) -> tuple[str, str, bytes]:
    """(file stem, header, line) of a node; its id (``:ID``, not stored) is its label and key."""
    labels = sorted(n.labels)
    lead, tail = [f"{n.label}:{n.key}"], [ARRAY_DELIMITER.join(labels)]  # labels are split as arrays
    return ("nodes-" + "-".join(labels), *_encode(lead, n.props, tail, _NODE_HEAD, _NODE_TAIL))


def _rel_row(key: tuple, props: dict[str, Any]) -> tuple[str, str, bytes]:
    """(file stem, header, line) of a relationship."""
    if any(isinstance(v, list) and not v for v in props.values()):
        raise ValueError("a relationship has an empty list property, which neo4j-admin cannot import")
    type_, (la, ka), (lb, kb), _ = key
    return ("rels-" + type_, *_encode([f"{la}:{ka}", f"{lb}:{kb}", type_], props, [], _REL_HEAD, ()))


def _empties(n: _Node) -> bytes:
    """The (label, key, property) lines of a node's empty lists, which neo4j-admin leaves out."""
    return b"".join(
        json.dumps([n.label, n.key, k], ensure_ascii=False).encode() + b"\n"
        for k, v in n.props.items()
        if isinstance(v, list) and not v
    )


# The statements that change agencies and documents (and the relationships between them): the rest
# make one document's own subgraph, which needs nothing from other documents.
SHARED_STATEMENTS = frozenset(
    {
        N._ISSUER,
        N._AGENCY,
        N._COLLECTIVE,
        N._REF_UNLINK,
        N._REF,
        N._REF_ISSUER,
        N._DOC,
        N._DOC_ISSUER,
        *N._DOC_LABELS.values(),
        N._IMPLEMENTS,
        N._CITES,
        N._REFERS,
    }
)


@dataclass(frozen=True, slots=True)
class DocumentRows:
    """One document made ready for the import (in a reader's worker): its own subgraph as CSV lines by
    (file stem, header), their counts by label and type, its empty lists, and the statements on agencies
    and documents that the importing process applies in document order."""

    document: str
    tasks: int
    shared: tuple[tuple[str, dict[str, Any]], ...]
    lines: dict[tuple[str, str], bytes]
    counts: dict[str, int]
    empties: bytes


def document_rows(doc: N.Statements) -> DocumentRows:
    """:class:`DocumentRows` of one document's statements (:meth:`Neo4jSink.statements`).

    >>> from loaders import read_plan
    >>> [d] = N.Neo4jSink(None).statements(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> rows = document_rows(d)
    >>> rows.counts["Task"], sum(len(v.splitlines()) for (stem, _), v in rows.lines.items() if stem == "nodes-Task")
    (30, 30)
    """
    graph = MemoryGraph(stream=True)
    for _ in graph.add_statements([doc]):
        pass
    nodes, rels = graph.take_local()
    lines: dict[tuple[str, str], list[bytes]] = {}
    counts: dict[str, int] = {}
    for n in nodes:
        stem, header, line = _node_row(n)
        lines.setdefault((stem, header), []).append(line)
        counts[n.label] = counts.get(n.label, 0) + 1  # a document's own nodes have one label
    for k, props in rels:
        stem, header, line = _rel_row(k, props)
        lines.setdefault((stem, header), []).append(line)
        counts[k[0]] = counts.get(k[0], 0) + 1
    return DocumentRows(
        doc.document,
        doc.tasks,
        tuple(st for st in doc.statements if st[0] in SHARED_STATEMENTS),
        {k: b"".join(v) for k, v in lines.items()},
        counts,
        b"".join(_empties(n) for n in nodes),
    )


@dataclass(frozen=True, slots=True)
class ImportFiles:
    """The CSV files of one graph, in *folder*: ``(labels, (header, data)…)`` for nodes, ``(type, (header,
    data)…)`` for relationships, by names relative to the folder."""

    folder: Path
    nodes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    relationships: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    counts: dict[str, int]
    # neo4j-admin reads an empty array as no property: (label, key, property) of the empty lists, one a line
    empty_lists_file: str | None = None

    def arguments(self) -> list[str]:
        """The ``neo4j-admin database import full`` options that read them."""

        def group(pair: tuple[str, str]) -> str:  # each part its own group: the header, then its data
            return ",".join(str(self.folder / name) for name in pair)

        return [
            *(f"--nodes={group(pair)}" for _, parts in self.nodes for pair in parts),
            *(f"--relationships={group(pair)}" for _, parts in self.relationships for pair in parts),
            f"--array-delimiter={ARRAY_DELIMITER}",
            "--multiline-fields=true",
            "--overwrite-destination=true",
            "--threads=2",
        ]

    def data_files(self) -> list[Path]:
        """Every data file (not the headers)."""
        return [self.folder / d for _, parts in (*self.nodes, *self.relationships) for _, d in parts]

    def empty_lists(self) -> Iterator[tuple[str, str, str]]:
        """(label, key, property) of each empty list property the import leaves out."""
        if self.empty_lists_file is None:
            return
        with (self.folder / self.empty_lists_file).open(encoding="utf-8") as f:
            for line in f:
                label, key, prop = json.loads(line)
                yield label, key, prop


@dataclass(frozen=True, slots=True)
class Reading:
    """Where one reading of a document went in the CSVs: each data file's (start, end) byte offsets, the
    rows it added by label and type, and its (start, end) in the empty-lists file."""

    spans: dict[tuple[str, str], tuple[int, int]]
    counts: dict[str, int]
    empties: tuple[int, int]


def _ours(folder: Path) -> bool:
    """Whether *folder* holds only what :class:`CsvWriter` writes (a folder it may replace)."""
    if not folder.is_dir():
        return False
    mine = ("nodes-", "rels-")
    return all(
        f.is_file() and (f.name == "empty-lists.jsonl" or (f.name.startswith(mine) and f.suffix == ".csv"))
        for f in folder.iterdir()
    )


def _cut(path: Path, ranges: list[tuple[int, int]]) -> None:
    """Rewrite *path* without the byte ranges [start, end)."""
    data = path.read_bytes()
    keep, at = [], 0
    for a, b in sorted(ranges):
        keep.append(data[at:a])
        at = max(at, b)
    keep.append(data[at:])
    path.write_bytes(b"".join(keep))


class CsvWriter:
    """Import CSVs written as the graph comes, into a temporary sibling of *folder* renamed to it by
    :meth:`close` (an interrupted or failed run leaves nothing half-written; :meth:`abort` removes it).

    Rows go to one data file per label set (or relationship type) and set of columns, each with its header
    file (a group of its own: ``--nodes=HEADER,DATA``): no row waits for the columns of later ones.  A
    property given values of two types is refused, as a column has one type.
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        if self.folder.exists() and not _ours(self.folder):
            raise ValueError(f"{self.folder} holds files other than import CSVs: give a new or empty folder")
        self.temp = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.", dir=self.folder.parent))
        self.files: dict[tuple[str, str], Any] = {}
        self.names: dict[tuple[str, str], tuple[str, str]] = {}
        self.types: dict[str, dict[str, str]] = {}
        self.counts: dict[str, int] = {}
        self.empties = (self.temp / "empty-lists.jsonl").open("wb")
        self.has_empties = False
        self.superseded: list[Reading] = []

    def _file(self, stem: str, header: str) -> Any:
        f = self.files.get((stem, header))
        if f is not None:
            return f
        types = self.types.setdefault(stem, {})
        for col in header.split(","):
            name, _, t = col.partition(":")
            if name and types.setdefault(name, t) != t:
                raise ValueError(f"property {name!r} has values of two types ({types[name]}, {t})")
        n = sum(1 for s, _ in self.files if s == stem)
        names = (f"{stem}.{n}.header.csv", f"{stem}.{n}.csv")
        (self.temp / names[0]).write_text(header + "\n", encoding="utf-8")
        f = self.files[(stem, header)] = (self.temp / names[1]).open("wb")
        self.names[(stem, header)] = names
        return f

    def lines(self, stem: str, header: str, data: bytes) -> None:
        """Append CSV lines (under *header*) to the files of *stem*."""
        self._file(stem, header).write(data)

    def add(self, counts: dict[str, int], empties: bytes = b"") -> None:
        """Count rows written with :meth:`lines`, and note their empty lists."""
        for k, n in counts.items():
            self.counts[k] = self.counts.get(k, 0) + n
        if empties:
            self.empties.write(empties)
            self.has_empties = True

    def node(self, n: _Node) -> None:
        self.lines(*_node_row(n))
        self.add(dict.fromkeys(n.labels, 1), _empties(n))

    def relationship(self, key: tuple, props: dict[str, Any]) -> None:
        self.lines(*_rel_row(key, props))
        self.add({key[0]: 1})

    def begin(self) -> Reading:
        """Where the rows written next start (:meth:`end` it after them)."""
        return Reading(
            {k: (f.tell(), 0) for k, f in self.files.items()}, dict(self.counts), (self.empties.tell(), 0)
        )

    def end(self, start: Reading) -> Reading:
        """The rows written since *start*: what :meth:`supersede` removes."""
        spans = {}
        for k, f in self.files.items():
            at = start.spans.get(k, (0, 0))[0]
            if f.tell() != at:
                spans[k] = (at, f.tell())
        counts = {k: n - start.counts.get(k, 0) for k, n in self.counts.items() if n != start.counts.get(k)}
        return Reading(spans, counts, (start.empties[0], self.empties.tell()))

    def supersede(self, reading: Reading) -> None:
        """Take back the rows of *reading* (an earlier reading of a document read again), at :meth:`close`."""
        self.superseded.append(reading)
        for k, n in reading.counts.items():
            self.counts[k] -= n

    def close(self) -> ImportFiles:
        """Close every file and put the folder in place (replacing what was there)."""
        self.empties.close()
        for f in self.files.values():
            f.close()
        if self.superseded:
            _cut(self.temp / "empty-lists.jsonl", [r.empties for r in self.superseded])
            for key, names in self.names.items():
                spans = [r.spans[key] for r in self.superseded if key in r.spans]
                if spans:
                    _cut(self.temp / names[1], spans)
        groups: dict[str, dict[str, list]] = {"nodes": {}, "rels": {}}
        for (stem, _), names in sorted(self.names.items(), key=lambda kv: kv[1]):
            kind, _, name = stem.partition("-")
            groups[kind].setdefault(name.replace("-", ";") if kind == "nodes" else name, []).append(names)
        if self.folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.old.", dir=self.folder.parent))
            self.folder.rename(old / "x")
            self.temp.rename(self.folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            self.temp.rename(self.folder)
        return ImportFiles(
            self.folder,
            tuple((k, tuple(v)) for k, v in sorted(groups["nodes"].items())),
            tuple((k, tuple(v)) for k, v in sorted(groups["rels"].items())),
            {k: n for k, n in sorted(self.counts.items()) if n},
            "empty-lists.jsonl" if self.has_empties else None,
        )

    def abort(self) -> None:
        """Remove what was written."""
        self.empties.close()
        for f in self.files.values():
            f.close()
        shutil.rmtree(self.temp, ignore_errors=True)


def write_csv(graph: MemoryGraph, folder: Path | str) -> ImportFiles:
    """Write *graph* as import CSVs into *folder* (:class:`CsvWriter`)."""
    w = CsvWriter(folder)
    try:
        for n in graph.nodes.values():
            w.node(n)
        for k, props in graph.rels.items():
            w.relationship(k, props)
        return w.close()
    except BaseException:
        w.abort()
        raise


class ImportSink:
    """A pipeline sink (:class:`kg.pipeline.Sink`) writing the import CSVs of the documents as they come.

    In the reader's worker (``prepare``), each document's statements (:meth:`Neo4jSink.statements`) are
    applied to a graph of its own, and its own subgraph (tasks, groups, body items, findings and their
    relationships, which need nothing from other documents) becomes CSV lines (:func:`document_rows`).
    This process appends the lines and applies the statements on agencies and documents, which later
    documents may change, to the one graph of those; :meth:`close` writes them.  So the client holds one
    file's rows and the agencies and documents.  A document read again (the same plan in two files) is
    written once: the later reading replaces the earlier one, as in ``kg build``; its earlier rows are cut
    from the CSVs at :meth:`close`.  ``files`` is the :class:`ImportFiles` once closed.
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.graph = MemoryGraph(stream=True)
        self.writer: CsvWriter | None = None
        self.seen: dict[str, Reading] = {}
        self.files: ImportFiles | None = None
        self.counts = {"documents": 0, "tasks": 0}

    def prepare(self, read: Any) -> list[DocumentRows]:
        docs = N.Neo4jSink(None).statements(read.result, read.audits)  # type: ignore[arg-type]
        return [document_rows(d) for d in docs]

    def open(self) -> None:
        self.writer = CsvWriter(self.folder)

    def write(self, documents: list[DocumentRows]) -> None:
        assert self.writer is not None, "open() first"
        for doc in documents:
            for _ in self.graph.add_statements([N.Statements(doc.document, doc.tasks, doc.shared)]):
                pass
            start = self.writer.begin()
            for (stem, header), data in doc.lines.items():
                self.writer.lines(stem, header, data)
            self.writer.add(doc.counts, doc.empties)
            before = self.seen.get(doc.document)
            if before is not None:  # read again: this reading replaces the one before, as kg build does
                self.writer.supersede(before)
            self.seen[doc.document] = self.writer.end(start)
            self.counts["documents"] += 1
            self.counts["tasks"] += doc.tasks

    def close(self) -> dict[str, int]:
        assert self.writer is not None, "open() first"
        for n in self.graph.nodes.values():
            self.writer.node(n)
        for k, props in self.graph.rels.items():
            self.writer.relationship(k, props)
        self.files = self.writer.close()
        self.writer = None
        return dict(self.counts)

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None


def set_empty_lists(files: ImportFiles, driver: Any, database: str) -> None:
    """Give the imported nodes the empty list properties the import left out (``lines: []``)."""
    by: dict[tuple[str, str], list[str]] = {}
    for label, key, prop in files.empty_lists():
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


def run_import(
    files: ImportFiles, *, start: bool = True, env: dict[str, str] | None = None
) -> tuple[str, dict[str, float]]:
    """Stop the project's server, import *files* into a fresh ``neo4j`` database, and start the server
    on it (``NEO4J_KEEP_DATA=1``).  Returns the script's messages and the seconds of each step (``stop``,
    ``import``, ``start``); a failure raises ``RuntimeError``."""
    import os
    import time

    script = str(neo4j_script())
    env = {**os.environ, **(env or {})}
    out, steps = [], {}
    for args, extra in (
        (["stop"], {}),
        (["import", *files.arguments()], {}),
        *([(["start"], {"NEO4J_KEEP_DATA": "1"})] if start else []),
    ):
        t0 = time.perf_counter()
        p = subprocess.run(["bash", script, *args], env={**env, **extra}, capture_output=True, text=True)
        steps[args[0]] = time.perf_counter() - t0
        out.append((p.stdout + p.stderr).strip())
        if p.returncode != 0:
            raise RuntimeError(
                f"neo4j.sh {args[0]} failed: {out[-1].splitlines()[-1] if out[-1] else p.returncode}"
            )
    return "\n".join(x for x in out if x), steps
