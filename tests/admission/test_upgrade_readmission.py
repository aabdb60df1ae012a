"""The re-admission facts a case kept before this release (left on, reason, expungement, earlier re-admissions)
become the person's earlier membership when the database migrates; the earlier admission date stays unknown."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import restore_migration_seed

BEFORE = [("admission", "0013_snapshot_durations_and_report_indexes")]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _migrate(targets: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)


def test_a_readmission_case_of_the_previous_release_keeps_its_facts_as_an_earlier_membership() -> None:
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    PartyOrg = old.get_model("admission", "PartyOrg")
    Person = old.get_model("admission", "Person")
    RuleSet = old.get_model("admission", "RuleSet")
    Candidate = old.get_model("admission", "Candidate")
    cell = PartyOrg.objects.create(code="UPGRADE-14", name="Chi bộ nâng cấp 14", kind="cell")
    rule_set = RuleSet.objects.order_by("effective_from").first()
    people = [
        Person.objects.create(citizen_id=f"02208000{n:04d}", full_name=f"Người {n}", date_of_birth=date(1980, 1, 1))
        for n in range(2)
    ]
    common = {"cell": cell, "rule_set": rule_set, "nominated_by": "cell", "opened_on": date(2026, 1, 5)}
    Candidate.objects.create(
        code="KN-UP-1",
        person=people[0],
        nominated_on=date(2026, 1, 5),
        is_readmission=True,
        left_party_on=date(2020, 3, 10),
        leaving_reason="family_reasons",
        conviction_expunged_on=date(2021, 1, 1),
        previous_readmissions=1,
        **common,
    )
    Candidate.objects.create(code="KN-UP-2", person=people[1], nominated_on=date(2026, 1, 5), **common)

    _migrate()

    from admission.party.models.earlier import EarlierMembership

    carried = EarlierMembership.objects.get()
    assert carried.person_id == people[0].pk
    assert (carried.left_on, carried.how_left, carried.conviction_expunged_on) == (
        date(2020, 3, 10),
        "family_reasons",
        date(2021, 1, 1),
    )
    assert carried.admitted_on is None and carried.was_readmission
    assert "KN-UP-1" in carried.note


@pytest.fixture(autouse=True)
def _back_to_the_current_schema_and_rule_sets():
    yield
    _migrate()
    restore_migration_seed()
