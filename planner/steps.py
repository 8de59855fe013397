"""A session as the steps a person goes through, in order: the session page's checklist and its guide.

Plain Python, no Django. `session_steps` takes a session's fields and returns a list of step dicts:

- a strength or balance session with a `routine` (docs/planner-interface.md, "Routine (v2)")

      {"rounds": 2, "rest_seconds": 60, "effort": "One sentence.",
       "warm_up": [entry], "moves": [entry], "cool_down": [entry]}
      entry = {"id": "squat", "name": "Squat", "muscle_groups": [...], "position": "standing",
               "impact": "low", "equipment": "none", "sets": 2, "reps": 10, "seconds": null}

  gives the warm-up entries, then each round's moves (one step per set of each move), with a rest step of
  `rest_seconds` between two rounds, then the cool-down entries;
- an aerobic session with `intervals`, such as

      [{"activity": "running", "seconds": 60}, {"activity": "walking", "seconds": 90}]

  gives the pattern repeated until the session's `minutes` are filled (the last step cut short to fit);
- any other session (older plans, logged sessions) gives one timed step: `minutes` of the activity.

Every key may be missing or odd (an old plan, a hand-edited row): a step is then made from what there is,
with the library of moves (planner/moves.py) filling in a move's name and usual dose.

Each step is a dict:

    kind      "warm_up", "move", "rest", "interval", "cool_down" or "activity"
    part      where it belongs, for the person: "Warm-up", "Round 1 of 2", "Rest", "Cool-down", ...
    title     what to do: the move's name, "Rest", "Running"
    dose      the words: "10 repetitions", "30 seconds", "Run for 1 minute"
    seconds   int: a timed step's length in seconds, or None
    reps      int: a repetition step's count, or None (a step may have neither: done at one's own pace)
    move_id   the move's id (for its picture and page), or None
    set, sets int: this set's number and how many sets of the move in this round (1 and 1 if not a move)
"""

import re

from planner.moves import BY_ID
from steady.vocabulary import activity_name

# Fewer steps than this in any session, however odd its intervals: a page and a guide stay usable.
MAX_STEPS = 400

# How an interval's dose begins: "Run for 1 minute". Other activities: "Cycling for 1 minute".
VERBS = {
    "walking": "Walk",
    "running": "Run",
    "jogging": "Jog",
    "cycling": "Cycle",
    "swimming": "Swim",
    "hiking": "Hike",
    "dancing": "Dance",
    "rowing": "Row",
}

# A move id as the library has them (it names a picture file and a URL): anything else is no move id.
MOVE_ID = re.compile(r"[a-z0-9_]{1,64}")


def session_steps(
    *, activity: str, minutes: int, routine: dict | None = None, intervals: list | None = None
) -> list[dict]:
    """The session's steps in order (see the module's docstring); never empty."""
    steps = []
    if isinstance(routine, dict):
        steps = routine_steps(routine)
    if not steps and isinstance(intervals, list):
        steps = interval_steps(intervals, minutes)
    if not steps:
        steps = [activity_step(activity, minutes)]
    return steps[:MAX_STEPS]


def routine_steps(routine: dict) -> list[dict]:
    """Warm-up, the rounds of moves (one step a set) with rests between rounds, cool-down."""
    steps = []
    for entry in entries(routine, "warm_up"):
        steps.extend(entry_steps(entry, "warm_up", "Warm-up"))
    moves = entries(routine, "moves")
    rounds = positive_int(routine.get("rounds")) or 1
    rest = positive_int(routine.get("rest_seconds"))
    if moves:
        for round_number in range(1, rounds + 1):
            if round_number > 1 and rest:
                steps.append(rest_step(rest))
            part = f"Round {round_number} of {rounds}" if rounds > 1 else "The moves"
            steps.extend(step for entry in moves for step in entry_steps(entry, "move", part))
    for entry in entries(routine, "cool_down"):
        steps.extend(entry_steps(entry, "cool_down", "Cool-down"))
    return steps


def entries(routine: dict, key: str) -> list[dict]:
    value = routine.get(key)
    if not isinstance(value, list):
        return []
    return [entry for entry in value if isinstance(entry, dict) and (entry.get("id") or entry.get("name"))]


