"""The audit log: one line per thing an officer did that matters later."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest


def record(
    user: Any, action: str, target: str = "", detail: str = "", *, exempt: bool = False
) -> None:
    """Logs `action` by `user` on `target`; `exempt`: it concerns an exempt paper or pack
    (shown then only to those who may see exempt papers)."""
    from reportgen.web.models import AuditEntry

    known = user is not None and getattr(user, "is_authenticated", False)
    # A user who is gone is named only (a job's record of who started it): no account to link.
    account = user if known and getattr(user, "pk", None) is not None else None
    AuditEntry.objects.create(
        user=account,
        username=user.get_username() if known else "",
        action=action,
        target=target[:300],
        detail=detail[:500],
        exempt=exempt,
    )


@receiver(user_logged_in)
def _logged_in(sender: object, request: HttpRequest, user: Any, **kwargs: object) -> None:
    record(user, "login")


@receiver(user_login_failed)
def _login_failed(sender: object, credentials: dict[str, Any], **kwargs: object) -> None:
    record(None, "login failed", str(credentials.get("username", ""))[:150])
