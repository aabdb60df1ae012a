"""Settings of the notifications, each with its default (override them in config/settings or the environment).

- NOTIFY_DEADLINE_LEAD_DAYS: working days before a task's due date when "deadline approaching" fires (once each).
- NOTIFY_ESCALATE_AFTER_DAYS: working days past the due date after which an open task escalates to the superior.
- NOTIFY_LOOKBACK_DAYS: how far back the scan looks for decisions and ceremonies to announce (a first scan on an
  old database must not announce years of history).
"""

from __future__ import annotations

from django.conf import settings


def deadline_lead_days() -> tuple[int, ...]:
    return tuple(sorted({int(d) for d in getattr(settings, "NOTIFY_DEADLINE_LEAD_DAYS", (5, 1))}, reverse=True))


def escalate_after_days() -> int:
    return int(getattr(settings, "NOTIFY_ESCALATE_AFTER_DAYS", 5))


def lookback_days() -> int:
    return int(getattr(settings, "NOTIFY_LOOKBACK_DAYS", 14))
