"""API v1 for cases, courses and plans: scoped (outsider → 404), a refusing service → 400 {"detail"} or 403 when
the object is in scope but the caller may not act, and every endpoint in the OpenAPI schema."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import translation
from rest_framework.test import APIClient
from viewflow.workflow.status import PROCESS

from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import CandidateState, ReviewNote
from admission.sourcing.models.plans import SourcingPlan
from admission.sourcing.models.training import AwarenessCourse
from admission.sourcing.services.plans import plan_save
from admission.sourcing.services.training import course_create
from tests.factories import PersonFactory, UserFactory, give_role
from workflows import services as flow_services
from workflows.steps import STEPS

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def world_helper(world):
    return Membership.objects.filter(cell=world.village_cell).first()


@pytest.fixture
def case(world):
    """Nominated through the flow, listed by the cell, certificate of 05/03/2021 (valid until 04/03/2026)."""
    candidate = flow_services.case_nominate(
        person=PersonFactory(full_name="Lò Thị Mai", date_of_birth=D(2000, 4, 2)),
        cell=world.village_cell,
        nominated_by="youth_union",
        nominated_on=D(2026, 2, 20),
        by=world.secretary,
    )
    run(candidate, "list_sympathiser", world.secretary, {"meeting_on": D(2026, 2, 25), "note": "Họp tháng 2"})
    run(candidate, "assign_mentors", world.secretary, {"members": [world_helper(world)], "assigned_on": D(2026, 2, 26)})
    certificate = {"certificate_number": "12/CN", "certificate_issued_on": D(2021, 3, 5), "certificate_issuer": "TTCT"}
    run(candidate, "propose_training", world.secretary, {"course": None, "certificate_scan": None, **certificate})
    candidate.refresh_from_db()
    return candidate


def vi(msgid):
    """What a Vietnamese caller reads (the default language) for an English msgid."""
    with translation.override("vi"):
        return translation.gettext(msgid)


def run(case, step, user, data):
    flow_services.run_step(
        candidate=case, node_name=step, user=user, action=lambda: STEPS[step].action(case, user, data)
    )


def url(case, suffix=""):
    return f"/api/v1/candidates/{case.pk}/{suffix}"


# Cases: list and detail


def test_the_list_is_scoped_and_filtered_by_state_and_cell(api, world, case):
    as_user(api, world.secretary)
    body = api.get("/api/v1/candidates/").json()
    assert [row["code"] for row in body["results"]] == [case.code]
    assert body["results"][0]["state"] == CandidateState.TRAINED
    assert api.get("/api/v1/candidates/", {"state": "nominated"}).json()["count"] == 0
    assert api.get("/api/v1/candidates/", {"cell": world.village_cell.pk}).json()["count"] == 1
    assert api.get("/api/v1/candidates/", {"cell": world.other_cell.pk}).status_code == 404


def test_the_outsider_lists_nothing_and_gets_404_for_the_case(api, world, case):
    as_user(api, world.outsider)
    assert api.get("/api/v1/candidates/").json()["count"] == 0
    for suffix in ("", "eligibility/"):
        assert api.get(url(case, suffix)).status_code == 404
    assert api.post(url(case, "review-notes/"), {"text": "x"}).status_code == 404
    assert api.post(url(case, "close/"), {"outcome": "withdrawn", "reason": "x"}).status_code == 404


def test_anonymous_callers_are_refused(api, case):
    for path in ("/api/v1/candidates/", url(case), url(case, "eligibility/"), "/api/v1/courses/", "/api/v1/plans/"):
        assert api.get(path).status_code in (401, 403)
    assert api.post(url(case, "review-notes/"), {"text": "x"}).status_code in (401, 403)


def test_the_detail_carries_the_rule_set_and_the_timeline(api, world, case):
    body = as_user(api, world.approver).get(url(case)).json()
    assert (body["code"], body["person"]["full_name"]) == (case.code, "Lò Thị Mai")
    assert body["rule_set"] == {"code": "294-QĐ/TW", "name": case.rule_set.name, "effective_from": "2025-07-01"}
    assert [(e["source_state"], e["state"]) for e in body["timeline"]] == [
        ("nominated", "sympathiser"),
        ("sympathiser", "trained"),
    ]
    assert body["timeline"][0]["description"] == "Họp tháng 2"
    assert body["timeline"][0]["by"] == "Hoàng Văn Bí Thư"
    assert body["certificates"][0]["number"] == "12/CN"


# Eligibility


def test_eligibility_defaults_to_today(api, world, case):
    body = as_user(api, world.secretary).get(url(case, "eligibility/")).json()
    assert (body["meeting_on"], body["eligible"], body["rule_set_code"]) == ("2026-03-02", True, "294-QĐ/TW")
    assert {r["code"] for r in body["results"]} == {"age_min", "age_max", "education", "certificate"}
    assert all(r["title"] and r["source"] and r["reason"] for r in body["results"])


@pytest.mark.parametrize("value", ["2026-03-05", "05/03/2026"])
def test_eligibility_on_a_planned_date_in_either_format(api, world, case, value):
    body = as_user(api, world.secretary).get(url(case, "eligibility/"), {"date": value}).json()
    assert body["meeting_on"] == "2026-03-05" and not body["eligible"]
    [failure] = [r for r in body["results"] if not r["passed"]]
    assert failure["code"] == "certificate" and "05/03/2026" in failure["reason"]


@pytest.mark.parametrize("value", ["31/02/2026", "tomorrow", "2026-13-01"])
def test_a_bad_date_is_a_400_with_a_message_in_the_users_language(api, world, case, value):
    response = as_user(api, world.secretary).get(url(case, "eligibility/"), {"date": value}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    with translation.override("vi"):
        expected = translation.gettext("“%(value)s” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd.") % {
            "value": value
        }
    assert response.json()["errors"] == [{"field": "date", "message": expected, "code": "invalid"}]


# Review notes


def test_the_secretary_adds_a_review_note(api, world, case):
    response = as_user(api, world.secretary).post(
        url(case, "review-notes/"), {"reviewed_on": "01/03/2026", "text": "Tốt"}
    )
    assert response.status_code == 201
    assert response.json()["reviewed_on"] == "2026-03-01"
    note = ReviewNote.objects.get()
    assert (note.text, note.author) == ("Tốt", world.secretary)


def test_a_review_note_without_a_date_is_dated_today(api, world, case):
    as_user(api, world.secretary).post(url(case, "review-notes/"), {"text": "Tốt"})
    assert ReviewNote.objects.get().reviewed_on == D(2026, 3, 2)


def test_the_approver_sees_the_case_but_may_not_add_a_cell_review_note(api, world, case):
    as_user(api, world.approver)
    assert api.get(url(case)).status_code == 200
    response = api.post(url(case, "review-notes/"), {"text": "Ý kiến của xã"})
    assert response.status_code == 403
    assert world.village_cell.name in response.json()["detail"]
    assert not ReviewNote.objects.exists()


def test_a_service_refusal_is_a_400_with_its_message(api, world, case):
    response = as_user(api, world.secretary).post(
        url(case, "review-notes/"), {"reviewed_on": "2026-03-03", "text": "x"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == vi("The review date cannot be in the future.")


def test_the_review_note_endpoint_refuses_get(api, world, case):
    assert as_user(api, world.secretary).get(url(case, "review-notes/")).status_code == 405


# Closing


def test_closing_through_the_api_cancels_the_waiting_tasks(api, world, case):
    response = as_user(api, world.secretary).post(
        url(case, "close/"), {"outcome": "not_admitted", "reason": "Không đủ tiêu chuẩn", "closed_on": "2026-03-01"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["closed_on"], body["closing_reason"]) == (
        "not_admitted",
        "2026-03-01",
        "Không đủ tiêu chuẩn",
    )
    assert body["timeline"][-1]["state"] == "not_admitted"
    assert flow_services.open_tasks(case) == []
    assert flow_services.process_for(case).status == PROCESS.CANCELED


def test_closing_needs_a_reason_and_a_known_outcome(api, world, case):
    as_user(api, world.secretary)
    assert api.post(url(case, "close/"), {"outcome": "withdrawn", "reason": ""}).status_code == 400
    assert api.post(url(case, "close/"), {"outcome": "gone", "reason": "x"}).status_code == 400
    case.refresh_from_db()
    assert case.is_open


def test_the_approver_may_not_close_a_cells_case(api, world, case):
    response = as_user(api, world.approver).post(url(case, "close/"), {"outcome": "withdrawn", "reason": "x"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.is_open


# Courses


COURSE = {
    "name": "Lớp nhận thức 2/2026",
    "issuer_name": "Đảng ủy xã Hoành Mô",
    "starts_on": "2026-04-06",
    "ends_on": "10/04/2026",
    "capacity": 30,
}


def test_the_commune_creates_and_reads_a_course(api, world):
    as_user(api, world.approver)
    response = api.post("/api/v1/courses/", {**COURSE, "organiser": world.commune.pk}, format="json")
    assert response.status_code == 201
    course = AwarenessCourse.objects.get()
    assert (course.organiser, course.ends_on) == (world.commune, D(2026, 4, 10))
    body = api.get(f"/api/v1/courses/{course.pk}/").json()
    assert (body["places_taken"], body["places_left"], body["enrollments"]) == (0, 30, [])
    as_user(api, world.secretary)
    assert [c["id"] for c in api.get("/api/v1/courses/").json()["results"]] == [course.pk]


def test_creating_a_course_for_a_cell_in_scope_but_not_acted_for_is_403(api, world):
    response = as_user(api, world.approver).post(
        "/api/v1/courses/", {**COURSE, "organiser": world.village_cell.pk}, format="json"
    )
    assert response.status_code == 403
    assert not AwarenessCourse.objects.exists()


def test_creating_a_course_for_an_org_out_of_scope_is_404(api, world):
    response = as_user(api, world.secretary).post(
        "/api/v1/courses/", {**COURSE, "organiser": world.commune.pk}, format="json"
    )
    assert response.status_code == 404


def test_a_course_that_ends_before_it_starts_is_a_400(api, world):
    response = as_user(api, world.approver).post(
        "/api/v1/courses/", {**COURSE, "organiser": world.commune.pk, "ends_on": "2026-04-01"}, format="json"
    )
    assert response.status_code == 400 and response.json()["detail"] == vi("The course cannot end before it starts.")


def test_another_communes_course_is_404(api, world):
    officer = UserFactory(username="other")
    give_role(officer, world.other_commune, RoleKind.TRAINING_OFFICER)
    course = course_create(
        name="x",
        organiser=world.other_commune,
        issuer_name="x",
        starts_on=D(2026, 4, 1),
        ends_on=D(2026, 4, 2),
        capacity=3,
        by=officer,
    )
    assert as_user(api, world.secretary).get(f"/api/v1/courses/{course.pk}/").status_code == 404


# Plans


def test_the_commune_posts_a_plan_then_replaces_it(api, world, case):
    as_user(api, world.approver)
    data = {"org": world.commune.pk, "year": 2026, "title": "Đề án", "targets": {"total": 4, "women": 2}}
    response = api.post("/api/v1/plans/", data, format="json")
    assert response.status_code == 201
    assert response.json()["targets"] == {"total": 4, "women": 2}
    response = api.post("/api/v1/plans/", {**data, "targets": {"total": 5}}, format="json")
    assert response.status_code == 200 and response.json()["targets"] == {"total": 5}
    plan = SourcingPlan.objects.get()
    body = api.get(f"/api/v1/plans/{plan.pk}/").json()
    total = next(row for row in body["progress"] if row["category"] == "total")
    assert (total["target"], total["nominated"], total["sympathiser"], total["trained"], total["percent"]) == (
        5,
        1,
        1,
        0,
        0,
    )


def test_plans_are_scoped_and_guarded(api, world):
    plan = plan_save(org=world.commune, year=2026, title="", targets={"total": 1}, by=world.approver)
    as_user(api, world.outsider)
    assert api.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert api.get("/api/v1/plans/").json()["count"] == 0
    as_user(api, world.secretary)
    assert api.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert (
        api.post("/api/v1/plans/", {"org": world.commune.pk, "year": 2026, "targets": {}}, format="json").status_code
        == 404
    )
    admin = UserFactory(username="it")
    give_role(admin, world.commune, RoleKind.ADMINISTRATOR)
    as_user(api, admin)
    assert api.get(f"/api/v1/plans/{plan.pk}/").status_code == 200
    response = api.post("/api/v1/plans/", {"org": world.commune.pk, "year": 2026, "targets": {}}, format="json")
    assert response.status_code == 403


def test_a_plan_with_an_unknown_category_is_a_400(api, world):
    response = as_user(api, world.approver).post(
        "/api/v1/plans/", {"org": world.commune.pk, "year": 2026, "targets": {"aliens": 3}}, format="json"
    )
    assert response.status_code == 400 and "aliens" in response.json()["detail"]


# OpenAPI


def test_every_endpoint_is_in_the_openapi_schema(api, world):
    schema = as_user(api, world.secretary).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/candidates/",
        "/api/v1/candidates/{candidate_id}/",
        "/api/v1/candidates/{candidate_id}/eligibility/",
        "/api/v1/candidates/{candidate_id}/review-notes/",
        "/api/v1/candidates/{candidate_id}/close/",
        "/api/v1/courses/",
        "/api/v1/courses/{course_id}/",
        "/api/v1/plans/",
        "/api/v1/plans/{plan_id}/",
    ):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/v1/courses/"] and "post" in schema["paths"]["/api/v1/plans/"]
    components = schema["components"]["schemas"]
    for name in ("CandidateListItem", "CandidateDetail", "EligibilityReport", "CourseDetail", "SourcingPlanDetail"):
        assert name in components, name
    params = {p["name"] for p in schema["paths"]["/api/v1/candidates/{candidate_id}/eligibility/"]["get"]["parameters"]}
    assert "date" in params
