"""A cell secretary on a phone opens a case for a nominated person and puts them on the sympathiser list.

The journey goes through the real screens: the nomination form, the case page's "Do this step" button (which takes
the task and opens its form), the step form, and the case page again with the new state and the next step.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from admission.sourcing.models.candidates import Candidate, CandidateState
from tests.conftest import World
from tests.e2e.conftest import PHONE, Network
from tests.e2e.test_secretary_journey import assert_no_horizontal_scroll, log_in, vietnamese


@pytest.mark.browser_context_args(**PHONE)
def test_a_secretary_nominates_a_person_and_lists_them_on_a_phone(
    journey_world: World, page: Page, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    log_in(page, w.secretary.username)
    page.goto("/app/admission/candidates/")
    page.get_by_test_id("nominate").click()
    page.locator("input[name=full_name]").fill("lò   thị mai")
    page.locator("input[name=citizen_id]").fill("022 300 990 123")
    page.locator("input[name=date_of_birth]").fill("04/05/2000")
    page.locator("select[name=sex]").select_option("female")
    page.locator("select[name=ethnicity]").select_option("02")
    page.locator("select[name=education]").select_option("upper_secondary")
    page.locator("select[name=nominated_by]").select_option("youth_union")
    assert_no_horizontal_scroll(page)
    page.locator("form.kn-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/app/admission/candidates/\d+/$"))  # the new case, not the nomination form
    case = Candidate.objects.get()
    assert case.person.full_name == "Lò Thị Mai"
    expect(page.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.NOMINATED.label))
    expect(page.get_by_test_id("next-steps")).to_be_visible()
    page.get_by_test_id("do-step").click()

    page.wait_for_url("**/step/list_sympathiser/")
    today = timezone.localdate().strftime("%d/%m/%Y")
    page.locator("input[name=meeting_on]").fill(today)
    page.locator("textarea[name=note]").fill("Chi bộ họp, thống nhất 100%")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "secretary-step-phone.png", full_page=True)
    page.get_by_test_id("submit-step").click()

    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text(vietnamese(CandidateState.SYMPATHISER.label))
    expect(page.get_by_test_id("next-steps")).to_be_visible()  # the next step (helpers) is already waiting
    page.screenshot(path=screenshots_dir / "secretary-case-phone.png", full_page=True)
    assert network.external == [] and network.broken_assets == []


def test_a_wrong_citizen_id_is_explained_and_nothing_is_saved(
    journey_world: World, page: Page, network: Network
) -> None:
    w = journey_world
    log_in(page, w.secretary.username)
    page.goto("/app/admission/candidates/nominate/")
    page.locator("input[name=full_name]").fill("Lò Thị Mai")
    page.locator("input[name=citizen_id]").fill("02230099012")
    page.locator("input[name=date_of_birth]").fill("04/05/2000")
    page.locator("select[name=sex]").select_option("female")
    page.locator("select[name=nominated_by]").select_option("cell")
    page.locator("form.kn-form button[type=submit]").click()
    expect(page.locator(".kn-alert, .kn-error").first).to_be_visible()
    assert not Candidate.objects.exists()
    assert network.broken_assets == []
