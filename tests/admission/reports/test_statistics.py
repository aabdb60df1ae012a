"""The report's figures against a hand count of a small province, before and after a merger."""

from __future__ import annotations

import datetime

import pytest

from admission.reports.scope import THEN, TODAY, build_scope
from admission.reports.statistics import Period, build_dashboard, build_report, vn_number
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.services.plans import plan_save

D = datetime.date
Q1_2025 = Period(D(2025, 1, 1), D(2025, 3, 31))


def lines(report):
    return {line.key: line for line in report.form2}


def test_the_commune_counts_its_cells_and_the_merged_communes_cases_mapped_to_today(province):
    report = build_report(org=province.world.commune, period=Q1_2025)
    form = lines(report)
    # Hand count: 4 in Hoành Mô's cells + 2 in Đồng Văn (merged into Hoành Mô on 1/7/2025) in Q1/2025.
    assert (form["total"].current, form["total"].previous) == (6, 3)
    assert form["total"].percent == pytest.approx(200.0)
    assert (form["female"].current, form["female"].previous) == (3, 1)
    assert form["minority"].current == 3  # two Tày, one Dao
    assert form["religious"].current == 1
    assert form["youth_union"].current == 2
    assert form["readmission"].current == 1
    assert form["private_business_owner"].current is None  # not recorded: printed empty, not 0


def test_occupation_leaves_sum_to_the_total_and_the_enterprise_row_is_their_parent(province):
    form = lines(build_report(org=province.world.commune, period=Q1_2025))
    leaves = [line for key, line in form.items() if key.startswith("occupation_") and key != "occupation_enterprise"]
    assert sum(line.current for line in leaves) == form["total"].current
    assert form["occupation_enterprise"].current == form["occupation_enterprise_worker"].current == 1
    assert form["occupation_pupil"].current == 1
    assert form["occupation_agriculture"].current == 1


def test_age_is_counted_on_the_decision_date_in_whole_years(province):
    form = lines(build_report(org=province.world.commune, period=Q1_2025))
    # The pupil born 31/03/2007 was admitted on 31/03/2025: 18 on that very day.
    # 2000-05-01 → 24; 1990-02-10 on 10/02/2025 → 35; 1998-08-08 → 26; 1995-01-01 → 30; 1960-01-01 → 65.
    assert form["age_18_30"].current == 4
    assert form["age_31_35"].current == 1
    assert form["age_over_60"].current == 1
    assert form["mean_age"].current == pytest.approx(round((18 + 24 + 35 + 26 + 30 + 65) / 6, 1))


def test_as_it_was_the_merged_communes_cases_stay_with_the_old_commune(province):
    now = lines(build_report(org=province.world.commune, period=Q1_2025, basis=THEN))
    assert (now["total"].current, now["total"].previous) == (4, 2)
    old = lines(build_report(org=province.old_commune, period=Q1_2025))
    assert (old["total"].current, old["total"].previous) == (2, 1)
    assert old["female"].current == 1


def test_the_province_counts_every_case_once_either_way(province):
    for basis in (TODAY, THEN):
        form = lines(build_report(org=province.world.province, period=Q1_2025, basis=basis))
        assert form["total"].current == 7  # 6 + Lục Hồn's one


def test_a_cell_reports_only_its_own_cases(province):
    form = lines(build_report(org=province.world.village_cell, period=Q1_2025))
    assert (form["total"].current, form["total"].previous) == (2, 1)


def test_units_split_the_total_by_todays_direct_units(province):
    w = province.world
    units = {u.org_id: (u.current, u.previous) for u in build_dashboard(org=w.commune, period=Q1_2025).units}
    assert units == {w.agency.pk: (2, 1), w.village_cell.pk: (2, 1), province.old_cell.pk: (2, 1)}


def test_the_scope_maps_a_cell_merged_into_another_to_its_successor(province):
    from admission.party.services.orgs import org_dissolve

    w = province.world
    org_dissolve(org=province.old_cell, on=D(2025, 9, 1), merged_into=w.village_cell)
    scope = build_scope(w.commune)
    assert province.old_cell.pk in scope.cell_ids
    units = {u.org_id: u.current for u in build_dashboard(org=w.commune, period=Q1_2025).units}
    assert units[w.village_cell.pk] == 4


def test_targets_sit_beside_the_counts_with_the_share_attained(province):
    w = province.world
    plan_save(org=w.commune, year=2025, title="", targets={"total": 12, "women": 4}, by=w.approver)
    targets = {t.category: t for t in build_dashboard(org=w.commune, period=Q1_2025).targets}
    assert (targets["total"].current, targets["total"].target) == (6, 12)
    assert targets["total"].attainment == pytest.approx(50.0)
    assert targets["village"].current == 1 and targets["village"].target is None
    assert targets["private_enterprise"].current == 1
    assert targets["pupil_student"].current == 1


