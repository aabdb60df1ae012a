"""Could this person be admitted at a cell meeting on a given date, and if not, what stands in the way?

Each rule gives a verdict with its source and a plain Vietnamese reason (translated from English msgids), driven by
the case's rule set (domain.md §2). The later steps refuse to proceed while any rule fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from admission.core.request_cache import per_request
from admission.party.models.earlier import Consequence, EarlierMembership, readmissions_so_far
from admission.rules import compute as rules
from admission.rules import reference
from admission.rules.reference import vn_date as _d
from admission.sourcing.models.candidates import Candidate, EducationException
from admission.sourcing.models.consents import ConsentKind


@dataclass(frozen=True)
class RuleResult:
    code: str
    title: str
    source: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class EligibilityReport:
    candidate: Candidate
    meeting_on: date
    results: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed]


def _consent(candidate: Candidate, on: date, kind: str) -> Any:
    """The recorded higher consent of that kind given on or before `on` (one record per kind: `Consent`)."""
    return candidate.consents.filter(kind=kind, granted_on__lte=on).first() if candidate.pk else None


def check_age(candidate: Candidate, on: date) -> list[RuleResult]:
    rs = candidate.rule_set
    months = rules.age_in_months(candidate.person.date_of_birth, on, counting=rs.age_counting)
    source = _("Charter Art. 1; 294-QĐ/TW item 1.1.1 (age counted by months)")
    years, rem = divmod(months, 12)
    age_text = _("%(years)d years %(months)d months") % {"years": years, "months": rem}
    min_ok = months >= rs.min_age_months
    results = [
        RuleResult(
            "age_min",
            _("At least %(years)d years old") % {"years": rs.min_age_months // 12},
            source,
            min_ok,
            _("Age on %(day)s: %(age)s.") % {"day": _d(on), "age": age_text}
            if min_ok
            else _("Only %(age)s old on %(day)s; full %(years)d years are needed (from %(from)s).")
            % {
                "age": age_text,
                "day": _d(on),
                "years": rs.min_age_months // 12,
                "from": _d(rules.add_months(candidate.person.date_of_birth, rs.min_age_months)),
            },
        )
    ]
    if months <= rs.max_age_months:
        results.append(
            RuleResult(
                "age_max",
                _("Not over %(years)d years old") % {"years": rs.max_age_months // 12},
                source,
                True,
                _("Age on %(day)s: %(age)s.") % {"day": _d(on), "age": age_text},
            )
        )
    else:
        consent = _consent(candidate, on, ConsentKind.OVER_AGE)
        results.append(
            RuleResult(
                "age_max",
                _("Over %(years)d: written consent of the provincial standing committee")
                % {"years": rs.max_age_months // 12},
                _("01-HD/TW (2021) item 1.1; 06-HD/TW"),
                consent is not None,
                _("Over the age limit; consent %(ref)s recorded.") % {"ref": consent.reference}
                if consent
                else _("%(age)s old on %(day)s: needs the written consent of the provincial standing committee.")
                % {"age": age_text, "day": _d(on)},
            )
        )
    return results


def check_education(candidate: Candidate, on: date) -> RuleResult:
    rs = candidate.rule_set
    level = candidate.person.education
    exception = candidate.education_exception
    minimum = {
        EducationException.NONE: rs.min_education,
        EducationException.HARDSHIP_AREA: rs.hardship_min_education,
        EducationException.VILLAGE_ELDER: rs.elder_min_education,
    }[EducationException(exception)]
    labels = dict(reference.EDUCATION_LEVELS)
    meets = reference.meets_education(level, minimum)
    needs_consent = exception == EducationException.VILLAGE_ELDER
    consent_ok = not needs_consent or _consent(candidate, on, ConsentKind.LITERACY) is not None
    if meets and consent_ok:
        reason = _("%(level)s meets the minimum (%(minimum)s).") % {
            "level": labels[level],
            "minimum": labels[minimum],
        }
    elif not meets:
        reason = _("%(level)s is below the minimum: %(minimum)s.") % {
            "level": labels[level],
            "minimum": labels[minimum],
        }
    else:
        reason = _("The literacy exception needs the written consent of the provincial standing committee.")
    return RuleResult(
        "education",
        _("General education"),
        _("294-QĐ/TW item 1.1; 01-HD/TW (2021) item 1.2"),
        meets and consent_ok,
        reason,
    )


def latest_certificate(candidate: Candidate, on: date) -> Any:
    """The person's latest awareness-course certificate issued on or before `on`, or None. Read once per request
    for a person and day (the dossier's checklist and the vote's eligibility both ask); a save forgets it."""
    from admission.sourcing.models.training import AwarenessCertificate

    def read() -> Any:
        issued = AwarenessCertificate.objects.filter(person_id=candidate.person_id, issued_on__lte=on)
        return issued.order_by("-issued_on", "-pk").first()

    return per_request(("certificate", candidate.person_id, on), read)


def check_certificate(candidate: Candidate, on: date) -> RuleResult:
    source = _("06-HD/TW item 5.4 (certificate valid %(months)d months)") % {
        "months": candidate.rule_set.validity_months("certificate") or 0
    }
    title = _("Awareness-course certificate valid on the meeting date")
    latest = latest_certificate(candidate, on)
    if latest is None:
        return RuleResult("certificate", title, source, False, _("No course certificate recorded."))
    validity = rules.document_validity(rule_set=candidate.rule_set, document="certificate", issued_on=latest.issued_on)
    if validity.valid_on(on):
        reason = _("Certificate %(number)s of %(issued)s, valid until the day before %(expires)s.") % {
            "number": latest.number,
            "issued": _d(latest.issued_on),
            "expires": _d(validity.expires_on) if validity.expires_on else "—",
        }
        return RuleResult("certificate", title, source, True, reason)
    reason = _("Certificate expired on %(day)s: the person must attend the course again.") % {
        "day": _d(validity.expires_on) if validity.expires_on else "—"
    }
    return RuleResult("certificate", title, source, False, reason)


def _earlier_memberships(candidate: Candidate) -> list[EarlierMembership]:
    if not candidate.person_id:
        return []
    return list(EarlierMembership.objects.filter(person_id=candidate.person_id).order_by("left_on", "pk"))


def _wait_result(code: str, title: str, source: str, *, start: date, months: int, on: date, reason: str) -> RuleResult:
    ready = rules.add_months(start, months)
    return RuleResult(code, title, source, on >= ready, reason % {"day": _d(start), "ready": _d(ready)})


def check_readmission(candidate: Candidate, on: date) -> list[RuleResult]:
    """294-QĐ/TW §3.5 on the person's recorded earlier memberships: how the last one ended (never re-admitted, or
    a wait counted from leaving or from the expungement), the lifetime maximum, the provincial consent."""
    earlier = _earlier_memberships(candidate)
    if not earlier and not candidate.is_readmission:
        return []
    rs = candidate.rule_set
    source = _("294-QĐ/TW item 3.5 (rule set %(code)s)") % {"code": rs.code}
    if not earlier:
        return [
            RuleResult(
                "readmission_record",
                _("The earlier membership is recorded"),
                source,
                False,
                _("Record the earlier membership: when the person was admitted, when and how they left."),
            )
        ]
    last = earlier[-1]
    never = [m for m in earlier if m.consequence == Consequence.NEVER]
    results = [
        RuleResult(
            "readmission_reason",
            _("How the earlier membership ended allows re-admission"),
            source,
            not never,
            _("Never re-admitted: %(reason)s (left on %(day)s).")
            % {"reason": never[0].get_how_left_display(), "day": _d(never[0].left_on)}
            if never
            else _("Left on %(day)s: %(reason)s. Re-admission: %(consequence)s.")
            % {
                "day": _d(last.left_on),
                "reason": last.get_how_left_display(),
                "consequence": last.get_consequence_display(),
            },
        )
    ]
    times = readmissions_so_far(earlier)
    results.append(
        RuleResult(
            "readmission_once",
            _("Re-admitted at most %(max)d time(s) in a lifetime") % {"max": rs.readmission_max_times},
            source,
            times < rs.readmission_max_times,
            _("Already re-admitted %(n)d time(s).") % {"n": times},
        )
    )
    results.append(
        _wait_result(
            "readmission_wait",
            _("At least %(months)d months since leaving") % {"months": rs.readmission_wait_months},
            source,
            start=last.left_on,
            months=rs.readmission_wait_months,
            on=on,
            reason=_("Left on %(day)s; may be re-admitted from %(ready)s."),
        )
    )
    if last.consequence == Consequence.WAIT_FROM_EXPUNGED or last.conviction_expunged_on is not None:
        title = _("At least %(months)d months since the conviction was expunged") % {
            "months": rs.readmission_after_expunged_months
        }
        if last.conviction_expunged_on is None:
            results.append(
                RuleResult("readmission_expunged", title, source, False, _("The date of the expungement is missing."))
            )
        else:
            results.append(
                _wait_result(
                    "readmission_expunged",
                    title,
                    source,
                    start=last.conviction_expunged_on,
                    months=rs.readmission_after_expunged_months,
                    on=on,
                    reason=_("Expunged on %(day)s; may be re-admitted from %(ready)s."),
                )
            )
    if last.consequence == Consequence.SEPARATE_RULES:
        results.append(
            RuleResult(
                "readmission_separate_rules",
                _("The Secretariat's separate rules on population-policy removals"),
                _("294-QĐ/TW item 3.5"),
                True,
                _("Check the Secretariat's separate rules before the meeting; the waiting period above applies."),
            )
        )
    consent = _consent(candidate, on, ConsentKind.READMISSION)
    results.append(
        RuleResult(
            "readmission_consent",
            _("Written agreement of the provincial standing committee"),
            source,
            consent is not None,
            _("Consent %(ref)s of %(day)s recorded.") % {"ref": consent.reference, "day": _d(consent.granted_on)}
            if consent
            else _("The provincial standing committee's written agreement is not recorded."),
        )
    )
    return results


def check_eligibility(candidate: Candidate, meeting_on: date) -> EligibilityReport:
    results = [
        *check_age(candidate, meeting_on),
        check_education(candidate, meeting_on),
        check_certificate(candidate, meeting_on),
        *check_readmission(candidate, meeting_on),
    ]
    return EligibilityReport(candidate, meeting_on, tuple(results))
