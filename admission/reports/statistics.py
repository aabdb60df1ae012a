"""Admission statistics for an org subtree and a period, counted in the database.

Every figure is one SQL aggregate (`Count(filter=…)`, `Avg`, grouped `values().annotate()`) over the rows of the
period; Python only walks the small org tree (`admission.reports.scope`), the rows of the printed forms, the
grouped rows (per cell, per grassroots org) and the distinct (start, end) date pairs of the processing times,
never the cases one by one. The admission figures of one period (Biểu 2, the targets, the months) are one query.

What puts an admission into a period is the admission decision (Mẫu 9-KNĐ), the date from which party age runs
(demo-and-reports.md A.5). Admissions are counted from their `AdmissionSnapshot`, written once when the decision
is recorded: the person's classification and the case's cell and org path *on the decision date*, so a later edit
of the person or a restructuring never changes a past figure (`CLASSIFICATION` names its fields).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Avg, Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import ExtractMonth, TruncDate
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.decisions.models.snapshots import AdmissionSnapshot
from admission.party.hierarchy import StepKind
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.people import Membership
from admission.party.permissions import today
from admission.reports.scope import TODAY, Scope, build_scope
from admission.rules import reference
from admission.rules.calendar import WorkingCalendar, working_calendar
from admission.rules.models.rulesets import DeadlineRule, DeadlineStart, DeadlineStep
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.plans import PlanCategory, SourcingPlan
from admission.sourcing.models.training import Enrollment, EnrollmentState

# ------------------------------------------------------------------------------------------------------------------
# Periods
# ------------------------------------------------------------------------------------------------------------------


def _same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29/02 → 28/02
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    """A date range, both ends included (reports run inside one calendar year: quarter, 6 or 9 months, year)."""

    start: date
    end: date

    def previous(self) -> Period:
        """ "Cùng kỳ năm trước": the same range one year earlier (demo-and-reports.md A.5)."""
        return Period(_same_day_last_year(self.start), _same_day_last_year(self.end))

    @property
    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = date(year, 3 * quarter - 2, 1)
        end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)
        return cls(start, end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))


# ------------------------------------------------------------------------------------------------------------------
# Classification at the decision date (fields of the admission snapshot)
# ------------------------------------------------------------------------------------------------------------------

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


# ------------------------------------------------------------------------------------------------------------------
# Result types
# ------------------------------------------------------------------------------------------------------------------


def ratio(part: float | None, whole: float | None) -> float | None:
    """part × 100 / whole, or None when there is nothing to compare with (printed empty, not 0)."""
    if part is None or not whole:
        return None
    return part * 100 / whole


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    level: int
    bold: bool
    current: float | None
    previous: float | None
    kind: str = "count"

    @property
    def percent(self) -> float | None:
        """Column 4 of the forms: this period × 100 / the same period last year."""
        return ratio(self.current, self.previous)


@dataclass(frozen=True)
class ShareLine:
    """A row of Biểu 2B: total, of whom women, share of the section total."""

    number: int | str
    label: str
    total: int | None
    female: int | None
    percent: float | None
    bold: bool = False


@dataclass(frozen=True)
class TargetLine:
    category: str
    label: str
    current: int
    previous: int
    target: int | None

    @property
    def attainment(self) -> float | None:
        return ratio(self.current, self.target)

    @property
    def growth(self) -> float | None:
        return ratio(self.current, self.previous)


@dataclass(frozen=True)
class UnitLine:
    org_id: int
    name: str
    current: int
    previous: int


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    cohort: int  # cases nominated in the period that reached the stage (so far)
    events: int  # the stage's events dated inside the period, whatever the nomination date
    conversion: float | None  # cohort share of the previous stage, in %


@dataclass(frozen=True)
class StepTime:
    step: str
    label: str
    body: str
    count: int
    median_days: float | None
    overdue: int | None
    overdue_rate: float | None


@dataclass
class Dashboard:
    org: PartyOrg
    period: Period
    previous_period: Period
    basis: str
    targets: list[TargetLine]
    units: list[UnitLine]
    monthly: list[tuple[str, int, int]]  # (MM, this year, last year)
    funnel: list[FunnelStage]


@dataclass
class AdmissionReport(Dashboard):
    form2: list[Line] = field(default_factory=list)
    form2_orgs: list[Line] = field(default_factory=list)
    form2b_ethnicity: list[ShareLine] = field(default_factory=list)
    form2b_religion: list[ShareLine] = field(default_factory=list)
    form1: list[Line] = field(default_factory=list)
    supplementary: list[Line] = field(default_factory=list)
    processing: list[StepTime] = field(default_factory=list)

    @property
    def total(self) -> int:
        return int(self.form2[0].current or 0) if self.form2 else 0


# ------------------------------------------------------------------------------------------------------------------
# Querysets
# ------------------------------------------------------------------------------------------------------------------


def admissions(scope: Scope, period: Period) -> QuerySet[AdmissionSnapshot]:
    """The admissions decided in the period in the report's scope (one snapshot per admitted case)."""
    day = CLASSIFICATION["decided_on"]
    return AdmissionSnapshot.objects.filter(**{f"{day}__gte": period.start, f"{day}__lte": period.end}).filter(
        scope.snapshot_q()
    )


