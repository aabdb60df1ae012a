"""Rule sets: the seeded versions, which one is in force on a date, transitional provisions, vote arithmetic."""

from __future__ import annotations

import datetime

import pytest

from admission.rules import compute as rules
from admission.rules.calendar import WorkingCalendar
from admission.rules.models.rulesets import AgeCounting, DeadlineStart, DeadlineStep, RuleSet, RuleSetStatus, VoteBody
from admission.rules.services import ruleset_copy, ruleset_for_step, ruleset_lock

pytestmark = pytest.mark.django_db
CAL = WorkingCalendar()


def test_the_294_rule_set_is_seeded_with_the_regulation_values():
    rs = RuleSet.objects.get(code="294-QĐ/TW")
    assert rs.effective_from == datetime.date(2025, 7, 1)
    assert rs.status == RuleSetStatus.IN_FORCE
    assert (rs.min_age_months, rs.max_age_months, rs.age_counting) == (216, 720, AgeCounting.BY_MONTH)
    assert rs.introducer_cowork_months == 12
    assert rs.probation_months == 12
    assert (rs.readmission_wait_months, rs.readmission_after_expunged_months) == (36, 60)
    cell = rs.vote_rule(VoteBody.CELL)
    assert (cell.numerator, cell.denominator, cell.strictly_more) == (2, 3, False)
    assert rs.deadline(DeadlineStep.ADMISSION_DECISION).working_days == 60
    assert rs.deadline(DeadlineStep.ADMISSION_DECISION_EXTENSION).working_days == 30
    ceremony = rs.deadline(DeadlineStep.CEREMONY)
    assert (ceremony.working_days, ceremony.starts_from) == (30, DeadlineStart.DECISION_RECEIVED)
    assert rs.deadline(DeadlineStep.RECOGNITION_CELL).working_days == 30
    assert rs.validity_months("certificate") == 60
    assert rs.validity_months("curriculum") == 12


def test_the_2026_rule_set_is_flagged_to_verify_and_counts_the_ceremony_from_issuance():
    rs = RuleSet.objects.get(code="208-QĐ/TW")
    assert rs.status == RuleSetStatus.TO_VERIFY
    assert rs.effective_from == datetime.date(2026, 7, 26)
    assert rs.deadline(DeadlineStep.CEREMONY).starts_from == DeadlineStart.DECISION_ISSUED
    assert "verify" in rs.notes.lower()


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (datetime.date(2021, 7, 30), "24-QĐ/TW"),
        (datetime.date(2025, 1, 19), "24-QĐ/TW"),
        (datetime.date(2025, 1, 20), "232-QĐ/TW"),
        (datetime.date(2025, 6, 30), "232-QĐ/TW"),
        (datetime.date(2025, 7, 1), "294-QĐ/TW"),
        (datetime.date(2026, 7, 25), "294-QĐ/TW"),
        (datetime.date(2026, 7, 26), "208-QĐ/TW"),
        (datetime.date(2026, 11, 29), "208-QĐ/TW"),
    ],
)
def test_the_rule_set_in_force_changes_on_the_effective_date(day, code):
    assert RuleSet.in_force_on(day).code == code


def test_no_rule_set_before_the_first_one_is_an_error():
    with pytest.raises(RuleSet.DoesNotExist):
        RuleSet.in_force_on(datetime.date(2021, 7, 29))


def test_a_draft_is_never_in_force():
    draft = ruleset_copy(source=RuleSet.objects.get(code="208-QĐ/TW"))
    draft.effective_from = datetime.date(2026, 12, 1)
    draft.save()
    assert RuleSet.in_force_on(datetime.date(2026, 12, 2)).code == "208-QĐ/TW"


def test_a_copy_carries_every_value_and_child_row():
    source = RuleSet.objects.get(code="294-QĐ/TW")
    copy = ruleset_copy(source=source)
    assert copy.pk != source.pk and copy.status == RuleSetStatus.DRAFT and not copy.locked
    assert copy.vote_rules.count() == source.vote_rules.count()
    assert copy.deadline_rules.count() == source.deadline_rules.count()
    assert copy.validity_rules.count() == source.validity_rules.count()
    original = source.as_dict()
    copied = copy.as_dict()
    for key in ("code", "effective_from"):
        original.pop(key)
        copied.pop(key)
    assert copied == original


def test_the_checksum_changes_when_any_value_changes():
    rs = RuleSet.objects.get(code="294-QĐ/TW")
    before = rs.checksum()
    assert rs.checksum() == before
    rule = rs.deadline_rules.get(step=DeadlineStep.CEREMONY)
    rule.working_days = 31
    rule.save()
    assert rs.checksum() != before


