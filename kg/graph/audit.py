"""Compare a plan's body with its appendix: link the items that state the same work, report what differs.

The appendix rephrases the body ("Chủ trì tham mưu, đề xuất cơ chế …" becomes
"Tham mưu đề xuất cơ chế …"), so a body item and an appendix task are linked by
meaning: the content words they share (syllables and syllable pairs, weighted
by how rare they are in the document) plus a bonus when the body addresses an
agency the appendix puts in the lead cell.

Pure functions over :mod:`kg.model` and :mod:`kg.model.body` records.

>>> text_similarity("Tham mưu đề xuất cơ chế, chính sách ưu tiên", "Chủ trì tham mưu, đề xuất cơ chế, chính sách ưu tiên") > 0.6
True
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kg.model import Agency, Document, ExtractResult, Recurrence, Role, Task, pickle_by_fields
from kg.model.body import BodyAssignment, BodyKind, BodyReading, Finding, FindingKind, Link
from kg.model.text import name_key

__all__ = ["AuditReport", "audit", "audit_rows", "link", "text_similarity"]

# A task links to the items scoring at least MIN_SCORE and within RATIO of its best item (and of
# the item's own best task); an item also links to its own best task when that scores at least ITEM_MIN.
MIN_SCORE = 0.3
RATIO = 0.8
ITEM_MIN = 0.4
LEAD_BONUS = 0.2  # the item addresses an agency of the task's lead cell
COORD_BONUS = 0.05  # … of the task's coordinating cell
COLLECTIVE_BONUS = 0.1  # both address only classes of bodies
MISMATCH_PENALTY = 0.25  # both name agencies, and not the same ones
KIND_PENALTY = 0.1  # one names agencies, the other only classes of bodies

# Function words and words of every task ("thực hiện", "triển khai") carry no content.
_STOP = frozenset(
    "và các của với cho để trong theo những có được về trên tại đối là từ đến này một số nhằm như khi "
    "đã sẽ thì mà hoặc cũng đó nào việc phù hợp chủ trì phối hợp tham mưu thực hiện triển khai liên quan "
    "đơn vị sở ngành ban cơ quan".split()
)
# Collectives of the state apparatus: any appendix collective covers them.
_STATE_NOUNS = re.compile(
    r"\b(?:sở|ban|ngành|bộ|đơn vị|địa phương|cơ quan|quận|huyện|thị xã|thành phố|tỉnh|xã|phường|thị trấn|ubnd"
    r"|ủy ban nhân dân|uỷ ban nhân dân)\b"
)
_OTHER_NOUNS = re.compile(
    r"\b(?:đoàn thể|cấp ủy|cấp uỷ|tổ chức|doanh nghiệp|hội|hiệp hội|trường|viện|cơ sở|hợp tác xã|tập đoàn"
    r"|nhà đầu tư|lực lượng|chính quyền|mặt trận)\b"
)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", name_key(text))


def _features(text: str) -> Counter[str]:
    """Content syllables and adjacent content-syllable pairs of *text*."""
    words = _words(text)
    feats: Counter[str] = Counter(w for w in words if w not in _STOP)
    for a, b in itertools.pairwise(words):
        if a not in _STOP and b not in _STOP:
            feats[f"{a} {b}"] += 1
    return feats


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def text_similarity(a: str, b: str) -> float:
    """Cosine similarity of the content features of two texts (unweighted), 0…1."""
    fa, fb = _features(a), _features(b)
    return _cosine({k: float(v) for k, v in fa.items()}, {k: float(v) for k, v in fb.items()})


def _weighted(texts: Sequence[str]) -> list[dict[str, float]]:
    """TF-IDF vectors of *texts*, the idf taken over these texts (one document's body and appendix)."""
    feats = [_features(t) for t in texts]
    df: Counter[str] = Counter()
    for f in feats:
        df.update(f.keys())
    n = len(texts)
    return [{k: (1 + math.log(v)) * math.log(1 + n / df[k]) for k, v in f.items()} for f in feats]


def _ids(agencies: Iterable[Agency]) -> set[str]:
    return {a.id for a in agencies}


def _lead_cell(task: Task) -> tuple[Agency, ...]:
    return tuple(a.agency for a in task.assignments if a.role is not Role.COORDINATING)


def _agency_bonus(item: BodyAssignment, task: Task) -> float:
    """How far the agencies agree: a bonus when the body addresses the lead, a penalty when it names others."""
    mine = _ids(item.agencies)
    lead = _lead_cell(task)
    if mine & _ids(lead):
        return LEAD_BONUS
    if mine & _ids(task.coordinating):
        return COORD_BONUS
    named_item = [a for a in item.agencies if not a.is_collective]
    named_task = [a for a in lead if not a.is_collective]
    if named_item and named_task:
        return -MISMATCH_PENALTY
    if item.agencies and lead and not named_item and not named_task:
        return COLLECTIVE_BONUS
    if bool(named_item) != bool(named_task) and item.agencies and lead:
        return -KIND_PENALTY
    return 0.0


def link(items: Sequence[BodyAssignment], tasks: Sequence[Task]) -> list[Link]:
    """The body items each appendix task corresponds to, in task order, best first per task.

    A task links to every item whose score (text similarity plus agency
    agreement) is at least ``MIN_SCORE`` and within ``RATIO`` of its best
    item's and of that item's best task's; an item also links to its own best task when that scores at least
    ``ITEM_MIN`` (the appendix merged two body items into one row).  A body
    item may link to several tasks or none.
    """
    if not items or not tasks:
        return []
    vectors = _weighted([i.text for i in items] + [t.title for t in tasks])
    body_vecs, task_vecs = vectors[: len(items)], vectors[len(items) :]
    text = [[_cosine(bv, tv) for tv in task_vecs] for bv in body_vecs]
    score = [
        [text[n][k] + _agency_bonus(items[n], t) for k, t in enumerate(tasks)] for n in range(len(items))
    ]
    item_best = [max(row) for row in score]
    chosen: set[tuple[int, int]] = set()
    for k in range(len(tasks)):
        best = max(score[n][k] for n in range(len(items)))
        chosen.update(
            (n, k)
            for n in range(len(items))
            if score[n][k] >= max(MIN_SCORE, RATIO * best, RATIO * item_best[n])
        )
    for n in range(len(items)):
        k = max(range(len(tasks)), key=lambda k: score[n][k])
        if score[n][k] >= ITEM_MIN:
            chosen.add((n, k))
    ordered = sorted(chosen, key=lambda nk: (nk[1], -score[nk[0]][nk[1]]))
    return [Link(n, tasks[k].id, round(score[n][k], 3), round(text[n][k], 3)) for n, k in ordered]


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The body of one document, its links to the appendix, and the findings."""

    file: str
    document: str
    assignments: tuple[BodyAssignment, ...]
    links: tuple[Link, ...]
    findings: tuple[Finding, ...]
    date: date | None = None  # the document's own date: the day its names are read on (kg.graph.reorg)

    def appendix_of(self, index: int) -> list[str]:
        """The appendix task ids linked to body item *index*, in appendix order."""
        return [lk.task for lk in self.links if lk.body == index]

    def as_dict(self) -> dict[str, Any]:
        """The public JSON shape of ``kg audit --format json`` for one document."""
        return {
            "file": self.file,
            "document": self.document,
            "body_assignments": [a.as_dict(self.appendix_of(n)) for n, a in enumerate(self.assignments)],
            "findings": [f.as_dict() for f in self.findings],
        }


pickle_by_fields(AuditReport)  # sent back by the reader's workers (kg/pipeline.py)


def _names(agencies: Iterable[Agency]) -> str:
    return ", ".join(a.name for a in agencies)


def _where(items: Sequence[BodyAssignment]) -> tuple[str | None, tuple[int, ...]]:
    if not items:
        return None, ()
    lines = sorted({n for i in items for n in i.source.lines})
    return ", ".join(i.ref for i in items), tuple(lines)


def _states_deadline(task: Task, texts: Iterable[str]) -> bool:
    """Whether the body states the task's deadline: its wording, its recurrence or "năm YYYY" for a year."""
    d = task.deadline
    body = name_key(" ".join(texts))
    if not d.text.strip():
        return True
    wording = name_key(d.text)
    if re.search(r"[^\W\d_]", wording) and wording in body:  # a bare "2024" also matches "2024 - 2031"
        return True
    if d.recurrence is Recurrence.ANNUAL and re.search(r"\b(?:hàng|hằng) năm\b", body):
        return True
    if d.recurrence is Recurrence.CONTINUOUS and re.search(r"\bthường xuyên\b|\bliên tục\b", body):
        return True
    if d.end and d.end.month == 12 and d.end.day == 31 and (d.start is None or d.start.year == d.end.year):
        return bool(re.search(rf"\b(?:trong|trước|đến|hoàn thành(?: trong)?) năm {d.end.year}\b", body))
    return False


def _body_only_agencies(
    items: Sequence[BodyAssignment], tasks: Sequence[Task], issuer: str | None, file: str
) -> list[Finding]:
    named = {a.agency.id for t in tasks for a in t.assignments}
    nouns: set[str] = set()
    for t in tasks:
        for a in t.assignments:
            if a.agency.is_collective:
                key = name_key(a.agency.name)
                nouns.update(m.group(0) for m in _OTHER_NOUNS.finditer(key))
                nouns.update(m.group(0) for m in _STATE_NOUNS.finditer(key))
    has_collective = any(a.agency.is_collective for t in tasks for a in t.assignments)
    seen: dict[str, tuple[Agency, BodyAssignment]] = {}
    for item in items:
        for a in (*item.agencies, *item.coordinating, *item.reports_to):
            if a.id in named or a.id == issuer or a.id in seen:
                continue
            if a.is_collective:
                key = name_key(a.name)
                other = {m.group(0) for m in _OTHER_NOUNS.finditer(key)}
                if not other and _STATE_NOUNS.search(key) and has_collective:
                    continue  # "các cơ quan liên quan": the appendix's collectives stand for it
                if other and other & nouns:
                    continue
            seen[a.id] = (a, item)
    out = []
    for a, item in seen.values():
        role = "asked" if item.kind is BodyKind.REQUEST and a in item.agencies else "named"
        out.append(
            Finding(
                file,
                FindingKind.BODY_ONLY_AGENCY,
                None,
                item.ref,
                item.source.lines,
                f"{a.name} is {role} in the body ({item.ref}) but appears in no appendix task.",
            )
        )
    return out


def _task_findings(task: Task, linked: list[BodyAssignment], file: str) -> list[Finding]:
    out: list[Finding] = []
    section, lines = _where(linked)
    lead_cell = _lead_cell(task)

    def add(kind: FindingKind, message: str) -> None:
        out.append(Finding(file, kind, task.id, section, lines, message))

    if lead_cell and all(a.is_collective for a in lead_cell):
        add(
            FindingKind.COLLECTIVE_LEAD,
            f"Task {task.id} is led only by a class of bodies ({_names(lead_cell)}), so no single agency answers for it.",
        )
    if not linked:
        add(FindingKind.NO_BODY, f"Task {task.id} ({task.title[:80]}) has no counterpart in the body.")
        return out
    directed = {a.id for i in linked if i.kind is not BodyKind.REQUEST for a in i.agencies}
    requested = {a.id for i in linked if i.kind is BodyKind.REQUEST for a in i.agencies}
    coordinators = {a.id for i in linked for a in i.coordinating}
    addressed = any(i.agencies for i in linked)  # an item naming no one leaves the lead to the appendix
    for a in lead_cell:
        if a.is_collective or a.id in directed or not addressed:
            continue
        if a.id in requested:
            why = "only requests it (Đề nghị …)"
        elif a.id in coordinators:
            why = "names it only as a coordinator"
        else:
            why = "does not name it"
        add(
            FindingKind.LEAD_DIFFERS,
            f"The appendix puts {a.name} in the lead cell of {task.id}; the body ({section}) {why}.",
        )
    lead_ids = _ids(lead_cell)
    for i in linked:
        if i.kind in (BodyKind.ASSIGN, BodyKind.STANDING):
            for a in i.agencies:
                if not a.is_collective and a.id not in lead_ids and a.id not in _ids(task.coordinating):
                    add(
                        FindingKind.LEAD_DIFFERS,
                        f"The body ({i.ref}) gives this work to {a.name}; the appendix ({task.id}) does not name it.",
                    )
    appendix_named = {a.id: a for a in task.coordinating if not a.is_collective}
    body_named = {a.id: a for i in linked for a in i.coordinating if not a.is_collective}
    body_all = body_named.keys() | {a.id for i in linked for a in i.agencies}
    only_body = [a for k, a in body_named.items() if k not in appendix_named and k not in lead_ids]
    only_appendix = [a for k, a in appendix_named.items() if k not in body_all]
    if addressed and (only_body or only_appendix):
        parts = []
        if only_appendix:
            parts.append(
                f"the appendix names {_names(only_appendix)} as coordinator(s) and the body does not"
            )
        if only_body:
            parts.append(f"the body names {_names(only_body)} as coordinator(s) and the appendix does not")
        add(FindingKind.COORDINATORS_DIFFER, f"In {task.id}, " + "; ".join(parts) + ".")
    if not _states_deadline(task, (i.text for i in linked)):
        add(
            FindingKind.DEADLINE_NOT_IN_BODY,
            f"The deadline of {task.id} ({task.deadline.text}) appears only in the appendix; the body ({section}) states none.",
        )
    return out


def audit(reading: BodyReading, result: ExtractResult) -> AuditReport:
    """Link *reading* (a document's body) to the appendix tasks of *result* and list the findings.

    Findings come in appendix order, then body items without an appendix row,
    then agencies only the body names.
    """
    file = reading.file
    tasks = [t for t in result.tasks if t.document == reading.document] or list(result.tasks)
    items = list(reading.assignments)
    links = link(items, tasks)
    document: Document | None = next((d for d in result.documents if d.id == reading.document), None)
    issuer = document.issuer.id if document and document.issuer else None
    findings: list[Finding] = []
    for task in tasks:
        linked = [items[lk.body] for lk in links if lk.task == task.id]
        linked.sort(key=lambda i: i.source.lines)
        found = _task_findings(task, linked, file)
        # A body with no item read at all (cut from the copy, or a format the reader does not know) says
        # nothing about any task: only what the appendix shows on its own is a finding then.
        findings.extend(found if items else [f for f in found if f.kind is FindingKind.COLLECTIVE_LEAD])
    linked_items = {lk.body for lk in links}
    for n, item in enumerate(items):
        if n in linked_items:
            continue
        who = _names(item.agencies) or "no named body"
        findings.append(
            Finding(
                file,
                FindingKind.NO_APPENDIX,
                None,
                item.ref,
                item.source.lines,
                f"Body item {item.ref} ({item.kind.value}: {who}) has no appendix row.",
            )
        )
    findings.extend(_body_only_agencies(items, tasks, issuer, file))
    return AuditReport(
        file,
        reading.document,
        tuple(items),
        tuple(links),
        tuple(findings),
        document.date if document else None,
    )


def audit_rows(reports: Iterable[AuditReport]) -> list[dict[str, Any]]:
    """One flat row per finding, for table and CSV output."""
    return [
        {
            "file": f.file,
            "kind": f.kind.value,
            "appendix": f.appendix or "",
            "section": f.section or "",
            "lines": ",".join(map(str, f.lines[:1] + f.lines[-1:] if len(f.lines) > 1 else f.lines)),
            "message": f.message,
        }
        for r in reports
        for f in r.findings
    ]
