"""The body audit of every document read: what ``kg report``, ``kg build`` and ``kg neo4j load`` store or show.

>>> from loaders import read_plan
>>> [report] = audits_of(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> len(report.assignments), len(report.findings)
(40, 49)
"""

from __future__ import annotations

import logging

from kg.audit import AuditReport, audit
from kg.gazetteer import Gazetteer
from kg.model import ExtractResult, PlanError

__all__ = ["audits_of"]

logger = logging.getLogger(__name__)


def audits_of(result: ExtractResult, *, gazetteer: Gazetteer | None = None) -> list[AuditReport]:
    """The body audit (:func:`kg.audit.audit`) of each document of *result*, its body read again from its file.

    A file that cannot be read any more (moved since), or that now holds
    another document, is left out with a logged warning: the appendix still
    stands on its own.
    """
    from loaders.body import read_body

    gazetteer = gazetteer or Gazetteer.default()
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
        out.append(audit(reading, result))
    return out
