"""Figures a councillor can trust: the year to date rated against the target it prints,
direction of travel comparing like with like, and corrections that leave nothing out
(README: What is computed; What changed since the last meeting)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import docx
import pytest
from conftest import PERFORMANCE, PERFORMANCE_NARRATIVE, edit, type_counted

from reportgen import Workspace
from reportgen.domain.model import (
    Indicator,
    Measure,
    Observation,
    Polarity,
    Rag,
    Target,
    TargetKind,
    Unit,
)
from reportgen.domain.periods import Month
from reportgen.errors import InputError
from reportgen.results.cells import direction_text, target_cell
from reportgen.results.compute import compute, ytd_target

SEPTEMBER = Month(2026, 9)
MONTHS = [Month(2026, m) for m in range(4, 10)]  # April to September 2026
# The example's re-referrals (L2): referrals, re-referrals and the monthly profile.
REFERRALS = [198, 211, 190, 214, 176, 203]
REREFERRALS = [41, 44, 37, 40, 33, 38]
PROFILE = [20, 20, 20, 19, 19, 19]


def rereferrals(target: Target, unit: Unit = Unit.PERCENT) -> Indicator:
    return Indicator(
        id="L2", title="Re-referrals", unit=unit, polarity=Polarity.LOWER, decimals=1,
        target=target,
    )  # fmt: skip


def profile(values: list[int], ytd: list[int] | None = None) -> Target:
    return Target(
        TargetKind.PROFILE,
        profile=tuple((m, Fraction(v)) for m, v in zip(MONTHS, values, strict=True)),
        ytd_profile=tuple((m, Fraction(v)) for m, v in zip(MONTHS, ytd, strict=True))
        if ytd
        else (),
        tolerance=Fraction(2),
    )


def observations(indicator: Indicator) -> dict[Month, Observation]:
    return {
        m: Observation(indicator.id, m, numerator=Decimal(n), denominator=Decimal(d))
        for m, n, d in zip(MONTHS, REREFERRALS, REFERRALS, strict=True)
    }


class DescribeTheYearToDateTarget:
    def it_weights_a_profile_by_each_months_cases(self) -> None:
        indicator = rereferrals(profile(PROFILE))
        # By hand: (20 × (198 + 211 + 190) + 19 × (214 + 176 + 203)) / 1,192 = 19.5025…
        by_hand = Fraction(20 * 599 + 19 * 593, 1192)
        assert round(float(by_hand), 4) == 19.5025
        assert ytd_target(indicator, observations(indicator), SEPTEMBER) == Fraction("19.5")

    def it_rates_the_year_to_date_against_it_and_says_so(self) -> None:
        indicator = rereferrals(profile(PROFILE))
        result = compute(indicator, observations(indicator), SEPTEMBER)
        assert result.ytd.text == "19.5%"  # 233 of 1,192
        # Against September's 19% it would be Amber; against its own 19.5% it is Green.
        assert (result.target, result.rated_target, result.rag) == (19, Fraction("19.5"), Rag.GREEN)
        assert target_cell(result) == "19.5% year to date\n(19% for Sep 2026)"

    def it_takes_a_ytd_profile_the_catalogue_gives(self) -> None:
        indicator = rereferrals(profile(PROFILE, ytd=[20, 20, 20, 20, 19, 18]))
        result = compute(indicator, observations(indicator), SEPTEMBER)
        assert (result.rated_target, result.rag) == (18, Rag.AMBER)  # 19.5% is within 2 of 18

    @pytest.mark.parametrize(
        ("unit", "measure", "expected"),
        [
            (Unit.COUNT, Measure.FLOW, Fraction(117)),  # a count's targets add up
            (Unit.COUNT, Measure.SNAPSHOT, Fraction(19)),  # a snapshot's is the latest
        ],
    )
    def it_adds_up_as_the_year_to_date_does(
        self, unit: Unit, measure: Measure, expected: Fraction
    ) -> None:
        indicator = Indicator(
            id="C", title="Count", unit=unit, polarity=Polarity.LOWER, measure=measure,
            target=profile(PROFILE),
        )  # fmt: skip
        rows = {m: Observation("C", m, value=Decimal(30)) for m in MONTHS}
        assert ytd_target(indicator, rows, SEPTEMBER) == expected

    def it_is_the_one_target_where_there_is_no_profile(self) -> None:
        indicator = rereferrals(Target(TargetKind.VALUE, value=Fraction(19), tolerance=Fraction(2)))
        result = compute(indicator, observations(indicator), SEPTEMBER)
        assert (result.rated_target, result.rag, target_cell(result)) == (19, Rag.AMBER, "19%")

    def it_reads_a_ytd_profile_and_reports_a_bad_one(self, project: Path) -> None:
        catalogue = project / "config/indicators.yaml"
        edit(
            catalogue,
            "2027-02: 18, 2027-03: 18}\n",
            "2027-02: 18, 2027-03: 18}\n      ytd: {2026-04: twenty}\n",
        )
        with pytest.raises(InputError) as raised:
            Workspace(project).project()
        assert [str(p) for p in raised.value.problems] == [
            "config/indicators.yaml:253: indicator 15 target.ytd.2026-04: L2: 'twenty' is not "
            "a number — write a number without %"
        ]


class DescribeDirectionOfTravel:
    def it_compares_the_councils_own_count_with_its_own(self, project: Path) -> None:
        loaded = Workspace(project).project()
        (cin1,) = loaded.results(["CIN1"], SEPTEMBER)
        # 2025-26 is the council's own; 2024-25 is the DfE's, which replaced the council's own
        # 367 of 2,281. Direction compares the two counts of the council's own.
        assert (cin1.latest.text_with_counts, cin1.latest.source) == ("15.2% (341 of 2,243)", "")
        assert cin1.previous.text_with_counts == "15.6% (355 of 2,281)"
        assert cin1.previous.source == "DfE"
        assert cin1.compared.text_with_counts == "16.1% (367 of 2,281)"
        assert (cin1.compared.source, cin1.mixed) == ("", False)
        assert direction_text(cin1) == "↓ Improving"

    def it_says_so_where_only_a_mixed_pair_exists(self, project: Path) -> None:
        edit(
            project / "data/indicators/scorecard-2026-27.csv",
            "CIN1,2024-25,367,2281,,provisional,council's own count before the DfE return was "
            "validated,\n",
            "",
        )
        (cin1,) = Workspace(project).project().results(["CIN1"], SEPTEMBER)
        assert (cin1.compared.source, cin1.mixed) == ("DfE", True)
        assert direction_text(cin1) == "↓ Improving (council's own against DfE)"
        Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out")
        cells = [c.text for t in docx.Document(str(project / PERFORMANCE)).tables
                 for r in t.rows for c in r.cells]  # fmt: skip
        assert "↓ Improving (council's own against DfE)" in cells


NOVEMBER_SNAPSHOT = Path(
    "data/published/2026-11-04-children-and-young-people-scrutiny-panel/"
    "2026-11-04-childrens-performance-report.json"
)
DECEMBER = Path("data/narrative/2026-12-09-childrens-performance-report.yaml")
DATA = Path("data/indicators/scorecard-2026-27.csv")


def corrections_in(project: Path) -> list[str]:
    """The December paper's corrections, one paragraph per indicator."""
    text = (project / PERFORMANCE_NARRATIVE).read_text(encoding="utf-8")
    text = text.replace("meeting_date: 2026-11-04", "meeting_date: 2026-12-09")
    text = text.replace("period: 2026-09", "period: 2026-10")
    text = text[: text.index("rating_changes:")] + text[text.index("alternative_options:") :]
    (project / DECEMBER).write_text(text, encoding="utf-8")
    Workspace(project).build([project / DECEMBER], project / "out")
    paper = Path(str(PERFORMANCE).replace("2026-11-04", "2026-12-09"))
    lines = [p.text for p in docx.Document(str(project / paper)).paragraphs]
    start = lines.index("Corrections") + 2
    return [line for line in lines[start:] if line.startswith("Indicator ") and "\n" in line]


