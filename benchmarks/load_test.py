"""Load test of the service's background jobs (issue 14): clerks build agenda packs of 12 items
while officers edit and preview their papers, through HTTP as a browser does, on 127.0.0.1.

    python3 benchmarks/load_test.py [--duration 120] [--clerks 10] [--officers 30]
        [--configs sqlite,redis-1,redis-2] [--repeat 1] [--think 1.0] [--check]

Each run serves a fresh copy of the example project with, for each clerk, a meeting of 12
items (apologies, the minutes as a supplied PDF, and 10 papers: copies of the example's
scorecard, each with its landscape scorecard document, for that meeting) and gives each
officer a paper of their own among them. The configurations:

- sqlite: the default `reportgen serve`: SQLite and the SQLite job queue in `.reportgen/`,
  the jobs run by the service's own process, 2 at a time;
- redis-N: PostgreSQL and Redis (throwaway servers, scripts/engines.py), `reportgen serve
  --no-jobs`, and N `reportgen worker` processes, 1 job at a time each (redis-NxT: T each).

Everyone signs in first (GET the form, POST it with its CSRF token) and opens their page
once, and as many officers as jobs run at once ask for a page preview, so that the service
and its workers are warm, as a running service is; then the clock starts, and until the time
is up (each person starting in its first ten seconds, at random):
- each clerk opens the meetings, their meeting, asks for its pack, asks after it every second
  (as the page does) until it is built, and downloads the public pack;
- each officer opens their paper, changes its summary (the live check, the text preview, a
  save), asks for the page preview, asks after it every second, and fetches its first page.
A person's pause between actions is `--think` seconds on average. When the time is up nobody
starts anything new; the jobs under way are waited for (--drain seconds at most), those still
queued are left. Then the service stops (its workers finish what they run), and every job
folder is read: a job that failed is counted whether or not someone was waiting for it.

Reported for each run: packs built per minute (in the time), page previews, failed jobs (a
job that says it failed, or never finishes once started: must be 0), lost saves (a save the service
acknowledged whose words are not in a kept version, or not in the file when it was that
paper's last: must be 0), each kind of page's p95 answer time, how jobs queued (the queue's
length four times a second, each job's wait from being asked for to starting, and how long it
ran), and the cores busy (the machine's; and the web server's, the workers', the engines'
and this script's own processes). With --repeat the configurations take turns, and each
figure is given as median [min-max]. With --check, exit 1 unless there were no failed jobs,
no lost saves, no errors, at least one pack was built in each run and every worker process
ran some of the jobs (.ci/scale-out runs it so, briefly).

Writes only to temporary folders; talks only to 127.0.0.1; every loop ends with the time.
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import engines as throwaway  # noqa: E402  (scripts/engines.py, shared with .ci/scale-out)
from bench_service import NoRedirect, form_of  # noqa: E402  (the editor's fields, as the browser sends them)

PASSWORD = "a-long-load-test-password-5"
COMMITTEE = "Children's Services Scrutiny Sub-Committee"
SCORECARD = "data/narrative/2026-12-08-childrens-services-scorecard.yaml"
FIRST_MEETING = datetime.date(2026, 12, 8)
PAPERS_PER_MEETING = 10  # and 2 more items: apologies, and the minutes as a supplied PDF
POLL = 1.0  # seconds between asking after a job, as the pages do
RAMP = 10.0  # each person starts in the first seconds, at random: people don't start at once
_STATUS = re.compile(r'hx-get="(/[^"]+/(?:pages|pack)/([0-9a-f]{32}))"')


# -- the project ----------------------------------------------------------------------------


def make_project(folder: Path, clerks: int, officers: int) -> tuple[list[str], list[str]]:
    """A copy of the example with a 12-item meeting for each clerk; returns the meetings'
    names (one a clerk) and the papers' names (one an officer)."""
    for part in ("config", "data"):
        shutil.copytree(ROOT / part, folder / part)
    scorecard = (ROOT / SCORECARD).read_text(encoding="utf-8")
    meetings, papers = [], []
    for number in range(clerks):
        when = FIRST_MEETING + datetime.timedelta(days=7 * number)
        items = [
            "  - title: Apologies for absence",
            "  - title: Minutes of the previous meeting\n    file: supplied/2026-09-09-minutes.pdf",
        ]
        for part in range(1, PAPERS_PER_MEETING + 1):
            name = f"{when}-scorecard-{part}"
            text = scorecard.replace("meeting_date: 2026-12-08", f"meeting_date: {when}")
            text = text.replace("Performance Scorecard", f"Performance Scorecard, part {part}")
            (folder / "data" / "narrative" / f"{name}.yaml").write_text(text, encoding="utf-8")
            items.append(f"  - narrative: ../narrative/{name}.yaml")
            papers.append(name)
        name = f"{when}-childrens-services-scrutiny-sub-committee"
        (folder / "data" / "meetings" / f"{name}.yaml").write_text(
            f'committee: "{COMMITTEE}"\ndate: {when}\ntime: 7.00 pm\n'
            "venue: Committee Room 1, Civic Centre\nitems:\n" + "\n".join(items) + "\n",
            encoding="utf-8",
        )
        meetings.append(name)
    # Officer n edits the n-th paper of the meetings taken in turn: one each, while any last.
    ordered = [papers[m * PAPERS_PER_MEETING + p] for p in range(10) for m in range(clerks)]
    return meetings, [ordered[n % len(ordered)] for n in range(officers)]


