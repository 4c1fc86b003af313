"""Roles and the people who have them: clearer, officer, clerk, admin; the separate
permission to see exempt (Schedule 12A) papers; and the clearance roles (Chief Financial
Officer…) a person holds. Used by `reportgen users` and `serve --demo`."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

import reportgen

ROLES = ("clearer", "officer", "clerk", "admin")
# What each role may do, by permission codename (all of this app's). A clearer reads the
# papers and clears those asked of them, and changes nothing else.
ROLE_PERMISSIONS = {
    "clearer": (),
    "officer": ("edit_papers",),
    "clerk": ("edit_papers", "run_meetings"),
    "admin": ("edit_papers", "read_audit", "run_meetings"),
}
EXEMPT = "view_exempt"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class RoleError(ValueError):
    """A role or user that does not exist, a name taken or not allowed, a password not good
    enough; `field` is the form's field it is about ("" for none)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# A user name as Django's ASCII rule allows it: letters, digits and @ . + - _, no spaces
# or slashes (stricter than its default rule, which allows letters of any alphabet).
_USER_NAME = re.compile(r"[A-Za-z0-9@.+_-]{1,150}")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    exempt: bool
    email: str = ""
    clears: tuple[str, ...] = ()


def ensure_roles() -> None:
    """The three role groups with their permissions (made on every start: idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="web", codename__in=codenames)
        )


def role_of(user: User) -> str:
    names = set(user.groups.values_list("name", flat=True))
    return next((r for r in reversed(ROLES) if r in names), "")


@transaction.atomic
def add_user(
    name: str,
    role: str,
    password: str,
    exempt: bool = False,
    email: str = "",
    clears: Sequence[str] = (),
    full_name: str = "",
) -> User:
    """A new user with one role (and, with `exempt`, the exempt permission), their e-mail
    address for notifications, and the clearance roles they hold."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if not name:
        raise RoleError("Enter a user name — such as priya.shah", "name")
    if not _USER_NAME.fullmatch(name):
        raise RoleError(
            f"'{name[:40]}' cannot be a user name — use letters, digits and @ . + - _ only "
            "(no spaces or slashes), at most 150 characters",
            "name",
        )
    if role not in ROLES:
        raise RoleError(f"'{role}' is not a role: use one of {', '.join(ROLES)}", "role")
    if User.objects.filter(username=name).exists():
        raise RoleError(f"there is already a user called '{name}'", "name")
    ensure_roles()
    if email and not _EMAIL.fullmatch(email):
        raise RoleError(
            f"'{email}' is not an e-mail address: write it as name@example.org", "email"
        )
    first, _, last = " ".join(full_name.split()).rpartition(" ")
    user = User(username=name, email=email, first_name=first[:150], last_name=last[:150])
    try:  # every rule, "too similar to the user name" (or e-mail, or name) too
        validate_password(password, user)
    except ValidationError as error:
        raise RoleError(" ".join(error.messages), "password") from None
    user.set_password(password)
    user.is_staff = role == "admin"
    user.save()
    try:
        set_clears(name, clears)
    except RoleError as error:
        raise RoleError(str(error), "clears") from None
    user.groups.add(Group.objects.get(name=role))
    if exempt:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="web", codename=EXEMPT)
        )
    return user


def set_exempt(name: str, exempt: bool) -> None:
    """Gives or takes the permission to see exempt papers."""
    user = User.objects.filter(username=name).first()
    if user is None:
        raise RoleError(f"there is no user called '{name}'")
    permission = Permission.objects.get(content_type__app_label="web", codename=EXEMPT)
    if exempt:
        user.user_permissions.add(permission)
    else:
        user.user_permissions.remove(permission)


def set_clears(name: str, clears: Sequence[str]) -> None:
    """The clearance roles `name` holds (Chief Financial Officer…), instead of any before."""
    from reportgen.web.models import Clearer

    user = User.objects.filter(username=name).first()
    if user is None:
        raise RoleError(f"there is no user called '{name}'")
    held = [" ".join(role.split()) for role in clears if role.strip()]
    if any(len(role) > 100 for role in held):
        raise RoleError("a clearance role is over 100 characters: shorten it")
    Clearer.objects.filter(user=user).delete()
    for role in dict.fromkeys(held):
        Clearer.objects.create(user=user, role=role)


def clears_of(user: User) -> list[str]:
    from reportgen.web.models import Clearer

    return list(Clearer.objects.filter(user=user).values_list("role", flat=True))


def clearers(role: str, exempt: bool) -> list[User]:
    """The people who hold the clearance `role` (and may see an `exempt` paper)."""
    from reportgen.web.models import Clearer

    found = [
        c.user
        for c in Clearer.objects.select_related("user").order_by("user__username")
        if reportgen.same_role(c.role, role)
    ]
    return [u for u in found if u.is_active and (not exempt or u.has_perm(f"web.{EXEMPT}"))]


def remove_user(name: str) -> None:
    deleted, _ = User.objects.filter(username=name).delete()
    if not deleted:
        raise RoleError(f"there is no user called '{name}'")


def people() -> list[Person]:
    return [
        Person(u.username, role_of(u), u.has_perm(f"web.{EXEMPT}"), u.email, tuple(clears_of(u)))
        for u in User.objects.order_by("username")
    ]


DEMO = (
    ("officer", "officer", False, ()),
    ("officer-exempt", "officer", True, ()),
    ("clerk", "clerk", True, ()),
    ("admin", "admin", True, ()),
    ("cfo", "clearer", True, ("Chief Financial Officer",)),
    ("monitoring", "clearer", True, ("Monitoring Officer",)),
)
DEMO_NAMES = {"cfo": "Dawn Okafor", "monitoring": "Hugh Whitfield", "clerk": "Sam Ellis"}


def add_demo_users() -> list[tuple[str, str, str, bool, tuple[str, ...]]]:
    """One demo user per role (and an officer with the exempt permission, and a clearer for
    each of the example's clearance roles), each with a new random password; users of
    those names are replaced. Returns (name, password, role, exempt, clears) for each."""
    made: list[tuple[str, str, str, bool, tuple[str, ...]]] = []
    for name, role, exempt, clears in DEMO:
        User.objects.filter(username=name).delete()
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        add_user(
            name, role, password, exempt, f"{name}@example.org", clears, DEMO_NAMES.get(name, "")
        )
        made.append((name, password, role, exempt, clears))
    return made
