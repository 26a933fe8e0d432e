"""A plan's identity and chain, read from its header as printed.

The header blocks here are composed in the shapes real copies take (wrapped
issuer lines, the number on the line after "Số:", the two columns as a
Markdown table row, side by side, interleaved, the title in capitals with the
chain in it, a preamble citing laws); the corpus documents at the end are
checked against what their headers print, read by eye.
"""

from __future__ import annotations

import pytest

from kg.model.gazetteer import Gazetteer
from loaders import read_text
from loaders.document import read_document
from loaders.document_header import read_header
from loaders.document_refs import find_refs

G = Gazetteer.default()

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def doc(lines):
    return read_document(lines, file="x.md", gazetteer=G)


def chain(d):
    return [r.number or r.title for r in d.chain()]


# ------------------------------------------------------------------ the issuer


def test_issuer_wrapped_over_three_lines_with_blank_markup_between():
    lines = [
        "**ỦY BAN NHÂN",
        "**",
        "DÂN**",
        "THÀNH PHỐ HỒ CHÍ MINH",
        "-------",
        "**CỘNG HÒA XÃ HỘI",
        "CHỦ NGHĨA VIỆT NAM**",
        "Độc lập - Tự do - Hạnh phúc",
        "---------------",
        "Số: 172/KH-UBND",
        "*Thành phố Hồ Chí",
        "Minh, ngày 18 tháng 11 năm 2025*",
        "",
        "**KẾ HOẠCH**",
        "",
        "Triển khai Quyết định số 1850/QĐ-TTg ngày 27/8/2025 của Thủ tướng Chính phủ",
        "",
        "Ủy ban nhân dân Thành phố ban hành Kế hoạch như sau:",
        "",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn A",
    ]
    d, jurisdiction = doc(lines)
    assert d.issuer.name == "UBND Thành phố" and d.issuer.recognised
    assert jurisdiction == d.issuer.jurisdiction == "Thành phố Hồ Chí Minh"
    assert (d.number, str(d.date), d.place) == ("172/KH-UBND", "2025-11-18", "Thành phố Hồ Chí Minh")
    assert chain(d) == ["1850/QĐ-TTg"]


@pytest.mark.parametrize(
    "head",
    [
        # The two columns as one Markdown table row, lines split by <br>.
        [
            "| ỦY BAN NHÂN DÂN<br>TỈNH QUẢNG NGÃI<br>-------<br>Số: 88/KH-UBND"
            " | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc<br>---------------"
            "<br>Quảng Ngãi, ngày 3 tháng 12 năm 2025 |",
        ],
        # One table row per printed line, with the Markdown header rule.
        [
            "| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |",
            "|---|---|",
            "| TỈNH QUẢNG NGÃI | Độc lập - Tự do - Hạnh phúc |",
            "| Số: 88/KH-UBND | Quảng Ngãi, ngày 3 tháng 12 năm 2025 |",
        ],
        # Side by side on each line.
        [
            "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "TỈNH QUẢNG NGÃI\tĐộc lập - Tự do - Hạnh phúc",
            "Số: 88/KH-UBND            Quảng Ngãi, ngày 3 tháng 12 năm 2025",
        ],
        # Interleaved line by line, each column wrapped.
        [
            "ỦY BAN NHÂN",
            "CỘNG HÒA XÃ HỘI",
            "DÂN TỈNH",
            "CHỦ NGHĨA VIỆT NAM",
            "QUẢNG NGÃI",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 88/KH-UBND",
            "Quảng Ngãi, ngày 3 tháng 12 năm 2025",
        ],
        # The right column first, then the left.
        [
            *MOTTO,
            "Quảng Ngãi, ngày 3 tháng 12 năm 2025",
            "ỦY BAN NHÂN DÂN",
            "TỈNH QUẢNG NGÃI",
            "Số: 88/KH-UBND",
        ],
        # The columns on one line with single spaces, as some copies flatten them.
        [
            "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 88/KH-UBND",
            "Quảng Ngãi, ngày 3 tháng 12 năm 2025",
        ],
    ],
    ids=["table-one-row", "table-rows", "side-by-side", "interleaved", "right-first", "flattened"],
)
def test_issuer_is_the_left_column_whatever_the_layout(head):
    lines = [
        *head,
        "",
        "KẾ HOẠCH",
        "Kiểm kê tài sản công năm 2026",
        "",
        "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
    ]
    d, jurisdiction = doc(lines)
    assert (d.issuer.name, jurisdiction) == ("UBND tỉnh", "Quảng Ngãi")
    assert (d.number, str(d.date), d.place, d.type) == ("88/KH-UBND", "2025-12-03", "Quảng Ngãi", "Kế hoạch")
    assert d.title == "Kiểm kê tài sản công năm 2026"


