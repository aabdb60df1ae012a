"""Probation start and its dossier: month arithmetic, the start at the ceremony, the ceremony's helpers replacing
those of the sourcing stage, replacing a helper, discipline during probation, the probationer's own self-review.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from admission.party.models.people import Membership
from admission.probation.models import ProbationStatus
from admission.probation.services import discipline_record, helper_replace, self_review_record
from admission.rules import compute as rules
from admission.sourcing.models.candidates import CandidateState, Mentor
from tests.admission.probation.helpers import CEREMONY, at, probationer
from tests.factories import UserFactory

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


# ------------------------------------------------------------------------------------------------------------------
# Month arithmetic
# ------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a leap day has no twin: the month's last day
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2025, 8, 31), 12, D(2026, 8, 31)),
        (D(2024, 9, 15), 12, D(2025, 9, 15)),  # quiz Q6: ceremony 15/9/2024 → official 15/9/2025
        (D(2025, 12, 31), 12, D(2026, 12, 31)),
    ],
)
def test_probation_ends_the_same_day_n_months_later_or_the_months_last_day(start, months, end):
    assert rules.probation_end(start, months) == end


def test_a_ceremony_on_29_february_starts_a_probation_ending_on_28_february(world):
    probation = probationer(world, decided_on=D(2024, 2, 20), ceremony_on=D(2024, 2, 29))
    assert (probation.starts_on, probation.months, probation.ends_on) == (D(2024, 2, 29), 12, D(2025, 2, 28))
    assert probation.candidate.state == CandidateState.PROBATIONARY
    assert probation.status == ProbationStatus.RUNNING


def test_the_ceremonys_helpers_replace_those_of_the_sourcing_stage(world):
    probation = probationer(world, sourcing_mentor=True)
    sourcing = Mentor.objects.get(candidate=probation.candidate, assigned_on__lt=CEREMONY)
    assert sourcing.ended_on == CEREMONY
    assert [m.assigned_on for m in probation.helpers()] == [CEREMONY]


def test_a_helper_is_replaced_from_a_date_and_both_stay_on_record(world):
    probation = probationer(world)
    old = probation.helpers().get()
    replacement = Membership.objects.filter(cell=world.village_cell).exclude(pk=old.member_id).first()
    with at(D(2026, 1, 5)):
        new = helper_replace(
            probation=probation,
            mentor=old,
            replacement=replacement,
            on=D(2026, 1, 5),
            reason="Chuyển công tác",
            by=world.secretary,
        )
    old.refresh_from_db()
    assert old.ended_on == D(2026, 1, 5)
    assert new.member == replacement
    assert probation.helpers().count() == 2


def test_it_rejects_a_discipline_other_than_reprimand_or_warning(world):
    probation = probationer(world)
    with at(D(2026, 2, 2)):
        with pytest.raises(ValidationError, match="reprimand or a warning"):
            discipline_record(
                probation=probation,
                kind="expulsion",
                decided_on=D(2026, 2, 2),
                decision_ref="3-QĐ",
                decided_by="Chi bộ",
                reason="Vi phạm",
                by=world.secretary,
            )
        row = discipline_record(
            probation=probation,
            kind="warning",
            decided_on=D(2026, 2, 2),
            decision_ref="3-QĐ",
            decided_by="Chi bộ thôn Nà Sa",
            reason="Vi phạm",
            by=world.secretary,
        )
    assert row.get_kind_display().startswith("Warning")


def test_the_probationer_writes_their_own_self_review_but_an_outsider_cannot(world):
    probation = probationer(world)
    member_user = UserFactory(username="dangvien.duby")
    type(probation.candidate.person).objects.filter(pk=probation.candidate.person_id).update(user=member_user)
    probation.candidate.person.refresh_from_db()
    with at(D(2026, 7, 1)):
        review = self_review_record(probation=probation, written_on=D(2026, 7, 1), strengths="Tốt", by=member_user)
        with pytest.raises(PermissionDenied):
            self_review_record(probation=probation, written_on=D(2026, 7, 1), strengths="x", by=world.outsider)
    assert review.recorded_by == member_user