class DescribeCorrections:
    def it_lists_quarters_rolling_figures_and_years_to_date_the_narrative_printed(
        self, project: Path
    ) -> None:
        edit(
            project / PERFORMANCE_NARRATIVE,
            "    Agency social workers:",
            '    Assessments in the second quarter: {{ L1.at("2026-27 Q2") }}; re-referrals over '
            "12\n    months {{ L2.rolling_12 }}; assessments to August "
            '{{ L1.ytd_at("2026-08") }}.\n  - >-\n    Agency social workers:',
        )
        Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        record = json.loads((project / NOVEMBER_SNAPSHOT).read_text(encoding="utf-8"))
        l1, l2 = (next(i for i in record["indicators"] if i["id"] == id_) for id_ in ("L1", "L2"))
        assert l1["figures"]["2026-27 Q2"] == "91%"
        assert l1["counts"]["2026-27 Q2"] == "652 of 718"
        assert l1["to_date"] == {"2026-08": "90%"}
        assert l2["rolling"] == {"2026-09": "19.6%"}
        # Then the data change: August's assessments and a re-referral month.
        type_counted(project, "L1", "L2")
        edit(project / DATA, "L1,2026-08,197,219,", "L1,2026-08,157,219,")
        edit(project / DATA, "L2,2026-05,44,211,", "L2,2026-05,88,211,")
        assert corrections_in(project) == [
            "Indicator 2: Single assessments completed within 45 working days\n"
            "August 2026 figure corrected from 90% to 72%. "
            "Q2 2026-27 figure corrected from 91% to 85%. "
            "Year to date to August 2026 corrected from 90% to 87%. "
            "Year to date to September 2026 corrected from 91% to 88%.",
            "Indicator 3: Referrals that were a re-referral within 12 months\n"
            "Year to date to September 2026 corrected from 19.5% to 23.2%. "
            "12 months to September 2026 corrected from 19.6% to 21.5%.",
        ]

    def it_lists_a_figure_printed_that_has_no_value_now(self, project: Path) -> None:
        Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        type_counted(project, "L1")
        edit(project / DATA, "L1,2026-09,224,245,,validated,,\n", "")
        (line,) = [c for c in corrections_in(project) if c.startswith("Indicator 2:")]
        assert "September 2026 figure of 91% withdrawn: no data for September 2026." in line

    def it_warns_where_the_reason_does_not_fit_the_counts(self, project: Path) -> None:
        note = "10 assessments recorded as late were completed in time"
        edit(project / DATA, note, "12 assessments recorded late were added")
        warnings = (
            Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out").warnings
        )
        assert (
            f"{PERFORMANCE_NARRATIVE}:12: corrections.L1: June 2026 figure of indicator 2 "
            "changed from 85% to 89%, and the note says '12 assessments recorded late were "
            "added', but the cases counted did not change (233) and those meeting the measure "
            "went from 198 to 208 (+10) — check the note on that row of data/indicators/, "
            "which the paper prints as the reason"
        ) in [str(w) for w in warnings]
        # A note that fits the counts is no warning.
        type_counted(project, "L1")
        edit(project / DATA, "L1,2026-06,208,233,", "L1,2026-06,210,245,")
        warnings = (
            Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out").warnings
        )
        assert not any("corrections.L1" in str(w) for w in warnings)

    def it_records_c_where_the_public_saw_c(self, project: Path) -> None:
        type_counted(project, "L1")
        edit(project / DATA, "L1,2026-09,224,245,", "L1,2026-09,3,4,")
        Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        record = json.loads((project / NOVEMBER_SNAPSHOT).read_text(encoding="utf-8"))
        l1 = next(i for i in record["indicators"] if i["id"] == "L1")
        assert (l1["figures"]["2026-09"], l1["ytd"]) == ("[c]", "[c]")
        assert "2026-09" not in l1["counts"]
        assert "3 of 4" not in json.dumps(record)
