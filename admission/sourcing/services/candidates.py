"""Writes on candidate cases: nomination, the sympathiser list, helpers, review notes, closing and re-opening.

Every function is atomic, checks that the user acts for the case's cell (PermissionDenied otherwise; views turn an
out-of-scope case into a 404 before calling), runs the FSM transition with `by` and `description` so that
django-fsm-log records who, when and why, and raises ValidationError with a message a secretary understands.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from admission.party import permissions
from admission.party.models.guests import guest_in
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, Person
from admission.rules.models.rulesets import RuleSet
from admission.rules.reference import normalise_text
from admission.rules.services import ruleset_for_step, ruleset_lock
from admission.sourcing.models.candidates import Candidate, CandidateState, Mentor, ReviewNote
from admission.sourcing.services.locks import case_lock
from admission.sourcing.services.readmission import sync_readmission
from admission.sourcing.services.transitions import fire

MAX_ACTIVE_MENTORS = 2  # domain.md §3 row 0: "one or two official members"


def _fire(candidate: Candidate, name: str, *, by: Any, reason: str = "") -> None:
    fire(candidate, name, by=by, reason=reason, denied=_("You do not act for %(cell)s.") % {"cell": candidate.cell})


def _lock(candidate_pk: int) -> Candidate:
    return case_lock(candidate_pk)


def _next_code(year: int) -> str:
    prefix = f"KN-{year}-"
    last = Candidate.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:06d}"


@transaction.atomic
def candidate_nominate(
    *,
    person: Person,
    cell: PartyOrg,
    nominated_by: str,
    nominated_on: date,
    by: Any,
    nominating_body: str = "",
    note: str = "",
) -> Candidate:
    """Open a case for a person nominated by a mass organisation or the cell; snapshots the rule set in force."""
    if not cell.is_cell:
        raise ValidationError(_("A candidate is nominated to a party cell."))
    permissions.require_act_for_org(by, cell)
    if not cell.exists_on(nominated_on):
        raise ValidationError(
            _("%(cell)s does not exist on %(day)s.") % {"cell": cell, "day": f"{nominated_on:%d/%m/%Y}"}
        )
    if nominated_on > permissions.today():
        raise ValidationError(_("The nomination date cannot be in the future."))
    if Membership.objects.filter(person=person, left_cell_on__isnull=True).exists():
        raise ValidationError(_("%(name)s is already a party member.") % {"name": person.full_name})
    if Candidate.objects.filter(person=person, state__in=CandidateState.open_states()).exists():
        raise ValidationError(_("%(name)s already has an open case.") % {"name": person.full_name})
    Person.objects.select_for_update().filter(pk=person.pk).first()  # serialise attempts for the same person
    try:
        rule_set = RuleSet.in_force_on(nominated_on)
    except RuleSet.DoesNotExist as exc:
        raise ValidationError(
            _("No rule set is in force on %(day)s: ask the administrator to add one.")
            % {"day": f"{nominated_on:%d/%m/%Y}"}
        ) from exc
    attempt = (
        Candidate.objects.filter(person=person).order_by("-attempt").values_list("attempt", flat=True).first() or 0
    ) + 1
    candidate = Candidate(
        code=_next_code(nominated_on.year),
        person=person,
        attempt=attempt,
        cell=cell,
        rule_set=rule_set,
        opened_on=nominated_on,
        nominated_by=nominated_by,
        nominating_body=normalise_text(nominating_body),
        nominated_on=nominated_on,
        nomination_note=normalise_text(note),
    )
    candidate.full_clean(exclude=["state"])
    candidate._change_reason = _("Nominated")
    candidate.save()
    sync_readmission(person_id=person.pk)
    candidate.refresh_from_db(fields=["is_readmission"])
    ruleset_lock(rule_set=rule_set)
    return candidate


@transaction.atomic
def candidate_reopen(
    *, previous: Candidate, nominated_by: str, nominated_on: date, by: Any, note: str = ""
) -> Candidate:
    """A new attempt for the same person after a withdrawn or not-admitted case (documents are redone)."""
    if previous.is_open:
        raise ValidationError(_("The previous case is still open: close it first."))
    case = candidate_nominate(
        person=previous.person,
        cell=previous.cell,
        nominated_by=nominated_by,
        nominated_on=nominated_on,
        by=by,
        note=note,
    )
    case.education_exception = previous.education_exception
    case.save()
    return case


@transaction.atomic
def candidate_list_as_sympathiser(*, candidate: Candidate, meeting_on: date, by: Any, note: str = "") -> Candidate:
    """The cell's meeting puts the person on the list of party sympathisers."""
    candidate = _lock(candidate.pk)
    if meeting_on < candidate.nominated_on:
        raise ValidationError(_("The cell meeting cannot be before the nomination."))
    if meeting_on > permissions.today():
        raise ValidationError(_("The meeting date cannot be in the future."))
    candidate.sympathiser_meeting_on = meeting_on
    candidate.sympathiser_note = normalise_text(note)
    _fire(
        candidate,
        "list_as_sympathiser",
        by=by,
        reason=note or _("Cell meeting of %(day)s") % {"day": f"{meeting_on:%d/%m/%Y}"},
    )
    return candidate


def helper_refusal(*, member: Membership, cell: PartyOrg, on: date, rule_set: RuleSet) -> str | None:
    """Why `member` cannot help a candidate of `cell` on `on`, or None: an official member of the cell, or a guest of
    the cell (an official member elsewhere) when the rule set lets guests help (`guests_may_help_or_introduce`)."""
    official = Membership.objects.filter(pk=member.pk).official_on(on).exists()
    if member.cell_id != cell.pk:
        if not official or guest_in(membership=member, cell=cell, on=on) is None:
            return str(_("The helper must be an official member of the same cell on that date."))
        if not rule_set.guests_may_help_or_introduce:
            return str(
                _("%(name)s is a guest of %(cell)s: rule set %(code)s does not let guests help or introduce there.")
                % {"name": member.person.full_name, "cell": cell, "code": rule_set.code}
            )
        return None
    if not official:
        return str(_("The helper must be an official member of the same cell on that date."))
    return None


