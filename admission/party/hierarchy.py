"""Reading the party hierarchy on a date, and resolving who decides: the approval chain (domain.md §1.4).

The chain is a pure function of the org tree as it stood on a date (parent links and admission authorities are
dated), so a case opened before a restructuring can still tell which bodies its earlier steps belonged to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission.party.models.orgs import (
    AdmissionAuthority,
    DecidingBody,
    OrgKind,
    OrgParentLink,
    PartyOrg,
    path_ancestor_ids,
)
from admission.rules.models.rulesets import VoteBody


class StepKind(models.TextChoices):
    CELL_RESOLUTION = "cell_resolution", gettext_lazy("Cell resolution")
    APPRAISAL = "appraisal", gettext_lazy("Appraisal report")
    COMMITTEE_RESOLUTION = "committee_resolution", gettext_lazy("Grassroots committee resolution")
    DECISION = "decision", gettext_lazy("Decision of the deciding body")


class Purpose(models.TextChoices):
    ADMISSION = "admission", gettext_lazy("Admission")
    RECOGNITION = "recognition", gettext_lazy("Recognition as official member")


# Form codes of 12-HD/BTCTW (2022): admission 6–9-KNĐ, recognition 13–16-KNĐ (domain.md §6).
FORMS: dict[str, dict[str, str]] = {
    Purpose.ADMISSION: {
        StepKind.CELL_RESOLUTION: "6-KNĐ",
        StepKind.APPRAISAL: "7-KNĐ",
        StepKind.COMMITTEE_RESOLUTION: "8-KNĐ",
        StepKind.DECISION: "9-KNĐ",
    },
    Purpose.RECOGNITION: {
        StepKind.CELL_RESOLUTION: "13-KNĐ",
        StepKind.APPRAISAL: "14-KNĐ",
        StepKind.COMMITTEE_RESOLUTION: "15-KNĐ",
        StepKind.DECISION: "16-KNĐ",
    },
}

_VOTE_BODY_OF_DECIDER: dict[str, str] = {
    DecidingBody.AUTHORISED_GRASSROOTS_COMMITTEE: VoteBody.AUTHORISED_GRASSROOTS_COMMITTEE,
    DecidingBody.SUPERIOR_STANDING_COMMITTEE: VoteBody.STANDING_COMMITTEE,
    DecidingBody.GRASSROOTS_STANDING_COMMITTEE_2026: VoteBody.STANDING_COMMITTEE,
    DecidingBody.PROVINCIAL_STANDING_BODY: VoteBody.PROVINCIAL_STANDING_BODY,
    DecidingBody.ARMED_FORCES_SPECIAL: VoteBody.STANDING_COMMITTEE,
}

_GRASSROOTS_KINDS = {OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL}


class ChainError(ValidationError):
    pass


@dataclass(frozen=True)
class ChainStep:
    order: int
    kind: StepKind
    org: PartyOrg
    form: str
    vote_body: str | None
    deciding_body: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "order": self.order,
            "kind": str(self.kind),
            "org_id": self.org.pk,
            "org_code": self.org.code,
            "org_name": self.org.name,
            "form": self.form,
            "vote_body": self.vote_body,
            "deciding_body": self.deciding_body,
        }


def parent_on(org: PartyOrg, day: date) -> PartyOrg | None:
    """The parent `org` had on `day`, from the dated links (None for a root or an org not yet attached)."""
    for link in org.parent_links.select_related("parent").order_by("-valid_from"):
        if link.covers(day):
            return link.parent
    return None


def ancestors_on(org: PartyOrg, day: date) -> list[PartyOrg]:
    """Parents of `org` on `day`, nearest first.

    The dated links of `org` and of its ancestors in today's tree are read in one query; an ancestor that day outside
    today's tree (the hierarchy was restructured since) has its own links read when the walk reaches it."""
    known = [org.pk, *path_ancestor_ids(org.path or "")]
    links: dict[int, list[OrgParentLink]] = {pk: [] for pk in known}
    for link in OrgParentLink.objects.filter(org_id__in=known).select_related("parent").order_by("-valid_from"):
        links.setdefault(link.org_id, []).append(link)

    def parent(of: PartyOrg) -> PartyOrg | None:
        if of.pk not in links:
            links[of.pk] = list(of.parent_links.select_related("parent").order_by("-valid_from"))
        return next((link.parent for link in links[of.pk] if link.covers(day)), None)

    chain: list[PartyOrg] = []
    current = parent(org)
    while current is not None:
        if current in chain or len(chain) > 20:
            raise ChainError(_("The party hierarchy has a loop above %(org)s.") % {"org": org})
        chain.append(current)
        current = parent(current)
    return chain


