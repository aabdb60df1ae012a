"""Forms of the admission steps (dossier → cell vote → approval chain → decision received → ceremony).

They validate input; the domain services decide what the rules allow. Each form is built with the case and the
acting user (`StepForm`), so the flow, the task page and the API build them the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.core.bounds import MAX_COUNT
from admission.decisions.models.decisions import ChainStepRecord, StepStatus
from admission.decisions.services.decisions import chain_of
from admission.party import hierarchy
from admission.party.models.people import Membership
from admission.party.selectors import cell_roster, helpers_and_introducers_offered
from admission.rules.models.rulesets import VoteBody
from admission.rules.services import ruleset_for_step
from admission.sourcing.services.candidates import MAX_ACTIVE_MENTORS
from workflows.forms import KnownChoiceField, KnownMultipleChoiceField, StepForm, date_field, helper_label, pk_of

APPROVE, REFUSE, SEND_BACK = "approve", "refuse", "send_back"

# Bodies whose 2/3 vote must be recorded with the step (06-HD/TW §3.7.a). A standing committee's vote rule is
# unconfirmed [U]: its vote may be recorded, it is not required.
VOTE_REQUIRED = {VoteBody.GRASSROOTS_COMMITTEE, VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE}


class DossierReadyForm(StepForm):
    confirm = forms.BooleanField(
        label=_("The dossier is complete and every document is valid: put it before the cell meeting"), required=True
    )


class VoteCountMixin(forms.Form):
    votes_for = forms.IntegerField(label=_("Votes in favour"), min_value=0, max_value=MAX_COUNT)
    votes_against = forms.IntegerField(
        label=_("Votes against"), min_value=0, max_value=MAX_COUNT, initial=0, required=False
    )
    confirm_failed = forms.BooleanField(
        label=_("I confirm the vote did not reach the threshold: record it and close the case as not admitted"),
        required=False,
    )


class CellVoteForm(VoteCountMixin, StepForm):
    """The cell's admission meeting (6-KNĐ): who attended, why the others were absent, the count of votes."""

    held_on = date_field(_("Date of the cell meeting"), initial=timezone.localdate)
    place = forms.CharField(label=_("Place"), required=False)
    present = KnownMultipleChoiceField(Membership, label=_("Members present"), widget=forms.CheckboxSelectMultiple)

    field_order = ["held_on", "place", "present"]

    def _meeting_day(self) -> date:
        """The meeting's date as submitted (the guests on the roster are those of that day), else today."""
        if self.is_bound:
            try:
                day = self.fields["held_on"].clean(self.data.get(self.add_prefix("held_on")))
            except ValidationError:
                day = None
            if isinstance(day, date):
                return day
        return timezone.localdate()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The roster of the meeting day (today until a date is submitted): the cell's members, and its guests
        # (members of other cells taking part in its meetings), on the roster but never counted. The meeting's
        # record reads the same roster (`cell_roster`, kept for the request).
        members, self.guests = cell_roster(cell=self.candidate.cell, on=self._meeting_day())
        field = self.fields["present"]
        assert isinstance(field, KnownMultipleChoiceField)
        field.known_set([*members, *(g.membership for g in self.guests)])
        field.unknown_message = self._not_on_roster
        field.initial = [m.pk for m in members]  # most members attend: the secretary unticks the absent
        today = timezone.localdate()
        self.members = members
        self.official_today = sum(m.status_on(today) == "official" for m in members)
        for member in members:
            self.fields[f"reason_{member.pk}"] = forms.CharField(
                label=_("Reason %(name)s was absent") % {"name": member.person.full_name},
                required=False,
                max_length=255,
                widget=forms.TextInput(attrs={"placeholder": _("Reason for absence")}),
            )
        self.order_fields(["held_on", "place", "present", *[f"reason_{m.pk}" for m in members]])
        rule = self.candidate.rule_set.vote_rule(VoteBody.CELL)
        self.fields["votes_for"].help_text = _(
            "%(official)d official members today: at least %(needed)d votes in favour are needed when all of them "
            "count (temporary transfers and absent exempted members are taken off on the meeting day)."
        ) % {"official": self.official_today, "needed": rule.votes_needed(self.official_today)}
        self.roster_field_names = {"present", *(f"reason_{m.pk}" for m in members)}

    def _not_on_roster(self, values: list[Any]) -> str:
        """Ticked but not on the meeting day's roster: the members the page showed (today's roster) are named; any
        other value is only repeated, never looked up (it may be a member of another unit)."""
        members, guests = cell_roster(cell=self.candidate.cell, on=timezone.localdate())
        shown = {m.pk: m.person.full_name for m in [*members, *(g.membership for g in guests)]}
        named = [shown[pk] for pk in (pk_of(v) for v in values) if pk in shown]
        if named:
            return _(
                "%(names)s: not on the cell's roster on the meeting day. Untick them, or check the date of the meeting."
            ) % {"names": ", ".join(named)}
        return _("Not on the cell's roster on the meeting day: %(values)s.") % {
            "values": ", ".join(str(v) for v in values)
        }

    def roster_rows(self) -> list[dict[str, Any]]:
        """One row per member for the page: the attendance box and the reason, shown only when the box is unticked;
        then the cell's guests, marked as such, with no reason to give and no vote."""
        today = timezone.localdate()
        present = {str(v) for v in (self["present"].value() or [])}
        rows: list[dict[str, Any]] = [
            {
                "member": m,
                "probationary": m.status_on(today) != "official",
                "checked": str(m.pk) in present,
                "reason": self[f"reason_{m.pk}"],
            }
            for m in self.members
        ]
        rows += [
            {"member": g.membership, "guest": g, "checked": str(g.membership_id) in present, "reason": ""}
            for g in self.guests
        ]
        return rows

    def absence_reasons(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data.get(f"reason_{m.pk}", "") for m in self.members}