@transaction.atomic
def mentor_assign(*, candidate: Candidate, member: Membership, assigned_on: date, by: Any) -> Mentor:
    """Assign an official member of the cell to help the person (one or two at a time)."""
    candidate = _lock(candidate.pk)
    permissions.require_act_for_org(by, candidate.cell)
    if not candidate.is_open:
        raise ValidationError(_("The case is closed."))
    refusal = helper_refusal(
        member=member,
        cell=candidate.cell,
        on=assigned_on,
        rule_set=ruleset_for_step(case_rule_set=candidate.rule_set, step_on=assigned_on),
    )
    if refusal:
        raise ValidationError(refusal)
    active = candidate.mentors.filter(ended_on__isnull=True)
    if active.filter(member=member).exists():
        raise ValidationError(_("This member already helps the person."))
    if active.count() >= MAX_ACTIVE_MENTORS:
        raise ValidationError(_("At most two members help a person at a time: end one assignment first."))
    return Mentor.objects.create(candidate=candidate, member=member, assigned_on=assigned_on)


@transaction.atomic
def mentor_end(
    *, mentor: Mentor, ended_on: date, reason: str, by: Any, replacement: Membership | None = None
) -> Mentor | None:
    """End a helper's assignment (moved away, disciplined…), optionally naming the replacement from the same day."""
    mentor = Mentor.objects.select_for_update().select_related("candidate__cell").get(pk=mentor.pk)
    permissions.require_act_for_org(by, mentor.candidate.cell)
    if mentor.ended_on is not None:
        raise ValidationError(_("This assignment has already ended."))
    if ended_on < mentor.assigned_on:
        raise ValidationError(_("The end date cannot be before the assignment date."))
    if not reason.strip():
        raise ValidationError(_("Say why the assignment ends."))
    mentor.ended_on = ended_on
    mentor.end_reason = normalise_text(reason)
    mentor.save()
    if replacement is not None:
        return mentor_assign(candidate=mentor.candidate, member=replacement, assigned_on=ended_on, by=by)
    return None


@transaction.atomic
def review_note_add(*, candidate: Candidate, reviewed_on: date, text: str, by: Any) -> ReviewNote:
    permissions.require_act_for_org(by, candidate.cell)
    if not text.strip():
        raise ValidationError(_("Write the review note."))
    if not candidate.is_open:
        raise ValidationError(_("The case is closed: no more review notes."))
    if reviewed_on > permissions.today():
        raise ValidationError(_("The review date cannot be in the future."))
    return ReviewNote.objects.create(candidate=candidate, reviewed_on=reviewed_on, text=normalise_text(text), author=by)


@transaction.atomic
def candidate_open_dossier(*, candidate: Candidate, by: Any) -> Candidate:
    """Hand the case to the admission stage: needs a certificate valid today."""
    candidate = _lock(candidate.pk)
    if candidate.state == CandidateState.TRAINED and candidate.current_certificate() is None:
        raise ValidationError(_("The course certificate has expired: the person must attend the course again."))
    _fire(candidate, "open_dossier", by=by, reason=_("Dossier opened"))
    return candidate


@transaction.atomic
def candidate_close(*, candidate: Candidate, withdrawn: bool, reason: str, on: date, by: Any) -> Candidate:
    """Close the case: withdrawn by the person, or not admitted. The person can be nominated again later."""
    if not reason.strip():
        raise ValidationError(_("Say why the case is closed."))
    if on > permissions.today():
        raise ValidationError(_("The closing date cannot be in the future."))
    candidate = _lock(candidate.pk)
    if on < candidate.opened_on:
        raise ValidationError(_("The closing date cannot be before the case was opened."))
    candidate.closed_on = on
    candidate.closing_reason = normalise_text(reason)
    _fire(candidate, "withdraw" if withdrawn else "close_not_admitted", by=by, reason=reason)
    for enrollment in candidate.enrollments.filter(state__in=["proposed", "approved", "attending"]):
        enrollment.withdraw(by=by, description=reason)
        enrollment.save()
    return candidate


@transaction.atomic
def candidate_update_special_path(*, candidate: Candidate, by: Any, **fields: Any) -> Candidate:
    """Record the facts behind the special paths (the education exception; a re-admission follows the earlier
    memberships recorded with `admission.sourcing.services.readmission`)."""
    allowed = {"education_exception"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    candidate = _lock(candidate.pk)
    permissions.require_act_for_org(by, candidate.cell)
    for name, value in fields.items():
        setattr(candidate, name, normalise_text(value) if isinstance(value, str) else value)
    candidate.full_clean(exclude=["state"])
    candidate.save()
    return candidate


def candidate_close_everywhere(*, candidate: Candidate, withdrawn: bool, reason: str, on: date, by: Any) -> Candidate:
    """Close the case and whatever tracks its work. The workflow app plugs its closer in through
    settings.CASE_CLOSE_HANDLER, so the domain app stays free of viewflow."""
    path = getattr(settings, "CASE_CLOSE_HANDLER", "")
    if not path:
        return candidate_close(candidate=candidate, withdrawn=withdrawn, reason=reason, on=on, by=by)
    result: Candidate = import_string(path)(candidate=candidate, withdrawn=withdrawn, reason=reason, on=on, by=by)
    return result
