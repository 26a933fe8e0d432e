"""A generated national corpus: realistic plan documents in the sample's text format, with their truth.

:func:`generate` is a pure function of ``(plans, seed)``: it yields one
:class:`SynthPlan` at a time (the text of one document and what a careful
reader must find in it), so a corpus of any size is never held in memory.
:func:`write_corpus` writes the documents to a directory.

What the documents exercise, the way real plans do:

* issuers: provincial and city People's Committees (Kế hoạch …/KH-UBND),
  provincial and city Party committees (Chương trình hành động …-CTr/TU) and
  ministries (Kế hoạch …/KH-B…), 34 provinces and centrally governed cities;
* implementation chains: "Thực hiện Kế hoạch số … của Ủy ban nhân dân tỉnh về
  thực hiện Chương trình hành động số …-CTr/TU … của Tỉnh ủy về thực hiện Nghị
  quyết số …-NQ/TW … của Bộ Chính trị về …", whose links point at documents of
  the same corpus where they exist;
* the appendix task table: tab-separated, ``<b>`` group rows, the header
  repeated after page breaks, continuation rows, sometimes an extra column;
* agencies from ``ontology/gazetteer.toml`` (local entries resolved per
  province, so ids are scoped by jurisdiction) with a Zipf-like load, written
  with spelling variants (NFD, old/new tone marks, case, non-breaking spaces,
  aliases, "… tỉnh <Place>"), collectives, and names the gazetteer does not know;
* every deadline form :mod:`loaders.deadlines` reads.

The same seed gives the same bytes; plan *i* does not depend on how many
plans follow it, so a smaller corpus is a prefix of a larger one.

>>> plans = list(generate(2, seed=7))
>>> [p.file for p in plans] == [p.file for p in generate(2, seed=7)]
True
>>> all(10 <= len(p.tasks) <= 100 for p in plans)
True
>>> plans[0].lines == next(generate(1, seed=7)).lines
True
"""

from __future__ import annotations

import calendar
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from kg.model import Agency, Deadline, Recurrence, Role
from kg.model.gazetteer import Entry, Gazetteer
from kg.model.text import name_key, slug

__all__ = [
    "CELL_CASES",
    "HARD_CASES",
    "PLACES",
    "Place",
    "SynthDocument",
    "SynthPlan",
    "SynthTask",
    "generate",
    "write_corpus",
]


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


# ---------------------------------------------------------------------------
# Vocabulary.  Titles avoid the words a header cell is recognised by
# (nội dung, nhiệm vụ, giải pháp, chủ trì, phối hợp, thời gian, chỉ tiêu…), as real
# rows mostly do: a row holding them could be taken for a repeated header.

_VERBS = (
    "Xây dựng",
    "Triển khai",
    "Tổ chức",
    "Rà soát, sửa đổi",
    "Hoàn thiện",
    "Đẩy mạnh",
    "Tăng cường",
    "Nghiên cứu, đề xuất",
    "Kiểm tra, đánh giá",
    "Tuyên truyền, phổ biến",
    "Phát triển",
    "Nâng cao chất lượng",
    "Thí điểm",
    "Sơ kết, tổng kết",
    "Hướng dẫn",
    "Cập nhật",
)
_OBJECTS = (
    "Đề án",
    "cơ chế, chính sách",
    "kế hoạch",
    "cơ sở dữ liệu",
    "hệ thống thông tin",
    "chương trình đào tạo",
    "quy chế",
    "bộ tiêu chí",
    "mô hình",
    "nền tảng số",
    "hạ tầng",
    "mạng lưới",
    "quy trình",
    "báo cáo",
    "hồ sơ",
)
_TOPICS = (
    "chuyển đổi số",
    "phát triển kinh tế số và xã hội số",
    "thu hút nhân lực chất lượng cao",
    "đổi mới sáng tạo",
    "cải cách hành chính",
    "bảo vệ môi trường",
    "phát triển hạ tầng số",
    "xây dựng đội ngũ trí thức",
    "phòng, chống tham nhũng, lãng phí",
    "phát triển văn hóa",
    "chăm sóc sức khỏe nhân dân",
    "giáo dục nghề nghiệp",
    "hỗ trợ doanh nghiệp nhỏ và vừa",
    "phát triển khoa học, công nghệ",
    "an ninh mạng",
    "dữ liệu dân cư",
    "hợp tác quốc tế",
    "phát triển du lịch",
    "nông nghiệp công nghệ cao",
    "kinh tế tuần hoàn",
)
_QUALIFIERS = (
    "trên địa bàn",
    "giai đoạn 2026 - 2030",
    "đến năm 2030, tầm nhìn đến năm 2045",
    "trong các cơ quan nhà nước",
    "cho cán bộ, công chức, viên chức",
    "tại các khu công nghiệp",
    "ở cơ sở",
    "",
)
_GROUP_TITLES = (
    "Tuyên truyền, nâng cao nhận thức",
    "Hoàn thiện thể chế, cơ chế, chính sách",
    "Phát triển hạ tầng số và dữ liệu",
    "Phát triển nguồn nhân lực",
    "Đẩy mạnh nghiên cứu, ứng dụng khoa học và công nghệ",
    "Tăng cường hợp tác quốc tế",
    "Kiểm tra, giám sát, sơ kết, tổng kết",
    "Huy động nguồn lực",
    "Cải cách thủ tục hành chính",
)
_RESOLUTION_TOPICS = (
    "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    "tiếp tục xây dựng và phát huy vai trò của đội ngũ trí thức",
    "hội nhập quốc tế trong tình hình mới",
    "đổi mới công tác xây dựng và thi hành pháp luật",
    "phát triển kinh tế tư nhân",
    "đột phá phát triển giáo dục và đào tạo",
    "tăng cường bảo vệ, chăm sóc và nâng cao sức khỏe nhân dân",
    "bảo đảm an ninh năng lượng quốc gia",
    "xây dựng và phát triển văn hóa, con người Việt Nam",
    "phát triển bền vững kinh tế biển",
    "tiếp tục đổi mới, phát triển và nâng cao hiệu quả kinh tế nhà nước",
    "xây dựng nông thôn mới",
)
_PRODUCTS = ("Đề án", "Kế hoạch", "Báo cáo", "Quyết định", "Hệ thống", "Hội nghị", "Văn bản hướng dẫn")
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
_MIDDLE = ("Văn", "Thị", "Hồng", "Minh", "Quốc", "Đức", "Thanh", "Ngọc", "Hữu", "Xuân")
_GIVEN = ("Sơn", "Hùng", "Lan", "Hà", "Tuấn", "Dũng", "Hương", "Nam", "Bình", "Thắng", "Long", "Mai")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
_HEADERS = {
    "number": ("TT", "STT"),
    "title": ("Nội dung nhiệm vụ", "Nhiệm vụ", "Nội dung công việc", "Nhiệm vụ, giải pháp"),
    "lead": ("Cơ quan chủ trì thực hiện", "Cơ quan chủ trì", "Đơn vị chủ trì"),
    "coordinating": ("Cơ quan phối hợp thực hiện", "Cơ quan phối hợp", "Đơn vị phối hợp"),
    "deadline": ("Thời gian trình/ thực hiện", "Thời gian thực hiện", "Thời hạn hoàn thành", "Tiến độ"),
    "extra": ("Sản phẩm", "Kết quả"),
}
# Bodies of a ministry, and of a province, the gazetteer does not list ("tỉnh" is the province form).
_NATIONAL_UNKNOWN = (
    "Vụ Kế hoạch - Tài chính",
    "Vụ Tổ chức cán bộ",
    "Văn phòng Bộ",
    "Thanh tra Bộ",
    "Vụ Pháp chế",
    "Vụ Hợp tác quốc tế",
    "Cục Đổi mới sáng tạo",
    "Trung tâm Thông tin và Truyền thông",
    "Viện Chiến lược và Chính sách",
    "Cục Quản lý chất lượng",
)
_LOCAL_UNKNOWN = (
    "Trung tâm Khuyến nông tỉnh",
    "Quỹ Bảo vệ môi trường tỉnh",
    "Quỹ Đầu tư phát triển tỉnh",
    "Trung tâm Xúc tiến đầu tư tỉnh",
    "Trung tâm Công nghệ thông tin và Truyền thông tỉnh",
    "Ban Quản lý rừng phòng hộ tỉnh",
    "Ban cán sự đảng UBND tỉnh",
    "Trung tâm Chuyển đổi số tỉnh",
    "Kho bạc Nhà nước khu vực",
    "Trung tâm Kiểm soát bệnh tật tỉnh",
)
_COMMON_COLLECTIVES = (
    "cac-so-nganh-don-vi-lien-quan",
    "cac-so-nganh-dia-phuong",
    "cac-so-ban-nganh",
    "cac-co-quan-don-vi-lien-quan",
    "cac-don-vi-lien-quan",
    "ubnd-cac-phuong-xa",
    "ubnd-cac-quan-huyen-thi-xa",
    "cac-doanh-nghiep",
    "cac-co-so-giao-duc",
    "cac-cap-uy-dang",
    "cac-co-quan-bao-chi-thanh-pho",
    "cac-to-chuc-tin-dung",
)
_NATIONAL_COLLECTIVES = (
    "cac-bo-nganh-dia-phuong",
    "cac-bo-nganh-lien-quan",
    "ubnd-cac-tinh-thanh-pho",
    "cac-dia-phuong",
    "cac-doanh-nghiep",
    "cac-vien-nghien-cuu",
)
_TONES = "\u0300\u0301\u0309\u0303\u0323"
_OLD_TO_NEW = re.compile(rf"([oOuU])([{_TONES}])([aAeEyY])(?!\w)")
_NEW_TO_OLD = re.compile(rf"([oOuU])([aAeEyY])([{_TONES}])(?!\w)")


