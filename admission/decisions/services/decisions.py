"""From the cell's resolution to the ceremony: the approval chain, higher consents, deadlines, the ceremony.

The chain is the one `admission.party.hierarchy.approval_chain` resolves for the cell on the day of its resolution,
kept as `ChainStepRecord` rows so that a later restructuring does not rewrite the steps already done. Each step is
done only by a user who acts for the step's org; a vote step needs a passed vote of that body; the decision step
needs every higher consent the case requires. Deadlines are working days from the case's rule set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from admission.core.bulk import created_in_bulk
from admission.core.request_cache import step_forget, step_keep
from admission.core.transactions import atomic_service
from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.decisions.models.meetings import MeetingPurpose, Vote
from admission.decisions.models.send_backs import SendBackTarget
from admission.decisions.services.chain import cell_resolution, chain_locked, chain_of, decision_of, next_step
from admission.decisions.services.send_back import case_send_back, close_chain_step
from admission.party import hierarchy, permissions
from admission.party.models.guests import guest_in
from admission.party.models.people import Membership
from admission.rules import compute as rules
from admission.rules.calendar import WorkingCalendar, working_calendar
from admission.rules.models.rulesets import DeadlineStart, DeadlineStep, VoteBody
from admission.rules.reference import normalise_text
from admission.rules.reference import vn_date as _d
from admission.rules.services import ruleset_for_step
from admission.sourcing.eligibility import check_certificate
from admission.sourcing.models.candidates import Candidate, CandidateState, EducationException
from admission.sourcing.models.consents import Consent, ConsentKind
from admission.sourcing.services.candidates import MAX_ACTIVE_MENTORS, helper_refusal
from admission.sourcing.services.locks import case_lock
from admission.sourcing.services.transitions import fire


def _lock(candidate: Candidate | int) -> Candidate:
    """The case, locked for the rest of the transaction, with its cell, person and rule set. From here on its chain
    is read afresh (a copy kept by the step memory may predate the lock)."""
    pk = candidate if isinstance(candidate, int) else candidate.pk
    step_forget(("chain", pk))
    return case_lock(pk)


@atomic_service
def case_propose(*, candidate: Candidate, vote: Vote, by: Any) -> Candidate:
    """The cell's resolution (6-KNĐ) proposes the admission: snapshot the chain of that day, the first step done."""
    candidate = _lock(candidate)
    meeting = vote.meeting
    if (
        vote.candidate_id != candidate.pk
        or meeting.body != VoteBody.CELL
        or meeting.purpose != MeetingPurpose.ADMISSION
    ):
        raise ValidationError(_("This is not the cell's admission vote on this candidate."))
    if not vote.passed:
        raise ValidationError(
            _("The vote did not pass: %(for)d in favour of %(total)d, %(needed)d needed.")
            % {"for": vote.votes_for, "total": vote.denominator, "needed": vote.needed}
        )
    steps = hierarchy.approval_chain(candidate.cell, meeting.held_on)
    chain = chain_of(candidate)
    pending = [s.pk for s in chain if s.status == StepStatus.PENDING]
    if pending:  # a sent-back case proposes anew
        ChainStepRecord.objects.filter(pk__in=pending).delete()
    first = len(chain) - len(pending)
    records = [
        ChainStepRecord(
            candidate=candidate,
            order=first + step.order,
            kind=step.kind,
            org=step.org,
            form=step.form,
            vote_body=step.vote_body or "",
            deciding_body=step.deciding_body or "",
            status=StepStatus.DONE if step.order == 1 else StepStatus.PENDING,
            vote=vote if step.order == 1 else None,
            document_date=meeting.held_on if step.order == 1 else None,
            done_on=meeting.held_on if step.order == 1 else None,
            done_by=by if step.order == 1 else None,
        )
        for step in steps
    ]
    # The resolution is saved on its own (issuing its signed 6-KNĐ listens to that); the steps still to come are
    # inserted together, so a longer chain costs no more queries.
    records[0].save(force_insert=True)
    created = created_in_bulk(ChainStepRecord, records[1:], by=by)
    # The chain as it now stands is known: the flow's next node reads it from the step memory, not again.
    now = [*(s for s in chain if s.status != StepStatus.PENDING), records[0], *created]
    if all(s.pk for s in now):
        step_keep(("chain", candidate.pk), sorted(now, key=lambda s: (s.order, s.pk)))
    fire(candidate, "propose", by=by, reason=_("Cell resolution of %(day)s") % {"day": _d(meeting.held_on)})
    return candidate


