"""Writing plan records into Neo4j: the constraints (:data:`SCHEMA`), the Cypher of each write, and
:class:`Neo4jSink`, one transaction per document (the graph is described in :mod:`kg.stores.neo4j`)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.graph.body import BodyStatement, FindingStatement, statements
from kg.graph.reorg import agency_record, holdings
from kg.model import Agency, Document, DocumentRef, ExtractResult, Role, Task
from kg.model.text import slug
from kg.stores.neo4j.connection import DEFAULT_DATABASE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from neo4j import Driver, ManagedTransaction

    from kg.graph.audit import AuditReport

BATCH_SIZE = 1000

# The closed set of relationship types for roles; never built from input.
ROLE_TYPE = {Role.LEAD: "LEADS", Role.DIRECTING: "DIRECTS", Role.COORDINATING: "COORDINATES"}
# Extra document label by the type the document gives itself (as kg:Plan/Programme/Resolution in kg.ttl).
DOC_LABEL = {
    "nghi-quyet": "Resolution",
    "chi-thi": "Resolution",
    "chuong-trinh-hanh-dong": "Programme",
    "chuong-trinh": "Programme",
    "ke-hoach": "Plan",
    "quyet-dinh": "Plan",
}


def _batched(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


SCHEMA = (
    "CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (a:Agency) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
    "CREATE CONSTRAINT task_key IF NOT EXISTS FOR (t:Task) REQUIRE t.key IS UNIQUE",
    "CREATE CONSTRAINT task_group_key IF NOT EXISTS FOR (g:TaskGroup) REQUIRE g.key IS UNIQUE",
    "CREATE CONSTRAINT body_assignment_key IF NOT EXISTS FOR (b:BodyAssignment) REQUIRE b.key IS UNIQUE",
    "CREATE CONSTRAINT audit_finding_key IF NOT EXISTS FOR (f:AuditFinding) REQUIRE f.key IS UNIQUE",
)

# Agencies named as issuers take the latest record; agencies named in tasks keep the first one
# (the same rule as kg.graph.network.add_result, so both models hold the same names).
_ISSUER = """
UNWIND $rows AS row
MERGE (a:Agency {id: row.id}) SET a += row.props
"""
_AGENCY = """
UNWIND $rows AS row
MERGE (a:Agency {id: row.id}) ON CREATE SET a += row.props
"""
_COLLECTIVE = """
UNWIND $ids AS id
MATCH (a:Agency {id: id}) WHERE a.collective SET a:Collective
"""
# A referenced document takes the latest citing record, unless it was read itself.
_REF_UNLINK = """
UNWIND $rows AS row
MATCH (d:Document {id: row.id})-[old:ISSUED_BY]->() WHERE d.read IS NULL
DELETE old
"""
_REF = """
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
WITH d, row WHERE d.read IS NULL
SET d += row.props
"""
_REF_ISSUER = """
UNWIND $rows AS row
MATCH (d:Document {id: row.id}) WHERE d.read IS NULL AND row.issuer IS NOT NULL
MATCH (a:Agency {id: row.issuer})
MERGE (d)-[:ISSUED_BY]->(a)
"""
_DOC = """
MERGE (d:Document {id: $id})
SET d = $props
WITH d
OPTIONAL MATCH (d)-[old:ISSUED_BY]->()
DELETE old
"""
_DOC_ISSUER = """
MATCH (d:Document {id: $id}), (a:Agency {id: $issuer})
MERGE (d)-[:ISSUED_BY]->(a)
"""
_DOC_LABELS = {
    "Plan": "UNWIND $rows AS row MATCH (d:Document {id: row.id}) SET d:Plan",
    "Programme": "UNWIND $rows AS row MATCH (d:Document {id: row.id}) SET d:Programme",
    "Resolution": "UNWIND $rows AS row MATCH (d:Document {id: row.id}) SET d:Resolution",
}
_IMPLEMENTS = """
UNWIND $rows AS row
MERGE (a:Document {id: row.from})
MERGE (b:Document {id: row.to})
MERGE (a)-[r:IMPLEMENTS]->(b) ON CREATE SET r.order = row.order
"""
_CITES = """
UNWIND $rows AS row
MATCH (a:Document {id: row.from})
MERGE (b:Document {id: row.to})
MERGE (a)-[:CITES]->(b)
"""
_REFERS = """
UNWIND $rows AS row
MATCH (a:Document {id: row.from}), (b:Document {id: row.to})
MERGE (a)-[:REFERS_TO]->(b)
"""
_GROUPS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.document})
MERGE (g:TaskGroup {key: row.key}) SET g += row.props
MERGE (g)-[:PART_OF]->(d)
"""
_TASKS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.document})
MERGE (t:Task {key: row.key}) SET t += row.props
MERGE (t)-[:PART_OF]->(d)
"""
_TASK_GROUPS = """
UNWIND $rows AS row
MATCH (t:Task {key: row.task}), (g:TaskGroup {key: row.group})
MERGE (t)-[:IN_GROUP]->(g)
"""
# Relationship types cannot be parameters: one text per type, the type written in.
_ROLE = """
UNWIND $rows AS row
MATCH (a:Agency {id: row.agency}), (t:Task {key: row.task})
MERGE (a)-[r:TYPE]->(t) SET r.text = row.text
"""
_ROLES = {rel: _ROLE.replace("TYPE", rel) for rel in ("LEADS", "DIRECTS", "COORDINATES")}
# Who holds a task's work after the 2025 changes (kg.graph.reorg.holdings): one HOLDS per period and holder;
# role, named agency and first day identify it, so loading twice leaves one.
_HOLDS = """
UNWIND $rows AS row
MATCH (a:Agency {id: row.holder}), (t:Task {key: row.task})
MERGE (a)-[h:HOLDS {role: row.role, named: row.named, from: row.from}]->(t) SET h += row.props
"""
_BODY_HOLDS = _HOLDS.replace("(t:Task {key: row.task})", "(t:BodyAssignment {key: row.task})")
# The body: its items and the audit's findings, each relationship type literal.
_BODY = """
UNWIND $rows AS row
MATCH (d:Document {id: row.document})
MERGE (b:BodyAssignment {key: row.key}) SET b += row.props
MERGE (b)-[:PART_OF]->(d)
"""
_BODY_AGENCY = """
UNWIND $rows AS row
MATCH (b:BodyAssignment {key: row.item}), (a:Agency {id: row.agency})
MERGE (b)-[:TYPE]->(a)
"""
_BODY_AGENCIES = {
    rel: _BODY_AGENCY.replace("TYPE", rel) for rel in ("ADDRESSED_TO", "COORDINATES_WITH", "REPORTS_TO")
}
_CORRESPONDS = """
UNWIND $rows AS row
MATCH (b:BodyAssignment {key: row.item}), (t:Task {key: row.task})
MERGE (b)-[:CORRESPONDS_TO]->(t)
"""
_FINDINGS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.document})
MERGE (f:AuditFinding {key: row.key}) SET f += row.props
MERGE (f)-[:PART_OF]->(d)
"""
_ABOUT = """
UNWIND $rows AS row
MATCH (f:AuditFinding {key: row.finding}), (t:Task {key: row.task})
MERGE (f)-[:ABOUT]->(t)
"""
# --replace: what a document brings with it, and the neighbours that may be left orphaned.
_OLD_NEIGHBOURS = """
MATCH (d:Document {id: $id})
OPTIONAL MATCH (d)<-[:PART_OF]-(:Task)<-[:LEADS|DIRECTS|COORDINATES]-(a:Agency)
WITH d, collect(DISTINCT a.id) AS task_agencies
OPTIONAL MATCH (d)<-[:PART_OF]-(:BodyAssignment)-[:ADDRESSED_TO|COORDINATES_WITH|REPORTS_TO]->(b:Agency)
WITH d, task_agencies, collect(DISTINCT b.id) AS body_agencies
WITH d, task_agencies + body_agencies AS task_agencies
OPTIONAL MATCH (d)<-[:PART_OF]-()<-[:HOLDS]-(h:Agency)
WITH d, task_agencies, collect(DISTINCT h.id) AS holders
WITH d, task_agencies + holders AS task_agencies
OPTIONAL MATCH (d)-[:ISSUED_BY]->(i:Agency)
WITH d, task_agencies, collect(DISTINCT i.id) AS issuers
OPTIONAL MATCH (d)-[:IMPLEMENTS|CITES|REFERS_TO]->(x:Document)
OPTIONAL MATCH (x)-[:ISSUED_BY]->(xi:Agency)
WITH task_agencies, issuers, collect(DISTINCT xi.id) AS named_issuers, collect(DISTINCT x.id) AS documents
RETURN task_agencies + issuers + named_issuers AS agencies, documents
"""
_DROP = """
MATCH (d:Document {id: $id})
OPTIONAL MATCH (d)<-[:PART_OF]-(x) WHERE x:Task OR x:TaskGroup OR x:BodyAssignment OR x:AuditFinding
DETACH DELETE x
WITH DISTINCT d
OPTIONAL MATCH (d)-[r:ISSUED_BY|IMPLEMENTS|CITES|REFERS_TO]->()
DELETE r
"""
# A document only named by others goes when nothing points at it any more (then its issuer may go).
_DROP_ORPHAN_DOCUMENTS = """
UNWIND $ids AS id
MATCH (d:Document {id: id}) WHERE d.read IS NULL AND NOT ()-->(d)
DETACH DELETE d
RETURN count(*) AS n
"""
_DROP_ORPHAN_AGENCIES = """
UNWIND $ids AS id
MATCH (a:Agency {id: id}) WHERE NOT (a)--()
DELETE a
"""


