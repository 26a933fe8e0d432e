"""The words of a generated plan: task titles, group titles, topics, people's names, column
headers, bodies the gazetteer does not list, and every deadline form the reader knows.

Titles avoid the words a header cell is recognised by (nội dung, nhiệm vụ, giải pháp, chủ
trì, phối hợp, thời gian, chỉ tiêu…), as real rows mostly do: a row holding them could be
taken for a repeated header.

>>> import random
>>> d = _deadline(random.Random(1), 2025)
>>> d.text != "" and (d.start is None or d.start.year >= 2025)
True
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from datetime import date

from kg.model import Deadline, Recurrence

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


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _task_title(rng: random.Random) -> str:
    qualifier = rng.choice(_QUALIFIERS)
    parts = [rng.choice(_VERBS), rng.choice(_OBJECTS), "về", rng.choice(_TOPICS)]
    if qualifier:
        parts.append(qualifier)
    return " ".join(parts)