# ---------------------------------------------------------------------------
# Agency pools (built once per process from the gazetteer).


@dataclass(frozen=True, slots=True)
class _Pools:
    local: tuple[Entry, ...]  # ranked: heavy first
    collectives: tuple[Entry, ...]
    national: tuple[Entry, ...]  # usable in any plan
    bound: dict[str, tuple[Entry, ...]]  # national entries that belong to one place
    ministries: tuple[Entry, ...]
    places: tuple[str, ...]  # name keys of every place, to keep aliases of other places out
    forms: dict[str, str]  # entry key -> "city", "province" or "any"


def _form(entry: Entry) -> str:
    """ "city", "province" or "any": which kind of place a local entry belongs to."""
    k = name_key(entry.name)
    if any(w in k for w in _CITY_WORDS) or re.search(r"\btp\b", k):
        return "city"
    if any(w in k for w in _PROVINCE_WORDS):
        return "province"
    return "any"


_CITY_WORDS = tuple(name_key(w) for w in ("thành phố", "thành ủy", "quận"))
_PROVINCE_WORDS = tuple(name_key(w) for w in ("tỉnh",))
# The bodies that carry most tasks in real plans, heaviest first; the rest follow in gazetteer order.
_HEAVY = (
    "so-noi-vu",
    "so-tai-chinh",
    "so-khoa-hoc-va-cong-nghe",
    "so-giao-duc-va-dao-tao",
    "so-y-te",
    "so-cong-thuong",
    "so-xay-dung",
    "so-nong-nghiep-va-moi-truong",
    "so-van-hoa-the-thao-va-du-lich",
    "so-van-hoa-va-the-thao",
    "so-tu-phap",
    "van-phong-ubnd-tinh",
    "van-phong-ubnd-thanh-pho",
    "cong-an-tinh",
    "cong-an-thanh-pho",
    "ban-tuyen-giao-tinh-uy",
    "ban-tuyen-giao-thanh-uy",
    "so-ke-hoach-va-dau-tu",
    "so-thong-tin-va-truyen-thong",
)
_HEAVY_MINISTRIES = (
    "bo-khoa-hoc-va-cong-nghe",
    "bo-tai-chinh",
    "bo-noi-vu",
    "bo-cong-an",
    "bo-giao-duc-va-dao-tao",
    "bo-cong-thuong",
    "bo-y-te",
    "bo-tu-phap",
)
# National entries that belong to one place though their names do not say so.
_HOME = {"truong-dao-tao-can-bo-le-hong-phong": "Hà Nội", "ban-quan-ly-khu-cong-nghe-cao-hoa-lac": "Hà Nội"}


def _ranked(entries: list[Entry], head: tuple[str, ...]) -> tuple[Entry, ...]:
    rank = {k: i for i, k in enumerate(head)}
    return tuple(sorted(entries, key=lambda e: rank.get(e.key, len(rank))))


@cache
def _pools() -> _Pools:
    g = Gazetteer.default()
    place_keys = tuple(name_key(p.name) for p in PLACES)
    bound: dict[str, list[Entry]] = {}
    national, ministries, local, collectives = [], [], [], []
    for e in g.entries:
        if e.scope == "national":
            labels = [name_key(x) for x in (e.name, *e.aliases)]
            home = _HOME.get(e.key) or next(
                (p.name for p, k in zip(PLACES, place_keys, strict=True) if any(k in x for x in labels)), None
            )
            if home:
                bound.setdefault(home, []).append(e)
            elif e.kind == "ministry":
                ministries.append(e)
            elif e.kind != "government" and e.key != "ban-chap-hanh-trung-uong-dang":
                national.append(e)
        elif e.kind == "collective":
            collectives.append(e)
        elif e.kind not in {"people_committee", "peoples_council"}:
            local.append(e)
    ranked_ministries = _ranked(ministries, _HEAVY_MINISTRIES)
    return _Pools(
        _ranked(local, _HEAVY),
        tuple(collectives),
        ranked_ministries + tuple(national),
        {k: tuple(v) for k, v in bound.items()},
        ranked_ministries,
        place_keys,
        {e.key: _form(e) for e in g.entries},
    )


@cache
def _zipf_weights(n: int, s: float) -> tuple[float, ...]:
    total, out = 0.0, []
    for r in range(n):
        total += 1.0 / (r + 1) ** s
        out.append(total)
    return tuple(out)


def _zipf_pick(rng: random.Random, items: list, s: float = 1.1):
    """An item of *items*, the first ones far likelier (weight 1/rank^s)."""
    return rng.choices(items, cum_weights=_zipf_weights(len(items), s), k=1)[0]


# ---------------------------------------------------------------------------
# Spelling variants.


def _variant(rng: random.Random, label: str) -> str:
    """The same name typed another way: NFD, other tone placement, case, non-breaking space."""
    r = rng.random()
    if r < 0.05:
        return unicodedata.normalize("NFD", label)
    if r < 0.10:
        nfd = unicodedata.normalize("NFD", label)
        swapped = _OLD_TO_NEW.sub(r"\1\3\2", nfd)
        if swapped == nfd:
            swapped = _NEW_TO_OLD.sub(r"\1\3\2", nfd)
        return unicodedata.normalize("NFC", swapped)
    if r < 0.13:
        return label.upper()
    if r < 0.17:
        return label[0].lower() + label[1:]
    if r < 0.21 and " " in label:
        i = label.index(" ")
        return label[:i] + "\u00a0" + label[i + 1 :]
    return label


@cache
def _labels(entry: Entry, city: bool | None) -> tuple[str, ...]:
    """The aliases a plan of a city (or province, or the nation) may write: none naming another place."""
    pools = _pools()
    other_form = ("tỉnh",) if city else ("thành phố", "tp")
    out = []
    for a in entry.aliases:
        k = name_key(a)
        if any(p in k for p in pools.places) or any(re.search(rf"\b{w}\b", k) for w in other_form):
            continue
        out.append(a)
    return (entry.name, *out)


def _written(rng: random.Random, entry: Entry, place: Place | None, pools: _Pools) -> str:
    """How a plan writes a gazetteer body: its name or an alias, maybe place-qualified, maybe a variant."""
    label = entry.name if rng.random() < 0.7 else rng.choice(_labels(entry, place.city if place else None))
    if (
        place is not None
        and entry.scope == "local"
        and entry.kind != "collective"
        and not place.name.startswith("Thành phố")
        and rng.random() < 0.1
    ):
        k = name_key(label)
        if "các" not in k and not re.search(r"(?:tỉnh|thành phố|tp\.?)$", k):
            label = f"{label} {place.qualifier}"
    return _variant(rng, label)


