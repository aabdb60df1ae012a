from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Where is my case? The candidate's own pages and the public status lookup by code and PIN."""

    name = "portal"
    label = "portal"
    verbose_name = _("Candidate portal and status lookup")
    default_auto_field = "django.db.models.BigAutoField"
