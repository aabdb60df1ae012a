"""Forms of the probation and recognition steps: the cell's recognition vote (13-KNĐ), the recognition chain
(14–16-KNĐ), receiving a transferred probationer, the committee's decision on a removal or on an escalated case.
They validate input; `admission.probation.services` decides what the rules allow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.decisions.models.decisions import StepStatus
from admission.party.models.people import Membership
from admission.probation import services as probation_services
from admission.probation.models import REMOVAL_REASON_OR_BLANK, Probation, RecognitionStep
from admission.sourcing.services.candidates import MAX_ACTIVE_MENTORS
from workflows.admission_forms import REFUSE, CellVoteForm, ChainStepForm
from workflows.forms import StepForm, date_field

LATE_REASON = _("Reason for acting after the deadline (required when late)")


def probation_of(candidate: Any) -> Probation:
    return Probation.objects.select_related("candidate", "membership").get(candidate=candidate)


class RecognitionVoteForm(CellVoteForm):
    """The cell's recognition meeting: the roster, the votes; votes against reaching the threshold propose the
    removal, whose reason is then required."""

    removal_reason_code = forms.ChoiceField(
        label=_("If the votes against reach the threshold: reason for the removal"),
        choices=REMOVAL_REASON_OR_BLANK,
        required=False,
    )
    removal_reason = forms.CharField(
        label=_("Details of the removal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    late_reason = forms.CharField(label=LATE_REASON, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["confirm_failed"]  # every outcome of a recognition vote is kept (recognise, remove, again)


class RecognitionStepForm(ChainStepForm):
    """A body of the recognition chain: appraisal (14-KNĐ), resolution with its vote (15-KNĐ), decision (16-KNĐ);
    or a refusal, which proposes the removal."""

    late_reason = forms.CharField(label=LATE_REASON, required=False)

    def pending_steps(self) -> list[Any]:
        return list(RecognitionStep.objects.filter(probation__candidate=self.candidate, status=StepStatus.PENDING))

    def pending_step(self, pending: list[Any]) -> Any:
        return probation_services.next_step(probation_of(self.candidate))

    def other_outcomes(self) -> list[tuple[str, Any]]:
        return [(REFUSE, _("Refuse the recognition (the member is removed from the list)"))]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "confirm_failed" in self.fields:
            self.fields["confirm_failed"].label = _(
                "I confirm the vote did not reach the threshold: record it and refuse the recognition"
            )


class ReceiveTransferForm(StepForm):
    received_on = date_field(_("Date the cell received the member"), initial=timezone.localdate)
    helpers = forms.ModelMultipleChoiceField(
        label=_("Official members of this cell who will help the member"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        transfer = probation_services.pending_transfer(probation_of(self.candidate))
        field = self.fields["helpers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if transfer is not None and transfer.to_cell is not None:
            field.queryset = (
                Membership.objects.filter(cell=transfer.to_cell)
                .official_on(timezone.localdate())
                .select_related("person")
                .order_by("person__full_name")
            )
        field.label_from_instance = lambda m: str(m.person.full_name)  # type: ignore[method-assign,assignment]

    def clean_helpers(self) -> Any:
        helpers = self.cleaned_data["helpers"]
        if not 1 <= len(helpers) <= MAX_ACTIVE_MENTORS:
            raise forms.ValidationError(_("Choose one or two members."))
        return helpers


class CommitteeDecisionForm(StepForm):
    """The competent committee decides: remove or not (a proposed removal), recognise or remove (a case reported
    after three votes that reached the threshold neither way)."""

    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    decided_on = date_field(_("Date of the decision"), initial=timezone.localdate)
    document_number = forms.CharField(label=_("Number of the decision"), max_length=60, required=False)
    reason_code = forms.ChoiceField(label=_("Reason, when removing"), choices=REMOVAL_REASON_OR_BLANK, required=False)
    note = forms.CharField(label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    choices: tuple[tuple[str, Any], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["approve"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = list(self.choices)


class RemovalDecisionForm(CommitteeDecisionForm):
    choices = (("1", _("Remove from the list of probationary members")), ("0", _("Do not remove")))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["reason_code"]  # the reason was given with the proposal


class EscalationDecisionForm(CommitteeDecisionForm):
    choices = (("1", _("Recognise as an official member")), ("0", _("Remove from the list")))
