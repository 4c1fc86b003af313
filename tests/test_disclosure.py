"""Disclosure control: published output withholds small counts as `[c]` (README: Disclosure
control, `suppress_up_to`, default 5). Boundary tables, first on the computed figures, then
end to end in the text of a published paper built from a small project of its own.

A count from 1 to the limit is withheld; 0 is not. A percentage or rate is withheld when its
numerator or denominator is from 1 to the limit, an average when its number of cases is. A
total (year to date, quarter, rolling 12 months) that includes a withheld period is withheld
too, or it could be worked out by subtraction. Exempt and internal papers show everything.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from reportgen.domain.model import Indicator, Measure, Observation, Polarity, Unit
from reportgen.domain.periods import FinancialYear, Month, Period, parse_period
from reportgen.errors import Problems
from reportgen.inputs.project import Project, load_project
from reportgen.jobs.build import render_report
from reportgen.jobs.plan import plan
from reportgen.results.compute import compute, figure_at, period_figure, rolling_figure, ytd_figure
from reportgen.results.figures import SUPPRESSED, Figure

MAY = Month(2026, 5)  # every paper here is as at May 2026 (financial year from April)
Row = tuple[str, int] | tuple[str, int, int]  # (period, value) or (period, numerator, denominator)


def indicator(unit: Unit, limit: int = 5, **changes: object) -> Indicator:
    """An indicator of `unit` whose published figures withhold counts from 1 to `limit`."""
    fields: dict[str, object] = {
        "id": "X", "title": "X", "unit": unit, "polarity": Polarity.HIGHER,
        "suppress_up_to": limit, "unit_word": "weeks" if unit is Unit.AVERAGE else "",
        "decimals": 1 if unit in (Unit.RATE_PER_10K, Unit.AVERAGE) else 0,
    }  # fmt: skip
    fields.update(changes)
    return Indicator(**fields)  # type: ignore[arg-type]


def data(*rows: Row) -> dict[Period, Observation]:
    found: dict[Period, Observation] = {}
    for period, *numbers in rows:
        when = parse_period(period)
        if len(numbers) == 1:
            found[when] = Observation("X", when, value=Decimal(numbers[0]))
        else:
            found[when] = Observation("X", when, Decimal(numbers[0]), Decimal(numbers[1]))
    return found


# One period's figure: (case, unit, the May figures, the real figure as printed, withheld).
PERIODS = [
    ("count 0", Unit.COUNT, (0,), "0", False),
    ("count 1", Unit.COUNT, (1,), "1", True),
    ("count 5", Unit.COUNT, (5,), "5", True),
    ("count 6", Unit.COUNT, (6,), "6", False),
    ("0 of 3", Unit.PERCENT, (0, 3), "0%", True),  # the denominator is small
    ("3 of 4", Unit.PERCENT, (3, 4), "75%", True),
    ("5 of 100", Unit.PERCENT, (5, 100), "5%", True),  # the numerator is small
    ("6 of 100", Unit.PERCENT, (6, 100), "6%", False),
    ("6 of 6", Unit.PERCENT, (6, 6), "100%", False),
    ("0 of 6", Unit.PERCENT, (0, 6), "0%", False),
    ("0 of 0", Unit.PERCENT, (0, 0), "not available", False),  # no cases, nothing to withhold
    ("130 weeks over 5 cases", Unit.AVERAGE, (130, 5), "26.0 weeks", True),
    ("156 weeks over 6 cases", Unit.AVERAGE, (156, 6), "26.0 weeks", False),
    ("4 weeks over 6 cases", Unit.AVERAGE, (4, 6), "0.7 weeks", False),  # weeks are not people
    ("rate 3 per 50,000", Unit.RATE_PER_10K, (3, 50000), "0.6 per 10,000", True),
    ("rate 5 per 50,000", Unit.RATE_PER_10K, (5, 50000), "1.0 per 10,000", True),
    ("rate 6 per 50,000", Unit.RATE_PER_10K, (6, 50000), "1.2 per 10,000", False),
    ("rate 0 per 50,000", Unit.RATE_PER_10K, (0, 50000), "0.0 per 10,000", False),
    ("a score of 3", Unit.NUMBER, (3,), "3", False),  # a number is not a count of anyone
]  # fmt: skip


def _published(text: str, withheld: bool) -> str:
    return SUPPRESSED if withheld else text


def assert_withheld(figure: Figure) -> None:
    """Withheld, and nothing left in the figure that would give it away."""
    assert figure.suppressed
    assert (figure.text, figure.text_with_counts, figure.why_not) == ("[c]", "[c]", "[c]")
    assert (figure.exact, figure.value, figure.numerator, figure.denominator) == (None,) * 4


class DescribeOnePeriod:
    @pytest.mark.parametrize(
        ("unit", "figures", "real", "withheld"),
        [case[1:] for case in PERIODS],
        ids=[case[0] for case in PERIODS],
    )
    def it_withholds_from_1_to_the_limit_and_never_0(
        self, unit: Unit, figures: tuple[int, ...], real: str, withheld: bool
    ) -> None:
        rows = data(("2026-05", *figures))  # type: ignore[arg-type]
        figure = period_figure(indicator(unit), rows, MAY)
        assert (figure.suppressed, figure.text) == (withheld, _published(real, withheld))
        if withheld:
            assert_withheld(figure)
        # The same figure in the whole result, as a paper as at May takes it.
        assert compute(indicator(unit), rows, MAY).latest.text == _published(real, withheld)

    @pytest.mark.parametrize(
        ("unit", "figures", "real"),
        [case[1:4] for case in PERIODS],
        ids=[case[0] for case in PERIODS],
    )
    def it_shows_every_real_figure_when_nothing_is_withheld(
        self, unit: Unit, figures: tuple[int, ...], real: str
    ) -> None:
        rows = data(("2026-05", *figures))  # type: ignore[arg-type]
        figure = period_figure(indicator(unit, limit=0), rows, MAY)
        assert (figure.suppressed, figure.text) == (False, real)

    @pytest.mark.parametrize(
        ("limit", "unit", "figures", "withheld"),
        [
            (0, Unit.COUNT, (1,), False),
            (0, Unit.PERCENT, (1, 2), False),
            (1, Unit.COUNT, (1,), True),
            (1, Unit.COUNT, (2,), False),
            (10, Unit.COUNT, (6,), True),
            (10, Unit.COUNT, (10,), True),
            (10, Unit.COUNT, (11,), False),
            (10, Unit.COUNT, (0,), False),
            (10, Unit.PERCENT, (10, 50), True),
            (10, Unit.PERCENT, (11, 50), False),
            (10, Unit.PERCENT, (11, 11), False),
            (10, Unit.PERCENT, (11, 10), True),  # the denominator is within the limit
            (10, Unit.AVERAGE, (300, 10), True),
            (10, Unit.AVERAGE, (330, 11), False),
        ],
    )  # fmt: skip
    def it_withholds_up_to_the_limit_it_is_given(
        self, limit: int, unit: Unit, figures: tuple[int, ...], withheld: bool
    ) -> None:
        rows = data(("2026-05", *figures))  # type: ignore[arg-type]
        assert period_figure(indicator(unit, limit), rows, MAY).suppressed is withheld


def ytd(subject: Indicator, rows: dict[Period, Observation]) -> Figure:
    return ytd_figure(subject, rows, MAY)


def rolling(subject: Indicator, rows: dict[Period, Observation]) -> Figure:
    return rolling_figure(subject, rows, MAY)


def q1(subject: Indicator, rows: dict[Period, Observation]) -> Figure:
    return figure_at(subject, rows, parse_period("2026-27 Q1"))


def q2(subject: Indicator, rows: dict[Period, Observation]) -> Figure:
    return figure_at(subject, rows, parse_period("2026-27 Q2"))


def year(subject: Indicator, rows: dict[Period, Observation]) -> Figure:
    return figure_at(subject, rows, FinancialYear(2025))  # 2025-26


TWELVE = [("2025-06", 10), ("2025-07", 10), ("2025-08", 10), ("2025-09", 10), ("2025-10", 10),
          ("2025-11", 10), ("2025-12", 10), ("2026-01", 10), ("2026-02", 10)]  # fmt: skip
FIGURE: dict[str, Callable[[Indicator, dict[Period, Observation]], Figure]] = {
    "ytd": ytd, "rolling 12": rolling, "Q1": q1, "Q2": q2, "2025-26": year,
}  # fmt: skip

# Totals: (case, unit, measure, rows, which total, the real total as printed, withheld).
TOTALS = [
    ("ytd with a withheld month", Unit.COUNT, Measure.FLOW,
     [("2026-04", 7), ("2026-05", 5)], "ytd", "12", True),
    ("ytd with a withheld first month", Unit.COUNT, Measure.FLOW,
     [("2026-04", 1), ("2026-05", 50)], "ytd", "51", True),
    ("ytd of months of 6 and more", Unit.COUNT, Measure.FLOW,
     [("2026-04", 7), ("2026-05", 6)], "ytd", "13", False),
    ("ytd with a month of 0", Unit.COUNT, Measure.FLOW,
     [("2026-04", 7), ("2026-05", 0)], "ytd", "7", False),
    ("ytd without last year's withheld month", Unit.COUNT, Measure.FLOW,
     [("2026-03", 2), ("2026-04", 7), ("2026-05", 8)], "ytd", "15", False),
    ("rolling 12 with last year's withheld month", Unit.COUNT, Measure.FLOW,
     [*TWELVE, ("2026-03", 2), ("2026-04", 7), ("2026-05", 8)], "rolling 12", "107", True),
    ("rolling 12 of months of 6 and more", Unit.COUNT, Measure.FLOW,
     [*TWELVE, ("2026-03", 6), ("2026-04", 7), ("2026-05", 8)], "rolling 12", "111", False),
    ("rolling 12 starts after the withheld month", Unit.COUNT, Measure.FLOW,
     [("2025-05", 3), *TWELVE, ("2026-03", 6), ("2026-04", 7), ("2026-05", 8)], "rolling 12",
     "111", False),
    ("quarter with a withheld month", Unit.COUNT, Measure.FLOW,
     [("2026-04", 7), ("2026-05", 3), ("2026-06", 9)], "Q1", "19", True),
    ("the next quarter", Unit.COUNT, Measure.FLOW,
     [("2026-05", 3), ("2026-07", 8), ("2026-08", 9), ("2026-09", 10)], "Q2", "27", False),
    ("year with a withheld month", Unit.COUNT, Measure.FLOW,
     [*TWELVE, ("2026-03", 2)], "2025-26", "92", True),
    ("ytd percent with a month of 0 of 3", Unit.PERCENT, Measure.FLOW,
     [("2026-04", 40, 60), ("2026-05", 0, 3)], "ytd", "63%", True),
    ("ytd percent with a month of 3 of 4", Unit.PERCENT, Measure.FLOW,
     [("2026-04", 40, 60), ("2026-05", 3, 4)], "ytd", "67%", True),
    ("ytd percent of months of 0 of 6 and 6 of 6", Unit.PERCENT, Measure.FLOW,
     [("2026-04", 0, 6), ("2026-05", 6, 6)], "ytd", "50%", False),
    ("ytd average with a month over 3 cases", Unit.AVERAGE, Measure.FLOW,
     [("2026-04", 156, 6), ("2026-05", 60, 3)], "ytd", "24.0 weeks", True),
    ("ytd average of months over 6 cases", Unit.AVERAGE, Measure.FLOW,
     [("2026-04", 156, 6), ("2026-05", 120, 6)], "ytd", "23.0 weeks", False),
    ("ytd rate with a small numerator", Unit.RATE_PER_10K, Measure.FLOW,
     [("2026-04", 20, 50000), ("2026-05", 2, 50000)], "ytd", "2.2 per 10,000", True),
    ("snapshot: its latest is small", Unit.COUNT, Measure.SNAPSHOT,
     [("2026-04", 40), ("2026-05", 3)], "ytd", "3", True),
    ("snapshot: an earlier month was small", Unit.COUNT, Measure.SNAPSHOT,
     [("2026-04", 3), ("2026-05", 40)], "ytd", "40", False),  # nothing to subtract
]  # fmt: skip


class DescribeTotals:
    @pytest.mark.parametrize(
        ("unit", "measure", "rows", "total", "real", "withheld"),
        [case[1:] for case in TOTALS],
        ids=[case[0] for case in TOTALS],
    )
    def it_withholds_a_total_that_includes_a_withheld_period(
        self,
        unit: Unit,
        measure: Measure,
        rows: Sequence[Row],
        total: str,
        real: str,
        withheld: bool,
    ) -> None:
        figure = FIGURE[total](indicator(unit, measure=measure), data(*rows))
        assert (figure.suppressed, figure.text) == (withheld, _published(real, withheld))
        if withheld:
            assert_withheld(figure)
        internal = FIGURE[total](indicator(unit, limit=0, measure=measure), data(*rows))
        assert (internal.suppressed, internal.text) == (False, real)

    def it_withholds_the_totals_of_the_whole_result(self) -> None:
        rows = data(*TWELVE, ("2026-03", 2), ("2026-04", 7), ("2026-05", 8))
        result = compute(indicator(Unit.COUNT), rows, MAY)
        shown = {
            "latest": result.latest, "previous": result.previous, "ytd": result.ytd,
            "rolling 12": result.rolling_12, "Q4 2025-26": result.at(parse_period("2025-26 Q4")),
            "Q1 2026-27": result.at(parse_period("2026-27 Q1")), "March": result.at(Month(2026, 3)),
        }  # fmt: skip
        assert {name: figure.text for name, figure in shown.items()} == {
            "latest": "8", "previous": "7", "ytd": "15", "rolling 12": "[c]",
            "Q4 2025-26": "[c]", "Q1 2026-27": "15", "March": "[c]",
        }  # fmt: skip


# ---------------------------------------------------------------------------------------
# End to end: the text of a paper built from a project of its own.

AUTHORITY = "name: London Borough of Testing\nshort_name: Testing\n"
UNIT_YAML = {
    Unit.COUNT: "count", Unit.PERCENT: "percent", Unit.AVERAGE: "average\n    unit_word: weeks",
    Unit.RATE_PER_10K: "rate_per_10k", Unit.NUMBER: "number\n    measure: snapshot",
}  # fmt: skip
DATA_HEADER = "indicator,period,numerator,denominator,value,status,note,source\n"


def write_project(
    root: Path,
    indicators: dict[str, tuple[Unit, Sequence[Row]]],
    *,
    authority: str = "",
    names: Sequence[str] = ("latest", "ytd", "rolling_12"),
) -> Path:
    """A project as at May 2026 whose narrative prints `names` of every indicator as
    `ID.name: ⟨figure⟩`, in a public paper (`paper.yaml`) and an exempt one (`exempt.yaml`).
    """
    for folder in ("config", "data/indicators", "data/narrative"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "config/authority.yaml").write_text(AUTHORITY + authority, encoding="utf-8")
    catalogue = ["indicators:"]
    lines = [DATA_HEADER.rstrip("\n")]
    for name, (unit, rows) in indicators.items():
        decimals = 1 if unit in (Unit.RATE_PER_10K, Unit.AVERAGE) else 0
        catalogue.append(
            f"  - id: {name}\n    title: Indicator {name}\n    unit: {UNIT_YAML[unit]}\n"
            f"    polarity: higher\n    decimals: {decimals}"
        )
        for period, *numbers in rows:
            counts = ",".join(map(str, numbers)) + ",," if len(numbers) == 2 else f",,{numbers[0]},"
            lines.append(f"{name},{period},{counts},,")
    (root / "config/indicators.yaml").write_text("\n".join(catalogue) + "\n", encoding="utf-8")
    (root / "data/indicators/data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown = "\n\n".join(
        f"{name}.{what}: ⟨{{{{ {name}.{what} }}}}⟩" for name in indicators for what in names
    )
    summary = "  " + shown.replace("\n", "\n  ")
    for file, exempt in (("paper", "false"), ("exempt", "true\nexempt_paragraph: 3")):
        (root / f"data/narrative/{file}.yaml").write_text(
            "template: information_report\ncommittee: Test Committee\nmeeting_date: 2026-07-01\n"
            f"subject: Test paper\nresponsible_officer: Officer\nexempt: {exempt}\n"
            f"key_decision: false\nperiod: 2026-05\nindicators: [{', '.join(indicators)}]\n"
            f"summary: |\n{summary}\nrecommendations: |\n  **FOR INFORMATION**\n"
            "contacts:\n  - name: A Officer\n    title: Performance\n    email: a@example.org\n",
            encoding="utf-8",
        )
    return root


class Paper:
    """A built paper's words, and its live figures by `ID.name`."""

    def __init__(self, content: bytes):
        document = docx.Document(io.BytesIO(content))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        self.text = "\n".join([p.text for p in document.paragraphs] + cells)
        self.figures = dict(re.findall(r"([\w.]+): ⟨(.*?)⟩", self.text))


