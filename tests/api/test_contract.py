"""The API's one contract (docs/api-changelog.md), on the demo province: every error is an RFC 9457 problem, every
path under /api/ answers JSON, bodies and numbers are bounded (each server error the fuzzing of issue 17 found is
here as a 400 naming the field), every list is one page, filters refuse what they cannot read, the old paths
answer 308, and the schema says all of it."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.party.models.users import User
from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.api.conftest import PERSONAS
from workflows import services as flow_services

pytestmark = pytest.mark.usefixtures("province", "db")

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}
TAGS = {
    "auth",
    "orgs/people",
    "cases",
    "sourcing",
    "dossier",
    "admission",
    "probation",
    "documents",
    "reports",
    "imports",
    "notifications",
    "portal",
}


def client(persona: str = "secretary") -> APIClient:
    api = APIClient()
    api.force_authenticate(User.objects.get(username=PERSONAS[persona]))
    return api


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS and body["status"] == status and body["detail"]
    return body


def fields(body: dict) -> set[str]:
    return {error["field"] for error in body["errors"]}


def seen(case_id: int, persona: str = "secretary") -> bool:
    return client(persona).get(f"/api/v1/candidates/{case_id}/").status_code == 200


def secretary_case(step: str) -> Candidate:
    """A case of the secretary's cell whose open task is `step` (the demo has one at every step)."""
    for case in Candidate.objects.order_by("pk"):
        if not seen(case.pk):
            continue
        tasks = client().get(f"/api/v1/candidates/{case.pk}/tasks/").json()["open_tasks"]
        if any(task["step"] == step for task in tasks):
            return case
    raise AssertionError(f"the demo has no case of the secretary's cell waiting at {step}")


# --- one error shape; JSON for every path under /api/ -------------------------------------------------------------


def test_an_unknown_path_under_api_is_a_json_404():
    for path in ("/api/v1/nothing-here/", "/api/v2/", "/api/v1/candidates/abc/", "/api/v1/orgs/99999999999999999999/"):
        problem(client().get(path), 404)
    problem(APIClient().post("/api/v1/nothing-here/", {"a": 1}, format="json"), 404)


def test_a_path_without_its_final_slash_is_sent_on_with_its_method():
    response = client().post("/api/v1/candidates/nominate", {}, format="json")
    assert response.status_code == 308 and response["Location"] == "/api/v1/candidates/nominate/"


def test_a_wrong_method_is_a_json_405_with_allow():
    response = client().delete("/api/v1/orgs/")
    assert problem(response, 405)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_anonymous_callers_get_a_problem():
    assert problem(APIClient().get("/api/v1/candidates/"), 403)["code"] in ("not_authenticated", "permission_denied")


def test_a_rule_of_the_domain_is_a_400_with_its_sentence_and_no_field():
    case = secretary_case("list_sympathiser")
    body = problem(
        client().post(f"/api/v1/candidates/{case.pk}/steps/list_sympathiser/", {"meeting_on": "2099-01-01"}), 400
    )
    assert body["code"] == "refused" and body["errors"] == []


# --- bounded input: the server errors of issue 17 are 400s naming the field ---------------------------------------


@pytest.mark.parametrize("body", ["[1, 2]", "null", "5", '"text"'])
def test_a_body_that_is_not_an_object_is_a_400(body):
    case = secretary_case("list_sympathiser")
    for path in ("/api/v1/candidates/nominate/", f"/api/v1/candidates/{case.pk}/steps/list_sympathiser/"):
        response = client().post(path, body, content_type="application/json")
        assert problem(response, 400)["code"] == "parse_error"


def test_nested_values_in_a_step_body_are_a_400_naming_the_field():
    case = secretary_case("list_sympathiser")
    url = f"/api/v1/candidates/{case.pk}/steps/list_sympathiser/"
    response = client().post(url, {"meeting_on": {"day": None}, "note": [None, {"a": []}]}, format="json")
    assert fields(problem(response, 400)) == {"meeting_on", "note"}
    response = client().post("/api/v1/candidates/nominate/", {"full_name": [[None]]}, format="json")
    assert "full_name" in fields(problem(response, 400))


