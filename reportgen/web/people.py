"""The users page: the people who may sign in, their roles and who may see exempt papers;
only an administrator may change them, on the list or on a page per user (role, name,
e-mail, clearance roles, a temporary password, disabled or not). And the page where someone
given a temporary password chooses their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

import reportgen
from reportgen.web import roles, service
from reportgen.web.audit import record


@login_required
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest) -> HttpResponse:
    """Admins add and remove the people who may sign in, and give or take the permission
    to see exempt papers (only an admin who has it may give it); each change goes in the
    audit log with the role and permission given or taken. A form with problems comes
    back as it was sent (but the password), each problem beside its field."""
    _admin_only(request)
    from django.contrib.auth.models import User

    problems: list[reportgen.Problem] = []
    sent: dict[str, str] = {}
    giver = service.may_see_exempt(request.user)
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        name = str(request.POST.get("name", "")).strip()[:150]
        exempt = request.POST.get("exempt") == "1"
        if ((action == "add" and exempt) or action == "exempt") and not giver:
            raise PermissionDenied  # the page offers it only to those who have it
        if action == "add":
            role = str(request.POST.get("role", ""))
            sent = {
                "name": name,
                "role": role,
                "exempt": "1" if exempt else "",
                "email": str(request.POST.get("email", "")).strip()[:254],
                "clears": str(request.POST.get("clears", ""))[:2000],
                "full_name": str(request.POST.get("full_name", "")).strip()[:150],
            }
            try:
                roles.add_user(
                    name,
                    role,
                    str(request.POST.get("password", "")),
                    exempt,
                    sent["email"],
                    sent["clears"].splitlines()[:10],
                    sent["full_name"],
                )
            except roles.RoleError as error:
                problems.append(reportgen.Problem("", None, error.field, str(error), ""))
            else:
                given = ", may see exempt papers" if exempt else ""
                record(request.user, "user added", name, f"role {role}{given}")
                messages.success(request, f"{name} can now sign in.")
                return redirect("users")
        elif action in ("remove", "exempt", "not exempt"):
            try:
                if name == request.user.get_username():
                    raise roles.RoleError("you cannot change your own access here")
                gone = next((p for p in roles.people() if p.name == name), None)
                if action == "remove":
                    roles.remove_user(name)
                else:
                    roles.set_exempt(name, action == "exempt")
            except roles.RoleError as error:
                problems.append(reportgen.Problem("", None, "", str(error), ""))
            else:
                had = ", could see exempt papers" if gone and gone.exempt else ""
                detail = {
                    "exempt": "permission given: may see exempt papers",
                    "not exempt": "permission taken: may not see exempt papers",
                    "remove": f"role {gone.role if gone else ''}{had}",
                }[action]
                action_said = "user removed" if action == "remove" else f"permission: {action}"
                record(request.user, action_said, name, detail)
                messages.success(request, f"{name}: done.")
                return redirect("users")
        else:
            return redirect("users")
    context = {
        "people": roles.people(),
        "roles": roles.ROLES,
        "problems": problems,
        "beside": {p.key: p for p in problems if p.key},
        "sent": sent,
        "may_give_exempt": giver,
        "count": User.objects.count(),
    }
    return render(request, "web/users.html", context, status=422 if problems else 200)


def _admin_only(request: HttpRequest) -> None:
    if not request.user.has_perm("web.read_audit"):
        raise PermissionDenied


_ACTIONS = {"save", "reset", "disable", "enable"}


@login_required
@never_cache  # it may show a temporary password: no copy kept anywhere
@require_http_methods(["GET", "POST"])
def user(request: HttpRequest, name: str) -> HttpResponse:
    """One user's page, for admins: change their role, full name, e-mail address and
    clearance roles; give them a temporary password (shown here once, never stored or
    audited); disable or enable them. Each change is audited; a refused one comes back
    with the form as sent and each problem beside its field."""
    _admin_only(request)
    from django.contrib.auth.models import User

    found = User.objects.filter(username=name[:150]).first()
    if found is None:
        raise Http404("no such user")
    me = request.user.get_username()
    problems: list[reportgen.Problem] = []
    sent: dict[str, str] = {}
    temporary = ""
    action = str(request.POST.get("action", "")) if request.method == "POST" else ""
    if action in _ACTIONS:
        try:
            if action == "save":
                sent = {
                    "role": str(request.POST.get("role", "")),
                    "full_name": str(request.POST.get("full_name", "")).strip()[:150],
                    "email": str(request.POST.get("email", "")).strip()[:254],
                    "clears": str(request.POST.get("clears", ""))[:2000],
                }
                clears = sent["clears"].splitlines()[:10]
                changed = roles.change_user(
                    name, sent["role"], sent["full_name"], sent["email"], clears, by=me
                )
                if changed:
                    record(request.user, "user changed", name, "; ".join(changed))
                messages.success(request, f"{name}: saved." if changed else "Nothing changed.")
                return redirect("user", name=name)
            if action == "reset":
                temporary = roles.reset_password(name, by=me)
                record(request.user, "password reset", name, "a temporary password given")
            else:
                roles.set_active(name, action == "enable", by=me)
                record(request.user, f"user {action}d", name)
                messages.success(request, f"{name} is {action}d.")
                return redirect("user", name=name)
        except roles.RoleError as error:
            problems.append(reportgen.Problem("", None, error.field, str(error), ""))
    found.refresh_from_db()
    shown = roles.person(found)
    if not sent:
        sent = {
            "role": shown.role,
            "full_name": shown.full_name,
            "email": shown.email,
            "clears": "\n".join(shown.clears),
        }
    context = {
        "person": shown,
        "roles": roles.ROLES,
        "problems": problems,
        "beside": {p.key: p for p in problems if p.key},
        "sent": sent,
        "temporary": temporary,
        "where": request.build_absolute_uri(reverse("password")),
        "me": me == name,
    }
    return render(request, "web/user.html", context, status=422 if problems else 200)


# The same words for no such user, a disabled one, no temporary password and a wrong one.
_NOT_KNOWN = (
    "The user name and temporary password do not match: check them, or ask your "
    "administrator for a new temporary password"
)


@never_cache
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    """Where someone given a temporary password chooses their own, and is signed in. The
    temporary password works nowhere else. Wrong ones count towards the sign-in lock-out
    as wrong passwords do, and are audited as failed sign-ins."""
    from axes.handlers.proxy import AxesProxyHandler

    from reportgen.web.throttle import locked_out

    problems: list[reportgen.Problem] = []
    name = ""
    if request.method == "POST":
        name = str(request.POST.get("username", "")).strip()[:150]
        credentials = {"username": name}
        if AxesProxyHandler.is_locked(request, credentials):
            return locked_out(request, None, credentials)
        temporary = str(request.POST.get("temporary", ""))
        new = str(request.POST.get("new_password", ""))
        again = str(request.POST.get("new_password_again", ""))
        try:
            # A box left empty is no guess: said, and not counted towards the lock-out.
            if not name:
                raise roles.RoleError("Enter your user name", "username")
            if not temporary:
                raise roles.RoleError(
                    "Enter the temporary password your administrator gave you", "temporary"
                )
            if not new:
                raise roles.RoleError("Enter a new password", "new_password")
            if new != again:
                raise roles.RoleError(
                    "The two new passwords are not the same: type it again in both boxes",
                    "new_password_again",
                )
            signed = roles.replace_temporary(name, temporary, new)
        except roles.RoleError as error:
            field = "new_password" if error.field == "password" else error.field
            problems.append(reportgen.Problem("", None, field, str(error), ""))
        else:
            if signed is None:
                user_login_failed.send(__name__, credentials=credentials, request=request)
                problems.append(reportgen.Problem("", None, "username", _NOT_KNOWN, ""))
            else:
                login(request, signed, backend="django.contrib.auth.backends.ModelBackend")
                record(signed, "password chosen", name, "replacing a temporary password")
                messages.success(request, "Your password is set, and you are signed in.")
                return redirect("papers")
    context = {
        "problems": problems,
        "beside": {p.key: p for p in problems if p.key},
        "username": name,
    }
    return render(request, "web/user_password.html", context, status=422 if problems else 200)