def age_years() -> Any:
    """Whole years on the decision date, in SQL (integer division of the completed months)."""
    return F(CLASSIFICATION["age_months"]) / Value(12)


def admission_counts(scope: Scope, period: Period) -> dict[str, Any]:
    """Every per-period admission figure in one aggregate query: Biểu 2's rows (keys of FORM2_ROWS), the plan
    categories (``cat_<category>``), the months (``m<1..12>``) and the mean age. Computed once per report."""
    key = ("admissions", period)
    if key not in scope.cache:
        aggregates: dict[str, Any] = {"total": Count("pk")}
        for spec in FORM2_ROWS:
            if spec.kind == "count" and spec.q is not None and spec.key != "total":
                aggregates[spec.key] = Count("pk", filter=spec.q)
        for category, q in CATEGORY_Q.items():
            aggregates[f"cat_{category}"] = Count("pk", filter=q) if q else Count("pk")
        for month in range(1, 13):
            aggregates[f"m{month}"] = Count("pk", filter=Q(_month=month))
        aggregates["mean_age"] = Avg(age_years())
        qs = admissions(scope, period).annotate(_month=ExtractMonth(CLASSIFICATION["decided_on"]))
        scope.cache[key] = qs.aggregate(**aggregates)
    return scope.cache[key]  # type: ignore[return-value]


def _value(spec: RowSpec, counts: dict[str, Any]) -> float | None:
    if spec.kind == "heading":
        return None
    if spec.kind == "mean_age":
        mean = counts.get("mean_age")
        return round(float(mean), 1) if mean is not None else None
    if spec.q is None:
        return None
    return int(counts[spec.key] or 0)


def form2_lines(scope: Scope, period: Period) -> list[Line]:
    now, before = admission_counts(scope, period), admission_counts(scope, period.previous())
    return [
        Line(spec.key, spec.label, spec.level, spec.bold, _value(spec, now), _value(spec, before), spec.kind)
        for spec in FORM2_ROWS
    ]


GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)


def grassroots_orgs(scope: Scope, on: date) -> dict[int, str]:
    """The grassroots organisations (committees and grassroots cells) of the report org's subtree existing on `on`."""
    orgs = PartyOrg.objects.filter(kind__in=GRASSROOTS_KINDS, path__startswith=scope.root.path).existing_on(on)
    return dict(orgs.values_list("pk", "kind"))


def grassroots_with_admissions(scope: Scope, period: Period) -> set[int]:
    """The grassroots organisations that admitted in the period: the one above the cell on the decision date (from
    the snapshot), mapped to today's successor for the ``today`` basis. One grouped query."""
    key = ("grassroots", period)
    if key not in scope.cache:
        ids = admissions(scope, period).filter(grassroots__isnull=False).values_list("grassroots_id", flat=True)
        scope.cache[key] = {scope.map_org(pk) for pk in ids.distinct().order_by()}
    return scope.cache[key]  # type: ignore[return-value]


def form2_org_lines(scope: Scope, period: Period) -> list[Line]:
    """Biểu 2-BTCTW section III: grassroots organisations at the end of the period, and those that admitted."""

    def counts(p: Period) -> dict[str, int]:
        orgs = grassroots_orgs(scope, p.end)
        admitted = grassroots_with_admissions(scope, p)
        out: dict[str, int] = {}
        for key, kind in (("committees", OrgKind.GRASSROOTS_COMMITTEE), ("cells", OrgKind.GRASSROOTS_CELL)):
            of_kind = {pk for pk, k in orgs.items() if k == kind}
            out[key], out[f"{key}_admitted"] = len(of_kind), len(of_kind & admitted)
        return out

    now, before = counts(period), counts(period.previous())
    rows = [
        ("section_iii", "III. Số tổ chức cơ sở đảng có đến cuối kỳ báo cáo", 0, True, None),
        ("committees", "1. Đảng bộ cơ sở", 1, True, "committees"),
        ("committees_admitted", "Trong đó: + Có kết nạp đảng viên", 2, False, "committees_admitted"),
        ("committees_no_masses", "+ Không còn quần chúng", 2, False, None),
        ("cells", "2. Chi bộ cơ sở", 1, True, "cells"),
        ("cells_admitted", "Trong đó: + Có kết nạp đảng viên", 2, False, "cells_admitted"),
        ("cells_no_masses", "+ Không còn quần chúng", 2, False, None),
    ]
    return [
        Line(key, label, level, bold, now[src] if src else None, before[src] if src else None)
        for key, label, level, bold, src in rows
    ]