def test_a_department_under_its_peoples_committee_is_the_issuer():
    lines = [
        "UBND TỈNH QUẢNG NINH",
        "SỞ TÀI CHÍNH",
        "-------",
        *MOTTO,
        "Số: 45/KH-STC",
        "Quảng Ninh, ngày 2 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Tổng kiểm kê tài sản công",
    ]
    d, jurisdiction = doc(lines)
    assert (d.issuer.name, d.issuer.recognised, jurisdiction) == ("Sở Tài chính", True, "Quảng Ninh")
    assert d.issuer.id == "quang-ninh/" + d.issuer.id.split("/", 1)[1]


def test_a_name_that_ends_like_the_motto_keeps_its_words():
    lines = [
        "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        *MOTTO,
        "Số: 7/KH-LĐTBXH",
        "Hà Nội, ngày 1 tháng 2 năm 2024",
    ]
    assert read_header(lines).issuer == "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH HÀ NAM", *MOTTO, "Số: 7/KH-UBND", "Hà Nam, ngày 1 tháng 2 năm 2024"]
    assert read_header(lines).issuer == "ỦY BAN NHÂN DÂN TỈNH HÀ NAM"
    assert doc(lines)[1] == "Hà Nam"


def test_issuer_is_never_a_signature_title_nor_a_phrase_of_the_title():
    lines = [
        "Số: 1627/QĐ-UBND",
        "Quảng Ngãi, ngày 21 tháng 11 năm 2025",
        "QUYẾT ĐỊNH",
        "Về việc ban hành Kế hoạch thực hiện Quyết định số 213/QĐ-TTg của Thủ tướng Chính phủ",
        "",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        "",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần B",
    ]
    d, jurisdiction = doc(lines)
    assert d.issuer is None or d.issuer.name not in {"CHỦ TỊCH", "Thủ tướng Chính phủ"}
    assert jurisdiction == "Quảng Ngãi"
    assert chain(d) == ["213/QĐ-TTg"]


def test_signature_on_behalf_of_a_body_names_the_issuer():
    lines = [
        "KẾ HOẠCH",
        "Phát triển du lịch",
        "",
        "Nội dung.",
        "",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê C",
    ]
    d, _ = doc(lines)
    assert d.issuer.name == "ỦY BAN NHÂN DÂN"
    d, _ = doc([line for line in lines if not line.startswith("TM.")])
    assert d.issuer is None


def test_party_header_and_its_committee():
    lines = [
        "ĐẢNG BỘ TỈNH NGHỆ AN",
        "TỈNH ỦY NGHỆ AN",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 15-KH/TU",
        "Nghệ An, ngày 9 tháng 1 năm 2026",
        "KẾ HOẠCH",
        "THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW NGÀY 22/12/2024 CỦA BỘ CHÍNH TRỊ",
    ]
    d, jurisdiction = doc(lines)
    assert (d.issuer.name, jurisdiction) == ("Tỉnh ủy", "Nghệ An")
    assert d.number == "15-KH/TU"
    assert chain(d) == ["57-NQ/TW"]


# ------------------------------------------------------------------ number, place and date, type


def test_number_on_the_line_after_so():
    lines = [
        "UỶ BAN NHÂN",
        "DÂN",
        "TỈNH LAI CHÂU",
        "--------",
        *MOTTO,
        "Số:",
        "7360/KH-UBND",
        "*Lai Châu, ngày",
        "19 tháng 11 năm 2025*",
    ]
    d, _ = doc(lines)
    assert (d.number, str(d.date), d.issuer.name) == ("7360/KH-UBND", "2025-11-19", "UBND tỉnh")


def test_number_is_never_a_cited_number():
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LAI CHÂU",
        *MOTTO,
        "Số:",
        "",
        "KẾ HOẠCH",
        "Triển khai thi hành Luật Dữ liệu",
        "",
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15, Luật Dữ liệu ngày 30 tháng 11 năm 2024;",
        "Số liệu thống kê 27/2023/QH15, Luật ban hành văn bản.",
    ]
    d, _ = doc(lines)
    assert d.number is None and d.number_text is None
    assert d.type == "Kế hoạch"


def test_number_printed_in_capitals_gets_its_usual_case():
    lines = [
        "THỦ TƯỚNG CHÍNH PHỦ",
        *MOTTO,
        "SỐ: 1899/QĐ-TTG",
        "Hà Nội, ngày 4 tháng 9 năm 2025",
        "QUYẾT ĐỊNH",
        "Phê duyệt Đề án",
    ]
    d, jurisdiction = doc(lines)
    assert (d.number, jurisdiction, d.issuer.name) == ("1899/QĐ-TTg", None, "Thủ tướng Chính phủ")


