"""Browser journeys: Playwright (pytest-playwright) drives Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers on our machines, so the harness launches /usr/bin/chromium (Debian
package `chromium`, installed by `make setup`). When it is missing the tests fail loudly instead of skipping: a
green run without a browser would hide the whole layer.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import World, restore_migration_seed

# Playwright's sync API runs an event loop in the main thread; Django's async-safety check would then refuse the
# ORM calls that tests and fixtures make between page actions.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PASSWORD = "pw-for-tests-1"  # what tests.factories.UserFactory sets
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ASSET_TYPES = {"stylesheet", "script", "font", "image", "media"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is an `e2e` test, so `pytest -m "not e2e"` skips the browser layer."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's options (--headed, --slowmo) plus Debian's Chromium and flags for a headless container."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium (`apt-get install -y chromium`, "
            "done by `make setup`). `playwright install` cannot download browsers here.",
            pytrace=False,
        )
    return {"headless": True, **browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    """Relative URLs go to the live server; the browser asks for Vietnamese, as our users' browsers do."""
    return {**browser_context_args, "base_url": live_server.url, "locale": "vi-VN"}


@pytest.fixture
def seeded(transactional_db: None) -> None:
    restore_migration_seed()


@pytest.fixture
def journey_world(transactional_db: None, django_db_serialized_rollback: None, seeded: None, world: World) -> World:
    """The shared `world` of tests/conftest.py, committed so that the live server's thread sees it.

    `transactional_db` makes the rows real commits instead of a rolled-back transaction; the serialized rollback
    restores the rows that migrations seed (rule sets) after each test's flush, for the tests that run after it.
    What the migrations seed is re-created (`seeded`) when a flush has removed it anyway (seen when several
    browser tests, or the upgrade test, run before): a journey that opens a case needs the rule set in force.
    """
    return world


@dataclass
class Network:
    """What a page asked for beyond the live server, which of its assets (CSS, fonts, icons, JS) failed, and 500s;
    what the Content-Security-Policy blocked is a broken asset too (and listed apart in `csp_violations`)."""

    external: list[str] = field(default_factory=list)
    broken_assets: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


@pytest.fixture
def network(page: Any, live_server: Any) -> Network:
    """Watch `page`: the UI must not depend on a CDN, and every stylesheet, font and script must load."""
    own_host = urlsplit(live_server.url).hostname
    seen = Network()

    def on_request(request: Any) -> None:
        url = urlsplit(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.hostname != own_host:
            seen.external.append(request.url)

    def on_response(response: Any) -> None:
        # A document (or a Turbo fetch) may be a deliberate 404 or 422; an asset may not, and nothing may be a 500.
        if response.status >= 500 or (response.status >= 400 and response.request.resource_type in ASSET_TYPES):
            seen.broken_assets.append(f"{response.status} {response.url}")

    def on_failed(request: Any) -> None:
        # A request the browser aborts because the page moved on (Turbo replacing it after a 422) is not a broken
        # asset; a missing one answers 404 and is caught in on_response.
        if "ERR_ABORTED" in str(request.failure):
            return
        seen.broken_assets.append(f"failed ({request.failure}) {request.url}")

    def on_console(message: Any) -> None:
        # Chromium reports each blocked inline script, handler or foreign source as a console error.
        if message.type == "error" and "Content Security Policy" in message.text:
            seen.csp_violations.append(f"{page.url}: {message.text}")
            seen.broken_assets.append(f"csp: {message.text}")

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.on("console", on_console)
    return seen


# -- the second factor ---------------------------------------------------------------------------------------------

SECOND_FACTOR_URL = re.compile(r"/accounts/security/(authenticator|verify)/")


def totp_code(key: bytes, *, steps_later: int = 0) -> str:
    """The 6 digits an authenticator app shows now (or that many 30-second steps later) for this key (RFC 6238,
    django-otp's own implementation)."""
    from django_otp.oath import totp

    return f"{totp(key, drift=steps_later):06d}"


def pass_second_factor(page: Any, username: str) -> None:
    """The step after the password for those who approve or decide: set up an authenticator from the key the page
    shows (as a person types it into the app), or, with one already set up, type its current code."""
    if "/accounts/security/authenticator/" in page.url:
        secret = page.get_by_test_id("totp-secret").inner_text()
        page.locator("input[name=code]").fill(totp_code(base64.b32decode("".join(secret.split()))))
        page.get_by_test_id("setup-submit").click()
        page.get_by_test_id("continue").click()
    elif "/accounts/security/verify/" in page.url:
        from django_otp.oath import TOTP
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).latest("pk")
        # A code is accepted once: signing in again within the same 30 seconds takes the next step's code (the
        # server accepts one step of drift).
        now = TOTP(device.bin_key, device.step, device.t0, device.digits).t()
        page.locator("input[name=code]").fill(totp_code(device.bin_key, steps_later=max(0, device.last_t + 1 - now)))
        page.get_by_test_id("verify-submit").click()


@pytest.fixture
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots when SAVE_SCREENSHOTS=1 (to refresh what reviewers see), else a temporary folder, so that
    an ordinary test run leaves the work tree clean."""
    target = SCREENSHOTS if os.environ.get("SAVE_SCREENSHOTS") == "1" else tmp_path_factory.mktemp("screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target
