"""Read a plan's own identity: type, number, place and date, issuer, title, signer,
the chain of documents it implements and the documents it cites.

What the copy leaves blank stays blank: "Số: /KH-UBND" has no number and
"ngày tháng năm 2024" no date, only a year.

Rules, for any plan:

* The header is read as printed, whatever the copy did to its two columns:
  lines wrapped anywhere ("ỦY BAN NHÂN" / "DÂN" / "TỈNH ĐỒNG THÁP"), the
  columns one after the other, interleaved line by line, side by side on one
  line, or as a Markdown table row. The national motto ("CỘNG HÒA XÃ HỘI CHỦ
  NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc", or the Party's "ĐẢNG CỘNG
  SẢN VIỆT NAM") is the right column wherever its words fall; what is left
  above "Số:" and the place-and-date line is the left column. A web copy that prints the
  header table cell by cell, a "|" after each, is read cell by cell; a site's catalogue card
  above the document is not part of it.
* The issuer is that left column. When it names a parent body and then a
  body of it ("ỦY BAN NHÂN DÂN TỈNH X" / "SỞ TÀI CHÍNH"), the issuer is the
  last body and its place is the parent's. Without such a header, the issuer
  is the subject of the sentence "… ban hành Kế hoạch", else the body of the
  signature block ("TM. ỦY BAN NHÂN DÂN"; never a title such as "KT. CHỦ TỊCH").
* The number is what follows "Số:", on that line or the next; only a number
  shape ("179/KH-UBND") is a number. Codes printed in capitals get their usual
  case back ("QĐ-TTG" → "QĐ-TTg").
* The type is the title line ("KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG", …), else
  the code of the number, else "Công văn" for a letter ("V/v …"); the title
  is the paragraph under it, up to the preamble or the enacting authority printed over it
  ("THỦ TƯỚNG CHÍNH PHỦ", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …").
* A document issued by the Government, the Prime Minister or a ministry is
  national (jurisdiction ``None``); otherwise its jurisdiction is the
  province or city its issuer names ("UBND tỉnh Đồng Nai"), else the place
  of the place-and-date line ("Đồng Tháp, ngày 19 tháng 11 năm 2025").
* The chain is what the plan says it carries out ("thực hiện", "triển khai",
  "thi hành"), in the title, the sentence that issues it ("Ủy ban nhân dân
  tỉnh ban hành Kế hoạch thực hiện …") or the opening sentence, in any case: "THỰC HIỆN
  QUYẾT ĐỊNH SỐ 1899/QĐ-TTG", "triển khai thi hành Luật Việc làm". Each link
  of "Thực hiện A … về thực hiện B" is a step up. A document the plan only
  rests on ("Căn cứ …") is cited, not implemented.

>>> from loaders.document_refs import find_refs
>>> refs = find_refs("Thực hiện Chương trình hành động số 30-CTr/TU ngày 08/3/2024 của Thành ủy về thực hiện Nghị quyết số 45-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng khóa XIII")
>>> [(r.type, r.number, r.date.isoformat(), r.issuer, r.term) for r in refs]
[('Chương trình hành động', '30-CTr/TU', '2024-03-08', 'Thành ủy', None), ('Nghị quyết', '45-NQ/TW', '2023-11-24', 'Ban Chấp hành Trung ương Đảng', 'khóa XIII')]

The parts: :mod:`loaders.document_header` (the header block and the issuer),
:mod:`loaders.document_refs` (mentions of documents) and :mod:`loaders.document_chain` (what
the plan carries out, what it cites); this module puts the document together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from kg.model import Document, DocumentRef
from kg.model.gazetteer import Gazetteer
from kg.model.places import canonical_place, only_place
from kg.model.text import clean, name_key, slug
from loaders.document_chain import _link_chain, _references
from loaders.document_header import (
    _SEPARATOR,
    _is_org,
    _issuer_text,
    _known,
    _plain,
    _province,
    _resolve,
    _signer,
    _split_issuer,
    read_header,
)
from loaders.document_refs import _CODE_TYPE, _NUM_SPACED, _when, _year, fix_number

__all__ = ["read_document"]


def read_document(
    lines: Sequence[str], *, file: str, gazetteer: Gazetteer, table_line: int | None = None
) -> tuple[Document, str | None]:
    """The document's identity and its jurisdiction (``None`` for a national document).

    *table_line* bounds the preamble and body that are searched (the appendix
    is not the document's own text); a table inside the header block does not.
    """
    lines = tuple(lines)
    head = read_header(lines)
    end = table_line - 1 if table_line and table_line - 1 > head.end else len(lines)
    return _read_document(lines, file, gazetteer, end)


# The plan reader and the body audit (kg/pipeline.py) read the same document one after the other,
# most often to the same end; the answer depends on these only, and its records are frozen.
@lru_cache(maxsize=2)
def _read_document(
    lines: tuple[str, ...], file: str, gazetteer: Gazetteer, end: int
) -> tuple[Document, str | None]:
    head = read_header(lines)
    plain = [_plain(x) for x in lines[:end]]
    paragraphs = _paragraphs(lines[head.end : end])
    number_text = head.number_text
    # Only a number's shape is the number: "Số 5 đơn vị …" in a letter's text is not one.
    shaped = re.match(rf"^{_NUM_SPACED}", number_text or "")
    number = fix_number(shaped.group(0)) if shaped else None
    when = _when(str(head.year) if head.year else None, str(head.month or ""), str(head.day or ""))
    doc_type = head.type
    if doc_type is None and number_text:
        code = re.search(r"[/-]([^\W\d_]+)", number_text)
        doc_type = _CODE_TYPE.get(name_key(code.group(1)), None) if code else None
    if doc_type is None and head.letter:
        doc_type = "Công văn"
    doc_type = doc_type or "Văn bản"

    # A header the gazetteer knows (whole, or as parent and body) comes first; then the
    # subject of "… ban hành"; then a header that only has a body's shape; then the signature.
    header = head.issuer if head.issuer and _is_org(head.issuer) else None
    known_header = (
        head.issuer if head.issuer and _known(_split_issuer(head.issuer, gazetteer)[0], gazetteer) else None
    )
    name = (
        known_header
        or _issuer_text(plain, gazetteer, subject_only=True)
        or header
        or _issuer_text(plain, gazetteer)
    )
    name = _with_place(name, head.place)
    issuer_name, parent = _split_issuer(name, gazetteer) if name else (None, None)
    # A body the gazetteer holds as national (the Government, a ministry, a central Party
    # body) issues a national document; a body under a parent is national with its parent.
    entry = _known(parent, gazetteer) if parent else None
    national = entry is not None and entry.scope == "national"
    jurisdiction = None if national else (_province(parent, head.place) or canonical_place(head.place))
    issuer = _resolve(issuer_name, gazetteer, jurisdiction) if issuer_name else None

    refs, chains = _references(head.title, paragraphs, gazetteer, jurisdiction)
    by_id: dict[str, DocumentRef] = {}
    for ref in refs:
        by_id.setdefault(ref.id, ref)
    chain = by_id
    for steps in chains:
        chain = _link_chain(steps, chain)
    implements = list(dict.fromkeys(steps[0] for steps in chains))
    signer, signer_title = _signer(plain)
    issuer_id = issuer.id if issuer else slug(head.place or "vn")
    if number:
        doc_id = f"{issuer_id}/{slug(number)}-{_year(number, when)}".rstrip("-")
    else:
        doc_id = f"{issuer_id}/{slug(doc_type)}-{head.year or ''}-{slug(Path(file).stem)}".replace("--", "-")
    in_chain = {x for steps in chains for x in steps}
    cites = tuple(r.id for r in chain.values() if r.id not in in_chain)
    document = Document(
        id=doc_id,
        file=file,
        type=doc_type,
        number=number,
        number_text=number_text,
        date=when,
        date_text=head.date_text,
        year=head.year,
        place=head.place,
        issuer=issuer,
        title=head.title,
        signer=signer,
        signer_title=signer_title,
        implements=tuple(implements),
        references=tuple(chain.values()),
        cites=cites,
    )
    return document, jurisdiction


def _with_place(name: str | None, place: str | None) -> str | None:
    """A people's council or committee printed without its place ("ỦY BAN NHÂN DÂN" alone, as some
    copies keep only the first line of the left column) is that of the province on the date line.

    >>> _with_place("ỦY BAN NHÂN DÂN", "Hải Phòng"), _with_place("ỦY BAN NHÂN DÂN", "Phường Bến Nghé")
    ('ỦY BAN NHÂN DÂN thành phố Hải Phòng', 'ỦY BAN NHÂN DÂN')
    """
    if not name or name_key(name) not in {"ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "hội đồng nhân dân"}:
        return name
    province = only_place(place) if place else None
    return f"{name} {province.kind} {province.name}" if province else name


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
