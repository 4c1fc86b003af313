"""Benchmark: the service's guards and the PDF check (issue 24), measured on a copy of the
example project.

    python3 benchmarks/bench_guards.py [--rounds N] [--pdf-rounds N] [--checks N]

1. A YAML alias bomb (about 400 bytes, ten levels of nine: billions of values unfolded)
   posted as the raw text of the public example paper to its check address, interleaved with
   the paper's own text posted the same way (Django's test client, in process, signed in as
   an officer). Target: the bomb refused in under 100 ms, with the process's memory
   unchanged (peak RSS before and after the bomb rounds).
2. Sign-in against `reportgen serve` on 127.0.0.1, interleaved: (A) a wrong password for a
   user name that is not locked out (a fresh unknown name each round: Django hashes the
   password all the same, so that an unknown name takes as long as a known one) and (B) a
   sign-in for a user name locked out after too many wrong passwords (refused with 429
   before any password is hashed). Target: the locked-out refusal in under 50 ms.
3. The PDFs of every example paper (`reportgen.build(..., pdf=True)`, what `reportgen
   build --pdf` does, not written), with the completeness check of each PDF against its
   document (`reportgen.pdf.complete`) and with it turned off, interleaved; then the check
   alone on each example document and its PDF, with the number of pieces (paragraphs and
   table cells) it looked for.

Prints the median and the spread (5th-95th percentile, min-max) of each. Writes only to
temporary folders.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import itertools
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench_service import (  # the same copy of the example, server and lines as bench_service
    NoRedirect,
    copy_project,
    line,
    serving,
)

ROOT = Path(__file__).resolve().parent.parent
PAPER = "2011-01-18-ni59-ni60"
PASSWORD = "a-long-benchmark-password-9"
WRONG = "not-the-password-at-all-3"
LEVELS, WIDE = 10, 9  # the bomb: ten levels of nine aliases each
WARM = 3  # rounds that warm a process's caches, not counted


def report(name: str, seconds: list[float], said: str) -> None:
    line(name, seconds, said, width=40)


def bomb() -> str:
    """A billion laughs: each level a list of nine aliases of the level before."""
    names = "abcdefghijklmnopqrstuvwxyz"[:LEVELS]
    laughs = ",".join(['"x"'] * WIDE)
    lines = [f"a: &a [{laughs}]"]
    for before, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{','.join([f'*{before}'] * WIDE)}]")
    return "\n".join([*lines, f"summary: *{names[-1]}", ""])


def peak_rss() -> int:
    """The process's peak resident memory so far, in KB (Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def yaml_bomb(rounds: int) -> None:
    root = copy_project("bench-guards-")
    os.environ["REPORTGEN_ALLOWED_HOSTS"] = "testserver"
    from reportgen.web import server

    server.setup(root)
    from django.test import Client

    from reportgen.web.roles import add_user

    add_user("bench", "officer", PASSWORD)
    client = Client()
    assert client.login(username="bench", password=PASSWORD)
    url = f"/papers/{PAPER}/check"
    hostile = bomb()
    ordinary = (root / "data/narrative" / f"{PAPER}.yaml").read_text()
    print(
        f"YAML bomb: {len(hostile.encode())} bytes, {LEVELS} levels of {WIDE} "
        f"({WIDE**LEVELS:,} values unfolded); the paper's own text: {len(ordinary.encode())} bytes"
    )
    bombs, texts = [], []
    before = None
    for number in range(rounds + WARM):
        if number == WARM:  # both kinds of answer rendered once: the process is warm
            before = peak_rss()
        start = time.perf_counter()
        answer = client.post(url, {"raw": hostile})
        refused = time.perf_counter() - start
        assert answer.status_code == 200, answer.status_code
        assert "aliases (*name) repeat more than" in answer.content.decode()
        start = time.perf_counter()
        answer = client.post(url, {"raw": ordinary})
        checked = time.perf_counter() - start
        assert answer.status_code == 200 and b"No problems found" in answer.content
        if number >= WARM:
            bombs.append(refused)
            texts.append(checked)
    after = peak_rss()
    report("YAML bomb refused", bombs, "target < 100 ms")
    report("the paper's own text checked", texts, "the same request, no bomb")
    assert before is not None
    print(
        f"peak RSS: {before / 1024:.1f} MB before the bomb rounds, {after / 1024:.1f} MB after "
        f"({(after - before) / 1024:+.1f} MB; target: unchanged)"
    )