# Biểu 2B-BTCTW section II: the six religions with their own row; every other religion is "Đạo khác".
FORM2B_RELIGIONS: tuple[tuple[str, str], ...] = (
    ("buddhism", "Phật giáo"),
    ("catholic", "Công giáo"),
    ("hoahao", "Phật giáo Hòa Hảo"),
    ("caodai", "Cao Đài"),
    ("protestant", "Tin Lành"),
    ("islam", "Hồi giáo"),
)


def form2b_lines(scope: Scope, period: Period) -> tuple[list[ShareLine], list[ShareLine]]:
    """Biểu 2B-BTCTW: new members by ethnic group and by religion, with women and the share of the section."""
    female = Q(**{CLASSIFICATION["sex"]: "female"})
    ethnicity, religion_field = CLASSIFICATION["ethnicity"], CLASSIFICATION["religion"]
    by_ethnicity: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "f": 0})
    by_religion: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "f": 0})
    # One grouped query over (ethnic group, religion): a few hundred rows at most, summed both ways here.
    grouped = (
        admissions(scope, period)
        .values(ethnicity, religion_field)
        .annotate(n=Count("pk"), f=Count("pk", filter=female))
        .order_by()
    )
    for row in grouped:
        for table, code in ((by_ethnicity, row[ethnicity]), (by_religion, row[religion_field])):
            table[code]["n"] += row["n"]
            table[code]["f"] += row["f"]
    total = sum(row["n"] for row in by_ethnicity.values())
    total_f = sum(row["f"] for row in by_ethnicity.values())
    ethnic = [ShareLine("I", "Đảng viên chia theo dân tộc", total, total_f, 100.0 if total else None, bold=True)]
    for number, (code, name) in enumerate(reference.ETHNIC_GROUPS, start=1):
        row = by_ethnicity.get(code, {"n": 0, "f": 0})
        ethnic.append(ShareLine(number, name, row["n"], row["f"], ratio(row["n"], total)))
    ethnic.append(ShareLine(len(reference.ETHNIC_GROUPS) + 1, "Dân tộc khác", 0, 0, ratio(0, total)))
    ethnic.append(ShareLine(len(reference.ETHNIC_GROUPS) + 2, "Q.tịch gốc nước ngoài", None, None, None))
    named = dict(FORM2B_RELIGIONS)
    religious = {code: row for code, row in by_religion.items() if code != reference.NO_RELIGION}
    r_total = sum(row["n"] for row in religious.values())
    r_female = sum(row["f"] for row in religious.values())
    religion = [ShareLine("II", "Đảng viên chia theo tôn giáo", r_total, r_female, 100.0 if r_total else None, True)]
    for number, (code, name) in enumerate(FORM2B_RELIGIONS, start=1):
        row = religious.get(code, {"n": 0, "f": 0})
        religion.append(ShareLine(number, name, row["n"], row["f"], ratio(row["n"], r_total)))
    other_n = sum(row["n"] for code, row in religious.items() if code not in named)
    other_f = sum(row["f"] for code, row in religious.items() if code not in named)
    religion.append(ShareLine(len(FORM2B_RELIGIONS) + 1, "Đạo khác", other_n, other_f, ratio(other_n, r_total)))
    return ethnic, religion