def in_django(project: Path, environment: dict[str, str], script: str, *args: str) -> str:
    """Runs `script` in a new Python process with the service set up on `project`; returns
    what it printed."""
    prelude = (
        "import sys, pathlib\nfrom reportgen.web import server\n"
        "server.setup(pathlib.Path(sys.argv[1]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", prelude + script, str(project), *args],
        capture_output=True, text=True, env=environment, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"setting the service up failed:\n{done.stderr}")
    return done.stdout


ADD_USERS = """
from reportgen.web.roles import add_user
for spec in sys.argv[2:]:
    name, role = spec.split(":")
    add_user(name, role, PASSWORD)
""".replace("PASSWORD", repr(PASSWORD))

SAVED = """
import json
from reportgen.web.models import Version
print(json.dumps([[v.path, v.text] for v in Version.objects.filter(note="saved")]))
"""


# -- the service ----------------------------------------------------------------------------


@dataclass
class Stack:
    """The service and its job workers, started for one run, and how to stop them."""

    url: str
    environment: dict[str, str]
    serve: subprocess.Popen[str]
    workers: list[subprocess.Popen[str]]
    engines: throwaway.Engines | None
    said: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def roots(self) -> dict[str, list[int]]:
        """The processes whose CPU time is counted, by what they are."""
        if self.workers:
            found = {"web": [self.serve.pid], "workers": [w.pid for w in self.workers]}
        else:
            found = {"web and jobs": [self.serve.pid]}
        if self.engines is not None:
            postmaster = Path(self.engines.postgres) / "data" / "postmaster.pid"
            found["PostgreSQL+Redis"] = [
                int(postmaster.read_text().split()[0]),
                self.engines.redis_pid,
            ]
        found["this script"] = [os.getpid()]
        return found

    def stop(self) -> None:
        for process in [self.serve, *self.workers]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [self.serve, *self.workers]:
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for reader in self.readers:
            reader.join(timeout=10)  # what they printed last is in `said`
        if self.engines is not None:
            throwaway.stop(self.engines.folder)


def shape(config: str) -> tuple[int, int]:
    """The worker processes a configuration runs, and the jobs each runs at once (sqlite:
    none; the service runs 2 at a time itself)."""
    if config == "sqlite":
        return 0, 2
    found = re.fullmatch(r"redis-(\d+)(?:x(\d+))?", config)
    if not found:
        raise SystemExit(f"unknown configuration {config!r}: sqlite, redis-N or redis-NxT")
    return int(found.group(1)), int(found.group(2) or 1)