@pytest.mark.parametrize(
    ("printed", "place", "when"),
    [
        (["Hà Nội, ngày 17 tháng 11 năm 2025"], "Hà Nội", "2025-11-17"),
        (["Hà Nội,", "ngày 17 tháng 11", "năm 2025"], "Hà Nội", "2025-11-17"),
        (["*Hà Nội, ngày  17  tháng  11  năm  2025*"], "Hà Nội", "2025-11-17"),
        (["Hà Nội , ngày 7 tháng 1 năm 2026"], "Hà Nội", "2026-01-07"),
        (["Hà Nội, ngày     tháng     năm 2025"], "Hà Nội", None),
        (["Hà Nội, ngày … tháng … năm 2025"], "Hà Nội", None),
    ],
)
def test_place_and_date(printed, place, when):
    lines = ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", *MOTTO, "Số: 12/KH-UBND", *printed, "KẾ HOẠCH", "Việc A"]
    d, jurisdiction = doc(lines)
    assert (d.place, str(d.date) if d.date else None, d.year, jurisdiction) == (
        place,
        when,
        int(when[:4]) if when else 2025,
        "Hà Nội",
    )


@pytest.mark.parametrize(
    ("type_line", "number", "want"),
    [
        ("KẾ HOẠCH", "12/KH-UBND", "Kế hoạch"),
        ("**QUYẾT ĐỊNH**", "12/QĐ-UBND", "Quyết định"),
        ("CHƯƠNG TRÌNH HÀNH ĐỘNG", "12/CTr-UBND", "Chương trình hành động"),
        ("## NGHỊ QUYẾT", "12/NQ-HĐND", "Nghị quyết"),
        ("CHỈ THỊ", "12/CT-UBND", "Chỉ thị"),
        ("THÔNG BÁO", "12/TB-UBND", "Thông báo"),
        ("ĐỀ ÁN", "12/ĐA-UBND", "Đề án"),
        ("Kế hoạch", "12/KH-UBND", "Kế hoạch"),
    ],
)
def test_type_from_the_title_line(type_line, number, want):
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH NGHỆ AN",
        *MOTTO,
        f"Số: {number}",
        "Nghệ An, ngày 1 tháng 2 năm 2026",
        type_line,
        "Về việc X",
    ]
    d, _ = doc(lines)
    assert (d.type, d.title) == (want, "Về việc X")


def test_type_and_title_on_one_line():
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", *MOTTO, "Số: 9/KH-UBND", "Nghệ An, ngày 1 tháng 2 năm 2026"]
    d, _ = doc([*lines, "KẾ HOẠCH TRIỂN KHAI NGHỊ QUYẾT 214/NQ-CP", "VỀ DỮ LIỆU"])
    assert (d.type, d.title) == ("Kế hoạch", "TRIỂN KHAI NGHỊ QUYẾT 214/NQ-CP VỀ DỮ LIỆU")
    assert chain(d) == ["214/NQ-CP"]


def test_a_letter_is_a_cong_van():
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH NGHỆ AN",
        *MOTTO,
        "Số: 512/UBND-KT",
        "V/v triển khai Chỉ thị số 32/CT-TTg",
        "Nghệ An, ngày 1 tháng 2 năm 2026",
    ]
    d, _ = doc([*lines, "", "Kính gửi: Các sở, ban, ngành"])
    assert (d.type, d.number, str(d.date), d.issuer.name) == (
        "Công văn",
        "512/UBND-KT",
        "2026-02-01",
        "UBND tỉnh",
    )


def test_title_stops_at_the_authority_line_in_bold():
    lines = [
        "**BỘ NỘI VỤ**",
        *MOTTO,
        "Số: 1383/QĐ-BNV",
        "Hà Nội, ngày 26 tháng 11 năm 2025",
        "**QUYẾT ĐỊNH**",
        "VỀ VIỆC BAN HÀNH LỊCH PHỔ BIẾN THÔNG TIN THỐNG KÊ NĂM 2026 CỦA",
        "BỘ NỘI VỤ",
        "**BỘ TRƯỞNG BỘ NỘI VỤ**",
        "*Căn cứ Luật Thống kê ngày 23 tháng 11 năm 2015;*",
    ]
    d, jurisdiction = doc(lines)
    assert d.title == "VỀ VIỆC BAN HÀNH LỊCH PHỔ BIẾN THÔNG TIN THỐNG KÊ NĂM 2026 CỦA BỘ NỘI VỤ"
    assert (d.issuer.name, jurisdiction) == ("Bộ Nội vụ", None)


