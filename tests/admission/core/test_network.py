"""The client's address: REMOTE_ADDR unless it is a trusted proxy; then the nearest X-Forwarded-For hop that is not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from admission.core.network import client_address


def request(remote: str, forwarded: str | None = None) -> Any:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.7", "192.0.2.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("10.0.0.5", "192.0.2.1", "192.0.2.1"),
        ("10.0.0.5", "198.51.100.4, 192.0.2.1", "192.0.2.1"),  # the left part is the client's own claim
        ("10.0.0.5", "192.0.2.1, 10.0.0.9", "192.0.2.1"),  # two of our proxies in a row
        ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
        ("10.0.0.5", "", "10.0.0.5"),  # nothing forwarded: the proxy itself
        ("10.0.0.5", "10.0.0.7", "10.0.0.5"),  # only proxies
        ("10.0.0.5", "192.0.2.1, not-an-address", "10.0.0.5"),  # garbage after the client: stop believing
        ("203.0.113.7", "192.0.2.1", "203.0.113.7"),  # not from our proxy: the header is anyone's
    ],
)
def test_behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client(
    settings: Any, remote: str, forwarded: str, client: str
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request(remote, forwarded)) == client


def test_a_request_without_an_address_is_unknown(settings: Any) -> None:
    assert client_address(request("")) == "unknown"


def test_the_lockout_gets_no_address_rather_than_a_made_up_one(settings: Any) -> None:
    from admission.core.network import client_ip

    assert client_ip(request("")) is None
    assert client_ip(request("unix:/run/gunicorn.sock")) is None
    assert client_ip(request("203.0.113.7")) == "203.0.113.7"
