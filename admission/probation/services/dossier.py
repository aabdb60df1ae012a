"""Start, helpers and the recognition dossier (domain.md §5).

- `probation_start` runs inside `ceremony_hold`, after `ceremony_record`: probation from the ceremony's date for
  the rule set's months (Charter Art. 5.1), the ceremony's helpers assigned.
- The dossier: course certificate, discipline (reprimand or warning only), self-review 10-KNĐ, helpers' comments
  11-KNĐ, compiled opinions 12-KNĐ; `recognition_dossier_missing` says what the cell still needs before voting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.decisions.models.decisions import Ceremony
from admission.decisions.services.decisions import ceremony_record
from admission.dossier.services import _organisations as clean_organisations
from admission.party import permissions
from admission.party.models.people import Membership
from admission.probation.models import (
    DisciplineKind,
    HelperComment,
    NewMemberCertificate,
    Probation,
    ProbationDiscipline,
    ProbationOpinions,
    SelfReview,
)
from admission.probation.services.base import _between, _lock, _require_open, _text
from admission.rules import compute as rules
from admission.rules.services import ruleset_for_step
from admission.sourcing.models.candidates import Candidate, Mentor
from admission.sourcing.services.candidates import mentor_assign, mentor_end

# ------------------------------------------------------------------------------------------------------------------
# Start, helpers, dossier
# ------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def ceremony_hold(*, candidate: Candidate, by: Any, **ceremony: Any) -> Ceremony:
    """Record the ceremony (`ceremony_record`: its checks, its deadline) and open the probation it starts, in one
    transaction: the person is a probationary member from that day (Charter Art. 5.1)."""
    held = ceremony_record(candidate=candidate, by=by, **ceremony)
    probation_start(ceremony=held, by=by)
    return held


@transaction.atomic
def probation_start(*, ceremony: Ceremony, by: Any) -> Probation:
    """Open the probation at the ceremony (called by `ceremony_hold`, after `ceremony_record` checked the user): it
    runs from the ceremony's date for the rule set's months (Charter Art. 5.1; 29/02 + 12 months → 28/02). The
    helpers named at the ceremony replace those of the sourcing stage."""
    candidate = ceremony.candidate
    starts_on = ceremony.held_on
    months = ruleset_for_step(case_rule_set=candidate.rule_set, step_on=starts_on).probation_months
    for mentor in candidate.mentors.filter(ended_on__isnull=True):
        mentor.ended_on = max(starts_on, mentor.assigned_on)
        mentor.end_reason = _("Helpers assigned at the admission ceremony")
        mentor.save()
    for member in ceremony.mentors.all():
        Mentor.objects.create(candidate=candidate, member=member, assigned_on=starts_on)
    return Probation.objects.create(
        candidate=candidate,
        ceremony=ceremony,
        membership=ceremony.membership,
        starts_on=starts_on,
        months=months,
        ends_on=rules.probation_end(starts_on, months),
    )


def _helper_of(probation: Probation, mentor: Mentor) -> Mentor:
    if mentor.candidate_id != probation.candidate_id or mentor.assigned_on < probation.starts_on:
        raise ValidationError(_("This member was not assigned to help during the probation."))
    return mentor


@transaction.atomic
def helper_assign(*, probation: Probation, member: Membership, assigned_on: date, by: Any) -> Mentor:
    """Assign one more helper (one or two at a time), an official member of the member's current cell."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _between(assigned_on, probation.starts_on, _("The date must be between the start of probation and today."))
    return mentor_assign(candidate=probation.candidate, member=member, assigned_on=assigned_on, by=by)


@transaction.atomic
def helper_replace(
    *, probation: Probation, mentor: Mentor, replacement: Membership, on: date, reason: str, by: Any
) -> Mentor:
    """Replace a helper (moved away, ill, disciplined…) from `on`; both assignments stay on record."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _helper_of(probation, mentor)
    _between(on, probation.starts_on, _("The date must be between the start of probation and today."))
    new = mentor_end(mentor=mentor, ended_on=on, reason=reason, by=by, replacement=replacement)
    assert new is not None
    return new


@transaction.atomic
def course_certificate_record(
    *, probation: Probation, number: str, issued_on: date, issuer: str, by: Any
) -> NewMemberCertificate:
    """Record (or correct) the certificate of the political-theory course for new members."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _between(issued_on, probation.starts_on, _("The certificate must be dated between the ceremony and today."))
    if not _text(number) or not _text(issuer):
        raise ValidationError(_("Enter the certificate's number and who issued it."))
    cert = NewMemberCertificate.objects.filter(probation=probation).first() or NewMemberCertificate(probation=probation)
    cert.number, cert.issued_on, cert.issuer, cert.recorded_by = _text(number), issued_on, _text(issuer), by
    cert.full_clean()
    cert.save()
    return cert


