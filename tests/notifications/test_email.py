"""Email: immediate or in the daily digest, per the user's choice and language; never twice."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.management import call_command

from notifications.models import Delivery, Language, Notification, NotificationKind
from notifications.scan import scan
from notifications.services import Choice, digests_send, preferences_set
from tests.notifications.helpers import DAY, at, open_case, working_days_after

K = NotificationKind


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


def test_the_digest_groups_a_users_notifications_in_one_email_and_never_sends_one_twice(world):
    with_email(world.secretary)
    preferences_set(user=world.secretary, choices=[], language=Language.ENGLISH)
    open_case(world)
    open_case(world)
    with at(DAY):
        scan()
        assert len(mail.outbox) == 0  # digest by default: nothing at once
        assert digests_send() == 1
        assert digests_send() == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["secretary@example.org"]
    assert email.subject == "Daily digest of 02/03/2026: 2 notifications"
    assert email.body.count("New task: Put on the sympathiser list") == 2
    assert email.alternatives and "New task" in email.alternatives[0][0]
    assert Notification.objects.filter(user=world.secretary, emailed_at__isnull=True).count() == 0


def test_the_next_digest_carries_only_what_is_new(world):
    with_email(world.secretary)
    preferences_set(user=world.secretary, choices=[], language=Language.ENGLISH)
    open_case(world)
    with at(DAY):
        scan()
        digests_send()
    five_left = working_days_after(DAY, 5)
    with at(five_left):
        scan()
        call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2
    assert "Due by" in mail.outbox[1].body and "New task" not in mail.outbox[1].body


def test_an_immediate_choice_sends_one_email_after_commit_and_the_digest_skips_it(
    world, django_capture_on_commit_callbacks
):
    with_email(world.secretary)
    preferences_set(
        user=world.secretary,
        choices=[Choice(K.TASK_ASSIGNED, True, True, Delivery.IMMEDIATE)],
        language=Language.ENGLISH,
    )
    open_case(world)
    with at(DAY), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "New task: Put on the sympathiser list"
    with at(DAY):
        assert digests_send() == 0


def test_no_email_when_the_user_turned_it_off_or_has_no_address(world):
    with_email(world.secretary)
    preferences_set(user=world.secretary, choices=[Choice(K.TASK_ASSIGNED, True, False, Delivery.DIGEST)])
    world.approver.email = ""
    world.approver.save()
    open_case(world)
    with at(DAY):
        scan()
        assert digests_send() == 0
    assert Notification.objects.get(user=world.secretary).delivery == ""


def test_a_kind_hidden_from_the_centre_is_still_recorded_once(world):
    preferences_set(user=world.secretary, choices=[Choice(K.TASK_ASSIGNED, False, False, Delivery.DIGEST)])
    open_case(world)
    with at(DAY):
        scan()
        scan()
    assert list(Notification.objects.filter(user=world.secretary).values_list("shown", flat=True)) == [False]


def test_the_email_is_written_in_the_users_language(world):
    with_email(world.secretary)
    preferences_set(user=world.secretary, choices=[], language=Language.ENGLISH)
    open_case(world)
    with at(DAY):
        scan()
        digests_send()
    assert mail.outbox[0].subject.startswith("Daily digest")
    assert "Party admission" in mail.outbox[0].body


def test_a_digest_never_includes_tomorrows_notifications(world):
    with_email(world.secretary)
    open_case(world)
    with at(DAY):
        scan()
    assert digests_send(on=DAY - datetime.timedelta(days=1)) == 0
