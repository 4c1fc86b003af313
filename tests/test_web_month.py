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
    gone = markup.unescape(
        officer.post(f"/papers/{PUBLIC}/discard", follow=True).content.decode()
    )
    assert "Your draft is discarded." in gone and "My unfinished words" not in gone
    entry = AuditEntry.objects.filter(action="discard draft").last()
    assert entry is not None and entry.username == "officer" and entry.target == WHERE