# A web page's copy (the legal-text sites) prints each cell of the header table, then a line "|".
BAR_HEADER = [
    "THỦ TƯỚNG CHÍNH",
    "PHỦ",
    "--------",
    "|",
    "CỘNG HÒA XÃ HỘI",
    "CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "----------------",
    "|",
    "Số: 275/QĐ-TTg",
    "|",
    "Hà Nội, ngày 18",
    "tháng 02 năm 2014",
    "|",
    "QUYẾT ĐỊNH",
    "BAN",
    "HÀNH KẾ HOẠCH TRIỂN KHAI THỰC HIỆN KẾT LUẬN SỐ 27-KL/TW NGÀY 02 THÁNG 8 NĂM",
    "2012 CỦA BỘ CHÍNH TRỊ",
    "THỦ TƯỚNG CHÍNH PHỦ",
    "Căn cứ Luật tổ chức Chính phủ ngày 25 tháng 12",
    "năm 2001;",
    "Xét đề nghị của Bộ trưởng Bộ Kế hoạch và Đầu tư,",
    "QUYẾT ĐỊNH:",
]


def test_header_cells_printed_between_bar_lines():
    d, jurisdiction = doc(BAR_HEADER)
    assert (d.issuer.id, d.place, jurisdiction) == ("thu-tuong-chinh-phu", "Hà Nội", None)
    assert (d.type, d.number, str(d.date)) == ("Quyết định", "275/QĐ-TTg", "2014-02-18")
    # The enacting authority over the preamble is not the title's last line.
    assert (
        d.title
        == "BAN HÀNH KẾ HOẠCH TRIỂN KHAI THỰC HIỆN KẾT LUẬN SỐ 27-KL/TW NGÀY 02 THÁNG 8 NĂM 2012 CỦA BỘ CHÍNH TRỊ"
    )


def test_bar_cells_join_a_wrapped_issuer_and_place():
    lines = [
        "ỦY",
        "BAN NHÂN DÂN",
        "TỈNH TIỀN GIANG",
        "-------",
        "|",
        "CỘNG",
        "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "|",
        "Số:",
        "33/2009/QĐ-UBND",
        "|",
        "Mỹ",
        "Tho, ngày 24 tháng 12 năm 2009",
        "|",
        "QUYẾT ĐỊNH",
        "BAN HÀNH QUY ĐỊNH VỀ QUẢN LÝ MẠNG TIN HỌC",
        "ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG",
        "Căn cứ Luật Công nghệ thông tin ngày 29/6/2006;",
    ]
    d, jurisdiction = doc(lines)
    assert (d.issuer.name, jurisdiction, d.place, d.number) == (
        "UBND tỉnh",
        "Tiền Giang",
        "Mỹ Tho",
        "33/2009/QĐ-UBND",
    )
    assert d.title == "BAN HÀNH QUY ĐỊNH VỀ QUẢN LÝ MẠNG TIN HỌC"


def test_a_title_in_capitals_ends_where_running_text_starts():
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LẠNG SƠN",
        *MOTTO,
        "Số: 07/KH-UBND",
        "Lạng Sơn, ngày 13 tháng 01 năm 2020",
        "KẾ HOẠCH",
        "TRIỂN KHAI CÁC GIẢI PHÁP PHÒNG, CHỐNG HẠN",
        "HÁN MÙA KHÔ NĂM 2019 -",
        "2020",
        "Thực hiện Chỉ",
        "thị số 8008/CT-TCTL ngày 25/10/2019 của Bộ trưởng Bộ Nông nghiệp và Phát triển",
        "nông thôn về việc tăng cường các giải pháp thủy lợi. Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
    ]
    d, _ = doc(lines)
    assert d.title == "TRIỂN KHAI CÁC GIẢI PHÁP PHÒNG, CHỐNG HẠN HÁN MÙA KHÔ NĂM 2019 - 2020"
    # The plan carries out the Minister's directive: its issuer is the ministry, not "Bộ trưởng …".
    assert d.implements == ("bo-nong-nghiep-va-phat-trien-nong-thon/8008-ct-tctl-2019",)


def test_a_central_body_the_gazetteer_lacks_is_national():
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH NGHỆ AN",
        *MOTTO,
        "Số: 594/KH-UBND",
        "Nghệ An, ngày 21 tháng 10 năm 2021",
        "KẾ HOẠCH",
        "THỰC HIỆN CHỈ THỊ SỐ 19/CT-TTG NGÀY 16 THÁNG 7 NĂM 2021 CỦA THỦ TƯỚNG CHÍNH PHỦ",
        "",
        "Thực hiện Kế hoạch số 16/KH-HĐTĐKT ngày 31/8/2021 của Hội đồng Thi đua - Khen thưởng Trung ương, "
        "Ủy ban nhân dân tỉnh Nghệ An ban hành Kế hoạch tổ chức thực hiện như sau:",
    ]
    d, jurisdiction = doc(lines)
    assert jurisdiction == "Nghệ An"
    council = next(r for r in d.references if r.number == "16/KH-HĐTĐKT")
    assert (council.issuer.jurisdiction, council.issuer.name) == (
        "Việt Nam",
        "Hội đồng Thi đua - Khen thưởng Trung ương",
    )


