"""A paper's settings page, through Django's test client: each setting changes exactly its
own lines of the paper's file (every other line byte for byte, comments kept); a meeting
sets the committee and date; an indicator added gives its live figures; only a user who
may see exempt papers changes whether one is; a clearance recorded by hand is removed only
when asked twice; key points, sections and contacts move and go whole; a paper saved
meanwhile is not overwritten; and every hostile value is refused in words, nothing
written."""

from __future__ import annotations

import difflib
import html as markup
import re
from html.parser import HTMLParser

import pytest
import web
from web import EXEMPT, PASSWORD, PUBLIC


@pytest.fixture
def root():
    root = web.project()
    yield root
    from reportgen.web.models import Version

    for name in (PUBLIC, EXEMPT):
        web.reset_file(f"data/narrative/{name}.yaml")
        Version.objects.filter(path=f"data/narrative/{name}.yaml", draft=True).delete()


def client_for(name: str):
    from django.test import Client

    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


class _Form(HTMLParser):
    """The settings form's fields as a browser would send them, untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.inside = False
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = "settings" in found.get("class", "")
        elif self.inside and tag == "input" and found.get("name"):
            kind = found.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            self.fields.setdefault(found["name"], []).append(found.get("value", ""))
        elif self.inside and tag == "select":
            self.select = found["name"]
        elif self.inside and tag == "option" and self.select and "selected" in found:
            self.fields[self.select] = [found.get("value", "")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def page_of(client, name: str) -> str:
    response = client.get(f"/papers/{name}/settings")
    assert response.status_code == 200
    return response.content.decode()


def form_of(client, name: str) -> dict[str, list[str]]:
    found = _Form()
    found.feed(page_of(client, name))
    return found.fields


def file_of(root, name: str) -> str:
    return (root / "data/narrative" / f"{name}.yaml").read_bytes().decode()


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added, each as the file has it."""
    lines = difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
    found = [line for line in lines if line[:2] in ("- ", "+ ")]
    return [x[2:] for x in found if x[0] == "-"], [x[2:] for x in found if x[0] == "+"]


def errors(page: str) -> list[str]:
    summary = re.search(r'class="error-summary".*?</ul>', page, re.S)
    assert summary, "no error summary"
    links = re.findall(r"<a href=\"#([^\"]+)\">(.*?)</a>", summary[0])
    for target, _ in links:  # each goes to its field
        assert f'id="{target}"' in page, target
    return [markup.unescape(said) for _, said in links]


def it_shows_the_settings_in_words(root) -> None:
    page = page_of(client_for("officer"), PUBLIC)
    assert "The figures are as at November 2010" in page
    assert '<option value="11" selected>November</option>' in page
    assert '<option value="information_report" selected>Information report</option>' in page
    assert "NI 60 Core assessments completed within 35 working days of commencement" in page
    assert "The house style's words: Portfolio Holder" in page
    assert 'value="Scrutiny Lead Member area"' in page
    assert "cleared by Emma Stabler on 7 January 2011, recorded by hand" in page
    assert 'name="exempt"' not in page  # not this user's to change
    assert "`" not in page and "header_labels" not in page and "exempt_paragraph" not in page
    exempt = page_of(client_for("officer-exempt"), PUBLIC)
    assert "Paragraph 3: Information about the financial or business affairs" in exempt


@pytest.mark.parametrize(
    ("change", "removed", "added"),
    [
        ({"period-month": ["10"]}, ["period: 2010-11\n"], ["period: 2010-10\n"]),
        (
            {"meeting": ["2026-11-04-children-and-young-people-scrutiny-panel"]},
            [
                "committee: Performance and Finance Scrutiny Sub-Committee\n",
                "meeting_date: 2011-01-18\n",
            ],
            ["committee: Children and Young People Scrutiny Panel\n", "meeting_date: 2026-11-04\n"],
        ),
        (
            {"label-portfolio_holder": ["Lead Member"]},
            ["  portfolio_holder: Scrutiny Lead Member area\n"],
            ["  portfolio_holder: Lead Member\n"],
        ),
        (
            {"label-subject": ["Report title"]},
            [],
            ["  subject: Report title\n"],
        ),
        (
            {"roles": ["on behalf of the Chief Financial Officer", "Monitoring Officer"]},
            [],
            ["  - Monitoring Officer\n"],
        ),
    ],
    ids=["period", "meeting", "label", "new label", "clearance role"],
)
def it_changes_exactly_the_lines_of_each_setting(root, change, removed, added) -> None:
    client = client_for("officer")
    before = file_of(root, PUBLIC)
    form = {**form_of(client, PUBLIC), **change}
    response = client.post(f"/papers/{PUBLIC}/settings", form)
    assert response.status_code == 302, errors(response.content.decode())
    after = file_of(root, PUBLIC)
    assert changes(before, after) == (removed, added)
    assert after.splitlines()[:3] == before.splitlines()[:3]  # the comments are kept
    shown = client.get(response["Location"]).content.decode()
    assert "Settings saved" in shown


