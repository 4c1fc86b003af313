"""The service in a real browser (Debian's chromium, driven by Playwright): what an officer
does, as they do it; each main page checked with axe-core and at 200% zoom, and kept as a
screenshot in $REPORTGEN_SCREENSHOTS (default: a temporary folder) to look at."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import missing
from docx import Document

REPO = Path(__file__).resolve().parent.parent
AXE = Path(__file__).parent / "assets" / "axe.min.js"
PUBLIC = "2011-01-18-ni59-ni60"
EXEMPT = "2026-11-04-high-cost-placements"
SHOTS = Path(os.environ.get("REPORTGEN_SCREENSHOTS") or tempfile.mkdtemp(prefix="reportgen-shots-"))

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def chromium() -> str:
    """Debian's chromium (never `playwright install`, which cannot download here)."""
    found = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if found:
        return found
    message = "chromium is not installed (sudo apt-get install chromium)"
    missing(message, "REPORTGEN_REQUIRE_BROWSER")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """`reportgen serve --demo` on a copy of the example, on a free port of 127.0.0.1."""
    root = tmp_path_factory.mktemp("served")
    for folder in ("config", "data"):
        shutil.copytree(REPO / folder, root / folder)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reportgen",
            "serve",
            "--demo",
            "--port",
            str(port),
            "-p",
            str(root),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    passwords: dict[str, str] = {}
    deadline = time.monotonic() + 120
    assert process.stdout is not None
    for line in process.stdout:
        found = re.match(r"^  (\S+)\s+(\S+-\S+-\S+)\s", line)
        if found:
            passwords[found.group(1)] = found.group(2)
        if "is serving" in line or time.monotonic() > deadline:
            break
    assert passwords, "serve --demo printed no users"
    said: list[str] = []
    # Keep reading what the server says: a pipe nobody reads fills, and the server blocks.
    reader = threading.Thread(target=lambda: said.extend(process.stdout), daemon=True)
    reader.start()
    yield {"url": f"http://127.0.0.1:{port}", "root": root, "passwords": passwords, "said": said}
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


def signed_in(browser, service, user: str, **options):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, **options
    )
    page = context.new_page()
    page.goto(f"{service['url']}/login/")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(service["passwords"][user])
    page.get_by_role("button", name="Sign in").click()
    # Each lands where their work is: papers, or a clearer's "Waiting for you".
    page.wait_for_url(lambda url: url.endswith(("/papers/", "/clearance/")))
    return page


def accessible(page, name: str) -> None:
    """No serious or critical axe-core finding; readable at 200% zoom (no sideways
    scrolling at half the width); a screenshot kept."""
    # Evaluated by the browser's driver, which the page's Content-Security-Policy does not
    # govern: a <script> tag of inline text would be refused (and should be).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run()).violations")
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 640, "height": 900})  # 200% zoom of a 1280 pixel window
    wide = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(SHOTS / f"{name}-200.png"), full_page=False)
    page.set_viewport_size(size)
    assert wide <= 0, f"{name} scrolls sideways at 200% zoom by {wide} pixels"


