"""Sign-in throttling, with django-axes: a user name with too many wrong passwords, or an
address with ten times as many, is refused for a while without its password being tried
(the check runs before the password hash); the lock-out is logged and audited, and an
administrator lifts it with `reportgen users unlock NAME`."""

from __future__ import annotations

import logging
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from reportgen.web.audit import record

ADDRESS_FACTOR = 10  # an address may fail ten times as often as one user name
_log = logging.getLogger("reportgen.signin")


class Throttled(AxesStandaloneBackend):
    """Refuses a locked-out sign-in before any other backend hashes its password. Only a
    sign-in from a request is throttled: code that authenticates without one (a test
    client, a command) is not someone signing in from outside."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


class Attempts(AxesDatabaseHandler):
    """django-axes' record of failed sign-ins in the database, with one limit for a user
    name and ten times that for an address, and each lock-out logged and audited."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The failures that count against the limit: the user name's, or the address's
        scaled down by ADDRESS_FACTOR (so that the address is locked at ten times as many)."""
        name = get_client_username(request, credentials) or None
        address = getattr(request, "axes_ip_address", None) or None
        named, sent = Q(username=name), Q(ip_address=address)
        found = AccessAttempt.objects.filter(named | sent).aggregate(  # one query: it is on
            by_name=Sum("failures_since_start", filter=named),  # every sign-in, refused or not
            by_address=Sum("failures_since_start", filter=sent),
        )
        by_name = int(found["by_name"] or 0) if name else 0
        by_address = int(found["by_address"] or 0) if address else 0
        return max(by_name, by_address // ADDRESS_FACTOR)

    def user_login_failed(
        self,
        sender: object,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        already = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or already or not getattr(request, "axes_locked_out", False):
            return
        name = str(get_client_username(request, credentials) or "")[:150]
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        _log.warning(
            "sign-in locked for %d minutes after repeated failures: user name %r from %s",
            minutes,
            name,
            getattr(request, "axes_ip_address", "?"),
        )
        record(
            None, "sign-in locked", name, f"for {minutes} minutes, from {request.axes_ip_address}"
        )


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The sign-in page, saying in plain words that signing in is stopped, for how long,
    and who can lift it (429 Too Many Requests)."""
    name = str(get_client_username(request, credentials) or "")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Rendered without the request's context processors (no one is signed in, and there is no
    # form): a refusal costs as little as it can.
    page = render_to_string("web/locked_out.html", {"username": name, "minutes": minutes})
    return HttpResponse(page, status=429)


def unlock(name: str) -> int:
    """Lifts the lock-out of user name `name` (its failed sign-ins forgotten); how many
    records of failures there were."""
    from axes.utils import reset

    return int(reset(username=name))
