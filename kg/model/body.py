"""Records for a plan's body: who the text addresses, what it asks, and what an audit finds.

The appendix table (:class:`kg.model.Task`) says who leads and coordinates each
task; the body says the same in prose ("b) Sở Thông tin và Truyền thông: Chủ trì,
phối hợp với …"), and sometimes says more (bodies it only *requests*, the standing
agency that monitors the whole plan).  These records hold what the body says and
where it says it; :mod:`kg.graph.audit` compares them with the appendix.

>>> from kg.model import Source
>>> item = BodyAssignment("doc", "II.2.a", 1, BodyKind.ASSIGN, (), "Chủ trì tham mưu …", (), (), Source("f.txt", (55,)))
>>> item.ref
'II.2.a#1'
>>> item.as_dict()["kind"]
'assign'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kg.model import Agency, Issue, Source, pickle_by_fields

__all__ = ["BodyAssignment", "BodyKind", "BodyReading", "Finding", "FindingKind", "Link"]


class BodyKind(StrEnum):
    """How the body addresses a body item."""

    ASSIGN = "assign"  # the issuer directs one of its own agencies
    REQUEST = "request"  # "Đề nghị …", "Khuyến khích …": a body outside its authority is asked
    STANDING = "standing"  # "… là cơ quan thường trực / đầu mối": monitors and reports on the whole plan
    GENERAL = "general"  # addressed to a whole class of bodies, or to no one in particular


@dataclass(frozen=True, slots=True)
class BodyAssignment:
    """One lettered or numbered item of the body, or one "- " bullet under it.

    ``section`` is the path of markers ("II.2.a", "V.1"), ``bullet`` the 1-based
    number of the bullet under that item (``None`` for an item without bullets).
    ``agencies`` are the addressees; ``coordinating`` the bodies named after
    "phối hợp với"; ``reports_to`` those named after "gửi …" / "báo cáo … về …".
    """

    document: str
    section: str
    bullet: int | None
    kind: BodyKind
    agencies: tuple[Agency, ...]
    text: str
    coordinating: tuple[Agency, ...]
    reports_to: tuple[Agency, ...]
    source: Source

    @property
    def ref(self) -> str:
        """The item as a reader cites it: "II.2.a" or "II.2.a#1" for its first bullet."""
        return self.section if self.bullet is None else f"{self.section}#{self.bullet}"

    def as_dict(self, appendix: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
        """The public JSON shape of ``kg audit --format json`` (``appendix``: linked task ids)."""
        return {
            "document": self.document,
            "section": self.section,
            "bullet": self.bullet,
            "agencies": [a.as_dict() for a in self.agencies],
            "kind": self.kind.value,
            "text": self.text,
            "coordinating": [a.as_dict() for a in self.coordinating],
            "reports_to": [a.as_dict() for a in self.reports_to],
            "appendix": list(appendix),
            "lines": list(self.source.lines),
        }


@dataclass(frozen=True, slots=True)
class BodyReading:
    """Everything read from one document's body, and what could not be read."""

    file: str
    document: str
    assignments: tuple[BodyAssignment, ...]
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A body item and an appendix task that state the same work, with the matching score."""

    body: int  # index into the reading's assignments
    task: str  # appendix task id
    score: float
    text_score: float


class FindingKind(StrEnum):
    """What an audit finding is about."""

    NO_BODY = "no-body"  # an appendix task the body never states
    NO_APPENDIX = "no-appendix"  # a body item with no appendix row
    LEAD_DIFFERS = "lead-differs"  # the lead cell holds a body the text only requests or lists as coordinator
    COORDINATORS_DIFFER = "coordinators-differ"  # a coordinator named in one and not the other
    BODY_ONLY_AGENCY = "body-only-agency"  # a body the text names and the appendix never does
    COLLECTIVE_LEAD = "collective-lead"  # only a class of bodies is responsible
    DEADLINE_NOT_IN_BODY = "deadline-not-in-body"  # the body never states the appendix deadline


@dataclass(frozen=True, slots=True)
class Finding:
    """One discrepancy between a plan's body and its appendix, in one sentence."""

    file: str
    kind: FindingKind
    appendix: str | None
    section: str | None
    lines: tuple[int, ...]
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind.value,
            "appendix": self.appendix,
            "section": self.section,
            "lines": list(self.lines),
            "message": self.message,
        }


pickle_by_fields(BodyAssignment, BodyReading, Link, Finding)  # sent back by the reader's workers
