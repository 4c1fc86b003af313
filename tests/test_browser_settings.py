"""A paper's settings page in a real browser: an officer finds an indicator by typing in the
filter, ticks it and saves, then sees its live figures in the editor; a refused save shows
the error summary with focus on it; a key point moves down. Each page checked with axe-core, at 200% zoom and on a
390 pixel phone screen."""

from __future__ import annotations

import pytest
from test_browser import EXEMPT, PUBLIC, accessible, browser, service, signed_in
from test_browser_users import narrow

__all__ = ["browser", "service"]  # fixtures, shared with the other browser tests
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def it_lets_an_officer_find_an_indicator_tick_it_and_save(browser, service) -> None:
    page = signed_in(browser, service, "officer-exempt")
    page.goto(f"{service['url']}/papers/{EXEMPT}/settings")
    page.get_by_role("heading", name="Settings of High-cost residential placements").wait_for()
    accessible(page, "settings")
    narrow(page, "settings")
    indicators = page.locator("[data-indicator]")
    everyone = indicators.count()
    page.get_by_label("Find an indicator").fill("front door")
    visible = page.locator("[data-indicator]:visible")
    assert 0 < visible.count() < everyone
    assert "indicator" in page.locator("#indicator-count").inner_text()
    page.get_by_label("Contacts received by the children's front door").check()
    page.get_by_label("Find an indicator").fill("")
    assert page.locator("[data-indicator]:visible").count() == everyone
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Settings saved (indicators).").wait_for()
    assert (
        "L4 latest" in page.locator("body").inner_text()
        or page.locator('button[data-figure="{{ L4.latest }}"]').count()
    )

    page.goto(f"{service['url']}/papers/{EXEMPT}/settings")
    page.get_by_label("Label for the Subject line").fill("A label far too long for the column")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.title().startswith("Error: ")
    focused = page.evaluate("() => document.activeElement.className")
    assert "error-summary" in focused
    accessible(page, "settings-error")
    page.get_by_role("link", name="The label for Subject must be 30 characters or fewer").click()
    assert page.evaluate("() => document.activeElement.id") == "label-subject"

    page.goto(f"{service['url']}/papers/{PUBLIC}/settings")
    accessible(page, "settings-lists")
    narrow(page, "settings-lists")
    page.get_by_role("button", name="Move down key point 1").click()
    page.get_by_text("Key point 1 is moved down.").wait_for()
    first = page.locator("#key_points + ol .entry__said").first.inner_text()
    assert first.startswith("Core assessments completed within 35 days")
    page.context.close()
