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
      [{"activity": "cycling", "seconds": 60, "effort": "hard"},
       {"activity": "cycling", "seconds": 90, "effort": "easy"}]

  gives the pattern repeated until the session's `minutes` are filled (the last step cut short to fit),
  each step named from its activity and, where the activity alone does not say it, its `effort` ("Pedal
  hard", "Swim slow lengths");
- any other session (older plans, logged sessions) gives one timed step: `minutes` of the session's own
  activity, named as the catalogue names its variant ("Water aerobics for 20 minutes", not "Swim ...").

A move done one side at a time (`Move.each_side`, or `"each_side": true` in its entry) says so in its dose
("10 repetitions each side"); a timed one becomes two timed steps per set, "(left side)" then "(right side)",
so each side gets its own countdown and the switch is a step of its own.

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
    side      "left" or "right" for one side of a timed each-side move, else None

`stop_signs` gives the "stop and get help" words for a person's health flags (STOP_SIGNS).
"""

import re

from planner import catalogue
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

# Steps whose activity alone does not say how to do them (hard and easy pedalling, fast and slow lengths):
# (activity, effort) -> (title, how the dose begins). Other steps use the activity's name and VERBS.
EFFORT_WORDS = {
    ("cycling", "hard"): ("Hard pedalling", "Pedal hard"),
    ("cycling", "easy"): ("Easy pedalling", "Pedal easily"),
    ("swimming", "hard"): ("Fast lengths", "Swim fast lengths"),
    ("swimming", "easy"): ("Slow lengths", "Swim slow lengths"),
}

# A move id as the library has them (it names a picture file and a URL): anything else is no move id.
MOVE_ID = re.compile(r"[a-z0-9_]{1,64}")


def session_steps(
    *,
    activity: str,
    minutes: int,
    routine: dict | None = None,
    intervals: list | None = None,
    variant: str | None = None,
) -> list[dict]:
    """The session's steps in order (see the module's docstring); never empty."""
    steps = []
    if isinstance(routine, dict):
        steps = routine_steps(routine)
    if not steps and isinstance(intervals, list):
        steps = interval_steps(intervals, minutes)
    if not steps:
        steps = [activity_step(activity, minutes, variant)]
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
    each_side = entry.get("each_side")
    if not isinstance(each_side, bool):
        each_side = bool(getattr(move, "each_side", False))
    dose = dose_words(reps, seconds) + (" each side" if each_side and (reps or seconds) else "")
    # A timed move done one side at a time: a countdown per side, so neither side is cut short.
    sides = ("left", "right") if each_side and seconds else (None,)
    return [
        {
            "kind": kind,
            "part": part,
            "title": f"{title} ({side} side)" if side else title,
            "dose": dose,
            "seconds": seconds,
            "reps": reps,
            "move_id": move_id,
            "set": number,
            "sets": sets,
            "side": side,
        }
        for number in range(1, sets + 1)
        for side in sides
    ]


def timed_step(kind: str, part, title: str, dose: str, seconds: int) -> dict:
    """A step with no move and no sets: a rest, an interval, a plain session. Same keys as a move's steps."""
    return {
        "kind": kind,
        "part": part,
        "title": title,
        "dose": dose,
        "seconds": seconds,
        "reps": None,
        "move_id": None,
        "set": 1,
        "sets": 1,
        "side": None,
    }


def rest_step(seconds: int) -> dict:
    return timed_step("rest", "Rest", "Rest", f"Rest for {duration_words(seconds)}", seconds)


