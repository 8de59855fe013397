"""The words every app uses for the same things: weekdays, health flags, activity ids.

A leaf module: plain Python, importing nothing from Django or any app, so that the engine, the accounts and
every other app can share these names without importing each other. The planner's JSON contract
(docs/planner-interface.md) uses the same ids.
"""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index 0 is Monday, as date.weekday() has it
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_INDEX = {day: index for index, day in enumerate(WEEKDAYS)}

# One flag per PAR-Q+ question answered yes, and pregnancy (docs/evidence.md, "Screening: PAR-Q+").
HEALTH_FLAGS = (
    "heart_condition",
    "chest_pain",
    "dizziness",
    "chronic_condition",
    "medication",
    "bone_joint",
    "supervised_only",
    "pregnant",
)

# What a person may have at home for strength exercises (a wall and floor space are assumed).
EQUIPMENT = {
    "chair": "A sturdy chair",
    "band": "Resistance bands",
    "weights": "Weights (or filled water bottles)",
}

# The activity families a person can choose as preferences, with their plain names. The planner's catalogue
# (planner/catalogue.py) has one or more forms of each.
ACTIVITY_NAMES: dict[str, str] = {
    "walking": "Walking",
    "hiking": "Hiking",
    "yoga": "Yoga",
    "tai_chi": "Tai chi or qigong",
    "pilates": "Pilates",
    "dancing": "Dancing",
    "cycling": "Cycling",
    "running": "Running",
    "swimming": "Swimming",
    "gardening": "Gardening",
    "stairs": "Stair climbing",
    "elliptical": "Cross-trainer",
    "rowing": "Rowing machine",
    "strength": "Strength training with weights or bands",
    "bodyweight": "Home strength exercises (no equipment)",
}


def activity_name(activity_id: str) -> str:
    """The plain name of an activity family: "tai_chi" -> "Tai chi or qigong"; an unknown id made readable."""
    return ACTIVITY_NAMES.get(activity_id, activity_id.replace("_", " ").capitalize())
