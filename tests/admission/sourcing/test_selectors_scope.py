"""One case looked up for a user (`candidate_get_for_user`, one query) finds exactly the cases the user's list shows:
the cases of their units, a probationer moving into one of their cells, their own case as the candidate, every
case for a superuser; anyone else gets 404."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from admission.core.request_cache import request_memory
from admission.party.models.roles import RoleKind
from admission.probation.services import transfer_out
from admission.sourcing import selectors
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.services.candidates import candidate_nominate
from tests.admission.probation.helpers import at, probationer
from tests.factories import PersonFactory, UserFactory, give_role

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


def _nominate(world, cell, by):
    return candidate_nominate(
        person=PersonFactory(), cell=cell, nominated_by="youth_union", nominated_on=D(2026, 2, 20), by=by
    )


def _found(user, case) -> bool:
    try:
        selectors.candidate_get_for_user(user=user, pk=case.pk)
    except Http404:
        return False
    return True


def _listed(user, case) -> bool:
    return selectors.candidate_list_for_user(user=user).filter(pk=case.pk).exists()


def test_the_lookup_of_one_case_agrees_with_the_list_for_every_kind_of_reader(world):
    with at(D(2026, 2, 20)):
        village = _nominate(world, world.village_cell, world.secretary)
        other_secretary = UserFactory(username="bithu.khetien")
        give_role(other_secretary, world.other_cell, RoleKind.CELL_SECRETARY)
        elsewhere = _nominate(world, world.other_cell, other_secretary)
    own_login = UserFactory(username="quanchung")
    village.person.user = own_login
    village.person.save(update_fields=["user"])
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    readers = {
        "secretary": world.secretary,
        "approver": world.approver,
        "outsider": world.outsider,
        "own candidate": own_login,
        "no role": world.candidate_user,
        "superuser": admin,
    }
    expected = {
        ("secretary", "village"): True,
        ("secretary", "elsewhere"): False,
        ("approver", "village"): True,  # the commune's standing committee sees its cells
        ("approver", "elsewhere"): False,
        ("outsider", "village"): False,
        ("outsider", "elsewhere"): True,  # the outsider is the secretary of a cell of the other commune
        ("own candidate", "village"): True,
        ("own candidate", "elsewhere"): False,
        ("no role", "village"): False,
        ("no role", "elsewhere"): False,
        ("superuser", "village"): True,
        ("superuser", "elsewhere"): True,
    }
    seen = {}
    for who, user in readers.items():
        for name, case in (("village", village), ("elsewhere", elsewhere)):
            with at(D(2026, 2, 21)):
                seen[(who, name)] = (_found(user, case), _listed(user, case))
    assert seen == {key: (value, value) for key, value in expected.items()}


def test_a_probationer_moving_in_is_found_by_the_receiving_cell_only(world):
    probation = probationer(world)
    receiving = UserFactory(username="bithu.toan")
    give_role(receiving, world.cell, RoleKind.CELL_SECRETARY)
    case = Candidate.objects.get(pk=probation.candidate_id)
    with at(D(2026, 3, 2)):
        assert not _found(receiving, case)
        transfer_out(
            probation=probation,
            moved_on=D(2026, 3, 2),
            former_cell_comment="Hoàn thành tốt nhiệm vụ.",
            to_cell=world.cell,
            by=world.secretary,
        )
        assert _found(receiving, case) and _listed(receiving, case)
        assert not _found(world.outsider, case)


def test_one_case_is_found_in_one_query_once_the_scope_is_known(world):
    with at(D(2026, 2, 20)):
        case = _nominate(world, world.village_cell, world.secretary)
    with at(D(2026, 2, 21)), request_memory():
        selectors.candidate_list_for_user(user=world.secretary).count()  # the roles and the scope, remembered
        with CaptureQueriesContext(connection) as queries:
            selectors.candidate_get_for_user(user=world.secretary, pk=case.pk)
    assert len(queries) == 1, [q["sql"] for q in queries]
