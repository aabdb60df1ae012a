"""From a complete dossier to a probationary member, in the browser: the secretary on a phone records the cell's
meeting and vote (a count below two thirds is explained, nothing saved), the commune's approver finds the case in
the work page and decides, the secretary records the ceremony."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from playwright.sync_api import Page, expect

from admission.party.models.people import Membership
from admission.sourcing.models.candidates import Candidate, CandidateState
from demo.dossier import fill_dossier
from tests.conftest import World
from tests.e2e.conftest import PHONE, Network
from tests.e2e.test_secretary_journey import assert_no_horizontal_scroll, log_in, vietnamese
from tests.factories import MembershipFactory, PersonFactory
from workflows import services
from workflows.steps import STEPS


def run(case: Candidate, node: str, user: Any, data: dict[str, Any]) -> None:
    case = Candidate.objects.get(pk=case.pk)
    services.run_step(candidate=case, node_name=node, user=user, action=lambda: STEPS[node].action(case, user, data))


def case_ready_for_the_vote(w: World) -> Candidate:
    """A case nominated months ago, trained, with a complete dossier: the cell's meeting is what waits."""
    today = timezone.localdate()
    for _ in range(3):
        MembershipFactory(cell=w.village_cell)  # six official members: four votes are two thirds
    person = PersonFactory(full_name="Hoàng Thị Mến", youth_union_member=False)
    case = services.case_nominate(
        person=person,
        cell=w.village_cell,
        nominated_by="cell",
        nominated_on=today - timedelta(days=200),
        by=w.secretary,
    )
    mentor = Membership.objects.filter(cell=w.village_cell).first()
    run(case, "list_sympathiser", w.secretary, {"meeting_on": today - timedelta(days=190)})
    run(case, "assign_mentors", w.secretary, {"members": [mentor], "assigned_on": today - timedelta(days=189)})
    certificate = {
        "certificate_number": "77/GCN",
        "certificate_issued_on": today - timedelta(days=170),
        "certificate_issuer": "Trung tâm Chính trị",
    }
    run(case, "propose_training", w.secretary, certificate)
    run(case, "open_dossier", w.secretary, {"confirm": True})
    fill_dossier(Candidate.objects.get(pk=case.pk), by=w.secretary, start=today - timedelta(days=120))
    run(case, "prepare_dossier", w.secretary, {"confirm": True})
    return Candidate.objects.get(pk=case.pk)


@pytest.mark.browser_context_args(**PHONE)
def test_a_case_goes_from_the_cell_vote_to_probation_in_the_browser(
    journey_world: World, page: Page, browser: Any, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    case = case_ready_for_the_vote(w)
    today = timezone.localdate().strftime("%d/%m/%Y")

    # The secretary, on a phone: the work page is home; one tap on the case's row opens the cell's meeting and vote.
    log_in(page, w.secretary.username)
    expect(page.get_by_test_id("work-row")).to_have_count(1)
    expect(page.get_by_test_id("work-row")).to_contain_text("Hoàng Thị Mến")
    expect(page.get_by_test_id("work-row")).to_contain_text("ngày làm việc")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "secretary-work-page-phone.png", full_page=True)
    page.get_by_test_id("work-row").locator("a").click()
    page.wait_for_url("**/step/cell_vote/")
    page.locator("input[name=held_on]").fill(today)
    for box in page.locator("input[name=present]").all():
        box.check()
    page.locator("input[name=votes_for]").fill("3")
    assert_no_horizontal_scroll(page)
    page.get_by_test_id("submit-step").click()
    expect(page.locator(".kn-alert")).to_contain_text("3/6")  # below two thirds: explained, nothing recorded
    assert Candidate.objects.get(pk=case.pk).votes.count() == 0
    page.locator("input[name=votes_for]").fill("5")
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.PROPOSED.label))
    expect(page.get_by_test_id("chain")).to_contain_text("9-KNĐ")
    expect(page.get_by_test_id("deadlines")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "secretary-proposed-phone.png", full_page=True)

    # The commune's approver, on a desktop: the work page lists the committee's steps of every flow, then the decision.
    desk = browser.new_context(base_url=page.url.split("/app/")[0], locale="vi-VN")
    approver = desk.new_page()
    log_in(approver, w.approver.username)
    row = approver.get_by_test_id("work-row").filter(has_text="Hoàng Thị Mến")
    expect(row).to_contain_text("9-KNĐ")
    approver.screenshot(path=screenshots_dir / "approver-work-page-desktop.png", full_page=True)
    row.locator("a").click()
    approver.wait_for_url("**/step/chain_step/")
    expect(approver.locator("input[name=outcome]:checked")).to_have_count(0)  # no outcome chosen in advance
    approver.locator("input[name=outcome][value='approve']").check()
    approver.locator("input[name=on]").fill(today)
    approver.get_by_test_id("submit-step").click()  # no decision number: refused on the form
    expect(approver.locator(".kn-alert, .kn-error").first).to_be_visible()
    approver.locator("input[name=document_number]").fill("152-QĐ/ĐU")
    approver.screenshot(path=screenshots_dir / "approver-decision-desktop.png", full_page=True)
    approver.get_by_test_id("submit-step").click()
    approver.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(approver.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.ADMITTED.label))
    desk.close()

    # The secretary again: the day the decision arrived (the case's rule set, 294-QĐ/TW, counts the ceremony's
    # deadline from receipt), then the ceremony.
    assert case.rule_set.code.startswith("294")
    page.goto(f"/app/admission/candidates/{case.pk}/")
    page.get_by_test_id("do-step").click()
    page.wait_for_url("**/step/receive_decision/")
    page.locator("input[name=received_on]").fill(today)
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("deadlines")).to_contain_text(vietnamese(gettext_lazy("Ceremony due by")))
    page.get_by_test_id("do-step").click()
    page.wait_for_url("**/step/ceremony/")
    page.locator("input[name=held_on]").fill(today)
    page.locator("input[name=decision_read_by]").fill("Đồng chí Lục Văn Thắng, Phó Bí thư Đảng ủy xã")
    page.locator("input[name=mentors]").first.check()
    assert_no_horizontal_scroll(page)
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.PROBATIONARY.label))
    expect(page.get_by_test_id("ceremony")).to_contain_text("Lục Văn Thắng")
    page.screenshot(path=screenshots_dir / "secretary-probation-phone.png", full_page=True)
    assert network.external == [] and network.broken_assets == []