def required_consents(candidate: Candidate, on: date) -> set[str]:
    """The higher consents a special case needs before its decision (domain.md §1.4 item 6)."""
    needed: set[str] = set()
    months = rules.age_in_months(candidate.person.date_of_birth, on, counting=candidate.rule_set.age_counting)
    if months > candidate.rule_set.max_age_months:
        needed.add(ConsentKind.OVER_AGE)
    if candidate.education_exception == EducationException.VILLAGE_ELDER:
        needed.add(ConsentKind.LITERACY)
    if candidate.is_readmission:
        needed.add(ConsentKind.READMISSION)
    if candidate.political_review:
        needed.add(ConsentKind.POLITICAL)
    return needed


def missing_consents(candidate: Candidate) -> list[str]:
    resolution = cell_resolution(candidate)
    on = resolution.done_on if resolution and resolution.done_on else permissions.today()
    have = set(candidate.consents.values_list("kind", flat=True))
    return sorted(required_consents(candidate, on) - have)


def missing_consent_labels(candidate: Candidate) -> list[str]:
    """The consents still missing, in words (only a proposed case has a decision to wait for)."""
    if candidate.state != CandidateState.PROPOSED:
        return []
    return [str(ConsentKind(kind).label) for kind in missing_consents(candidate)]


@atomic_service
def chain_step_complete(
    *,
    step: ChainStepRecord,
    by: Any,
    on: date,
    vote: Vote | None = None,
    document_number: str = "",
    note: str = "",
) -> ChainStepRecord:
    """Do the next step of the chain: an appraisal (7-KNĐ), a committee resolution (8-KNĐ, with its passed vote) or
    the decision (9-KNĐ, with its number; every required consent recorded). The decision admits the candidate."""
    candidate = _lock(step.candidate_id)
    waiting = next((s for s in chain_locked(candidate) if s.status == StepStatus.PENDING), None)
    if waiting is None or waiting.pk != step.pk or candidate.state != CandidateState.PROPOSED:
        raise ValidationError(_("This step is not the one waiting for this case."))
    step = waiting
    step.candidate = candidate  # the locked case (its person is known to the statistics' read model)
    permissions.require_act_for_org(by, step.org)
    resolution = cell_resolution(candidate)
    if on > permissions.today() or (resolution and resolution.done_on and on < resolution.done_on):
        raise ValidationError(_("The date must be between the cell's resolution and today."))
    # A committee's 2/3 (06-HD/TW §3.7.a [R]) must be shown by its recorded vote; a standing committee's vote rule
    # is unconfirmed [U], so its decision may be recorded with or without the vote (checked when given).
    vote_required = step.vote_body in (VoteBody.GRASSROOTS_COMMITTEE, VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE)
    if vote is not None or vote_required:
        if vote is None or vote.candidate_id != candidate.pk or vote.meeting.org_id != step.org_id:
            raise ValidationError(_("Record the vote of %(org)s on this candidate first.") % {"org": step.org})
        if vote.meeting.body != step.vote_body:
            raise ValidationError(_("This vote was not taken by the body this step needs."))
        if not vote.passed:
            raise ValidationError(
                _("The vote did not pass: %(for)d in favour of %(total)d, %(needed)d needed.")
                % {"for": vote.votes_for, "total": vote.denominator, "needed": vote.needed}
            )
    is_decision = step.kind == hierarchy.StepKind.DECISION
    if is_decision:
        if not document_number.strip():
            raise ValidationError(_("Enter the number of the admission decision."))
        certificate = check_certificate(candidate, on)
        if not certificate.passed:
            # A precondition lost before the decision sends the case back to that step (domain.md §3, rejections).
            raise ValidationError(
                _("%(reason)s Send the dossier back to the cell to redo it.") % {"reason": certificate.reason}
            )
        missing = missing_consents(candidate)
        if missing:
            labels = ", ".join(str(ConsentKind(kind).label) for kind in missing)
            raise ValidationError(_("The decision needs the recorded consent first: %(kinds)s.") % {"kinds": labels})
    step.status = StepStatus.DONE
    step.vote = vote
    step.document_number = normalise_text(document_number)
    step.document_date = on
    step.done_on = on
    step.done_by = by
    step.note = normalise_text(note)
    step.save()
    if is_decision:
        fire(
            candidate,
            "admit",
            by=by,
            reason=_("Decision %(n)s of %(day)s") % {"n": step.document_number, "day": _d(on)},
            acting_org=step.org,
        )
        from admission.decisions.services.snapshots import snapshot_take  # the statistics' record of the decision day

        snapshot_take(candidate=candidate, decided_on=on, decision=step)
    return step


