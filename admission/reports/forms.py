"""The report's filter: org, period, basis."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.reports.scope import BASES, TODAY
from admission.reports.statistics import Period
from admission.sourcing.forms import date_field

PERIODS = (
    ("q1", _("Quarter I")),
    ("q2", _("Quarter II")),
    ("q3", _("Quarter III")),
    ("q4", _("Quarter IV")),
    ("h1", _("First six months")),
    ("m9", _("First nine months")),
    ("year", _("Whole year")),
)


class ReportFilterForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Organisation"), queryset=PartyOrg.objects.none(), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    start = date_field(_("From"), required=False)
    end = date_field(_("To"), required=False)
    basis = forms.ChoiceField(label=_("Organisations"), choices=BASES, required=False)

    @classmethod
    def for_request(cls, query: QueryDict, *, user: Any) -> ReportFilterForm:
        """The filter as the page shows it, always bound: the year, the period and the basis the figures are for,
        filled in when the query leaves them out (the first load: the current quarter of this year), so that the
        selectors never show one period while the figures are another's."""
        data = query.copy()
        if not (data.get("start") and data.get("end")):
            today = permissions.today()
            if not data.get("year"):
                data["year"] = str(today.year)
            if not data.get("period"):
                data["period"] = f"q{(today.month - 1) // 3 + 1}"
        if not data.get("basis"):
            data["basis"] = TODAY
        return cls(data, user=user)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = permissions.orgs_in_scope(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period must be after its start."))
        return data

    def default_org(self) -> PartyOrg | None:
        """The user's first unit; the whole tree's root only for those who see everything. A login with no role (a
        candidate) has no report at all: the views answer 404 (it once fell back to the province's figures)."""
        paths = permissions.user_unit_paths(self.user)
        if paths:
            return PartyOrg.objects.filter(path=paths[0]).first()
        if permissions.sees_everything(self.user):
            return PartyOrg.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("path").first()
        return None

    def period_value(self) -> Period:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        today = permissions.today()
        year = data.get("year") or today.year
        choice = data.get("period") or f"q{(today.month - 1) // 3 + 1}"
        if choice.startswith("q"):
            return Period.quarter(year, int(choice[1]))
        end = {"h1": date(year, 6, 30), "m9": date(year, 9, 30)}.get(choice, date(year, 12, 31))
        return Period(date(year, 1, 1), end)

    def basis_value(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("basis") or TODAY
