"""An approver's first sign-in, in the browser: the password alone leads to the second factor before any page;
the approver sets up an authenticator from the key the page shows (the test computes the app's code from it),
keeps the recovery codes, reaches the work page and decides a case. Every page keeps the Content-Security-Policy:
no inline script is blocked on the way (tests/e2e/conftest.py: `network`)."""

from __future__ import annotations

import base64
from pathlib import Path

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.conftest import World
from tests.e2e.conftest import PASSWORD, Network, totp_code
from tests.e2e.test_admission_journey import case_ready_for_the_vote, run
from tests.e2e.test_secretary_journey import HOME, log_in, vietnamese
from tests.workflows.test_admission_flow import vote_data


def test_an_approver_sets_up_the_second_factor_before_any_page_and_then_decides_a_case(
    journey_world: World, page: Page, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    case = case_ready_for_the_vote(w)
    data = vote_data(w.village_cell, 5)
    run(case, "cell_vote", w.secretary, {**data, "held_on": timezone.localdate()})
    today = timezone.localdate().strftime("%d/%m/%Y")

    # The password alone: the second factor's setup comes first, and no other page opens before it is done.
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(w.approver.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.vf-form button[type=submit]").click()
    page.wait_for_url("**/accounts/security/authenticator/?next=*")
    for address in ("/admin/", f"/app/admission/candidates/{case.pk}/", HOME):  # the last one is where it goes on
        page.goto(address)
        expect(page.get_by_test_id("setup-form")).to_be_visible()
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    page.screenshot(path=screenshots_dir / "approver-second-factor-setup.png", full_page=True)

    # The key as the phone app reads it; a wrong code first, then the app's code.
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.locator("input[name=code]").fill("000000")
    page.get_by_test_id("setup-submit").click()
    expect(page.get_by_test_id("code-error")).to_be_visible()
    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    page.locator("input[name=code]").fill(totp_code(base64.b32decode("".join(secret.split()))))
    page.get_by_test_id("setup-submit").click()
    expect(page.get_by_test_id("recovery-codes").locator("code")).to_have_count(10)
    assert TOTPDevice.objects.get(user=w.approver).confirmed
    page.get_by_test_id("continue").click()
    page.wait_for_url(f"**{HOME}")

    # The decision, from the work page.
    row = page.get_by_test_id("work-row").filter(has_text="Hoàng Thị Mến")
    expect(row).to_contain_text("9-KNĐ")
    row.locator("a").click()
    page.wait_for_url("**/step/chain_step/")
    page.locator("input[name=outcome][value='approve']").check()
    page.locator("input[name=on]").fill(today)
    page.locator("input[name=document_number]").fill("153-QĐ/ĐU")
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.ADMITTED.label))
    assert Candidate.objects.get(pk=case.pk).state == CandidateState.ADMITTED
    assert network.csp_violations == []
    assert network.external == [] and network.broken_assets == []


def test_the_public_lookup_and_the_charts_run_under_the_policy(
    journey_world: World, page: Page, network: Network
) -> None:
    """The pages whose scripts moved out of the templates: the lookup refills the code, the charts draw."""
    page.goto("/tra-cuu/?ma=KN-2026-000001")
    page.locator("input[name=pin]").fill("123456")
    page.get_by_test_id("lookup-submit").click()
    expect(page.get_by_test_id("lookup-failed")).to_be_visible()
    expect(page.locator("input[name=ma]")).to_have_value("KN-2026-000001")  # refilled by ketnap/lookup-code.js
    log_in(page, journey_world.approver.username)
    page.goto(f"/app/admission/reports/?org={journey_world.commune.pk}")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('kn-monthly'))")
    assert network.csp_violations == []
    assert network.external == [] and network.broken_assets == []
