"""A candidate follows their case on a phone; then anyone holding the receipt looks the stage up without a login."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.services import pin_issue
from tests.conftest import World
from tests.e2e.conftest import PASSWORD, PHONE, Network
from tests.e2e.test_secretary_journey import assert_no_horizontal_scroll
from tests.portal.conftest import nominate, to_dossier

PIN = "246810"


@pytest.mark.browser_context_args(**PHONE)
def test_a_candidate_follows_their_case_and_the_receipt_looks_it_up(
    journey_world: World, page: Page, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    case = to_dossier(nominate(w, user=w.candidate_user, full_name="Lò Thị Mai"), w)
    pin_issue(candidate=case, by=w.secretary, pin=PIN)

    # A candidate's login lands on their own page, not on the units' home.
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(w.candidate_user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.vf-form button[type=submit]").click()
    page.wait_for_url("**/ho-so-cua-toi/")
    expect(page.get_by_test_id("case-code")).to_have_text(case.code)
    expect(page.locator("[data-testid=stage][data-status=current]")).to_have_attribute("data-state", "dossier")
    expect(page.locator("[data-testid=stage][data-status=done]")).to_have_count(4)
    expect(page.locator("[data-testid=your-item][data-code=application]")).to_have_attribute("data-status", "missing")
    # The application draft to copy by hand: made on request (immediately in tests), then downloaded.
    page.locator("[data-testid=document][data-form='1-KNĐ'] [data-testid=document-prepare]").click()
    download_link = page.locator("[data-testid=document][data-form='1-KNĐ'] [data-testid=document-download]")
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == f"{case.code}-1-knd.pdf"
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "portal-phone.png", full_page=True)

    page.context.clear_cookies()
    page.goto(f"/tra-cuu/?ma={case.code}")
    expect(page.locator("input[name=ma]")).to_have_value(case.code)
    page.locator("input[name=pin]").fill("999999")
    page.get_by_test_id("lookup-submit").click()
    expect(page.get_by_test_id("lookup-failed")).to_be_visible()
    expect(page.locator("input[name=ma]")).to_have_value(case.code)  # refilled by the browser, not by the server
    page.locator("input[name=pin]").fill(PIN)
    page.get_by_test_id("lookup-submit").click()
    expect(page.get_by_test_id("lookup-stage")).to_be_visible()
    assert "Lò Thị Mai" not in page.content()
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "lookup-phone.png", full_page=True)
    assert network.external == [] and network.broken_assets == []