def test_json_nested_thousands_deep_is_a_400():
    deep = "[" * 5000 + "]" * 5000
    response = client().post("/api/v1/candidates/nominate/", '{"a": ' + deep + "}", content_type="application/json")
    assert problem(response, 400)["code"] == "parse_error"
    fair = json.dumps({"note": json.loads("[" * 20 + "]" * 20)})
    problem(client().post("/api/v1/candidates/nominate/", fair, content_type="application/json"), 400)


def test_a_body_over_the_limit_is_a_413(settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = client().post("/api/v1/candidates/nominate/", {"note": "x" * 2000}, format="json")
    assert problem(response, 413)["code"] == "too_large"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({"limit": 10**30}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**30}, "offset"),
    ],
)
def test_limit_and_offset_are_bounded(query, name):
    assert fields(problem(client().get("/api/v1/candidates/", query), 400)) == {name}


def test_the_largest_page_is_answered():
    body = client().get("/api/v1/candidates/", {"limit": 200, "offset": 2_147_483_647}).json()
    assert body["results"] == [] and body["count"] > 0


def test_a_case_without_a_flow_has_no_open_tasks_instead_of_a_server_error():
    case = secretary_case("list_sympathiser")
    flow_services.process_for(case).delete()
    response = client().get(f"/api/v1/candidates/{case.pk}/tasks/")
    assert response.status_code == 200 and response.json()["open_tasks"] == []


def test_a_probation_step_posted_to_a_case_without_probation_is_a_400():
    case = secretary_case("list_sympathiser")
    for step in ("recognition_step", "recognition_vote", "receive_transfer", "decide_removal"):
        body = problem(client().post(f"/api/v1/candidates/{case.pk}/steps/{step}/", {}, format="json"), 400)
        assert body["code"] == "refused"


def test_a_committee_of_forty_thousand_is_a_400_naming_the_field():
    pending = ChainStepRecord.objects.filter(status=StepStatus.PENDING).exclude(vote_body="").order_by("pk")
    step = next(s for s in pending if seen(s.candidate_id, "approver"))
    data = {"step": step.pk, "outcome": "approve", "members_total": 40_000, "present": 40_000, "votes_for": 40_000}
    response = client("approver").post(f"/api/v1/candidates/{step.candidate_id}/steps/chain_step/", data, format="json")
    assert {"members_total", "present", "votes_for"} <= fields(problem(response, 400))


def test_a_dossier_dated_before_the_applicant_was_born_is_refused():
    case = next(c for c in Candidate.objects.filter(state=CandidateState.DOSSIER).order_by("pk") if seen(c.pk))
    url = f"/api/v1/candidates/{case.pk}/dossier/application/"
    body = problem(client().post(url, {"written_on": "1800-01-01", "received_on": "1800-01-02"}, format="json"), 400)
    assert fields(body) == {"written_on", "received_on"}
    born = case.person.date_of_birth
    day = born.replace(year=born.year - 1).isoformat()
    body = problem(client().post(url, {"written_on": day, "received_on": day}, format="json"), 400)
    assert body["code"] == "refused" and born.strftime("%d/%m/%Y") in body["detail"]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "31/02/2026", 20260101])
def test_every_date_outside_the_records_years_is_a_400_naming_it(value):
    case = secretary_case("list_sympathiser")
    query = client().get(f"/api/v1/candidates/{case.pk}/eligibility/", {"date": value})
    assert fields(problem(query, 400)) == {"date"}
    body = client().post(f"/api/v1/candidates/{case.pk}/close/", {"closed_on": value}, format="json")
    assert "closed_on" in fields(problem(body, 400))
    step = client().post(f"/api/v1/candidates/{case.pk}/steps/list_sympathiser/", {"meeting_on": value}, format="json")
    assert fields(problem(step, 400)) == {"meeting_on"}


def test_a_username_longer_than_the_model_allows_is_a_400():
    response = APIClient().post("/api/v1/auth/token/", {"username": "u" * 300, "password": "x"}, format="json")
    assert "username" in fields(problem(response, 400))


