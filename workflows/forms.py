"""Forms of the sourcing steps. They validate input; the domain services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.party.models.earlier import LeavingReason
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Sex
from admission.party.permissions import today
from admission.party.selectors import helpers_and_introducers_offered
from admission.rules import reference
from admission.rules.services import ruleset_for_step
from admission.sourcing import selectors
from admission.sourcing.forms import date_field
from admission.sourcing.models.candidates import Candidate, NominationSource
from admission.sourcing.models.training import AwarenessCourse
from admission.sourcing.services.candidates import MAX_ACTIVE_MENTORS


def pk_of(value: Any) -> int | None:
    """A submitted choice as a primary key, or None when it is not a whole number."""
    try:
        return int(str(value))
    except ValueError:
        return None


class _KnownRecords:
    """Choices among records of `model` the form has read already: checked against them, with no query of their
    own. `known_set` gives the records; the widget, if rendered, lists the same ones."""

    known: dict[int, Any]
    queryset: Any

    def __init__(self, model: type[Any], **kwargs: Any) -> None:
        super().__init__(queryset=model._default_manager.none(), **kwargs)  # type: ignore[call-arg]
        self.known = {}

    def known_set(self, records: list[Any]) -> None:
        self.known = {r.pk: r for r in records}
        if records:
            self.queryset = type(records[0])._default_manager.filter(pk__in=list(self.known))


class KnownChoiceField(_KnownRecords, forms.ModelChoiceField):
    """One record among those read already (the pending steps of a chain); cleans to that record."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        record = self.known.get(pk_of(value))  # type: ignore[arg-type]
        if record is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return record


class KnownMultipleChoiceField(_KnownRecords, forms.ModelMultipleChoiceField):
    """Several records ticked among those read already (a meeting's roster); cleans to the list of them. The
    values not among them are refused together, in the words of `unknown_message` when the form gives one."""

    unknown_message: Any = None  # the unknown values → the message

    def _check_values(self, value: Any) -> Any:
        chosen: dict[int, Any] = {}
        unknown: list[Any] = []
        for item in value:
            record = self.known.get(pk_of(item))  # type: ignore[arg-type]
            if record is None:
                unknown.append(item)
            else:
                chosen[record.pk] = record
        if unknown:
            if self.unknown_message is not None:
                raise forms.ValidationError(self.unknown_message(unknown), code="invalid_choice")
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": unknown[0]}
            )
        return list(chosen.values())


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


def helper_label(member: Membership, cell: PartyOrg) -> str:
    """A helper's name, with their own cell when they are a guest of `cell`."""
    if member.cell_id == cell.pk:
        return str(member.person.full_name)
    return str(_("%(name)s (guest from %(cell)s)") % {"name": member.person.full_name, "cell": member.cell.name})


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
        today = timezone.localdate()
        rule_set = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=today)
        field.queryset = helpers_and_introducers_offered(
            cell=candidate.cell, on=today, with_guests=rule_set.guests_may_help_or_introduce
        ).order_by("person__full_name")
        field.label_from_instance = lambda m: helper_label(m, candidate.cell)  # type: ignore[method-assign,assignment]

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
    # Re-admission (domain.md §2.6): the person's earlier membership, when there was one.
    earlier_admitted_on = date_field(_("Earlier membership: admitted on"), required=False)
    earlier_official_on = date_field(_("Earlier membership: official member since"), required=False)
    earlier_left_on = date_field(_("Earlier membership: left the party on"), required=False)
    earlier_how_left = forms.ChoiceField(
        label=_("Earlier membership: how it ended"), choices=[("", "—"), *LeavingReason.choices], required=False
    )
    earlier_expunged_on = date_field(_("Earlier membership: conviction expunged on"), required=False)
    earlier_was_readmission = forms.BooleanField(
        label=_("That earlier membership was itself a re-admission"), required=False
    )

    EARLIER_KEYS = {
        "earlier_admitted_on": "admitted_on",
        "earlier_official_on": "official_on",
        "earlier_left_on": "left_on",
        "earlier_how_left": "how_left",
        "earlier_expunged_on": "conviction_expunged_on",
        "earlier_was_readmission": "was_readmission",
    }

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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [k for k in self.EARLIER_KEYS if data.get(k) and k != "earlier_was_readmission"]
        if given or data.get("earlier_was_readmission"):
            for key in ("earlier_admitted_on", "earlier_left_on", "earlier_how_left"):
                if not data.get(key) and key not in self.errors:
                    self.add_error(key, _("Needed to record the earlier membership."))
        return data

    def other_fields(self) -> list[Any]:
        """The visible fields of the nomination itself, in order (the earlier membership aside)."""
        return [f for f in self.visible_fields() if f.name not in self.EARLIER_KEYS]

    def earlier_fields(self) -> list[Any]:
        """The earlier-membership fields, shown folded unless one has a value or an error."""
        return [self[name] for name in self.EARLIER_KEYS]

    def earlier_open(self) -> bool:
        if any(name in self.errors for name in self.EARLIER_KEYS):
            return True
        if not self.is_bound:
            return any(self.initial.get(name) for name in self.EARLIER_KEYS)
        return any(self.data.get(self.add_prefix(name)) for name in self.EARLIER_KEYS)

    def earlier_membership(self) -> dict[str, Any] | None:
        """The earlier membership as `earlier_membership_add` takes it, or None when none is given."""
        data = self.cleaned_data
        if not data.get("earlier_left_on"):
            return None
        return {field: data.get(key) for key, field in self.EARLIER_KEYS.items()}
