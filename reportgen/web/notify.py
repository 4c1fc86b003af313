"""E-mail to the people a step concerns: clearance asked, cleared or returned; a pack
published. Sent with Django's e-mail backend: files in `.reportgen/mail/` unless SMTP is
set (see the README, "The service's settings"). A message that cannot be sent is logged,
never lost silently, and never stops the step itself."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.urls import reverse

_log = logging.getLogger(__name__)


def link(name: str, *args: str) -> str:
    """The full address of the service's page `name`, for an e-mail."""
    return str(settings.SITE_URL).rstrip("/") + str(reverse(name, args=args))


def send(people: Iterable[User], subject: str, body: str, *, exempt: bool) -> int:
    """Sends `subject` and `body` to each of `people` who has an e-mail address, one
    message each (no one sees who else was told). Who may have it is decided now, as it is
    sent, from the database as it is: an active user, and, for a message about an `exempt`
    paper, one who may see exempt papers today (a permission taken away since the step
    was asked for counts). Returns how many were sent."""
    from reportgen.web.service import EXEMPT_PERMISSION

    wanted = {p.pk for p in people}
    sent = 0
    for person in User.objects.filter(pk__in=wanted, is_active=True).order_by("pk"):
        if not person.email:
            continue
        if exempt and not person.has_perm(EXEMPT_PERMISSION):
            continue
        greeting = f"Dear {person.get_full_name() or person.get_username()},\n\n"
        try:
            sent += send_mail(subject, greeting + body, settings.DEFAULT_FROM_EMAIL, [person.email])
        except OSError as error:  # an SMTP server down: the step itself has happened
            _log.error("e-mail to %s not sent: %s", person.email, error)
    return sent
