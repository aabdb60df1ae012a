"""Issue 14 in the browser: a certificate expires while the dossier is open; the secretary, on a phone, sends the case
back to the course from the case page, records the new certificate and opens the dossier again (kept, checked again),
through the cell's meeting to the commune's decision; and an expired CV is redone from the dossier page, the earlier
one kept and listed."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from admission.dossier.models import ReplacedPaper
from admission.party.models.people import Membership
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate
from demo.dossier import fill_dossier
from tests.conftest import World
from tests.e2e.conftest import PHONE, Network
from tests.e2e.test_admission_journey import run
from tests.e2e.test_secretary_journey import assert_no_horizontal_scroll, log_in, vietnamese
from tests.factories import MembershipFactory, PersonFactory
from workflows import services


def case_with_dossier(w: World, *, dossier_start_days_ago: int) -> Candidate:
    today = timezone.localdate()
    for _ in range(3):
        MembershipFactory(cell=w.village_cell)
    person = PersonFactory(full_name="Lục Văn Sáng", youth_union_member=False)
    case = services.case_nominate(
        person=person,
        cell=w.village_cell,
        nominated_by="cell",
        nominated_on=today - timedelta(days=500),
        by=w.secretary,
    )
    run(case, "list_sympathiser", w.secretary, {"meeting_on": today - timedelta(days=490)})
    mentor = Membership.objects.filter(cell=w.village_cell).first()
    run(case, "assign_mentors", w.secretary, {"members": [mentor], "assigned_on": today - timedelta(days=489)})
    certificate = {
        "certificate_number": "11/GCN",
        "certificate_issued_on": today - timedelta(days=170),
        "certificate_issuer": "Trung tâm Chính trị",
    }
    run(case, "propose_training", w.secretary, certificate)
    run(case, "open_dossier", w.secretary, {"confirm": True})
    fill_dossier(
        Candidate.objects.get(pk=case.pk), by=w.secretary, start=today - timedelta(days=dossier_start_days_ago)
    )
    return Candidate.objects.get(pk=case.pk)


@pytest.mark.browser_context_args(**PHONE)
def test_sent_back_to_the_course_and_forward_again_on_a_phone(
    journey_world: World, page: Page, browser: Any, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    case = case_with_dossier(w, dossier_start_days_ago=120)
    code = case.code
    run(case, "prepare_dossier", w.secretary, {"confirm": True})
    # The certificate expires while the dossier is open (it was 61 months old on the meeting day).
    AwarenessCertificate.objects.filter(person=case.person).update(
        issued_on=timezone.localdate() - timedelta(days=61 * 31)
    )
    today = timezone.localdate().strftime("%d/%m/%Y")

    log_in(page, w.secretary.username)
    page.goto(f"/app/admission/candidates/{case.pk}/")
    form = page.get_by_test_id("send-back-form")
    expect(form).to_be_visible()
    form.locator("select[name=target]").select_option("course")
    form.locator("textarea[name=reason]").fill("Giấy chứng nhận hết hạn trước ngày họp chi bộ")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "send-back-phone.png", full_page=True)
    page.get_by_test_id("send-back-submit").click()

    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.SYMPATHISER.label))
    expect(page.get_by_test_id("send-back-history")).to_contain_text("Giấy chứng nhận hết hạn")
    expect(page.get_by_test_id("case-code")).to_have_text(re.compile(re.escape(case.code)))
    page.get_by_test_id("do-step").click()

    # Forward again: a new certificate, the dossier opened again with its papers kept, then put before the meeting.
    page.wait_for_url("**/step/propose_training/")
    page.locator("input[name=certificate_number]").fill("12/GCN")
    page.locator("input[name=certificate_issued_on]").fill(today)
    page.locator("input[name=certificate_issuer]").fill("Trung tâm Chính trị")
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    page.get_by_test_id("do-step").click()
    page.wait_for_url("**/step/open_dossier/")
    page.locator("input[name=confirm]").check()
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.DOSSIER.label))
    page.get_by_test_id("do-step").click()
    page.wait_for_url("**/step/prepare_dossier/")
    page.locator("input[name=confirm]").check()
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")

    case.refresh_from_db()
    assert case.state == CandidateState.DOSSIER and case.attempt == 1
    assert [t.flow_task.name for t in services.open_tasks(case)] == ["cell_vote"]

    # The cell's meeting on the kept dossier (its papers checked again on this date), then the commune decides.
    page.get_by_test_id("do-step").click()
    page.wait_for_url("**/step/cell_vote/")
    page.locator("input[name=held_on]").fill(today)
    present = page.locator("input[name=present]")
    for box in present.all():
        box.check()
    page.locator("input[name=votes_for]").fill(str(present.count()))
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.PROPOSED.label))

    desk = browser.new_context(base_url=page.url.split("/app/")[0], locale="vi-VN")
    approver = desk.new_page()
    log_in(approver, w.approver.username)
    approver.get_by_test_id("work-row").filter(has_text="Lục Văn Sáng").locator("a").click()
    approver.wait_for_url("**/step/chain_step/")
    approver.locator("input[name=outcome][value='approve']").check()
    approver.locator("input[name=on]").fill(today)
    approver.locator("input[name=document_number]").fill("153-QĐ/ĐU")
    approver.get_by_test_id("submit-step").click()
    approver.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(approver.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.ADMITTED.label))
    desk.close()

    case.refresh_from_db()
    assert case.state == CandidateState.ADMITTED and case.attempt == 1 and case.code == code
    assert network.external == [] and network.broken_assets == []


@pytest.mark.browser_context_args(**PHONE)
def test_an_expired_cv_is_redone_from_the_dossier_page(
    journey_world: World, page: Page, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    case = case_with_dossier(w, dossier_start_days_ago=420)  # the CV was certified 395 days ago: expired

    log_in(page, w.secretary.username)
    page.goto(f"/app/admission/candidates/{case.pk}/dossier/")
    curriculum = page.locator("[data-testid=dossier-item][data-code=curriculum]")
    expect(curriculum).to_have_attribute("data-status", "expired")
    curriculum.get_by_test_id("redo-curriculum").click()
    page.wait_for_url("**/dossier/redo/curriculum/")
    page.locator("textarea[name=reason]").fill("Lý lịch đã hết hạn 12 tháng")
    assert_no_horizontal_scroll(page)
    page.get_by_test_id("dossier-submit").click()

    page.wait_for_url(re.compile(rf"/app/admission/candidates/{case.pk}/dossier/"))
    expect(page.get_by_test_id("replaced-paper")).to_have_count(1)
    expect(page.get_by_test_id("replaced-paper")).to_contain_text("Lý lịch đã hết hạn 12 tháng")
    expect(page.locator("[data-testid=dossier-item][data-code=curriculum]")).to_have_attribute(
        "data-status", "in_progress"
    )
    page.screenshot(path=screenshots_dir / "redo-cv-phone.png", full_page=True)
    kept = ReplacedPaper.objects.get(candidate=case)
    assert kept.paper == "curriculum" and kept.replaced_by == w.secretary
    assert network.external == [] and network.broken_assets == []
