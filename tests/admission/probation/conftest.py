"""Fixtures of the probation tests: the screens' frozen day (`frozen_today`), the standard probation (`probation`)
and the probationer's own login (`member`). None is autouse: the test modules ask for `english` (tests/conftest.py)
and `frozen_today` through `pytestmark`.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from admission.party.models.people import Person
from admission.probation.models import Probation
from tests.admission.probation.helpers import probationer
from tests.factories import UserFactory


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def probation(world) -> Probation:
    return probationer(world)


@pytest.fixture
def member(probation) -> Any:
    """The probationer's own login (Person.user)."""
    user = UserFactory(username="dangvien.duby")
    Person.objects.filter(pk=probation.candidate.person_id).update(user=user)
    probation.candidate.person.refresh_from_db()
    return user
