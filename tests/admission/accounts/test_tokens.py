"""API tokens: one per device, after the second factor for those who need it, expiring, listed and revoked by
their owner, and refused at once for a deactivated, locked-out or role-less owner."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from admission.accounts.models import ApiToken
from admission.accounts.tokens import token_issue
from admission.party.models.people import Person
from admission.party.services.roles import role_end
from tests.admission.accounts.conftest import PASSWORD, SECURITY, authenticator_for, code_of, next_step

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
ROLES = "/api/v1/me/roles/"


def with_token(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def ask(**data: Any) -> Any:
    return APIClient().post(TOKEN, {"password": PASSWORD, **data}, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_a_cell_secretary_gets_a_token_for_a_named_device_that_expires(world: Any, clock: Any) -> None:
    response = ask(username="secretary", name="Máy tính văn phòng")
    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert (token.name, token.user) == ("Máy tính văn phòng", world.secretary)
    assert token.expires_at - token.created == datetime.timedelta(days=30)
    assert body["token"] not in token.key_hash and token.prefix == body["token"][:8]
    assert with_token(body["token"]).get(ROLES).status_code == 200


def test_a_shorter_lifetime_may_be_asked_for_but_not_a_longer_one(world: Any) -> None:
    assert ask(username="secretary", days=7).status_code == 200
    too_long = ask(username="secretary", days=31)
    assert too_long.status_code == 400 and "days" in str(too_long.json())


def test_an_approver_needs_the_code_of_the_authenticator_for_a_token(world: Any, clock: Any) -> None:
    device = authenticator_for(world.approver)
    missing = ask(username="approver")
    assert missing.status_code == 400 and missing.json()["code"] == "second_factor_required"
    wrong = ask(username="approver", otp="000000")
    assert wrong.status_code == 400 and "token" not in wrong.json()
    next_step(clock)
    right = ask(username="approver", otp=code_of(device))
    assert right.status_code == 200
    assert with_token(right.json()["token"]).get(ROLES).status_code == 200


def test_an_approver_without_an_authenticator_is_told_to_set_one_up_first(world: Any) -> None:
    response = ask(username="approver", otp="123456")
    assert response.status_code == 400
    assert "set up an authenticator" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_wrong_codes_count_towards_the_account_lockout(world: Any, clock: Any, settings: Any) -> None:
    device = authenticator_for(world.approver)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        ask(username="approver", otp="000000")
        next_step(clock)
    assert ask(username="approver", otp=code_of(device)).status_code == 429


def test_an_expired_token_is_refused(world: Any, clock: Any) -> None:
    key = token_issue(user=world.secretary, name="laptop", days=1).key
    assert with_token(key).get(ROLES).status_code == 200
    clock.shift(datetime.timedelta(days=1, seconds=1))
    response = with_token(key).get(ROLES, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["detail"] == "Invalid, expired or revoked token."


def test_the_owner_lists_their_own_tokens_and_sees_which_one_is_calling(world: Any) -> None:
    laptop = token_issue(user=world.secretary, name="laptop")
    token_issue(user=world.secretary, name="phone")
    token_issue(user=world.outsider, name="other person's")
    response = with_token(laptop.key).get(TOKENS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["name"]: row["current"] for row in rows} == {"laptop": True, "phone": False}
    assert all("key" not in row and "token" not in row for row in rows)


def test_the_owner_revokes_a_token_which_stops_at_once_and_cannot_revoke_someone_elses(world: Any) -> None:
    laptop = token_issue(user=world.secretary, name="laptop")
    phone = token_issue(user=world.secretary, name="phone")
    foreign = token_issue(user=world.outsider, name="theirs")
    api = with_token(laptop.key)
    assert api.delete(f"{TOKENS}{foreign.token.pk}/").status_code == 404
    assert api.delete(f"{TOKENS}{phone.token.pk}/").status_code == 204
    assert with_token(phone.key).get(ROLES).status_code == 403
    assert with_token(foreign.key).get(ROLES).status_code == 200
    assert api.delete(f"{TOKENS}{laptop.token.pk}/").status_code == 204  # signing this device out
    assert api.get(ROLES).status_code == 403


def test_a_deactivated_owners_tokens_stop_at_once(world: Any) -> None:
    key = token_issue(user=world.secretary, name="laptop").key
    world.secretary.is_active = False
    world.secretary.save(update_fields=["is_active"])
    assert with_token(key).get(ROLES).status_code == 403


def test_a_locked_out_owners_tokens_stop_at_once(world: Any, settings: Any) -> None:
    key = token_issue(user=world.secretary, name="laptop").key
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "secretary", "password": "guess"}, REMOTE_ADDR="198.51.100.9")
    assert with_token(key).get(ROLES).status_code == 403


def test_tokens_stop_when_the_last_role_ends_but_not_for_a_role_yet_to_start(world: Any, clock: Any) -> None:
    key = token_issue(user=world.secretary, name="laptop").key
    role_end(role=world.secretary.roles.get(), on=datetime.date(2026, 3, 1))
    assert with_token(key).get(ROLES).status_code == 403


def test_a_candidates_token_works_for_their_own_portal(world: Any) -> None:
    Person.objects.filter(pk=world.village_cell.memberships.first().person_id).update(user=world.candidate_user)
    key = token_issue(user=world.candidate_user, name="phone").key
    assert with_token(key).get("/api/v1/me/cases/").status_code == 200


def test_a_login_with_no_role_and_no_person_has_no_working_token(world: Any) -> None:
    key = token_issue(user=world.candidate_user, name="phone").key
    assert with_token(key).get("/api/v1/me/cases/").status_code == 403


# -- the security page ---------------------------------------------------------------------------------------------


def test_the_security_page_creates_a_token_shows_it_once_and_revokes_it(client: Client, world: Any) -> None:
    client.force_login(world.secretary)
    created = client.post(f"{SECURITY}tokens/", {"name": "Điện thoại", "days": "10"})
    assert created.status_code == 200
    key = created.context["issued"].key
    assert key in created.content.decode()
    page = client.get(SECURITY)
    assert key not in page.content.decode() and "Điện thoại" in page.content.decode()
    token = ApiToken.objects.get(user=world.secretary)
    assert client.post(f"{SECURITY}tokens/{token.pk}/revoke/").status_code == 302
    assert with_token(key).get(ROLES).status_code == 403
    assert client.post(f"{SECURITY}tokens/{token.pk}/revoke/").status_code == 404


def test_the_security_page_refuses_a_lifetime_beyond_the_limit(client: Client, world: Any) -> None:
    client.force_login(world.secretary)
    assert client.post(f"{SECURITY}tokens/", {"name": "x", "days": "300"}).status_code == 422
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked_from_the_page(client: Client, world: Any) -> None:
    foreign = token_issue(user=world.outsider, name="theirs")
    client.force_login(world.secretary)
    assert client.post(f"{SECURITY}tokens/{foreign.token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=foreign.token.pk).revoked_at is None
