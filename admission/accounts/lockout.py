"""The login lockout (django-axes): a failure budget per account, one per client address, and a limit on how many
accounts one address may fail against (password spraying), all within the cool-off time.

django-axes keys its counters on the parameters of `AXES_LOCKOUT_PARAMETERS` with one limit for all. Ours differ:
- per account (whatever the address): `AXES_FAILURE_LIMIT` wrong passwords lock the account, so an attacker
  cannot go on from another address;
- per address (whatever the account): `LOCKOUT_ADDRESS_FAILURE_LIMIT` wrong passwords lock the address, and so
  does failing against `LOCKOUT_ADDRESS_ACCOUNT_LIMIT` different accounts (a few guesses on every account);
- a successful login clears the account's failures only, so a spraying address cannot reset its count by
  logging in to an account of its own.
The address is the one `admission.core.network.client_address` resolves (trusted proxies only).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def account_locked(username: str) -> bool:
    """Whether the account has used up its failure budget in the cool-off time (its API tokens then stop too)."""
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(username=username)
    if cool_off is not None:
        recent = recent.filter(attempt_time__gte=timezone.now() - cool_off)
    return _failures(recent) >= int(settings.AXES_FAILURE_LIMIT)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """AxesDatabaseHandler with separate budgets per account and per address (see the module's docstring)."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The account's failures; the full limit when the address has used up its own budget (axes compares
        this number with AXES_FAILURE_LIMIT to decide)."""
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        account = _failures(recent.filter(username=username)) if username else 0
        from_address = recent.filter(ip_address=request.axes_ip_address).aggregate(
            failures=Sum("failures_since_start"), accounts=Count("username", distinct=True)
        )
        address_spent = (from_address["failures"] or 0) >= settings.LOCKOUT_ADDRESS_FAILURE_LIMIT or (
            from_address["accounts"] >= settings.LOCKOUT_ADDRESS_ACCOUNT_LIMIT
        )
        if address_spent:
            return max(account, get_failure_limit(request, credentials))
        return account

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """After a successful login: forget the account's failures, not the address's failures on other accounts."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _detail = AccessAttempt.objects.filter(username=username).delete()
        return count
