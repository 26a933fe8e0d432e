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

The package holds three parts: :mod:`kg.stores.neo4j.connection` (where the
server is, the driver, one-line errors), :mod:`kg.stores.neo4j.write` (the
schema and :class:`Neo4jSink`) and :mod:`kg.stores.neo4j.read` (Cypher rows,
the named-query backend).
"""

from kg.stores import StoreError
from kg.stores.neo4j.connection import (
    DEFAULT_URI,
    Neo4jSettings,
    WriteRefused,
    connect,
    describe_error,
    exclusive,
    neo4j_errors,
    open_driver,
)
from kg.stores.neo4j.read import (
    FetchRefused,
    Neo4jBackend,
    check_no_fetch,
    plain,
    read_agencies,
    run_cypher,
    run_named,
)
from kg.stores.neo4j.write import LoadReport, Neo4jSink, task_key

__all__ = [
    "DEFAULT_URI",
    "FetchRefused",
    "LoadReport",
    "Neo4jBackend",
    "Neo4jSettings",
    "Neo4jSink",
    "StoreError",
    "WriteRefused",
    "check_no_fetch",
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
