"""3-KNĐ and 4-KNĐ: the official members' introductions (and an introducer's replacement), and the Youth Union's or
trade union's resolution that takes the place of one introducer (Charter Art. 4.2)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from admission.dossier import checklist as dossier
from admission.dossier.models import Introduction, MassOrgKind, MassOrgResolution
from admission.dossier.services.common import _case_day, _check_scan, _lock_dossier, _save
from admission.dossier.services.redo import introduction_keep
from admission.party import permissions
from admission.party.models.people import Membership
from admission.rules import compute as rules
from admission.rules.models.rulesets import DocumentKind
from admission.rules.reference import normalise_text
from admission.sourcing.models.candidates import Candidate


def _refuse_ineligible_introducer(
    *,
    candidate: Candidate,
    introducer: Membership,
    worked_together_from: date,
    worked_together_to: date | None,
    written_on: date,
) -> None:
    """Refuse what waiting cannot fix: not an official member when writing, no longer in the unit, or a period
    together that has ended short. The period still running is judged on the meeting date (the checklist)."""
    if introducer.person_id == candidate.person_id:
        raise ValidationError(_("The applicant cannot introduce themself."))
    if worked_together_to is not None and worked_together_to < worked_together_from:
        raise ValidationError(_("The period worked together cannot end before it starts."))
    if worked_together_from > written_on:
        raise ValidationError(_("The period worked together starts after the introduction was written."))
    verdicts = dossier.check_introducer(
        introducer=introducer,
        worked_together_from=worked_together_from,
        worked_together_to=worked_together_to,
        rule_set=candidate.rule_set,
        meeting_on=written_on,
        cell=candidate.cell,
    )
    for verdict in verdicts:
        ended = worked_together_to is not None and worked_together_to < written_on
        if not verdict.passed and (verdict.code != "introducer_cowork" or ended):
            raise ValidationError(verdict.reason)


def _introduction_create(
    *,
    candidate: Candidate,
    introducer: Membership,
    worked_together_from: date,
    worked_together_to: date | None,
    written_on: date,
    by: Any,
    scan: UploadedFile | None,
    replacing: Introduction | None = None,
) -> Introduction:
    _case_day(candidate, written_on, _("The introduction's date cannot be in the future."))
    _refuse_ineligible_introducer(
        candidate=candidate,
        introducer=introducer,
        worked_together_from=worked_together_from,
        worked_together_to=worked_together_to,
        written_on=written_on,
    )
    active = candidate.introductions.filter(replaced_by__isnull=True)
    if replacing is not None:
        active = active.exclude(pk=replacing.pk)
    if active.filter(introducer__person=introducer.person).exists():
        raise ValidationError(_("%(name)s already introduces the applicant.") % {"name": introducer.person.full_name})
    needed = dossier.introducers_needed(candidate, permissions.today())
    if active.count() >= needed:
        raise ValidationError(
            _("The dossier already has the %(n)d introduction(s) it needs: replace an introducer instead.")
            % {"n": needed}
        )
    _check_scan(scan)
    introduction = Introduction(
        candidate=candidate,
        introducer=introducer,
        worked_together_from=worked_together_from,
        worked_together_to=worked_together_to,
        written_on=written_on,
    )
    _save(introduction, scan, by)
    return introduction


@transaction.atomic
def introduction_add(
    *,
    candidate: Candidate,
    introducer: Membership,
    worked_together_from: date,
    written_on: date,
    by: Any,
    worked_together_to: date | None = None,
    scan: UploadedFile | None = None,
) -> Introduction:
    """Record an official member's introduction (3-KNĐ). Charter Art. 4.2: two official members, or one with the
    Youth Union's or trade union's resolution."""
    candidate = _lock_dossier(candidate, by)
    return _introduction_create(
        candidate=candidate,
        introducer=introducer,
        worked_together_from=worked_together_from,
        worked_together_to=worked_together_to,
        written_on=written_on,
        by=by,
        scan=scan,
    )


@transaction.atomic
def introduction_replace(
    *,
    introduction: Introduction,
    introducer: Membership,
    worked_together_from: date,
    written_on: date,
    reason: str,
    by: Any,
    worked_together_to: date | None = None,
    scan: UploadedFile | None = None,
) -> Introduction:
    """An introducer who moved away, was disciplined or can no longer introduce is replaced by another qualifying
    official member, who writes a fresh 3-KNĐ (domain.md §2.4 [U]: practice, no rule found)."""
    candidate = _lock_dossier(introduction.candidate, by)
    old = Introduction.objects.select_for_update().get(pk=introduction.pk, candidate=candidate)
    if old.replaced_by_id is not None:
        raise ValidationError(_("This introducer has already been replaced."))
    if not reason.strip():
        raise ValidationError(_("Say why the introducer is replaced."))
    if introducer.person_id == old.introducer.person_id and old.introducer_id != introducer.pk:
        raise ValidationError(_("Choose another member to replace the introducer."))
    if introducer.pk == old.introducer_id:
        # The same introducer writes a new letter once the old one has expired (domain.md §2.5: made again).
        validity = rules.document_validity(
            rule_set=candidate.rule_set, document=DocumentKind.INTRODUCTION, issued_on=old.written_on
        )
        if validity.valid_on(written_on):  # still valid: only another member replaces it
            raise ValidationError(_("Choose another member to replace the introducer."))
    if written_on < old.written_on:
        raise ValidationError(_("The new introduction cannot be dated before the one it replaces."))
    new = _introduction_create(
        candidate=candidate,
        introducer=introducer,
        worked_together_from=worked_together_from,
        worked_together_to=worked_together_to,
        written_on=written_on,
        by=by,
        scan=scan,
        replacing=old,
    )
    old.replaced_by = new
    old.replaced_on = written_on
    old.replacement_reason = normalise_text(reason)
    old.save()
    introduction_keep(old=old, reason=reason, by=by)
    return new


@transaction.atomic
def mass_org_resolution_record(
    *,
    candidate: Candidate,
    kind: str,
    body_name: str,
    number: str,
    adopted_on: date,
    by: Any,
    scan: UploadedFile | None = None,
) -> MassOrgResolution:
    """Record (or correct) the Youth Union or trade-union executive committee's resolution (4-KNĐ) introducing the
    applicant; it takes the place of one introducer (Charter Art. 4.2)."""
    candidate = _lock_dossier(candidate, by)
    if kind not in MassOrgKind.values:
        raise ValidationError(_("The resolution is from the Youth Union or the trade union."))
    if kind == MassOrgKind.YOUTH_UNION and not candidate.person.youth_union_member:
        raise ValidationError(_("Only a Youth Union member is introduced by the Youth Union."))
    if kind == MassOrgKind.TRADE_UNION and not candidate.person.trade_union_member:
        raise ValidationError(_("Only a trade-union member is introduced by the trade union."))
    _case_day(candidate, adopted_on, _("The resolution's date cannot be in the future."))
    _check_scan(scan)
    resolution = MassOrgResolution.objects.filter(candidate=candidate).first() or MassOrgResolution(candidate=candidate)
    resolution.kind = kind
    resolution.body_name = normalise_text(body_name)
    resolution.number = normalise_text(number)
    resolution.adopted_on = adopted_on
    _save(resolution, scan, by)
    return resolution
