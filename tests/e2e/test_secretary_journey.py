"""A cell secretary's first visit, in a real browser: log in, see their role and cell, see only their own units.

The data is `world` of tests/conftest.py: the secretary holds a role at "Chi bộ thôn Nà Sa" (commune Hoành Mô);
"Chi bộ thôn Khe Tiền" belongs to another commune and must not exist for them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from admission.party.models.roles import RoleKind
from tests.conftest import World
from tests.e2e.a11y import PRIMARY_MIN, phone_rules
from tests.e2e.conftest import PASSWORD, PHONE, SECOND_FACTOR_URL, Network, pass_second_factor

HOME = "/app/admission/home/"
ORGS = "/app/admission/orgs/"


def log_in(page: Page, username: str) -> None:
    """Viewflow's login form (Django's AuthenticationForm); LOGIN_REDIRECT_URL is "/", which redirects to home. Those
    who approve or decide pass the second factor on the way (tests/e2e/conftest.py: pass_second_factor)."""
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.vf-form button[type=submit]").click()
    page.wait_for_url(lambda url: HOME in url or SECOND_FACTOR_URL.search(url) is not None)
    pass_second_factor(page, username)
    page.wait_for_url(f"**{HOME}")


def vietnamese(label: Any) -> str:
    with translation.override("vi"):
        return str(label)


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, f"the page scrolls sideways: scrollWidth {widths[0]} > innerWidth {widths[1]}"


def test_a_cell_secretary_sees_their_role_and_only_their_own_cell(
    journey_world: World, page: Page, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    log_in(page, w.secretary.username)

    role_row = page.get_by_test_id("role-row")
    expect(role_row).to_have_count(1)
    expect(role_row).to_contain_text(vietnamese(RoleKind.CELL_SECRETARY.label))
    expect(role_row).to_contain_text(w.village_cell.name)
    page.screenshot(path=screenshots_dir / "secretary-home-desktop.png", full_page=True)

    page.locator(f"a[href='{ORGS}']").first.click()
    expect(page).to_have_url(re.compile(f"{ORGS}$"))
    rows = page.get_by_test_id("org-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(w.village_cell.name)
    content = page.content()
    for foreign in (w.other_cell, w.other_commune, w.cell, w.agency_cell):
        assert foreign.name not in content, f"{foreign.name} leaks into the secretary's org list"

    response = page.goto(f"{ORGS}{w.other_cell.pk}/")
    assert response is not None
    assert response.status == 404
    assert w.other_cell.name not in page.content()

    assert network.external == [], f"the UI loads from other hosts: {network.external}"
    assert network.broken_assets == [], f"assets failed to load: {network.broken_assets}"


@pytest.mark.browser_context_args(**PHONE)
def test_on_a_phone_the_org_list_fits_the_screen(
    journey_world: World, page: Page, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    log_in(page, w.secretary.username)
    assert_no_horizontal_scroll(page)

    # On a phone the menu is a drawer behind the top bar's button.
    menu_link = page.locator(f"a[href='{ORGS}']").first
    expect(menu_link).not_to_be_in_viewport()
    page.locator("button.mdc-top-app-bar__navigation-icon").click()
    menu_link.click()
    expect(page).to_have_url(re.compile(f"{ORGS}$"))

    cell_link = page.get_by_role("link", name=w.village_cell.name)
    expect(cell_link).to_be_visible()
    expect(cell_link).to_be_in_viewport()
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "secretary-orgs-phone.png", full_page=True)

    assert network.external == [], f"the UI loads from other hosts: {network.external}"
    assert network.broken_assets == [], f"assets failed to load: {network.broken_assets}"


@pytest.mark.browser_context_args(**PHONE)
def test_on_a_phone_a_long_queue_is_turned_page_by_page_with_links_tall_enough_to_tap(
    journey_world: World, page: Page, network: Network
) -> None:
    """51 open steps: 50 on the first page, the summary counts all 51, the pager's links are 44 px tall targets."""
    from admission.party import permissions
    from tests.factories import PersonFactory
    from workflows import services
    from workflows.worklist import WORK_PAGE_SIZE

    w = journey_world
    today = permissions.today()
    for _ in range(WORK_PAGE_SIZE + 1):
        services.case_nominate(
            person=PersonFactory(), cell=w.village_cell, nominated_by="cell", nominated_on=today, by=w.secretary
        )
    log_in(page, w.secretary.username)
    expect(page.get_by_test_id("work-row")).to_have_count(WORK_PAGE_SIZE)
    expect(page.get_by_test_id("work-summary")).to_contain_text("51")
    pager = page.get_by_test_id("work-pager")
    expect(pager).to_contain_text("Trang 1/2")
    next_link = pager.get_by_role("link", name="Trang sau")
    next_link.scroll_into_view_if_needed()
    box = next_link.bounding_box()
    assert box is not None and box["height"] >= PRIMARY_MIN, box
    assert phone_rules(page, name="work page, page 1") == []
    assert_no_horizontal_scroll(page)

    next_link.click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.get_by_test_id("work-row")).to_have_count(1)
    expect(page.get_by_test_id("work-summary")).to_contain_text("51")
    expect(pager.get_by_role("link", name="Trang trước")).to_be_visible()
    assert network.broken_assets == [], f"assets failed to load: {network.broken_assets}"
