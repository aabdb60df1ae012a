"""The marks beside a case's state and a due date (admission/templatetags/state_marks.py): every state has a colour
family, a good and a bad outcome never share one, and a due date is overdue from the day after it."""

from __future__ import annotations

import datetime

import time_machine
from django.template import Context, Template

from admission.sourcing.models.candidates import CandidateState as S
from admission.templatetags.state_marks import FAMILIES, is_overdue, state_family


def test_every_state_has_a_family() -> None:
    assert set(FAMILIES) == set(S.values)


def test_open_states_share_the_in_progress_family() -> None:
    assert {state_family(state) for state in S.open_states()} == {"open"}


def test_a_good_and_a_bad_outcome_never_share_a_family() -> None:
    assert state_family(S.OFFICIAL) == "good"
    assert state_family(S.NOT_ADMITTED) == state_family(S.REMOVED) == "bad"
    assert state_family(S.WITHDRAWN) == state_family(S.TRANSFERRED_OUT) == "ended"


def test_the_badge_carries_its_family_as_a_class() -> None:
    html = Template("{% load state_marks %}kn-state--{{ s|state_family }}").render(Context({"s": S.NOT_ADMITTED}))
    assert html == "kn-state--bad"


@time_machine.travel(datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC), tick=False)
def test_a_due_date_is_overdue_from_the_next_day() -> None:
    assert not is_overdue(datetime.date(2026, 3, 2))
    assert is_overdue(datetime.date(2026, 3, 1))
    assert not is_overdue(None)