def _roll_counts(scope: Scope, period: Period) -> dict[str, int]:
    """Stocks and flows of the member rolls (Biểu 1-BTCTW) from the dated memberships of the scope's cells.

    A move between two cells of the scope on the same day is neither an entry nor an exit.
    """
    cells = sorted(scope.cell_ids)
    rolls = Membership.objects.filter(cell_id__in=cells)
    before_start = period.start - timedelta(days=1)
    moved_in = Exists(
        Membership.objects.filter(cell_id__in=cells, person=OuterRef("person"), left_cell_on=OuterRef("joined_cell_on"))
    )
    moved_out = Exists(
        Membership.objects.filter(cell_id__in=cells, person=OuterRef("person"), joined_cell_on=OuterRef("left_cell_on"))
    )
    entries = rolls.filter(joined_cell_on__gte=period.start, joined_cell_on__lte=period.end).exclude(moved_in)
    exits = rolls.filter(left_cell_on__gte=period.start, left_cell_on__lte=period.end).exclude(moved_out)
    start = rolls.filter(scope.q(cell_field="cell_id", day=before_start)).active_on(before_start).count()
    end = rolls.filter(scope.q(cell_field="cell_id", day=period.end)).active_on(period.end).count()
    flows = entries.aggregate(
        entries=Count("pk"), admitted=Count("pk", filter=Q(admission_ceremony__isnull=False))
    ) | exits.aggregate(
        exits=Count("pk"),
        exits_probationary=Count("pk", filter=Q(official_on__isnull=True) | Q(official_on__gt=F("left_cell_on"))),
    )
    return {"start": start, "end": end, **flows}


def form1_lines(scope: Scope, period: Period) -> list[Line]:
    """Biểu 1-BTCTW from what the rolls record. Reasons for leaving (death, expulsion, removal, request) and the
    origin of a transfer are not recorded yet: those rows stay empty and C carries every exit."""
    now, before = _roll_counts(scope, period), _roll_counts(scope, period.previous())

    def pair(key: str | None, fn: Callable[[dict[str, int]], int] | None = None) -> tuple[float | None, float | None]:
        if fn is not None:
            return fn(now), fn(before)
        if key is None:
            return None, None
        return now[key], before[key]

    rows: list[tuple[str, str, int, bool, tuple[float | None, float | None]]] = [
        ("a", "A - Tổng số đảng viên cuối kỳ trước chuyển sang", 0, True, pair("start")),
        ("b", "B - Đảng viên tăng trong kỳ", 0, True, pair("entries")),
        ("b1", "1. Kết nạp", 1, False, pair("admitted")),
        ("b2", "2. Chuyển đến", 1, False, pair(None, lambda c: c["entries"] - c["admitted"])),
        ("b2a", "a. Tỉnh khác chuyển đến", 2, False, pair(None)),
        ("b2b", "b. Huyện khác trong tỉnh chuyển đến", 2, False, pair(None)),
        ("b3", "3. Phục hồi đảng tịch", 1, False, pair(None)),
        ("c", "C - Đảng viên giảm trong kỳ", 0, True, pair("exits")),
        ("c1", "1. Từ trần", 1, False, pair(None)),
        ("c2", "2. Khai trừ", 1, False, pair(None)),
        ("c3", "3. Xóa tên", 1, False, pair(None)),
        ("c3p", "Trong đó: Đảng viên dự bị", 2, False, pair("exits_probationary")),
        ("c4", "4. Xin ra khỏi Đảng", 1, False, pair(None)),
        ("c5", "5. Chuyển đi", 1, False, pair(None)),
        ("c5a", "a. Chuyển đi tỉnh khác", 2, False, pair(None)),
        ("c5b", "b. Chuyển đi huyện khác trong tỉnh", 2, False, pair(None)),
        ("d", "D - Đảng viên trong danh sách cuối kỳ báo cáo", 0, True, pair("end")),
    ]
    return [Line(key, label, level, bold, cur, prev) for key, label, level, bold, (cur, prev) in rows]


