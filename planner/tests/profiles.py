"""Profiles for the planner's tests and bench: random valid ones (seeded, and as hypothesis strategies), and
week-by-week simulations that feed each plan back as history."""

import datetime
import random

from hypothesis import strategies as st

from planner.catalogue import ACTIVITY_NAMES
from steady.vocabulary import EQUIPMENT, HEALTH_FLAGS, WEEKDAYS

ACTIVITIES = tuple(ACTIVITY_NAMES)
EQUIPMENT_IDS = tuple(EQUIPMENT)
FIRST_MONDAY = datetime.date(2026, 1, 5)


def monday(weeks_after: int) -> str:
    return (FIRST_MONDAY + datetime.timedelta(weeks=weeks_after)).isoformat()


def random_profile(rng: random.Random, history_weeks: int | None = None) -> dict:
    """A random valid profile; about a third have a few weeks of history."""
    week = rng.randrange(60, 200)
    days = rng.sample(WEEKDAYS, rng.randint(1, 7))
    profile = {
        "week_start": monday(week),
        "age": rng.choice([rng.randint(18, 64), rng.randint(65, 120), rng.randint(18, 120)]),
        "current_minutes_per_week": rng.choice(
            [0, rng.randint(0, 149), rng.randint(150, 400), rng.randint(0, 2000)]
        ),
        "strength_days_now": rng.randint(0, 7),
        "preferences": rng.sample(ACTIVITIES, rng.randint(0, 5)),
        "available_days": days,
        "max_minutes_per_day": rng.choice([rng.randint(10, 30), rng.randint(30, 90), rng.randint(10, 240)]),
        "health_flags": rng.sample(HEALTH_FLAGS, rng.choice([0, 0, 0, 1, 2])),
        "prefers_gentle": rng.random() < 0.2,
        "equipment": rng.sample(EQUIPMENT_IDS, rng.randint(0, 3)),
    }
    if rng.random() < 0.3:
        profile["current_vigorous_minutes"] = rng.choice([0, rng.randint(1, 200)])
    if rng.random() < 0.2:
        profile["cleared_by_professional"] = rng.random() < 0.5
    if profile["prefers_gentle"] and rng.random() < 0.5:
        profile["gentle_reason"] = "checkin"
    if history_weeks is None:
        history_weeks = rng.choice([0, 0, rng.randint(1, 4)])
    history = []
    for back in range(history_weeks, 0, -1):
        planned = rng.randint(0, 320)
        entry = {
            "week_start": monday(week - back),
            "planned_minutes": planned,
            "completed_minutes": rng.randint(0, planned + 30),
            "planned_sessions": rng.randint(0, 12),
            "completed_sessions": rng.randint(0, 12),
        }
        if rng.random() < 0.5:
            entry["vigorous_minutes"] = rng.choice([0, rng.randint(0, 120)])
        if rng.random() < 0.3:
            entry["strength_days_done"] = rng.randint(0, 3)
        history.append(entry)
    if history:
        profile["history"] = history
    return profile


@st.composite
def profiles(draw, with_history: bool = True) -> dict:
    """Valid profiles, optional fields sometimes left out."""
    week = draw(st.integers(0, 520))
    profile = {
        "week_start": monday(week),
        "age": draw(st.integers(18, 120)),
        "current_minutes_per_week": draw(st.one_of(st.just(0), st.integers(0, 400), st.integers(0, 2000))),
        "available_days": draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True)),
        "max_minutes_per_day": draw(st.one_of(st.integers(10, 40), st.integers(10, 240))),
    }
    optional = {
        "strength_days_now": st.integers(0, 7),
        "preferences": st.lists(st.sampled_from(ACTIVITIES), max_size=6),
        "health_flags": st.lists(st.sampled_from(HEALTH_FLAGS), max_size=3, unique=True),
        "prefers_gentle": st.booleans(),
        "equipment": st.lists(st.sampled_from(EQUIPMENT_IDS), max_size=3, unique=True),
        "current_vigorous_minutes": st.one_of(st.just(0), st.integers(0, 300)),
        "cleared_by_professional": st.booleans(),
        "gentle_reason": st.sampled_from(["asked", "checkin"]),
    }
    for field, strategy in optional.items():
        if draw(st.booleans()):
            profile[field] = draw(strategy)
    if with_history and draw(st.booleans()):
        count = draw(st.integers(1, 4))
        history = []
        for back in range(count, 0, -1):
            planned = draw(st.integers(0, 400))
            entry = {
                "week_start": monday(week - back),
                "planned_minutes": planned,
                "completed_minutes": draw(st.integers(0, planned + 50)),
                "planned_sessions": draw(st.integers(0, 14)),
                "completed_sessions": draw(st.integers(0, 14)),
            }
            if draw(st.booleans()):
                entry["vigorous_minutes"] = draw(st.one_of(st.just(0), st.integers(0, 200)))
            if draw(st.booleans()):
                entry["strength_days_done"] = draw(st.integers(0, 7))
            history.append(entry)
        profile["history"] = history
    return profile


def history_entry(plan: dict, completion: float) -> dict:
    """What a week looked like afterwards, if the person did `completion` of it (vigorous clock minutes and
    strength days too, never more strength days than were planned)."""
    planned = plan["totals"]["aerobic_moderate_equivalent_minutes"]
    sessions = len(plan["sessions"])
    vigorous = sum(
        s["minutes"] for s in plan["sessions"] if s["category"] == "aerobic" and s["intensity"] == "vigorous"
    )
    strength = plan["totals"]["strength_days"]
    return {
        "week_start": plan["week_start"],
        "planned_minutes": planned,
        "completed_minutes": int(planned * completion),
        "planned_sessions": sessions,
        "completed_sessions": int(sessions * completion),
        "vigorous_minutes": int(vigorous * completion),
        "strength_days_done": min(strength, int(strength * completion)),
    }


def simulate(profile: dict, weeks: int, completion, make_plan) -> list[tuple[dict, dict]]:
    """Plan `weeks` weeks in a row; `completion` is a fraction, or a function of the week number."""
    start = datetime.date.fromisoformat(profile["week_start"])
    history = list(profile.get("history", []))
    results = []
    for week in range(weeks):
        this = dict(
            profile, week_start=(start + datetime.timedelta(weeks=week)).isoformat(), history=list(history)
        )
        plan = make_plan(this)
        results.append((this, plan))
        done = completion(week) if callable(completion) else completion
        history.append(history_entry(plan, done))
    return results


def profile_fields(engine_profile: dict) -> dict:
    """An engine profile (random_profile's) as the Profile model's answers: the moderate minutes apart from
    the vigorous ones, which the engine counts twice in current_minutes_per_week."""
    vigorous = engine_profile.get("current_vigorous_minutes", 0)
    return {
        "age": engine_profile["age"],
        "current_minutes_per_week": max(0, engine_profile["current_minutes_per_week"] - vigorous),
        "current_vigorous_minutes": vigorous,
        "strength_days_now": engine_profile["strength_days_now"],
        "preferences": engine_profile["preferences"],
        "available_days": engine_profile["available_days"],
        "max_minutes_per_day": engine_profile["max_minutes_per_day"],
        "health_flags": engine_profile["health_flags"],
        "prefers_gentle": engine_profile["prefers_gentle"],
        "equipment": engine_profile["equipment"],
    }