def test_form_2b_splits_by_ethnic_group_and_religion_with_shares(province):
    report = build_report(org=province.world.commune, period=Q1_2025)
    ethnic = {line.label: line for line in report.form2b_ethnicity}
    assert (ethnic["Đảng viên chia theo dân tộc"].total, ethnic["Tày"].total, ethnic["Tày"].female) == (6, 2, 2)
    assert ethnic["Kinh"].percent == pytest.approx(50.0)
    religion = {line.label: line for line in report.form2b_religion}
    assert religion["Công giáo"].total == 1 and religion["Công giáo"].percent == pytest.approx(100.0)


def test_form_1_balances_start_entries_exits_and_end(province):
    report = build_report(org=province.world.commune, period=Q1_2025)
    form1 = {line.key: line for line in report.form1}
    assert form1["b1"].current == 6 - 1  # the ceremony of the case decided on 31/03 falls in April
    assert form1["d"].current == form1["a"].current + form1["b"].current - form1["c"].current


def test_recognitions_count_on_the_official_date(province):
    report = build_report(org=province.world.commune, period=Q1_2025)
    supplementary = {line.key: line for line in report.supplementary}
    assert supplementary["recognised"].current == 1  # the 2024 admission, official on 11/03/2025
    assert supplementary["admitted"].current == 6


def test_the_funnel_follows_the_cohort_and_converts_stage_by_stage(province):
    period = Period(D(2024, 7, 1), D(2024, 9, 30))  # nominations 200 days before Q1/2025 decisions
    stages = {s.key: s for s in build_dashboard(org=province.world.commune, period=period).funnel}
    assert stages["nominated"].cohort == 6
    assert stages["admitted"].cohort == 6 and stages["admitted"].conversion == pytest.approx(100.0)
    assert stages["official"].cohort == 1


def test_processing_times_give_the_median_working_days_per_body(province):
    report = build_report(org=province.world.commune, period=Q1_2025)
    decisions = [s for s in report.processing if s.step == "decision"]
    assert sum(s.count for s in decisions) == 6
    assert all(s.median_days is not None and s.overdue == 0 for s in decisions)


def test_vietnamese_number_style():
    assert (vn_number(100.0), vn_number(1234.5), vn_number(None), vn_number(2070, 0)) == (
        "100,00",
        "1.234,50",
        "",
        "2.070",
    )


def test_processing_times_are_never_negative_even_when_dates_were_recorded_out_of_order(province):
    """A certificate recorded after the cell's resolution, or a step dated before the one it follows, has no
    processing time: it is left out, never counted as a negative one."""
    import random

    from admission.decisions.models.decisions import ChainStepRecord
    from admission.sourcing.models.training import AwarenessCertificate

    rng = random.Random(16)
    cases = list(Candidate.objects.all())
    for case in cases:
        AwarenessCertificate.objects.create(
            person=case.person,
            number=f"{case.pk}/CN",
            issued_on=case.nominated_on + datetime.timedelta(days=rng.randint(-60, 400)),
            issuer="Trung tâm Chính trị",
        )
        step = ChainStepRecord.objects.filter(candidate=case, kind="decision").first()
        if step is not None and rng.random() < 0.5:  # a decision dated before the resolution it answers
            ChainStepRecord.objects.filter(pk=step.pk).update(done_on=step.done_on - datetime.timedelta(days=40))
    for period in (Period(D(2024, 1, 1), D(2024, 12, 31)), Period(D(2025, 1, 1), D(2025, 12, 31))):
        report = build_report(org=province.world.province, period=period)
        medians = [s.median_days for s in report.processing if s.median_days is not None]
        assert medians and all(m >= 0 for m in medians), report.processing


def test_a_cell_merged_into_another_communes_cell_leaves_the_scope_today_and_joins_that_commune(province):
    from admission.party.services.orgs import org_dissolve

    w = province.world
    org_dissolve(org=w.village_cell, on=D(2025, 9, 1), merged_into=w.other_cell)
    assert w.village_cell.pk not in build_scope(w.commune).cell_ids
    assert w.village_cell.pk in build_scope(w.other_commune).cell_ids
    assert w.village_cell.pk in build_scope(w.province).cell_ids
    units = {u.org_id: u.current for u in build_dashboard(org=w.other_commune, period=Q1_2025).units}
    assert units[w.other_cell.pk] == 2 + 1  # Nà Sa's two of Q1/2025 are Khe Tiền's today
