"""The service scaled out: the job queue in Redis when REPORTGEN_REDIS_URL says so, jobs run
by a `reportgen worker` process of their own, and a setting that names an engine out of
reach said in one line. (.ci/scale-out runs the job tests on real PostgreSQL and Redis.)"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys

import pytest
import web
from test_web import _form, client_for
from web import PUBLIC


@pytest.fixture(scope="module")
def root():
    return web.project()


def it_puts_the_job_queue_in_redis_when_told_and_never_prints_its_password(
    root, monkeypatch
) -> None:
    from huey import RedisHuey, SqliteHuey

    from reportgen.web import server, settings

    assert isinstance(settings._jobs(), SqliteHuey)
    monkeypatch.setenv("REPORTGEN_REDIS_URL", "redis://:s3cret@queue.example.org:6380/2")
    made = settings._jobs()
    assert isinstance(made, RedisHuey) and made.name == "reportgen"
    given = made.storage.pool.connection_kwargs
    assert (given["host"], given["port"], given["db"], given["password"]) == (
        "queue.example.org", 6380, 2, "s3cret"
    )  # fmt: skip
    assert server.queue() == "the Redis queue at queue.example.org:6380/2"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("variable", "command", "said"),
    [
        (
            "REPORTGEN_REDIS_URL",
            "worker",
            r"error: cannot reach the Redis queue at 127\.0\.0\.1:\d+/0: .+ — start it, or "
            r"correct REPORTGEN_REDIS_URL",
        ),
        (
            "REPORTGEN_DATABASE_URL",
            "serve",
            r"error: cannot use the database PostgreSQL reportgen at 127\.0\.0\.1:\d+: .+ — "
            r"start it, or correct REPORTGEN_DATABASE_URL",
        ),
    ],
    ids=["redis", "postgresql"],
)
def it_says_in_one_line_which_engine_it_cannot_reach(
    root, tmp_path, variable, command, said
) -> None:
    port = closed_port()
    url = {
        "REPORTGEN_REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "REPORTGEN_DATABASE_URL": f"postgresql://reportgen@127.0.0.1:{port}/reportgen",
    }[variable]
    (tmp_path / "config").mkdir()
    environment = {**os.environ, "PYTHONPATH": str(web.REPO), variable: url}
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", command, "-p", str(tmp_path)],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert re.fullmatch(said, done.stderr.strip()), done.stderr


def it_runs_the_jobs_in_a_worker_process_of_its_own(root) -> None:
    from conftest import require_tool
    from django.conf import settings

    require_tool("soffice")
    if web.EXTERNAL:
        pytest.skip("the workers .ci/scale-out started would take the job")
    settings.HUEY.flush()  # jobs other tests asked for, which no worker ran
    environment = {**os.environ, "PYTHONPATH": str(web.REPO)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "worker", "-p", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment,
    )  # fmt: skip
    try:
        assert worker.stdout is not None
        first = worker.stdout.readline()
        assert re.fullmatch(
            rf"reportgen worker: running jobs \(.*build_pack.*page_preview.*\) for {root} from "
            rf"the SQLite queue {root}/\.reportgen/jobs\.sqlite3 \(1 at a time; Ctrl-C stops "
            r"it\)\n",
            first,
        ), first
        client = client_for("officer")
        started = client.post(f"/papers/{PUBLIC}/pages", _form(client, PUBLIC))
        assert "Making the page preview" in started.content.decode()  # not made in the request
        page = web.finished(client, started.content.decode(), timeout=180)
        assert '<img src="' in page, page
    finally:
        worker.send_signal(signal.SIGINT)
        said, _ = worker.communicate(timeout=120)
    assert re.search(r"^page_preview [0-9a-f-]{36}: done in \d+\.\d s$", said, re.M), said
    assert said.rstrip().endswith("stopped") and worker.returncode == 0, said
