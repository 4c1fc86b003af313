"""The service's pages, through Django's test client: who may see what (a table of every
address and role, generated from the URL configuration), the editor's checks, saves,
versions, conflicts and uploads."""

from __future__ import annotations

import io
import re

import pytest
import web
from web import EXEMPT, PASSWORD, PUBLIC, ROLES


@pytest.fixture(scope="module")
def root():
    return web.project()


def client_for(name: str | None):
    from django.test import Client

    client = Client()
    if name is not None:
        assert client.login(username=name, password=PASSWORD)
    return client


# Every address, with the arguments to try it with, and the answer each kind of user gets:
# "anonymous", a user "without" the exempt permission, and one "with" it; `admin_only`
# answers 403 to all but admins, `clerk_only` to all but clerks and admins. An exempt
# paper answers 404 to a user without the
# permission, exactly as a paper that does not exist.
JOB = "0" * 32
ADDRESSES = {
    "home": ("GET", {}, 302),
    "static": ("GET", {"file": "app.css"}, 200),
    "login": ("GET", {}, 200),
    "logout": ("POST", {}, 302),
    "papers": ("GET", {}, 200),
    "paper_new": ("GET", {}, 200),  # how to start; a clearer may not
    "paper": ("GET", {"name": "PAPER"}, 200),
    "check": ("POST", {"name": "PAPER"}, 200),
    "save": ("POST", {"name": "PAPER"}, 400),  # not from the editor: no text it started from
    "discard": ("POST", {"name": "PAPER"}, 302),  # the user's own draft, if they have one
    "raw": ("GET", {"name": "PAPER"}, 200),
    "preview": ("POST", {"name": "PAPER"}, 200),
    "pages_status": ("GET", {"name": "PAPER", "job": JOB}, 404),  # no such job, or not theirs
    "page": ("GET", {"name": "PAPER", "job": JOB, "number": 1}, 404),  # no such page made
    "pages": ("POST", {"name": "PAPER"}, 200),
    "download": ("GET", {"name": "PAPER", "kind": "docx"}, 200),
    "versions": ("GET", {"name": "PAPER"}, 200),
    "version": ("GET", {"name": "PAPER", "number": 1}, 200),
    "restore": ("POST", {"name": "PAPER", "number": 1}, 302),
    "diff": ("GET", {"name": "PAPER"}, 404),  # no versions chosen
    "data": ("GET", {}, 200),
    "data_file": ("GET", {"file": "assessments-2010-11.csv"}, 200),
    "data_versions": ("GET", {"file": "assessments-2010-11.csv"}, 200),
    "data_delete": ("GET", {"file": "assessments-2010-11.csv"}, 200),  # asks first
    "data_version": ("GET", {"file": "assessments-2010-11.csv", "number": 9999}, 404),  # none
    "data_restore": ("POST", {"file": "assessments-2010-11.csv", "number": 9999}, 404),
    "clearance": ("GET", {"name": "PAPER"}, 200),
    "paper_settings": ("GET", {"name": "PAPER"}, 200),  # saving it is tested on its own
    "clearance_list": ("GET", {}, 200),
    "meetings": ("GET", {}, "clerk_only"),
    "meeting_new": ("GET", {}, "clerk_only"),
    "meeting": ("GET", {"name": web.MEETING}, "clerk_only"),
    "supplied": ("POST", {"name": web.MEETING}, ("clerk_only", 422)),  # no file sent
    "pack": ("POST", {"name": web.MEETING}, "clerk_only"),  # starts a job; no worker runs it
    "pack_status": ("GET", {"name": web.MEETING, "job": JOB}, ("clerk_only", 404)),
    # a pack this meeting never has: a clerk is told so as of any file that is not there
    "pack_file": (
        "GET",
        {"name": web.MEETING, "file": "supplementary-agenda-pack.pdf"},
        ("clerk_only", 404),
    ),
    "publish": ("POST", {"name": web.MEETING}, ("clerk_only", 422)),  # not cleared
    "committees": ("GET", {}, 200),
    "committee": ("GET", {"committee": "no-such-committee"}, 404),
    "public_file": (
        "GET",
        {
            "committee": "children-and-young-people-scrutiny-panel",
            "meeting": "none",
            "file": "a.pdf",
        },
        404,
    ),
    "audit": ("GET", {}, "admin_only"),
    "users": ("GET", {}, "admin_only"),
    "user": ("GET", {"name": "officer"}, "admin_only"),
    "password": ("GET", {}, 200),  # choosing one's own password after a temporary one
}
EDITS = {"check", "save", "discard", "restore", "data"}  # a clearer may not
EDITS |= {"paper_new"}
EDITS |= {"data_file", "data_versions", "data_version", "data_restore"}
EDITS |= {"data_delete"}
# Answer anonymous users; every other sends them to sign in.
OPEN = {"static", "login", "home", "committees", "committee", "public_file", "password"}


