"""1-KNĐ and 2-KNĐ: the application, the CV with its family, the stamp across the CV's page joins, and the cell's
comment and the grassroots committee's certification once the verification is back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from admission.dossier.models import Application, Curriculum, PaperKind, Relation, Relative
from admission.dossier.services.checks import background_checks_prepare
from admission.dossier.services.common import _case_day, _check_scan, _curriculum, _lock_dossier, _save, _text
from admission.dossier.services.redo import latest_replaced
from admission.rules.reference import normalise_text
from admission.rules.reference import vn_date as _d
from admission.sourcing.models.candidates import Candidate

# Relations a person has at most one of in the CV's family section.
SINGLE_RELATIONS = frozenset({Relation.FATHER, Relation.MOTHER, Relation.SPOUSE})
# Full civil capacity from 18 (Civil Code 2015 Art. 20); the CV gives only the year of birth, so someone turning 18
# in the year of the declaration counts as an adult (verifying one person too many is the safe side).
ADULT_AGE_YEARS = 18


@transaction.atomic
def application_record(
    *, candidate: Candidate, written_on: date, received_on: date, by: Any, scan: UploadedFile | None = None
) -> Application:
    """Record (or correct) the handwritten application (1-KNĐ) and the day the cell received it."""
    candidate = _lock_dossier(candidate, by)
    _case_day(candidate, written_on, _("The application's date cannot be in the future."))
    _case_day(candidate, received_on, _("The date of receipt cannot be in the future."))
    if received_on < written_on:
        raise ValidationError(_("The application cannot be received before it was written."))
    curriculum = Curriculum.objects.filter(candidate=candidate).first()
    if curriculum is not None and curriculum.declared_on < written_on:
        raise ValidationError(
            _("The CV was declared on %(day)s: the application comes first.") % {"day": _d(curriculum.declared_on)}
        )
    _check_scan(scan)
    application = Application.objects.filter(candidate=candidate).first() or Application(candidate=candidate)
    application.written_on = written_on
    application.received_on = received_on
    _save(application, scan, by)
    return application


def _work_history(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    cleaned = []
    for row in rows:
        what = _text(row.get("what"))
        if not what:
            raise ValidationError(_("Each line of the work history says what the applicant did."))
        cleaned.append({"from": _text(row.get("from")), "to": _text(row.get("to")), "what": what})
    return cleaned


def _relatives(rows: Iterable[Mapping[str, Any]], *, declared_on: date) -> list[Relative]:
    relatives: list[Relative] = []
    for order, row in enumerate(rows, start=1):
        relation = row.get("relation", "")
        if relation not in Relation.values:
            raise ValidationError(_("Unknown relation: %(value)s.") % {"value": relation})
        try:
            birth_year = int(row.get("birth_year") or 0)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Give each relative's year of birth.")) from exc
        is_adult = row.get("is_adult")
        if is_adult is None:
            is_adult = declared_on.year - birth_year >= ADULT_AGE_YEARS
        relative = Relative(
            relation=relation,
            full_name=_text(row.get("full_name")),
            birth_year=birth_year,
            hometown=_text(row.get("hometown")),
            residence=_text(row.get("residence")),
            occupation=_text(row.get("occupation")),
            political_history=_text(row.get("political_history")),
            is_adult=bool(is_adult),
            is_party_member=bool(row.get("is_party_member", False)),
            fully_declared=bool(row.get("fully_declared", False)),
            order=order,
        )
        if not relative.full_name:
            raise ValidationError(_("Give the full name of each relative."))
        if birth_year > declared_on.year:
            raise ValidationError(
                _("%(name)s: the year of birth is after the CV's date.") % {"name": relative.full_name}
            )
        relatives.append(relative)
    for relation in SINGLE_RELATIONS:
        if sum(1 for r in relatives if r.relation == relation) > 1:
            raise ValidationError(
                _("The CV declares only one %(relation)s.") % {"relation": str(Relation(relation).label).lower()}
            )
    return relatives


@transaction.atomic
def curriculum_record(
    *,
    candidate: Candidate,
    declared_on: date,
    name_in_use: str,
    hometown: str,
    permanent_residence: str,
    by: Any,
    birth_name: str = "",
    alias: str = "",
    place_of_birth: str = "",
    temporary_residence: str = "",
    youth_union_joined_on: date | None = None,
    youth_union_joined_at: str = "",
    work_history: Sequence[Mapping[str, Any]] = (),
    self_assessment: str = "",
    pledge_on: date | None = None,
    relatives: Sequence[Mapping[str, Any]] = (),
    scan: UploadedFile | None = None,
) -> Curriculum:
    """Record (or correct) the CV (2-KNĐ) with the family it declares. Once stamped across its page joins the CV is
    frozen: the verification is made on that text."""
    candidate = _lock_dossier(candidate, by)
    _case_day(candidate, declared_on, _("The CV's date cannot be in the future."))
    _case_day(candidate, pledge_on, _("The pledge's date cannot be in the future."))
    application = Application.objects.filter(candidate=candidate).first()
    if application is None:
        raise ValidationError(_("Record the application (1-KNĐ) first: the CV follows it."))
    if declared_on < application.written_on:
        raise ValidationError(
            _("The CV cannot be dated before the application (%(day)s).") % {"day": _d(application.written_on)}
        )
    if youth_union_joined_on is not None and youth_union_joined_on > declared_on:
        raise ValidationError(_("The Youth Union entry date cannot be after the CV's date."))
    curriculum = Curriculum.objects.select_for_update().filter(candidate=candidate).first()
    if curriculum is not None and curriculum.is_sealed:
        # A new declaration goes through `paper_redo` (the stamped one is kept as replaced).
        raise ValidationError(_("The CV is stamped across its page joins: it can no longer be changed."))
    replaced = latest_replaced(candidate, PaperKind.CURRICULUM)
    if replaced is not None and replaced.dated is not None and declared_on <= replaced.dated:
        raise ValidationError(
            _("The new CV must be declared after the one it replaces (%(day)s).") % {"day": _d(replaced.dated)}
        )
    family = _relatives(relatives, declared_on=declared_on)
    _check_scan(scan)
    curriculum = curriculum or Curriculum(candidate=candidate)
    curriculum.declared_on = declared_on
    curriculum.name_in_use = normalise_text(name_in_use)
    curriculum.birth_name = normalise_text(birth_name)
    curriculum.alias = normalise_text(alias)
    curriculum.place_of_birth = normalise_text(place_of_birth)
    curriculum.hometown = normalise_text(hometown)
    curriculum.permanent_residence = normalise_text(permanent_residence)
    curriculum.temporary_residence = normalise_text(temporary_residence)
    curriculum.youth_union_joined_on = youth_union_joined_on
    curriculum.youth_union_joined_at = normalise_text(youth_union_joined_at)
    curriculum.work_history = _work_history(work_history)
    curriculum.self_assessment = normalise_text(self_assessment)
    curriculum.pledge_on = pledge_on
    _save(curriculum, scan, by)
    curriculum.relatives.all().delete()
    for relative in family:
        relative.curriculum = curriculum
        relative.full_clean()
        relative.save()
    return curriculum


@transaction.atomic
def curriculum_seal(*, candidate: Candidate, sealed_on: date, by: Any) -> Curriculum:
    """The cell and the grassroots committee stamp across the CV's page joins (đóng dấu giáp lai), which must happen
    before the verification (06-HD/TW §3.4.d [R]); the checks of the people to verify are prepared at once."""
    candidate = _lock_dossier(candidate, by)
    curriculum = _curriculum(candidate)
    if curriculum.is_sealed:
        raise ValidationError(_("The CV is already stamped across its page joins."))
    _case_day(candidate, sealed_on, _("The stamping date cannot be in the future."))
    if sealed_on < curriculum.declared_on:
        raise ValidationError(_("The CV cannot be stamped before it was declared."))
    curriculum.page_join_sealed_on = sealed_on
    curriculum.save()
    background_checks_prepare(candidate=candidate, by=by)
    return curriculum


@transaction.atomic
def curriculum_certify(
    *,
    candidate: Candidate,
    by: Any,
    cell_comment: str = "",
    cell_commented_on: date | None = None,
    committee_certification: str = "",
    committee_certified_on: date | None = None,
) -> Curriculum:
    """Write the cell committee's comment and/or the grassroots committee's certification on the CV. Both come only
    after every verification reply is back (06-HD/TW §3.4.d [R]); the certification after the comment."""
    candidate = _lock_dossier(candidate, by)
    curriculum = _curriculum(candidate)
    comment, certification = normalise_text(cell_comment), normalise_text(committee_certification)
    if not comment and not certification:
        raise ValidationError(_("Write the cell's comment or the grassroots committee's certification."))
    if bool(comment) != (cell_commented_on is not None) or bool(certification) != (committee_certified_on is not None):
        raise ValidationError(_("Give each comment or certification with its date."))
    if curriculum.is_certified:
        raise ValidationError(_("The CV is already certified by the grassroots committee."))
    if not curriculum.is_sealed:
        raise ValidationError(_("The CV must be stamped across its page joins and verified first."))
    checks = list(candidate.background_checks.all())
    waiting = [c.subject_name for c in checks if not c.is_done]
    if not checks or waiting:
        raise ValidationError(
            _(
                "The comment and the certification are written only after every verification reply is back (waiting "
                "for: %(names)s)."
            )
            % {"names": ", ".join(waiting) or curriculum.name_in_use}
        )
    replies = [c.reply_received_on for c in checks if c.reply_received_on is not None]
    last_reply = max(replies, default=curriculum.page_join_sealed_on)
    assert last_reply is not None
    for day in (cell_commented_on, committee_certified_on):
        _case_day(candidate, day, _("The date cannot be in the future."))
        if day is not None and day < last_reply:
            raise ValidationError(
                _("The comment and the certification come after the last verification reply (%(day)s).")
                % {"day": _d(last_reply)}
            )
    if comment:
        curriculum.cell_comment = comment
        curriculum.cell_commented_on = cell_commented_on
    if certification:
        if not curriculum.cell_comment or curriculum.cell_commented_on is None:
            raise ValidationError(_("The cell committee comments on the CV before the grassroots committee certifies."))
        assert committee_certified_on is not None
        if committee_certified_on < curriculum.cell_commented_on:
            raise ValidationError(_("The certification cannot be dated before the cell's comment."))
        curriculum.committee_certification = certification
        curriculum.committee_certified_on = committee_certified_on
    _save(curriculum, None, by)
    return curriculum
