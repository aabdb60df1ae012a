from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarOverride(models.Model):
    """An admin-entered exception to the public-holiday calendar: an extra day off or a make-up working day.

    The `holidays` package knows the statutory holidays and the compensatory days announced so far; each year
    the government announces more (Quyết định/Thông báo of the Prime Minister or the Ministry of Home Affairs),
    and a province may add its own. An override always wins over the package.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("is a working day"), help_text=_("Tick for a make-up working day; leave empty for an extra day off.")
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source document"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
