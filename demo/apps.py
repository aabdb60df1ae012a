from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo province (Quảng Ninh after the 2025 reform) and its cases, walked through the real services and flows.
    The product never imports this app; `make run` and the tests load it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = _("Demo data")
