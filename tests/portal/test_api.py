"""API v1: the candidate's own cases, and the public lookup with the page's guarantees."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from portal import lookup
from portal.services import pin_issue
from tests.portal.conftest import BORN, PIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient(REMOTE_ADDR="203.0.113.7")


def test_a_candidate_gets_their_own_cases_with_the_timeline(
    api: APIClient, world: Any, own_case: Any, other_case: Any
) -> None:
    api.force_authenticate(world.candidate_user)
    response = api.get("/api/v1/me/cases/")
    assert response.status_code == 200
    assert [case["code"] for case in response.json()["results"]] == [own_case.code]
    case = response.json()["results"][0]
    assert case["position"]["stage"]["state"] == "nominated"
    assert case["position"]["next"]["state"] == "sympathiser"
    assert [row["status"] for row in case["stages"]][:2] == ["current", "upcoming"]
    assert case["waiting"][0]["due_on"]
    assert case["history"][0]["on"] == "2025-11-03"


@pytest.mark.parametrize("persona", ["secretary", "approver", "outsider"])
def test_officials_get_an_empty_list(api: APIClient, world: Any, own_case: Any, persona: str) -> None:
    api.force_authenticate(getattr(world, persona))
    assert api.get("/api/v1/me/cases/").json()["results"] == []


def test_my_cases_needs_a_login(api: APIClient) -> None:
    assert api.get("/api/v1/me/cases/").status_code in (401, 403)


@pytest.fixture
def case(world: Any, own_case: Any) -> Any:
    pin_issue(candidate=own_case, by=world.secretary, pin=PIN)
    return own_case


def test_the_lookup_answers_code_and_pin_without_a_login(api: APIClient, case: Any) -> None:
    response = api.post("/api/v1/lookup/", {"code": case.code, "pin": PIN}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == case.code
    assert body["position"]["stage"] == {"state": "nominated", "title": "Put forward as a candidate"}
    assert set(body["position"]) == {"stage", "entered_on", "due_on", "next", "next_expected_on", "closed_on"}
    by_dob = api.post("/api/v1/lookup/", {"code": case.code, "date_of_birth": BORN.isoformat()}, format="json")
    assert by_dob.status_code == 200


def test_an_unknown_code_and_a_wrong_pin_give_the_same_answer(api: APIClient, case: Any) -> None:
    wrong = api.post("/api/v1/lookup/", {"code": case.code, "pin": "135791"}, format="json")
    unknown = api.post("/api/v1/lookup/", {"code": "KN-2026-999999", "pin": "135791"}, format="json")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content


def test_the_lookup_is_blocked_after_too_many_wrong_answers(api: APIClient, case: Any) -> None:
    for _ in range(lookup.LIMIT_PER_CODE):
        api.post("/api/v1/lookup/", {"code": case.code, "pin": "111111"}, format="json")
    blocked = api.post("/api/v1/lookup/", {"code": case.code, "pin": PIN}, format="json")
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= lookup.WINDOW.total_seconds() + 1


def test_the_web_page_and_the_api_share_one_counter(api: APIClient, client: Any, case: Any) -> None:
    for _ in range(lookup.LIMIT_PER_CODE):
        client.post("/tra-cuu/", {"ma": case.code, "pin": "111111"}, REMOTE_ADDR="203.0.113.7")
    assert api.post("/api/v1/lookup/", {"code": case.code, "pin": PIN}, format="json").status_code == 429


@pytest.mark.parametrize("data", [{"code": "KN-2026-000001"}, {"code": "KN-2026-000001", "pin": "12345"}, {"pin": "1"}])
def test_it_rejects_malformed_input_with_400(api: APIClient, data: dict[str, str]) -> None:
    assert api.post("/api/v1/lookup/", data, format="json").status_code == 400


def test_both_endpoints_are_in_the_openapi_schema(api: APIClient, world: Any) -> None:
    api.force_authenticate(world.secretary)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/me/cases/" in schema["paths"] and "/api/v1/lookup/" in schema["paths"]
    assert schema["paths"]["/api/v1/lookup/"]["post"].get("security", [{}]) == [{}]  # no login needed
    assert "security" in schema["paths"]["/api/v1/me/cases/"]["get"]
