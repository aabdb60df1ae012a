"""Several reads in one round trip (`values_together`): the same rows as each read alone, in one statement on
PostgreSQL; a column JSON cannot carry is refused."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admission.core.reads import values_together
from admission.party.models.orgs import PartyOrg
from admission.party.models.roles import Role, RoleKind
from admission.rules.models.rulesets import RuleSet
from tests.factories import give_role

pytestmark = pytest.mark.django_db


def test_each_read_gives_the_rows_it_gives_alone(world):
    give_role(world.outsider, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY, starts_on=datetime.date(2025, 2, 28))
    reads = [
        # integers, text, a nullable date, a date-time, a boolean and a JSON column, through a join
        Role.objects.order_by().values_list("pk", "kind", "starts_on", "ends_on", "org__name", "user__date_joined"),
        PartyOrg.objects.filter(path__startswith=world.commune.path).order_by().values_list("pk", "path", "valid_to"),
        RuleSet.objects.order_by().values_list("pk", "code", "effective_from", "locked"),
        Role.objects.filter(pk__in=[]).order_by().values_list("pk", "starts_on"),  # no row
    ]
    alone = [sorted(tuple(row) for row in read.all()) for read in reads]
    with CaptureQueriesContext(connection) as queries:
        together = values_together(reads)
    assert [sorted(rows) for rows in together] == alone
    assert alone[0] and alone[1] and alone[2] and not alone[3]
    assert any(isinstance(row[2], datetime.date) for row in together[0])
    assert all(isinstance(row[5], datetime.datetime) for row in together[0])
    # one statement on PostgreSQL; elsewhere one per read that can find something
    assert len(queries) == (1 if connection.vendor == "postgresql" else len(reads) - 1)


def test_nothing_to_read_costs_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert values_together([]) == []
    assert len(queries) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's")
def test_a_column_json_would_change_is_refused(world):
    from django.db.models import DecimalField, Value
    from django.db.models.functions import Cast

    read = PartyOrg.objects.annotate(
        ratio=Cast(Value("1.5"), DecimalField(max_digits=4, decimal_places=2))
    ).values_list("pk", "ratio")
    with pytest.raises(TypeError, match="DecimalField"):
        values_together([read])
