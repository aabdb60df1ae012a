from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "admission"
    verbose_name = _("Party admission")

    def ready(self) -> None:
        # The history chain follows every save of the records it covers, in the same transaction.
        from admission.audit import sources
        from admission.core import lookups

        lookups.register()  # `__anyof`
        sources.connect()
