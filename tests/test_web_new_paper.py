"""New paper in the service (issue 26, item 1): from the papers page, next period's paper
from one the officer may see, or a blank one in a house style; the meeting and the month
suggested, every mistake told beside its field, version 1 kept, the editor opened on it.
An exempt paper answers, to someone who may not see it, as a paper that does not exist."""

from __future__ import annotations

import html as markup
import re

import pytest
import web
import yaml
from test_browser import accessible, browser, service, signed_in
from test_browser_users import narrow
from test_web_crawl import answer
from web import EXEMPT, MEETING, PUBLIC

__all__ = ["browser", "service"]  # the browser tests' fixtures

NEW = "/papers/new"
ABSENT = "2026-11-04-no-such-paper"


@pytest.fixture
def root():
    """The service's project; the papers a test makes are removed after it, with their
    versions."""
    root = web.project()
    folder = root / "data/narrative"
    before = set(folder.iterdir())
    yield root
    from reportgen.web.models import Version

    for made in set(folder.iterdir()) - before:
        made.unlink()
        Version.objects.filter(path=f"data/narrative/{made.name}").delete()


def client_for(name: str):
    from django.test import Client

    client = Client()
    assert client.login(username=name, password=web.PASSWORD)
    return client


def text(response) -> str:
    return markup.unescape(response.content.decode())


def made(root, before: set) -> list:
    return sorted(set((root / "data/narrative").iterdir()) - before)


def details(month: str = "12", year: str = "2010", meeting: str = MEETING, **more) -> dict:
    return {"meeting": meeting, "month": month, "year": year, **more}


def it_offers_a_new_paper_on_the_papers_page_to_those_who_may_edit_papers(root) -> None:
    for user in ("officer", "clerk", "admin"):
        listed = client_for(user).get("/papers/").content.decode()
        assert f'<a class="button" href="{NEW}">New paper</a>' in listed
    clearer = client_for("cfo")
    assert "New paper" not in clearer.get("/papers/").content.decode()
    assert clearer.get(NEW).status_code == 403
    assert clearer.post(NEW, details(**{"from": PUBLIC})).status_code == 403


def it_asks_how_to_start_with_the_papers_the_user_may_see_and_the_house_styles(root) -> None:
    page = text(client_for("officer").get(NEW))
    assert '<h1 class="radios__heading">New paper: how do you want to start it?</h1>' in page
    assert '<label for="start-paper">The next period of an existing paper</label>' in page
    assert '<label for="start-style">A blank paper in a house style</label>' in page
    assert f'<option value="{PUBLIC}">' in page and EXEMPT not in page
    assert '<option value="information_report">Information report</option>' in page
    assert '<option value="performance_report">Performance report</option>' in page
    assert "agenda" not in page.lower().split("<form", 1)[1]  # not a paper's house style
    assert f'<option value="{EXEMPT}">' in client_for("officer-exempt").get(NEW).content.decode()


def it_suggests_the_meeting_after_the_papers_and_the_month_after_its_period(root) -> None:
    page = text(client_for("officer").get(NEW, {"from": PUBLIC}))
    assert "Next period of Performance Update on National Indicators" in page
    assert f'<input type="hidden" name="from" value="{PUBLIC}">' in page
    selected = re.findall(r'<option value="([^"]*)"[^>]* selected>([^<]*)', page)
    assert selected == [
        (MEETING, "Children and Young People Scrutiny Panel, 4 November 2026"),
        ("12", "December"),
    ]
    assert 'name="year" value="2010"' in page
    assert "The month after the paper's own is December 2010." in page
    assert 'type="date"' not in page  # a month and a year, never a browser's date box


def it_starts_next_periods_paper_and_opens_the_editor_on_it(root) -> None:
    from reportgen.web.models import AuditEntry, Version

    before = set((root / "data/narrative").iterdir())
    officer = client_for("officer")
    response = officer.post(NEW, details(**{"from": PUBLIC}))
    (path,) = made(root, before)
    assert path.name == "2026-11-04-ni59-ni60.yaml"
    assert response.status_code == 302 and response["Location"] == "/papers/2026-11-04-ni59-ni60/"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (data["period"], data["committee"], str(data["meeting_date"])) == (
        "2010-12",
        "Children and Young People Scrutiny Panel",
        "2026-11-04",
    )
    assert data["clearance"] == [{"role": "on behalf of the Chief Financial Officer"}]
    (version,) = Version.objects.filter(path=f"data/narrative/{path.name}")
    assert (version.number, version.author_name, version.content) == (
        1,
        "officer",
        path.read_bytes(),
    )
    entry = AuditEntry.objects.filter(action="new paper").latest("id")
    assert (entry.username, entry.target, entry.exempt) == (
        "officer",
        f"data/narrative/{path.name}",
        False,
    )
    editor = text(officer.get(response["Location"]))
    assert "New paper started for Children and Young People Scrutiny Panel, 4 November 2026" in (
        editor
    )
    assert "as at December 2010" in editor


