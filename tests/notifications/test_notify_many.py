"""Notifying many at once (`notify_many`, the timer's reminders): each recipient's preferences and language are kept,
a pair that already exists or repeats in the batch is created once, the query count does not grow with the batch, and
the bulk look-up of who acts for many orgs gives what the one-org look-up gives."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from admission.party.models.roles import RoleKind
from admission.party.permissions import users_acting_for_org, users_acting_for_orgs
from notifications.models import Delivery, Language, Notification, NotificationKind
from notifications.services import Choice, Message, delegation_create, notify, notify_many, preferences_set
from tests.factories import UserFactory, give_role

K = NotificationKind


def _message(key: str) -> Message:
    from django.utils.translation import gettext as _

    return Message(kind=K.PROBATION_ENDING, key=key, title=lambda: _("Notifications"), body=lambda: key)


def test_each_recipient_gets_their_language_and_choice_once(world):
    english = UserFactory(username="reads-english", email="e@example.org")
    quiet = UserFactory(username="quiet", email="q@example.org")
    preferences_set(user=english, choices=[], language=Language.ENGLISH)
    preferences_set(
        user=quiet,
        choices=[Choice(K.PROBATION_ENDING, in_app=False, email=True, delivery=Delivery.IMMEDIATE)],
        language=Language.VIETNAMESE,
    )
    notify(users=[english], message=_message("already"))

    created = notify_many(
        [
            ([english, quiet, english], _message("already")),  # the English reader has it; a repeat counts once
            ([english, quiet], _message("new")),
        ]
    )

    assert sorted((n.user.username, n.key) for n in created) == [
        ("quiet", "already"),
        ("quiet", "new"),
        ("reads-english", "new"),
    ]
    assert Notification.objects.filter(user=english, key="already").count() == 1
    english_title = Notification.objects.get(user=english, key="new").title
    vietnamese_title = Notification.objects.get(user=quiet, key="new").title
    assert english_title == "Notifications" and vietnamese_title != english_title
    quiet_row = Notification.objects.get(user=quiet, key="new")
    assert (quiet_row.shown, quiet_row.delivery) == (False, Delivery.IMMEDIATE)
    assert notify_many([([english, quiet], _message("new"))]) == []


def test_the_queries_do_not_grow_with_the_number_of_messages(world):
    users = [UserFactory(username=f"u{n}") for n in range(3)]

    def count(keys: list[str]) -> int:
        with CaptureQueriesContext(connection) as queries:
            notify_many([(users, _message(key)) for key in keys])
        return len(queries.captured_queries)

    # 2 messages or 20 (60 rows: one insert even on SQLite, whose inserts carry at most 999 values)
    assert count(["a1", "a2"]) == count([f"b{n}" for n in range(20)])


def test_who_acts_for_many_orgs_is_who_acts_for_each(world):
    day = datetime.date(2026, 3, 2)
    deputy = UserFactory(username="deputy")
    give_role(deputy, world.village_cell, RoleKind.CELL_DEPUTY_SECRETARY)
    gone = UserFactory(username="gone", is_active=False)
    give_role(gone, world.village_cell, RoleKind.CELL_COMMITTEE_MEMBER)
    substitute = UserFactory(username="substitute")
    delegation_create(
        from_user=world.secretary,
        to_user=substitute,
        org=world.village_cell,
        starts_on=day,
        ends_on=day + datetime.timedelta(days=5),
        reason="Đi công tác",
        by=world.secretary,
    )
    orgs = [world.village_cell, world.commune, world.province]
    many = users_acting_for_orgs([org.pk for org in orgs], on=day)
    for org in orgs:
        assert sorted(u.pk for u in many[org.pk]) == sorted(u.pk for u in users_acting_for_org(org, on=day))
    assert {u.username for u in many[world.village_cell.pk]} >= {"secretary", "deputy", "substitute"}
    assert "gone" not in {u.username for u in many[world.village_cell.pk]}