def entry_steps(entry: dict, kind: str, part: str) -> list[dict]:
    """One step per set of one routine entry."""
    move_id = entry.get("id") if isinstance(entry.get("id"), str) and MOVE_ID.fullmatch(entry["id"]) else None
    move = BY_ID.get(move_id) if move_id else None
    name = entry.get("name") if isinstance(entry.get("name"), str) and entry.get("name") else None
    title = name or (move.name if move else (move_id or "Move").replace("_", " ").capitalize())
    reps = positive_int(entry.get("reps"))
    seconds = None if reps else positive_int(entry.get("seconds"))
    if not reps and not seconds and move:
        reps, seconds = move.reps, move.seconds
    sets = positive_int(entry.get("sets")) or 1
    return [
        {
            "kind": kind,
            "part": part,
            "title": title,
            "dose": dose_words(reps, seconds),
            "seconds": seconds,
            "reps": reps,
            "move_id": move_id,
            "set": number,
            "sets": sets,
        }
        for number in range(1, sets + 1)
    ]


def rest_step(seconds: int) -> dict:
    return {
        "kind": "rest",
        "part": "Rest",
        "title": "Rest",
        "dose": f"Rest for {duration_words(seconds)}",
        "seconds": seconds,
        "reps": None,
        "move_id": None,
        "set": 1,
        "sets": 1,
    }


def interval_steps(intervals: list, minutes: int) -> list[dict]:
    """The pattern repeated until `minutes` are filled; the last step is cut short to end on time."""
    pattern = [
        (item["activity"], positive_int(item.get("seconds")))
        for item in intervals
        if isinstance(item, dict) and isinstance(item.get("activity"), str)
    ]
    pattern = [(activity, seconds) for activity, seconds in pattern if activity and seconds]
    left = (positive_int(minutes) or 0) * 60
    if not pattern or not left:
        return []
    steps = []
    repeat = 0
    while left > 0 and len(steps) < MAX_STEPS:
        repeat += 1
        for activity, seconds in pattern:
            if left <= 0:
                break
            seconds = min(seconds, left)
            left -= seconds
            steps.append(
                {
                    "kind": "interval",
                    "part": repeat,
                    "title": activity_name(activity),
                    "dose": f"{verb(activity)} for {duration_words(seconds)}",
                    "seconds": seconds,
                    "reps": None,
                    "move_id": None,
                    "set": 1,
                    "sets": 1,
                }
            )
    for step in steps:
        step["part"] = f"Repeat {step['part']} of {repeat}" if repeat > 1 else "Intervals"
    return steps


def activity_step(activity: str, minutes: int) -> dict:
    """A plain session: the activity for its minutes, one timed step."""
    activity = activity if isinstance(activity, str) and activity else "activity"
    seconds = (positive_int(minutes) or 0) * 60 or None
    return {
        "kind": "activity",
        "part": activity_name(activity),
        "title": activity_name(activity),
        "dose": f"{verb(activity)} for {duration_words(seconds)}" if seconds else "At your own pace",
        "seconds": seconds,
        "reps": None,
        "move_id": None,
        "set": 1,
        "sets": 1,
    }


def verb(activity: str) -> str:
    return VERBS.get(activity, activity_name(activity))


def dose_words(reps: int | None, seconds: int | None) -> str:
    """ "10 repetitions", "1 repetition", "30 seconds", "1 minute 30 seconds"; "At your own pace" without."""
    if reps:
        return f"{reps} repetition{'' if reps == 1 else 's'}"
    if seconds:
        return duration_words(seconds)
    return "At your own pace"


def duration_words(seconds: int) -> str:
    """ "45 seconds", "1 minute", "2 minutes 30 seconds"."""
    minutes, seconds = divmod(int(seconds), 60)
    words = []
    if minutes:
        words.append(f"{minutes} minute{'' if minutes == 1 else 's'}")
    if seconds or not minutes:
        words.append(f"{seconds} second{'' if seconds == 1 else 's'}")
    return " ".join(words)


def positive_int(value) -> int | None:
    """A whole number above 0, or None (a missing, null, negative, boolean or non-numeric value)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return int(value)
    return None
