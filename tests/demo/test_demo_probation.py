"""The demo probationers: one at each point of the year, one ended last week, one overdue, one recognised late."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admission.party.permissions import today
from admission.probation.models import Probation, ProbationStatus
from admission.probation.selectors import probation_dates
from admission.probation.services import TimerAction, probation_actions_due
from admission.sourcing.models.candidates import CandidateState
from demo.probation import PROBATIONERS, seed_probationers
from demo.province import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_probationers_cover_the_year_and_are_created_once():
    seed_demo()
    assert seed_probationers() == len(PROBATIONERS)
    assert seed_probationers() == 0
    now = today()
    by_name = {p.candidate.person.full_name: p for p in Probation.objects.select_related("candidate__person")}
    last_week = by_name["Vi Văn Hải"]
    assert last_week.ends_on == now - timedelta(days=7)
    assert last_week.status == ProbationStatus.RECOGNITION_DUE
    assert probation_dates(probation=by_name["Triệu Văn Long"]).cell_overdue
    recognised = by_name["La Thị Nga"]
    assert recognised.candidate.state == CandidateState.OFFICIAL
    assert recognised.membership.official_on == recognised.ends_on
    assert recognised.membership.admitted_on < recognised.starts_on
    reminders = {a.probation.candidate.person.full_name: a for a in probation_actions_due(now)}
    assert reminders["Hoàng Văn Đức"].action == TimerAction.REMIND
    assert reminders["Hoàng Văn Đức"].days_before == 90
    assert reminders["Nông Thị Yến"].days_before == 15
    assert "Lý Thị Hồng" not in reminders
