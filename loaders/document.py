"""Read a plan's own identity: type, number, place and date, issuer, title, signer,
the chain of documents it implements and the documents it cites.

What the copy leaves blank stays blank: "Số: /KH-UBND" has no number and
"ngày tháng năm 2024" no date, only a year.

Rules, for any plan:

* The issuer is the body named at the top left of the header, above the
  national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") and the rule under
  it ("ỦY BAN NHÂN DÂN / TỈNH ĐỒNG THÁP"); without such a header, the
  subject of the sentence "… ban hành Kế hoạch"; else the signature block
  ("TM. ỦY BAN NHÂN DÂN").
* A document issued by the Government, the Prime Minister or a ministry is
  national (jurisdiction ``None``); otherwise its jurisdiction is the
  province or city its issuer names ("UBND tỉnh Đồng Nai"), else the place
  of the place-and-date line ("Đồng Tháp, ngày 19 tháng 11 năm 2025").
* A line the copy wrapped ("Đồng Tháp," / "ngày 19 tháng 11 năm 2025") is
  read joined with the next; the title and the opening sentence are whole
  paragraphs (lines up to a blank line).

>>> refs = find_refs("Thực hiện Chương trình hành động số 30-CTr/TU ngày 08/3/2024 của Thành ủy về thực hiện Nghị quyết số 45-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng khóa XIII")
>>> [(r.type, r.number, r.date.isoformat(), r.issuer, r.term) for r in refs]
[('Chương trình hành động', '30-CTr/TU', '2024-03-08', 'Thành ủy', None), ('Nghị quyết', '45-NQ/TW', '2023-11-24', 'Ban Chấp hành Trung ương Đảng', 'khóa XIII')]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.gazetteer import Gazetteer
from kg.model import Agency, Document, DocumentRef
from kg.text import clean, name_key, slug, strip_markup

__all__ = ["DOC_TYPES", "RefMention", "find_refs", "read_document"]

# Document types and the codes their numbers carry ("30-CTr/TU", "123/KH-UBND").
DOC_TYPES = {
    "chương trình hành động": "CTr",
    "nghị quyết": "NQ",
    "kế hoạch": "KH",
    "quyết định": "QĐ",
    "chỉ thị": "CT",
    "kết luận": "KL",
    "nghị định": "NĐ",
    "thông tư": "TT",
    "công văn": "CV",
    "đề án": "ĐA",
    "chương trình": "CTr",
    "luật": "L",
}
_CODE_TYPE = {
    "ctr": "Chương trình hành động",
    "nq": "Nghị quyết",
    "kh": "Kế hoạch",
    "qđ": "Quyết định",
    "ct": "Chỉ thị",
    "kl": "Kết luận",
    "nđ": "Nghị định",
    "tt": "Thông tư",
}
_TYPE_ALT = "|".join(sorted((re.escape(t) for t in DOC_TYPES), key=len, reverse=True))
_REF = re.compile(
    rf"(?P<type>{_TYPE_ALT})\s+(?:số\s*)?(?P<number>\d+[\w.]*(?:[/-][\w.Đđ]+)+)"
    r"(?:\s*,?\s*ngày\s*(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4}))?"
    r"(?:\s*(?:của|do)\s+(?P<issuer>[^,;:(“\"”]+?))?"
    r"(?=\s+(?:về|thực hiện|triển khai|phê duyệt|ban hành|khóa|khoá|tại|trong|đối với|giai đoạn|quy định|hướng dẫn|và|nhằm)\b|[,;:(“\"”.]|$)"
    r"(?:\s+(?P<term>kh[óo]a\s+[IVXLC]+))?",
    re.IGNORECASE,
)
_STOP_ISSUER = re.compile(r"\s+(?:về|thực hiện|triển khai)\b.*$", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^\d,]{2,40}),\s*ngày\s*(?P<d>\d{0,2})\s*tháng\s*(?P<m>\d{0,2})\s*năm\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(?P<num>.*)$", re.IGNORECASE)
_IMPLEMENTS = re.compile(r"(?:^|\b)(?:về\s+)?(?:tổ chức\s+)?(?:triển khai\s+)?thực hiện\s*$", re.IGNORECASE)
_SIGN_BLOCK = re.compile(r"^(?:TM|KT|TL|TUQ|Q)\.\s", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RefMention:
    """A document reference as written, before its issuer is resolved."""

    type: str
    number: str
    date: date | None
    issuer: str | None
    term: str | None
    start: int
    end: int


def _plain(line: str) -> str:
    return strip_markup(re.sub(r"^\s*#+\s*", "", line))


def find_refs(text: str, gazetteer: Gazetteer | None = None) -> list[RefMention]:
    """Every "Type số N ngày D của Issuer" mention in *text*, in order.

    With a *gazetteer*, an issuer the pattern cut at "và" is extended to the
    whole name the gazetteer knows ("của Bộ Khoa học và Công nghệ về việc …").

    >>> from kg.gazetteer import Gazetteer
    >>> [r.issuer for r in find_refs("Quyết định số 912/QĐ-BKHCN ngày 18/5/2025 của Bộ Khoa học và Công nghệ về việc", Gazetteer.default())]
    ['Bộ Khoa học và Công nghệ']
    """
    out = []
    text = clean(text)
    for m in _REF.finditer(text):
        when = None
        if m.group("y") and m.group("d"):
            try:
                when = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                when = None
        issuer = m.group("issuer")
        if issuer:
            issuer = _STOP_ISSUER.sub("", issuer).strip() or None
        if issuer and gazetteer is not None:
            at = m.start("issuer")
            found = gazetteer.find(text[at : at + 160])
            if found and found[0].start == 0 and found[0].end > len(issuer):
                issuer = text[at : at + found[0].end]
        ref_type = m.group("type")
        ref_type = ref_type[0].upper() + ref_type[1:].lower()
        out.append(RefMention(ref_type, m.group("number"), when, issuer, m.group("term"), m.start(), m.end()))
    return out


def _year(number: str | None, when: date | None) -> str:
    if when:
        return str(when.year)
    m = re.search(r"(?:19|20)\d\d", number or "")
    return m.group(0) if m else ""


def read_document(
    lines: Sequence[str], *, file: str, gazetteer: Gazetteer, table_line: int | None = None
) -> tuple[Document, str | None]:
    """The document's identity and its jurisdiction (``None`` for a national document).

    *table_line* bounds the preamble and body that are searched (the appendix
    is not the document's own text).
    """
    end = table_line - 1 if table_line else len(lines)
    plain = [_plain(x) for x in lines[:end]]
    paragraphs = _paragraphs(lines[:end])
    number_text = place = date_text = None
    when: date | None = None
    year: int | None = None
    doc_type: str | None = None
    title: str | None = None
    for i, text in enumerate(plain[:60]):
        if number_text is None and (m := _NUMBER_LINE.match(text)):
            number_text = m.group("num").strip() or None
        elif place is None and (
            m := _PLACE_DATE.match(text)
            or (not _SEPARATOR.match(text) and _PLACE_DATE.match(_joined(plain, i)))
        ):
            text = m.string
            place = clean(m.group("place"))
            date_text = clean(text[text.lower().index("ngày") :])
            year = int(m.group("y"))
            if m.group("d") and m.group("m"):
                try:
                    when = date(year, int(m.group("m")), int(m.group("d")))
                except ValueError:
                    when = None
        elif doc_type is None and name_key(text) in DOC_TYPES:
            doc_type = text[0].upper() + text[1:].lower()
            title = _paragraph_after(plain, i)
    number = number_text if number_text and re.match(r"^\d", number_text) else None
    if doc_type is None and number_text:
        code = re.search(r"/([A-Za-zĐđ]+)", number_text)
        doc_type = _CODE_TYPE.get(name_key(code.group(1)), None) if code else None
    doc_type = doc_type or "Văn bản"

    issuer_name = _header_issuer(plain, gazetteer) or _issuer_text(plain, number_text, gazetteer)
    issuer_entry = gazetteer.lookup(issuer_name) if issuer_name else None
    national = issuer_entry is not None and issuer_entry.kind in {"government", "ministry"}
    jurisdiction = None if national else (_province(issuer_name, place) or place)
    issuer: Agency | None = None
    if issuer_name:
        found, _ = _resolve(issuer_name, gazetteer, jurisdiction)
        issuer = found

    refs, implements = _references(title, paragraphs, gazetteer, jurisdiction)
    by_id: dict[str, DocumentRef] = {}
    for ref in refs:
        by_id.setdefault(ref.id, ref)
    chain = _link_chain(implements, by_id)
    signer, signer_title = _signer(plain)
    issuer_id = issuer.id if issuer else slug(place or "vn")
    if number:
        doc_id = f"{issuer_id}/{slug(number)}-{_year(number, when)}".rstrip("-")
    else:
        doc_id = f"{issuer_id}/{slug(doc_type)}-{year or ''}-{slug(Path(file).stem)}".replace("--", "-")
    cites = tuple(r.id for r in chain.values() if r.id not in implements)
    document = Document(
        id=doc_id,
        file=file,
        type=doc_type,
        number=number,
        number_text=number_text,
        date=when,
        date_text=date_text,
        year=year,
        place=place,
        issuer=issuer,
        title=title,
        signer=signer,
        signer_title=signer_title,
        implements=tuple(implements[:1]),
        references=tuple(chain.values()),
        cites=cites,
    )
    return document, jurisdiction


def _resolve(name: str, gazetteer: Gazetteer, jurisdiction: str | None) -> tuple[Agency, bool]:
    from loaders.agencies import resolve_name

    agencies, known = resolve_name(name, gazetteer, jurisdiction)
    return agencies[0], known


_SEPARATOR = re.compile(r"^[\s\-_=–—.*]+$")
_MOTTO = re.compile(r"c[ộo]ng h[òo]a x[ãa] h[ộo]i", re.IGNORECASE)


def _joined(plain: Sequence[str], i: int) -> str:
    """Line *i* joined with the next non-blank line (a field the copy wrapped)."""
    nxt = next((t for t in plain[i + 1 : i + 3] if t.strip()), "")
    return clean(f"{plain[i]} {nxt}")


def _paragraphs(lines: Sequence[str]) -> list[str]:
    """The text's paragraphs: runs of lines up to a blank line, a rule, a heading or a table row."""
    out: list[str] = []
    run: list[str] = []
    for line in lines:
        stripped = line.strip()
        breaks = not stripped or _SEPARATOR.match(stripped) or stripped.startswith(("#", "|"))
        if breaks and run:
            out.append(clean(" ".join(run)))
            run = []
        if stripped.startswith("#") or (stripped.startswith("|") and stripped.endswith("|")):
            out.append(_plain(stripped))
        elif not breaks:
            run.append(_plain(stripped))
    if run:
        out.append(clean(" ".join(run)))
    return out


def _paragraph_after(plain: Sequence[str], i: int) -> str | None:
    """The paragraph that starts at the first non-blank line after line *i* (a title)."""
    run: list[str] = []
    for t in plain[i + 1 : i + 8]:
        if not t.strip():
            if run:
                break
            continue
        if _SEPARATOR.match(t):
            break
        run.append(t)
    return clean(" ".join(run)) or None


def _header_issuer(plain: Sequence[str], gazetteer: Gazetteer) -> str | None:
    """The body named at the top left of the header, above the motto and its rule.

    >>> from kg.gazetteer import Gazetteer
    >>> _header_issuer(["ỦY BAN NHÂN", "DÂN", "TỈNH ĐỒNG THÁP", "--------", "CỘNG HÒA XÃ"], Gazetteer.default())
    'ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP'
    """
    run: list[str] = []
    for text in plain[:12]:
        t = text.strip()
        if not t:
            if run:
                break
            continue
        if _SEPARATOR.match(t) or _NUMBER_LINE.match(t):
            break
        motto = _MOTTO.search(t)
        if motto:
            if t[: motto.start()].strip():
                run.append(t[: motto.start()])
            break
        run.append(t)
    name = clean(" ".join(run))
    return name if name and gazetteer.lookup(name) is not None else None


def _province(issuer: str | None, place: str | None) -> str | None:
    """The province or city an issuer's name ends with ("UBND tỉnh Đồng Nai" → "Đồng Nai").

    The place line's spelling is kept when it names the same place.

    >>> _province("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", None)
    'Đồng Tháp'
    >>> _province("Tỉnh ủy Đồng Tháp", None) is None
    True
    """
    if not issuer:
        return None
    # "Tỉnh ủy X" is the Party Committee of X: "tỉnh" there is not followed by the place.
    m = re.search(
        r"\b(?:tỉnh|thành phố|tp\.?)\s+(?!(?:ủy|uỷ)\b)(?P<p>\w+(?:\s+\w+){0,3})$",
        clean(issuer),
        re.IGNORECASE,
    )
    if not m:
        return None
    found = m.group("p")
    if place and name_key(place) == name_key(found):
        return place
    return " ".join(w[:1].upper() + w[1:].lower() for w in found.split())


def _issuer_text(plain: Sequence[str], number_text: str | None, gazetteer: Gazetteer) -> str | None:
    """Who issues the document: "…, Ủy ban nhân dân thành phố Hà Nội ban hành …".

    The subject must be a body the gazetteer knows (so "… của Chính phủ về ban
    hành Chương trình" is not read as an issuer).
    """
    for text in plain[:80]:
        m = re.search(r"(?:^|,\s*)([^,.;]{3,80}?)\s+ban hành\b", text)
        if m and not re.search(r"\b(?:đã|được|sẽ)\s*$", m.group(1)) and gazetteer.find(m.group(1)):
            return clean(m.group(1))
    for text in plain:
        if _SIGN_BLOCK.match(text):
            org = re.sub(r"^(?:TM|KT|TL|TUQ|Q)\.\s*", "", text.split("  ")[0]).strip()
            return clean(org.split("\n")[0]) or None
    return None


def _issuer_of(text: str, gazetteer: Gazetteer, jurisdiction: str | None) -> Agency:
    """The issuer a "của …" phrase names: the gazetteer name it starts with, else the phrase."""
    matches = gazetteer.find(text)
    if matches and matches[0].start == 0:
        return gazetteer.resolve(matches[0].entry, jurisdiction)
    return _resolve(text, gazetteer, jurisdiction)[0]


def _ref_records(
    mentions: list[RefMention], gazetteer: Gazetteer, jurisdiction: str | None
) -> list[DocumentRef]:
    """One record per mention; mentions of one document (same number and issuer) share an id.

    A mention without a date or issuer takes them from another mention of the
    same number, so "Chương trình hành động số 30-CTr/TU của Thành ủy" and the
    dated mention are one document.
    """
    issuers = [_issuer_of(m.issuer, gazetteer, jurisdiction) if m.issuer else None for m in mentions]
    known: dict[str, tuple[date | None, Agency | None, str | None]] = {}
    for m, issuer in zip(mentions, issuers, strict=True):
        k = name_key(m.number)
        d, i, t = known.get(k, (None, None, None))
        known[k] = (d or m.date, i or issuer, t or m.term)
    out = []
    for m, issuer in zip(mentions, issuers, strict=True):
        d, i, t = known[name_key(m.number)]
        issuer = issuer or i
        same = issuer is None or i is None or issuer.id == i.id
        when = m.date or (d if same else None)
        owner = issuer.id if issuer else slug(jurisdiction or "vn")
        rid = f"{owner}/{slug(m.number)}-{_year(m.number, when)}".rstrip("-")
        out.append(DocumentRef(rid, m.type, m.number, when, issuer, None, m.term or (t if same else None)))
    return out


def _references(
    title: str | None, plain: Sequence[str], gazetteer: Gazetteer, jurisdiction: str | None
) -> tuple[list[DocumentRef], list[str]]:
    """Every document the text mentions, and the chain its opening sentence states.

    The chain is read from the first sentence that starts "Thực hiện …" (the
    title, else the preamble): "Thực hiện A … về thực hiện B …" means the plan
    implements A and A implements B.
    """
    texts = [clean(t) for t in ([title] if title else []) + list(plain) if t and t.strip()]
    opening = next((i for i, t in enumerate(texts[:40]) if re.match(r"^(?:Thực hiện|Triển khai)", t)), None)
    mentions: list[RefMention] = []
    chain_at: list[int] = []
    for i, text in enumerate(texts):
        found = find_refs(text, gazetteer)
        if i == opening:
            cursor = 0
            for n, r in enumerate(found):
                if cursor and not _IMPLEMENTS.search(text[cursor : r.start].strip()):
                    break
                chain_at.append(len(mentions) + n)
                cursor = r.end
        mentions.extend(found)
    records = _ref_records(mentions, gazetteer, jurisdiction)
    return records, [records[i].id for i in chain_at]


def _link_chain(chain: list[str], by_id: dict[str, DocumentRef]) -> dict[str, DocumentRef]:
    out = dict(by_id)
    for child, parent in itertools.pairwise(chain):
        ref = out[child]
        if parent not in ref.implements:
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


def _signer(plain: Sequence[str]) -> tuple[str | None, str | None]:
    for i, text in enumerate(plain):
        if _SIGN_BLOCK.match(text):
            titles = []
            for t in plain[i:]:
                t = t.strip()
                if not t or re.fullmatch(r"[\[(].*[\])]", t):  # "[đã ký]", "(Đã ký)"
                    continue
                if t.upper() == t:
                    titles.extend(x.strip() for x in re.split(r"\s{2,}|(?=KT\.)|(?=TL\.)", t) if x.strip())
                    continue
                return clean(t), (titles[-1] if titles else None)
    return None, None