def it_lets_an_officer_fix_a_figure_save_preview_and_download(browser, service) -> None:
    page = signed_in(browser, service, "officer")
    accessible(page, "papers")
    page.get_by_role("link", name=re.compile("Performance Update on National Indicators")).click()
    accessible(page, "paper")
    box = page.get_by_label("Key point 2", exact=True)
    box.fill("Core assessments rose to {{ NI59.latestt }} in the month.")
    error = page.locator("#error-key_points-1")
    error.get_by_text("unknown attribute 'latestt' — did you mean 'latest'?").wait_for()
    accessible(page, "paper-with-a-problem")
    box.fill("Core assessments rose to {{ NI59.latest }} in the month.")
    page.locator("#check-summary").get_by_text("No problems found.").wait_for()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved. The paper now has these words.").wait_for()
    page.get_by_role("button", name="Preview text").click()
    page.locator("#preview").get_by_text("Core assessments rose to 93% in the month.").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Word document (.docx)").click()
    content = Path(download.value.path()).read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "Core assessments rose to 93% in the month." in text
    page.get_by_role("button", name="Preview pages").click()
    try:  # LibreOffice's first start in a new settings folder can take a while
        page.locator("#pages img").first.wait_for(timeout=120_000)
    except Exception:  # say what the page and the job folder hold, to see why
        folder = Path(service["root"]) / ".reportgen" / "previews"
        jobs = [(j.name, sorted(f.name for f in j.iterdir())) for j in folder.glob("*")]
        server = "".join(service["said"])[-3000:]
        pytest.fail(
            f"no page pictures: {page.locator('#pages').inner_html()[:1500]} {jobs} {server}"
        )
    accessible(page, "paper-with-pages")
    page.context.close()


def it_restores_an_earlier_version(browser, service) -> None:
    page = signed_in(browser, service, "officer")
    page.goto(f"{service['url']}/papers/{PUBLIC}/versions/")
    accessible(page, "versions")
    page.get_by_role("button", name="Restore version 1").click()
    page.get_by_text("Version 1 is restored, as a new version.").wait_for()
    restored = (Path(service["root"]) / "data/narrative" / f"{PUBLIC}.yaml").read_text()
    assert restored == (REPO / "data/narrative" / f"{PUBLIC}.yaml").read_text()
    page.goto(f"{service['url']}/papers/{PUBLIC}/versions/")
    page.get_by_role("button", name="Compare the two chosen").click()
    accessible(page, "diff")
    page.context.close()


def it_refuses_the_second_of_two_saves_and_keeps_both_texts(browser, service) -> None:
    first = signed_in(browser, service, "officer")
    second = signed_in(browser, service, "clerk")
    for page in (first, second):
        page.goto(f"{service['url']}/papers/{PUBLIC}/")
    second.get_by_label("Summary", exact=True).fill("The clerk's summary.")
    second.get_by_role("button", name="Save", exact=True).click()
    second.get_by_text("Saved.").wait_for()
    first.get_by_label("Summary", exact=True).fill("The officer's summary.")
    first.get_by_role("button", name="Save", exact=True).click()
    first.get_by_text("Someone else saved this paper while you were editing it").wait_for()
    assert first.locator("textarea#summary").input_value() == "The officer's summary."
    first.get_by_text("Their text, as saved").click()
    first.get_by_text("The clerk's summary.").first.wait_for()
    accessible(first, "conflict")
    for page in (first, second):
        page.context.close()


def it_hides_an_exempt_paper_from_an_officer_without_the_permission(browser, service) -> None:
    page = signed_in(browser, service, "officer")
    assert "High-cost residential placements" not in page.content()
    page.get_by_label("Search papers").fill("placements")
    page.get_by_role("button", name="Search").click()
    assert "High-cost residential placements" not in page.content()
    response = page.goto(f"{service['url']}/papers/{EXEMPT}/")
    assert response.status == 404
    accessible(page, "not-found")
    page.context.close()
    allowed = signed_in(browser, service, "officer-exempt")
    assert "High-cost residential placements" in allowed.content()
    allowed.context.close()


def it_signs_in_with_a_clear_error(browser, service) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{service['url']}/")
    accessible(page, "sign-in")
    page.get_by_label("User name").fill("officer")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("There is a problem").wait_for()
    accessible(page, "sign-in-error")
    context.close()


def it_gives_admins_the_users_and_the_audit_log(browser, service) -> None:
    page = signed_in(browser, service, "admin")
    page.get_by_role("link", name="Users").click()
    page.get_by_role("heading", name="Users").wait_for()
    accessible(page, "users")
    page.get_by_label("User name").fill("new-officer")
    page.get_by_label("Password").fill("a-password-for-the-test-5")
    page.get_by_role("button", name="Add the user").click()
    page.get_by_text("new-officer can now sign in.").wait_for()
    page.get_by_role("link", name="Audit log").click()
    page.get_by_role("cell", name="user added").first.wait_for()
    accessible(page, "audit")
    page.context.close()


