"""What the admission dossier holds on a date, and what is still missing (domain.md §3, "the full admission dossier").

`dossier_checklist(candidate, on)` is a read: a function of the case's records and a date, nothing stored. A record
dated after `on` does not exist yet on `on`, so the checklist of a past or planned meeting date can be rebuilt.
Validity periods come from the case's rule set (`rules.document_validity`, 06-HD/TW §5.4 [R]); a document valid for N
months expires on the same day N months later: valid the day before, expired on the day.

Introducers are judged on the meeting date (Charter Art. 4.2; 294-QĐ/TW §3.2.1) by `admission.dossier.introducers`
(`check_introducer`, `introducers_needed`…), whose names the checklist's callers also find here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.dossier.introducers import active_introductions, introducers_needed, introduction_verdicts

# Re-exported: the introducer rules lived here, and callers still find them here.
from admission.dossier.introducers import check_introducer as check_introducer
from admission.dossier.introducers import cowork_end as cowork_end
from admission.dossier.introducers import has_mass_org_resolution as has_mass_org_resolution
from admission.dossier.models import (
    Application,
    BackgroundCheck,
    CheckResult,
    Curriculum,
    Introduction,
    MassOrgResolution,
    OpinionSummary,
    Relation,
    Relative,
)
from admission.rules import compute as rules
from admission.rules.models.rulesets import DocumentKind
from admission.rules.reference import vn_date as _d
from admission.sourcing.eligibility import latest_certificate
from admission.sourcing.models.candidates import Candidate


class ItemStatus(models.TextChoices):
    MISSING = "missing", gettext_lazy("Missing")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    DONE = "done", gettext_lazy("Done")
    EXPIRED = "expired", gettext_lazy("Expired")


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    form: str
    title: str
    status: str
    date: datetime.date | None
    valid_until: datetime.date | None  # the last day on which the document is valid
    expires_on: datetime.date | None  # the first day on which it is not
    reason: str

    @property
    def status_label(self) -> str:
        return str(ItemStatus(self.status).label)

    @property
    def done(self) -> bool:
        return self.status == ItemStatus.DONE


# Relatives whose background is verified (06-HD/TW §3.4.a [R]; domain.md §2.5): birth parents, parents-in-law or the
# person who raised the applicant, the spouse, children with full civil capacity. Never siblings, uncles or aunts.
VERIFIED_RELATIONS = frozenset(
    {
        Relation.FATHER,
        Relation.MOTHER,
        Relation.FATHER_IN_LAW,
        Relation.MOTHER_IN_LAW,
        Relation.GUARDIAN,
        Relation.SPOUSE,
    }
)


def needs_verification(relative: Relative) -> bool:
    return relative.relation in VERIFIED_RELATIONS or (relative.relation == Relation.CHILD and relative.is_adult)


def is_exempt_from_verification(relative: Relative) -> bool:
    """06-HD/TW §3.4.c [R]: a relative who is a party member, declared fully and truthfully, is not verified."""
    return relative.is_party_member and relative.fully_declared


def verification_targets(relatives: Iterable[Relative]) -> list[Relative]:
    return [r for r in relatives if needs_verification(r)]


# ------------------------------------------------------------------------------------------------------------------
# The checklist
# ------------------------------------------------------------------------------------------------------------------


def _dated_item(
    *, code: str, form: str, title: str, candidate: Candidate, document: str, issued_on: date, on: date, reason: str
) -> ChecklistItem:
    validity = rules.document_validity(rule_set=candidate.rule_set, document=document, issued_on=issued_on)
    expires = validity.expires_on
    last_day = expires - timedelta(days=1) if expires else None
    if validity.valid_on(on):
        return ChecklistItem(code, form, title, ItemStatus.DONE, issued_on, last_day, expires, reason)
    expired_reason = _("Dated %(day)s, expired on %(expires)s: it must be made again.") % {
        "day": _d(issued_on),
        "expires": _d(expires) if expires else "—",
    }
    return ChecklistItem(code, form, title, ItemStatus.EXPIRED, issued_on, last_day, expires, expired_reason)


def _item(code: str, form: str, title: str, status: str, reason: str, day: date | None = None) -> ChecklistItem:
    return ChecklistItem(code, form, title, status, day, None, None, reason)


def certificate_item(candidate: Candidate, on: date) -> ChecklistItem:
    title = _("Awareness-course certificate")
    latest = latest_certificate(candidate, on)
    if latest is None:
        return _item("certificate", "CN-NTVĐ", title, ItemStatus.MISSING, _("No course certificate recorded."))
    item = _dated_item(
        code="certificate",
        form="CN-NTVĐ",
        title=title,
        candidate=candidate,
        document=DocumentKind.CERTIFICATE,
        issued_on=latest.issued_on,
        on=on,
        reason=_("Certificate %(number)s of %(day)s.") % {"number": latest.number, "day": _d(latest.issued_on)},
    )
    if item.status == ItemStatus.EXPIRED and item.expires_on:
        reason = _("Certificate expired on %(day)s: the person must attend the course again.") % {
            "day": _d(item.expires_on)
        }
        return replace(item, reason=reason)
    return item


def application_item(candidate: Candidate, on: date, application: Application | None) -> ChecklistItem:
    title = _("Application to join the Party")
    if application is None or application.received_on > on:
        return _item("application", "1-KNĐ", title, ItemStatus.MISSING, _("The application has not been received."))
    return _dated_item(
        code="application",
        form="1-KNĐ",
        title=title,
        candidate=candidate,
        document=DocumentKind.APPLICATION,
        issued_on=application.written_on,
        on=on,
        reason=_("Written on %(written)s, received on %(received)s.")
        % {"written": _d(application.written_on), "received": _d(application.received_on)},
    )


def _checks_done_on(checks: list[BackgroundCheck], on: date) -> tuple[list[BackgroundCheck], list[BackgroundCheck]]:
    done = [c for c in checks if c.exempt or (c.reply_received_on is not None and c.reply_received_on <= on)]
    waiting = [c for c in checks if c not in done]
    return done, waiting


def _curriculum_on(curriculum: Curriculum | None, on: date) -> Curriculum | None:
    """The case's CV (read once by `dossier_checklist`) if it was declared by `on`."""
    return curriculum if curriculum is not None and curriculum.declared_on <= on else None


