"""The crawl: every address of the service (from its URL configuration: a pattern not
covered here fails), with GET and POST as each takes them, for anonymous users, every role
with and without the exempt permission, and a clerk whose permission was taken away after
they had started a page preview and a pack of the exempt paper's meeting and asked for its
clearance; and an admin without the permission.

For each address that names something exempt (the exempt paper, a job of it or of
someone else, the exempt pack), the answer to a user who may not see it must be the answer
for one that does not exist, byte for byte: status, headers and body. Normalised, and
nothing else: the CSRF token (in forms and in the page's htmx headers), a CSP nonce, the
session and CSRF cookies, and the address asked for where the answer repeats it (the
sign-in redirect's `next=`). No answer to such a user holds the exempt paper's name,
title, or words and figures only it has."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import web
from web import EXEMPT, MEETING, PASSWORD, PUBLIC, ROLES

# What only the exempt paper says (its file name, subject, provider, fee, contact).
EXEMPT_WORDS = [
    EXEMPT,
    "high-cost-placements",
    "High-cost residential placements",
    "Oakfield Lodge",
    "6,850",
    "commissioning@example.org",
    "Children's Commissioning",
    "Children&#x27;s Commissioning",
]
PER_REQUEST = re.compile(
    rb'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+|(nonce=")[^"]+'
    rb"|('nonce-)[^']+"
)
ABSENT = {
    "paper": "2026-11-04-no-such-paper",
    "job": "f" * 32,
    "packjob": "e" * 32,
    "packfile": "exempt-no-such-agenda-pack.pdf",
    "publicfile": "no-such-file.pdf",
}
REVOKED = "clerk-revoked-crawl"
ADMIN = "admin-plain-crawl"  # an admin without the exempt permission (tests/web.py has none)
# Each address: how it is asked (method, arguments, form or query). "{x}" is something
# exempt (see `secrets`), asked as it is and as ABSENT["x"], which does not exist.
COMMITTEE = "children-and-young-people-scrutiny-panel"
DATA_FILE = "assessments-2010-11.csv"
CRAWL: dict[str, list[tuple[str, dict[str, Any], dict[str, str]]]] = {
    "home": [("GET", {}, {})],
    "static": [("GET", {"file": "app.css"}, {})],
    "login": [("GET", {}, {}), ("POST", {}, {"username": "nobody", "password": "x"})],
    "logout": [("POST", {}, {})],  # with a client of its own, last
    "papers": [("GET", {}, {}), ("GET", {}, {"q": "placements"}), ("GET", {}, {"q": "high"})],
    "paper_new": [
        ("GET", {}, {"from": "{paper}"}),
        ("GET", {}, {"start": "paper", "from": "{paper}"}),
        ("POST", {}, {"from": "{paper}", "meeting": MEETING, "month": "10", "year": "2026"}),
    ],
    "paper": [("GET", {"name": "{paper}"}, {}), ("GET", {"name": PUBLIC}, {})],
    "check": [("POST", {"name": "{paper}"}, {"raw": "subject: x\n"})],
    "save": [("POST", {"name": "{paper}"}, {"raw": "subject: x\n", "base": "0" * 64})],
    "discard": [("POST", {"name": "{paper}"}, {})],
    "raw": [("GET", {"name": "{paper}"}, {}), ("POST", {"name": "{paper}"}, {})],
    "preview": [("POST", {"name": "{paper}"}, {"raw": "subject: x\n"})],
    "pages": [("POST", {"name": "{paper}"}, {"raw": "subject: x\n"})],
    "pages_status": [
        ("GET", {"name": "{paper}", "job": "{job}"}, {}),
        ("GET", {"name": PUBLIC, "job": "{job}"}, {}),
    ],
    "page": [
        ("GET", {"name": "{paper}", "job": "{job}", "number": 1}, {}),
        ("GET", {"name": PUBLIC, "job": "{job}", "number": 1}, {}),
    ],
    "download": [
        ("GET", {"name": "{paper}", "kind": "docx"}, {}),
        ("GET", {"name": "{paper}", "kind": "pdf"}, {}),
    ],
    "versions": [("GET", {"name": "{paper}"}, {}), ("GET", {"name": PUBLIC}, {})],
    "version": [("GET", {"name": "{paper}", "number": 1}, {})],
    "restore": [("POST", {"name": "{paper}", "number": 1}, {})],
    "diff": [("GET", {"name": "{paper}"}, {"a": "1", "b": "1"})],
    "clearance": [
        ("GET", {"name": "{paper}"}, {}),
        ("POST", {"name": "{paper}"}, {"action": "ask"}),
        ("POST", {"name": "{paper}"}, {"action": "return", "role": "Chief Financial Officer"}),
    ],
    "clearance_list": [("GET", {}, {})],
    "paper_settings": [
        ("GET", {"name": "{paper}"}, {}),
        ("POST", {"name": "{paper}"}, {"base": "0" * 64, "period-month": "13"}),
        ("POST", {"name": "{paper}"}, {"base": "0" * 64, "action": "up", "list": "sections"}),
    ],
    "data": [("GET", {}, {}), ("POST", {}, {})],
    "data_file": [("GET", {"file": DATA_FILE}, {}), ("GET", {"file": "no-such-file.csv"}, {})],
    "data_versions": [("GET", {"file": DATA_FILE}, {})],
    "data_delete": [("GET", {"file": DATA_FILE}, {}), ("POST", {"file": "no-such-file.csv"}, {})],
    "data_version": [("GET", {"file": DATA_FILE, "number": 1}, {})],
    "data_restore": [("POST", {"file": DATA_FILE, "number": 9999}, {})],  # no such version
    "meetings": [("GET", {}, {})],
    "meeting_new": [("GET", {}, {}), ("POST", {}, {"action": "add"})],
    "meeting": [
        ("GET", {"name": MEETING}, {}),
        ("GET", {"name": MEETING}, {"job": "{packjob}"}),
        ("POST", {"name": MEETING}, {"action": "add"}),
    ],
    "supplied": [("POST", {"name": MEETING}, {})],
    "pack": [("POST", {"name": MEETING}, {})],
    "pack_status": [("GET", {"name": MEETING, "job": "{packjob}"}, {})],
    "pack_file": [("GET", {"name": MEETING, "file": "{packfile}"}, {})],
    "publish": [("POST", {"name": MEETING}, {})],
    "committees": [("GET", {}, {})],
    "committee": [("GET", {"committee": COMMITTEE}, {})],
    "public_file": [
        (
            "GET",
            {"committee": COMMITTEE, "meeting": "2026-11-04", "file": "{publicfile}"},
            {},
        )
    ],
    "audit": [("GET", {}, {})],
    "users": [("GET", {}, {}), ("POST", {}, {"action": "none"})],
    "user": [
        ("GET", {"name": "officer"}, {}),
        ("POST", {"name": "officer"}, {"action": "none"}),
        ("GET", {"name": "no-such-user-crawl"}, {}),
    ],
    "password": [
        ("GET", {}, {}),
        ("POST", {}, {"username": "", "temporary": "x", "new_password": "y"}),  # not counted
    ],
}


def it_covers_every_address_of_the_service() -> None:
    web.project()
    from reportgen.web.urls import urlpatterns

    assert sorted(p.name for p in urlpatterns) == sorted(CRAWL)


def normal(content: bytes, asked: str = "") -> bytes:
    """`content` without what changes on every request, and the address asked for."""
    found = PER_REQUEST.sub(lambda m: b"".join(g for g in m.groups() if g) + b"*", content)
    for said in {asked, quote(asked, safe="/"), quote(asked, safe="")} - {""}:
        found = found.replace(said.encode(), b"<asked>")
    return found


def answer(response: Any, asked: str) -> tuple[int, bytes, tuple[tuple[str, bytes], ...]]:
    headers = tuple(
        sorted(
            (k.lower(), normal(v.encode(), asked))
            for k, v in response.items()
            if k.lower() != "set-cookie"
        )
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response.status_code, normal(content, asked), headers


def exempt_bytes(found: tuple[int, bytes, tuple[tuple[str, bytes], ...]]) -> list[str]:
    """The exempt paper's words in an answer (its body and headers)."""
    said = found[1] + b"\n".join(v for _, v in found[2])
    return [word for word in EXEMPT_WORDS if word.encode() in said]


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    """The service with something exempt under way: a finished page preview of the exempt
    paper and a pack of its meeting, both the clerk's; the exempt pack built; and a clerk
    who had started their own preview and pack and asked for clearance, and then lost the
    permission."""
    root = web.project()
    from django.contrib.auth.models import User
    from django.test import Client

    from reportgen.web.models import ClearanceEvent, Job
    from reportgen.web.roles import add_user, set_exempt
    from reportgen.web.service import ensure_first_version

    User.objects.filter(username__in=[REVOKED, ADMIN]).delete()
    add_user(REVOKED, "clerk", PASSWORD, True, f"{REVOKED}@example.org")
    add_user(ADMIN, "admin", PASSWORD, False, f"{ADMIN}@example.org")
    ensure_first_version(root / "data/narrative" / f"{EXEMPT}.yaml")
    ensure_first_version(root / "data/narrative" / f"{PUBLIC}.yaml")

    def started(user: str) -> tuple[str, str]:
        client = Client()
        assert client.login(username=user, password=PASSWORD)
        text = (root / "data/narrative" / f"{EXEMPT}.yaml").read_text()
        page = client.post(f"/papers/{EXEMPT}/pages", {"raw": text}).content.decode()
        job = re.search(r"/pages/([0-9a-f]{32})", page).group(1)
        folder = root / ".reportgen" / "previews" / job
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "page-1.jpg").write_bytes(b"\xff\xd8 High-cost residential placements")
        (folder / "done").touch()
        Job.objects.filter(id=job).update(state=Job.DONE)
        pack = client.post(f"/meetings/{MEETING}/pack").content.decode()
        return job, re.search(r"/pack/([0-9a-f]{32})", pack).group(1)

    job, packjob = started("clerk")
    revoked_job, revoked_packjob = started(REVOKED)
    asker = Client()
    assert asker.login(username=REVOKED, password=PASSWORD)
    assert asker.post(f"/papers/{EXEMPT}/clearance", {"action": "ask"}).status_code == 302
    set_exempt(REVOKED, False)
    from reportgen.web.agendas import _summary

    summary = _summary(MEETING)
    folder = root / "out" / f"{summary.date}-{MEETING.split('-', 3)[3]}"
    folder.mkdir(parents=True, exist_ok=True)
    pack = folder / "exempt-agenda-pack.pdf"
    pack.write_bytes(b"%PDF-1.7 NOT FOR PUBLICATION High-cost residential placements")
    owners = {job: "clerk", packjob: "clerk", revoked_job: REVOKED, revoked_packjob: REVOKED}
    yield {
        "secrets": {
            "paper": [EXEMPT],
            "job": [job, revoked_job],
            "packjob": [packjob, revoked_packjob],
            "packfile": [pack.name],
            "publicfile": [pack.name, f"{EXEMPT}.pdf", f"{EXEMPT}.docx"],
        },
        "owners": owners,
    }
    pack.unlink(missing_ok=True)
    ClearanceEvent.objects.filter(path=f"data/narrative/{EXEMPT}.yaml").delete()
    User.objects.filter(username__in=[REVOKED, ADMIN]).delete()
    web.reset_file(f"data/narrative/{PUBLIC}.yaml")