def test_cells_parted_by_bars_on_a_line_and_a_committee_printed_without_its_place():
    lines = [
        "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |",
        "Số: 30/2018/QĐ-UBND | Hải Phòng, ngày 09 tháng 10 năm 2018 |",
        "QUYẾT ĐỊNH",
        "BAN HÀNH QUY ĐỊNH VỀ TRÁCH NHIỆM CỦA NGƯỜI ĐỨNG ĐẦU CÁC SỞ, BAN, NGÀNH TRONG CẢI CÁCH HÀNH CHÍNH",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    ]
    d, jurisdiction = doc(lines)
    assert (d.issuer.id, d.place, jurisdiction) == ("hai-phong/ubnd-thanh-pho", "Hải Phòng", "Hải Phòng")
    assert d.title.endswith("TRONG CẢI CÁCH HÀNH CHÍNH")


def test_a_sites_catalogue_card_above_the_document_is_not_its_header():
    lines = [
        "Quyết định 1383/QĐ-BNV năm 2012 phê duyệt Đề án đo lường sự hài lòng",
        "Số hiệu: | 1383/QĐ-BNV | Loại văn bản: | Quyết định |",
        "Nơi ban hành: | Bộ Nội vụ | Người ký: | Nguyễn Tiến Dĩnh |",
        "Ngày ban hành: | 28/12/2012 | Ngày hiệu lực: | Đang cập nhật |",
        "BỘ NỘI VỤ |",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |",
        "Số: 1383/QĐ-BNV |",
        "Hà Nội, ngày 28 tháng 12 năm 2012 |",
        "BỘ TRƯỞNG BỘ NỘI VỤ",
        "Căn cứ Nghị định số 61/2012/NĐ-CP;",
    ]
    d, jurisdiction = doc(lines)
    assert (d.issuer.id, jurisdiction, d.number, str(d.date)) == (
        "bo-noi-vu",
        None,
        "1383/QĐ-BNV",
        "2012-12-28",
    )


def test_a_garbled_motto_does_not_become_the_place():
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH KIÊN GIANG",
        "",
        "Số: 1961/QĐ-UBND",
        "",
        "CỘNG HÒA XàHỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập  Tự do  Hạnh phúc",
        "",
        "Kiên Giang, ngày 28 tháng 8 năm 2019",
        "",
        "QUYẾT ĐỊNH",
        "BAN HÀNH QUY CHẾ PHỐI HỢP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    ]
    d, jurisdiction = doc(lines)
    assert (d.place, jurisdiction, d.issuer.name) == ("Kiên Giang", "Kiên Giang", "UBND tỉnh")
    assert d.title == "BAN HÀNH QUY CHẾ PHỐI HỢP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"


def test_a_councils_session_line_under_its_name_is_not_the_title():
    lines = [
        "HỘI",
        "ĐỒNG NHÂN DÂN",
        "TỈNH BÌNH ĐỊNH",
        "-------",
        "|",
        "CỘNG",
        "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "|",
        "Số:",
        "21/2022/NQ-HĐND",
        "|",
        "Bình",
        "Định, ngày 07 tháng 9 năm 2022",
        "|",
        "NGHỊ QUYẾT",
        "BAN HÀNH QUY ĐỊNH CƠ CHẾ HUY ĐỘNG NGUỒN LỰC GIAI ĐOẠN 2021-2025",
        "HỘI ĐỒNG NHÂN DÂN TỈNH BÌNH ĐỊNH",
        "KHÓA XIII KỲ HỌP THỨ 7 (KỲ HỌP CHUYÊN ĐỀ)",
        "Căn cứ Luật Tổ chức chính quyền địa",
    ]
    d, jurisdiction = doc(lines)
    assert (d.issuer.name, jurisdiction, d.place) == ("HĐND tỉnh", "Bình Định", "Bình Định")
    assert d.title == "BAN HÀNH QUY ĐỊNH CƠ CHẾ HUY ĐỘNG NGUỒN LỰC GIAI ĐOẠN 2021-2025"


def test_a_joint_circular_is_its_own_type():
    lines = [
        "VĂN PHÒNG CHÍNH PHỦ - BỘ NỘI VỤ",
        "-------",
        "",
        *MOTTO,
        "",
        "Số: 02/2011/TTLT-VPCP-BNV",
        "",
        "Hà Nội, ngày 28 tháng 01 năm 2011",
        "",
        "THÔNG TƯ LIÊN TỊCH",
        "",
        "HƯỚNG DẪN VỀ CHỨC NĂNG, NHIỆM VỤ",
    ]
    d, _ = doc(lines)
    assert (d.type, d.title) == ("Thông tư liên tịch", "HƯỚNG DẪN VỀ CHỨC NĂNG, NHIỆM VỤ")