def it_lists_every_address_in_the_permission_table() -> None:
    web.project()
    from reportgen.web.urls import urlpatterns

    assert sorted(p.name for p in urlpatterns) == sorted(ADDRESSES)


@pytest.mark.parametrize(
    ("address", "user", "paper"),
    [
        (address, user, paper)
        for address in sorted(ADDRESSES)
        for user in (None, *ROLES)
        for paper in ((PUBLIC, EXEMPT) if "PAPER" in ADDRESSES[address][1].values() else (None,))
    ],
)
def it_answers_each_address_as_the_users_permissions_say(root, address, user, paper) -> None:
    from django.urls import reverse

    from reportgen.web.models import Version

    method, arguments, expected = ADDRESSES[address]
    kwargs = {k: (paper if v == "PAPER" else v) for k, v in arguments.items()}
    if address in ("version", "restore"):
        from reportgen.web.service import ensure_first_version

        ensure_first_version(root / "data/narrative" / f"{paper}.yaml")
        assert Version.objects.filter(path=f"data/narrative/{paper}.yaml").exists()
    client = client_for(user)
    url = reverse(address, kwargs=kwargs)
    response = client.post(url) if method == "POST" else client.get(url)
    if user is None and address not in OPEN:
        assert response.status_code == 302 and "/login/" in response["Location"], url
        return
    if user is None and address == "home":
        assert response.status_code == 302
        return
    if address in EDITS and ROLES[user][0] == "clearer":  # reads papers, changes nothing
        assert response.status_code == 403, url  # for any paper: nothing said of which exist
        return
    sees_exempt = user is not None and ROLES[user][1]
    if paper == EXEMPT and not sees_exempt:
        assert response.status_code == 404, url
        return
    if expected == "admin_only":
        assert response.status_code == (200 if user == "admin" else 403), url
        return
    if expected == "clerk_only" or isinstance(expected, tuple):
        clerk = ROLES[user][0] in ("clerk", "admin")
        answer = expected[1] if isinstance(expected, tuple) else 200
        assert response.status_code == (answer if clerk else 403), url
        return
    assert response.status_code == expected, (url, response.status_code)
    if address == "restore":
        web.reset_file(f"data/narrative/{paper}.yaml")


def it_keeps_exempt_papers_out_of_the_list_and_search_without_the_permission(root) -> None:
    officer, exempt = client_for("officer"), client_for("officer-exempt")
    for query in ("", "high-cost", "placements"):
        listed = officer.get("/papers/", {"q": query}).content.decode()
        assert "High-cost residential placements" not in listed
        assert EXEMPT not in listed
    assert (
        "High-cost residential placements"
        in exempt.get("/papers/", {"q": "placements"}).content.decode()
    )


def it_shows_each_problem_beside_its_box_in_the_clis_words(root) -> None:
    client = client_for("officer")
    form = _form(client, PUBLIC)
    form["key_points-1"] = "Core assessments rose to {{ NI60.latestt }}."
    shown = client.post(f"/papers/{PUBLIC}/check", form).content.decode()
    beside = re.search(r'id="error-key_points-1"[^>]*>(.*?)</div>', shown, re.S).group(1)
    assert "unknown attribute &#x27;latestt&#x27; — did you mean &#x27;latest&#x27;?" in beside


def it_saves_a_good_edit_as_a_version_and_refuses_one_with_problems(root) -> None:
    from reportgen.web.models import AuditEntry, Version

    client = client_for("officer")
    path = root / "data/narrative" / f"{PUBLIC}.yaml"
    before = path.read_text()
    form = _form(client, PUBLIC)
    form["key_points-1"] = "Core assessments rose to {{ NI60.latestt }}."
    refused = client.post(f"/papers/{PUBLIC}/save", form)
    assert refused.status_code == 422 and path.read_text() == before
    form["key_points-1"] = "Core assessments rose to {{ NI60.latest }} this month."
    saved = client.post(f"/papers/{PUBLIC}/save", form)
    assert saved.status_code == 302
    text = path.read_text()
    assert "Core assessments rose to {{ NI60.latest }} this month." in text
    assert text.splitlines()[0] == before.splitlines()[0]  # the comments are kept
    versions = Version.objects.filter(path=f"data/narrative/{PUBLIC}.yaml").order_by("number")
    assert [v.note for v in versions][-2:] == ["as found in the project folder", "saved"] or [
        v.note for v in versions
    ][-1] == "saved"
    assert AuditEntry.objects.filter(action="save", username="officer").exists()
    web.reset_file(f"data/narrative/{PUBLIC}.yaml")


