"""Many plans from one: copies of an extraction result moved to other jurisdictions.

For scale tests of the pages (1,000 plans) without reading 1,000 files:
every copy gets its own place, so its provincial agencies (``ha-noi/so-noi-vu``
→ ``an-binh/so-noi-vu``) and its document are distinct, while national
bodies stay shared, as they would be across real provinces.

>>> from loaders import read_plan
>>> big = copies(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"), 3)
>>> len(big.documents), len(big.tasks), len({a.id for a in big.agencies()})
(3, 90, 50)
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from kg.model import Agency, Assignment, ExtractResult
from kg.model.text import slug

_SYLLABLES = (
    "An Bình Cao Đông Gia Hà Hải Kiên Lâm Long Nam Ninh Phú Quảng Sơn Tây "
    "Thái Thanh Tiền Vĩnh Bắc Trà Sóc Lạng Yên Hòa Quy Mỹ Cẩm Điện Kỳ Lào"
).split()


def places(n: int) -> list[str]:
    """*n* distinct made-up place names ("An Bình", …), up to 1,024."""
    names = [f"{a} {b}" for a, b in itertools.islice(itertools.product(_SYLLABLES, _SYLLABLES), n)]
    assert len({slug(x) for x in names}) == len(names), "two places with one slug would merge"
    return names


def copies(result: ExtractResult, n: int) -> ExtractResult:
    """*n* copies of a one-plan *result*, each in its own jurisdiction."""
    (doc,) = result.documents
    old = slug(doc.place or "")
    out = ExtractResult()
    for place in places(n):
        new = slug(place)

        def move(text: str, new: str = new) -> str:
            return new + text[len(old) :] if text.startswith(old + "/") else text

        def agency(a: Agency, new: str = new, place: str = place) -> Agency:
            if a.jurisdiction is None:
                return a
            return replace(a, id=move(a.id), jurisdiction=place)

        d = replace(
            doc,
            id=move(doc.id),
            place=place,
            issuer=agency(doc.issuer) if doc.issuer else None,
            implements=tuple(map(move, doc.implements)),
            cites=tuple(map(move, doc.cites)),
            references=tuple(
                replace(r, id=move(r.id), implements=tuple(map(move, r.implements))) for r in doc.references
            ),
        )
        tasks = tuple(
            replace(
                t,
                document=d.id,
                group=replace(t.group, document=d.id) if t.group else None,
                assignments=tuple(Assignment(agency(a.agency), a.role, a.text) for a in t.assignments),
            )
            for t in result.tasks
        )
        out = out + ExtractResult((d,), tasks)
    return out
