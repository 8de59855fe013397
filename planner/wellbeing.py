"""Wellbeing: WHO-5 check-ins, when to suggest support, and a person's own mood record.

The rules are plain functions on plain values, so a reader can check them against shared/domain.md: raw 0-25
times 4 gives 0-100; 28 or below, or a drop of 10 points or more since the previous check-in, suggests
support; a check-in is offered every 14 days. Mood before and after sessions is summarised only once there are
at least 5 sessions with both, and in words that say what it is: the person's own record, not medical advice.

The few functions at the end fetch from the database for other parts of the app (the dashboard prompt, the
weekly email) and change the plan: `checkin_due(user, today)`, `last_checkin(user)`, `record_checkin(...)`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from planner import plans
from planner.models import CheckIn

# --- The WHO-5 Well-Being Index ----------------------------------------------------------------------------
# Five statements about the last two weeks, each answered 0 ("at no time") to 5 ("all of the time").
# The WHO-5 is free to use; the statements stay close to the original so that the score means what it should.

ITEMS = [
    ("cheerful", "I have felt cheerful and in good spirits"),
    ("calm", "I have felt calm and relaxed"),
    ("active", "I have felt active and full of energy"),
    ("rested", "I have woken up feeling fresh and rested"),
    ("interested", "My daily life has been filled with things that interest me"),
]
ITEM_KEYS = [key for key, _ in ITEMS]

ANSWERS = [
    (5, "All of the time"),
    (4, "Most of the time"),
    (3, "More than half of the time"),
    (2, "Less than half of the time"),
    (1, "Some of the time"),
    (0, "At no time"),
]

LOW_SCORE = 28  # 28 or below: likely depression (shared/domain.md)
TALK_TO_SOMEONE_BELOW = 50  # below 50: poor wellbeing, worth talking to a professional about
MEANINGFUL_DROP = 10  # a change of 10 points is meaningful
CHECKIN_EVERY_DAYS = 14


def score(answers: dict) -> int:
    """The WHO-5 percentage score, 0-100: the five answers (0-5 each) added up, times 4."""
    values = [answers[key] for key in ITEM_KEYS]
    if any(not 0 <= value <= 5 for value in values):
        raise ValueError("Each WHO-5 answer is 0 to 5.")
    return sum(values) * 4


@dataclass(frozen=True)
class Assessment:
    score: int
    previous_score: int | None

    @property
    def low(self) -> bool:
        return self.score <= LOW_SCORE

    @property
    def drop(self) -> int:
        if self.previous_score is None:
            return 0
        return max(0, self.previous_score - self.score)

    @property
    def dropped(self) -> bool:
        return self.drop >= MEANINGFUL_DROP

    @property
    def needs_support(self) -> bool:
        """Suggest support, and a gentler plan until the next check-in."""
        return self.low or self.dropped

    @property
    def worth_talking_about(self) -> bool:
        """Below 50: no gentle switch, but a professional is worth talking to."""
        return self.score < TALK_TO_SOMEONE_BELOW


def assess(score: int, previous_score: int | None) -> Assessment:
    return Assessment(score=score, previous_score=previous_score)


def is_checkin_due(last_checkin_date: datetime.date | None, today: datetime.date) -> bool:
    if last_checkin_date is None:
        return True
    return (today - last_checkin_date).days >= CHECKIN_EVERY_DAYS


def next_checkin_date(last_checkin_date: datetime.date) -> datetime.date:
    return last_checkin_date + datetime.timedelta(days=CHECKIN_EVERY_DAYS)


# --- Mood before and after sessions ------------------------------------------------------------------------

MIN_MOOD_SESSIONS = 5  # fewer than this, and a summary would read more into the numbers than they hold
FEW_FOR_ONE_ACTIVITY = 3


def _change_words(change: float) -> str:
    if change >= 0.5:
        return "usually higher after than before"
    if change > 0:
        return "a little higher after than before, on average"
    if change == 0:
        return "about the same before and after"
    if change > -0.5:
        return "a little lower after than before, on average"
    return "often lower after than before; a lighter or different activity may suit you better"


def mood_summary(rows) -> dict | None:
    """rows: (activity name, mood before 1-5, mood after 1-5) for sessions with both moods recorded.

    None until there are MIN_MOOD_SESSIONS of them.
    """
    rows = [(activity, before, after) for activity, before, after in rows if before and after]
    if len(rows) < MIN_MOOD_SESSIONS:
        return None
    changes = [after - before for _, before, after in rows]
    higher = sum(1 for change in changes if change > 0)
    same = sum(1 for change in changes if change == 0)
    average_change = round(sum(changes) / len(changes), 1)

    by_activity = defaultdict(list)
    for activity, before, after in rows:
        by_activity[activity].append((before, after))
    activities = []
    for activity, pairs in by_activity.items():
        change = round(sum(after - before for before, after in pairs) / len(pairs), 1)
        few = len(pairs) < FEW_FOR_ONE_ACTIVITY
        activities.append(
            {
                "activity": activity,
                "sessions": len(pairs),
                "average_before": round(sum(before for before, _ in pairs) / len(pairs), 1),
                "average_after": round(sum(after for _, after in pairs) / len(pairs), 1),
                "change": change,
                "words": (
                    f"only {len(pairs)} session{'s' if len(pairs) != 1 else ''} so far, too few to say much"
                    if few
                    else _change_words(change)
                ),
            }
        )
    activities.sort(key=lambda row: (-row["sessions"], row["activity"]))

    sentence = (
        f"In {higher} of the {len(rows)} sessions where you noted your mood before and after, "
        f"it was higher after moving"
    )
    if same:
        sentence += f", and in {same} it was the same"
    sentence += "."
    if average_change > 0:
        sentence += f" On average it went up by {average_change:g} on the 1 to 5 scale."
    elif average_change < 0:
        sentence += f" On average it went down by {-average_change:g} on the 1 to 5 scale."
    return {
        "sessions": len(rows),
        "higher": higher,
        "same": same,
        "lower": len(rows) - higher - same,
        "average_change": average_change,
        "sentence": sentence,
        "by_activity": activities,
    }


# --- The chart: WHO-5 score over time beside weekly active minutes -----------------------------------------

CHART_WIDTH = 640
CHART_HEIGHT = 240
CHART_LEFT = 40
CHART_RIGHT = 64
CHART_TOP = 14
CHART_BOTTOM = 30
CHART_WEEKS = 26


def wellbeing_chart(weeks, checkins, this_week: datetime.date) -> dict | None:
    """Geometry for a server-rendered SVG: bars of weekly active minutes, a line of WHO-5 scores.

    weeks: (week start, moderate-equivalent minutes done); checkins: (local date, score). None when there is
    nothing to draw.
    """
    if not weeks and not checkins:
        return None
    first = this_week - datetime.timedelta(weeks=CHART_WEEKS - 1)
    starts = [start for start, _ in weeks] + [
        day - datetime.timedelta(days=day.weekday()) for day, _ in checkins
    ]
    first = max(first, min(starts + [this_week]))
    count = (this_week - first).days // 7 + 1
    minutes_by_week = {start: minutes for start, minutes in weeks}

    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    baseline = CHART_TOP + plot_height
    slot = plot_width / count
    top_minutes = max([200] + [minutes * 1.1 for _, minutes in weeks])

    bars = []
    for i in range(count):
        start = first + datetime.timedelta(weeks=i)
        minutes = minutes_by_week.get(start, 0)
        height = plot_height * minutes / top_minutes
        bars.append(
            {
                "x": round(CHART_LEFT + i * slot + slot * 0.15, 1),
                "y": round(baseline - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "minutes": minutes,
                "label": start.strftime("%-d %b"),
                "label_x": round(CHART_LEFT + (i + 0.5) * slot, 1),
            }
        )
    label_every = max(1, count // 6)

    points = []
    for day, value in sorted(checkins):
        if day < first:
            continue
        weeks_in = ((day - first).days + 0.5) / 7  # a point sits on its own day inside its week's slot
        points.append(
            {
                "x": round(CHART_LEFT + weeks_in * slot, 1),
                "y": round(baseline - plot_height * value / 100, 1),
                "score": value,
                "date": day,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "top": CHART_TOP,
        "baseline": baseline,
        "bars": bars,
        "labelled": [bar for i, bar in enumerate(bars) if i % label_every == 0],
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "score_ticks": [
            {"value": value, "y": round(baseline - plot_height * value / 100, 1)} for value in (0, 50, 100)
        ],
        "minute_ticks": [
            {"value": value, "y": round(baseline - plot_height * value / top_minutes, 1)}
            for value in (0, 150)
        ],
        "label_y": CHART_HEIGHT - 10,
    }


# --- Fetching, for the views, the dashboard and the weekly email -------------------------------------------


def last_checkin(user):
    return CheckIn.objects.filter(user=user).order_by("-created_at", "-id").first()


def checkin_due(user, today: datetime.date, profile=None) -> bool:
    """True when the person has never checked in, or their last check-in was 14 or more days before today.

    today is the person's local date. For the dashboard prompt and the weekly email; pass the profile if you
    have it, to save a query.
    """
    last = last_checkin(user)
    if last is None:
        return True
    if profile is None:
        profile = Profile.objects.filter(user=user).first()
    return is_checkin_due(profile.local_date(last.created_at), today)


def _replan_if_onboarded(user, profile, now) -> None:
    # The rest of this week follows the new setting at once; done and skipped sessions stay as they are.
    if profile is None or profile.onboarded_at is None:
        return
    plans.replan_rest_of_week(user, profile.local_date(now))


def record_checkin(user, answers: dict, now: datetime.datetime | None = None):
    """Store a check-in, and make the plan gentle until the next one when it suggests support (or not, when it
    doesn't: each check-in decides afresh). Returns the CheckIn."""
    now = now or timezone.now()
    previous = last_checkin(user)
    assessment = assess(score(answers), previous.score if previous else None)
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            user=user,
            created_at=now,
            score=assessment.score,
            previous_score=assessment.previous_score,
            support_suggested=assessment.needs_support,
            **{key: answers[key] for key in ITEM_KEYS},
        )
        profile = Profile.objects.select_for_update().filter(user=user).first()
        changed = profile is not None and profile.gentle_until_next_checkin != assessment.needs_support
        if changed:
            profile.gentle_until_next_checkin = assessment.needs_support
            profile.save(update_fields=["gentle_until_next_checkin", "updated_at"])
    if changed:
        _replan_if_onboarded(user, profile, now)
    return checkin


def set_gentle_until_next_checkin(user, on: bool, now: datetime.datetime | None = None) -> None:
    """The person's own switch: undo the gentle plan a check-in turned on, or turn it back on."""
    now = now or timezone.now()
    profile = Profile.objects.filter(user=user).first()
    if profile is None or profile.gentle_until_next_checkin == on:
        return
    profile.gentle_until_next_checkin = on
    profile.save(update_fields=["gentle_until_next_checkin", "updated_at"])
    _replan_if_onboarded(user, profile, now)
