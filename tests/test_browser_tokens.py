"""Live figures as things, not code, in a real browser: each box shows its words with each
live figure a labelled token, gives back the file's text exactly, takes a figure from the
keyboard alone into the box it was asked for, deletes a token with one Backspace and makes
words bold from its toolbar; checked with axe-core, at 200% zoom and on a 390 pixel phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import PUBLIC, SHOTS, accessible, browser, service, signed_in
from test_browser_users import narrow

__all__ = ["browser", "service"]  # fixtures, shared with the other browser tests
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

RICH = ".rich[data-rich-for]:not([hidden])"


def opened(browser, service):
    """The officer on the example paper's editor, its boxes shown as words; with what the
    browser's console said (a refused script or style is an error there)."""
    page = signed_in(browser, service, "officer")
    said: list[str] = []
    page.on("console", lambda message: said.append(f"{message.type}: {message.text}"))
    page.goto(f"{service['url']}/papers/{PUBLIC}/")
    page.locator(RICH).first.wait_for()
    return page, said


def box_text(page, name: str) -> str:
    return page.locator(f'textarea[name="{name}"]').input_value()


def it_shows_every_box_as_words_and_gives_back_the_files_text(browser, service) -> None:
    page, said = opened(browser, service)
    names = page.eval_on_selector_all("textarea[data-box]", "boxes => boxes.map(b => b.name)")
    before = {name: box_text(page, name) for name in names}
    shown = page.eval_on_selector_all(RICH, "boxes => boxes.map(b => b.dataset.richFor)")
    assert sorted(shown) == sorted(names)  # every box shown as words; no textarea left
    assert page.locator("textarea[data-box]:visible").count() == 0
    # Each box's words written back (as after a keystroke) are the file's text, exactly.
    page.eval_on_selector_all(
        RICH, "boxes => boxes.forEach(b => b.dispatchEvent(new Event('input', {bubbles: true})))"
    )
    after = {name: box_text(page, name) for name in names}
    assert after == before
    assert "{{ NI59.latest }}" in before["key_points-0"]
    first = page.locator('.rich[data-rich-for="key_points-0"] .figure-token').first
    assert first.inner_text() == "NI 59 latest: 93%"
    assert first.get_attribute("data-source") == "{{ NI59.latest }}"
    bold = page.locator('.rich[data-rich-for="recommendations"] strong')
    assert bold.inner_text() == "FOR INFORMATION"
    assert "{{" not in page.locator('.rich[data-rich-for="key_points-0"]').inner_text()
    assert not [line for line in said if line.startswith("error")], said
    accessible(page, "paper-tokens")
    narrow(page, "paper-tokens")
    page.context.close()


def it_gives_back_every_box_of_every_example_paper(browser, service) -> None:
    page = signed_in(browser, service, "clerk")  # who may see the exempt paper too
    papers = sorted(p.stem for p in (Path(service["root"]) / "data/narrative").glob("*.yaml"))
    for paper in papers:
        page.goto(f"{service['url']}/papers/{paper}/")
        page.locator(RICH).first.wait_for()
        before = page.eval_on_selector_all("textarea[data-box]", "bs => bs.map(b => b.value)")
        page.eval_on_selector_all(
            RICH, "bs => bs.forEach(b => b.dispatchEvent(new Event('input', {bubbles: true})))"
        )
        after = page.eval_on_selector_all("textarea[data-box]", "bs => bs.map(b => b.value)")
        assert after == before, paper
        assert page.locator("textarea[data-box]:visible").count() == 0, paper
    page.context.close()


def it_inserts_a_figure_from_the_keyboard_into_the_box_it_was_asked_for(browser, service) -> None:
    page, _ = opened(browser, service)
    box = page.locator('.rich[data-rich-for="key_points-1"]')
    box.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")  # to this box's "Insert a live figure"
    assert "Key point 2" in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    wanted = "{{ NI60.latest }}"
    for _ in range(60):
        if page.evaluate("() => document.activeElement.dataset.figure") == wanted:
            break
        page.keyboard.press("ArrowDown")
    # The list opens beside the box it was asked for: on a phone, not 30 boxes below.
    beside = '.picker-slot[data-slot-for="key_points-1"] #figure-picker'
    assert page.locator(beside).count() == 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "paper-picker-390.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    accessible(page, "paper-picker-open")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.dataset.richFor") == "key_points-1"
    token = box.locator(".figure-token").last
    assert token.inner_text() == "NI 60 latest: 86%"
    assert box_text(page, "key_points-1").endswith(f"(rated {{{{ NI60.rag }}}}).{wanted}")
    status = page.locator("#picker-status")
    assert status.inner_text() == "Inserted NI 60 latest: 86% in Key point 2."
    page.keyboard.type(" today.")  # the cursor is after the figure
    assert box_text(page, "key_points-1").endswith(f"{wanted} today.")
    page.locator("#check-summary").get_by_text("No problems found").wait_for()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved").first.wait_for()
    saved = (Path(service["root"]) / "data/narrative" / f"{PUBLIC}.yaml").read_text()
    assert f"rated {{{{ NI60.rag }}}}).{wanted} today." in saved
    page.context.close()


def it_deletes_a_figure_with_one_backspace_and_makes_words_bold(browser, service) -> None:
    page, _ = opened(browser, service)
    before = box_text(page, "key_points-0")
    page.evaluate(
        """() => {
          const token = document.querySelector('.rich[data-rich-for="key_points-0"] .figure-token');
          token.closest('.rich').focus();
          const range = document.createRange();
          range.setStartAfter(token);
          range.collapse(true);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    page.keyboard.press("Backspace")
    assert box_text(page, "key_points-0") == before.replace("{{ NI59.latest }}", "", 1)

    summary = page.locator('.rich[data-rich-for="summary"]')
    page.evaluate(
        """() => {
          const text = document.querySelector('.rich[data-rich-for="summary"]').firstChild;
          const at = text.data.indexOf('members');
          const range = document.createRange();
          range.setStart(text, at);
          range.setEnd(text, at + 'members'.length);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    page.get_by_role("group", name="Style of the words in Summary").get_by_role(
        "button", name="Bold"
    ).click()
    assert "P&F **members** asked" in box_text(page, "summary")
    assert summary.locator("strong").inner_text() == "members"
    summary.press("Control+End")
    summary.press("Enter")
    summary.type("A new line.")
    assert box_text(page, "summary").endswith("\nA new line.")

    # Pasting puts in the words only, never another page's markup.
    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.setData('text/html', '<b onclick="x()">Pasted</b>');
          data.setData('text/plain', ' Pasted.');
          document.querySelector('.rich[data-rich-for="summary"]').dispatchEvent(
            new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    assert box_text(page, "summary").endswith("\nA new line. Pasted.")
    assert summary.locator("b").count() == 0

    # By mouse: the figure goes where the cursor was in the box last used.
    third = page.locator('.rich[data-rich-for="key_points-2"]')
    third.click(position={"x": 4, "y": 4})  # in its words, not on one of its tokens
    page.keyboard.press("Control+End")
    page.locator('#figure-picker button[data-figure="{{ NI59.ytd }}"]').click()
    assert box_text(page, "key_points-2").endswith("{{ NI60.benchmark_year }}.{{ NI59.ytd }}")
    assert third.locator(".figure-token").last.inner_text() == "NI 59 year to date: 79%"
    page.context.close()
