from datetime import date

import pytest

from loaders.deadlines import UnknownDeadline, parse_deadline

D = date


@pytest.mark.parametrize(
    ("text", "start", "end", "recurrence"),
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31), None),
        ("Năm 2025", D(2025, 1, 1), D(2025, 12, 31), None),
        ("Quý II/2024", D(2024, 4, 1), D(2024, 6, 30), None),
        ("Quý IV/2024", D(2024, 10, 1), D(2024, 12, 31), None),
        ("Thực hiện từ Quý II/2024", D(2024, 4, 1), None, None),
        ("Thực hiện từ năm 2024", D(2024, 1, 1), None, None),
        ("Thường xuyên", None, None, "continuous"),
        ("Nhiệm vụ thường xuyên", None, None, "continuous"),
        ("Hàng năm", None, None, "annual"),
        ("Hằng năm", None, None, "annual"),
        ("Quí IV-2025", D(2025, 10, 1), D(2025, 12, 31), None),
        ("Tháng 10/2025", D(2025, 10, 1), D(2025, 10, 31), None),
        ("6/2025", D(2025, 6, 1), D(2025, 6, 30), None),
        ("Tháng 02/2024", D(2024, 2, 1), D(2024, 2, 29), None),
        ("Trước ngày 30/11/2025", None, D(2025, 11, 30), None),
        ("Quý IV/2025- Quý II/2026", D(2025, 10, 1), D(2026, 6, 30), None),
        ("Quý III Năm 2026", D(2026, 7, 1), D(2026, 9, 30), None),
        ("2026 - 2030", D(2026, 1, 1), D(2030, 12, 31), None),
        ("Giai đoạn 2026 - 2030", D(2026, 1, 1), D(2030, 12, 31), None),
        ("Khi có phát sinh", None, None, None),
        ("Theo Kế hoạch riêng", None, None, None),
    ],
)
def test_deadline_wordings(text, start, end, recurrence):
    d = parse_deadline(text, strict=True)
    assert (d.start, d.end) == (start, end)
    assert (d.recurrence.value if d.recurrence else None) == recurrence
    assert d.text == text


def test_unknown_wording_keeps_text_and_raises_only_when_strict():
    assert parse_deadline("Sớm nhất có thể").as_dict() == {
        "text": "Sớm nhất có thể",
        "start": None,
        "end": None,
        "recurrence": None,
    }
    with pytest.raises(UnknownDeadline):
        parse_deadline("Sớm nhất có thể", strict=True)


def test_tone_and_case_variants_read_alike():
    assert parse_deadline("QUÝ II/2024").start == parse_deadline("Quý II/2024").start
    assert parse_deadline("Hằng năm").recurrence == parse_deadline("HÀNG NĂM").recurrence
