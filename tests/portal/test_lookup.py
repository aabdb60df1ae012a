"""The public lookup at /tra-cuu/: code + PIN or date of birth → the stage and its dates, nothing personal; an
unknown code and a wrong answer are indistinguishable; wrong answers are rate-limited and the block lifts."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import lookup
from portal.models import LookupAttempt
from portal.services import pin_issue
from tests.portal.conftest import BORN, PIN

pytestmark = pytest.mark.django_db

URL = "/tra-cuu/"
IGNORED_HEADERS = {"Expires", "Date"}


@pytest.fixture
def case(world: Any, own_case: Any) -> Any:
    pin_issue(candidate=own_case, by=world.secretary, pin=PIN)
    return own_case


def post(client: Any, code: str, *, pin: str = "", dob: str = "", ip: str = "203.0.113.7") -> Any:
    return client.post(URL, {"ma": code, "pin": pin, "ngay_sinh": dob}, REMOTE_ADDR=ip)


def same_response(a: Any, b: Any) -> None:
    assert a.status_code == b.status_code
    assert a.content == b.content
    headers = lambda r: {k: v for k, v in r.headers.items() if k not in IGNORED_HEADERS}  # noqa: E731
    assert headers(a) == headers(b)


def test_the_qr_link_prefills_the_code(client: Any, case: Any) -> None:
    response = client.get(URL, {"ma": case.code.lower()})
    assert response.status_code == 200
    assert f'value="{case.code}"' in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_code_and_pin_show_the_stage_and_nothing_personal(client: Any, world: Any, case: Any) -> None:
    response = post(client, case.code, pin=PIN)
    assert response.status_code == 200
    position = response.context["position"]
    assert position.stage.state == "nominated"
    assert position.entered_on == datetime.date(2025, 11, 3)
    assert position.due_on is not None
    assert position.next.state == "sympathiser"
    html = response.content.decode()
    assert 'data-testid="lookup-stage"' in html
    for personal in (case.person.full_name, world.village_cell.name, BORN.strftime("%d/%m/%Y"), case.person.citizen_id):
        assert personal not in html, personal


def test_code_and_date_of_birth_work_in_either_format(client: Any, case: Any) -> None:
    assert post(client, case.code, dob=BORN.strftime("%d/%m/%Y")).status_code == 200
    assert post(client, f" {case.code.lower()} ", dob=BORN.isoformat()).status_code == 200


def test_an_unknown_code_and_a_wrong_pin_give_the_same_bytes(client: Any, case: Any) -> None:
    wrong_pin = post(client, case.code, pin="135791")
    unknown = post(client, "KN-2026-999999", pin="135791")
    wrong_dob = post(client, case.code, dob="02/06/1998")
    unknown_dob = post(client, "KN-2026-999998", dob="02/06/1998")
    assert wrong_pin.status_code == 422
    same_response(wrong_pin, unknown)
    same_response(wrong_pin, wrong_dob)
    same_response(wrong_pin, unknown_dob)
    assert case.code not in wrong_pin.content.decode()


def test_a_case_without_a_pin_refuses_every_pin_the_same_way(client: Any, other_case: Any) -> None:
    no_pin = post(client, other_case.code, pin="000000")
    unknown = post(client, "KN-2026-999999", pin="000000")
    same_response(no_pin, unknown)


def test_known_and_unknown_codes_take_the_same_path(case: Any) -> None:
    """One query for the case and exactly one hash check, whether the code exists or not, for either factor."""
    for kwargs in ({"pin": "135791"}, {"date_of_birth": datetime.date(1998, 6, 2)}):
        runs = []
        for code in (case.code, "KN-2026-999999"):
            with (
                mock.patch("portal.lookup.pin_check", wraps=lookup.pin_check) as checked,
                CaptureQueriesContext(connection) as queries,
            ):
                assert lookup.lookup(client=f"198.51.100.{len(runs)}", code=code, **kwargs).candidate is None
            runs.append((checked.call_count, len(queries)))
        assert runs[0] == runs[1]
        assert runs[0][0] == 1


def test_too_many_wrong_answers_are_blocked_even_for_the_right_pin(client: Any, case: Any) -> None:
    for _ in range(lookup.LIMIT_PER_CODE):
        assert post(client, case.code, pin="111111").status_code == 422
    blocked = post(client, case.code, pin=PIN)
    assert blocked.status_code == 429
    assert 'data-testid="lookup-blocked"' in blocked.content.decode()
    assert "position" not in blocked.context


def test_the_block_for_an_unknown_code_looks_like_the_block_for_a_known_one(client: Any, case: Any) -> None:
    for code in (case.code, "KN-2026-999999"):
        for _ in range(lookup.LIMIT_PER_CODE):
            post(client, code, pin="111111")
    same_response(post(client, case.code, pin="111111"), post(client, "KN-2026-999999", pin="111111"))


def test_the_block_lifts_when_the_window_has_passed(client: Any, case: Any, clock: Any) -> None:
    start = datetime.datetime.now(tz=datetime.UTC)
    for minute in range(lookup.LIMIT_PER_CODE):
        clock.move_to(start + datetime.timedelta(minutes=minute))
        post(client, case.code, pin="111111")
    # The first failure leaves the window 15 minutes after it was made: one second before, still blocked.
    clock.move_to(start + lookup.WINDOW - datetime.timedelta(seconds=1))
    assert post(client, case.code, pin=PIN).status_code == 429
    clock.move_to(start + lookup.WINDOW + datetime.timedelta(seconds=1))
    assert post(client, case.code, pin=PIN).status_code == 200


def test_the_block_is_per_client_address(client: Any, case: Any) -> None:
    for _ in range(lookup.LIMIT_PER_CODE):
        post(client, case.code, pin="111111", ip="203.0.113.7")
    assert post(client, case.code, pin=PIN, ip="203.0.113.7").status_code == 429
    assert post(client, case.code, pin=PIN, ip="203.0.113.8").status_code == 200


def test_one_client_trying_many_codes_is_blocked_too(client: Any, case: Any) -> None:
    for n in range(lookup.LIMIT_PER_CLIENT):
        assert post(client, f"KN-2026-{n:06d}", pin="111111").status_code == 422
    assert post(client, case.code, pin=PIN).status_code == 429


def test_failures_are_stored_without_the_address_and_pruned(case: Any, clock: Any) -> None:
    lookup.lookup(client="203.0.113.7", code=case.code, pin="111111")
    keys = list(LookupAttempt.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all("203.0.113.7" not in k and case.code not in k for k in keys)
    clock.shift(lookup.WINDOW + datetime.timedelta(seconds=1))
    lookup.lookup(client="203.0.113.9", code="KN-2026-999999", pin="111111")
    assert LookupAttempt.objects.count() == 2  # the old pair is gone


def test_a_right_answer_clears_the_count_for_that_code(client: Any, case: Any) -> None:
    for _ in range(lookup.LIMIT_PER_CODE - 1):
        post(client, case.code, pin="111111")
    assert post(client, case.code, pin=PIN).status_code == 200
    for _ in range(lookup.LIMIT_PER_CODE - 1):
        post(client, case.code, pin="111111")
    assert post(client, case.code, pin=PIN).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ma": "KN-2026-000001"}, "Enter the PIN printed on your receipt, or the date of birth."),
        ({"ma": "KN-2026-000001", "pin": "12345"}, "The PIN has 6 digits."),
        ({"ma": "", "pin": "123456"}, "This field is required."),
        ({"ma": "KN-2026-000001", "ngay_sinh": "31/02/1998"}, "Enter a valid date."),
    ],
)
def test_it_rejects_a_malformed_form_without_counting_it(client: Any, data: dict[str, str], message: str) -> None:
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not LookupAttempt.objects.exists()


def test_it_needs_no_login_and_rejects_other_methods(client: Any) -> None:
    assert client.get(URL).status_code == 200
    assert client.put(URL).status_code == 405
