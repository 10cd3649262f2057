"""The timeline under the map: articles per day (or per week, over a long span) for the view's
filters other than its dates, as a Vega-Lite bar chart (Altair, drawn by Streamlit's own
bundled Vega, so no CDN) with a range brush. Brushing a range sets the date filter (and so
the URL); the chart keeps showing the whole span so the range can be moved or widened.
Every label in it is a date or a count: nothing from an article reaches the chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

# Above this many days a bar per day is too thin to brush; weeks (starting Monday) instead.
DAILY_SPAN_DAYS = 120
BRUSH = "range"


@dataclass(frozen=True)
class Bins:
    """Dated articles counted per bin; `unit` is "day" or "week"."""

    frame: pd.DataFrame  # columns: start (datetime), articles (int)
    unit: str

    @classmethod
    def of(cls, day_counts: Sequence[tuple[str, int]]) -> Bins:
        frame = pd.DataFrame(day_counts, columns=["start", "articles"])
        frame["start"] = pd.to_datetime(frame["start"])
        if frame.empty or (frame["start"].max() - frame["start"].min()).days <= DAILY_SPAN_DAYS:
            return cls(frame, "day")
        weeks = frame["start"] - pd.to_timedelta(frame["start"].dt.day_of_week, unit="D")
        weekly = frame.groupby(weeks)["articles"].sum().rename_axis("start").reset_index()
        return cls(weekly, "week")

    @property
    def total(self) -> int:
        return int(self.frame["articles"].sum())


def chart(bins: Bins) -> alt.Chart:
    """Bars per bin with an x-axis brush named BRUSH."""
    label = "Week of" if bins.unit == "week" else "Day"
    return (
        alt.Chart(bins.frame, height=120)
        .mark_bar(color="#1d4ed8")
        .encode(
            x=alt.X("start:T", title=None),
            y=alt.Y("articles:Q", title=f"Articles per {bins.unit}"),
            tooltip=[alt.Tooltip("start:T", title=label, format="%Y-%m-%d"), alt.Tooltip("articles:Q", title="Articles")],
        )
        .add_params(alt.selection_interval(name=BRUSH, encodings=["x"]))
    )


def brushed_range(selection: dict, unit: str) -> tuple[dt.date, dt.date] | None:
    """The days a brush covers (Vega gives the x range in epoch milliseconds), widened to whole
    weeks when the bars are weeks; None when nothing is brushed."""
    span = (selection or {}).get(BRUSH, {}).get("start")
    if not span or len(span) != 2:
        return None
    days = sorted(_day(value) for value in span)
    low, high = days[0], days[-1]
    if unit == "week":
        high += dt.timedelta(days=6)
    return low, high


def _day(value: float | str) -> dt.date:
    """A brush end as Vega sends it: epoch milliseconds, or a date string."""
    stamp = pd.Timestamp(value, unit="ms") if isinstance(value, int | float) else pd.Timestamp(value)
    return stamp.date()
