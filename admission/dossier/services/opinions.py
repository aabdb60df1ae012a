"""5-KNĐ: the cell committee's compilation of the opinions of the organisations where the applicant works and of the
cell where the applicant lives."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from admission.dossier.models import OpinionSummary
from admission.dossier.services.common import _case_day, _check_scan, _lock_dossier, _save, _text
from admission.rules.reference import normalise_text
from admission.sourcing.models.candidates import Candidate


def _organisations(rows: Iterable[Mapping[str, Any]], *, compiled_on: date) -> list[dict[str, Any]]:
    cleaned = []
    for row in rows:
        name = _text(row.get("name"))
        if not name:
            raise ValidationError(_("Name each organisation consulted."))
        met_on = row.get("met_on")
        if isinstance(met_on, str) and met_on:
            try:
                met_on = date.fromisoformat(met_on)
            except ValueError as exc:
                raise ValidationError(_("%(name)s: the meeting date is not a date.") % {"name": name}) from exc
        if met_on is not None and not isinstance(met_on, date):
            raise ValidationError(_("%(name)s: the meeting date is not a date.") % {"name": name})
        if met_on is not None and met_on > compiled_on:
            raise ValidationError(_("%(name)s met after the opinions were compiled.") % {"name": name})
        participants = row.get("participants")
        cleaned.append(
            {
                "name": name,
                "met_on": met_on.isoformat() if met_on else None,
                "participants": int(participants) if participants not in (None, "") else None,
                "strengths": _text(row.get("strengths")),
                "weaknesses": _text(row.get("weaknesses")),
            }
        )
    return cleaned


@transaction.atomic
def opinions_record(
    *,
    candidate: Candidate,
    compiled_on: date,
    residence_cell: str,
    residence_opinion: str,
    by: Any,
    organisations: Sequence[Mapping[str, Any]] = (),
    synthesis: str = "",
    scan: UploadedFile | None = None,
) -> OpinionSummary:
    """Record (or correct) the cell committee's compilation (5-KNĐ) of the opinions of the socio-political
    organisations where the applicant works and of the cell where the applicant lives."""
    candidate = _lock_dossier(candidate, by)
    _case_day(candidate, compiled_on, _("The compilation date cannot be in the future."))
    if not residence_cell.strip() or not residence_opinion.strip():
        raise ValidationError(_("Record the opinion of the cell where the applicant lives."))
    rows = _organisations(organisations, compiled_on=compiled_on)
    _check_scan(scan)
    summary = OpinionSummary.objects.filter(candidate=candidate).first() or OpinionSummary(candidate=candidate)
    summary.compiled_on = compiled_on
    summary.organisations = rows
    summary.residence_cell = normalise_text(residence_cell)
    summary.residence_opinion = normalise_text(residence_opinion)
    summary.synthesis = normalise_text(synthesis)
    _save(summary, scan, by)
    return summary