def authorities_on(orgs: list[PartyOrg], day: date) -> dict[int, AdmissionAuthority]:
    """The admission authority of each org in force on `day` (orgs without one are left out), in one query."""
    found: dict[int, AdmissionAuthority] = {}
    rows = AdmissionAuthority.objects.filter(org__in=[org.pk for org in orgs], valid_from__lte=day)
    for row in rows.order_by("-valid_from"):
        if row.org_id not in found and row.covers(day):
            found[row.org_id] = row
    return found


def authority_on(org: PartyOrg, day: date) -> AdmissionAuthority | None:
    return authorities_on([org], day).get(org.pk)


def _default_deciding_body(org: PartyOrg, below: PartyOrg) -> str | None:
    """Who decides when an org has no AdmissionAuthority row: the defaults of 294-QĐ/TW for its kind."""
    if org.kind == OrgKind.COMMUNE_COMMITTEE:
        # 294 pilot: the commune committee is the superior directly above grassroots orgs; its standing committee.
        return DecidingBody.SUPERIOR_STANDING_COMMITTEE
    if org.kind == OrgKind.PROVINCE_COMMITTEE:
        if below.kind in _GRASSROOTS_KINDS:
            return DecidingBody.PROVINCIAL_STANDING_BODY
        return DecidingBody.SUPERIOR_STANDING_COMMITTEE
    return None


def approval_chain(cell: PartyOrg, day: date, *, purpose: str = Purpose.ADMISSION) -> list[ChainStep]:
    """The ordered steps from the cell's vote to the decision, for a cell as the hierarchy stood on `day`.

    Covers every variant of domain.md §1.4: a cell under a grassroots committee (8-KNĐ then the superior's 9-KNĐ),
    an authorised grassroots committee (it decides, no 8-KNĐ), a cell under a partial or sub-grassroots committee
    (an appraisal first, 7-KNĐ), a grassroots cell (straight to the superior), the 2025 commune model (the commune's
    standing committee decides) and the 2026 model (the commune committee is the grassroots committee and its
    standing committee decides).
    """
    if not cell.is_cell:
        raise ChainError(_("%(org)s is not a party cell.") % {"org": cell})
    if not cell.exists_on(day):
        raise ChainError(_("%(org)s did not exist on %(day)s.") % {"org": cell, "day": day.strftime("%d/%m/%Y")})
    forms = FORMS[purpose]
    steps = [ChainStep(1, StepKind.CELL_RESOLUTION, cell, forms[StepKind.CELL_RESOLUTION], VoteBody.CELL)]
    below = cell
    ancestors = ancestors_on(cell, day)
    authorities = authorities_on(ancestors, day)
    for org in ancestors:
        authority = authorities.get(org.pk)
        decider = authority.deciding_body if authority else _default_deciding_body(org, below)
        order = len(steps) + 1
        if decider is not None:
            steps.append(
                ChainStep(
                    order, StepKind.DECISION, org, forms[StepKind.DECISION], _VOTE_BODY_OF_DECIDER[decider], decider
                )
            )
            return steps
        if org.kind in (OrgKind.PARTIAL_COMMITTEE, OrgKind.SUB_GRASSROOTS_COMMITTEE):
            steps.append(ChainStep(order, StepKind.APPRAISAL, org, forms[StepKind.APPRAISAL], None))
        elif org.kind == OrgKind.GRASSROOTS_COMMITTEE:
            steps.append(
                ChainStep(
                    order,
                    StepKind.COMMITTEE_RESOLUTION,
                    org,
                    forms[StepKind.COMMITTEE_RESOLUTION],
                    VoteBody.GRASSROOTS_COMMITTEE,
                )
            )
        else:
            raise ChainError(
                _("%(org)s cannot take part in an admission: check the hierarchy above %(cell)s.")
                % {"org": org, "cell": cell}
            )
        below = org
    raise ChainError(
        _("No body above %(cell)s can decide admissions on %(day)s: record an admission authority.")
        % {"cell": cell, "day": day.strftime("%d/%m/%Y")}
    )


def links_for(org: PartyOrg) -> list[OrgParentLink]:
    return list(org.parent_links.select_related("parent").order_by("valid_from"))


_PROPOSING_ONLY = {OrgKind.PARTIAL_COMMITTEE, OrgKind.SUB_GRASSROOTS_COMMITTEE}


def training_approver(cell: PartyOrg, day: date) -> PartyOrg:
    """The committee that approves a cell's proposal to send someone to the awareness course (domain.md §3 row 1):
    the first committee above the cell that is not a partial or sub-grassroots committee."""
    for org in ancestors_on(cell, day):
        if org.kind not in _PROPOSING_ONLY:
            return org
    raise ChainError(_("No committee above %(cell)s can approve course attendance.") % {"cell": cell})