def start_stack(project: Path, config: str, temporary: Path, users: list[str]) -> Stack:
    """Migrates, adds the users, starts the engines (for redis-N), the service and the
    workers; returns once the service answers and every worker has said it is running."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REPORTGEN_ALLOWED_HOSTS": "127.0.0.1",
    }
    for name in ("REPORTGEN_DATABASE_URL", "REPORTGEN_REDIS_URL", "REPORTGEN_PROJECT"):
        environment.pop(name, None)
    engines = None
    workers, threads = shape(config)
    if workers:
        engines = throwaway.start(temporary / "engines")
        environment.update(engines.environment())
    stack = None
    try:
        in_django(project, environment, ADD_USERS, *users)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "reportgen", "serve", "--port", str(port)]
        command += ["-p", str(project), *(["--no-jobs"] if engines else [])]
        serve = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
        )
        stack = Stack(f"http://127.0.0.1:{port}", environment, serve, [], engines)
        stack.readers.append(_read_until(serve, "is serving", stack.said))
        for number in range(workers):
            worker = subprocess.Popen(
                [sys.executable, "-m", "reportgen", "worker", "-p", str(project),
                 "--threads", str(threads)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment,
            )  # fmt: skip
            stack.workers.append(worker)
            tag = f"worker {number + 1}: "
            stack.readers.append(_read_until(worker, "reportgen worker:", stack.said, tag))
    except BaseException:
        if stack is not None:
            stack.stop()
        elif engines is not None:
            throwaway.stop(engines.folder)
        raise
    return stack


def _read_until(
    process: subprocess.Popen[str], words: str, said: list[str], tag: str = ""
) -> threading.Thread:
    """Reads what a process prints until it prints `words` (60 s at most), then goes on
    reading in the background (a pipe nobody reads fills, and the process blocks); returns
    the thread that reads."""
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    for line in process.stdout:
        said.append(tag + line)
        if words in line:
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"{words!r} not printed within 60 s:\n{''.join(said)}")
    else:
        raise SystemExit(f"the process stopped before printing {words!r}:\n{''.join(said)}")
    stream = process.stdout
    reader = threading.Thread(target=lambda: said.extend(tag + s for s in stream), daemon=True)
    reader.start()
    return reader


# -- people ---------------------------------------------------------------------------------


@dataclass
class Job:
    kind: str  # "pack" or "preview"
    job: str
    asked: float  # time.monotonic() when the service answered the request that queued it
    finished: float = 0.0
    failed: str = ""
    unstarted: bool = False  # still queued when the time was up: left, as the queue ends


@dataclass
class Record:
    """What every simulated person saw, shared between them. Nothing is counted before the
    clock starts (`start`): signing in and the first look at each page warm the service up,
    as a service that has been running is; after `until` nobody starts anything new."""

    drain: float
    think: float
    until: float = float("inf")
    counting: bool = False
    go: threading.Event = field(default_factory=threading.Event)
    times: dict[str, list[float]] = field(default_factory=dict)  # answer times by page kind
    errors: list[str] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    saves: list[tuple[str, str, float]] = field(default_factory=list)  # paper, words, when
    refused: int = 0  # saves refused as over someone else's (409): kept as drafts, not lost
    started: dict[str, float] = field(default_factory=dict)  # job: when it started (Watcher)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, duration: float) -> float:
        self.until = time.monotonic() + duration
        self.counting = True
        self.go.set()
        return self.until - duration

    def took(self, kind: str, seconds: float) -> None:
        if self.counting:
            with self.lock:
                self.times.setdefault(kind, []).append(seconds)


class Person(threading.Thread):
    """One browser: its own cookies; each request with the CSRF token, as htmx sends it.
    It signs in and warms up, says it is ready, and works once the clock starts."""

    def __init__(self, url: str, name: str, record: Record) -> None:
        super().__init__(daemon=True)
        self.url, self.name, self.record = url, name, record
        self.ready = threading.Event()
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def run(self) -> None:
        signed = self.sign_in()
        if signed:
            self.warm_up()
        self.ready.set()
        self.record.go.wait()
        time.sleep(random.uniform(0, RAMP))
        while signed and self.time_left():
            self.work()

    def warm_up(self) -> None: ...

    def work(self) -> None: ...

    def time_left(self) -> bool:
        return time.monotonic() < self.record.until

    def pause(self) -> None:
        time.sleep(self.record.think * random.uniform(0.5, 1.5))

    def request(self, kind: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        headers = {"X-CSRFToken": token or ""} if data is not None else {}
        call = urllib.request.Request(self.url + path, body, headers)
        start = time.perf_counter()
        try:
            with self.opener.open(call, timeout=120) as answer:
                status, content = answer.status, answer.read()
        except urllib.error.HTTPError as answer:
            status, content = answer.code, answer.read()
        except OSError as error:
            status, content = 0, str(error).encode()
        self.record.took(kind, time.perf_counter() - start)
        text = content.decode("utf-8", "replace") if not content.startswith(b"%PDF") else "%PDF"
        if kind.endswith(".jpg"):
            text = "jpeg" if content.startswith(b"\xff\xd8") else text
        return status, text

    def expect(self, kind: str, status: int, wanted: int, text: str) -> bool:
        if status == wanted:
            return True
        with self.record.lock:
            self.record.errors.append(f"{self.name}: {kind} answered {status}: {text[:200]!r}")
        return False

    def sign_in(self) -> bool:
        status, page = self.request("login", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not self.expect("login", status, 200, page) or token is None:
            return False
        form = {"username": self.name, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
        status, page = self.request("sign in", "/login/", form)
        return self.expect("sign in", status, 302, page)

    def wait_for(self, kind: str, page: str, asked: float) -> tuple[Job | None, str]:
        """Asks after the job the page shows every second until it has finished. When the
        time is up, a job still queued is left (nobody waits for it); one under way is
        waited for until the drain time is up (then it has failed)."""
        found = _STATUS.search(page)
        if found is None:
            return None, page
        job = Job(kind, found.group(2), asked)
        if self.record.counting:
            with self.record.lock:
                self.record.jobs.append(job)
        while found is not None:
            if not self.time_left() and job.job not in self.record.started:
                job.unstarted = True
                return job, page
            if time.monotonic() > self.record.until + self.record.drain:
                job.failed = "did not finish in time"
                return job, page
            time.sleep(POLL)
            status, page = self.request(f"{kind} status", found.group(1))
            if status != 200:
                self.expect(f"{kind} status", status, 200, page)
                job.failed = f"its status answered {status}"
                return job, page
            found = _STATUS.search(page)
        job.finished = time.monotonic()
        return job, page


class Clerk(Person):
    def __init__(self, meeting: str, *args: Any) -> None:
        super().__init__(*args)
        self.meeting = meeting

    def warm_up(self) -> None:
        for path in ("/meetings/", f"/meetings/{self.meeting}/"):
            status, page = self.request("warm-up", path)
            self.expect("warm-up", status, 200, page)

    def work(self) -> None:
        status, page = self.request("meetings", "/meetings/")
        self.expect("meetings", status, 200, page)
        self.pause()
        status, page = self.request("meeting", f"/meetings/{self.meeting}/")
        if not self.expect("meeting", status, 200, page):
            return
        self.pause()
        status, page = self.request("pack", f"/meetings/{self.meeting}/pack", {})
        if not self.expect("pack", status, 200, page):
            return
        job, page = self.wait_for("pack", page, time.monotonic())
        if job is None or not job.finished:
            return
        if "The agenda pack is built" not in page:
            job.failed = re.sub(r"<[^>]+>|\s+", " ", page)[:300]
            return
        self.pause()
        status, pdf = self.request("pack PDF", f"/meetings/{self.meeting}/packs/agenda-pack.pdf")
        if self.expect("pack PDF", status, 200, pdf) and pdf != "%PDF":
            self.expect("pack PDF", 0, 200, "not a PDF")
        self.pause()


class Officer(Person):
    def __init__(self, paper: str, previews: bool, *args: Any) -> None:
        super().__init__(*args)
        self.paper, self.previews = paper, previews
        self.round = 0

    def warm_up(self) -> None:
        """Opens the paper (its process loads the project); the first officers each ask for
        a page preview, so that every job worker has loaded it too."""
        status, page = self.request("warm-up", f"/papers/{self.paper}/")
        if self.expect("warm-up", status, 200, page) and self.previews:
            status, page = self.request("warm-up", f"/papers/{self.paper}/pages", form_of(page))
            _, page = self.wait_for("preview", page, time.monotonic())
            if "<img" not in page:
                self.expect("warm-up preview", 0, 200, page)

    def work(self) -> None:
        address = f"/papers/{self.paper}"
        self.round += 1
        status, page = self.request("paper", f"{address}/")
        if not self.expect("paper", status, 200, page):
            return
        form = form_of(page)
        words = f"Reviewed by {self.name} in round {self.round}."
        form["summary"] = words
        for kind in ("check", "preview"):
            self.pause()
            status, page = self.request(kind, f"{address}/{kind}", form)
            self.expect(kind, status, 200, page)
        self.pause()
        status, page = self.request("save", f"{address}/save", form)
        if status == 302:
            with self.record.lock:
                self.record.saves.append((self.paper, words, time.monotonic()))
        elif status == 409:  # someone saved meanwhile: refused, and kept as a draft
            with self.record.lock:
                self.record.refused += 1
        else:
            self.expect("save", status, 302, page)
        if not self.time_left():
            return
        self.pause()
        status, page = self.request("pages", f"{address}/pages", form)
        if not self.expect("pages", status, 200, page):
            return
        job, page = self.wait_for("preview", page, time.monotonic())
        if job is None or not job.finished:
            return
        picture = re.search(r'<img src="([^"]+\.jpg)"', page)
        if picture is None:
            job.failed = re.sub(r"<[^>]+>|\s+", " ", page)[:300]
            return
        status, image = self.request("page .jpg", picture.group(1))
        if self.expect("page .jpg", status, 200, image) and image != "jpeg":
            self.expect("page .jpg", 0, 200, "not a JPEG")
        self.pause()


# -- watching the queue and the processors --------------------------------------------------


class Watcher(threading.Thread):
    """Four times a second: the queue's length, the jobs that have started (a job makes its
    folder first thing), and, at the start and end of the time, the CPU time used."""

    def __init__(self, project: Path, environment: dict[str, str], record: Record) -> None:
        super().__init__(daemon=True)
        self.state = project / ".reportgen"
        self.until = record.until
        self.queue = _queue(project, environment)
        self.lengths: list[tuple[float, int]] = []
        self.started = record.started
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            now = time.monotonic()
            try:
                if now <= self.until:
                    self.lengths.append((now, self.queue.pending_count()))
            except Exception:  # the queue's store is busy for a moment: the next look counts
                pass
            for kind in ("previews", "packs"):
                folder = self.state / kind
                for job in os.listdir(folder) if folder.is_dir() else ():
                    self.started.setdefault(job, now)
            self.done.wait(0.25)


def _queue(project: Path, environment: dict[str, str]) -> Any:
    from huey import RedisHuey, SqliteHuey

    url = environment.get("REPORTGEN_REDIS_URL")
    if url:
        return RedisHuey("reportgen", url=url)
    return SqliteHuey("reportgen", filename=str(project / ".reportgen" / "jobs.sqlite3"))


def cpu_seconds(roots: dict[str, list[int]]) -> dict[str, float]:
    """The CPU time each group of processes has used: theirs and their descendants' (those
    still running, and those they have waited for)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents, used = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        used[int(entry)] = sum(int(f) for f in fields[11:15]) / ticks  # utime stime cu cs

    def group_of(pid: int) -> str | None:
        while pid > 1:
            for name, pids in roots.items():
                if pid in pids:
                    return name
            pid = parents.get(pid, 0)
        return None

    totals = dict.fromkeys(roots, 0.0)
    for pid, seconds in used.items():
        group = group_of(pid)
        if group is not None:
            totals[group] += seconds
    return totals