def task_key(document_id: str, task_id: str) -> str:
    """The unique key of a task node: its plan and its id in the plan (``doc#IV.10``)."""
    return f"{document_id}#{task_id}"


def _agency_props(a: Agency) -> dict[str, Any]:
    return a.properties()


def _ref_props(r: DocumentRef) -> dict[str, Any]:
    return {"type": r.type, "number": r.number, "date": r.date, "title": r.title, "term": r.term}


def _doc_props(d: Document) -> dict[str, Any]:
    props = {
        "id": d.id,
        "read": True,
        "file": d.file,
        "type": d.type,
        "number": d.number,
        "number_text": d.number_text,
        "date": d.date,
        "date_text": d.date_text,
        "year": d.year,
        "place": d.place,
        "title": d.title,
        "signer": d.signer,
        "signer_title": d.signer_title,
    }
    return {k: v for k, v in props.items() if v is not None}


def _task_props(t: Task, position: int) -> dict[str, Any]:
    d = t.deadline
    return {
        "id": t.id,
        "document": t.document,
        "position": position,
        "number": t.number,
        "title": t.title,
        "group": t.group.id if t.group else None,
        "group_title": t.group.title if t.group else None,
        "deadline": d.text,
        "start": d.start,
        "end": d.end,
        "recurrence": d.recurrence.value if d.recurrence else None,
        "lead_text": t.lead_text,
        "coordinating_text": t.coordinating_text,
        "attributes": json.dumps(dict(t.attributes), ensure_ascii=False) if t.attributes else None,
        "file": t.source.file,
        "lines": list(t.source.lines),
    }


