"""Eligibility boundaries under the seeded rule set 294-QĐ/TW (domain.md §2): age by months and strictly, over 60,
education and its exceptions, the certificate's last valid day, and the re-admission rules."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from admission.party.models.earlier import NEVER_READMIT, EarlierMembership, LeavingReason
from admission.rules.models.rulesets import AgeCounting, RuleSet
from admission.rules.services import ruleset_copy
from admission.sourcing.eligibility import check_eligibility
from admission.sourcing.models.candidates import Candidate, EducationException
from admission.sourcing.models.consents import Consent, ConsentKind
from admission.sourcing.services.candidates import candidate_nominate, candidate_update_special_path
from admission.sourcing.services.readmission import earlier_membership_add
from admission.sourcing.services.training import certificate_record_external
from tests.factories import PersonFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def consent(case, kind, reference, granted_on):
    """A recorded higher consent (the one place consents live; the decision step reads the same rows)."""
    return Consent.objects.create(
        candidate=case, kind=kind, reference=reference, granted_on=granted_on, granted_by="Ban Thường vụ Tỉnh ủy"
    )


def open_case(world, **person):
    return candidate_nominate(
        person=PersonFactory(**person),
        cell=world.village_cell,
        nominated_by="youth_union",
        nominated_on=D(2026, 2, 20),
        by=world.secretary,
    )


def result(case, day, code):
    return next(r for r in check_eligibility(case, day).results if r.code == code)


def test_the_case_is_judged_by_the_rule_set_in_force_when_it_opened(world):
    case = open_case(world)
    assert case.rule_set.code == "294-QĐ/TW"


# Age (294-QĐ/TW item 1.1.1): 216 to 720 months, counted by calendar month by default


def test_a_person_is_old_enough_in_the_month_they_turn_18_by_month(world):
    case = open_case(world, date_of_birth=D(2008, 3, 15))
    assert result(case, D(2026, 3, 1), "age_min").passed


def test_one_month_earlier_the_person_is_too_young_and_told_from_when(world):
    case = open_case(world, date_of_birth=D(2008, 3, 15))
    age = result(case, D(2026, 2, 28), "age_min")
    assert not age.passed
    assert "15/03/2026" in age.reason


def test_in_strict_mode_the_person_is_old_enough_only_from_the_birthday(world):
    case = open_case(world, date_of_birth=D(2008, 3, 15))
    strict = ruleset_copy(source=case.rule_set)
    strict.age_counting = AgeCounting.STRICT_BY_DAY
    strict.save()
    case.rule_set = strict
    assert not result(case, D(2026, 3, 14), "age_min").passed
    assert result(case, D(2026, 3, 15), "age_min").passed


def test_exactly_60_years_by_month_passes_without_consent(world):
    case = open_case(world, date_of_birth=D(1966, 3, 15))
    assert result(case, D(2026, 3, 31), "age_max").passed


def test_one_month_over_60_needs_the_provincial_consent(world):
    case = open_case(world, date_of_birth=D(1966, 3, 15))
    over = result(case, D(2026, 4, 1), "age_max")
    assert not over.passed
    assert "60" in over.title


def test_one_month_over_60_passes_with_the_provincial_consent(world):
    case = open_case(world, date_of_birth=D(1966, 3, 15))
    consent(case, ConsentKind.OVER_AGE, "123-CV/TU", D(2026, 2, 1))
    assert result(case, D(2026, 4, 1), "age_max").passed
    assert "123-CV/TU" in result(case, D(2026, 4, 1), "age_max").reason


# Education (294-QĐ/TW item 1.1; 01-HD/TW 2021 item 1.2)


def test_lower_secondary_education_meets_the_general_rule(world):
    assert result(open_case(world, education="lower_secondary"), D(2026, 3, 2), "education").passed


def test_primary_education_fails_the_general_rule(world):
    assert not result(open_case(world, education="primary"), D(2026, 3, 2), "education").passed


def test_primary_education_passes_with_the_hardship_area_exception(world):
    case = open_case(world, education="primary")
    case = candidate_update_special_path(
        candidate=case, by=world.secretary, education_exception=EducationException.HARDSHIP_AREA
    )
    assert result(case, D(2026, 3, 2), "education").passed


def test_literacy_alone_fails_even_in_a_hardship_area(world):
    case = open_case(world, education="literate")
    case = candidate_update_special_path(
        candidate=case, by=world.secretary, education_exception=EducationException.HARDSHIP_AREA
    )
    assert not result(case, D(2026, 3, 2), "education").passed


def test_a_literate_village_elder_needs_the_provincial_consent(world):
    case = open_case(world, education="literate")
    case = candidate_update_special_path(
        candidate=case, by=world.secretary, education_exception=EducationException.VILLAGE_ELDER
    )
    assert not result(case, D(2026, 3, 2), "education").passed
    consent(case, ConsentKind.OVER_AGE, "45-CV/TU", D(2026, 2, 1))  # another kind of consent does not count
    assert not result(case, D(2026, 3, 2), "education").passed
    consent(case, ConsentKind.LITERACY, "46-CV/TU", D(2026, 2, 1))
    assert result(case, D(2026, 3, 2), "education").passed


# The certificate CN-NTVĐ: valid 60 months, expiring on the same day 60 months later (06-HD/TW §5.4)


@pytest.fixture
def certified_case(world):
    case = open_case(world)
    certificate_record_external(
        candidate=case, number="01/CN", issued_on=D(2020, 1, 15), issuer="Trung tâm chính trị huyện", by=world.secretary
    )
    return case


def test_a_certificate_of_15_01_2020_is_still_valid_on_14_01_2025(certified_case):
    assert result(certified_case, D(2025, 1, 14), "certificate").passed


def test_a_certificate_of_15_01_2020_has_expired_on_15_01_2025_and_says_so(certified_case):
    expired = result(certified_case, D(2025, 1, 15), "certificate")
    assert not expired.passed
    assert "15/01/2025" in expired.reason


def test_without_a_certificate_the_rule_fails(world):
    assert not result(open_case(world), D(2026, 3, 2), "certificate").passed


# Re-admission (294-QĐ/TW item 3.5)


CONSENT_ON = D(2025, 1, 1)


def readmission_case(world, consent_on=CONSENT_ON, **facts):
    """A case whose person left the party on 10/03/2022 (removed from the list), recorded through the service."""
    case = open_case(world)
    values = {
        "admitted_on": D(2010, 5, 19),
        "official_on": D(2011, 5, 19),
        "left_on": D(2022, 3, 10),
        "how_left": LeavingReason.REMOVED,
        **facts,
    }
    if consent_on is not None:
        consent(case, ConsentKind.READMISSION, "9-CV/TU", consent_on)
    earlier_membership_add(candidate=case, by=world.secretary, **values)
    case.refresh_from_db()
    return case


def test_recording_an_earlier_membership_makes_the_case_a_readmission(world):
    case = readmission_case(world)
    assert case.is_readmission
    assert case.history.first().history_change_reason == "Earlier membership recorded"


def test_a_former_member_may_be_readmitted_on_the_day_36_months_after_leaving(world):
    case = readmission_case(world)
    assert result(case, D(2025, 3, 10), "readmission_wait").passed
    assert check_eligibility(case, D(2025, 3, 10)).results  # every rule is listed


def test_the_day_before_36_months_since_leaving_is_too_early(world):
    wait = result(readmission_case(world), D(2025, 3, 9), "readmission_wait")
    assert not wait.passed
    assert "10/03/2025" in wait.reason
    assert "294-QĐ/TW" in wait.source


def test_a_conviction_must_be_expunged_60_months_before_the_meeting(world):
    case = readmission_case(world, how_left=LeavingReason.CONVICTED_LESS_SERIOUS, conviction_expunged_on=D(2022, 6, 30))
    assert not result(case, D(2027, 6, 29), "readmission_expunged").passed
    assert result(case, D(2027, 6, 30), "readmission_expunged").passed


def test_a_less_serious_conviction_needs_its_expungement_date(world):
    with pytest.raises(ValidationError, match="expunged"):
        readmission_case(world, how_left=LeavingReason.CONVICTED_LESS_SERIOUS)


@pytest.mark.parametrize("reason", sorted(NEVER_READMIT))
def test_a_category_never_readmitted_is_refused_when_recorded(world, reason):
    with pytest.raises(ValidationError, match="never re-admitted"):
        readmission_case(world, how_left=reason)


@pytest.mark.parametrize("reason", sorted(NEVER_READMIT))
def test_some_reasons_for_leaving_never_allow_readmission(world, reason):
    """A never-re-admitted category already on record (an import, an earlier release) fails the rule."""
    case = readmission_case(world)
    EarlierMembership.objects.create(
        person=case.person, admitted_on=D(1990, 1, 1), left_on=D(1999, 1, 1), how_left=reason
    )
    verdict = result(case, D(2026, 3, 2), "readmission_reason")
    assert not verdict.passed and "01/01/1999" in verdict.reason
    assert not check_eligibility(case, D(2026, 3, 2)).eligible


def test_leaving_for_justified_family_reasons_allows_readmission(world):
    case = readmission_case(world, how_left=LeavingReason.FAMILY_REASONS)
    assert result(case, D(2026, 3, 2), "readmission_reason").passed


def test_readmission_happens_only_once_in_a_lifetime(world):
    assert result(readmission_case(world), D(2026, 3, 2), "readmission_once").passed
    again = readmission_case(world, was_readmission=True)
    once = result(again, D(2026, 3, 2), "readmission_once")
    assert not once.passed and "1" in once.reason


def test_the_lifetime_maximum_is_the_rule_sets(world):
    case = readmission_case(world, was_readmission=True)
    rs = case.rule_set
    RuleSet.objects.filter(pk=rs.pk).update(readmission_max_times=2)
    case.refresh_from_db()
    assert result(case, D(2026, 3, 2), "readmission_once").passed


def test_readmission_needs_the_provincial_consent_given_before_the_meeting(world):
    without = readmission_case(world, consent_on=None)
    assert not result(without, D(2026, 3, 2), "readmission_consent").passed
    later = readmission_case(world, consent_on=D(2026, 3, 3))
    assert not result(later, D(2026, 3, 2), "readmission_consent").passed
    assert result(later, D(2026, 3, 3), "readmission_consent").passed


def test_a_readmission_flag_without_the_earlier_membership_asks_for_it(world):
    case = open_case(world)
    Candidate.objects.filter(pk=case.pk).update(is_readmission=True)
    case.refresh_from_db()
    verdict = result(case, D(2026, 3, 2), "readmission_record")
    assert not verdict.passed


def test_a_first_admission_has_no_readmission_rules(world):
    codes = {r.code for r in check_eligibility(open_case(world), D(2026, 3, 2)).results}
    assert codes == {"age_min", "age_max", "education", "certificate"}


def test_every_rule_names_its_source_and_gives_a_reason(certified_case):
    for rule in check_eligibility(certified_case, D(2026, 3, 2)).results:
        assert rule.title and rule.source and rule.reason


def test_the_consequence_keeps_its_capitals_in_the_reason(world):
    case = readmission_case(world)
    with translation.override("en"):
        reason = result(case, D(2025, 3, 10), "readmission_reason").reason
    assert "Re-admission: Waiting period counted from leaving." in reason


def test_an_earlier_membership_overlapping_one_recorded_is_refused(world):
    case = readmission_case(world)
    with translation.override("en"), pytest.raises(ValidationError, match="overlaps"):
        earlier_membership_add(
            candidate=case,
            by=world.secretary,
            admitted_on=D(2012, 1, 1),
            left_on=D(2022, 3, 10),
            how_left="family_reasons",
        )
