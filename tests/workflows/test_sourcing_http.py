"""The sourcing flow over HTTP: one walk through the task screens, and the API for every step and role boundary."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.services.training import course_create
from tests.factories import UserFactory, give_role
from workflows import services

NOW = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Hà Nội
LATER = datetime.datetime(2026, 3, 16, 2, 0, tzinfo=datetime.UTC)

NOMINATION = {
    "full_name": "lò thị  mai",
    "citizen_id": "022300990123",
    "date_of_birth": "2000-05-04",
    "sex": "female",
    "ethnicity": "02",
    "religion": "none",
    "education": "upper_secondary",
    "occupation": "agriculture",
    "employer_sector": "village",
    "nominated_by": "youth_union",
    "nominating_body": "Đoàn xã Hoành Mô",
    "nominated_on": "20/02/2026",
}


@pytest.fixture
def course(world):
    trainer = UserFactory(username="trainer")
    give_role(trainer, world.commune, RoleKind.TRAINING_OFFICER)
    with time_machine.travel(NOW, tick=False):
        return trainer, course_create(
            name="Lớp nhận thức 1/2026",
            organiser=world.commune,
            issuer_name="Đảng ủy xã Hoành Mô",
            starts_on=datetime.date(2026, 3, 9),
            ends_on=datetime.date(2026, 3, 13),
            capacity=30,
            by=trainer,
        )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def nominate(world):
    response = api(world.secretary).post(
        "/api/v1/candidates/nominate/", {**NOMINATION, "cell": world.village_cell.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    return Candidate.objects.get(pk=response.json()["id"])


@time_machine.travel(NOW, tick=False)
def test_the_api_walks_a_case_to_the_dossier_with_each_step_by_its_own_body(world, course):
    trainer, course_ = course
    case = nominate(world)
    assert case.person.full_name == "Lò Thị Mai"
    secretary = api(world.secretary)
    url = f"/api/v1/candidates/{case.pk}/steps"
    assert secretary.post(f"{url}/list_sympathiser/", {"meeting_on": "2026-02-27"}, format="json").status_code == 200
    members = list(Membership.objects.filter(cell=world.village_cell).values_list("pk", flat=True)[:2])
    response = secretary.post(
        f"{url}/assign_mentors/", {"members": members, "assigned_on": "02/03/2026"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert secretary.post(f"{url}/propose_training/", {"course": course_.pk}, format="json").status_code == 200
    response = api(world.approver).post(
        f"{url}/approve_attendance/", {"approve": "1", "decided_on": "2026-03-02"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == CandidateState.IN_TRAINING
    assert response.json()["open_tasks"][0]["step"] == "record_result"
    with time_machine.travel(LATER, tick=False):
        response = api(trainer).post(
            f"{url}/record_result/",
            {"passed": "1", "result_on": "13/03/2026", "certificate_number": "15/CN-ĐU"},
            format="json",
        )
        assert response.status_code == 200, response.content
        response = secretary.post(f"{url}/open_dossier/", {"confirm": True}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["code"], body["state"]) == (case.pk, case.code, "dossier")
    # The admission's own flow takes over: the cell's next task is to complete the dossier.
    assert [(t["step"], t["acting_org"]) for t in body["open_tasks"]] == [
        ("prepare_dossier", str(world.village_cell.pk))
    ]


@time_machine.travel(NOW, tick=False)
def test_a_step_of_another_body_is_refused_with_403_and_changes_nothing(world, course):
    case = nominate(world)
    response = api(world.approver).post(
        f"/api/v1/candidates/{case.pk}/steps/list_sympathiser/", {"meeting_on": "2026-02-27"}, format="json"
    )
    assert response.status_code == 403
    assert services.open_task(case, "list_sympathiser") is not None


@time_machine.travel(NOW, tick=False)
def test_an_outsider_gets_404_for_the_case_its_tasks_and_its_steps(world, course):
    case = nominate(world)
    outsider = api(world.outsider)
    assert outsider.get(f"/api/v1/candidates/{case.pk}/tasks/").status_code == 404
    assert outsider.post(f"/api/v1/candidates/{case.pk}/steps/list_sympathiser/", {}, format="json").status_code == 404
    assert outsider.get("/api/v1/candidates/999999/tasks/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_bad_input_gets_field_errors_and_a_step_out_of_turn_a_plain_message(world, course):
    case = nominate(world)
    secretary = api(world.secretary)
    response = secretary.post(
        f"/api/v1/candidates/{case.pk}/steps/list_sympathiser/", {"meeting_on": "31/02/2026"}, format="json"
    )
    assert response.status_code == 400
    assert "meeting_on" in response.json()["fields"]
    response = secretary.post(f"/api/v1/candidates/{case.pk}/steps/open_dossier/", {"confirm": True}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert secretary.post(f"/api/v1/candidates/{case.pk}/steps/no_such_step/", {}, format="json").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_meeting_in_the_future_is_refused_in_vietnamese_by_default(world, course):
    case = nominate(world)
    response = api(world.secretary).post(
        f"/api/v1/candidates/{case.pk}/steps/list_sympathiser/",
        {"meeting_on": "2026-03-05"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 400
    assert response.json()["detail"]


@time_machine.travel(NOW, tick=False)
def test_nomination_refuses_a_citizen_id_that_contradicts_the_birth_year(world):
    response = api(world.secretary).post(
        "/api/v1/candidates/nominate/",
        {**NOMINATION, "citizen_id": "022301990123", "cell": world.village_cell.pk},
        format="json",
    )
    assert response.status_code == 400
    assert not Candidate.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_nomination_only_to_a_cell_where_the_user_holds_a_role(world):
    response = api(world.approver).post(
        "/api/v1/candidates/nominate/", {**NOMINATION, "cell": world.village_cell.pk}, format="json"
    )
    assert response.status_code == 400
    assert "cell" in response.json()["fields"]


@time_machine.travel(NOW, tick=False)
def test_a_secretary_takes_and_completes_a_step_through_the_task_screens(world, client):
    case = nominate(world)
    task = services.open_task(case, "list_sympathiser")
    client.force_login(world.secretary)
    base = f"/app/sourcing/{task.process_id}/list_sympathiser/{task.pk}"
    assert client.get(f"{base}/assign/").status_code == 200
    assert client.post(f"{base}/assign/").status_code == 302
    page = client.get(f"{base}/execute/")
    assert page.status_code == 200
    response = client.post(f"{base}/execute/", {"meeting_on": "27/02/2026", "note": "Họp chi bộ"})
    assert response.status_code == 302
    assert response["Location"] == f"/app/admission/candidates/{case.pk}/"
    case.refresh_from_db()
    assert case.state == CandidateState.SYMPATHISER
    assert services.open_task(case, "assign_mentors") is not None


@time_machine.travel(NOW, tick=False)
def test_a_rule_refusal_on_the_task_screen_is_shown_and_nothing_moves(world, client):
    case = nominate(world)
    task = services.open_task(case, "list_sympathiser")
    client.force_login(world.secretary)
    base = f"/app/sourcing/{task.process_id}/list_sympathiser/{task.pk}"
    client.post(f"{base}/assign/")
    response = client.post(f"{base}/execute/", {"meeting_on": "10/02/2026"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422  # Turbo re-renders only a failed form answered with 422
    assert "cannot be before the nomination" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CandidateState.NOMINATED


@time_machine.travel(NOW, tick=False)
def test_task_screens_of_another_units_case_are_404(world, client):
    case = nominate(world)
    task = services.open_task(case, "list_sympathiser")
    client.force_login(world.outsider)
    base = f"/app/sourcing/{task.process_id}/list_sympathiser/{task.pk}"
    assert client.get(f"{base}/assign/").status_code == 404
    assert client.get(f"{base}/detail/").status_code == 404
    assert client.get(f"/app/sourcing/{task.process_id}/").status_code == 404
    link = f"/app/sourcing/{task.process_id}/"
    assert link not in client.get("/app/sourcing/flows/").content.decode()
    assert link not in client.get("/app/sourcing/tasks/").content.decode()
    client.force_login(world.secretary)
    assert link in client.get("/app/sourcing/flows/").content.decode()
    assert link in client.get("/app/sourcing/tasks/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_anonymous_visitors_are_sent_to_the_login_page(world, client):
    for url in ("/", "/app/admission/home/", "/app/sourcing/inbox/", "/app/admission/orgs/"):
        response = client.get(url, follow=False)
        if response.status_code == 302 and response["Location"].startswith("/app/admission/home"):
            response = client.get(response["Location"])
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


@time_machine.travel(NOW, tick=False)
def test_the_case_page_shows_the_waiting_step_with_a_button_only_for_the_body_that_acts(world, client):
    case = nominate(world)
    client.force_login(world.secretary)
    page = client.get(f"/app/admission/candidates/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="next-steps"' in page
    assert "Due by 16/03/2026" in page
    assert 'data-testid="do-step"' in page
    client.force_login(world.approver)
    page = client.get(f"/app/admission/candidates/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="next-steps"' in page
    assert 'data-testid="do-step"' not in page


@time_machine.travel(NOW, tick=False)
def test_the_queue_names_the_candidate_and_the_due_date_and_only_for_the_acting_body(world, client):
    case = nominate(world)
    client.force_login(world.secretary)
    page = client.get("/app/sourcing/queue/").content.decode()
    assert case.person.full_name in page and case.code in page
    assert "16/03/2026" in page
    client.force_login(world.outsider)
    assert case.person.full_name not in client.get("/app/sourcing/queue/").content.decode()
    client.force_login(world.approver)
    assert case.person.full_name not in client.get("/app/sourcing/queue/").content.decode()


def test_an_overdue_task_is_marked_in_the_queue(world, client):
    with time_machine.travel(NOW, tick=False):
        case = nominate(world)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 2, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(world.secretary)
        page = client.get("/app/sourcing/queue/").content.decode()
    assert case.person.full_name in page
    assert "16/03/2026 ⚠" in page


@time_machine.travel(NOW, tick=False)
def test_a_closed_case_reopens_as_a_second_attempt_with_its_own_flow(world, course):
    case = nominate(world)
    secretary = api(world.secretary)
    closed = secretary.post(
        f"/api/v1/candidates/{case.pk}/close/", {"outcome": "withdrawn", "reason": "Đi học xa"}, format="json"
    )
    assert closed.status_code == 200, closed.content
    assert (
        api(world.outsider).post(f"/api/v1/candidates/{case.pk}/reopen/", {"nominated_by": "cell"}).status_code == 404
    )
    response = secretary.post(f"/api/v1/candidates/{case.pk}/reopen/", {"nominated_by": "cell"}, format="json")
    assert response.status_code == 201, response.content
    again = Candidate.objects.get(pk=response.json()["id"])
    assert (again.person_id, again.attempt, again.state) == (case.person_id, 2, CandidateState.NOMINATED)
    assert response.json()["open_tasks"][0]["step"] == "list_sympathiser"
    twice = secretary.post(f"/api/v1/candidates/{case.pk}/reopen/", {"nominated_by": "cell"}, format="json")
    assert twice.status_code == 400


@time_machine.travel(NOW, tick=False)
def test_a_helper_is_replaced_by_another_official_member_of_the_cell(world, course):
    case = nominate(world)
    secretary = api(world.secretary)
    url = f"/api/v1/candidates/{case.pk}/steps"
    secretary.post(f"{url}/list_sympathiser/", {"meeting_on": "2026-02-27"}, format="json")
    first, second = Membership.objects.filter(cell=world.village_cell)[:2]
    secretary.post(f"{url}/assign_mentors/", {"members": [first.pk], "assigned_on": "2026-03-01"}, format="json")
    mentor = case.mentors.get()
    response = secretary.post(
        f"/api/v1/candidates/{case.pk}/mentors/{mentor.pk}/end/",
        {"reason": "Chuyển công tác", "replacement": second.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(case.mentors.filter(ended_on__isnull=True).values_list("member_id", flat=True)) == [second.pk]
    other = Membership.objects.filter(cell=world.other_cell).first()
    refused = secretary.post(
        f"/api/v1/candidates/{case.pk}/mentors/{case.mentors.get(member=second).pk}/end/",
        {"reason": "x", "replacement": other.pk},
        format="json",
    )
    assert refused.status_code == 404