def it_refuses_a_save_over_someone_elses_and_keeps_both_texts(root) -> None:
    from reportgen.web.models import Version

    first, second = client_for("officer"), client_for("clerk")
    mine, theirs = _form(first, PUBLIC), _form(second, PUBLIC)
    theirs["summary"] = "The clerk's summary."
    assert second.post(f"/papers/{PUBLIC}/save", theirs).status_code == 302
    mine["summary"] = "The officer's summary."
    refused = first.post(f"/papers/{PUBLIC}/save", mine)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Someone else saved this paper" in page and "The clerk&#x27;s summary." in page
    path = root / "data/narrative" / f"{PUBLIC}.yaml"
    assert "The clerk's summary." in path.read_text()
    kept = Version.objects.filter(path=f"data/narrative/{PUBLIC}.yaml").order_by("-number").first()
    assert kept.draft and "The officer's summary." in kept.text
    web.reset_file(f"data/narrative/{PUBLIC}.yaml")


def it_checks_an_upload_first_and_keeps_the_file_it_replaces(root) -> None:
    client = client_for("officer")
    name = "assessments-2010-11.csv"
    path = root / "data/indicators" / name
    before = path.read_bytes()
    bad = io.BytesIO(before.replace(b"\n", b"\nNI59,2010-13,1,2,,,,\n", 1))
    bad.name = name
    refused = client.post("/data/", {"file": bad})
    assert refused.status_code == 422 and path.read_bytes() == before
    assert "Row 2" in refused.content.decode()
    good = io.BytesIO(before)
    good.name = name
    assert client.post("/data/", {"file": good}).status_code == 200
    sneaky = io.BytesIO(b"x")
    sneaky.name = "../../config/authority.yaml"
    assert client.post("/data/", {"file": sneaky}).status_code == 422
    assert (root / "config/authority.yaml").read_bytes() == (
        web.REPO / "config/authority.yaml"
    ).read_bytes()


