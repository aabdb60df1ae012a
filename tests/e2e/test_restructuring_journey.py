"""Restructuring in the browser (issue 14): the province's organisation board dissolves a commune committee into its
neighbour while a case waits for that commune's decision, sees the case in the preview, confirms; the successor's
standing committee then finds the case's next step on its work page and opens it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from admission.decisions.services.decisions import next_step
from admission.party.models.people import Membership
from admission.party.models.roles import RoleKind
from admission.sourcing.models.candidates import Candidate
from tests.conftest import World
from tests.e2e.conftest import Network
from tests.e2e.test_admission_journey import case_ready_for_the_vote, run
from tests.e2e.test_secretary_journey import log_in
from tests.factories import UserFactory, give_role


def test_the_board_dissolves_a_committee_and_the_successor_takes_the_waiting_step(
    journey_world: World, page: Page, browser: Any, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    today = timezone.localdate()
    case = case_ready_for_the_vote(w)
    members = list(Membership.objects.filter(cell=w.village_cell).active_on(today))
    run(case, "cell_vote", w.secretary, {"held_on": today, "present": members, "votes_for": 6, "votes_against": 0})
    case = Candidate.objects.get(pk=case.pk)
    assert next_step(case).org == w.commune
    board = UserFactory(username="tochuc.tinh", first_name="Ban Tổ chức", last_name="Tỉnh ủy")
    give_role(board, w.province, RoleKind.ORG_BOARD_OFFICER)
    successor = UserFactory(username="btv.luchon", first_name="Thường vụ", last_name="Lục Hồn")
    give_role(successor, w.other_commune, RoleKind.STANDING_COMMITTEE_MEMBER)

    # The province's organisation board: the commune's page, the restructuring form, the preview, the confirmation.
    log_in(page, board.username)
    page.goto(f"/app/admission/orgs/{w.commune.pk}/")
    page.get_by_test_id("restructure-link").click()
    page.wait_for_url(f"**/orgs/{w.commune.pk}/restructure/")
    page.locator("input[name=kind][value=dissolve]").check()
    page.locator("select[name=target]").select_option(str(w.other_commune.pk))
    page.locator("input[name=effective_on]").fill(today.strftime("%d/%m/%Y"))
    page.locator("textarea[name=reason]").fill("Nghị quyết sáp nhập xã Hoành Mô vào xã Lục Hồn")
    page.get_by_test_id("restructure-preview").click()
    preview = page.get_by_test_id("restructure-preview-page")
    expect(preview).to_be_visible()
    expect(preview.get_by_test_id("preview-case")).to_contain_text("Hoàng Thị Mến")
    expect(preview.get_by_test_id("preview-steps")).to_contain_text("9-KNĐ")
    expect(preview.get_by_test_id("preview-target")).to_have_text(w.other_commune.name)
    page.screenshot(path=screenshots_dir / "restructuring-preview-desktop.png", full_page=True)
    page.get_by_test_id("restructure-confirm").click()
    page.wait_for_url("**/orgs/restructurings/")
    expect(page.get_by_test_id("restructuring-row")).to_contain_text(w.other_commune.name)
    assert next_step(case).org == w.other_commune

    # The successor's standing committee: the case's next step is on its work page, and it opens.
    desk = browser.new_context(base_url=page.url.split("/app/")[0], locale="vi-VN")
    approver = desk.new_page()
    log_in(approver, successor.username)
    assert "/app/admission/home/" in approver.url
    row = approver.get_by_test_id("work-row").filter(has_text="Hoàng Thị Mến")
    expect(row).to_contain_text("9-KNĐ")
    expect(row).to_contain_text(w.other_commune.name)
    approver.screenshot(path=screenshots_dir / "restructuring-successor-work-page.png", full_page=True)
    row.locator("a").first.click()
    approver.wait_for_url("**/step/chain_step/")
    expect(approver.locator("input[name=outcome][value='approve']")).to_be_visible()
    expect(approver.get_by_test_id("chain")).to_contain_text(w.commune.name)  # the history shows both bodies
    desk.close()
    assert network.broken_assets == [] and network.external == []
