"""The records of a generated corpus: the places plans come from, and what each plan states.

A :class:`SynthPlan` is the text of one document and its truth: the :class:`SynthDocument`
a reader must find in its header and the :class:`SynthTask` rows of its tables or text.

>>> PLACES[0].name, PLACES[0].qualifier
('Hà Nội', 'thành phố Hà Nội')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kg.model import Agency, Deadline, Role

__all__ = ["PLACES", "Place", "SynthDocument", "SynthPlan", "SynthTask"]


@dataclass(frozen=True, slots=True)
class Place:
    """A province or centrally governed city as documents print it."""

    name: str
    city: bool

    @property
    def qualifier(self) -> str:
        """The words that qualify a local body: "tỉnh Bắc Ninh", "thành phố Đà Nẵng"."""
        if self.name.startswith("Thành phố"):
            return self.name
        return f"{'thành phố' if self.city else 'tỉnh'} {self.name}"


# The 34 provinces and cities after the 2025 merger; the first ones issue the most plans.
PLACES = (
    Place("Hà Nội", True),
    Place("Thành phố Hồ Chí Minh", True),
    Place("Hải Phòng", True),
    Place("Đà Nẵng", True),
    Place("Cần Thơ", True),
    Place("Huế", True),
    *(
        Place(n, False)
        for n in (
            "Đồng Nai",
            "Bắc Ninh",
            "Quảng Ninh",
            "Thanh Hóa",
            "Nghệ An",
            "Khánh Hòa",
            "Lâm Đồng",
            "Đồng Tháp",
            "An Giang",
            "Hưng Yên",
            "Ninh Bình",
            "Thái Nguyên",
            "Phú Thọ",
            "Lào Cai",
            "Tuyên Quang",
            "Gia Lai",
            "Đắk Lắk",
            "Quảng Ngãi",
            "Quảng Trị",
            "Hà Tĩnh",
            "Tây Ninh",
            "Vĩnh Long",
            "Cà Mau",
            "Cao Bằng",
            "Lạng Sơn",
            "Sơn La",
            "Điện Biên",
            "Lai Châu",
        )
    ),
)


@dataclass(frozen=True, slots=True)
class SynthTask:
    """What the reader must find in one task row: the truth the generator wrote."""

    id: str
    number: str
    group: str | None
    group_title: str | None
    title: str
    lead: tuple[tuple[Agency, Role], ...]  # lead cell: lead and directing agencies, in cell order
    coordinating: tuple[Agency, ...]
    deadline: Deadline
    lines: tuple[int, ...]
    attributes: tuple[tuple[str, str], ...] = ()
    unrecognised: tuple[str, ...] = ()  # names written that the gazetteer does not know
    hard: tuple[str, ...] = ()  # the hard cases its text exercises (see HARD_CASES)
    hard_cell: str = ""  # "lead" or "coordinating": the cell written the hard way, if any


@dataclass(frozen=True, slots=True)
class SynthDocument:
    """The identity and chain of a generated plan."""

    id: str
    type: str
    number: str | None
    date: date | None
    year: int
    place: str
    issuer: Agency
    title: str
    chain: tuple[str, ...]  # the document it implements first, then upwards


@dataclass(frozen=True, slots=True)
class SynthPlan:
    """One generated plan: its file name, its text and its truth."""

    index: int
    file: str
    lines: tuple[str, ...]
    document: SynthDocument
    tasks: tuple[SynthTask, ...]
    hard: tuple[str, ...] = ()  # the document's hard cases (see HARD_CASES)
