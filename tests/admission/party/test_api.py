"""REST API v1 (/api/v1/): tokens, scoped lists and details per role, anonymous callers, the schema and its docs.

Authentication is SessionAuthentication first, then TokenAuthentication; DRF takes the status of a refusal from the
first class, which sends no WWW-Authenticate header, so an unauthenticated caller gets 403 (not 401).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from admission.accounts.models import ApiToken
from admission.accounts.tokens import token_issue
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.party.models.roles import RoleKind
from admission.party.services.roles import role_end
from tests.factories import PersonFactory, UserFactory, give_role

PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 3, 2)
ONE_DAY = datetime.timedelta(days=1)

TOKEN = "/api/v1/auth/token/"
ORGS = "/api/v1/orgs/"
PEOPLE = "/api/v1/people/"
MEMBERS = "/api/v1/members/"
MY_ROLES = "/api/v1/me/roles/"
PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}  # RFC 9457, admission.core.api.problems

COMMUNE_UNITS = ("commune", "agency", "partial", "cell", "agency_cell", "village_cell")
AGENCY_UNITS = ("agency", "partial", "cell", "agency_cell")
UNITS_OF = {
    "secretary": ("village_cell",),
    "approver": COMMUNE_UNITS,
    "agency_officer": AGENCY_UNITS,
    "outsider": ("other_cell",),
    "candidate_user": (),
}
MEMBER_CELLS_OF = {
    "secretary": ("village_cell",),
    "approver": ("village_cell", "cell"),
    "agency_officer": ("cell",),
    "outsider": ("other_cell",),
    "candidate_user": (),
}


def api_as(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_login(user)
    return api


def hanoi(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HCM)


def result_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def people_of(world, *cells: str) -> set[int]:
    return set(
        Membership.objects.filter(cell__in=[getattr(world, c) for c in cells]).values_list("person_id", flat=True)
    )


def missing_pk(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


# --- tokens ------------------------------------------------------------------------------------------------------


def test_good_credentials_get_a_token_that_then_authenticates_the_caller(world):
    response = APIClient().post(TOKEN, {"username": "secretary", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.get(user=world.secretary).prefix == key[:8]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    roles = api.get(MY_ROLES)
    assert roles.status_code == 200
    assert [(r["kind"], r["org"]["id"]) for r in roles.json()["results"]] == [
        (RoleKind.CELL_SECRETARY, world.village_cell.pk)
    ]
    assert result_ids(api.get(ORGS)) == {world.village_cell.pk}


def test_asking_twice_gives_a_token_per_device(world):
    """Tokens are per device (admission.accounts): each request names a device and gets its own token."""
    first = APIClient().post(TOKEN, {"username": "secretary", "password": PASSWORD, "name": "laptop"}, format="json")
    second = APIClient().post(TOKEN, {"username": "secretary", "password": PASSWORD, "name": "phone"}, format="json")
    assert first.json()["token"] != second.json()["token"]
    assert set(ApiToken.objects.filter(user=world.secretary).values_list("name", flat=True)) == {"laptop", "phone"}


def test_a_wrong_password_gets_a_400_and_no_token(world):
    response = APIClient().post(TOKEN, {"username": "secretary", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert response.json()["detail"]
    assert not ApiToken.objects.filter(user=world.secretary).exists()


def test_a_wrong_password_is_explained_in_english_to_an_english_client(world):
    response = APIClient().post(
        TOKEN, {"username": "secretary", "password": "wrong"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Wrong username or password, or the account is locked."


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(world):
    wrong = APIClient().post(TOKEN, {"username": "secretary", "password": "wrong"}, format="json")
    unknown = APIClient().post(TOKEN, {"username": "nobody-here", "password": "wrong"}, format="json")
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.json() == wrong.json()


def test_missing_fields_get_a_400_and_no_token(world):
    response = APIClient().post(TOKEN, {"username": "secretary"}, format="json")
    assert response.status_code == 400
    assert "password" in {error["field"] for error in response.json()["errors"]}
    assert "token" not in response.json()


def test_an_inactive_account_gets_no_token(world):
    world.secretary.is_active = False
    world.secretary.save(update_fields=["is_active"])
    response = APIClient().post(TOKEN, {"username": "secretary", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_after_too_many_wrong_passwords_even_the_right_one_gets_no_token(world):
    """django-axes locks the username and address at the limit; its middleware answers 429 from then on."""
    api = APIClient()
    statuses = [
        api.post(TOKEN, {"username": "secretary", "password": "wrong"}, format="json").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = api.post(TOKEN, {"username": "secretary", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert "token" not in response.json()
    assert (
        "locked"
        in api.post(TOKEN, {"username": "secretary", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    )
    assert not ApiToken.objects.filter(user=world.secretary).exists()


def test_a_locked_out_person_on_the_login_page_gets_a_page_not_a_crash(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "secretary", "password": "wrong"})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")


def test_the_token_endpoint_only_accepts_a_post(world):
    assert APIClient().get(TOKEN).status_code == 405


def test_an_invalid_token_is_refused_without_data(world):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = api.get(ORGS)
    assert response.status_code == 403
    assert set(response.json()) == PROBLEM_KEYS


# --- anonymous callers and wrong methods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        ORGS,
        "/api/v1/orgs/{village_cell}/",
        PEOPLE,
        "/api/v1/people/{person}/",
        MEMBERS,
        MEMBERS + "?cell={village_cell}",
        MY_ROLES,
    ],
)
def test_an_anonymous_caller_gets_403_and_no_data(world, url):
    person = Membership.objects.filter(cell=world.village_cell).first().person
    response = APIClient().get(url.format(village_cell=world.village_cell.pk, person=person.pk))
    assert response.status_code == 403
    assert set(response.json()) == PROBLEM_KEYS
    assert world.village_cell.name not in response.content.decode()
    assert person.full_name not in response.content.decode()


@pytest.mark.parametrize("url", [ORGS, PEOPLE, MEMBERS, MY_ROLES])
def test_a_list_does_not_accept_a_post(world, url):
    assert api_as(world.approver).post(url, {}, format="json").status_code == 405


def test_a_detail_does_not_accept_a_write(world):
    api = api_as(world.approver)
    assert api.post(f"{ORGS}{world.village_cell.pk}/", {}, format="json").status_code == 405
    assert api.patch(f"{ORGS}{world.village_cell.pk}/", {"name": "x"}, format="json").status_code == 405
    person = Membership.objects.filter(cell=world.village_cell).first().person
    assert api.delete(f"{PEOPLE}{person.pk}/").status_code == 405
    assert PartyOrg.objects.get(pk=world.village_cell.pk).name == world.village_cell.name


# --- orgs --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(UNITS_OF))
def test_each_role_lists_exactly_the_orgs_of_its_subtree(world, persona):
    response = api_as(getattr(world, persona)).get(ORGS)
    assert result_ids(response) == {getattr(world, unit).pk for unit in UNITS_OF[persona]}
    assert response.json()["count"] == len(UNITS_OF[persona])


def test_the_outsider_finds_no_name_of_the_other_commune_in_the_org_list(world):
    content = api_as(world.outsider).get(ORGS).content.decode()
    for unit in (*COMMUNE_UNITS, "province"):
        assert getattr(world, unit).name not in content


def test_the_org_detail_of_a_grassroots_cell_gives_its_approval_chain(world):
    response = api_as(world.secretary).get(f"{ORGS}{world.village_cell.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.village_cell.pk
    assert body["parent_id"] == world.commune.pk
    assert body["valid_from"] == "2020-01-01"
    assert [(s["order"], s["form"], s["org_id"]) for s in body["approval_chain"]] == [
        (1, "6-KNĐ", world.village_cell.pk),
        (2, "9-KNĐ", world.commune.pk),
    ]


def test_the_approver_gets_the_three_step_chain_of_an_agency_cell(world):
    response = api_as(world.approver).get(f"{ORGS}{world.agency_cell.pk}/")
    assert response.status_code == 200
    assert [s["form"] for s in response.json()["approval_chain"]] == ["6-KNĐ", "8-KNĐ", "9-KNĐ"]


def test_a_committee_has_no_approval_chain(world):
    response = api_as(world.approver).get(f"{ORGS}{world.agency.pk}/")
    assert response.status_code == 200
    assert response.json()["approval_chain"] is None


def test_the_agency_officer_gets_404_for_the_village_cell(world):
    api = api_as(world.agency_officer)
    assert api.get(f"{ORGS}{world.agency_cell.pk}/").status_code == 200
    assert api.get(f"{ORGS}{world.village_cell.pk}/").status_code == 404


def test_the_secretary_gets_404_for_the_commune_above_their_cell(world):
    assert api_as(world.secretary).get(f"{ORGS}{world.commune.pk}/").status_code == 404


@pytest.mark.parametrize("unit", [*COMMUNE_UNITS, "province", "other_commune"])
def test_the_outsider_gets_the_same_404_for_another_unit_as_for_a_missing_one(world, unit):
    api = api_as(world.outsider)
    org = getattr(world, unit)
    existing = api.get(f"{ORGS}{org.pk}/")
    missing = api.get(f"{ORGS}{missing_pk(PartyOrg)}/")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()
    assert org.name not in existing.content.decode()


# --- people ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(MEMBER_CELLS_OF))
def test_each_role_lists_exactly_the_people_of_its_cells(world, persona):
    response = api_as(getattr(world, persona)).get(PEOPLE)
    assert result_ids(response) == people_of(world, *MEMBER_CELLS_OF[persona])


def test_a_login_without_a_role_lists_and_opens_only_their_own_record(world):
    own = PersonFactory(full_name="Đinh Văn Cảm", user=world.candidate_user)
    api = api_as(world.candidate_user)
    assert result_ids(api.get(PEOPLE)) == {own.pk}
    assert api.get(f"{PEOPLE}{own.pk}/").json()["full_name"] == "Đinh Văn Cảm"
    other = Membership.objects.filter(cell=world.village_cell).first().person_id
    assert api.get(f"{PEOPLE}{other}/").status_code == 404


def test_the_secretary_opens_a_member_of_their_cell(world):
    person = Membership.objects.filter(cell=world.village_cell).first().person
    response = api_as(world.secretary).get(f"{PEOPLE}{person.pk}/")
    assert response.status_code == 200
    assert response.json()["full_name"] == person.full_name
    assert response.json()["date_of_birth"] == "1995-05-17"
    assert "citizen_id" not in response.json()


def test_the_agency_officer_gets_404_for_a_member_of_the_village_cell(world):
    person_id = Membership.objects.filter(cell=world.village_cell).first().person_id
    assert api_as(world.agency_officer).get(f"{PEOPLE}{person_id}/").status_code == 404


@pytest.mark.parametrize("cell", ["village_cell", "cell"])
def test_the_outsider_gets_the_same_404_for_a_member_elsewhere_as_for_nobody(world, cell):
    api = api_as(world.outsider)
    person = Membership.objects.filter(cell=getattr(world, cell)).first().person
    existing = api.get(f"{PEOPLE}{person.pk}/")
    missing = api.get(f"{PEOPLE}{missing_pk(Person)}/")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()
    assert person.full_name not in existing.content.decode()


# --- members -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(MEMBER_CELLS_OF))
def test_each_role_lists_exactly_the_current_members_of_its_cells(world, persona):
    response = api_as(getattr(world, persona)).get(MEMBERS)
    assert response.status_code == 200
    assert {row["person"]["id"] for row in response.json()["results"]} == people_of(world, *MEMBER_CELLS_OF[persona])


def test_the_approver_filters_the_members_by_one_cell(world):
    response = api_as(world.approver).get(MEMBERS, {"cell": world.cell.pk})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["cell_id"] for row in rows} == {world.cell.pk}
    assert {row["person"]["id"] for row in rows} == people_of(world, "cell")


def test_filtering_by_a_cell_outside_the_scope_is_the_same_404_as_by_a_missing_cell(world):
    api = api_as(world.secretary)
    outside = api.get(MEMBERS, {"cell": world.other_cell.pk})
    missing = api.get(MEMBERS, {"cell": missing_pk(PartyOrg)})
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert api.get(MEMBERS, {"cell": "abc"}).status_code == 400  # not an id at all: a bad value, named


def test_members_who_left_are_not_listed(world):
    leaver = Membership.objects.filter(cell=world.village_cell).first()
    Membership.objects.filter(pk=leaver.pk).update(left_cell_on=datetime.date(2025, 1, 1))
    response = api_as(world.secretary).get(MEMBERS)
    assert leaver.person_id not in {row["person"]["id"] for row in response.json()["results"]}
    assert response.json()["count"] == 2


# --- my roles ----------------------------------------------------------------------------------------------------


def test_my_roles_lists_the_roles_held_today_only(world):
    past = give_role(world.secretary, world.cell, RoleKind.CELL_COMMITTEE_MEMBER, starts_on=datetime.date(2023, 1, 1))
    role_end(role=past, on=datetime.date(2023, 6, 1))
    give_role(world.secretary, world.agency_cell, RoleKind.CELL_COMMITTEE_MEMBER, starts_on=datetime.date(2099, 1, 1))
    response = api_as(world.secretary).get(MY_ROLES)
    assert response.status_code == 200
    assert [(r["kind"], r["org"]["id"], r["ends_on"]) for r in response.json()["results"]] == [
        (RoleKind.CELL_SECRETARY, world.village_cell.pk, None)
    ]


def test_my_roles_is_empty_for_a_login_without_a_role(world):
    response = api_as(world.candidate_user).get(MY_ROLES)
    assert response.status_code == 200
    assert response.json()["results"] == []


# --- roles bounded in time ---------------------------------------------------------------------------------------


def test_a_role_that_has_ended_no_longer_opens_the_cell_through_the_api(world):
    with time_machine.travel(hanoi(DAY), tick=False):
        role_end(role=world.secretary.roles.get(), on=DAY - ONE_DAY)
        api = api_as(world.secretary)
        assert result_ids(api.get(ORGS)) == set()
        assert api.get(f"{ORGS}{world.village_cell.pk}/").status_code == 404
        assert api.get(MEMBERS).json()["count"] == 0
        assert result_ids(api.get(PEOPLE)) == set()
        assert api.get(MY_ROLES).json()["results"] == []


def test_a_role_starting_tomorrow_opens_nothing_until_its_first_day(world):
    deputy = UserFactory(username="deputy")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY, starts_on=DAY + ONE_DAY)
    key = token_issue(user=deputy, name="tests").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with time_machine.travel(hanoi(DAY), tick=False):
        assert result_ids(api.get(ORGS)) == set()
        assert api.get(f"{ORGS}{world.village_cell.pk}/").status_code == 404
        assert api.get(MY_ROLES).json()["results"] == []
    with time_machine.travel(hanoi(DAY + ONE_DAY), tick=False):
        assert result_ids(api.get(ORGS)) == {world.village_cell.pk}
        assert api.get(f"{ORGS}{world.village_cell.pk}/").status_code == 200
        assert [r["org"]["id"] for r in api.get(MY_ROLES).json()["results"]] == [world.village_cell.pk]


# --- schema and docs ---------------------------------------------------------------------------------------------


def test_the_schema_lists_every_endpoint_with_its_method(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    expected = {
        "/api/v1/auth/token/": "post",
        "/api/v1/orgs/": "get",
        "/api/v1/orgs/{org_id}/": "get",
        "/api/v1/people/": "get",
        "/api/v1/people/{person_id}/": "get",
        "/api/v1/members/": "get",
        "/api/v1/me/roles/": "get",
    }
    for path, method in expected.items():
        assert method in paths.get(path, {}), path
    assert "post" not in paths["/api/v1/orgs/"]
    chain = schema["components"]["schemas"]["OrgDetail"]["properties"]["approval_chain"]
    assert chain


def test_the_docs_render_from_local_assets_without_any_cdn(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "/static/drf_spectacular_sidecar/" in html
    for external in ("cdn.", "unpkg", "jsdelivr"):
        assert external not in html