def interval_steps(intervals: list, minutes: int) -> list[dict]:
    """The pattern repeated until `minutes` are filled; the last step is cut short to end on time."""
    pattern = [
        (*effort_words(item["activity"], item.get("effort")), positive_int(item.get("seconds")))
        for item in intervals
        if isinstance(item, dict) and isinstance(item.get("activity"), str) and item["activity"]
    ]
    pattern = [(title, how, seconds) for title, how, seconds in pattern if seconds]
    left = (positive_int(minutes) or 0) * 60
    if not pattern or not left:
        return []
    steps = []
    repeat = 0
    while left > 0 and len(steps) < MAX_STEPS:
        repeat += 1
        for title, how, seconds in pattern:
            if left <= 0:
                break
            seconds = min(seconds, left)
            left -= seconds
            steps.append(
                timed_step("interval", repeat, title, f"{how} for {duration_words(seconds)}", seconds)
            )
    for step in steps:
        step["part"] = f"Repeat {step['part']} of {repeat}" if repeat > 1 else "Intervals"
    return steps


def effort_words(activity: str, effort) -> tuple[str, str]:
    """An interval step's title and how its dose begins: ("Hard pedalling", "Pedal hard"), ("Running",
    "Run"); an odd `effort` is no effort."""
    words = EFFORT_WORDS.get((activity, effort)) if isinstance(effort, str) else None
    return words or (activity_name(activity), verb(activity))


def activity_step(activity: str, minutes: int, variant: str | None = None) -> dict:
    """A plain session: the session's own activity for its minutes, one timed step."""
    activity = activity if isinstance(activity, str) and activity else "activity"
    seconds = (positive_int(minutes) or 0) * 60 or None
    name = plain_name(activity, variant)
    if not seconds:
        dose = "At your own pace"
    elif name:
        # "Water aerobics for 20 minutes"; "Walk at an easy pace, about 4 km/h, for 20 minutes".
        dose = f"{name}{',' if ',' in name else ''} for {duration_words(seconds)}"
    else:
        dose = f"{verb(activity)} for {duration_words(seconds)}"
    name = name or activity_name(activity)
    return timed_step("activity", name, name, dose, seconds)


def plain_name(activity: str, variant: str | None) -> str:
    """The session's own activity in a few words: the catalogue's name for its variant ("water aerobics" ->
    "Water aerobics", "brisk walk, about 5.5 km/h" -> "Brisk walk"), else the variant itself with a capital,
    else "" (no variant: the family's verb is used)."""
    if not isinstance(variant, str) or not variant.strip():
        return ""
    variant = variant.strip()
    row = VARIANT_NAMES.get((activity, variant)) or VARIANT_NAMES.get((None, variant))
    return row or variant[:1].upper() + variant[1:]


# The catalogue's plain name of each variant, by (family, variant) and by the variant alone.
VARIANT_NAMES: dict[tuple[str | None, str], str] = {
    **{(None, row.variant): row.name for row in reversed(catalogue.ACTIVITIES)},
    **{(row.family, row.variant): row.name for row in catalogue.ACTIVITIES},
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


# "Stop and get help": the warning signs for anyone with a health flag (ACSM, AHA), then those of particular
# flags, in this order (docs/evidence.md, "When to stop and get help"). The session page shows them.
STOP_SIGNS_FOR_EVERYONE = (
    "Stop and get help if you feel chest pain or pressure, severe breathlessness, dizziness or faintness, "
    "or a racing or irregular heartbeat."
)
STOP_SIGNS: dict[str, str] = {
    # ACOG's warning signs; the flag also covers the months after giving birth.
    "pregnant": "Pregnant, or had a baby in the last few months: stop and call your midwife or doctor if you "
    "have vaginal bleeding, fluid leaking, regular painful contractions, calf pain or swelling, a headache "
    "that does not go away, or you feel faint.",
    "bone_joint": "Stop any move that causes sharp pain or makes a joint swell, and use its easier version "
    "next time.",
    "dizziness": "If you feel dizzy or light-headed, sit down at once. Keep something steady, such as a "
    "chair or a kitchen counter, within reach.",
}


def stop_signs(health_flags) -> list[str]:
    """The "stop and get help" sentences for these health flags: none without a flag."""
    flags = {flag for flag in health_flags or () if isinstance(flag, str)}
    if not flags:
        return []
    return [STOP_SIGNS_FOR_EVERYONE, *(words for flag, words in STOP_SIGNS.items() if flag in flags)]