# ---------------------------------------------------------------------------
# Deadlines: every form the reader knows, with the interval it means.


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _deadline(rng: random.Random, year: int) -> Deadline:
    y = year + rng.choice((0, 0, 1, 1, 2, 3))
    q = rng.randint(1, 4)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    qr = _ROMAN[q - 1]
    forms: list[Callable[[], Deadline]] = [
        lambda: Deadline("Thường xuyên", recurrence=Recurrence.CONTINUOUS),
        lambda: Deadline("Hàng năm", recurrence=Recurrence.ANNUAL),
        lambda: Deadline("Hằng năm", recurrence=Recurrence.ANNUAL),
        lambda: Deadline("Thường xuyên, hằng năm", recurrence=Recurrence.ANNUAL),
        lambda: Deadline("Liên tục", recurrence=Recurrence.CONTINUOUS),
        lambda: Deadline(str(y), date(y, 1, 1), date(y, 12, 31)),
        lambda: Deadline(f"Năm {y}", date(y, 1, 1), date(y, 12, 31)),
        lambda: Deadline(f"Quý {qr}/{y}", date(y, 3 * q - 2, 1), _last_day(y, 3 * q)),
        lambda: Deadline(f"Quý {q}/{y}", date(y, 3 * q - 2, 1), _last_day(y, 3 * q)),
        lambda: Deadline(f"Quí {qr}-{y}", date(y, 3 * q - 2, 1), _last_day(y, 3 * q)),
        lambda: Deadline(f"Quý {qr} năm {y}", date(y, 3 * q - 2, 1), _last_day(y, 3 * q)),
        lambda: Deadline(f"{m}/{y}", date(y, m, 1), _last_day(y, m)),
        lambda: Deadline(f"Tháng {m:02d}/{y}", date(y, m, 1), _last_day(y, m)),
        lambda: Deadline(f"Tháng {m} năm {y}", date(y, m, 1), _last_day(y, m)),
        lambda: Deadline(f"{d:02d}/{m:02d}/{y}", date(y, m, d), date(y, m, d)),
        lambda: Deadline(f"Trước ngày {d}/{m}/{y}", None, date(y, m, d)),
        lambda: Deadline(f"Chậm nhất ngày {d}/{m}/{y}", None, date(y, m, d)),
        lambda: Deadline(f"Đến hết năm {y}", None, date(y, 12, 31)),
        lambda: Deadline(f"Thực hiện từ Quý {qr}/{y}", date(y, 3 * q - 2, 1), None),
        lambda: Deadline(f"Thực hiện từ năm {y}", date(y, 1, 1), None),
        lambda: Deadline(f"Hằng năm, từ năm {y}", date(y, 1, 1), None, Recurrence.ANNUAL),
        lambda: Deadline(f"{y} - {y + 4}", date(y, 1, 1), date(y + 4, 12, 31)),
        lambda: Deadline(f"Giai đoạn {y} - {y + 5}", date(y, 1, 1), date(y + 5, 12, 31)),
        lambda: Deadline(
            f"Quý {qr}/{y}- Quý {_ROMAN[(q % 4)]}/{y + 1}",
            date(y, 3 * q - 2, 1),
            _last_day(y + 1, 3 * (q % 4 + 1)),
        ),
        lambda: Deadline("Khi có yêu cầu"),
        lambda: Deadline("Theo kế hoạch"),
        lambda: Deadline("Định kỳ"),
        lambda: Deadline("Hằng quý"),
        lambda: Deadline(""),
    ]
    # Plain years and quarters are the commonest; the rest keep every form in play.
    weights = [6, 2, 2, 1, 1, 8, 2, 6, 2, 1, 1, 2, 2, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1]
    return rng.choices(forms, weights=weights, k=1)[0]()


# ---------------------------------------------------------------------------
# The documents of the corpus and their chains.


@dataclass(frozen=True, slots=True)
class _Ref:
    """A document a title can name: its mention text, id and own chain."""

    mention: str  # "Chương trình hành động số 12-CTr/TU ngày 08/3/2024 của Tỉnh ủy"
    id: str
    date: date
    chain: tuple[_Ref, ...] = ()  # what it implements, upwards
    topic: str = ""
    province: str | None = None


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month}/{d.year}"


@cache
def _central(seed: int) -> tuple[tuple[_Ref, ...], tuple[_Ref, ...]]:
    """The Central resolutions (…-NQ/TW) and the Government's resolutions (…/NQ-CP) implementing them."""
    rng = random.Random(f"kg-synth:{seed}:central")
    tw, cp = [], []
    numbers = rng.sample(range(10, 99), len(_RESOLUTION_TOPICS))
    cp_numbers = rng.sample(range(1, 240), len(_RESOLUTION_TOPICS))
    for n, m, topic in zip(numbers, cp_numbers, _RESOLUTION_TOPICS, strict=True):
        when = date(2019, 1, 1) + timedelta(days=rng.randint(0, 5 * 365))
        if rng.random() < 0.5:
            issuer, key, term = "Bộ Chính trị", "bo-chinh-tri", ""
        else:
            issuer, key, term = "Ban Chấp hành Trung ương Đảng", "ban-chap-hanh-trung-uong-dang", " khóa XIII"
        ref = _Ref(
            f"Nghị quyết số {n}-NQ/TW ngày {_dmy(when)} của {issuer}{term}",
            f"{key}/{n}-nq-tw-{when.year}",
            when,
            topic=topic,
        )
        tw.append(ref)
        cp_when = when + timedelta(days=rng.randint(30, 200))
        cp.append(
            _Ref(
                f"Nghị quyết số {m}/NQ-CP ngày {_dmy(cp_when)} của Chính phủ",
                f"chinh-phu/{m}-nq-cp-{cp_when.year}",
                cp_when,
                chain=(ref,),
                topic=topic,
            )
        )
    return tuple(tw), tuple(cp)


def _title(parent: _Ref) -> str:
    parts, ref = [parent.mention], parent
    while ref.chain:
        ref = ref.chain[0]
        parts.append(ref.mention)
    return "Thực hiện " + " về thực hiện ".join(parts) + f" về {parent.topic}"


def _chain_ids(parent: _Ref) -> tuple[str, ...]:
    out, ref = [parent.id], parent
    while ref.chain:
        ref = ref.chain[0]
        out.append(ref.id)
    return tuple(out)


def _ministry_code(name: str) -> str:
    words = [w for w in re.split(r"[\s,-]+", name) if w and w not in {"và"}]
    return "".join(w[0].upper() for w in words).replace("Đ", "Đ")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


@dataclass
class _Corpus:
    """What later plans may implement: light metadata of the plans generated so far."""

    party: dict[str, list[_Ref]]
    ubnd: dict[str, list[_Ref]]


def generate(plans: int, seed: int = 0, *, hard: float = 0.0) -> Iterator[SynthPlan]:
    """Yield *plans* generated plan documents, one at a time, deterministically from *seed*.

    *hard* (0..1) is how often the hard cases of :data:`HARD_CASES` are written: each
    header case in that share of documents, a hard agency cell in that share of rows,
    prose-form plans and plans with two appendix tables in half that share each.  With
    ``hard=0`` (the default) no hard case is written and the bytes are those of the plain
    corpus.
    """
    if plans < 0:
        raise ValueError("plans must be >= 0")
    if not 0.0 <= hard <= 1.0:
        raise ValueError("hard must be between 0 and 1")
    corpus = _Corpus({}, {})
    for i in range(plans):
        yield _plan(i, seed, corpus, hard)


def _issuer_kind(rng: random.Random) -> str:
    return rng.choices(("ubnd", "party", "ministry"), weights=(65, 15, 20), k=1)[0]


