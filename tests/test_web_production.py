"""The service as it runs in production: sign-in throttled and locked out before any password
is hashed; a Content-Security-Policy on every page with nothing inline for it to block; bodies
over the limit refused unread by the web server; its state private and its papers shared; the
temporary files of a killed write removed at start; behind a real reverse proxy (Debian's
nginx) with the README's production settings; and Django's deploy check clean."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import stat
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import web
from conftest import missing
from web import PASSWORD, PUBLIC

REPO = Path(__file__).resolve().parent.parent
# The processes' pipes are read by threads that end with them.
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
HOST = "papers.council.test"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# Anything a strict policy blocks: a style attribute, an inline script, an event handler
# attribute, a javascript: address, or htmx's hx-on (which evaluates its text).
INLINE = re.compile(
    r"""\sstyle\s*=|<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|\shx-on""",
    re.IGNORECASE,
)


def policy_of(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.fixture(scope="module")
def root() -> Path:
    return web.project()


def client(name: str | None = None, address: str = "127.0.0.1") -> Any:
    from django.test import Client

    made = Client(REMOTE_ADDR=address)
    if name is not None:
        assert made.login(username=name, password=PASSWORD)
    return made


def user(name: str) -> str:
    """A user of its own for a test that locks it out (an officer)."""
    from django.contrib.auth.models import User

    from reportgen.web.roles import add_user

    if not User.objects.filter(username=name).exists():
        add_user(name, "officer", PASSWORD, False, "", (), "")
    return name


def sign_in(made: Any, name: str, password: str) -> Any:
    return made.post("/login/", {"username": name, "password": password})


def failures(name: str, address: str, count: int) -> None:
    """`count` failed sign-ins recorded, as django-axes records them."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.create(
        username=name,
        ip_address=address,
        user_agent="",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/login/",
        failures_since_start=count,
        attempt_time=timezone.now(),
    )


@pytest.fixture
def hashing() -> Iterator[list[str]]:
    """Every password hashed or checked while the test runs, by the hasher in use."""
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher("default"))
    done: list[str] = []
    verify, encode = hasher.verify, hasher.encode

    def verified(self: Any, password: str, encoded: str) -> bool:
        done.append("verify")
        return bool(verify(self, password, encoded))

    def encoded(self: Any, password: str, salt: str, *args: Any) -> str:
        done.append("encode")
        return str(encode(self, password, salt, *args))

    with (
        mock.patch.object(hasher, "verify", verified),
        mock.patch.object(hasher, "encode", encoded),
    ):
        yield done


# -- sign-in throttling ------------------------------------------------------------------------


def it_locks_a_user_name_after_five_wrong_passwords_and_says_how_long_and_who_can_unlock(
    root,
) -> None:
    from reportgen.web.models import AuditEntry

    name = user("throttled-one")
    browser = client(address="10.24.0.1")
    for _ in range(4):
        answer = sign_in(browser, name, "not-the-password")
        assert answer.status_code == 200
        assert "these do not match" in answer.content.decode()
    locked = sign_in(browser, name, "not-the-password")
    assert locked.status_code == 429
    # Even the right password is refused now, in plain words: how long, and who can help.
    refused = sign_in(browser, name, PASSWORD)
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "too many wrong passwords for the user name throttled-one" in page
    assert "Wait 15 minutes and try again" in page
    assert "ask an administrator to unlock the user name throttled-one" in page
    assert '<div class="error-summary" role="alert"' in page
    audited = AuditEntry.objects.filter(action="sign-in locked", target=name)
    assert audited.count() == 1 and "15 minutes, from 10.24.0.1" in audited.get().detail


def it_refuses_a_locked_out_sign_in_in_under_50_ms_without_hashing_a_password(
    root, hashing
) -> None:
    name = user("throttled-two")
    browser = client(address="10.24.0.2")
    sign_in(browser, "nobody-at-all", "a-guess")  # an attempt that is not locked out
    assert hashing, "a sign-in that is not locked out hashes the password"
    failures(name, "10.24.0.9", 5)
    hashing.clear()
    took = []
    for _ in range(50):
        started = time.perf_counter()
        answer = sign_in(browser, name, PASSWORD)
        took.append(time.perf_counter() - started)
        assert answer.status_code == 429
    assert hashing == [], "a locked-out sign-in hashed a password"
    median = statistics.median(took)
    print(f"locked-out sign-in refused: median {median * 1000:.1f} ms, max {max(took) * 1000:.1f}")
    assert median < 0.050


