r"""The plan records in a Neo4j database: schema, loading, and the named queries in Cypher.

The graph mirrors :mod:`kg.graph.network` (the reference model) and the classes of
``ontology/kg.ttl``:

==========================  ==================================================================
node                        key and properties
==========================  ==================================================================
``:Agency`` (``:Collective``  ``id``; ``name``, ``name_en``, ``kind``, ``recognised``,
for a class of bodies)      ``jurisdiction``, ``collective``
``:Document`` (``:Plan``,     ``id``; ``type``, ``number``, ``date`` (a Neo4j date), ``title``;
``:Programme`` or           a document that was read also has ``read: true``, ``file``,
``:Resolution`` by type)    ``number_text``, ``date_text``, ``year``, ``place``, ``signer``…
``:TaskGroup``              ``key`` (document id ``#`` group id); ``id``, ``title``, ``line``
``:Task``                   ``key`` (document id ``#`` task id); ``id``, ``position``, ``title``,
                            ``deadline`` (text), ``start``/``end`` (dates), ``recurrence``,
                            ``group``, ``file``, ``lines`` (source lines), the cell texts
==========================  ==================================================================

Relationships: ``(Agency)-[:LEADS|DIRECTS|COORDINATES {text}]->(Task)``,
``(Task)-[:PART_OF]->(Document)``, ``(Task)-[:IN_GROUP]->(TaskGroup)-[:PART_OF]->(Document)``,
``(Document)-[:IMPLEMENTS {order}]->(Document)``, ``(Document)-[:CITES]->(Document)``,
``(Document)-[:REFERS_TO]->(Document)`` (every document a plan names) and
``(Document)-[:ISSUED_BY]->(Agency)``.

What a plan's body says (:mod:`kg.graph.audit`, written when :meth:`Neo4jSink.write`
is given the audits) are statements of their own, never role relationships (a
body the text only *requests* does not lead): ``(:BodyAssignment {key, ref,
section, bullet, kind, text, position, lines, file})-[:PART_OF]->(Document)``
with ``-[:ADDRESSED_TO]->``, ``-[:COORDINATES_WITH]->`` and ``-[:REPORTS_TO]->``
an ``Agency`` and ``-[:CORRESPONDS_TO]->`` the appendix ``Task``\ s; and
``(:AuditFinding {key, kind, appendix, section, message, position,
lines})-[:PART_OF]->(Document)``, ``-[:ABOUT]->(Task)``.  Keys and positions
are those of :mod:`kg.graph.body`.

Labels and relationship types are a closed set written literally in the
Cypher text; every value is a parameter.  Each document is written in one
transaction, so a load that fails midway leaves nothing of that document.

>>> s = Neo4jSettings.from_env({"NEO4J_URI": "bolt://db.example:7687", "NEO4J_USER": "kg"})
>>> s.uri, s.user, s.database, s.password is None
('bolt://db.example:7687', 'kg', 'neo4j', True)
>>> s
Neo4jSettings(uri='bolt://db.example:7687', user='kg', database='neo4j')
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.graph.body import BodyStatement, FindingStatement, statements
from kg.graph.reorg import agency_record, holdings
from kg.model import Agency, Document, DocumentRef, ExtractResult, Role, Task
from kg.model.text import slug
from kg.stores import StoreError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from neo4j import Driver, ManagedTransaction

    from kg.graph.audit import AuditReport

__all__ = [
    "DEFAULT_URI",
    "Neo4jBackend",
    "Neo4jSettings",
    "Neo4jSink",
    "StoreError",
    "connect",
    "describe_error",
    "exclusive",
    "neo4j_errors",
    "open_driver",
    "plain",
    "read_agencies",
    "run_cypher",
    "run_named",
    "task_key",
]

log = logging.getLogger(__name__)

DEFAULT_URI = "bolt://127.0.0.1:7687"
# The schemes the driver speaks (Bolt, direct or routed, with or without TLS).  Anything else (http://
# is Neo4j Browser's port) would reach an optional part of the driver and end in an import error.
BOLT_SCHEMES = ("bolt", "neo4j", "bolt+s", "bolt+ssc", "neo4j+s", "neo4j+ssc")
DEFAULT_DATABASE = "neo4j"
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


@dataclass(frozen=True, slots=True)
class Neo4jSettings:
    """Where the graph lives.  Built once (by the CLI) from options and the environment.

    ``user=None`` connects without authentication (the project's own server).
    The password never appears in ``repr`` nor in any message: a user and
    password written into the URI (``bolt://kg:secret@host``) are taken out of
    it into *user* and *password* (unless given), so :attr:`uri` is safe to show.
    A scheme that is not Bolt (``http://``: the browser's port) is refused in one line.

    >>> s = Neo4jSettings("bolt://kg:s%40cret@db.example:7687")
    >>> s.uri, s.user, s.password
    ('bolt://db.example:7687', 'kg', 's@cret')
    >>> Neo4jSettings("http://kg:secret@db.example:7474")
    Traceback (most recent call last):
    ...
    ValueError: NEO4J_URI: unsupported scheme 'http' in http://db.example:7474; Neo4j is reached over Bolt: bolt://host:7687 or neo4j://host (also bolt+s, bolt+ssc, neo4j+s, neo4j+ssc)
    """

    uri: str = DEFAULT_URI
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    def __post_init__(self) -> None:
        from urllib.parse import unquote, urlsplit

        if "://" not in self.uri:
            raise ValueError(
                "NEO4J_URI must look like bolt://host:7687 or neo4j://host, not " + _shown(self.uri)
            )
        parts = urlsplit(self.uri)
        if "@" in parts.netloc:  # credentials in the URI: kept out of it, so no message can show them
            userinfo, host = parts.netloc.rsplit("@", 1)
            name, _, secret = userinfo.partition(":")
            object.__setattr__(self, "uri", parts._replace(netloc=host).geturl())
            object.__setattr__(self, "user", self.user or unquote(name) or None)
            object.__setattr__(self, "password", self.password or unquote(secret) or None)
        scheme = parts.scheme.lower()
        if scheme not in BOLT_SCHEMES:
            raise ValueError(
                f"NEO4J_URI: unsupported scheme {scheme!r} in {self.uri}; Neo4j is reached over Bolt:"
                f" bolt://host:7687 or neo4j://host (also {', '.join(BOLT_SCHEMES[2:])})"
            )
        if not self.database:
            raise ValueError("NEO4J_DATABASE must not be empty")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Neo4jSettings:
        """Settings from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE; *overrides* win when not None."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "uri": env.get("NEO4J_URI") or DEFAULT_URI,
            "user": env.get("NEO4J_USER") or None,
            "password": env.get("NEO4J_PASSWORD") or None,
            "database": env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password or "") if self.user else None


def _shown(uri: str) -> str:
    """*uri* with any ``user:password@`` taken out, for a message.

    >>> _shown("bolt://kg:secret@db:7687")
    "'bolt://db:7687'"
    """
    return repr(re.sub(r"(?<=://)[^/@]*@", "", uri))


def _redact(text: str, settings: Neo4jSettings) -> str:
    """*text* with the password (and any URI credentials) replaced by ``***``: a driver message may quote them.

    >>> _redact("bad uri 'bolt://kg:pw1@h' (pw1)", Neo4jSettings(password="pw1"))
    "bad uri 'bolt://***@h' (***)"
    """
    text = re.sub(r"(?<=://)[^/@\s'\"]*@", "***@", text)
    return text.replace(settings.password, "***") if settings.password else text


def open_driver(settings: Neo4jSettings) -> Driver:
    """A driver for *settings* (the caller closes it, e.g. with ``with``)."""
    from neo4j import GraphDatabase

    # Server notifications ("property key does not exist" for a property no row has yet, such as
    # HOLDS.until) are advice for query authors, not for users: the driver would log each one.
    return GraphDatabase.driver(
        settings.uri,
        auth=settings.auth,
        connection_timeout=5,
        connection_acquisition_timeout=10,
        notifications_min_severity="OFF",
    )


def connect(settings: Neo4jSettings) -> Driver:
    """An open driver whose server answered (fails fast instead of retrying for half a minute).

    Raises :class:`kg.stores.StoreError` (one line) when the server cannot be
    reached or refuses the credentials.  The caller closes the driver.
    """
    driver = open_driver(settings)
    try:
        with neo4j_errors(settings):
            driver.verify_connectivity()
    except BaseException:
        driver.close()
        raise
    return driver


@contextmanager
def exclusive(settings: Neo4jSettings, *, timeout: float = 900.0) -> Iterator[None]:
    """Hold a lock file for *settings*' server while a process wipes and refills it (tests, benchmark).

    Neo4j Community has one database, so two test runs on one machine would
    wipe each other's data; they take turns instead.  Raises ``TimeoutError``
    after *timeout* seconds.
    """
    import fcntl
    import tempfile
    import time
    from pathlib import Path

    name = re.sub(r"[^A-Za-z0-9]+", "-", f"{settings.uri}-{settings.database}").strip("-")
    path = Path(tempfile.gettempdir()) / f"kg-neo4j-{name}.lock"
    deadline = time.monotonic() + timeout
    with open(path, "w") as f:
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path} held by another process for {timeout:.0f}s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def describe_error(exc: BaseException, settings: Neo4jSettings) -> str | None:
    """One line saying what went wrong, for a driver exception; ``None`` for anything else.

    The password never shows, even when the driver's own message quotes it.

    >>> from neo4j.exceptions import ServiceUnavailable
    >>> describe_error(ServiceUnavailable("Couldn't connect to x:1:\\nFailed (reason Connection refused)"),
    ...                Neo4jSettings())
    'cannot reach Neo4j at bolt://127.0.0.1:7687: Connection refused'
    """
    message = _describe(exc, settings)
    return None if message is None else _redact(message, settings)


def _describe(exc: BaseException, settings: Neo4jSettings) -> str | None:
    """One line for *exc*, before the password is taken out (:func:`describe_error`)."""
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        ConfigurationError,
        CypherSyntaxError,
        DriverError,
        Neo4jError,
        ServiceUnavailable,
    )

    def first_line(text: object) -> str:
        lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
        return lines[0] if lines else type(exc).__name__

    where = settings.uri
    if isinstance(exc, AuthError) or getattr(exc, "code", "") == "Neo.ClientError.Security.Unauthorized":
        who = f"user {settings.user!r}" if settings.user else "no credentials (set NEO4J_USER)"
        return f"Neo4j at {where} refused {who}: authentication failed"
    if isinstance(exc, ServiceUnavailable):
        text = " ".join(str(exc).split())
        reason = re.search(r"\(reason (.*)\)\s*$", text)
        return f"cannot reach Neo4j at {where}: {reason.group(1) if reason else text}"
    if isinstance(exc, CypherSyntaxError):
        return f"Cypher syntax error: {first_line(exc.message)}"
    if isinstance(exc, ClientError) and exc.code == "Neo.ClientError.Database.DatabaseNotFound":
        return f"database {settings.database!r} does not exist at {where}"
    if isinstance(exc, ClientError) and exc.code == "Neo.ClientError.Statement.AccessMode":
        return "Neo4j refused to write: the query writes and was run read-only (kg cypher --write to allow)"
    if isinstance(exc, Neo4jError):
        return f"Neo4j error {exc.code}: {first_line(exc.message)}"
    if isinstance(exc, ConfigurationError | DriverError):
        return f"Neo4j driver: {first_line(exc)}"
    return None