def supplementary_lines(scope: Scope, period: Period) -> list[Line]:
    """ "Kết nạp – công nhận" (Biểu 10-TCTW of 2012, section II, demo-and-reports.md A.4) from what is recorded:
    recognitions are counted on the official date of the new members' memberships; refusals of recognition and
    removals of probationers wait for the probation records (issue 5)."""

    def counts(p: Period) -> dict[str, int]:
        recognised = Membership.objects.filter(
            admission_ceremony__isnull=False, official_on__gte=p.start, official_on__lte=p.end
        ).filter(scope.q(cell_field="cell_id", day_field="official_on"))
        cases = Candidate.objects.filter(scope.q(cell_field="cell_id", day_field="sympathiser_meeting_on"))
        enrolled = Enrollment.objects.filter(
            state__in=EnrollmentState.taking_a_place(), course__starts_on__gte=p.start, course__starts_on__lte=p.end
        ).filter(scope.q(cell_field="candidate__cell_id", day_field="course__starts_on"))
        return {
            "admitted": admission_counts(scope, p)["total"],
            "recognised": recognised.count(),
            "without_admission": len(set(grassroots_orgs(scope, p.end)) - grassroots_with_admissions(scope, p)),
            "sympathisers": cases.filter(
                sympathiser_meeting_on__gte=p.start, sympathiser_meeting_on__lte=p.end
            ).count(),
            "enrolled": enrolled.values("candidate").distinct().count(),
        }

    now, before = counts(period), counts(period.previous())
    rows = [
        ("admitted", "Số đảng viên mới kết nạp", 0, "admitted"),
        ("recognised", "1. Số đảng viên được công nhận chính thức", 0, "recognised"),
        ("not_recognised", "2. Số đ/v dự bị không được công nhận chính thức", 0, None),
        ("related", "3. Một số nội dung liên quan:", 0, None),
        ("without_admission", "- Số tổ chức cơ sở đảng không có kết nạp đảng viên", 1, "without_admission"),
        ("sympathisers", "- Số quần chúng ưu tú được xét là cảm tình Đảng", 1, "sympathisers"),
        ("enrolled", "- Số cảm tình Đảng dự lớp nhận thức về Đảng", 1, "enrolled"),
    ]
    return [
        Line(key, label, level, level == 0, now[src] if src else None, before[src] if src else None)
        for key, label, level, src in rows
    ]


def plan_for(org: PartyOrg, year: int) -> dict[str, int]:
    plan = SourcingPlan.objects.filter(org=org, year=year).first()
    return dict(plan.targets.values_list("category", "target")) if plan else {}


def target_lines(scope: Scope, period: Period) -> list[TargetLine]:
    now, before = admission_counts(scope, period), admission_counts(scope, period.previous())
    targets = plan_for(scope.root, period.end.year)
    return [
        TargetLine(str(c), HIGHLIGHT_LABELS[c], now[f"cat_{c}"], before[f"cat_{c}"], targets.get(str(c)))
        for c in CATEGORY_Q
    ]


def unit_counts(scope: Scope, period: Period) -> dict[int, int]:
    """Admissions per unit of the report org: one query grouped by (cell, path on the decision date)."""
    counts: dict[int, int] = defaultdict(int)
    grouped = admissions(scope, period).values("cell_id", "path").annotate(n=Count("pk")).order_by()
    for row in grouped:
        branch = scope.branch_of(row["cell_id"], row["path"])
        if branch is not None:
            counts[branch] += row["n"]
    return counts


def unit_lines(scope: Scope, period: Period) -> list[UnitLine]:
    """Admissions per unit of the report org (its direct children), this period and last year, in two queries."""
    now, before = unit_counts(scope, period), unit_counts(scope, period.previous())
    branches = dict(scope.branches())
    missing = (set(now) | set(before)) - set(branches)
    if missing:  # units of the tree as it stood then that today's groups do not name
        branches.update(PartyOrg.objects.filter(pk__in=missing).values_list("pk", "name"))
    lines = [UnitLine(pk, name, now.get(pk, 0), before.get(pk, 0)) for pk, name in branches.items()]
    return sorted(lines, key=lambda line: (-line.current, line.name))


def monthly(scope: Scope, period: Period) -> list[tuple[str, int, int]]:
    now, before = admission_counts(scope, period), admission_counts(scope, period.previous())
    months = range(period.start.month, period.end.month + 1) if period.start.year == period.end.year else range(1, 13)
    return [(f"{m:02d}", now[f"m{m}"], before[f"m{m}"]) for m in months]


# ------------------------------------------------------------------------------------------------------------------
# The pipeline funnel
# ------------------------------------------------------------------------------------------------------------------

FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("nominated", "Được giới thiệu"),
    ("trained", "Đã học lớp nhận thức về Đảng"),
    ("proposed", "Chi bộ đề nghị kết nạp"),
    ("admitted", "Có quyết định kết nạp"),
    ("official", "Được công nhận chính thức"),
)


def _candidate_ct() -> ContentType:
    return ContentType.objects.get_for_model(Candidate)


