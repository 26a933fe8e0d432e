"""Who a sentence of a plan names: the bodies that open it as its subject ("Sở Khoa học và
Công nghệ theo dõi, đôn đốc …", "Giao Công an tỉnh chủ trì …") and the partners after
"phối hợp (với)", for the readers of :mod:`loaders.prose`.

>>> from kg.model.gazetteer import Gazetteer
>>> from loaders.prose_records import _Ctx
>>> ctx = _Ctx("x.txt", "d", "Hà Nội", Gazetteer.default(), None)
>>> phrase, found = _subject("Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát", ctx)
>>> phrase, [a.name for a in found]
('Sở Tài chính', ['Sở Tài chính'])
>>> [a.agency.name for a in _partners("Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát", ctx, exclude=[])[0]]
['Sở Nội vụ']
"""

from __future__ import annotations

import re

from kg.model import Agency, Assignment, Role
from kg.model.text import clean, name_key
from loaders.body import _VERB, _VERB_FIRST, _has_verb, addressees
from loaders.prose_records import _cell, _Ctx

_REQUEST = re.compile(r"^(?:kính\s+)?(?:đề nghị|khuyến khích|mời)\s+", re.IGNORECASE)
_GIVE = re.compile(r"^(?:(?:đồng thời|ngoài ra|bên cạnh đó)\s*,\s*)?(?:giao(?:\s+cho)?\s+)?", re.IGNORECASE)
_COORD = re.compile(r"\bphối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng))?\s+")
# A singular generic head followed by lower-case words names no body ("Cơ quan thường trực …").
_WEAK_SINGULAR = re.compile(
    r"^(?:[Tt]ổ chức|[Cc]ơ quan|[Đđ]ơn vị|[Đđ]ịa phương|[Dd]oanh nghiệp|[Ll]ực lượng|[Cc]ơ sở|[Cc]ấp)\s+[a-zà-ỹđ]"
)


def _names_body(text: str, ctx: _Ctx) -> bool:
    """Whether a heading is a list of bodies: no verb, and it opens with a known name or a body's head word."""
    from loaders.agency_words import HEAD_WORDS

    if _has_verb(text, ctx.gazetteer) or text.upper() == text:
        return False
    if _VERB_FIRST.match(name_key(text)) or _WEAK_SINGULAR.match(text):
        return False  # "Tổ chức tổng rà soát …", "Cơ quan thường trực …": a verb or a role, not a body
    found = ctx.gazetteer.find(text)
    if found and found[0].start == 0:
        return True
    key = name_key(text)
    key = re.sub(r"^(?:các|những)\s+", "", key)
    heads = sorted({name_key(h) for h in HEAD_WORDS}, key=len, reverse=True)
    return any(key == h or key.startswith((h + " ", h + ",")) for h in heads) and len(text.split()) <= 25


def _vague(agency: Agency) -> bool:
    """A class of units named only by their relation to the task ("… liên quan", "… chức năng")."""
    key = name_key(agency.name)
    return agency.is_collective and bool(
        re.search(r"\b(?:liên quan|chức năng|chuyên môn)\b|^các lực lượng$", key)
    )


def _partners(text: str, ctx: _Ctx, *, exclude: list[Assignment]) -> tuple[list[Assignment], list[str]]:
    """The bodies named after "phối hợp (với)" in *text*."""
    text = clean(text)
    key = name_key(text)
    skip = {a.agency.id for a in exclude}
    out: list[Assignment] = []
    texts: list[str] = []
    for m in _COORD.finditer(key):
        if re.search(r"\btham mưu(?:\s+cho)?(?:\s+[^\s,;.]+){1,8}\s*$", key[: m.start()]):
            continue  # "tham mưu UBND tỉnh phối hợp Bộ Y tế …": the body advised coordinates, not this one
        subject = _subject(text[m.end() :], ctx)
        if not subject:
            continue
        phrase, found = subject
        for a in found:
            if re.fullmatch(r"các lực lượng", name_key(a.name)):
                continue  # "các lực lượng": forces, no body named ("các đơn vị", "các cơ quan" are a class of bodies)
            if a.id not in skip:
                skip.add(a.id)
                out.append(Assignment(a, Role.COORDINATING, phrase))
        texts.append(phrase)
    return out, texts