def it_keeps_the_files_line_endings(root) -> None:
    path = root / "data/narrative" / f"{PUBLIC}.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    client = client_for("officer")
    form = {**form_of(client, PUBLIC), "period-month": ["10"]}
    assert client.post(f"/papers/{PUBLIC}/settings", form).status_code == 302
    after = path.read_bytes()
    assert b"period: 2010-10\r\n" in after and after.count(b"\n") == after.count(b"\r\n")


def it_offers_the_live_figures_of_an_indicator_added(root) -> None:
    client = client_for("officer-exempt")
    assert "{{ L4.latest }}" not in client.get(f"/papers/{EXEMPT}/").content.decode()
    before = file_of(root, EXEMPT)
    form = {**form_of(client, EXEMPT), "indicators": ["L4"]}
    assert client.post(f"/papers/{EXEMPT}/settings", form).status_code == 302
    assert changes(before, file_of(root, EXEMPT)) == ([], ["indicators: [L4]\n"])
    editor = client.get(f"/papers/{EXEMPT}/").content.decode()
    assert "{{ L4.latest }}" in editor and "Contacts received by the children" in editor
    # Those still chosen keep their order; a new one goes after them.
    form = {**form_of(client, EXEMPT), "indicators": ["NI59", "L4"]}
    response = client.post(f"/papers/{EXEMPT}/settings", form)
    assert response.status_code == 422  # NI59 has no figures for September 2026
    assert any(
        "NI59 has no data for September 2026" in e for e in errors(response.content.decode())
    )
    assert "indicators: [L4]\n" in file_of(root, EXEMPT)


def it_lets_only_those_who_may_see_exempt_papers_change_exempt(root) -> None:
    officer = client_for("officer")
    before = file_of(root, PUBLIC)
    forged = {**form_of(officer, PUBLIC), "exempt": ["yes"], "exempt-paragraph": ["1"]}
    response = officer.post(f"/papers/{PUBLIC}/settings", forged)
    assert response.status_code == 302
    assert file_of(root, PUBLIC) == before  # the forged fields are not read
    assert "Nothing was changed" in officer.get(response["Location"]).content.decode()

    allowed = client_for("officer-exempt")
    refused = {**form_of(allowed, PUBLIC), "exempt": ["yes"]}
    response = allowed.post(f"/papers/{PUBLIC}/settings", refused)
    assert response.status_code == 422 and file_of(root, PUBLIC) == before
    page = response.content.decode()
    assert errors(page) == ["Choose the paragraph of Schedule 12A the exemption relies on"]
    assert "<title>Error: " in page and 'href="#exempt-paragraph"' in page
    assert 'id="exempt-paragraph" name="exempt-paragraph"' in page
    assert 'aria-describedby="exempt-paragraph-hint exempt-paragraph-error"' in page
    response = allowed.post(f"/papers/{PUBLIC}/settings", {**refused, "exempt-paragraph": "1"})
    assert response.status_code == 302
    assert changes(before, file_of(root, PUBLIC)) == (
        ["exempt: false\n"],
        ["exempt: true\n", "exempt_paragraph: 1\n"],
    )
    assert officer.get(f"/papers/{PUBLIC}/settings").status_code == 404  # exempt now
    web.reset_file(f"data/narrative/{PUBLIC}.yaml")
    exempt = file_of(root, EXEMPT)
    response = allowed.post(
        f"/papers/{EXEMPT}/settings", {**form_of(allowed, EXEMPT), "exempt": "no"}
    )
    assert response.status_code == 302
    assert changes(exempt, file_of(root, EXEMPT)) == (
        ["exempt: true\n", "exempt_paragraph: 3\n"],
        ["exempt: false\n"],
    )


