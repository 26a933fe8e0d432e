"""The typed records every part of the project exchanges.

Loaders produce them, the graph builders consume them; nothing here knows
about files, RDF or Neo4j.  All records are frozen: a record that left the
loader is a fact, not a draft.

The package is the model layer: beside the records, Vietnamese text
(:mod:`kg.model.text`), places and the gazetteer, agency lookup, the records
of the body audit (:mod:`kg.model.body`), settings and row output. It
imports nothing of the rest of the project.

>>> from datetime import date
>>> d = Deadline("Quý II/2024", date(2024, 4, 1), date(2024, 6, 30))
>>> d.as_dict()["end"]
'2024-06-30'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = [
    "NATIONAL",
    "Agency",
    "Assignment",
    "Deadline",
    "Document",
    "DocumentRef",
    "ExtractResult",
    "Indicator",
    "Issue",
    "PlanError",
    "Position",
    "Recurrence",
    "Role",
    "Source",
    "TableReport",
    "Task",
    "TaskGroup",
    "pickle_by_fields",
]


class PlanError(Exception):
    """A document that cannot be read; ``str()`` is one line naming the file (and line).

    >>> str(PlanError("no task table found", file="x.txt"))
    'x.txt: no task table found'
    >>> str(PlanError("bad row", file="x.txt", line=12))
    'x.txt:12: bad row'
    """

    def __init__(self, message: str, *, file: str, line: int | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.page: int | None = None  # set by on_page: a PDF or scan names its page, not a line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.page:
            return f"{self.file}: page {self.page}: {self.message}"
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"

    def on_page(self, page: int | None) -> PlanError:
        """This error, named by the *page* of a PDF or scan its line was printed on (same class).

        >>> str(PlanError("bad row", file="x.pdf", line=40).on_page(3))
        'x.pdf: page 3: bad row'
        """
        if page:
            self.page = page
            self.args = (str(self),)
        return self


# The jurisdiction shown for a national body (its Agency.jurisdiction is None).
NATIONAL = "Việt Nam"


class Role(StrEnum):
    """The part an agency plays in a task."""

    LEAD = "lead"  # chủ trì
    DIRECTING = "directing"  # chỉ đạo
    COORDINATING = "coordinating"  # phối hợp


class Recurrence(StrEnum):
    """A deadline that repeats instead of falling on a date."""

    ANNUAL = "annual"  # hàng năm, hằng năm
    CONTINUOUS = "continuous"  # thường xuyên


@dataclass(frozen=True, slots=True)
class Agency:
    """A body named in a plan, resolved against the gazetteer.

    ``id`` is stable across documents: a local body (a city's Sở) is scoped by
    its jurisdiction, so Hà Nội's Sở Nội vụ in two plans is one agency.
    """

    id: str
    name: str
    name_en: str | None
    kind: str
    recognised: bool
    jurisdiction: str | None = None

    @property
    def is_collective(self) -> bool:
        """True for a class of bodies ("Các Sở, ngành…") rather than one body."""
        return self.kind == "collective"

    @property
    def place(self) -> str:
        """The jurisdiction's name as shown: "Việt Nam" for a national body.

        >>> Agency("bo-tai-chinh", "Bộ Tài chính", None, "ministry", True).place
        'Việt Nam'
        """
        return self.jurisdiction or NATIONAL

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_en": self.name_en,
            "kind": self.kind,
            "recognised": self.recognised,
            "jurisdiction": self.place,
        }

    def properties(self) -> dict[str, Any]:
        """Every field as a flat dict, plus ``collective``: the node properties of each store."""
        return {**self.as_dict(), "jurisdiction": self.jurisdiction, "collective": self.is_collective}


@dataclass(frozen=True, slots=True)
class Assignment:
    """One agency in one role on one task, with the words of the cell it came from."""

    agency: Agency
    role: Role
    text: str

    def as_dict(self) -> dict[str, Any]:
        """The agency with the words as printed (``text``) beside its canonical ``name``."""
        return {**self.agency.as_dict(), "text": self.text}


def _role_cells(assignments: tuple[Assignment, ...]) -> dict[str, list[dict[str, Any]]]:
    """``lead`` (lead and directing agencies, each with its role) and ``coordinating``, as JSON shows them."""
    return {
        "lead": [
            {**a.as_dict(), "role": a.role.value} for a in assignments if a.role is not Role.COORDINATING
        ],
        "coordinating": [a.as_dict() for a in assignments if a.role is Role.COORDINATING],
    }


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline as printed, with the interval or recurrence it means.

    ``start``/``end`` are ``None`` where the text does not give them
    ("Thực hiện từ Quý II/2024" has a start and no end).
    """

    text: str
    start: date | None = None
    end: date | None = None
    recurrence: Recurrence | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "recurrence": self.recurrence.value if self.recurrence else None,
        }


