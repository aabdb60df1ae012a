"""Redoing a paper within the case (domain.md §2.5: a CV, verification, introduction or opinion past its validity "must
be made again"; a wrong one too): the version in force is kept as a `ReplacedPaper` (what it said, its scans, who
replaced it, when and why), shown in the dossier's history and its annex, and the paper is opened for its new
version, recorded through the ordinary writes (`curriculum_record`, `background_check_request`…).

- the CV (2-KNĐ): the stamped or certified CV and its whole verification are kept; the CV is open to be declared
  anew (after the one it replaces), stamped, verified and certified again;
- a verification round: the checks, the cell's comment and the certification are kept; new checks are prepared on
  the same stamped CV; the comment and the certification are written again after the new replies;
- the application (1-KNĐ), the Youth Union or trade-union resolution (4-KNĐ), the compiled opinions (5-KNĐ): kept,
  then recorded anew;
- an introduction (3-KNĐ): replaced through `introduction_replace` (a new introducer, or the same one writing a new
  letter once the old one has expired), which keeps the earlier one here too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from admission.dossier.models import (
    Application,
    BackgroundCheck,
    Introduction,
    MassOrgResolution,
    OpinionSummary,
    PaperKind,
    ReplacedPaper,
)
from admission.dossier.services.common import _curriculum, _lock_dossier
from admission.party import permissions
from admission.rules.reference import normalise_text
from admission.sourcing.models.candidates import Candidate

# The papers redone by this service; an introduction is replaced with its new letter (`introduction_replace`).
REDO_PAPERS = (
    PaperKind.APPLICATION,
    PaperKind.CURRICULUM,
    PaperKind.VERIFICATION,
    PaperKind.MASS_ORG_RESOLUTION,
    PaperKind.OPINIONS,
)
_SKIP = {"id", "candidate", "curriculum", "relative", "recorded_by", "replaced_by", "scan"}


def _plain(obj: models.Model) -> dict[str, Any]:
    """The record's own fields as JSON-able values (dates as ISO text)."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SKIP:
            continue
        value = getattr(obj, field.attname)
        values[field.name] = value.isoformat() if isinstance(value, date) else value
    return values


def _scan_names(*objs: Any) -> list[str]:
    return [obj.scan.name for obj in objs if getattr(obj, "scan", None) and obj.scan.name]


def _checks_data(checks: list[BackgroundCheck]) -> list[dict[str, Any]]:
    return [{**_plain(check), "relative": check.relative_id} for check in checks]


def paper_keep(
    *,
    candidate: Candidate,
    paper: str,
    dated: date | None,
    data: dict[str, Any],
    scans: list[str],
    reason: str,
    by: Any,
) -> ReplacedPaper:
    kept = ReplacedPaper(
        candidate=candidate,
        paper=paper,
        dated=dated,
        data=data,
        scans=scans,
        reason=normalise_text(reason),
        replaced_on=permissions.today(),
        replaced_by=by,
    )
    # The summary is built from `dated` and `data` whenever it is shown (`ReplacedPaper.describe`); the column keeps
    # it as recorded, in the dossier's language, whoever replaced the paper.
    with translation.override("vi"):
        kept.summary = normalise_text(kept.describe())[:500]
    kept.full_clean()
    kept.save()
    return kept


