"""The member list (/app/admission/members/) and the person page (/app/admission/members/person/<pk>/)."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from admission.party.models.people import Membership, Person
from admission.party.models.roles import RoleKind
from admission.party.services.roles import role_end
from tests.factories import MembershipFactory, PersonFactory, UserFactory, give_role

MEMBER_LIST = "/app/admission/members/"
LOGIN = "/accounts/login/"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 3, 2)
ONE_DAY = datetime.timedelta(days=1)


def person_url(pk: int) -> str:
    return f"/app/admission/members/person/{pk}/"


def hanoi(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HCM)


def listed_person_ids(response) -> set[int]:
    ids = set()
    for row in response.content.decode().split('data-testid="member-row"')[1:]:
        match = re.search(r'href="/app/admission/members/person/(\d+)/"', row)
        assert match, row[:300]
        ids.add(int(match.group(1)))
    return ids


def people_of(*cells) -> set[int]:
    return set(Membership.objects.filter(cell__in=cells).values_list("person_id", flat=True))


def missing_person_pk() -> int:
    return (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


@pytest.fixture
def member(world):
    """A named official member of the village cell (admitted 01/03/2015, official since 10/03/2016)."""
    person = PersonFactory(full_name="Lý Thị Mai", date_of_birth=datetime.date(1990, 8, 17), sex="female")
    return MembershipFactory(person=person, cell=world.village_cell)


@pytest.fixture
def authored(world, member):
    """Attribute the history rows written so far to a named user, as rows written through a request are.

    People are imported by commands whose rows have no author; how the page shows those is the subject of
    test_the_history_card_credits_changes_without_a_login_to_the_system.
    """
    board = UserFactory(username="orgboard", first_name="Ban Tổ chức", last_name="Huyện")
    Person.history.update(history_user=board)
    return board


# --- the member list ---------------------------------------------------------------------------------------------


def test_the_secretary_lists_the_members_of_their_cell_only(world, client):
    client.force_login(world.secretary)
    response = client.get(MEMBER_LIST)
    assert response.status_code == 200
    assert listed_person_ids(response) == people_of(world.village_cell)
    assert len(listed_person_ids(response)) == 3
    assert world.cell.name not in response.content.decode()


def test_the_approver_lists_the_members_of_every_cell_of_the_commune(world, client):
    client.force_login(world.approver)
    response = client.get(MEMBER_LIST)
    assert response.status_code == 200
    assert listed_person_ids(response) == people_of(world.village_cell, world.cell)
    content = response.content.decode()
    assert world.village_cell.name in content
    assert world.cell.name in content
    assert world.other_cell.name not in content


def test_the_agency_officer_lists_the_agency_members_but_not_the_village_ones(world, client):
    client.force_login(world.agency_officer)
    response = client.get(MEMBER_LIST)
    assert response.status_code == 200
    assert listed_person_ids(response) == people_of(world.cell)
    assert world.village_cell.name not in response.content.decode()


def test_the_outsider_lists_only_the_members_of_their_own_cell(world, client):
    client.force_login(world.outsider)
    response = client.get(MEMBER_LIST)
    assert response.status_code == 200
    assert listed_person_ids(response) == people_of(world.other_cell)
    content = response.content.decode()
    assert world.village_cell.name not in content
    assert world.cell.name not in content


def test_a_login_without_a_role_lists_no_member(world, client):
    client.force_login(world.candidate_user)
    response = client.get(MEMBER_LIST)
    assert response.status_code == 200
    assert listed_person_ids(response) == set()


def test_members_who_have_left_or_not_yet_joined_are_not_listed_today(world, client):
    gone = MembershipFactory(cell=world.village_cell, left_cell_on=DAY)
    coming = MembershipFactory(cell=world.village_cell, joined_cell_on=DAY + ONE_DAY)
    with time_machine.travel(hanoi(DAY), tick=False):
        client.force_login(world.secretary)
        listed = listed_person_ids(client.get(MEMBER_LIST))
    assert gone.person_id not in listed
    assert coming.person_id not in listed
    assert len(listed) == 3


def test_a_search_by_name_stays_within_the_users_units(world, client, member):
    client.force_login(world.outsider)
    assert listed_person_ids(client.get(MEMBER_LIST, {"q": "Mai"})) == set()
    client.force_login(world.secretary)
    assert listed_person_ids(client.get(MEMBER_LIST, {"q": "Mai"})) == {member.person_id}


def test_an_anonymous_visitor_of_the_member_list_is_sent_to_the_login_page(world, client):
    response = client.get(MEMBER_LIST)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={MEMBER_LIST}"


def test_the_member_list_does_not_accept_a_post(world, client):
    client.force_login(world.secretary)
    response = client.post(MEMBER_LIST)
    assert response.status_code == 405
    assert 'data-testid="member-row"' not in response.content.decode()


# --- the person page ---------------------------------------------------------------------------------------------


def test_the_secretary_sees_a_member_with_their_membership_and_history(world, client, member, authored):
    client.force_login(world.secretary)
    response = client.get(person_url(member.person_id))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Lý Thị Mai" in content
    assert "17/08/1990" in content  # date of birth, dd/mm/yyyy
    membership = content.split('data-testid="history"')[0]
    assert world.village_cell.name in membership
    assert "01/03/2015" in membership  # in the cell since, and admitted on
    assert "10/03/2016" in membership  # official since
    assert "2016-03-10" not in content
    history = content.split('data-testid="history"')[1]
    assert "Ban Tổ chức Huyện" in history


def test_the_page_lists_every_membership_of_the_person_newest_first(world, client, member, authored):
    Membership.objects.filter(pk=member.pk).update(left_cell_on=datetime.date(2020, 6, 1))
    MembershipFactory(person=member.person, cell=world.village_cell, admitted_on=member.admitted_on, joined_cell_on=DAY)
    client.force_login(world.secretary)
    response = client.get(person_url(member.person_id))
    assert response.status_code == 200
    assert [m.joined_cell_on for m in response.context["memberships"]] == [DAY, datetime.date(2015, 3, 1)]
    assert "01/06/2020" in response.content.decode()


def test_the_approver_sees_a_member_of_a_cell_of_the_agency(world, client, authored):
    person_id = Membership.objects.filter(cell=world.cell).values_list("person_id", flat=True).first()
    client.force_login(world.approver)
    response = client.get(person_url(person_id))
    assert response.status_code == 200
    assert world.cell.name in response.content.decode()


def test_the_agency_officer_cannot_open_a_member_of_the_village_cell(world, client, member):
    client.force_login(world.agency_officer)
    response = client.get(person_url(member.person_id))
    assert response.status_code == 404
    assert "Lý Thị Mai" not in response.content.decode()


def test_the_outsider_gets_the_same_404_for_a_member_of_another_commune_as_for_nobody(world, client, member):
    client.force_login(world.outsider)
    agency_member = Membership.objects.filter(cell=world.cell).values_list("person_id", flat=True).first()
    missing = client.get(person_url(missing_person_pk()))
    assert missing.status_code == 404
    for pk in (member.person_id, agency_member):
        response = client.get(person_url(pk))
        assert response.status_code == missing.status_code
        assert "Lý Thị Mai" not in response.content.decode()
        assert world.village_cell.name not in response.content.decode()


def test_a_login_without_a_role_sees_their_own_record_and_nobody_else(world, client, member, authored):
    own = PersonFactory(full_name="Đinh Văn Cảm", user=world.candidate_user)
    own.history.update(history_user=authored)
    client.force_login(world.candidate_user)
    response = client.get(person_url(own.pk))
    assert response.status_code == 200
    assert "Đinh Văn Cảm" in response.content.decode()
    assert client.get(person_url(member.person_id)).status_code == 404


def test_an_anonymous_visitor_of_a_person_is_sent_to_the_login_page_whether_or_not_they_exist(world, client, member):
    for pk in (member.person_id, missing_person_pk()):
        response = client.get(person_url(pk))
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={person_url(pk)}"


def test_the_person_page_does_not_accept_a_post(world, client, member, authored):
    client.force_login(world.secretary)
    assert client.post(person_url(member.person_id)).status_code == 405


def test_the_history_card_credits_changes_without_a_login_to_the_system(world, client, member):
    """Members are imported by commands, whose history rows have no author."""
    assert member.person.history.filter(history_user__isnull=True).exists()
    client.force_login(world.secretary)
    response = client.get(person_url(member.person_id))
    assert response.status_code == 200
    history = response.content.decode().split('data-testid="history"')[1]
    with translation.override("vi"):
        assert f"<td>{translation.gettext('system')}</td>" in history


# --- roles bounded in time ---------------------------------------------------------------------------------------


def test_a_role_that_has_ended_no_longer_shows_the_members(world, client, member, authored):
    with time_machine.travel(hanoi(DAY), tick=False):
        role_end(role=world.secretary.roles.get(), on=DAY - ONE_DAY)
        client.force_login(world.secretary)
        assert listed_person_ids(client.get(MEMBER_LIST)) == set()
        assert client.get(person_url(member.person_id)).status_code == 404


def test_a_role_starting_tomorrow_does_not_show_the_members_yet_but_does_on_the_day(world, client, member, authored):
    deputy = UserFactory(username="deputy")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY, starts_on=DAY + ONE_DAY)
    with time_machine.travel(hanoi(DAY), tick=False):
        client.force_login(deputy)
        assert listed_person_ids(client.get(MEMBER_LIST)) == set()
        assert client.get(person_url(member.person_id)).status_code == 404
    with time_machine.travel(hanoi(DAY + ONE_DAY), tick=False):
        client.force_login(deputy)
        assert listed_person_ids(client.get(MEMBER_LIST)) == people_of(world.village_cell)
        assert client.get(person_url(member.person_id)).status_code == 200
