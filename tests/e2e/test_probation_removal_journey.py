"""Removal and transfer of a probationary member, end to end in the browser: the cell proposes the removal on the
probation page, the probation's flow puts the decision in the commune's queue, the approver removes the member on
the task page; another member is transferred to a cell of another commune, whose secretary receives them on the
task page and becomes the cell that will complete the recognition."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import CandidateState
from tests.admission.probation.helpers import probationer
from tests.conftest import World
from tests.e2e.conftest import Network
from tests.e2e.test_secretary_journey import log_in, vietnamese
from tests.factories import UserFactory, give_role
from workflows import services
from workflows.flows import ProbationFlow


def with_flow(world: World, days_ago: int) -> Any:
    """A probationer (ceremony `days_ago` days ago) whose probation flow runs, as after a ceremony task."""
    today = datetime.date.today()
    probation = probationer(
        world,
        decided_on=today - datetime.timedelta(days=days_ago + 20),
        ceremony_on=today - datetime.timedelta(days=days_ago),
    )
    ProbationFlow.start.run(candidate=probation.candidate)
    return probation


def waiting_step(case: Any) -> str:
    """The one task (or the probation's timer) waiting in the case's flow."""
    process = services.process_for(case)
    (task,) = process.task_set.filter(status__in=services.OPEN_OR_WAITING)
    return str(task.flow_task.name)


def test_a_removal_proposed_by_the_cell_is_decided_by_the_commune_in_the_browser(
    journey_world: World, page: Page, browser: Any, network: Network
) -> None:
    w = journey_world
    case = with_flow(w, 120).candidate
    log_in(page, w.secretary.username)
    page.goto(reverse("admission:candidates:probation", args=[case.pk]))
    page.get_by_test_id("action-removal").click()
    page.locator("input[name=reason_code][value=abandoned_activity]").check()
    page.locator("textarea[name=reason]").fill("Bỏ sinh hoạt chi bộ ba tháng liền không có lý do.")
    page.get_by_test_id("probation-submit").click()
    expect(page).to_have_url(re.compile(r"/probation/(#.*)?$"))  # back on the probation page: saved
    assert waiting_step(case) == "decide_removal"  # the flow moved the work to the committee

    desk = browser.new_context(base_url=page.url.split("/app/")[0], locale="vi-VN")
    approver = desk.new_page()
    log_in(approver, w.approver.username)
    approver.goto(reverse("admission:candidates:detail", args=[case.pk]))
    approver.get_by_test_id("do-step").click()
    approver.wait_for_url("**/step/decide_removal/")
    approver.locator("input[name=approve][value='1']").check()
    approver.locator("input[name=document_number]").fill("61-QĐ/ĐU")
    approver.get_by_test_id("submit-step").click()
    approver.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(approver.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.REMOVED.label))
    desk.close()
    assert network.broken_assets == []


def test_a_transferred_member_is_received_by_the_new_cell_in_the_browser(
    journey_world: World, page: Page, browser: Any, network: Network
) -> None:
    w = journey_world
    case = with_flow(w, 150).candidate
    receiver = UserFactory(username="bithu.khetien")
    give_role(receiver, w.other_cell, RoleKind.CELL_SECRETARY)
    log_in(page, w.secretary.username)
    page.goto(reverse("admission:candidates:probation", args=[case.pk]))
    page.get_by_test_id("action-transfer").click()
    page.locator("select[name=to_cell]").select_option(str(w.other_cell.pk))
    page.locator("textarea[name=former_cell_comment]").fill("Chấp hành tốt, tích cực trong công tác đoàn thể.")
    page.get_by_test_id("probation-submit").click()
    expect(page).to_have_url(re.compile(r"/probation/(#.*)?$"))  # back on the probation page: saved
    assert waiting_step(case) == "receive_transfer"

    other = browser.new_context(base_url=page.url.split("/app/")[0], locale="vi-VN")
    new_cell = other.new_page()
    log_in(new_cell, receiver.username)
    new_cell.goto(reverse("admission:candidates:detail", args=[case.pk]))
    new_cell.get_by_test_id("do-step").click()
    new_cell.wait_for_url("**/step/receive_transfer/")
    helper = Membership.objects.filter(cell=w.other_cell).first()
    new_cell.locator(f"input[name=helpers][value='{helper.pk}']").check()
    new_cell.get_by_test_id("submit-step").click()
    new_cell.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    case.refresh_from_db()
    assert case.cell == w.other_cell and waiting_step(case) == "wait"
    new_cell.goto(reverse("admission:candidates:probation", args=[case.pk]))
    expect(new_cell.locator("body")).to_contain_text("Chấp hành tốt, tích cực trong công tác đoàn thể.")
    other.close()
    assert network.broken_assets == []
