"""Dates typed as GOV.UK's "Date input" asks for them (Day, Month, Year), read into a date
or one clear message with the boxes to mark, and the meeting form using it: what was typed
kept on a refusal, the error summary linked to the first wrong box, a good date saved."""

from __future__ import annotations

from datetime import date

import pytest
import web
from test_web_meetings import MEETING_FILE, client_for, form_of
from web import MEETING

from reportgen.web.dateinput import DateParts, date_from


@pytest.mark.parametrize(
    ("day", "month", "year", "when", "problem", "wrong"),
    [
        ("4", "11", "2026", date(2026, 11, 4), "", ()),
        (" 04 ", "Nov", "2026", date(2026, 11, 4), "", ()),
        ("4", "november", "2026", date(2026, 11, 4), "", ()),
        ("4", "11", "", None, "Meeting date must include a year", ("year",)),
        ("", "", "2026", None, "Meeting date must include a day and month", ("day", "month")),
        ("", "", "", None, "Enter the meeting date", ("day", "month", "year")),
        ("31", "2", "2026", None, "Meeting date must be a real date", ("day", "month", "year")),
        ("4", "13", "2026", None, "Meeting date must be a real date", ("day", "month", "year")),
        ("x", "11", "2026", None, "Meeting date must be a real date", ("day",)),
        ("4", "11", "26", None, "Year must include 4 numbers", ("year",)),
        ("4", "11", "0000", None, "Meeting date must be a real date", ("day", "month", "year")),
    ],
)
def it_reads_a_date_from_its_three_boxes(day, month, year, when, problem, wrong) -> None:
    form = {"date-day": day, "date-month": month, "date-year": year}
    answer = date_from(form, "date", "Meeting date")
    assert (answer.date, answer.problem, answer.wrong) == (when, problem, wrong)
    assert answer.parts == DateParts(day.strip(), month, year)


def it_asks_for_no_date_where_none_is_needed() -> None:
    assert date_from({}, "date", "Meeting date", required=False).problem == ""
    assert DateParts.of("2026-11-04") == DateParts("4", "11", "2026")
    assert DateParts.of("not a date") == DateParts() == DateParts.of(None)


@pytest.fixture
def clerk():
    web.project()
    web.reset_file(MEETING_FILE)
    yield client_for("clerk")
    web.reset_file(MEETING_FILE)


def it_shows_day_month_and_year_boxes_not_the_browsers_date_box(clerk) -> None:
    page = clerk.get(f"/meetings/{MEETING}/").content.decode()
    assert 'type="date"' not in page
    assert '<legend class="fieldset__legend">Meeting date</legend>' in page
    assert 'aria-describedby="date-hint"' in page and "For example, 4 11 2026" in page
    assert '<label class="date-input__label" for="date-year">Year</label>' in page
    assert 'name="date-day" value="4"' in page and 'name="date-month" value="11"' in page
    assert 'name="date-year" value="2026"' in page
    assert "input--error" not in page  # no box is marked wrong before anything is typed


def it_keeps_what_was_typed_and_says_what_is_wrong(clerk) -> None:
    before = (web.project() / MEETING_FILE).read_text()
    form = form_of(clerk.get(f"/meetings/{MEETING}/").content.decode())
    form.update({"date-day": "31", "date-month": "2", "date-year": "", "action": "save"})
    refused = clerk.post(f"/meetings/{MEETING}/", form)
    page = refused.content.decode()
    assert refused.status_code == 422
    assert '<a href="#date-year">Meeting date must include a year</a>' in page
    assert 'aria-describedby="date-hint date-error"' in page
    assert 'id="date-error"><span class="visually-hidden">Error:</span> Meeting date must' in page
    assert 'name="date-day" value="31"' in page and 'name="date-month" value="2"' in page
    assert 'input--error" id="date-year"' in page and 'input--error" id="date-day"' not in page
    assert (web.project() / MEETING_FILE).read_text() == before
    form.update({"date-year": "2026"})
    page = clerk.post(f"/meetings/{MEETING}/", form).content.decode()
    assert '<a href="#date-day">Meeting date must be a real date</a>' in page
    assert (web.project() / MEETING_FILE).read_text() == before


def it_saves_a_new_meeting_with_its_date_typed_in_words(clerk) -> None:
    form = form_of(clerk.get("/meetings/new").content.decode())
    form.update({"committee": "Date Input Panel", "time": "7.00 pm", "venue": "Room 1"})
    form.update({"date-day": "7", "date-month": "Jan", "date-year": "2027", "action": "save"})
    made = web.project() / "data/meetings/2027-01-07-date-input-panel.yaml"
    try:
        saved = clerk.post("/meetings/new", form)
        assert saved.status_code == 302, saved.content.decode()[-3000:]
        assert "date: 2027-01-07" in made.read_text()
    finally:
        made.unlink(missing_ok=True)