def machine_busy() -> tuple[float, float]:
    """The machine's CPU time so far: busy and all, in ticks of every core."""
    numbers = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = numbers[3] + numbers[4]
    return sum(numbers) - idle, sum(numbers)


# -- one run --------------------------------------------------------------------------------


@dataclass
class Result:
    config: str
    packs: int  # built in the time
    packs_after: int  # built after it, by jobs under way when it was up
    packs_per_minute: float
    previews: int
    failed: list[str]
    lost: list[str]
    saves: int
    refused: int
    errors: list[str]
    unstarted: int  # jobs still queued when the time was up
    p95: dict[str, float]
    waits: dict[str, list[float]]
    runs: dict[str, list[float]]
    lengths: list[tuple[float, int]]
    cores: dict[str, float]
    ran: list[int] = field(default_factory=list)  # jobs each worker process ran (redis-N)


def run(config: str, arguments: argparse.Namespace) -> Result:
    with tempfile.TemporaryDirectory(prefix="load-test-") as folder:
        temporary = Path(folder)
        project = temporary / "project"
        project.mkdir()
        meetings, papers = make_project(project, arguments.clerks, arguments.officers)
        clerks = [f"clerk{n}" for n in range(arguments.clerks)]
        officers = [f"officer{n}" for n in range(arguments.officers)]
        users = [f"{n}:clerk" for n in clerks] + [f"{n}:officer" for n in officers]
        stack = start_stack(project, config, temporary, users)
        try:
            result = _measure(config, arguments, project, stack, meetings, papers)
        finally:
            stack.stop()  # the jobs under way finish first
        result.failed += failed_in(project, result.failed)
        workers, _ = shape(config)
        result.ran = [
            sum(line.startswith(f"worker {n}: ") and ": done in " in line for line in stack.said)
            for n in range(1, workers + 1)
        ]
        return result