def papers(root: Path) -> tuple[Project, dict[str, Paper]]:
    """The project, and its paper as built for `internal` use, `published` (the agenda
    pack) and `exempt` (published, but not for publication)."""
    problems = Problems()
    project = load_project(root, problems)
    assert project is not None and not problems.items, problems.items
    narratives = [root / "data/narrative/paper.yaml", root / "data/narrative/exempt.yaml"]
    public, exempt = plan(project, narratives, root / "out", problems)
    assert not problems.items, problems.items
    built = {
        "internal": render_report(project, public, problems, Problems(), published=False),
        "published": render_report(project, public, problems, Problems(), published=True),
        "exempt": render_report(project, exempt, problems, Problems(), published=True),
    }
    assert not problems.items, problems.items
    return project, {what: Paper(b.content) for what, b in built.items() if b is not None}


E2E_PERIODS = {f"P{i}": case for i, case in enumerate(PERIODS)}
E2E_TOTALS = {f"T{i}": case for i, case in enumerate(TOTALS) if case[4] in ("ytd", "rolling 12")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, Paper]]:
    """One project holding every case above, and its papers (one build for all cases)."""
    indicators: dict[str, tuple[Unit, Sequence[Row]]] = {
        name: (unit, [("2026-05", *figures)])  # type: ignore[list-item]
        for name, (_, unit, figures, _, _) in E2E_PERIODS.items()
    }
    indicators.update(
        (name, (unit, rows))
        for name, (_, unit, measure, rows, *_) in E2E_TOTALS.items()
        if measure is Measure.FLOW
    )
    return papers(write_project(tmp_path_factory.mktemp("disclosure"), indicators))


