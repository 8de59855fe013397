"""Checking a profile against the planner's contract (docs/planner-interface.md), field by field.

Every error names the field in one sentence, so the command line, the web app and the tests can show it as is.
No Django here: the engine is plain Python.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from steady.vocabulary import ACTIVITY_NAMES, DAY_INDEX, DAY_NAMES, EQUIPMENT, HEALTH_FLAGS

HISTORY_FIELDS = ("planned_minutes", "completed_minutes", "planned_sessions", "completed_sessions")
# Optional history fields (v2): `vigorous_minutes` from the contract, `strength_days_done` Steady's own.
OPTIONAL_HISTORY_FIELDS = ("vigorous_minutes", "strength_days_done")
GENTLE_REASONS = ("asked", "checkin")  # why prefers_gentle is true: the person asked, or a low check-in

_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HEALTH_FLAG_SET = frozenset(HEALTH_FLAGS)


class ProfileError(ValueError):
    """A profile that breaks the interface's rules. `field` names the offending field, e.g. "age" or
    "history[2].completed_minutes"; the message is one sentence that names it too."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(slots=True)
class HistoryWeek:
    week_start: datetime.date
    planned_minutes: int
    completed_minutes: int
    planned_sessions: int
    completed_sessions: int
    vigorous_minutes: int = 0  # clock minutes of vigorous aerobic sessions done that week (v2)
    strength_days_done: int | None = None  # days with a strength session done; None when not told


@dataclass(slots=True)
class Profile:
    week_start: datetime.date
    age: int
    current_minutes_per_week: int
    strength_days_now: int
    preferences: tuple[str, ...]  # known family ids, first mention first, no repeats
    available_days: tuple[int, ...]  # 0 = Monday, in week order
    max_minutes_per_day: int
    health_flags: frozenset[str]
    prefers_gentle: bool
    history: tuple[HistoryWeek, ...]
    equipment: frozenset[str] = frozenset()  # of chair, band, weights (a wall and floor space are assumed)
    current_vigorous_minutes: int = 0  # clock minutes of vigorous activity in the person's current week
    cleared_by_professional: bool = False  # cleared to be more active despite chest pain or dizziness
    gentle_reason: str = "asked"  # "asked" or "checkin": why prefers_gentle is true


def _is_int(value) -> bool:
    return type(value) is int  # bool is a subclass of int, and true is not a number of minutes


def _int(value, field: str, low: int, high: int | None) -> int:
    if not _is_int(value):
        raise ProfileError(field, f"{field} must be a whole number, not {_describe(value)}.")
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ProfileError(field, f"{field} must be {bounds}, and {value} is not.")
    return value


def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _date(value, field: str) -> datetime.date:
    day = _monday(value) if isinstance(value, str) else "shape"
    if type(day) is str:
        if day == "shape":
            raise ProfileError(field, f"{field} must be a date written YYYY-MM-DD.")
        if day == "unreal":
            raise ProfileError(field, f"{field} is not a real date: {value}.")
        raise ProfileError(field, f"{field} must be a Monday, and {value} is a {day}.")
    return day


@lru_cache(maxsize=1024)
def _monday(text: str) -> datetime.date | str:
    """The Monday a text names, or what is wrong with it. Cached: most profiles share a handful of weeks."""
    if not _DATE_SHAPE.fullmatch(text):
        return "shape"
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return "unreal"
    return day if day.weekday() == 0 else DAY_NAMES[day.weekday()]


def _list(value, field: str) -> list:
    if not isinstance(value, list):
        raise ProfileError(field, f"{field} must be a list, not {_describe(value)}.")
    return value


def _preferences(value) -> tuple[str, ...]:
    chosen = []
    for item in _list(value, "preferences"):
        if not isinstance(item, str):
            raise ProfileError("preferences", f"preferences must hold activity ids, not {_describe(item)}.")
        if item not in ACTIVITY_NAMES:
            known = ", ".join(ACTIVITY_NAMES)
            raise ProfileError(
                "preferences", f"preferences has an unknown activity {item!r} (known: {known})."
            )
        if item not in chosen:
            chosen.append(item)
    return tuple(chosen)


def _available_days(value) -> tuple[int, ...]:
    days = _list(value, "available_days")
    if not days:
        raise ProfileError("available_days", "available_days must name at least one day.")
    seen = set()
    for item in days:
        if not isinstance(item, str) or item not in DAY_INDEX:
            shown = repr(item) if isinstance(item, str) else _describe(item)
            raise ProfileError(
                "available_days", f"available_days has {shown}, which is not one of mon to sun."
            )
        if item in seen:
            raise ProfileError("available_days", f"available_days names {item} more than once.")
        seen.add(item)
    return tuple(sorted(DAY_INDEX[day] for day in seen))