def _holds_row(holder: str, work: str, role: str, named: str, h: Any, plan_date: Any) -> dict[str, Any]:
    """One ``HOLDS`` relationship: *holder* holds *named*'s part (*role*) in *work* during period *h*."""
    return {
        "holder": holder,
        "task": work,
        "role": role,
        "named": named,
        "from": h.start,
        "props": {
            "until": h.end,
            "plan_date": plan_date,
            "confirmed": h.holder.confirmed,
            "events": list(h.holder.events),
            "sources": list(h.holder.sources),
        },
    }


def _body_props(s: BodyStatement) -> dict[str, Any]:
    item = s.item
    return {
        "ref": s.key,
        "document": s.document,
        "position": s.position,
        "section": item.section,
        "bullet": item.bullet,
        "kind": item.kind.value,
        "text": item.text,
        "file": item.source.file,
        "lines": list(item.source.lines),
    }


def _finding_props(f: FindingStatement) -> dict[str, Any]:
    return {
        "document": f.document,
        "position": f.position,
        "kind": f.finding.kind.value,
        "appendix": f.finding.appendix,
        "section": f.finding.section,
        "message": f.finding.message,
        "file": f.finding.file,
        "lines": list(f.finding.lines),
    }


@dataclass(frozen=True, slots=True)
class Statements:
    """What writes one document: its Cypher statements and parameters, in order (plain data: picklable)."""

    document: str
    tasks: int
    statements: tuple[tuple[str, dict[str, Any]], ...]