class DescribeThePublishedPaper:
    @pytest.mark.parametrize(
        ("name", "real", "withheld"),
        [(name, case[3], case[4]) for name, case in E2E_PERIODS.items()],
        ids=[case[0] for case in PERIODS],
    )
    def it_prints_c_for_a_withheld_figure_and_the_real_one_elsewhere(
        self, built: tuple[Project, dict[str, Paper]], name: str, real: str, withheld: bool
    ) -> None:
        project, paper = built
        assert project.authority.suppress_up_to == 5  # the default
        assert paper["published"].figures[f"{name}.latest"] == _published(real, withheld)
        assert paper["internal"].figures[f"{name}.latest"] == real
        assert paper["exempt"].figures[f"{name}.latest"] == real
        (result,) = project.results([name], MAY, project.authority.suppress_up_to)
        assert result.latest.text == _published(real, withheld)

    @pytest.mark.parametrize(
        ("name", "total", "real", "withheld"),
        [(name, case[4], case[5], case[6]) for name, case in E2E_TOTALS.items()
         if case[2] is Measure.FLOW],
        ids=[case[0] for case in E2E_TOTALS.values() if case[2] is Measure.FLOW],
    )  # fmt: skip
    def it_prints_c_for_a_total_that_includes_a_withheld_month(
        self,
        built: tuple[Project, dict[str, Paper]],
        name: str,
        total: str,
        real: str,
        withheld: bool,
    ) -> None:
        _, paper = built
        key = f"{name}.{'rolling_12' if total == 'rolling 12' else total}"
        assert paper["published"].figures[key] == _published(real, withheld)
        assert paper["internal"].figures[key] == real
        assert paper["exempt"].figures[key] == real

    def it_explains_c_only_in_the_published_paper(
        self, built: tuple[Project, dict[str, Paper]]
    ) -> None:
        _, paper = built
        note = "[c] Withheld to protect confidentiality: the figure counts between 1 and 5 "
        assert note in paper["published"].text
        assert "[c]" not in paper["internal"].text and "[c]" not in paper["exempt"].text

    def it_leaves_no_withheld_count_anywhere_in_the_published_paper(self, tmp_path: Path) -> None:
        # Counts printed by themselves, beside their percentage, as the narrative may ask.
        root = write_project(
            tmp_path,
            {"A": (Unit.PERCENT, [("2026-05", 3, 4)]), "B": (Unit.COUNT, [("2026-05", 4)])},
            names=("latest", "latest.numerator", "latest.denominator", "latest.text_with_counts",
                   "latest.value", "ytd.numerator"),
        )  # fmt: skip
        _, paper = papers(root)
        internal = paper["internal"].text
        assert "A.latest.text_with_counts: ⟨75% (3 of 4)⟩" in internal
        assert "B.latest.value: ⟨4⟩" in internal
        published = paper["published"].text
        for leaked in ("75%", "3 of 4", "⟨3⟩", "⟨4⟩"):
            assert leaked not in published
        assert "A.latest.text_with_counts: ⟨[c]⟩" in published


