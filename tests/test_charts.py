"""Charts: what each shows, in words for its alt text, and its picture, cached."""

from __future__ import annotations

import io
import itertools
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
    HEIGHT_CM,
    WIDTH_CM,
    Bar,
    Chart,
    ComparatorChart,
    TrendChart,
    comparator_chart,
    trend_chart,
)
from reportgen.results.compute import compute
from reportgen.word import chart_layout, drawing

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
        # The reason once, as the data give it; and the chart marks the month.
        assert chart.alt_text.endswith(
            "There is no figure for June 2026 (marked n/a): not yet received."
        )
        assert chart.gaps == (2,) and chart.gap_label == "n/a"

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
        assert image.size == (1000, 535)  # 12.7 × 6.8 cm at 200 dpi

    @pytest.mark.parametrize("values", [(0, 0, 0), (1_250_000, 1_300_000), (1, 2)])
    def it_draws_any_values_on_a_readable_axis(self, values: tuple[int, ...]) -> None:
        counted = Indicator(id="C", title="Contacts", unit=Unit.COUNT, polarity=Polarity.NONE)
        chart = trend(counted, monthly(counted, *values), "2026-06")
        assert drawing.picture(chart).startswith(b"\x89PNG")
        assert chart_layout.axis_ticks(0.003)[:2] == [0.0, 0.001]
        assert chart_layout.tick_label(0.002, [0.0, 0.001], "%") == "0.002%"

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


def neighbours(
    values: list[float | None], england: float | None, unit: str = "%"
) -> ComparatorChart:
    """A comparator chart of areas with these values, best first, the fourth the authority."""
    return ComparatorChart(
        title="Statistical neighbours, 2025-26 (best first)",
        bars=tuple(
            Bar(
                f"Area {n}",
                value,
                f"{value:g}{unit}" if value is not None else "suppressed",
                own=n == 4,
            )
            for n, value in enumerate(values, start=1)
        ),
        own_label="Harrow (this authority)",
        england=england,
        england_label=f"England {england:g}{unit}" if england is not None else "",
        unit=unit,
        alt_text="",
    )


def printed_points(chart: Chart, pixels: float) -> float:
    """A size in the chart's pixels as printed: the picture is placed WIDTH_CM wide."""
    with Image.open(io.BytesIO(drawing.picture(chart))) as image:
        width = image.width
    return pixels * WIDTH_CM / 2.54 * 72 / width


class DescribeWhatAReaderSees:
    @pytest.mark.parametrize(
        ("highest", "lowest", "ticks"),
        [
            (97, 0, [0, 25, 50, 75, 100]),  # a percentage near 100 stops there, not at 150
            (100, 74, [70, 80, 90, 100]),
            (108.6, 0, [0, 20, 40, 60, 80, 100, 120]),
            (22.9, 0, [0, 5, 10, 15, 20, 25]),
            (29, 20, [20, 22, 24, 26, 28, 30]),  # whole numbers rather than 22.5
            (0.003, 0, [0, 0.001, 0.002, 0.003]),
        ],
    )
    def it_ends_an_axis_at_the_round_value_just_above_the_highest(
        self, highest: float, lowest: float, ticks: list[float]
    ) -> None:
        assert chart_layout.axis_ticks(highest, lowest) == ticks

    def it_never_runs_a_percentage_axis_past_100_unless_a_value_does(self) -> None:
        labels = [laid.text for laid in drawing.laid_text(neighbours([97, 91, 88, 86], 90))]
        assert "100%" in labels and "125%" not in labels and "150%" not in labels

    @pytest.mark.parametrize(
        "chart",
        [
            neighbours([12.7, 13.7, 15.3, 16.9], 15.2, unit=" cases per worker"),
            trend(REREFERRALS, monthly(REREFERRALS, 24, 23, 22), "2026-06"),
        ],
        ids=["comparator", "trend"],
    )
    def it_prints_its_text_at_10_points_or_more(self, chart: Chart) -> None:
        sizes = {
            laid.text: round(printed_points(chart, laid.size), 1)
            for laid in drawing.laid_text(chart)
        }
        assert min(sizes.values()) >= 10, sizes
        assert sizes[chart.title] >= 11

    def it_wraps_a_legend_too_wide_for_one_row_rather_than_cut_it(self) -> None:
        chart = neighbours([12.7, 13.7, 15.3, 16.9], 15.2, unit=" cases per worker")
        laid = {item.text: item for item in drawing.laid_text(chart)}
        with Image.open(io.BytesIO(drawing.picture(chart))) as image:
            width = image.width
        england = laid["England 15.2 cases per worker"]  # whole, not "… per worke"
        assert all(item.box[0] >= 0 and item.box[2] <= width for item in laid.values())
        assert england.box[1] >= laid["Harrow (this authority)"].box[3]  # on a row below

    def it_moves_a_value_off_the_england_line(self) -> None:
        chart = neighbours([21.3, 22.9, 20.7, 15.6, None, 22.5], 22.6)
        with Image.open(io.BytesIO(drawing.picture(chart))) as image:
            pixels = image.convert("RGB")
        values = {bar.text for bar in chart.bars}
        top = max(item.box[3] for item in drawing.laid_text(chart) if item.text == chart.own_label)
        for laid in drawing.laid_text(chart):
            if laid.text in values and laid.box[1] > top:
                left, upper, right, lower = laid.box
                black = [
                    (x, y)
                    for x in range(left, right)
                    for y in range(upper, lower)
                    if pixels.getpixel((x, y)) == (0, 0, 0)  # the England line's colour
                ]
                assert black == [], laid.text

    def it_grows_taller_rather_than_crowd_many_bars(self) -> None:
        chart = neighbours([float(v) for v in range(20, 40)], 30)
        with Image.open(io.BytesIO(drawing.picture(chart))) as image:
            assert image.height > round(HEIGHT_CM / 2.54 * drawing.DPI)
        names = sorted(
            (laid.box for laid in drawing.laid_text(chart) if laid.text.startswith("Area ")),
            key=lambda box: box[1],
        )
        assert all(upper[3] <= lower[1] for upper, lower in itertools.pairwise(names))

    def it_marks_every_month_without_a_figure_and_says_why(self) -> None:
        data = monthly(REREFERRALS, 24, 23, 22, 21)
        for month in (Month(2026, 5), Month(2026, 6)):
            data[month] = Observation(
                "L2", month, status=Status.NOT_AVAILABLE, note="Not available: system outage"
            )
        chart = trend(REREFERRALS, data, "2026-07")
        assert chart.gaps == (1, 2)
        assert [laid.text for laid in drawing.laid_text(chart)].count("n/a") == 2
        assert chart.alt_text.endswith(
            "There are no figures for May 2026 (system outage) and June 2026 (system outage) "
            "(each marked n/a)."
        )
