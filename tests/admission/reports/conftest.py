"""A small province with admissions in two years and a commune merged into another on 1/7/2025.

Cases are written straight to the tables (state, decision step, ceremony, membership) because the reports only
read them; the workflow that produces them is tested in tests/admission/test_decisions.py. The admission snapshot
is taken by its service, as the decision does.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from admission.decisions.models.decisions import Ceremony, ChainStepRecord, StepStatus
from admission.decisions.services.snapshots import snapshot_take
from admission.party.hierarchy import StepKind
from admission.party.models.orgs import OrgKind, PartyOrg
from admission.party.models.people import Membership
from admission.party.services.orgs import org_dissolve
from admission.rules.models.rulesets import RuleSet
from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.factories import PersonFactory, make_org

D = datetime.date
_codes = itertools.count(1)


def admit(
    cell: PartyOrg,
    decided_on: datetime.date,
    *,
    official_on: datetime.date | None = None,
    nominated_on: datetime.date | None = None,
    **person: Any,
) -> Candidate:
    """An admitted case: nomination, cell resolution 20 days and decision N days before `decided_on`, ceremony."""
    nominated_on = nominated_on or decided_on - datetime.timedelta(days=200)
    readmission = person.pop("is_readmission", False)
    case = Candidate.objects.create(
        code=f"KN-T-{next(_codes):06d}",
        person=PersonFactory(**person),
        cell=cell,
        rule_set=RuleSet.in_force_on(nominated_on),
        state=CandidateState.PROBATIONARY,
        opened_on=nominated_on,
        nominated_by="cell",
        nominated_on=nominated_on,
        sympathiser_meeting_on=nominated_on + datetime.timedelta(days=14),
        is_readmission=readmission,
    )
    resolution = decided_on - datetime.timedelta(days=20)
    ChainStepRecord.objects.create(
        candidate=case,
        order=1,
        kind=StepKind.CELL_RESOLUTION,
        org=cell,
        form="6-KNĐ",
        status=StepStatus.DONE,
        document_date=resolution,
        done_on=resolution,
    )
    ChainStepRecord.objects.create(
        candidate=case,
        order=2,
        kind=StepKind.DECISION,
        org=cell.parent or cell,
        form="9-KNĐ",
        status=StepStatus.DONE,
        document_number=f"{case.pk}-QĐ/ĐU",
        document_date=decided_on,
        done_on=decided_on,
        received_on=decided_on,
    )
    held_on = decided_on + datetime.timedelta(days=10)
    membership = Membership.objects.create(
        person=case.person, cell=cell, admitted_on=decided_on, joined_cell_on=held_on, official_on=official_on
    )
    Ceremony.objects.create(candidate=case, held_on=held_on, decision_read_by="Bí thư", membership=membership)
    snapshot_take(candidate=case, decided_on=decided_on)
    return case


@dataclass
class Province:
    world: Any
    old_commune: PartyOrg  # Đồng Văn, merged into Hoành Mô on 1/7/2025
    old_cell: PartyOrg


@pytest.fixture
def province(world) -> Province:
    old_commune = make_org(OrgKind.COMMUNE_COMMITTEE, world.province, name="Đảng bộ xã Đồng Văn")
    old_cell = make_org(OrgKind.GRASSROOTS_CELL, old_commune, name="Chi bộ thôn Bản Mới")
    w = world
    # Q1/2025 in Hoành Mô (today's tree): 4 cases.
    admit(
        w.village_cell,
        D(2025, 1, 15),
        sex="female",
        ethnicity="02",
        date_of_birth=D(2000, 5, 1),
        youth_union_member=True,
        occupation="agriculture",
        employer_sector="village",
    )
    admit(
        w.village_cell,
        D(2025, 2, 10),
        sex="male",
        ethnicity="09",
        religion="catholic",
        date_of_birth=D(1990, 2, 10),
        occupation="enterprise_worker",
        employer_sector="private_enterprise",
    )
    admit(
        w.cell,
        D(2025, 3, 31),
        sex="female",
        date_of_birth=D(2007, 3, 31),
        occupation="pupil",
        employer_sector="school",
        youth_union_member=True,
        official_on=D(2026, 4, 10),
    )
    admit(
        w.agency_cell,
        D(2025, 3, 1),
        sex="male",
        date_of_birth=D(1960, 1, 1),
        occupation="public_service_employee",
        professional_level="university",
        education="upper_secondary",
        is_readmission=True,
    )
    # Q1/2025 in Đồng Văn, before its merger: 2 cases (one woman).
    admit(old_cell, D(2025, 2, 20), sex="female", date_of_birth=D(1998, 8, 8), ethnicity="02")
    admit(old_cell, D(2025, 3, 5), sex="male", date_of_birth=D(1995, 1, 1))
    # Outside the period (1/4/2025) and outside the commune (Lục Hồn): never counted below.
    admit(w.village_cell, D(2025, 4, 1), sex="female")
    admit(w.other_cell, D(2025, 2, 2), sex="female")
    # Q1/2024, last year: 2 in Hoành Mô, 1 in Đồng Văn.
    admit(w.village_cell, D(2024, 3, 1), sex="female", official_on=D(2025, 3, 11))
    admit(w.cell, D(2024, 1, 5), sex="male")
    admit(old_cell, D(2024, 2, 2), sex="male")
    org_dissolve(org=old_commune, on=D(2025, 7, 1), merged_into=w.commune)
    old_commune.refresh_from_db()
    old_cell.refresh_from_db()
    return Province(world, old_commune, old_cell)