def it_locks_an_address_after_ten_times_as_many_failures_whatever_the_names(root) -> None:
    for number in range(49):
        failures(f"guess-{number}", "10.24.0.3", 1)
    guesser = client(address="10.24.0.3")
    assert sign_in(guesser, "guess-49", "a-guess").status_code == 429  # the fiftieth failure
    assert sign_in(guesser, "officer", PASSWORD).status_code == 429
    page = guesser.get("/login/").content.decode()
    assert "too many wrong passwords" in page
    assert sign_in(client(address="10.24.0.4"), "officer", PASSWORD).status_code == 302


def it_unlocks_a_user_name_from_the_command_line_and_audits_it(root, cli) -> None:
    from reportgen.web.models import AuditEntry

    name = user("throttled-three")
    failures(name, "10.24.0.5", 5)
    assert sign_in(client(address="10.24.0.6"), name, PASSWORD).status_code == 429
    said = cli("users", "unlock", name, "-p", str(root))
    assert said.exit_code == 0
    assert said.stdout.strip() == (
        "unlocked throttled-three: their failed sign-ins are forgotten, and they may sign in again"
    )
    assert sign_in(client(address="10.24.0.6"), name, PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="sign-in unlocked", target=name).exists()
    again = cli("users", "unlock", name, "-p", str(root))
    assert again.stdout.strip() == "throttled-three has no failed sign-ins to forget: nothing to do"


# -- Content-Security-Policy --------------------------------------------------------------------

PAGES = {  # address: who asks (None: nobody signed in)
    "/login/": None,
    "/committees/": None,
    "/papers/": "admin",
    f"/papers/{PUBLIC}/": "admin",
    f"/papers/{PUBLIC}/raw": "admin",
    f"/papers/{PUBLIC}/versions/": "admin",
    f"/papers/{PUBLIC}/clearance": "admin",
    "/clearance/": "admin",
    "/data/": "admin",
    "/meetings/": "admin",
    f"/meetings/{web.MEETING}/": "admin",
    "/meetings/new": "admin",
    "/audit/": "admin",
    "/users/": "admin",
    "/papers/no-such-paper/": "admin",
    "/static/web/app.css": "admin",
}


@pytest.mark.parametrize("address", PAGES)
def it_sends_a_strict_content_security_policy_on_every_page_and_has_nothing_inline(
    root, address
) -> None:
    answer = client(PAGES[address]).get(address)
    assert answer.status_code in (200, 404), address
    assert policy_of(answer["Content-Security-Policy"]) == POLICY
    if answer["Content-Type"].startswith("text/html"):
        page = answer.content.decode()
        assert not INLINE.search(page), INLINE.search(page)