class ChainStepForm(VoteCountMixin, StepForm):
    """The body whose turn it is: agrees (appraisal, resolution with its vote, decision with its number), refuses,
    or sends the dossier back. The hidden `step` pins the step the user saw, so a late second click cannot act on
    the next step of the chain."""

    step = KnownChoiceField(
        ChainStepRecord,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This step has already been done; reload the case to see where it is.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(APPROVE, _("Agree")), (REFUSE, _("Refuse admission")), (SEND_BACK, _("Send the dossier back"))],
        widget=forms.RadioSelect,  # nothing chosen in advance: the body decides (no outcome pre-selected)
    )
    on = date_field(_("Date of the document"), initial=timezone.localdate)
    document_number = forms.CharField(label=_("Number of the document"), required=False, max_length=60)
    members_total = forms.IntegerField(
        label=_("Members of the committee"), min_value=1, max_value=MAX_COUNT, required=False
    )
    present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=MAX_COUNT, required=False)
    note = forms.CharField(
        label=_("Reason or note (required to refuse or send back: name the items to fix)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["step", "outcome", "on", "document_number", "members_total", "present", "votes_for"]

    def pending_steps(self) -> list[Any]:
        """The chain's pending steps, the one whose turn it is first (the admission chain; the recognition chain
        overrides this)."""
        return [step for step in chain_of(self.candidate) if step.status == StepStatus.PENDING]

    def pending_step(self, pending: list[Any]) -> Any:
        return pending[0] if pending else None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pending = self.pending_steps()
        self.chain_step = self.pending_step(pending)
        field = self.fields["step"]
        assert isinstance(field, KnownChoiceField)
        field.known_set(pending)
        field.initial = self.chain_step.pk if self.chain_step else None
        kind = self.chain_step.kind if self.chain_step else ""
        self.has_vote = bool(self.chain_step and self.chain_step.vote_body)
        self.vote_required = bool(self.chain_step and self.chain_step.vote_body in VOTE_REQUIRED)
        if not self.has_vote:
            for name in ("members_total", "present", "votes_for", "votes_against", "confirm_failed"):
                del self.fields[name]
        else:
            # Required to agree (checked in clean), not to refuse or send back.
            self.fields["votes_for"].required = False
            self.fields["votes_against"].required = False
            self.fields["confirm_failed"].label = _(
                "I confirm the vote did not reach the threshold: record it and refuse the admission"
            )
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        form = self.chain_step.form if self.chain_step else ""
        agree: dict[str, Any] = {
            hierarchy.StepKind.APPRAISAL: _("Appraised: agree (%(form)s)"),
            hierarchy.StepKind.COMMITTEE_RESOLUTION: _("Resolution in favour (%(form)s)"),
            hierarchy.StepKind.DECISION: _("Decision in favour (%(form)s)"),
        }
        outcome.choices = [
            (APPROVE, str(agree.get(kind, _("Agree (%(form)s)"))) % {"form": form}),
            *self.other_outcomes(),
        ]
        if kind == hierarchy.StepKind.DECISION:
            self.fields["document_number"].label = _("Number of the decision (required)")

    def other_outcomes(self) -> list[tuple[str, Any]]:
        return [(REFUSE, _("Refuse admission")), (SEND_BACK, _("Send the dossier back"))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("step") and data["step"] != self.chain_step:
            raise forms.ValidationError(_("This step has already been done; reload the case to see where it is."))
        outcome = data.get("outcome")
        if outcome in (REFUSE, SEND_BACK) and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason; the cell is told."))
        if outcome == APPROVE and self.has_vote:
            counts = [data.get(k) for k in ("members_total", "present", "votes_for")]
            if self.vote_required and any(v is None for v in counts):
                raise forms.ValidationError(_("Enter the committee's size, those present and the votes in favour."))
            if any(v is not None for v in counts) and any(v is None for v in counts):
                raise forms.ValidationError(
                    _("Enter the committee's size, those present and the votes in favour, or none of them.")
                )
        return data


class DecisionReceivedForm(StepForm):
    received_on = date_field(_("Date the cell received the decision"), initial=timezone.localdate)


class CeremonyForm(StepForm):
    held_on = date_field(_("Date of the ceremony"), initial=timezone.localdate)
    place = forms.CharField(label=_("Place"), required=False)
    decision_read_by = forms.CharField(label=_("Who read the admission decision"), max_length=120)
    attendees = forms.CharField(
        label=_("Attendees (representatives of the committee, mass organisations, family)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mentors = forms.ModelMultipleChoiceField(
        label=_("Official members assigned to help during probation"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    late_consent_ref = forms.CharField(
        label=_("Superior committee's consent to a late ceremony (number and date), if past the deadline"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentors"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        today = timezone.localdate()
        rules = ruleset_for_step(case_rule_set=self.candidate.rule_set, step_on=today)
        field.queryset = helpers_and_introducers_offered(
            cell=self.candidate.cell, on=today, with_guests=rules.guests_may_help_or_introduce
        ).order_by("person__full_name")
        cell = self.candidate.cell
        field.label_from_instance = lambda m: helper_label(m, cell)  # type: ignore[method-assign,assignment]
        # The helpers of the sourcing stage usually go on helping: offer them first.
        field.initial = list(self.candidate.mentors.filter(ended_on__isnull=True).values_list("member_id", flat=True))

    def clean_mentors(self) -> Any:
        mentors = self.cleaned_data["mentors"]
        if not 1 <= len(mentors) <= MAX_ACTIVE_MENTORS:
            raise forms.ValidationError(_("Choose one or two members."))
        return mentors
