"""API v1 for probation and recognition: the dates a probation shows, one POST per action, every role boundary
(outsider and no-role login 404; the commune approver reads the cell's case but may not act for the cell: 403; the
cell secretary may not decide: 403), a refusing service 400 {"detail"}, and the endpoints in the OpenAPI schema."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from tests.admission.probation.helpers import CEREMONY, DECIDED, END, at, complete_dossier, probationer
from tests.factories import MembershipFactory, UserFactory, give_role

D = datetime.date


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def url(probation, rest=""):
    return f"/api/v1/candidates/{probation.candidate_id}/probation/{rest}"


@pytest.fixture
def probation(world):
    return probationer(world)


def vote(api, probation, user, day, votes_for, votes_against=0, **extra):
    present = list(Membership.objects.filter(cell=probation.candidate.cell).active_on(day).values_list("pk", flat=True))
    with at(day):
        return as_user(api, user).post(
            url(probation, "votes/"),
            {"held_on": day.isoformat(), "present": present, "votes_for": votes_for, "votes_against": votes_against}
            | extra,
            format="json",
        )


# --- reading -------------------------------------------------------------------------------------------------------


def test_the_secretary_reads_the_probations_dates(api, world, probation):
    with at(D(2026, 5, 17)):
        response = as_user(api, world.secretary).get(url(probation))
    assert response.status_code == 200
    body = response.json()
    assert (body["starts_on"], body["ends_on"], body["party_age_from"]) == (
        CEREMONY.isoformat(),
        END.isoformat(),
        DECIDED.isoformat(),
    )
    assert body["official_on"] is None
    assert body["days_left"] == 90
    assert [r["days_before"] for r in body["reminders"]] == [90, 60, 30, 15, 7]
    assert body["reminders"][0]["on"] == "2026-05-17"
    assert body["cell_due"] > END.isoformat()
    assert len(body["dossier_missing"]) == 4
    assert [h["assigned_on"] for h in body["helpers"]] == [CEREMONY.isoformat()]


@pytest.mark.parametrize("persona", ["outsider", "candidate_user"])
def test_a_user_outside_the_cells_units_gets_404(api, world, probation, persona):
    with at(D(2026, 5, 17)):
        assert as_user(api, getattr(world, persona)).get(url(probation)).status_code == 404
        response = as_user(api, getattr(world, persona)).post(
            url(probation, "certificate/"), {"number": "1", "issued_on": "2026-05-01", "issuer": "x"}, format="json"
        )
    assert response.status_code == 404


def test_the_list_shows_the_units_probations_only(api, world, probation):
    with at(D(2026, 5, 17)):
        mine = as_user(api, world.approver).get("/api/v1/probations/").json()
        theirs = as_user(api, world.outsider).get("/api/v1/probations/").json()
    assert [row["candidate_id"] for row in mine["results"]] == [probation.candidate_id]
    assert theirs["results"] == [] and theirs["count"] == 0


def test_a_write_endpoint_refuses_get(api, world, probation):
    with at(D(2026, 5, 17)):
        assert as_user(api, world.secretary).get(url(probation, "certificate/")).status_code == 405


# --- the dossier ---------------------------------------------------------------------------------------------------


def test_the_approver_sees_but_may_not_record_for_the_cell(api, world, probation):
    payload = {"number": "12/CN", "issued_on": "2026-05-01", "issuer": "Trung tâm chính trị"}
    with at(D(2026, 5, 17)):
        assert (
            as_user(api, world.approver).post(url(probation, "certificate/"), payload, format="json").status_code == 403
        )
        response = as_user(api, world.secretary).post(url(probation, "certificate/"), payload, format="json")
    assert response.status_code == 200
    assert response.json()["certificate"]["number"] == "12/CN"


def test_the_dossier_is_recorded_item_by_item(api, world, probation):
    helper = probation.helpers().get()
    client = as_user(api, world.secretary)
    with at(D(2026, 7, 20)):
        responses = [
            client.post(
                url(probation, "certificate/"),
                {"number": "12/CN", "issued_on": "2026-05-01", "issuer": "TTCT"},
                format="json",
            ),
            client.post(
                url(probation, "self-review/"), {"written_on": "2026-07-20", "strengths": "Tốt"}, format="json"
            ),
            client.post(
                url(probation, "helper-comments/"),
                {"mentor": helper.pk, "written_on": "2026-07-20", "assessment": "Tốt", "recommends_recognition": True},
                format="json",
            ),
            client.post(
                url(probation, "opinions/"),
                {
                    "compiled_on": "2026-07-20",
                    "residence_cell": "Chi bộ thôn",
                    "residence_opinion": "Đồng ý",
                    "organisations": [{"name": "Đoàn xã", "met_on": "2026-07-10", "strengths": "Nhiệt tình"}],
                },
                format="json",
            ),
            client.post(
                url(probation, "disciplines/"),
                {
                    "kind": "reprimand",
                    "decided_on": "2026-06-01",
                    "decision_ref": "2-QĐ",
                    "decided_by": "Chi bộ",
                    "reason": "Vắng họp",
                },
                format="json",
            ),
        ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 201]
    body = responses[-1].json()
    assert body["dossier_missing"] == []
    assert body["opinions"]["organisations"][0]["met_on"] == "2026-07-10"
    assert body["disciplines"][0]["kind"] == "reprimand"


def test_a_refusing_service_answers_400_with_its_message(api, world, probation):
    with at(D(2026, 5, 17)):
        response = as_user(api, world.secretary).post(
            url(probation, "certificate/"), {"number": "1", "issued_on": "2025-01-01", "issuer": "x"}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_helper_is_replaced_through_the_api(api, world, probation):
    helper = probation.helpers().get()
    other = Membership.objects.filter(cell=world.village_cell).exclude(pk=helper.member_id).first()
    with at(D(2026, 2, 2)):
        response = as_user(api, world.secretary).post(
            url(probation, f"helpers/{helper.pk}/replace/"),
            {"replacement": other.pk, "on": "2026-02-02", "reason": "Chuyển công tác"},
            format="json",
        )
    assert response.status_code == 200
    assert [h["ended_on"] for h in response.json()["helpers"]] == ["2026-02-02", None]


# --- recognition ---------------------------------------------------------------------------------------------------


def test_a_full_recognition_through_the_api_gives_the_official_date_of_the_end_of_probation(api, world, probation):
    complete_dossier(probation, world.secretary)
    response = vote(api, probation, world.secretary, D(2026, 8, 17), 3)
    assert response.status_code == 201
    body = response.json()
    assert (body["outcome"], body["denominator"], body["needed"]) == ("recognise", 3, 2)
    step_id = body["probation"]["next_step_id"]
    decided = D(2026, 9, 30)
    with at(decided):
        refused = as_user(api, world.secretary).post(
            url(probation, f"chain-steps/{step_id}/complete/"), {"document_number": "1-QĐ"}, format="json"
        )
        response = as_user(api, world.approver).post(
            url(probation, f"chain-steps/{step_id}/complete/"),
            {"document_number": "77-QĐ/ĐU", "on": decided.isoformat()},
            format="json",
        )
    assert refused.status_code == 403
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["candidate_state"], body["status"]) == ("official", "recognised")
    assert (body["official_on"], body["party_age_from"]) == (END.isoformat(), DECIDED.isoformat())
    assert [s["form"] for s in body["steps"]] == ["13-KNĐ", "16-KNĐ"]


def test_exactly_two_thirds_passes_through_the_api(api, world, probation):
    for _ in range(3):
        MembershipFactory(cell=world.village_cell)
    complete_dossier(probation, world.secretary)
    short = vote(api, probation, world.secretary, D(2026, 8, 17), 3).json()
    exact = vote(api, probation, world.secretary, D(2026, 8, 18), 4).json()
    assert (short["outcome"], short["needed"], short["denominator"]) == ("inconclusive", 4, 6)
    assert exact["outcome"] == "recognise"


def test_three_inconclusive_votes_escalate_and_the_committee_decides(api, world, probation):
    complete_dossier(probation, world.secretary)
    results = [vote(api, probation, world.secretary, day, 1, 1).json() for day in (D(2026, 8, 17), D(2026, 8, 24))]
    third = vote(api, probation, world.secretary, D(2026, 8, 31), 1, 1).json()
    assert [r["escalated"] for r in results] == [False, False]
    assert third["escalated"] and third["probation"]["escalated_to_id"] == world.commune.pk
    assert third["probation"]["inconclusive_votes"] == 3
    with at(D(2026, 9, 7)):
        forbidden = as_user(api, world.secretary).post(
            url(probation, "escalation/decide/"), {"recognise": True, "document_number": "9"}, format="json"
        )
        response = as_user(api, world.approver).post(
            url(probation, "escalation/decide/"), {"recognise": True, "document_number": "90-QĐ"}, format="json"
        )
    assert forbidden.status_code == 403
    assert response.status_code == 200
    assert response.json()["official_on"] == END.isoformat()


def test_removal_is_proposed_by_the_cell_and_decided_by_the_committee(api, world, probation):
    with at(D(2026, 3, 2)):
        proposed = as_user(api, world.secretary).post(
            url(probation, "removals/"), {"reason_code": "discipline", "reason": "Vi phạm tư cách"}, format="json"
        )
    assert proposed.status_code == 201
    removal_id = proposed.json()["removals"][0]["id"]
    with at(D(2026, 3, 9)):
        forbidden = as_user(api, world.secretary).post(
            url(probation, f"removals/{removal_id}/decide/"), {"approve": True, "decision_number": "3"}, format="json"
        )
        decided = as_user(api, world.approver).post(
            url(probation, f"removals/{removal_id}/decide/"),
            {"approve": True, "decision_number": "31-QĐ/ĐU"},
            format="json",
        )
    assert forbidden.status_code == 403
    assert decided.status_code == 200
    body = decided.json()
    assert (body["candidate_state"], body["status"]) == ("removed", "removed")
    assert body["removals"][0]["status"] == "decided"


def test_the_decision_deadline_is_extended_by_the_deciding_body(api, world, probation):
    complete_dossier(probation, world.secretary)
    first = vote(api, probation, world.secretary, D(2026, 8, 17), 3).json()["probation"]
    with at(D(2026, 8, 20)):
        forbidden = as_user(api, world.secretary).post(
            url(probation, "decision-extension/"), {"reason": "x"}, format="json"
        )
        response = as_user(api, world.approver).post(
            url(probation, "decision-extension/"), {"reason": "Chờ xác minh"}, format="json"
        )
    assert forbidden.status_code == 403
    assert response.status_code == 200
    assert response.json()["decision_due"] > first["decision_due"]
    assert response.json()["decision_extended"] is True


# --- transfers -----------------------------------------------------------------------------------------------------


def test_a_transfer_is_sent_by_the_former_cell_and_received_by_the_new_one(api, world, probation):
    receiving = UserFactory(username="bithu.toanhoc")
    give_role(receiving, world.cell, RoleKind.CELL_SECRETARY)
    with at(D(2026, 3, 2)):
        sent = as_user(api, world.secretary).post(
            url(probation, "transfers/"),
            {"to_cell": world.cell.pk, "former_cell_comment": "Hoàn thành tốt nhiệm vụ", "moved_on": "2026-03-02"},
            format="json",
        )
    assert sent.status_code == 201
    transfer_id = sent.json()["id"]
    helper = Membership.objects.filter(cell=world.cell).first()
    with at(D(2026, 3, 9)):
        listed = as_user(api, receiving).get("/api/v1/probation-transfers/").json()
        assert as_user(api, receiving).get(url(probation)).status_code == 404  # not theirs until received
        outsider = as_user(api, world.outsider).post(
            f"/api/v1/probation-transfers/{transfer_id}/receive/", {"helpers": [helper.pk]}, format="json"
        )
        received = as_user(api, receiving).post(
            f"/api/v1/probation-transfers/{transfer_id}/receive/", {"helpers": [helper.pk]}, format="json"
        )
        mine = as_user(api, receiving).get(url(probation)).json()
        former = as_user(api, world.secretary).get(url(probation)).json()
    assert [row["id"] for row in listed["results"]] == [transfer_id]
    assert outsider.status_code == 404
    assert received.status_code == 200 and received.json()["status"] == "received"
    assert mine["cell_id"] == world.cell.pk
    assert mine["transfers"][0]["former_cell_comment"] == "Hoàn thành tốt nhiệm vụ"
    assert former["transfers"][0]["status"] == "received"  # the former cell keeps its history


# --- the schema ----------------------------------------------------------------------------------------------------


def test_the_schema_documents_the_probation_endpoints(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/probations/",
        "/api/v1/candidates/{candidate_id}/probation/",
        "/api/v1/candidates/{candidate_id}/probation/votes/",
        "/api/v1/candidates/{candidate_id}/probation/chain-steps/{chain_step_id}/complete/",
        "/api/v1/candidates/{candidate_id}/probation/removals/",
        "/api/v1/candidates/{candidate_id}/probation/removals/{removal_id}/decide/",
        "/api/v1/candidates/{candidate_id}/probation/escalation/decide/",
        "/api/v1/candidates/{candidate_id}/probation/decision-extension/",
        "/api/v1/candidates/{candidate_id}/probation/transfers/",
        "/api/v1/probation-transfers/{transfer_id}/receive/",
    ):
        assert path in paths, path
    components = schema["components"]["schemas"]
    assert "ProbationDetail" in components and "RecognitionVoteInput" in components


def test_the_member_reads_their_own_dates_but_not_what_the_units_wrote_about_them(api, world, probation):
    complete_dossier(probation, world.secretary)
    member = UserFactory(username="the-probationer")
    probation.candidate.person.user = member
    probation.candidate.person.save()
    with at(END):
        own = as_user(api, member).get(url(probation))
        unit = as_user(APIClient(), world.secretary).get(url(probation))
    assert own.status_code == 200 and unit.status_code == 200
    assert own.json()["ends_on"] == unit.json()["ends_on"] == END.isoformat()  # the official date to be
    assert unit.json()["helper_comments"] and unit.json()["opinions"] is not None
    assert own.json()["helper_comments"] == [] and own.json()["opinions"] is None
