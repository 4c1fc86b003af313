"""Data files: which papers an upload changes (their printed figures compared, in the
library), a second download a browser renamed (`name (1).csv`) asked about rather than
refused, a new file said to be added, and each file downloaded, its versions listed and
one restored, through the service as an officer uses it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import web
from web import PASSWORD, PUBLIC

import reportgen
from reportgen import Workspace

NAME = "assessments-2010-11.csv"
OCTOBER_PAPER = "2010-12-07-corporate-parenting-update"  # NI59 and NI60 as at 2010-10
NOVEMBER_PAPER = PUBLIC  # NI59 and NI60 as at 2010-11
ORIGINAL = (web.REPO / "data/indicators" / NAME).read_bytes()
# The file with one change each: a row for a month after both papers' periods, and
# November's and October's NI59 figures restated.
EDITS = {
    "unchanged": ORIGINAL,
    "a December row": ORIGINAL + b"NI59,2010-12,50,60,,provisional,\n",
    "November restated": ORIGINAL.replace(b"NI59,2010-11,55,59", b"NI59,2010-11,50,59"),
    "October restated": ORIGINAL.replace(b"NI59,2010-10,51,57", b"NI59,2010-10,40,57"),
}


@pytest.mark.parametrize(
    ("edit", "papers"),
    [
        ("unchanged", []),
        ("a December row", []),  # no paper prints December: their rebuilt figures are the same
        ("November restated", [NOVEMBER_PAPER]),
        ("October restated", [OCTOBER_PAPER, NOVEMBER_PAPER]),  # November's prints October
    ],
)
def it_lists_the_papers_whose_printed_figures_change(example: Path, edit, papers) -> None:
    checked = Workspace(example).check_data(NAME, EDITS[edit])
    assert [path.stem for path in checked.changed] == papers


def it_never_takes_an_unsaved_files_figures_for_todays(example: Path) -> None:
    import reportgen

    cache = reportgen.Cache()  # one, as the service keeps between requests
    assert Workspace(example, cache).check_data(NAME, EDITS["November restated"]).changed
    paper = example / "data/narrative" / f"{NOVEMBER_PAPER}.yaml"
    shown = {f.expression: f.shows for f in Workspace(example, cache).live_figures(paper)}
    assert shown["{{ NI59.latest }}"] == "93%"  # 55 of 59, not the upload's 50 of 59


@pytest.fixture(scope="module")
def root():
    return web.project()


@pytest.fixture
def fresh(root):
    """The data file as the example has it, before and after the test."""
    web.reset_file(f"data/indicators/{NAME}")
    yield root
    web.reset_file(f"data/indicators/{NAME}")
    for name in ("monthly-extra.csv", "assessments-2010-11 (1).csv"):
        (root / "data/indicators" / name).unlink(missing_ok=True)


def client_for(name: str):
    from django.test import Client

    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def upload(client, name: str, content: bytes):
    sent = io.BytesIO(content)
    sent.name = name
    return client.post("/data/", {"file": sent})


def _held(page: str) -> str:
    found = re.search(r'name="held" value="([0-9a-f]{32})"', page)
    assert found, page
    return found.group(1)


def it_asks_which_file_a_browser_renamed_download_replaces(fresh) -> None:
    from reportgen.web.models import AuditEntry, Version

    client = client_for("officer")
    asked = upload(client, "assessments-2010-11 (1).csv", EDITS["November restated"])
    page = asked.content.decode()
    assert (
        asked.status_code == 200 and "Which file does assessments-2010-11 (1).csv replace?" in page
    )
    # Each CSV file it may replace, the likely one chosen; it is no new file of its own name.
    assert re.search(r'value="assessments-2010-11.csv" checked>', page)
    assert re.search(r'value="scorecard-2026-27.csv">', page)
    assert "add it as a new file" not in page
    assert (fresh / "data/indicators" / NAME).read_bytes() == ORIGINAL  # nothing saved yet
    answered = client.post("/data/", {"held": _held(page), "replaces": NAME})
    page = answered.content.decode()
    assert answered.status_code == 200
    assert f"{NAME} is saved." in page and "The file it replaced is kept as a version." in page
    assert "Papers with other figures now" in page
    assert "Performance Update on National Indicators" in page  # November's paper
    assert "INFORMATION REPORT – Performance Update" not in page  # October's prints the same
    assert (fresh / "data/indicators" / NAME).read_bytes() == EDITS["November restated"]
    assert not (fresh / "data/indicators/assessments-2010-11 (1).csv").exists()
    kept = Version.objects.filter(path=f"data/indicators/{NAME}").order_by("-number")
    assert kept[0].note == "uploaded as assessments-2010-11 (1).csv"
    assert bytes(kept[1].content) == ORIGINAL  # the file it replaced
    entry = AuditEntry.objects.filter(action="upload data").first()
    assert entry.target == f"data/indicators/{NAME}" and entry.username == "officer"
    # The same answer again: the held file is gone, and nothing is saved twice.
    again = client.post("/data/", {"held": _held(asked.content.decode()), "replaces": NAME})
    assert again.status_code == 422 and "no longer waiting" in again.content.decode()


@pytest.mark.parametrize(
    ("name", "likely"),
    [
        ("scorecard-2026-27(2).csv", "scorecard-2026-27.csv"),
        ("assessments-2010-11 (12).csv", NAME),
        ("monthly-extra (1).csv", "monthly-extra.csv"),  # none of that name: a new file
    ],
)
def it_chooses_the_likely_file_for_a_renamed_download(fresh, name, likely) -> None:
    page = upload(client_for("officer"), name, ORIGINAL).content.decode()
    assert re.search(rf'value="{re.escape(likely)}" checked>', page), page
    assert page.count(" checked>") == 1


def it_asks_again_when_no_file_is_chosen(fresh) -> None:
    client = client_for("officer")
    token = _held(upload(client, "assessments-2010-11 (1).csv", ORIGINAL).content.decode())
    refused = client.post("/data/", {"held": token})
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "<title>Error: Which file does it replace?" in page
    assert '<a href="#replaces-1">Choose the file assessments-2010-11 (1).csv replaces</a>' in page
    assert 'aria-describedby="replaces-hint replaces-error"' in page
    assert 'id="replaces-1" name="replaces"' in page
    # Someone else's held upload is theirs alone.
    other = client_for("clerk").post("/data/", {"held": token, "replaces": NAME})
    assert other.status_code == 422 and "no longer waiting" in other.content.decode()
    # Nor can an answer name a file that is not one of the choices.
    sneaky = client.post("/data/", {"held": token, "replaces": "../../config/authority.yaml"})
    assert sneaky.status_code == 422
    assert (fresh / "config/authority.yaml").read_bytes() == (
        web.REPO / "config/authority.yaml"
    ).read_bytes()


def it_says_a_new_file_is_added_not_that_one_was_replaced(fresh) -> None:
    client = client_for("officer")
    december = b"indicator,period,numerator,denominator,value,status,note\n"
    december += b"NI59,2010-12,50,60,,provisional,\n"
    page = upload(client, "monthly-extra.csv", december).content.decode()
    assert "monthly-extra.csv is added</strong> as a new data file." in page
    assert "The file it replaced" not in page
    assert "No paper's figures change." in page  # no paper prints December
    assert (fresh / "data/indicators/monthly-extra.csv").read_bytes() == december


def it_downloads_a_data_file_lists_its_versions_and_restores_one(fresh) -> None:
    from reportgen.web.models import AuditEntry, Version

    client = client_for("officer")
    got = client.get(f"/data/files/{NAME}")
    assert got.status_code == 200 and got.content == ORIGINAL
    assert got["Content-Disposition"] == f'attachment; filename="{NAME}"'
    assert upload(client, NAME, EDITS["October restated"]).status_code == 200
    versions = list(Version.objects.filter(path=f"data/indicators/{NAME}").order_by("number"))
    original = next(v for v in reversed(versions) if bytes(v.content) == ORIGINAL)
    listed = client.get(f"/data/files/{NAME}/versions/").content.decode()
    assert f"Version {versions[-1].number}" in listed and "officer" in listed
    assert "uploaded" in listed and f"Restore version {original.number}" in listed
    assert f"Restore version {versions[-1].number}<" not in listed  # the file as it is now
    old = client.get(f"/data/files/{NAME}/versions/{original.number}")
    assert old.content == ORIGINAL
    restored = client.post(f"/data/files/{NAME}/versions/{original.number}/restore")
    page = restored.content.decode()
    assert restored.status_code == 200
    assert f"Version {original.number} of {NAME} is restored, as a new version." in page
    assert "INFORMATION REPORT – Performance Update" in page  # October's figures change back
    assert (fresh / "data/indicators" / NAME).read_bytes() == ORIGINAL
    last = Version.objects.filter(path=f"data/indicators/{NAME}").order_by("-number").first()
    assert last.note == f"version {original.number} restored" and last.author_name == "officer"
    entry = AuditEntry.objects.filter(action="restore data").first()
    assert entry.target == f"data/indicators/{NAME}" and entry.detail == last.note


def it_checks_a_restored_version_as_an_upload(fresh) -> None:
    from reportgen.web.models import Version
    from reportgen.web.service import keep_version

    bad = ORIGINAL.replace(b"\n", b"\nNI59,2010-13,1,2,,,,\n", 1)
    kept = keep_version(f"data/indicators/{NAME}", bad, None, "a broken copy")
    count = Version.objects.filter(path=f"data/indicators/{NAME}").count()
    refused = client_for("officer").post(f"/data/files/{NAME}/versions/{kept.number}/restore")
    page = refused.content.decode()
    assert refused.status_code == 422 and "<title>Error: Upload data" in page
    assert f"Version {kept.number} of {NAME} was not saved" in page and "Row 2" in page
    assert (fresh / "data/indicators" / NAME).read_bytes() == ORIGINAL
    assert Version.objects.filter(path=f"data/indicators/{NAME}").count() == count


@pytest.mark.parametrize("address", ["/data/files/{}", "/data/files/{}/versions/"])
def it_answers_a_file_that_is_not_there_with_not_found(fresh, address) -> None:
    client = client_for("officer")
    for name in ("no-such-file.csv", "..%2F..%2Fconfig%2Fauthority.yaml", "authority.yaml"):
        assert client.get(address.format(name)).status_code == 404


EXEMPT_COPY = "2011-01-18-ni59-ni60-exempt-copy"


def it_names_an_exempt_paper_that_changes_only_to_those_who_may_see_it(fresh) -> None:
    text = (fresh / "data/narrative" / f"{PUBLIC}.yaml").read_text()
    text = text.replace("exempt: false", "exempt: true\nexempt_paragraph: 3")
    subject = "subject: Confidential NI59 briefing\n"
    text = re.sub(r"subject: >-\n.*?\n(?=\S)", subject, text, count=1, flags=re.S)
    copy = fresh / "data/narrative" / f"{EXEMPT_COPY}.yaml"
    copy.write_text(text)
    try:
        for user, sees in (("officer", False), ("officer-exempt", True)):
            web.reset_file(f"data/indicators/{NAME}")
            page = upload(client_for(user), NAME, EDITS["November restated"]).content.decode()
            assert "Performance Update on National Indicators" in page
            assert ("Confidential NI59 briefing" in page) is sees, user
            assert (EXEMPT_COPY in page) is sees, user
    finally:
        copy.unlink()


def it_says_which_papers_deleting_a_file_changes_before_deleting_it(project: Path) -> None:
    example = project
    workspace = Workspace(example)
    checked = workspace.check_data_deletion(NAME)
    assert [path.stem for path in checked.changed] == [OCTOBER_PAPER, NOVEMBER_PAPER]
    assert (example / "data/indicators" / NAME).read_bytes() == ORIGINAL  # nothing deleted
    assert workspace.delete_data(NAME) == example / "data/indicators" / NAME
    assert not (example / "data/indicators" / NAME).exists()
    for name in (NAME, "../config/authority.yaml", "no-such-file.csv"):
        with pytest.raises(reportgen.InputError):
            workspace.check_data_deletion(name)
        with pytest.raises(reportgen.InputError):
            workspace.delete_data(name)
    assert (example / "config/authority.yaml").is_file()


def it_asks_before_deleting_a_data_file_and_keeps_it_to_restore(fresh) -> None:
    from reportgen.web.models import AuditEntry, Version

    client = client_for("officer")
    assert f'href="/data/files/{NAME}/delete"' in client.get("/data/").content.decode()
    asked = client.get(f"/data/files/{NAME}/delete")
    page = asked.content.decode()
    assert asked.status_code == 200
    assert f"Are you sure you want to delete {NAME}?" in page
    assert "These papers use its figures" in page
    assert "Performance Update on National Indicators" in page  # November's paper
    assert "INFORMATION REPORT – Performance Update" in page  # October's
    assert (fresh / "data/indicators" / NAME).read_bytes() == ORIGINAL  # asked, not deleted
    deleted = client.post(f"/data/files/{NAME}/delete")
    page = deleted.content.decode()
    assert deleted.status_code == 200 and f"{NAME} is deleted." in page
    assert not (fresh / "data/indicators" / NAME).exists()
    assert f'<a href="/data/files/{NAME}/versions/">Versions of {NAME}</a>' in page
    kept = Version.objects.filter(path=f"data/indicators/{NAME}").order_by("-number").first()
    assert bytes(kept.content) == ORIGINAL
    entry = AuditEntry.objects.filter(action="delete data").first()
    assert entry.target == f"data/indicators/{NAME}" and entry.username == "officer"
    # Gone: asking again is "not found"; its versions page restores it.
    assert client.get(f"/data/files/{NAME}/delete").status_code == 404
    assert client.post(f"/data/files/{NAME}/delete").status_code == 404
    versions = client.get(f"/data/files/{NAME}/versions/").content.decode()
    assert f"Restore version {kept.number}" in versions
    client.post(f"/data/files/{NAME}/versions/{kept.number}/restore")
    assert (fresh / "data/indicators" / NAME).read_bytes() == ORIGINAL


def it_deletes_nothing_for_a_clearer_or_a_name_that_is_no_data_file(fresh) -> None:
    assert client_for("cfo").post(f"/data/files/{NAME}/delete").status_code == 403
    client = client_for("officer")
    for name in ("no-such-file.csv", "..%2F..%2Fconfig%2Fauthority.yaml", "authority.yaml"):
        assert client.post(f"/data/files/{name}/delete").status_code == 404
    assert (fresh / "data/indicators" / NAME).read_bytes() == ORIGINAL
    assert (fresh / "config/authority.yaml").is_file()


def it_names_an_exempt_paper_a_deletion_changes_only_to_those_who_may_see_it(fresh) -> None:
    text = (fresh / "data/narrative" / f"{PUBLIC}.yaml").read_text()
    text = text.replace("exempt: false", "exempt: true\nexempt_paragraph: 3")
    text = re.sub(r"subject: >-\n.*?\n(?=\S)", "subject: Secret briefing\n", text, flags=re.S)
    copy = fresh / "data/narrative" / f"{EXEMPT_COPY}.yaml"
    copy.write_text(text)
    try:
        for user, sees in (("officer", False), ("officer-exempt", True)):
            page = client_for(user).get(f"/data/files/{NAME}/delete").content.decode()
            assert "Performance Update on National Indicators" in page
            assert ("Secret briefing" in page) is sees and (EXEMPT_COPY in page) is sees, user
    finally:
        copy.unlink()
