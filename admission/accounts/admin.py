"""Administrators see every API token and remembered browser and can revoke them (a lost laptop, a leaver).
The authenticators and recovery codes themselves are django-otp's admin pages (delete one to make its owner
set up a new authenticator)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.accounts.models import ApiToken, TrustedBrowser


@admin.action(description=_("Revoke the selected rows"))
def revoke(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class _RevocableAdmin(admin.ModelAdmin):
    actions = [revoke]
    list_filter = ["revoked_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # issued by their owner only, so that the key is shown to its owner and nobody else

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(_RevocableAdmin):
    list_display = ["user", "name", "prefix", "created", "expires_at", "last_used_at", "revoked_at"]


@admin.register(TrustedBrowser)
class TrustedBrowserAdmin(_RevocableAdmin):
    list_display = ["user", "label", "created", "expires_at", "last_used_at", "revoked_at"]
