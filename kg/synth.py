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
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from kg.gazetteer import Entry, Gazetteer
from kg.model import Agency, Deadline, Recurrence, Role
from kg.text import name_key, slug

__all__ = [
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


def generate(plans: int, seed: int = 0) -> Iterator[SynthPlan]:
    """Yield *plans* generated plan documents, one at a time, deterministically from *seed*."""
    if plans < 0:
        raise ValueError("plans must be >= 0")
    corpus = _Corpus({}, {})
    for i in range(plans):
        yield _plan(i, seed, corpus)


def _issuer_kind(rng: random.Random) -> str:
    return rng.choices(("ubnd", "party", "ministry"), weights=(65, 15, 20), k=1)[0]


def _plan(i: int, seed: int, corpus: _Corpus) -> SynthPlan:
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

    document = SynthDocument(
        id=doc_id,
        type=doc_type,
        number=None if blank_number else number,
        date=None if blank_number else when,
        year=when.year,
        place=printed_place,
        issuer=issuer,
        title=title,
        chain=_chain_ids(parent),
    )
    lines: list[str] = []
    lines += [*header, "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    if blank_number:
        lines += [f"Số: /{number.split('/', 1)[1]}", "", f"{printed_place}, ngày tháng năm {when.year}", ""]
    else:
        lines += [
            f"Số: {number}",
            "",
            f"{printed_place}, ngày {when.day:02d} tháng {when.month} năm {when.year}",
            "",
        ]
    lines += [f"## {doc_type.upper()}", "", f"**{title}**", ""]
    lines += [
        f"{title} (sau đây gọi là {parent.mention.split(' ngày ')[0]}), {issuer_text} ban hành "
        f"{doc_type} thực hiện như sau:",
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
        "*(Chi tiết tại Phụ lục kèm theo).*",
        "",
        "### III. TỔ CHỨC THỰC HIỆN",
        "",
        "Các cơ quan, đơn vị căn cứ chức năng được giao chủ động xây dựng kế hoạch của đơn vị; định kỳ báo cáo kết quả thực hiện./.",
        "",
        "***Nơi nhận:***",
        "",
        "- Như trên;",
        "- Lưu: VT.",
        "",
        *(f"**{s}**" for s in sign),
        "",
        f"**{_person(rng)}**",
        "",
        "**Phụ lục**",
        "",
        f"**DANH MỤC NHIỆM VỤ TRIỂN KHAI THỰC HIỆN {doc_type.upper()}**",
        "",
        f"(Kèm theo {doc_type} số {number} của {issuer_text})",
        "",
    ]
    tasks = _table(rng, lines, pools, g, place if jurisdiction else None, jurisdiction, when.year, kind)
    return SynthPlan(i, file, tuple(lines), document, tasks)


def _table(
    rng: random.Random,
    lines: list[str],
    pools: _Pools,
    g: Gazetteer,
    place: Place | None,
    jurisdiction: str | None,
    year: int,
    kind: str,
) -> tuple[SynthTask, ...]:
    """Append the task table to *lines*; return the tasks it states."""
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
# Writing.


def write_corpus(
    plans: int,
    out: Path | str,
    *,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write *plans* generated documents into *out* (created); return the number of bytes written.

    ``progress(1)`` is called after each file.  Files are written one by one
    (temporary file + rename) and never gathered in memory.
    """
    from kg.output import write_atomic

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for plan in generate(plans, seed):
        text = "\n".join(plan.lines) + "\n"
        data = text.encode("utf-8")
        write_atomic(out / plan.file, data)
        total += len(data)
        if progress is not None:
            progress(1)
    return total
