"""The grammar of column names: what each column of a table header means.

A lead column names who answers for the row (a duty word such as "chủ trì", "thực hiện",
"chịu trách nhiệm", alone or after a noun that names a body); "phối hợp" names the partners;
"Thời gian/Thời hạn/Tiến độ…" the deadline; the row title names the work ("Nội dung",
"Nhiệm vụ") or the indicator ("Chỉ tiêu").  A header names at least three such columns, or a
row title and a lead.  The rules are listed in :mod:`loaders.appendix`.

>>> column_roles(["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"])
('number', 'title', 'lead', 'coordinating', 'deadline')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from kg.model.text import name_key, strip_markup

__all__ = ["column_roles"]


_FOOTNOTE = re.compile(r"[\s*]*(?:\(\d+\)|\[\d+\]|\d+)$")
# A duty: the words that make the body named in the column answer for the row.
_DUTY = re.compile(
    r"chủ trì|chịu trách nhiệm|trách nhiệm|phụ trách|thực hiện|tiếp nhận|xử lý|đầu mối|triển khai"
    r"|được giao|phân công"
)
# Nouns that name a body (not a person, not a place) as the subject of a duty.
_BODY_NOUN = re.compile(
    r"(?:các )?(?:cơ quan|đơn vị|bộ|ngành|sở|ban|cục|vụ|tổ chức|địa phương|cấp|ủy ban|ubnd|chính quyền|chủ thể)\b"
)
# What a column of values says: a result, a target, a level to reach.
_VALUE = re.compile(r"kết quả|mục tiêu|giá trị|\bđạt\b|phấn đấu|kế hoạch|\bnăm\b|\d")
# The row title of an indicator table: "Chỉ tiêu", "Tên chỉ tiêu", "Nội dung chỉ tiêu".
_INDICATOR = re.compile(r"^(?:tên |nội dung |danh mục |các )?chỉ tiêu\b")
_TITLE = re.compile(r"nội dung|nhiệm vụ|giải pháp|^tên\b|^hoạt động|^công việc|^đề án|^dự án")
# A column name is a few words; a longer cell is data, never a header.
_MAX_HEADER_WORDS = 12


def _names_responsible_body(k: str) -> bool:
    """A duty, alone or after nouns naming a body: "Cơ quan, đơn vị thực hiện", "Chủ trì".

    >>> _names_responsible_body("bộ phụ trách tiếp nhận, xử lý"), _names_responsible_body("lãnh đạo phụ trách")
    (True, False)
    """
    m = _DUTY.search(k)
    if not m:
        return False
    subject = k[: m.start()].strip(" ,/-;:")
    pieces = [p for p in re.split(r"\s*(?:,|/|;|&|\bvà\b|\bhoặc\b)\s*", subject) if p]
    return all(_BODY_NOUN.match(p) for p in pieces)


@lru_cache(maxsize=4096)
def _column_role(header: str) -> str:
    k = _FOOTNOTE.sub("", name_key(strip_markup(header))).strip(" :.")
    if len(k.split()) > _MAX_HEADER_WORDS:
        return "extra"
    if k in {"tt", "stt", "số tt", "số thứ tự"}:
        return "number"
    if re.match(r"(?:thời gian|thời hạn|tiến độ|hạn)", k):
        return "deadline"
    if "phối hợp" in k and "chủ trì" not in k:
        return "coordinating"
    if _names_responsible_body(k):
        return "lead"
    if _INDICATOR.match(k) and not _VALUE.search(k):
        return "indicator"
    if _TITLE.search(k):
        return "title"
    return "extra"


def column_roles(cells: Sequence[str]) -> tuple[str, ...]:
    """The role of each column of a header row.

    >>> column_roles(["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp thực hiện", "Thời gian trình/ thực hiện"])
    ('number', 'title', 'lead', 'coordinating', 'deadline')
    >>> column_roles(["**STT**", "**Nhiệm vụ, giải pháp**", "**Đơn vị thực hiện**", "**Sản phẩm đầu ra**"])
    ('number', 'title', 'lead', 'extra')
    >>> column_roles(["TT", "Nội dung kiến nghị", "Tỉnh kiến nghị", "Bộ phụ trách tiếp nhận, xử lý"])
    ('number', 'title', 'extra', 'lead')
    >>> column_roles(["TT", "Chỉ tiêu", "Đơn vị", "Chỉ tiêu đạt được", "Chủ trì"])
    ('number', 'indicator', 'extra', 'extra', 'lead')
    """
    return tuple(_column_role(c) for c in cells)


def _is_header(roles: tuple[str, ...]) -> bool:
    """A header names at least three of the columns a task table has, or a row title and a lead."""
    known = {"number", "title", "lead", "coordinating", "deadline", "indicator"}
    named = set(roles)
    return len(known & named) >= 3 or ("lead" in named and bool({"title", "indicator"} & named))


def _kind(roles: tuple[str, ...]) -> str:
    """The kind of table: "indicators" when the row title is "Chỉ tiêu" and no column names work, else "tasks"."""
    return "indicators" if "indicator" in roles and "title" not in roles else "tasks"


# A column that gives an indicator's result or target; yearly columns ("Năm 2026") are values by year.
_TARGET = re.compile(r"kết quả|mục tiêu|giá trị|\bđạt\b|phấn đấu|chỉ tiêu")


def _is_value_column(header: str) -> bool:
    """A column that gives an indicator's target ("Kết quả", "Mục tiêu", "Chỉ tiêu đạt được")."""
    return bool(_TARGET.search(name_key(strip_markup(header))))