@atomic_service
def chain_step_refuse(*, step: ChainStepRecord, reason: str, by: Any, on: date) -> Candidate:
    """A body refuses (the cell is told in writing); the case closes, the person may be proposed again later."""
    candidate = _lock(step.candidate_id)
    if step != next_step(candidate):
        raise ValidationError(_("This step is not the one waiting for this case."))
    permissions.require_act_for_org(by, step.org)
    if not reason.strip():
        raise ValidationError(_("Give the reason; the cell is told."))
    close_chain_step(step, status=StepStatus.REFUSED, reason=reason, on=on, by=by)
    candidate.closed_on = on
    candidate.closing_reason = normalise_text(reason)
    fire(candidate, "refuse", by=by, reason=reason)
    return candidate


@atomic_service
def chain_step_send_back(*, step: ChainStepRecord, reason: str, by: Any, on: date) -> Candidate:
    """A body sends the dossier back to the cell to fix the named items; the cell proposes again afterwards. This is
    the general move back to the dossier (`admission.decisions.services.send_back`): the same rules of who may (the
    step's body or one above it), the same record, the same closing of the step."""
    candidate = _lock(step.candidate_id)
    if step != next_step(candidate):
        raise ValidationError(_("This step is not the one waiting for this case."))
    case_send_back(
        candidate=candidate, target=SendBackTarget.DOSSIER, reason=reason, on=on, by=by, from_step="chain_step"
    )
    return Candidate.objects.select_related("cell", "person", "rule_set").get(pk=candidate.pk)


@atomic_service
def consent_record(
    *, candidate: Candidate, kind: str, reference: str, granted_on: date, granted_by: str, by: Any
) -> Consent:
    """Record a higher consent; the person recording acts for the cell or for a body of its approval chain."""
    candidate = _lock(candidate)
    acting = [candidate.cell, *(s.org for s in candidate.chain_steps.all())]
    if not any(permissions.can_act_for_org(by, org) for org in acting):
        permissions.require_act_for_org(by, candidate.cell)
    if granted_on > permissions.today():
        raise ValidationError(_("The consent's date cannot be in the future."))
    consent = Consent(
        candidate=candidate,
        kind=kind,
        reference=normalise_text(reference),
        granted_on=granted_on,
        granted_by=normalise_text(granted_by),
        recorded_by=by,
    )
    consent.full_clean()
    consent.save()
    return consent


@dataclass(frozen=True)
class Deadlines:
    decision_due: date | None
    decision_extended: bool
    ceremony_due: date | None
    ceremony_counted_from: str | None  # DeadlineStart: receipt or issuance of the decision


def admission_deadlines(candidate: Candidate, *, calendar: WorkingCalendar | None = None) -> Deadlines:
    """The decision within N working days of the cell's resolution (+ the extension, with a reason); the ceremony
    within M working days of the decision's receipt or issuance, as the rule set of that step says."""
    cal = calendar or working_calendar()
    resolution = cell_resolution(candidate)
    decision_due = ceremony_due = None
    ceremony_from = None
    if resolution and resolution.done_on:
        rs = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=resolution.done_on)
        decision_due = rules.deadline(
            rule_set=rs,
            step=DeadlineStep.ADMISSION_DECISION,
            start=resolution.done_on,
            calendar=cal,
            extended=bool(candidate.decision_extension_reason),
        )
    decision = decision_of(candidate)
    if decision and decision.document_date:
        rs = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=decision.document_date)
        rule = rs.deadline(DeadlineStep.CEREMONY)
        ceremony_from = rule.starts_from
        start = decision.received_on if rule.starts_from == DeadlineStart.DECISION_RECEIVED else decision.document_date
        if start is not None:
            ceremony_due = rules.deadline(rule_set=rs, step=DeadlineStep.CEREMONY, start=start, calendar=cal)
    return Deadlines(decision_due, bool(candidate.decision_extension_reason), ceremony_due, ceremony_from)


