"""Server-rendered SVG charts of weekly active minutes: the history page's bars against the WHO's 150-minute
line, and the wellbeing page's bars beside a line of WHO-5 scores. One frame and one bar geometry for both.

Plain geometry: no Django, no queries. Minutes are moderate-equivalent minutes done in a week.
"""

import datetime
from dataclasses import dataclass

MAX_WEEKS = 26  # half a year fits a phone screen; the tables below the charts list every week


@dataclass(frozen=True)
class Frame:
    """An SVG canvas of width x height pixels and the plot area inside its margins."""

    width: int
    height: int
    left: int
    right_margin: int
    top: int
    bottom_margin: int

    @property
    def right(self) -> int:
        return self.width - self.right_margin

    @property
    def baseline(self) -> int:
        return self.height - self.bottom_margin

    @property
    def plot_height(self) -> int:
        return self.baseline - self.top

    def y_of(self, value: float, top_value: float) -> float:
        """The y coordinate of `value` on a scale from 0 (the baseline) to top_value (the plot's top)."""
        return self.baseline - self.plot_height * value / top_value


@dataclass(frozen=True)
class Bar:
    """One week's bar, in SVG pixels, with its minutes and label."""

    x: float
    y: float
    width: float
    height: float
    minutes: int
    label: str  # "3 Nov": the week's Monday
    label_x: float  # the middle of the bar's slot
    reached: bool  # at least the guideline's minutes


def weekly_bars(
    frame: Frame, weeks: list[tuple[datetime.date, int]], top_minutes: float, guide: int
) -> list[Bar]:
    """One bar per (week start, minutes), left to right in equal slots, 70 % of its slot wide."""
    slot = (frame.right - frame.left) / max(len(weeks), 1)
    bars = []
    for i, (start, minutes) in enumerate(weeks):
        y = frame.y_of(minutes, top_minutes)
        bars.append(
            Bar(
                x=round(frame.left + i * slot + slot * 0.15, 1),
                y=round(y, 1),
                width=round(slot * 0.7, 1),
                height=round(frame.baseline - y, 1),
                minutes=minutes,
                label=start.strftime("%-d %b"),
                label_x=round(frame.left + (i + 0.5) * slot, 1),
                reached=minutes >= guide,
            )
        )
    return bars


def every_few(bars: list[Bar]) -> list[Bar]:
    """The bars whose week is written under the chart: about six of them, so the labels never overlap."""
    step = max(1, len(bars) // 6)
    return [bar for i, bar in enumerate(bars) if i % step == 0]


HISTORY = Frame(width=640, height=220, left=40, right_margin=8, top=12, bottom_margin=28)


def weekly_minutes_chart(weeks, guide_minutes: int) -> dict:
    """The history chart. weeks: plans annotated with completed_minutes, oldest first (the last MAX_WEEKS are
    drawn); guide_minutes: the WHO guideline's weekly minutes, drawn as a dashed line."""
    weeks = [(week.week_start, week.completed_minutes) for week in weeks[-MAX_WEEKS:]]
    top = max([guide_minutes * 1.3] + [minutes * 1.1 for _, minutes in weeks])
    bars = weekly_bars(HISTORY, weeks, top, guide_minutes)
    return {
        "width": HISTORY.width,
        "height": HISTORY.height,
        "bars": bars,
        "labelled": every_few(bars),
        "guide_y": round(HISTORY.y_of(guide_minutes, top), 1),
        "guide_minutes": guide_minutes,
        "baseline": HISTORY.baseline,
        "left": HISTORY.left,
        "right": HISTORY.right,
        "label_y": HISTORY.height - 8,
    }


# The margins hold the scales at 18 px: scores on the left ("100"), minutes on the right ("150 min").
WELLBEING = Frame(width=640, height=240, left=48, right_margin=84, top=14, bottom_margin=30)


def minutes_and_scores_chart(weeks, scores, this_week: datetime.date, guide_minutes: int) -> dict | None:
    """The wellbeing chart: bars of weekly active minutes, every week up to this one, and a line of scores.

    weeks: (week start, minutes done); scores: (local date, score 0-100), e.g. WHO-5 check-ins. At most the
    last MAX_WEEKS weeks are drawn, from the first week with anything in it. None when there is nothing to
    draw.
    """
    if not weeks and not scores:
        return None
    first = this_week - datetime.timedelta(weeks=MAX_WEEKS - 1)
    starts = [start for start, _ in weeks] + [
        day - datetime.timedelta(days=day.weekday()) for day, _ in scores
    ]
    first = max(first, min(starts + [this_week]))
    count = (this_week - first).days // 7 + 1
    minutes_by_week = dict(weeks)
    every_week = [
        (first + datetime.timedelta(weeks=i), minutes_by_week.get(first + datetime.timedelta(weeks=i), 0))
        for i in range(count)
    ]
    top_minutes = max([200] + [minutes * 1.1 for _, minutes in weeks])
    bars = weekly_bars(WELLBEING, every_week, top_minutes, guide_minutes)

    slot = (WELLBEING.right - WELLBEING.left) / count
    points = []
    for day, value in sorted(scores):
        if day < first:
            continue
        weeks_in = ((day - first).days + 0.5) / 7  # a point sits on its own day inside its week's slot
        points.append(
            {
                "x": round(WELLBEING.left + weeks_in * slot, 1),
                "y": round(WELLBEING.y_of(value, 100), 1),
                "score": value,
                "date": day,
            }
        )
    return {
        "width": WELLBEING.width,
        "height": WELLBEING.height,
        "left": WELLBEING.left,
        "right": WELLBEING.right,
        "top": WELLBEING.top,
        "baseline": WELLBEING.baseline,
        "bars": bars,
        "labelled": every_few(bars),
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "score_ticks": [
            {"value": value, "y": round(WELLBEING.y_of(value, 100), 1)} for value in (0, 50, 100)
        ],
        "minute_ticks": [
            {"value": value, "y": round(WELLBEING.y_of(value, top_minutes), 1)}
            for value in (0, guide_minutes)
        ],
        "label_y": WELLBEING.height - 10,
    }
