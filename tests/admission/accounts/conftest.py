"""Helpers for the sign-in tests: log in through the login page (password only), read the codes an authenticator
app would show, and move the clock past TOTP's 30-second step (a code is accepted once)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory
LOGIN = "/accounts/login/"
HOME = "/app/admission/home/"
SETUP = "/accounts/security/authenticator/"
VERIFY = "/accounts/security/verify/"
SECURITY = "/accounts/security/"
START = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)  # Monday 2 March 2026, 09:00 in Hà Nội


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def log_in_with_password(client: Any, username: str, *, ip: str = "127.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)


def code_of(device: TOTPDevice, *, steps_later: int = 0) -> str:
    """The 6 digits the app shows now (or that many 30-second steps later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_later):06d}"


def authenticator_for(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def next_step(clock: Any) -> None:
    """31 seconds on: a new TOTP code, and past django-otp's throttle delay after one wrong code."""
    clock.shift(datetime.timedelta(seconds=31))
