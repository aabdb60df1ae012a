"""Delegation of authority: the substitute acts within the dates only, sees the queue, and history says for whom."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_fsm_log.models import StateLog
from viewflow.workflow.models import Task

from admission.party import permissions
from admission.party.models.roles import RoleKind
from admission.party.services.roles import role_end, role_permissions_sync, role_permissions_sync_all
from admission.sourcing import selectors
from notifications.models import Notification, NotificationKind
from notifications.services import delegation_create, delegation_revoke
from tests.factories import UserFactory, give_role
from tests.notifications.helpers import DAY, at, first_task, open_case
from workflows import services
from workflows.steps import STEPS

D = datetime.date
START, END = D(2026, 3, 10), D(2026, 3, 20)


@pytest.fixture
def deputy(world):
    """A committee member of another cell of the same commune, with no role at the village cell."""
    user = UserFactory(username="deputy", first_name="Lý Thị", last_name="Phó")
    give_role(user, world.agency_cell, RoleKind.CELL_COMMITTEE_MEMBER)
    return user


def delegate(world, deputy, **kw):
    data = {
        "from_user": world.secretary,
        "to_user": deputy,
        "org": world.village_cell,
        "starts_on": START,
        "ends_on": END,
        "reason": "Đi học tập trung",
        "by": world.secretary,
    }
    with at(DAY):
        return delegation_create(**{**data, **kw})


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def in_queue(user, task):
    return Task.objects.user_queue(fresh(user)).filter(pk=task.pk).exists()


def sympathise(case, user):
    case.refresh_from_db()
    data = {"meeting_on": case.nominated_on}
    return services.run_step(
        candidate=case,
        node_name="list_sympathiser",
        user=user,
        action=lambda: STEPS["list_sympathiser"].action(case, user, data),
    )


def test_a_delegation_works_from_its_first_day_through_its_last_day_only(world, deputy):
    delegate(world, deputy)
    cell = world.village_cell
    assert not permissions.can_act_for_org(deputy, cell, on=START - datetime.timedelta(days=1))
    assert permissions.can_act_for_org(deputy, cell, on=START)
    assert permissions.can_act_for_org(deputy, cell, on=END - datetime.timedelta(days=1))
    assert not permissions.can_act_for_org(deputy, cell, on=END)
    assert cell.path in permissions.user_unit_paths(deputy, on=START)
    assert cell.path not in permissions.user_unit_paths(deputy, on=END)


def test_the_substitutes_queue_shows_the_task_only_while_the_delegation_runs(world, deputy):
    case = open_case(world, on=D(2026, 3, 9))
    task = first_task(case)
    delegate(world, deputy)
    with at(D(2026, 3, 9)):
        role_permissions_sync_all()
        assert not in_queue(deputy, task)
    with at(START):
        role_permissions_sync_all()  # the daily command
        assert in_queue(deputy, task)
        assert selectors.candidate_list_for_user(user=deputy).filter(pk=case.pk).exists()
    with at(END):
        role_permissions_sync_all()
        assert not in_queue(deputy, task)
        assert not selectors.candidate_list_for_user(user=deputy).filter(pk=case.pk).exists()


def test_the_history_says_on_whose_behalf_the_substitute_acted(world, deputy):
    case = open_case(world, on=D(2026, 3, 9))
    delegate(world, deputy)
    with at(START):
        role_permissions_sync(user=deputy)
        sympathise(case, fresh(deputy))
    log = StateLog.objects.for_(case).filter(transition="list_as_sympathiser").get()
    assert log.by == deputy
    assert log.description.endswith("(thay mặt / on behalf of Hoàng Văn Bí Thư)")


def test_the_delegator_acting_themself_is_not_marked_on_behalf(world, deputy):
    case = open_case(world, on=D(2026, 3, 9))
    delegate(world, deputy)
    with at(START):
        sympathise(case, world.secretary)
    log = StateLog.objects.for_(case).filter(transition="list_as_sympathiser").get()
    assert "on behalf" not in (log.description or "")


def test_a_revoked_delegation_loses_access_and_the_queue(world, deputy):
    case = open_case(world, on=D(2026, 3, 9))
    task = first_task(case)
    delegation = delegate(world, deputy)
    with at(START):
        role_permissions_sync(user=deputy)
        assert in_queue(deputy, task)
        delegation_revoke(delegation=delegation, by=world.secretary)
        assert not permissions.can_act_for_org(deputy, world.village_cell)
        assert not in_queue(deputy, task)
        with pytest.raises(Http404):  # the case is outside the deputy's units again
            sympathise(case, fresh(deputy))


def test_a_delegation_lapses_when_the_delegators_role_ends(world, deputy):
    delegate(world, deputy)
    role = world.secretary.roles.get(org=world.village_cell)
    with at(START):
        role_permissions_sync(user=deputy)
        role_end(role=role, on=D(2026, 3, 12))
    assert permissions.can_act_for_org(deputy, world.village_cell, on=D(2026, 3, 11))
    assert not permissions.can_act_for_org(deputy, world.village_cell, on=D(2026, 3, 12))


def test_the_substitute_is_told_once(world, deputy):
    delegation = delegate(world, deputy)
    assert list(Notification.objects.filter(user=deputy).values_list("kind", "key")) == [
        (NotificationKind.DELEGATION, f"delegation:{delegation.pk}")
    ]


def test_it_rejects_delegating_to_oneself_or_for_an_org_one_does_not_act_for(world, deputy):
    with pytest.raises(ValidationError, match="someone else"):
        delegate(world, deputy, to_user=world.secretary)
    with pytest.raises(ValidationError, match="does not act for"):
        delegate(world, deputy, org=world.commune)
    with pytest.raises(ValidationError, match="after the start"):
        delegate(world, deputy, ends_on=START)
    with pytest.raises(PermissionDenied):
        delegate(world, deputy, by=world.approver)


def test_a_substitute_cannot_delegate_further(world, deputy):
    delegate(world, deputy)
    other = UserFactory(username="other")
    with pytest.raises(ValidationError, match="does not act for"):
        delegate(world, deputy, from_user=deputy, to_user=other, by=deputy)


def test_only_the_delegator_revokes(world, deputy):
    delegation = delegate(world, deputy)
    with pytest.raises(PermissionDenied):
        delegation_revoke(delegation=delegation, by=deputy)
    delegation_revoke(delegation=delegation, by=world.secretary)
    with pytest.raises(ValidationError, match="already revoked"):
        delegation_revoke(delegation=delegation, by=world.secretary)


def test_substitutes_come_from_the_users_units_and_those_beside_them_never_another_commune(world, deputy):
    from notifications.forms import substitute_choices

    province_member = UserFactory(username="tinh.uy")
    give_role(province_member, world.province, RoleKind.STANDING_COMMITTEE_MEMBER)
    with at(DAY):
        secretary_may = set(substitute_choices(world.secretary).values_list("username", flat=True))
        approver_may = set(substitute_choices(world.approver).values_list("username", flat=True))
    # a cell secretary: colleagues under the same commune, the commune's own officials
    assert {"deputy", world.approver.username} <= secretary_may
    assert world.outsider.username not in secretary_may and world.secretary.username not in secretary_may
    # a commune approver: their commune and the province committee itself, not another commune's secretary
    assert {"deputy", world.secretary.username, "tinh.uy"} <= approver_may
    assert world.outsider.username not in approver_may
