"""What an admission is counted by: the fields of its snapshot on the decision date (`CLASSIFICATION`), the
sourcing-plan categories, and the rows of Biểu 2-BTCTW (sections I and II) and 2B-BTCTW.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from admission.rules import reference
from admission.sourcing.models.plans import PlanCategory

# Fields of `AdmissionSnapshot` (admission/models/snapshots.py): the values on the decision date, never today's.
CLASSIFICATION: dict[str, str] = {
    "sex": "sex",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "education": "education",
    "professional_level": "professional_level",
    "occupation": "occupation",
    "employer_sector": "employer_sector",
    "youth_union_member": "youth_union_member",
    "trade_union_member": "trade_union_member",
    "date_of_birth": "date_of_birth",
    "age_months": "age_months",
    "readmission": "is_readmission",
    "decided_on": "decided_on",
}


def _c(name: str, lookup: str = "", value: Any = True) -> Q:
    return Q(**{CLASSIFICATION[name] + (f"__{lookup}" if lookup else ""): value})


CATEGORY_Q: dict[str, Q] = {
    PlanCategory.TOTAL: Q(),
    PlanCategory.WOMEN: _c("sex", value="female"),
    PlanCategory.ETHNIC_MINORITY: ~_c("ethnicity", value=reference.KINH),
    PlanCategory.RELIGIOUS: ~_c("religion", value=reference.NO_RELIGION),
    PlanCategory.YOUTH_UNION: _c("youth_union_member"),
    PlanCategory.PRIVATE_ENTERPRISE: _c("employer_sector", "in", sorted(reference.OUTSIDE_STATE_SECTORS)),
    PlanCategory.VILLAGE: _c("employer_sector", value="village"),
    PlanCategory.PUPIL_STUDENT: _c("occupation", "in", ["pupil", "university_student"]),
}


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str  # as printed on the form (regulation text, Vietnamese)
    level: int = 1
    q: Q | None = None  # None: the data model does not record it (printed empty)
    bold: bool = False
    kind: str = "count"  # "count", "mean_age", "heading"


def _age(lo: int, hi: int | None) -> Q:
    """Whole years on the decision date from `lo` to `hi` included (from the completed months of the snapshot)."""
    months = CLASSIFICATION["age_months"]
    return Q(**{f"{months}__gte": lo * 12}) & (Q(**{f"{months}__lt": (hi + 1) * 12}) if hi is not None else Q())


_OCCUPATIONS = dict(reference.OCCUPATION_CLASSES)
_EDUCATION = dict(reference.EDUCATION_LEVELS)
_PROFESSIONAL = dict(reference.PROFESSIONAL_LEVELS)


def _occupation_rows() -> list[RowSpec]:
    rows: list[RowSpec] = []
    for code, label in reference.OCCUPATION_CLASSES:
        if code == "enterprise_manager":
            rows.append(
                RowSpec(
                    "occupation_enterprise",
                    f"{reference.ENTERPRISE_OCCUPATION_GROUP_LABEL}, chia ra:",
                    2,
                    _c("occupation", "in", sorted(reference.ENTERPRISE_OCCUPATIONS)),
                )
            )
        level = 3 if code in reference.ENTERPRISE_OCCUPATIONS else 2
        rows.append(RowSpec(f"occupation_{code}", label, level, _c("occupation", value=code)))
    return rows


# Biểu số 2-BTCTW, sections I and II, row by row (demo-and-reports.md A.2; the union of the two public rebuilds).
FORM2_ROWS: list[RowSpec] = [
    RowSpec("total", "I. Tổng số đảng viên mới kết nạp", 0, Q(), bold=True),
    RowSpec("female", "Nữ", 1, CATEGORY_Q[PlanCategory.WOMEN]),
    RowSpec("minority", "Dân tộc thiểu số", 1, CATEGORY_Q[PlanCategory.ETHNIC_MINORITY]),
    RowSpec("religious", "Người theo tôn giáo", 1, CATEGORY_Q[PlanCategory.RELIGIOUS]),
    RowSpec("youth_union", "Đoàn viên Đoàn TNCS Hồ Chí Minh", 1, CATEGORY_Q[PlanCategory.YOUTH_UNION]),
    RowSpec("private_business_owner", "Chủ doanh nghiệp tư nhân", 1, None),
    RowSpec("family_planning", "Quần chúng vi phạm chính sách KHHGĐ", 1, None),
    RowSpec("married_foreigner", "Có quan hệ hôn nhân với người nước ngoài", 1, None),
    RowSpec("readmission", "Kết nạp lại", 1, _c("readmission")),
    RowSpec("section_ii", "II. Phân tích đảng viên mới kết nạp", 0, bold=True, kind="heading"),
    RowSpec("occupation", "1. Nghề nghiệp", 1, bold=True, kind="heading"),
    *_occupation_rows(),
    RowSpec("age", "2. Tuổi đời:", 1, bold=True, kind="heading"),
    RowSpec("age_18_30", "Từ 18 - 30 tuổi", 2, _age(18, 30)),
    RowSpec("age_31_35", "Từ 31 - 35 tuổi", 2, _age(31, 35)),
    RowSpec("age_36_40", "Từ 36 - 40 tuổi", 2, _age(36, 40)),
    RowSpec("age_41_45", "Từ 41 - 45 tuổi", 2, _age(41, 45)),
    RowSpec("age_46_50", "Từ 46 - 50 tuổi", 2, _age(46, 50)),
    RowSpec("age_51_55", "Từ 51 - 55 tuổi", 2, _age(51, 55)),
    RowSpec("age_56_60", "Từ 56 - 60 tuổi", 2, _age(56, 60)),
    RowSpec("age_over_60", "Trên 60 tuổi", 2, _age(61, None)),
    RowSpec("mean_age", "Tuổi bình quân", 2, kind="mean_age"),
    RowSpec("general_education", "3. Trình độ giáo dục phổ thông", 1, bold=True, kind="heading"),
    RowSpec("education_literate", "Biết đọc, biết viết chữ quốc ngữ", 2, _c("education", value="literate")),
    RowSpec("education_primary", "Tiểu học", 2, _c("education", value="primary")),
    RowSpec("education_lower_secondary", "Trung học cơ sở", 2, _c("education", value="lower_secondary")),
    RowSpec("education_upper_secondary", "Trung học phổ thông", 2, _c("education", value="upper_secondary")),
    RowSpec("professional", "4. Trình độ chuyên môn nghiệp vụ", 1, bold=True, kind="heading"),
    RowSpec(
        "professional_elementary",
        "Công nhân kỹ thuật, nhân viên nghiệp vụ, sơ cấp",
        2,
        _c("professional_level", value="elementary"),
    ),
    RowSpec("professional_intermediate", "Trung cấp", 2, _c("professional_level", value="intermediate")),
    RowSpec("professional_college", "Cao đẳng", 2, _c("professional_level", value="college")),
    RowSpec("professional_university", "Đại học", 2, _c("professional_level", value="university")),
    RowSpec("professional_master", "Thạc sỹ", 2, _c("professional_level", value="master")),
    RowSpec("professional_doctor", "Tiến sỹ", 2, _c("professional_level", value="doctor")),
    RowSpec("academic_title", "5. Chức danh khoa học", 1, bold=True, kind="heading"),
    RowSpec("academic_associate_professor", "Phó Giáo sư", 2, None),
    RowSpec("academic_professor", "Giáo sư", 2, None),
]


# Categories provincial reports single out, with the sourcing-plan targets beside them (domain.md §7).
HIGHLIGHT_LABELS: dict[str, str] = {
    PlanCategory.TOTAL: "Tổng số đảng viên mới kết nạp",
    PlanCategory.WOMEN: "Nữ",
    PlanCategory.ETHNIC_MINORITY: "Dân tộc thiểu số",
    PlanCategory.RELIGIOUS: "Người theo tôn giáo",
    PlanCategory.YOUTH_UNION: "Đoàn viên Đoàn TNCS Hồ Chí Minh",
    PlanCategory.PRIVATE_ENTERPRISE: "Trong doanh nghiệp ngoài khu vực nhà nước",
    PlanCategory.VILLAGE: "Ở thôn, bản, tổ dân phố",
    PlanCategory.PUPIL_STUDENT: "Học sinh, sinh viên",
}


# Biểu 2B-BTCTW section II: the six religions with their own row; every other religion is "Đạo khác".
FORM2B_RELIGIONS: tuple[tuple[str, str], ...] = (
    ("buddhism", "Phật giáo"),
    ("catholic", "Công giáo"),
    ("hoahao", "Phật giáo Hòa Hảo"),
    ("caodai", "Cao Đài"),
    ("protestant", "Tin Lành"),
    ("islam", "Hồi giáo"),
)
