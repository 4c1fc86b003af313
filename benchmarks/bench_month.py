"""Benchmark: an officer's month in the browser (issue 26), measured in process on a copy of
the example project with Django's test client: server time, as the service spends it.

    python3 benchmarks/bench_month.py [--rounds N]

1. New paper from an existing one: the "New paper" form posted (next period of the NI 59 and
   NI 60 paper, for the example's meeting), each round a new file. Target <= 1 s.
2. The editor's page of a paper with 20 live figures in its boxes, each shown as a labelled
   token. Target <= 300 ms. (The example paper as it is, with all its figures, too.)
3. The live check after a keystroke on that paper: the editor's form posted to its check
   address, a different keystroke each round. Target <= 250 ms.

Each is run `rounds` times after three rounds that warm the process's cache (as a running
service's is), interleaved (one of each per round); the median and the spread are printed.
Writes only to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_service import PASSWORD, copy_project, form_of, report

SOURCE = "2011-01-18-ni59-ni60"
MEETING = "2026-11-04-children-and-young-people-scrutiny-panel"
FIGURE = re.compile(r"\{\{.*?\}\}", re.S)


def with_figures(text: str, count: int) -> str:
    """The narrative with its first `count` live figures kept and the rest written as
    plain words (the header's comments, which name `{{ ... }}`, left alone)."""
    head, body = text.split("\ntemplate:", 1)
    kept = 0

    def one(match: re.Match[str]) -> str:
        nonlocal kept
        kept += 1
        return match.group(0) if kept <= count else "a figure"

    return head + "\ntemplate:" + FIGURE.sub(one, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    root = copy_project("bench-month-")
    narrative = root / "data" / "narrative"
    twenty = narrative / "2011-01-18-twenty-figures.yaml"
    example = (narrative / f"{SOURCE}.yaml").read_text()
    twenty.write_text(with_figures(example, 20))
    os.environ["REPORTGEN_ALLOWED_HOSTS"] = "testserver"
    from reportgen.web import server

    server.setup(root)
    from django.test import Client

    from reportgen.web.roles import add_user

    add_user("bench", "officer", PASSWORD)
    client = Client()
    assert client.login(username="bench", password=PASSWORD)
    page = client.get(f"/papers/new?from={SOURCE}").content.decode()  # the details step
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    month = re.search(r'<option value="(\d+)" selected', page).group(1)
    year = re.search(r'id="period-year" name="year" value="(\d+)"', page).group(1)
    new_form = {"csrfmiddlewaretoken": token, "from": SOURCE, "meeting": MEETING}
    new_form |= {"month": month, "year": year}
    editor = f"/papers/{twenty.stem}/"
    form = form_of(client.get(editor).content.decode())
    shown = len(re.findall(r'class="figure-token[ "]', client.get(editor).content.decode()))
    summary = form["summary"]
    made, opened, whole, checked = [], [], [], []
    for number in range(rounds + 3):
        start = time.perf_counter()
        answer = client.post("/papers/new", new_form)
        took_new = time.perf_counter() - start
        assert answer.status_code == 302, answer.content.decode()[:2000]
        start = time.perf_counter()
        answer = client.get(editor)
        took_open = time.perf_counter() - start
        assert answer.status_code == 200
        start = time.perf_counter()
        answer = client.get(f"/papers/{SOURCE}/")
        took_whole = time.perf_counter() - start
        assert answer.status_code == 200
        form["summary"] = summary + " " + "abcdefghij"[: number % 10 + 1]  # a keystroke more
        start = time.perf_counter()
        answer = client.post(f"/papers/{twenty.stem}/check", form)
        took_check = time.perf_counter() - start
        assert answer.status_code == 200
        if number >= 3:
            made.append(took_new)
            opened.append(took_open)
            whole.append(took_whole)
            checked.append(took_check)
    figures = len(FIGURE.findall(example.split("\ntemplate:", 1)[1]))
    report("new paper from an existing one", made, "<= 1 s")
    report(f"editor, 20 figures ({shown} tokens)", opened, "<= 300 ms")
    report(f"editor, the example ({figures} figures)", whole, "no target")
    report("live check after a keystroke", checked, "<= 250 ms")


if __name__ == "__main__":
    main()