def _plan(i: int, seed: int, corpus: _Corpus, hard: float) -> SynthPlan:
    rng = random.Random(f"kg-synth:{seed}:{i}")
    pools = _pools()
    g = Gazetteer.default()
    tw, cp = _central(seed)
    kind = _issuer_kind(rng)
    place = _zipf_pick(rng, list(PLACES), s=0.6)
    number_n = i + 1
    blank_number = False
    if kind == "ministry":
        ministry = rng.choice(pools.ministries)
        parent = rng.choice(cp)
        when = parent.date + timedelta(days=rng.randint(20, 400))
        issuer = g.resolve(ministry, None)
        issuer_text = ministry.name
        number = f"{number_n}/KH-{_ministry_code(ministry.name)}"
        doc_type, jurisdiction, printed_place = "Kế hoạch", None, "Hà Nội"
        header = [ministry.name.upper()]
        sign = ("TM. BỘ TRƯỞNG" if rng.random() < 0.3 else "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")
    elif kind == "party":
        entry = g.get("thanh-uy" if place.city else "tinh-uy")
        parent = rng.choice(tw)
        when = parent.date + timedelta(days=rng.randint(20, 500))
        issuer = g.resolve(entry, place.name)
        # "Ban Chấp hành Đảng bộ tỉnh X" (an alias of Tỉnh ủy) rather than "Tỉnh ủy X": see bench/README.md,
        # the reader takes "ủy X" for the province in "Tỉnh ủy X".
        if place.city:
            issuer_text = entry.name if place.name.startswith("Thành phố") else f"{entry.name} {place.name}"
        else:
            issuer_text = f"Ban Chấp hành Đảng bộ tỉnh {place.name}"
        number = f"{number_n}-CTr/TU"
        doc_type, jurisdiction, printed_place = "Chương trình hành động", place.name, place.name
        header = [
            f"ĐẢNG BỘ {'THÀNH PHỐ' if place.city else 'TỈNH'} {place.name.removeprefix('Thành phố ').upper()}"
        ]
        sign = ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")
    else:
        entry = g.get("ubnd-thanh-pho" if place.city else "ubnd-tinh")
        candidates = corpus.ubnd.get(place.name, []) + corpus.party.get(place.name, [])
        r = rng.random()
        if candidates and r < 0.7:
            parent = rng.choice(candidates[-20:])
        elif r < 0.85:
            parent = rng.choice(cp)
        else:  # a Party programme outside the corpus
            tparent = rng.choice(tw)
            pdate = tparent.date + timedelta(days=rng.randint(20, 300))
            pnum = rng.randint(1, 60)
            pentry = g.get("thanh-uy" if place.city else "tinh-uy")
            parent = _Ref(
                f"Chương trình hành động số {pnum}-CTr/TU ngày {_dmy(pdate)} của {pentry.name}",
                f"{g.resolve(pentry, place.name).id}/{pnum}-ctr-tu-{pdate.year}",
                pdate,
                chain=(tparent,),
                topic=tparent.topic,
            )
        when = parent.date + timedelta(days=rng.randint(15, 300))
        issuer = g.resolve(entry, place.name)
        if place.name.startswith("Thành phố"):
            issuer_text = "Ủy ban nhân dân Thành phố"
        else:
            issuer_text = f"Ủy ban nhân dân {'thành phố' if place.city else 'tỉnh'} {place.name}"
        number = f"{number_n}/KH-UBND"
        doc_type, jurisdiction, printed_place = "Kế hoạch", place.name, place.name
        header = ["ỦY BAN NHÂN DÂN", f"{'THÀNH PHỐ' if place.city else 'TỈNH'} {place.name.upper()}"]
        if place.name.startswith("Thành phố"):
            header[1] = place.name.upper()
        sign = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
        blank_number = rng.random() < 0.03
    if when > date(2026, 12, 31):
        when = date(2026, 12, 31) - timedelta(days=rng.randint(0, 200))
    title = _title(parent)
    stem = f"{i + 1:05d}-{slug(printed_place if jurisdiction else issuer.name)}-{slug(number)}"
    file = f"{stem}.txt"
    if blank_number:
        doc_id = f"{issuer.id}/{slug(doc_type)}-{when.year}-{stem}"
    else:
        doc_id = f"{issuer.id}/{slug(number)}-{when.year}"
    own = _Ref(
        f"{doc_type} số {number} ngày {_dmy(when)} của "
        + ("Ủy ban nhân dân tỉnh" if kind == "ubnd" and not place.city else "")
        + ("UBND Thành phố" if kind == "ubnd" and place.city else "")
        + (("Thành ủy" if place.city else "Tỉnh ủy") if kind == "party" else ""),
        doc_id,
        when,
        chain=(parent,),
        topic=parent.topic,
    )
    if kind == "party":
        corpus.party.setdefault(place.name, []).append(own)
    elif kind == "ubnd" and not blank_number and len(_chain_ids(own)) < 5:
        corpus.ubnd.setdefault(place.name, []).append(own)

    hd = _Hard(random.Random(f"kg-synth:{seed}:{i}:hard"), hard)
    form = hd.form()
    cases = hd.document_cases(blank_number)
    printed_title = title.upper() if "upper-title" in cases else title
    document = SynthDocument(
        id=doc_id,
        type=doc_type,
        number=None if blank_number else number,
        date=None if blank_number else when,
        year=when.year,
        place=printed_place,
        issuer=issuer,
        title=printed_title,
        chain=_chain_ids(parent),
    )
    if "wrapped-issuer" in cases:
        header = _wrap_header(header)
    lines: list[str] = []
    lines += [*header, "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    if blank_number:
        lines += [f"Số: /{number.split('/', 1)[1]}", "", f"{printed_place}, ngày tháng năm {when.year}", ""]
    else:
        lines += ["Số:", number] if "wrapped-number" in cases else [f"Số: {number}"]
        lines += ["", f"{printed_place}, ngày {when.day:02d} tháng {when.month} năm {when.year}", ""]
    lines += [f"## {doc_type.upper()}", "", f"**{printed_title}**", ""]
    if "upper-title" in cases:
        # The chain is only in the upper-case title: the opening sentence does not repeat it.
        opening = (
            f"Để triển khai có hiệu quả các nhiệm vụ, {issuer_text} ban hành {doc_type} thực hiện như sau:"
        )
    else:
        opening = (
            f"{title} (sau đây gọi là {parent.mention.split(' ngày ')[0]}), {issuer_text} ban hành "
            f"{doc_type} thực hiện như sau:"
        )
    lines += [
        opening,
        "",
        "### I. MỤC ĐÍCH, YÊU CẦU",
        "",
        "#### 1. Mục đích",
        "",
        f"Cụ thể hóa các quan điểm, mục tiêu để tổ chức thực hiện có hiệu quả {parent.mention.split(' ngày ')[0]}.",
        "",
        "#### 2. Yêu cầu",
        "",
        "Xác định rõ lộ trình, thời gian và trách nhiệm của các cơ quan, đơn vị; gắn với việc đánh giá kết quả công tác hàng năm.",
        "",
        "### II. NHIỆM VỤ CHỦ YẾU",
        "",
    ]
    local_place = place if jurisdiction else None
    ctx = _Cells(pools, g, local_place, jurisdiction, kind)
    tasks: tuple[SynthTask, ...] = ()
    if form == "prose":
        tasks = _prose(hd, lines, ctx, when.year)
    else:
        where = "các Phụ lục I và II" if form == "tables" else "Phụ lục"
        lines += [f"*(Chi tiết tại {where} kèm theo).*", "", "### III. TỔ CHỨC THỰC HIỆN", "", _EVERYONE, ""]
    lines += [
        "***Nơi nhận:***",
        "",
        "- Như trên;",
        "- Lưu: VT.",
        "",
        *(f"**{s}**" for s in sign),
        "",
        f"**{_person(rng)}**",
        "",
    ]
    if form == "prose":
        return SynthPlan(i, file, tuple(lines), document, tasks, (*cases, "prose"))

    def appendix(label: str) -> None:
        lines.extend(
            [
                f"**Phụ lục{label}**",
                "",
                f"**DANH MỤC NHIỆM VỤ TRIỂN KHAI THỰC HIỆN {doc_type.upper()}**",
                "",
                f"(Kèm theo {doc_type} số {number} của {issuer_text})",
                "",
            ]
        )

    appendix(" I" if form == "tables" else "")
    tasks = _table(rng, lines, ctx, when.year, hd)
    if form == "tables":
        lines.append("")
        appendix(" II")
        second = _table(rng, lines, ctx, when.year, hd)
        tasks = _label_appendices(tasks, second)
        cases = (*cases, "several-tables")
    return SynthPlan(i, file, tuple(lines), document, tasks, cases)


def _table(rng: random.Random, lines: list[str], ctx: _Cells, year: int, hd: _Hard) -> tuple[SynthTask, ...]:
    """Append the task table to *lines*; return the tasks it states."""
    pools, g, place, jurisdiction, kind = ctx.pools, ctx.g, ctx.place, ctx.jurisdiction, ctx.kind
    extra = rng.choice(_HEADERS["extra"]) if rng.random() < 0.2 else None
    header_cells = [rng.choice(_HEADERS[c]) for c in ("number", "title", "lead", "coordinating")]
    header_cells += [extra] if extra else []
    header_cells.append(rng.choice(_HEADERS["deadline"]))
    header = "\t".join(header_cells)
    width = len(header_cells)
    dotted = rng.random() < 0.7

    n_tasks = int(rng.triangular(10, 100, 25))
    grouped = rng.random() > 0.05
    n_groups = rng.randint(2, 7) if grouped else 1
    cuts = sorted(rng.sample(range(1, n_tasks), n_groups - 1)) if n_groups > 1 else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, n_tasks], strict=True)]
    group_titles = rng.sample(_GROUP_TITLES, n_groups) if grouped else [None]

    local_pool = _local_pool(pools, place, kind)
    # Only names the gazetteer really lacks: it grows, these lists do not.
    unknown = [n for n in _unknown_names(place) if g.lookup(n) is None]
    collectives = _collective_pool(pools, g, place)
    page = rng.randint(8, 20)
    rows_on_page = 0
    tasks: list[SynthTask] = []

    def emit(row: list[str]) -> int:
        nonlocal rows_on_page
        lines.append("\t".join(row))
        rows_on_page += 1
        return len(lines)

    def page_break() -> None:
        nonlocal rows_on_page
        lines.extend(["", "", "", header])
        rows_on_page = 0

    lines.append(header)
    for gi, (size, gtitle) in enumerate(zip(sizes, group_titles, strict=True)):
        gid = _ROMAN[gi] if grouped else None
        if grouped:
            emit([f"<b>{gid}</b>", f"<b>{gtitle}</b>", *([""] * (width - 2))])
        for n in range(1, size + 1):
            if rows_on_page >= page:
                page_break()
            tid = f"{gid}.{n}" if gid else str(n)
            task_title = _task_title(rng)
            lead_cell, lead, lead_unknown = _lead_cell(
                rng, pools, g, place, jurisdiction, local_pool, unknown, collectives
            )
            coord_parts, coordinating, coord_unknown = _coord_cell(
                rng, pools, g, place, jurisdiction, local_pool, unknown, collectives, {a.id for a, _ in lead}
            )
            row_cases: tuple[str, ...] = ()
            row_cell = ""
            # Not in a row whose partners are printed with no separator (reader gap, see the tests).
            merged = len(coord_parts) < len(coordinating)
            if not merged and (case := hd.cell(ctx, lead, coordinating)) is not None:
                # One cell of the row written the hard way; the other cell keeps its bodies.
                row_cases = (case.kind,)
                row_cell = "lead" if case.lead else "coordinating"
                if case.lead:
                    lead_cell, lead, lead_unknown = case.text, [(a, Role.LEAD) for a in case.agencies], []
                elif case.kind == "collective-commas":  # a class closes the list, as plans write it
                    coord_parts = [*coord_parts, case.text]
                    coordinating = [*coordinating, *case.agencies]
                else:
                    coord_parts = [case.text, *coord_parts]
                    coordinating = [*case.agencies, *coordinating]
                coord_unknown += list(case.unrecognised)
            deadline = _deadline(rng, year)
            product = rng.choice(_PRODUCTS) if extra else None
            cells = [f"{n}." if dotted else str(n), task_title, lead_cell, _join(rng, coord_parts)]
            cells += [product] if extra else []
            cells.append(deadline.text)
            row_lines = []
            split = rng.random() < 0.06 and _splittable(task_title)
            if split:
                head, tail = _split_title(rng, task_title)
                ch, ct = (coord_parts[:-1], coord_parts[-1:]) if len(coord_parts) > 1 else (coord_parts, [])
                cells[1] = head
                cells[3] = ", ".join(ch) + ("," if ct else "")
                row_lines.append(emit(cells))
                if rng.random() < 0.5:
                    page_break()
                cont = ["", tail, "", ", ".join(ct), *([""] * (width - 4))]
                row_lines.append(emit(cont))
            else:
                row_lines.append(emit(cells))
            tasks.append(
                SynthTask(
                    id=tid,
                    number=str(n),
                    group=gid,
                    group_title=gtitle,
                    title=task_title,
                    lead=tuple(lead),
                    coordinating=tuple(coordinating),
                    deadline=deadline,
                    lines=tuple(row_lines),
                    attributes=((extra, product),) if extra else (),
                    unrecognised=tuple(lead_unknown + coord_unknown),
                    hard=row_cases,
                    hard_cell=row_cell,
                )
            )
    return tuple(tasks)