# ------------------------------------------------------------------ the chain

HEAD = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH ĐỒNG NAI",
    "-------",
    *MOTTO,
    "Số: 201/KH-UBND",
    "Đồng Nai, ngày 5 tháng 12 năm 2025",
    "",
    "KẾ HOẠCH",
]


def test_chain_from_a_title_in_capitals():
    d, _ = doc(
        [
            *HEAD,
            "THỰC HIỆN QUYẾT ĐỊNH SỐ 1899/QĐ-TTG NGÀY 04/9/2025",
            "CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ CHUYỂN ĐỔI SỐ",
            "",
        ]
    )
    (ref,) = d.chain()
    assert (ref.type, ref.number, str(ref.date), ref.issuer.name) == (
        "Quyết định",
        "1899/QĐ-TTg",
        "2025-09-04",
        "Thủ tướng Chính phủ",
    )
    assert d.implements == (ref.id,)


def test_chain_from_a_title_that_issues_a_programme():
    lines = [
        "CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 03/NQ-CP",
        "Hà Nội, ngày 09 tháng 01 năm 2025",
        "# NGHỊ QUYẾT",
        "## Ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị",
        "",
        "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;",
    ]
    d, jurisdiction = doc(lines)
    (ref,) = d.chain()
    assert (ref.number, str(ref.date), ref.issuer.name, jurisdiction) == (
        "57-NQ/TW",
        "2024-12-22",
        "Bộ Chính trị",
        None,
    )
    assert any(r.title == "Luật Tổ chức Chính phủ" and r.id in d.cites for r in d.references)


def test_chain_through_the_opening_sentence_to_a_law():
    lines = [
        *HEAD,
        "TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM TRÊN ĐỊA BÀN TỈNH ĐỒNG NAI",
        "",
        "Thực hiện Quyết định số 1850/QĐ-TTg ngày 27 tháng 8 năm 2025 của Thủ tướng Chính phủ về ban hành Kế hoạch",
        "triển khai thi hành Luật Việc làm;",
        "",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai thi hành Luật Việc làm như sau:",
    ]
    d, _ = doc(lines)
    assert chain(d) == ["1850/QĐ-TTg", "Luật Việc làm"]
    law = d.chain()[1]
    assert (law.type, law.number, law.issuer.name) == ("Luật", None, "Quốc hội")


def test_chain_from_the_title_when_the_opening_states_another():
    lines = [
        *HEAD,
        "Triển khai Nghị quyết 214/NQ-CP ngày 23/7/2025 của Chính phủ",
        "",
        "Thực hiện Chỉ thị số 05/CT-UBND ngày 2/1/2025 của Ủy ban nhân dân tỉnh về chuyển đổi số;",
    ]
    d, _ = doc(lines)
    assert chain(d) == ["214/NQ-CP"]
    assert {r.number for r in d.references} >= {"214/NQ-CP", "05/CT-UBND"}


def test_chain_steps_up_through_each_thuc_hien():
    lines = [
        *HEAD,
        "Chuyển đổi số cho doanh nghiệp",
        "",
        "Thực hiện Kế hoạch số 283/KH-UBND ngày 24/9/2025 của Ủy ban nhân dân tỉnh về thực hiện Nghị quyết số",
        "57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học;",
    ]
    d, _ = doc(lines)
    assert chain(d) == ["283/KH-UBND", "57-NQ/TW"]


def test_can_cu_alone_is_cited_not_implemented():
    lines = [
        *HEAD,
        "PHÁT TRIỂN KINH TẾ SỐ GIAI ĐOẠN 2026 - 2030",
        "",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "",
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị;",
    ]
    d, _ = doc(lines)
    assert d.chain() == () and d.implements == ()
    assert {r.title or r.number for r in d.references} == {"Luật Tổ chức chính quyền địa phương", "57-NQ/TW"}
    assert set(d.cites) == {r.id for r in d.references}


def test_laws_cited_by_name():
    text = (
        "Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019; Luật sửa đổi, bổ sung một số điều của Luật Giáo dục "
        "ngày 10 tháng 12 năm 2025; theo quy định của pháp luật và Bộ luật Lao động."
    )
    assert [(r.type, r.name, str(r.date)) for r in find_refs(text)] == [
        ("Luật", "Luật Giáo dục", "2019-06-14"),
        ("Luật", "Luật sửa đổi, bổ sung một số điều của Luật Giáo dục", "2025-12-10"),
        ("Bộ luật", "Bộ luật Lao động", "None"),
    ]
    assert find_refs("luật định và các văn bản luật này") == []


