"""The official reference lists: ethnic groups, religions, education and professional levels, occupation classes of
the statistical forms, and employer sectors, with the predicates the reports and the eligibility rules use.

These lists are the vocabulary of the party-member records (2-KNĐ booklet, 7-HSĐV register) and of the statistical
forms of the Organisation Commission (Biểu 2-BTCTW, 2B-BTCTW). Codes are stable keys stored in the database; the
Vietnamese labels are what secretaries see and what the printed reports carry. Never renumber or rename a code:
reports of past periods are rebuilt from them.
"""

from __future__ import annotations

from typing import Final

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
