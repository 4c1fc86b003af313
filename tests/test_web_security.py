"""One rule for what a user may see, and bounds on what a user may ask, through the service:
a job answers only to its owner at its own paper's or meeting's address; a paper's editor
checks a paper's text, never a meeting's (no oracle on other files); every text from a
request goes through the bounded YAML reader first; the audit log, e-mails and the users
page keep exempt papers to those who may see them; a user has one job of a kind waiting;
a job that fails says so, and one left by a dead process is marked failed."""

from __future__ import annotations

import re
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

import pytest
import web
from web import EXEMPT, MEETING, PASSWORD, PUBLIC

# What only the exempt paper says: none of it may reach a user without the permission.
EXEMPT_WORDS = (EXEMPT, "High-cost residential placements", "Oakfield Lodge", "6,850")
# What differs from one request to the next and says nothing: the CSRF token (in forms and
# in the page's htmx headers) and a Content-Security-Policy nonce.
PER_REQUEST = re.compile(
    rb'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+|(nonce=")[^"]+'
    rb"|('nonce-)[^']+"
)


@pytest.fixture(scope="module")
def root() -> Path:
    root = web.project()
    from django.contrib.auth.models import User

    from reportgen.web.roles import add_user

    if not User.objects.filter(username="admin-plain").exists():
        add_user("admin-plain", "admin", PASSWORD, False, "admin-plain@example.org")
    return root


def client_for(name: str | None):
    from django.test import Client

    client = Client()
    if name is not None:
        assert client.login(username=name, password=PASSWORD)
    return client


def normal(content: bytes) -> bytes:
    return PER_REQUEST.sub(lambda m: b"".join(g for g in m.groups() if g) + b"*", content)


def same(response) -> tuple[int, bytes, dict[str, str]]:
    """A response as a user gets it, but for the values that differ on every request."""
    headers = {
        k: normal(v.encode()).decode()
        for k, v in response.items()
        if k.lower() not in ("set-cookie",)
    }
    return response.status_code, normal(response.content), headers


def _finished_preview(root: Path, job: str) -> None:
    """The preview job `job` as a worker leaves it once made (one page), without LibreOffice."""
    from reportgen.web.models import Job

    folder = root / ".reportgen" / "previews" / job
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page-1.jpg").write_bytes(b"\xff\xd8 the exempt paper's first page")
    (folder / "done").touch()
    Job.objects.filter(id=job).update(state=Job.DONE)


def _started(client, name: str) -> str:
    page = client.post(f"/papers/{name}/pages", {"raw": web_text(name)}).content.decode()
    found = re.search(r"/pages/([0-9a-f]{32})", page)
    assert found, page
    return found.group(1)


def web_text(name: str) -> str:
    return (web.project() / "data/narrative" / f"{name}.yaml").read_text()


# -- 1. jobs belong to their paper and their user --------------------------------------------


def it_answers_a_preview_only_to_its_owner_at_its_own_papers_address(root) -> None:
    clerk = client_for("clerk")
    job = _started(clerk, EXEMPT)
    _finished_preview(root, job)
    mine = clerk.get(f"/papers/{EXEMPT}/pages/{job}/1.jpg")
    assert mine.status_code == 200 and mine.content.startswith(b"\xff\xd8")
    assert mine["Cache-Control"] == "no-store, private"
    assert "no-store" in clerk.get(f"/papers/{EXEMPT}/pages/{job}")["Cache-Control"]
    nothing = "f" * 32
    for user in ("officer", "officer-exempt", "clerk-plain", "clerk"):
        client = client_for(user)
        for suffix in ("/1.jpg", ""):
            stolen = client.get(f"/papers/{PUBLIC}/pages/{job}{suffix}")
            absent = client.get(f"/papers/{PUBLIC}/pages/{nothing}{suffix}")
            assert same(stolen) == same(absent), (user, suffix)
            assert stolen.status_code == 404 and b"\xff\xd8" not in stolen.content
        if user != "clerk":  # another user's job, at its own paper: not there either
            theirs = client.get(f"/papers/{EXEMPT}/pages/{job}/1.jpg")
            absent = client.get(f"/papers/{EXEMPT}/pages/{nothing}/1.jpg")
            assert same(theirs) == same(absent) and theirs.status_code == 404, user