@dataclass(frozen=True, slots=True)
class Position:
    """Where a line or table row is printed in a PDF or a scan: its 1-based *page*, its *box*
    ``(left, top, right, bottom)`` in points (1/72 inch) from the top left corner of the page as
    read (upright), and for a scan the lowest OCR confidence (0-100) of its cells or words.

    ``fragment()`` is the PDF open parameters' form (RFC 3778, ``viewrect=left,top,width,height``),
    the value of a W3C Web Annotation FragmentSelector and the end of a link to the spot.

    >>> p = Position(3, (56.7, 210.0, 785.2, 248.5), 64.0)
    >>> p.fragment(), p.as_dict()["box"]
    ('page=3&viewrect=56.7,210.0,728.5,38.5', [56.7, 210.0, 785.2, 248.5])
    >>> Position(2).fragment()
    'page=2'
    """

    page: int
    box: tuple[float, float, float, float] | None = None
    confidence: float | None = None

    def fragment(self) -> str:
        if self.box is None:
            return f"page={self.page}"
        left, top, right, bottom = self.box
        return f"page={self.page}&viewrect={left:.1f},{top:.1f},{right - left:.1f},{bottom - top:.1f}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "box": [round(x, 1) for x in self.box] if self.box else None,
            "confidence": None if self.confidence is None else round(self.confidence, 1),
        }


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from: the file and its 1-based line numbers (of the text as loaded),
    and for a PDF or a scan where those lines are printed (a page and box a page)."""

    file: str
    lines: tuple[int, ...]
    positions: tuple[Position, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """``positions`` appears only for a PDF or a scan (a text format's lines are its own).

        >>> Source("p.pdf", (40,), (Position(2, (50, 100, 700, 130)),)).as_dict()["positions"][0]["page"]
        2
        """
        out: dict[str, Any] = {"file": self.file, "lines": list(self.lines)}
        if self.positions:
            out["positions"] = [p.as_dict() for p in self.positions]
        return out

    @property
    def pages(self) -> tuple[int, ...]:
        """The pages the record is printed on, in order (none for a text format)."""
        return tuple(dict.fromkeys(p.page for p in self.positions))


@dataclass(frozen=True, slots=True)
class TaskGroup:
    """A heading row of the task table ("I", "II", … with its title)."""

    id: str
    title: str
    document: str
    line: int | None = None


class _Assigned:
    """What a record with ``assignments`` (a task, an indicator row) answers about its agencies."""

    __slots__ = ()
    assignments: tuple[Assignment, ...]

    def agencies(self, role: Role) -> tuple[Agency, ...]:
        """The agencies holding *role*, in cell order."""
        return tuple(a.agency for a in self.assignments if a.role is role)

    @property
    def coordinating(self) -> tuple[Agency, ...]:
        return self.agencies(Role.COORDINATING)


@dataclass(frozen=True, slots=True)
class Task(_Assigned):
    """One numbered row of a plan's task table.

    ``assignments`` keeps the order of the cells: lead cell first (directing and
    lead agencies), then the coordinating cell.
    """

    id: str
    document: str
    group: TaskGroup | None
    number: str
    title: str
    assignments: tuple[Assignment, ...]
    deadline: Deadline
    source: Source
    lead_text: str = ""
    coordinating_text: str = ""
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def lead(self) -> tuple[Agency, ...]:
        return self.agencies(Role.LEAD)

    @property
    def directing(self) -> tuple[Agency, ...]:
        return self.agencies(Role.DIRECTING)

    def as_dict(self) -> dict[str, Any]:
        """The task in the public JSON shape (see docs/json.md)."""
        return {
            "id": self.id,
            "document": self.document,
            "group": {"id": self.group.id, "title": self.group.title} if self.group else None,
            "title": self.title,
            **_role_cells(self.assignments),
            "deadline": self.deadline.as_dict(),
            "attributes": dict(self.attributes),
            "source": self.source.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Indicator(_Assigned):
    """One row of an indicator table (chỉ tiêu): a target a plan makes a body answer for.

    Not a task: nothing is to be done by a deadline, a figure is to be reached
    and followed.  ``target`` is the figure as printed (the table's result or
    target column, "" when the table gives yearly values instead); the other
    columns (unit, yearly values) are ``attributes``.

    >>> i = Indicator("I.1", "d", None, "1", "Quy mô kinh tế số", (), "≥ 30", Source("p.txt", (12,)))
    >>> i.as_dict()["target"], i.as_dict()["lead"]
    ('≥ 30', [])
    """

    id: str
    document: str
    group: TaskGroup | None
    number: str
    title: str
    assignments: tuple[Assignment, ...]
    target: str
    source: Source
    lead_text: str = ""
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def lead(self) -> tuple[Agency, ...]:
        """The bodies of the lead cell (lead and directing), in cell order."""
        return tuple(a.agency for a in self.assignments if a.role is not Role.COORDINATING)

    def as_dict(self) -> dict[str, Any]:
        """The indicator in the public JSON shape (``indicators`` of ``kg extract --format json``)."""
        return {
            "id": self.id,
            "document": self.document,
            "group": {"id": self.group.id, "title": self.group.title} if self.group else None,
            "title": self.title,
            **_role_cells(self.assignments),
            "lead_text": self.lead_text,
            "target": self.target,
            "attributes": dict(self.attributes),
            "source": self.source.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A document named by another: "Chương trình hành động số 30-CTr/TU ngày 08/3/2024 của Thành ủy".

    ``implements`` holds the ids of the documents this one implements, as the
    citing text states them.
    """

    id: str
    type: str
    number: str | None
    date: date | None
    issuer: Agency | None
    title: str | None = None
    term: str | None = None
    implements: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer.as_dict() if self.issuer else None,
            "title": self.title,
            "term": self.term,
            "implements": list(self.implements),
        }


