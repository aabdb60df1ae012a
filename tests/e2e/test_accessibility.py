"""Accessibility, checked by the tests (issue 12, points 5 and 6): axe-core on every main page at desktop (1280×800)
and phone (390×844) width, and on a phone the phone-first rules (targets, text size, badge contrast, forms that fit).
Goal: no critical and no serious finding; a failure lists page, width, rule and element.

The pages are those of the demo province (`seed_demo`, `seed_demo_cases`, then `notify_scan` for the notifications),
seen by the people who use them: the cell secretary `bithu.nasa`, the commune approver `btv.hoanhmo`, the candidate
`ungvien.nasa`, and anyone for the login page, the public lookup and the accessibility statement.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from admission.party.permissions import today
from admission.sourcing.models.candidates import Candidate
from demo.portal import DEMO_LOGIN, DEMO_PIN
from demo.province.logins import PASSWORD as DEMO_PASSWORD
from demo.province.orgs import HOANH_MO, NA_SA
from tests.conftest import World
from tests.e2e.a11y import BLOCKING, DESKTOP, Finding, axe_run, phone_rules, state_colours
from tests.e2e.conftest import PHONE, Network
from tests.e2e.test_admission_journey import case_ready_for_the_vote
from tests.e2e.test_secretary_journey import log_in
from workflows.models import WorkItem

SECRETARY = "bithu.nasa"
APPROVER = "btv.hoanhmo"
WIDTHS: dict[str, dict[str, Any]] = {"desktop": DESKTOP, "phone": PHONE}


@dataclass
class Tour:
    """Who looks at which page: (name, path) per login, None for the pages anyone sees."""

    pages: dict[str | None, list[tuple[str, str]]]
    # On these pages an overdue step is shown, so its mark must be there too.
    overdue: dict[str, str] = field(default_factory=dict)


def _case_at(node: str, org_code: str, *, overdue: bool | None = None) -> Candidate:
    items = WorkItem.objects.filter(node=node, org__code=org_code).order_by("due_on", "pk")
    if overdue is not None:
        items = items.filter(due_on__lt=today()) if overdue else items.filter(due_on__gte=today())
    item = items.select_related("candidate").first()
    assert item is not None, f"the demo has no case waiting at {node} for {org_code}"
    return item.candidate


@pytest.fixture
def demo_tour(transactional_db: None, django_db_serialized_rollback: None, seeded: None, settings: Any) -> Tour:
    # The approvers' second factor has its own pages and tests (templates/accounts/); here they would stand between
    # the approver and every page of the tour.
    settings.TWO_FACTOR_ROLES = []
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo_cases", stdout=io.StringIO())
    call_command("notify_scan", stdout=io.StringIO())
    vote = _case_at("cell_vote", NA_SA)
    recognition = _case_at("recognition_vote", NA_SA)
    decision = _case_at("chain_step", HOANH_MO)
    ceremony_late = _case_at("ceremony", NA_SA, overdue=True)
    probationer = Candidate.objects.filter(cell__code=NA_SA, probation__isnull=False, state="probationary").first()
    assert probationer is not None
    case = "/app/admission/candidates/{}/"
    return Tour(
        pages={
            None: [
                ("login", "/accounts/login/"),
                ("lookup", "/tra-cuu/"),
                ("statement", "/kha-nang-tiep-can/"),
            ],
            SECRETARY: [
                ("work page (cell secretary)", "/app/admission/home/"),
                ("case list", "/app/admission/candidates/"),
                ("case page", case.format(vote.pk)),
                ("step: cell vote", case.format(vote.pk) + "step/cell_vote/"),
                ("step: recognition vote", case.format(recognition.pk) + "step/recognition_vote/"),
                ("dossier", case.format(vote.pk) + "dossier/"),
                ("probation", case.format(probationer.pk) + "probation/"),
                ("forms and PDF", case.format(vote.pk) + "documents/"),
                ("case page, ceremony overdue", case.format(ceremony_late.pk)),
                ("notification centre", "/app/notifications/inbox/"),
                ("deadline board", "/app/notifications/board/"),
            ],
            APPROVER: [
                ("work page (commune approver)", "/app/admission/home/"),
                ("step: committee decision", case.format(decision.pk) + "step/chain_step/"),
                ("reports", "/app/admission/reports/"),
            ],
            DEMO_LOGIN: [("candidate's own page", "/ho-so-cua-toi/")],
        },
        overdue={
            "case page, ceremony overdue": "[data-testid=step-overdue], [data-testid=ceremony-overdue]",
            "step: recognition vote": "[data-testid=step-due] .kn-due--late",
            "deadline board": "[data-testid=board-row] .kn-late",
        },
    )


def _log_in_demo(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form.vf-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def _check(page: Page, tour: Tour, name: str, width: str) -> list[Finding]:
    found = axe_run(page, name=name, width=width)
    if width == "phone":
        found += phone_rules(page, name=name)
    # No outcome chosen in advance: a vote, a decision or a closing is the user's choice.
    for radio in page.locator("input[type=radio]:checked").all():
        found.append(Finding(name, width, "outcome-preselected", "serious", radio.evaluate("n => n.outerHTML")))
    selector = tour.overdue.get(name)
    if selector and page.locator(selector).count() == 0:
        found.append(Finding(name, width, "overdue-not-marked", "serious", selector))
    return found


def test_every_main_page_has_no_critical_or_serious_finding_at_desktop_and_phone_width(
    demo_tour: Tour, browser: Browser, live_server: Any, screenshots_dir: Path
) -> None:
    findings: list[Finding] = []
    visited: list[str] = []
    colours: dict[str, set[str]] = {}
    for width, size in WIDTHS.items():
        for login, pages in demo_tour.pages.items():
            # The pages carry a strict Content-Security-Policy; the test's own axe-core is let in (bypass_csp).
            context = browser.new_context(base_url=live_server.url, locale="vi-VN", bypass_csp=True, **size)
            page = context.new_page()
            if login is not None:
                _log_in_demo(page, login)
            for name, path in pages:
                response = page.goto(path)
                assert response is not None and response.status == 200, f"{name}: {path} answered {response}"
                page.wait_for_load_state("networkidle")
                findings += _check(page, demo_tour, name, width)
                visited.append(f"{width}: {name}")
                if name == "case list":
                    for family, seen in state_colours(page).items():
                        colours.setdefault(family, set()).update(seen)
                if name == "lookup":  # the lookup's answer is a page of its own
                    code = Candidate.objects.filter(person__user__username=DEMO_LOGIN).latest("pk").code
                    page.locator("input[name=ma]").fill(code)
                    page.locator("input[name=pin]").fill(DEMO_PIN)
                    page.get_by_test_id("lookup-submit").click()
                    expect(page.get_by_test_id("lookup-stage")).to_be_visible()
                    findings += _check(page, demo_tour, "lookup answer", width)
                    visited.append(f"{width}: lookup answer")
            context.close()

    blocking = [f for f in findings if f.impact in BLOCKING]
    others = [f for f in findings if f.impact not in BLOCKING]
    print(f"\naccessibility: {len(visited)} page views, {len(blocking)} critical/serious, {len(others)} other findings")
    for finding in others:
        print(f"  (not blocking) {finding}")
    assert not blocking, "accessibility findings:\n" + "\n".join(str(f) for f in blocking)
    assert len(visited) == 2 * (sum(len(p) for p in demo_tour.pages.values()) + 1)

    # Case states: one colour per family, and no two families alike (a good and a bad outcome above all).
    assert {"open", "good", "bad"} <= colours.keys(), f"the demo's case list lacks a family: {colours}"
    assert all(len(seen) == 1 for seen in colours.values()), colours
    assert len({next(iter(seen)) for seen in colours.values()}) == len(colours), colours


@pytest.mark.browser_context_args(**PHONE)
def test_on_a_phone_the_waiting_step_and_its_button_are_on_the_first_screen(
    journey_world: World, page: Page, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    case = case_ready_for_the_vote(w)
    log_in(page, w.secretary.username)
    page.goto(f"/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("next-steps")).to_contain_text(w.village_cell.name)
    button = page.get_by_test_id("do-step")
    box = button.bounding_box()
    assert box is not None
    screen = cast(dict[str, int], PHONE["viewport"])
    assert box["y"] + box["height"] <= screen["height"], f"the step's button ends at {box}"
    assert box["height"] >= 44 and box["width"] >= 44, box
    page.screenshot(path=screenshots_dir / "case-first-screen-phone.png")
    # The accessibility statement is one tap away on every page.
    page.get_by_test_id("accessibility-link").click()
    page.wait_for_url("**/kha-nang-tiep-can/")
    expect(page.get_by_test_id("target")).to_contain_text(re.compile(r"WCAG\)? 2\.2"))
    assert network.external == [] and network.broken_assets == []