@pytest.mark.parametrize(
    ("setting", "count", "shown"),
    [
        ("", 5, "[c]"),  # the default limit is 5
        ("", 6, "6"),
        ("suppress_up_to: 0\n", 1, "1"),  # 0 turns disclosure control off
        ("suppress_up_to: 0\n", 5, "5"),
        ("suppress_up_to: 10\n", 10, "[c]"),
        ("suppress_up_to: 10\n", 6, "[c]"),
        ("suppress_up_to: 10\n", 11, "11"),
        ("suppress_up_to: 10\n", 0, "0"),
        ("suppress_up_to: 3\n", 4, "4"),
    ],
)
def it_takes_the_limit_from_the_authority(
    tmp_path: Path, setting: str, count: int, shown: str
) -> None:
    root = write_project(
        tmp_path, {"C": (Unit.COUNT, [("2026-05", count)])}, authority=setting, names=("latest",)
    )
    _, paper = papers(root)
    assert paper["published"].figures["C.latest"] == shown
    assert paper["internal"].figures["C.latest"] == str(count)
    assert paper["exempt"].figures["C.latest"] == str(count)
    limit = setting.removeprefix("suppress_up_to: ").strip() or "5"
    note = f"the figure counts between 1 and {limit} children"
    assert (note in paper["published"].text) is (shown == "[c]")