def _sealed_on(curriculum: Curriculum, on: date) -> bool:
    return curriculum.page_join_sealed_on is not None and curriculum.page_join_sealed_on <= on


def _certified_on(curriculum: Curriculum, on: date) -> bool:
    return curriculum.committee_certified_on is not None and curriculum.committee_certified_on <= on


def curriculum_item(
    candidate: Candidate, on: date, checks: list[BackgroundCheck], curriculum: Curriculum | None
) -> ChecklistItem:
    """The CV walks: declared → stamped across its page joins → verified → the cell's comment → the grassroots
    committee's certification. The CV and its verification documents are valid from that certification."""
    code, form, title = "curriculum", "2-KNĐ", _("CV of the applicant")
    curriculum = _curriculum_on(curriculum, on)
    if curriculum is None:
        return _item(code, form, title, ItemStatus.MISSING, _("The applicant has not declared the CV."))
    if not _sealed_on(curriculum, on):
        reason = _(
            "Declared on %(day)s; the cell and the grassroots committee stamp across its page joins before the "
            "verification."
        ) % {"day": _d(curriculum.declared_on)}
        return _item(code, form, title, ItemStatus.IN_PROGRESS, reason, curriculum.declared_on)
    if not _certified_on(curriculum, on):
        _done, waiting = _checks_done_on(checks, on)
        if not checks or waiting:
            reason = _("Stamped across the page joins; waiting for the verification results.")
        elif not curriculum.cell_comment or (curriculum.cell_commented_on and curriculum.cell_commented_on > on):
            reason = _("Verification complete: the cell committee writes its comment on the CV.")
        else:
            reason = _("The cell has commented: the grassroots committee certifies the CV.")
        return _item(code, form, title, ItemStatus.IN_PROGRESS, reason, curriculum.declared_on)
    assert curriculum.committee_certified_on is not None
    return _dated_item(
        code=code,
        form=form,
        title=title,
        candidate=candidate,
        document=DocumentKind.CURRICULUM,
        issued_on=curriculum.committee_certified_on,
        on=on,
        reason=_("Declared on %(declared)s, certified by the grassroots committee on %(certified)s.")
        % {"declared": _d(curriculum.declared_on), "certified": _d(curriculum.committee_certified_on)},
    )