def it_lets_a_clerk_set_a_meetings_agenda(browser, service) -> None:
    page = signed_in(browser, service, "clerk")
    page.get_by_role("link", name="Meetings").click()
    page.get_by_role("heading", name="Meetings").wait_for()
    accessible(page, "meetings")
    page.get_by_role("link", name="Children and Young People Scrutiny Panel").click()
    page.get_by_label("Venue").wait_for()
    accessible(page, "meeting")
    page.get_by_role("button", name="Move down item 1").click()
    page.get_by_label("Venue").wait_for()
    assert page.get_by_label("Title", exact=True).first.input_value() == "Declarations of interest"
    page.get_by_label("Venue").fill("Council Chamber, Civic Centre")
    page.get_by_label("Venue").press("Enter")  # Enter saves: it never moves or removes
    page.get_by_text("Saved.").wait_for()
    saved = (
        service["root"]
        / "data/meetings"
        / "2026-11-04-children-and-young-people-scrutiny-panel.yaml"
    ).read_text()
    assert "venue: Council Chamber, Civic Centre" in saved
    assert saved.index("Declarations of interest") < saved.index("Apologies for absence")
    page.get_by_role("button", name="Build agenda pack").click()
    page.get_by_role("status").filter(has_text="Building the agenda pack").wait_for()
    page.get_by_text("The agenda pack is built").wait_for(timeout=180_000)
    accessible(page, "meeting-pack")
    with page.expect_download() as downloading:
        page.locator("#pack").get_by_role("link", name="Public pack (PDF)").click()
    assert downloading.value.suggested_filename == "agenda-pack.pdf"
    page.get_by_label("Committee").fill("")
    page.get_by_role("button", name="Save meeting").click()
    page.get_by_text("The meeting was not saved").wait_for()
    accessible(page, "meeting-error")
    page.context.close()


PERFORMANCE = "2026-11-04-childrens-performance-report"
SCORECARD = "2026-12-08-childrens-services-scorecard"
MEETING_PAGE = "/meetings/2026-11-04-children-and-young-people-scrutiny-panel/"
EXEMPT_WORDS = ("Oakfield Lodge", "£6,850")  # in the exempt paper's body, and no other


def clears(browser, service, user: str, papers: list[str], role: str) -> None:
    """`user` finds each paper waiting for them, reads it and clears it as `role`."""
    page = signed_in(browser, service, user)
    page.get_by_role("link", name="Clearance", exact=True).click()
    page.get_by_role("heading", name="Waiting for you").wait_for()
    for number, name in enumerate(papers):
        page.goto(f"{service['url']}/clearance/")
        page.locator(f'a[href="/papers/{name}/clearance"]').first.click()
        page.get_by_role("heading", name=f"Your clearance as {role}").wait_for()
        if number == 0:
            accessible(page, f"clearance-{user}")
        page.get_by_role("button", name=f"Clear as {role}").click()
        page.get_by_text(f"You have cleared the paper as {role}.").wait_for()
    page.context.close()


