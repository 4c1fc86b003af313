"""The users pages in a real browser: an admin changes a user's details and gives them a
temporary password, with which they choose their own; each page checked with axe-core, at
200% zoom and on a 390 pixel phone screen."""

from __future__ import annotations

import re

import pytest
from test_browser import SHOTS, accessible, browser, service, signed_in

__all__ = ["browser", "service"]  # fixtures, shared with the other browser tests
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def narrow(page, name: str) -> None:
    """No sideways scrolling on a 390 pixel wide phone; a screenshot kept."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size(size)
    assert wide <= 0, f"{name} scrolls sideways at 390 pixels by {wide} pixels"


def it_lets_an_admin_change_a_user_and_give_a_temporary_password(browser, service) -> None:
    page = signed_in(browser, service, "admin")
    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("heading", name="Users", exact=True).wait_for()
    accessible(page, "users-list")
    narrow(page, "users-list")
    page.locator('a[href="/users/officer/"]').click()
    page.get_by_role("heading", name="officer").wait_for()
    accessible(page, "user")
    narrow(page, "user")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("There is a problem").wait_for()
    focused = page.evaluate("() => document.activeElement.className")
    assert "error-summary" in focused  # focus moved to the summary, as GOV.UK's does
    accessible(page, "user-error")
    page.get_by_role("link", name=re.compile("is not an e-mail address")).click()
    assert page.evaluate("() => document.activeElement.id") == "email"
    page.get_by_label("E-mail address").fill("officer@example.org")
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("officer: saved.").wait_for()
    page.get_by_role("button", name="Reset password of officer").click()
    temporary = page.locator("#temporary").inner_text()
    accessible(page, "user-temporary")
    page.context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    chooser = context.new_page()
    chooser.goto(f"{service['url']}/password/")
    accessible(chooser, "choose-password")
    narrow(chooser, "choose-password")
    chooser.get_by_label("User name").fill("officer")
    chooser.get_by_label("Temporary password").fill(temporary)
    chooser.get_by_label("New password", exact=True).fill("officer-chose-this-one-9")
    chooser.get_by_label("New password again").fill("officer-chose-this-one-9")
    chooser.get_by_role("button", name="Set my password and sign in").click()
    chooser.wait_for_url("**/papers/")
    chooser.get_by_text("Your password is set").wait_for()
    context.close()