def _join(rng: random.Random, parts: list[str]) -> str:
    return ", ".join(parts) if rng.random() < 0.85 else "; ".join(parts)


def _splittable(title: str) -> bool:
    words = title.split(" ")
    return any(w[:1].islower() for w in words[2:])


def _split_title(rng: random.Random, title: str) -> tuple[str, str]:
    """Split a title where a page break may fall: before a word in lower case."""
    words = title.split(" ")
    at = [i for i in range(2, len(words)) if words[i][:1].islower()]
    i = rng.choice(at)
    return " ".join(words[:i]), " ".join(words[i:])


def _task_title(rng: random.Random) -> str:
    qualifier = rng.choice(_QUALIFIERS)
    parts = [rng.choice(_VERBS), rng.choice(_OBJECTS), "về", rng.choice(_TOPICS)]
    if qualifier:
        parts.append(qualifier)
    return " ".join(parts)


def _local_pool(pools: _Pools, place: Place | None, kind: str) -> list[Entry]:
    if place is None:  # a ministry's plan: national bodies
        return list(pools.national)
    form = "city" if place.city else "province"
    local = [e for e in pools.local if pools.forms[e.key] in {"any", form}]
    # The place's own national bodies, then a few ministries: provincial plans name them less.
    return local[:30] + list(pools.bound.get(place.name, ())) + local[30:] + list(pools.ministries[:8])


def _collective_pool(pools: _Pools, g: Gazetteer, place: Place | None) -> list[Entry]:
    keys = _NATIONAL_COLLECTIVES if place is None else _COMMON_COLLECTIVES
    form = "national" if place is None else ("city" if place.city else "province")
    out = []
    for k in keys:
        e = g.get(k)
        if e is not None and (form == "national" or _form(e) in {"any", form}):
            out.append(e)
    return out


def _unknown_names(place: Place | None) -> list[str]:
    if place is None:
        return list(_NATIONAL_UNKNOWN)
    word = "Thành phố" if place.city else "tỉnh"
    return [n.replace(" tỉnh", f" {word}") for n in _LOCAL_UNKNOWN[: 4 + len(place.name) % 5]]


def _pick_body(
    rng: random.Random,
    g: Gazetteer,
    pools: _Pools,
    place: Place | None,
    jurisdiction: str | None,
    local_pool: list[Entry],
    unknown: list[str],
    exclude: set[str],
) -> tuple[Agency, str, bool]:
    """One body for a cell: (agency, as written, recognised)."""
    for _ in range(20):
        if rng.random() < 0.04:
            name = rng.choice(unknown)
            agency = g.unrecognised(name, jurisdiction)
            written, known = name, False
        else:
            entry = _zipf_pick(rng, local_pool)
            agency = g.resolve(entry, jurisdiction)
            written, known = _written(rng, entry, place, pools), True
        if agency.id not in exclude:
            exclude.add(agency.id)
            return agency, written, known
    raise RuntimeError("agency pool exhausted")  # pragma: no cover - pools hold dozens of bodies


