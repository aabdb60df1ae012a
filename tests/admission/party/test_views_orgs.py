"""The org list and org detail pages (/app/admission/orgs/), and the voting roster the page of a cell shows.

Personas come from the `world` fixture: the secretary of the village cell, the approver (standing committee of the
commune), the agency officer (committee of the school's grassroots committee), the outsider (secretary of a cell
in another commune) and a login without any role.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.people import ExemptionKind, MemberExemption
from admission.party.models.roles import RoleKind
from admission.party.selectors import voting_roster
from admission.party.services.orgs import org_dissolve
from admission.party.services.roles import role_end
from tests.factories import MembershipFactory, UserFactory, give_role, make_org

ORG_LIST = "/app/admission/orgs/"
LOGIN = "/accounts/login/"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 3, 2)  # a Monday; "today" in every time-bound test
ONE_DAY = datetime.timedelta(days=1)

COMMUNE_UNITS = ("commune", "agency", "partial", "cell", "agency_cell", "village_cell")
AGENCY_UNITS = ("agency", "partial", "cell", "agency_cell")


def org_url(pk: int) -> str:
    return f"/app/admission/orgs/{pk}/"


def hanoi(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=HCM)


def listed_org_ids(response) -> set[int]:
    """Ids linked from the rows of the org table (the first link of each `org-row`)."""
    ids = set()
    for row in response.content.decode().split('data-testid="org-row"')[1:]:
        match = re.search(r'href="/app/admission/orgs/(\d+)/"', row)
        assert match, row[:300]
        ids.add(int(match.group(1)))
    return ids


def member_row_person_ids(response) -> list[int]:
    ids = []
    for row in response.content.decode().split('data-testid="member-row"')[1:]:
        match = re.search(r'href="/app/admission/members/person/(\d+)/"', row)
        assert match, row[:300]
        ids.append(int(match.group(1)))
    return ids


def ids_of(world, *names: str) -> set[int]:
    return {getattr(world, name).pk for name in names}


def missing_org_pk() -> int:
    return (PartyOrg.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


@pytest.fixture
def authored(world):
    """Attribute the history rows written so far to a named user, as rows written through a request are.

    Rows written outside a request (commands, imports, these fixtures) have no author; how the page shows those is
    the subject of its own test (test_the_history_card_credits_changes_without_a_login_to_the_system), so that the
    other page tests are about what they name.
    """
    board = UserFactory(username="orgboard", first_name="Ban Tổ chức", last_name="Huyện")
    PartyOrg.history.update(history_user=board)
    return board


# --- the list ----------------------------------------------------------------------------------------------------


def test_the_secretary_lists_their_own_cell_and_nothing_else(world, client):
    client.force_login(world.secretary)
    response = client.get(ORG_LIST)
    assert response.status_code == 200
    assert listed_org_ids(response) == {world.village_cell.pk}
    content = response.content.decode()
    assert world.village_cell.name in content
    for name in ("commune", "agency", "cell", "agency_cell", "other_cell", "other_commune"):
        assert getattr(world, name).name not in content


def test_the_approver_lists_the_whole_commune_including_the_agency_cells(world, client):
    client.force_login(world.approver)
    response = client.get(ORG_LIST)
    assert response.status_code == 200
    assert listed_org_ids(response) == ids_of(world, *COMMUNE_UNITS)
    content = response.content.decode()
    assert world.agency_cell.name in content
    assert world.cell.name in content
    for name in ("province", "other_commune", "other_cell"):
        assert getattr(world, name).name not in content


def test_the_agency_officer_lists_the_agency_subtree_but_not_the_village_cell(world, client):
    client.force_login(world.agency_officer)
    response = client.get(ORG_LIST)
    assert response.status_code == 200
    assert listed_org_ids(response) == ids_of(world, *AGENCY_UNITS)
    content = response.content.decode()
    assert world.village_cell.name not in content
    assert world.commune.name not in content


def test_the_outsider_lists_only_their_own_cell_and_nothing_of_the_other_commune(world, client):
    client.force_login(world.outsider)
    response = client.get(ORG_LIST)
    assert response.status_code == 200
    assert listed_org_ids(response) == {world.other_cell.pk}
    content = response.content.decode()
    for name in (*COMMUNE_UNITS, "province"):
        assert getattr(world, name).name not in content


def test_a_login_without_a_role_lists_no_organisation(world, client):
    client.force_login(world.candidate_user)
    response = client.get(ORG_LIST)
    assert response.status_code == 200
    assert listed_org_ids(response) == set()


def test_a_search_by_name_or_code_stays_within_the_users_units(world, client):
    client.force_login(world.outsider)
    assert listed_org_ids(client.get(ORG_LIST, {"q": "Nà Sa"})) == set()
    assert listed_org_ids(client.get(ORG_LIST, {"q": world.village_cell.code})) == set()
    # every test code starts with "T": the outsider still gets only their own unit
    assert listed_org_ids(client.get(ORG_LIST, {"q": "T"})) == {world.other_cell.pk}
    client.force_login(world.secretary)
    assert listed_org_ids(client.get(ORG_LIST, {"q": "Nà Sa"})) == {world.village_cell.pk}
    assert listed_org_ids(client.get(ORG_LIST, {"q": world.village_cell.code})) == {world.village_cell.pk}


def test_dissolved_units_are_listed_only_when_asked_for(world, client):
    org_dissolve(org=world.agency_cell, on=datetime.date(2026, 1, 1))
    client.force_login(world.agency_officer)
    assert world.agency_cell.pk not in listed_org_ids(client.get(ORG_LIST))
    assert world.agency_cell.pk in listed_org_ids(client.get(ORG_LIST, {"all": "1"}))


def test_an_anonymous_visitor_of_the_list_is_sent_to_the_login_page(world, client):
    response = client.get(ORG_LIST)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={ORG_LIST}"


def test_the_list_does_not_accept_a_post(world, client):
    client.force_login(world.approver)
    response = client.post(ORG_LIST, {"q": "x"})
    assert response.status_code == 405
    assert world.village_cell.name not in response.content.decode()


# --- the detail page ---------------------------------------------------------------------------------------------


def test_the_secretary_sees_their_cell_with_its_members_approval_chain_history_and_dates(world, client, authored):
    client.force_login(world.secretary)
    response = client.get(org_url(world.village_cell.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.village_cell.name in content
    # the approval chain of a grassroots cell: the cell's resolution, then the commune's standing committee decides
    chain = content.split('data-testid="approval-chain"')[1].split('class="kn-card"')[0]
    assert "6-KNĐ" in chain
    assert "9-KNĐ" in chain
    assert "8-KNĐ" not in chain
    assert world.commune.name in chain
    # its members, and only its members
    village_people = set(world.village_cell.memberships.values_list("person_id", flat=True))
    assert sorted(member_row_person_ids(response)) == sorted(village_people)
    # the history card, with its author
    history = content.split('data-testid="history"')[1]
    assert "Ban Tổ chức Huyện" in history
    # dates as dd/mm/yyyy: founded 2020-01-01 under the commune, members admitted 2015-03-01
    assert "01/01/2020" in content
    assert "01/03/2015" in content
    assert "2020-01-01" not in content
    assert "2015-03-01" not in content
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", history)


def test_the_approver_sees_an_agency_cell_with_its_three_step_chain(world, client, authored):
    client.force_login(world.approver)
    response = client.get(org_url(world.agency_cell.pk))
    assert response.status_code == 200
    chain = response.content.decode().split('data-testid="approval-chain"')[1].split('class="kn-card"')[0]
    assert [step.form for step in response.context["chain"]] == ["6-KNĐ", "8-KNĐ", "9-KNĐ"]
    assert chain.index("6-KNĐ") < chain.index("8-KNĐ") < chain.index("9-KNĐ")


def test_the_approver_sees_the_units_under_the_commune_and_no_chain_for_a_committee(world, client, authored):
    client.force_login(world.approver)
    response = client.get(org_url(world.commune.pk))
    assert response.status_code == 200
    assert {org.pk for org in response.context["children"]} == ids_of(world, "agency", "village_cell")
    content = response.content.decode()
    assert world.agency.name in content
    assert world.village_cell.name in content
    assert 'data-testid="approval-chain"' not in content
    assert 'data-testid="history"' in content


def test_the_agency_officer_opens_an_agency_cell_but_not_the_village_cell(world, client, authored):
    client.force_login(world.agency_officer)
    assert client.get(org_url(world.agency_cell.pk)).status_code == 200
    assert client.get(org_url(world.cell.pk)).status_code == 200
    response = client.get(org_url(world.village_cell.pk))
    assert response.status_code == 404
    assert world.village_cell.name not in response.content.decode()


def test_the_secretary_cannot_open_the_commune_above_their_cell(world, client):
    client.force_login(world.secretary)
    assert client.get(org_url(world.commune.pk)).status_code == 404
    assert client.get(org_url(world.agency_cell.pk)).status_code == 404


@pytest.mark.parametrize("unit", [*COMMUNE_UNITS, "province", "other_commune"])
def test_the_outsider_gets_the_same_404_for_another_unit_as_for_a_missing_one(world, client, unit):
    client.force_login(world.outsider)
    org = getattr(world, unit)
    existing = client.get(org_url(org.pk))
    missing = client.get(org_url(missing_org_pk()))
    assert existing.status_code == missing.status_code == 404
    assert org.name not in existing.content.decode()
    assert org.code not in existing.content.decode()


def test_an_anonymous_visitor_of_a_detail_is_sent_to_the_login_page_whether_or_not_it_exists(world, client):
    for pk in (world.village_cell.pk, missing_org_pk()):
        response = client.get(org_url(pk))
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={org_url(pk)}"


def test_the_detail_page_does_not_accept_a_post(world, client, authored):
    client.force_login(world.secretary)
    assert client.post(org_url(world.village_cell.pk)).status_code == 405


def test_the_history_card_credits_changes_without_a_login_to_the_system(world, client):
    """The hierarchy is loaded by commands and imports, whose history rows have no author."""
    assert world.village_cell.history.filter(history_user__isnull=True).exists()
    client.force_login(world.secretary)
    response = client.get(org_url(world.village_cell.pk))
    assert response.status_code == 200
    history = response.content.decode().split('data-testid="history"')[1]
    with translation.override("vi"):
        assert f"<td>{translation.gettext('system')}</td>" in history


# --- roles bounded in time ---------------------------------------------------------------------------------------


def test_a_role_that_has_ended_no_longer_shows_the_cell(world, client):
    with time_machine.travel(hanoi(DAY), tick=False):
        role_end(role=world.secretary.roles.get(), on=DAY - ONE_DAY)
        client.force_login(world.secretary)
        assert listed_org_ids(client.get(ORG_LIST)) == set()
        assert client.get(org_url(world.village_cell.pk)).status_code == 404


def test_a_role_ending_today_no_longer_counts_today_but_did_yesterday(world, client, authored):
    role_end(role=world.secretary.roles.get(), on=DAY)
    with time_machine.travel(hanoi(DAY - ONE_DAY, 23, 59), tick=False):
        client.force_login(world.secretary)
        assert client.get(org_url(world.village_cell.pk)).status_code == 200
    with time_machine.travel(hanoi(DAY, 0, 1), tick=False):
        client.force_login(world.secretary)
        assert client.get(org_url(world.village_cell.pk)).status_code == 404
        assert listed_org_ids(client.get(ORG_LIST)) == set()


def test_a_role_starting_tomorrow_does_not_show_the_cell_yet_but_does_on_the_day(world, client, authored):
    deputy = UserFactory(username="deputy")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY, starts_on=DAY + ONE_DAY)
    with time_machine.travel(hanoi(DAY), tick=False):
        client.force_login(deputy)
        assert listed_org_ids(client.get(ORG_LIST)) == set()
        assert client.get(org_url(world.village_cell.pk)).status_code == 404
    with time_machine.travel(hanoi(DAY + ONE_DAY), tick=False):
        client.force_login(deputy)
        assert listed_org_ids(client.get(ORG_LIST)) == {world.village_cell.pk}
        assert client.get(org_url(world.village_cell.pk)).status_code == 200


def test_today_begins_at_midnight_in_hanoi_not_in_utc(world, client, authored):
    deputy = UserFactory(username="deputy")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY, starts_on=DAY)
    # 23:30 on the eve in Hà Nội is already 16:30 UTC of the eve; 00:30 on the day is still the eve in UTC
    with time_machine.travel(hanoi(DAY - ONE_DAY, 23, 30), tick=False):
        client.force_login(deputy)
        assert client.get(org_url(world.village_cell.pk)).status_code == 404
    with time_machine.travel(hanoi(DAY, 0, 30), tick=False):
        assert datetime.datetime.now(datetime.UTC).date() == DAY - ONE_DAY
        client.force_login(deputy)
        assert client.get(org_url(world.village_cell.pk)).status_code == 200


# --- the voting roster of a cell ---------------------------------------------------------------------------------


@pytest.fixture
def meeting_cell(world):
    return make_org(OrgKind.GRASSROOTS_CELL, world.commune, name="Chi bộ thôn Bản Chắt")


def official(cell, **kwargs):
    return MembershipFactory(cell=cell, **kwargs)


def probationary(cell, *, admitted_on=datetime.date(2025, 9, 1), **kwargs):
    return MembershipFactory(cell=cell, admitted_on=admitted_on, joined_cell_on=admitted_on, official_on=None, **kwargs)


def exempt(membership, kind, starts_on=datetime.date(2025, 1, 1), ends_on=None):
    return MemberExemption.objects.create(membership=membership, kind=kind, starts_on=starts_on, ends_on=ends_on)


def test_the_roster_counts_official_probationary_transferred_and_exempted_members(meeting_cell):
    members = [official(meeting_cell) for _ in range(6)]
    probationary(meeting_cell)
    probationary(meeting_cell)
    exempt(members[0], ExemptionKind.TEMPORARY_TRANSFER)
    exempt(members[1], ExemptionKind.EXEMPTED)
    exempt(members[2], ExemptionKind.EXEMPTED)
    roster = voting_roster(cell=meeting_cell, on=DAY)
    assert (roster.official, roster.probationary, roster.temporarily_transferred, roster.exempted) == (6, 2, 1, 2)


def test_the_denominator_leaves_out_transferred_members_and_the_exempted_who_stay_away(meeting_cell):
    members = [official(meeting_cell) for _ in range(6)]
    probationary(meeting_cell)
    exempt(members[0], ExemptionKind.TEMPORARY_TRANSFER)
    exempt(members[1], ExemptionKind.EXEMPTED)
    exempt(members[2], ExemptionKind.EXEMPTED)
    roster = voting_roster(cell=meeting_cell, on=DAY)
    # official 6 − transferred 1 − absent exempted; probationary members never count
    assert roster.denominator() == 3
    assert roster.denominator(exempted_present=0) == 3
    assert roster.denominator(exempted_present=1) == 4
    assert roster.denominator(exempted_present=2) == 5


def test_a_member_who_becomes_official_on_the_meeting_day_counts_as_official_that_day(meeting_cell):
    official(meeting_cell)
    admitted = datetime.date(2025, 3, 2)
    MembershipFactory(cell=meeting_cell, admitted_on=admitted, joined_cell_on=admitted, official_on=DAY)
    the_day_before = voting_roster(cell=meeting_cell, on=DAY - ONE_DAY)
    on_the_day = voting_roster(cell=meeting_cell, on=DAY)
    assert (the_day_before.official, the_day_before.probationary) == (1, 1)
    assert (on_the_day.official, on_the_day.probationary) == (2, 0)
    assert the_day_before.denominator() == 1
    assert on_the_day.denominator() == 2


def test_members_who_left_before_the_meeting_or_join_after_it_are_not_on_the_roster(meeting_cell):
    official(meeting_cell)
    official(meeting_cell, left_cell_on=DAY)  # leaving is exclusive: gone on the day
    official(meeting_cell, left_cell_on=DAY + ONE_DAY)  # still there on the day
    official(meeting_cell, joined_cell_on=DAY + ONE_DAY)
    roster = voting_roster(cell=meeting_cell, on=DAY)
    assert (roster.official, roster.probationary) == (2, 0)


def test_an_exemption_counts_only_within_its_dates(meeting_cell):
    members = [official(meeting_cell) for _ in range(3)]
    exempt(members[0], ExemptionKind.EXEMPTED, starts_on=DAY + ONE_DAY)  # not yet
    exempt(members[1], ExemptionKind.EXEMPTED, starts_on=datetime.date(2025, 1, 1), ends_on=DAY)  # over (exclusive)
    exempt(members[2], ExemptionKind.TEMPORARY_TRANSFER, starts_on=DAY, ends_on=DAY + ONE_DAY)  # exactly that day
    roster = voting_roster(cell=meeting_cell, on=DAY)
    assert (roster.official, roster.temporarily_transferred, roster.exempted) == (3, 1, 0)
    assert roster.denominator() == 2
    later = voting_roster(cell=meeting_cell, on=DAY + ONE_DAY)
    assert (later.temporarily_transferred, later.exempted) == (0, 1)


def test_a_transferred_member_who_is_also_exempted_is_left_out_once(meeting_cell):
    members = [official(meeting_cell) for _ in range(4)]
    exempt(members[0], ExemptionKind.TEMPORARY_TRANSFER)
    exempt(members[0], ExemptionKind.EXEMPTED)
    roster = voting_roster(cell=meeting_cell, on=DAY)
    assert (roster.temporarily_transferred, roster.exempted) == (1, 0)
    assert roster.denominator() == 3


def test_the_cell_page_shows_the_roster_of_today(world, client, meeting_cell, authored):
    members = [official(meeting_cell) for _ in range(3)]
    probationary(meeting_cell)
    exempt(members[0], ExemptionKind.TEMPORARY_TRANSFER)
    with time_machine.travel(hanoi(DAY), tick=False):
        client.force_login(world.approver)
        response = client.get(org_url(meeting_cell.pk))
    assert response.status_code == 200
    roster = response.context["roster"]
    assert (roster.official, roster.probationary, roster.temporarily_transferred, roster.exempted) == (3, 1, 1, 0)
    assert len(member_row_person_ids(response)) == 4