def it_tells_htmx_to_inject_no_style_and_evaluate_nothing(root) -> None:
    page = client().get("/login/").content.decode()
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>"""
        in page
    )
    css = (REPO / "reportgen" / "web" / "static" / "web" / "app.css").read_text()
    assert ".htmx-indicator { opacity: 0; }" in css


# -- the store: temporary files, and modes under a private umask ----------------------------------


@pytest.mark.parametrize(
    "interruption", [OSError(28, "No space left on device"), KeyboardInterrupt]
)
def it_leaves_no_temporary_file_when_a_write_fails(tmp_path, interruption) -> None:
    from reportgen import InputError
    from reportgen.store import write_atomically

    target = tmp_path / "out" / "exempt-agenda-pack.pdf"
    with (
        mock.patch("os.fsync", side_effect=interruption),
        pytest.raises((InputError, KeyboardInterrupt)),
    ):
        write_atomically(target, b"%PDF- the whole exempt pack")
    assert list((tmp_path / "out").iterdir()) == []


def it_writes_papers_with_the_shared_modes_while_the_service_keeps_a_private_umask(
    tmp_path,
) -> None:
    from reportgen.store import share_outputs_as, write_atomically

    earlier = os.umask(0o077)
    try:
        share_outputs_as(0o022)
        write_atomically(tmp_path / "out" / "meeting" / "paper.docx", b"a paper")
        (tmp_path / "private.txt").write_text("state")
    finally:
        share_outputs_as(None)
        os.umask(earlier)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "out" / "meeting").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "out" / "meeting" / "paper.docx").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.txt").stat().st_mode) == 0o600


def it_sweeps_only_its_own_temporary_files_left_before_it_started(tmp_path) -> None:
    import reportgen

    folder = tmp_path / "out" / "meeting"
    folder.mkdir(parents=True)
    old = time.time() - 3600
    planted = {
        "out/meeting/.exempt-agenda-pack.k2_9xq7a.tmp": old,  # a killed publish's: removed
        "public/meeting/.agenda-pack.abcdefgh.tmp": old,  # removed
        ".reportgen/.secret.12345678.tmp": old,  # removed
        "out/meeting/.agenda-pack.zzzzzzzz.tmp": time.time() + 3600,  # being written: kept
        "out/meeting/.notes.tmp": old,  # not reportgen's name: kept
        "out/meeting/progress.tmp": old,  # kept
        "data/.indicators.abcdefgh.tmp": old,  # not a folder it sweeps: kept
    }
    for name, when in planted.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (when, when))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".kept.abcdefgh.tmp").write_bytes(b"x")
    os.utime(elsewhere / ".kept.abcdefgh.tmp", (old, old))
    (folder / "linked").symlink_to(elsewhere)  # a link to a folder is not followed
    removed = reportgen.Workspace(tmp_path).remove_temporaries(time.time())
    assert sorted(p.relative_to(tmp_path).as_posix() for p in removed) == [
        ".reportgen/.secret.12345678.tmp",
        "out/meeting/.exempt-agenda-pack.k2_9xq7a.tmp",
        "public/meeting/.agenda-pack.abcdefgh.tmp",
    ]
    left = sorted(
        p.relative_to(tmp_path).as_posix()
        for p in tmp_path.rglob("*")
        if p.is_file() and ".cache" not in p.parts
    )
    assert left == [
        "data/.indicators.abcdefgh.tmp",
        "elsewhere/.kept.abcdefgh.tmp",
        "out/meeting/.agenda-pack.zzzzzzzz.tmp",
        "out/meeting/.notes.tmp",
        "out/meeting/progress.tmp",
    ]


def it_allows_the_largest_upload_under_the_body_limit() -> None:
    import reportgen
    from reportgen.web import server

    assert server.MAX_BODY > reportgen.MAX_SUPPLIED + 1_000_000
    assert server.web_server_options(4)["max_request_body_size"] == server.MAX_BODY


def it_trusts_forwarded_headers_only_from_the_proxy(monkeypatch) -> None:
    from reportgen.web import server

    monkeypatch.delenv("REPORTGEN_TRUSTED_PROXY", raising=False)
    monkeypatch.delenv("REPORTGEN_PROXY_HTTPS", raising=False)
    assert "trusted_proxy" not in server.web_server_options(4)
    assert server.web_server_options(4)["clear_untrusted_proxy_headers"] is True
    monkeypatch.setenv("REPORTGEN_PROXY_HTTPS", "1")
    options = server.web_server_options(4)
    assert options["trusted_proxy"] == "127.0.0.1"
    assert options["trusted_proxy_headers"] == {"x-forwarded-proto", "x-forwarded-for"}
    monkeypatch.setenv("REPORTGEN_TRUSTED_PROXY", "10.0.0.5")
    assert server.web_server_options(4)["trusted_proxy"] == "10.0.0.5"


# -- a real `reportgen serve` --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def started(command: list[str], environment: dict[str, str], ready: str) -> tuple[Any, list[str]]:
    """A reportgen process, once it has printed `ready`; what it says is kept."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), **environment},
    )
    said: list[str] = []
    deadline = time.monotonic() + 180
    assert process.stdout is not None
    for line in process.stdout:
        said.append(line)
        if ready in line or time.monotonic() > deadline:
            break
    assert any(ready in line for line in said), "".join(said)
    reader = threading.Thread(target=lambda: said.extend(process.stdout), daemon=True)
    reader.start()
    process.reader = reader  # type: ignore[attr-defined]
    return process, said


