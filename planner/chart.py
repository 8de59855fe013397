"""A server-rendered SVG bar chart of weekly active minutes against the WHO's 150-minute line."""

from dataclasses import dataclass

from planner.plans import WHO_AEROBIC_MINUTES

WIDTH = 640
HEIGHT = 220
MARGIN_LEFT = 40
MARGIN_BOTTOM = 28
MARGIN_TOP = 12
MAX_WEEKS = 26  # half a year fits a phone screen; the table below the chart lists every week


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    minutes: int
    label: str
    reached: bool


def weekly_minutes_chart(weeks) -> dict:
    """weeks: plans annotated with completed_minutes, oldest first."""
    weeks = weeks[-MAX_WEEKS:]
    top = max([WHO_AEROBIC_MINUTES * 1.3] + [w.completed_minutes * 1.1 for w in weeks])
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    plot_width = WIDTH - MARGIN_LEFT - 8
    slot = plot_width / max(len(weeks), 1)

    def y_of(minutes):
        return MARGIN_TOP + plot_height * (1 - minutes / top)

    bars = []
    for i, week in enumerate(weeks):
        y = y_of(week.completed_minutes)
        bars.append(
            Bar(
                x=round(MARGIN_LEFT + i * slot + slot * 0.15, 1),
                y=round(y, 1),
                width=round(slot * 0.7, 1),
                height=round(MARGIN_TOP + plot_height - y, 1),
                minutes=week.completed_minutes,
                label=week.week_start.strftime("%-d %b"),
                reached=week.completed_minutes >= WHO_AEROBIC_MINUTES,
            )
        )
    label_every = max(1, len(bars) // 6)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "labelled": [bar for i, bar in enumerate(bars) if i % label_every == 0],
        "guide_y": round(y_of(WHO_AEROBIC_MINUTES), 1),
        "guide_minutes": WHO_AEROBIC_MINUTES,
        "baseline_y": MARGIN_TOP + plot_height,
        "left": MARGIN_LEFT,
        "right": WIDTH - 8,
        "label_y": HEIGHT - 8,
    }