def same(content: bytes) -> bytes:
    """A page without its per-request form token."""
    content = re.sub(rb'"X-CSRFToken": "[^"]+"', b"", content)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def it_answers_for_an_exempt_paper_as_for_a_missing_one(root) -> None:
    officer = client_for("officer")
    form = {**form_of(client_for("officer-exempt"), EXEMPT), "exempt": "no"}
    for ask in ("get", "post"):
        sent = (form,) if ask == "post" else ()
        exempt = getattr(officer, ask)(f"/papers/{EXEMPT}/settings", *sent)
        missing = getattr(officer, ask)("/papers/2026-11-04-no-such-paper/settings", *sent)
        assert exempt.status_code == missing.status_code == 404
        assert same(exempt.content) == same(missing.content)
    assert "exempt: true\n" in file_of(root, EXEMPT)


def it_removes_a_clearance_recorded_by_hand_only_when_asked_twice(root) -> None:
    client = client_for("officer")
    before = file_of(root, PUBLIC)
    form = {**form_of(client, PUBLIC), "roles": ["Chief Financial Officer"]}
    response = client.post(f"/papers/{PUBLIC}/settings", form)
    assert response.status_code == 422 and file_of(root, PUBLIC) == before
    page = response.content.decode()
    assert errors(page) == [
        "Emma Stabler cleared the paper as on behalf of the Chief Financial Officer on 7 "
        "January 2011, recorded by hand. To remove that clearance, tick “Yes, remove the "
        "clearance recorded by hand” and save again"
    ]
    assert 'id="remove-recorded" name="remove-recorded"' in page
    response = client.post(f"/papers/{PUBLIC}/settings", {**form, "remove-recorded": "yes"})
    assert response.status_code == 302
    assert changes(before, file_of(root, PUBLIC)) == (
        [
            "  - role: on behalf of the Chief Financial Officer\n",
            "    name: Emma Stabler\n",
            "    date: 2011-01-07\n",
        ],
        ["  - Chief Financial Officer\n"],
    )


def move(client, name: str, key: str, index: int, action: str):
    page = page_of(client, name)
    base = re.search(r'name="base" value="([0-9a-f]{64})"', page)[1]
    form = {"base": base, "list": key, "index": str(index), "action": action}
    return client.post(f"/papers/{name}/settings", form)


def it_moves_and_removes_key_points_and_sections_whole(root) -> None:
    client = client_for("officer")
    before = file_of(root, PUBLIC)
    response = move(client, PUBLIC, "key_points", 1, "up")
    assert response.status_code == 302 and response["Location"].endswith("/settings#key_points")
    after = file_of(root, PUBLIC)
    assert sorted(after.splitlines()) == sorted(before.splitlines())
    assert after.index("Core assessments completed") < after.index("Initial assessments")
    assert "Key point 2 is moved up." in client.get(response["Location"]).content.decode()
    moved = after
    assert move(client, PUBLIC, "sections", 0, "down").status_code == 302
    after = file_of(root, PUBLIC)
    assert sorted(after.splitlines()) == sorted(moved.splitlines())
    assert after.index("heading: Action and progress") < after.index("heading: Background")
    assert "      initial assessments\n\n  - heading: Detailed performance" in after
    moved = after
    assert move(client, PUBLIC, "sections", 2, "remove").status_code == 302
    removed, added = changes(moved, file_of(root, PUBLIC))
    assert added == [] and removed[0] == "  - heading: Detailed performance and comparators\n"
    assert "      with {{ NI60.benchmarks[authority.short_name] }}**.\n" in removed
    assert "      initial assessments\n\nfinancial_implications: |" in file_of(root, PUBLIC)


