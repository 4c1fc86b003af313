"""Clearance as the paper's author sees it: the paper's page shows each role's state (who
and when, and a return's comment) in words; the author (whoever last saved the paper) is
e-mailed when it is returned, with the comment, and when every role has cleared it, never
about an exempt paper they may not see; clearers land on what is waiting for them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import web
from web import EXEMPT, PASSWORD

PAPER = "2026-11-04-childrens-performance-report"
CFO = "Chief Financial Officer"
MONITORING = "Monitoring Officer"


@pytest.fixture
def root():
    root = web.project()
    from reportgen.web.models import ClearanceEvent, Version

    mail = root / ".reportgen" / "mail"
    for sent in mail.glob("*.log") if mail.is_dir() else ():
        sent.unlink()
    known = set(Version.objects.values_list("id", flat=True))
    yield root
    for name in (PAPER, EXEMPT):
        (root / "data" / "clearance" / f"{name}.yaml").unlink(missing_ok=True)
    ClearanceEvent.objects.all().delete()
    Version.objects.exclude(id__in=known).delete()


def client_for(name: str):
    from django.test import Client

    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def messages(root: Path) -> list[str]:
    """Each e-mail sent, as the file backend wrote it."""
    folder = root / ".reportgen" / "mail"
    text = "\n".join(p.read_text() for p in sorted(folder.glob("*.log"))) if folder.is_dir() else ""
    return [m for m in re.split(r"\n-{79}\n?", text) if m.strip()]


def to(root: Path, address: str) -> list[str]:
    return [m for m in messages(root) if f"To: {address}" in m]


def saved_by(name: str, paper: str, draft: bool = False) -> None:
    """A version of `paper` saved in the service by `name` (the file's own words)."""
    from django.contrib.auth.models import User

    from reportgen.web import service

    path = web.project() / "data" / "narrative" / f"{paper}.yaml"
    note = "saved as a draft" if draft else "saved"
    service.keep_version(
        service.relative(path), path.read_bytes(), User.objects.get(username=name), note, draft
    )


def content_on(page: str) -> str:
    found = re.search(r'name="content" value="([0-9a-f]{64})"', page)
    assert found, "no clearance form on the page"
    return found.group(1)


def answer(name: str, paper: str, action: str, role: str, comment: str = "") -> None:
    client = client_for(name)
    content = content_on(client.get(f"/papers/{paper}/clearance").content.decode())
    form = {"action": action, "role": role, "content": content, "comment": comment}
    assert client.post(f"/papers/{paper}/clearance", form).status_code == 302


def panel_for(name: str, paper: str) -> str:
    """The paper's clearance panel as `name` sees it on the paper's page."""
    from django.contrib.auth.models import User
    from django.template.loader import render_to_string

    from reportgen.web import clearing, service

    user = User.objects.get(username=name)
    found = service.paper_for(user, paper)
    context = {"clearance_panel": clearing.panel(found, user)}
    return " ".join(render_to_string("web/_clearance_panel.html", context).split())


def in_words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def it_shows_the_author_each_roles_state_in_words(root) -> None:
    assert "Not cleared not asked yet" in in_words(panel_for("officer", PAPER))
    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    answer("cfo", PAPER, "clear", CFO)
    answer("monitoring-plain", PAPER, "return", MONITORING, "Say what 4.2 costs\nand who pays")
    shown = panel_for("officer", PAPER)
    words = in_words(shown)
    assert f"{CFO} Cleared by Dawn Okafor on " in words
    assert f"{MONITORING} Returned by monitoring-plain on " in words
    assert "Their comment: Say what 4.2 costs and who pays" in words
    assert "Say what 4.2 costs<br>and who pays" in shown  # its lines kept, escaped
    # A GOV.UK summary list: each role a key, its state in words beside its colour.
    assert shown.count('<dt class="summary-list__key">') == 2
    assert '<strong class="tag tag--ready">Cleared</strong>' in shown
    assert '<strong class="tag tag--problems">Returned</strong>' in shown
    assert f'href="/papers/{PAPER}/clearance"' in shown


def it_shows_a_role_asked_and_waiting_and_one_out_of_date(root) -> None:
    from django.contrib.auth.models import User

    from reportgen.web import clearing, service

    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    words = in_words(panel_for("officer", PAPER))
    assert f"{CFO} Not cleared asked on " in words and "waiting for an answer" in words
    cfo = User.objects.get(username="cfo")
    shown = clearing.panel(service.paper_for(cfo, PAPER), cfo)
    assert shown["yours"] == [CFO] and not shown["cleared"]
    assert f"Clear it or return it as {CFO}" in panel_for("cfo", PAPER)
    assert "Clear it or return it" not in panel_for("officer", PAPER)


def it_says_when_every_role_has_cleared_it(root) -> None:
    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    answer("cfo", PAPER, "clear", CFO)
    answer("monitoring-plain", PAPER, "clear", MONITORING)
    assert "Every role has cleared this paper as it is now." in panel_for("officer", PAPER)


def it_emails_the_author_a_return_with_its_comment(root) -> None:
    saved_by("officer", PAPER)
    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    answer("cfo", PAPER, "return", CFO, "Cost the plan in 4.2")
    (told,) = to(root, "officer@example.org")
    assert "Subject: Your paper was returned: Performance Report" in told
    assert f"Dawn Okafor has returned your paper as {CFO}." in told
    assert "Cost the plan in 4.2" in told and f"/papers/{PAPER}/" in told


def it_emails_the_author_only_once_every_role_has_cleared_it(root) -> None:
    saved_by("officer", PAPER)
    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    answer("cfo", PAPER, "clear", CFO)
    assert to(root, "officer@example.org") == []
    answer("monitoring-plain", PAPER, "clear", MONITORING, "Fine by me")
    (told,) = to(root, "officer@example.org")
    assert "Subject: Your paper is cleared: Performance Report" in told
    assert f"the last was monitoring-plain as {MONITORING}" in told


def it_takes_the_author_from_the_newest_save_not_a_draft(root) -> None:
    saved_by("officer", PAPER)
    saved_by("officer-exempt", PAPER, draft=True)
    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    answer("cfo", PAPER, "return", CFO, "Cost the plan in 4.2")
    assert len(to(root, "officer@example.org")) == 1
    assert to(root, "officer-exempt@example.org") == []


def it_tells_an_author_who_asked_once_not_twice(root) -> None:
    saved_by("clerk", PAPER)
    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    answer("cfo", PAPER, "return", CFO, "Cost the plan in 4.2")
    (told,) = to(root, "clerk@example.org")
    assert "Your paper was returned" in told


def it_tells_no_one_of_a_paper_no_one_saved_in_the_service(root) -> None:
    from reportgen.web.models import Version

    Version.objects.filter(path=f"data/narrative/{PAPER}.yaml").delete()  # saved by no one
    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    answer("cfo", PAPER, "return", CFO, "Cost the plan in 4.2")
    assert not any("Your paper" in m for m in messages(root))


def it_never_mails_an_exempt_paper_to_an_author_who_may_no_longer_see_it(root) -> None:
    from reportgen.web.roles import set_exempt

    saved_by("officer-exempt", EXEMPT)
    client_for("clerk").post(f"/papers/{EXEMPT}/clearance", {"action": "ask"})
    set_exempt("officer-exempt", False)
    try:
        answer("cfo", EXEMPT, "return", CFO, "Name the provider")
    finally:
        set_exempt("officer-exempt", True)
    assert to(root, "officer-exempt@example.org") == []
    answer("cfo", EXEMPT, "return", CFO, "Name the provider, please")
    (told,) = to(root, "officer-exempt@example.org")
    assert "Name the provider, please" in told


def it_answers_for_an_exempt_paper_as_for_one_that_does_not_exist(root) -> None:
    from django.contrib.auth.models import User
    from django.http import Http404

    from reportgen.web import clearing, service

    officer = User.objects.get(username="officer")
    exempt = service.paper_for(User.objects.get(username="clerk"), EXEMPT)
    with pytest.raises(Http404) as hidden:
        clearing.panel(exempt, officer)
    with pytest.raises(Http404) as missing:
        service.paper_for(officer, "no-such-paper")
    assert str(hidden.value) == str(missing.value)


@pytest.mark.parametrize(
    ("name", "lands"),
    [
        ("cfo", "/clearance/"),
        ("monitoring-plain", "/clearance/"),
        ("officer", "/papers/"),
        ("clerk", "/papers/"),
        ("admin", "/papers/"),
    ],
)
def it_lands_a_clearer_on_what_is_waiting_for_them(root, name: str, lands: str) -> None:
    assert client_for(name).get("/")["Location"] == lands


def it_lands_someone_who_clears_and_edits_on_the_papers(root) -> None:
    from reportgen.web.roles import set_clears

    set_clears("officer", [CFO])
    try:
        assert client_for("officer").get("/")["Location"] == "/papers/"
    finally:
        set_clears("officer", [])


def it_sends_a_visitor_to_sign_in(root) -> None:
    from django.test import Client

    assert Client().get("/")["Location"] == "/login/"


def it_lands_a_clearer_on_what_is_waiting_for_them_after_signing_in(root) -> None:
    from django.test import Client

    client = Client()
    signed_in = client.post("/login/", {"username": "cfo", "password": PASSWORD}, follow=True)
    assert signed_in.redirect_chain[-1][0] == "/clearance/"
    assert "Waiting for you" in signed_in.content.decode()
