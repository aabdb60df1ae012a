"""Dated roles drive two kinds of access: per-org permissions (queues) and the administrators' admin."""

from __future__ import annotations

import datetime

import time_machine

from admission.party.models.roles import RoleKind
from admission.party.services.roles import ADMINISTRATORS_GROUP, role_end, role_permissions_sync
from tests.factories import UserFactory, give_role


@time_machine.travel(datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC), tick=False)
def test_an_administrator_role_opens_the_admin_and_its_end_closes_it(world, client):
    admin = UserFactory(username="quantri")
    role = give_role(admin, world.province, RoleKind.ADMINISTRATOR, starts_on=datetime.date(2026, 1, 1))
    admin.refresh_from_db()
    assert admin.is_staff
    assert admin.groups.filter(name=ADMINISTRATORS_GROUP).exists()
    assert admin.has_perm("admission.change_ruleset")
    assert not admin.has_perm("admission.change_candidate")
    client.force_login(admin)
    assert client.get("/admin/admission/ruleset/").status_code == 200
    assert client.get("/admin/admission/candidate/").status_code in (403, 404)  # cases are never edited there
    role_end(role=role, on=datetime.date(2026, 3, 2))
    admin.refresh_from_db()
    assert not admin.is_staff
    assert not admin.groups.exists()


def test_an_administrator_role_grants_no_queue_permission(world):
    admin = UserFactory(username="quantri2")
    give_role(admin, world.province, RoleKind.ADMINISTRATOR)
    assert not admin.has_perm("admission.act_for_org", world.province)


def test_a_role_starting_later_is_synced_on_its_first_day(world):
    late = UserFactory(username="late")
    give_role(late, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY, starts_on=datetime.date(2030, 1, 1))
    assert not late.has_perm("admission.act_for_org", world.village_cell)
    role_permissions_sync(user=late, on=datetime.date(2030, 1, 1))
    late = type(late).objects.get(pk=late.pk)  # fresh permission cache
    assert late.has_perm("admission.act_for_org", world.village_cell)