def failed_in(project: Path, known: list[str]) -> list[str]:
    """The jobs whose folders say they failed, besides those `known` (by a person who asked
    for them): every job that ran is looked at, whoever was waiting for it."""
    seen = {line.split()[1].rstrip(":") for line in known}
    found = []
    for kind, file in (("preview", "error.txt"), ("pack", "problems.json")):
        for said in sorted((project / ".reportgen" / f"{kind}s").glob(f"*/{file}")):
            if said.parent.name not in seen:
                found.append(f"{kind} {said.parent.name}: {said.read_text()[:200]}")
    return found


def _measure(config: str, arguments: argparse.Namespace, project: Path, stack: Stack,
             meetings: list[str], papers: list[str]) -> Result:  # fmt: skip
    record = Record(arguments.drain, arguments.think)
    workers, threads = shape(config)
    slots = max(1, workers) * threads  # jobs run at once: as many officers warm them up
    people: list[Person] = [
        Clerk(meeting, stack.url, f"clerk{n}", record) for n, meeting in enumerate(meetings)
    ] + [
        Officer(paper, n < slots, stack.url, f"officer{n}", record)
        for n, paper in enumerate(papers)
    ]
    for person in people:
        person.start()
    for person in people:
        if not person.ready.wait(timeout=600):
            raise SystemExit(f"{person.name} was not signed in and warmed up in 10 minutes")
    cpu_before, busy_before = cpu_seconds(stack.roots()), machine_busy()
    began = record.start(arguments.duration)
    until = record.until
    watcher = Watcher(project, stack.environment, record)
    watcher.start()
    time.sleep(max(0.0, until - time.monotonic()))
    cpu_after, busy_after = cpu_seconds(stack.roots()), machine_busy()
    for person in people:
        person.join(timeout=max(1.0, until + arguments.drain + 180 - time.monotonic()))
    watcher.done.set()
    watcher.join()
    if any(person.is_alive() for person in people):
        record.errors.append("a simulated person was still waiting at the end")
    if stack.serve.poll() is not None:
        raise SystemExit("the service stopped during the run:\n" + "".join(stack.said[-50:]))
    for job in record.jobs:
        if not job.failed and not job.finished and not job.unstarted:
            job.failed = "never finished"

    # Every save acknowledged is in a kept version, and each paper's last is in its file.
    kept = json.loads(in_django(project, stack.environment, "\n" + SAVED))
    versions: dict[str, list[str]] = {}
    for path, text in kept:
        versions.setdefault(path, []).append(text)
    lost = []
    last: dict[str, str] = {}
    for paper, words, _ in sorted(record.saves, key=lambda s: s[2]):
        path = f"data/narrative/{paper}.yaml"
        if not any(words in text for text in versions.get(path, [])):
            lost.append(f"{paper}: {words} (no version)")
        last[paper] = words
    for paper, words in last.items():
        if words not in (project / "data" / "narrative" / f"{paper}.yaml").read_text():
            lost.append(f"{paper}: {words} (not in the file)")

    window = until - began
    packs = [j for j in record.jobs if j.kind == "pack" and j.finished and not j.failed]
    in_time = [j for j in packs if j.finished <= until]
    previews = [j for j in record.jobs if j.kind == "preview" and j.finished and not j.failed]
    waits: dict[str, list[float]] = {"pack": [], "preview": []}
    runs: dict[str, list[float]] = {"pack": [], "preview": []}
    for job in record.jobs:
        started = watcher.started.get(job.job)
        if started is not None:
            waits[job.kind].append(max(0.0, started - job.asked))
            if job.finished:
                runs[job.kind].append(job.finished - started)
    ticks_busy = busy_after[0] - busy_before[0]
    ticks_all = busy_after[1] - busy_before[1]
    cores = {"machine": (os.cpu_count() or 1) * ticks_busy / max(1, ticks_all)}
    for name in cpu_after:
        cores[name] = (cpu_after[name] - cpu_before.get(name, 0.0)) / window
    # What else ran meanwhile (other programs on the machine, or what the count misses).
    cores["other"] = max(0.0, cores["machine"] - sum(v for k, v in cores.items() if k != "machine"))
    return Result(
        config=config,
        packs=len(in_time),
        packs_after=len(packs) - len(in_time),
        packs_per_minute=len(in_time) / window * 60,
        previews=len([j for j in previews if j.finished <= until]),
        failed=[f"{j.kind} {j.job}: {j.failed}" for j in record.jobs if j.failed],
        lost=lost,
        saves=len(record.saves),
        refused=record.refused,
        errors=record.errors,
        unstarted=sum(job.unstarted for job in record.jobs),
        p95={kind: percentile(times, 0.95) for kind, times in sorted(record.times.items())},
        waits=waits,
        runs=runs,
        lengths=[(t - began, n) for t, n in watcher.lengths],
        cores=cores,
    )


