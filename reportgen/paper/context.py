"""The template context: every word, label and colour a template places (pure, no I/O).

Templates stay dumb: they only put these values where they belong. Narrative text arrives
here already rendered (live figures filled in) and becomes Word paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reportgen.domain.clearance import NOT_YET, RoleClearance
from reportgen.domain.fields import FIELDS, TEXTS
from reportgen.domain.keys import position
from reportgen.domain.model import Authority
from reportgen.domain.periods import Month, long_date
from reportgen.domain.schema import (
    DEFAULT_LABELS,
    HOUSE_LABELS,
    ContactModel,
    NarrativeModel,
)
from reportgen.paper import wordml
from reportgen.paper.markdown import DECISION_LABEL, Block, parse_blocks, parse_inline
from reportgen.paper.narrative import AuthorityView, IndicatorView
from reportgen.paper.scorecard import IndexSettings, performance_index, recent_periods
from reportgen.paper.tables import comparator_table, performance_table
from reportgen.results.changes import Changes, Correction
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import SUPPRESSED
from reportgen.results.records import Printed


def slug(text: str) -> str:
    """A file-name-safe form of a committee name: `performance-and-finance-scrutiny`."""
    text = re.sub(r"['’]", "", text.lower().replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def narrative_names(
    results: Sequence[IndicatorResult],
    authority: Authority,
    month: Month,
    meeting_date: date | None,
    committee: str,
    printed: set[Printed] | None = None,
) -> dict[str, Any]:
    """The names live figures may use: each indicator by id, `ind`, `authority`, `report`;
    the figures narrative prints beyond the latest are added to `printed`."""
    views = {result.indicator.id: IndicatorView(result, printed) for result in results}
    return {
        **views,
        "ind": views,
        "authority": AuthorityView.of(authority),
        "report": {
            "period": month.label,
            "meeting_date": long_date(meeting_date) if meeting_date else "",
            "committee": committee,
        },
    }


# Where each narrative field shows in a paper: the template names that place it (its text
# fields as `domain.fields` declares them). A field set in a narrative whose template
# places none of its names is an error, not dropped.
PLACES: dict[str, frozenset[str]] = {
    **{d.key: frozenset(d.places) for d in FIELDS if d.places},
    **{
        field: frozenset(names)
        for field, names in {
            "wards": ["wards"],
            "responsible_officer": ["responsible_officer"],
            "portfolio_holder": ["portfolio_holder"],
            "header_labels": ["labels"],
            "exempt": ["exempt", "exempt_notice"],
            "exempt_paragraph": ["exempt_notice"],
            "key_decision": ["key_decision"],
            "enclosures": ["enclosures", "appendices"],
            "clearance": ["clearance"],
            "comparators": ["comparators"],
            "scorecard": ["scorecard"],
        }.items()
    },
}


def index_settings(narrative: NarrativeModel) -> IndexSettings:
    chosen = narrative.scorecard
    if chosen is None:
        return IndexSettings()
    return IndexSettings(chosen.title, chosen.periods, chosen.charts)


def build_context(
    narrative: NarrativeModel,
    texts: Mapping[str, str],
    results: Sequence[IndicatorResult],
    authority: Authority,
    names: Mapping[str, Any],
    themes: Sequence[str] = (),
    index: bool = False,
    changes: Changes | None = None,
    published: bool = False,
    clearance: Sequence[RoleClearance] = (),
) -> dict[str, Any]:
    """Everything the Word template places.

    `texts` holds the rendered narrative by key; `names` are the live-figure names the
    narrative was rendered with (see `narrative_names`), which templates may use too.
    With `index`, the performance index (see `scorecard`) goes with the paper: in it, or
    as its own document, as the narrative's `scorecard.placement` says. The `published`
    version (for the public agenda pack) leaves out officers' clearance where the authority
    says so. `clearance` is each role's state, from the sign-offs recorded (see
    `domain.clearance`): a role not cleared for the paper as it is prints "Not yet cleared".
    """
    month = Month.parse(narrative.period)
    separate = narrative.scorecard is not None and narrative.scorecard.separate
    scorecard: dict[str, Any] = {"in_this_document": False}
    if index:
        settings = index_settings(narrative)
        scorecard = performance_index(results, themes, settings, authority, month)
        scorecard["in_this_document"] = not separate
    appendices = ([scorecard["title"]] if index else []) + list(narrative.enclosures)
    performance = performance_table(results, month)
    shown = narrative.comparators
    comparators = [
        comparator_table(r.indicator, r.benchmarking, authority)
        for r in results
        if r.benchmarking and (shown is None or r.indicator.id in shown)
    ]
    numbered = ([performance] if performance["rows"] else []) + comparators
    for number, table in enumerate(numbered, start=1):
        table["caption"] = f"Table {number}: {table['caption']}"

    def rich(key: str) -> Any:
        return wordml.paragraphs(parse_blocks(texts[key]))

    return {
        **names,
        "in_pack": published,  # the pack numbers its pages: the paper's own footer does not
        "committee": narrative.committee,
        "committee_heading": narrative.committee.upper(),
        "meeting_date": long_date(narrative.meeting_date),
        "subject": narrative.subject,
        "responsible_officer": narrative.responsible_officer,
        "portfolio_holder": narrative.portfolio_holder or "",
        "labels": header_labels(narrative, authority),
        "exempt": yes_no(narrative.exempt),
        "exempt_notice": exempt_notice(narrative),
        "disclosure_note": disclosure_note(results, authority),
        "key_decision": yes_no(narrative.key_decision),
        "wards": narrative.wards,
        "enclosures": ", ".join(appendices) or "None",
        "appendices": appendices,
        "period": month.label,
        "key_points": wordml.paragraphs(
            block
            for index in range(len(narrative.key_points))
            for block in _as_bullets(texts[position("key_points", index)])
        ),
        "sections": [
            {
                "heading": texts[position("sections", i, "heading")],
                "body": rich(position("sections", i, "text")),
            }
            for i in range(len(narrative.sections))
        ],
        **{key: rich(key) for key in TEXTS},
        "clearance": []
        if published and not authority.publish_clearance
        else [
            {
                "role": c.role,
                "on_behalf_of": on_behalf_of(c.role),
                "name": c.name if c.cleared else NOT_YET,
                "date": long_date(c.date) if c.cleared and c.date else "",
            }
            for c in clearance
        ],
        "clearance_note": (
            "Statutory officer clearance is recorded in the council's internal copy of this report."
            if published and not authority.publish_clearance and narrative.clearance
            else "No statutory officer clearance is recorded for this report."
        ),
        "contact_officer": "; ".join(
            f"{c.name}, {c.title}" + (f" ({details})" if (details := _details(c)) else "")
            for c in narrative.contacts
        ),
        "contacts": [
            {
                "name": c.name,
                "title": c.title,
                "phone": c.phone,
                "email": c.email,
                "details": " / ".join(part for part in (c.phone, c.email) if part),
            }
            for c in narrative.contacts
        ],
        "performance": performance,
        "comparators": comparators,
        "scorecard": scorecard,
        "changes": changes_since(changes, texts),
    }


def header_labels(narrative: NarrativeModel, authority: Authority) -> dict[str, str]:
    """The label of each header line (`meeting_date`: "Date of Meeting"), without its
    colon: the narrative's own words, else the council's (config/authority.yaml), else its
    house style's."""
    labels = DEFAULT_LABELS | HOUSE_LABELS.get(narrative.template, {})
    labels |= dict(authority.header_labels)
    if narrative.header_labels is not None:
        labels |= narrative.header_labels.given()
    return labels


