"""The request memory keeps who acts for what for one request, and never past a write that changes it; the step
memory keeps a case until the case is saved."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from admission.core.request_cache import per_step, request_memory, step_memory
from admission.party import permissions
from admission.party.models.orgs import OrgKind
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import Candidate
from tests.factories import UserFactory, give_role, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    province = make_org(OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh")
    commune = make_org(OrgKind.COMMUNE_COMMITTEE, province, name="Đảng bộ xã A")
    return make_org(OrgKind.CELL, commune, name="Chi bộ thôn 1"), make_org(OrgKind.CELL, commune, name="Chi bộ thôn 2")


def test_inside_a_request_the_roles_are_read_once(orgs):
    cell, other = orgs
    user = UserFactory()
    give_role(user, cell, RoleKind.CELL_SECRETARY)
    with request_memory():
        with CaptureQueriesContext(connection) as first:
            assert permissions.can_act_for_org(user, cell)
            assert not permissions.can_act_for_org(user, other)
        with CaptureQueriesContext(connection) as again:
            assert permissions.can_act_for_org(user, cell)
            assert not permissions.can_act_for_org(user, other)
            assert permissions.user_unit_paths(user) == [cell.path]
    assert len(first.captured_queries) == 2  # the roles, the delegations
    assert len(again.captured_queries) == 0


def test_outside_a_request_nothing_is_kept(orgs):
    cell, _other = orgs
    user = UserFactory()
    give_role(user, cell, RoleKind.CELL_SECRETARY)
    permissions.can_act_for_org(user, cell)
    with CaptureQueriesContext(connection) as again:
        permissions.can_act_for_org(user, cell)
    assert len(again.captured_queries) >= 1


def test_a_role_granted_in_the_request_is_seen_at_once(orgs):
    cell, other = orgs
    user = UserFactory()
    give_role(user, cell, RoleKind.CELL_SECRETARY)
    with request_memory():
        assert not permissions.can_act_for_org(user, other)
        give_role(user, other, RoleKind.CELL_SECRETARY)
        assert permissions.can_act_for_org(user, other)
        assert sorted(permissions.user_unit_paths(user)) == sorted([cell.path, other.path])


def test_a_role_granted_then_rolled_back_is_not_remembered(orgs):
    cell, other = orgs
    user = UserFactory()
    give_role(user, cell, RoleKind.CELL_SECRETARY)
    with request_memory():
        with pytest.raises(RuntimeError), transaction.atomic():
            give_role(user, other, RoleKind.CELL_SECRETARY)
            assert permissions.can_act_for_org(user, other)  # read while the write stands
            raise RuntimeError("rolled back")
        assert not permissions.can_act_for_org(user, other)


def test_a_role_ended_in_the_request_stops_acting_at_once(orgs):
    cell, _other = orgs
    user = UserFactory()
    role = give_role(user, cell, RoleKind.CELL_SECRETARY)
    with request_memory():
        assert permissions.can_act_for_org(user, cell)
        role.delete()
        assert not permissions.can_act_for_org(user, cell)


def _case(world):
    from tests.factories import PersonFactory
    from workflows import services

    return services.case_nominate(
        person=PersonFactory(),
        cell=world.village_cell,
        nominated_by="cell",
        nominated_on=datetime.date(2025, 11, 3),
        by=world.secretary,
    )


def _read(case):
    return per_step(("candidate", case.pk), lambda: Candidate.objects.get(pk=case.pk))


def test_a_case_saved_whole_in_the_step_is_the_step_memorys_copy_from_then_on(world):
    case = _case(world)
    with step_memory():
        first = _read(case)
        assert _read(case) is first
        saved = Candidate.objects.get(pk=case.pk)
        saved.nomination_note = "Ghi chú mới"
        saved.save()
        with CaptureQueriesContext(connection) as reads:
            again = _read(case)
        assert again is saved and again.nomination_note == "Ghi chú mới"
        assert len(reads.captured_queries) == 0


def test_a_case_saved_in_part_is_read_again(world):
    case = _case(world)
    with step_memory():
        first = _read(case)
        changed = Candidate.objects.get(pk=case.pk)
        changed.nomination_note = "Ghi chú mới"
        changed.closing_reason = "not written"
        changed.save(update_fields=["nomination_note"])
        again = _read(case)
        assert again is not first and again is not changed
        assert again.nomination_note == "Ghi chú mới" and again.closing_reason == ""


def test_a_case_saved_inside_a_savepoint_that_is_rolled_back_is_read_again(world):
    case = _case(world)
    with step_memory():
        _read(case)
        with pytest.raises(RuntimeError), transaction.atomic():
            changed = Candidate.objects.get(pk=case.pk)
            changed.nomination_note = "Ghi chú bị hủy"
            changed.save()
            raise RuntimeError("rolled back")
        again = _read(case)
        assert again is not changed and again.nomination_note != "Ghi chú bị hủy"


def test_a_cells_roster_is_read_once_and_afresh_after_any_membership_is_written(world):
    from admission.party.selectors import cell_roster
    from tests.factories import MembershipFactory

    cell, day = world.village_cell, datetime.date(2026, 3, 2)
    with request_memory():
        members, _guests = cell_roster(cell=cell, on=day)
        with CaptureQueriesContext(connection) as again:
            assert [m.pk for m in cell_roster(cell=cell, on=day)[0]] == [m.pk for m in members]
        assert len(again.captured_queries) == 0
        with pytest.raises(RuntimeError), transaction.atomic():
            added = MembershipFactory(cell=cell, joined_cell_on=datetime.date(2025, 1, 1))
            assert added.pk in {m.pk for m in cell_roster(cell=cell, on=day)[0]}  # read while the write stands
            raise RuntimeError("rolled back")
        after = {m.pk for m in cell_roster(cell=cell, on=day)[0]}
        assert added.pk not in after and after == {m.pk for m in members}


def test_a_persons_certificate_is_read_afresh_once_a_certificate_is_written(world):
    from admission.sourcing.eligibility import latest_certificate
    from admission.sourcing.models.training import AwarenessCertificate

    case = _case(world)
    day = datetime.date(2026, 3, 2)
    with request_memory():
        assert latest_certificate(case, day) is None
        issued = AwarenessCertificate.objects.create(
            person=case.person, number="12/GCN", issued_on=day, issuer="Trung tâm chính trị"
        )
        assert latest_certificate(case, day) == issued