def test_law_in_capitals_gets_sentence_case_and_one_id():
    lines = [
        *HEAD,
        "TRIỂN KHAI THI HÀNH LUẬT SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU",
        "CỦA LUẬT TIÊU CHUẨN VÀ QUY CHUẨN KỸ THUẬT TRÊN ĐỊA BÀN TỈNH ĐỒNG NAI",
        "",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai thi hành Luật sửa đổi, bổ sung một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật.",
    ]
    d, _ = doc(lines)
    assert chain(d) == ["Luật sửa đổi, bổ sung một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật"]
    assert len({r.id for r in d.references}) == 1


# ------------------------------------------------------------------ the corpus, as its headers print

CORPUS = {
    # file: (type, number, date, issuer, jurisdiction, chain)
    "doc01.txt": ("Nghị quyết", "03/NQ-CP", "2025-01-09", "Chính phủ", None, ["57-NQ/TW"]),
    "doc02.txt": ("Quyết định", "1528/QĐ-TTg", "2026-08-11", "Thủ tướng Chính phủ", None, []),
    "doc04.txt": ("Kế hoạch", "179/KH-UBND", "2025-11-18", "UBND tỉnh", "Đồng Nai", []),
    "doc06.txt": ("Quyết định", "2597/QĐ-TTg", "2025-11-27", "Thủ tướng Chính phủ", None, []),
    "doc07.txt": ("Kế hoạch", "552/KH-UBND", "2025-11-19", "UBND tỉnh", "Đồng Tháp", []),
    "doc08.txt": (
        "Kế hoạch",
        "617/KH-UBND",
        "2025-12-01",
        "UBND tỉnh",
        "Đồng Tháp",
        # 283/KH-UBND carries out 71/NQ-CP and 10-CTr/TU, which carries out 57-NQ/TW.
        ["283/KH-UBND", "71/NQ-CP", "10-CTr/TU", "57-NQ/TW"],
    ),
    # The opening lists six documents the plan carries out ("Triển khai thực hiện A; B; …; F. UBND … ban hành").
    "doc10.txt": (
        "Kế hoạch",
        "310/KH-UBND",
        "2025-11-24",
        "UBND Thành phố",
        "Hà Nội",
        ["57-NQ/TW", "03/NQ-CP", "1132/QĐ-TTg", "1569/QĐ-TTg", "912/QĐ-BKHCN", "139/KH-UBND"],
    ),
    "hanoi-kh-30-ctr-tu-2024.txt": (
        "Kế hoạch",
        None,
        None,
        "UBND Thành phố",
        "Hà Nội",
        ["30-CTr/TU", "45-NQ/TW"],
    ),
    "more/bnv-1383-2025.txt": ("Quyết định", "1383/QĐ-BNV", "2025-11-26", "Bộ Nội vụ", None, []),
    "more/ubnd-bac-ninh-144-2025.txt": ("Kế hoạch", "144/KH-UBND", "2025-11-24", "UBND tỉnh", "Bắc Ninh", []),
    "prose/ubnd-can-tho-153-2025.txt": (
        "Kế hoạch",
        "153/KH-UBND",
        "2025-11-17",
        "UBND Thành phố",
        "Cần Thơ",
        ["7619/QĐ-BCA"],
    ),
    "prose/ubnd-dong-nai-182-2025.txt": (
        "Kế hoạch",
        "182/KH-UBND",
        "2025-11-20",
        "UBND tỉnh",
        "Đồng Nai",
        ["163/2024/QH15", "50/NQ-CP", "7619/QĐ-BCA"],
    ),
    "prose/ubnd-ha-noi-308-2025.txt": (
        "Kế hoạch",
        "308/KH-UBND",
        "2025-11-17",
        "UBND Thành phố",
        "Hà Nội",
        ["214/NQ-CP", "278/2025/NĐ-CP", "142/QĐ-TTg", "1229/QĐ-UBND"],
    ),
    "prose/ubnd-ho-chi-minh-172-2025.txt": (
        "Kế hoạch",
        "172/KH-UBND",
        "2025-11-18",
        "UBND Thành phố",
        "Thành phố Hồ Chí Minh",
        ["1850/QĐ-TTg", "Luật Việc làm"],
    ),
    "prose/ubnd-lai-chau-7360-2025.txt": (
        "Kế hoạch",
        "7360/KH-UBND",
        "2025-11-19",
        "UBND tỉnh",
        "Lai Châu",
        ["2138/QĐ-TTg", "Luật sửa đổi, bổ sung một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật"],
    ),
    "prose/ubnd-nghe-an-1026-2025.txt": (
        "Kế hoạch",
        "1026/KH-UBND",
        "2025-11-26",
        "UBND tỉnh",
        "Nghệ An",
        ["32/CT-TTg"],
    ),
    "prose/ubnd-quang-ngai-1627-2025.txt": (
        "Quyết định",
        "1627/QĐ-UBND",
        "2025-11-21",
        "UBND tỉnh",
        "Quảng Ngãi",
        [],
    ),
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_identity_as_printed(corpus_dir, name):
    path = corpus_dir / name
    d, jurisdiction = read_document(read_text(path), file=str(path), gazetteer=G)
    doc_type, number, when, issuer, place, implements = CORPUS[name]
    assert (d.type, d.number, str(d.date) if d.date else None) == (doc_type, number, when)
    assert (d.issuer.name, d.issuer.recognised, jurisdiction) == (issuer, True, place)
    assert chain(d) == implements


@pytest.mark.parametrize(
    ("left", "place", "issuer", "jurisdiction"),
    [
        (
            ["ỦY BAN NHÂN DÂN", "TP. HỒ CHÍ MINH"],
            "TP. Hồ Chí Minh",
            "UBND Thành phố",
            "Thành phố Hồ Chí Minh",
        ),
        (["UBND TỈNH BÌNH DƯƠNG"], "Bình Dương", "UBND tỉnh", "Bình Dương"),
        (["HỘI ĐỒNG NHÂN DÂN", "TỈNH BÌNH ĐỊNH"], "Bình Định", "HĐND tỉnh", "Bình Định"),
        (["TỈNH ỦY ĐỒNG THÁP"], "Cao Lãnh", "Tỉnh ủy", "Đồng Tháp"),
        (["BỘ CHÍNH TRỊ"], "Hà Nội", "Bộ Chính trị", None),
        # A unit under a ministry is national with it, even unknown to the gazetteer (kept as
        # printed); a unit it knows ("Cục Thuế", Tổng cục Thuế until 2025) under its own name.
        (["BỘ TÀI CHÍNH", "CỤC QUẢN LÝ GIÁ"], "Hà Nội", "CỤC QUẢN LÝ GIÁ", None),
        (["BỘ TÀI CHÍNH", "CỤC THUẾ"], "Hà Nội", "Cục Thuế", None),
    ],
)
def test_issuer_and_jurisdiction_of_other_headers(left, place, issuer, jurisdiction):
    lines = [
        *left,
        "-------",
        *MOTTO,
        "Số: 12/KH-XX",
        f"{place}, ngày 1 tháng 2 năm 2026",
        "KẾ HOẠCH",
        "Việc A",
    ]
    d, got = doc(lines)
    assert (d.issuer.name, got) == (issuer, jurisdiction)


def test_only_a_number_shape_is_a_number():
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH NGHỆ AN",
        *MOTTO,
        "Số 5 đơn vị được giao",
        "Nghệ An, ngày 1 tháng 2 năm 2026",
    ]
    d, _ = doc([*lines, "KẾ HOẠCH", "Việc A"])
    assert d.number is None
    d, _ = doc([*lines[:4], "Số: 12 /KH-UBND", *lines[5:], "KẾ HOẠCH", "Việc A"])
    assert (d.number, d.number_text) == ("12/KH-UBND", "12 /KH-UBND")


