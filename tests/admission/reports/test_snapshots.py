"""History stays true: admissions are counted as they stood on the decision date (person and org), whatever happens
to the person's record or to the org tree afterwards."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation

from admission.decisions.models.snapshots import AdmissionSnapshot
from admission.decisions.services.decisions import chain_step_complete, next_step
from admission.decisions.services.snapshots import age_months_on, snapshot_take
from admission.party.models.people import Person
from admission.party.services.orgs import org_move
from admission.reports.scope import THEN, TODAY
from admission.reports.statistics import Period, build_dashboard, build_report
from tests.admission.decisions.test_decisions import at, proposed, village  # noqa: F401  (fixture)
from tests.admission.reports.conftest import admit
from tests.factories import make_org

D = datetime.date
Q1_2025 = Period(D(2025, 1, 1), D(2025, 3, 31))


def figures(report):
    return (
        [(line.key, line.current, line.previous) for line in report.form2],
        [(line.label, line.total, line.female) for line in report.form2b_ethnicity + report.form2b_religion],
        [(t.category, t.current, t.previous) for t in report.targets],
        [(u.org_id, u.current, u.previous) for u in report.units],
        report.monthly,
    )


def test_editing_people_after_their_decision_does_not_change_the_report_of_that_period(province):
    w = province.world
    before = figures(build_report(org=w.commune, period=Q1_2025))
    form = {key: now for key, now, _prev in before[0]}
    assert (form["minority"], form["occupation_agriculture"], form["age_18_30"]) == (3, 1, 4)
    # The Tày farmer of Nà Sa (decided 15/01/2025) later becomes a Kinh worker in a private firm, the pupil's
    # date of birth is corrected, and the re-admitted member's case loses its flag.
    farmer = Person.objects.get(candidacies__admission_snapshot__decided_on=D(2025, 1, 15))
    farmer.ethnicity, farmer.occupation, farmer.employer_sector = "01", "enterprise_worker", "private_enterprise"
    farmer.youth_union_member = False
    farmer.save()
    pupil = Person.objects.get(candidacies__admission_snapshot__decided_on=D(2025, 3, 31))
    pupil.date_of_birth, pupil.occupation = D(1980, 1, 1), "other"
    pupil.save()
    assert Person.objects.filter(ethnicity="02", candidacies__cell=w.village_cell).count() == 0
    assert figures(build_report(org=w.commune, period=Q1_2025)) == before


def test_a_cell_moved_after_the_decision_counts_under_its_old_commune_as_it_was_and_its_new_one_today(province):
    w = province.world
    org_move(org=w.village_cell, new_parent=w.other_commune, on=D(2025, 5, 1), reason="Sáp nhập thôn")
    w.village_cell.refresh_from_db()
    snapshot = AdmissionSnapshot.objects.get(decided_on=D(2025, 1, 15))
    assert snapshot.path == f"/{w.province.pk}/{w.commune.pk}/{w.village_cell.pk}/"
    assert (snapshot.commune_id, snapshot.grassroots_id) == (w.commune.pk, w.village_cell.pk)
    then = build_report(org=w.commune, period=Q1_2025, basis=THEN)
    assert then.total == 4  # Hoành Mô's own four, the moved cell's two included
    today = build_report(org=w.commune, period=Q1_2025, basis=TODAY)
    assert today.total == 6 - 2  # Nà Sa's two now belong to Lục Hồn, Đồng Văn's two are mapped in
    assert build_report(org=w.other_commune, period=Q1_2025).total == 1 + 2


def test_a_decision_recorded_after_a_move_lands_under_the_org_of_its_own_date(world):
    case = admit(world.village_cell, D(2025, 6, 20))
    AdmissionSnapshot.objects.filter(candidate=case).delete()
    org_move(org=world.village_cell, new_parent=world.other_commune, on=D(2025, 7, 1), reason="Sáp nhập")
    snapshot = snapshot_take(candidate=case, decided_on=D(2025, 6, 20))
    assert snapshot.path == f"/{world.province.pk}/{world.commune.pk}/{world.village_cell.pk}/"
    assert snapshot.commune_id == world.commune.pk
    on_the_first = admit(world.village_cell, D(2025, 7, 1)).admission_snapshot
    assert on_the_first.commune_id == world.other_commune.pk  # the move took effect that very day


def test_units_as_it_was_follow_the_path_of_the_decision_date(province):
    w = province.world
    units = {u.org_id: u.current for u in build_dashboard(org=w.province, period=Q1_2025, basis=THEN).units}
    assert units == {w.commune.pk: 4, province.old_commune.pk: 2, w.other_commune.pk: 1}


def test_the_snapshot_is_taken_once_and_never_rewritten(world):
    case = admit(world.village_cell, D(2025, 2, 3))
    with translation.override("en"), pytest.raises(ValidationError, match="already been recorded"):
        snapshot_take(candidate=case, decided_on=D(2025, 2, 3))
    snapshot = case.admission_snapshot
    snapshot.sex = "female"
    with pytest.raises(ValueError, match="never changed"):
        snapshot.save()


def test_a_decision_before_the_date_of_birth_is_refused(world):
    case = admit(world.village_cell, D(2025, 2, 3))
    AdmissionSnapshot.objects.filter(candidate=case).delete()
    with translation.override("en"), pytest.raises(ValidationError, match="before the date of birth"):
        snapshot_take(candidate=case, decided_on=D(1990, 1, 1))


def test_age_is_kept_in_completed_months_on_the_decision_date():
    born = D(2007, 3, 31)
    assert (age_months_on(born, D(2025, 3, 30)), age_months_on(born, D(2025, 3, 31))) == (215, 216)
    assert age_months_on(D(2004, 2, 29), D(2022, 2, 28)) == 216  # a 29/02 birthday completes on the month's end


def test_recording_the_decision_takes_the_snapshot(world, village):  # noqa: F811
    cell, secretary = village
    case = proposed(world, cell, secretary)
    with at(D(2026, 4, 1)):
        chain_step_complete(step=next_step(case), by=world.approver, on=D(2026, 4, 1), document_number="15-QĐ/ĐU")
    snapshot = AdmissionSnapshot.objects.get(candidate=case)
    assert (snapshot.decided_on, snapshot.cell_id, snapshot.path) == (D(2026, 4, 1), cell.pk, cell.path)
    assert snapshot.decision is not None and snapshot.decision.document_number == "15-QĐ/ĐU"
    assert snapshot.age_months == (2026 - 1998) * 12 + (4 - 6)  # born 01/06/1998


def test_the_migration_backfills_past_decisions_with_the_persons_record_of_that_day(world):
    case = admit(world.village_cell, D(2025, 2, 3), ethnicity="02", occupation="agriculture")
    AdmissionSnapshot.objects.all().delete()
    person = case.person
    person.history.update(history_date=datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC))
    person.ethnicity, person.occupation = "01", "enterprise_worker"
    person.save()  # a history row of today: after the decision
    late = admit(make_org("grassroots_cell", world.commune, name="Chi bộ mới"), D(2025, 3, 3), ethnicity="09")
    AdmissionSnapshot.objects.filter(candidate=late).delete()  # its history begins after its decision (today)
    import_module("admission.migrations.0008_admission_snapshot").backfill_snapshots(apps, None)
    snapshot = AdmissionSnapshot.objects.get(candidate=case)
    assert (snapshot.ethnicity, snapshot.occupation, snapshot.decided_on) == ("02", "agriculture", D(2025, 2, 3))
    assert snapshot.path == world.village_cell.path and snapshot.grassroots_id == world.village_cell.pk
    assert snapshot.decision is not None and snapshot.decision.kind == "decision"
    assert AdmissionSnapshot.objects.get(candidate=late).ethnicity == "09"
    assert build_report(org=world.commune, period=Q1_2025).total == 2


def test_ceremony_times_count_from_the_decision_the_snapshot_records(province):
    report = build_report(org=province.world.commune, period=Q1_2025)
    ceremonies = [s for s in report.processing if s.step == "ceremony"]
    # The processing times are those of the admissions decided in the period, each with its ceremony 10 days after
    # the decision: 15/01, 10/02, 20/02, 01/03, 05/03 and 31/03 (that ceremony held in April counts with it).
    assert sum(s.count for s in ceremonies) == 6
    assert all(s.overdue == 0 and s.median_days is not None and 5 <= s.median_days <= 10 for s in ceremonies)
