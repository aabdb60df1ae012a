"""Writes: creating notifications (once per event), preferences, reading, emailing, digests, delegations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.party.models.delegations import Delegation
from admission.party.models.orgs import PartyOrg
from admission.party.services.roles import role_permissions_sync
from admission.rules.reference import normalise_text
from admission.sourcing.models.candidates import Candidate
from notifications.models import (
    Delivery,
    Language,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSettings,
)

# ------------------------------------------------------------------------------------------------------------------
# Preferences
# ------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    kind: str
    in_app: bool
    email: bool
    delivery: str


def _choices(rows: Iterable[NotificationPreference]) -> dict[str, Choice]:
    by_kind = {p.kind: p for p in rows}
    result: dict[str, Choice] = {}
    for kind in NotificationKind.values:
        row = by_kind.get(kind)
        result[kind] = (
            Choice(kind, row.in_app, row.email, row.delivery) if row else Choice(kind, True, True, Delivery.DIGEST)
        )
    return result


def preferences_for(user: Any) -> dict[str, Choice]:
    """Every kind with the user's choice (default: in the centre, emailed in the daily digest)."""
    return _choices(NotificationPreference.objects.filter(user=user))


def language_of(user: Any) -> str:
    row = NotificationSettings.objects.filter(user=user).first()
    return row.language if row else Language.VIETNAMESE


@transaction.atomic
def preferences_set(*, user: Any, choices: Iterable[Choice], language: str | None = None) -> dict[str, Choice]:
    for choice in choices:
        if choice.kind not in NotificationKind.values:
            raise ValidationError(_("Unknown kind of notification: %(kind)s.") % {"kind": choice.kind})
        if choice.delivery not in Delivery.values:
            raise ValidationError(_("Choose when to receive the email."))
        NotificationPreference.objects.update_or_create(
            user=user,
            kind=choice.kind,
            defaults={"in_app": choice.in_app, "email": choice.email, "delivery": choice.delivery},
        )
    if language is not None:
        if language not in Language.values:
            raise ValidationError(_("Choose Vietnamese or English."))
        NotificationSettings.objects.update_or_create(user=user, defaults={"language": language})
    return preferences_for(user)


# ------------------------------------------------------------------------------------------------------------------
# Creating notifications
# ------------------------------------------------------------------------------------------------------------------


# Sent by `notify` with the ids of the notifications to email at once; `notifications.signals` enqueues the email
# job when the transaction commits. The job's module also runs the scan, which notifies, so it is not imported here.
immediate_emails = Signal()


@dataclass(frozen=True)
class Message:
    """What to say, built in the recipient's language (a callable, so that each user reads their own)."""

    kind: str
    key: str
    title: Any  # () -> str
    body: Any  # () -> str
    url: str = ""
    candidate: Candidate | None = None
    task_id: int | None = None


def notify(*, users: Iterable[Any], message: Message) -> list[Notification]:
    """Create the notification for each user who does not have it yet (unique per user and event key), following
    their preferences; immediate emails go out after the transaction commits. Returns the new notifications."""
    return notify_many([(users, message)])


# Messages handled per round of `notify_many`: bounds the IN lists (SQLite's variable limit) and the memory.
_NOTIFY_ROUND = 400


def notify_many(batches: Iterable[tuple[Iterable[Any], Message]]) -> list[Notification]:
    """`notify` for many messages in a few set-based queries per round (the timer's reminders to thousands of cases
    at once): existing notifications, preferences and languages are read once per round, the new rows are inserted
    together, and a row a concurrent writer created first is skipped (ON CONFLICT DO NOTHING), never doubled."""
    pending = [(list(users), message) for users, message in batches]
    created: list[Notification] = []
    for start in range(0, len(pending), _NOTIFY_ROUND):
        created.extend(_notify_round(pending[start : start + _NOTIFY_ROUND]))
    immediate = [n.pk for n in created if n.delivery == Delivery.IMMEDIATE]
    if immediate:
        immediate_emails.send(sender=Notification, ids=immediate)
    return created


