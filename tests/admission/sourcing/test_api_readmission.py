"""The API of re-admission and of guests: the earlier membership through the nomination and the case (bounds, the
never-re-admitted categories, the role boundaries), the person's detail, and a cell's guests (recorded by the host
cell, listed on a date, on a vote's roster marked as guests)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from admission.decisions.services.meetings import cell_meeting_record, vote_record
from admission.party.models.earlier import EarlierMembership
from admission.party.models.guests import CellGuest
from admission.party.models.orgs import OrgKind
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_nominate
from tests.factories import MembershipFactory, PersonFactory, make_org

NOW = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)
D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen")

NOMINATION = {
    "full_name": "Hoàng Văn Lại",
    "citizen_id": "022080001234",
    "date_of_birth": "1980-04-04",
    "sex": "male",
    "ethnicity": "02",
    "religion": "none",
    "education": "upper_secondary",
    "occupation": "agriculture",
    "employer_sector": "village",
    "nominated_by": "cell",
    "nominated_on": "20/02/2026",
}
EARLIER = {
    "earlier_admitted_on": "19/05/2005",
    "earlier_official_on": "19/05/2006",
    "earlier_left_on": "10/03/2020",
    "earlier_how_left": "family_reasons",
}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def nominate(world, **extra):
    return api(world.secretary).post(
        "/api/v1/candidates/nominate/", {**NOMINATION, "cell": world.village_cell.pk, **extra}, format="json"
    )


def test_the_nomination_records_the_earlier_membership_and_the_case_is_a_readmission(world):
    response = nominate(world, **EARLIER)
    assert response.status_code == 201, response.content
    case = Candidate.objects.get(pk=response.json()["id"])
    assert case.is_readmission
    earlier = EarlierMembership.objects.get(person=case.person)
    assert (earlier.admitted_on, earlier.official_on, earlier.left_on) == (
        D(2005, 5, 19),
        D(2006, 5, 19),
        D(2020, 3, 10),
    )
    detail = api(world.secretary).get(f"/api/v1/candidates/{case.pk}/").json()
    assert detail["is_readmission"] is True
    assert detail["earlier_memberships"][0]["how_left"] == "family_reasons"
    assert detail["earlier_memberships"][0]["consequence"] == "wait_from_leaving"


def test_a_nomination_without_earlier_membership_is_a_first_admission(world):
    response = nominate(world)
    assert response.status_code == 201
    assert not Candidate.objects.get(pk=response.json()["id"]).is_readmission


def test_the_nomination_refuses_a_category_never_readmitted_and_opens_nothing(world):
    response = nominate(world, **{**EARLIER, "earlier_how_left": "expelled_corruption"})
    assert response.status_code == 400
    assert "never re-admitted" in response.json()["detail"]
    assert not Candidate.objects.exists()


def test_the_nomination_asks_for_the_whole_earlier_membership(world):
    response = nominate(world, earlier_left_on="10/03/2020")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"earlier_admitted_on", "earlier_how_left"} <= fields


def test_the_nomination_bounds_the_earlier_dates(world):
    response = nominate(world, **{**EARLIER, "earlier_admitted_on": "1800-01-01"})
    assert response.status_code == 400
    assert "earlier_admitted_on" in {e["field"] for e in response.json()["errors"]}


@pytest.fixture
def case(world):
    return candidate_nominate(
        person=PersonFactory(date_of_birth=D(1980, 4, 4)),
        cell=world.village_cell,
        nominated_by="cell",
        nominated_on=D(2026, 2, 20),
        by=world.secretary,
    )


def url(case):
    return f"/api/v1/candidates/{case.pk}/earlier-memberships/"


BODY = {"admitted_on": "2005-05-19", "left_on": "2020-03-10", "how_left": "removed"}


def test_the_case_records_and_lists_the_earlier_membership(world, case):
    response = api(world.secretary).post(url(case), BODY, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["how_left_label"] and response.json()["official_on"] is None
    case.refresh_from_db()
    assert case.is_readmission
    listed = api(world.approver).get(url(case))
    assert listed.status_code == 200 and [m["left_on"] for m in listed.json()["results"]] == ["2020-03-10"]


def test_the_person_detail_lists_the_earlier_memberships(world):
    member = world.village_cell.memberships.first()
    EarlierMembership.objects.create(
        person=member.person, admitted_on=D(1990, 1, 1), left_on=D(1999, 1, 1), how_left="removed"
    )
    body = api(world.secretary).get(f"/api/v1/people/{member.person_id}/").json()
    assert [(m["left_on"], m["consequence"]) for m in body["earlier_memberships"]] == [
        ("1999-01-01", "wait_from_leaving")
    ]
    assert api(world.outsider).get(f"/api/v1/people/{member.person_id}/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"admitted_on": "1899-12-31"}, "admitted_on"),
        ({"left_on": "2101-01-01"}, "left_on"),
        ({"how_left": "elsewhere"}, "how_left"),
        ({"note": "x" * 256}, "note"),
    ],
)
def test_the_earlier_membership_is_bounded(world, case, change, field):
    response = api(world.secretary).post(url(case), {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}


def test_the_earlier_membership_refuses_impossible_dates(world, case):
    late = api(world.secretary).post(url(case), {**BODY, "left_on": "2026-02-21"}, format="json")
    assert late.status_code == 400 and "before the nomination" in late.json()["detail"]
    reversed_ = api(world.secretary).post(url(case), {**BODY, "admitted_on": "2021-01-01"}, format="json")
    assert reversed_.status_code == 400


def test_the_earlier_membership_is_a_404_outside_the_units_and_a_403_for_those_who_do_not_act(world, case):
    assert api(world.outsider).get(url(case)).status_code == 404
    assert api(world.outsider).post(url(case), BODY, format="json").status_code == 404
    assert api(world.approver).post(url(case), BODY, format="json").status_code == 403
    assert not EarlierMembership.objects.exists()


# Guests


@pytest.fixture
def guard(world):
    post = make_org(OrgKind.GRASSROOTS_CELL, world.other_commune, name="Chi bộ Đồn Biên phòng")
    return MembershipFactory(cell=post, person=PersonFactory(full_name="Lò Văn Biên"))


def guests_url(world):
    return f"/api/v1/orgs/{world.village_cell.pk}/guests/"


GUEST = {"starts_on": "2026-01-01", "reason": "Border-guard member working in the village"}


def test_the_host_cell_records_a_guest_and_lists_it_on_a_date(world, guard):
    response = api(world.secretary).post(
        guests_url(world), {**GUEST, "membership": guard.pk, "citizen_id": guard.person.citizen_id}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["full_name"] == "Lò Văn Biên" and response.json()["home_cell_id"] == guard.cell_id
    assert [g["membership_id"] for g in api(world.secretary).get(guests_url(world)).json()["results"]] == [guard.pk]
    assert api(world.secretary).get(guests_url(world) + "?date=2025-12-31").json()["results"] == []


def test_guests_are_bounded_and_scoped(world, guard):
    secretary = api(world.secretary)
    early = secretary.post(
        guests_url(world),
        {**GUEST, "membership": guard.pk, "citizen_id": guard.person.citizen_id, "starts_on": "1800-01-01"},
        format="json",
    )
    assert early.status_code == 400
    huge = secretary.post(
        guests_url(world), {**GUEST, "membership": 10**20, "citizen_id": guard.person.citizen_id}, format="json"
    )
    assert huge.status_code == 400
    assert (
        secretary.post(
            guests_url(world), {**GUEST, "membership": 10**9, "citizen_id": guard.person.citizen_id}, format="json"
        ).status_code
        == 404
    )
    assert api(world.outsider).get(guests_url(world)).status_code == 404
    assert (
        api(world.outsider)
        .post(
            guests_url(world), {**GUEST, "membership": guard.pk, "citizen_id": guard.person.citizen_id}, format="json"
        )
        .status_code
        == 404
    )
    assert (
        api(world.approver)
        .post(
            guests_url(world), {**GUEST, "membership": guard.pk, "citizen_id": guard.person.citizen_id}, format="json"
        )
        .status_code
        == 403
    )
    assert not CellGuest.objects.exists()


def test_a_vote_shows_the_guest_on_its_roster_without_counting_it(world, guard):
    api(world.secretary).post(
        guests_url(world), {**GUEST, "membership": guard.pk, "citizen_id": guard.person.citizen_id}, format="json"
    )
    person = PersonFactory(date_of_birth=D(2000, 1, 1))
    AwarenessCertificate.objects.create(person=person, number="1/CN", issued_on=D(2025, 6, 1), issuer="Đảng ủy xã")
    case = candidate_nominate(
        person=person, cell=world.village_cell, nominated_by="cell", nominated_on=D(2026, 1, 5), by=world.secretary
    )
    members = set(world.village_cell.memberships.values_list("pk", flat=True))
    meeting = cell_meeting_record(
        cell=world.village_cell,
        held_on=D(2026, 3, 2),
        purpose="admission",
        present=members | {guard.pk},
        absence_reasons={},
        by=world.secretary,
    )
    vote_record(meeting=meeting, candidate=case, votes_for=2, votes_against=1, by=world.secretary)
    body = api(world.secretary).get(f"/api/v1/candidates/{case.pk}/admission/").json()
    vote = body["votes"][0]
    assert vote["denominator"] == 3 and vote["needed"] == 2
    guests = [row for row in vote["roster"] if row["guest"]]
    assert [(g["name"], g["present"], g["official"]) for g in guests] == [("Lò Văn Biên", True, False)]
    assert len(vote["roster"]) == 4