class _Recorder:
    """Takes the statements of a document instead of a transaction (``tx.run(query, params, **kw)``)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, dict[str, Any]]] = []

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kw: Any) -> None:
        self.statements.append((query, {**(parameters or {}), **kw}))


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What one :meth:`Neo4jSink.write` did."""

    documents: int
    tasks: int
    replaced: int = 0


class Neo4jSink:
    """Writes :class:`~kg.model.ExtractResult` records into Neo4j through an injected driver.

    The caller owns the driver.  :meth:`write` creates the constraints if they
    are missing, then writes each document in its own transaction.
    """

    def __init__(self, driver: Driver, database: str = DEFAULT_DATABASE, *, batch_size: int = BATCH_SIZE):
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self._schema_done = False

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints (idempotent)."""
        for statement in SCHEMA:
            self.driver.execute_query(statement, database_=self.database)
        self._schema_done = True

    def write(
        self,
        result: ExtractResult,
        *,
        replace: bool = False,
        audits: Iterable[AuditReport] = (),
        progress: Callable[[int], None] | None = None,
    ) -> LoadReport:
        """Load every document of *result* (one transaction each); ``replace`` first drops its old subgraph.

        *audits* (:func:`kg.graph.audit.audit` of the same documents) add each
        document's body items and findings, in that document's transaction.
        *progress* is called with 1 after each document (a progress bar's ``update``).
        """
        return self.write_statements(self.statements(result, audits), replace=replace, progress=progress)

    def wipe(self) -> None:
        """Delete every node and relationship of the database (constraints stay)."""
        self.driver.execute_query("MATCH (n) DETACH DELETE n", database_=self.database)

    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type, for reports and tests."""
        out: dict[str, int] = {}
        recs, _, _ = self.driver.execute_query(
            "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n", database_=self.database
        )
        out.update({r["label"]: r["n"] for r in recs})
        recs, _, _ = self.driver.execute_query(
            "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n", database_=self.database
        )
        out.update({r["type"]: r["n"] for r in recs})
        return dict(sorted(out.items()))

    def statements(self, result: ExtractResult, audits: Iterable[AuditReport] = ()) -> list[Statements]:
        """The statements that write each document of *result* (with its *audits*): what :meth:`write`
        runs, made without a server (in a reader's worker process: the pipeline's ``prepare``)."""
        bodies, findings = statements(audits)
        body_of: dict[str, tuple[list[BodyStatement], list[FindingStatement]]] = {}
        for b in bodies:
            body_of.setdefault(b.document, ([], []))[0].append(b)
        for f in findings:
            body_of.setdefault(f.document, ([], []))[1].append(f)
        by_doc: dict[str, list[Task]] = {d.id: [] for d in result.documents}
        for t in result.tasks:
            if t.document not in by_doc:
                raise ValueError(
                    f"task {t.id} belongs to document {t.document!r}, which is not in the result"
                )
            by_doc[t.document].append(t)
        out = []
        for doc in result.documents:
            rec = _Recorder()
            self._document_statements(rec, doc, by_doc[doc.id], body_of.get(doc.id, ([], [])))
            out.append(Statements(doc.id, len(by_doc[doc.id]), tuple(rec.statements)))
        return out

    def write_statements(
        self,
        documents: Sequence[Statements],
        *,
        replace: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> LoadReport:
        """Run each document's :meth:`statements` in its own transaction (as :meth:`write`)."""
        if not self._schema_done:
            self.ensure_schema()
        replaced = 0
        with self.driver.session(database=self.database) as session:
            for doc in documents:
                replaced += session.execute_write(self._replay, doc, replace)
                if progress:
                    progress(1)
        return LoadReport(len(documents), sum(d.tasks for d in documents), replaced)

    # One document, one transaction.  Managed transactions may be retried: every statement is a MERGE.
    def _write_document(
        self,
        tx: ManagedTransaction,
        doc: Document,
        tasks: list[Task],
        replace: bool,
        body: tuple[list[BodyStatement], list[FindingStatement]] = ([], []),
    ) -> int:
        rec = _Recorder()
        self._document_statements(rec, doc, tasks, body)
        return self._replay(tx, Statements(doc.id, len(tasks), tuple(rec.statements)), replace)

    @staticmethod
    def _replay(tx: Any, doc: Statements, replace: bool) -> int:
        replaced = 0
        old_agencies: list[str] = []
        old_documents: list[str] = []
        if replace:
            rec = tx.run(_OLD_NEIGHBOURS, id=doc.document).single()
            if rec is not None:
                old_agencies, old_documents = rec["agencies"], rec["documents"]
                tx.run(_DROP, id=doc.document).consume()
                replaced = 1
        for query, params in doc.statements:
            tx.run(query, params).consume()
        # Orphans left by the old version: a chain of named documents goes child first, then the agencies.
        while old_documents and tx.run(_DROP_ORPHAN_DOCUMENTS, ids=old_documents).single()["n"]:
            pass
        if old_agencies:
            tx.run(_DROP_ORPHAN_AGENCIES, ids=old_agencies).consume()
        return replaced

    def _document_statements(
        self,
        tx: _Recorder,
        doc: Document,
        tasks: list[Task],
        body: tuple[list[BodyStatement], list[FindingStatement]] = ([], []),
    ) -> None:
        def run(query: str, rows: Sequence[dict[str, Any]], name: str = "rows") -> None:
            for chunk in _batched(rows, self.batch_size):
                tx.run(query, {name: list(chunk)})

        refs = [r for r in doc.references if r.id != doc.id]
        run(_ISSUER, [{"id": r.issuer.id, "props": _agency_props(r.issuer)} for r in refs if r.issuer])
        run(_REF_UNLINK, [{"id": r.id} for r in refs])
        run(_REF, [{"id": r.id, "props": _ref_props(r)} for r in refs])
        run(_REF_ISSUER, [{"id": r.id, "issuer": r.issuer.id if r.issuer else None} for r in refs])

        tx.run(_DOC, id=doc.id, props=_doc_props(doc))
        if doc.issuer:
            run(_ISSUER, [{"id": doc.issuer.id, "props": _agency_props(doc.issuer)}])
            tx.run(_DOC_ISSUER, id=doc.id, issuer=doc.issuer.id)
        for label, query in _DOC_LABELS.items():
            ids = [d.id for d in (*refs, doc) if DOC_LABEL.get(slug(d.type)) == label]
            run(query, [{"id": i} for i in ids])
        links = [{"from": r.id, "to": p, "order": i} for r in refs for i, p in enumerate(r.implements)] + [
            {"from": doc.id, "to": p, "order": i} for i, p in enumerate(doc.implements)
        ]
        run(_IMPLEMENTS, links)
        run(_CITES, [{"from": doc.id, "to": c} for c in doc.cites])
        run(_REFERS, [{"from": doc.id, "to": r.id} for r in refs])

        groups: dict[str, dict[str, Any]] = {}
        task_rows, group_links = [], []
        role_rows: dict[str, list[dict[str, Any]]] = {t: [] for t in _ROLES}
        holds_rows: list[dict[str, Any]] = []
        agencies: dict[str, dict[str, Any]] = {}
        for position, t in enumerate(tasks, start=1):
            key = task_key(doc.id, t.id)
            task_rows.append({"key": key, "document": doc.id, "props": _task_props(t, position)})
            if t.group:
                gkey = task_key(doc.id, t.group.id)
                groups.setdefault(
                    gkey,
                    {
                        "key": gkey,
                        "document": doc.id,
                        "props": {"id": t.group.id, "title": t.group.title, "line": t.group.line},
                    },
                )
                group_links.append({"task": key, "group": gkey})
            for a in t.assignments:
                agencies.setdefault(a.agency.id, _agency_props(a.agency))
                role_rows[ROLE_TYPE[a.role]].append({"agency": a.agency.id, "task": key, "text": a.text})
                for h in holdings(a.agency.id, t.title):
                    for x in h.holder.agencies:
                        agencies.setdefault(x, _agency_props(agency_record(x)))
                        holds_rows.append(_holds_row(x, key, ROLE_TYPE[a.role], a.agency.id, h, doc.date))
        items, found = body
        body_rows: dict[str, list[dict[str, Any]]] = {rel: [] for rel in _BODY_AGENCIES}
        body_holds: list[dict[str, Any]] = []
        for s in items:
            item = task_key(doc.id, s.key)
            for rel, named in (
                ("ADDRESSED_TO", s.item.agencies),
                ("COORDINATES_WITH", s.item.coordinating),
                ("REPORTS_TO", s.item.reports_to),
            ):
                for a in named:
                    agencies.setdefault(a.id, _agency_props(a))
                    body_rows[rel].append({"item": item, "agency": a.id})
                    for h in holdings(a.id, s.item.text):
                        for x in h.holder.agencies:
                            agencies.setdefault(x, _agency_props(agency_record(x)))
                            body_holds.append(_holds_row(x, item, rel, a.id, h, doc.date))
        run(_GROUPS, list(groups.values()))
        run(_TASKS, task_rows)
        run(_TASK_GROUPS, group_links)
        all_agencies = list(agencies.values())
        run(_AGENCY, [{"id": a["id"], "props": a} for a in all_agencies])
        issuers = [r.issuer for r in refs if r.issuer] + ([doc.issuer] if doc.issuer else [])
        collective_ids = [a["id"] for a in all_agencies if a["collective"]] + [
            a.id for a in issuers if a.is_collective
        ]
        for chunk in _batched(collective_ids, self.batch_size):
            tx.run(_COLLECTIVE, ids=list(chunk))
        for rel, query in _ROLES.items():
            run(query, role_rows[rel])
        run(_HOLDS, holds_rows)
        run(
            _BODY,
            [{"key": task_key(doc.id, s.key), "document": doc.id, "props": _body_props(s)} for s in items],
        )
        for rel, query in _BODY_AGENCIES.items():
            run(query, body_rows[rel])
        run(_BODY_HOLDS, body_holds)
        run(
            _CORRESPONDS,
            [
                {"item": task_key(doc.id, s.key), "task": task_key(doc.id, t)}
                for s in items
                for t in s.appendix
            ],
        )
        finding_key = {f.position: f"{doc.id}#finding-{f.position}" for f in found}
        run(
            _FINDINGS,
            [{"key": finding_key[f.position], "document": doc.id, "props": _finding_props(f)} for f in found],
        )
        run(
            _ABOUT,
            [
                {"finding": finding_key[f.position], "task": task_key(doc.id, f.finding.appendix)}
                for f in found
                if f.finding.appendix
            ],
        )