def _notify_round(batches: list[tuple[list[Any], Message]]) -> list[Notification]:
    keys = {message.key for _users, message in batches}
    users = {user.pk: user for recipients, _message in batches for user in recipients}
    if not keys or not users:
        return []
    existing = set(Notification.objects.filter(key__in=keys, user_id__in=users).values_list("user_id", "key"))
    preferences: dict[int, list[NotificationPreference]] = {pk: [] for pk in users}
    for row in NotificationPreference.objects.filter(user_id__in=users):
        preferences[row.user_id].append(row)
    choices = {pk: _choices(rows) for pk, rows in preferences.items()}
    languages = dict(NotificationSettings.objects.filter(user_id__in=users).values_list("user_id", "language"))
    rows: list[Notification] = []
    for recipients, message in batches:
        texts: dict[str, tuple[str, str]] = {}
        for user in recipients:
            if (user.pk, message.key) in existing:
                continue
            existing.add((user.pk, message.key))
            language = languages.get(user.pk, Language.VIETNAMESE)
            if language not in texts:
                with translation.override(language):
                    texts[language] = (
                        normalise_text(str(message.title()))[:255],
                        normalise_text(str(message.body())),
                    )
            title, body = texts[language]
            choice = choices[user.pk][message.kind]
            rows.append(
                Notification(
                    user=user,
                    kind=message.kind,
                    key=message.key,
                    candidate=message.candidate,
                    task_id=message.task_id,
                    title=title,
                    body=body,
                    url=message.url,
                    shown=choice.in_app,
                    delivery=choice.delivery if choice.email and user.email else "",
                )
            )
    if not rows:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # ON CONFLICT DO NOTHING gives no ids back: read the rows back by their pairs and this round's time (a pair that
    # a concurrent writer inserted before this round began is theirs and is left out).
    wanted = {(row.user_id, row.key) for row in rows}
    stamp = min(row.created for row in rows)
    written = Notification.objects.filter(
        key__in={row.key for row in rows}, user_id__in={row.user_id for row in rows}, created__gte=stamp
    ).order_by("pk")
    return [n for n in written if (n.user_id, n.key) in wanted]


# ------------------------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------------------------


def notification_mark_read(*, user: Any, pk: int) -> Notification:
    """Mark one of the user's own notifications read (someone else's does not exist for them)."""
    from django.http import Http404

    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# ------------------------------------------------------------------------------------------------------------------
# Email
# ------------------------------------------------------------------------------------------------------------------


def _absolute(url: str) -> str:
    if not url or url.startswith("http"):
        return url
    return settings.PUBLIC_BASE_URL.rstrip("/") + url


def _send(user: Any, template: str, subject: str, context: dict[str, Any]) -> None:
    context = {"user": user, "base_url": settings.PUBLIC_BASE_URL.rstrip("/"), **context}
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    email = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    email.attach_alternative(html, "text/html")
    email.send()


def notifications_email(*, ids: Iterable[int]) -> int:
    """Email each notification of `ids` that is still unsent, one email each (immediate delivery)."""
    sent = 0
    for pk in ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("user")
                .filter(pk=pk, emailed_at__isnull=True)
                .exclude(delivery="")
                .first()
            )
            if notification is None or not notification.user.email:
                continue
            with translation.override(language_of(notification.user)):
                _send(
                    notification.user,
                    "notification",
                    notification.title,
                    {"notification": notification, "link": _absolute(notification.url)},
                )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


def digests_send(*, on: date | None = None) -> int:
    """One email per user who chose the digest, grouping their notifications not yet emailed (created on `on` or
    before); each notification is marked emailed in the same transaction, so none is sent twice. Returns the number
    of emails."""
    from django.contrib.auth import get_user_model

    day = on or permissions.today()
    pending = Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True, created__date__lte=day)
    users = get_user_model().objects.filter(pk__in=pending.values("user_id"), is_active=True).exclude(email="")
    emails = 0
    for user in users:
        with transaction.atomic():
            rows = list(
                pending.filter(user=user)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("candidate__person")
                .order_by("created", "pk")
            )
            if not rows:
                continue
            with translation.override(language_of(user)):
                subject = _("Daily digest of %(day)s: %(count)d notifications") % {
                    "day": f"{day:%d/%m/%Y}",
                    "count": len(rows),
                }
                items = [{"notification": n, "link": _absolute(n.url)} for n in rows]
                _send(user, "digest", subject, {"items": items, "day": day})
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=timezone.now())
            emails += 1
    return emails


