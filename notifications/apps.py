from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications (in-app and email, with a daily digest), the deadline board with escalation, and delegation."""

    name = "notifications"
    label = "notifications"
    verbose_name = _("Notifications and deadlines")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from notifications import signals

        signals.connect()
