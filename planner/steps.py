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

      [{"activity": "running", "seconds": 60, "effort": "hard"},
       {"activity": "walking", "seconds": 90, "effort": "easy"}]
      [{"activity": "cycling", "seconds": 60, "effort": "hard"},
       {"activity": "cycling", "seconds": 90, "effort": "easy"}]

  gives the pattern repeated in whole repeats within the session's `minutes`, each step named from its
  activity and, where the activity alone does not say it, its `effort` ("Pedal hard", "Swim slow lengths").
  A pattern with hard parts (an older plan's run/walk has no `effort`: running is its hard part, walking its
  easy one) starts with a warm-up and ends with a cool-down of its easy part (catalogue
  INTERVAL_WARM_UP_SECONDS, a 5-minute brisk walk as in Couch to 5K), and the time left over from whole
  repeats goes to the cool-down: it never ends on a hard part cut short. A pattern without hard parts
  (lengths with a rest at the wall) ends with the pattern cut to fit, never on a rest. In the pool nobody can
  follow a beeping timer, so a swim's repeats are one step, timed by the pool clock (`pool_steps`);
- any other session (older plans, logged sessions) gives one timed step: `minutes` of the session's own
  activity, named as the catalogue names its variant ("Water aerobics for 20 minutes", not "Swim ...").

A move done one side at a time (`Move.each_side`, or `"each_side": true` in its entry) says so in its dose
("10 repetitions each side"); a timed one becomes two timed steps per set, "(left side)" then "(right side)",
each with its own dose ("30 seconds"), so each side gets its own countdown and the switch is a step of its
own.

Every key may be missing or odd (an old plan, a hand-edited row): a step is then made from what there is,
with the library of moves (planner/moves.py) filling in a move's name and usual dose.

Each step is a dict:

    kind      "warm_up", "move", "rest", "interval", "cool_down" or "activity" (an interval session's
              warm-up and cool-down are "warm_up" and "cool_down" steps too)
    part      where it belongs, for the person: "Warm-up", "Round 1 of 2", "Rest", "Repeat 3 of 8",
              "Main set", "To finish", "Cool-down", ...
    title     what to do: the move's name, "Rest", "Running"
    dose      the words: "10 repetitions", "30 seconds", "Run for 1 minute"
    seconds   int: a timed step's length in seconds, or None
    reps      int: a repetition step's count, or None (a step may have neither: done at one's own pace)
    move_id   the move's id (for its picture and page), or None
    set, sets int: this set's number and how many sets of the move in this round (1 and 1 if not a move)
    side      "left" or "right" for one side of a timed each-side move, else None

