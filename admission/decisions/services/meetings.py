"""Recording meetings and their votes, with the denominator and threshold computed by the engine.

A cell meeting snapshots its roster on the meeting date (who was official, probationary, transferred away, exempted,
present, and why the absent were absent); a vote on one candidate is checked against the eligibility rules on that
date, then counted against the rule set's fraction and basis. The result is stored with the numbers it used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from admission.core.bounds import MAX_COUNT
from admission.core.request_cache import per_step, step_keep
from admission.core.transactions import atomic_service
from admission.decisions.models.meetings import Attendance, Meeting, MeetingPurpose, Vote
from admission.party import permissions
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import ExemptionKind, MemberExemption
from admission.party.selectors import cell_roster
from admission.rules.models.rulesets import VoteBody
from admission.rules.reference import normalise_text
from admission.rules.services import ruleset_for_step
from admission.sourcing.eligibility import check_eligibility
from admission.sourcing.models.candidates import Candidate
from admission.sourcing.services.locks import case_lock


def _check_date(org: PartyOrg, held_on: date) -> None:
    if held_on > permissions.today():
        raise ValidationError(_("The meeting date cannot be in the future."))
    if not org.exists_on(held_on):
        raise ValidationError(_("%(org)s did not exist on %(day)s.") % {"org": org, "day": f"{held_on:%d/%m/%Y}"})


@atomic_service
def cell_meeting_record(
    *,
    cell: PartyOrg,
    held_on: date,
    purpose: str,
    present: set[int],
    absence_reasons: Mapping[int, str],
    by: Any,
    place: str = "",
) -> Meeting:
    """Record a cell meeting: `present` holds the membership ids of those who attended; every official member who
    did not attend (and was not transferred away) needs a reason. The cell's guests on that date (members of other
    cells taking part in its meetings) are on the roster, marked as guests; they never count nor vote."""
    permissions.require_act_for_org(by, cell)
    _check_date(cell, held_on)
    if purpose not in MeetingPurpose.values:
        raise ValidationError(_("Unknown meeting purpose."))
    members, guests = cell_roster(cell=cell, on=held_on)
    members.sort(key=lambda m: m.pk)  # the roster is kept in the order the members joined the database
    known = {m.pk for m in members}
    if not present <= known | {g.membership_id for g in guests}:
        raise ValidationError(_("Some of the people marked present are not members of this cell on that date."))
    exemptions = {
        e.membership_id: e.kind for e in MemberExemption.objects.filter(membership_id__in=known) if e.covers(held_on)
    }
    rows: list[Attendance] = []
    missing: list[str] = []
    for member in members:
        official = member.status_on(held_on) == "official"
        is_present = member.pk in present
        reason = normalise_text(absence_reasons.get(member.pk, ""))
        if exemptions.get(member.pk) == ExemptionKind.TEMPORARY_TRANSFER and not reason:
            reason = _("Temporarily transferred to another cell")
        if exemptions.get(member.pk) == ExemptionKind.EXEMPTED and not reason:
            reason = _("Exempted from party activities")
        if official and not is_present and not reason:
            missing.append(member.person.full_name)
        rows.append(
            Attendance(
                membership=member,
                name=member.person.full_name,
                official=official,
                present=is_present,
                absence_reason="" if is_present else reason,
            )
        )
    if missing:
        raise ValidationError(_("Give the reason for absence of: %(names)s.") % {"names": ", ".join(missing)})
    guest_rows = [
        Attendance(
            membership=g.membership,
            name=g.membership.person.full_name,
            official=False,
            guest=True,
            present=g.membership_id in present,
            absence_reason="",
        )
        for g in guests
    ]
    # (attendance row, exemption kind) of every official member: only they count (Charter Art. 3.4).
    officials = [(r, exemptions.get(r.membership.pk) if r.membership else None) for r in rows if r.official]
    meeting = Meeting.objects.create(
        org=cell,
        body=VoteBody.CELL,
        purpose=purpose,
        held_on=held_on,
        place=normalise_text(place),
        members_total=len(rows),
        official_members=len(officials),
        probationary_members=len(rows) - len(officials),
        temporarily_transferred=sum(kind == ExemptionKind.TEMPORARY_TRANSFER for _row, kind in officials),
        exempted=sum(kind == ExemptionKind.EXEMPTED for _row, kind in officials),
        exempted_present=sum(row.present and kind == ExemptionKind.EXEMPTED for row, kind in officials),
        present=sum(row.present for row in rows),
        roster=[
            {
                "membership": r.membership_id,
                "name": r.name,
                "official": r.official,
                "present": r.present,
                **({"guest": True} if r.guest else {}),
            }
            for r in [*rows, *guest_rows]
        ],
        recorded_by=by,
    )
    for row in [*rows, *guest_rows]:
        row.meeting = meeting
    Attendance.objects.bulk_create([*rows, *guest_rows])
    # Known without reading, for the rest of the step: the new meeting's voters (the official members present) and
    # that it has voted on no one yet.
    step_keep(("tally", meeting.pk), _Tally(voters=sum(r.present for r, _kind in officials), voted=set()))
    return meeting


@dataclass
class _Tally:
    """Who may vote at a cell meeting (its official members present) and on whom it has voted. Inside a step it is
    read once, or known from the meeting's recording in the same step, and follows the votes the step records."""

    voters: int
    voted: set[int]


