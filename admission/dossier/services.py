"""Writes on the admission dossier (domain.md §2.4, §2.5, §3 rows 2–6): 1-KNĐ to 5-KNĐ and the verification.

Every function is keyword-only and atomic, locks the case, checks that the user acts for the case's cell
(PermissionDenied otherwise; views turn an out-of-scope case into a 404 before calling), accepts changes only while
the case is at the dossier step, NFC-normalises text and checks each scan by its content (`validate_scan`).

The order of the paper trail is enforced here (06-HD/TW §3.4.d [R]): application, then CV; the stamp across the
CV's page joins before any verification request; the cell's comment and the grassroots committee's certification
only once every verification reply is back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from admission.core.uploads import validate_scan
from admission.dossier import checklist as dossier
from admission.dossier.models import (
    Application,
    BackgroundCheck,
    CheckMethod,
    CheckResult,
    Curriculum,
    Introduction,
    MassOrgKind,
    MassOrgResolution,
    OpinionSummary,
    Relation,
    Relative,
)
from admission.party import permissions
from admission.party.models.people import Membership
from admission.rules.reference import normalise_text
from admission.rules.reference import vn_date as _d
from admission.sourcing.models.candidates import Candidate, CandidateState

# Relations a person has at most one of in the CV's family section.
SINGLE_RELATIONS = frozenset({Relation.FATHER, Relation.MOTHER, Relation.SPOUSE})
# Full civil capacity from 18 (Civil Code 2015 Art. 20); the CV gives only the year of birth, so someone turning 18
# in the year of the declaration counts as an adult (verifying one person too many is the safe side).
ADULT_AGE_YEARS = 18


def _lock_dossier(candidate: Candidate, by: Any) -> Candidate:
    """The case, locked, once the user is known to act for its cell and the case is at the dossier step."""
    locked = Candidate.objects.select_for_update().select_related("cell", "person", "rule_set").get(pk=candidate.pk)
    permissions.require_act_for_org(by, locked.cell)
    if locked.state != CandidateState.DOSSIER:
        raise ValidationError(
            _("The dossier can be changed only while the case is at the dossier step (now: “%(state)s”).")
            % {"state": locked.get_state_display()}
        )
    return locked


def _not_future(day: date | None, message: str) -> None:
    if day is not None and day > permissions.today():
        raise ValidationError(message)


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


# ------------------------------------------------------------------------------------------------------------------
# 1-KNĐ and 2-KNĐ
# ------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def application_record(
    *, candidate: Candidate, written_on: date, received_on: date, by: Any, scan: UploadedFile | None = None
) -> Application:
    """Record (or correct) the handwritten application (1-KNĐ) and the day the cell received it."""
    candidate = _lock_dossier(candidate, by)
    _not_future(received_on, _("The date of receipt cannot be in the future."))
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
    _not_future(declared_on, _("The CV's date cannot be in the future."))
    _not_future(pledge_on, _("The pledge's date cannot be in the future."))
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
        raise ValidationError(_("The CV is stamped across its page joins: it can no longer be changed."))
    family = _relatives(relatives, declared_on=declared_on)
    _check_scan(scan)
    curriculum = curriculum or Curriculum(candidate=candidate)
    curriculum.declared_on = declared_on
    curriculum.name_in_use = normalise_text(name_in_use)
    curriculum.birth_name = normalise_text(birth_name)
    curriculum.alias = normalise_text(alias)
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
    _not_future(sealed_on, _("The stamping date cannot be in the future."))
    if sealed_on < curriculum.declared_on:
        raise ValidationError(_("The CV cannot be stamped before it was declared."))
    curriculum.page_join_sealed_on = sealed_on
    curriculum.save()
    background_checks_prepare(candidate=candidate, by=by)
    return curriculum


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
    _not_future(request_sent_on, _("The request date cannot be in the future."))
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
    _not_future(reply_received_on, _("The reply date cannot be in the future."))
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
        _not_future(day, _("The date cannot be in the future."))
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


# ------------------------------------------------------------------------------------------------------------------
# 3-KNĐ and 4-KNĐ
# ------------------------------------------------------------------------------------------------------------------


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
    _not_future(written_on, _("The introduction's date cannot be in the future."))
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
    if introducer.person_id == old.introducer.person_id:
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
    _not_future(adopted_on, _("The resolution's date cannot be in the future."))
    _check_scan(scan)
    resolution = MassOrgResolution.objects.filter(candidate=candidate).first() or MassOrgResolution(candidate=candidate)
    resolution.kind = kind
    resolution.body_name = normalise_text(body_name)
    resolution.number = normalise_text(number)
    resolution.adopted_on = adopted_on
    _save(resolution, scan, by)
    return resolution


# ------------------------------------------------------------------------------------------------------------------
# 5-KNĐ
# ------------------------------------------------------------------------------------------------------------------


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
    _not_future(compiled_on, _("The compilation date cannot be in the future."))
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
