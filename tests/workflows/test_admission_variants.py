"""Every chain variant of domain.md §1.4, walked through the REST API from the cell's vote to the ceremony: each
step lands in the queue of the body the hierarchy names, is refused to the other bodies (403), and the case ends
as a probationary member with the chain the hierarchy resolved on the day of the cell's resolution."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from admission.party.hierarchy import approval_chain
from admission.party.models.orgs import DecidingBody, OrgKind
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.party.services.orgs import authority_grant
from admission.rules.models.rulesets import VoteBody
from admission.sourcing.models.candidates import CandidateState
from tests.factories import MembershipFactory, UserFactory, give_role, make_org
from tests.workflows.test_admission_flow import at, open_case
from workflows import services

D = datetime.date


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def acting_user(org, name):
    user = UserFactory(username=name)
    give_role(user, org, RoleKind.COMMITTEE_MEMBER if org.kind not in OrgKind.cell_kinds() else RoleKind.CELL_SECRETARY)
    return user


def variant(world, name):
    """(cell, the day of the cell's meeting) for each variant of the hierarchy."""
    if name == "grassroots cell under a commune (2025)":
        return world.village_cell, D(2026, 3, 2)
    if name == "cell under a partial committee of a grassroots committee":
        return world.cell, D(2026, 3, 2)
    if name == "cell directly under a grassroots committee":
        return world.agency_cell, D(2026, 3, 2)
    if name == "cell of an authorised grassroots committee":
        authority_grant(
            org=world.agency,
            deciding_body=DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE,
            valid_from=D(2025, 9, 1),
            granted_by=world.commune,
            decision_number="125-QĐ/ĐU",
        )
        return world.agency_cell, D(2026, 3, 2)
    commune = make_org(OrgKind.COMMUNE_COMMITTEE, world.province, name="Đảng bộ xã Quảng Hà")
    authority_grant(
        org=commune, deciding_body=DecidingBody.GRASSROOTS_STANDING_COMMITTEE_2026, valid_from=D(2026, 7, 26)
    )
    if name == "cell of a commune in the 2026 model":
        return make_org(OrgKind.CELL, commune, name="Chi bộ khu phố Trần Hưng Đạo"), D(2026, 9, 1)
    sub = make_org(OrgKind.SUB_GRASSROOTS_COMMITTEE, commune, name="Đảng bộ Khối doanh nghiệp")
    return make_org(OrgKind.CELL, sub, name="Chi bộ Công ty Lâm sản"), D(2026, 9, 1)


VARIANTS = [
    "grassroots cell under a commune (2025)",
    "cell under a partial committee of a grassroots committee",
    "cell directly under a grassroots committee",
    "cell of an authorised grassroots committee",
    "cell of a commune in the 2026 model",
    "cell under a sub-grassroots committee (2026 model)",
]


@pytest.mark.parametrize("name", VARIANTS)
def test_a_case_travels_each_chain_variant_to_probation_through_the_api(world, name):
    cell, meeting = variant(world, name)
    secretary = world.secretary if cell == world.village_cell else acting_user(cell, "secretary-of-the-cell")
    while Membership.objects.filter(cell=cell).count() < 6:
        MembershipFactory(cell=cell)
    case = open_case(world, cell, secretary)
    expected = [(step.form, step.org) for step in approval_chain(cell, meeting)]
    members = [m.pk for m in Membership.objects.filter(cell=cell).active_on(meeting)]
    with at(meeting):
        response = api(secretary).post(
            f"/api/v1/candidates/{case.pk}/steps/cell_vote/",
            {"held_on": meeting.isoformat(), "present": members, "votes_for": len(members), "votes_against": 0},
            format="json",
        )
    assert response.status_code == 200, response.json()
    day = meeting + datetime.timedelta(days=7)
    users = {}
    while (body := api(secretary).get(f"/api/v1/candidates/{case.pk}/tasks/").json())["state"] == "proposed":
        task = body["open_tasks"][0]
        step = case.chain_steps.get(pk=task["chain_step"])
        assert task["acting_org"] == step.org.pk
        user = users.setdefault(step.org.pk, acting_user(step.org, f"body-{step.org.pk}"))
        data = {"step": step.pk, "outcome": "approve", "on": day.isoformat(), "note": ""}
        if step.vote_body in (VoteBody.GRASSROOTS_COMMITTEE, VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE):
            data.update(members_total=9, present=8, votes_for=7, votes_against=1)
        if step.kind == "decision":
            data["document_number"] = "33-QĐ/ĐU"
        url = f"/api/v1/candidates/{case.pk}/steps/chain_step/"
        with at(day):
            assert api(secretary).post(url, data, format="json").status_code == 403  # the cell is not this body
            response = api(user).post(url, data, format="json")
        assert response.status_code == 200, response.json()
        day += datetime.timedelta(days=7)
    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED
    assert [(s.form, s.org) for s in case.chain_steps.order_by("order")] == expected
    with at(day):
        if services.open_tasks(case)[0].flow_task.name == "receive_decision":
            api(secretary).post(f"/api/v1/candidates/{case.pk}/steps/receive_decision/", {"received_on": day})
        helper = Membership.objects.filter(cell=cell).official_on(day).first()
        ceremony = {"held_on": day.isoformat(), "decision_read_by": "Đ/c Phó Bí thư", "mentors": [helper.pk]}
        response = api(secretary).post(f"/api/v1/candidates/{case.pk}/steps/ceremony/", ceremony, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == CandidateState.PROBATIONARY
