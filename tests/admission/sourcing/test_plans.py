"""Sourcing plans: who sets them, saving targets, and progress counted in SQL against a hand count."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from admission.party.models.roles import RoleKind
from admission.sourcing.models.plans import PlanCategory, SourcingPlan
from admission.sourcing.selectors import plan_progress
from admission.sourcing.services.candidates import candidate_list_as_sympathiser, candidate_nominate
from admission.sourcing.services.plans import plan_save
from admission.sourcing.services.training import certificate_record_external
from tests.factories import PersonFactory, UserFactory, give_role

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


# Saving a plan


def test_the_commune_sets_its_plan_with_a_target_per_category(world):
    plan = plan_save(
        org=world.commune, year=2026, title="Đề án 2026", targets={"total": 12, "women": 5}, by=world.approver
    )
    assert (plan.org, plan.year, plan.title) == (world.commune, 2026, "Đề án 2026")
    assert dict(plan.targets.values_list("category", "target")) == {"total": 12, "women": 5}


def test_a_committee_sets_the_plan_of_a_cell_under_it(world):
    plan = plan_save(org=world.village_cell, year=2026, title="", targets={"total": 2}, by=world.approver)
    assert plan.org == world.village_cell


def test_a_cell_sets_its_own_plan_but_not_the_communes(world):
    assert plan_save(org=world.village_cell, year=2026, title="", targets={}, by=world.secretary).pk
    with pytest.raises(PermissionDenied):
        plan_save(org=world.commune, year=2026, title="", targets={}, by=world.secretary)


def test_an_outsider_or_an_administrator_cannot_set_a_plan(world):
    admin = UserFactory(username="it")
    give_role(admin, world.commune, RoleKind.ADMINISTRATOR)
    for user in (world.outsider, admin):
        with pytest.raises(PermissionDenied):
            plan_save(org=world.commune, year=2026, title="", targets={}, by=user)


def test_saving_again_updates_the_same_plan_and_drops_the_targets_left_out(world):
    first = plan_save(org=world.commune, year=2026, title="A", targets={"total": 10, "women": 4}, by=world.approver)
    second = plan_save(org=world.commune, year=2026, title="B", targets={"total": 11}, by=world.approver)
    assert second.pk == first.pk and SourcingPlan.objects.count() == 1
    assert (second.title, dict(second.targets.values_list("category", "target"))) == ("B", {"total": 11})


@pytest.mark.parametrize(
    ("year", "targets"),
    [(2026, {"total": -1}), (2026, {"nonsense": 3}), (1999, {"total": 1}), (2101, {"total": 1})],
)
def test_a_plan_refuses_negative_targets_unknown_categories_and_odd_years(world, year, targets):
    with pytest.raises(ValidationError):
        plan_save(org=world.commune, year=year, title="", targets=targets, by=world.approver)
    assert not SourcingPlan.objects.exists()


# Progress: the SQL aggregate against a hand count


@pytest.fixture
def pipeline(world):
    """Eight people in and around commune Hoành Mô, with the dates that decide in which year they count."""
    clerk = UserFactory(username="clerk")
    for cell in (world.village_cell, world.cell, world.agency_cell, world.other_cell):
        give_role(clerk, cell, RoleKind.CELL_SECRETARY)

    def case(cell, nominated, listed=None, certified=None, **person):
        candidate = candidate_nominate(
            person=PersonFactory(**person), cell=cell, nominated_by="cell", nominated_on=nominated, by=clerk
        )
        if listed:
            candidate = candidate_list_as_sympathiser(candidate=candidate, meeting_on=listed, by=clerk)
        if certified:
            certificate_record_external(
                candidate=candidate, number=f"{candidate.pk}/CN", issued_on=certified, issuer="TTCT", by=clerk
            )
        return candidate

    return {
        "A": case(world.village_cell, D(2025, 8, 10), D(2025, 9, 1), D(2025, 10, 15), sex="female"),
        "B": case(world.cell, D(2025, 11, 20), D(2026, 1, 10), ethnicity="02", youth_union_member=True),
        "C": case(
            world.agency_cell, D(2024, 12, 20), D(2025, 2, 1), D(2024, 11, 1), employer_sector="private_enterprise"
        ),
        "D": case(
            world.village_cell, D(2025, 3, 1), D(2025, 4, 1), D(2025, 6, 30), occupation="pupil", religion="buddhism"
        ),
        "E": case(world.other_cell, D(2025, 5, 5), D(2025, 6, 1), D(2025, 7, 1), sex="female"),  # another commune
        "F": case(world.village_cell, D(2025, 12, 31), employer_sector="village"),
        "G": case(world.cell, D(2026, 1, 5), D(2026, 2, 1), occupation="university_student", sex="female"),
        "H": case(world.agency_cell, D(2024, 10, 1), D(2024, 11, 1), D(2025, 3, 3)),
    }


# Counted by hand from the fixture: (nominated, on the list, trained) in 2025, commune subtree only.
HAND_COUNT_2025_COMMUNE = {
    PlanCategory.TOTAL: (4, 3, 3),  # nominated A B D F; listed A C D; certificate A D H
    PlanCategory.WOMEN: (1, 1, 1),  # A (E is in another commune, G in 2026)
    PlanCategory.ETHNIC_MINORITY: (1, 0, 0),  # B
    PlanCategory.YOUTH_UNION: (1, 0, 0),  # B
    PlanCategory.PRIVATE_ENTERPRISE: (0, 1, 0),  # C: nominated and certified in 2024
    PlanCategory.PUPIL_STUDENT: (1, 1, 1),  # D (G in 2026)
    PlanCategory.RELIGIOUS: (1, 1, 1),  # D
    PlanCategory.VILLAGE: (1, 0, 0),  # F
}


def counts(rows):
    return {row.category: (row.nominated, row.sympathiser, row.trained) for row in rows}


def test_progress_matches_the_hand_count_for_the_commune_subtree_and_the_year(
    world, pipeline, django_assert_max_num_queries
):
    plan = plan_save(org=world.commune, year=2025, title="", targets={"total": 8, "women": 2}, by=world.approver)
    with django_assert_max_num_queries(2):  # one aggregate for every number, one for the targets
        rows = plan_progress(plan=plan)
    assert counts(rows) == HAND_COUNT_2025_COMMUNE
    assert {row.category: row.target for row in rows if row.target is not None} == {"total": 8, "women": 2}


def test_a_cells_plan_counts_only_that_cell(world, pipeline):
    plan = plan_save(org=world.village_cell, year=2025, title="", targets={}, by=world.approver)
    assert counts(plan_progress(plan=plan))[PlanCategory.TOTAL] == (3, 2, 2)  # A D F; A D; A D


def test_the_province_plan_counts_every_commune(world, pipeline):
    plan = SourcingPlan.objects.create(org=world.province, year=2025)
    assert counts(plan_progress(plan=plan))[PlanCategory.TOTAL] == (5, 4, 4)  # + E


def test_the_next_year_counts_what_happened_in_it(world, pipeline):
    plan = plan_save(org=world.commune, year=2026, title="", targets={}, by=world.approver)
    assert counts(plan_progress(plan=plan))[PlanCategory.TOTAL] == (1, 2, 0)  # G; B G; none
