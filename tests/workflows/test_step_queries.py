"""Completing a step costs the same number of queries however large the cell and however long the approval chain
(issue 12): the members present are written in one insert, the chain's steps still to come in one insert, the
history entries in one, and the flow's nodes share their reads of the case."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admission.party.models.people import Membership
from admission.rules.models.rulesets import VoteBody
from tests.factories import MembershipFactory
from tests.workflows.test_admission_flow import at, open_case
from tests.workflows.test_admission_variants import acting_user, api, variant

D = datetime.date
SHORT = "grassroots cell under a commune (2025)"  # the cell's resolution, then the commune's decision
LONG = "cell under a partial committee of a grassroots committee"  # resolution, appraisal, committee, decision


def _cell_with(world, name, members):
    cell, meeting = variant(world, name)
    secretary = world.secretary if cell == world.village_cell else acting_user(cell, f"secretary-{cell.pk}")
    while Membership.objects.filter(cell=cell).count() < members:
        MembershipFactory(cell=cell)
    return cell, meeting, secretary


def _vote(case, cell, meeting, secretary):
    """The cell's vote through the API, all present and in favour; its query count."""
    present = [m.pk for m in Membership.objects.filter(cell=cell).active_on(meeting)]
    body = {"held_on": meeting.isoformat(), "present": present, "votes_for": len(present), "votes_against": 0}
    with at(meeting), CaptureQueriesContext(connection) as queries:
        response = api(secretary).post(f"/api/v1/candidates/{case.pk}/steps/cell_vote/", body, format="json")
    assert response.status_code == 200, response.json()
    return len(queries.captured_queries)


def _chain_to_the_end(case, day):
    """Every step of the chain through the API, each by a member of its body; the query count of each."""
    counts = []
    users = {}
    while (pending := case.chain_steps.filter(status="pending").order_by("order").first()) is not None:
        user = users.setdefault(pending.org.pk, acting_user(pending.org, f"body-{pending.org.pk}-{case.pk}"))
        data = {"step": pending.pk, "outcome": "approve", "on": day.isoformat(), "note": ""}
        if pending.vote_body in (VoteBody.GRASSROOTS_COMMITTEE, VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE):
            data.update(members_total=9, present=8, votes_for=7, votes_against=1)
        if pending.kind == "decision":
            data["document_number"] = f"{case.pk}-QĐ/ĐU"
        client = api(user)
        with at(day), CaptureQueriesContext(connection) as queries:
            response = client.post(f"/api/v1/candidates/{case.pk}/steps/chain_step/", data, format="json")
        assert response.status_code == 200, response.json()
        counts.append((pending.kind, len(queries.captured_queries)))
        day += datetime.timedelta(days=7)
    return counts


@pytest.mark.usefixtures("english")
def test_a_cell_vote_costs_the_same_queries_for_a_small_and_a_large_cell_and_a_short_and_a_long_chain(world):
    small, meeting, secretary = _cell_with(world, SHORT, 6)
    warm = open_case(world, small, secretary)
    _vote(warm, small, meeting, secretary)  # the first request fills the process-wide caches (content types…)

    case = open_case(world, small, secretary)
    small_cell = _vote(case, small, meeting, secretary)

    for _ in range(24):
        MembershipFactory(cell=small)
    case = open_case(world, small, secretary)
    large_cell = _vote(case, small, meeting, secretary)

    long_cell, long_meeting, long_secretary = _cell_with(world, LONG, 6)
    long_case = open_case(world, long_cell, long_secretary)
    long_chain = _vote(long_case, long_cell, long_meeting, long_secretary)

    assert long_case.chain_steps.count() == 4 and case.chain_steps.count() == 2
    assert small_cell == large_cell == long_chain, (small_cell, large_cell, long_chain)


@pytest.mark.usefixtures("english")
def test_the_deciding_step_costs_the_same_queries_at_the_end_of_a_short_and_of_a_long_chain(world):
    short_cell, meeting, secretary = _cell_with(world, SHORT, 6)
    warm = open_case(world, short_cell, secretary)
    _vote(warm, short_cell, meeting, secretary)
    _chain_to_the_end(warm, meeting + datetime.timedelta(days=7))

    short_case = open_case(world, short_cell, secretary)
    _vote(short_case, short_cell, meeting, secretary)
    short = _chain_to_the_end(short_case, meeting + datetime.timedelta(days=7))

    long_cell, long_meeting, long_secretary = _cell_with(world, LONG, 6)
    long_case = open_case(world, long_cell, long_secretary)
    _vote(long_case, long_cell, long_meeting, long_secretary)
    long = _chain_to_the_end(long_case, long_meeting + datetime.timedelta(days=7))

    assert [kind for kind, _ in short] == ["decision"]
    assert [kind for kind, _ in long] == ["appraisal", "committee_resolution", "decision"]
    assert short[-1][1] == long[-1][1], (short, long)
