"""An administrator's users pages: a page per user to change their role, name, e-mail and
clearance roles; a temporary password shown once, which works only on the page where its
holder chooses their own; disabling and enabling; and what no admin may do to themselves
or to the last admin."""

from __future__ import annotations

import html as markup
import re

import pytest
import web
from web import PASSWORD

NAME = "ravi.users-test"  # a user each test makes afresh
GOOD = "a-fine-password-for-ravi-42"


@pytest.fixture
def ravi():
    web.project()
    from django.contrib.auth.models import User

    from reportgen.web.roles import add_user

    User.objects.filter(username=NAME).delete()
    add_user(NAME, "officer", PASSWORD, False, "ravi@example.org", (), "Ravi Kumar")
    yield NAME
    User.objects.filter(username=NAME).delete()


def client_for(name: str | None):
    from django.test import Client

    client = Client()
    if name is not None:
        assert client.login(username=name, password=PASSWORD)
    return client


def audited(target: str) -> list[tuple[str, str, str]]:
    from reportgen.web.models import AuditEntry

    entries = AuditEntry.objects.filter(target=target).order_by("-pk")
    return list(entries.values_list("username", "action", "detail"))


def details(**changed: str) -> dict[str, str]:
    """The details form as the page sends it for ravi, with `changed` instead."""
    form = {"action": "save", "role": "officer", "full_name": "Ravi Kumar"}
    return form | {"email": "ravi@example.org", "clears": ""} | changed


def temporary_of(page: str) -> str:
    found = re.search(r'<p class="temporary" id="temporary">([^<]+)</p>', page)
    assert found, "no temporary password on the page"
    return found.group(1)


def it_lets_an_admin_change_a_users_role_name_email_and_clearance_roles(ravi) -> None:
    from django.contrib.auth.models import User

    from reportgen.web.roles import people

    admin = client_for("admin")
    page = admin.get(f"/users/{ravi}/").content.decode()
    assert 'value="Ravi Kumar"' in page and 'value="ravi@example.org"' in page
    assert '<option value="officer" selected>' in page
    sent = details(
        role="clerk",
        full_name="Ravi  Kumar-Shah ",
        email="ravi.shah@example.org",
        clears="Monitoring Officer\n\nChief Financial Officer\n",
    )
    answer = admin.post(f"/users/{ravi}/", sent)
    assert answer.status_code == 302 and answer["Location"] == f"/users/{ravi}/"
    held = next(p for p in people() if p.name == ravi)
    assert (held.role, held.full_name, held.email) == (
        "clerk",
        "Ravi Kumar-Shah",
        "ravi.shah@example.org",
    )
    assert held.clears == ("Monitoring Officer", "Chief Financial Officer")
    assert list(User.objects.get(username=ravi).groups.values_list("name", flat=True)) == ["clerk"]
    assert client_for(ravi).get("/meetings/").status_code == 200  # a clerk's page now
    who, action, detail = audited(ravi)[0]
    assert (who, action) == ("admin", "user changed")
    assert "role officer → clerk" in detail and "e-mail ravi@example.org → ravi.shah" in detail
    assert "clears as none → Monitoring Officer, Chief Financial Officer" in detail
    again = admin.post(f"/users/{ravi}/", sent, follow=True).content.decode()
    assert "Nothing changed." in again and audited(ravi)[0][1] == "user changed"
    assert len([a for a in audited(ravi) if a[1] == "user changed"]) == 1


@pytest.mark.parametrize(
    ("changed", "field", "said"),
    [
        ({"email": "ravi at example"}, "email", "is not an e-mail address"),
        ({"role": "boss"}, "role", "is not a role"),
        ({"clears": "x" * 101}, "clears", "a clearance role is over 100 characters"),
    ],
)
def it_refuses_what_adding_a_user_refuses_each_problem_beside_its_box(
    ravi, changed, field, said
) -> None:
    from reportgen.web.roles import people

    answer = client_for("admin").post(f"/users/{ravi}/", details(**changed))
    page = answer.content.decode()
    assert answer.status_code == 422
    assert "<title>Error: " in page
    assert f'<a href="#{field}">' in page and said in markup.unescape(page)
    assert f'id="{field}-error"' in page
    describes = re.search(rf'id="{field}"[^>]*aria-describedby="([^"]+)"', page)
    assert describes and f"{field}-error" in describes.group(1).split()
    if field != "role":  # what was sent comes back, to be mended
        assert markup.escape(changed[field]) in page
    held = next(p for p in people() if p.name == ravi)
    assert (held.role, held.email, held.clears) == ("officer", "ravi@example.org", ())


