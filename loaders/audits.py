"""The body audit of every document read: what ``kg report``, ``kg build`` and ``kg neo4j load`` store or show.

>>> from loaders import read_plan
>>> [report] = audits_of(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> len(report.assignments), len(report.findings)
(40, 49)
"""

from __future__ import annotations

import logging

from kg.graph.audit import AuditReport, audit
from kg.model import Document, ExtractResult, PlanError
from kg.model.gazetteer import Gazetteer

__all__ = ["audits_of"]

logger = logging.getLogger(__name__)


def audits_of(result: ExtractResult, *, gazetteer: Gazetteer | None = None) -> list[AuditReport]:
    """The body audit (:func:`kg.graph.audit.audit`) of each document of *result*, its body read again from its file.

    A file that cannot be read any more (moved since), or that now holds
    another document, is left out with a logged warning: the appendix still
    stands on its own.
    """
    from loaders.body import read_body

    gazetteer = gazetteer or Gazetteer.default()
    # Each audit sees its own document's tasks (what kg.graph.audit.audit picks out of the whole result):
    # grouped once here, as asking the whole result per document was quadratic (3.6 s at 1,000 plans).
    tasks: dict[str, list] = {}
    for t in result.tasks:
        tasks.setdefault(t.document, []).append(t)
    first: dict[str, Document] = {}
    for d in result.documents:
        first.setdefault(d.id, d)
    out = []
    for doc in result.documents:
        try:
            reading = read_body(doc.file, gazetteer=gazetteer)
        except (OSError, PlanError) as e:
            logger.warning("%s: cannot read the body for the audit: %s", doc.file, e)
            continue
        if reading.document != doc.id:
            logger.warning("%s: the file no longer holds %s; no audit", doc.file, doc.id)
            continue
        own = tasks.get(doc.id)  # none: audit falls back to every task of the result, so give it them
        mine = ExtractResult((first[doc.id],), tuple(own)) if own else result
        out.append(audit(reading, mine))
    return out
