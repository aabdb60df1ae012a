"""The API review's fixes, on the demo province: JSON read one way (a list in a multipart field too), every input
refusing a wrong JSON type, the lists that answered bare arrays now pages, the introducers offered today only, the
guest lookup needing the member's citizen ID, whole numbers read one way, and the auth endpoints tagged by area."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from admission.core.bounds import whole_number_text
from admission.dossier.forms import introducer_choices
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.party.models.users import User
from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.api.conftest import PERSONAS
from tests.api.test_contract import client, fields, problem, secretary_case, seen

pytestmark = pytest.mark.usefixtures("province", "db")


def dossier_case() -> Candidate:
    return next(c for c in Candidate.objects.filter(state=CandidateState.DOSSIER).order_by("pk") if seen(c.pk))


# --- 1. one way to read JSON --------------------------------------------------------------------------------------


def test_load_json_refuses_deep_nesting_and_constants():
    from admission.core.api.parsers import JSONTooDeep, load_json  # after DRF's settings (they name the parsers)

    with pytest.raises(JSONTooDeep):
        load_json("[" * 3000 + "]" * 3000)
    with pytest.raises(JSONTooDeep):
        load_json("[" * 40 + "]" * 40)  # within Python's recursion, beyond API_MAX_JSON_DEPTH
    with pytest.raises(ValueError):
        load_json("[NaN]")
    assert load_json('[{"a": 1}]') == [{"a": 1}]


@pytest.mark.parametrize("rows", ["[" * 3000, "[" * 3000 + "]" * 3000, "[NaN]", "[Infinity]"])
def test_rows_in_a_multipart_field_nested_too_deep_or_not_numbers_are_a_400_naming_the_field(rows):
    case = dossier_case()
    url = f"/api/v1/candidates/{case.pk}/dossier/curriculum/"
    response = client().post(url, {"relatives": rows}, format="multipart")
    assert "relatives" in fields(problem(response, 400))


# --- 2. a wrong JSON type is refused, naming the field ------------------------------------------------------------


def test_the_token_input_refuses_a_wrong_json_type_and_days_beyond_the_lifetime():
    for days in ("5.0", True, 5.0, "5"):
        response = client().post("/api/v1/auth/token/", {"username": "x", "password": "y", "days": days}, format="json")
        assert "days" in fields(problem(response, 400)), days
    response = client().post("/api/v1/auth/token/", {"username": 5, "password": "y"}, format="json")
    assert "username" in fields(problem(response, 400))
    with override_settings(API_TOKEN_DAYS=10):
        response = client().post("/api/v1/auth/token/", {"username": "x", "password": "y", "days": 11}, format="json")
        assert "days" in fields(problem(response, 400))


def test_the_inputs_of_guests_redo_earlier_memberships_and_send_back_refuse_a_wrong_json_type():
    case = secretary_case("list_sympathiser")
    org = client().get("/api/v1/orgs/", {"limit": 1}).json()["results"][0]["id"]
    posts = [
        (f"/api/v1/orgs/{org}/guests/", {"membership": "5", "citizen_id": 1, "starts_on": "2026-01-01", "reason": 5}),
        (f"/api/v1/candidates/{case.pk}/dossier/replaced-papers/", {"paper": "curriculum", "reason": 5}),
        (
            f"/api/v1/candidates/{case.pk}/earlier-memberships/",
            {
                "admitted_on": "2001-01-01",
                "left_on": "2005-01-01",
                "how_left": "family_reasons",
                "was_readmission": "true",
            },
        ),
        (f"/api/v1/candidates/{case.pk}/send-back/", {"target": "dossier", "reason": 5}),
    ]
    expected = [{"membership", "citizen_id", "reason"}, {"reason"}, {"was_readmission"}, {"reason"}]
    for (path, body), names in zip(posts, expected, strict=True):
        response = client().post(path, body, format="json")
        assert names <= fields(problem(response, 400)), path


# --- 3. every list is a page --------------------------------------------------------------------------------------


def test_guests_earlier_memberships_and_replaced_papers_answer_one_page():
    case = secretary_case("list_sympathiser")
    org = client().get("/api/v1/orgs/", {"limit": 1}).json()["results"][0]["id"]
    for path in (
        f"/api/v1/orgs/{org}/guests/",
        f"/api/v1/candidates/{case.pk}/earlier-memberships/",
        f"/api/v1/candidates/{case.pk}/dossier/replaced-papers/",
    ):
        response = client().get(path, {"limit": 1})
        assert response.status_code == 200, path
        assert set(response.json()) == {"count", "next", "previous", "results"}, path
        assert "limit" in fields(problem(client().get(path, {"limit": 0}), 400)), path


# --- 4. an introducer is a member today ---------------------------------------------------------------------------


def test_a_member_who_has_left_their_cell_cannot_be_named_introducer():
    case = dossier_case()
    secretary = User.objects.get(username=PERSONAS["secretary"])
    member = introducer_choices(secretary).first()
    Membership.objects.filter(pk=member.pk).update(left_cell_on=permissions.today() - datetime.timedelta(days=1))
    body = {"introducer": member.pk, "worked_together_from": "2024-01-01", "written_on": "2026-01-02"}
    response = client().post(f"/api/v1/candidates/{case.pk}/dossier/introductions/", body, format="json")
    assert "introducer" in fields(problem(response, 400))


# --- 5. a guest is named by membership id and citizen ID ----------------------------------------------------------


def test_a_guest_with_a_citizen_id_that_is_not_the_members_is_the_same_404_and_names_nobody():
    secretary = User.objects.get(username=PERSONAS["secretary"])
    host = next(o for o in PartyOrg.objects.order_by("pk") if o.is_cell and permissions.can_act_for_org(secretary, o))
    member = Membership.objects.exclude(cell=host).select_related("person").order_by("pk").first()
    url = f"/api/v1/orgs/{host.pk}/guests/"
    base = {"starts_on": "2026-01-01", "reason": "Works in the village"}
    wrong = client().post(url, {**base, "membership": member.pk, "citizen_id": "000000000000"}, format="json")
    missing = client().post(url, {**base, "membership": 10**15, "citizen_id": "000000000000"}, format="json")
    assert problem(wrong, 404) == problem(missing, 404)
    assert member.person.full_name not in wrong.content.decode()
    without = client().post(url, {**base, "membership": member.pk}, format="json")
    assert "citizen_id" in fields(problem(without, 400))


# --- 8. whole numbers read one way --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0", "7", "9223372036854775807"])
def test_whole_number_text_reads_digits(text):
    assert whole_number_text(text)


@pytest.mark.parametrize("text", ["", "07", "5.0", " 5", "+5", "-5", "1e3", "12345678901234567890", 5, None, "٣"])
def test_whole_number_text_refuses_anything_else(text):
    assert not whole_number_text(text)


def test_signed_whole_number_text_takes_a_minus():
    assert whole_number_text("-5", signed=True) and not whole_number_text("--5", signed=True)


def test_an_id_with_a_leading_zero_matches_no_path_and_limit_reads_no_leading_zero():
    case = secretary_case("list_sympathiser")
    assert client().get(f"/api/v1/candidates/{case.pk}/").status_code == 200
    problem(client().get(f"/api/v1/candidates/0{case.pk}/"), 404)
    assert "limit" in fields(problem(client().get("/api/v1/candidates/", {"limit": "010"}), 400))
    assert "cell" in fields(problem(client().get("/api/v1/candidates/", {"cell": "01"}), 400))


# --- 9. the auth endpoints are tagged by their area ---------------------------------------------------------------


def test_the_auth_endpoints_are_tagged_auth():
    schema = client().get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/auth/token/", "/api/v1/auth/tokens/", "/api/v1/auth/tokens/{token_id}/"):
        for operation in schema["paths"][path].values():
            assert operation["tags"] == ["auth"], path