def sign_in(opener: urllib.request.OpenerDirector, url: str, name: str) -> tuple[int, float]:
    """A wrong password for user name `name`: the answer's status and the POST's time (the
    sign-in page, for its CSRF token, fetched first and not timed)."""
    with opener.open(url + "/login/", timeout=30) as answer:
        page = answer.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:300]
    body = urllib.parse.urlencode(
        {"username": name, "password": WRONG, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    start = time.perf_counter()
    try:
        with opener.open(url + "/login/", body, timeout=30) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as answer:
        answer.read()
        status = answer.code
    return status, time.perf_counter() - start


def signing_in(rounds: int) -> None:
    # Every wrong password counts against the address too, which is locked at ten times a
    # user name's limit (reportgen.web.throttle.ADDRESS_FACTOR): the limit is the default
    # (5) unless the rounds asked for would lock the address, when it is raised to fit.
    failing = WARM + rounds  # the wrong passwords of (A), each for a fresh name
    limit = max(5, failing // 9 + 1)  # failing + limit (the locked name's) < 10 * limit
    root = copy_project("bench-guards-")
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REPORTGEN_PASSWORD": PASSWORD,
        "REPORTGEN_LOGIN_ATTEMPTS": str(limit),
    }
    subprocess.run(
        [sys.executable, "-m", "reportgen", "users", "add", "locked", "--role", "officer",
         "-p", str(root)],
        check=True, env=environment, capture_output=True,
    )  # fmt: skip
    with serving(root, environment) as url:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        statuses = [sign_in(opener, url, "locked")[0] for _ in range(limit)]
        # Each refused with the form again, the last with the lock-out (429).
        assert statuses == [200] * (limit - 1) + [429], statuses
        hashed, refused = [], []
        for number in range(rounds + WARM):
            status, took = sign_in(opener, url, f"nobody-{number}")
            assert status == 200, f"(A) answered {status}: the address is locked out?"
            if number >= WARM:
                hashed.append(took)
            status, took = sign_in(opener, url, "locked")
            assert status == 429, f"(B) answered {status}"
            if number >= WARM:
                refused.append(took)
    with sqlite3.connect(root / ".reportgen/db.sqlite3") as database:
        by_address = database.execute(
            "SELECT ip_address, SUM(failures_since_start) FROM axes_accessattempt "
            "GROUP BY ip_address"
        ).fetchall()
        locked = database.execute(
            "SELECT SUM(failures_since_start) FROM axes_accessattempt WHERE username = 'locked'"
        ).fetchone()[0]
    assert locked == limit, locked  # the refusals wrote nothing
    print(
        f"sign-in limits: {limit} wrong passwords a user name, {limit * 10} an address; "
        f"recorded at the end: {locked} for the locked name (a refusal adds none), "
        + ", ".join(f"{total} from {address}" for address, total in by_address)
    )
    report("(A) wrong password, not locked out", hashed, "the password hashed")
    report("(B) locked-out sign-in refused (429)", refused, "target < 50 ms")


@contextlib.contextmanager
def unchecked() -> Iterator[None]:
    """The completeness check of each PDF turned off: convert.py calls complete.problems."""
    from reportgen.pdf import complete

    kept = complete.problems
    complete.problems = lambda *_, **__: []
    try:
        yield
    finally:
        complete.problems = kept


def pdf_check(rounds: int, checks: int) -> None:
    import reportgen
    from reportgen.pdf import complete

    root = copy_project("bench-guards-")
    # Once first: LibreOffice's settings folder is made and kept for the project, as a
    # second run of `build --pdf` finds it; and the documents and PDFs for the check alone.
    built = reportgen.Workspace(root).build(pdf=True, write=False).reports
    files = {path: content for item in built for path, content in item.files}
    pairs = [(path, files[path], files[path.with_suffix(".pdf")]) for path in files
             if path.suffix == ".docx"]  # fmt: skip
    with_check, without = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        reportgen.Workspace(root).build(pdf=True, write=False)
        with_check.append(time.perf_counter() - start)
        with unchecked():
            start = time.perf_counter()
            reportgen.Workspace(root).build(pdf=True, write=False)
            without.append(time.perf_counter() - start)
    print(f"PDFs of the {len(built)} example papers ({len(pairs)} documents), one LibreOffice run:")
    report("build --pdf, each PDF checked", with_check, "the check on")
    report("build --pdf, the check turned off", without, "the same work unchecked")
    extra = statistics.median(with_check) - statistics.median(without)
    paired = [(on - off) * 1000 for on, off in zip(with_check, without, strict=True)]
    print(
        f"  the check adds {extra * 1000:+.0f} ms to the median (each round, checked minus "
        f"unchecked: {min(paired):+.0f} to {max(paired):+.0f} ms); it runs beside LibreOffice"
    )
    times: dict[Path, list[float]] = {path: [] for path, _, _ in pairs}
    counted: dict[Path, int] = {}
    for _ in range(checks):  # each document in turn, round after round
        for path, document, pdf in pairs:
            start = time.perf_counter()
            counted[path] = complete.check(path.name, document, pdf)
            times[path].append(time.perf_counter() - start)
    print(f"the check alone (reportgen.pdf.complete.check), each document {checks} times:")
    for path, _, pdf in pairs:
        name = f"  {path.stem[len('2026-11-04-') :]}"  # without the date
        report(name, times[path], f"{counted[path]} pieces, PDF {len(pdf) // 1024} KB")
    total = [sum(times[path][n] for path in times) for n in range(checks)]
    report("  all documents", total, f"{sum(counted.values())} pieces")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="for the bomb and sign-in")
    parser.add_argument("--pdf-rounds", type=int, default=3, help="for build --pdf")
    parser.add_argument("--checks", type=int, default=10, help="for the check alone")
    arguments = parser.parse_args()
    signing_in(arguments.rounds)
    yaml_bomb(arguments.rounds)
    pdf_check(arguments.pdf_rounds, arguments.checks)


if __name__ == "__main__":
    main()
