"""Roles and the people who have them: officer, clerk, admin; and the separate permission
to see exempt (Schedule 12A) papers. Used by `reportgen users` and `serve --demo`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

ROLES = ("officer", "clerk", "admin")
# What each role may do, by permission codename (all of this app's).
ROLE_PERMISSIONS = {
    "officer": ("edit_papers",),
    "clerk": ("edit_papers", "run_meetings"),
    "admin": ("edit_papers", "read_audit", "run_meetings"),
}
EXEMPT = "view_exempt"


class RoleError(ValueError):
    """A role or user that does not exist, or a name taken."""


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    exempt: bool


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
def add_user(name: str, role: str, password: str, exempt: bool = False) -> User:
    """A new user with one role (and, with `exempt`, the exempt permission)."""
    if role not in ROLES:
        raise RoleError(f"'{role}' is not a role: use one of {', '.join(ROLES)}")
    if User.objects.filter(username=name).exists():
        raise RoleError(f"there is already a user called '{name}'")
    ensure_roles()
    user = User.objects.create_user(name, password=password)
    user.is_staff = role == "admin"
    user.save()
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


def remove_user(name: str) -> None:
    deleted, _ = User.objects.filter(username=name).delete()
    if not deleted:
        raise RoleError(f"there is no user called '{name}'")


def people() -> list[Person]:
    return [
        Person(u.username, role_of(u), u.has_perm(f"web.{EXEMPT}"))
        for u in User.objects.order_by("username")
    ]


DEMO = (
    ("officer", "officer", False),
    ("officer-exempt", "officer", True),
    ("clerk", "clerk", True),
    ("admin", "admin", True),
)


def add_demo_users() -> list[tuple[str, str, str, bool]]:
    """One demo user per role (and an officer with the exempt permission), each with a new
    random password; users of those names are replaced. Returns (name, password, role,
    exempt) for each."""
    made = []
    for name, role, exempt in DEMO:
        User.objects.filter(username=name).delete()
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        add_user(name, role, password, exempt)
        made.append((name, password, role, exempt))
    return made
