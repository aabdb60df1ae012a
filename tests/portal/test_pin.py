"""The cell issues the lookup PIN: six digits shown once on a printable receipt, only a hash kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from admission.documents.dossier import lookup_url
from portal import lookup, pins
from portal.models import LookupPin
from portal.services import pin_issue

pytestmark = pytest.mark.django_db


def test_it_returns_six_digits_and_stores_only_a_hash(world: Any, own_case: Any) -> None:
    pin = pin_issue(candidate=own_case, by=world.secretary)
    assert len(pin) == 6 and pin.isdigit()
    stored = LookupPin.objects.get(candidate=own_case)
    assert pin not in stored.pin_hash and stored.pin_hash.startswith(pins.PREFIX)
    assert pins.pin_matches(own_case.pk, pin, stored.pin_hash)
    assert not pins.pin_matches(own_case.pk, f"{(int(pin) + 1) % 10**6:06d}", stored.pin_hash)
    assert stored.issued_by == world.secretary


def test_issuing_again_replaces_the_old_pin(world: Any, own_case: Any) -> None:
    first = pin_issue(candidate=own_case, by=world.secretary, pin="111111")
    second = pin_issue(candidate=own_case, by=world.secretary, pin="222222")
    assert LookupPin.objects.count() == 1
    assert lookup.verify(code=own_case.code, pin=first) is None
    assert lookup.verify(code=own_case.code, pin=second) == own_case


@pytest.mark.parametrize("persona", ["approver", "outsider", "candidate_user"])
def test_it_rejects_a_user_who_does_not_act_for_the_cell(world: Any, own_case: Any, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        pin_issue(candidate=own_case, by=getattr(world, persona))
    assert not LookupPin.objects.exists()


@pytest.mark.parametrize("pin", ["12345", "1234567", "12a456"])
def test_it_rejects_a_fixed_pin_that_is_not_six_digits(world: Any, own_case: Any, pin: str) -> None:
    with pytest.raises(ValidationError):
        pin_issue(candidate=own_case, by=world.secretary, pin=pin)


def test_the_secretary_prints_a_receipt_with_code_pin_address_and_qr(client: Any, world: Any, own_case: Any) -> None:
    client.force_login(world.secretary)
    url = reverse("portal:pin", args=[own_case.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="pin-none"' in page.content.decode()
    receipt = client.post(url)
    assert receipt.status_code == 200
    assert "no-store" in receipt["Cache-Control"]
    pin = receipt.context["plain_pin"]
    html = receipt.content.decode()
    assert own_case.code in html and pin in html and lookup_url(own_case.code) in html
    assert 'src="data:image/svg+xml' in html
    assert lookup.verify(code=own_case.code, pin=pin) == own_case
    assert 'data-testid="pin-issued"' in client.get(url).content.decode()
    assert pin not in client.get(url).content.decode()


def test_a_committee_member_in_scope_sees_the_page_but_cannot_issue(client: Any, world: Any, own_case: Any) -> None:
    client.force_login(world.approver)
    url = reverse("portal:pin", args=[own_case.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403
    assert not LookupPin.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "candidate_user"])
def test_the_pin_page_is_a_404_outside_the_units(client: Any, world: Any, own_case: Any, persona: str) -> None:
    client.force_login(getattr(world, persona))
    url = reverse("portal:pin", args=[own_case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_the_pin_page_needs_a_login(client: Any, own_case: Any) -> None:
    response = client.get(reverse("portal:pin", args=[own_case.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_same_pin_of_two_cases_is_kept_differently(world: Any, own_case: Any, other_case: Any) -> None:
    pin_issue(candidate=own_case, by=world.secretary, pin="111111")
    pin_issue(candidate=other_case, by=world.secretary, pin="111111")
    kept = set(LookupPin.objects.values_list("pin_hash", flat=True))
    assert len(kept) == 2
    assert lookup.verify(code=other_case.code, pin="111111") == other_case


def test_a_pin_kept_in_the_older_form_still_matches_and_is_then_kept_in_the_keyed_form(
    world: Any, own_case: Any
) -> None:
    LookupPin.objects.create(candidate=own_case, pin_hash=make_password("135790"), issued_at=timezone.now())
    assert lookup.verify(code=own_case.code, pin="000000") is None
    assert not LookupPin.objects.get(candidate=own_case).pin_hash.startswith(pins.PREFIX)  # a wrong PIN changes nothing
    assert lookup.verify(code=own_case.code, pin="135790") == own_case
    kept = LookupPin.objects.get(candidate=own_case).pin_hash
    assert kept.startswith(pins.PREFIX) and pins.pin_matches(own_case.pk, "135790", kept)


def test_a_pin_still_matches_after_the_secret_key_is_rotated(world: Any, own_case: Any, settings: Any) -> None:
    pin_issue(candidate=own_case, by=world.secretary, pin="246802")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-rotation-test-0123456789"
    assert lookup.verify(code=own_case.code, pin="246802") == own_case
    settings.SECRET_KEY_FALLBACKS = []
    assert lookup.verify(code=own_case.code, pin="246802") is None
