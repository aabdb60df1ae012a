"""The accessibility statement (/kha-nang-tiep-can/): public, linked from the login page and every page of the
site, naming the target, the known gaps and whom to tell; and the overdue mark on the candidate's own page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.portal.conftest import NOW

pytestmark = pytest.mark.django_db

STATEMENT = "/kha-nang-tiep-can/"


def test_anyone_reads_the_statement_without_logging_in(client: Any) -> None:
    response = client.get(STATEMENT, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "(WCAG) 2.2 at level AA" in page
    assert 'data-testid="known-gaps"' in page
    assert "The PDF forms and the complete dossier are not tagged" in page


def test_it_names_the_configured_contact(client: Any, settings: Any) -> None:
    settings.ACCESSIBILITY_CONTACT_NAME = "Văn phòng Đảng ủy xã Hoành Mô"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "hotro@hoanhmo.example.vn"
    settings.ACCESSIBILITY_CONTACT_PHONE = "0203 3888 123"
    page = client.get(STATEMENT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Văn phòng Đảng ủy xã Hoành Mô" in page
    assert 'href="mailto:hotro@hoanhmo.example.vn"' in page
    assert 'href="tel:0203 3888 123"' in page


def test_without_a_contact_it_points_to_the_cell_and_the_organisation_board(client: Any, settings: Any) -> None:
    settings.ACCESSIBILITY_CONTACT_NAME = settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    settings.ACCESSIBILITY_CONTACT_PHONE = ""
    page = client.get(STATEMENT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The secretary of your party cell" in page
    assert "mailto:" not in page


def test_it_only_answers_reads(client: Any) -> None:
    assert client.post(STATEMENT).status_code == 405


@pytest.mark.parametrize("path", ["/accounts/login/", "/tra-cuu/"])
def test_the_public_pages_link_to_it(client: Any, path: str) -> None:
    assert f'href="{STATEMENT}"' in client.get(path).content.decode()


def test_the_candidate_and_the_units_reach_it_from_their_pages(client: Any, world: Any, own_case: Any) -> None:
    client.force_login(world.candidate_user)
    assert f'href="{STATEMENT}"' in client.get("/ho-so-cua-toi/").content.decode()
    client.force_login(world.secretary)
    assert f'href="{STATEMENT}"' in client.get(f"/app/admission/candidates/{own_case.pk}/").content.decode()
    assert client.get(STATEMENT).status_code == 200


def test_the_candidate_sees_overdue_beside_a_date_that_has_passed(
    client: Any, world: Any, own_case: Any, clock: Any
) -> None:
    client.force_login(world.candidate_user)
    assert 'data-testid="overdue"' not in client.get("/ho-so-cua-toi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    clock.move_to(NOW + datetime.timedelta(days=120))  # the cell's meeting was due long ago
    client.force_login(world.candidate_user)  # the session of four months ago has expired
    page = client.get("/ho-so-cua-toi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="overdue"' in page
    assert ">Overdue<" in page