@atomic_service
def decision_extend(*, candidate: Candidate, reason: str, by: Any) -> Candidate:
    """Extend the decision deadline once, with a reason (29-QĐ/TW §4.3.1: special cases, ≤ 30 working days)."""
    candidate = _lock(candidate)
    step = next_step(candidate)
    if candidate.state != CandidateState.PROPOSED or step is None:
        raise ValidationError(_("Only a case waiting for its decision can be extended."))
    permissions.require_act_for_org(by, candidate.chain_steps.order_by("-order").first().org)  # type: ignore[union-attr]
    if candidate.decision_extension_reason:
        raise ValidationError(_("The deadline has already been extended once."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension."))
    Candidate.objects.filter(pk=candidate.pk).update(decision_extension_reason=normalise_text(reason))
    # Read anew rather than refresh_from_db: django-fsm's refresh toggles a flag on the shared field descriptor,
    # which is not safe when two threads refresh cases at the same moment.
    return Candidate.objects.select_related("cell", "person", "rule_set").get(pk=candidate.pk)


@atomic_service
def decision_received(*, candidate: Candidate, on: date, by: Any) -> ChainStepRecord:
    """The cell records the day it received the decision (the ceremony deadline may count from it)."""
    candidate = _lock(candidate)
    permissions.require_act_for_org(by, candidate.cell)
    decision = decision_of(candidate)
    if decision is None or decision.document_date is None:
        raise ValidationError(_("There is no admission decision yet."))
    if not decision.document_date <= on <= permissions.today():
        raise ValidationError(_("The date of receipt must be between the decision's date and today."))
    decision.received_on = on
    decision.save(update_fields=["received_on"])
    return decision


@atomic_service
def ceremony_record(
    *,
    candidate: Candidate,
    held_on: date,
    decision_read_by: str,
    mentors: list[Membership],
    by: Any,
    place: str = "",
    attendees: str = "",
    late_consent_ref: str = "",
) -> Ceremony:
    """Record the ceremony: the person becomes a probationary member of the cell from that day (Charter Art. 5.1).
    Past the deadline, the superior's consent is required (domain.md §4). The probation it opens is recorded by
    `admission.probation.services.ceremony_hold`, which callers use."""
    candidate = _lock(candidate)
    permissions.require_act_for_org(by, candidate.cell)
    decision = decision_of(candidate)
    if candidate.state != CandidateState.ADMITTED or decision is None or decision.document_date is None:
        raise ValidationError(_("The ceremony needs the admission decision first."))
    if not decision.document_date <= held_on <= permissions.today():
        raise ValidationError(_("The ceremony's date must be between the decision's date and today."))
    deadlines = admission_deadlines(candidate)
    if deadlines.ceremony_due is None:
        raise ValidationError(_("Record the day the cell received the decision first."))
    if held_on > deadlines.ceremony_due and not late_consent_ref.strip():
        raise ValidationError(
            _("The ceremony was due by %(day)s: record the superior committee's consent to hold it later.")
            % {"day": _d(deadlines.ceremony_due)}
        )
    if not 1 <= len(mentors) <= MAX_ACTIVE_MENTORS:
        raise ValidationError(_("Assign one or two official members of the cell to help the new member."))
    step_rules = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=held_on)
    for mentor in mentors:
        # An official member of the cell, or its guest where the rule set lets guests help.
        refusal = helper_refusal(member=mentor, cell=candidate.cell, on=held_on, rule_set=step_rules)
        if refusal and guest_in(membership=mentor, cell=candidate.cell, on=held_on) is None:
            raise ValidationError(_("Assign one or two official members of the cell to help the new member."))
        if refusal:
            raise ValidationError(refusal)
    if not decision_read_by.strip():
        raise ValidationError(_("Say who read the admission decision."))
    membership = Membership(
        person=candidate.person,
        cell=candidate.cell,
        admitted_on=decision.document_date,
        joined_cell_on=held_on,
    )
    membership.full_clean()
    membership.save()
    ceremony = Ceremony.objects.create(
        candidate=candidate,
        held_on=held_on,
        place=normalise_text(place),
        decision_read_by=normalise_text(decision_read_by),
        attendees=normalise_text(attendees),
        late_consent_ref=normalise_text(late_consent_ref),
        membership=membership,
        recorded_by=by,
    )
    ceremony.mentors.set(mentors)
    fire(candidate, "start_probation", by=by, reason=_("Ceremony of %(day)s") % {"day": _d(held_on)})
    return ceremony
