"""The second factor on the web: who must use it, what an unverified session reaches, setting up an authenticator,
verifying a sign-in with it or a recovery code, and remembered browsers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from admission.accounts import policy
from admission.accounts.models import TrustedBrowser
from admission.accounts.second_factor import REMEMBER_COOKIE
from admission.party.models.delegations import Delegation
from admission.party.models.roles import RoleKind
from tests.admission.accounts.conftest import (
    HOME,
    SECURITY,
    SETUP,
    VERIFY,
    authenticator_for,
    code_of,
    log_in_with_password,
    next_step,
)
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db


# -- who needs it ---------------------------------------------------------------------------------------------------


def test_approvers_committee_members_and_staff_need_a_second_factor_and_cell_secretaries_do_not(world: Any) -> None:
    staff = UserFactory(username="staff", is_staff=True)
    board = UserFactory(username="board")
    give_role(board, world.commune, RoleKind.ORG_BOARD_OFFICER)
    for user in (world.approver, world.agency_officer, staff, board):
        assert policy.needs_second_factor(user), user
    for user in (world.secretary, world.outsider, world.candidate_user):
        assert not policy.needs_second_factor(user), user


def test_a_substitute_acting_for_an_approver_needs_it_and_one_acting_for_a_cell_secretary_does_not(
    world: Any, clock: Any
) -> None:
    substitute = UserFactory(username="substitute")
    day = datetime.date(2026, 3, 2)
    Delegation.objects.create(
        from_user=world.secretary,
        to_user=substitute,
        org=world.village_cell,
        starts_on=day,
        ends_on=day + datetime.timedelta(days=5),
        reason="Nghỉ phép",
    )
    assert not policy.needs_second_factor(substitute)
    Delegation.objects.create(
        from_user=world.approver,
        to_user=substitute,
        org=world.commune,
        starts_on=day + datetime.timedelta(days=1),
        ends_on=day + datetime.timedelta(days=5),
        reason="Đi công tác",
    )
    assert not policy.needs_second_factor(substitute)  # from tomorrow
    assert policy.needs_second_factor(substitute, on=day + datetime.timedelta(days=1))


def test_the_roles_that_need_it_are_a_setting(world: Any, settings: Any) -> None:
    settings.TWO_FACTOR_ROLES = [RoleKind.CELL_SECRETARY]
    assert policy.needs_second_factor(world.secretary)
    assert not policy.needs_second_factor(world.approver)


def test_a_cell_secretary_who_sets_up_an_authenticator_must_use_it(world: Any) -> None:
    authenticator_for(world.secretary)
    assert policy.needs_second_factor(world.secretary)
    assert not policy.needs_second_factor_by_duty(world.secretary)


# -- an unverified session ----------------------------------------------------------------------------------------


def test_an_approver_logging_in_with_the_password_alone_is_taken_to_the_second_factor_before_any_page(
    client: Client, world: Any
) -> None:
    response = log_in_with_password(client, "approver")
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(f"{SETUP}?next=")
    for url in (HOME, "/app/admission/candidates/", "/admin/", "/ho-so-cua-toi/", SECURITY, "/app/notifications/"):
        page = client.get(url)
        assert page.status_code == 302 and page["Location"].startswith(SETUP), url


def test_with_an_authenticator_the_redirect_goes_to_the_verification(client: Client, world: Any) -> None:
    authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    response = client.get("/app/admission/candidates/?q=x")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fapp%2Fadmission%2Fcandidates%2F%3Fq%3Dx"


def test_an_unverified_session_still_reaches_the_public_lookup_the_static_files_and_logout(
    client: Client, world: Any
) -> None:
    log_in_with_password(client, "approver")
    assert client.get("/tra-cuu/").status_code == 200
    assert client.get("/kha-nang-tiep-can/").status_code == 200  # whom to tell if these pages are hard to use
    assert client.get(SETUP).status_code == 200
    assert client.get("/static/ketnap/accounts.css").status_code in (200, 404)  # served by the web server in prod
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_unverified_session_is_not_signed_in_for_the_api(client: Client, world: Any) -> None:
    log_in_with_password(client, "approver")
    assert client.get("/api/v1/orgs/").status_code == 403
    client.force_login(world.approver)  # a complete sign-in (tests/conftest.py)
    assert client.get("/api/v1/orgs/").status_code == 200


def test_a_cell_secretary_is_not_asked_for_a_second_factor(client: Client, world: Any) -> None:
    log_in_with_password(client, "secretary")
    assert client.get(HOME).status_code == 200


# -- setting up ---------------------------------------------------------------------------------------------------


def test_setting_up_shows_a_qr_code_and_the_key_and_a_right_code_confirms_it(
    client: Client, world: Any, clock: Any
) -> None:
    log_in_with_password(client, "approver")
    page = client.get(SETUP, {"next": "/app/admission/candidates/"}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'data-testid="totp-secret"' in html
    device = TOTPDevice.objects.get(user=world.approver, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url
    wrong = client.post(SETUP, {"code": "000000", "next": "/app/admission/candidates/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 422 and "does not match" in wrong.content.decode()
    next_step(clock)
    done = client.post(SETUP, {"code": code_of(device), "next": "/app/admission/candidates/"})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert StaticToken.objects.filter(device__user=world.approver).count() == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/app/admission/candidates/").status_code == 200


def test_a_stolen_password_cannot_replace_an_existing_authenticator(client: Client, world: Any) -> None:
    authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=world.approver).count() == 1


def test_a_verified_person_replaces_the_authenticator_and_the_old_one_stops(
    client: Client, world: Any, clock: Any
) -> None:
    old = authenticator_for(world.approver)
    client.force_login(world.approver)
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=world.approver, confirmed=False)
    assert client.post(SETUP, {"code": code_of(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=world.approver)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# -- verifying ----------------------------------------------------------------------------------------------------


def test_the_code_of_the_app_verifies_the_session_and_goes_on_to_the_page_asked_for(
    client: Client, world: Any, clock: Any
) -> None:
    device = authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    response = client.post(VERIFY, {"code": code_of(device), "next": "/app/admission/candidates/"})
    assert response.status_code == 302 and response["Location"] == "/app/admission/candidates/"
    assert client.get(HOME).status_code == 200
    assert REMEMBER_COOKIE not in response.cookies


def test_a_code_is_accepted_once(client: Client, world: Any, clock: Any) -> None:
    device = authenticator_for(world.approver)
    code = code_of(device)
    log_in_with_password(client, "approver")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = Client()
    log_in_with_password(other, "approver")
    clock.shift(datetime.timedelta(seconds=2))
    assert other.post(VERIFY, {"code": code}).status_code == 422


def test_the_next_address_must_be_on_this_site(client: Client, world: Any, clock: Any) -> None:
    device = authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    response = client.post(VERIFY, {"code": code_of(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_recovery_code_works_once_in_place_of_the_app(client: Client, world: Any, clock: Any) -> None:
    client.force_login(world.approver)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.approver, confirmed=False)
    codes = client.post(SETUP, {"code": code_of(device)}).context["codes"]
    phone_lost = Client()
    log_in_with_password(phone_lost, "approver")
    assert phone_lost.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    again = Client()
    log_in_with_password(again, "approver")
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 422
    assert StaticToken.objects.filter(device__user=world.approver).count() == 9


def test_a_wrong_code_is_refused_and_counts_towards_the_account_lockout(
    client: Client, world: Any, clock: Any, settings: Any
) -> None:
    authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(VERIFY, {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        next_step(clock)
    client.post(VERIFY, {"code": "000000"})
    locked = client.get(VERIFY)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session  # the half-signed-in session ends with the lock
    assert log_in_with_password(Client(), "approver").status_code == 429


# -- remembered browsers ------------------------------------------------------------------------------------------


def remember(client: Client, device: TOTPDevice) -> Any:
    response = client.post(VERIFY, {"code": code_of(device), "remember": "on"})
    assert response.status_code == 302
    return response.cookies[REMEMBER_COOKIE]


def test_a_remembered_browser_skips_the_second_factor_for_30_days_then_asks_again(
    client: Client, world: Any, clock: Any
) -> None:
    device = authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    cookie = remember(client, device)
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] == 30 * 24 * 3600
    client.post("/accounts/logout/")
    log_in_with_password(client, "approver")
    assert client.get(HOME).status_code == 200  # no code asked
    clock.shift(datetime.timedelta(days=31))
    client.post("/accounts/logout/")
    log_in_with_password(client, "approver")
    assert client.get(HOME).status_code == 302


def test_the_cookie_is_secure_when_sessions_are(client: Client, world: Any, clock: Any, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = True
    device = authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    assert remember(client, device)["secure"]


def test_a_forgotten_browser_is_asked_again_at_once(client: Client, world: Any, clock: Any) -> None:
    device = authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    remember(client, device)
    browser = TrustedBrowser.objects.get(user=world.approver)
    assert client.post(f"/accounts/security/browsers/{browser.pk}/forget/").status_code == 302
    client.post("/accounts/logout/")
    log_in_with_password(client, "approver")
    assert client.get(HOME).status_code == 302


def test_the_cookie_is_bound_to_its_owner_and_to_a_live_authenticator(client: Client, world: Any, clock: Any) -> None:
    device = authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    cookie = remember(client, device)
    colleague = UserFactory(username="colleague")
    give_role(colleague, world.commune, RoleKind.STANDING_COMMITTEE_MEMBER)
    authenticator_for(colleague)
    other = Client()
    other.cookies[REMEMBER_COOKIE] = cookie.value
    log_in_with_password(other, "colleague")
    assert other.get(HOME).status_code == 302  # another person's cookie proves nothing
    tampered = Client()
    tampered.cookies[REMEMBER_COOKIE] = cookie.value[:-2] + "xx"
    log_in_with_password(tampered, "approver")
    assert tampered.get(HOME).status_code == 302
    TOTPDevice.objects.filter(user=world.approver).delete()  # the administrator reset the authenticator
    client.post("/accounts/logout/")
    log_in_with_password(client, "approver")
    assert client.get(HOME).status_code == 302


def test_a_new_authenticator_ends_the_trust_of_browsers_remembered_before_it(
    client: Client, world: Any, clock: Any, caplog: Any
) -> None:
    device = authenticator_for(world.approver)
    log_in_with_password(client, "approver")
    remember(client, device)
    # The phone is lost: the administrator resets the authenticator and the person sets up a new one elsewhere.
    TOTPDevice.objects.filter(user=world.approver).delete()
    elsewhere = Client()
    elsewhere.force_login(world.approver)
    elsewhere.get(SETUP)
    new = TOTPDevice.objects.get(user=world.approver, confirmed=False)
    with caplog.at_level("INFO", logger="ketnap.security"):
        assert elsewhere.post(SETUP, {"code": code_of(new)}).status_code == 200
    assert f"authenticator confirmed for user {world.approver.pk}" in caplog.text
    assert not TrustedBrowser.objects.filter(user=world.approver).live().exists()
    client.post("/accounts/logout/")
    log_in_with_password(client, "approver")
    assert client.get(HOME).status_code == 302  # the browser remembered with the lost phone asks again


# -- the security page ---------------------------------------------------------------------------------------------


def test_a_cell_secretary_opts_in_and_out(client: Client, world: Any, clock: Any) -> None:
    client.force_login(world.secretary)
    page = client.get(SECURITY)
    assert page.status_code == 200 and page.context["authenticator"] is None
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.secretary)
    client.post(SETUP, {"code": code_of(device)})
    assert policy.needs_second_factor(world.secretary)
    assert client.post("/accounts/security/authenticator/remove/").status_code == 302
    assert not TOTPDevice.objects.filter(user=world.secretary).exists()
    assert not policy.needs_second_factor(world.secretary)


def test_an_approver_cannot_turn_the_second_factor_off(client: Client, world: Any) -> None:
    client.force_login(world.approver)
    assert client.post("/accounts/security/authenticator/remove/").status_code == 403
    assert TOTPDevice.objects.filter(user=world.approver, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client: Client, world: Any, clock: Any) -> None:
    client.force_login(world.approver)
    first = client.post("/accounts/security/recovery-codes/").context["codes"]
    second = client.post("/accounts/security/recovery-codes/").context["codes"]
    tokens = set(StaticToken.objects.filter(device__user=world.approver).values_list("token", flat=True))
    assert tokens == set(second) and not tokens & set(first)


def test_the_security_page_needs_a_login_and_its_actions_a_post(client: Client, world: Any) -> None:
    assert client.get(SECURITY).status_code == 302
    client.force_login(world.secretary)
    assert client.get("/accounts/security/recovery-codes/").status_code == 405
    assert client.get("/accounts/security/tokens/").status_code == 405


def test_a_misspelt_role_in_the_setting_stops_the_start(settings: Any) -> None:
    from admission.accounts.checks import two_factor_roles_exist

    assert two_factor_roles_exist() == []
    settings.TWO_FACTOR_ROLES = ["standing_comittee_member"]
    assert [error.id for error in two_factor_roles_exist()] == ["accounts.E001"]


def test_a_remembered_browser_is_named_as_its_owner_knows_it(client: Client, world: Any, clock: Any) -> None:
    device = authenticator_for(world.approver)
    phone = Client(
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    log_in_with_password(phone, "approver")
    remember(phone, device)
    assert TrustedBrowser.objects.get(user=world.approver).label == "Chrome · Android"
    page = phone.get(SECURITY).content.decode()
    assert "Chrome · Android" in page and "Mozilla/5.0" not in page