def funnel(scope: Scope, period: Period) -> list[FunnelStage]:
    """The cohort nominated in the period and how far it got, plus each stage's events dated in the period."""
    ct = _candidate_ct()
    trained_log = StateLog.objects.filter(
        content_type=ct, object_id=OuterRef("pk"), state=CandidateState.TRAINED
    ).order_by()
    resolution = ChainStepRecord.objects.filter(
        candidate=OuterRef("pk"), kind=StepKind.CELL_RESOLUTION, status=StepStatus.DONE
    ).order_by()
    after_training = (CandidateState.TRAINED, CandidateState.DOSSIER, *after_proposal_states())
    cohort = (
        Candidate.objects.filter(nominated_on__gte=period.start, nominated_on__lte=period.end)
        .filter(scope.q(cell_field="cell_id", day_field="nominated_on"))
        .aggregate(
            nominated=Count("pk"),
            trained=Count("pk", filter=Q(Exists(trained_log)) | Q(state__in=after_training)),
            proposed=Count("pk", filter=Q(Exists(resolution)) | Q(state__in=after_proposal_states())),
            admitted=Count(
                "pk",
                filter=Q(admission_snapshot__isnull=False)
                | Q(state__in=(CandidateState.ADMITTED, CandidateState.PROBATIONARY)),
            ),
            official=Count("pk", filter=Q(ceremony__membership__official_on__isnull=False)),
        )
    )
    in_period = {"gte": period.start, "lte": period.end}
    events = {
        "nominated": cohort["nominated"],
        "trained": StateLog.objects.filter(content_type=ct, state=CandidateState.TRAINED)
        .annotate(day=TruncDate("timestamp"))
        .filter(day__gte=period.start, day__lte=period.end)
        .filter(
            object_id__in=Candidate.objects.filter(scope.q(cell_field="cell_id", day_field="nominated_on")).values("pk")
        )
        .values("object_id")
        .distinct()
        .count(),
        "proposed": ChainStepRecord.objects.filter(
            kind=StepKind.CELL_RESOLUTION,
            status=StepStatus.DONE,
            done_on__gte=in_period["gte"],
            done_on__lte=in_period["lte"],
        )
        .filter(scope.q(cell_field="candidate__cell_id", day_field="done_on"))
        .count(),
        "admitted": admission_counts(scope, period)["total"],
        "official": Membership.objects.filter(
            admission_ceremony__isnull=False, official_on__gte=period.start, official_on__lte=period.end
        )
        .filter(scope.q(cell_field="cell_id", day_field="official_on"))
        .count(),
    }
    stages: list[FunnelStage] = []
    previous: int | None = None
    for key, label in FUNNEL_STAGES:
        count = int(cohort[key] or 0)
        stages.append(
            FunnelStage(key, label, count, int(events[key]), ratio(count, previous) if previous is not None else None)
        )
        previous = count
    return stages


def after_proposal_states() -> tuple[str, ...]:
    return (CandidateState.PROPOSED, CandidateState.ADMITTED, CandidateState.PROBATIONARY)


# ------------------------------------------------------------------------------------------------------------------
# Processing time per step: median working days and overdue rate per body
# ------------------------------------------------------------------------------------------------------------------


def _weighted_median(pairs: Iterable[tuple[int, int]]) -> float | None:
    """The median of values given with their counts (the middle of the sorted list, mean of two when even)."""
    counted = sorted((days, n) for days, n in pairs if n > 0)
    total = sum(n for _days, n in counted)
    if not total:
        return None

    def nth(k: int) -> int:  # the k-th smallest value, 0-based
        seen = 0
        for days, n in counted:
            seen += n
            if k < seen:
                return days
        return counted[-1][0]

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def _deadline_rules() -> dict[tuple[int, str], DeadlineRule]:
    return {(r.rule_set_id, r.step): r for r in DeadlineRule.objects.select_related("rule_set")}


def _due(
    rules: dict[tuple[int, str], DeadlineRule], cal: WorkingCalendar, rule_set_id: int, step: str, start: date
) -> date | None:
    rule = rules.get((rule_set_id, step)) or rules.get((rule_set_id, DeadlineStep.DEFAULT_TASK))
    if rule is None:
        return None
    return cal.add_working_days(start, rule.working_days, count_from=rule.rule_set.count_from)


