from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "admission.accounts"
    label = "accounts"
    verbose_name = _("Sign-in and second factor")

    def ready(self) -> None:
        from admission.accounts.checks import two_factor_roles_exist

        checks.register(two_factor_roles_exist)