@dataclass(frozen=True, slots=True)
class Document:
    """A plan document that was read: its identity, its chain and what it cites.

    ``number`` and ``date`` are ``None`` when the copy leaves them blank;
    ``number_text``/``date_text`` keep what is printed.
    """

    id: str
    file: str
    type: str
    number: str | None
    number_text: str | None
    date: date | None
    date_text: str | None
    year: int | None
    place: str | None
    issuer: Agency | None
    title: str | None
    signer: str | None
    signer_title: str | None
    implements: tuple[str, ...]
    references: tuple[DocumentRef, ...]
    cites: tuple[str, ...]

    def chain(self) -> tuple[DocumentRef, ...]:
        """The implementation chain upwards: the plan's parent, its parent, …"""
        by_id = {r.id: r for r in self.references}
        out: list[DocumentRef] = []
        todo = list(self.implements)
        while todo:
            ref = by_id.get(todo.pop(0))
            if ref is not None and ref not in out:
                out.append(ref)
                todo.extend(ref.implements)
        return tuple(out)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "type": self.type,
            "number": self.number,
            "number_text": self.number_text,
            "date": self.date.isoformat() if self.date else None,
            "date_text": self.date_text,
            "year": self.year,
            "place": self.place,
            "issuer": self.issuer.as_dict() if self.issuer else None,
            "title": self.title,
            "signer": self.signer,
            "signer_title": self.signer_title,
            "implements": list(self.implements),
            "chain": [r.id for r in self.chain()],
            "cites": list(self.cites),
            "references": [r.as_dict() for r in self.references],
        }


