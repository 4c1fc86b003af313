"""An officer's month in the browser (issue 26): warnings that stay until they are dealt
with, and drafts that are their author's."""

from __future__ import annotations

import html as markup

import pytest
import web
from test_web_edit_path import WHERE, client_for, editor_form
from web import PUBLIC

TYPED = "Reviews were 77% done in time."


@pytest.fixture
def root():
    root = web.project()
    yield root
    from reportgen.web.models import Version

    web.reset_file(WHERE)
    Version.objects.filter(path=WHERE, draft=True).delete()


def page(client, address: str) -> str:
    return markup.unescape(client.get(address, follow=True).content.decode())


def it_shows_warnings_while_typing_on_save_on_the_paper_and_in_the_list(root) -> None:
    officer = client_for("officer")
    form = editor_form(officer)
    form["summary"] = TYPED
    checked = markup.unescape(officer.post(f"/papers/{PUBLIC}/check", form).content.decode())
    assert "No problems found. Check this warning before it goes to committee: 1" in checked
    assert "Summary: '77%' is typed, so it will not follow the data" in checked
    saved = markup.unescape(
        officer.post(f"/papers/{PUBLIC}/save", form, follow=True).content.decode()
    )
    assert "Saved, with 1 warning: each is shown beside its box." in saved
    assert TYPED in (root / WHERE).read_text(encoding="utf-8")
    # Opened again later, the paper still says so; so does the list of papers.
    again = page(officer, f"/papers/{PUBLIC}/")
    assert "Check this warning before it goes to committee: 1" in again
    assert "Ready, 1 warning" in page(officer, "/papers/")


def it_says_ready_with_no_warnings_when_there_are_none(root) -> None:
    officer = client_for("officer")
    form = editor_form(officer)
    form["summary"] = "Reviews were mostly done in time."
    saved = page(officer, f"/papers/{PUBLIC}/") and markup.unescape(
        officer.post(f"/papers/{PUBLIC}/save", form, follow=True).content.decode()
    )
    assert "Saved. The paper now has these words." in saved
    assert "No problems found." in saved


def it_keeps_a_draft_its_authors_own_until_they_discard_it(root) -> None:
    from reportgen.web.models import AuditEntry

    officer, other = client_for("officer"), client_for("officer-exempt")
    form = editor_form(officer)
    form["summary"] = "My unfinished words"
    form["draft"] = "1"
    assert officer.post(f"/papers/{PUBLIC}/save", form).status_code == 302
    mine = page(officer, f"/papers/{PUBLIC}/")
    assert "This is your draft" in mine and "My unfinished words" in mine
    theirs = page(other, f"/papers/{PUBLIC}/")
    assert "officer has an unsaved draft of this paper" in theirs
    assert "My unfinished words" not in theirs
    assert "Unsaved draft: officer" in page(other, "/papers/")
    # Only its author can discard it; anyone else's discard leaves it.
    other.post(f"/papers/{PUBLIC}/discard")
    assert "My unfinished words" in page(officer, f"/papers/{PUBLIC}/")
    gone = markup.unescape(officer.post(f"/papers/{PUBLIC}/discard", follow=True).content.decode())
    assert "Your draft is discarded." in gone and "My unfinished words" not in gone
    entry = AuditEntry.objects.filter(action="discard draft").last()
    assert entry is not None and entry.username == "officer" and entry.target == WHERE


def changed_lines(before: str, after: str) -> list[str]:
    import difflib

    diff = difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def it_changes_only_the_lines_the_officer_edited(root) -> None:
    """A browser sends a form's text with every line ending CRLF: the saved file keeps its
    own line endings, comments and blank lines; only the edited box's lines change."""
    officer = client_for("officer")
    before = (root / WHERE).read_text(encoding="utf-8")
    form = {k: v.replace("\n", "\r\n") for k, v in editor_form(officer).items()}
    old = form["summary"]
    form["summary"] = old + " One more sentence."
    assert officer.post(f"/papers/{PUBLIC}/save", form).status_code == 302
    after = (root / WHERE).read_bytes().decode("utf-8")
    assert "\r" not in after
    changed = changed_lines(before, after)
    removed = [line[1:].strip() for line in changed if line.startswith("-")]
    added = [line[1:].strip() for line in changed if line.startswith("+")]
    assert removed and all(line and line in old for line in removed), changed
    assert len(added) == 1 and added[0].endswith("One more sentence."), changed


