"""The client's address, the same for the login lockout (django-axes), the public lookup's rate limit and logs.

Behind a reverse proxy every request comes from the proxy's address, so the client's address has to be read from
X-Forwarded-For; but anyone can send that header, so it is believed only when the request comes from a proxy we
run. `settings.TRUSTED_PROXIES` lists those proxies (addresses or networks, e.g. "10.0.0.5, 10.1.0.0/16"); the
header is read from the right, skipping our own proxies, and the first address that is not one of them is the
client (the left part of the header is whatever the client chose to send). With no trusted proxy configured the
header is ignored and REMOTE_ADDR is the client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:
        return None


def is_trusted_proxy(raw: str) -> bool:
    address = _address(raw)
    return address is not None and any(address in network for network in trusted_networks())


def client_address(request: Any) -> str:
    """The client's address: REMOTE_ADDR, or, when that is one of our proxies, the nearest address in
    X-Forwarded-For that is not. Never empty ("unknown" when nothing usable was given)."""
    return client_ip(request) or "unknown"


def client_ip(request: Any) -> str | None:
    """`client_address`, or None when the request carries no valid address (django-axes stores it in an address
    column: AXES_CLIENT_IP_CALLABLE)."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    if _address(remote) is None:
        return None
    if not is_trusted_proxy(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A malformed entry added by someone in front of our proxies: stop believing the header there.
            break
        if not is_trusted_proxy(hop):
            return str(address)
    # Only proxies (or garbage) in the header: the last proxy is the best we know.
    return remote