@dataclass(frozen=True, slots=True)
class Issue:
    """A warning about the input: something kept but not fully understood."""

    file: str
    line: int | None
    code: str
    message: str
    page: int | None = None  # the page of a PDF or scan the line is printed on

    def __str__(self) -> str:
        """``file:line: message``, or for a PDF or scan ``file: page N: message``.

        >>> str(Issue("p.pdf", 40, "ocr", "low OCR confidence", page=3))
        'p.pdf: page 3: low OCR confidence'
        """
        if self.page:
            return f"{self.file}: page {self.page}: {self.message}"
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        out = {"file": self.file, "line": self.line, "code": self.code, "message": self.message}
        if self.page:
            out["page"] = self.page
        return out


@dataclass(frozen=True, slots=True)
class TableReport:
    """A table found in a document, and whether it was read as a task table."""

    file: str
    line: int
    header: tuple[str, ...]
    read: bool
    reason: str
    tasks: int = 0
    indicators: int = 0  # rows read as indicators (an indicator table)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "header": list(self.header),
            "read": self.read,
            "reason": self.reason,
            "tasks": self.tasks,
            "indicators": self.indicators,
        }


@dataclass(frozen=True, slots=True)
class ExtractResult:
    """Everything read from one or more documents."""

    documents: tuple[Document, ...] = ()
    tasks: tuple[Task, ...] = ()
    warnings: tuple[Issue, ...] = ()
    tables: tuple[TableReport, ...] = field(default=())
    indicators: tuple[Indicator, ...] = ()  # rows of indicator tables: not tasks

    def agencies(self) -> tuple[Agency, ...]:
        """Every distinct agency named in a task, in order of first mention."""
        seen: dict[str, Agency] = {}
        for task in self.tasks:
            for a in task.assignments:
                seen.setdefault(a.agency.id, a.agency)
        return tuple(seen.values())

    @classmethod
    def concat(cls, parts: Iterable[ExtractResult]) -> ExtractResult:
        """One result of many, in order (linear, unlike repeated ``+``)."""
        parts = list(parts)
        return cls(
            tuple(d for p in parts for d in p.documents),
            tuple(t for p in parts for t in p.tasks),
            tuple(w for p in parts for w in p.warnings),
            tuple(t for p in parts for t in p.tables),
            tuple(i for p in parts for i in p.indicators),
        )

    def __add__(self, other: ExtractResult) -> ExtractResult:
        return ExtractResult(
            self.documents + other.documents,
            self.tasks + other.tasks,
            self.warnings + other.warnings,
            self.tables + other.tables,
            self.indicators + other.indicators,
        )

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape of ``kg extract --format json``."""
        return {
            "documents": [d.as_dict() for d in self.documents],
            "tasks": [t.as_dict() for t in self.tasks],
            "indicators": [i.as_dict() for i in self.indicators],
            "tables": [t.as_dict() for t in self.tables],
            "warnings": [w.as_dict() for w in self.warnings],
        }


# Pickling ------------------------------------------------------------------------------------------
# The reader's worker processes send records back to the pipeline (kg/pipeline.py) pickled.  A frozen
# slots dataclass pickles through the __setstate__ dataclasses writes, which looks its fields up again
# for every object; a record rebuilt by a call of its class with its fields loads about 3x faster.

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _reduce_by_fields(record: Any) -> tuple[type, tuple[Any, ...]]:
    cls = type(record)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES.setdefault(cls, tuple(f.name for f in fields(cls)))
    return cls, tuple([getattr(record, name) for name in names])


def pickle_by_fields(*classes: type) -> None:
    """Pickle instances of these frozen record classes as a call of the class with their fields.

    >>> import pickle
    >>> a = Agency("so-noi-vu", "Sở Nội vụ", None, "department", True, None)
    >>> pickle.loads(pickle.dumps(a)) == a
    True
    """
    for cls in classes:
        if any(not f.init or f.kw_only for f in fields(cls)):
            raise TypeError(f"{cls.__name__}: every field must be a positional argument of the class")
        cls.__reduce__ = _reduce_by_fields  # type: ignore[method-assign]


pickle_by_fields(
    Agency,
    Assignment,
    Deadline,
    Position,
    Source,
    TaskGroup,
    Task,
    Indicator,
    DocumentRef,
    Document,
    Issue,
    TableReport,
    ExtractResult,
)
