"""Browser journeys: Playwright (pytest-playwright) drives Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers on our machines, so the harness launches /usr/bin/chromium (Debian
package `chromium`, installed by `make setup`). When it is missing the tests fail loudly instead of skipping: a
green run without a browser would hide the whole layer.
"""

from __future__ import annotations

import os
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
    """What a page asked for beyond the live server, which of its assets (CSS, fonts, icons, JS) failed, and 500s."""

    external: list[str] = field(default_factory=list)
    broken_assets: list[str] = field(default_factory=list)


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

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    return seen


@pytest.fixture
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots when SAVE_SCREENSHOTS=1 (to refresh what reviewers see), else a temporary folder, so that
    an ordinary test run leaves the work tree clean."""
    target = SCREENSHOTS if os.environ.get("SAVE_SCREENSHOTS") == "1" else tmp_path_factory.mktemp("screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target