`interval_summary` gives an interval session in one line, `has_hard_parts` says whether it has hard parts, and
`stop_signs` gives the "stop and get help" words for a person's health flags (STOP_SIGNS).
"""

import re
from dataclasses import dataclass

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
    ("rest", "rest"): ("Rest", "Rest at the wall"),  # rests come only between lengths
}

# The efforts an interval part may have. A part without one (an older plan's run/walk) takes its activity's
# usual effort; a part with an odd one has none.
EFFORTS = ("hard", "easy", "rest")
USUAL_EFFORT = {"running": "hard", "jogging": "hard", "walking": "easy", "rest": "rest"}

# The warm-up and cool-down of a session with hard parts are its easy part; walking says how (Couch to 5K
# warms up with a brisk walk). Other easy parts keep their own words ("Easy pedalling", "Slow lengths").
WARM_UP_WORDS = {"walking": ("Brisk walk", "Walk briskly")}
COOL_DOWN_WORDS = {"walking": ("Easy walk", "Walk at an easy pace")}

# Said on the page of a swim with intervals (views.session_page): a timer that beeps on the side of the pool
# is no use in the water.
POOL_NOTE = (
    "In the pool, time your lengths by the pool clock or a waterproof watch, and leave your phone on the "
    "side: read the steps before you get in. The guide times each part of the swim as a whole, not each "
    "length."
)

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
    # A timed move done one side at a time: a countdown per side, so neither side is cut short. Each side's
    # step names its side, so its dose is that side's alone.
    sides = ("left", "right") if each_side and seconds else (None,)
    return [
        {
            "kind": kind,
            "part": part,
            "title": f"{title} ({side} side)" if side else title,
            "dose": dose_words(reps, seconds) if side else dose,
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


def interval_parts(intervals) -> list[dict]:
    """The repeating pattern of `intervals`: {"activity", "effort", "seconds", "title", "how"} for each usable
    part (an activity and seconds above 0), effort "hard", "easy", "rest" or None (see USUAL_EFFORT)."""
    parts = []
    for item in intervals if isinstance(intervals, list) else ():
        if not (isinstance(item, dict) and isinstance(item.get("activity"), str) and item["activity"]):
            continue
        seconds = positive_int(item.get("seconds"))
        if not seconds:
            continue
        effort = item.get("effort")
        if not (isinstance(effort, str) and effort in EFFORTS):
            effort = USUAL_EFFORT.get(item["activity"]) if effort is None else None
        title, how = effort_words(item["activity"], effort)
        parts.append(
            {"activity": item["activity"], "effort": effort, "seconds": seconds, "title": title, "how": how}
        )
    return parts


def has_hard_parts(intervals) -> bool:
    """Has the pattern a hard part (a run/walk, hard and easy pedalling, fast and slow lengths)?"""
    return any(part["effort"] == "hard" for part in interval_parts(intervals))


@dataclass(frozen=True, slots=True)
class IntervalLayout:
    """How an interval session fills its minutes: a warm-up, whole repeats of the pattern, then a cool-down
    (a pattern with hard parts), or whole repeats then the pattern cut to fit (`left_over`, without)."""

    parts: list[dict]
    easy: dict | None  # the easy part the warm-up and cool-down are made of; None without hard parts
    warm_up: int  # seconds
    repeats: int
    cool_down: int  # seconds, with the time left over from whole repeats
    left_over: int  # seconds of the pattern cut to fit, after the whole repeats (no hard parts only)

    @property
    def set_seconds(self) -> int:
        """The repeats and the part cut to fit: the session without its warm-up and cool-down."""
        return self.repeats * sum(part["seconds"] for part in self.parts) + self.left_over


def interval_layout(intervals, minutes) -> IntervalLayout | None:
    """The layout of an interval session of `minutes`, or None (no usable part, no minutes).

    With hard parts: a warm-up and a cool-down of 5 minutes each (shorter, in whole minutes, only in a
    session too short for both and one repeat), as many whole repeats as fit between them, and the seconds
    left over added to the cool-down."""
    parts = interval_parts(intervals)
    total = (positive_int(minutes) or 0) * 60
    if not parts or not total:
        return None
    pattern = sum(part["seconds"] for part in parts)
    easy = next((part for part in parts if part["effort"] == "easy"), None)
    if easy is None or not any(part["effort"] == "hard" for part in parts):
        repeats = total // pattern
        return IntervalLayout(parts, None, 0, repeats, 0, total - repeats * pattern)
    spare = max(0, (total - pattern) // 2) // 60 * 60
    warm_up = min(catalogue.INTERVAL_WARM_UP_SECONDS, spare)
    repeats = (total - warm_up - min(catalogue.INTERVAL_COOL_DOWN_SECONDS, spare)) // pattern
    return IntervalLayout(parts, easy, warm_up, repeats, total - warm_up - repeats * pattern, 0)


def interval_steps(intervals: list, minutes: int) -> list[dict]:
    """The warm-up, the repeats and the cool-down, one step each part (see the module's docstring); a swim's
    repeats are one step (pool_steps)."""
    layout = interval_layout(intervals, minutes)
    if layout is None:
        return []
    if any(part["activity"] == "swimming" for part in layout.parts):
        return pool_steps(layout)
    steps = [end_step("warm_up", layout.easy, layout.warm_up)] if layout.warm_up else []
    for repeat in range(1, layout.repeats + 1):
        name = f"Repeat {repeat} of {layout.repeats}" if layout.repeats > 1 else "Intervals"
        steps.extend(part_step(part, name) for part in layout.parts)
        if len(steps) >= MAX_STEPS:
            break
    steps.extend(part_step(part, "To finish") for part in left_over_parts(layout))
    if layout.cool_down:
        steps.append(end_step("cool_down", layout.easy, layout.cool_down))
    return steps


def pool_steps(layout: IntervalLayout) -> list[dict]:
    """A swim: the warm-up, the repeats as one step timed by the pool clock (a phone on the side of the pool
    cannot lead each length), the cool-down."""
    steps = [end_step("warm_up", layout.easy, layout.warm_up)] if layout.warm_up else []
    seconds = layout.set_seconds
    if seconds:
        if layout.easy:
            title = "Fast and slow lengths"
        elif any(part["effort"] == "rest" for part in layout.parts):
            title = "Lengths with rests"
        else:
            title = layout.parts[0]["title"]
        dose = f"{capfirst(set_words(layout))} ({duration_words(seconds)} by the pool clock)"
        steps.append(timed_step("interval", "Main set", title, dose, seconds))
    if layout.cool_down:
        steps.append(end_step("cool_down", layout.easy, layout.cool_down))
    return steps


def part_step(part: dict, name: str) -> dict:
    return timed_step("interval", name, part["title"], part_dose(part), part["seconds"])


def part_dose(part: dict) -> str:
    """ "Pedal hard for 1 minute"."""
    return f"{part['how']} for {duration_words(part['seconds'])}"


def end_step(kind: str, easy: dict, seconds: int) -> dict:
    """The warm-up or cool-down of a session with hard parts: its easy part, for `seconds`."""
    words = WARM_UP_WORDS if kind == "warm_up" else COOL_DOWN_WORDS
    title, how = words.get(easy["activity"]) or (easy["title"], easy["how"])
    part = "Warm-up" if kind == "warm_up" else "Cool-down"
    return timed_step(kind, part, title, f"{how} for {duration_words(seconds)}", seconds)


def left_over_parts(layout: IntervalLayout) -> list[dict]:
    """The pattern cut to fit the seconds left after the whole repeats, never ending on a rest: a rest that
    would end the session goes to the part before it."""
    parts, left = [], layout.left_over
    for part in layout.parts:
        if left <= 0:
            break
        seconds = min(part["seconds"], left)
        left -= seconds
        if part["effort"] == "rest" and not left and parts:
            parts[-1] = dict(parts[-1], seconds=parts[-1]["seconds"] + seconds)
        else:
            parts.append(dict(part, seconds=seconds))
    return parts


def set_words(layout: IntervalLayout) -> str:
    """The repeats in words: "11 times: pedal hard for 1 minute, then pedal easily for 1 minute 30 seconds",
    and the pattern cut to fit after them ("; then swim slow lengths for 1 minute")."""
    words = ", then ".join(lower_first(part_dose(part)) for part in layout.parts)
    if layout.repeats > 1:
        words = f"{layout.repeats} times: {words}"
    left_over = ", then ".join(lower_first(part_dose(part)) for part in left_over_parts(layout))
    if not layout.repeats:
        return left_over
    return f"{words}; then {left_over}" if left_over else words


def interval_summary(intervals, minutes) -> str:
    """The session in one line, true to its steps: "Warm up for 5 minutes (easy pedalling). Then 11 times:
    pedal hard for 1 minute, then pedal easily for 1 minute 30 seconds. Cool down for 5 minutes 30 seconds
    (easy pedalling). 38 minutes in all." "" when there is no pattern."""
    layout = interval_layout(intervals, minutes)
    if layout is None or not layout.set_seconds:
        return ""
    line = f"{set_words(layout)}."
    if layout.warm_up:
        line = f"Warm up for {duration_words(layout.warm_up)} ({end_title('warm_up', layout)}). Then {line}"
    line = capfirst(line)
    if layout.cool_down:
        line += f" Cool down for {duration_words(layout.cool_down)} ({end_title('cool_down', layout)})."
    return f"{line} {duration_words(60 * positive_int(minutes))} in all."


def end_title(kind: str, layout: IntervalLayout) -> str:
    return lower_first(end_step(kind, layout.easy, 60)["title"])


def capfirst(words: str) -> str:
    return words[:1].upper() + words[1:]


def lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]


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
