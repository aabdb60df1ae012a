"""Who can introduce the applicant, judged on the meeting date, and how many introducers the dossier needs.

Introducers are judged on the meeting date (Charter Art. 4.2; 294-QĐ/TW §3.2.1): `check_introducer` gives one
verdict per condition in the style of `admission.sourcing.eligibility`. A Youth Union or trade-union resolution takes
the place of one introducer (`introducers_needed`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from admission.dossier.models import Introduction, MassOrgResolution
from admission.party.models.guests import guest_in
from admission.party.models.orgs import PartyOrg
from admission.party.models.people import Membership, MembershipStatus
from admission.rules import compute as rules
from admission.rules.models.rulesets import RuleSet
from admission.rules.reference import vn_date as _d
from admission.rules.services import ruleset_for_step
from admission.sourcing.eligibility import RuleResult
from admission.sourcing.models.candidates import Candidate


def cowork_end(*, worked_together_to: date | None, meeting_on: date) -> date:
    """The first day not counted: the meeting date, or the day after the last day worked together if earlier."""
    if worked_together_to is None:
        return meeting_on
    return min(worked_together_to + timedelta(days=1), meeting_on)


def check_introducer(
    *,
    introducer: Membership,
    worked_together_from: date,
    worked_together_to: date | None,
    rule_set: RuleSet,
    meeting_on: date,
    cell: PartyOrg | None = None,
) -> list[RuleResult]:
    """Can this member introduce the applicant at a meeting on `meeting_on`?

    Charter Art. 4.2; 294-QĐ/TW §3.2.1 [C]: an official member on that date (no minimum seniority as official
    member), still in the party unit, who has worked, studied or lived with the applicant in the same unit for at
    least `rule_set.introducer_cowork_months` months on that date (exactly 12 months passes, a day less fails).
    A guest of the applicant's `cell` (a member of another cell taking part in its meetings) introduces only where
    the rule set lets guests help and introduce (`guests_may_help_or_introduce`).
    """
    source = _("Charter Art. 4.2; 294-QĐ/TW item 3.2.1")
    name = introducer.person.full_name
    official = introducer.status_on(meeting_on) == MembershipStatus.OFFICIAL
    results = [
        RuleResult(
            "introducer_official",
            _("The introducer is an official member"),
            source,
            official,
            _("%(name)s is an official member since %(day)s.")
            % {"name": name, "day": _d(introducer.official_on) if introducer.official_on else "—"}
            if official
            else _("%(name)s is not an official member on %(day)s.") % {"name": name, "day": _d(meeting_on)},
        )
    ]
    left = introducer.left_cell_on is not None and introducer.left_cell_on <= meeting_on
    results.append(
        RuleResult(
            "introducer_present",
            _("The introducer is still in the party unit"),
            source,
            not left,
            _("%(name)s left %(cell)s on %(day)s: replace the introducer.")
            % {"name": name, "cell": introducer.cell, "day": _d(introducer.left_cell_on)}
            if left and introducer.left_cell_on
            else _("%(name)s is a member of %(cell)s.") % {"name": name, "cell": introducer.cell},
        )
    )
    guest = None
    if cell is not None and introducer.cell_id != cell.pk:  # only a member of another cell can be the cell's guest
        guest = guest_in(membership=introducer, cell=cell, on=meeting_on)
    if guest is not None:
        allowed = rule_set.guests_may_help_or_introduce
        results.append(
            RuleResult(
                "introducer_guest",
                _("A guest of the cell introduces only where the rule set allows it"),
                _("Rule set %(code)s (guests of a cell)") % {"code": rule_set.code},
                allowed,
                _("%(name)s takes part in %(cell)s's meetings as a guest (%(reason)s); the rule set allows it.")
                % {"name": name, "cell": cell, "reason": guest.reason}
                if allowed
                else _("%(name)s is only a guest in %(cell)s's meetings: the rule set does not let guests introduce.")
                % {"name": name, "cell": cell},
            )
        )
    months = rule_set.introducer_cowork_months
    qualifies_on = rules.add_months(worked_together_from, months)
    end = cowork_end(worked_together_to=worked_together_to, meeting_on=meeting_on)
    together = qualifies_on <= end
    if together:
        reason = _("Worked or lived together since %(from)s: %(months)d months reached on %(day)s.") % {
            "from": _d(worked_together_from),
            "months": months,
            "day": _d(qualifies_on),
        }
    elif worked_together_to is not None and worked_together_to < meeting_on:
        reason = _("Worked or lived together only from %(from)s to %(to)s; %(months)d months are needed.") % {
            "from": _d(worked_together_from),
            "to": _d(worked_together_to),
            "months": months,
        }
    else:
        reason = _("Worked or lived together since %(from)s: %(months)d months are reached only on %(day)s.") % {
            "from": _d(worked_together_from),
            "months": months,
            "day": _d(qualifies_on),
        }
    results.append(
        RuleResult(
            "introducer_cowork",
            _("Worked or lived with the applicant for %(months)d months") % {"months": months},
            source,
            together,
            reason,
        )
    )
    return results


def introduction_verdicts(introduction: Introduction, *, meeting_on: date) -> list[RuleResult]:
    return check_introducer(
        introducer=introduction.introducer,
        worked_together_from=introduction.worked_together_from,
        worked_together_to=introduction.worked_together_to,
        rule_set=ruleset_for_step(case_rule_set=introduction.candidate.rule_set, step_on=meeting_on),
        meeting_on=meeting_on,
        cell=introduction.candidate.cell,
    )


def active_introductions(candidate: Candidate, on: date) -> list[Introduction]:
    """Introductions written by `on` and not replaced by then (each with `candidate` as its case: the case, its cell
    and its rule set are not read again)."""
    return [
        i
        for i in candidate.introductions.select_related("introducer__person", "introducer__cell")
        if i.written_on <= on and (i.replaced_by_id is None or (i.replaced_on is not None and i.replaced_on > on))
    ]


_READ = object()  # "not read yet": the resolution is read here


def has_mass_org_resolution(candidate: Candidate, on: date, *, resolution: Any = _READ) -> bool:
    """Whether a mass organisation's resolution introduces the applicant by `on` (`resolution`: the case's, when the
    caller has read it, or None for none)."""
    if resolution is _READ:
        resolution = MassOrgResolution.objects.filter(candidate=candidate).first()
    return resolution is not None and resolution.adopted_on <= on


def introducers_needed(candidate: Candidate, on: date, *, resolution: Any = _READ) -> int:
    """The rule set's number of introducers, less one when a Youth Union or trade-union resolution introduces the
    applicant (Charter Art. 4.2: the executive committee and one official member)."""
    required = candidate.rule_set.introducers_required
    return max(required - 1, 0) if has_mass_org_resolution(candidate, on, resolution=resolution) else required
