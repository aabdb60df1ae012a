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
        # pyHanko logs every failed check with its traceback; the verification page reports them as verdicts, and
        # signing logs its own fallbacks (admission.documents.signing).
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
        logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)

        from django.db.models.signals import post_save

        from admission.decisions.models.decisions import ChainStepRecord
        from admission.documents.services import step_done
        from admission.probation.models import RecognitionStep

        # A body's resolution or decision is signed when its step is done (admission.documents.services.step_done).
        post_save.connect(step_done, sender=ChainStepRecord, dispatch_uid="documents-sign-chain-step")
        post_save.connect(step_done, sender=RecognitionStep, dispatch_uid="documents-sign-recognition-step")