def _tally(meeting: Meeting) -> _Tally:
    def read() -> _Tally:
        official_present = meeting.attendance.filter(official=True, present=True, guest=False).count()
        return _Tally(voters=official_present, voted=set(meeting.votes.values_list("candidate_id", flat=True)))

    return per_step(("tally", meeting.pk), read)


@atomic_service
def committee_meeting_record(
    *, org: PartyOrg, body: str, held_on: date, purpose: str, members_total: int, present: int, by: Any
) -> Meeting:
    """A committee's meeting: every member of the committee counts (06-HD/TW §3.7.a), so only totals are kept."""
    permissions.require_act_for_org(by, org)
    _check_date(org, held_on)
    if body == VoteBody.CELL:
        raise ValidationError(_("A cell's meeting is recorded with its roster."))
    if not 1 <= members_total <= MAX_COUNT:
        raise ValidationError(_("A committee has from 1 to %(max)d members.") % {"max": MAX_COUNT})
    if not 0 <= present <= members_total:
        raise ValidationError(_("Present members must be between 0 and the committee's size."))
    return Meeting.objects.create(
        org=org,
        body=body,
        purpose=purpose,
        held_on=held_on,
        members_total=members_total,
        official_members=members_total,
        present=present,
        recorded_by=by,
    )


@atomic_service
def vote_record(*, meeting: Meeting, candidate: Candidate, votes_for: int, votes_against: int, by: Any) -> Vote:
    """Count one candidate's vote. Refuses an ineligible candidate (on the meeting date) and impossible counts."""
    permissions.require_act_for_org(by, meeting.org)
    candidate = case_lock(candidate)
    if meeting.body == VoteBody.CELL and candidate.cell_id != meeting.org_id:
        raise ValidationError(_("This candidate belongs to another cell."))
    tally = _tally(meeting) if meeting.body == VoteBody.CELL else None
    voted = candidate.pk in tally.voted if tally is not None else meeting.votes.filter(candidate=candidate).exists()
    if voted:
        raise ValidationError(_("This meeting has already voted on this candidate."))
    # Who may vote: the official members present (a cell) or the members present (a committee), never more than
    # the members the threshold counts (a member temporarily transferred elsewhere votes in that other cell).
    voters = min(tally.voters if tally is not None else meeting.present, meeting.denominator)
    if votes_for < 0 or votes_against < 0 or votes_for + votes_against > voters:
        raise ValidationError(
            _("%(cast)d votes were entered but only %(voters)d members present may vote.")
            % {"cast": votes_for + votes_against, "voters": voters}
        )
    if meeting.body == VoteBody.CELL and meeting.purpose == MeetingPurpose.ADMISSION:
        report = check_eligibility(candidate, meeting.held_on)
        if not report.eligible:
            raise ValidationError([f"{r.title}: {r.reason}" for r in report.failures])
    rule_set = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=meeting.held_on)
    rule = rule_set.vote_rule(meeting.body)
    denominator = meeting.denominator
    if denominator <= 0:
        raise ValidationError(_("No member counts for this vote: check the roster."))
    vote = Vote.objects.create(
        meeting=meeting,
        candidate=candidate,
        rule_set=rule_set,
        votes_for=votes_for,
        votes_against=votes_against,
        denominator=denominator,
        needed=rule.votes_needed(denominator),
        passed=rule.passes(votes_for, denominator),
        recorded_by=by,
    )
    if tally is not None:
        tally.voted.add(candidate.pk)
    return vote
