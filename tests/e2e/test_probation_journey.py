"""A cell secretary on a phone opens a probationary member's page from the case page, reads the official date and the
party-age date, records the new-member course certificate (a date before the ceremony comes back with the reason)
and the compiled opinions (12-KNĐ) with one organisation consulted, and sees the dossier checklist follow. Dates are
relative to the real today: the live server runs on the real clock.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from admission.probation.models import NewMemberCertificate, ProbationOpinions
from tests.admission.probation.helpers import probationer
from tests.conftest import World
from tests.e2e.conftest import PHONE, Network
from tests.e2e.test_secretary_journey import assert_no_horizontal_scroll, log_in


def vietnamese(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def check(page: Page, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-testid=dossier-check][data-code={code}]")


def submit(page: Page) -> None:
    page.get_by_test_id("probation-submit").click()
    expect(page).to_have_url(re.compile(r"/probation/(#.*)?$"))


@pytest.mark.browser_context_args(**PHONE)
def test_a_secretary_records_the_certificate_and_the_opinions_on_a_phone(
    journey_world: World, page: Page, network: Network, screenshots_dir: Path
) -> None:
    w = journey_world
    today = datetime.date.today()
    decided = today - datetime.timedelta(days=320)
    probation = probationer(w, decided_on=decided, ceremony_on=today - datetime.timedelta(days=300))
    case = probation.candidate

    log_in(page, w.secretary.username)
    page.goto(reverse("admission:candidates:detail", args=[case.pk]))
    page.get_by_test_id("probation-link").click()
    expect(page.get_by_test_id("official-date")).to_contain_text(d(probation.ends_on))
    expect(page.get_by_test_id("party-age-date")).to_contain_text(d(decided))
    expect(page.get_by_test_id("probation-status")).to_have_text(vietnamese("Probation running"))
    expect(check(page, "certificate")).to_have_attribute("data-done", "false")
    assert_no_horizontal_scroll(page)

    # The certificate: dated before the ceremony, it comes back with the reason; then the right date.
    page.get_by_test_id("action-certificate").click()
    page.locator("#id_number").fill("88/CN-TTCT")
    page.locator("#id_issued_on").fill(d(probation.starts_on - datetime.timedelta(days=1)))
    page.locator("#id_issuer").fill("Trung tâm Chính trị huyện Bình Liêu")
    page.get_by_test_id("probation-submit").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text(
        vietnamese("The certificate must be dated between the ceremony and today.")
    )
    page.locator("#id_issued_on").fill(d(today - datetime.timedelta(days=30)))
    assert_no_horizontal_scroll(page)
    submit(page)
    expect(check(page, "certificate")).to_have_attribute("data-done", "true")
    expect(page.get_by_test_id("certificate-record")).to_contain_text("88/CN-TTCT")

    # 12-KNĐ: the residence cell's opinion and one organisation where the member works (two empty lines offered).
    page.get_by_test_id("action-opinions").click()
    expect(page.get_by_test_id("row-organisations")).to_have_count(2)
    page.locator("#id_residence_cell").fill("Chi bộ thôn Nà Sa")
    page.locator("#id_residence_opinion").fill("Gương mẫu, được nhân dân nơi cư trú tín nhiệm.")
    page.locator("[name=orgs-0-name]").fill("Đoàn thanh niên xã Hoành Mô")
    page.locator("[name=orgs-0-participants]").fill("25")
    page.locator("[name=orgs-0-strengths]").fill("Nhiệt tình, trách nhiệm.")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "probation-opinions-phone.png", full_page=True)
    submit(page)
    expect(check(page, "opinions")).to_have_attribute("data-done", "true")
    expect(page.get_by_test_id("opinions-record")).to_contain_text("Đoàn thanh niên xã Hoành Mô")
    expect(page.get_by_test_id("official-date")).to_contain_text(d(probation.ends_on))
    expect(page.get_by_test_id("dossier-missing")).to_be_visible()  # 10-KNĐ and 11-KNĐ still to come
    assert_no_horizontal_scroll(page)

    # The "saved" snackbar floats over the page: keep it out of the screenshot.
    page.locator("vf-snackbar").evaluate_all("nodes => nodes.forEach(node => node.remove())")
    page.screenshot(path=screenshots_dir / "probation-phone.png", full_page=True)

    assert NewMemberCertificate.objects.get(probation=probation).issued_on == today - datetime.timedelta(days=30)
    assert ProbationOpinions.objects.get(probation=probation).organisations[0]["participants"] == 25
    assert network.external == [], f"the UI loads from other hosts: {network.external}"
    assert network.broken_assets == [], f"assets failed to load: {network.broken_assets}"
