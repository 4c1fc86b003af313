"""Publishing a meeting through the service: refused while a paper is not cleared unless
the clerk overrides with a reason (kept in the audit log); then the packs, the papers'
snapshots and the public copy; the public committee pages (no sign-in) list the public
pack and papers and never an exempt paper, whose words appear in nothing public."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
import web
from web import EXEMPT, MEETING, PASSWORD

PAPER = "2026-11-04-childrens-performance-report"
COMMITTEE = "children-and-young-people-scrutiny-panel"
# Words of the exempt paper's body that no public paper has (checked below).
EXEMPT_WORDS = ("Oakfield Lodge", "£6,850")


@pytest.fixture
def root():
    root = web.project()
    yield root
    import shutil

    from reportgen.web.models import ClearanceEvent

    for folder in ("public", "out", "data/clearance"):
        shutil.rmtree(root / folder, ignore_errors=True)
    shutil.rmtree(root / "data" / "published" / f"2026-11-04-{COMMITTEE}", ignore_errors=True)
    ClearanceEvent.objects.all().delete()


def client_for(name: str | None):
    from django.test import Client

    client = Client()
    if name:
        assert client.login(username=name, password=PASSWORD)
    return client


def clear_all(root: Path) -> None:
    import reportgen

    for name in (PAPER, EXEMPT):
        path = root / "data" / "narrative" / f"{name}.yaml"
        for role in ("Chief Financial Officer", "Monitoring Officer"):
            reportgen.Workspace(root).sign_off(path, role, "Dawn Okafor", date(2026, 10, 30))


def text_of(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "file.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def it_refuses_to_publish_papers_not_cleared_without_a_reason(root) -> None:
    from reportgen.web.models import AuditEntry

    clerk = client_for("clerk")
    page = clerk.get(f"/meetings/{MEETING}/").content.decode()
    assert "Clearance and publishing" in page and "0 of 2 roles cleared" in page
    refused = clerk.post(f"/meetings/{MEETING}/publish")
    assert refused.status_code == 422
    said = refused.content.decode()
    assert "The meeting was not published" in said and "2 papers are not cleared" in said
    no_reason = clerk.post(f"/meetings/{MEETING}/publish", {"override": "yes", "reason": " "})
    assert no_reason.status_code == 422
    assert "Say why you are publishing without clearance" in no_reason.content.decode()
    assert not (root / "public").exists()
    assert not AuditEntry.objects.filter(action__startswith="publish").exists()
    plain = client_for("clerk-plain").get(f"/meetings/{MEETING}/").content.decode()
    assert "A paper withheld from you" in plain and "High-cost" not in plain


@pytest.mark.jobs
def it_publishes_the_meeting_and_shows_only_public_papers_to_the_public(
    root, jobs, tmp_path
) -> None:
    from conftest import require_tool

    from reportgen.web.models import AuditEntry

    require_tool("soffice")
    require_tool("pdftotext")
    exempt_text = (root / "data" / "narrative" / f"{EXEMPT}.yaml").read_text()
    assert all(word in exempt_text for word in EXEMPT_WORDS)
    clear_all(root)
    clerk = client_for("clerk")
    answer = clerk.post(f"/meetings/{MEETING}/publish")
    assert answer.status_code == 302
    page = web.finished(clerk, clerk.get(answer["Location"]).content.decode())
    assert "The meeting is published" in page, page[:2000]
    assert AuditEntry.objects.filter(action="publish", username="clerk").exists()
    assert not AuditEntry.objects.filter(action="publish without clearance").exists()
    snapshots = root / "data" / "published" / f"2026-11-04-{COMMITTEE}"
    assert (snapshots / f"{PAPER}.json").is_file() and (
        snapshots / "packs" / "agenda-pack.json"
    ).is_file()

    public = client_for(None)
    listed = public.get("/committees/").content.decode()
    assert f'href="/committees/{COMMITTEE}/"' in listed
    committee = public.get(f"/committees/{COMMITTEE}/").content.decode()
    assert "Agenda pack (PDF" in committee and "Performance Report" in committee
    assert "High-cost" not in committee and EXEMPT not in committee
    files = sorted(set(__import__("re").findall(r'href="(/committees/[^"]+\.pdf)"', committee)))
    assert len(files) >= 3  # the pack, the minutes, the performance report
    everything = committee + listed
    for address in files:
        response = public.get(address)
        assert response.status_code == 200, address
        everything += text_of(b"".join(response.streaming_content), tmp_path)
    assert "Performance Report" in everything
    for word in EXEMPT_WORDS:
        assert word not in everything, word
    for path in (root / "public").rglob("*"):
        if path.suffix == ".pdf":
            assert not any(w in text_of(path.read_bytes(), tmp_path) for w in EXEMPT_WORDS)
    assert (
        public.get(
            f"/committees/{COMMITTEE}/2026-11-04-{COMMITTEE}/exempt-agenda-pack.pdf"
        ).status_code
        == 404
    )
    mail = "".join(p.read_text() for p in (root / ".reportgen" / "mail").glob("*.log"))
    assert "Subject: Agenda pack published: Children and Young People Scrutiny Panel" in mail


@pytest.mark.jobs
def it_publishes_without_clearance_when_the_clerk_says_why(root, jobs) -> None:
    from conftest import require_tool

    from reportgen.web.models import AuditEntry

    require_tool("soffice")
    clerk = client_for("clerk")
    reason = "The Chief Financial Officer is on leave; cleared by phone on 3 November"
    answer = clerk.post(f"/meetings/{MEETING}/publish", {"override": "yes", "reason": reason})
    assert answer.status_code == 302
    web.finished(clerk, clerk.get(answer["Location"]).content.decode())
    entry = AuditEntry.objects.get(action="publish without clearance")
    assert reason in entry.detail and PAPER in entry.detail
    assert (root / "public" / f"2026-11-04-{COMMITTEE}" / "agenda-pack.pdf").is_file()
