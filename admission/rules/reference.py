"""Official reference lists (ethnic groups, religions, education, occupation classes) and the citizen-ID check.

These lists are the vocabulary of the party-member records (2-KNĐ booklet, 7-HSĐV register) and of the statistical
forms of the Organisation Commission (Biểu 2-BTCTW, 2B-BTCTW). Codes are stable keys stored in the database; the
Vietnamese labels are what secretaries see and what the printed reports carry. Never renumber or rename a code:
reports of past periods are rebuilt from them.

Validation messages are English source strings wrapped in ``gettext``; the Vietnamese translation lives in
``locale/vi`` (see ``makemessages -l vi``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "CITIZEN_ID_LENGTH",
    "CITIZEN_ID_PROVINCES",
    "CITIZEN_ID_PROVINCE_CODES",
    "EDUCATION_LEVELS",
    "EMPLOYER_SECTORS",
    "ENTERPRISE_OCCUPATIONS",
    "ENTERPRISE_OCCUPATION_GROUP_LABEL",
    "ETHNICITY_CHOICES",
    "ETHNIC_GROUPS",
    "KINH",
    "NO_RELIGION",
    "OCCUPATION_CLASSES",
    "OUTSIDE_STATE_SECTORS",
    "PROFESSIONAL_LEVELS",
    "RELIGIONS",
    "citizen_id_prefix",
    "citizen_id_validator",
    "education_rank",
    "is_ethnic_minority",
    "is_outside_state_sector",
    "is_religious",
    "meets_education",
    "normalise_name",
    "normalise_text",
    "professional_rank",
    "validate_citizen_id",
]

Choices = tuple[tuple[str, str], ...]

# ---------------------------------------------------------------------------------------------------------------
# Ethnic groups (dân tộc)
# ---------------------------------------------------------------------------------------------------------------

# The 54 groups with the two-digit codes of the General Statistics Office list ("Danh mục các thành phần dân tộc
# Việt Nam", Quyết định 121-TCTK/PPCĐ, 2/3/1979). This is also the row order of section I of Biểu 2B-BTCTW.
# Spellings follow the 1979 list; later GSO publications write some of them differently (e.g. "Khmer", "Mông",
# "Ê Đê", "Cơ Ho") — those are the same groups and the same codes.
ETHNIC_GROUPS: Final[Choices] = (
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Hmông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba-na"),
    ("14", "Xơ-đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié-Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Tà-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu-ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cờ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ-măm"),
)

# Django `choices` for the ethnicity field: (code, Vietnamese name).
ETHNICITY_CHOICES: Final[Choices] = ETHNIC_GROUPS

KINH: Final = "01"

_ETHNIC_CODES: Final = frozenset(code for code, _name in ETHNIC_GROUPS)


def is_ethnic_minority(code: str) -> bool:
    """True for every one of the 53 groups other than Kinh (the "Dân tộc thiểu số" row of Biểu 2-BTCTW)."""
    if code not in _ETHNIC_CODES:
        raise ValueError(f"unknown ethnic group code {code!r}")
    return code != KINH


# ---------------------------------------------------------------------------------------------------------------
# Religions (tôn giáo)
# ---------------------------------------------------------------------------------------------------------------

NO_RELIGION: Final = "none"

# "none", the religions whose organisations the State has recognised (Ban Tôn giáo Chính phủ list), then "other".
# Biểu 2B-BTCTW section II reports Phật giáo, Công giáo, Phật giáo Hòa Hảo, Cao Đài, Tin lành and Hồi giáo on their
# own rows; every other code here is counted under "Đạo khác".
RELIGIONS: Final[Choices] = (
    (NO_RELIGION, "Không"),
    ("buddhism", "Phật giáo"),
    ("catholic", "Công giáo"),
    ("protestant", "Tin lành"),
    ("caodai", "Cao Đài"),
    ("hoahao", "Phật giáo Hòa Hảo"),
    ("islam", "Hồi giáo"),
    ("bahai", "Baha'i"),
    ("tinh_do_cu_si", "Tịnh độ cư sĩ Phật hội Việt Nam"),
    ("buu_son_ky_huong", "Bửu Sơn Kỳ Hương"),
    ("tu_an_hieu_nghia", "Tứ Ân Hiếu Nghĩa"),
    ("minh_su_dao", "Minh Sư đạo"),
    ("minh_ly_dao", "Minh Lý đạo - Tam Tông Miếu"),
    ("brahmanism", "Bà-la-môn"),
    ("mormon", "Mặc môn"),
    ("hieu_nghia_ta_lon", "Phật giáo Hiếu Nghĩa Tà Lơn"),
    ("adventist", "Cơ đốc Phục lâm"),
    ("other", "Khác"),
)

_RELIGION_CODES: Final = frozenset(code for code, _label in RELIGIONS)


def is_religious(code: str) -> bool:
    """True for a follower of any religion (the "Người theo tôn giáo" row of Biểu 2-BTCTW)."""
    if code not in _RELIGION_CODES:
        raise ValueError(f"unknown religion code {code!r}")
    return code != NO_RELIGION


# ---------------------------------------------------------------------------------------------------------------
# Education (trình độ giáo dục phổ thông, trình độ chuyên môn nghiệp vụ)
# ---------------------------------------------------------------------------------------------------------------

# Highest general-education level completed, lowest first; the rows of Biểu 2-BTCTW II.3. The admission rule is
# "at least lower secondary" with exceptions down to primary and literacy (01-HD/TW 2021 §1.2, kept by 06-HD/TW).
EDUCATION_LEVELS: Final[Choices] = (
    ("literate", "Biết đọc, biết viết chữ quốc ngữ"),
    ("primary", "Tốt nghiệp tiểu học"),
    ("lower_secondary", "Tốt nghiệp trung học cơ sở"),
    ("upper_secondary", "Tốt nghiệp trung học phổ thông"),
)

# Professional qualification, lowest first; the rows of Biểu 2-BTCTW II.4 ("sơ cấp" covers the form's "Công nhân
# kỹ thuật, nhân viên nghiệp vụ, sơ cấp"), preceded by "none".
PROFESSIONAL_LEVELS: Final[Choices] = (
    ("none", "Chưa qua đào tạo"),
    ("elementary", "Sơ cấp"),
    ("intermediate", "Trung cấp"),
    ("college", "Cao đẳng"),
    ("university", "Đại học"),
    ("master", "Thạc sĩ"),
    ("doctor", "Tiến sĩ"),
)

_EDUCATION_RANK: Final = {code: rank for rank, (code, _label) in enumerate(EDUCATION_LEVELS, start=1)}
_PROFESSIONAL_RANK: Final = {code: rank for rank, (code, _label) in enumerate(PROFESSIONAL_LEVELS)}


def education_rank(code: str) -> int:
    """Position of a general-education level (literate=1 … upper_secondary=4), for "at least" comparisons."""
    try:
        return _EDUCATION_RANK[code]
    except KeyError:
        raise ValueError(f"unknown education level {code!r}") from None


def meets_education(code: str, minimum: str) -> bool:
    """True when `code` is `minimum` or a higher general-education level."""
    return education_rank(code) >= education_rank(minimum)


def professional_rank(code: str) -> int:
    """Position of a professional level (none=0 … doctor=6)."""
    try:
        return _PROFESSIONAL_RANK[code]
    except KeyError:
        raise ValueError(f"unknown professional level {code!r}") from None


# ---------------------------------------------------------------------------------------------------------------
# Occupation classes (Biểu 2-BTCTW, II.1 "Nghề nghiệp")
# ---------------------------------------------------------------------------------------------------------------

# The 14 exclusive leaves of II.1, in the printed order and with the printed labels; they sum to the total of new
# members. The enterprise row of the form ("Lãnh đạo, quản lý và lao động trong các doanh nghiệp, chia ra:") is a
# parent of three leaves and has no code of its own — see ENTERPRISE_OCCUPATIONS. The first two labels still say
# "từ cấp huyện trở lên" as printed; since the district level was abolished on 1/7/2025 they cover the
# provincial and central levels.
OCCUPATION_CLASSES: Final[Choices] = (
    ("state_official", "Cán bộ, công chức cơ quan Nhà nước tính từ cấp huyện trở lên"),
    (
        "party_front_official",
        "Cán bộ, công chức cơ quan Đảng, Mặt trận Tổ quốc, đoàn thể chính trị - xã hội tính từ cấp huyện trở lên",
    ),
    ("commune_official", "Cán bộ, công chức; người hoạt động không chuyên trách ở xã, phường, thị trấn"),
    ("village_part_time", "Người hoạt động không chuyên trách thôn, tổ dân phố, bản (ấp, khóm)"),
    ("public_service_employee", "Viên chức trong các đơn vị sự nghiệp công lập"),
    ("non_public_service_employee", "Người lao động trong các đơn vị sự nghiệp ngoài công lập"),
    ("enterprise_manager", "Người lãnh đạo, quản lý doanh nghiệp"),
    ("enterprise_office_staff", "Nhân viên, người gián tiếp sản xuất"),
    ("enterprise_worker", "Công nhân, lao động trực tiếp sản xuất"),
    ("agriculture", "Người làm nông, lâm, ngư nghiệp"),
    ("armed_forces", "Sỹ quan, chiến sỹ quân đội và công an (lực lượng vũ trang)"),
    ("university_student", "Sinh viên"),
    ("pupil", "Học sinh"),
    ("other", "Khác (lao động hợp đồng, tự do…)"),
)

ENTERPRISE_OCCUPATION_GROUP_LABEL: Final = "Lãnh đạo, quản lý và lao động trong các doanh nghiệp"
ENTERPRISE_OCCUPATIONS: Final = frozenset({"enterprise_manager", "enterprise_office_staff", "enterprise_worker"})


# ---------------------------------------------------------------------------------------------------------------
# Employer sectors
# ---------------------------------------------------------------------------------------------------------------

# Where the person works or studies. Provincial reports single out members "ngoài khu vực nhà nước" (private and
# foreign-invested enterprises), villages/neighbourhoods and schools, so each has its own code.
EMPLOYER_SECTORS: Final[Choices] = (
    ("state_agency", "Cơ quan Đảng, Nhà nước, Mặt trận Tổ quốc, đoàn thể"),
    ("public_service_unit", "Đơn vị sự nghiệp công lập"),
    ("non_public_service_unit", "Đơn vị sự nghiệp ngoài công lập"),
    ("state_enterprise", "Doanh nghiệp nhà nước"),
    ("private_enterprise", "Doanh nghiệp tư nhân (ngoài khu vực nhà nước)"),
    ("foreign_invested_enterprise", "Doanh nghiệp có vốn đầu tư nước ngoài"),
    ("cooperative", "Hợp tác xã"),
    ("village", "Thôn, tổ dân phố (bản, ấp, khóm)"),
    ("school", "Trường học (học sinh, sinh viên)"),
    ("armed_forces", "Lực lượng vũ trang (quân đội, công an)"),
    ("other", "Khác, không có nơi làm việc"),
)

# Outside the state sector: owned neither by the State nor run as a public service unit. Cooperatives are
# collectively owned and counted here; villages, schools and "other" are not workplaces of either kind.
OUTSIDE_STATE_SECTORS: Final = frozenset(
    {"private_enterprise", "foreign_invested_enterprise", "cooperative", "non_public_service_unit"}
)

_SECTOR_CODES: Final = frozenset(code for code, _label in EMPLOYER_SECTORS)


def is_outside_state_sector(code: str) -> bool:
    """True for workplaces "ngoài khu vực nhà nước" (private, foreign-invested, cooperative, non-public units)."""
    if code not in _SECTOR_CODES:
        raise ValueError(f"unknown employer sector {code!r}")
    return code in OUTSIDE_STATE_SECTORS


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


def citizen_id_validator(value: str) -> None:
    """Model-field validator: format and birth-province code only (the date and sex checks need the whole row)."""
    validate_citizen_id(value)


# ---------------------------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------------------------

# Invisible characters that arrive with text pasted from Word, PDFs or chat apps.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Inside a name, a letter after one of these starts a new capitalised part ("Bru-Vân", "H'Hen").
_NAME_PART_SEPARATORS = frozenset("-'\u2019")


def vn_date(day: date) -> str:
    """A date as Vietnamese documents and screens write it: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def normalise_text(value: str) -> str:
    """NFC-normalise, drop invisible characters, collapse runs of whitespace to one space, strip the ends.

    Vietnamese typed on different keyboards arrives precomposed (NFC) or decomposed (NFD); comparing, sorting
    and searching only work when every stored string is NFC.
    """
    return " ".join(unicodedata.normalize("NFC", value).translate(_INVISIBLE).split())


def normalise_name(value: str) -> str:
    """Normalise a personal name and capitalise each part: "nguyễn  văn AN" → "Nguyễn Văn An"."""
    result: list[str] = []
    start_of_part = True
    for char in normalise_text(value):
        if char.isalpha():
            result.append(char.upper() if start_of_part else char.lower())
            start_of_part = False
        else:
            result.append(char)
            start_of_part = char == " " or char in _NAME_PART_SEPARATORS
    return "".join(result)
