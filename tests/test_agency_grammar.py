"""Agency cells read by grammar: shared heads, classes, "và", parentheticals, fragments, places.

Each case is a cell as plans print it and the agencies (name, role) a careful reader
lists, plus the text that names no body (reported, never an agency).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import Role
from kg.model.gazetteer import Gazetteer
from kg.model.places import canonical_place, only_place, provinces, trailing_place
from loaders.agencies import split_cell
from loaders.agency_words import is_organisation

G = Gazetteer.default()
L, C, D = Role.LEAD, Role.COORDINATING, Role.DIRECTING


def read(cell, role=C, place="Đồng Nai"):
    fragments, warnings = [], []
    out = split_cell(cell, G, place, role, warn=warnings.append, fragment=fragments.append)
    return [(a.agency.name, a.role) for a in out], fragments


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("Sở Tài chính, Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("Bộ Công an, Quốc phòng", ["Bộ Công an", "Bộ Quốc phòng"]),
        ("Sở Y tế, Giáo dục và Đào tạo", ["Sở Y tế", "Sở Giáo dục và Đào tạo"]),
        ("Các Cục: Di sản văn hóa, Bản quyền tác giả", ["Cục Di sản văn hóa", "Cục Bản quyền tác giả"]),
        (
            "các Sở: Xây dựng, Nông nghiệp và Môi trường, Công Thương, Tài chính, Khoa học và Công nghệ, "
            "Văn hóa, Thể thao và Du lịch",
            [
                "Sở Xây dựng",
                "Sở Nông nghiệp và Môi trường",
                "Sở Công Thương",
                "Sở Tài chính",
                "Sở Khoa học và Công nghệ",
                "Sở Văn hóa, Thể thao và Du lịch",
            ],
        ),
        (
            "Các Sở: Tư pháp; Nội vụ và các đơn vị liên quan",
            ["Sở Tư pháp", "Sở Nội vụ", "Các đơn vị liên quan"],
        ),
        (
            "Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã",
            ["Ban Chỉ huy Phòng thủ dân sự tỉnh", "Ban Chỉ huy Phòng thủ dân sự cấp xã"],
        ),
        ("Trung tâm Y tế, Giáo dục nghề nghiệp", ["Trung tâm Y tế", "Trung tâm Giáo dục nghề nghiệp"]),
        ("Các Bộ: Công an, Quốc phòng, Ngoại giao", ["Bộ Công an", "Bộ Quốc phòng", "Bộ Ngoại giao"]),
        ("Các Bộ, ngành: Tài chính, Tư pháp", ["Bộ Tài chính", "Bộ Tư pháp"]),
        ("các Sở: Sở Y tế, Tư pháp", ["Sở Y tế", "Sở Tư pháp"]),
        ("Các đơn vị: Trung tâm Khuyến nông, Trung tâm Y tế", ["Trung tâm Khuyến nông", "Trung tâm Y tế"]),
    ],
)
def test_a_shared_head_is_distributed(cell, want):
    got, fragments = read(cell)
    assert [n for n, _ in got] == want
    assert fragments == []


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("UBND xã, phường, đặc khu", "UBND các phường, xã"),
        ("Ủy ban nhân dân các phường, xã, đặc khu", "UBND các phường, xã"),
        ("cơ quan, địa phương liên quan", "Các cơ quan, địa phương liên quan"),
        (
            "Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
            "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
        ),
        ("Sở, ban, ngành, tổ chức chính trị - xã hội", "Sở, ban, ngành, tổ chức chính trị - xã hội"),
        ("các Sở, ngành, đơn vị liên quan", "Các Sở, ngành, đơn vị liên quan"),
        ("UBND các quận, huyện, thị xã", "UBND các quận, huyện, thị xã"),
        ("Các Sở, Ban, Ngành", "Các sở, ban, ngành"),
        ("các cấp ủy đảng, chính quyền", "các cấp ủy đảng, chính quyền"),
        ("cơ quan thông tấn báo chí", "cơ quan thông tấn báo chí"),
    ],
)
def test_a_class_of_bodies_is_one_collective(cell, want):
    out = split_cell(cell, G, "Đồng Nai", C)
    assert [a.agency.name for a in out] == [want]
    assert out[0].agency.is_collective


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("Sở Tư pháp và Sở Nội vụ", ["Sở Tư pháp", "Sở Nội vụ"]),
        ("Sở Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
        ("Văn phòng Ban Chỉ huy và cơ quan thường trực", ["Văn phòng Ban Chỉ huy và cơ quan thường trực"]),
        (
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội",
            ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các đoàn thể chính trị - xã hội Thành phố"],
        ),
        ("Sở Nội vụ; Sở Y tế", ["Sở Nội vụ", "Sở Y tế"]),
        (
            "UBND các xã, phường, các cơ quan, đơn vị có liên quan",
            ["UBND các phường, xã", "Các cơ quan, đơn vị liên quan"],
        ),
        (
            "Sở Khoa học và Công nghệ; Sở Tư pháp; Báo và Phát thanh Truyền hình Lai Châu và các sở, ngành có liên quan",
            [
                "Sở Khoa học và Công nghệ",
                "Sở Tư pháp",
                "Báo và Phát thanh, Truyền hình Lai Châu",
                "Các sở, ngành",
            ],
        ),
    ],
)
def test_va_and_semicolon_split_only_between_bodies(cell, want):
    got, fragments = read(cell)
    assert [n for n, _ in got] == want
    assert fragments == []


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("Cục Tiền lương và Bảo hiểm xã hội", ["Cục Tiền lương và Bảo hiểm xã hội"]),
        ("Sở Y tế và Bảo hiểm xã hội tỉnh", ["Sở Y tế", "Bảo hiểm xã hội tỉnh"]),
        ("Vụ Ngân sách và Thuế", ["Vụ Ngân sách và Thuế"]),
    ],
)
def test_a_field_of_work_after_va_is_part_of_the_name(cell, want):
    got, _ = read(cell, place=None)
    assert [n for n, _ in got] == want


@pytest.mark.parametrize(
    ("cell", "want", "note"),
    [
        (
            "Các sở, ngành có liên quan theo chức năng, nhiệm vụ quản lý được giao",
            ["Các sở, ngành"],
            "theo chức năng, nhiệm vụ",
        ),
        (
            "Sở Nội vụ, các sở, ban, ngành trong phạm vi chức năng, nhiệm vụ của mình và các cơ quan, đơn vị liên quan",
            ["Sở Nội vụ", "Các sở, ban, ngành", "Các cơ quan, đơn vị liên quan"],
            "trong phạm vi chức năng",
        ),
    ],
)
def test_a_qualifier_of_scope_is_a_note(cell, want, note):
    out = split_cell(cell, G, "Đồng Nai", C)
    assert [a.agency.name for a in out] == want
    assert any(note in a.text for a in out)


def test_a_phrase_after_a_preposition_is_no_class():
    got, fragments = read("Sở Tài chính, trên cơ sở đề xuất của các cơ quan, đơn vị, địa phương")
    assert got == [("Sở Tài chính", C)]
    assert fragments == ["trên cơ sở đề xuất của các cơ quan, đơn vị, địa phương"]


def test_a_press_body_named_with_its_place_is_that_place_body():
    (a,) = split_cell("Báo và Phát thanh Truyền hình Lai Châu", G, None, L)
    assert (a.agency.id, a.agency.name) == (
        "lai-chau/bao-va-phat-thanh-truyen-hinh",
        "Báo và Phát thanh, Truyền hình Lai Châu",
    )


def test_a_parenthetical_qualifier_is_a_note_never_a_body():
    cell = "Bộ Xây dựng (chủ trì phần đầu tư, xây dựng, vận hành tại địa phương), Bộ Tài chính"
    fragments = []
    out = split_cell(cell, G, None, L, fragment=fragments.append)
    assert [a.agency.name for a in out] == ["Bộ Xây dựng", "Bộ Tài chính"]
    assert "chủ trì phần đầu tư" in out[0].text
    assert fragments == []


def test_a_unit_inside_a_body_is_that_body():
    (a,) = split_cell("Bộ Công an (Trung tâm Dữ liệu quốc gia)", G, None, L)
    assert a.agency.name == "Bộ Công an"
    assert "Trung tâm Dữ liệu quốc gia" in a.text


def test_members_listed_in_a_parenthetical_stand_for_the_class():
    cell = (
        "Các cơ quan tham mưu quản lý ngành, lĩnh vực (gồm các Sở: Xây dựng, Công Thương, "
        "Văn hóa, Thể thao và Du lịch)"
    )
    got, _ = read(cell, L)
    assert got == [("Sở Xây dựng", L), ("Sở Công Thương", L), ("Sở Văn hóa, Thể thao và Du lịch", L)]


@pytest.mark.parametrize(
    ("cell", "role", "want"),
    [
        ("Sở Nội vụ chủ trì", C, [("Sở Nội vụ", C)]),
        ("Sở Tài chính chủ trì hướng dẫn, tổng hợp", L, [("Sở Tài chính", L)]),
        (
            "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính, Sở Y tế",
            L,
            [("Sở Nội vụ", L), ("Sở Tài chính", C), ("Sở Y tế", C)],
        ),
        (
            "Ban Tuyên giáo Thành ủy chỉ đạo, Sở Y tế chủ trì",
            L,
            [("Ban Tuyên giáo Thành ủy", D), ("Sở Y tế", L)],
        ),
        (
            "Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu",
            L,
            [("Sở Khoa học và Công nghệ", L)],
        ),
        ("Liên đoàn Lao động tỉnh Chủ trì", L, [("Liên đoàn Lao động", L)]),
        ("Ban Chỉ đạo", L, [("Ban Chỉ đạo", L)]),
        (
            "Các doanh nghiệp cung cấp dịch vụ bưu chính",
            C,
            [("Các doanh nghiệp cung cấp dịch vụ bưu chính", C)],
        ),
        ("Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo", L, [("Sở Tài chính", L)]),
        (
            "Bộ Công an chủ trì; Bộ Quốc phòng, Bộ Ngoại giao phối hợp",
            L,
            [("Bộ Công an", L), ("Bộ Quốc phòng", C), ("Bộ Ngoại giao", C)],
        ),
        ("• Sở Tài chính • Sở Nội vụ", L, [("Sở Tài chính", L), ("Sở Nội vụ", L)]),
        ("Sở Khoa học và Công nghệ tiến hành rà soát các văn bản", L, [("Sở Khoa học và Công nghệ", L)]),
        ("Ủy ban nhân dân các xã, phường tiếp tục rà soát, cập nhật", L, [("UBND các phường, xã", L)]),
    ],
)
def test_role_words_are_dropped(cell, role, want):
    got, fragments = read(cell, role)
    assert got == want
    assert fragments == []


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("Giám đốc Sở Y tế", "Sở Y tế"),
        ("Thủ trưởng các sở, ban, ngành", "Các sở, ban, ngành"),
        ("Đề nghị Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
    ],
)
def test_a_person_or_a_request_stands_for_the_body(cell, want):
    got, _ = read(cell)
    assert [n for n, _ in got] == [want]


@pytest.mark.parametrize(
    ("cell", "agencies", "fragments"),
    [
        ("Báo chí", [], ["Báo chí"]),
        ("cơ sở dữ liệu", [], ["cơ sở dữ liệu"]),
        ("đặc khu", [], ["đặc khu"]),
        ("cấp xã", [], ["cấp xã"]),
        ("Sở Nội vụ, vận hành tại địa phương)", ["Sở Nội vụ"], ["vận hành tại địa phương"]),
        ("Bộ Y tế, Bộ", ["Bộ Y tế"], ["Bộ"]),
        ("Hội nghị, Sở Tài chính", ["Sở Tài chính"], ["Hội nghị"]),
        ("giải quyết các vụ việc", [], ["giải quyết các vụ việc"]),
    ],
)
def test_a_fragment_is_never_an_agency(cell, agencies, fragments):
    got, dropped = read(cell)
    assert [n for n, _ in got] == agencies
    assert dropped == fragments


def test_without_a_fragment_callback_the_dropped_text_is_warned():
    warnings = []
    assert split_cell("Báo chí", G, "Hà Nội", C, warn=warnings.append) == []
    assert warnings == ["not an agency, dropped: 'Báo chí'"]


@pytest.mark.parametrize(
    ("cell", "ids"),
    [
        (
            "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh",
            ["ha-noi/ubnd-thanh-pho", "ho-chi-minh/ubnd-thanh-pho"],
        ),
        ("Sở Tài chính tỉnh Đồng Nai", ["dong-nai/so-tai-chinh"]),
        ("UBND TP.HCM", ["ho-chi-minh/ubnd-thanh-pho"]),
        ("Sở Y tế tỉnh Bắc Ninh, tỉnh Lào Cai", ["bac-ninh/so-y-te", "lao-cai/so-y-te"]),
        ("Đại học Quốc gia Hà Nội", ["dai-hoc-quoc-gia-ha-noi"]),
    ],
)
def test_a_local_body_named_with_its_place_resolves_there(cell, ids):
    out = split_cell(cell, G, None, C)  # a national plan
    assert [a.agency.id for a in out] == ids
    assert all(a.agency.jurisdiction for a in out if "/" in a.agency.id)
    assert "UBND Thành phố" not in [a.agency.id for a in out]


def test_a_local_body_without_place_is_the_document_s():
    (a,) = split_cell("Sở Tài chính", G, "Thành phố Hồ Chí Minh", L)
    assert (a.agency.id, a.agency.jurisdiction) == ("ho-chi-minh/so-tai-chinh", "Thành phố Hồ Chí Minh")


def test_the_union_of_science_associations_carries_its_place():
    hn = split_cell("Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội", G, "Hà Nội", C)[0].agency
    vn = split_cell("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", G, "Hà Nội", C)[0].agency
    assert hn.name == "Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội"
    assert vn.name == "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam" and vn.id != hn.id


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Cục DLQGVN", "Cục Du lịch Quốc gia Việt Nam"),
        ("BHXH tỉnh", "Bảo hiểm xã hội tỉnh"),
        ("UBMTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("VKSND tỉnh", "Viện kiểm sát nhân dân tỉnh"),
        ("Tòa án nhân dân thành phố", "Tòa án nhân dân tỉnh"),
        ("Ngân hàng nhà nước khu vực XII", "Ngân hàng Nhà nước Việt Nam Chi nhánh Khu vực XII"),
    ],
)
def test_abbreviations_and_variants_reach_one_body(alias, name):
    (a,) = split_cell(alias, G, "Đồng Nai", L)
    assert a.agency.name == name and a.agency.recognised


def test_the_organisation_shape():
    assert is_organisation("Trường Đại học Cần Thơ") and is_organisation("Chi cục Hải quan khu vực XIX")
    assert not is_organisation("Trường hợp đặc biệt") and not is_organisation("Bộ dữ liệu")


def test_provinces_before_and_after_the_2025_merger():
    ps = provinces()
    assert sum(p.before_2025 for p in ps) == 63 and sum(p.after_2025 for p in ps) == 34
    assert {p.slug for p in ps if p.after_2025} >= {"ha-noi", "ho-chi-minh", "hue", "dong-nai"}
    merged = {p.name: p.merged_into for p in ps if p.merged_into}
    assert merged["Bình Dương"] == "Hồ Chí Minh" and merged["Hà Giang"] == "Tuyên Quang"
    assert all(m in {p.name for p in ps if p.after_2025} for m in merged.values())
    assert only_place("Thừa Thiên Huế").name == "Huế" and canonical_place("tỉnh Đồng Nai") == "Đồng Nai"
    assert trailing_place("Sở Tài chính") is None


# Known bodies joined as plans join them split back into those bodies.
_BODIES = [e for e in G.entries if e.kind != "collective"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_BODIES), min_size=1, max_size=5, unique_by=lambda e: e.key),
    st.lists(st.sampled_from([", ", "; ", " và "]), min_size=4, max_size=4),
    st.sampled_from(["Hà Nội", "Đồng Nai", None]),
)
def test_known_names_joined_split_back(entries, seps, place):
    cell = entries[0].name + "".join(s + e.name for s, e in zip(seps, entries[1:], strict=False))
    fragments = []
    out = split_cell(cell, G, place, C, fragment=fragments.append)
    assert [a.agency.id for a in out] == [G.resolve(e, place).id for e in entries], cell
    assert fragments == []


# A local body followed by places is that body in each place, in a plan of any jurisdiction.
_LOCAL = [
    e
    for e in G.entries
    if e.scope == "local" and e.kind != "collective" and not e.name.endswith(("tỉnh", "Thành phố"))
]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_LOCAL),
    st.lists(st.sampled_from(provinces()), min_size=1, max_size=3, unique_by=lambda p: p.slug),
    st.sampled_from(["Hà Nội", "Đồng Nai", None]),
)
def test_a_local_body_with_places_resolves_in_each(entry, places, doc_place):
    cell = entry.name + " " + ", ".join(f"{p.kind} {p.name}" for p in places)
    out = split_cell(cell, G, doc_place, C)
    assert [a.agency.id for a in out] == [f"{p.slug}/{entry.key}" for p in places], cell
    assert [a.agency.jurisdiction for a in out] == [p.display for p in places]


# Rules added to read the prose plans of the corpus (each one a reader of any plan would state).
@pytest.mark.parametrize(
    ("cell", "place", "want"),
    [
        # a force or an office stands for its body
        ("Công an, lực lượng Hải quan", "Đồng Nai", ["Công an", "Hải quan"]),
        ("lực lượng Công an thành phố", "Cần Thơ", ["Công an Thành phố"]),
        # the same bodies at a second level
        (
            "Viện kiểm sát nhân dân thành phố, Tòa án nhân dân thành phố và các khu vực",
            "Cần Thơ",
            [
                "Viện kiểm sát nhân dân tỉnh",
                "Tòa án nhân dân tỉnh",
                "Viện kiểm sát nhân dân các khu vực",
                "Tòa án nhân dân các khu vực",
            ],
        ),
        # a person's title starts a body of its own; it stands for the body
        (
            "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức thành viên, "
            "Thủ trưởng sở, ban, ngành thành phố và Chủ tịch Ủy ban nhân dân xã, phường",
            "Cần Thơ",
            [
                "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố",
                "các tổ chức thành viên",
                "Các sở, ban, ngành",
                "UBND các phường, xã",
            ],
        ),
        # a class closed by its level: what follows is another class
        (
            "các Sở, ban, ngành, đoàn thể cấp tỉnh, cơ quan ngành dọc đóng trên địa bàn, Ủy ban nhân dân xã, phường",
            "Đồng Nai",
            ["Các sở, ban, ngành", "Các cơ quan ngành dọc", "UBND các phường, xã"],
        ),
        # a known class after a comma is a class of its own
        (
            "các sở, ngành, trường đại học, cao đẳng",
            "Bắc Ninh",
            ["Các sở, ngành", "Các Trường Đại học, Cao đẳng trên địa bàn tỉnh"],
        ),
        # "X thuộc UBND …" is X; a zone continues a board's name; a misprint by one letter
        ("Sở, ban, ngành thuộc Ủy ban nhân dân Thành phố", "Thành phố Hồ Chí Minh", ["Các sở, ban, ngành"]),
        (
            "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
            "Quảng Ngãi",
            ["Ban Quản lý Khu kinh tế"],
        ),
        (
            "Sở Nông nghiệp và Môi trường, Sở Sây dựng",
            "Đồng Nai",
            ["Sở Nông nghiệp và Môi trường", "Sở Xây dựng"],
        ),
        # "Doanh nghiệp" is shared by the kinds after it
        (
            "Doanh nghiệp viễn thông, bưu chính",
            "Bắc Ninh",
            ["Các doanh nghiệp viễn thông", "Các doanh nghiệp cung cấp dịch vụ bưu chính"],
        ),
    ],
)
def test_prose_plan_agency_rules(cell, place, want):
    got, fragments = read(cell, L, place)
    assert [name for name, _ in got] == want and not fragments


def test_bodies_that_only_carry_out_under_a_chair_are_partners():
    got, _ = read(
        "Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp xã thực hiện công bố dữ liệu.",
        L,
        "Bắc Ninh",
    )
    assert got == [("Sở Khoa học và Công nghệ", L), ("Các sở, ngành", C), ("UBND các phường, xã", C)]
    # without a chair, those who carry out lead
    assert read("Sở Nội vụ thực hiện", L)[0] == [("Sở Nội vụ", L)]


def test_a_person_of_a_body_has_a_body_shape():
    assert is_organisation("Trưởng Ban Chỉ đạo") and not is_organisation("Trưởng thành")


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        # The zone's own name between the board and its province names no other body.
        (
            "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
            ["quang-ngai/ban-quan-ly-khu-kinh-te"],
        ),
        (
            "Ban Quản lý Khu kinh tế Vân Phong và các khu công nghiệp tỉnh Khánh Hòa",
            ["khanh-hoa/ban-quan-ly-khu-kinh-te"],
        ),
        ("Ban Quản lý Khu kinh tế Nghi Sơn", ["thanh-hoa/ban-quan-ly-khu-kinh-te"]),
    ],
)
def test_a_board_of_a_named_economic_zone_is_the_provinces_board(cell, want):
    got = split_cell(cell, G, "Thanh Hóa", Role.LEAD)
    assert [a.agency.id for a in got] == want and all(a.agency.recognised for a in got)
