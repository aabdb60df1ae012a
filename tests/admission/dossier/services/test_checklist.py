"""The dossier's checklist on a date: each document's status and validity, pinned at its boundary (valid the day
before it expires, expired on the day), and records dated after the checklist's date not there yet."""

from __future__ import annotations

import pytest

from admission.dossier.checklist import dossier_checklist, dossier_complete
from tests.admission.dossier.services.helpers import TODAY, D, full_dossier, items, make_case, record_application

pytestmark = pytest.mark.usefixtures("frozen_today")


def test_a_new_dossier_shows_the_valid_certificate_and_everything_else_missing(case):
    checklist = dossier_checklist(case, TODAY)
    assert [i.code for i in checklist] == [
        "certificate",
        "application",
        "curriculum",
        "verification",
        "introductions",
        "opinions",
    ]
    assert [i.status for i in checklist] == ["done", "missing", "missing", "missing", "missing", "missing"]
    certificate = checklist[0]
    assert (certificate.form, certificate.date, certificate.valid_until, certificate.expires_on) == (
        "CN-NTVĐ",
        D(2025, 10, 10),
        D(2030, 10, 9),
        D(2030, 10, 10),
    )
    assert not dossier_complete(case, TODAY)


def test_the_certificate_is_valid_the_day_before_sixty_months_and_expired_on_the_day(world):
    case = make_case(world, certificate_on=D(2021, 7, 1))
    assert items(case, D(2026, 6, 30))["certificate"].status == "done"
    expired = items(case, D(2026, 7, 1))["certificate"]
    assert expired.status == "expired"
    assert "01/07/2026" in expired.reason and "attend the course again" in expired.reason


def test_a_complete_dossier_is_complete_until_its_first_document_expires(case, world):
    full_dossier(case, world)
    checklist = items(case, TODAY)
    assert {code: i.status for code, i in checklist.items()} == dict.fromkeys(checklist, "done")
    assert dossier_complete(case, TODAY)
    # The CV was certified on 05/03/2026: valid 12 months, so until 04/03/2027 inclusive.
    assert (checklist["curriculum"].valid_until, checklist["curriculum"].expires_on) == (D(2027, 3, 4), D(2027, 3, 5))
    assert dossier_complete(case, D(2027, 3, 4))
    on_the_day = items(case, D(2027, 3, 5))
    assert (on_the_day["curriculum"].status, on_the_day["verification"].status) == ("expired", "expired")
    assert not dossier_complete(case, D(2027, 3, 5))


def test_introductions_and_opinions_expire_twelve_months_after_their_date(case, world):
    full_dossier(case, world)
    assert items(case, D(2027, 3, 9))["introductions"].status == "done"
    assert items(case, D(2027, 3, 9))["introductions"].valid_until == D(2027, 3, 9)
    expired = items(case, D(2027, 3, 10))["introductions"]
    assert expired.status == "expired" and "10/03/2027" in expired.reason
    assert items(case, D(2027, 3, 14))["opinions"].status == "done"
    assert items(case, D(2027, 3, 15))["opinions"].status == "expired"


def test_a_record_dated_after_the_checklist_date_does_not_exist_yet(case, world):
    full_dossier(case, world)
    before = items(case, D(2026, 1, 5))
    assert before["application"].status == "missing"  # received on 06/01/2026
    assert before["curriculum"].status == "missing"
    assert items(case, D(2026, 1, 15))["curriculum"].status == "in_progress"
    assert items(case, D(2026, 3, 9))["introductions"].status == "missing"
    assert items(case, D(2026, 3, 14))["opinions"].status == "missing"


def test_the_application_has_no_validity_period_in_the_seeded_rule_set(case, world):
    record_application(case, world.secretary)
    application = items(case, TODAY)["application"]
    assert (application.status, application.date, application.valid_until) == ("done", D(2026, 1, 5), None)
