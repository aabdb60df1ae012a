"""Daily: make every user's per-org permissions match the roles active today (roles start and end by date)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from admission.party.services.roles import role_permissions_sync_all


class Command(BaseCommand):
    help = "Grant and revoke per-org permissions so that they match the roles active today."

    def handle(self, *args: Any, **options: Any) -> None:
        added, removed = role_permissions_sync_all()
        self.stdout.write(f"granted {added}, revoked {removed}")