def verification_item(
    candidate: Candidate, on: date, checks: list[BackgroundCheck], curriculum: Curriculum | None
) -> ChecklistItem:
    code, form, title = "verification", "2-KNĐ", _("Background verification")
    curriculum = _curriculum_on(curriculum, on)
    if curriculum is None or not _sealed_on(curriculum, on):
        reason = _("The CV must be stamped across its page joins before the verification requests go out.")
        return _item(code, form, title, ItemStatus.MISSING, reason)
    if not checks:
        return _item(code, form, title, ItemStatus.MISSING, _("The verification requests have not been prepared."))
    done, waiting = _checks_done_on(checks, on)
    exempt = sum(1 for c in checks if c.exempt)
    if waiting:
        unsent = [c.subject_name for c in waiting if c.request_sent_on is None or c.request_sent_on > on]
        reason = _("%(done)d of %(total)d verified (%(exempt)d exempt); waiting for: %(names)s.") % {
            "done": len(done),
            "total": len(checks),
            "exempt": exempt,
            "names": ", ".join(c.subject_name for c in waiting),
        }
        if unsent:
            reason += " " + _("Request not sent yet: %(names)s.") % {"names": ", ".join(unsent)}
        return _item(code, form, title, ItemStatus.IN_PROGRESS, reason)
    replies = [c.reply_received_on for c in checks if c.reply_received_on is not None]
    last = max(replies) if replies else curriculum.page_join_sealed_on
    reason = _("All %(total)d verified (%(exempt)d exempt).") % {"total": len(checks), "exempt": exempt}
    concerns = [c.subject_name for c in checks if c.result == CheckResult.CONCERNS]
    if concerns:
        reason += " " + _("Concerns raised about: %(names)s.") % {"names": ", ".join(concerns)}
    if _certified_on(curriculum, on):
        # One document with the CV (domain.md §2.5): it expires with the certified CV.
        assert curriculum.committee_certified_on is not None
        validity = rules.document_validity(
            rule_set=candidate.rule_set, document=DocumentKind.CURRICULUM, issued_on=curriculum.committee_certified_on
        )
        expires = validity.expires_on
        last_day = expires - timedelta(days=1) if expires else None
        if not validity.valid_on(on):
            expired = _("The CV and its verification expired on %(day)s: they must be made again.") % {
                "day": _d(expires) if expires else "—"
            }
            return ChecklistItem(code, form, title, ItemStatus.EXPIRED, last, last_day, expires, expired)
        return ChecklistItem(code, form, title, ItemStatus.DONE, last, last_day, expires, reason)
    return ChecklistItem(code, form, title, ItemStatus.DONE, last, None, None, reason)


def introductions_item(candidate: Candidate, on: date, resolution: MassOrgResolution | None) -> ChecklistItem:
    code, form, title = "introductions", "3-KNĐ", _("Introductions by official members")
    needed = introducers_needed(candidate, on, resolution=resolution)
    if needed == 0:
        return _item(code, form, title, ItemStatus.DONE, _("The rule set requires no introducer."))
    active = active_introductions(candidate, on)
    if not active:
        reason = _("No introduction yet: %(n)d official member(s) must introduce the applicant.") % {"n": needed}
        return _item(code, form, title, ItemStatus.MISSING, reason)
    counted: list[tuple[Introduction, rules.Validity]] = []
    problems: list[str] = []
    expired: list[str] = []
    for introduction in active:
        name = introduction.introducer.person.full_name
        failures = [r for r in introduction_verdicts(introduction, meeting_on=on) if not r.passed]
        validity = rules.document_validity(
            rule_set=candidate.rule_set, document=DocumentKind.INTRODUCTION, issued_on=introduction.written_on
        )
        if failures:
            problems.extend(r.reason for r in failures)
        elif not validity.valid_on(on):
            expired.append(
                _("the introduction by %(name)s expired on %(day)s")
                % {"name": name, "day": _d(validity.expires_on) if validity.expires_on else "—"}
            )
        else:
            counted.append((introduction, validity))
    if len(counted) >= needed:
        # The introductions that stay valid longest are the ones the dossier relies on.
        relied = sorted(counted, key=lambda pair: pair[1].expires_on or date.max, reverse=True)[:needed]
        expires = min((v.expires_on for _i, v in relied if v.expires_on), default=None)
        reason = _("%(n)d of %(needed)d: %(names)s.") % {
            "n": len(counted),
            "needed": needed,
            "names": ", ".join(i.introducer.person.full_name for i, _v in counted),
        }
        return ChecklistItem(
            code,
            form,
            title,
            ItemStatus.DONE,
            min(i.written_on for i, _v in relied),
            expires - timedelta(days=1) if expires else None,
            expires,
            reason,
        )
    status = ItemStatus.EXPIRED if expired and not problems else ItemStatus.IN_PROGRESS
    parts = [_("%(n)d of %(needed)d valid introductions.") % {"n": len(counted), "needed": needed}]
    if expired:
        which = "; ".join(expired)
        parts.append(_("Expired: %(which)s; ask for a new one or replace the introducer.") % {"which": which})
    parts.extend(problems)
    return _item(code, form, title, status, " ".join(parts))


