"""Sourcing-plan pages per role: the commune sets its own and its cells' plans, a cell sets only its own, the
progress table shows the SQL counts with the share of the target, outsiders get 404."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from admission.party.models.roles import RoleKind
from admission.sourcing.models.plans import SourcingPlan
from admission.sourcing.services.candidates import candidate_list_as_sympathiser, candidate_nominate
from admission.sourcing.services.plans import plan_save
from admission.sourcing.services.training import certificate_record_external
from tests.factories import PersonFactory, UserFactory, give_role

D = datetime.date
LIST = reverse("admission:plans:index")
ADD = reverse("admission:plans:add")
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def detail(plan):
    return reverse("admission:plans:detail", args=[plan.pk])


def edit(plan):
    return reverse("admission:plans:edit", args=[plan.pk])


@pytest.fixture
def commune_plan(world):
    return plan_save(
        org=world.commune, year=2026, title="Đề án tạo nguồn 2026", targets={"total": 4, "women": 2}, by=world.approver
    )


@pytest.fixture
def cell_plan(world):
    return plan_save(org=world.village_cell, year=2026, title="", targets={"total": 1}, by=world.secretary)


def test_the_commune_approver_lists_its_plan_and_its_cells_plans(client, world, commune_plan, cell_plan):
    client.force_login(world.approver)
    response = client.get(LIST)
    assert response.status_code == 200
    assert set(response.context["plans"]) == {commune_plan, cell_plan}


def test_a_cell_secretary_lists_only_the_cells_plan(client, world, commune_plan, cell_plan):
    client.force_login(world.secretary)
    assert list(client.get(LIST).context["plans"]) == [cell_plan]
    assert client.get(detail(commune_plan)).status_code == 404
    assert client.get(edit(commune_plan)).status_code == 404


def test_the_outsider_gets_404_for_the_plans_of_this_commune(client, world, commune_plan, cell_plan):
    client.force_login(world.outsider)
    assert list(client.get(LIST).context["plans"]) == []
    for url in (detail(commune_plan), edit(commune_plan), detail(cell_plan)):
        assert client.get(url).status_code == 404
    assert client.post(edit(commune_plan), {"title": "x"}).status_code == 404


def test_anonymous_users_are_refused(client, commune_plan):
    for url in (LIST, ADD, detail(commune_plan)):
        response = client.get(url)
        assert response.status_code == 403 or response["Location"].startswith("/accounts/login/")


def test_the_approver_creates_a_plan_with_targets(client, world):
    client.force_login(world.approver)
    form = client.get(ADD).context["form"]
    assert world.commune in form.fields["org"].queryset and world.village_cell in form.fields["org"].queryset
    assert world.other_commune not in form.fields["org"].queryset
    response = client.post(
        ADD, {"org": world.commune.pk, "year": "2026", "title": "Đề án 2026", "target_total": "10", "target_women": "3"}
    )
    plan = SourcingPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(plan)
    assert dict(plan.targets.values_list("category", "target")) == {"total": 10, "women": 3}


def test_a_second_plan_for_the_same_org_and_year_is_refused(client, world, commune_plan):
    client.force_login(world.approver)
    response = client.post(ADD, {"org": world.commune.pk, "year": "2026", "target_total": "1"})
    assert response.status_code == 422 and "year" in response.context["form"].errors
    assert SourcingPlan.objects.count() == 1


def test_a_secretary_cannot_create_the_communes_plan(client, world):
    client.force_login(world.secretary)
    response = client.post(ADD, {"org": world.commune.pk, "year": "2026", "target_total": "1"})
    assert response.status_code == 422 and "org" in response.context["form"].errors
    assert not SourcingPlan.objects.exists()


def test_a_negative_target_is_refused(client, world):
    client.force_login(world.approver)
    response = client.post(ADD, {"org": world.commune.pk, "year": "2026", "target_total": "-3"})
    assert response.status_code == 422 and "target_total" in response.context["form"].errors


def test_editing_changes_title_and_targets_but_not_org_or_year(client, world, commune_plan):
    client.force_login(world.approver)
    form = client.get(edit(commune_plan)).context["form"]
    assert form["target_total"].value() == 4
    response = client.post(
        edit(commune_plan), {"org": world.village_cell.pk, "year": "2030", "title": "Sửa", "target_total": "6"}
    )
    assert response.status_code == 302
    commune_plan.refresh_from_db()
    assert (commune_plan.org, commune_plan.year, commune_plan.title) == (world.commune, 2026, "Sửa")
    assert dict(commune_plan.targets.values_list("category", "target")) == {"total": 6}


def test_a_cell_edits_its_own_plan_set_above_and_another_branch_gets_404(client, world):
    plan = plan_save(org=world.village_cell, year=2025, title="", targets={"total": 1}, by=world.approver)
    client.force_login(world.secretary)
    assert client.get(detail(plan)).status_code == 200
    assert client.get(edit(plan)).status_code == 200  # the cell acts for itself
    client.force_login(world.agency_officer)  # another branch of the commune: out of scope
    assert client.get(edit(plan)).status_code == 404


def test_a_province_plan_is_out_of_the_communes_scope(client, world):
    plan = SourcingPlan.objects.create(org=world.province, year=2026)
    client.force_login(world.approver)
    assert client.get(detail(plan)).status_code == 404


def test_an_administrator_sees_the_plan_but_may_not_edit_it(client, world, commune_plan):
    admin = UserFactory(username="it")
    give_role(admin, world.commune, RoleKind.ADMINISTRATOR)
    client.force_login(admin)
    response = client.get(detail(commune_plan))
    assert response.status_code == 200 and not response.context["can_edit"]
    assert client.get(edit(commune_plan)).status_code == 403
    assert client.post(edit(commune_plan), {"title": "x", "target_total": "1"}).status_code == 403
    assert not client.get(LIST).context["can_create"]


def test_the_progress_table_shows_the_counts_and_the_share_of_the_target(client, world, commune_plan):
    for name, sex in (("Lò Thị Một", "female"), ("Lò Văn Hai", "male")):
        case = candidate_nominate(
            person=PersonFactory(full_name=name, sex=sex),
            cell=world.village_cell,
            nominated_by="cell",
            nominated_on=D(2026, 1, 10),
            by=world.secretary,
        )
        case = candidate_list_as_sympathiser(candidate=case, meeting_on=D(2026, 1, 20), by=world.secretary)
    certificate_record_external(
        candidate=case, number="1/CN", issued_on=D(2026, 2, 1), issuer="TTCT", by=world.secretary
    )
    client.force_login(world.approver)
    response = client.get(detail(commune_plan))
    lines = {line.category: line for line in response.context["lines"]}
    total, women = lines["total"], lines["women"]
    assert (total.target, total.nominated, total.sympathiser, total.trained, total.percent) == (
        4,
        2,
        2,
        1,
        25,
    )
    assert (women.target, women.nominated, women.trained, women.percent) == (2, 1, 0, 0)
    assert lines["youth_union"].percent is None
    html = response.content.decode()
    assert 'data-category="total"' in html and "25%" in html
    assert response.context["can_edit"]


def test_the_plan_pages_accept_only_their_methods(client, world, commune_plan):
    client.force_login(world.approver)
    assert client.post(LIST).status_code == 405
    assert client.post(detail(commune_plan)).status_code == 405
    assert client.delete(edit(commune_plan)).status_code == 405
    assert client.put(ADD).status_code == 405
