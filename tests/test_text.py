import unicodedata

import pytest

from kg.model.text import clean, name_key, slug, strip_markup


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hòa Lạc", "Hoà Lạc"),
        ("công nghiệp hóa", "công nghiệp hoá"),
        ("thủy", "thuỷ"),
        ("Ủy ban nhân dân", "Uỷ ban nhân dân"),
        ("Sở Nội vụ", "SỞ NỘI VỤ"),
        ("Sở Nội vụ", "Sở\u00a0Nội  vụ"),
        ("Sở Nội vụ", unicodedata.normalize("NFD", "Sở Nội vụ")),
        ("khỏe", "khoẻ"),
    ],
)
def test_variants_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Sở Nội vụ", "Sở Nội vũ"), ("của", "cửa"), ("Hòa", "Hóa")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_key_is_aligned_with_clean_text():
    text = "  Ban Quản lý Khu Công nghệ cao Hòa   Lạc "
    assert len(name_key(text)) == len(clean(text))


def test_clean_keeps_every_diacritic_in_nfc():
    text = unicodedata.normalize("NFD", "Trường Đào tạo Cán bộ Lê Hồng Phong")
    out = clean(text)
    assert out == "Trường Đào tạo Cán bộ Lê Hồng Phong"
    assert unicodedata.is_normalized("NFC", out)


def test_strip_markup():
    assert strip_markup("<b>Tiếp tục</b>") == "Tiếp tục"
    assert strip_markup("Đơn vị<br>chủ trì") == "Đơn vị chủ trì"
    assert strip_markup("** **") == ""


def test_slug():
    assert slug("Đảng ủy Khối") == "dang-uy-khoi"
