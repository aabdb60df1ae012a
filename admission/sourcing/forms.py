"""Forms of the sourcing and training screens. They validate input and offer only choices within the user's units;
the services do the writing (and check permissions again)."""

from __future__ import annotations

import datetime
from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from admission.core.bounds import EARLIEST_DATE, LATEST_DATE, date_text
from admission.party import permissions, selectors
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import CandidateState
from admission.sourcing.models.consents import ConsentKind
from admission.sourcing.models.plans import PlanCategory, SourcingPlan
from admission.sourcing.models.training import AwarenessCourse
from admission.sourcing.services.plans import MAX_TARGET, MAX_YEAR, MIN_YEAR

DATE_FORMAT = "%d/%m/%Y"


class DateInput(forms.DateInput):
    """A text field in dd/mm/yyyy (ISO also accepted): the same on every phone, whatever the browser's locale."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            **kwargs.pop("attrs", {}),
        }
        super().__init__(attrs=attrs, format=DATE_FORMAT, **kwargs)


class StrictDateField(forms.DateField):
    """dd/mm/yyyy or yyyy-mm-dd and nothing else (no spaces, no other digits), as the API's schema documents."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value and not date_text(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    """A date as the screens and the API take it (dd/mm/yyyy or yyyy-mm-dd), within the years a record can hold."""
    kwargs.setdefault("validators", [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)])
    return StrictDateField(label=label, widget=DateInput(), input_formats=[DATE_FORMAT, "%Y-%m-%d"], **kwargs)


def orgs_user_acts_for(user: Any) -> QuerySet[PartyOrg]:
    """Orgs where the user holds an acting role today (an administrator role does not act for its org)."""
    orgs = PartyOrg.objects.filter(valid_to__isnull=True)
    if permissions.sees_everything(user):
        return orgs
    roles = permissions.active_roles(user).exclude(kind=RoleKind.ADMINISTRATOR)
    return orgs.filter(pk__in=roles.values("org_id"))


def orgs_user_plans_for(user: Any) -> QuerySet[PartyOrg]:
    """Orgs whose plan the user may set: those they act for and every org under them."""
    acting = orgs_user_acts_for(user)
    if permissions.sees_everything(user):
        return acting
    query = Q(pk__in=[])
    for path in acting.values_list("path", flat=True):
        query |= Q(path__startswith=path)
    return PartyOrg.objects.filter(query, valid_to__isnull=True)


class CandidateFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or case code"), required=False, max_length=120)
    state = forms.ChoiceField(label=_("State"), required=False)
    cell = forms.ModelChoiceField(label=_("Cell"), queryset=PartyOrg.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        state_field.choices = [("", _("All states")), *CandidateState.choices]
        cell_field = self.fields["cell"]
        assert isinstance(cell_field, forms.ModelChoiceField)
        cell_field.queryset = (
            selectors.org_list_for_user(user=user).filter(kind__in=OrgKind.cell_kinds()).order_by("name")
        )
        cell_field.empty_label = _("All cells")

    def filter(self, cases: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_valid():
            return cases
        data = self.cleaned_data
        if data["state"]:
            cases = cases.filter(state=data["state"])
        if data["cell"]:
            cases = cases.filter(cell=data["cell"])
        if data["q"].strip():
            q = data["q"].strip()
            cases = cases.filter(person__full_name__icontains=q) | cases.filter(code__iexact=q)
        return cases


class EligibilityDateForm(forms.Form):
    """The planned date of the cell's admission meeting; today when empty."""

    date = date_field(_("Planned cell meeting date"), required=False)

    def meeting_on(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data["date"]:
            day: datetime.date = self.cleaned_data["date"]
            return day
        return permissions.today()


class ReviewNoteForm(forms.Form):
    reviewed_on = date_field(_("Reviewed on"))
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("Write the review note."))
        return text


class CloseOutcome:
    WITHDRAWN = "withdrawn"
    NOT_ADMITTED = "not_admitted"


class CandidateCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (CloseOutcome.WITHDRAWN, _("The person withdraws")),
            (CloseOutcome.NOT_ADMITTED, _("Closed, not admitted")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    closed_on = date_field(_("Closed on"))

    def clean_closed_on(self) -> date:
        day: date = self.cleaned_data["closed_on"]
        if day > permissions.today():
            raise forms.ValidationError(_("The closing date cannot be in the future."))
        return day

    @property
    def withdrawn(self) -> bool:
        return bool(self.cleaned_data["outcome"] == CloseOutcome.WITHDRAWN)


class CourseForm(forms.ModelForm):
    starts_on = date_field(_("starts on"))
    ends_on = date_field(_("ends on"))

    class Meta:
        model = AwarenessCourse
        fields = ["name", "organiser", "issuer_name", "starts_on", "ends_on", "capacity", "location"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organiser = self.fields["organiser"]
        assert isinstance(organiser, forms.ModelChoiceField)
        organiser.queryset = orgs_user_acts_for(user).order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The course cannot end before it starts."))
        return data


class PlanForm(forms.Form):
    """A plan's title and its targets, one number field per category (empty = no target for that category)."""

    org = forms.ModelChoiceField(label=_("Organisation"), queryset=PartyOrg.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    title = forms.CharField(label=_("Title"), required=False, max_length=255)

    def __init__(self, *args: Any, user: Any, plan: SourcingPlan | None = None, **kwargs: Any) -> None:
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "org": plan.org_id,
                    "year": plan.year,
                    "title": plan.title,
                    **{f"target_{t.category}": t.target for t in plan.targets.all()},
                },
            )
        super().__init__(*args, **kwargs)
        self.plan = plan
        org = self.fields["org"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = orgs_user_plans_for(user).order_by("path")
        for category in PlanCategory:
            self.fields[f"target_{category.value}"] = forms.IntegerField(
                label=category.label, required=False, min_value=0, max_value=MAX_TARGET
            )
        if plan is not None:  # the org and the year identify the plan: they are not edited
            self.fields["org"].disabled = True
            self.fields["year"].disabled = True
            org.queryset = PartyOrg.objects.filter(pk=plan.org_id)

    def target_fields(self) -> list[forms.BoundField]:
        return [self[f"target_{category.value}"] for category in PlanCategory]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            self.plan is None
            and data.get("org")
            and data.get("year")
            and SourcingPlan.objects.filter(org=data["org"], year=data["year"]).exists()
        ):
            self.add_error("year", _("This organisation already has a plan for that year: edit it instead."))
        return data

    def targets(self) -> dict[str, int]:
        return {
            category.value: self.cleaned_data[f"target_{category.value}"]
            for category in PlanCategory
            if self.cleaned_data.get(f"target_{category.value}") is not None
        }


class ConsentForm(forms.Form):
    """A higher body's written consent (over 60, literacy exception, re-admission, political history)."""

    kind = forms.ChoiceField(label=_("Kind of consent"), choices=ConsentKind.choices)
    reference = forms.CharField(label=_("Document number"), max_length=100)
    granted_on = date_field(_("Date of the document"))
    granted_by = forms.CharField(label=_("Granted by"), max_length=255)


class ExtensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for extending the decision deadline (once, up to 30 working days)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