def it_refuses_a_change_over_a_paper_saved_meanwhile(root) -> None:
    client = client_for("officer")
    form = {**form_of(client, PUBLIC), "period-month": ["10"]}
    path = root / "data/narrative" / f"{PUBLIC}.yaml"
    theirs = file_of(root, PUBLIC).replace("None.", "None known.")
    path.write_text(theirs)
    response = client.post(f"/papers/{PUBLIC}/settings", form)
    assert response.status_code == 409 and file_of(root, PUBLIC) == theirs
    assert (
        "Someone else saved this paper while you had its settings open"
        in errors(response.content.decode())[0]
    )
    web.reset_file(f"data/narrative/{PUBLIC}.yaml")
    stale = {**form_of(client, PUBLIC)}
    path.write_text(theirs)
    page = page_of(client, PUBLIC)
    base = re.search(r'name="base" value="([0-9a-f]{64})"', page)[1]
    assert base != stale["base"][0]
    response = client.post(
        f"/papers/{PUBLIC}/settings",
        {"base": stale["base"], "list": "key_points", "index": "0", "action": "down"},
    )
    assert response.status_code == 409 and file_of(root, PUBLIC) == theirs


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"template": "../../config/authority"}, "Choose a house style from the list"),
        ({"indicators": ["NI59", "NI60", "NI99"]}, "Choose indicators from the list"),
        ({"period-month": "13"}, "Choose the month the figures are as at"),
        ({"period-year": "2010-13"}, "Enter the year as 4 digits, for example 2010"),
        ({"meeting": "../meetings/x"}, "Choose a meeting from the list"),
        ({"roles": ["on behalf of the Chief Financial Officer", "Mayor"]}, "Choose clearance"),
        ({"label-subject": "x" * 100_000}, "The label for Subject must be 30 characters"),
        ({"label-subject": "Two\nlines"}, "The label for Subject must be one line"),
    ],
    ids=["template", "indicator", "month", "year", "meeting", "role", "huge", "lines"],
)
def it_refuses_hostile_values_in_words(root, change, said) -> None:
    client = client_for("officer")
    before = file_of(root, PUBLIC)
    response = client.post(f"/papers/{PUBLIC}/settings", {**form_of(client, PUBLIC), **change})
    assert response.status_code == 422 and file_of(root, PUBLIC) == before
    found = errors(response.content.decode())
    assert len(found) == 1 and found[0].startswith(said), found
    assert "`" not in found[0] and "_" not in found[0]


@pytest.mark.parametrize(
    ("key", "index", "action"),
    [
        ("key_points", 7, "up"),
        ("key_points", 0, "up"),
        ("../x", 0, "remove"),
        ("sections", -1, "down"),
    ],
)
def it_refuses_a_move_of_nothing(root, key, index, action) -> None:
    client = client_for("officer")
    before = file_of(root, PUBLIC)
    response = move(client, PUBLIC, key, index, action)
    assert response.status_code == 302 and file_of(root, PUBLIC) == before
    assert "That could not be done" in client.get(response["Location"]).content.decode()


def it_lets_a_clearer_look_but_not_change(root) -> None:
    clearer = client_for("cfo")
    before = file_of(root, PUBLIC)
    page = page_of(clearer, PUBLIC)
    assert "November 2010" in page and "Save settings" not in page and "Move up" not in page
    form = {**form_of(clearer, PUBLIC), "period-month": "10"}
    assert clearer.post(f"/papers/{PUBLIC}/settings", form).status_code == 403
    assert move(clearer, PUBLIC, "key_points", 1, "up").status_code == 403
    assert file_of(root, PUBLIC) == before


def it_refuses_a_house_style_that_cannot_print_the_paper_in_words(root) -> None:
    client = client_for("officer")
    before = file_of(root, PUBLIC)
    form = {**form_of(client, PUBLIC), "template": "performance_report"}
    response = client.post(f"/papers/{PUBLIC}/settings", form)
    assert response.status_code == 422 and file_of(root, PUBLIC) == before
    found = errors(response.content.decode())
    assert found[0] == "The paper would have problems after this change, so nothing was saved"
    assert any(
        e.startswith("Key decision: the performance report template has no place") for e in found
    )
    assert all("`" not in e and "_" not in e for e in found)


def it_shows_a_refused_label_as_typed(root) -> None:
    client = client_for("officer")
    typed = "Lead Member for Children's Services"
    form = {**form_of(client, PUBLIC), "label-portfolio_holder": typed}
    response = client.post(f"/papers/{PUBLIC}/settings", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert f'value="{markup.escape(typed)}"' in page
    assert 'aria-describedby="label-portfolio_holder-hint label-portfolio_holder-error"' in page


def it_keeps_lines_written_in_a_way_of_their_own(root) -> None:
    path = root / "data/narrative" / f"{PUBLIC}.yaml"
    odd = file_of(root, PUBLIC).replace("key_decision: false", "key_decision:    false  # none")
    odd = odd.replace("indicators: [NI59, NI60]", "indicators: [ NI59,  NI60 ]")
    path.write_text(odd)
    client = client_for("officer")
    form = {**form_of(client, PUBLIC), "period-month": "10"}
    assert client.post(f"/papers/{PUBLIC}/settings", form).status_code == 302
    assert changes(odd, file_of(root, PUBLIC)) == (["period: 2010-11\n"], ["period: 2010-10\n"])
