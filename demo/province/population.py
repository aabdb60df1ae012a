"""Who lives in the demo province and what they do: the communities (ethnic mix, religion, home), the kinds of work
of the cells' members, and the Vietnamese names drawn for them (B.4).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from admission.rules import reference

T = TypeVar("T")


@dataclass(frozen=True)
class Community:
    """Who lives there: ethnic mix (names of reference.ETHNIC_GROUPS, weights), share of Catholics, home unit."""

    ethnicity: tuple[tuple[str, int], ...]
    catholic_rate: float
    home: str


@dataclass(frozen=True)
class Work:
    """What the members of a cell do; `residential` cells also hold pensioners and the village head."""

    occupations: tuple[tuple[str, int], ...]
    education: tuple[tuple[str, int], ...]
    professional: tuple[tuple[str, int], ...]
    sector: str | None  # None: derived from the occupation (residential cells)
    born: tuple[int, int]  # birth years of official members
    women: float = 0.4  # share of women (national 37–41 %, B.8 default 42 %)
    residential: bool = False
    trade_union: bool = False


COMMUNITIES: Final[dict[str, Community]] = {
    # Old Bình Liêu district, 2018: Tày 51 %, Dao 28 %, Sán Chay 15 %, Kinh 5 %, Hoa 0,4 % (B.5).
    "highland": Community(
        (("Tày", 51), ("Dao", 28), ("Sán Chay", 15), ("Kinh", 5), ("Hoa", 1)), 0.0, "xã Hoành Mô, tỉnh Quảng Ninh"
    ),
    # Teachers and health workers of a highland commune come partly from the lowlands.
    "highland_staff": Community(
        (("Kinh", 40), ("Tày", 32), ("Dao", 15), ("Sán Chay", 11), ("Hoa", 2)), 0.0, "xã Hoành Mô, tỉnh Quảng Ninh"
    ),
    # Former thị trấn Quảng Hà: Kinh well over 75 %, minorities from the surrounding communes.
    "lowland_town": Community(
        (("Kinh", 82), ("Tày", 7), ("Dao", 4), ("Sán Dìu", 3), ("Sán Chay", 2), ("Hoa", 1), ("Nùng", 1)),
        0.04,
        "xã Quảng Hà, tỉnh Quảng Ninh",
    ),
    # Former xã Quảng Phong, where the Tày of old Hải Hà district concentrate.
    "quang_phong": Community(
        (("Kinh", 55), ("Tày", 30), ("Dao", 8), ("Sán Chay", 4), ("Sán Dìu", 3)), 0.01, "xã Quảng Hà, tỉnh Quảng Ninh"
    ),
    "industrial": Community(
        (("Kinh", 85), ("Tày", 6), ("Dao", 3), ("Sán Dìu", 3), ("Nùng", 2), ("Mường", 1)),
        0.02,
        "xã Quảng Hà, tỉnh Quảng Ninh",
    ),
    # Urban wards of former Hạ Long city: at least 95 % Kinh.
    "urban": Community(
        (("Kinh", 970), ("Hoa", 15), ("Tày", 10), ("Sán Dìu", 5)), 0.04, "phường Hồng Gai, tỉnh Quảng Ninh"
    ),
}


WORKS: Final[dict[str, Work]] = {
    "village": Work(
        occupations=(("agriculture", 70), ("other", 15), ("commune_official", 8), ("public_service_employee", 7)),
        education=(("primary", 15), ("lower_secondary", 45), ("upper_secondary", 40)),
        professional=(("none", 60), ("elementary", 15), ("intermediate", 15), ("college", 5), ("university", 5)),
        sector=None,
        born=(1955, 2001),
        women=0.35,
        residential=True,
    ),
    "neighbourhood": Work(
        occupations=(
            ("other", 40),
            ("public_service_employee", 14),
            ("enterprise_worker", 12),
            ("enterprise_office_staff", 9),
            ("state_official", 9),
            ("commune_official", 6),
            ("agriculture", 10),
        ),
        education=(("lower_secondary", 12), ("upper_secondary", 88)),
        professional=(("none", 20), ("elementary", 10), ("intermediate", 20), ("college", 10), ("university", 40)),
        sector=None,
        born=(1955, 2001),
        residential=True,
    ),
    "school": Work(
        occupations=(("public_service_employee", 1),),
        education=(("upper_secondary", 1),),
        professional=(("college", 5), ("university", 80), ("master", 15)),
        sector="public_service_unit",
        born=(1968, 2001),
        women=0.6,
        trade_union=True,
    ),
    "health": Work(
        occupations=(("public_service_employee", 1),),
        education=(("upper_secondary", 1),),
        professional=(("intermediate", 35), ("college", 30), ("university", 30), ("master", 5)),
        sector="public_service_unit",
        born=(1968, 2001),
        women=0.6,
        trade_union=True,
    ),
    "company": Work(
        occupations=(("enterprise_worker", 60), ("enterprise_office_staff", 28), ("enterprise_manager", 12)),
        education=(("lower_secondary", 15), ("upper_secondary", 85)),
        professional=(("none", 5), ("elementary", 25), ("intermediate", 25), ("college", 15), ("university", 30)),
        sector="private_enterprise",
        born=(1970, 2001),
        trade_union=True,
    ),
    "agency": Work(
        occupations=(("commune_official", 1),),
        education=(("upper_secondary", 1),),
        professional=(("college", 5), ("university", 80), ("master", 15)),
        sector="state_agency",
        born=(1968, 2000),
        trade_union=True,
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# Names (B.4). Weights are rough shares in tenths of a percent for the north.
# ---------------------------------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_KINH_SURNAMES: Final = (
    ("Nguyễn", 384),
    ("Trần", 85),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 51),
    ("Vũ", 39),
    ("Đỗ", 25),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Phan", 16),
    ("Ngô", 13),
    ("Hồ", 10),
    ("Dương", 10),
    ("Lý", 5),
    *((name, 5) for name in ("Đinh", "Trịnh", "Trương", "Mai", "Đào", "Đoàn", "Lương", "Cao", "Hà", "Lưu")),
    *((name, 3) for name in ("Phùng", "Tạ", "Vương", "Tô", "Chu", "Đàm", "Lục", "Triệu", "Nông", "Bế", "Vi")),
)


_MINORITY_SURNAMES: Final[dict[str, tuple[str, ...]]] = {
    "Tày": ("Hoàng", "Nông", "Lục", "Vi", "Hà", "Lý", "La", "Đàm", "Nịnh", "Chu", "Lương", "Dương"),
    "Dao": ("Bàn", "Triệu", "Đặng", "Lý", "Phùn", "Chìu", "Tằng", "Lỷ", "Sầm"),
    "Sán Chay": ("Chíu", "Lỷ", "Tằng", "Voòng", "Sằn", "Dìu", "Hà"),
    "Sán Dìu": ("Diệp", "Lương", "Trương", "Lâm", "Tô", "Đỗ"),
    "Hoa": ("Lưu", "Trương", "Lý", "Quan", "Mạc", "Hoàng"),
    "Nùng": ("Hoàng", "Nông", "Lương", "Vi", "Lăng"),
    "Mường": ("Đinh", "Bùi", "Quách", "Hà"),
}


_MALE_MIDDLE: Final = _words("Đức Minh Quang Hữu Xuân Ngọc Thanh Mạnh Quốc Trung Thế Duy Hoàng Tiến")
_FEMALE_MIDDLE: Final = _words("Thu Thanh Phương Minh Hồng Thúy Kim Lan Hải Khánh Bảo Ngọc")


_MALE_GIVEN_YOUNG: Final = _words(
    "Tuấn Hoàng Huy Anh Hiếu Hùng Nam Sơn Đức Dũng Thành Đạt Cường Long Trung Hải Nguyên Thắng Minh Duy Tiến Quang "
    "Phúc Trường Tài Toàn Hưng Phong Tùng Linh Khánh Bảo Quân Dương Nghĩa Lâm Vinh Bình Mạnh Việt Thịnh Hòa Tâm "
    "Hiệp Tân Phú Kiên Chiến Trọng Quyết"
)


_FEMALE_GIVEN_YOUNG: Final = _words(
    "Trang Thảo Linh Anh Phương Hằng Huyền Hà Hiền Hương Ngọc Dung Nhung Thủy Nhi Duyên Vân Quỳnh Nga Yến Trinh "
    "Thương Uyên Hạnh Ngân Oanh Trâm Ly Mai Phượng Thúy Hoa Vy Hồng Tâm Thu My Giang Loan Thanh Ánh Lan Chi Thư "
    "Huệ Nguyệt Tuyết Liên Xuân Hậu"
)


_MALE_GIVEN_OLDER: Final = _words(
    "Bình Lợi Thắng Hùng Chiến Sơn Hải Tuấn Thanh Hòa Dũng Cường Long Trung Minh Quang Tiến Hưng Phong Vinh"
)


_FEMALE_GIVEN_OLDER: Final = _words(
    "Lan Hoa Hương Hằng Thủy Nga Hồng Mai Hạnh Liên Tuyết Huệ Thu Dung Nhung Yến Oanh Loan Xuân Hà"
)


_OTHER_HOMES: Final = (
    "phường Hồng Gai, tỉnh Quảng Ninh",
    "phường Cẩm Phả, tỉnh Quảng Ninh",
    "xã Tiên Yên, tỉnh Quảng Ninh",
    "xã Đầm Hà, tỉnh Quảng Ninh",
    "xã Bình Liêu, tỉnh Quảng Ninh",
    "phường Móng Cái 1, tỉnh Quảng Ninh",
    "phường Uông Bí, tỉnh Quảng Ninh",
)


_SECTOR_OF_OCCUPATION: Final[dict[str, str]] = {
    "agriculture": "village",
    "village_part_time": "village",
    "other": "village",
    "commune_official": "state_agency",
    "state_official": "state_agency",
    "public_service_employee": "public_service_unit",
    "enterprise_worker": "private_enterprise",
    "enterprise_office_staff": "private_enterprise",
    "enterprise_manager": "private_enterprise",
}


_ETHNIC_CODE: Final[dict[str, str]] = {name: code for code, name in reference.ETHNIC_GROUPS}


def ethnic_code(name: str) -> str:
    """The code of reference.ETHNIC_GROUPS for a group's name, e.g. "Tày" → "02"."""
    return _ETHNIC_CODE[name]


