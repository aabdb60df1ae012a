"""Forms of the probation screens (domain.md §5): helpers, the new-member course certificate, discipline, the
recognition dossier (10–12-KNĐ), the removal proposal, the transfer and the extension of the decision deadline.

They check the shape of the input (dates, choices offered from the right cell) and hand clean data to one service of
`admission.probation.services`, which checks the rules and the permission again. The flow's own steps (the cell's
vote 13-KNĐ, the chain 14–16-KNĐ, receiving a transfer, the committee's decisions) have their forms in `workflows`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from admission.dossier.forms import Editor, OrganisationFormSet, RowsSection, formset_rows
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership
from admission.probation.models import DisciplineKind, Probation, ProbationOpinions, RemovalReason
from admission.sourcing.forms import date_field


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _today() -> dict[str, Any]:
    return {"initial": permissions.today}


# ------------------------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------------------------


class MemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.person.full_name)


def replacement_choices(probation: Probation) -> QuerySet[Membership]:
    """Official members of the probationer's cell today, other than the member and the helpers still assigned."""
    today = permissions.today()
    current = probation.candidate.mentors.filter(ended_on__isnull=True).values("member_id")
    return (
        Membership.objects.official_on(today)
        .filter(cell_id=probation.candidate.cell_id)
        .exclude(person_id=probation.candidate.person_id)
        .exclude(pk__in=current)
        .select_related("person")
        .order_by("person__full_name")
    )


class HelperReplaceForm(forms.Form):
    replacement = MemberField(
        label=_("New helper (official member of the cell)"),
        queryset=Membership.objects.none(),
        empty_label="—",
    )
    on = date_field(_("From"), **_today())
    reason = forms.CharField(
        label=_("Why the helper is replaced"),
        max_length=255,
        help_text=_("For example: moved to another unit, ill, disciplined."),
    )

    def __init__(self, *args: Any, probation: Probation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["replacement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = replacement_choices(probation)


# ------------------------------------------------------------------------------------------------------------------
# Certificate, discipline
# ------------------------------------------------------------------------------------------------------------------


class CertificateForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    issued_on = date_field(_("Issued on"))
    issuer = forms.CharField(label=_("Issued by (training centre)"), max_length=255)


class DisciplineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Sanction"),
        choices=DisciplineKind.choices,
        widget=forms.RadioSelect,
        help_text=_("During probation only a reprimand or a warning; a graver fault means proposing the removal."),
    )
    decided_on = date_field(_("Decided on"))
    decision_ref = forms.CharField(label=_("Decision number"), max_length=60)
    decided_by = forms.CharField(label=_("Decided by"), max_length=255)
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=_text_area())


# ------------------------------------------------------------------------------------------------------------------
# The recognition dossier: 10-KNĐ, 11-KNĐ, 12-KNĐ
# ------------------------------------------------------------------------------------------------------------------


class SelfReviewForm(forms.Form):
    written_on = date_field(_("Written on"), **_today())
    strengths = forms.CharField(
        label=_("Strengths"),
        max_length=20000,
        widget=_text_area(5),
        help_text=_("Political ideology, ethics and lifestyle, discipline, duties, relations with the people."),
    )
    weaknesses = forms.CharField(label=_("Weaknesses"), max_length=20000, required=False, widget=_text_area(3))
    remedies = forms.CharField(label=_("Remedies"), max_length=20000, required=False, widget=_text_area(3))


RECOMMENDS = [("yes", _("Recommends recognition as an official member")), ("no", _("Does not recommend it"))]


class HelperCommentForm(forms.Form):
    written_on = date_field(_("Written on"), **_today())
    assessment = forms.CharField(label=_("Assessment of the member"), max_length=20000, widget=_text_area(5))
    recommends_recognition = forms.TypedChoiceField(
        label=_("Recommendation"),
        choices=RECOMMENDS,
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )


class ProbationOpinionsForm(forms.Form):
    compiled_on = date_field(_("Compiled on"))
    residence_cell = forms.CharField(label=_("Cell or committee where the member lives"), max_length=255)
    residence_opinion = forms.CharField(label=_("Its opinion"), max_length=20000, widget=_text_area(4))
    synthesis = forms.CharField(
        label=_("The cell committee's synthesis"), max_length=20000, required=False, widget=_text_area(4)
    )


class ProbationOpinionsEditor(Editor):
    """The compiled opinions with the organisations consulted as rows: the saved ones and two empty lines."""

    def __init__(self, data: Any = None, *, opinions: ProbationOpinions | None) -> None:
        if opinions is not None:
            initial: dict[str, Any] = {f: getattr(opinions, f) for f in ProbationOpinionsForm.base_fields}
            rows = [
                {**row, "met_on": date.fromisoformat(row["met_on"]) if row.get("met_on") else None}
                for row in opinions.organisations
            ]
        else:
            initial, rows = {"compiled_on": permissions.today()}, []
        bound = {"data": data} if data is not None else {}
        super().__init__(
            ProbationOpinionsForm(initial=initial, **bound),
            {
                "organisations": RowsSection(
                    OrganisationFormSet(prefix="orgs", initial=rows, **bound),
                    title=_("Organisations where the member works"),
                    help_text=_("The Youth Union, the trade union, the Women's Union… each with its meeting."),
                    row_label=_("Mass organisation"),
                )
            },
        )

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.form.cleaned_data, "organisations": formset_rows(self.sections["organisations"].formset)}


# ------------------------------------------------------------------------------------------------------------------
# Removal, transfer, extension
# ------------------------------------------------------------------------------------------------------------------


class RemovalProposeForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=RemovalReason.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Details"), max_length=4000, widget=_text_area(4))
    proposed_on = date_field(_("Proposed on (date of the cell's proposal)"), **_today())


class CellField(forms.ModelChoiceField):
    """A receiving cell, named with the committee above it so that two cells with the same name can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else str(obj.name)


def receiving_cells(probation: Probation) -> QuerySet[PartyOrg]:
    """Every cell of this system that exists today, inside or outside the user's organisation, but the current one."""
    return (
        PartyOrg.objects.cells()
        .existing_on(permissions.today())
        .exclude(pk=probation.candidate.cell_id)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


class TransferOutForm(forms.Form):
    moved_on = date_field(_("Left the cell on"), **_today())
    to_cell = CellField(
        label=_("Receiving cell (in this system)"),
        queryset=PartyOrg.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("The receiving cell receives the member and completes the recognition."),
    )
    destination = forms.CharField(
        label=_("Or: party organisation outside this system"),
        max_length=255,
        required=False,
        help_text=_("For example a party committee of another province. The case then closes here."),
    )
    former_cell_comment = forms.CharField(
        label=_("The cell's comments on the member's probation here"),
        max_length=20000,
        widget=_text_area(5),
        help_text=_("Attached to the recognition: the receiving cell reads them."),
    )

    field_order = ["moved_on", "to_cell", "destination", "former_cell_comment"]

    def __init__(self, *args: Any, probation: Probation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_cell"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = receiving_cells(probation)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "to_cell" in self.errors:
            return data
        if bool(data.get("to_cell")) == bool((data.get("destination") or "").strip()):
            raise forms.ValidationError(_("Choose the receiving cell, or name the organisation outside this system."))
        return data


class DecisionExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for extending the decision deadline (once, up to 30 working days)"),
        max_length=4000,
        widget=_text_area(3),
    )