@transaction.atomic
def paper_redo(*, candidate: Candidate, paper: str, reason: str, by: Any) -> ReplacedPaper:
    """Keep the version in force of `paper` (see the module's text) and open the paper for its new version."""
    candidate = _lock_dossier(candidate, by)
    if paper not in REDO_PAPERS:
        raise ValidationError(
            _("Say which paper is redone: the application, the CV, the verification, the resolution or the opinions.")
        )
    if not reason.strip():
        raise ValidationError(_("Say why the paper is redone."))
    keep = {"candidate": candidate, "paper": paper, "reason": reason, "by": by}
    if paper == PaperKind.CURRICULUM:
        return _curriculum_redo(candidate, keep)
    if paper == PaperKind.VERIFICATION:
        return _verification_redo(candidate, keep)
    models_by_paper: dict[str, Any] = {
        PaperKind.APPLICATION: Application,
        PaperKind.MASS_ORG_RESOLUTION: MassOrgResolution,
        PaperKind.OPINIONS: OpinionSummary,
    }
    record: Any = models_by_paper[paper].objects.select_for_update().filter(candidate=candidate).first()
    if record is None:
        raise ValidationError(_("There is nothing to redo: this paper has not been recorded yet."))
    dated: date = getattr(record, "written_on", None) or getattr(record, "adopted_on", None) or record.compiled_on
    kept = paper_keep(
        dated=dated,
        data=_plain(record),
        scans=_scan_names(record),
        **keep,
    )
    record.delete()
    return kept


def _curriculum_redo(candidate: Candidate, keep: dict[str, Any]) -> ReplacedPaper:
    curriculum = _curriculum(candidate)
    if not curriculum.is_sealed:
        raise ValidationError(_("The CV is not stamped yet: correct it directly."))
    checks = list(candidate.background_checks.order_by("pk"))
    relatives = [_plain(relative) for relative in curriculum.relatives.all()]
    kept = paper_keep(
        dated=curriculum.declared_on,
        data={**_plain(curriculum), "relatives": relatives, "checks": _checks_data(checks)},
        scans=_scan_names(curriculum, *checks),
        **keep,
    )
    for check in checks:
        check.delete()
    curriculum.relatives.all().delete()
    curriculum.page_join_sealed_on = None
    curriculum.cell_comment, curriculum.cell_commented_on = "", None
    curriculum.committee_certification, curriculum.committee_certified_on = "", None
    curriculum.scan = ""  # the file stays, named in the kept version
    curriculum.recorded_by = keep["by"]
    curriculum.save()
    return kept


def _verification_redo(candidate: Candidate, keep: dict[str, Any]) -> ReplacedPaper:
    from admission.dossier.services.checks import background_checks_prepare

    curriculum = _curriculum(candidate)
    checks = list(candidate.background_checks.order_by("pk"))
    if not checks:
        raise ValidationError(_("There is no verification to redo yet."))
    replies = [c.reply_received_on for c in checks if c.reply_received_on]
    last = max(replies) if replies else None
    kept = paper_keep(
        dated=last,
        data={
            "checks": _checks_data(checks),
            "cell_comment": curriculum.cell_comment,
            "cell_commented_on": curriculum.cell_commented_on.isoformat() if curriculum.cell_commented_on else None,
            "committee_certification": curriculum.committee_certification,
            "committee_certified_on": curriculum.committee_certified_on.isoformat()
            if curriculum.committee_certified_on
            else None,
        },
        scans=_scan_names(*checks),
        **keep,
    )
    for check in checks:
        check.delete()
    curriculum.cell_comment, curriculum.cell_commented_on = "", None
    curriculum.committee_certification, curriculum.committee_certified_on = "", None
    curriculum.recorded_by = keep["by"]
    curriculum.save()
    background_checks_prepare(candidate=candidate, by=keep["by"])
    return kept


def introduction_keep(*, old: Introduction, reason: str, by: Any) -> ReplacedPaper:
    return paper_keep(
        candidate=old.candidate,
        paper=PaperKind.INTRODUCTION,
        dated=old.written_on,
        data={**_plain(old), "introducer": old.introducer_id, "introduction": old.pk},
        scans=_scan_names(old),
        reason=reason,
        by=by,
    )


def latest_replaced(candidate: Candidate, paper: str) -> ReplacedPaper | None:
    return candidate.replaced_papers.filter(paper=paper).order_by("-recorded_at", "-pk").first()


def replaced_papers(candidate: Candidate) -> list[ReplacedPaper]:
    return list(candidate.replaced_papers.select_related("replaced_by").order_by("recorded_at", "pk"))
