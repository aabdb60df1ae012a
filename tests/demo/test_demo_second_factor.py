"""The demo's approvers have an authenticator with the demo key: `seed_demo` says so, `demo_totp` prints its code."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.second_factor import DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db


def test_the_demo_approvers_get_the_demo_key_and_the_command_prints_how_to_sign_in() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    with_key = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))
    assert {"btv.hoanhmo", "tochuc.hoanhmo", "quantri", "danguy.truong"} <= with_key
    assert not with_key & {"bithu.nasa", "ungvien.nasa", "daotao.tinh"}
    assert DEMO_TOTP_SECRET in out.getvalue() and "demo_totp" in out.getvalue()
    code = io.StringIO()
    call_command("demo_totp", stdout=code)
    device = TOTPDevice.objects.get(user__username="btv.hoanhmo")
    assert device.verify_token(code.getvalue().split()[0])


def test_a_second_run_keeps_an_authenticator_a_visitor_set_up_themselves() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    device = TOTPDevice.objects.get(user__username="btv.hoanhmo")
    device.key = "00" * 20
    device.save()
    call_command("seed_demo", stdout=io.StringIO())
    assert TOTPDevice.objects.get(user__username="btv.hoanhmo").key == "00" * 20