def it_gives_a_temporary_password_once_which_only_chooses_a_new_one(ravi) -> None:
    admin = client_for("admin")
    answer = admin.post(f"/users/{ravi}/", {"action": "reset"})
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    temporary = temporary_of(answer.content.decode())
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", temporary)
    assert temporary not in admin.get(f"/users/{ravi}/").content.decode()  # shown once
    assert "A temporary password, not yet replaced" in admin.get(f"/users/{ravi}/").content.decode()
    assert audited(ravi)[0][:2] == ("admin", "password reset")
    assert not any(temporary in str(entry) for entry in audited(ravi))
    assert not client_for(None).login(username=ravi, password=PASSWORD)  # the old one
    assert not client_for(None).login(username=ravi, password=temporary)  # nor this one
    signing = client_for(None).post("/login/", {"username": ravi, "password": temporary})
    assert signing.status_code == 200 and "do not match" in signing.content.decode()

    choosing = client_for(None)
    weak = {"username": ravi, "temporary": temporary, "new_password": "password"}
    refused = choosing.post("/password/", weak | {"new_password_again": "password"})
    assert refused.status_code == 422 and "too common" in refused.content.decode()
    same = {"new_password": temporary, "new_password_again": temporary}
    assert "not the temporary one" in choosing.post("/password/", weak | same).content.decode()
    differ = {"new_password": GOOD, "new_password_again": GOOD + "x"}
    assert "are not the same" in choosing.post("/password/", weak | differ).content.decode()
    good = {"new_password": GOOD, "new_password_again": GOOD}
    chosen = choosing.post("/password/", weak | good)
    assert chosen.status_code == 302 and chosen["Location"] == "/papers/"
    assert choosing.get("/papers/").status_code == 200  # signed in
    assert audited(ravi)[0][:2] == (ravi, "password chosen")
    assert client_for(None).login(username=ravi, password=GOOD)
    used = client_for(None).post("/password/", weak | good)  # once only
    assert used.status_code == 422 and "do not match" in used.content.decode()
    assert "Their own" in admin.get(f"/users/{ravi}/").content.decode()


def it_answers_a_wrong_temporary_password_as_for_no_such_user(ravi) -> None:
    from reportgen.web.roles import reset_password, set_active

    def answer(name: str, temporary: str) -> bytes:
        good = {"new_password": GOOD, "new_password_again": GOOD}
        sent = client_for(None).post(
            "/password/", {"username": name, "temporary": temporary} | good
        )
        assert sent.status_code == 422
        token = rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"'
        return re.sub(token, b"*", sent.content.replace(name.encode(), b"NAME"))

    nobody = answer("no-such-user-users-test", "abcd-efgh-jkmn-pqrs")
    assert answer(ravi, "abcd-efgh-jkmn-pqrs") == nobody  # no temporary password
    real = reset_password(ravi)
    assert answer(ravi, real[:-1] + "x") == nobody  # a wrong one
    set_active(ravi, False)
    assert answer(ravi, real) == nobody  # the right one, but disabled
    from reportgen.web.models import AuditEntry

    failed = AuditEntry.objects.filter(action="login failed", target=ravi)
    assert failed.count() >= 3  # counted as wrong passwords are, towards the lock-out
    from axes.utils import reset

    reset(username=ravi)
    reset(username="no-such-user-users-test")


def it_counts_wrong_temporary_passwords_towards_the_sign_in_lock_out(ravi) -> None:
    from axes.utils import reset
    from django.conf import settings

    sent = {"username": ravi, "temporary": "abcd-efgh-jkmn-pqrs"}
    sent |= {"new_password": GOOD, "new_password_again": GOOD}
    client = client_for(None)
    limit = settings.AXES_FAILURE_LIMIT
    try:  # as at sign-in: the wrong guess that reaches the limit is answered with the lock-out
        answers = [client.post("/password/", sent).status_code for _ in range(limit + 1)]
    finally:
        reset(username=ravi)
    assert answers == [422] * (limit - 1) + [429, 429]