def it_answers_a_pack_job_only_to_its_owner_at_its_own_meeting(root) -> None:
    clerk = client_for("clerk")
    started = clerk.post(f"/meetings/{MEETING}/pack").content.decode()
    job = re.search(r"/pack/([0-9a-f]{32})", started).group(1)
    assert clerk.get(f"/meetings/{MEETING}/pack/{job}").status_code == 200
    other = client_for("clerk-plain")
    stolen = other.get(f"/meetings/{MEETING}/pack/{job}")
    absent = other.get(f"/meetings/{MEETING}/pack/{'e' * 32}")
    assert same(stolen) == same(absent) and stolen.status_code == 404
    page = other.get(f"/meetings/{MEETING}/?job={job}")
    assert job.encode() not in page.content  # the meeting page does not ask after it


# -- 8. one waiting job of a kind per user ----------------------------------------------------


def it_replaces_a_users_waiting_job_with_their_next_of_the_same_kind(root) -> None:
    from reportgen.web.models import Job

    officer = client_for("officer")
    jobs = [_started(officer, PUBLIC) for _ in range(8)]
    waiting = Job.objects.filter(username="officer", kind=Job.PAGES, state=Job.QUEUED)
    assert list(waiting.values_list("id", flat=True)) == [jobs[-1]]
    replaced = officer.get(f"/papers/{PUBLIC}/pages/{jobs[0]}").content.decode()
    assert "could not be made" in replaced and "replaced by a newer one" in replaced
    others = Job.objects.filter(username="officer-exempt", kind=Job.PAGES, state=Job.QUEUED)
    before = others.count()
    _started(client_for("officer-exempt"), PUBLIC)  # another user's job stays
    assert others.count() == before + 1 - min(before, 1)
    assert Job.objects.filter(id=jobs[-1], state=Job.QUEUED).exists()


# -- 2. no oracle through a paper's editor -----------------------------------------------------

MEETING_TEXT = """committee: Anything
date: 2026-11-04
items:
  - narrative: ../narrative/{name}.yaml
  - title: x
    file: ../../out/{name}.docx
"""


@pytest.mark.parametrize("address", ["check", "preview", "pages", "save"])
def it_checks_a_papers_text_only_never_a_meetings(root, address) -> None:
    officer = client_for("officer")
    base = re.search(r'name="base" value="([0-9a-f]+)"', officer.get(f"/papers/{PUBLIC}/raw").text)
    answers = []
    for name in (EXEMPT, "no-such-paper"):
        raw = MEETING_TEXT.format(name=name)
        answer = officer.post(f"/papers/{PUBLIC}/{address}", {"raw": raw, "base": base.group(1)})
        assert answer.status_code in (200, 422), answer.status_code
        answers.append(same(answer)[:2])
        text = answer.content.decode()
        assert "a meeting" in text and "not a paper" in text, text
        for word in (*EXEMPT_WORDS, "Children and Young People", "NOT FOR PUBLICATION"):
            assert word not in text.replace(MEETING_TEXT.format(name=name), ""), word
    assert answers[0][0] == answers[1][0]
    assert answers[0][1].replace(EXEMPT.encode(), b"N") == answers[1][1].replace(
        b"no-such-paper", b"N"
    )


# -- 7. every text from a request through the bounded reader ----------------------------------

BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
summary: *g
"""


def it_refuses_an_alias_bomb_at_once_with_the_memory_unchanged(root) -> None:
    assert len(BOMB.encode()) <= 400
    officer = client_for("officer")
    url = f"/papers/{PUBLIC}/check"
    officer.post(url, {"raw": "subject: warm up\n"})
    times, peaks = [], []
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(9):  # timed without tracemalloc, which slows Python several times
        started = time.perf_counter()
        answer = officer.post(url, {"raw": BOMB})
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200
        assert "aliases (*name) repeat more than" in answer.content.decode()
    for _ in range(3):
        tracemalloc.start()
        officer.post(url, {"raw": BOMB})
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    print(
        f"bomb refused: median {statistics.median(times) * 1000:.1f} ms "
        f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}); "
        f"peak traced {max(peaks) / 1e6:.1f} MB"
    )
    assert statistics.median(times) < 0.1, times
    assert max(peaks) < 10_000_000, peaks  # the bomb unfolded is hundreds of MB
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 20_000  # KB


@pytest.mark.parametrize("address", ["check", "preview", "pages", "save"])
@pytest.mark.parametrize("text", [BOMB, "[" * 1000, "{" * 5000 + "}" * 5000])
def it_refuses_hostile_yaml_in_every_field_that_takes_it(root, address, text) -> None:
    officer = client_for("officer")
    base = re.search(r'name="base" value="([0-9a-f]+)"', officer.get(f"/papers/{PUBLIC}/raw").text)
    for form in ({"raw": text}, {"start": text, "summary": "x"}):
        started = time.perf_counter()
        answer = officer.post(f"/papers/{PUBLIC}/{address}", {**form, "base": base.group(1)})
        assert time.perf_counter() - started < 2
        assert answer.status_code in (200, 422), (address, answer.status_code)


def it_keeps_a_papers_page_quick_with_a_hostile_draft(root) -> None:
    officer = client_for("officer")
    base = re.search(r'name="base" value="([0-9a-f]+)"', officer.get(f"/papers/{PUBLIC}/raw").text)
    for text in (BOMB, "[" * 1000):
        saved = officer.post(
            f"/papers/{PUBLIC}/save", {"raw": text, "base": base.group(1), "draft": "1"}
        )
        assert saved.status_code == 302
        for user in ("officer", "clerk"):
            started = time.perf_counter()
            page = client_for(user).get(f"/papers/{PUBLIC}/")
            assert page.status_code == 200 and time.perf_counter() - started < 2
        assert client_for("clerk").get("/papers/").status_code == 200
    from reportgen.web.models import Version

    Version.objects.filter(path=f"data/narrative/{PUBLIC}.yaml", draft=True).delete()


# -- 3. the audit log --------------------------------------------------------------------------


def it_shows_audit_entries_about_exempt_papers_only_to_those_who_may_see_them(root) -> None:
    from reportgen.web.audit import record
    from reportgen.web.models import AuditEntry

    clerk = client_for("clerk")
    assert clerk.get(f"/papers/{EXEMPT}/download.docx").status_code == 200
    # An entry written before entries recorded `exempt`, and one that names it in passing.
    record(None, "clearance returned", f"data/narrative/{EXEMPT}.yaml", "Oakfield Lodge: no")
    record(None, "publish without clearance", "data/meetings/x.yaml", f"why ({EXEMPT}: 1 of 2)")
    assert AuditEntry.objects.filter(exempt=True).exists()
    plain = client_for("admin-plain").get("/audit/").content.decode()
    for word in EXEMPT_WORDS:
        assert word not in plain, word
    assert "download exempt paper" not in plain and "login" in plain
    full = client_for("admin").get("/audit/").content.decode()
    assert EXEMPT in full and "Oakfield Lodge: no" in full


# -- 4. e-mail recipients checked when the mail is sent --------------------------------------


def it_tells_no_one_of_an_exempt_paper_who_may_no_longer_see_it(root) -> None:
    from django.contrib.auth.models import User

    from reportgen.web.models import ClearanceEvent
    from reportgen.web.roles import add_user, set_exempt

    User.objects.filter(username="clerk-revoked").delete()
    add_user("clerk-revoked", "clerk", PASSWORD, True, "clerk-revoked@example.org")
    mail = root / ".reportgen" / "mail"
    try:
        revoked = client_for("clerk-revoked")
        assert revoked.post("/clearance/", {}).status_code == 405
        asked = revoked.post(f"/papers/{EXEMPT}/clearance", {"action": "ask"})
        assert asked.status_code == 302
        set_exempt("clerk-revoked", False)
        for sent in mail.glob("*.log") if mail.is_dir() else ():
            sent.unlink()
        cfo = client_for("cfo")
        page = cfo.get(f"/papers/{EXEMPT}/clearance").content.decode()
        content = re.search(r'name="content" value="([0-9a-f]{64})"', page).group(1)
        returned = cfo.post(
            f"/papers/{EXEMPT}/clearance",
            {
                "action": "return",
                "role": "Chief Financial Officer",
                "comment": "The Oakfield Lodge fees need checking.",
                "content": content,
            },
        )
        assert returned.status_code == 302
        told = "\n".join(p.read_text() for p in mail.glob("*.log")) if mail.is_dir() else ""
        assert "clerk-revoked@example.org" not in told
        # The comment goes only to people who may see the paper now (the clerk who asked;
        # its author, whoever last saved it, if they may): each message's recipients checked.
        for message in re.split(r"\n-{79}\n", told):
            if "Oakfield Lodge" not in message:
                continue
            to = re.search(r"^To: (.+)$", message, re.M)
            assert to is not None, message
            for address in to.group(1).split(","):
                person = User.objects.get(email=address.strip())
                assert person.has_perm("web.view_exempt"), address
    finally:
        User.objects.filter(username="clerk-revoked").delete()
        ClearanceEvent.objects.filter(path=f"data/narrative/{EXEMPT}.yaml").delete()
        web.reset_file(f"data/narrative/{EXEMPT}.yaml")
        (root / "data" / "clearance" / f"{EXEMPT}.yaml").unlink(missing_ok=True)


# -- 5 and 6. the users page and `users add` ---------------------------------------------------


def it_lets_only_a_user_with_the_exempt_permission_give_it(root) -> None:
    from django.contrib.auth.models import User

    from reportgen.web.models import AuditEntry

    plain = client_for("admin-plain")
    page = plain.get("/users/").content.decode()
    assert 'name="exempt"' not in page and 'value="exempt"' not in page
    made = {"action": "add", "name": "mole", "role": "officer", "password": "a-fine-password-42"}
    assert plain.post("/users/", made | {"exempt": "1"}).status_code == 403
    assert not User.objects.filter(username="mole").exists()
    assert plain.post("/users/", made).status_code == 302
    assert plain.post("/users/", {"action": "exempt", "name": "mole"}).status_code == 403
    mole = User.objects.get(username="mole")
    assert not mole.has_perm("web.view_exempt")
    admin = client_for("admin")
    assert admin.post("/users/", {"action": "exempt", "name": "mole"}).status_code == 302
    said = list(AuditEntry.objects.filter(target="mole").values_list("action", "detail"))
    assert said[0] == ("permission: exempt", "permission given: may see exempt papers")
    assert said[1] == ("user added", "role officer")
    assert admin.post("/users/", made | {"name": "mole2", "exempt": "1"}).status_code == 302
    assert AuditEntry.objects.get(target="mole2").detail == "role officer, may see exempt papers"
    User.objects.filter(username__in=["mole", "mole2"]).delete()


@pytest.mark.parametrize(
    ("name", "password", "field", "said"),
    [
        ("", "a-fine-password-42", "name", "Enter a user name"),
        ("bad name/../x", "a-fine-password-42", "name", "cannot be a user name"),
        ("priyashah", "priyashah1", "password", "too similar to the username"),
        ("priya", "password", "password", "too common"),
    ],
)
def it_refuses_a_bad_user_by_its_field_and_keeps_the_form(root, name, password, field, said):
    from django.contrib.auth.models import User

    sent = {"action": "add", "name": name, "role": "clerk", "password": password}
    sent |= {"email": "priya@example.org", "full_name": "Priya Shah", "clears": "Monitoring"}
    answer = client_for("admin").post("/users/", sent)
    page = answer.content.decode()
    assert answer.status_code == 422, page
    assert re.search(rf'id="{field}-error">.*{said}', page), page
    assert f'href="#{field}"' in page  # the error summary leads to the field
    assert 'value="priya@example.org"' in page and 'value="Priya Shah"' in page
    assert '<option value="clerk" selected>' in page and ">Monitoring</textarea>" in page
    assert password not in re.sub(r"<[^>]*too[^<]*", "", page) or password == "password"
    assert not User.objects.filter(username=name).exists()


def it_refuses_a_bad_user_name_from_the_command_line_without_a_traceback(root, monkeypatch):
    from typer.testing import CliRunner

    from reportgen.cli import app

    monkeypatch.setenv("REPORTGEN_PASSWORD", "another-long-password-3")
    runner = CliRunner()
    for name, said in (("", "Enter a user name"), ("bad name/../x", "cannot be a user name")):
        done = runner.invoke(app, ["users", "add", name, "--role", "officer", "-p", str(root)])
        assert done.exit_code == 1 and said in done.output, done.output
        assert done.exception is None or isinstance(done.exception, SystemExit)
        assert "Traceback" not in done.output


# -- 9. no copy of an exempt file kept by a cache ----------------------------------------------


def it_keeps_exempt_downloads_out_of_caches(root) -> None:
    clerk = client_for("clerk")
    exempt = clerk.get(f"/papers/{EXEMPT}/download.docx")
    assert exempt.status_code == 200 and exempt["Cache-Control"] == "no-store, private"
    public = clerk.get(f"/papers/{PUBLIC}/download.docx")
    assert "no-store" not in public.get("Cache-Control", "")
    import reportgen
    from reportgen.web.agendas import _summary

    summary = _summary(MEETING)
    folder = root / "out" / f"{summary.date}-{MEETING.split('-', 3)[3]}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "exempt-agenda-pack.pdf").write_bytes(b"%PDF-1.7 exempt")
    try:
        names = [p.name for p in reportgen.Workspace(root).packs_of(summary)]
        assert "exempt-agenda-pack.pdf" in names, names
        got = clerk.get(f"/meetings/{MEETING}/packs/exempt-agenda-pack.pdf")
        got.close()
        assert got.status_code == 200 and got["Cache-Control"] == "no-store, private"
        plain = client_for("clerk-plain")
        stolen = plain.get(f"/meetings/{MEETING}/packs/exempt-agenda-pack.pdf")
        absent = plain.get(f"/meetings/{MEETING}/packs/exempt-no-such-agenda-pack.pdf")
        assert same(stolen) == same(absent) and stolen.status_code == 404
    finally:
        (folder / "exempt-agenda-pack.pdf").unlink(missing_ok=True)


# -- 10. jobs that fail say so -------------------------------------------------------------


def it_says_a_publish_that_failed_failed_and_logs_it_so(root, jobs, monkeypatch) -> None:
    import reportgen
    from reportgen.web.models import AuditEntry, Job

    def broken(*args, **kwargs):
        raise ValueError("a title-only item broke the join")

    monkeypatch.setattr(reportgen.Workspace, "publish_meeting", broken)
    AuditEntry.objects.filter(action__startswith="publish").delete()
    clerk = client_for("clerk")
    sent = {"override": "yes", "reason": "Testing a failure."}
    answer = clerk.post(f"/meetings/{MEETING}/publish", sent)
    assert answer.status_code == 302
    job = re.search(r"job=([0-9a-f]{32})", answer["Location"]).group(1)
    page = clerk.get(f"/meetings/{MEETING}/pack/{job}").content.decode()
    assert "The meeting was not published" in page and "unexpected error" in page
    assert "Publishing:" not in page and "Traceback" not in page and "ValueError" not in page
    assert Job.objects.get(id=job).state == Job.FAILED
    assert AuditEntry.objects.filter(action="publish failed", username="clerk").exists()
    assert not AuditEntry.objects.filter(action="publish").exists()


def it_marks_failed_the_jobs_a_dead_process_left_running(root) -> None:
    import socket
    import subprocess

    from reportgen.web import tasks
    from reportgen.web.models import Job

    dead = subprocess.Popen(["true"])  # a process that has ended: its id is free
    dead.wait()
    clerk = client_for("clerk")
    job = _started(clerk, PUBLIC)
    here = socket.gethostname()
    Job.objects.filter(id=job).update(state=Job.RUNNING, worker=f"{here}:{dead.pid}")
    alive = _started(client_for("officer"), PUBLIC)
    Job.objects.filter(id=alive).update(state=Job.RUNNING, worker=f"{here}:1")  # init: alive
    assert tasks.fail_abandoned() >= 1  # as `serve` and `worker` do when they start
    assert tasks.fail_abandoned() == 0  # once
    assert Job.objects.get(id=job).state == Job.FAILED
    assert Job.objects.get(id=alive).state == Job.RUNNING
    page = clerk.get(f"/papers/{PUBLIC}/pages/{job}").content.decode()
    assert "could not be made" in page and "stopped when the service stopped" in page
    Job.objects.filter(id=alive).update(state=Job.FAILED)


def it_logs_an_abandoned_publication_by_a_user_since_removed(root) -> None:
    import socket
    import subprocess
    import uuid

    from reportgen.web import tasks
    from reportgen.web.models import AuditEntry, Job

    dead = subprocess.Popen(["true"])
    dead.wait()
    job = uuid.uuid4().hex
    Job.objects.create(
        id=job,
        kind=Job.PUBLISH,
        user=None,
        username="gone-clerk",
        target=f"data/meetings/{MEETING}.yaml",
        state=Job.RUNNING,
        worker=f"{socket.gethostname()}:{dead.pid}",
    )
    assert tasks.fail_abandoned() == 1
    entry = AuditEntry.objects.filter(action="publish failed").latest("id")
    assert (entry.user, entry.username) == (None, "gone-clerk")