def _health_flags(value) -> frozenset[str]:
    flags = _list(value, "health_flags")
    for item in flags:
        if not isinstance(item, str) or item not in _HEALTH_FLAG_SET:
            shown = repr(item) if isinstance(item, str) else _describe(item)
            known = ", ".join(HEALTH_FLAGS)
            raise ProfileError("health_flags", f"health_flags has an unknown flag {shown} (known: {known}).")
    return frozenset(flags)


def _history(value, week_start: datetime.date) -> tuple[HistoryWeek, ...]:
    weeks = []
    previous = None
    for index, entry in enumerate(_list(value, "history")):
        where = f"history[{index}]"
        if not isinstance(entry, dict):
            raise ProfileError(where, f"{where} must be an object, not {_describe(entry)}.")
        if "week_start" not in entry:
            raise ProfileError(f"{where}.week_start", f"{where}.week_start is missing.")
        start = _date(entry["week_start"], f"{where}.week_start")
        if start >= week_start:
            raise ProfileError(
                f"{where}.week_start", f"{where}.week_start must be before the plan's week_start."
            )
        if previous is not None and start <= previous:
            raise ProfileError(
                f"{where}.week_start",
                f"{where}.week_start must come after the week before it (oldest first).",
            )
        numbers = []
        for name in HISTORY_FIELDS:
            if name not in entry:
                raise ProfileError(f"{where}.{name}", f"{where}.{name} is missing.")
            numbers.append(_int(entry[name], f"{where}.{name}", 0, None))
        vigorous = _int(entry.get("vigorous_minutes", 0), f"{where}.vigorous_minutes", 0, None)
        strength_done = entry.get("strength_days_done")
        if strength_done is not None or "strength_days_done" in entry:
            strength_done = _int(strength_done, f"{where}.strength_days_done", 0, 7)
        weeks.append(HistoryWeek(start, *numbers, vigorous, strength_done))
        previous = start
    return tuple(weeks)


def _equipment(value) -> frozenset[str]:
    items = _list(value, "equipment")
    seen = set()
    for item in items:
        if not isinstance(item, str) or item not in EQUIPMENT:
            shown = repr(item) if isinstance(item, str) else _describe(item)
            known = ", ".join(EQUIPMENT)
            raise ProfileError("equipment", f"equipment has {shown}, which is not one of {known}.")
        if item in seen:
            raise ProfileError("equipment", f"equipment names {item} more than once.")
        seen.add(item)
    return frozenset(seen)


def _bool(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise ProfileError(field, f"{field} must be true or false, not {_describe(value)}.")
    return value


def _gentle_reason(value) -> str:
    if not isinstance(value, str) or value not in GENTLE_REASONS:
        shown = repr(value) if isinstance(value, str) else _describe(value)
        raise ProfileError("gentle_reason", f"gentle_reason must be 'asked' or 'checkin', not {shown}.")
    return value


REQUIRED_FIELDS = ("week_start", "age", "current_minutes_per_week", "available_days", "max_minutes_per_day")


def validate_profile(data) -> Profile:
    """The profile as plain values, or ProfileError naming the first field that breaks a rule.

    Fields the interface does not name are ignored.
    """
    if not isinstance(data, dict):
        raise ProfileError("profile", f"The profile must be a JSON object, not {_describe(data)}.")
    for field in REQUIRED_FIELDS:
        if field not in data:
            raise ProfileError(field, f"{field} is missing.")
    week_start = _date(data["week_start"], "week_start")
    age = data["age"]
    if _is_int(age) and age < 18:
        raise ProfileError(
            "age", "age must be at least 18: Steady is for adults, and under 18 has other advice."
        )
    age = _int(age, "age", 18, 120)
    current = _int(data["current_minutes_per_week"], "current_minutes_per_week", 0, 2000)
    strength_now = _int(data.get("strength_days_now", 0), "strength_days_now", 0, 7)
    preferences = _preferences(data.get("preferences", []))
    days = _available_days(data["available_days"])
    max_minutes = _int(data["max_minutes_per_day"], "max_minutes_per_day", 10, 240)
    flags = _health_flags(data.get("health_flags", []))
    gentle = _bool(data.get("prefers_gentle", False), "prefers_gentle")
    history = _history(data.get("history", []), week_start)
    equipment = _equipment(data.get("equipment", []))
    vigorous_now = _int(data.get("current_vigorous_minutes", 0), "current_vigorous_minutes", 0, 2000)
    cleared = _bool(data.get("cleared_by_professional", False), "cleared_by_professional")
    reason = _gentle_reason(data.get("gentle_reason", "asked"))
    return Profile(
        week_start,
        age,
        current,
        strength_now,
        preferences,
        days,
        max_minutes,
        flags,
        gentle,
        history,
        equipment,
        vigorous_now,
        cleared,
        reason,
    )
