"""A database created by the release before the parts had folders of their own migrates to the new layout with
every row in place. The one model that changed Django app (the delegation: notifications → admission) keeps its
table, its rows and its content type's id."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import restore_migration_seed

# The leaf migrations of the release before the move (commit 78f0039).
PREVIOUS_RELEASE = [("admission", "0009_consents_are_records"), ("notifications", "0001_initial")]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _migrate(targets: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)


def test_a_previous_release_database_migrates_with_its_delegations_and_content_type_in_place() -> None:
    old = _migrate(PREVIOUS_RELEASE).loader.project_state(PREVIOUS_RELEASE).apps
    User = old.get_model("admission", "User")
    PartyOrg = old.get_model("admission", "PartyOrg")
    Delegation = old.get_model("notifications", "Delegation")
    ContentType = old.get_model("contenttypes", "ContentType")
    secretary = User.objects.create(username="upgrade-secretary")
    deputy = User.objects.create(username="upgrade-deputy")
    cell = PartyOrg.objects.create(code="UPGRADE-1", name="Chi bộ nâng cấp", kind="cell")
    old_row = Delegation.objects.create(
        from_user=secretary,
        to_user=deputy,
        org=cell,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 20),
        reason="Đi công tác",
    )
    content_type, _ = ContentType.objects.get_or_create(app_label="notifications", model="delegation")
    counts_before = {name: old.get_model("admission", name).objects.count() for name in ("User", "PartyOrg")}

    _migrate()

    from admission.party.models.delegations import Delegation as NewDelegation

    moved = NewDelegation.objects.get(pk=old_row.pk)
    assert (moved.from_user.username, moved.to_user.username, moved.org.name, moved.reason) == (
        "upgrade-secretary",
        "upgrade-deputy",
        "Chi bộ nâng cấp",
        "Đi công tác",
    )
    assert (moved.starts_on, moved.ends_on) == (date(2026, 1, 5), date(2026, 1, 20))
    assert NewDelegation._meta.db_table == "notifications_delegation"
    relabelled = current_apps.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (relabelled.app_label, relabelled.model) == ("admission", "delegation")
    for name, count in counts_before.items():
        assert current_apps.get_model("admission", name).objects.count() == count


def test_the_move_can_be_rolled_back_to_the_previous_release() -> None:
    _migrate()
    from admission.party.models.delegations import Delegation as NewDelegation
    from admission.party.models.orgs import PartyOrg
    from admission.party.models.users import User

    a, b = User.objects.create(username="back-a"), User.objects.create(username="back-b")
    cell = PartyOrg.objects.create(code="UPGRADE-2", name="Chi bộ lùi", kind="cell")
    row = NewDelegation.objects.create(
        from_user=a, to_user=b, org=cell, starts_on=date(2026, 2, 2), ends_on=date(2026, 2, 9), reason="Nghỉ phép"
    )

    old = _migrate(PREVIOUS_RELEASE).loader.project_state(PREVIOUS_RELEASE).apps

    assert old.get_model("notifications", "Delegation").objects.get(pk=row.pk).reason == "Nghỉ phép"
    _migrate()


@pytest.fixture(autouse=True)
def _back_to_the_current_schema_and_rule_sets():
    yield
    _migrate()
    restore_migration_seed()