def it_starts_a_blank_paper_in_a_house_style_with_only_its_header(root) -> None:
    before = set((root / "data/narrative").iterdir())
    clerk = client_for("clerk")
    page = text(clerk.get(NEW, {"start": "style", "style": "performance_report"}))
    assert "<h1>A blank performance report</h1>" in page
    assert '<option value="" >' not in page and '<option value="">Choose a meeting</option>' in (
        page
    )  # no meeting ahead of today to suggest: the clerk chooses
    response = clerk.post(NEW, details("10", "2026", style="performance_report"))
    (path,) = made(root, before)
    assert path.name == "2026-11-04-performance-report.yaml"
    assert response["Location"] == f"/papers/{path.stem}/"
    assert yaml.safe_load(path.read_text()) == {
        "template": "performance_report",
        "committee": "Children and Young People Scrutiny Panel",
        "meeting_date": yaml.safe_load("2026-11-04"),
        "period": "2026-10",
        "indicators": [],
    }
    editor = text(clerk.get(response["Location"]))
    assert "New performance report started" in editor and "subject" in editor.lower()


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        (details(meeting=""), [("meeting", "Choose the meeting the paper is for")]),
        (details(meeting="../../config/authority"), [("meeting", "Choose the meeting")]),
        (details(month=""), [("period-month", "Choose the month the figures run to")]),
        (details(month="13"), [("period-month", "Choose the month the figures run to")]),
        (details(year="10"), [("period-year", "Enter the year as 4 digits, for example 2026")]),
        (details(year="2026a"), [("period-year", "Enter the year as 4 digits")]),
        (details(year="1066"), [("period-year", "Enter the year as 4 digits")]),
        (
            details(meeting="", year=""),
            [("meeting", "Choose the meeting"), ("period-year", "Enter the year")],
        ),
    ],
)
def it_tells_each_mistake_beside_its_field_and_writes_nothing(root, form, errors) -> None:
    before = set((root / "data/narrative").iterdir())
    response = client_for("officer").post(NEW, {**form, "from": PUBLIC})
    page = text(response)
    assert response.status_code == 422 and made(root, before) == []
    assert "<title>Error: New paper" in page
    summary = page.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert len(links) == len(errors)
    pairs = zip(links, errors, strict=True)
    assert [(field, said[: len(what)]) for (field, said), (_, what) in pairs] == errors
    for field, _ in errors:
        assert f'id="{field}"' in page  # the link goes to the field itself
    if ("meeting", "Choose the meeting the paper is for") in errors:
        assert 'aria-describedby="meeting-hint meeting-error"' in page
    assert "`" not in page and "YYYY" not in page


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "paper"}, "from"),
        ({"start": "style", "style": "../../config/authority"}, "style"),
        ({"start": "style", "style": "agenda"}, "style"),
        ({"start": "other"}, "start-paper"),
    ],
)
def it_asks_again_how_to_start_when_the_choice_is_not_there(root, query, field) -> None:
    response = client_for("officer").get(NEW, query)
    assert response.status_code == 422
    assert f'<a href="#{field}">' in response.content.decode()


def it_answers_about_an_exempt_paper_as_about_one_that_does_not_exist(root) -> None:
    before = set((root / "data/narrative").iterdir())
    for user in ("officer", "clerk-plain"):
        client = client_for(user)
        for method, form in (
            ("GET", {"from": "{}"}),
            ("GET", {"start": "paper", "from": "{}"}),
            ("POST", details(**{"from": "{}"})),
        ):
            said = []
            for name in (EXEMPT, ABSENT):
                filled = {k: v.format(name) for k, v in form.items()}
                got = client.get(NEW, filled) if method == "GET" else client.post(NEW, filled)
                said.append(answer(got, NEW))
            assert said[0] == said[1], (user, method, form)
            assert EXEMPT.encode() not in said[0][1]
        assert said[0][0] == 404  # the POST: no such paper
    assert made(root, before) == []


