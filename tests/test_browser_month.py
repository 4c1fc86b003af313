"""An officer's whole month in a real browser, without YAML: next month's paper started from
this month's, its meeting set, an indicator added from the catalogue, a key point written
with a live figure inserted by keyboard alone, a typed number's warning kept through the
save, the versions compared as words, and the Word document downloaded with the new
period's figures in it. Every page checked with axe-core, at 200% zoom and at 390 pixels."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from test_browser import accessible, browser, service, signed_in
from test_browser_users import narrow

__all__ = ["browser", "service"]  # fixtures, shared with the other browser tests
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

SOURCE = "2026-11-04-childrens-performance-report"  # as at September 2026
MEETING = "2026-11-04-children-and-young-people-scrutiny-panel"
MADE = f"{SOURCE}-2"  # the project's convention: the meeting's date, the source's name


def looked_at(page, name: str) -> None:
    accessible(page, f"month-{name}")
    narrow(page, f"month-{name}")


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def it_takes_an_officer_through_their_month_in_the_browser(browser, service) -> None:
    page = signed_in(browser, service, "officer")
    looked_at(page, "papers")

    # 1. New paper, from this month's: the next period, the meeting chosen.
    page.get_by_role("link", name="New paper", exact=True).click()
    page.get_by_role("heading", name=re.compile("how do you want to start it")).wait_for()
    looked_at(page, "new-start")
    page.get_by_label("The next period of an existing paper").check()
    page.get_by_label("Paper to start from").select_option(SOURCE)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name=re.compile("Next period of")).wait_for()
    looked_at(page, "new-details")
    assert page.get_by_label("Month").input_value() in ("10", "October")
    assert page.get_by_label("Year").input_value() == "2026"
    page.get_by_label("Meeting").select_option(MEETING)
    page.get_by_role("button", name="Create paper").click()
    page.wait_for_url(f"**/papers/{MADE}/")
    page.get_by_text("New paper started").wait_for()
    looked_at(page, "new-paper")
    made = Path(service["root"]) / "data/narrative" / f"{MADE}.yaml"
    assert "period: 2026-10" in made.read_text()

    # 2. An indicator added from the catalogue's list, found by its title.
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_label("Find an indicator").fill("subsequent")  # CP2 is on the paper, L7 not yet
    ticked = page.get_by_label(re.compile(r"in the month that were a second or subsequent plan"))
    assert ticked.is_visible() and not ticked.is_checked()
    added = ticked.get_attribute("value")
    page.get_by_label(re.compile(r"Initial assessments completed")).wait_for(state="hidden")
    ticked.check()
    looked_at(page, "settings")
    page.get_by_role("button", name="Save settings").click()
    try:
        page.get_by_text("Settings saved (indicators).").wait_for(timeout=20000)
    except Exception:
        raise AssertionError(page.locator("main").inner_text()[:700].replace("\n", " / ")) from None
    assert f", {added}]" in made.read_text()

    # 3. A key point with a live figure inserted by keyboard only, and a typed number.
    box = page.locator('.rich[data-rich-for^="key_points-"]').last
    name = box.get_attribute("data-rich-for")
    box.focus()
    page.keyboard.type("Contacts to the front door were ")
    page.keyboard.press("Tab")  # to this box's "Insert a live figure"
    assert "Insert a live figure" in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    wanted = "{{ L4.latest }}"
    for _ in range(200):
        if page.evaluate("() => document.activeElement.dataset.figure") == wanted:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.dataset.figure") == wanted
    page.keyboard.press("Enter")
    label = box.locator(".figure-token").last.inner_text()
    shows = label.rsplit(": ", 1)[1]  # "L4 latest: 1,015" shows 1,015
    page.keyboard.type(" in October, and 93% went on to a referral.")  # a figure typed by hand
    text = page.locator(f'textarea[name="{name}"]').input_value()
    assert (
        text
        == f"Contacts to the front door were {wanted} in October, and 93% went on to a referral."
    )
    page.locator(f"#error-{name}").get_by_text("'93%' is typed").wait_for()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved, with 1 warning").wait_for()
    # The warning stays: beside its box when the paper is opened again, and in the list.
    page.reload()
    page.locator(f"#error-{name}").get_by_text("'93%' is typed").wait_for()
    looked_at(page, "paper-with-warning")
    page.get_by_role("link", name="Papers", exact=True).click()
    listed = page.locator(f'a[href="/papers/{MADE}/"]').locator(
        "xpath=ancestor::*[self::tr or self::li][1]"
    )
    assert "Ready, 1 warning" in listed.inner_text()

    # 4. The versions compared as the paper's words.
    page.goto(f"{service['url']}/papers/{MADE}/versions/")
    looked_at(page, "versions")
    page.get_by_role("button", name="Compare the two chosen").click()
    added_words = page.locator("ins").filter(has_text="Contacts to the front door were")
    added_words.first.wait_for()
    assert "{{" not in page.locator("main .words").first.inner_text()
    looked_at(page, "compare")

    # 5. The Word document, with October's figures in it.
    page.goto(f"{service['url']}/papers/{MADE}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Word document (.docx)").click()
    words = docx_text(Path(download.value.path()).read_bytes())
    assert f"Contacts to the front door were {shows} in October, and 93% went" in words
    assert "October 2026" in words
    page.context.close()