@transaction.atomic
def discipline_record(
    *,
    probation: Probation,
    kind: str,
    decided_on: date,
    decision_ref: str,
    decided_by: str,
    reason: str,
    by: Any,
) -> ProbationDiscipline:
    """Record a sanction decided during probation: a reprimand or a warning only (Charter Art. 35). A graver fault
    means the probationer is no longer worthy: propose the removal instead."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    if kind not in DisciplineKind.values:
        raise ValidationError(
            _("During probation only a reprimand or a warning can be given; otherwise propose the removal.")
        )
    _between(decided_on, probation.starts_on, _("The decision must be dated between the ceremony and today."))
    if not _text(decision_ref) or not _text(reason) or not _text(decided_by):
        raise ValidationError(_("Enter the decision's number, who decided and the reason."))
    row = ProbationDiscipline(
        probation=probation,
        kind=kind,
        decided_on=decided_on,
        decision_ref=_text(decision_ref),
        decided_by=_text(decided_by),
        reason=_text(reason),
        recorded_by=by,
    )
    row.full_clean()
    row.save()
    return row


def _require_cell_or_self(probation: Probation, by: Any) -> None:
    person_user = probation.candidate.person.user_id
    if person_user is not None and getattr(by, "pk", None) == person_user:
        return
    permissions.require_act_for_org(by, probation.candidate.cell)


@transaction.atomic
def self_review_record(
    *, probation: Probation, written_on: date, strengths: str, by: Any, weaknesses: str = "", remedies: str = ""
) -> SelfReview:
    """The probationer's self-review (10-KNĐ), entered by the member or by the cell for them."""
    probation = _lock(probation)
    _require_cell_or_self(probation, by)
    _require_open(probation)
    _between(written_on, probation.starts_on, _("The self-review must be dated between the ceremony and today."))
    if not _text(strengths):
        raise ValidationError(_("Write the self-review's assessment."))
    review = SelfReview.objects.filter(probation=probation).first() or SelfReview(probation=probation)
    review.written_on = written_on
    review.strengths, review.weaknesses, review.remedies = _text(strengths), _text(weaknesses), _text(remedies)
    review.recorded_by = by
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def helper_comment_record(
    *,
    probation: Probation,
    mentor: Mentor,
    written_on: date,
    assessment: str,
    recommends_recognition: bool,
    by: Any,
) -> HelperComment:
    """A helper's comment on the probationer (11-KNĐ), entered by the helper or by the cell."""
    probation = _lock(probation)
    _helper_of(probation, mentor)
    helper_user = mentor.member.person.user_id
    if helper_user is None or getattr(by, "pk", None) != helper_user:
        permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _between(written_on, mentor.assigned_on, _("The comment must be dated between the assignment and today."))
    if not _text(assessment):
        raise ValidationError(_("Write the helper's assessment."))
    comment = HelperComment.objects.filter(probation=probation, mentor=mentor).first() or HelperComment(
        probation=probation, mentor=mentor
    )
    comment.written_on, comment.assessment = written_on, _text(assessment)
    comment.recommends_recognition, comment.recorded_by = recommends_recognition, by
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def opinions_record(
    *,
    probation: Probation,
    compiled_on: date,
    residence_cell: str,
    residence_opinion: str,
    by: Any,
    organisations: Sequence[Mapping[str, Any]] = (),
    synthesis: str = "",
) -> ProbationOpinions:
    """The cell committee's compilation (12-KNĐ) of the opinions of the organisations where the member works and of
    the cell where the member lives."""
    probation = _lock(probation)
    permissions.require_act_for_org(by, probation.candidate.cell)
    _require_open(probation)
    _between(compiled_on, probation.starts_on, _("The compilation must be dated between the ceremony and today."))
    if not _text(residence_cell) or not _text(residence_opinion):
        raise ValidationError(_("Record the opinion of the cell where the member lives."))
    summary = ProbationOpinions.objects.filter(probation=probation).first() or ProbationOpinions(probation=probation)
    summary.compiled_on = compiled_on
    summary.organisations = clean_organisations(organisations, compiled_on=compiled_on)
    summary.residence_cell, summary.residence_opinion = _text(residence_cell), _text(residence_opinion)
    summary.synthesis, summary.recorded_by = _text(synthesis), by
    summary.full_clean()
    summary.save()
    return summary


def recognition_dossier_missing(probation: Probation) -> list[str]:
    """What the cell still needs before voting (the recognition dossier, domain.md §5 item 2)."""
    missing: list[str] = []
    if not NewMemberCertificate.objects.filter(probation=probation).exists():
        missing.append(_("the new-member course certificate"))
    if not SelfReview.objects.filter(probation=probation).exists():
        missing.append(_("the self-review (10-KNĐ)"))
    if not probation.helper_comments.exists():
        missing.append(_("a helper's comment (11-KNĐ)"))
    if not ProbationOpinions.objects.filter(probation=probation).exists():
        missing.append(_("the compiled opinions (12-KNĐ)"))
    return missing