def test_a_case_keeps_its_snapshot_unless_a_later_set_applies_to_open_cases():
    old = RuleSet.objects.get(code="294-QĐ/TW")
    new = RuleSet.objects.get(code="208-QĐ/TW")
    assert ruleset_for_step(case_rule_set=old, step_on=datetime.date(2026, 9, 1)) == old
    new.applies_to_open_cases = True
    new.save()
    assert ruleset_for_step(case_rule_set=old, step_on=datetime.date(2026, 7, 25)) == old
    assert ruleset_for_step(case_rule_set=old, step_on=datetime.date(2026, 7, 26)) == new


def test_locking_marks_the_rule_set_as_evidence():
    rs = RuleSet.objects.get(code="294-QĐ/TW")
    ruleset_lock(rule_set=rs)
    rs.refresh_from_db()
    assert rs.locked


@pytest.mark.parametrize(
    ("votes", "basis", "passes"),
    [(6, 9, True), (5, 9, False), (2, 3, True), (1, 3, False), (7, 10, True), (6, 10, False), (0, 0, False)],
)
def test_a_cell_vote_passes_at_exactly_two_thirds_and_not_one_vote_below(votes, basis, passes):
    rs = RuleSet.objects.get(code="294-QĐ/TW")
    assert rules.vote_passes(rule_set=rs, body=VoteBody.CELL, votes_for=votes, basis_count=basis) is passes


@pytest.mark.parametrize(("votes", "basis", "passes"), [(5, 9, True), (4, 8, False), (5, 8, True), (3, 5, True)])
def test_a_standing_committee_needs_strictly_more_than_half(votes, basis, passes):
    rs = RuleSet.objects.get(code="294-QĐ/TW")
    assert (
        rules.vote_passes(rule_set=rs, body=VoteBody.STANDING_COMMITTEE, votes_for=votes, basis_count=basis) is passes
    )


def test_votes_needed_is_the_smallest_passing_count():
    rule = RuleSet.objects.get(code="294-QĐ/TW").vote_rule(VoteBody.CELL)
    assert [rule.votes_needed(n) for n in (3, 9, 10, 11, 12)] == [2, 6, 7, 8, 8]


def test_the_decision_deadline_is_60_working_days_after_the_cell_resolution_across_tet():
    rs = RuleSet.objects.get(code="294-QĐ/TW")
    # Resolution Fri 02/01/2026; Tết 16–20/02/2026 is skipped: 60th working day counted from the next day.
    due = rules.deadline(
        rule_set=rs, step=DeadlineStep.ADMISSION_DECISION, start=datetime.date(2026, 1, 2), calendar=CAL
    )
    assert CAL.working_days_between(datetime.date(2026, 1, 2), due) == 60
    assert due == datetime.date(2026, 4, 3)
    extended = rules.deadline(
        rule_set=rs, step=DeadlineStep.ADMISSION_DECISION, start=datetime.date(2026, 1, 2), calendar=CAL, extended=True
    )
    assert CAL.working_days_between(due, extended) == 30


def test_a_same_day_rule_set_counts_the_event_day():
    rs = RuleSet.objects.get(code="294-QĐ/TW")
    rs.count_from = "same_day"
    start = datetime.date(2026, 3, 2)  # a Monday
    due = rules.deadline(rule_set=rs, step=DeadlineStep.CEREMONY, start=start, calendar=CAL)
    assert CAL.working_days_between(start, due) == 29


@pytest.mark.parametrize(
    ("dob", "on", "by_month", "strict"),
    [
        (datetime.date(2008, 5, 31), datetime.date(2026, 5, 1), 216, 215),
        (datetime.date(2008, 5, 31), datetime.date(2026, 5, 30), 216, 215),
        (datetime.date(2008, 5, 31), datetime.date(2026, 5, 31), 216, 216),
        (datetime.date(2008, 6, 1), datetime.date(2026, 5, 31), 215, 215),
        (datetime.date(1966, 3, 15), datetime.date(2026, 3, 14), 720, 719),
        (datetime.date(1966, 3, 15), datetime.date(2026, 4, 1), 721, 720),
        (datetime.date(2008, 2, 29), datetime.date(2026, 2, 28), 216, 216),
    ],
)
def test_age_in_months_by_month_and_strictly(dob, on, by_month, strict):
    assert rules.age_in_months(dob, on) == by_month
    assert rules.age_in_months(dob, on, counting=AgeCounting.STRICT_BY_DAY) == strict


def test_a_certificate_expires_60_months_later_on_the_same_day():
    rs = RuleSet.objects.get(code="294-QĐ/TW")
    validity = rules.document_validity(rule_set=rs, document="certificate", issued_on=datetime.date(2020, 1, 15))
    assert validity.expires_on == datetime.date(2025, 1, 15)
    assert validity.valid_on(datetime.date(2025, 1, 14))
    assert not validity.valid_on(datetime.date(2025, 1, 15))
    assert not validity.valid_on(datetime.date(2025, 2, 3))


def test_months_added_to_29_february_land_on_28_february():
    assert rules.add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert rules.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
