"""No code words on the service's pages: every page an officer, a clerk and an admin reach
from the papers list (with papers that have problems) is read as its visible text, and no
backtick, live-figure braces or YAML key is in it outside the boxes the officer writes in.
The library's messages, written for the command line, are put in words on the page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
import web
from web import PASSWORD, PUBLIC

from reportgen.web import plain

# Copies of a paper, each with a setting an officer might get wrong.
BAD = {
    "2011-01-18-plain-exempt-paragraph": ("exempt: false", "exempt: false\nexempt_paragraph: 3"),
    "2011-01-18-plain-no-template": ("template: ", "template: no_such_style\nold_template: "),
}
SKIPPED = ("textarea", "code", "script", "style", "template")
# What a page shows of the YAML: keys with an underscore are never a word an officer uses.
KEYS = ("exempt_paragraph", "meeting_date", "key_points", "rating_changes", "portfolio_holder")


class _Visible(HTMLParser):
    """The text a person sees on a page (not in a text box, code, script or style)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIPPED:
            self.inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def handle_data(self, data: str) -> None:
        if not self.inside:
            self.text.append(data)


def visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(" ".join(parser.text).split())


@pytest.fixture(scope="module")
def root():
    root = web.project()
    from reportgen.web.service import keep_version

    where = f"data/narrative/{PUBLIC}.yaml"
    paper = (root / where).read_text()
    keep_version(where, paper.encode(), None, "as found")
    keep_version(where, paper.replace("93%", "94%").encode(), None, "an edit")
    text = (root / "data/narrative" / f"{PUBLIC}.yaml").read_text()
    for name, (old, new) in BAD.items():
        assert old in text
        (root / "data/narrative" / f"{name}.yaml").write_text(text.replace(old, new, 1))
    yield root
    for name in BAD:
        (root / "data/narrative" / f"{name}.yaml").unlink(missing_ok=True)


def client_for(name: str):
    from django.test import Client

    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


_LINK = re.compile(r'href="(/[^"#?]*)"')
_NOT_PAGES = re.compile(r"(/logout/|/static/|\.jpg$|/data/files/[^/]+$|/packs/|/public)")


def crawl(client, start: list[str], limit: int = 400) -> dict[str, str]:
    """Every page reached by links from `start`, by address: its visible text."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        address = queue.pop(0)
        if address in seen or _NOT_PAGES.search(address) or "/download." in address[:-1]:
            continue
        answer = client.get(address)
        if answer.status_code != 200 and answer.status_code != 422:
            seen[address] = ""
            continue
        if "text/html" not in answer.get("Content-Type", ""):
            continue
        page = answer.content.decode()
        seen[address] = visible(page)
        queue += [link for link in _LINK.findall(page) if link not in seen]
    return seen


@pytest.mark.parametrize("user", ["officer", "clerk", "admin"])
def it_shows_no_code_words_on_any_page(root, user) -> None:
    client = client_for(user)
    start = ["/papers/", "/data/", "/clearance/", "/meetings/", "/users/", "/audit/"]
    start += [f"/papers/{name}/download.docx" for name in BAD]  # cannot be built: why
    start += [f"/papers/{PUBLIC}/diff?a=1&b=2"]
    pages = crawl(client, start)
    print(user, len(pages), sorted(pages)[:400])
    assert len([p for p in pages.values() if p]) > 20, pages.keys()
    for address, text in pages.items():
        assert "`" not in text, (address, text[max(0, text.find("`") - 200) :][:400])
        assert "{{" not in text, (address, text[max(0, text.find("{{") - 200) :][:400])
        for key in KEYS:
            assert key not in text, (address, key, text[max(0, text.find(key) - 200) :][:400])


def it_shows_a_papers_problems_in_the_officers_words(root) -> None:
    page = client_for("officer").get(f"/papers/{next(iter(BAD))}/").content.decode()
    text = visible(page)
    assert "Exempt paragraph" in text and "set Exempt to Yes" in text, text


@pytest.mark.parametrize(
    ("said", "plainly"),
    [
        ("add `exempt_paragraph:` (1 to 7)", "add Exempt paragraph (1 to 7)"),
        (
            "the report is not exempt: set `exempt: true`",
            "the report is not exempt: set Exempt to Yes",
        ),
        ("or use `template: performance_report`", "or use House style ‘performance report’"),
        ("see `reportgen history`", "see the indicator's published history"),
        ("add `NI59: …` under rating_changes", "add NI59: … under Rating changes"),
        ("unknown `{{ NI59.latst }}`", "unknown the live figure NI 59 latst"),
        (
            "remove `portfolio_holder:` from meeting_date",
            "remove Portfolio holder from Meeting date",
        ),
        ("a plain sentence, 93% (55 of 59)", "a plain sentence, 93% (55 of 59)"),
    ],
)
def it_puts_command_line_wording_in_words(said, plainly) -> None:
    assert plain.words(said) == plainly


def it_names_a_problems_field_by_the_officers_word_for_it() -> None:
    found = SimpleNamespace(line=4, key="rating_changes.NI59", what="is empty", fix="")
    assert plain.problem(found) == "Line 4: Rating changes NI59: is empty"
    found = SimpleNamespace(line=None, key="section 3 text", what="x", fix="use `template: a_b`")
    assert plain.problem(found) == "Section 3 text: x — use House style ‘a b’"


def it_shows_a_versions_words_with_figures_as_labels_not_code(root) -> None:
    shown = plain.figures('**FOR INFORMATION** at {{ NI59.latest }}, around {{ "85%" }} <b>')
    assert shown == (
        '<strong>FOR INFORMATION</strong> at <span class="figure-label">NI 59 latest</span>, '
        "around 85% &lt;b&gt;"
    )
    page = client_for("officer").get(f"/papers/{PUBLIC}/versions/1/").content.decode()
    assert "<dt>Summary</dt>" in page and '<span class="figure-label">NI 59 latest</span>' in page
    assert "<strong>FOR INFORMATION</strong>" in page
