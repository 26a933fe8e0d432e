"""A plan body's audit as graph statements: the keys and order every backend writes them with.

:mod:`kg.graph.network`, :mod:`kg.rdf.body` and :mod:`kg.stores.neo4j` all turn an
:class:`kg.graph.audit.AuditReport` into statements of their own model; this module
fixes once what they share, so the three models agree and the named queries
(``requests``, ``reports-to``, ``standing-agency``, ``audit-findings``) can be
compared row for row:

* a body item's ``key`` is its reference ("II.2.a#1"), made unique within
  its document ("II.2.a#1~2" for a second item with the same path);
* ``position`` is its 1-based place in the body (the order of the rows);
* ``appendix`` holds the appendix task ids it is linked to, in appendix order;
* findings are numbered 1, 2, … in the audit's order.

Findings are stored as statements rather than recomputed by the queries: the
audit links body and appendix by TF-IDF similarity and agency agreement,
which neither SPARQL nor Cypher can restate, and one implementation
(:mod:`kg.graph.audit`) is the only way the three backends can agree.

>>> from loaders import read_plan
>>> from loaders.body import read_body
>>> from kg.graph.audit import audit
>>> plan = "examples/hanoi-kh-30-ctr-tu-2024.txt"
>>> report = audit(read_body(plan), read_plan(plan))
>>> first = body_statements(report)[0]
>>> first.key, first.position, first.appendix
('II.1.a', 1, ('I.1',))
>>> finding_statements(report)[0].position
1
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.model.body import BodyAssignment, Finding

if TYPE_CHECKING:
    from kg.graph.audit import AuditReport

__all__ = ["BodyStatement", "FindingStatement", "body_statements", "finding_statements", "statements"]


@dataclass(frozen=True, slots=True)
class BodyStatement:
    """One body item of one document, keyed and placed, with the appendix tasks it states."""

    document: str
    key: str
    position: int
    item: BodyAssignment
    appendix: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FindingStatement:
    """One audit finding of one document, numbered in the audit's order."""

    document: str
    position: int
    finding: Finding


def body_statements(report: AuditReport) -> list[BodyStatement]:
    """The body items of *report* with unique keys, positions and linked appendix ids."""
    seen: dict[str, int] = {}
    out = []
    for n, item in enumerate(report.assignments):
        seen[item.ref] = seen.get(item.ref, 0) + 1
        key = item.ref if seen[item.ref] == 1 else f"{item.ref}~{seen[item.ref]}"
        out.append(BodyStatement(report.document, key, n + 1, item, tuple(report.appendix_of(n))))
    return out


def finding_statements(report: AuditReport) -> list[FindingStatement]:
    """The findings of *report*, numbered from 1."""
    return [FindingStatement(report.document, n, f) for n, f in enumerate(report.findings, start=1)]


def statements(
    reports: Iterable[AuditReport],
) -> tuple[list[BodyStatement], list[FindingStatement]]:
    """Body and finding statements of several reports (a document audited twice: the last one wins)."""
    last = {r.document: r for r in reports}
    bodies = [s for r in last.values() for s in body_statements(r)]
    findings = [f for r in last.values() for f in finding_statements(r)]
    return bodies, findings
