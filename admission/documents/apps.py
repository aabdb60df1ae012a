import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "admission.documents"
    label = "documents"
    verbose_name = _("Forms and dossiers")

    def ready(self) -> None:
        # WeasyPrint reports every rendering step at INFO: keep the worker's log for what matters.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