def _lead_cell(rng, pools, g, place, jurisdiction, local_pool, unknown, collectives):
    """The lead cell: one body, a collective, "X chỉ đạo, Y chủ trì" or two bodies."""
    used: set[str] = set()
    r = rng.random()
    if r < 0.07 and place is not None:
        directing_pool = [e for e in local_pool if e.kind == "party_body" and e.scope == "local"]
        d_entry = rng.choice(directing_pool)
        d_agency = g.resolve(d_entry, jurisdiction)
        used.add(d_agency.id)
        lead, written, known = _pick_body(rng, g, pools, place, jurisdiction, local_pool, unknown, used)
        cell = f"{_written(rng, d_entry, place, pools)} chỉ đạo, {written} chủ trì"
        return cell, [(d_agency, Role.DIRECTING), (lead, Role.LEAD)], [] if known else [written]
    if r < 0.15 and collectives:
        entry = rng.choice(collectives)
        return _written(rng, entry, place, pools), [(g.resolve(entry, jurisdiction), Role.LEAD)], []
    a, wa, ka = _pick_body(rng, g, pools, place, jurisdiction, local_pool, unknown, used)
    if r < 0.18:
        b, wb, kb = _pick_body(rng, g, pools, place, jurisdiction, local_pool, unknown, used)
        return f"{wa}, {wb}", [(a, Role.LEAD), (b, Role.LEAD)], [w for w, k in ((wa, ka), (wb, kb)) if not k]
    if r < 0.21:
        return f"{wa} (chủ trì)", [(a, Role.LEAD)], [] if ka else [wa]
    return wa, [(a, Role.LEAD)], [] if ka else [wa]


def _coord_cell(rng, pools, g, place, jurisdiction, local_pool, unknown, collectives, lead_ids):
    """The coordinating cell as parts joined by commas, its agencies and its unknown names."""
    n = rng.choices((0, 1, 2, 3, 4), weights=(20, 30, 25, 15, 10), k=1)[0]
    used = set(lead_ids)
    parts: list[str] = []
    agencies: list[Agency] = []
    unknown_written: list[str] = []
    with_collective = n > 0 and collectives and rng.random() < 0.5
    bodies = n - 1 if with_collective else n
    picked = [
        _pick_body(rng, g, pools, place, jurisdiction, local_pool, unknown, used) for _ in range(bodies)
    ]
    for a, w, known in picked:
        parts.append(w)
        agencies.append(a)
        if not known:
            unknown_written.append(w)
    # Two known bodies side by side with no separator, as some copies print them.
    # (Only before "Sở …"/"Bộ …": an alias ending in "tỉnh" would swallow the "Tỉnh" of "Tỉnh ủy".)
    if (
        len(picked) >= 2
        and all(g.lookup(w) for _, w, _ in picked[:2])
        and name_key(picked[1][1]).startswith(("sở ", "bộ "))
        and rng.random() < 0.1
    ):
        parts[:2] = [f"{parts[0]} {parts[1]}"]
    if with_collective:
        entry = rng.choice(collectives)
        c = g.resolve(entry, jurisdiction)
        if c.id not in used:
            written = _written(rng, entry, place, pools)
            parts.append(written if not parts or rng.random() < 0.5 else written[0].lower() + written[1:])
            agencies.append(c)
    return parts, agencies, unknown_written


# ---------------------------------------------------------------------------
# Hard cases: what real plans print and a careful reader still reads right.

HARD_CASES = (
    "shared-head",  # "Sở Tài chính, Nội vụ, Xây dựng", "các Sở: Tài chính, Nội vụ": one body per name
    "collective-commas",  # "UBND các xã, phường, đặc khu", "Sở, ban, ngành, đoàn thể": one class
    "qualifier",  # "Sở X (chủ trì phần …)", "Bộ Công an (Cục …)": the parenthetical is no body
    "place-qualified",  # a national plan naming "Sở Tài chính tỉnh Bắc Ninh", "UBND thành phố A, B"
    "wrapped-issuer",  # "ỦY BAN NHÂN" / "DÂN" / "TỈNH X" on separate lines
    "wrapped-number",  # "Số:" with the number on the next line
    "upper-title",  # an upper-case title that alone carries the chain ("THỰC HIỆN NGHỊ QUYẾT SỐ …")
    "prose",  # no table: labelled items and agency-headed items in the text
    "several-tables",  # Phụ lục I and Phụ lục II, each numbered from 1
)
CELL_CASES = HARD_CASES[:4]

