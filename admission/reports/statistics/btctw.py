"""The statistical forms: Biểu 2-BTCTW (new members, and the grassroots organisations that admitted), 2B-BTCTW
(by ethnic group and religion), 1-BTCTW (the member rolls) and the supplementary "kết nạp – công nhận" table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q

from admission.party.models.orgs import OrgKind
from admission.party.models.people import Membership
from admission.reports.models import Stage, StageEvent
from admission.reports.scope import TODAY, Scope
from admission.reports.statistics.classification import (
    CLASSIFICATION,
    FORM2_ROWS,
    FORM2B_RELIGIONS,
    RowSpec,
)
from admission.reports.statistics.counting import (
    admission_counts,
    admissions,
    events,
    grassroots_orgs,
    grassroots_with_admissions,
    recognised_count,
)
from admission.reports.statistics.periods import Period
from admission.reports.statistics.results import (
    Line,
    ShareLine,
    ratio,
)
from admission.rules import reference
from admission.sourcing.models.training import Enrollment, EnrollmentState


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


def _flows(scope: Scope, stage: str, period: Period, flag: str) -> tuple[int, int]:
    """Memberships of the scope's cells that began (`joined`) or ended (`left`) in the period, less those that came
    from (went to) another cell of the scope that day, which is a move inside the scope; and as many of them with
    `flag` set. One range read of the read model: a membership has a row per cell the person left (joined) that
    day, so the moves are counted apart and taken off."""
    cells = scope.cell_list
    inside = Q(other_cell_id__anyof=cells)
    rows = StageEvent.objects.filter(stage=stage, cell_id__anyof=cells, day__gte=period.start, day__lte=period.end)
    n = rows.aggregate(
        all=Count("membership", distinct=True),
        moved=Count("membership", distinct=True, filter=inside),
        flagged=Count("membership", distinct=True, filter=Q(**{flag: True})),
        flagged_moved=Count("membership", distinct=True, filter=inside & Q(**{flag: True})),
    )
    return n["all"] - n["moved"], n["flagged"] - n["flagged_moved"]


def _roll_counts(scope: Scope, period: Period) -> dict[str, int]:
    """Stocks and flows of the member rolls (Biểu 1-BTCTW): the stocks from the dated memberships of the scope's
    cells, the flows from the read model's joinings and leavings.

    A move between two cells of the scope on the same day is neither an entry nor an exit.
    """
    before_start = period.start - timedelta(days=1)
    # The day's cells alone (`scope.q` names a subset of the scope's cells): repeating the whole list as a second
    # `= ANY(…)` made PostgreSQL square its selectivity and misjudge the scan.
    start = Membership.objects.filter(scope.q(cell_field="cell_id", day=before_start)).active_on(before_start).count()
    entries, admitted = _flows(scope, Stage.JOINED, period, "admitted")
    exits, exits_official = _flows(scope, Stage.LEFT, period, "official")
    flows = {"entries": entries, "admitted": admitted, "exits": exits, "exits_probationary": exits - exits_official}
    if scope.basis == TODAY:
        # The form's own identity, D = A + B - C: on today's tree the same cells count on both days, so the roll at
        # the end is the one at the start with the period's entries and exits (one count of the rolls fewer).
        end = start + flows["entries"] - flows["exits"]
    else:  # as the tree stood: the cells of the subtree may differ between the two days
        end = Membership.objects.filter(scope.q(cell_field="cell_id", day=period.end)).active_on(period.end).count()
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
        enrolled = Enrollment.objects.filter(
            state__in=EnrollmentState.taking_a_place(), course__starts_on__gte=p.start, course__starts_on__lte=p.end
        ).filter(scope.q(cell_field="candidate__cell_id", day_field="course__starts_on"))
        return {
            "admitted": admission_counts(scope, p)["total"],
            "recognised": recognised_count(scope, p),
            "without_admission": len(set(grassroots_orgs(scope, p.end)) - grassroots_with_admissions(scope, p)),
            "sympathisers": events(scope, Stage.LISTED, p).count(),
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
