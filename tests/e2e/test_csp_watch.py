"""The browser tests' network watch (tests/e2e/conftest.py) notices what the Content-Security-Policy blocks: a page
of the live server's address with our policy and an inline script and handler reports both."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.e2e.conftest import Network

PAGE = '<!doctype html><html><body><script>document.title = "ran";</script><img src="x.png" onerror="1"></body></html>'


def test_the_watch_reports_an_inline_script_the_policy_blocked(page: Page, network: Network, live_server: Any) -> None:
    from django.conf import settings

    policy = "; ".join(f"{k} {' '.join(v)}" for k, v in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items())
    page.route(
        "**/csp-probe/",
        lambda route: route.fulfill(
            status=200, body=PAGE, headers={"Content-Type": "text/html", "Content-Security-Policy": policy}
        ),
    )
    page.route("**/x.png", lambda route: route.fulfill(status=404, body=""))
    page.goto(f"{live_server.url}/csp-probe/")
    page.wait_for_timeout(300)
    assert page.title() != "ran"
    assert len(network.csp_violations) >= 2, network.csp_violations
    assert any(v.startswith("csp:") for v in network.broken_assets)