# --- filters ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query", "name"),
    [
        ("/api/v1/candidates/", {"state": "bogus"}, "state"),
        ("/api/v1/candidates/", {"cell": "abc"}, "cell"),
        ("/api/v1/candidates/", {"q": "x" * 500}, "q"),
        ("/api/v1/members/", {"cell": "-3"}, "cell"),
        ("/api/v1/notifications/", {"unread": "maybe"}, "unread"),
        ("/api/v1/deadline-board/", {"state": "bogus"}, "state"),
        ("/api/v1/deadline-board/", {"overdue": "often"}, "overdue"),
        ("/api/v1/probations/", {"status": "bogus"}, "status"),
        ("/api/v1/probation-transfers/", {"status": "bogus"}, "status"),
        ("/api/v1/reports/admissions/", {"org": 1, "basis": "bogus"}, "basis"),
        ("/api/v1/reports/admissions/", {"org": 1, "start": "2026-05-01", "end": "2026-01-01"}, "end"),
    ],
)
def test_a_filter_value_it_cannot_read_is_a_400_naming_it(path, query, name):
    assert name in fields(problem(client("approver").get(path, query), 400))


def test_filters_narrow_the_list():
    api = client()
    every = api.get("/api/v1/candidates/").json()["count"]
    dossier = api.get("/api/v1/candidates/", {"state": "dossier"}).json()
    assert 0 < dossier["count"] < every and {row["state"] for row in dossier["results"]} == {"dossier"}


def test_an_org_outside_the_callers_units_is_the_same_404_as_a_missing_one():
    api = client()
    mine = {row["id"] for row in api.get("/api/v1/orgs/", {"limit": 200}).json()["results"]}
    from admission.party.models.orgs import PartyOrg

    outside = PartyOrg.objects.exclude(pk__in=mine).order_by("pk").first()
    for path, name in (("/api/v1/candidates/", "cell"), ("/api/v1/deadline-board/", "org")):
        a, b = api.get(path, {name: outside.pk}), api.get(path, {name: 10**12})
        assert problem(a, 404) == problem(b, 404)


# --- one page shape -----------------------------------------------------------------------------------------------


def test_every_list_answers_one_page():
    api = client()
    schema = api.get("/api/schema/", {"format": "json"}).json()
    # The ids a list's path may carry, filled with records the secretary sees (other paths are checked by schema).
    ids = {
        "candidate_id": secretary_case("list_sympathiser").pk,
        "org_id": api.get("/api/v1/orgs/", {"limit": 1}).json()["results"][0]["id"],
    }
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if not operation or "200" not in operation["responses"]:
            continue
        content = operation["responses"]["200"]["content"].get("application/json", {}).get("schema", {})
        ref = content.get("$ref", "")
        names = {p["name"] for p in operation.get("parameters", [])}
        if ref.startswith("#/components/schemas/Paginated"):
            assert {"limit", "offset"} <= names, path
            if path == "/api/v1/reports/admissions/" or not set(re.findall(r"{(\w+)}", path)) <= set(ids):
                continue
            body = api.get(path.format(**ids), {"limit": 1}).json()
            assert set(body) == {"count", "next", "previous", "results"}, path
        else:
            assert content.get("type") != "array", f"{path} answers a bare list"


# --- names: the old paths answer 308 for one release --------------------------------------------------------------

MOVED = {
    "candidates/{c}/mentors/{x}/end/": "candidates/{c}/helpers/{x}/end/",
    "candidates/{c}/dossier/verifications/{x}/request/": "candidates/{c}/dossier/checks/{x}/request/",
    "candidates/{c}/dossier/verifications/{x}/reply/": "candidates/{c}/dossier/checks/{x}/reply/",
    "candidates/{c}/probation/steps/{x}/complete/": "candidates/{c}/probation/chain-steps/{x}/complete/",
    "candidates/{c}/probation/steps/{x}/refuse/": "candidates/{c}/probation/chain-steps/{x}/refuse/",
    "candidates/{c}/probation/extend/": "candidates/{c}/probation/decision-extension/",
    "candidates/{c}/probation/removal/": "candidates/{c}/probation/removals/",
    "candidates/{c}/probation/transfer/": "candidates/{c}/probation/transfers/",
}


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_an_old_path_answers_308_to_the_new_one_keeping_the_query(old, new):
    response = APIClient().post("/api/v1/" + old.format(c=7, x=9) + "?a=1", {"x": 1}, format="json")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/" + new.format(c=7, x=9) + "?a=1"


