"""A service keeps its own savepoint outside a step (its caller may catch its error and go on), and joins the
step's transaction inside one (no savepoint: the step rolls back as a whole)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from admission.core.transactions import atomic_service, joining_step
from admission.party.models.orgs import OrgKind, PartyOrg
from tests.factories import make_org

pytestmark = pytest.mark.django_db


@atomic_service
def rename_then_fail(org: PartyOrg, name: str) -> None:
    PartyOrg.objects.filter(pk=org.pk).update(name=name)
    raise ValueError("refused")


@atomic_service
def rename(org: PartyOrg, name: str) -> None:
    PartyOrg.objects.filter(pk=org.pk).update(name=name)


def test_outside_a_step_a_failed_service_is_undone_and_its_caller_goes_on() -> None:
    org = make_org(OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh")
    with transaction.atomic():
        with pytest.raises(ValueError):
            rename_then_fail(org, "Tên sai")
        rename(org, "Tên đúng")  # the transaction is still usable
    org.refresh_from_db()
    assert org.name == "Tên đúng"


def test_inside_a_step_a_service_makes_no_savepoint_and_a_failure_ends_the_step() -> None:
    org = make_org(OrgKind.PROVINCE_COMMITTEE, name="Đảng bộ tỉnh")
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(ValueError),
        transaction.atomic(),
        joining_step(),
    ):
        rename(org, "Bước một")
        rename_then_fail(org, "Bước hai")
    made = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(made) == 1  # the step's own (the test runs inside a transaction); none for the two services
    org.refresh_from_db()
    assert org.name == "Đảng bộ tỉnh"  # the whole step rolled back
