from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from admission.probation.signals import probation_changed
        from workflows import services

        def follow(sender: object, candidate: object, **kwargs: object) -> None:
            services.probation_sync(candidate)  # type: ignore[arg-type]

        probation_changed.connect(follow, dispatch_uid="workflows.probation_sync", weak=False)