def test_chain_from_the_sentence_that_issues_the_plan():
    lines = [
        *HEAD,
        "PHÒNG, CHỐNG MA TÚY GIAI ĐOẠN 2026 - 2030",
        "",
        "Căn cứ Quyết định số 2138/QĐ-TTg ngày 27/9/2025 của Thủ tướng Chính phủ ban hành Kế hoạch thực hiện Luật Dữ liệu;",
        "",
        "Căn cứ Nghị quyết số 163/2024/QH15 ngày 27/11/2024 của Quốc hội; Ủy ban nhân dân tỉnh ban hành Kế hoạch",
        "triển khai thực hiện Quyết định số 7619/QĐ-BCA ngày 08/9/2025 của Bộ Công an như sau:",
    ]
    d, _ = doc(lines)
    assert chain(d) == ["7619/QĐ-BCA"]
    assert "Luật Dữ liệu" not in chain(d)


def test_header_without_a_title_line_leaves_the_opening_to_the_chain():
    lines = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH NGHỆ AN",
        *MOTTO,
        "Số: 77/KH-UBND",
        "Nghệ An, ngày 1 tháng 2 năm 2026",
        "",
        "Thực hiện Kết luận số 123-KL/TW ngày 5/1/2026 của Bộ Chính trị, Ủy ban nhân dân tỉnh ban hành Kế hoạch:",
        "",
        "| TT | Kế hoạch | Cơ quan chủ trì |",
        "|---|---|---|",
        "| 1 | Việc A | Sở Nội vụ |",
    ]
    d, _ = doc(lines)
    assert (d.type, d.number, d.title) == ("Kế hoạch", "77/KH-UBND", None)
    assert chain(d) == ["123-KL/TW"]
