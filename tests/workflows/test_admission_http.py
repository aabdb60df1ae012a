"""The admission flow over HTTP: the task screens of each body, the case page's consent and extension forms, and the
API for every step, the overview and the history — with the role boundaries (outsider 404, wrong body 403)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from admission.decisions.services.decisions import next_step
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.consents import ConsentKind
from tests.factories import MembershipFactory, UserFactory, give_role
from tests.workflows.test_admission_flow import MEETING, at, open_case, run, vote_data
from workflows import services

D = datetime.date


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def case(world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    return open_case(world, world.village_cell, world.secretary)


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def browser(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def step_url(case):
    """The page of the case's waiting step (no claim: everyone who acts for the body may do it)."""
    task = services.open_tasks(case)[0]
    return f"/app/admission/candidates/{case.pk}/step/{task.flow_task.name}/"


def cell_vote_payload(cell, votes_for, **extra):
    members = Membership.objects.filter(cell=cell).active_on(MEETING)
    return {
        "held_on": "02/03/2026",
        "present": [m.pk for m in members],
        "votes_for": votes_for,
        "votes_against": 0,
        **extra,
    }


# The API


def test_a_case_travels_from_the_vote_to_probation_through_the_api(world, case):
    cell, secretary, approver = world.village_cell, world.secretary, world.approver
    with at(MEETING):
        response = api(secretary).post(
            f"/api/v1/candidates/{case.pk}/steps/cell_vote/", cell_vote_payload(cell, 4), format="json"
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "proposed"
    task = body["open_tasks"][0]
    assert task["step"] == "chain_step" and task["acting_org"] == world.commune.pk
    decision = {"step": task["chain_step"], "outcome": "approve", "on": "01/04/2026", "document_number": "15-QĐ/ĐU"}
    with at(D(2026, 4, 1)):
        assert api(secretary).post(f"/api/v1/candidates/{case.pk}/steps/chain_step/", decision).status_code == 403
        response = api(approver).post(f"/api/v1/candidates/{case.pk}/steps/chain_step/", decision, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == "admitted"
        again = api(approver).post(f"/api/v1/candidates/{case.pk}/steps/chain_step/", decision, format="json")
        assert again.status_code == 400
        receipt = {"received_on": "2026-04-01"}
        assert api(secretary).post(f"/api/v1/candidates/{case.pk}/steps/receive_decision/", receipt).status_code == 200
    mentors = list(Membership.objects.filter(cell=cell).official_on(MEETING).values_list("pk", flat=True)[:2])
    ceremony = {"held_on": "2026-04-20", "decision_read_by": "Đ/c Nông Văn Bình", "mentors": mentors}
    with at(D(2026, 4, 20)):
        response = api(secretary).post(f"/api/v1/candidates/{case.pk}/steps/ceremony/", ceremony, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "probationary" and response.json()["open_tasks"] == []
    overview = api(approver).get(f"/api/v1/candidates/{case.pk}/admission/").json()
    assert [s["form"] for s in overview["chain"]] == ["6-KNĐ", "9-KNĐ"]
    assert overview["chain"][1]["document_number"] == "15-QĐ/ĐU"
    assert overview["votes"][0]["votes_for"] == 4 and overview["votes"][0]["needed"] == 4
    assert overview["ceremony"]["held_on"] == "2026-04-20"
    history = api(secretary).get(f"/api/v1/candidates/{case.pk}/history/").json()
    assert [t["to"] for t in history["transitions"]][-4:] == ["dossier", "proposed", "admitted", "probationary"]
    done = [(t["step"], t["owner"]) for t in history["tasks"] if t["status"] == "DONE"]
    assert ("chain_step", approver.get_full_name() or approver.username) in done


def test_a_vote_below_the_threshold_is_refused_by_the_api_with_the_numbers(world, case):
    with at(MEETING):
        response = api(world.secretary).post(
            f"/api/v1/candidates/{case.pk}/steps/cell_vote/", cell_vote_payload(world.village_cell, 3), format="json"
        )
    assert response.status_code == 400
    assert "3 in favour of 6, 4 needed" in response.json()["detail"]
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.DOSSIER


def test_the_roster_is_that_of_the_meeting_day_and_refuses_anyone_not_on_it(world, case):
    """A member who left the cell after the meeting is on that meeting's roster (absent, a reason is asked); a member
    of another cell is refused by the form, with nothing written."""
    cell = world.village_cell
    official = Membership.objects.filter(cell=cell).official_on(MEETING).order_by("pk").last()
    official.left_cell_on = D(2026, 3, 5)  # after the meeting of 02/03, before the day it is recorded
    official.save(update_fields=["left_cell_on"])
    payload = cell_vote_payload(cell, 4)
    payload["present"] = [pk for pk in payload["present"] if pk != official.pk]
    with at(D(2026, 3, 9)):
        response = api(world.secretary).post(f"/api/v1/candidates/{case.pk}/steps/cell_vote/", payload, format="json")
        assert response.status_code == 400, response.json()
        assert official.person.full_name in str(response.json())  # the reason for their absence is needed
        stranger = MembershipFactory(cell=world.other_cell)
        wrong = {**cell_vote_payload(cell, 4), "present": [*cell_vote_payload(cell, 4)["present"], stranger.pk]}
        response = api(world.secretary).post(f"/api/v1/candidates/{case.pk}/steps/cell_vote/", wrong, format="json")
        assert response.status_code == 400
        assert "present" in str(response.json()) and str(stranger.pk) in str(response.json())
        assert stranger.person.full_name not in str(response.json())  # another unit's member is never looked up
        # A member of the cell today who joined after the meeting: named, in the secretary's language.
        newcomer = MembershipFactory(cell=cell, joined_cell_on=D(2026, 3, 4))
        late = {**payload, "present": [*payload["present"], newcomer.pk], f"reason_{official.pk}": "Đi công tác"}
        response = api(world.secretary, "vi").post(
            f"/api/v1/candidates/{case.pk}/steps/cell_vote/", late, format="json"
        )
        assert response.status_code == 400
        assert f"{newcomer.person.full_name}: không có tên trong danh sách" in str(response.json())
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.DOSSIER
    payload[f"reason_{official.pk}"] = "Đi công tác"
    with at(D(2026, 3, 9)):
        response = api(world.secretary).post(f"/api/v1/candidates/{case.pk}/steps/cell_vote/", payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "proposed"


def test_the_vote_is_refused_in_vietnamese_for_a_vietnamese_client(world, case):
    with at(MEETING):
        response = api(world.secretary, "vi").post(
            f"/api/v1/candidates/{case.pk}/steps/cell_vote/", cell_vote_payload(world.village_cell, 3), format="json"
        )
    assert response.status_code == 400
    assert "tán thành" in response.json()["detail"]


def test_outsiders_get_404_on_every_admission_endpoint(world, case):
    client = api(world.outsider)
    for url in (
        f"/api/v1/candidates/{case.pk}/admission/",
        f"/api/v1/candidates/{case.pk}/history/",
    ):
        assert client.get(url).status_code == 404
    for url in (
        f"/api/v1/candidates/{case.pk}/steps/cell_vote/",
        f"/api/v1/candidates/{case.pk}/consents/",
        f"/api/v1/candidates/{case.pk}/decision-extension/",
    ):
        assert client.post(url, {}).status_code == 404


def test_a_consent_is_recorded_through_the_api_and_refused_in_the_future(world, case):
    data = {"kind": ConsentKind.POLITICAL, "reference": "31-CV/BTC", "granted_on": "2026-03-01", "granted_by": "BTC"}
    with at(MEETING):
        assert api(world.candidate_user).post(f"/api/v1/candidates/{case.pk}/consents/", data).status_code == 404
        future = api(world.secretary).post(
            f"/api/v1/candidates/{case.pk}/consents/", {**data, "granted_on": "2026-04-01"}
        )
        assert future.status_code == 400 and "future" in future.json()["detail"]
        response = api(world.secretary).post(f"/api/v1/candidates/{case.pk}/consents/", data)
    assert response.status_code == 201
    assert case.consents.get().reference == "31-CV/BTC"


def test_only_the_deciding_body_extends_the_deadline_once(world, case):
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
        url = f"/api/v1/candidates/{case.pk}/decision-extension/"
        assert api(world.secretary).post(url, {"reason": "Chờ"}).status_code == 403
        response = api(world.approver).post(url, {"reason": "Chờ kết quả thẩm tra bổ sung"})
        assert response.status_code == 200
        assert response.json()["open_tasks"][0]["due_on"] == "2026-07-09"
        assert api(world.approver).post(url, {"reason": "Lần nữa"}).status_code == 400


# The screens


def test_the_secretary_records_the_cell_vote_on_its_task_page(world, case):
    secretary = browser(world.secretary)
    with at(MEETING):
        page = secretary.get(f"/app/admission/candidates/{case.pk}/")
        assert page.status_code == 200
        assert b'data-testid="do-step"' in page.content
        assert step_url(case).encode() in page.content
        form = secretary.get(step_url(case))
        assert form.status_code == 200 and "Cell meeting and vote" in form.content.decode()
        for field in ("held_on", "present", "votes_for", "votes_against"):
            assert f'name="{field}"' in form.content.decode(), field
        bad = secretary.post(step_url(case), cell_vote_payload(world.village_cell, 3))
        assert bad.status_code == 422
        assert "3 in favour of 6, 4 needed" in bad.content.decode()
        good = secretary.post(step_url(case), cell_vote_payload(world.village_cell, 5))
    assert good.status_code == 302
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.PROPOSED


def test_the_approver_sees_the_chain_and_decides_on_the_task_page(world, case):
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    approver = browser(world.approver)
    with at(D(2026, 4, 1)):
        page = approver.get(step_url(case))
        assert page.status_code == 200
        text = page.content.decode()
        assert "9-KNĐ" in text and "28/05/2026" in text  # the step, and the decision's deadline
        for field in ("outcome", "on", "document_number", "members_total", "votes_for", "note"):
            assert f'name="{field}"' in text, field
        data = {"step": next_step(case).pk, "outcome": "approve", "on": "01/04/2026", "note": ""}
        missing_number = approver.post(step_url(case), data)
        assert missing_number.status_code == 422
        done = approver.post(step_url(case), {**data, "document_number": "15-QĐ/ĐU"})
    assert done.status_code == 302
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.ADMITTED


def test_a_chain_step_already_done_is_said_on_the_task_page(world, case):
    """A page opened on a step a colleague has done since (its hidden `step` no longer waits) says so in words."""
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    approver = browser(world.approver)
    with at(D(2026, 4, 1)):
        data = {"step": case.chain_steps.get(order=1).pk, "outcome": "refuse", "on": "01/04/2026", "note": "Thiếu"}
        page = approver.post(step_url(case), data)
    assert page.status_code == 422
    assert "This step has already been done; reload the case to see where it is." in page.content.decode()
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.PROPOSED


def test_an_outsider_cannot_open_the_step_page(world, case):
    outsider = browser(world.outsider)
    assert outsider.get(step_url(case)).status_code == 404
    assert outsider.post(step_url(case), cell_vote_payload(world.village_cell, 5)).status_code == 404
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.DOSSIER


def test_an_overdue_decision_is_shown_on_the_case_page(world, case):
    with at(MEETING):
        run(case, "cell_vote", world.secretary, vote_data(world.village_cell, 6))
    with at(D(2026, 5, 28)):
        assert b"decision-overdue" not in browser(world.approver).get(f"/app/admission/candidates/{case.pk}/").content
    with at(D(2026, 5, 29)):
        page = browser(world.approver).get(f"/app/admission/candidates/{case.pk}/")
    assert b"decision-overdue" in page.content


def test_the_consent_form_on_the_case_page_records_or_explains(world, case):
    client = browser(world.secretary)
    url = f"/app/admission/candidates/{case.pk}/consents/"
    with at(MEETING):
        assert client.get(url).status_code == 405
        bad = client.post(url, {"kind": "political", "reference": "", "granted_on": "32/13/2026", "granted_by": "x"})
        assert bad.status_code == 422
        ok = client.post(
            url, {"kind": "political", "reference": "31-CV/BTC", "granted_on": "01/03/2026", "granted_by": "BTC"}
        )
    assert ok.status_code == 302 and case.consents.count() == 1
    officer = UserFactory(username="other-cell-member")
    give_role(officer, world.cell, RoleKind.CELL_SECRETARY)  # in another cell of the same province tree
    assert browser(officer).post(url, {"kind": "political"}).status_code == 404


def test_the_candidate_gets_404_on_the_endpoints_that_name_approvers_and_votes(world, case):
    case.person.user = world.candidate_user
    case.person.save()
    client = api(world.candidate_user)
    for url in (
        f"/api/v1/candidates/{case.pk}/admission/",
        f"/api/v1/candidates/{case.pk}/tasks/",
        f"/api/v1/candidates/{case.pk}/history/",
        f"/api/v1/candidates/{case.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert api(world.secretary).get(f"/api/v1/candidates/{case.pk}/history/").status_code == 200
