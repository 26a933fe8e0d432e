import pytest

from kg.model import Role
from kg.model.gazetteer import Gazetteer
from loaders.agencies import split_cell

G = Gazetteer.default()


def names(cell, role=Role.COORDINATING, place="Hà Nội"):
    return [(a.agency.name, a.role.value) for a in split_cell(cell, G, place, role)]


def test_directing_and_lead_in_one_cell():
    assert names("Ban Tuyên giáo Thành ủy chỉ đạo, Sở Thông tin và Truyền thông chủ trì", Role.LEAD) == [
        ("Ban Tuyên giáo Thành ủy", "directing"),
        ("Sở Thông tin và Truyền thông", "lead"),
    ]


@pytest.mark.parametrize(
    "cell",
    [
        "Các Sở, ngành, đơn vị liên quan",
        "UBND các quận, huyện, thị xã",
        "Các Sở, ngành, địa phương",
        "Các sở, ngành",
    ],
)
def test_collective_phrases_are_one_participant(cell):
    out = split_cell(cell, G, "Hà Nội", Role.COORDINATING)
    assert len(out) == 1
    assert out[0].agency.kind == "collective"
    assert out[0].agency.recognised


def test_named_agencies_then_a_collective():
    cell = "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội, Trường Đào tạo Cán bộ Lê Hồng Phong, các Sở, ngành, đơn vị liên quan"
    assert [n for n, _ in names(cell)] == [
        "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội",
        "Trường Đào tạo Cán bộ Lê Hồng Phong",
        "Các Sở, ngành, đơn vị liên quan",
    ]


def test_two_collectives_in_a_row_never_fragment():
    out = names("Các Sở, ngành, đơn vị liên quan, UBND các quận, huyện, thị xã")
    assert [n for n, _ in out] == ["Các Sở, ngành, đơn vị liên quan", "UBND các quận, huyện, thị xã"]
    assert not any(n in {"ngành", "thị xã", "huyện"} for n, _ in out)


def test_unlisted_plural_phrase_is_kept_as_one_collective():
    out = split_cell("Các hội, đoàn thể, đơn vị có liên quan", G, "Hà Nội", Role.COORDINATING)
    assert len(out) == 1
    assert out[0].agency.kind == "collective"


def test_spelling_variants_are_one_agency():
    a = split_cell("Ngân hàng nhà nước Việt Nam chi nhánh Hà Nội", G, "Hà Nội", Role.LEAD)[0].agency
    b = split_cell("Ngân hàng Nhà nước Việt Nam chi nhánh Hà Nội", G, "Hà Nội", Role.LEAD)[0].agency
    c = split_cell("NGÂN HÀNG NHÀ NƯỚC VIỆT NAM\u00a0CHI NHÁNH HÀ NỘI", G, "Hà Nội", Role.LEAD)[0].agency
    assert a.id == b.id == c.id
    assert a.name == "Ngân hàng Nhà nước Việt Nam chi nhánh Hà Nội"


def test_old_and_new_tone_marks_are_one_agency():
    a = split_cell("Ban Quản lý Khu Công nghệ cao Hòa Lạc", G, "Hà Nội", Role.LEAD)[0].agency
    b = split_cell("Ban Quản lý Khu Công nghệ cao Hoà Lạc", G, "Hà Nội", Role.LEAD)[0].agency
    assert a.id == b.id and a.recognised


def test_english_name_finds_the_agency():
    assert G.lookup("Department of Home Affairs").name == "Sở Nội vụ"


def test_unknown_agency_is_kept_and_warned():
    warnings = []
    out = split_cell(
        "Sở Nội vụ, Cục Lưu trữ Quốc gia XYZ", G, "Hà Nội", Role.COORDINATING, warn=warnings.append
    )
    assert [a.agency.name for a in out] == ["Sở Nội vụ", "Cục Lưu trữ Quốc gia XYZ"]
    assert out[1].agency.recognised is False
    assert len(warnings) == 1 and "Cục Lưu trữ Quốc gia XYZ" in warnings[0]


def test_names_without_separator_are_split_by_the_gazetteer():
    out = names("Sở Khoa học và Công nghệ Sở Công Thương; UBND các phường, xã")
    assert [n for n, _ in out] == ["Sở Khoa học và Công nghệ", "Sở Công Thương", "UBND các phường, xã"]


def test_local_agencies_are_scoped_by_jurisdiction():
    hn = split_cell("Sở Nội vụ", G, "Hà Nội", Role.LEAD)[0].agency
    dt = split_cell("Sở Nội vụ", G, "Đồng Tháp", Role.LEAD)[0].agency
    assert hn.id != dt.id and hn.name == dt.name
