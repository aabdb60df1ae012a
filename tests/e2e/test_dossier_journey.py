"""A cell secretary on a phone fills an admission dossier from nothing to complete, screen by screen: the application
with its photo, the CV with the family, the stamp across the page joins, the verification of each person (the
declared party-member mother exempt), the comment and certification, the Youth Union resolution and one introducer,
the compiled opinions. Dates are relative to the real today: the live server runs on the real clock.
"""

from __future__ import annotations

import datetime
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from admission.dossier.models import Curriculum, Introduction, MassOrgResolution, OpinionSummary
from admission.party.models.people import Membership
from admission.sourcing.models.candidates import Candidate, CandidateState
from admission.sourcing.models.training import AwarenessCertificate
from admission.sourcing.services.candidates import candidate_nominate
from tests.conftest import World
from tests.e2e.conftest import PHONE, Network
from tests.e2e.test_secretary_journey import assert_no_horizontal_scroll, log_in
from tests.factories import PersonFactory


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def vietnamese(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def submit(page: Page) -> None:
    page.get_by_test_id("dossier-submit").click()
    expect(page).to_have_url(re.compile(r"/dossier/(#.*)?$"))


def item(page: Page, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-testid=dossier-item][data-code={code}]")


@pytest.mark.browser_context_args(**PHONE)
def test_a_secretary_fills_a_dossier_to_complete_on_a_phone(
    journey_world: World, page: Page, network: Network, tmp_path: Path, screenshots_dir: Path
) -> None:
    w = journey_world
    today = datetime.date.today()
    person = PersonFactory(full_name="Lò Thị Mai", date_of_birth=datetime.date(2000, 4, 2), youth_union_member=True)
    case = candidate_nominate(
        person=person,
        cell=w.village_cell,
        nominated_by="cell",
        nominated_on=today - datetime.timedelta(days=200),
        by=w.secretary,
    )
    AwarenessCertificate.objects.create(
        person=person, number="12/CN", issued_on=today - datetime.timedelta(days=150), issuer="TTCT"
    )
    Candidate.objects.filter(pk=case.pk).update(state=CandidateState.DOSSIER)
    introducer = Membership.objects.filter(cell=w.village_cell).select_related("person").first()
    assert introducer is not None
    photo = tmp_path / "don.png"
    photo.write_bytes(_png())

    log_in(page, w.secretary.username)
    page.goto(reverse("admission:candidates:detail", args=[case.pk]))
    page.get_by_test_id("dossier-link").click()
    expect(page.get_by_test_id("dossier-verdict")).to_be_visible()
    assert_no_horizontal_scroll(page)

    # 1-KNĐ with the photo of the handwritten application; a receipt before the writing comes back with the reason.
    page.get_by_test_id("action-application").click()
    page.locator("#id_written_on").fill(d(today - datetime.timedelta(days=69)))
    page.locator("#id_received_on").fill(d(today - datetime.timedelta(days=70)))
    page.get_by_test_id("dossier-submit").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text(
        vietnamese("The application cannot be received before it was written.")
    )
    page.locator("#id_written_on").fill(d(today - datetime.timedelta(days=70)))
    page.locator("#id_received_on").fill(d(today - datetime.timedelta(days=69)))
    page.locator("#id_scan").set_input_files(photo)
    assert_no_horizontal_scroll(page)
    submit(page)
    expect(item(page, "application")).to_have_attribute("data-status", "done")

    # 2-KNĐ: the name comes from the case; father and the party-member mother, declared fully.
    page.get_by_test_id("action-curriculum").click()
    page.locator("#id_declared_on").fill(d(today - datetime.timedelta(days=60)))
    page.locator("#id_hometown").fill("Hoành Mô, Bình Liêu, Quảng Ninh")
    page.locator("#id_permanent_residence").fill("Thôn Nà Sa, xã Hoành Mô")
    page.locator("[name=relatives-0-relation]").select_option("father")
    page.locator("[name=relatives-0-full_name]").fill("Lò Văn Pấng")
    page.locator("[name=relatives-0-birth_year]").fill("1970")
    page.locator("[name=relatives-1-relation]").select_option("mother")
    page.locator("[name=relatives-1-full_name]").fill("Lường Thị Xuân")
    page.locator("[name=relatives-1-birth_year]").fill("1972")
    page.locator("[name=relatives-1-is_party_member]").check()
    page.locator("[name=relatives-1-fully_declared]").check()
    page.locator("[name=work-0-start]").fill("09/2018")
    page.locator("[name=work-0-end]").fill("06/2022")
    page.locator("[name=work-0-what]").fill("Sinh viên Trường Đại học Sư phạm Thái Nguyên")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "dossier-cv-phone.png", full_page=True)
    submit(page)
    expect(item(page, "curriculum")).to_have_attribute("data-status", "in_progress")

    # The stamp across the page joins (today), which prepares one check per person to verify.
    page.get_by_test_id("action-seal").click()
    submit(page)
    checks = page.get_by_test_id("check")
    expect(checks).to_have_count(3)
    expect(page.locator("[data-testid=check][data-subject='Lường Thị Xuân']")).to_contain_text("06-HD/TW")

    for subject in ("Lò Thị Mai", "Lò Văn Pấng"):
        block = page.locator(f"[data-testid=check][data-subject='{subject}']")
        block.get_by_test_id("action-check-request").click()
        page.locator("input[name=method][value=letter]").check()
        page.locator("#id_addressed_to").fill("Đảng ủy xã Hoành Mô")
        submit(page)
        page.locator(f"[data-testid=check][data-subject='{subject}']").get_by_test_id("action-check-reply").click()
        page.locator("input[name=result][value=clear]").check()
        submit(page)
    expect(item(page, "verification")).to_have_attribute("data-status", "done")

    page.get_by_test_id("action-certify").click()
    page.locator("#id_cell_comment").fill("Lý lịch rõ ràng, gia đình chấp hành tốt chủ trương, chính sách.")
    page.locator("#id_cell_commented_on").fill(d(today))
    page.locator("#id_committee_certification").fill("Đảng ủy xã Hoành Mô chứng nhận lý lịch đúng sự thật.")
    page.locator("#id_committee_certified_on").fill(d(today))
    submit(page)
    expect(item(page, "curriculum")).to_have_attribute("data-status", "done")

    # 4-KNĐ: the Youth Union's resolution takes the place of one introducer.
    page.get_by_test_id("action-mass-org").click()
    page.locator("input[name=kind][value=youth_union]").check()
    page.locator("#id_body_name").fill("BCH Đoàn xã Hoành Mô")
    page.locator("#id_number").fill("05-NQ/ĐTN")
    page.locator("#id_adopted_on").fill(d(today))
    submit(page)
    expect(item(page, "mass_org_resolution")).to_have_attribute("data-status", "done")

    # 3-KNĐ: one official member of the cell, together for two years.
    page.get_by_test_id("action-introduction").click()
    page.locator("#id_introducer").select_option(str(introducer.pk))
    page.locator("#id_worked_together_from").fill(d(today - datetime.timedelta(days=730)))
    submit(page)
    expect(item(page, "introductions")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("action-introduction")).to_have_count(0)

    # 5-KNĐ with one organisation consulted.
    page.get_by_test_id("action-opinions").click()
    page.locator("#id_residence_cell").fill("Chi bộ thôn Nà Sa")
    page.locator("#id_residence_opinion").fill("Gương mẫu, được nhân dân tín nhiệm.")
    page.locator("[name=orgs-0-name]").fill("Đoàn thanh niên xã Hoành Mô")
    page.locator("[name=orgs-0-participants]").fill("25")
    page.locator("[name=orgs-0-strengths]").fill("Nhiệt tình, trách nhiệm.")
    submit(page)

    expect(page.locator("[data-testid=dossier-item][data-status=done]")).to_have_count(7)
    expect(page.get_by_test_id("dossier-verdict")).to_contain_text(d(today))
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshots_dir / "dossier-phone.png", full_page=True)

    cv = Curriculum.objects.get(candidate=case)
    assert cv.committee_certified_on == today and cv.relatives.count() == 2
    assert Introduction.objects.get(candidate=case).introducer == introducer
    assert MassOrgResolution.objects.get(candidate=case).number == "05-NQ/ĐTN"
    assert OpinionSummary.objects.get(candidate=case).organisations[0]["participants"] == 25
    assert network.external == [], f"the UI loads from other hosts: {network.external}"
    assert network.broken_assets == [], f"assets failed to load: {network.broken_assets}"
