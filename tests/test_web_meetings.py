"""The clerk's meeting editor, through Django's test client: a meeting saved from the form
is the meeting file `reportgen pack` reads; problems are told beside their fields; the
buttons that move, add and remove items save nothing; and an exempt paper stays withheld,
never named, from a clerk who may not see it, and on the agenda as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import web
from web import EXEMPT, MEETING, PASSWORD

MEETING_FILE = f"data/meetings/{MEETING}.yaml"


@pytest.fixture
def root():
    root = web.project()
    yield root
    web.reset_file(MEETING_FILE)


def client_for(name: str):
    from django.test import Client

    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def form_of(page: str) -> dict[str, str]:
    """The editor's fields as the browser would send them (selected options, checked boxes)."""
    fields = dict(
        re.findall(r'<input type="(?:hidden|text|date)"[^>]*?name="([^"]+)" value="([^"]*)"', page)
    )
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    fields.update(dict.fromkeys(re.findall(r'name="([^"]+)" value="yes" checked', page), "yes"))
    return {
        name: value.replace("&amp;", "&").replace("&#x27;", "'") for name, value in fields.items()
    }


def check_passes(root: Path, path: Path) -> None:
    import reportgen

    checked = reportgen.Workspace(root).check([path])
    assert checked is not None


def it_saves_the_agenda_as_the_meeting_file_and_keeps_its_comments(root) -> None:
    from reportgen.web.models import AuditEntry, Version

    client = client_for("clerk")
    page = client.get(f"/meetings/{MEETING}/").content.decode()
    assert "Children and Young People Scrutiny Panel" in page
    assert page.count("<legend>Item") == 6
    form = form_of(page)
    assert form["item-5-paper"] == EXEMPT  # this clerk may see exempt papers
    form["venue"] = "Council Chamber, Civic Centre"
    form["membership"] = "Councillor Jane Smith (Chair)\n\nCouncillor Ali Khan"
    form.update({"contact-name": "Sam Lee", "contact-title": "Democratic Services Officer",
                 "contact-email": "sam.lee@harrow.gov.uk"})  # fmt: skip
    form["action"] = "save"
    saved = client.post(f"/meetings/{MEETING}/", form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    text = (root / MEETING_FILE).read_text()
    assert "venue: Council Chamber, Civic Centre" in text
    assert text.startswith("# The agenda of the Children")  # comments kept
    assert f"narrative: ../narrative/{EXEMPT}.yaml" in text
    assert "membership:\n  - Councillor Jane Smith (Chair)\n  - Councillor Ali Khan\n" in text
    assert "contact:\n  name: Sam Lee\n  title: Democratic Services Officer\n" in text
    assert text.index("contact:") < text.index("items:")  # the header before the items
    check_passes(root, root / MEETING_FILE)
    again = form_of(client.get(f"/meetings/{MEETING}/").content.decode())
    assert again["contact-email"] == "sam.lee@harrow.gov.uk"
    assert Version.objects.filter(path=MEETING_FILE, note="saved").exists()
    assert AuditEntry.objects.filter(action="save meeting", username="clerk").exists()


def it_withholds_an_exempt_paper_from_a_clerk_who_may_not_see_it(root) -> None:
    client = client_for("clerk-plain")
    page = client.get(f"/meetings/{MEETING}/").content.decode()
    assert "A paper withheld from you" in page
    assert EXEMPT not in page and "high-cost" not in page.lower()
    assert "High cost placements" not in page  # its subject is not offered either
    form = form_of(page)
    form["time"] = "6.30 pm"
    form["action"] = "save"
    assert client.post(f"/meetings/{MEETING}/", form).status_code == 302
    text = (root / MEETING_FILE).read_text()
    assert "time: 6.30 pm" in text
    assert f"narrative: ../narrative/{EXEMPT}.yaml   # exempt" in text  # kept as it was
    assert 'Remove<span class="visually-hidden"> item 5' not in page  # withheld: it stays
    dropped = client.post(f"/meetings/{MEETING}/", {**form, "action": "remove-5"})
    dropped = client.post(
        f"/meetings/{MEETING}/", {**form_of(dropped.content.decode()), "action": "save"}
    )
    assert dropped.status_code == 422  # a forged removal is refused
    assert "a paper withheld from you cannot be removed" in dropped.content.decode()
    assert (root / MEETING_FILE).read_text() == text
    # A forged choice of the exempt paper is refused, and names nothing.
    form["item-1-kind"], form["item-1-paper"] = "paper", EXEMPT
    refused = client.post(f"/meetings/{MEETING}/", form)
    assert refused.status_code == 422
    assert "Item 1 paper: no paper chosen" in refused.content.decode()
    assert (root / MEETING_FILE).read_text() == text


DATE = {"date-day": "18", "date-month": "1", "date-year": "2011"}


def it_adds_a_meeting_that_pack_can_read(root) -> None:
    client = client_for("clerk")
    page = client.get("/meetings/new").content.decode()
    form = form_of(page)
    form.update(committee="Performance and Finance Scrutiny Sub-Committee", time="7.30 pm",
                venue="Room 2", action="add", **DATE)  # fmt: skip
    added = client.post("/meetings/new", form).content.decode()
    assert added.count("<legend>Item") == 3
    form = form_of(added)
    form.update({"item-3-kind": "paper", "item-3-paper": web.PUBLIC, "action": "save"})
    saved = client.post("/meetings/new", form)
    path = root / "data/meetings/2011-01-18-performance-and-finance-scrutiny-sub-committee.yaml"
    try:
        assert saved.status_code == 302 and saved["Location"].endswith(f"/meetings/{path.stem}/")
        text = path.read_text()
        assert "committee: Performance and Finance Scrutiny Sub-Committee" in text
        assert "date: 2011-01-18" in text
        assert f"narrative: ../narrative/{web.PUBLIC}.yaml" in text
        check_passes(root, path)
        again = client.post("/meetings/new", form)  # the same committee and date
        assert again.status_code == 422
        assert "already has a meeting on that date" in again.content.decode()
    finally:
        path.unlink(missing_ok=True)


def it_says_what_is_wrong_beside_the_field_and_saves_nothing(root) -> None:
    client = client_for("clerk")
    before = (root / MEETING_FILE).read_text()
    form = form_of(client.get(f"/meetings/{MEETING}/").content.decode())
    form.update({"committee": "", "date-day": "45", "date-month": "13", "action": "save"})
    refused = client.post(f"/meetings/{MEETING}/", form)
    page = refused.content.decode()
    assert refused.status_code == 422 and "<title>Error:" in page
    committee = page[page.index('<label for="committee">') : page.index('id="committee"')]
    assert "is required" in committee
    date_field = page[page.index("<legend") : page.index('id="date-day"')]
    assert "Meeting date must be a real date" in date_field and "error-message" in date_field
    assert (root / MEETING_FILE).read_text() == before


def it_moves_adds_and_removes_items_without_saving(root) -> None:
    client = client_for("clerk")
    before = (root / MEETING_FILE).read_text()
    form = form_of(client.get(f"/meetings/{MEETING}/").content.decode())
    moved = form_of(
        client.post(f"/meetings/{MEETING}/", {**form, "action": "up-2"}).content.decode()
    )
    assert moved["item-1-title"] == "Declarations of interest"
    assert moved["item-2-title"] == "Apologies for absence"
    removed = client.post(f"/meetings/{MEETING}/", {**moved, "action": "remove-1"}).content.decode()
    assert removed.count("<legend>Item") == 5 and "Declarations of interest" not in removed
    assert (root / MEETING_FILE).read_text() == before


def it_refuses_a_save_over_someone_elses(root) -> None:
    first, second = client_for("clerk"), client_for("admin")
    mine = form_of(first.get(f"/meetings/{MEETING}/").content.decode())
    theirs = form_of(second.get(f"/meetings/{MEETING}/").content.decode())
    assert (
        second.post(
            f"/meetings/{MEETING}/", {**theirs, "venue": "Room 9", "action": "save"}
        ).status_code
        == 302
    )
    refused = first.post(
        f"/meetings/{MEETING}/", {**mine, "venue": "Room 1", "action": "save"}, follow=True
    )
    assert "someone else changed this meeting" in refused.content.decode()
    assert "venue: Room 9" in (root / MEETING_FILE).read_text()
    from reportgen.web.models import Version

    kept = Version.objects.filter(path=MEETING_FILE, draft=True).order_by("-number").first()
    assert kept is not None and "venue: Room 1" in kept.text  # the refused words are not lost


def pdf_text(content: bytes, tmp_path: Path) -> str:
    import subprocess

    from conftest import require_tool

    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(content)
    command = [require_tool("pdftotext"), "-layout", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.jobs
def it_builds_the_packs_in_the_background_and_keeps_the_exempt_one_from_others(
    root, jobs, tmp_path
) -> None:
    from conftest import require_tool

    require_tool("soffice")
    from reportgen.web.models import AuditEntry

    client = client_for("clerk")
    path = root / MEETING_FILE
    path.write_text(path.read_text().replace("items:", "membership:\n  - Councillor Jane Smith "
                    "(Chair)\ncontact:\n  name: Sam Lee\n  title: Democratic Services Officer\n"
                    "  phone: 020 8424 1234\nitems:"))  # fmt: skip
    built = web.finished(client, client.post(f"/meetings/{MEETING}/pack").content.decode())
    assert "The agenda pack is built" in built, built[:3000]
    assert "Public pack" in built and "Exempt pack" in built
    public = b"".join(client.get(f"/meetings/{MEETING}/packs/agenda-pack.pdf").streaming_content)
    exempt = b"".join(
        client.get(f"/meetings/{MEETING}/packs/exempt-agenda-pack.pdf").streaming_content
    )
    assert public.startswith(b"%PDF") and exempt.startswith(b"%PDF")
    unique = "residential"  # words only the exempt paper has
    public_text = pdf_text(public, tmp_path)
    assert "Children and Young People Scrutiny Panel" in public_text
    pages = [page for page in public_text.split("\f") if page.strip()]
    for number, page in enumerate(pages, 1):  # one page number on each page: the pack's
        assert re.findall(r"Page \d+ of \d+", page) == [f"Page {number} of {len(pages)}"]
    front = " ".join(pages[0].split())  # the front sheet, one line
    assert "London Borough of Harrow" in front
    assert "Membership: Councillor Jane Smith (Chair)" in front
    assert "Contact: Sam Lee, Democratic Services Officer, 020 8424 1234" in front
    assert "paragraph 3 of Part 1 of Schedule 12A" in front
    assert "press and public be excluded from the meeting for this item" in front
    # Each item with the page its paper starts on in the pack.
    minutes = int(re.search(r"9 September 2026 page (\d+)", front).group(1))
    report = int(re.search(r"Performance Report page (\d+)", front).group(1))
    assert "Minutes of the meeting held on 9 September" in pages[minutes - 1]
    assert "Subject: Performance Report" in pages[report - 1] and report > minutes
    assert unique not in public_text.lower().replace("high-cost residential placements", "")
    assert unique in pdf_text(exempt, tmp_path).lower()
    assert AuditEntry.objects.filter(action="download exempt pack", username="clerk").exists()
    plain = client_for("clerk-plain")
    page = plain.get(f"/meetings/{MEETING}/").content.decode()
    assert "Public pack" in page and "Exempt pack" not in page
    assert plain.get(f"/meetings/{MEETING}/packs/exempt-agenda-pack.pdf").status_code == 404


@pytest.mark.jobs
def it_says_why_a_pack_failed_and_keeps_the_earlier_one(root, jobs) -> None:
    from conftest import require_tool

    import reportgen

    require_tool("soffice")
    client = client_for("clerk")
    summary = next(m for m in reportgen.Workspace(root).meetings() if m.name == MEETING)
    earlier = {p: p.read_bytes() for p in reportgen.Workspace(root).packs_of(summary)}
    if not earlier:  # a pack to keep
        built = web.finished(client, client.post(f"/meetings/{MEETING}/pack").content.decode())
        assert "is built" in built
        earlier = {p: p.read_bytes() for p in reportgen.Workspace(root).packs_of(summary)}
    path = root / MEETING_FILE
    path.write_text(path.read_text().replace("2026-09-09-minutes.pdf", "2026-09-09-minutez.pdf"))
    failed = web.finished(client, client.post(f"/meetings/{MEETING}/pack").content.decode())
    assert "The agenda pack was not built: 1 problem" in failed
    assert (
        "In the meeting&#x27;s agenda: " in failed
        and "Item 3 file" in failed
        and "minutez" in failed
    )
    assert "The packs built before, if any, are kept" in failed
    assert {p: p.read_bytes() for p in reportgen.Workspace(root).packs_of(summary)} == earlier


def it_takes_a_supplied_paper_that_opens_and_never_replaces_one(root) -> None:
    import io

    import pypdf
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reportgen.web.models import AuditEntry

    client = client_for("clerk")
    minutes = (root / "data/meetings/supplied/2026-09-09-minutes.pdf").read_bytes()
    added = root / "data/meetings/supplied/2026-10-14-minutes.pdf"
    try:
        upload = SimpleUploadedFile("2026-10-14-minutes.pdf", minutes, "application/pdf")
        done = client.post(f"/meetings/{MEETING}/supplied", {"paper": upload}, follow=True)
        page = done.content.decode()
        assert "2026-10-14-minutes.pdf is uploaded" in page
        assert '<option value="supplied/2026-10-14-minutes.pdf"' in page  # an item may name it
        assert added.read_bytes() == minutes
        assert AuditEntry.objects.filter(action="upload supplied paper").exists()
        other = io.BytesIO()
        writer = pypdf.PdfWriter()
        writer.add_blank_page(595, 842)
        writer.write(other)
        again = SimpleUploadedFile("2026-10-14-minutes.pdf", other.getvalue(), "application/pdf")
        refused = client.post(f"/meetings/{MEETING}/supplied", {"paper": again})
        assert refused.status_code == 422 and "is there already" in refused.content.decode()
        assert added.read_bytes() == minutes  # kept
        broken = SimpleUploadedFile(
            "broken.docx", b"not a Word document", "application/octet-stream"
        )
        refused = client.post(f"/meetings/{MEETING}/supplied", {"paper": broken})
        assert refused.status_code == 422
        assert "open it in Word and save it as a Word Document" in refused.content.decode()
        assert not (root / "data/meetings/supplied/broken.docx").exists()
        odd = SimpleUploadedFile("../../config/authority.yaml", b"name: x", "text/plain")
        refused = client.post(f"/meetings/{MEETING}/supplied", {"paper": odd})
        assert (
            refused.status_code == 422 and "not a name reportgen takes" in refused.content.decode()
        )
    finally:
        added.unlink(missing_ok=True)
