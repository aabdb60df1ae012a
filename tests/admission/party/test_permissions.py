"""Who may see or act on what: the scope of dated roles, and the per-org grants (django-guardian) they drive.

viewflow's queues match `admission.act_for_org` on an org object, so the grant must exist exactly while a role at
that org is active, must never be global, and must follow dates even when nobody touches the role.
"""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import Http404

from admission.party import permissions
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.roles import RoleKind
from admission.party.services.orgs import org_move
from admission.party.services.roles import role_end
from tests.factories import UserFactory, give_role, make_org

ACT = "admission.act_for_org"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 3, 2)
ONE_DAY = datetime.timedelta(days=1)


def hanoi(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HCM)


def fresh(user):
    """The user reloaded, so that no permission cache of an earlier check answers for the database."""
    return type(user).objects.get(pk=user.pk)


def sync_command() -> str:
    out = StringIO()
    call_command("sync_role_permissions", stdout=out)
    return out.getvalue()


# --- guardian grants ---------------------------------------------------------------------------------------------


def test_assigning_a_role_grants_act_for_org_on_that_org_and_not_globally(world):
    deputy = UserFactory(username="deputy")
    assert not fresh(deputy).has_perm(ACT, world.village_cell)
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY)
    deputy = fresh(deputy)
    assert deputy.has_perm(ACT, world.village_cell) is True
    assert deputy.has_perm(ACT) is False
    assert not deputy.has_perm(ACT, world.other_cell)


@pytest.mark.parametrize(
    ("persona", "own_unit"),
    [("secretary", "village_cell"), ("approver", "commune"), ("agency_officer", "agency"), ("outsider", "other_cell")],
)
def test_each_persona_holds_the_grant_at_its_own_unit_only_not_below_or_above(world, persona, own_unit):
    user = fresh(getattr(world, persona))
    for unit in ("province", "commune", "agency", "partial", "cell", "agency_cell", "village_cell", "other_cell"):
        assert user.has_perm(ACT, getattr(world, unit)) is (unit == own_unit), unit
    assert user.has_perm(ACT) is False


def test_ending_a_role_today_removes_its_grant(world):
    with time_machine.travel(hanoi(DAY), tick=False):
        role_end(role=world.secretary.roles.get(), on=DAY)
    assert not fresh(world.secretary).has_perm(ACT, world.village_cell)


def test_a_role_ending_on_a_later_day_keeps_its_grant_until_then(world):
    with time_machine.travel(hanoi(DAY), tick=False):
        role_end(role=world.secretary.roles.get(), on=DAY + ONE_DAY)
    assert fresh(world.secretary).has_perm(ACT, world.village_cell)


def test_sync_role_permissions_revokes_a_grant_whose_role_ended_by_date_without_anyone_touching_it(world):
    acting = UserFactory(username="acting")
    with time_machine.travel(hanoi(DAY), tick=False):
        give_role(acting, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY, ends_on=DAY + ONE_DAY)
        assert fresh(acting).has_perm(ACT, world.village_cell)
    with time_machine.travel(hanoi(DAY + ONE_DAY), tick=False):
        # the role ended at midnight, but nothing has run yet: the grant is still there
        assert fresh(acting).has_perm(ACT, world.village_cell)
        sync_command()
        assert not fresh(acting).has_perm(ACT, world.village_cell)
        # the personas' roles are still active: the command leaves their grants alone
        assert fresh(world.secretary).has_perm(ACT, world.village_cell)
        assert fresh(world.approver).has_perm(ACT, world.commune)


def test_sync_role_permissions_grants_a_role_on_its_first_day_and_not_before(world):
    deputy = UserFactory(username="deputy")
    with time_machine.travel(hanoi(DAY), tick=False):
        give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY, starts_on=DAY + ONE_DAY)
        sync_command()
        assert not fresh(deputy).has_perm(ACT, world.village_cell)
    with time_machine.travel(hanoi(DAY + ONE_DAY), tick=False):
        sync_command()
        assert fresh(deputy).has_perm(ACT, world.village_cell)
        assert fresh(deputy).has_perm(ACT) is False


def test_sync_role_permissions_changes_nothing_when_grants_match_the_roles(world):
    before = {u: fresh(getattr(world, u)).has_perm(ACT, world.village_cell) for u in ("secretary", "approver")}
    sync_command()
    after = {u: fresh(getattr(world, u)).has_perm(ACT, world.village_cell) for u in ("secretary", "approver")}
    assert before == after == {"secretary": True, "approver": False}


