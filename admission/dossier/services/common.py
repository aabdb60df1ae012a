"""What every write on the dossier shares: the case locked at the dossier step for someone acting for its cell, the
date that can be neither in the future nor before the applicant's birth, the scan checked by its content, NFC text,
and the save that records who wrote."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from admission.core.uploads import validate_scan
from admission.dossier.models import Curriculum
from admission.party import permissions
from admission.rules.reference import normalise_text, vn_date
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.services.locks import case_lock


def _lock_dossier(candidate: Candidate, by: Any) -> Candidate:
    """The case, locked, once the user is known to act for its cell and the case is at the dossier step."""
    locked = case_lock(candidate)
    permissions.require_act_for_org(by, locked.cell)
    if locked.state != CandidateState.DOSSIER:
        raise ValidationError(
            _("The dossier can be changed only while the case is at the dossier step (now: “%(state)s”).")
            % {"state": locked.get_state_display()}
        )
    return locked


def _case_day(candidate: Candidate, day: date | None, message: str) -> None:
    """A day of the applicant's dossier: not in the future (`message`), and not before the applicant was born."""
    if day is None:
        return
    if day > permissions.today():
        raise ValidationError(message)
    born = candidate.person.date_of_birth
    if day < born:
        raise ValidationError(
            _("A date of the dossier cannot be before the applicant was born (%(day)s).") % {"day": vn_date(born)}
        )


def _check_scan(scan: UploadedFile | None) -> None:
    if scan is not None:
        validate_scan(scan)


def _text(value: Any) -> str:
    return normalise_text(value) if isinstance(value, str) else ""


def _save(obj: Any, scan: UploadedFile | None, by: Any) -> None:
    if scan is not None:
        obj.scan = scan
    obj.recorded_by = by
    obj.full_clean()
    obj.save()


def _curriculum(candidate: Candidate) -> Curriculum:
    curriculum = Curriculum.objects.select_for_update().filter(candidate=candidate).first()
    if curriculum is None:
        raise ValidationError(_("The applicant has not declared the CV yet."))
    return curriculum