def pdf_words(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def it_takes_a_meeting_through_clearance_to_its_public_page(browser, service) -> None:
    clerk = signed_in(browser, service, "clerk")
    for name in (PERFORMANCE, EXEMPT):
        clerk.goto(f"{service['url']}/papers/{name}/clearance")
        clerk.get_by_role("button", name="Ask for clearance").click()
        clerk.get_by_text("Clearance asked of 2 roles.").wait_for()
    accessible(clerk, "clearance-asked")
    clears(browser, service, "cfo", [PERFORMANCE, EXEMPT], "Chief Financial Officer")
    clears(browser, service, "monitoring", [PERFORMANCE, EXEMPT], "Monitoring Officer")

    clerk.goto(service["url"] + MEETING_PAGE)
    clerk.get_by_role("heading", name="Clearance and publishing").wait_for()
    table = clerk.locator("#publishing ~ table").first.inner_text()
    assert table.count("Cleared") >= 2, table
    clerk.get_by_role("button", name="Publish", exact=True).click()
    clerk.get_by_text("The meeting is published").wait_for(timeout=240_000)
    accessible(clerk, "meeting-published")
    clerk.context.close()

    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(f"{service['url']}/committees/")
    accessible(public, "public-committees")
    public.get_by_role("link", name="Children and Young People Scrutiny Panel").click()
    public.get_by_role("heading", name="Reports").wait_for()
    accessible(public, "public-committee")
    seen = public.content()
    assert "Performance Report" in seen and "High-cost" not in seen
    links = public.locator('a[href$=".pdf"]')
    assert links.count() >= 3
    for index in range(links.count()):
        answer = public.request.get(service["url"] + links.nth(index).get_attribute("href"))
        assert answer.ok
        seen += pdf_words(answer.body())
    assert "Performance Report" in seen
    for word in EXEMPT_WORDS:
        assert word not in seen, word
    for path in (service["root"] / "public").rglob("*.pdf"):
        assert not any(w in pdf_words(path.read_bytes()) for w in EXEMPT_WORDS), path
    public.context.close()


def it_asks_again_for_a_paper_edited_after_clearance(browser, service) -> None:
    clerk = signed_in(browser, service, "clerk")
    clerk.goto(f"{service['url']}/papers/{SCORECARD}/clearance")
    clerk.get_by_role("button", name="Ask for clearance").click()
    clerk.get_by_text("Clearance asked of 2 roles.").wait_for()
    clears(browser, service, "cfo", [SCORECARD], "Chief Financial Officer")
    officer = signed_in(browser, service, "officer")
    officer.goto(f"{service['url']}/papers/{SCORECARD}/")
    summary = officer.get_by_label("Summary", exact=True)
    summary.press("Control+End")  # the box shows words (editor.js): typed at its end
    summary.type(" Revised after the briefing.")
    officer.get_by_role("button", name="Save", exact=True).click()
    officer.get_by_text("its clearance is now out of date").wait_for()
    officer.context.close()
    clerk.goto(f"{service['url']}/papers/{SCORECARD}/clearance")
    row = (
        clerk.locator("table")
        .first.get_by_role("row")
        .filter(has_text="Chief Financial Officer")
        .inner_text()
    )
    assert "Out of date" in row and "asked again" in row
    accessible(clerk, "clearance-out-of-date")
    clerk.context.close()


def it_says_why_publishing_failed_and_keeps_what_was_published(browser, service) -> None:
    root = service["root"]
    published = root / "public" / "2026-11-04-children-and-young-people-scrutiny-panel"
    before = (published / "agenda-pack.pdf").read_bytes()
    narrative = root / "data" / "narrative" / f"{PERFORMANCE}.yaml"
    narrative.write_text(narrative.read_text().replace("period: 2026-09", "period: 2031-09"))
    clerk = signed_in(browser, service, "clerk")
    clerk.goto(service["url"] + MEETING_PAGE)
    clerk.get_by_label("Publish without full clearance").check()
    clerk.get_by_label("Why (needed to publish without clearance)").fill("Testing a failure")
    clerk.get_by_role("button", name="Publish", exact=True).click()
    clerk.get_by_text("The meeting was not published").wait_for(timeout=120_000)
    assert f"In the paper {PERFORMANCE}: " in clerk.locator("#pack").inner_text()
    accessible(clerk, "meeting-publish-failed")
    assert (published / "agenda-pack.pdf").read_bytes() == before
    clerk.context.close()
