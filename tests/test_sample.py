"""The founding sample plan, read whole, against a golden file a careful reader checked."""

import json
import unicodedata
from pathlib import Path

import pytest

from loaders import read_plan

GOLDEN = Path(__file__).parent / "golden" / "hanoi-kh-30-ctr-tu-2024.json"


def compact(result):
    return {
        t.id: {
            "group": t.group.id,
            "directing": [a.name for a in t.directing],
            "lead": [a.name for a in t.lead],
            "coordinating": [a.name for a in t.coordinating],
            "deadline": t.deadline.as_dict(),
            "lines": list(t.source.lines),
        }
        for t in result.tasks
    }


def test_sample_matches_golden(sample):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert compact(sample) == expected


def test_sample_shape(sample):
    groups = {}
    for t in sample.tasks:
        groups[t.group.id] = groups.get(t.group.id, 0) + 1
    assert groups == {"I": 3, "II": 4, "III": 5, "IV": 13, "V": 5}
    assert not sample.warnings
    led = [t.id for t in sample.tasks if any(a.name == "Sở Nội vụ" for a in t.lead)]
    assert led == ["II.1", "II.2", "III.1", "III.5", "V.1", "V.2", "V.3"]


def test_sample_document(sample):
    (doc,) = sample.documents
    assert doc.type == "Kế hoạch"
    assert doc.number is None and doc.number_text == "/KH-UBND"
    assert doc.date is None and doc.year == 2024 and doc.place == "Hà Nội"
    assert doc.issuer.kind == "people_committee"
    chain = doc.chain()
    assert [(r.number, r.date.isoformat(), r.issuer.kind) for r in chain] == [
        ("30-CTr/TU", "2024-03-08", "party_body"),
        ("45-NQ/TW", "2023-11-24", "party_body"),
    ]
    assert chain[1].term == "khóa XIII"
    cited = {r.id: r for r in doc.references if r.id in doc.cites}
    assert [r.number for r in cited.values()] == ["61/KH-UBND"]
    assert doc.signer == "Lê Hồng Sơn"


def _variant(tmp_path, transform):
    text = (Path(__file__).parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt").read_text(
        encoding="utf-8"
    )
    p = tmp_path / "variant.txt"
    p.write_bytes(transform(text).encode("utf-8"))
    return p


def _old_tones(text):
    return text.replace("hoá", "hóa").replace("Hoà", "Hòa").replace("oả", "ỏa").replace("uỷ", "ủy")


def _new_tones(text):
    return text.replace("hóa", "hoá").replace("Hòa", "Hoà").replace("ủy", "uỷ").replace("Ủy", "Uỷ")


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: unicodedata.normalize("NFD", t),
        lambda t: t.replace("\n", "\r\n"),
        _old_tones,
        _new_tones,
        lambda t: t.replace("Sở Nội vụ", "Sở\u00a0Nội\u00a0vụ").replace("Sở Tài chính", "Sở  Tài chính"),
        lambda t: t.replace("<b>", "").replace("</b>", ""),
        lambda t: "\ufeff" + t,
    ],
    ids=["nfd", "crlf", "old-tones", "new-tones", "nbsp", "no-bold", "bom"],
)
def test_variants_read_the_same(tmp_path, sample, transform):
    variant = read_plan(_variant(tmp_path, transform))
    assert compact(variant) == compact(sample)
