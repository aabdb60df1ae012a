"""Re-admission and guests in the browser: a secretary nominates a former member whose waiting period has not run
(the eligibility check says from when), then one who left long ago and records the provincial consent (every
re-admission rule passes); and a border-guard member, a guest of the cell, is on the vote's roster, marked as a
guest, and the vote is counted without them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from admission.decisions.models.meetings import Attendance, Vote
from admission.party.models.orgs import OrgKind
from admission.party.services.guests import guest_record
from admission.rules.compute import add_months
from admission.sourcing.models.candidates import Candidate
from tests.conftest import World
from tests.e2e.conftest import PHONE, Network
from tests.e2e.test_admission_journey import case_ready_for_the_vote
from tests.e2e.test_secretary_journey import assert_no_horizontal_scroll, log_in
from tests.factories import MembershipFactory, PersonFactory, citizen_id_for, make_org

READMISSION_RULES = ("readmission_reason", "readmission_once", "readmission_wait", "readmission_consent")


def nominate_former_member(page: Page, *, name: str, citizen_id: str, dob: str, left_on: Any, how_left: str) -> None:
    page.goto("/app/admission/candidates/nominate/")
    page.locator("input[name=full_name]").fill(name)
    page.locator("input[name=citizen_id]").fill(citizen_id)
    page.locator("input[name=date_of_birth]").fill(dob)
    page.locator("select[name=sex]").select_option("male")
    page.locator("select[name=nominated_by]").select_option("cell")
    # Most people were never members: the earlier-membership fields stay folded until the secretary opens them.
    expect(page.locator("input[name=earlier_admitted_on]")).to_be_hidden()
    page.get_by_test_id("earlier-membership").locator("summary").click()
    page.locator("input[name=earlier_admitted_on]").fill("19/05/2005")
    page.locator("input[name=earlier_official_on]").fill("19/05/2006")
    page.locator("input[name=earlier_left_on]").fill(left_on.strftime("%d/%m/%Y"))
    page.locator("select[name=earlier_how_left]").select_option(how_left)
    assert_no_horizontal_scroll(page)
    page.locator("form.kn-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/app/admission/candidates/\d+/$"))


def rule(page: Page, code: str) -> Any:
    return page.locator(f"[data-testid=rule-row][data-rule={code}]")


@pytest.mark.browser_context_args(**PHONE)
def test_a_secretary_nominates_two_former_members_one_waiting_one_with_consent(
    journey_world: World, page: Page, network: Network
) -> None:
    w = journey_world
    today = timezone.localdate()
    log_in(page, w.secretary.username)

    # Left a year ago: the 36 months have not run; the check names the day the wait ends and the rule's source.
    recent = today - timedelta(days=365)
    nominate_former_member(
        page,
        name="Hoàng Văn Chờ",
        citizen_id=citizen_id_for(today.replace(year=1980, month=4, day=4), "male"),
        dob="04/04/1980",
        left_on=recent,
        how_left="removed",
    )
    waiting = Candidate.objects.get(person__full_name="Hoàng Văn Chờ")
    assert waiting.is_readmission
    expect(page.get_by_test_id("earlier-memberships")).to_contain_text(recent.strftime("%d/%m/%Y"))
    expect(rule(page, "readmission_wait")).to_have_attribute("data-passed", "false")
    expect(rule(page, "readmission_wait")).to_contain_text(add_months(recent, 36).strftime("%d/%m/%Y"))
    expect(rule(page, "readmission_wait")).to_contain_text("294-QĐ/TW")
    expect(rule(page, "readmission_consent")).to_have_attribute("data-passed", "false")

    # Left in 2019 for family reasons: the wait has run; the consent is what is missing, then recorded.
    nominate_former_member(
        page,
        name="Lý Văn Về",
        citizen_id=citizen_id_for(today.replace(year=1978, month=6, day=6), "male"),
        dob="06/06/1978",
        left_on=today.replace(year=2019, month=1, day=10),
        how_left="family_reasons",
    )
    accepted = Candidate.objects.get(person__full_name="Lý Văn Về")
    expect(rule(page, "readmission_wait")).to_have_attribute("data-passed", "true")
    expect(rule(page, "readmission_consent")).to_have_attribute("data-passed", "false")
    page.get_by_test_id("admission-actions").locator("summary").first.click()
    page.locator("select[name=kind]").select_option("readmission")
    page.locator("input[name=reference]").fill("125-CV/TU")
    page.locator("input[name=granted_on]").fill(today.strftime("%d/%m/%Y"))
    page.locator("input[name=granted_by]").fill("Ban Thường vụ Tỉnh ủy")
    page.get_by_test_id("record-consent").click()
    page.wait_for_url(f"**/app/admission/candidates/{accepted.pk}/")
    for code in READMISSION_RULES:
        expect(rule(page, code)).to_have_attribute("data-passed", "true")
    assert accepted.consents.filter(kind="readmission").exists()

    # A category never re-admitted: the nomination is refused and nothing is opened.
    nominate_page = "/app/admission/candidates/nominate/"
    page.goto(nominate_page)
    page.locator("input[name=full_name]").fill("Đinh Văn Không")
    page.locator("input[name=citizen_id]").fill(citizen_id_for(today.replace(year=1975, month=2, day=2), "male"))
    page.locator("input[name=date_of_birth]").fill("02/02/1975")
    page.locator("select[name=sex]").select_option("male")
    page.locator("select[name=nominated_by]").select_option("cell")
    # Most people were never members: the earlier-membership fields stay folded until the secretary opens them.
    expect(page.locator("input[name=earlier_admitted_on]")).to_be_hidden()
    page.get_by_test_id("earlier-membership").locator("summary").click()
    page.locator("input[name=earlier_admitted_on]").fill("19/05/2000")
    page.locator("input[name=earlier_left_on]").fill("19/05/2010")
    page.locator("select[name=earlier_how_left]").select_option("expelled_corruption")
    page.locator("form.kn-form button[type=submit]").click()
    expect(page.locator(".kn-alert, .kn-error").first).to_be_visible()
    assert not Candidate.objects.filter(person__full_name="Đinh Văn Không").exists()
    assert network.broken_assets == []


@pytest.mark.browser_context_args(**PHONE)
def test_a_guest_is_on_the_vote_roster_and_is_not_counted(journey_world: World, page: Page, network: Network) -> None:
    w = journey_world
    case = case_ready_for_the_vote(w)  # six official members: four votes are two thirds
    post = make_org(OrgKind.GRASSROOTS_CELL, w.other_commune, name="Chi bộ Đồn Biên phòng")
    guard = MembershipFactory(cell=post, person=PersonFactory(full_name="Lò Văn Biên"))
    guest_record(
        membership=guard,
        host_cell=w.village_cell,
        starts_on=timezone.localdate() - timedelta(days=30),
        reason="Đồn biên phòng đóng trên địa bàn thôn",
        by=w.secretary,
    )
    log_in(page, w.secretary.username)
    page.goto(f"/app/admission/candidates/{case.pk}/step/cell_vote/")
    guest_row = page.get_by_test_id("roster-guest")
    expect(guest_row).to_have_count(1)
    expect(guest_row).to_contain_text("Lò Văn Biên")
    expect(guest_row).to_contain_text("Chi bộ Đồn Biên phòng")
    assert_no_horizontal_scroll(page)
    page.locator("input[name=held_on]").fill(timezone.localdate().strftime("%d/%m/%Y"))
    for box in page.locator("input[name=present]").all():
        box.check()
    page.locator("input[name=votes_for]").fill("4")
    page.locator("input[name=votes_against]").fill("0")
    page.get_by_test_id("submit-step").click()
    page.wait_for_url(f"**/app/admission/candidates/{case.pk}/")
    vote = Vote.objects.get(candidate=case)
    assert (vote.denominator, vote.needed, vote.passed) == (6, 4, True)
    assert Attendance.objects.get(meeting=vote.meeting, membership=guard).guest
    assert network.broken_assets == []