def _summarise(
    step: str,
    label: str,
    rows: Iterable[Any],
    cal: WorkingCalendar,
    rules: dict[tuple[int, str], DeadlineRule],
    deadline_step: str | None,
    body_names: dict[int, str] | None = None,
) -> list[StepTime]:
    """Rows are distinct (body, rule set, start, deadline start, end) groups with their count `n`."""
    per_body: dict[int | None, list[tuple[int, int, bool | None]]] = defaultdict(list)
    spans: dict[tuple[date, date], int] = {}  # the same dates recur across bodies and rule sets
    dues: dict[tuple[int, date], date | None] = {}
    for row in rows:
        if row["start"] is None or row["end"] is None:
            continue
        span = (row["start"], row["end"])
        if span not in spans:
            spans[span] = cal.working_days_between(*span)
        days = spans[span]
        late: bool | None = None
        if deadline_step is not None and row.get("due_from") is not None:
            key = (row["rule_set"], row["due_from"])
            if key not in dues:
                dues[key] = _due(rules, cal, row["rule_set"], deadline_step, row["due_from"])
            due = dues[key]
            late = due is not None and row["end"] > due
        per_body[row.get("body")].append((days, row["n"], late))
    out: list[StepTime] = []
    for body, items in per_body.items():
        count = sum(n for _d, n, _l in items)
        overdue = sum(n for _d, n, late in items if late) if deadline_step else None
        out.append(
            StepTime(
                step,
                label,
                (body_names or {}).get(body or 0, "") if body is not None else "",
                count,
                _weighted_median((d, n) for d, n, _l in items),
                overdue,
                ratio(overdue, count) if overdue is not None else None,
            )
        )
    return sorted(out, key=lambda s: (s.body,))