def pick(rng: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    return rng.choices([value for value, _w in weighted], weights=[w for _v, w in weighted])[0]


def make_name(rng: random.Random, *, ethnic: str, sex: str, born: int) -> str:
    """Họ + đệm (+ đệm 2) + tên (B.4): "Văn"/"Thị" more often for older people and minorities."""
    surnames = _MINORITY_SURNAMES.get(ethnic)
    surname = rng.choice(surnames) if surnames else pick(rng, _KINH_SURNAMES)
    traditional = born < 1990 or ethnic != "Kinh"
    if sex == "male":
        middle = ["Văn"] if rng.random() < (0.6 if traditional else 0.15) else [rng.choice(_MALE_MIDDLE)]
        given_pool = _MALE_GIVEN_OLDER if born < 1985 else _MALE_GIVEN_YOUNG
    else:
        # Four-word women's names are "Thị + second middle" (Nguyễn Thị Thu Hà), more often among the young.
        if rng.random() < (0.8 if traditional else 0.45):
            middle = ["Thị"] + ([rng.choice(_FEMALE_MIDDLE)] if rng.random() < (0.25 if traditional else 0.5) else [])
        else:
            middle = [rng.choice(_FEMALE_MIDDLE)]
        given_pool = _FEMALE_GIVEN_OLDER if born < 1985 else _FEMALE_GIVEN_YOUNG
    middle = [part for part in middle if part != surname] or ["Văn" if sex == "male" else "Thị"]
    given = rng.choice([name for name in given_pool if name not in middle])
    return reference.normalise_name(" ".join([surname, *middle, given]))
