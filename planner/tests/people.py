"""The people of the version 2 issue: profiles whose version 1 plans went wrong, as fixtures for the tests.

Each is a plain profile dict (docs/planner-interface.md, "Profile (input)"); `last_week(...)` builds a
history week.
"""

WEEK = "2026-11-23"
LAST_MONDAY = "2026-11-16"
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS_ONLY = EVERY_DAY[:5]


def last_week(planned: int, completed: int, sessions: int = 5, done: int | None = None, **extra) -> dict:
    """One history week, the week before WEEK."""
    done = sessions if done is None else done
    week = {
        "week_start": LAST_MONDAY,
        "planned_minutes": planned,
        "completed_minutes": completed,
        "planned_sessions": sessions,
        "completed_sessions": done,
    }
    return week | extra


def profile(**fields) -> dict:
    """A 40-year-old starting from nothing, every day free, an hour a day; `fields` change any of it."""
    base = {
        "week_start": WEEK,
        "age": 40,
        "current_minutes_per_week": 0,
        "available_days": EVERY_DAY,
        "max_minutes_per_day": 60,
    }
    return base | fields


def person(**fields) -> dict:
    return {"week_start": WEEK, "available_days": EVERY_DAY, "max_minutes_per_day": 45} | fields


# Older adults and joints: no lunges, no floor, no planks; chair, wall and band versions.
JOINTS_82 = person(
    age=82,
    current_minutes_per_week=30,
    health_flags=["bone_joint"],
    equipment=["chair"],
    available_days=WEEKDAYS_ONLY,
    max_minutes_per_day=30,
)
HEART_68 = person(
    age=68,
    current_minutes_per_week=90,
    health_flags=["heart_condition", "medication"],
    equipment=["band", "chair"],
    preferences=["walking", "tai_chi"],
)
KNEES_60 = person(
    age=60,
    current_minutes_per_week=100,
    strength_days_now=1,
    health_flags=["bone_joint"],
    equipment=["band"],
    preferences=["walking", "cycling"],
)

# Stepping up: an anxious young walker, a swimmer, a runner.
ANXIOUS_24 = person(
    age=24,
    current_minutes_per_week=200,  # five 40-minute brisk walks
    preferences=["walking", "running"],
    available_days=WEEKDAYS_ONLY,
)
SWIMMER = person(
    age=35,
    current_minutes_per_week=100,
    preferences=["swimming"],
    available_days=["mon", "wed", "fri", "sat"],
    max_minutes_per_day=50,
)
RUNNER = person(
    age=38,
    current_minutes_per_week=180,
    current_vigorous_minutes=90,
    strength_days_now=2,
    preferences=["running"],
    max_minutes_per_day=60,
)

# Things going badly: missed weeks, a low check-in.
MISSED_WEEKS = person(
    age=45,
    current_minutes_per_week=0,
    max_minutes_per_day=40,
    history=[
        {
            "week_start": "2026-11-02",
            "planned_minutes": 60,
            "completed_minutes": 20,
            "planned_sessions": 4,
            "completed_sessions": 1,
            "strength_days_done": 0,
        },
        {
            "week_start": "2026-11-09",
            "planned_minutes": 48,
            "completed_minutes": 0,
            "planned_sessions": 4,
            "completed_sessions": 0,
            "strength_days_done": 0,
        },
        last_week(38, 0, sessions=3, done=0, strength_days_done=0),
    ],
)
LOW_CHECKIN = person(
    age=30,
    current_minutes_per_week=120,
    preferences=["walking", "running", "dancing"],
    prefers_gentle=True,
    gentle_reason="checkin",
    history=[last_week(160, 150, vigorous_minutes=20, strength_days_done=2)],
)

# Health answers.
CHEST_PAIN = person(
    age=50,
    current_minutes_per_week=120,
    strength_days_now=2,
    health_flags=["chest_pain"],
    preferences=["walking", "cycling"],
    history=[last_week(120, 120, strength_days_done=2)],
)
DIZZY = person(
    age=55,
    current_minutes_per_week=90,
    health_flags=["dizziness"],
    preferences=["walking", "cycling", "swimming"],
)
PREGNANT_RUNNER = person(
    age=31,
    current_minutes_per_week=200,
    current_vigorous_minutes=60,
    strength_days_now=2,
    health_flags=["pregnant"],
    preferences=["running", "swimming"],
    equipment=["band"],
)
SEVENTY_ONE = person(
    age=71,
    current_minutes_per_week=40,
    preferences=["swimming", "walking"],
    max_minutes_per_day=25,
)

EVERYONE = {
    "82 with a joint problem": JOINTS_82,
    "68 with a heart condition": HEART_68,
    "60 with bad knees": KNEES_60,
    "anxious 24": ANXIOUS_24,
    "swimmer": SWIMMER,
    "runner": RUNNER,
    "missed weeks": MISSED_WEEKS,
    "low check-in": LOW_CHECKIN,
    "chest pain": CHEST_PAIN,
    "dizziness": DIZZY,
    "pregnant runner": PREGNANT_RUNNER,
    "71": SEVENTY_ONE,
}

# The physiotherapist's sign-ups (yoga and Pilates under rule 17, beginners, notes, swaps).
GENTLE_YOGI = person(age=40, current_minutes_per_week=60, preferences=["yoga"], prefers_gentle=True)
PREGNANT_PILATES = person(
    age=30, current_minutes_per_week=60, preferences=["pilates", "yoga"], health_flags=["pregnant"]
)
OLDER_YOGI = person(age=70, current_minutes_per_week=200, strength_days_now=2, preferences=["yoga"])
BEGINNER_40 = person(
    age=40,
    current_minutes_per_week=0,
    available_days=["mon", "thu"],
    max_minutes_per_day=10,
    equipment=["chair"],
)
CHEST_PAIN_ONLY = person(age=50, current_minutes_per_week=60, health_flags=["chest_pain"])
CLEARED_CHEST_PAIN = CHEST_PAIN_ONLY | {"cleared_by_professional": True}
FOUR_BY_FORTY = person(
    age=82,
    current_minutes_per_week=60,
    strength_days_now=1,
    available_days=["mon", "tue", "thu", "sat"],
    max_minutes_per_day=40,
)
BUSY_82 = person(
    age=82,
    current_minutes_per_week=60,
    strength_days_now=1,
    available_days=["mon", "wed", "fri"],
    max_minutes_per_day=60,
    equipment=["chair"],
)
WEIGHTS_NO_CHAIR = person(age=35, current_minutes_per_week=100, strength_days_now=2, equipment=["weights"])
