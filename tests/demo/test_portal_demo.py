"""The demo's known PIN for the candidate login's case."""

from __future__ import annotations

from typing import Any

import pytest

from demo.portal import DEMO_LOGIN, DEMO_PIN, seed_portal
from portal import lookup
from portal.models import LookupPin
from tests.factories import UserFactory
from tests.portal.conftest import nominate

pytestmark = pytest.mark.django_db


def test_it_issues_the_known_pin_once_for_the_demo_candidate(world: Any) -> None:
    assert seed_portal() is None  # no demo candidate yet: nothing to do
    case = nominate(world, user=UserFactory(username=DEMO_LOGIN))
    line = seed_portal()
    assert line is not None and case.code in line and DEMO_PIN in line
    assert lookup.verify(code=case.code, pin=DEMO_PIN) == case
    issued = LookupPin.objects.get().issued_at
    seed_portal()
    assert LookupPin.objects.get().issued_at == issued  # idempotent
