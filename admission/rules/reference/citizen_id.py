"""The citizen ID (số định danh cá nhân / căn cước công dân): its structure, the province codes, and its check.

Validation messages are English source strings wrapped in ``gettext``; the Vietnamese translation lives in
``locale/vi`` (see ``makemessages -l vi``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ---------------------------------------------------------------------------------------------------------------
# Citizen ID (số định danh cá nhân / căn cước công dân)
# ---------------------------------------------------------------------------------------------------------------

# Structure (Thông tư 07/2016/TT-BCA, Điều 7, and its successor under the 2023 Law on Identification):
#   digits 1-3   province or centrally-run city where the birth was registered (codes below)
#   digit 4      century of birth and sex: 0/1 = 1900-1999 male/female, 2/3 = 2000-2099, 4/5 = 2100-2199,
#                6/7 = 2200-2299, 8/9 = 2300-2399
#   digits 5-6   last two digits of the year of birth
#   digits 7-12  random
CITIZEN_ID_LENGTH: Final = 12

# The 63 province codes as they stood before the 1/7/2025 merger. Numbers already issued never change, and the 34
# merged provinces kept the code of one of their predecessors, so every code here stays valid.
CITIZEN_ID_PROVINCES: Final[dict[str, str]] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

CITIZEN_ID_PROVINCE_CODES: Final[frozenset[str]] = frozenset(CITIZEN_ID_PROVINCES)

_FIRST_ENCODED_YEAR: Final = 1900
_LAST_ENCODED_YEAR: Final = 2399
_SEXES: Final = frozenset({"male", "female"})
_NON_DIGIT = re.compile(r"[^0-9]")


def _century_sex_digit(year: int, sex: str) -> int:
    """The 4th digit for a birth year and sex: two digits per century from 1900, even for men, odd for women."""
    return (year - _FIRST_ENCODED_YEAR) // 100 * 2 + (1 if sex == "female" else 0)


def citizen_id_prefix(*, province_code: str, date_of_birth: date, sex: str) -> str:
    """The first six digits a citizen ID must have for this birth province, date of birth and sex.

    Used by the demo-data generator, which appends a reserved serial range to make obviously fake numbers.
    """
    if province_code not in CITIZEN_ID_PROVINCE_CODES:
        raise ValueError(f"unknown province code {province_code!r}")
    if sex not in _SEXES:
        raise ValueError(f"sex must be 'male' or 'female', not {sex!r}")
    if not _FIRST_ENCODED_YEAR <= date_of_birth.year <= _LAST_ENCODED_YEAR:
        raise ValueError(f"year {date_of_birth.year} cannot be encoded in a citizen ID")
    return f"{province_code}{_century_sex_digit(date_of_birth.year, sex)}{date_of_birth.year % 100:02d}"


def validate_citizen_id(value: str, *, date_of_birth: date | None = None, sex: str | None = None) -> str:
    """Check a 12-digit citizen ID and return it without spaces.

    Always checks the format and the birth-province code. With `date_of_birth`, the century digit and the two
    year digits must match it; with `sex` ("male"/"female"), the sex digit must match. Any other `sex` value, or a
    `date_of_birth` that is not a date (a model field that failed its own validation), is ignored.
    """
    number = "".join(("" if value is None else str(value)).split())

    bad_characters = sorted(set(_NON_DIGIT.findall(number)))
    if bad_characters:
        raise ValidationError(
            _("Citizen ID may contain only digits (found: %(characters)s)."),
            code="citizen_id_not_digits",
            params={"characters": " ".join(bad_characters)},
        )
    if len(number) != CITIZEN_ID_LENGTH:
        raise ValidationError(
            _("Citizen ID must have exactly 12 digits (you entered %(count)d)."),
            code="citizen_id_length",
            params={"count": len(number)},
        )
    province_code = number[:3]
    if province_code not in CITIZEN_ID_PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits of the citizen ID (%(code)s) are not a province code."),
            code="citizen_id_province",
            params={"code": province_code},
        )

    digit = int(number[3])
    errors: list[ValidationError] = []
    if isinstance(date_of_birth, date):
        year = date_of_birth.year
        if not _FIRST_ENCODED_YEAR <= year <= _LAST_ENCODED_YEAR:
            errors.append(
                ValidationError(
                    _("A citizen ID cannot encode the birth year %(year)d."),
                    code="citizen_id_year_range",
                    params={"year": year},
                )
            )
        else:
            if digit // 2 != (year - _FIRST_ENCODED_YEAR) // 100:
                first_year = _FIRST_ENCODED_YEAR + digit // 2 * 100
                errors.append(
                    ValidationError(
                        _(
                            "The 4th digit of the citizen ID (%(digit)d) is for people born from %(first)d to "
                            "%(last)d, but the date of birth is in %(year)d."
                        ),
                        code="citizen_id_century",
                        params={"digit": digit, "first": first_year, "last": first_year + 99, "year": year},
                    )
                )
            if number[4:6] != f"{year % 100:02d}":
                errors.append(
                    ValidationError(
                        _("Digits 5 and 6 of the citizen ID (%(digits)s) do not match the birth year %(year)d."),
                        code="citizen_id_year",
                        params={"digits": number[4:6], "year": year},
                    )
                )
    if sex in _SEXES:
        id_is_female = digit % 2 == 1
        if id_is_female and sex == "male":
            errors.append(
                ValidationError(
                    _("The 4th digit of the citizen ID (%(digit)d) is for a woman, but the person is entered as male."),
                    code="citizen_id_sex",
                    params={"digit": digit},
                )
            )
        elif not id_is_female and sex == "female":
            errors.append(
                ValidationError(
                    _("The 4th digit of the citizen ID (%(digit)d) is for a man, but the person is entered as female."),
                    code="citizen_id_sex",
                    params={"digit": digit},
                )
            )
    if errors:
        raise ValidationError(errors)
    return number
