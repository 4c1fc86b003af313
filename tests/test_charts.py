"""Charts: what each shows, in words for its alt text, and its picture, cached."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from PIL import Image

from reportgen.cache import Cache
from reportgen.domain.model import (
    Indicator,
    Observation,
    Polarity,
    Status,
    Target,
    TargetKind,
    Unit,
)
from reportgen.domain.periods import Month
from reportgen.paper.charts import (
    Bar,
    Chart,
    ComparatorChart,
    TrendChart,
    comparator_chart,
    trend_chart,
)
from reportgen.results.compute import compute
from reportgen.word import drawing

REREFERRALS = Indicator(
    id="L2",
    title="Re-referrals",
    unit=Unit.PERCENT,
    polarity=Polarity.LOWER,
    target=Target(TargetKind.VALUE, value=Fraction(20), tolerance=Fraction(2)),
)


def monthly(indicator: Indicator, *values: int, first: str = "2026-04") -> dict:
    start = Month.parse(first)
    months = [start.shifted(i) for i in range(len(values))]
    return {
        m: Observation(indicator.id, m, value=Decimal(v))
        for m, v in zip(months, values, strict=True)
    }


def trend(indicator: Indicator, observations: dict, month: str) -> TrendChart:
    chart = trend_chart(compute(indicator, observations, Month.parse(month)))
    assert chart is not None
    return chart


class DescribeTheTrendChart:
    def it_says_in_words_what_the_line_shows(self) -> None:
        chart = trend(REREFERRALS, monthly(REREFERRALS, 24, 23, 22, 21, 20, 19), "2026-09")
        assert chart.alt_text == (
            "Re-referrals fell from 24% in April 2026 to 19% in September 2026, below the 20% "
            "target."
        )

    def it_shows_the_year_on_its_axis_and_values_only_up_to_the_paper_s_month(self) -> None:
        data = monthly(REREFERRALS, 24, 23, 22, 21, 20, 19, 18)  # October is in the data
        chart = trend(REREFERRALS, data, "2026-09")
        assert chart.x_labels[0] == "Apr" and chart.x_labels[-1] == "Mar"
        assert chart.values[5] == 19 and chart.values[6:] == (None,) * 6
        assert chart.latest_label == "19%"
        assert chart.target == (20.0,) * 12 and chart.target_label == "Target 20%"

    def it_draws_last_year_as_its_own_line_and_says_where_it_was(self) -> None:
        data = monthly(REREFERRALS, *range(30, 18, -1), first="2025-04")
        data |= monthly(REREFERRALS, 22, 21)
        chart = trend(REREFERRALS, data, "2026-05")
        assert chart.last_year_label == "2025-26" and chart.last_year[:2] == (30.0, 29.0)
        assert chart.alt_text.endswith("In May 2025 it was 29%.")

    def it_names_the_range_an_indicator_should_stay_inside(self) -> None:
        ranged = Indicator(
            id="CP1",
            title="second plans",
            unit=Unit.PERCENT,
            polarity=Polarity.NONE,
            target=Target(TargetKind.RANGE, low=Fraction(12), high=Fraction(20)),
        )
        chart = trend(ranged, monthly(ranged, 15, 15), "2026-05")
        assert chart.band == (12.0, 20.0) and chart.target == ()
        assert chart.alt_text == (
            "Second plans was unchanged at 15% between April 2026 and May 2026, within the "
            "acceptable range of 12% to 20%."
        )

    def it_says_when_the_latest_figure_has_not_come(self) -> None:
        data = monthly(REREFERRALS, 24, 23)
        data[Month(2026, 6)] = Observation(
            "L2", Month(2026, 6), status=Status.NOT_AVAILABLE, note="not yet received"
        )
        chart = trend(REREFERRALS, data, "2026-06")
        assert "to 23% in May 2026" in chart.alt_text
        assert chart.alt_text.endswith(
            "There is no figure for June 2026: not available: not yet received."
        )

    def it_has_no_chart_without_a_single_value(self) -> None:
        data = {Month(2026, 4): Observation("L2", Month(2026, 4), status=Status.NOT_AVAILABLE)}
        assert trend_chart(compute(REREFERRALS, data, Month(2026, 4))) is None

    def it_has_no_comparator_chart_without_benchmarks(self) -> None:
        result = compute(REREFERRALS, monthly(REREFERRALS, 20), Month(2026, 4))
        assert comparator_chart(result, "Harrow") is None

    def it_changes_its_key_with_anything_it_shows(self) -> None:
        one = trend(REREFERRALS, monthly(REREFERRALS, 24, 23), "2026-05")
        same = trend(REREFERRALS, monthly(REREFERRALS, 24, 23), "2026-05")
        other = trend(REREFERRALS, monthly(REREFERRALS, 24, 22), "2026-05")
        assert one.key == same.key != other.key


class DescribeThePicture:
    def it_is_a_png_of_the_size_the_paper_places(self) -> None:
        png = drawing.picture(trend(REREFERRALS, monthly(REREFERRALS, 24, 23), "2026-05"))
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert image.size == (976, 535)

    @pytest.mark.parametrize("values", [(0, 0, 0), (1_250_000, 1_300_000), (1, 2)])
    def it_draws_any_values_on_a_readable_axis(self, values: tuple[int, ...]) -> None:
        counted = Indicator(id="C", title="Contacts", unit=Unit.COUNT, polarity=Polarity.NONE)
        chart = trend(counted, monthly(counted, *values), "2026-06")
        assert drawing.picture(chart).startswith(b"\x89PNG")
        assert drawing._ticks(0.003)[:2] == [0.0, 0.001]
        assert drawing._tick_label(0.002, [0.0, 0.001], "%") == "0.002%"

    def it_draws_the_same_chart_to_the_same_bytes(self) -> None:
        chart = trend(REREFERRALS, monthly(REREFERRALS, 24, 23), "2026-05")
        assert drawing.picture(chart) == drawing.picture(chart)

    def it_draws_a_chart_the_same_whatever_is_drawn_with_it(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Charts drawn together share their text; a picture must not depend on that.
        charts: list[Chart] = [
            trend(REREFERRALS, monthly(REREFERRALS, *values), "2026-09")
            for values in [(24, 23, 22, 21, 20, 19), (24, 22, 21), (19, 21, 24, 30, 18)]
        ]
        charts += [
            ComparatorChart(
                title="Statistical neighbours, 2025-26 (best first)",
                bars=(
                    Bar("Barnet", 44.3, "44.3%", own=False),
                    Bar("Kingston upon Thames", None, "not published", own=False),
                    Bar("Harrow", value, f"{value}%", own=True),
                ),
                own_label="Harrow (this authority)",
                england=england,
                england_label=f"England {england}%" if england else "",
                unit="%",
                alt_text="",
            )
            for value, england in [(93.4, 90.0), (61.0, None), (0.0, 44.3)]
        ]
        alone = [drawing.picture(chart) for chart in charts]
        assert drawing._draw_together(charts) == alone
        assert drawing._draw_together(charts[::-1]) == alone[::-1]
        monkeypatch.setattr(drawing, "_DRAW_IN_PARALLEL", 2)  # in worker processes, in chunks
        assert drawing._draw_all(charts[1:] + charts[:1]) == alone[1:] + alone[:1]

    def it_draws_each_chart_once_and_then_reads_it_from_the_cache(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        charts = [
            trend(REREFERRALS, monthly(REREFERRALS, 24, 23), "2026-05"),
            trend(REREFERRALS, monthly(REREFERRALS, 24, 22), "2026-05"),
        ]
        cache = Cache()
        drawn, new = drawing.pictures(charts, cache, folder=tmp_path)
        assert [path.parent for path, _ in new] == [tmp_path, tmp_path]
        for path, content in new:  # as the store keeps them
            path.write_bytes(content)

        def fail(charts: list[object]) -> list[bytes]:
            assert not charts, "drew a cached chart again"
            return []

        monkeypatch.setattr(drawing, "_draw_together", fail)
        assert drawing.pictures(charts, cache) == (drawn, [])  # from memory
        assert drawing.pictures(charts, folder=tmp_path) == (drawn, [])  # from the files