def _batched(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


# ---------------------------------------------------------------------------------------------- writing

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
_ROLES = {
    "LEADS": """
UNWIND $rows AS row
MATCH (a:Agency {id: row.agency}), (t:Task {key: row.task})
MERGE (a)-[r:LEADS]->(t) SET r.text = row.text
""",
    "DIRECTS": """
UNWIND $rows AS row
MATCH (a:Agency {id: row.agency}), (t:Task {key: row.task})
MERGE (a)-[r:DIRECTS]->(t) SET r.text = row.text
""",
    "COORDINATES": """
UNWIND $rows AS row
MATCH (a:Agency {id: row.agency}), (t:Task {key: row.task})
MERGE (a)-[r:COORDINATES]->(t) SET r.text = row.text
""",
}
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
_BODY_AGENCIES = {
    "ADDRESSED_TO": """
UNWIND $rows AS row
MATCH (b:BodyAssignment {key: row.item}), (a:Agency {id: row.agency})
MERGE (b)-[:ADDRESSED_TO]->(a)
""",
    "COORDINATES_WITH": """
UNWIND $rows AS row
MATCH (b:BodyAssignment {key: row.item}), (a:Agency {id: row.agency})
MERGE (b)-[:COORDINATES_WITH]->(a)
""",
    "REPORTS_TO": """
UNWIND $rows AS row
MATCH (b:BodyAssignment {key: row.item}), (a:Agency {id: row.agency})
MERGE (b)-[:REPORTS_TO]->(a)
""",
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
        bodies, findings = statements(audits)
        body_of: dict[str, tuple[list[BodyStatement], list[FindingStatement]]] = {}
        for b in bodies:
            body_of.setdefault(b.document, ([], []))[0].append(b)
        for f in findings:
            body_of.setdefault(f.document, ([], []))[1].append(f)
        if not self._schema_done:
            self.ensure_schema()
        by_doc: dict[str, list[Task]] = {d.id: [] for d in result.documents}
        for t in result.tasks:
            if t.document not in by_doc:
                raise ValueError(
                    f"task {t.id} belongs to document {t.document!r}, which is not in the result"
                )
            by_doc[t.document].append(t)
        replaced = 0
        with self.driver.session(database=self.database) as session:
            for doc in result.documents:
                body = body_of.get(doc.id, ([], []))
                replaced += session.execute_write(self._write_document, doc, by_doc[doc.id], replace, body)
                if progress:
                    progress(1)
        return LoadReport(len(result.documents), len(result.tasks), replaced)

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

    # One document, one transaction.  Managed transactions may be retried: every statement is a MERGE.
    def _write_document(
        self,
        tx: ManagedTransaction,
        doc: Document,
        tasks: list[Task],
        replace: bool,
        body: tuple[list[BodyStatement], list[FindingStatement]] = ([], []),
    ) -> int:
        def run(query: str, rows: Sequence[dict[str, Any]], name: str = "rows") -> None:
            for chunk in _batched(rows, self.batch_size):
                tx.run(query, {name: list(chunk)}).consume()

        replaced = 0
        old_agencies: list[str] = []
        old_documents: list[str] = []
        if replace:
            rec = tx.run(_OLD_NEIGHBOURS, id=doc.id).single()
            if rec is not None:
                old_agencies, old_documents = rec["agencies"], rec["documents"]
                tx.run(_DROP, id=doc.id).consume()
                replaced = 1

        refs = [r for r in doc.references if r.id != doc.id]
        run(_ISSUER, [{"id": r.issuer.id, "props": _agency_props(r.issuer)} for r in refs if r.issuer])
        run(_REF_UNLINK, [{"id": r.id} for r in refs])
        run(_REF, [{"id": r.id, "props": _ref_props(r)} for r in refs])
        run(_REF_ISSUER, [{"id": r.id, "issuer": r.issuer.id if r.issuer else None} for r in refs])

        tx.run(_DOC, id=doc.id, props=_doc_props(doc)).consume()
        if doc.issuer:
            run(_ISSUER, [{"id": doc.issuer.id, "props": _agency_props(doc.issuer)}])
            tx.run(_DOC_ISSUER, id=doc.id, issuer=doc.issuer.id).consume()
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
            tx.run(_COLLECTIVE, ids=list(chunk)).consume()
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
        # Orphans left by the old version: a chain of named documents goes child first, then the agencies.
        while old_documents and tx.run(_DROP_ORPHAN_DOCUMENTS, ids=old_documents).single()["n"]:
            pass
        if old_agencies:
            tx.run(_DROP_ORPHAN_AGENCIES, ids=old_agencies).consume()
        return replaced


# ---------------------------------------------------------------------------------------------- reading


class WriteRefused(StoreError):
    """A query that writes, refused by the server because it ran in a read transaction (one line)."""


@contextmanager
def neo4j_errors(settings: Neo4jSettings) -> Iterator[None]:
    """Turn driver exceptions into :class:`kg.stores.StoreError` with one line (see :func:`describe_error`);
    a write refused in a read transaction is a :class:`WriteRefused`."""
    try:
        yield
    except StoreError:
        raise
    except Exception as e:
        message = describe_error(e, settings)
        if message is None:
            raise
        refused = getattr(e, "code", "") == "Neo.ClientError.Statement.AccessMode"
        raise (WriteRefused if refused else StoreError)(message) from None


def plain(value: Any) -> Any:
    """A value from the driver as plain Python: dates as ISO strings, nodes and relationships as dicts.

    >>> from neo4j.time import Date
    >>> plain([Date(2024, 6, 30), {"n": 1}])
    ['2024-06-30', {'n': 1}]
    """
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration
        return value.iso_format()
    return value


def run_cypher(
    driver: Driver, database: str, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False
) -> list[dict[str, Any]]:
    """Rows of a Cypher query (parameters bound by the server, never spliced), values made plain.

    The query runs in a READ transaction unless *write*: the server itself
    refuses any write then (``Neo.ClientError.Statement.AccessMode``), whatever
    the text looks like.
    """
    from neo4j import RoutingControl

    routing = RoutingControl.WRITE if write else RoutingControl.READ
    records, _, keys = driver.execute_query(text, dict(params or {}), database_=database, routing_=routing)
    return [{k: plain(r[k]) for k in keys} for r in records]


def read_agencies(driver: Driver, database: str) -> list[Agency]:
    """Every agency in the database (collectives included), as records, by id."""
    rows = run_cypher(
        driver,
        database,
        "MATCH (a:Agency) RETURN a.id AS id, a.name AS name, a.name_en AS name_en, a.kind AS kind, "
        "a.recognised AS recognised, a.jurisdiction AS jurisdiction ORDER BY id",
    )
    return [
        Agency(r["id"], r["name"], r["name_en"], r["kind"], bool(r["recognised"]), r["jurisdiction"])
        for r in rows
    ]


class Neo4jBackend:
    """A Neo4j database as a :class:`kg.stores.Backend`: an ``agency`` parameter is bound as the list
    ``$<name>_ids``; every declared parameter is bound (``null`` when not given).

    *driver* is reused when given (the caller closes it); else one is opened from
    *settings* (default: the environment) when first needed and closed by :meth:`close`
    (or at the end of a ``with`` block).  Driver failures raise :class:`kg.stores.StoreError`.
    """

    dialect = "cypher"
    lists = True

    def __init__(self, settings: Neo4jSettings | None = None, *, driver: Driver | None = None) -> None:
        self.settings = settings or Neo4jSettings.from_env()
        self._driver = driver
        self._own = driver is None

    @property
    def driver(self) -> Driver:
        if self._driver is None:
            self._driver = connect(self.settings)
        return self._driver

    def rows(self, query: Any, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        bound = {
            (f"{p.name}_ids" if p.type == "agency" else p.name): bindings.get(
                p.name, [] if p.type == "agency" else None
            )
            for p in query.params
        }
        with neo4j_errors(self.settings):
            return run_cypher(self.driver, self.settings.database, query.cypher, bound)

    def agencies(self) -> list[Agency]:
        with neo4j_errors(self.settings):
            return read_agencies(self.driver, self.settings.database)

    def close(self) -> None:
        if self._own and self._driver is not None:
            self._driver.close()
            self._driver = None

    def __enter__(self) -> Neo4jBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_named(
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    settings: Neo4jSettings | None = None,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """Answer the named query *name* on Neo4j (:func:`kg.stores.runner.run`), with *params* as typed on the
    command line or as Python values.

    Rows have exactly the columns of the query's ``returns:`` line, in the
    order of :mod:`kg.graph.metrics`.  An ``agency`` parameter (a Vietnamese or
    English name, an alias or a spelling variant) is resolved to agency ids
    among the agencies read from the database and bound as the list
    ``$<name>_ids``.  *settings* default to the environment (``NEO4J_URI``…);
    pass *driver* to reuse an open one.  Driver failures raise
    :class:`kg.stores.StoreError` (one line).
    """
    from kg.stores.runner import run

    with Neo4jBackend(settings, driver=driver) as backend:
        return run(backend, name, params)