# ------------------------------------------------------------------------------------------------------------------
# Delegation
# ------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def delegation_create(
    *,
    from_user: Any,
    to_user: Any,
    org: PartyOrg,
    starts_on: date,
    ends_on: date,
    reason: str,
    by: Any,
) -> Delegation:
    """The delegator (or an administrator for them) names a substitute for the org from `starts_on` until the day
    before `ends_on`. The delegator must act for the org in their own right on the first day; the substitute then
    gets the same queue and the same rights, and the history names the delegator beside what they do."""
    if by != from_user and not permissions.sees_everything(by):
        raise PermissionDenied(_("Only the person who delegates may name their substitute."))
    if from_user == to_user:
        raise ValidationError(_("The substitute must be someone else."))
    if not to_user.is_active:
        raise ValidationError(_("This account is disabled."))
    if ends_on <= starts_on:
        raise ValidationError(_("The end date must be after the start date."))
    if not permissions.acts_in_own_right(from_user, org, on=starts_on):
        raise ValidationError(
            _("%(user)s does not act for %(org)s on %(day)s.")
            % {
                "user": from_user.get_full_name() or from_user.get_username(),
                "org": org,
                "day": f"{starts_on:%d/%m/%Y}",
            }
        )
    if not normalise_text(reason).strip():
        raise ValidationError(_("Give the reason for the delegation."))
    overlapping = Delegation.objects.filter(
        from_user=from_user,
        to_user=to_user,
        org=org,
        revoked_at__isnull=True,
        starts_on__lt=ends_on,
        ends_on__gt=starts_on,
    )
    if overlapping.exists():
        raise ValidationError(_("A delegation to this person for this organisation already covers these dates."))
    delegation = Delegation(
        from_user=from_user,
        to_user=to_user,
        org=org,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=normalise_text(reason),
        created_by=by,
    )
    delegation.full_clean()
    delegation.save()
    role_permissions_sync(user=to_user)
    _announce_delegation(delegation)
    return delegation


def _announce_delegation(delegation: Delegation) -> None:
    from django.urls import reverse

    who = delegation.from_user.get_full_name() or delegation.from_user.get_username()
    notify(
        users=[delegation.to_user],
        message=Message(
            kind=NotificationKind.DELEGATION,
            key=f"delegation:{delegation.pk}",
            title=lambda: _("%(who)s named you as substitute for %(org)s") % {"who": who, "org": delegation.org},
            body=lambda: (
                _("From %(start)s until %(end)s (exclusive). Reason: %(reason)s")
                % {
                    "start": f"{delegation.starts_on:%d/%m/%Y}",
                    "end": f"{delegation.ends_on:%d/%m/%Y}",
                    "reason": delegation.reason,
                }
            ),
            url=reverse("notifications:delegations:index"),
        ),
    )


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, by: Any) -> Delegation:
    """The delegator (or an administrator) ends a delegation now; the substitute loses the queue at once."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if by != delegation.from_user and not permissions.sees_everything(by):
        raise PermissionDenied(_("Only the person who delegated may revoke it."))
    if delegation.revoked_at is not None:
        raise ValidationError(_("This delegation is already revoked."))
    delegation.revoked_at = timezone.now()
    delegation.revoked_by = by
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    role_permissions_sync(user=delegation.to_user)
    return delegation


def delegations_sync(*, on: date | None = None) -> tuple[int, int]:
    """Daily: grants of the substitutes whose delegations start or end today (run by `notify_scan`)."""
    from django.contrib.auth import get_user_model

    day = on or permissions.today()
    ids = Delegation.objects.filter(starts_on__lte=day, ends_on__gte=day - _one_week()).values("to_user_id")
    added = removed = 0
    for user in get_user_model().objects.filter(pk__in=ids):
        a, r = role_permissions_sync(user=user, on=day)
        added += a
        removed += r
    return added, removed


def _one_week() -> Any:
    from datetime import timedelta

    return timedelta(days=7)