def it_keeps_a_files_own_line_endings_when_saved_as_yaml(root) -> None:
    officer = client_for("officer")
    crlf = (root / WHERE).read_text(encoding="utf-8").replace("\n", "\r\n")
    (root / WHERE).write_bytes(crlf.encode("utf-8"))
    page = officer.get(f"/papers/{PUBLIC}/raw").content.decode()
    import re

    base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    edited = crlf.replace("summary:", "# checked\r\nsummary:", 1)
    sent = {"raw": edited, "base": base}
    assert officer.post(f"/papers/{PUBLIC}/save", sent).status_code == 302
    assert (root / WHERE).read_bytes().decode("utf-8") == edited


def it_compares_versions_as_the_papers_words(root) -> None:
    from reportgen.web.models import Version

    officer = client_for("officer")
    form = editor_form(officer)
    form["summary"] = "Reviews were done on time in most cases."
    assert officer.post(f"/papers/{PUBLIC}/save", form).status_code == 302
    form = editor_form(officer)
    form["summary"] = "Reviews were done late in a few cases."
    assert officer.post(f"/papers/{PUBLIC}/save", form).status_code == 302
    new, old = list(Version.objects.filter(path=WHERE).order_by("-number"))[:2]
    shown = officer.get(f"/papers/{PUBLIC}/diff", {"a": old.number, "b": new.number})
    text = markup.unescape(shown.content.decode())
    assert '<h2 class="heading--small">Summary</h2>' in text
    removed = '<del><span class="visually-hidden">[removed: </span>{}<span'
    added = '<ins><span class="visually-hidden">[added: </span>{}<span'
    assert "Reviews were done " + removed.format("on time") in text
    assert added.format("late") in text and removed.format("most") in text
    assert added.format("a few") in text
    assert "Key point" not in text.split("Compare as YAML")[0]  # parts unchanged: not shown
    assert "Compare as YAML (for analysts)" in text


def it_compares_words_in_order() -> None:
    from reportgen.web.wording import words

    pieces = [(p.kind, p.text) for p in words("a b c d", "a x c d e")]
    assert pieces == [
        ("same", "a "),
        ("removed", "b"),
        ("added", "x"),
        ("same", " c d"),
        ("added", " e"),
    ]


def it_offers_only_the_boxes_the_papers_template_prints(root) -> None:
    officer = client_for("officer")
    shown = officer.get(f"/papers/{PUBLIC}/").content.decode()
    assert 'id="summary"' in shown and 'id="key_points-0"' in shown
    for unprinted in ("alternative_options", "consultation", "timetable", "legal_implications"):
        assert f'id="{unprinted}"' not in shown, unprinted  # an information report has none
    # Words already written in one stay in view, so that they can be moved or removed.
    text = (root / WHERE).read_text(encoding="utf-8")
    (root / WHERE).write_text(text + "\nconsultation: With the panel.\n", encoding="utf-8")
    assert 'id="consultation"' in officer.get(f"/papers/{PUBLIC}/").content.decode()


def it_ties_each_box_to_its_messages_and_offers_a_figure_for_each(root) -> None:
    import re

    officer = client_for("officer")
    shown = officer.get(f"/papers/{PUBLIC}/").content.decode()
    boxes = re.findall(r'<textarea id="([^"]+)" name="\1"[^>]*aria-describedby="error-\1"', shown)
    assert "summary" in boxes and "key_points-0" in boxes
    for name in boxes:
        assert f'data-insert-for="{name}"' in shown, name  # by keyboard, into this box


def it_says_error_in_the_title_of_a_refused_sign_in() -> None:
    from django.test import Client

    web.project()
    refused = Client().post("/login/", {"username": "officer", "password": "wrong"})
    assert "<title>Error: Sign in" in refused.content.decode()