def processing_times(scope: Scope, period: Period) -> list[StepTime]:
    """Steps finished in the period: working days from the previous step (median) and how many were late against
    the case's rule set (the decision: N working days from the cell's resolution; the ceremony: M working days
    from the decision's receipt or issuance; a committee's intermediate step: the house default for a task)."""
    cal = working_calendar()
    rules = _deadline_rules()
    ct = _candidate_ct()
    out: list[StepTime] = []
    cases = Candidate.objects.filter(scope.q(cell_field="cell_id", day_field="nominated_on"))

    listed = (
        cases.filter(sympathiser_meeting_on__gte=period.start, sympathiser_meeting_on__lte=period.end)
        .values(start=F("nominated_on"), end=F("sympathiser_meeting_on"))
        .annotate(n=Count("pk"))
    )
    out += _summarise("listed", _("Nomination → sympathiser list"), listed, cal, rules, None)

    trained_on = Subquery(
        StateLog.objects.filter(content_type=ct, object_id=OuterRef("pk"), state=CandidateState.TRAINED)
        .annotate(day=TruncDate("timestamp"))
        .order_by("timestamp")
        .values("day")[:1]
    )
    trained = (
        cases.annotate(trained_on=trained_on)
        .filter(trained_on__gte=period.start, trained_on__lte=period.end)
        .values(start=F("sympathiser_meeting_on"), end=F("trained_on"))
        .annotate(n=Count("pk"))
    )
    out += _summarise("trained", _("Sympathiser list → course certificate"), trained, cal, rules, None)

    steps = ChainStepRecord.objects.filter(
        status=StepStatus.DONE, done_on__gte=period.start, done_on__lte=period.end
    ).filter(scope.q(cell_field="candidate__cell_id", day_field="done_on"))
    resolution_before = Subquery(
        ChainStepRecord.objects.filter(
            candidate=OuterRef("candidate"),
            kind=StepKind.CELL_RESOLUTION,
            status=StepStatus.DONE,
            order__lte=OuterRef("order"),
        )
        .order_by("-order")
        .values("done_on")[:1]
    )
    proposed = (
        steps.filter(kind=StepKind.CELL_RESOLUTION)
        .annotate(
            trained_on=Subquery(
                StateLog.objects.filter(
                    content_type=ct, object_id=OuterRef("candidate_id"), state=CandidateState.TRAINED
                )
                .annotate(day=TruncDate("timestamp"))
                .order_by("timestamp")
                .values("day")[:1]
            )
        )
        .values(start=F("trained_on"), end=F("done_on"))
        .annotate(n=Count("pk"))
    )
    out += _summarise("proposed", _("Certificate → cell resolution"), proposed, cal, rules, None)

    # `.order_by()` on the subqueries: the default ordering of the steps joins the case to sort by its date.
    previous_done = Subquery(
        ChainStepRecord.objects.filter(candidate=OuterRef("candidate"), order=OuterRef("order") - 1)
        .order_by()
        .values("done_on")[:1]
    )
    chain = (
        steps.exclude(kind=StepKind.CELL_RESOLUTION)
        .annotate(prev=previous_done, resolution_on=resolution_before)
        .values(
            "kind",
            body=F("org_id"),
            rule_set=F("candidate__rule_set_id"),
            start=F("prev"),
            end=F("done_on"),
            due_from=Case(When(kind=StepKind.DECISION, then=F("resolution_on")), default=F("prev")),
        )
        .annotate(n=Count("pk"))
    )
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in chain:
        by_kind[row["kind"]].append(dict(row))
    names = dict(
        PartyOrg.objects.filter(pk__in={r["body"] for rows in by_kind.values() for r in rows}).values_list("pk", "name")
    )
    for kind, rows in sorted(by_kind.items()):
        deadline = DeadlineStep.ADMISSION_DECISION if kind == StepKind.DECISION else DeadlineStep.DEFAULT_TASK
        out += _summarise(kind, str(StepKind(kind).label), rows, cal, rules, deadline, names)

    # The decision's date and receipt come with the case's admission snapshot (a join, not a subquery per row).
    ceremonies = (
        Ceremony.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
        .filter(scope.q(cell_field="candidate__cell_id", day_field="held_on"))
        .values(
            rule_set=F("candidate__rule_set_id"),
            start=F("candidate__admission_snapshot__decided_on"),
            end=F("held_on"),
            received_on=F("candidate__admission_snapshot__decision__received_on"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    ceremony_rows: list[dict[str, Any]] = []
    for ceremony_row in ceremonies:
        crow: dict[str, Any] = dict(ceremony_row)
        rule = rules.get((crow["rule_set"], DeadlineStep.CEREMONY))
        from_receipt = rule is not None and rule.starts_from == DeadlineStart.DECISION_RECEIVED
        ceremony_rows.append({**crow, "due_from": crow["received_on"] if from_receipt else crow["start"]})
    out += _summarise("ceremony", _("Decision → ceremony"), ceremony_rows, cal, rules, DeadlineStep.CEREMONY)
    return out


# ------------------------------------------------------------------------------------------------------------------
# Entry points
# ------------------------------------------------------------------------------------------------------------------


@contextmanager
def _reporting() -> Iterator[None]:
    """The report's queries in one transaction; on PostgreSQL without JIT compilation for them. The planner's
    estimates of the grouped and correlated queries pass `jit_above_cost` at province scale, and compiling then
    took 0.3–0.8 s per query for queries that run in 50–150 ms (bench/reports_bench.py, EXPLAIN ANALYZE)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def build_dashboard(*, org: PartyOrg, period: Period, basis: str = TODAY) -> Dashboard:
    """What the dashboard shows: targets, units, months, the funnel (a handful of aggregate queries)."""
    with _reporting():
        return _dashboard(org=org, period=period, basis=basis)


def _dashboard(*, org: PartyOrg, period: Period, basis: str) -> Dashboard:
    scope = build_scope(org, basis=basis)
    return Dashboard(
        org=org,
        period=period,
        previous_period=period.previous(),
        basis=scope.basis,
        targets=target_lines(scope, period),
        units=unit_lines(scope, period),
        monthly=monthly(scope, period),
        funnel=funnel(scope, period),
    )


def build_report(*, org: PartyOrg, period: Period, basis: str = TODAY) -> AdmissionReport:
    """The full report: the dashboard plus Biểu 2, 2B, 1, the supplementary table and the processing times."""
    with _reporting():
        return _report(org=org, period=period, basis=basis)


def _report(*, org: PartyOrg, period: Period, basis: str) -> AdmissionReport:
    scope = build_scope(org, basis=basis)
    ethnic, religion = form2b_lines(scope, period)
    return AdmissionReport(
        org=org,
        period=period,
        previous_period=period.previous(),
        basis=scope.basis,
        targets=target_lines(scope, period),
        units=unit_lines(scope, period),
        monthly=monthly(scope, period),
        funnel=funnel(scope, period),
        form2=form2_lines(scope, period),
        form2_orgs=form2_org_lines(scope, period),
        form2b_ethnicity=ethnic,
        form2b_religion=religion,
        form1=form1_lines(scope, period),
        supplementary=supplementary_lines(scope, period),
        processing=processing_times(scope, period),
    )


def vn_number(value: float | None, places: int = 2) -> str:
    """Vietnamese number style: comma decimal ("100,00"); empty for None."""
    if value is None:
        return ""
    if isinstance(value, int) or places == 0:
        return f"{round(value):,}".replace(",", ".")
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def report_header(org: PartyOrg) -> tuple[str, str]:
    """The left header block: the org's superior over the org itself, in capitals (demo-and-reports.md A.1)."""
    upper = org.parent.name.upper() if org.parent else ""
    return upper, org.name.upper()


def today_period() -> Period:
    day = today()
    return Period.quarter(day.year, (day.month - 1) // 3 + 1)