def _url(name: str, kwargs: dict[str, Any], query: dict[str, str], method: str) -> str:
    from django.urls import reverse

    url = reverse(name, kwargs=kwargs)
    return f"{url}?{urlencode(query)}" if method == "GET" and query else url


def _filled(values: dict[str, Any], using: dict[str, str]) -> dict[str, Any]:
    """`values` with each "{token}" replaced by what `using` gives for it."""
    return {
        k: using.get(v[1:-1], v) if isinstance(v, str) and v.startswith("{") else v
        for k, v in values.items()
    }


def _ask(client: Any, method: str, url: str, form: dict[str, str]) -> Any:
    return client.post(url, form) if method == "POST" else client.get(url)


def it_answers_every_address_naming_something_exempt_as_for_nothing(world) -> None:
    from django.test import Client

    started = time.perf_counter()
    users = [None, *ROLES, ADMIN, REVOKED]
    asked = compared = 0
    leaks: list[str] = []
    differ: list[str] = []
    for user in users:
        client = Client()
        if user is not None:
            assert client.login(username=user, password=PASSWORD)
        sees = user in ROLES and ROLES[user][1]
        for name, probes in CRAWL.items():
            for method, arguments, form in probes:
                if name == "logout" or (name == "login" and method == "POST" and user):
                    continue  # signing out is last; a wrong password is tried once, anonymously
                tokens = {
                    m
                    for v in [*arguments.values(), *form.values()]
                    for m in re.findall(r"\{(\w+)\}", str(v))
                }
                cases = [{}] if not tokens else []
                for token in tokens:
                    cases += [{token: secret} for secret in world["secrets"][token]]
                for case in cases:
                    allowed = sees and bool(tokens & {"paper", "packfile", "publicfile"})
                    if allowed:
                        continue  # they may see it: nothing to compare, nothing withheld
                    secret = {t: case.get(t, ABSENT[t]) for t in tokens}
                    url = _url(name, _filled(arguments, secret), _filled(form, secret), method)
                    got = answer(_ask(client, method, url, _filled(form, secret)), url)
                    asked += 1
                    owner = any(world["owners"].get(v) == user for v in case.values())
                    if not sees and exempt_bytes(got):
                        leaks.append(f"{user} {method} {url}: {exempt_bytes(got)}")
                    if not tokens or owner:
                        continue
                    absent = _url(name, _filled(arguments, ABSENT), _filled(form, ABSENT), method)
                    nothing = answer(_ask(client, method, absent, _filled(form, ABSENT)), absent)
                    asked += 1
                    compared += 1
                    if got != nothing:
                        differ.append(f"{user} {method} {url} ≠ {absent}: {got[0]} {nothing[0]}")
    spent = time.perf_counter() - started
    print(f"crawl: {asked} requests, {compared} compared with nothing, {spent:.1f} s")
    assert not leaks, "\n".join(leaks)
    assert not differ, "\n".join(differ)
    assert compared > 150


def it_signs_each_user_out(world) -> None:
    from django.test import Client

    for user in [*ROLES, ADMIN, REVOKED]:
        client = Client()
        assert client.login(username=user, password=PASSWORD)
        assert client.post("/logout/").status_code == 302
        assert client.get("/papers/").status_code == 302