def test_ending_one_of_two_roles_at_the_same_org_keeps_the_grant(world):
    second = give_role(world.secretary, world.village_cell, RoleKind.CELL_COMMITTEE_MEMBER)
    role_end(role=second, on=datetime.date(2025, 1, 1))
    assert fresh(world.secretary).has_perm(ACT, world.village_cell)


def test_grants_at_two_orgs_come_and_go_independently(world):
    user = UserFactory(username="two-hats")
    at_cell = give_role(user, world.agency_cell, RoleKind.CELL_SECRETARY)
    give_role(user, world.agency, RoleKind.COMMITTEE_MEMBER)
    role_end(role=at_cell, on=datetime.date(2025, 1, 1))
    user = fresh(user)
    assert not user.has_perm(ACT, world.agency_cell)
    assert user.has_perm(ACT, world.agency)


# --- scope and acting ---------------------------------------------------------------------------------------------


def test_a_user_may_view_the_units_below_their_role_but_act_only_where_the_role_is(world):
    assert permissions.can_view_org(world.approver, world.village_cell)
    assert permissions.can_view_org(world.approver, world.agency_cell)
    assert not permissions.can_view_org(world.approver, world.other_cell)
    assert not permissions.can_view_org(world.approver, world.province)
    assert permissions.can_act_for_org(world.approver, world.commune)
    assert not permissions.can_act_for_org(world.approver, world.village_cell)
    assert not permissions.can_act_for_org(world.secretary, world.commune)


def test_an_administrator_role_opens_the_scope_but_does_not_act(world):
    admin = UserFactory(username="quantri-scope")
    give_role(admin, world.commune, RoleKind.ADMINISTRATOR)
    assert permissions.can_administer(admin)
    assert permissions.can_view_org(admin, world.village_cell)
    assert not permissions.can_act_for_org(admin, world.commune)


def test_a_login_without_a_role_and_an_anonymous_visitor_see_nothing(world):
    for user in (world.candidate_user, AnonymousUser()):
        assert permissions.user_unit_paths(user) == []
        assert not permissions.orgs_in_scope(user).exists()
        assert not permissions.can_act_for_org(user, world.village_cell)


def test_nested_roles_fold_into_the_higher_unit(world):
    give_role(world.approver, world.village_cell, RoleKind.CELL_COMMITTEE_MEMBER)
    assert permissions.user_unit_paths(world.approver) == [world.commune.path]
    give_role(world.approver, world.other_cell, RoleKind.CELL_COMMITTEE_MEMBER)
    assert sorted(permissions.user_unit_paths(world.approver)) == sorted([world.commune.path, world.other_cell.path])


def test_the_scope_follows_the_dates_of_the_roles(world):
    give_role(world.outsider, world.village_cell, RoleKind.CELL_COMMITTEE_MEMBER, starts_on=DAY)
    assert set(permissions.orgs_in_scope(world.outsider, on=DAY - ONE_DAY)) == {world.other_cell}
    assert set(permissions.orgs_in_scope(world.outsider, on=DAY)) == {world.other_cell, world.village_cell}


def test_a_unit_whose_path_merely_starts_with_the_same_digits_is_outside_the_scope(world):
    """Paths are ids joined by "/": /1/2/ must not match /1/23/."""
    lookalike = PartyOrg.objects.create(
        code="LOOKALIKE",
        name="Chi bộ trùng tiền tố",
        kind=OrgKind.GRASSROOTS_CELL,
        parent=world.commune,
        path=world.village_cell.path.rstrip("/") + "7/",
        valid_from=datetime.date(2020, 1, 1),
    )
    assert lookalike not in permissions.orgs_in_scope(world.secretary)
    with pytest.raises(Http404):
        permissions.get_org_or_404(world.secretary, lookalike.pk)


def test_the_scope_moves_with_a_unit_moved_under_another_commune(world):
    moved = make_org(OrgKind.GRASSROOTS_CELL, world.commune, name="Chi bộ thôn Pắc Pò")
    org_move(org=moved, new_parent=world.other_commune, on=datetime.date(2026, 1, 1), reason="Sáp nhập")
    assert moved not in permissions.orgs_in_scope(world.approver)
    other_secretary = UserFactory(username="other-commune")
    give_role(other_secretary, world.other_commune, RoleKind.STANDING_COMMITTEE_MEMBER)
    assert moved in permissions.orgs_in_scope(other_secretary)
