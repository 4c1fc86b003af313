"""The users page: the people who may sign in, their roles and who may see exempt papers;
only an administrator may change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
    if not request.user.has_perm("web.read_audit"):
        raise PermissionDenied
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