def stopped(process: Any) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    process.reader.join(timeout=10)
    process.stdout.close()


def copy_of_example(folder: Path) -> Path:
    for part in ("config", "data"):
        shutil.copytree(REPO / part, folder / part)
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """`reportgen serve --demo` on a copy of the example that a killed publish and an earlier
    version left behind: a temporary exempt pack in out/, and state readable by all."""
    root = copy_of_example(tmp_path_factory.mktemp("production"))
    killed = root / "out" / web.MEETING / ".exempt-agenda-pack.k2_9xq7a.tmp"
    killed.parent.mkdir(parents=True)
    killed.write_bytes(b"%PDF- the whole exempt pack, half written")
    os.utime(killed, (time.time() - 60, time.time() - 60))
    (root / ".reportgen" / "mail").mkdir(parents=True)
    (root / ".reportgen").chmod(0o755)
    (root / ".reportgen" / "mail").chmod(0o755)
    (root / ".reportgen" / "mail" / "earlier.eml").write_text("Subject: an exempt paper\n")
    (root / ".reportgen" / "mail" / "earlier.eml").chmod(0o644)
    outside = root / "shared-notes.txt"  # a link in the state folder: its target is left alone
    outside.write_text("notes")
    outside.chmod(0o644)
    (root / ".reportgen" / "notes").symlink_to(outside)
    port = free_port()
    process, said = started(
        ["serve", "--demo", "--port", str(port), "-p", str(root)], {}, "is serving"
    )
    yield {"root": root, "port": port, "process": process, "said": said, "killed": killed}
    stopped(process)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def it_keeps_its_state_private_and_its_papers_shared(served) -> None:
    state = served["root"] / ".reportgen"
    umask = re.search(
        r"^Umask:\s+(\d+)$", Path(f"/proc/{served['process'].pid}/status").read_text(), re.M
    )
    assert umask is not None and int(umask.group(1), 8) == 0o077
    assert mode(served["root"] / "shared-notes.txt") == 0o644
    assert mode(state) == 0o700
    assert mode(state / "mail") == 0o700
    found = {p.name: mode(p) for p in state.rglob("*") if p.is_file() and not p.is_symlink()}
    for name in ("db.sqlite3", "jobs.sqlite3", "secret_key", "earlier.eml"):
        assert found.pop(name) == 0o600, name
    assert all(m == 0o600 for m in found.values()), found  # -wal, -shm, -journal, …
    # The papers --demo built are shared as `reportgen build` shares them.
    shared = 0o666 & ~current_umask()
    papers = list((served["root"] / "out").rglob("*.docx"))
    assert papers and all(mode(p) == shared for p in papers)
    assert mode(papers[0].parent) == 0o777 & ~current_umask()


def current_umask() -> int:
    earlier = os.umask(0o022)
    os.umask(earlier)
    return earlier


def it_removes_the_temporary_exempt_pack_a_killed_publish_left(served) -> None:
    assert not served["killed"].exists()
    assert "removed 1 temporary file left by a process stopped mid-write\n" in served["said"]


def it_refuses_a_1_gb_body_at_once_without_reading_it(served) -> None:
    took = []
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", served["port"]), timeout=5) as sock:
            started_at = time.perf_counter()
            sock.sendall(
                b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 1000000000\r\n\r\n" + b"a" * 65536
            )
            answer = sock.recv(4096)
            took.append(time.perf_counter() - started_at)
        assert answer.startswith(b"HTTP/1.1 413 Request Entity Too Large"), answer[:100]
    print(
        f"1 GB body refused: median {statistics.median(took) * 1000:.1f} ms, "
        f"min {min(took) * 1000:.1f}, max {max(took) * 1000:.1f}"
    )
    assert statistics.median(took) < 0.5


def it_sends_the_policy_from_the_real_web_server(served) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served["port"], timeout=10)
    connection.request("GET", "/login/")
    answer = connection.getresponse()
    assert answer.status == 200
    assert policy_of(answer.getheader("Content-Security-Policy") or "") == POLICY


# -- behind a real reverse proxy: Debian's nginx ------------------------------------------------


def nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    message = "nginx is not installed (sudo apt-get install nginx)"
    missing(message, "REPORTGEN_REQUIRE_PROXY")


NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 24m;
    server {{
        listen 127.0.0.1:{port};
        server_name {host};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_bind 127.0.0.2;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """`reportgen serve` with the README's production settings, behind nginx on 127.0.0.1,
    which speaks plain HTTP and says X-Forwarded-Proto: https as a proxy that terminates TLS
    says it; it reaches the service from 127.0.0.2, the one address trusted."""
    program = nginx()
    root = copy_of_example(tmp_path_factory.mktemp("proxied"))
    production = {
        "REPORTGEN_SECRET_KEY": "a-production-secret-key-" + "x7Qz" * 12,
        "REPORTGEN_ALLOWED_HOSTS": HOST,
        "REPORTGEN_HTTPS": "1",
        "REPORTGEN_PROXY_HTTPS": "1",
        "REPORTGEN_TRUSTED_PROXY": "127.0.0.2",
        "REPORTGEN_PASSWORD": PASSWORD,
    }
    added = subprocess.run(
        [sys.executable, "-m", "reportgen", "users", "add", "dana", "--role", "officer"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO), **production},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    upstream = free_port()
    service, said = started(
        ["serve", "--port", str(upstream), "--workers", "1", "-p", str(root)],
        production,
        "is serving",
    )
    folder = Path(tempfile.mkdtemp(prefix="reportgen-nginx-"))
    port = free_port()
    (folder / "nginx.conf").write_text(
        NGINX_CONF.format(folder=folder, port=port, host=HOST, upstream=upstream)
    )
    proxy = subprocess.Popen(
        [
            program,
            "-p",
            str(folder),
            "-c",
            str(folder / "nginx.conf"),
            "-e",
            str(folder / "error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proxy.poll() is None, proxy.stderr.read().decode() if proxy.stderr else ""
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    yield {"port": port, "upstream": upstream, "said": said}
    proxy.terminate()
    proxy.wait(timeout=10)
    if proxy.stderr is not None:
        proxy.stderr.close()
    stopped(service)
    shutil.rmtree(folder, ignore_errors=True)


def ask(port: int, method: str, path: str, headers: dict[str, str], body: str = "") -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body or None, headers={"Host": HOST, **headers})
    answer = connection.getresponse()
    answer.text = answer.read().decode("utf-8", "replace")
    connection.close()
    return answer


def it_answers_through_the_proxy_without_a_redirect_loop(proxied) -> None:
    answer = ask(proxied["port"], "GET", "/login/", {})
    assert answer.status == 200, (answer.status, answer.getheader("Location"))
    assert answer.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert policy_of(answer.getheader("Content-Security-Policy") or "") == POLICY


def it_signs_in_through_the_proxy_with_secure_cookies(proxied) -> None:
    page = ask(proxied["port"], "GET", "/login/", {})
    cookies = page.headers.get_all("Set-Cookie")
    csrf = next(c for c in cookies if c.startswith("csrftoken="))
    assert "; Secure" in csrf
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    origin = f"https://{HOST}"
    form = f"csrfmiddlewaretoken={token}&username=dana&password={PASSWORD}&next="
    signed = ask(
        proxied["port"],
        "POST",
        "/login/",
        {
            "Cookie": csrf.split(";")[0],
            "Origin": origin,
            "Referer": f"{origin}/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        form,
    )
    assert signed.status == 302 and signed.getheader("Location") == "/", signed.text[:300]
    session = next(c for c in signed.headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    assert "; Secure" in session and "; HttpOnly" in session
    papers = ask(proxied["port"], "GET", "/papers/", {"Cookie": session.split(";")[0]})
    assert papers.status == 200 and "Signed in as dana" in papers.text


def it_believes_no_forwarded_proto_from_an_address_that_is_not_the_proxy(proxied) -> None:
    # Straight to the web server from 127.0.0.1, claiming HTTPS: the claim is dropped, and
    # the service sends the browser to HTTPS as it would any plain request.
    answer = ask(proxied["upstream"], "GET", "/login/", {"X-Forwarded-Proto": "https"})
    assert answer.status == 301
    assert answer.getheader("Location") == f"https://{HOST}/login/"


# -- Django's deploy check -----------------------------------------------------------------------


def it_passes_djangos_deploy_check_with_the_production_settings(tmp_path) -> None:
    checked = subprocess.run(
        [sys.executable, "-m", "reportgen.web.manage", "check", "--deploy"],
        env={
            **os.environ,
            "PYTHONPATH": str(REPO),
            "REPORTGEN_PROJECT": str(copy_of_example(tmp_path / "project")),
            "REPORTGEN_SECRET_KEY": "a-production-secret-key-" + "x7Qz" * 12,
            "REPORTGEN_ALLOWED_HOSTS": HOST,
            "REPORTGEN_HTTPS": "1",
            "REPORTGEN_PROXY_HTTPS": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "System check identified no issues (0 silenced)."


# -- in a real browser: nothing the policy blocks -----------------------------------------------

MAIN_PAGES = [
    "/papers/",
    f"/papers/{PUBLIC}/",
    f"/papers/{PUBLIC}/raw",
    f"/papers/{PUBLIC}/versions/",
    f"/papers/{PUBLIC}/clearance",
    "/clearance/",
    "/meetings/",
    f"/meetings/{web.MEETING}/",
    "/data/",
    "/audit/",
    "/users/",
    "/committees/",
]


def it_shows_no_policy_violation_in_the_browser_on_the_main_pages(served) -> None:
    from playwright.sync_api import sync_playwright
    from test_browser import chromium

    passwords = {
        found.group(1): found.group(2)
        for line in served["said"]
        if (found := re.match(r"^  (\S+)\s+(\S+-\S+-\S+)\s", line))
    }
    base = f"http://127.0.0.1:{served['port']}"
    said: list[str] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium(), headless=True)
        page = browser.new_page()
        # Told by the browser itself (a script given this way is not subject to the policy).
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
        )
        page.on("console", lambda message: said.append(message.text))
        page.on("pageerror", lambda error: said.append(f"page error: {error}"))
        page.goto(f"{base}/login/")
        page.get_by_label("User name").fill("admin")
        page.get_by_label("Password").fill(passwords["admin"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/papers/")
        for address in MAIN_PAGES:
            answer = page.goto(base + address)
            assert answer is not None and answer.status == 200, address
            page.wait_for_load_state("networkidle")
        # The editor's live check is htmx, posting as one types: it must run under the policy.
        page.goto(f"{base}/papers/{PUBLIC}/")
        box = page.locator(".rich[data-rich-for]:not([hidden])").first
        with page.expect_response(lambda response: response.url.endswith("/check")) as checked:
            box.press("End")
            box.type(" More.")
        assert checked.value.status == 200
        page.wait_for_load_state("networkidle")
        browser.close()
    blocked = [s for s in said if "Content Security Policy" in s or "Refused to" in s]
    assert blocked == [], blocked
    assert not [s for s in said if s.startswith("page error")], said


def it_marks_failed_at_start_the_jobs_a_stopped_process_left_running(tmp_path) -> None:
    import sqlite3

    root = copy_of_example(tmp_path / "project")
    migrated = subprocess.run(
        [sys.executable, "-m", "reportgen", "users", "add", "sam", "--role", "clerk"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO), "REPORTGEN_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stderr
    gone = subprocess.Popen(["true"])  # a process that has ended: its id is not alive
    gone.wait()
    with sqlite3.connect(root / ".reportgen" / "db.sqlite3") as database:
        (sam,) = database.execute("SELECT id FROM auth_user WHERE username = 'sam'").fetchone()
        database.execute(
            "INSERT INTO web_job (id, kind, user_id, username, target, exempt, state, message,"
            " worker, created) VALUES (?, 'publish', ?, 'sam', ?, 0, 'running', '', ?,"
            " '2026-12-07 20:00')",
            (
                "a" * 32,
                sam,
                f"data/meetings/{web.MEETING}.yaml",
                f"{socket.gethostname()}:{gone.pid}",
            ),
        )
    worker, said = started(["worker", "-p", str(root)], {}, "reportgen worker:")
    stopped(worker)
    assert "marked failed 1 job left running by a process that stopped\n" in said
    with sqlite3.connect(root / ".reportgen" / "db.sqlite3") as database:
        state = database.execute("SELECT state FROM web_job WHERE id = ?", ("a" * 32,)).fetchone()
    assert state == ("failed",)
