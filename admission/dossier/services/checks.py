"""The background verification (06-HD/TW §3.4): one check per person to verify, prepared when the CV is stamped, then
the request sent and the reply received about each."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from admission.dossier import checklist as dossier
from admission.dossier.models import BackgroundCheck, CheckMethod, CheckResult
from admission.dossier.services.common import _case_day, _check_scan, _curriculum, _lock_dossier, _save
from admission.rules.reference import normalise_text
from admission.rules.reference import vn_date as _d
from admission.sourcing.models.candidates import Candidate


@transaction.atomic
def background_checks_prepare(*, candidate: Candidate, by: Any) -> list[BackgroundCheck]:
    """One check per person to verify: the applicant and the relatives 06-HD/TW §3.4.a names (birth parents,
    parents-in-law or the person who raised them, the spouse, adult children; not siblings). A party-member relative
    declared fully is exempt (§3.4.c). Idempotent: existing checks are kept."""
    candidate = _lock_dossier(candidate, by)
    curriculum = _curriculum(candidate)
    if not curriculum.is_sealed:
        raise ValidationError(_("Stamp the CV across its page joins before preparing the verification."))
    if not candidate.background_checks.filter(relative__isnull=True).exists():
        BackgroundCheck.objects.create(
            candidate=candidate, relative=None, subject_name=curriculum.name_in_use, recorded_by=by
        )
    for relative in dossier.verification_targets(curriculum.relatives.all()):
        BackgroundCheck.objects.get_or_create(
            relative=relative,
            defaults={
                "candidate": candidate,
                "subject_name": relative.full_name,
                "exempt": dossier.is_exempt_from_verification(relative),
                "note": _("Party member declared fully: not verified (06-HD/TW item 3.4.c).")
                if dossier.is_exempt_from_verification(relative)
                else "",
                "recorded_by": by,
            },
        )
    return list(candidate.background_checks.select_related("relative").order_by("pk"))


def _lock_check(check: BackgroundCheck, by: Any) -> tuple[Candidate, BackgroundCheck]:
    candidate = _lock_dossier(check.candidate, by)
    locked = BackgroundCheck.objects.select_for_update().get(pk=check.pk, candidate=candidate)
    if locked.exempt:
        raise ValidationError(
            _("%(name)s is exempt from verification: no request is needed.") % {"name": locked.subject_name}
        )
    return candidate, locked


@transaction.atomic
def background_check_request(
    *, check: BackgroundCheck, method: str, request_sent_on: date, by: Any, addressed_to: str = ""
) -> BackgroundCheck:
    """Record the official letter sent (or the member sent in person) to verify one person."""
    candidate, check = _lock_check(check, by)
    curriculum = _curriculum(candidate)
    if method not in CheckMethod.values:
        raise ValidationError(_("Say how the verification is made: by letter or in person."))
    if check.reply_received_on is not None:
        raise ValidationError(_("The reply about %(name)s is already recorded.") % {"name": check.subject_name})
    _case_day(candidate, request_sent_on, _("The request date cannot be in the future."))
    assert curriculum.page_join_sealed_on is not None  # checks exist only once the CV is stamped
    if request_sent_on < curriculum.page_join_sealed_on:
        raise ValidationError(
            _("Verification requests go out after the CV is stamped across its page joins (%(day)s).")
            % {"day": _d(curriculum.page_join_sealed_on)}
        )
    check.method = method
    check.request_sent_on = request_sent_on
    check.addressed_to = normalise_text(addressed_to)
    _save(check, None, by)
    return check


@transaction.atomic
def background_check_reply(
    *,
    check: BackgroundCheck,
    reply_received_on: date,
    result: str,
    by: Any,
    note: str = "",
    scan: UploadedFile | None = None,
) -> BackgroundCheck:
    """Record the reply (or the in-person report) about one person, with its scan. A reply can be corrected until the
    grassroots committee certifies the CV."""
    candidate, check = _lock_check(check, by)
    curriculum = _curriculum(candidate)
    if curriculum.is_certified:
        raise ValidationError(_("The CV is already certified: its verification can no longer be changed."))
    if check.request_sent_on is None:
        raise ValidationError(_("Record the request about %(name)s first.") % {"name": check.subject_name})
    if result not in CheckResult.values:
        raise ValidationError(_("Give the result of the verification."))
    _case_day(candidate, reply_received_on, _("The reply date cannot be in the future."))
    if reply_received_on < check.request_sent_on:
        raise ValidationError(
            _("The reply cannot arrive before the request was sent (%(day)s).") % {"day": _d(check.request_sent_on)}
        )
    if result == CheckResult.CONCERNS and not note.strip():
        raise ValidationError(_("Say what the concerns are."))
    _check_scan(scan)
    check.reply_received_on = reply_received_on
    check.result = result
    check.note = normalise_text(note)
    _save(check, scan, by)
    return check
