"""kg.model.lookup: the one agency matcher of the command line, the API and the reports."""

from __future__ import annotations

import pytest

from kg.model import Agency
from kg.model.lookup import AmbiguousAgency, NoAgency, find_agencies, match_agencies, resolve_agency

PROVINCES = ["Hà Nội", "Đồng Nai", "Đà Nẵng", "Cần Thơ", "Huế"]
RECORDS = [
    *(
        Agency(f"{p}/so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "department", True, p)
        for p in PROVINCES
    ),
    Agency("bo-noi-vu", "Bộ Nội vụ", "Ministry of Home Affairs", "ministry", True, None),
    Agency("ha-noi/van-phong-ubnd-thanh-pho", "Văn phòng UBND Thành phố", None, "office", True, "Hà Nội"),
]


@pytest.mark.parametrize(
    "name", ["Sở Nội vụ", "so noi vu", "SỞ NỘI VỤ", "Department of Home Affairs", "so noi vu "]
)
def test_a_shared_name_lists_every_jurisdiction(name) -> None:
    with pytest.raises(AmbiguousAgency) as e:
        resolve_agency(RECORDS, name)
    message = str(e.value)
    assert "5 agencies" in message and all(p in message for p in PROVINCES) and "\n" not in message
    assert "add the jurisdiction" in message


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Sở Nội vụ, Hà Nội", "Hà Nội"),
        ("Sở Nội vụ (Đồng Nai)", "Đồng Nai"),
        ("so noi vu, tinh dong nai", "Đồng Nai"),
        ("Department of Home Affairs (Can Tho)", "Cần Thơ"),
        ("SO NOI VU (THANH PHO DA NANG)", "Đà Nẵng"),
    ],
)
def test_a_place_picks_one(name, place) -> None:
    assert resolve_agency(RECORDS, name).jurisdiction == place


def test_names_ids_and_abbreviations_without_diacritics() -> None:
    assert find_agencies(RECORDS, "bo noi vu") == ["bo-noi-vu"]
    assert find_agencies(RECORDS, "Ministry of Home Affairs") == ["bo-noi-vu"]
    assert find_agencies(RECORDS, "van phong ubnd thanh pho") == ["ha-noi/van-phong-ubnd-thanh-pho"]
    assert find_agencies(RECORDS, "Hà Nội/so-noi-vu") == ["Hà Nội/so-noi-vu"]


def test_a_province_without_that_agency_says_where_it_is() -> None:
    few = RECORDS[:2]
    with pytest.raises(NoAgency) as e:
        match_agencies(few, "Sở Nội vụ, Cần Thơ")
    assert "closest: Sở Nội vụ (Hà Nội), Sở Nội vụ (Đồng Nai)" in str(e.value)


def test_a_comma_inside_a_name_is_no_place() -> None:
    records = [
        Agency(
            "ha-noi/ubnd-cac-quan-huyen-thi-xa",
            "UBND các quận, huyện, thị xã",
            None,
            "collective",
            True,
            "Hà Nội",
        )
    ]
    assert find_agencies(records, "UBND các quận, huyện, thị xã") == ["ha-noi/ubnd-cac-quan-huyen-thi-xa"]
    assert find_agencies(records, "ubnd cac quan, huyen, thi xa") == ["ha-noi/ubnd-cac-quan-huyen-thi-xa"]


def test_no_match_names_the_closest() -> None:
    with pytest.raises(NoAgency) as e:
        find_agencies(RECORDS, "Sở Nội vịu")
    assert "closest: Sở Nội vụ" in str(e.value)
