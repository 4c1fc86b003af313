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
    full_name: str = ""
    active: bool = True  # False: disabled, cannot sign in (kept, with what they did)
    password_due: bool = False  # given a temporary password, not yet replaced


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
    _check_email(email)
    user = User(username=name, email=email)
    _name(user, full_name)
    try:  # every rule, "too similar to the user name" (or e-mail, or name) too
        validate_password(password, user)
    except ValidationError as error:
        raise RoleError(" ".join(error.messages), "password") from None
    user.set_password(password)
    user.is_staff = role == "admin"
    user.save()
    _clears_field(name, clears)
    user.groups.add(Group.objects.get(name=role))
    if exempt:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="web", codename=EXEMPT)
        )
    return user


def _check_email(email: str) -> None:
    if email and not _EMAIL.fullmatch(email):
        raise RoleError(
            f"'{email}' is not an e-mail address: write it as name@example.org", "email"
        )


def _name(user: User, full_name: str) -> None:
    """Sets `user`'s first and last names from a full name ("Dawn Okafor")."""
    first, _, last = " ".join(full_name.split()).rpartition(" ")
    user.first_name, user.last_name = first[:150], last[:150]


def _user(name: str) -> User:
    user = User.objects.filter(username=name).first()
    if user is None:
        raise RoleError(f"there is no user called '{name}'")
    return user


def _keeps_an_admin(user: User, by: str) -> None:
    """Refuses what would take `user` out of the active admins if they are `by` themselves
    or the last one: someone must always be able to manage the users."""
    if role_of(user) != "admin" or not user.is_active:
        return
    if user.get_username() == by:
        raise RoleError("you cannot take away your own administrator access: ask another admin")
    others = User.objects.filter(groups__name="admin", is_active=True).exclude(pk=user.pk)
    if not others.exists():
        raise RoleError(f"{user.get_username()} is the last administrator: make another first")


@transaction.atomic
def change_user(
    name: str, role: str, full_name: str, email: str, clears: Sequence[str], by: str = ""
) -> list[str]:
    """Gives `name` this role, full name, e-mail address and clearance roles, checked as
    `add_user` checks them; an admin (`by`) may not demote themselves, nor anyone the last
    admin. Returns what changed, in words for the audit log ([] for nothing)."""
    user = _user(name)
    if role not in ROLES:
        raise RoleError(f"'{role}' is not a role: choose one of {', '.join(ROLES)}", "role")
    was = role_of(user)
    if was != role:
        try:
            _keeps_an_admin(user, by)
        except RoleError as error:
            raise RoleError(str(error), "role") from None
    _check_email(email)
    held = tuple(clears_of(user))
    before = (was, user.get_full_name(), user.email)
    _name(user, full_name)
    user.email = email
    user.is_staff = role == "admin"
    user.save()
    _clears_field(name, clears)
    if was != role:
        ensure_roles()
        user.groups.remove(*Group.objects.filter(name__in=ROLES))
        user.groups.add(Group.objects.get(name=role))
    after = (role, user.get_full_name(), user.email)
    changed = [
        f"{what} {old or 'none'} → {new or 'none'}"
        for what, old, new in zip(("role", "name", "e-mail"), before, after, strict=True)
        if old != new
    ]
    now = tuple(clears_of(user))
    if now != held:
        changed.append(f"clears as {', '.join(held) or 'none'} → {', '.join(now) or 'none'}")
    return changed


def set_active(name: str, active: bool, by: str = "") -> None:
    """Enables or disables `name`: a disabled user cannot sign in (their sessions end at
    once) and is kept, with their versions and audit entries. Not `by` themselves, nor
    the last admin."""
    user = _user(name)
    if not active:
        if name == by:
            raise RoleError("you cannot disable yourself: ask another admin")
        _keeps_an_admin(user, by)
    user.is_active = active
    user.save(update_fields=["is_active"])


# A temporary password: 16 characters from 31 that cannot be mistaken for one another when
# read out or copied from paper (no 0/o, 1/l/i), in four groups: about 79 bits.
_TEMPORARY = "abcdefghjkmnpqrstuvwxyz23456789"
# A temporary password is kept as the hash of it behind this mark, which Django reads as
# "no usable password": it cannot sign in anywhere, only replace itself (`replace_temporary`).
# So the user must choose their own, and nothing has to be checked on every request.
_DUE = "!"


def reset_password(name: str, by: str = "") -> str:
    """A new temporary password for `name` (returned, and kept only as its hash): their old
    password stops working and they are signed out everywhere; they choose their own with
    `replace_temporary`. Not for oneself, nor for a disabled user."""
    from django.contrib.auth.hashers import make_password

    user = _user(name)
    if name == by:
        raise RoleError("you cannot reset your own password here: ask another admin")
    if not user.is_active:
        raise RoleError(f"{name} is disabled: enable them first")
    temporary = "-".join("".join(secrets.choice(_TEMPORARY) for _ in range(4)) for _ in range(4))
    user.password = _DUE + make_password(temporary)
    user.save(update_fields=["password"])
    return temporary


def password_due(user: User) -> bool:
    """Whether `user` holds a temporary password they have not yet replaced."""
    from django.contrib.auth.hashers import identify_hasher

    if not user.password.startswith(_DUE):
        return False
    try:  # Django's own unusable password is the mark and random letters, not a hash
        identify_hasher(user.password[len(_DUE) :])
    except ValueError:
        return False
    return True


def replace_temporary(name: str, temporary: str, password: str) -> User | None:
    """`name`'s temporary password replaced by `password` (checked by every password rule),
    or None if `name` has no such temporary password (no such user, disabled, or another
    one): the same answer for each, and as slow. RoleError for a password not allowed."""
    from django.contrib.auth.hashers import check_password, make_password
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User.objects.filter(username=name, is_active=True).first()
    if user is None or not password_due(user):
        make_password(temporary)  # as long as a check: the answer's time says nothing
        return None
    if not check_password(temporary, user.password[len(_DUE) :]):
        return None
    if password == temporary:
        raise RoleError("Choose a password of your own, not the temporary one", "password")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise RoleError(" ".join(error.messages), "password") from None
    user.set_password(password)
    user.save(update_fields=["password"])
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


def _clears_field(name: str, clears: Sequence[str]) -> None:
    """`set_clears`, its problem told as the form's clearance roles field's."""
    try:
        set_clears(name, clears)
    except RoleError as error:
        raise RoleError(str(error), "clears") from None


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

    return list(Clearer.objects.filter(user=user).order_by("pk").values_list("role", flat=True))


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
    return [person(u) for u in User.objects.order_by("username")]


def person(user: User) -> Person:
    # A disabled user has no permissions in Django's eyes: theirs are read from the records.
    exempt = (
        user.user_permissions.filter(content_type__app_label="web", codename=EXEMPT).exists()
        if not user.is_active
        else user.has_perm(f"web.{EXEMPT}")
    )
    return Person(
        user.username,
        role_of(user),
        exempt,
        user.email,
        tuple(clears_of(user)),
        user.get_full_name(),
        user.is_active,
        password_due(user),
    )


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