# Fields that are head words of bodies themselves ("Công an tỉnh"): written first in a shared-head
# list, since the reader takes them, after the first, for a body of their own (a gap it has).
_FIELD_HEADS = frozenset({"bo-cong-an"})
_EVERYONE = (
    "Các cơ quan, đơn vị căn cứ chức năng được giao chủ động xây dựng kế hoạch của đơn vị; "
    "định kỳ báo cáo kết quả thực hiện./."
)
# Classes whose names carry commas, with the gazetteer entry each one is (None: a class the
# gazetteer does not list, kept as written).
_LOCAL_CLASSES = (
    ("UBND các xã, phường, đặc khu", "ubnd-cac-phuong-xa"),
    ("Ủy ban nhân dân xã, phường, đặc khu", "ubnd-cac-phuong-xa"),
    ("cơ quan, địa phương liên quan", "cac-co-quan-dia-phuong-lien-quan"),
    ("Các cơ quan, địa phương có liên quan", "cac-co-quan-dia-phuong-lien-quan"),
    ("Sở, ban, ngành, đoàn thể", "cac-so-ban-nganh"),
    ("Các sở, ban, ngành, đoàn thể", "cac-so-ban-nganh"),
    ("Các cơ quan, đơn vị, địa phương có liên quan", None),
    ("Các sở, ngành, đoàn thể, doanh nghiệp", None),
)
_NATIONAL_CLASSES = (
    ("Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "cac-bo-co-quan-ngang-bo-co-quan-thuoc-chinh-phu"),
    ("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "cac-bo-co-quan-ngang-bo-co-quan-thuoc-chinh-phu"),
    ("cơ quan, địa phương liên quan", "cac-co-quan-dia-phuong-lien-quan"),
    ("UBND các tỉnh, thành phố trực thuộc trung ương", "ubnd-cac-tinh-thanh-pho"),
    ("Các tập đoàn, tổng công ty nhà nước", None),
    ("Các cơ quan, tổ chức, doanh nghiệp có liên quan", None),
)
# Parentheticals that say which part of the work a body takes: notes, never bodies.
_LEAD_NOTES = (
    "(chủ trì phần kinh phí)",
    "(chủ trì phần đầu tư, xây dựng, vận hành tại địa phương)",
    "(chủ trì về chuyên môn)",
    "(theo chức năng, nhiệm vụ được giao)",
)
_PARTNER_NOTES = ("(theo chức năng, nhiệm vụ)", "(phần nội dung liên quan)", "(đối với lĩnh vực được giao)")
# A unit named inside its ministry: the ministry is the agency.
_UNITS = {
    "bo-cong-an": (
        "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "Trung tâm Dữ liệu quốc gia về dân cư",
        "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",
    ),
    "bo-khoa-hoc-va-cong-nghe": ("Cục Chuyển đổi số quốc gia", "Cục Đổi mới sáng tạo"),
    "bo-tai-chinh": ("Cục Thống kê", "Vụ Ngân sách nhà nước"),
    "bo-noi-vu": ("Vụ Tổ chức - Biên chế",),
    "bo-y-te": ("Cục Quản lý Khám, chữa bệnh",),
}


@dataclass(frozen=True, slots=True)
class _Cells:
    """What writing a cell needs: the pools, the gazetteer and the plan's place."""

    pools: _Pools
    g: Gazetteer
    place: Place | None  # None: a national plan
    jurisdiction: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class _HardCell:
    """A cell (or the first part of one) written the hard way, and what it states."""

    kind: str
    text: str
    agencies: tuple[Agency, ...]
    lead: bool  # it is the whole lead cell; else the first part of the coordinating cell
    unrecognised: tuple[str, ...] = ()


class _Hard:
    """The hard-case choices of one plan, from a random stream of their own.

    The plain stream is never drawn from here, and nothing is drawn when *share* is 0, so
    the plain corpus keeps its bytes.
    """

    def __init__(self, rng: random.Random, share: float) -> None:
        self.rng = rng
        self.share = share

    def chance(self, p: float) -> bool:
        return self.share > 0 and self.rng.random() < p

    def form(self) -> str:
        """ "table", "tables" (two appendices) or "prose"."""
        if self.share <= 0:
            return "table"
        r = self.rng.random()
        return "prose" if r < self.share / 2 else "tables" if r < self.share else "table"

    def document_cases(self, blank_number: bool) -> tuple[str, ...]:
        out = [c for c in ("wrapped-issuer", "wrapped-number", "upper-title") if self.chance(self.share)]
        return tuple(c for c in out if not (blank_number and c == "wrapped-number"))

    def cell(self, ctx: _Cells, lead, coordinating) -> _HardCell | None:
        """A hard cell for a row (or None), whose bodies the row does not name already."""
        if not self.chance(self.share):
            return None
        taken = {a.id for a, _ in lead} | {a.id for a in coordinating}
        for _ in range(10):
            kinds = [k for k in CELL_CASES if k != "place-qualified" or ctx.place is None]
            kind = self.rng.choice(kinds)
            as_lead = self.rng.random() < 0.5
            case = _HARD_WRITERS[kind](self.rng, ctx, as_lead)
            if case is None:
                continue
            ids = [a.id for a in case.agencies]
            own = {a.id for a, _ in lead} if as_lead else set()
            if kind == "collective-commas" and not as_lead and any(a.is_collective for a in coordinating):
                continue  # two classes side by side may be read as one longer class: fair either way
            if len(set(ids)) == len(ids) and not set(ids) & (taken - own):
                return case
        return None


def _known(rng: random.Random, ctx: _Cells, pred: Callable[[Entry], bool] = lambda e: True) -> Entry:
    """A known body of the plan's pool (heavy ones likelier), no class."""
    pool = [e for e in _local_pool(ctx.pools, ctx.place, ctx.kind) if e.kind != "collective" and pred(e)]
    return _zipf_pick(rng, pool)


def _shared_heads(ctx: _Cells) -> tuple[str, tuple[Entry, ...]]:
    """The head word a plan's bodies share ("Sở", "Bộ") and the bodies named "<head> <field>"."""
    if ctx.place is None:
        head, pool = "Bộ", ctx.pools.ministries
    else:
        form = "city" if ctx.place.city else "province"
        head = "Sở"
        pool = tuple(
            e for e in ctx.pools.local if e.kind == "department" and ctx.pools.forms[e.key] in {"any", form}
        )
    # A field may hold a comma ("Sở Tài chính, Văn hóa, Thể thao và Du lịch" is two Sở): a
    # careful reader knows the body's name, and no field's parts name bodies of their own.
    return head, tuple(e for e in pool if e.name.startswith(f"{head} "))


def _write_shared_head(rng: random.Random, ctx: _Cells, as_lead: bool) -> _HardCell | None:
    head, pool = _shared_heads(ctx)
    n = rng.choice((2, 2, 3))
    if len(pool) < n:
        return None
    entries = rng.sample(pool[:14], n)
    # "Bộ Y tế, Công an" is read as a body "Công an" (tests/test_synth_hard.py, READER_GAPS): such a field goes first.
    entries.sort(key=lambda e: e.key not in _FIELD_HEADS)
    fields = [e.name.removeprefix(f"{head} ") for e in entries]
    if rng.random() < 0.6:
        text = f"{head} {', '.join(fields)}"
    else:
        text = f"{'Các' if as_lead or rng.random() < 0.5 else 'các'} {head}: {', '.join(fields)}"
    agencies = tuple(ctx.g.resolve(e, ctx.jurisdiction) for e in entries)
    return _HardCell("shared-head", text, agencies, as_lead)


def _write_class(rng: random.Random, ctx: _Cells, as_lead: bool) -> _HardCell | None:
    phrase, key = rng.choice(_NATIONAL_CLASSES if ctx.place is None else _LOCAL_CLASSES)
    if key is None:
        if ctx.g.lookup(phrase) is not None:
            return None  # the gazetteer has learnt it: no longer a class it lacks
        agency = ctx.g.unrecognised(phrase, ctx.jurisdiction, kind="collective")
        return _HardCell("collective-commas", phrase, (agency,), as_lead, (phrase,))
    if as_lead:
        phrase = phrase[:1].upper() + phrase[1:]
    return _HardCell("collective-commas", phrase, (ctx.g.resolve(ctx.g.get(key), ctx.jurisdiction),), as_lead)


def _write_qualifier(rng: random.Random, ctx: _Cells, as_lead: bool) -> _HardCell | None:
    if ctx.place is None and rng.random() < 0.6:
        key = rng.choice(sorted(_UNITS))
        entry = ctx.g.get(key)
        if entry is None:
            return None
        text = f"{entry.name} ({rng.choice(_UNITS[key])})"
    else:
        entry = _known(rng, ctx, lambda e: e.kind not in {"party_body"})
        notes = _LEAD_NOTES if as_lead else _PARTNER_NOTES
        text = f"{entry.name} {rng.choice(notes)}"
    return _HardCell("qualifier", text, (ctx.g.resolve(entry, ctx.jurisdiction),), as_lead)


def _write_place_qualified(rng: random.Random, ctx: _Cells, as_lead: bool) -> _HardCell | None:
    if ctx.place is not None:
        return None
    g = ctx.g
    if rng.random() < 0.5:
        city = rng.random() < 0.5
        places = [p for p in PLACES if p.city == city]
        a, b = rng.sample(places, 2)
        entry = g.get("ubnd-thanh-pho" if city else "ubnd-tinh")
        head = rng.choice(("UBND", "Ủy ban nhân dân"))
        second = b.name if b.name.startswith("Thành phố") or rng.random() < 0.5 else b.qualifier
        text = f"{head} {a.qualifier}, {second}"
        agencies = (g.resolve(entry, a.name), g.resolve(entry, b.name))
        return _HardCell("place-qualified", text, agencies, as_lead)
    place = _zipf_pick(rng, list(PLACES), s=0.6)
    form = "city" if place.city else "province"
    pool = [
        e
        for e in ctx.pools.local[:30]
        if e.kind == "department" and e.name.startswith("Sở ") and ctx.pools.forms[e.key] in {"any", form}
    ]
    entry = rng.choice(pool)
    return _HardCell(
        "place-qualified", f"{entry.name} {place.qualifier}", (g.resolve(entry, place.name),), as_lead
    )


_HARD_WRITERS: dict[str, Callable[[random.Random, _Cells, bool], _HardCell | None]] = {
    "shared-head": _write_shared_head,
    "collective-commas": _write_class,
    "qualifier": _write_qualifier,
    "place-qualified": _write_place_qualified,
}


def _wrap_header(header: list[str]) -> list[str]:
    """The issuer's block as a narrow column prints it: its first line broken in two.

    >>> _wrap_header(["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH"])
    ['ỦY BAN NHÂN', 'DÂN', 'TỈNH BẮC NINH']
    >>> _wrap_header(["BỘ KHOA HỌC VÀ CÔNG NGHỆ"])
    ['BỘ KHOA HỌC', 'VÀ CÔNG NGHỆ']
    """
    first, *rest = header
    words = first.split(" ")
    if len(words) < 3:
        return header
    cut = len(words) - 1 if len(words) <= 4 else len(words) // 2
    return [" ".join(words[:cut]), " ".join(words[cut:]), *rest]


def _label_appendices(first: tuple[SynthTask, ...], second: tuple[SynthTask, ...]) -> tuple[SynthTask, ...]:
    """The tasks of Phụ lục I and II: when their ids meet, each id carries its appendix ("PL II.3").

    This is the reader's public convention (README, "How a plan is read"; loaders/appendix.py).

    >>> one = SynthTask("1", "1", None, None, "A", (), (), Deadline(""), (9,))
    >>> [t.id for t in _label_appendices((one,), (one,))]
    ['PL I.1', 'PL II.1']
    >>> [t.id for t in _label_appendices((one,), (replace(one, id="I.1"),))]
    ['1', 'I.1']
    """
    if not {t.id for t in first} & {t.id for t in second}:
        return (*first, *second)
    return (
        *(replace(t, id=f"PL I.{t.id}") for t in first),
        *(replace(t, id=f"PL II.{t.id}") for t in second),
    )


_LABELS = {
    "lead": ("Cơ quan chủ trì", "Đơn vị chủ trì"),
    "coordinating": ("Cơ quan phối hợp", "Đơn vị phối hợp"),
    "deadline": ("Thời gian thực hiện", "Thời hạn hoàn thành"),
}
_LETTERS = "abcd"


def _prose(hd: _Hard, lines: list[str], ctx: _Cells, year: int) -> tuple[SynthTask, ...]:
    """Append sections II (labelled items) and III (items under agency headings); their tasks.

    Section II: "1. <title>" / "- Cơ quan chủ trì: …" / "- Cơ quan phối hợp: …" /
    "- Thời gian thực hiện: …", one task each (id "II.1", its lines those of the item and
    its labels).  Section III: "1. Sở Tài chính" heads lettered items, each a task of that
    body (id "III.1.a"); "Phối hợp với X …" is led by X with the heading's body
    coordinating, "Chủ trì, phối hợp với Y …" makes Y a partner.
    """
    rng = hd.rng
    tasks: list[SynthTask] = []
    for n in range(1, rng.randint(3, 8) + 1):
        tasks.append(_labelled_item(hd, lines, ctx, year, n))
    lines += ["### III. TỔ CHỨC THỰC HIỆN", "", _EVERYONE, ""]
    head_pool = [
        e
        for e in _local_pool(ctx.pools, ctx.place, ctx.kind)[:40]
        if e.kind in {"department", "ministry"} and e.scope == ("national" if ctx.place is None else "local")
    ]
    for k, entry in enumerate(rng.sample(head_pool, rng.randint(2, 4)), start=1):
        body = ctx.g.resolve(entry, ctx.jurisdiction)
        lines += [f"{k}. {entry.name}", ""]
        others = [e for e in head_pool if e is not entry]
        for letter in _LETTERS[: rng.randint(1, 3)]:
            tasks.append(_headed_item(rng, lines, ctx, year, f"III.{k}", entry, body, others, letter))
    return tuple(tasks)


def _labelled_item(hd: _Hard, lines: list[str], ctx: _Cells, year: int, n: int) -> SynthTask:
    rng = hd.rng
    title = _task_title(rng)
    at = [len(lines) + 1]
    lines += [f"{n}. {title}", ""]
    used: set[str] = set()
    entry = _known(rng, ctx)
    lead = [ctx.g.resolve(entry, ctx.jurisdiction)]
    lead_text = _plainly(rng, entry, ctx)
    used.add(lead[0].id)
    coord_parts: list[str] = []
    coordinating: list[Agency] = []
    for _ in range(rng.choice((0, 1, 2, 2, 3))):
        e = _known(rng, ctx)
        a = ctx.g.resolve(e, ctx.jurisdiction)
        if a.id not in used:
            used.add(a.id)
            coord_parts.append(_plainly(rng, e, ctx))
            coordinating.append(a)
    cases: tuple[str, ...] = ()
    unrecognised: tuple[str, ...] = ()
    cell = ""
    if (case := hd.cell(ctx, [(a, Role.LEAD) for a in lead], coordinating)) is not None:
        cases, unrecognised = (case.kind,), case.unrecognised
        cell = "lead" if case.lead else "coordinating"
        if case.lead:
            lead_text, lead = case.text, list(case.agencies)
        elif case.kind == "collective-commas":
            coord_parts, coordinating = [*coord_parts, case.text], [*coordinating, *case.agencies]
        else:
            coord_parts, coordinating = [case.text, *coord_parts], [*case.agencies, *coordinating]
    fields = [("lead", lead_text)]
    fields += [("coordinating", ", ".join(coord_parts))] if coord_parts else []
    deadline = _deadline(rng, year)
    fields += [("deadline", deadline.text)] if deadline.text else []
    for field_name, text in fields:
        at.append(len(lines) + 1)
        lines += [f"- {rng.choice(_LABELS[field_name])}: {text}.", ""]
    return SynthTask(
        id=f"II.{n}",
        number=f"II.{n}",
        group="II",
        group_title="NHIỆM VỤ CHỦ YẾU",
        title=title,
        lead=tuple((a, Role.LEAD) for a in lead),
        coordinating=tuple(coordinating),
        deadline=deadline,
        lines=tuple(at),
        unrecognised=unrecognised,
        hard=(*cases, "prose"),
        hard_cell=cell,
    )


def _plainly(rng: random.Random, entry: Entry, ctx: _Cells) -> str:
    """A body's name or alias, maybe typed another way, not place-qualified."""
    label = (
        entry.name
        if rng.random() < 0.7
        else rng.choice(_labels(entry, ctx.place.city if ctx.place else None))
    )
    return _variant(rng, label)


def _headed_item(rng, lines, ctx, year, group, entry, body, others, letter) -> SynthTask:
    """One lettered item under an agency heading."""
    work = _task_title(rng)
    work = work[:1].lower() + work[1:]
    partners = rng.sample(others, rng.choice((1, 1, 2)))
    named = ", ".join(e.name for e in partners)
    agencies = tuple(ctx.g.resolve(e, ctx.jurisdiction) for e in partners)
    r = rng.random()
    if r < 0.4:
        text, lead, coordinating = work[:1].upper() + work[1:], (body,), ()
    elif r < 0.7:
        text, lead, coordinating = f"Chủ trì, phối hợp với {named} {work}", (body,), agencies
    else:
        text, lead, coordinating = f"Phối hợp với {named} {work}", agencies, (body,)
    deadline = Deadline("")
    if rng.random() < 0.5:
        y = year + rng.choice((0, 1, 2))
        # Not "Quý III/…" nor "năm …": the reader cuts them short (tests/test_synth_hard.py, READER_GAPS).
        if rng.random() < 0.5:
            q = rng.choice((1, 2, 4))
            when = Deadline(f"Quý {_ROMAN[q - 1]}/{y}", date(y, 3 * q - 2, 1), _last_day(y, 3 * q))
        else:
            m = rng.randint(1, 12)
            when = Deadline(f"tháng {m}/{y}", date(y, m, 1), _last_day(y, m))
        deadline = Deadline(f"hoàn thành trong {when.text}", when.start, when.end)
        text = f"{text}; {deadline.text}"
    title = f"{text}."
    lines += [f"{letter}) {title}", ""]
    return SynthTask(
        id=f"{group}.{letter}",
        number=f"{group}.{letter}",
        group=group,
        group_title=entry.name,
        title=title,
        lead=tuple((a, Role.LEAD) for a in lead),
        coordinating=coordinating,
        deadline=deadline,
        lines=(len(lines) - 1,),
        hard=("prose",),
    )


# ---------------------------------------------------------------------------
# Writing.


def write_corpus(
    plans: int,
    out: Path | str,
    *,
    seed: int = 0,
    hard: float = 0.0,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write *plans* generated documents into *out* (created); return the number of bytes written.

    ``progress(1)`` is called after each file.  Files are written one by one
    (temporary file + rename) and never gathered in memory.
    """
    from kg.model.output import write_atomic

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for plan in generate(plans, seed, hard=hard):
        text = "\n".join(plan.lines) + "\n"
        data = text.encode("utf-8")
        write_atomic(out / plan.file, data)
        total += len(data)
        if progress is not None:
            progress(1)
    return total