def _subject(text: str, ctx: _Ctx) -> tuple[str, tuple[Agency, ...]] | None:
    """The bodies *text* opens with, and the words that name them.

    The list ends at the first verb or stop outside a name ("Sở Tài chính và các đơn vị có liên
    quan tham mưu …"), and at "tại …" (a place, not a body: "các đơn vị có liên quan tại khu vực
    biên giới").
    """
    text = clean(text).lstrip(" ,:")
    if _VERB.match(name_key(text)):
        return (
            None  # "Phát triển các doanh nghiệp số …": a sentence that opens with its verb names no subject
        )
    phrase = text[: _subject_end(text, ctx)].strip(" ,;:")
    if not phrase:
        return None
    found = addressees(phrase, ctx.gazetteer, ctx.jurisdiction, whole=True) or addressees(
        text, ctx.gazetteer, ctx.jurisdiction
    )
    if not found and _names_body(phrase, ctx):
        # A name the gazetteer does not know, misspelt or new ("Sở Sây dựng"): read as a cell.
        found = tuple(a.agency for a in _cell(phrase, Role.LEAD, ctx))
    if not found:
        return None
    rest = text[len(phrase) :]
    gap = len(rest) - len(rest.lstrip())
    by_role = re.match(r"được\s+(?:giao|phân công)\s+chủ trì\b", name_key(rest))
    if by_role and all(a.is_collective for a in found):
        # "các Sở, ban, ngành được giao chủ trì": one class, the bodies the plan makes lead.
        phrase = clean(text[: len(phrase) + gap + by_role.end()])
        found = (ctx.gazetteer.unrecognised(phrase, ctx.jurisdiction, kind="collective"),)
    return phrase, found


# Words after a list of bodies that begin what they are asked to do, beyond the verbs loaders.body knows.
_MORE_VERBS = re.compile(
    r"\s(?:thường xuyên|kịp thời|tiến hành|xác định|điều tra|nhắc nhở|sử dụng|trao đổi|đẩy nhanh|cùng|trong|tại|ở)\s"
)
_LIST_NOUN = re.compile(r"(?:^|,\s*)(?:tổ chức|đơn vị|cơ quan|địa phương|doanh nghiệp)$")


# A text that opens with a list of kinds of body ("Doanh nghiệp, tổ chức, cơ sở giáo dục …").
_KINDS_FIRST = re.compile(r"^(?:doanh nghiệp|cơ quan|đơn vị|địa phương|tổ chức|cơ sở),\s")


def _subject_end(text: str, ctx: _Ctx) -> int:
    """Where the list of bodies opening *text* ends (:func:`loaders.body._subject_end`, and a verb
    that is a noun of the list — "các cơ quan, tổ chức có liên quan" — does not end it)."""
    spans = [(m.start, m.end) for m in ctx.gazetteer.find(text)]
    inside = lambda i: any(a <= i < b for a, b in spans)  # noqa: E731
    stops = [m.start() for m in re.finditer(r"[.;:()]", text) if not inside(m.start())]
    key = name_key(text)
    for m in _VERB.finditer(text):
        before = key[: m.start()].rstrip()
        if inside(m.start()) or re.search(r"(?:các|những)$", before):
            continue
        if (
            before.endswith(",")
            and _LIST_NOUN.search(key[: m.end()])
            and (re.search(r"\b(?:các|những)\b", before) or _KINDS_FIRST.match(key))
        ):
            continue  # "các cơ quan, tổ chức": "tổ chức" is a noun of the list
        stops.append(m.start())
        break
    more = _MORE_VERBS.search(key)
    if more and not inside(more.start()):
        stops.append(more.start())
    for m in ctx.gazetteer.find(text):
        # After a name the gazetteer knows, a lower-case word that does not go on with the list
        # begins what the body does ("Bộ Chỉ huy Quân sự tỉnh tuần tra …").
        after = text[m.end :]
        if m.entry.kind == "collective" and re.match(r" [a-z]+(?=[\s,.;]|$)", after):
            continue  # "các doanh nghiệp logistics": a foreign word qualifies the class (no verb is one)
        if re.match(r" [a-zà-ỹđ]", after) and not _GOES_ON.match(" " + name_key(after)):
            stops.append(m.end)
            break
    return min(stops, default=len(text))


_GOES_ON = re.compile(
    r" (?:và|hoặc|tỉnh|thành phố|trực thuộc|thuộc|(?:có )?liên quan|cấp|các|khu vực|trên|nhân dân|huyện|xã|phường"
    r"|quận|đặc khu|thị xã|tự chủ|công lập|ngoài công lập)\b"
)
