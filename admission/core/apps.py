from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The lowest layer as an app of its own: the shared file store (`admission.core.files`) and the backup
    commands. Its own label and migrations, so that nothing above it is touched."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "admission.core"
    label = "core"
    verbose_name = _("Shared files")
