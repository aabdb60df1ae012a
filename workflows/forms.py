"""Forms of the sourcing steps. They validate input; the domain services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Sex
from admission.party.permissions import today
from admission.rules import reference
from admission.sourcing import selectors
from admission.sourcing.forms import date_field
from admission.sourcing.models.candidates import Candidate, NominationSource
from admission.sourcing.models.training import AwarenessCourse
from admission.sourcing.services.candidates import MAX_ACTIVE_MENTORS


class StepForm(forms.Form):
    """Every step form is built with the case and the acting user, whether it needs them or not, so that the
    flow can build any step's form the same way."""

    def __init__(self, *args: Any, candidate: Candidate, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.user = user


class SympathiserForm(StepForm):
    meeting_on = date_field(_("Date of the cell meeting"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note of the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MentorsForm(StepForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Official members who will help"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    assigned_on = date_field(_("Assigned on"), initial=timezone.localdate)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidate = self.candidate
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Membership.objects.filter(cell=candidate.cell)
            .official_on(timezone.localdate())
            .select_related("person")
            .order_by("person__full_name")
        )
        field.label_from_instance = lambda m: str(m.person.full_name)  # type: ignore[method-assign,assignment]

    def clean_members(self) -> Any:
        members = self.cleaned_data["members"]
        if not 1 <= len(members) <= MAX_ACTIVE_MENTORS:
            raise forms.ValidationError(_("Choose one or two members."))
        return members


class ProposeTrainingForm(StepForm):
    course = forms.ModelChoiceField(label=_("Course"), queryset=AwarenessCourse.objects.none(), required=False)
    certificate_number = forms.CharField(label=_("…or a certificate obtained elsewhere: number"), required=False)
    certificate_issued_on = date_field(_("Issued on"), required=False)
    certificate_issuer = forms.CharField(label=_("Issued by"), required=False)
    certificate_scan = forms.FileField(label=_("Scan (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        # Courses the user can see (their units' and those above them) that have not ended yet.
        field.queryset = (
            selectors.course_list_for_user(user=self.user).filter(ends_on__gte=today()).order_by("starts_on")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_course = bool(data.get("course"))
        has_cert = bool(data.get("certificate_number"))
        if has_course == has_cert:
            raise forms.ValidationError(_("Choose a course, or enter a certificate obtained elsewhere (not both)."))
        if has_cert and not (data.get("certificate_issued_on") and data.get("certificate_issuer")):
            raise forms.ValidationError(_("Enter the certificate's issue date and issuer."))
        return data


class DecisionForm(StepForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve attendance")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = date_field(_("Date"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason (required when refusing)"), required=False)


class ResultForm(StepForm):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed")), ("0", _("Did not pass"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    result_on = date_field(_("Date of the result"), initial=timezone.localdate)
    certificate_number = forms.CharField(label=_("Certificate number (when passed)"), required=False)
    note = forms.CharField(label=_("Note"), required=False)


class ConfirmForm(StepForm):
    confirm = forms.BooleanField(label=_("The certificate is valid; open the admission dossier"), required=True)


class NominationForm(forms.Form):
    """A new candidate: who the person is, which cell, who nominates them."""

    cell = forms.ModelChoiceField(label=_("Party cell"), queryset=PartyOrg.objects.none())
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    citizen_id = forms.CharField(label=_("Citizen ID (12 digits)"), max_length=20)
    date_of_birth = date_field(_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=reference.ETHNICITY_CHOICES, initial=reference.KINH)
    religion = forms.ChoiceField(label=_("Religion"), choices=reference.RELIGIONS, initial=reference.NO_RELIGION)
    education = forms.ChoiceField(label=_("General education"), choices=reference.EDUCATION_LEVELS)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=reference.OCCUPATION_CLASSES)
    employer_sector = forms.ChoiceField(
        label=_("Where the person works or studies"), choices=reference.EMPLOYER_SECTORS
    )
    workplace = forms.CharField(label=_("Workplace"), required=False)
    residence = forms.CharField(label=_("Residence"), required=False)
    youth_union_member = forms.BooleanField(label=_("Youth Union member"), required=False)
    trade_union_member = forms.BooleanField(label=_("Trade-union member"), required=False)
    nominated_by = forms.ChoiceField(label=_("Nominated by"), choices=NominationSource.choices)
    nominating_body = forms.CharField(label=_("Name of the nominating body"), required=False)
    nominated_on = date_field(_("Nomination date"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    PERSON_KEYS = (
        "ethnicity",
        "religion",
        "education",
        "occupation",
        "employer_sector",
        "workplace",
        "residence",
        "youth_union_member",
        "trade_union_member",
    )

    def __init__(self, *args: Any, cells: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cell"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cells
        if cells.count() == 1:
            field.initial = cells.first()
