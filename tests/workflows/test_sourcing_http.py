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
    assert [(t["step"], t["acting_org"]) for t in body["open_tasks"]] == [("prepare_dossier", world.village_cell.pk)]


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
    assert "meeting_on" in {error["field"] for error in response.json()["errors"]}
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
    assert "cell" in {error["field"] for error in response.json()["errors"]}


@time_machine.travel(NOW, tick=False)
def test_a_secretary_opens_and_completes_a_step_on_its_page_without_claiming_it(world, client):
    case = nominate(world)
    client.force_login(world.secretary)
    url = f"/app/admission/candidates/{case.pk}/step/list_sympathiser/"
    page = client.get(url)
    assert page.status_code == 200
    task = services.open_task(case, "list_sympathiser")
    assert task.owner_id is None  # opening the page takes nothing
    response = client.post(url, {"meeting_on": "27/02/2026", "note": "Họp chi bộ"})
    assert response.status_code == 302
    assert response["Location"] == f"/app/admission/candidates/{case.pk}/"
    case.refresh_from_db()
    assert case.state == CandidateState.SYMPATHISER
    assert services.open_task(case, "assign_mentors") is not None
    assert client.get(url).status_code == 302  # done: the page sends back to the case, saying so


@time_machine.travel(NOW, tick=False)
def test_a_colleague_who_walked_away_does_not_block_the_step(world, client):
    """The deputy completes a step the secretary had taken in the engine's own pages and left."""
    case = nominate(world)
    deputy = UserFactory(username="deputy")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY)
    task = services.open_task(case, "list_sympathiser")
    task.flow_task.activation_class(task).assign(world.secretary)
    client.force_login(deputy)
    response = client.post(f"/app/admission/candidates/{case.pk}/step/list_sympathiser/", {"meeting_on": "27/02/2026"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CandidateState.SYMPATHISER
    task.refresh_from_db()
    assert task.owner == deputy


@time_machine.travel(NOW, tick=False)
def test_i_am_working_on_this_is_shown_to_colleagues_and_can_be_taken_over(world, client):
    case = nominate(world)
    deputy = UserFactory(username="deputy", first_name="Lò Thị", last_name="Phó")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY)
    url = f"/app/admission/candidates/{case.pk}/step/list_sympathiser/"
    client.force_login(deputy)
    assert client.post(f"{url}mark/").status_code == 302
    client.force_login(world.secretary)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is working on this" in page and "I am taking this over" in page
    work = client.get("/app/admission/home/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is working on this" in work
    client.post(f"{url}mark/")
    assert "You are working on this" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with time_machine.travel(NOW + datetime.timedelta(minutes=31), tick=False):
        client.force_login(deputy)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "is working on this" not in page  # the mark ends by itself
        # and nothing was locked: the deputy completes the step
        assert client.post(url, {"meeting_on": "27/02/2026"}).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_a_rule_refusal_on_the_step_page_is_shown_and_nothing_moves(world, client):
    case = nominate(world)
    client.force_login(world.secretary)
    response = client.post(
        f"/app/admission/candidates/{case.pk}/step/list_sympathiser/",
        {"meeting_on": "10/02/2026"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422  # Turbo re-renders only a failed form answered with 422
    assert "cannot be before the nomination" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CandidateState.NOMINATED


@time_machine.travel(NOW, tick=False)
def test_step_pages_of_another_units_case_are_404_and_of_another_body_403(world, client):
    case = nominate(world)
    url = f"/app/admission/candidates/{case.pk}/step/list_sympathiser/"
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"meeting_on": "27/02/2026"}).status_code == 404
    assert client.post(f"{url}mark/").status_code == 404
    client.force_login(world.approver)  # the commune sees the case but the step is the cell's
    assert client.get(url).status_code == 403
    assert client.post(url, {"meeting_on": "27/02/2026"}).status_code == 403
    case.refresh_from_db()
    assert case.state == CandidateState.NOMINATED
    client.force_login(world.secretary)
    assert client.get(f"/app/admission/candidates/{case.pk}/step/no_such_step/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_engines_own_pages_are_for_administrators_only(world, client):
    case = nominate(world)
    task = services.open_task(case, "list_sympathiser")
    base = f"/app/sourcing/{task.process_id}/list_sympathiser/{task.pk}"
    for user in (world.secretary, world.approver, world.outsider, world.candidate_user):
        client.force_login(user)
        for url in (
            f"{base}/assign/",
            f"{base}/detail/",
            f"/app/sourcing/{task.process_id}/",
            "/app/sourcing/flows/",
            "/app/sourcing/queue/",
            f"/app/sourcing/{task.process_id}/chart/",
        ):
            response = client.get(url)
            assert response.status_code in (403, 404), (user, url)
            assert case.code not in response.content.decode()
        assert "/app/sourcing/" not in client.get("/app/admission/home/").content.decode()  # not in the menu
    admin = UserFactory(username="admin")
    give_role(admin, world.province, RoleKind.ADMINISTRATOR)
    client.force_login(admin)
    assert f"/app/sourcing/{task.process_id}/" in client.get("/app/sourcing/flows/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_anonymous_visitors_are_sent_to_the_login_page(world, client):
    for url in ("/", "/app/admission/home/", "/app/admission/orgs/"):
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
def test_the_work_page_names_the_candidate_and_the_due_date_and_only_for_the_acting_body(world, client):
    case = nominate(world)
    client.force_login(world.secretary)
    page = client.get("/app/admission/home/").content.decode()
    assert case.person.full_name in page and case.code in page
    assert "16/03/2026" in page
    client.force_login(world.outsider)
    assert case.person.full_name not in client.get("/app/admission/home/").content.decode()
    client.force_login(world.approver)
    assert 'data-testid="work-row"' not in client.get("/app/admission/home/").content.decode()


def test_an_overdue_step_is_marked_on_the_work_page_and_the_case_page(world, client):
    with time_machine.travel(NOW, tick=False):
        case = nominate(world)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 2, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(world.secretary)
        page = client.get("/app/admission/home/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        case_page = client.get(f"/app/admission/candidates/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert case.person.full_name in page
    assert "16/03/2026" in page and "4 working days overdue" in page  # 17, 18, 19, 20 March
    assert "4 working days overdue" in case_page


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
        f"/api/v1/candidates/{case.pk}/helpers/{mentor.pk}/end/",
        {"reason": "Chuyển công tác", "replacement": second.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(case.mentors.filter(ended_on__isnull=True).values_list("member_id", flat=True)) == [second.pk]
    other = Membership.objects.filter(cell=world.other_cell).first()
    refused = secretary.post(
        f"/api/v1/candidates/{case.pk}/helpers/{case.mentors.get(member=second).pk}/end/",
        {"reason": "x", "replacement": other.pk},
        format="json",
    )
    assert refused.status_code == 404