def it_disables_a_user_who_then_cannot_sign_in_and_keeps_them(ravi) -> None:
    admin = client_for("admin")
    signed_in = client_for(ravi)
    assert admin.post(f"/users/{ravi}/", {"action": "disable"}).status_code == 302
    assert audited(ravi)[0][:2] == ("admin", "user disabled")
    assert signed_in.get("/papers/").status_code == 302  # signed out at once
    assert not client_for(None).login(username=ravi, password=PASSWORD)
    listed = admin.get("/users/").content.decode()
    row = listed[listed.index(f"/users/{ravi}/") :][:600]
    assert "Disabled" in row
    assert "Enable ravi" in admin.get(f"/users/{ravi}/").content.decode()
    refused = admin.post(f"/users/{ravi}/", {"action": "reset"})
    assert refused.status_code == 422 and "enable them first" in refused.content.decode()
    assert admin.post(f"/users/{ravi}/", {"action": "enable"}).status_code == 302
    assert audited(ravi)[0][:2] == ("admin", "user enabled")
    assert client_for(None).login(username=ravi, password=PASSWORD)


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        (details(role="officer"), "your own administrator access"),
        ({"action": "disable"}, "you cannot disable yourself"),
        ({"action": "reset"}, "your own password"),
    ],
)
def it_keeps_an_admin_from_demoting_disabling_or_resetting_themselves(sent, said) -> None:
    web.project()
    from reportgen.web.roles import people

    admin = client_for("admin")
    form = sent | {"full_name": "", "email": "admin@example.org"} if "role" in sent else sent
    answer = admin.post("/users/admin/", form)
    assert answer.status_code == 422 and said in markup.unescape(answer.content.decode())
    held = next(p for p in people() if p.name == "admin")
    assert (held.role, held.active, held.password_due) == ("admin", True, False)
    assert client_for("admin").get("/users/").status_code == 200


def it_keeps_the_last_admin() -> None:
    web.project()
    from django.contrib.auth.models import User

    from reportgen.web.roles import RoleError, change_user, set_active

    others = User.objects.filter(groups__name="admin", is_active=True).exclude(username="admin")
    kept = list(others.values_list("pk", flat=True))
    User.objects.filter(pk__in=kept).update(is_active=False)
    try:  # `by` someone else: the command line, or an admin about to be disabled
        with pytest.raises(RoleError, match="the last administrator"):
            change_user("admin", "clerk", "", "admin@example.org", (), by="someone")
        with pytest.raises(RoleError, match="the last administrator"):
            set_active("admin", False, by="someone")
    finally:
        User.objects.filter(pk__in=kept).update(is_active=True)
    assert User.objects.get(username="admin").groups.filter(name="admin").exists()


@pytest.mark.parametrize("who", ["officer", "clerk", "cfo", None])
def it_shows_a_users_page_to_admins_only(ravi, who) -> None:
    client = client_for(who)
    for asked in (
        client.get(f"/users/{ravi}/"),
        client.post(f"/users/{ravi}/", {"action": "reset"}),
    ):
        if who is None:
            assert asked.status_code == 302 and "/login/" in asked["Location"]
        else:
            assert asked.status_code == 403
    assert client_for(None).login(username=ravi, password=PASSWORD)  # nothing was reset
    assert client_for("admin").get("/users/no-such-user-users-test/").status_code == 404


def it_lets_only_a_holder_give_the_exempt_permission() -> None:
    web.project()
    from django.contrib.auth.models import User

    from reportgen.web.roles import add_user

    User.objects.filter(username__in=["dora-admin", NAME]).delete()
    add_user("dora-admin", "admin", PASSWORD, False)
    add_user(NAME, "officer", PASSWORD, False)
    try:
        plain = client_for("dora-admin")
        assert "Allow exempt papers" not in plain.get("/users/").content.decode()
        given = plain.post("/users/", {"action": "exempt", "name": NAME})
        assert given.status_code == 403
        assert not User.objects.get(username=NAME).has_perm("web.view_exempt")
    finally:
        User.objects.filter(username__in=["dora-admin", NAME]).delete()


def it_lists_each_user_as_a_summary_that_stacks_on_a_phone(ravi) -> None:
    page = client_for("admin").get("/users/").content.decode()
    assert "<table" not in page
    assert '<dl class="summary-list">' in page and "users.css" in page
    assert f'<a href="/users/{ravi}/">{ravi}<span class="visually-hidden">' in page
    assert "Ravi Kumar" in page
