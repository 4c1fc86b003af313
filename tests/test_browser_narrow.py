"""The service's lists on a phone: users, the audit log, a paper's versions, the meetings,
the papers by meeting and the data files, each readable on a 390 pixel screen and at 200%
zoom without sideways scrolling (a table's rows become blocks, each value labelled with
its column's heading), and axe-core clean. Screenshots are kept to look at."""

from __future__ import annotations

import pytest
from test_browser import SHOTS, accessible, browser, service, signed_in
from test_browser_users import narrow

__all__ = ["browser", "service"]  # fixtures, shared with the other browser tests
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

PAPER = "2011-01-18-ni59-ni60"
MEETING = "2026-11-04-children-and-young-people-scrutiny-panel"


def phone(page, address: str, name: str) -> None:
    page.goto(address)
    page.locator("h1").wait_for()
    accessible(page, name)
    narrow(page, name)


def it_shows_each_list_on_a_phone_without_sideways_scrolling(browser, service) -> None:
    page = signed_in(browser, service, "officer")
    # A version or two to list: the paper saved once in the browser.
    page.goto(f"{service['url']}/papers/{PAPER}/")
    box = page.get_by_label("Subject", exact=True)
    box.fill(box.input_value() + " (revised)")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved.").first.wait_for()
    url = service["url"]
    for address, name in (
        ("/papers/", "narrow-papers"),
        (f"/papers/{PAPER}/versions/", "narrow-versions"),
        (f"/papers/{PAPER}/versions/1/", "narrow-version"),
        (f"/papers/{PAPER}/clearance", "narrow-clearance"),
        ("/clearance/", "narrow-clearance-list"),
        ("/data/", "narrow-data"),
        ("/data/files/assessments-2010-11.csv/versions/", "narrow-data-versions"),
        ("/data/files/assessments-2010-11.csv/delete", "narrow-data-delete"),
    ):
        phone(page, f"{url}{address}", name)
    rows = page.context.new_page()
    rows.set_viewport_size({"width": 390, "height": 844})
    rows.goto(f"{url}/papers/{PAPER}/versions/")
    # Each value is labelled with its column's heading, which a screen reader still hears.
    label = rows.evaluate(
        "() => getComputedStyle(document.querySelector('td[data-label=Version]'),"
        " '::before').content"
    )
    assert label == '"Version"'
    assert rows.get_by_role("columnheader", name="Who and when").count() == 1
    assert rows.get_by_role("cell").count() >= 5
    page.context.close()


def it_shows_the_meetings_users_and_audit_log_on_a_phone(browser, service) -> None:
    url = service["url"]
    clerk = signed_in(browser, service, "clerk")
    phone(clerk, f"{url}/meetings/", "narrow-meetings")
    phone(clerk, f"{url}/meetings/{MEETING}/", "narrow-meeting")
    clerk.context.close()
    admin = signed_in(browser, service, "admin")
    phone(admin, f"{url}/users/", "narrow-users")
    phone(admin, f"{url}/audit/", "narrow-audit")
    admin.context.close()
    assert (SHOTS / "narrow-audit-390.png").is_file()