def test_a_post_to_an_old_path_is_done_at_the_new_one():
    from admission.dossier.models import BackgroundCheck

    check = next(c for c in BackgroundCheck.objects.order_by("pk") if seen(c.candidate_id))
    old = f"/api/v1/candidates/{check.candidate_id}/dossier/verifications/{check.pk}/request/"
    new = client().post(old.replace("verifications", "checks"), {"method": "bogus"}, format="json")
    followed = client().post(old, {"method": "bogus"}, format="json", follow=True)
    assert followed.status_code == new.status_code == 400 and followed.json() == new.json()


def test_the_changelog_lists_every_old_path_and_every_old_path_is_tested():
    from admission import api_urls

    changelog = (Path(__file__).resolve().parents[2] / "docs" / "api-changelog.md").read_text(encoding="utf-8")
    routes = {str(p.pattern) for p in api_urls.urlpatterns if (getattr(p, "name", "") or "").endswith("-old")}
    shown = {re.sub(r"<id:(\w+)>", "{x}", route).replace("{x}", "{c}", 1) for route in routes}
    assert shown == set(MOVED)
    for old, new in MOVED.items():
        assert f"/api/v1/{old}" in changelog and f"/api/v1/{new}" in changelog, old


# --- the schema ---------------------------------------------------------------------------------------------------


def test_the_schema_tags_every_operation_by_its_area_and_documents_its_errors_as_problems():
    schema = client().get("/api/schema/", {"format": "json"}).json()
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            assert len(operation["tags"]) == 1 and operation["tags"][0] in TAGS, label
            errors = {code: r for code, r in operation["responses"].items() if code.startswith("4")}
            assert errors, label
            for response in errors.values():
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, label


SINGULAR = {"people": "person", "probation-transfers": "transfer", "imports": "kind"}


def test_path_parameters_are_named_after_their_record():
    schema = client().get("/api/schema/", {"format": "json"}).json()
    for path in schema["paths"]:
        segments = path.strip("/").split("/")
        for before, segment in itertools.pairwise(segments):
            if segment.startswith("{"):
                record = SINGULAR.get(before, before.removesuffix("s").replace("-", "_"))
                expected = record if record == "kind" else f"{record}_id"
                assert segment == "{" + expected + "}", path


def test_every_number_a_request_carries_is_bounded():
    schema = client().get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    visited: set[str] = set()

    def walk(node, where):
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                if name not in visited:
                    visited.add(name)
                    walk(components[name], f"{where} {name}")
                return
            if node.get("type") == "integer" and not node.get("readOnly"):
                assert "minimum" in node and "maximum" in node, where
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                walk(parameter["schema"], f"{method} {path} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                walk(media["schema"], f"{method} {path} body")


def test_a_document_download_may_ask_for_a_pdf():
    from admission.documents.models import GeneratedDocument

    document = next((d for d in GeneratedDocument.objects.order_by("pk") if seen(d.candidate_id)), None)
    case = document.candidate_id if document else secretary_case("list_sympathiser").pk
    doc_id = document.pk if document else 10**9
    response = client().get(f"/api/v1/candidates/{case}/documents/{doc_id}/file/", HTTP_ACCEPT="application/pdf")
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 404:
        assert response["Content-Type"] == "application/problem+json"


def test_the_schema_generates_without_a_warning():
    """Every component has its own name (no enum suffixes picked by collision, nothing silenced) and the schema is
    valid OpenAPI: `spectacular --fail-on-warn --validate` exits cleanly."""
    out = io.StringIO()
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", os.devnull, stdout=out, stderr=out)