def _form(client, name: str) -> dict[str, str]:
    """The editor's form fields as the page has them."""
    page = client.get(f"/papers/{name}/").content.decode()
    import html as markup

    fields = {}
    for match in re.finditer(r'<textarea id="([^"]+)" name="\1"[^>]*>(.*?)</textarea>', page, re.S):
        fields[match.group(1)] = markup.unescape(match.group(2))
    for match in re.finditer(r'<input type="text" id="([^"]+)" name="\1" value="([^"]*)"', page):
        fields[match.group(1)] = markup.unescape(match.group(2))
    fields["start"] = markup.unescape(
        re.search(r'<textarea name="start"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    )
    fields["base"] = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    return fields


def it_passes_djangos_deploy_checks_with_the_production_settings_in_the_readme(root) -> None:
    import os
    import subprocess
    import sys

    environment = {
        **os.environ,
        "REPORTGEN_PROJECT": str(root),
        "REPORTGEN_SECRET_KEY": "a-long-random-secret-key-for-the-check-" + "x7Qz" * 10,
        "REPORTGEN_ALLOWED_HOSTS": "papers.example.gov.uk",
        "REPORTGEN_HTTPS": "1",
        "PYTHONPATH": str(web.REPO),
    }
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen.web.manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def it_adds_lists_and_removes_users_from_the_command_line(root, monkeypatch) -> None:
    from typer.testing import CliRunner

    from reportgen.cli import app
    from reportgen.web.models import AuditEntry

    monkeypatch.setenv("REPORTGEN_PASSWORD", "another-long-password-3")
    runner = CliRunner()
    added = runner.invoke(
        app, ["users", "add", "priya", "--role", "officer", "--exempt", "-p", str(root)]
    )
    assert added.exit_code == 0, added.output
    assert "added priya (officer, sees exempt papers)" in added.output
    listed = runner.invoke(app, ["users", "list", "-p", str(root)])
    assert "priya  officer  exempt" in listed.output
    assert client_for(None).login(username="priya", password="another-long-password-3")
    wrong = runner.invoke(app, ["users", "add", "sam", "--role", "boss", "-p", str(root)])
    assert wrong.exit_code == 1 and "'boss' is not a role" in wrong.output
    removed = runner.invoke(app, ["users", "remove", "priya", "-p", str(root)])
    assert removed.exit_code == 0
    assert list(AuditEntry.objects.filter(target="priya").values_list("action", flat=True)) == [
        "user removed",
        "user added",
    ]


def it_saves_the_raw_yaml_view_through_the_same_checks(root) -> None:
    client = client_for("officer")
    page = client.get(f"/papers/{PUBLIC}/raw").content.decode()
    import html as markup

    text = markup.unescape(
        re.search(r'<textarea id="raw"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    )
    base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    path = root / "data/narrative" / f"{PUBLIC}.yaml"
    broken = text.replace("responsible_officer:", "responsible_oficer:")
    refused = client.post(f"/papers/{PUBLIC}/save", {"raw": broken, "base": base})
    assert refused.status_code == 422 and "responsible_oficer" not in path.read_text()
    assert "unknown key" in refused.content.decode()
    mended = text.replace("wards: All", "wards: All") + "\n# checked by the clerk\n"
    assert client.post(f"/papers/{PUBLIC}/save", {"raw": mended, "base": base}).status_code == 302
    assert path.read_text().endswith("# checked by the clerk\n")
    web.reset_file(f"data/narrative/{PUBLIC}.yaml")


def it_lets_an_admin_add_a_user_and_change_their_access(root) -> None:
    from reportgen.web.models import AuditEntry

    admin = client_for("admin")
    added = admin.post(
        "/users/",
        {"action": "add", "name": "dana", "role": "officer", "password": "a-fine-password-42"},
    )
    assert added.status_code == 302
    assert client_for(None).login(username="dana", password="a-fine-password-42")
    weak = admin.post(
        "/users/", {"action": "add", "name": "lee", "role": "officer", "password": "password"}
    )
    assert weak.status_code == 422 and "too common" in weak.content.decode()
    clearer = {"action": "add", "name": "hugh", "role": "clearer", "password": "a-fine-password-42"}
    clearer |= {"full_name": "Hugh Peart", "email": "hugh@example.org"}
    assert admin.post("/users/", clearer | {"clears": "Monitoring Officer\n"}).status_code == 302
    listed = admin.get("/users/").content.decode()
    assert "Monitoring Officer" in listed
    from reportgen.web.roles import people, remove_user

    assert next(p for p in people() if p.name == "hugh").clears == ("Monitoring Officer",)
    remove_user("hugh")
    assert admin.post("/users/", {"action": "exempt", "name": "dana"}).status_code == 302
    dana = client_for(None)
    dana.login(username="dana", password="a-fine-password-42")
    assert dana.get(f"/papers/{EXEMPT}/").status_code == 200
    assert admin.post("/users/", {"action": "remove", "name": "dana"}).status_code == 302
    said = list(AuditEntry.objects.filter(target="dana").values_list("action", flat=True))
    assert said[:3] == ["user removed", "permission: exempt", "user added"]
    assert (
        client_for("officer").post("/users/", {"action": "remove", "name": "admin"}).status_code
        == 403
    )


def it_edits_contacts_in_their_own_boxes(root) -> None:
    client = client_for("officer")
    form = _form(client, PUBLIC)
    assert form["contacts-0-name"] == "David Harrington"
    form["contacts-1-name"] = "Priya Shah"  # the empty boxes for a new contact
    form["contacts-1-title"] = "Head of Performance"
    assert client.post(f"/papers/{PUBLIC}/save", form).status_code == 302
    text = (root / "data/narrative" / f"{PUBLIC}.yaml").read_text()
    assert "name: Priya Shah" in text and "David Harrington" in text
    form = _form(client, PUBLIC)
    for field in ("name", "title", "phone", "email"):  # emptied: the contact goes
        form[f"contacts-0-{field}"] = ""
    assert client.post(f"/papers/{PUBLIC}/save", form).status_code == 302
    text = (root / "data/narrative" / f"{PUBLIC}.yaml").read_text()
    assert "Priya Shah" in text and "David Harrington" not in text
    web.reset_file(f"data/narrative/{PUBLIC}.yaml")


@pytest.mark.jobs
def it_makes_the_page_preview_of_the_text_as_edited_in_the_background(root, jobs) -> None:
    import subprocess

    from conftest import require_tool

    require_tool("soffice")
    client = client_for("officer")
    form = _form(client, PUBLIC)
    form["summary"] = "Words typed a moment ago and not saved."
    started = client.post(f"/papers/{PUBLIC}/pages", form).content.decode()
    page = web.finished(client, started)
    assert "could not be made" not in page, page
    pictures = re.findall(r'<img src="([^"]+)" alt="Page (\d+) of (\d+) of the paper"', page)
    assert pictures and len(pictures) == int(pictures[0][2]), page
    picture = client.get(pictures[0][0])
    assert picture["Content-Type"] == "image/jpeg" and picture.content.startswith(b"\xff\xd8")
    job = re.search(r"/pages/([0-9a-f]{32})/", pictures[0][0]).group(1)
    pdf = root / ".reportgen" / "previews" / job / "paper.pdf"  # in the folder workers share
    text = subprocess.run(
        [require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Words typed a moment ago and not saved." in " ".join(text.split())
    path = root / "data/narrative" / f"{PUBLIC}.yaml"
    assert "Words typed a moment ago" not in path.read_text()
