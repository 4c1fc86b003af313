"""Clearance through the service: a clerk asks; a clearer who holds the role clears the
paper (which then prints their name and date) or returns it with a comment; a paper saved
with other words after clearance is out of date and asked again; each step is audited and
told by e-mail; no one else can clear, and an exempt paper is never shown or mailed to a
clearer who may not see it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
import web
from web import EXEMPT, PASSWORD

PAPER = "2026-11-04-childrens-performance-report"
NARRATIVE = f"data/narrative/{PAPER}.yaml"
CFO = "Chief Financial Officer"


@pytest.fixture
def root():
    root = web.project()
    from reportgen.web.models import ClearanceEvent

    mail = root / ".reportgen" / "mail"
    for sent in mail.glob("*.log") if mail.is_dir() else ():
        sent.unlink()
    yield root
    for name in (PAPER, EXEMPT):
        web.reset_file(f"data/narrative/{name}.yaml")
        (root / "data" / "clearance" / f"{name}.yaml").unlink(missing_ok=True)
    ClearanceEvent.objects.all().delete()


def client_for(name: str):
    from django.test import Client

    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def mail(root: Path) -> str:
    folder = root / ".reportgen" / "mail"
    return "\n".join(p.read_text() for p in sorted(folder.glob("*.log"))) if folder.is_dir() else ""


def content_on(page: str) -> str:
    found = re.search(r'name="content" value="([0-9a-f]{64})"', page)
    assert found, "no clearance form on the page"
    return found.group(1)


def printed_clearance(client) -> list[list[str]]:
    paper = docx.Document(io.BytesIO(client.get(f"/papers/{PAPER}/download.docx").content))
    table = next(t for t in paper.tables if t.rows[0].cells[0].text == "Name")
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def it_asks_clears_and_prints_who_cleared_it(root) -> None:
    from reportgen.web.models import AuditEntry

    clerk = client_for("clerk")
    assert clerk.post(f"/papers/{PAPER}/clearance", {"action": "ask"}).status_code == 302
    sent = mail(root)
    assert "Subject: Clearance asked: Performance Report" in sent
    assert "To: cfo@example.org" in sent and "To: monitoring-plain@example.org" in sent
    assert f"/papers/{PAPER}/clearance" in sent

    cfo = client_for("cfo")
    waiting = cfo.get("/clearance/").content.decode()
    assert f'href="/papers/{PAPER}/clearance"' in waiting
    page = cfo.get(f"/papers/{PAPER}/clearance").content.decode()
    assert f"Clear as {CFO}" in page and "Clear as Monitoring Officer" not in page
    answer = cfo.post(
        f"/papers/{PAPER}/clearance",
        {"action": "clear", "role": CFO, "content": content_on(page), "comment": ""},
    )
    assert answer.status_code == 302
    assert printed_clearance(clerk)[0][:2] == ["Dawn Okafor", CFO]
    assert printed_clearance(clerk)[1] == ["Not yet cleared", "Monitoring Officer", ""]
    assert "Subject: Clearance cleared: Performance Report" in mail(root)
    assert "To: clerk@example.org" in mail(root)
    assert AuditEntry.objects.filter(action="clearance cleared", username="cfo").exists()
    assert f'href="/papers/{PAPER}/clearance"' not in cfo.get("/clearance/").content.decode()


def it_returns_a_paper_only_with_a_comment(root) -> None:
    client_for("clerk").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    cfo = client_for("cfo")
    content = content_on(cfo.get(f"/papers/{PAPER}/clearance").content.decode())
    refused = cfo.post(
        f"/papers/{PAPER}/clearance", {"action": "return", "role": CFO, "content": content}
    )
    assert refused.status_code == 422
    assert "Say why you are returning it" in refused.content.decode()
    cfo.post(
        f"/papers/{PAPER}/clearance",
        {"action": "return", "role": CFO, "content": content, "comment": "Cost the plan in 4.2"},
    )
    page = client_for("clerk").get(f"/papers/{PAPER}/clearance").content.decode()
    assert "Returned by Dawn Okafor" in page and "Cost the plan in 4.2" in page
    assert "Cost the plan in 4.2" in mail(root)
    assert "Dawn Okafor" not in (root / "data" / "clearance" / f"{PAPER}.yaml").read_text()


def it_asks_again_when_the_paper_changes_after_clearance(root) -> None:
    clerk = client_for("clerk")
    clerk.post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    cfo = client_for("cfo")
    content = content_on(cfo.get(f"/papers/{PAPER}/clearance").content.decode())
    cfo.post(f"/papers/{PAPER}/clearance", {"action": "clear", "role": CFO, "content": content})
    editor = client_for("officer").get(f"/papers/{PAPER}/").content.decode()
    base = re.search(r'name="base" value="([0-9a-f]{64})"', editor).group(1)
    text = (root / NARRATIVE).read_text()
    changed = text.replace(
        "summary: |\n", "summary: |\n  Revised after the panel's questions.\n", 1
    )
    assert changed != text
    saved = client_for("officer").post(
        f"/papers/{PAPER}/save", {"base": base, "raw": changed, "save": "1"}
    )
    assert saved.status_code == 302
    page = clerk.get(f"/papers/{PAPER}/clearance").content.decode()
    assert "Out of date: cleared by Dawn Okafor" in page and "asked again" in page
    assert printed_clearance(clerk)[0] == ["Not yet cleared", CFO, ""]
    assert "It was changed after it was cleared" in mail(root)
    stale = cfo.post(
        f"/papers/{PAPER}/clearance", {"action": "clear", "role": CFO, "content": content}
    )
    assert stale.status_code == 422 and "changed since you opened it" in stale.content.decode()


def it_lets_only_the_roles_holders_clear(root) -> None:
    content = content_on(client_for("cfo").get(f"/papers/{PAPER}/clearance").content.decode())
    for user, role in (("officer", CFO), ("clerk", CFO), ("cfo", "Monitoring Officer")):
        forged = client_for(user).post(
            f"/papers/{PAPER}/clearance", {"action": "clear", "role": role, "content": content}
        )
        assert forged.status_code == 403, user
    assert not (root / "data" / "clearance" / f"{PAPER}.yaml").exists()
    asked = client_for("cfo").post(f"/papers/{PAPER}/clearance", {"action": "ask"})
    assert asked.status_code == 403


def it_keeps_an_exempt_paper_from_a_clearer_who_may_not_see_it(root) -> None:
    client_for("clerk").post(f"/papers/{EXEMPT}/clearance", {"action": "ask"})
    sent = mail(root)
    assert "To: cfo@example.org" in sent
    assert "monitoring-plain@example.org" not in sent
    plain = client_for("monitoring-plain")
    assert plain.get(f"/papers/{EXEMPT}/clearance").status_code == 404
    assert "placements" not in plain.get("/clearance/").content.decode().lower()