_ON_BEHALF_OF = re.compile(r"^\s*on behalf of\s+(the\s+)?", re.IGNORECASE)


def on_behalf_of(role: str) -> str:
    """A clearance role as the column "On behalf of" prints it: `Chief Financial Officer`,
    also where the narrative wrote `on behalf of the Chief Financial Officer`."""
    return _ON_BEHALF_OF.sub("", role).strip() or role


def changes_since(changes: Changes | None, texts: Mapping[str, str]) -> dict[str, Any]:
    """What changed since the committee's last published paper: corrections (each with the
    data's reason and the officer's words), the rating-change table with the officer's
    narrative, and the indicator review with the decisions behind it."""
    if changes is None:
        return {"since": "", "corrections": [], "ratings": "", "review": []}
    since = long_date(changes.since.meeting_date)
    by_indicator: dict[str, list[Correction]] = {}
    for correction in changes.corrections:
        by_indicator.setdefault(correction.id, []).append(correction)
    corrections = []
    for indicator_id, found in by_indicator.items():
        sentences = [c.text for c in found]
        sentences += sorted({_sentence(c.reason) for c in found if c.reason})
        if f"corrections.{indicator_id}" in texts:
            sentences.append(texts[f"corrections.{indicator_id}"].strip())
        corrections.append(
            {
                "heading": f"Indicator {found[0].number}: {found[0].title}",
                "text": " ".join(sentences),
            }
        )
    count = len(changes.corrections)
    ratings = wordml.Table(
        "Summary of rating changes",
        (600, 1300, 1300, 1800),
        tuple(
            wordml.Cell(h)
            for h in ("Indicator number", "Description", "Rating change", "Narrative / action")
        ),
        tuple(
            (
                wordml.Cell(c.number),
                wordml.Cell(c.title),
                wordml.Cell(c.change),
                wordml.Cell(texts.get(f"rating_changes.{c.id}", "").strip()),
            )
            for c in changes.ratings
        ),
    )
    return {
        "since": since,
        "corrections_introduction": (
            f"The report contains {count} correction{'s' if count != 1 else ''} to figures "
            f"published in the last performance report ({since}):"
        ),
        "corrections": corrections,
        "ratings_introduction": "The table below summarises changes to ratings since the "
        f"last meeting ({since}).",
        "ratings_caption": "Table 1: Summary of rating changes",
        "ratings": ratings if changes.ratings else "",
        "review": [
            {"text": item.text, "decision": item.decision.removeprefix(DECISION_LABEL).strip()}
            for item in changes.review
        ],
    }


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def disclosure_note(results: Sequence[IndicatorResult], authority: Authority) -> str:
    """The footnote that explains `[c]`, where the paper withholds a figure."""
    shown = (
        figure
        for r in results
        for figure in (
            r.latest, r.previous, r.last_year, r.ytd, r.rolling_12,
            *(r.at(p) for p in recent_periods(r.period, 4)),
        )
    )  # fmt: skip
    if not any(f.suppressed for f in shown):
        return ""
    return (
        f"{SUPPRESSED} Withheld to protect confidentiality: the figure counts between 1 and "
        f"{authority.suppress_up_to} children, or a reader could work such a figure out from it."
    )


def exempt_notice(narrative: NarrativeModel) -> dict[str, str] | str:
    """For an exempt report, the marking it carries on its first page; "" otherwise."""
    if not narrative.exempt:
        return ""
    return {
        "heading": "NOT FOR PUBLICATION",
        "reason": f"Exempt information under paragraph {narrative.exempt_paragraph} of Part 1 "
        "of Schedule 12A to the Local Government Act 1972.",
    }


def _details(contact: ContactModel) -> str:
    return ", ".join(part for part in (contact.phone, contact.email) if part)


def _as_bullets(text: str) -> list[Block]:
    """A key point is one bullet; further paragraphs inside it stay bullets of their own."""
    blocks = parse_blocks(text)
    return [Block("bullet", block.runs) for block in blocks] or [
        Block("bullet", parse_inline(text))
    ]