# -- the report -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


DESCRIBED = {
    "sqlite": "SQLite, `reportgen serve` running the jobs (2 at a time)",
}


def describe(config: str) -> str:
    if config in DESCRIBED:
        return DESCRIBED[config]
    workers, threads = shape(config)
    each = f"{threads} job{'s' if threads > 1 else ''} at a time each"
    return f"PostgreSQL + Redis, `serve --no-jobs` + {workers} `reportgen worker` ({each})"


def show(result: Result, duration: float) -> None:
    print(f"\n{result.config}: {describe(result.config)}")
    print(
        f"  in {duration:.0f} s: {result.packs} packs built ({result.packs_per_minute:.2f} a "
        f"minute; {result.packs_after} more by the jobs under way at the end), "
        f"{result.previews} page previews; {len(result.failed)} failed jobs; "
        f"{len(result.lost)} lost saves of {result.saves} acknowledged ({result.refused} "
        f"refused as over someone else's); {len(result.errors)} errors; {result.unstarted} "
        "jobs still queued at the end"
    )
    for line in (result.failed + result.lost + result.errors)[:10]:
        print(f"    ! {line}")
    pages = ", ".join(f"{kind} {seconds * 1000:.0f}" for kind, seconds in result.p95.items())
    print(f"  p95 answer time by page (ms): {pages}")
    for kind in ("pack", "preview"):
        waits, runs = result.waits[kind], result.runs[kind]
        if waits:
            print(
                f"  {kind} jobs: waited p50 {percentile(waits, 0.5):.1f} s, p95 "
                f"{percentile(waits, 0.95):.1f} s; ran p50 {percentile(runs, 0.5):.1f} s, "
                f"p95 {percentile(runs, 0.95):.1f} s (n={len(waits)})"
            )
    lengths = [n for _, n in result.lengths]
    if lengths:
        marks = range(0, int(result.lengths[-1][0]) + 1, 10)
        every = [next(n for t, n in result.lengths if t >= mark) for mark in marks]
        print(
            f"  queue length: mean {statistics.mean(lengths):.1f}, max {max(lengths)}; every "
            f"10 s: {' '.join(str(n) for n in every)}"
        )
    cores = ", ".join(f"{name} {used:.2f}" for name, used in result.cores.items())
    print(f"  cores busy (of {os.cpu_count()}): {cores}")
    if result.ran:
        print(f"  jobs run by each worker: {' '.join(str(n) for n in result.ran)}")


