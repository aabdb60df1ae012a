"""Forms of the sourcing steps. They validate input; the domain services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.models import AwarenessCourse, Candidate, Membership

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, input_formats=["%d/%m/%Y", "%Y-%m-%d"], **kwargs)


class SympathiserForm(forms.Form):
    meeting_on = date_field(_("Date of the cell meeting"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note of the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MentorsForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Official members who will help"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    assigned_on = date_field(_("Assigned on"), initial=timezone.localdate)

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Membership.objects.filter(cell=candidate.cell)
            .official_on(timezone.localdate())
            .select_related("person")
            .order_by("person__full_name")
        )
        field.label_from_instance = lambda m: m.person.full_name  # type: ignore[method-assign]

    def clean_members(self) -> Any:
        members = self.cleaned_data["members"]
        if not 1 <= len(members) <= 2:
            raise forms.ValidationError(_("Choose one or two members."))
        return members


class ProposeTrainingForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=AwarenessCourse.objects.none(), required=False)
    certificate_number = forms.CharField(label=_("…or a certificate obtained elsewhere: number"), required=False)
    certificate_issued_on = date_field(_("Issued on"), required=False)
    certificate_issuer = forms.CharField(label=_("Issued by"), required=False)
    certificate_scan = forms.FileField(label=_("Scan (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = courses

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_course = bool(data.get("course"))
        has_cert = bool(data.get("certificate_number"))
        if has_course == has_cert:
            raise forms.ValidationError(_("Choose a course, or enter a certificate obtained elsewhere (not both)."))
        if has_cert and not (data.get("certificate_issued_on") and data.get("certificate_issuer")):
            raise forms.ValidationError(_("Enter the certificate's issue date and issuer."))
        return data


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve attendance")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = date_field(_("Date"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason (required when refusing)"), required=False)


class ResultForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed")), ("0", _("Did not pass"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    result_on = date_field(_("Date of the result"), initial=timezone.localdate)
    certificate_number = forms.CharField(label=_("Certificate number (when passed)"), required=False)
    note = forms.CharField(label=_("Note"), required=False)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("The certificate is valid; open the admission dossier"), required=True)