def it_keeps_a_paper_from_an_exempt_one_exempt_for_those_who_may_see_it(root) -> None:
    from reportgen.web.models import AuditEntry

    before = set((root / "data/narrative").iterdir())
    response = client_for("officer-exempt").post(NEW, details("10", "2026", **{"from": EXEMPT}))
    (path,) = made(root, before)
    assert response.status_code == 302
    assert yaml.safe_load(path.read_text())["exempt"] is True
    assert AuditEntry.objects.filter(action="new paper").latest("id").exempt is True
    officer = client_for("officer")
    assert officer.get(f"/papers/{path.stem}/").status_code == 404
    assert path.stem not in officer.get(NEW).content.decode()


def it_reads_a_year_typed_in_full_width_digits(root) -> None:
    before = set((root / "data/narrative").iterdir())
    client_for("officer").post(NEW, details(year="２０１０", **{"from": PUBLIC}))
    (path,) = made(root, before)
    assert "\nperiod: 2010-12\n" in path.read_text(encoding="utf-8")


def it_names_the_paper_itself_whatever_the_form_says(root) -> None:
    before = set((root / "data/narrative").iterdir())
    officer = client_for("officer")
    hostile = details(**{"from": PUBLIC, "name": "../../config/authority", "path": "/etc/x"})
    first = officer.post(NEW, hostile)
    second = officer.post(NEW, details(**{"from": PUBLIC}))
    assert [p.name for p in made(root, before)] == [
        "2026-11-04-ni59-ni60-2.yaml",
        "2026-11-04-ni59-ni60.yaml",
    ]
    assert first["Location"] != second["Location"]
    assert officer.post(NEW, details(**{"from": "../../config/authority"})).status_code == 404
    assert officer.post(NEW, details(style="../x")).status_code == 422


def it_says_when_the_paper_to_start_from_cannot_be_read(root) -> None:
    broken = root / "data/narrative/2026-11-04-broken.yaml"
    broken.write_text("summary: [unclosed\n", encoding="utf-8")
    client = client_for("officer-exempt")  # a paper that cannot be read counts as exempt
    asked = text(client.get(NEW, {"from": broken.stem}))
    assert '<option value="">Choose a meeting</option>' in asked
    response = client.post(NEW, details(**{"from": broken.stem}))
    assert response.status_code == 422
    assert (
        '<a href="#start">The paper cannot be read, so no paper can be started from it: mend it '
        "first (its problems are listed when it is opened)</a>"
    ) in text(response)
    assert 'id="start"' in text(response)


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def it_lets_an_officer_start_next_periods_paper_in_a_browser(browser, service) -> None:
    page = signed_in(browser, service, "officer")
    page.get_by_role("link", name="New paper", exact=True).click()
    page.get_by_role("heading", name="New paper: how do you want to start it?").wait_for()
    accessible(page, "new-paper-start")
    narrow(page, "new-paper-start")
    page.get_by_label("The next period of an existing paper").check()
    page.get_by_label("Paper to start from").select_option(PUBLIC)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name=re.compile("^Next period of Performance Update")).wait_for()
    assert page.get_by_label("Month").input_value() == "12"
    assert page.get_by_label("Year").input_value() == "2010"
    accessible(page, "new-paper-details")
    narrow(page, "new-paper-details")
    page.get_by_label("Year").fill("10")
    page.get_by_role("button", name="Create paper").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.title().startswith("Error: New paper")
    assert "error-summary" in page.evaluate("() => document.activeElement.className")
    accessible(page, "new-paper-error")
    page.get_by_role("link", name="Enter the year as 4 digits, for example 2026").click()
    assert page.evaluate("() => document.activeElement.id") == "period-year"
    page.get_by_label("Year").fill("2010")
    page.get_by_role("button", name="Create paper").click()
    page.get_by_text(re.compile("^New paper started for Children and Young People")).wait_for()
    assert page.url.endswith("/papers/2026-11-04-ni59-ni60/")
    assert (service["root"] / "data/narrative/2026-11-04-ni59-ni60.yaml").is_file()
    page.context.close()