def summary(results: list[Result]) -> None:
    """Each configuration's figures over its runs: median [min-max]."""
    configs = list(dict.fromkeys(r.config for r in results))

    def spread(values: list[float], form: str = "{:.2f}") -> str:
        if len(values) == 1:
            return form.format(values[0])
        low, middle, high = min(values), statistics.median(values), max(values)
        return f"{form.format(middle)} [{form.format(low)}-{form.format(high)}]"

    print("\nsummary (median [min-max] over the runs):")
    medians = {}
    for config in configs:
        mine = [r for r in results if r.config == config]
        rates = [r.packs_per_minute for r in mine]
        medians[config] = statistics.median(rates)
        waits = [percentile(r.waits["pack"], 0.95) for r in mine if r.waits["pack"]]
        pages = [max(r.p95.values()) for r in mine if r.p95]
        print(
            f"  {config:<10} packs a minute {spread(rates)}; pack wait p95 "
            f"{spread(waits, '{:.0f}')} s; slowest page kind's p95 "
            f"{spread([p * 1000 for p in pages], '{:.0f}')} ms; failed jobs "
            f"{sum(len(r.failed) for r in mine)}, lost saves {sum(len(r.lost) for r in mine)} "
            f"({len(mine)} run{'s' if len(mine) > 1 else ''})"
        )
    pairs = {
        ("redis-2", "redis-1"): " (target for 2 workers against 1: 1.7x)",
        ("redis-2", "sqlite"): "",
        ("redis-2", "redis-1x2"): "",
    }
    for (more, fewer), target in pairs.items():
        if medians.get(fewer) and more in medians:
            ratio = medians[more] / medians[fewer]
            print(f"  {more} against {fewer}: {ratio:.2f}x the packs a minute{target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--clerks", type=int, default=10)
    parser.add_argument("--officers", type=int, default=30)
    parser.add_argument("--configs", default="sqlite,redis-1,redis-2")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, taking turns")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between actions")
    parser.add_argument("--drain", type=float, default=300, help="seconds to wait for jobs")
    parser.add_argument("--check", action="store_true", help="exit 1 on any failure")
    arguments = parser.parse_args()
    if not 0 < arguments.duration <= 1800 or arguments.repeat < 1:
        parser.error("--duration must be from 1 to 1800 seconds, --repeat at least 1")
    configs = [c.strip() for c in arguments.configs.split(",") if c.strip()]
    print(
        f"{arguments.clerks} clerks building packs of 12 items, {arguments.officers} officers "
        f"editing and previewing, for {arguments.duration:.0f} s ({os.cpu_count()} cores)"
    )
    results = []
    for _ in range(arguments.repeat):
        for config in configs:
            result = run(config, arguments)
            show(result, arguments.duration)
            results.append(result)
    summary(results)
    if arguments.check:
        bad = [
            r.config
            for r in results
            if r.failed or r.lost or r.errors or not r.packs + r.packs_after or 0 in r.ran
        ]
        if bad:
            print(f"FAILED: {', '.join(bad)}")
            raise SystemExit(1)
        print(
            "ok: no failed jobs, no lost saves, no errors, packs built in every run, "
            "and every worker ran jobs"
        )


if __name__ == "__main__":
    main()
