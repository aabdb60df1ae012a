"""The send-back endpoint and the case page's form (issue 14): outsiders get 404, a body below the one whose turn it
is gets 403, the body whose turn it is and those above it send the case back; bad input is a 400 with a sentence."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from admission.decisions.models.send_backs import CaseSendBack
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import CandidateState
from tests.factories import MembershipFactory, UserFactory, give_role
from tests.workflows.test_admission_flow import at, run
from tests.workflows.test_send_back import open_case_with_old_certificate, vote
from workflows import services

D = datetime.date
DAY = D(2026, 2, 23)


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def village(world):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    return world


@pytest.fixture
def proposed(village):
    case = open_case_with_old_certificate(village)
    with at(DAY):
        run(case, "cell_vote", village.secretary, vote(village.village_cell, DAY))
    return case


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def url(case):
    return f"/api/v1/candidates/{case.pk}/send-back/"


def test_api_role_boundaries_at_a_committee_step(proposed, village):
    world, case = village, proposed
    body = {"target": "course", "reason": "The certificate expired"}
    with at(DAY):
        assert api(world.outsider).get(url(case)).status_code == 404
        assert api(world.outsider).post(url(case), body, format="json").status_code == 404
        # The cell sees its case but is below the commune whose turn it is.
        assert api(world.secretary).get(url(case)).json()["targets"] == []
        assert api(world.secretary).post(url(case), body, format="json").status_code == 403
        assert api(world.approver).get(url(case)).json()["targets"] == ["course", "dossier"]
        bad = api(world.approver).post(url(case), {"target": "ceremony", "reason": "x"}, format="json")
        assert bad.status_code == 400
        empty = api(world.approver).post(url(case), {"target": "course", "reason": "   "}, format="json")
        assert empty.status_code == 400
        future = {**body, "sent_on": "2026-12-01"}
        assert api(world.approver).post(url(case), future, format="json").status_code == 400
        assert not CaseSendBack.objects.exists()
        response = api(world.approver).post(url(case), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == CandidateState.SYMPATHISER
    assert [t["step"] for t in data["open_tasks"]] == ["propose_training"]
    assert data["send_back"]["acting_org"] == world.commune.pk and data["send_back"]["from_step"] == "chain_step"
    with at(DAY):
        listed = api(world.secretary).get(url(case)).json()
        # Sent back once: nothing more to send back until the case is at the dossier stage again.
        again = api(world.approver).post(url(case), body, format="json")
    assert [m["reason"] for m in listed["send_backs"]] == ["The certificate expired"]
    assert again.status_code == 400


def test_api_a_body_above_sends_back_to_the_dossier(proposed, village):
    world, case = village, proposed
    province_officer = UserFactory(username="province")
    give_role(province_officer, world.province, RoleKind.STANDING_COMMITTEE_MEMBER)
    with at(DAY):
        response = api(province_officer).post(url(case), {"target": "dossier", "reason": "Fix 3-KNĐ"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == CandidateState.DOSSIER
    history = api(world.secretary).get(f"/api/v1/candidates/{case.pk}/history/").json()
    assert history["transitions"][-1]["to"] == "dossier"
    assert "Fix 3-KNĐ" in history["transitions"][-1]["description"]
    assert [t["step"] for t in history["tasks"] if t["status"] == "CANCELED"] == ["chain_step"]


def test_case_page_form_for_the_cell_at_its_meeting(village):
    world = village
    case = open_case_with_old_certificate(world)
    with at(D(2026, 3, 2)):
        outsider = Client(HTTP_ACCEPT_LANGUAGE="en")
        outsider.force_login(world.outsider)
        assert outsider.post(f"/app/admission/candidates/{case.pk}/send-back/", {}).status_code == 404
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(world.secretary)
        page = client.get(f"/app/admission/candidates/{case.pk}/")
        assert b'data-testid="send-back-form"' in page.content
        step = client.get(f"/app/admission/candidates/{case.pk}/step/cell_vote/")
        assert b'data-testid="send-back-link"' in step.content
        empty = client.post(f"/app/admission/candidates/{case.pk}/send-back/", {"target": "course", "reason": ""})
        assert empty.status_code == 422
        done = client.post(
            f"/app/admission/candidates/{case.pk}/send-back/",
            {"target": "course", "reason": "Certificate expired on 25/02/2026"},
        )
        assert done.status_code == 302
        page = client.get(f"/app/admission/candidates/{case.pk}/")
    assert b'data-testid="send-back-history"' in page.content
    assert b"Certificate expired on 25/02/2026" in page.content
    case.refresh_from_db()
    assert case.state == CandidateState.SYMPATHISER
    assert [t.flow_task.name for t in services.open_tasks(case)] == ["propose_training"]
