"""The chain of documents a plan carries out, and the documents it cites.

What the plan says it carries out ("thực hiện", "triển khai", "thi hành") in its title, in
the sentence that issues it ("Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện …") or in its
opening sentence is implemented; each link of "Thực hiện A … về thực hiện B" is a step up.  A
document the plan only rests on ("Căn cứ …") is cited, not implemented.

>>> _issuing("Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện Nghị quyết số 45-NQ/TW") is not None
True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date

from kg.model import Agency, DocumentRef
from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key, slug
from loaders.document_header import _resolve
from loaders.document_refs import RefMention, _upper, _year, find_refs

_IMPLEMENTS = re.compile(
    r"(?:^|\b)(?:triển khai\s*,?\s*)?(?:thực hiện|thi hành|triển khai)\s*(?:các\s+)?$", re.IGNORECASE
)
_VERB_BEFORE = re.compile(r"(?:triển khai|thực hiện|thi hành)\s*(?:các\s+)?$", re.IGNORECASE)
# An opening sentence is running text: a title in capitals ("TRIỂN KHAI …") is not one.
_OPENING = re.compile(r"^(?:Thực hiện|Triển khai)\b")


def _issuer_of(text: str, gazetteer: Gazetteer, jurisdiction: str | None) -> Agency:
    """The issuer a "của …" phrase names: the gazetteer name it starts with, else the phrase."""
    matches = gazetteer.find(text)
    if matches and matches[0].start == 0:
        return gazetteer.resolve(matches[0].entry, jurisdiction)
    return _resolve(text, gazetteer, jurisdiction)


def _mention_key(m: RefMention) -> str:
    return name_key(m.number or m.name or "")


def _ref_records(
    mentions: list[RefMention], gazetteer: Gazetteer, jurisdiction: str | None
) -> list[DocumentRef]:
    """One record per mention; mentions of one document (same number and issuer) share an id.

    A mention without a date or issuer takes them from another mention of the
    same number, so "Chương trình hành động số 30-CTr/TU của Thành ủy" and the
    dated mention are one document. A law cited by name is keyed by its name,
    spelled as running text spells it rather than as a title in capitals.
    """
    issuers = [_issuer_of(m.issuer, gazetteer, jurisdiction) if m.issuer else None for m in mentions]
    known: dict[str, tuple[date | None, Agency | None, str | None]] = {}
    names: dict[str, str] = {}
    for m, issuer in zip(mentions, issuers, strict=True):
        k = _mention_key(m)
        d, i, t = known.get(k, (None, None, None))
        known[k] = (d or m.date, i or issuer, t or m.term)
        if m.name and (k not in names or _upper(names[k].split(" ", 1)[-1])):
            names[k] = m.name
    out = []
    for m, issuer in zip(mentions, issuers, strict=True):
        k = _mention_key(m)
        d, i, t = known[k]
        issuer = issuer or i
        same = issuer is None or i is None or issuer.id == i.id
        when = m.date or (d if same else None)
        owner = issuer.id if issuer else slug(jurisdiction or "vn")
        rid = f"{owner}/{slug(m.number or names[k])}-{_year(m.number, when)}".rstrip("-")
        title = names.get(k)
        out.append(DocumentRef(rid, m.type, m.number, when, issuer, title, m.term or (t if same else None)))
    return out


def _chain_at(text: str, found: list[RefMention], *, opening: bool) -> list[int]:
    """Which of *found* (the mentions of *text*) form the chain *text* states.

    In an opening sentence ("Thực hiện A …") the first mention starts it; in a
    title it starts at the first mention right after "thực hiện", "triển khai"
    or "thi hành". "… về thực hiện B" goes one step up.
    """
    out: list[int] = []
    cursor = None
    for n, r in enumerate(found):
        if cursor is None:
            if opening or _VERB_BEFORE.search(text[: r.start]):
                out.append(n)
                cursor = r.end
            continue
        if not _IMPLEMENTS.search(text[cursor : r.start].strip()):
            break
        out.append(n)
        cursor = r.end
    return out


# What stands between two documents an opening sentence lists: "A …; B …", "A …, B … và C …".
_LIST_SEPARATOR = re.compile(r"(?:[;,]|\bvà)\s*$")


def _opening_items(text: str, found: list[RefMention]) -> list[list[int]]:
    """The documents an opening sentence says the plan carries out, as chains upwards.

    "Thực hiện A …; B … về thực hiện C và D …; E …, UBND tỉnh ban hành Kế hoạch":
    the plan carries out A, B and E; C and D are what B carries out. A document
    after a list separator (";", ",", "và") is a new item, unless it follows,
    within one description, a document that a listed one carries out (then it
    is carried out by the same one: D beside C); a ";" or the ")" that closes a
    short name such as "(Nghị quyết số 50/NQ-CP)" ends that description.  What
    follows the plan's own issuing clause ("… ban hành Kế hoạch …") is the
    plan's title, not the list.  Each chain starts with a listed document; a
    document with two parents gives two chains.

    >>> text = "Thực hiện Nghị quyết số 1/NQ-CP ngày 1/2/2025 của Chính phủ về ban hành Kế hoạch triển khai Nghị quyết số 2/2024/QH15 ngày 2/3/2024 của Quốc hội (Nghị quyết số 1/NQ-CP) và Quyết định số 3/QĐ-BCA ngày 3/4/2025 của Bộ Công an; UBND tỉnh ban hành Kế hoạch"
    >>> found = find_refs(text)
    >>> [[found[i].number for i in chain] for chain in _opening_items(text, found)]
    [['1/NQ-CP', '2/2024/QH15'], ['3/QĐ-BCA']]
    """
    at = _issuing(text)
    end = at[0] if at else len(text)
    chains: list[list[int]] = []
    nested = False  # the last document seen belongs to a listed one's description
    cursor = 0
    for n, r in enumerate(found):
        if r.start >= end:
            break
        before = text[cursor : r.start]
        separated = bool(_LIST_SEPARATOR.search(before.rstrip()))
        if not chains:
            chains.append([n])
        elif _IMPLEMENTS.search(before.strip()):
            chains[-1].append(n)
            nested = True
        elif separated and (not nested or ";" in before or ")" in before):
            chains.append([n])
            nested = False
        elif separated:
            chains.append([*chains[-1][:-1], n])  # beside the one before it: same parent
        cursor = r.end
    return chains


def _references(
    title: str | None, plain: Sequence[str], gazetteer: Gazetteer, jurisdiction: str | None
) -> tuple[list[DocumentRef], list[list[str]]]:
    """Every document the text mentions, and the chains the plan states (one per document it carries out).

    The chain is read from the title ("… thực hiện Nghị quyết số 57-NQ/TW …"),
    from the sentence that issues the plan ("Ủy ban nhân dân tỉnh ban hành Kế
    hoạch triển khai thực hiện Quyết định số …") and from the opening sentence,
    the first that starts "Thực hiện …" or "Triển khai …", which may list
    several documents (:func:`_opening_items`): "Thực hiện A … về thực hiện B …"
    means the plan implements A and A implements B. The title's chain (else the
    issuing sentence's) is taken, unless the opening lists the document it
    starts with: then the opening's chains, which say how the plan reaches it
    and what else it carries out (the title's document may be one the opening's
    items carry out: "Thực hiện Quyết định A … triển khai Luật B").
    """
    texts = [clean(t) for t in ([title] if title else []) + list(plain) if t and t.strip()]
    first = 1 if title else 0
    opening = next((i for i, t in enumerate(texts[first:40], start=first) if _OPENING.match(t)), None)
    mentions: list[RefMention] = []
    chains: dict[str, list[int]] = {}
    items: list[list[int]] = []
    for i, text in enumerate(texts):
        found = find_refs(text, gazetteer)
        if title and i == 0:
            chains["title"] = [len(mentions) + n for n in _chain_at(text, found, opening=False)]
        if i == opening:
            items = [[len(mentions) + n for n in item] for item in _opening_items(text, found)]
        if first <= i < 40 and "issuing" not in chains and (at := _issuing(text)):
            inside = [n for n, r in enumerate(found) if at[0] <= r.start < at[1]]
            picked = _chain_at(text, [found[n] for n in inside], opening=False)
            if picked:
                chains["issuing"] = [len(mentions) + inside[n] for n in picked]
        mentions.extend(found)
    records = _ref_records(mentions, gazetteer, jurisdiction)
    ids = {k: [records[i].id for i in v] for k, v in chains.items()}
    listed = [[records[i].id for i in item] for item in items]
    stated = ids.get("title") or ids.get("issuing") or []
    if stated and stated[0] not in {x for item in listed for x in item}:
        return records, [stated]
    return records, listed or ([stated] if stated else [])


# "…, Ủy ban nhân dân tỉnh ban hành Kế hoạch …": the plan's own issuing sentence. Its subject
# holds no "của"/"về" (so "Quyết định số … của Thủ tướng Chính phủ ban hành Kế hoạch …", a
# cited document's content, is not it).
_ISSUING = re.compile(r"(?:^|[,;.:]\s+)(?P<subject>[^,;.:]{2,80}?)\s+ban hành\s+(?P<rest>[^.:;]*)")


def _issuing(text: str) -> tuple[int, int] | None:
    """Where, in *text*, the sentence issuing the plan names what it carries out.

    >>> text = "Thực hiện Quyết định số 1/QĐ-TTg của Thủ tướng Chính phủ ban hành Kế hoạch. UBND tỉnh ban hành Kế hoạch thực hiện Luật Đất đai."
    >>> text[slice(*_issuing(text))]
    'Kế hoạch thực hiện Luật Đất đai'
    """
    for m in _ISSUING.finditer(text):
        if not re.search(r"\b(?:của|về|việc|do|tại)\b", m.group("subject"), re.IGNORECASE):
            return m.start("rest"), m.end("rest")
    return None


def _link_chain(chain: list[str], by_id: dict[str, DocumentRef]) -> dict[str, DocumentRef]:
    out = dict(by_id)
    for child, parent in itertools.pairwise(chain):
        ref = out[child]
        if parent not in ref.implements and parent != child:
            out[child] = DocumentRef(
                ref.id,
                ref.type,
                ref.number,
                ref.date,
                ref.issuer,
                ref.title,
                ref.term,
                (*ref.implements, parent),
            )
    return out
