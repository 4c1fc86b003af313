"""Benchmark: the service's targets (issue 13), measured on a copy of the example project.

    python3 benchmarks/bench_service.py [--rounds N] [--load-seconds S] [--officers N]

1. Validation round trip after a keystroke, on the example performance report: the editor's
   form posted to its check address, a different keystroke each round, server time
   (Django's test client, in process). Target: median <= 150 ms, 95th percentile <= 300 ms.
2. Text preview after an edit, the same way. Target: <= 300 ms.
3. Page preview of the 15-page performance report: what the background job does (the PDF by
   LibreOffice, then a picture of each page by pdftoppm). Target: <= 3 s.
4. A bounded load test of `reportgen serve` on 127.0.0.1: N simulated officers (20) for S
   seconds (60), each signing in, then in turn opening a paper, checking an edit, saving it
   and downloading the .docx, about a second between actions as a person takes. Target:
   zero errors, zero lost saves (every save the service said it made is a version holding
   that officer's words), p95 per request <= 1 s; requests per second reported.

Prints the median and the spread (5th-95th percentile, min-max) of each. Writes only to
temporary folders.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.cookiejar
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAPER = "2026-11-04-childrens-performance-report"
PASSWORD = "a-long-benchmark-password-9"
THINK = 1.0  # seconds between one officer's actions, on average


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def line(name: str, seconds: list[float], note: str, width: int = 34) -> None:
    """Prints the median and the spread of `seconds`, in milliseconds, with `note`."""
    ms = [s * 1000 for s in seconds]
    print(
        f"{name:<{width}} median {statistics.median(ms):7.1f} ms   p5-p95 "
        f"{percentile(ms, 0.05):6.1f}-{percentile(ms, 0.95):6.1f} ms   "
        f"min-max {min(ms):6.1f}-{max(ms):6.1f} ms   (n={len(ms)}; {note})"
    )


def report(name: str, seconds: list[float], target: str) -> None:
    line(name, seconds, f"target {target}")


def copy_project(prefix: str = "bench-service-") -> Path:
    """A copy of the example project's config/ and data/ in a new temporary folder."""
    root = Path(tempfile.mkdtemp(prefix=prefix)) / "project"
    root.mkdir()
    for folder in ("config", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def form_of(page: str) -> dict[str, str]:
    fields = {}
    for match in re.finditer(r'<textarea id="([^"]+)" name="\1"[^>]*>(.*?)</textarea>', page, re.S):
        fields[match.group(1)] = html.unescape(match.group(2))
    for match in re.finditer(r'<input type="text" id="([^"]+)" name="\1" value="([^"]*)"', page):
        fields[match.group(1)] = html.unescape(match.group(2))
    start = re.search(r'<textarea name="start"[^>]*>(.*?)</textarea>', page, re.S)
    fields["start"] = html.unescape(start.group(1)) if start else ""
    base = re.search(r'name="base" value="([0-9a-f]+)"', page)
    fields["base"] = base.group(1) if base else ""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    fields["csrfmiddlewaretoken"] = token.group(1) if token else ""
    return fields


def in_process(rounds: int) -> None:
    root = copy_project()
    os.environ["REPORTGEN_ALLOWED_HOSTS"] = "testserver"
    from reportgen.web import server

    server.setup(root)
    from django.test import Client

    from reportgen.web.roles import add_user

    add_user("bench", "officer", PASSWORD)
    client = Client()
    assert client.login(username="bench", password=PASSWORD)
    form = form_of(client.get(f"/papers/{PAPER}/").content.decode())
    summary = form["summary"]
    checks, previews = [], []
    for number in range(rounds + 3):
        form["summary"] = summary + " " + "abcdefghij"[: number % 10 + 1]  # a keystroke more
        start = time.perf_counter()
        answer = client.post(f"/papers/{PAPER}/check", form)
        checked = time.perf_counter() - start
        assert answer.status_code == 200 and b"No problems found" in answer.content
        start = time.perf_counter()
        answer = client.post(f"/papers/{PAPER}/preview", form)
        previewed = time.perf_counter() - start
        assert answer.status_code == 200 and b"preview" in answer.content
        if number >= 3:  # the first rounds warm the process's cache, as a running service has
            checks.append(checked)
            previews.append(previewed)
    report("validation round trip", checks, "median <= 150 ms, p95 <= 300 ms")
    report("text preview after an edit", previews, "<= 300 ms")
    import reportgen
    from reportgen.web import service

    narrative = root / "data/narrative" / f"{PAPER}.yaml"
    text = narrative.read_text()
    pages = []
    for number in range(3):
        edited = text.replace("summary: |", f"summary: |\n  Round {number}.", 1)
        start = time.perf_counter()
        pdf = reportgen.Workspace(root, service.CACHE).preview_pdf(narrative, edited)
        folder = Path(tempfile.mkdtemp())
        (folder / "paper.pdf").write_bytes(pdf)
        reportgen.page_pictures(folder / "paper.pdf", folder / "page")
        pages.append(time.perf_counter() - start)
        count = len(list(folder.glob("page-*.jpg")))
    report(f"page preview ({count} pages)", pages, "<= 3 s")


class Officer(threading.Thread):
    """One simulated officer: signs in, then opens, checks, saves and downloads in turn."""

    def __init__(self, url: str, name: str, until: float, times: list[float], errors: list[str],
                 saves: list[str]) -> None:  # fmt: skip
        super().__init__()
        self.url, self.name, self.until = url, name, until
        self.times, self.errors, self.saves = times, errors, saves
        self.by_action: dict[str, list[float]] = {}
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        time.sleep(THINK * random.uniform(0.5, 1.5))  # a person reads, types, clicks
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        start = time.perf_counter()
        try:
            with self.opener.open(self.url + path, body, timeout=30) as answer:
                status, text = answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as answer:
            status, text = answer.code, answer.read().decode("utf-8", "replace")
        took = time.perf_counter() - start
        self.times.append(took)
        action = path.rstrip("/").rsplit("/", 1)[-1]
        self.by_action.setdefault("paper" if action == PAPER else action, []).append(took)
        return status, text

    def run(self) -> None:
        status, page = self.request("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "/login/",
            {"username": self.name, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            self.errors.append(f"{self.name}: sign in answered {status}")
            return
        number = 0
        while time.monotonic() < self.until:
            number += 1
            status, page = self.request(f"/papers/{PAPER}/")
            if status != 200:
                self.errors.append(f"open: {status}")
                continue
            form = form_of(page)
            words = f"Checked by {self.name}, round {number}."
            form["summary"] = words
            status, _ = self.request(f"/papers/{PAPER}/check", form)
            if status != 200:
                self.errors.append(f"check: {status}")
            status, _ = self.request(f"/papers/{PAPER}/save", form)
            if status == 302:
                self.saves.append(words)
            elif status != 409:  # 409: someone saved meanwhile, refused and kept as a draft
                self.errors.append(f"save: {status}")
            status, _ = self.request(f"/papers/{PAPER}/download.docx")
            if status != 200:
                self.errors.append(f"download: {status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(root: Path, environment: dict[str, str]) -> Iterator[str]:
    """`reportgen serve` on the project at `root`, on a free port of 127.0.0.1; its address."""
    port = _free_port()
    served = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "serve", "--port", str(port), "-p", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment,
    )  # fmt: skip
    try:
        assert served.stdout is not None
        for said in served.stdout:
            if "is serving" in said:
                break
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):  # until the server answers
            try:
                urllib.request.urlopen(url + "/login/", timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        served.terminate()
        served.wait(timeout=30)


def _crowd(
    url: str, officers: int, seconds: float
) -> tuple[list[Officer], list[float], list[str], list[str], float]:
    """`officers` officers at work on the service at `url` for `seconds`: the officers,
    each request's time, the errors, the saves acknowledged, and the seconds it took."""
    times: list[float] = []
    errors: list[str] = []
    saves: list[str] = []
    until = time.monotonic() + seconds
    started = time.monotonic()
    crowd = [Officer(url, f"officer{n}", until, times, errors, saves) for n in range(officers)]
    for officer in crowd:
        officer.start()
    for officer in crowd:
        officer.join()
    return crowd, times, errors, saves, time.monotonic() - started


def load_test(officers: int, seconds: float) -> None:
    root = copy_project()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "REPORTGEN_PASSWORD": PASSWORD}
    for number in range(officers):
        subprocess.run(
            [sys.executable, "-m", "reportgen", "users", "add", f"officer{number}", "--role",
             "officer", "-p", str(root)],
            check=True, env=environment, capture_output=True,
        )  # fmt: skip
    with serving(root, environment) as url:
        crowd, times, errors, saves, elapsed = _crowd(url, officers, seconds)
    os.environ["REPORTGEN_ALLOWED_HOSTS"] = "testserver"
    import django
    from django.conf import settings

    if not settings.configured or str(settings.PROJECT) != str(root.resolve()):
        # Read the versions the service kept, from its database.
        script = (
            "import sys; from reportgen.web import server; server.setup(__import__('pathlib')."
            "Path(sys.argv[1])); from reportgen.web.models import Version; "
            "print('\\n'.join(v.text for v in Version.objects.filter(note='saved')))"
        )
        kept = subprocess.run(
            [sys.executable, "-c", script, str(root)], capture_output=True, text=True,
            env=environment, check=True,
        ).stdout  # fmt: skip
    del django
    lost = [words for words in saves if words not in kept]
    print(
        f"load test: {officers} officers for {seconds:.0f} s: {len(times)} requests, "
        f"{len(times) / elapsed:.1f} requests/s, {len(saves)} saves, {len(lost)} lost, "
        f"{len(errors)} errors{(': ' + ', '.join(errors[:5])) if errors else ''}"
    )
    report("load test: each request", times, "p95 <= 1 s")
    for action in ("login", "paper", "check", "save", "download.docx"):
        taken = [t for officer in crowd for t in officer.by_action.get(action, [])]
        if taken:
            report(f"  {action}", taken, "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--officers", type=int, default=20)
    arguments = parser.parse_args()
    load_test(arguments.officers, arguments.load_seconds)
    in_process(arguments.rounds)


if __name__ == "__main__":
    main()
