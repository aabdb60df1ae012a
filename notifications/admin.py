from __future__ import annotations

from typing import Any

from django.contrib import admin

from admission.party.models.delegations import Delegation
from notifications.models import Escalation, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "title", "created", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "title")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "in_app", "email", "delivery")


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("candidate", "from_org", "to_org", "due_on", "escalated_on")
    readonly_fields = [f.name for f in Escalation._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("from_user", "to_user", "org", "starts_on", "ends_on", "revoked_at")
    readonly_fields = [f.name for f in Delegation._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False  # through the Delegations page: it syncs the substitute's queue