def mass_org_item(candidate: Candidate, on: date, resolution: MassOrgResolution | None) -> ChecklistItem | None:
    """Shown when a resolution is recorded, or when the applicant is a Youth Union member (Charter Art. 4.2: a Youth
    Union member of youth age is introduced by the Youth Union executive committee and one official member)."""
    code, form, title = "mass_org_resolution", "4-KNĐ", _("Youth Union or trade-union resolution")
    if resolution is not None and resolution.adopted_on <= on:
        return _dated_item(
            code=code,
            form=form,
            title=title,
            candidate=candidate,
            document=DocumentKind.MASS_ORG_RESOLUTION,
            issued_on=resolution.adopted_on,
            on=on,
            reason=_("Resolution %(number)s of %(body)s, %(day)s.")
            % {"number": resolution.number, "body": resolution.body_name, "day": _d(resolution.adopted_on)},
        )
    if candidate.person.youth_union_member:
        reason = _(
            "A Youth Union member is introduced by the Youth Union's executive committee together with one official "
            "member."
        )
        return _item(code, form, title, ItemStatus.MISSING, reason)
    return None


def opinions_item(candidate: Candidate, on: date, summary: OpinionSummary | None) -> ChecklistItem:
    code, form, title = "opinions", "5-KNĐ", _("Compiled opinions")
    if summary is None or summary.compiled_on > on:
        reason = _("The cell committee has not compiled the opinions of the mass organisations and residence cell.")
        return _item(code, form, title, ItemStatus.MISSING, reason)
    return _dated_item(
        code=code,
        form=form,
        title=title,
        candidate=candidate,
        document=DocumentKind.OPINIONS,
        issued_on=summary.compiled_on,
        on=on,
        reason=_("Compiled on %(day)s (%(n)d organisation(s) and the residence cell).")
        % {"day": _d(summary.compiled_on), "n": len(summary.organisations or [])},
    )


# Items the applicant sees only as a status: the verification results, the introducers' letters, the mass
# organisations' resolution and the opinions gathered about them are the party's internal assessment.
INTERNAL_ITEMS = frozenset({"verification", "introductions", "mass_org_resolution", "opinions"})


_ONE_EACH = ("application", "curriculum", "mass_org_resolution", "opinion_summary")


def _papers(candidate: Candidate) -> dict[str, Any]:
    """The case's papers of which it has at most one (application, CV, mass organisations' resolution, compiled
    opinions), read together in one query: name → the paper, absent when there is none."""
    case = Candidate.objects.select_related(*_ONE_EACH).get(pk=candidate.pk)
    found: dict[str, Any] = {}
    for name in _ONE_EACH:
        try:
            found[name] = getattr(case, name)
        except ObjectDoesNotExist:
            continue
    return found


def dossier_checklist(candidate: Candidate, on: date) -> list[ChecklistItem]:
    """Every item of the dossier before the cell meeting (HD 12-HD/BTCTW 2022 §II.1.1), as it stands on `on`."""
    checks = list(candidate.background_checks.all())
    papers = _papers(candidate)
    curriculum = papers.get("curriculum")  # the CV and its verification read it
    resolution = papers.get("mass_org_resolution")  # its item and the introducers'
    items = [
        certificate_item(candidate, on),
        application_item(candidate, on, papers.get("application")),
        curriculum_item(candidate, on, checks, curriculum),
        verification_item(candidate, on, checks, curriculum),
        introductions_item(candidate, on, resolution),
        mass_org_item(candidate, on, resolution),
        opinions_item(candidate, on, papers.get("opinion_summary")),
    ]
    return [item for item in items if item is not None]


def dossier_complete(candidate: Candidate, on: date) -> bool:
    return all(item.done for item in dossier_checklist(candidate, on))
