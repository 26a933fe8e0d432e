"""Read a deadline cell into its text, an interval and a recurrence.

>>> parse_deadline("Quý II/2024").as_dict()
{'text': 'Quý II/2024', 'start': '2024-04-01', 'end': '2024-06-30', 'recurrence': None}
>>> parse_deadline("Thực hiện từ năm 2024").as_dict()
{'text': 'Thực hiện từ năm 2024', 'start': '2024-01-01', 'end': None, 'recurrence': None}
>>> parse_deadline("2025 và những năm tiếp theo").as_dict()
{'text': '2025 và những năm tiếp theo', 'start': '2025-01-01', 'end': None, 'recurrence': None}
>>> parse_deadline("Quý IV/2025- Quý II/2026").as_dict()
{'text': 'Quý IV/2025- Quý II/2026', 'start': '2025-10-01', 'end': '2026-06-30', 'recurrence': None}
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from kg.model import Deadline, Recurrence
from kg.model.text import name_key, strip_markup

__all__ = ["UnknownDeadline", "parse_deadline"]

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y = r"(?P<{n}>(?:19|20)\d\d)"
# One temporal expression; the alternatives are tried in this order at each place.
_EXPR = re.compile(
    r"(?P<day>\b(?P<d>\d{1,2})\s*[/.-]\s*(?P<dm>\d{1,2})\s*[/.-]\s*" + _Y.format(n="dy") + r")"
    r"|(?P<quarter>\bqu[ýí]\s*(?P<q>iv|i{1,3}|[1-4])\b\s*(?:[/,-]|\s)*\s*(?:năm\s*)?"
    + _Y.format(n="qy")
    + r")"
    r"|(?P<month>\b(?:tháng\s*)?(?P<m>0?[1-9]|1[0-2])\s*[/.-]\s*" + _Y.format(n="my") + r")"
    r"|(?P<monthword>\btháng\s*(?P<mw>0?[1-9]|1[0-2])\s*(?:năm\s*)?" + _Y.format(n="mwy") + r")"
    r"|(?P<year>\b" + _Y.format(n="y") + r"\b)"
)
_UNDATED = re.compile(
    r"^(?:khi có (?:phát sinh|yêu cầu)|theo (?:kế hoạch|chương trình|đề án|quy định|yêu cầu|tiến độ)"
    r"|sau khi|ngay sau|định kỳ|theo chỉ đạo|(?:hàng|hằng) (?:quý|tháng))"
)


class UnknownDeadline(ValueError):
    """A deadline wording the reader does not understand."""


def _interval(m: re.Match[str]) -> tuple[date, date]:
    if m.group("day"):
        d = date(int(m.group("dy")), int(m.group("dm")), int(m.group("d")))
        return d, d
    if m.group("quarter"):
        y, q = int(m.group("qy")), _QUARTERS[m.group("q")]
        last = 3 * q
        return date(y, last - 2, 1), date(y, last, calendar.monthrange(y, last)[1])
    if m.group("month") or m.group("monthword"):
        y = int(m.group("my") or m.group("mwy"))
        mo = int(m.group("m") or m.group("mw"))
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    y = int(m.group("y"))
    return date(y, 1, 1), date(y, 12, 31)


# The words around a deadline that say it recurs, or has no start or no end.
_ANNUAL = re.compile(r"\b(?:hàng|hằng) năm\b")
_CONTINUOUS = re.compile(r"\bthường xuyên\b|\bliên tục\b")
_FROM = re.compile(r"\b(?:từ|bắt đầu)\b")
_ONWARDS = re.compile(r"\b(?:(?:những|các) năm tiếp theo|trở đi|về sau)\b")
_BY = re.compile(r"\b(?:trước|chậm nhất|hạn|đến|không quá)\b")


# Plans print the same few deadlines on every row ("Quý II/2025", "Thường xuyên"); a Deadline is frozen.
@lru_cache(maxsize=1 << 12)
def parse_deadline(text: str, *, strict: bool = False) -> Deadline:
    """The deadline a cell states.

    A wording it does not know keeps its text and gets no dates; with
    ``strict=True`` it raises :class:`UnknownDeadline` instead, so the caller
    can warn.

    >>> parse_deadline("Hàng năm").recurrence.value
    'annual'
    >>> parse_deadline("Trước ngày 30/11/2025").as_dict()["end"]
    '2025-11-30'
    """
    shown = strip_markup(text)
    key = name_key(shown)
    recurrence = None
    if _ANNUAL.search(key):
        recurrence = Recurrence.ANNUAL
    elif _CONTINUOUS.search(key):
        recurrence = Recurrence.CONTINUOUS
    found = list(_EXPR.finditer(key))
    if not found:
        if recurrence is not None or not key or _UNDATED.search(key):
            return Deadline(shown, recurrence=recurrence)
        if strict:
            raise UnknownDeadline(shown)
        return Deadline(shown)
    first, last = _interval(found[0]), _interval(found[-1])
    start, end = first[0], last[1]
    before = key[: found[0].start()]
    after = key[found[-1].end() :]
    if _FROM.search(before) and len(found) == 1:
        end = None
    elif _ONWARDS.search(after):
        end = None  # "2025 và những năm tiếp theo": from 2025, no end
    elif _BY.search(before) and len(found) == 1:
        start = None
    return Deadline(shown, start, end, recurrence)
