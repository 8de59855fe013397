"""The weekly planner: a person's profile and recent weeks in, one week's plan out.

A pure function of its input: no clock, no randomness, no Django. docs/planner-interface.md fixes the
input, the output and the twenty rules every plan satisfies (version 2); the rules below are named after the
WHO 2020 guidelines, the PAR-Q+ practice and the strength and balance doses they come from (docs/evidence.md),
so each can be checked against the text.

    from planner.engine import make_plan, ProfileError
    plan = make_plan(profile_dict)          # raises ProfileError(field, message) on bad input
"""

import datetime
from dataclasses import dataclass, replace
from functools import lru_cache

from planner import catalogue, moves
from planner.validation import HistoryWeek, Profile, ProfileError, validate_profile
from steady.vocabulary import WEEKDAYS

__all__ = ["make_plan", "plan_for", "ProfileError", "validate_profile", "meets_who_guideline"]

# --- The WHO 2020 figures -----------------------------------------------------------------------------------

WHO_AEROBIC_MINUTES = 150  # moderate-equivalent minutes a week, the lower end of the range
WHO_AEROBIC_UPPER = 300  # the upper end; Steady never plans beyond it
WHO_STRENGTH_DAYS = 2
WHO_BALANCE_DAYS = 3  # for people aged 65 and over
OLDER_ADULT_AGE = 65

BEGINNER_START_MINUTES = 60  # "start with small amounts": about an hour of easy walking in the first week
SOME_IS_BETTER_MINUTES = 30  # rule 20: the least aerobic target for anyone whose days hold an hour
# Rule 18: every aerobic, strength and balance session lasts 10 minutes or more (swimming 20, see catalogue).
SHORTEST_SESSION = 10
COMFORTABLE_SESSION = 10
USUAL_SESSION = 30  # aerobic minutes are spread in sessions of about this length
SHORTEST_VIGOROUS = 20  # a run, a brisk ride or fast lengths: 20 clock minutes or more, or none at all
VIGOROUS_SESSIONS_NEW = 2  # rule 19: at most two vigorous sessions while vigorous activity is new
VIGOROUS_SESSIONS_HABIT = 3  # and three once it is a habit; never on consecutive days either way
DIZZY_LONGEST_SWIM = 30  # dizziness or fainting: no long sessions in the water

# Strength and balance session lengths (strength, balance), most comfortable first; shorter ones only when
# the days are tight, and never under rule 18's 10 minutes.
SESSION_SIZES = ((20, 20), (20, 15), (15, 15), (15, 10), (10, 10))


# --- Rules: who the person is -------------------------------------------------------------------------------


def is_older_adult(age: int) -> bool:
    """WHO: adults 65 and over add balance (multicomponent) activity on 3 or more days."""
    return age >= OLDER_ADULT_AGE


def meets_who_guideline(aerobic_minutes: int, strength_days: int, balance_days: int, age: int) -> bool:
    """Rule 8: 150 moderate-equivalent minutes, strength on 2 days, and from 65 balance on 3 days."""
    if aerobic_minutes < WHO_AEROBIC_MINUTES or strength_days < WHO_STRENGTH_DAYS:
        return False
    return not is_older_adult(age) or balance_days >= WHO_BALANCE_DAYS


def moderate_equivalent(category: str, intensity: str, minutes: int) -> int:
    """Rule 4: aerobic moderate minutes count once, vigorous twice, light not at all; other categories
    never count."""
    if category != "aerobic":
        return 0
    if intensity == "vigorous":
        return 2 * minutes
    if intensity == "moderate":
        return minutes
    return 0


def needs_professional_advice(profile: Profile) -> bool:
    """PAR-Q+: any yes (or pregnancy) means talking to a doctor or qualified exercise professional."""
    return bool(profile.health_flags)


def supervised_only(profile: Profile) -> bool:
    """PAR-Q+ question 7: a doctor said medically supervised activity only, so no self-directed plan."""
    return "supervised_only" in profile.health_flags


def is_careful(profile: Profile) -> bool:
    """Rule 17: from 65, with any health flag, or asking for gentle activity, routines use standing, chair and
    wall versions only (no floor, no jumps) and the lighter dose (10-15 repetitions)."""
    return is_older_adult(profile.age) or bool(profile.health_flags) or profile.prefers_gentle


def held_for_clearance(profile: Profile) -> bool:
    """PAR-Q+ questions 2 and 3: chest pain, or dizziness or fainting, not yet cleared by a doctor or exercise
    professional. Light and moderate only, and the weekly target builds up by half the usual step
    (increased), so that rule 13's guideline still comes within 12 weeks."""
    return bool(profile.health_flags & {"chest_pain", "dizziness"}) and not profile.cleared_by_professional


def is_dizzy(profile: Profile) -> bool:
    """PAR-Q+ question 3: aerobic sessions on an exercise bike or in a pool with a lifeguard, where a dizzy
    spell cannot become a fall on the road or in open water."""
    return "dizziness" in profile.health_flags


def is_already_active(profile: Profile) -> bool:
    """At the guideline's aerobic minutes now, or last week."""
    if profile.current_minutes_per_week >= WHO_AEROBIC_MINUTES:
        return True
    return bool(profile.history) and profile.history[-1].completed_minutes >= WHO_AEROBIC_MINUTES


def may_do_vigorous(profile: Profile) -> bool:
    """Rule 6 and good practice: vigorous only for people already active, with no health flag, not asking for
    gentle activity (pregnancy is a flag, so it stays moderate too). A first week (no history) from 65 starts
    moderate, unless the person already does vigorous activity (current_vigorous_minutes)."""
    if older_first_week(profile):
        return False
    return not profile.health_flags and not profile.prefers_gentle and is_already_active(profile)


def older_first_week(profile: Profile) -> bool:
    """From 65, a first week with no history and no vigorous activity now: it starts moderate (rule 19's
    stepping up gently, one change at a time); vigorous sessions can come in from the second week."""
    return is_older_adult(profile.age) and not profile.history and profile.current_vigorous_minutes == 0


def has_vigorous_habit(profile: Profile) -> bool:
    """Rule 19: vigorous activity is a habit when the last history week had vigorous minutes, or, with no
    history yet, when the person does some in their current week (current_vigorous_minutes)."""
    if profile.history:
        return profile.history[-1].vigorous_minutes > 0
    return profile.current_vigorous_minutes > 0


def vigorous_session_cap(profile: Profile) -> int:
    """Rule 19: at most two vigorous sessions while vigorous activity is new, three once it is a habit."""
    return VIGOROUS_SESSIONS_HABIT if has_vigorous_habit(profile) else VIGOROUS_SESSIONS_NEW


# Couch to 5K's shape (docs/evidence.md): (hard seconds, recovery seconds) for each week of vigorous sessions
# in a row; after the last stage the sessions are continuous.
STEP_UP_STAGES = ((60, 90), (90, 120), (180, 90), (300, 180), (480, 120), (600, 90))
# The longest session with hard parts at each stage, in clock minutes, its warm-up and cool-down included
# (catalogue.INTERVAL_WARM_UP_SECONDS): Couch to 5K's first weeks take about 30 minutes with a 5-minute walk
# before and after. A day with more room has a continuous session of its own for the rest (fill_sessions).
INTERVAL_LONGEST = (30, 30, 35, 35, 40, 45)
# Lengths with rests for swimmers building up: seconds of swimming, then 30 seconds' rest at the wall.
SWIM_STAGES = (60, 120, 180, 300)
SWIM_REST_SECONDS = 30


def trailing_weeks(history: tuple[HistoryWeek, ...], test) -> int:
    """How many of the last history weeks in a row pass `test`."""
    count = 0
    for week in reversed(history):
        if not test(week):
            break
        count += 1
    return count


def pregnancy_allows_hard_parts(profile: Profile) -> bool:
    """WHO 2020 and ACOG: a pregnant woman who already did vigorous activity (current_vigorous_minutes, or
    vigorous minutes in the last history week) can usually keep it up. Not with any other health answer."""
    return profile.health_flags == {"pregnant"} and (
        profile.current_vigorous_minutes > 0 or has_vigorous_habit(profile)
    )


def keeps_hard_parts_in_pregnancy(profile: Profile) -> bool:
    """Rule 6 allows a pregnant woman no vigorous session, so when pregnancy_allows_hard_parts she keeps her
    running, cycling or swimming as hard and easy parts in turn at the last stage, counted as moderate
    (catalogue.STEP_UP_INTERVALS); not in a gentle week."""
    return pregnancy_allows_hard_parts(profile) and not profile.prefers_gentle


def hard_easy_stage(profile: Profile) -> int | None:
    """E: the stage of running and walking, hard and easy cycling or fast and slow swimming in turn
    (catalogue.STEP_UP_INTERVALS; Couch to 5K's shape, STEP_UP_STAGES), before continuous vigorous runs,
    rides and swims; None past the last stage, or for someone who already does vigorous activity
    (current_vigorous_minutes). In pregnancy (keeps_hard_parts_in_pregnancy) the last stage, always.

    These sessions are moderate, so the weeks that had them have no vigorous minutes: a week counts as a
    stage done when it had vigorous minutes, or when the person went into it ready for harder sessions
    (may_do_vigorous's test: 150 minutes now, or done the week before; a first week from 65 starts moderate)
    and did most of it (mostly_done). The history says how much was done, not which sessions, so weeks like
    these with other activities count too.
    """
    if keeps_hard_parts_in_pregnancy(profile):
        return len(STEP_UP_STAGES) - 1
    if profile.current_vigorous_minutes > 0:
        return None
    history = profile.history
    active_now = profile.current_minutes_per_week >= WHO_AEROBIC_MINUTES
    weeks = 0
    for index in range(len(history) - 1, -1, -1):
        week = history[index]
        if index:
            ready = active_now or history[index - 1].completed_minutes >= WHO_AEROBIC_MINUTES
        else:
            ready = active_now and not is_older_adult(profile.age)
        if week.vigorous_minutes <= 0 and not (ready and week.planned_minutes and mostly_done(week)):
            break
        weeks += 1
    return weeks if weeks < len(STEP_UP_STAGES) else None


STEP_UP_FAMILIES = frozenset(catalogue.STEP_UP_INTERVALS)


def hard_easy_families(profile: Profile, vigorous_ok: bool) -> frozenset[str]:
    """The families whose harder sessions this week are hard and easy parts in turn, counted as moderate
    (hard_easy_stage): for people allowed harder sessions (`vigorous_ok`, may_do_vigorous) until the stages
    are past, and in pregnancy for a woman who already did vigorous activity (keeps_hard_parts_in_pregnancy).
    """
    if keeps_hard_parts_in_pregnancy(profile):
        return STEP_UP_FAMILIES
    if not vigorous_ok or hard_easy_stage(profile) is None:
        return frozenset()
    return STEP_UP_FAMILIES


def interval_limits(profile: Profile, vigorous_ok: bool = True) -> dict[str, tuple[int, int]]:
    """E: for each family whose harder sessions this week have hard parts (hard_easy_families), the
    (shortest, longest) clock minutes of such a session: 20 minutes or more, room for the warm-up, the
    cool-down and one whole repeat, and at most INTERVAL_LONGEST for its stage. Empty without such sessions
    (`vigorous_ok` false: may_do_vigorous, outside pregnancy) or without one of these families."""
    families = hard_easy_families(profile, vigorous_ok).intersection(profile.preferences)
    if not families:
        return {}
    stage = hard_easy_stage(profile)
    ends = catalogue.INTERVAL_WARM_UP_SECONDS + catalogue.INTERVAL_COOL_DOWN_SECONDS
    shortest = max(SHORTEST_VIGOROUS, -(-(ends + sum(STEP_UP_STAGES[stage])) // 60))
    return {family: (shortest, INTERVAL_LONGEST[stage]) for family in families}


def swim_stage(profile: Profile) -> int:
    """E: lengths with rests grow by one stage for each week in a row that was mostly done."""
    return min(trailing_weeks(profile.history, mostly_done), len(SWIM_STAGES) - 1)


def must_meet_guideline_now(profile: Profile) -> bool:
    """Rules 10 and 11: already active (150 minutes and 2 strength days now), no flags, at least five days
    with at least 45 minutes: the plan meets the guideline (balance included from 65) this week."""
    return (
        profile.current_minutes_per_week >= WHO_AEROBIC_MINUTES
        and profile.strength_days_now >= WHO_STRENGTH_DAYS
        and not profile.health_flags
        and len(profile.available_days) >= 5
        and profile.max_minutes_per_day >= 45
    )


# --- Rules: how much this week -----------------------------------------------------------------------------


def first_week_minutes(profile: Profile) -> tuple[int, str]:
    """Start from what the person does now; from nothing, start small (rule 12). Gentle mode never raises
    what the person already does. A week without vigorous sessions (may_do_vigorous false: a health answer,
    gentle activity) counts what the person does now in clock minutes: `current_minutes_per_week` counts
    their vigorous minutes twice, and the week's moderate minutes count once, so it would ask for more time
    than they spend now (rule 10's 150 minutes still hold, week_target)."""
    current = profile.current_minutes_per_week
    if current == 0:
        return BEGINNER_START_MINUTES, "start"
    if profile.current_vigorous_minutes and not may_do_vigorous(profile):
        return max(0, current - profile.current_vigorous_minutes), "clock_current"
    if current >= WHO_AEROBIC_MINUTES:
        return current, "active"
    if profile.prefers_gentle:
        return current, "build_on_current"
    return max(BEGINNER_START_MINUTES, current), "build_on_current"


def barely_done(week: HistoryWeek) -> bool:
    """Under half of what was planned (rule 14)."""
    return 2 * week.completed_minutes < week.planned_minutes


def mostly_done(week: HistoryWeek) -> bool:
    """At least 80 % of what was planned."""
    return 5 * week.completed_minutes >= 4 * week.planned_minutes


def increased(planned: int, slowly: bool = False) -> int:
    """WHO: gradually increase. Add 20 % (at least a minute), the top of the usual 10 to 20 %; `slowly`
    (held_for_clearance), 10 % rounded up: from 60 minutes, 150 in the eleventh week (rule 13)."""
    if slowly:
        return planned + max(1, -(-planned // 10))
    return planned + max(1, planned // 5)


def stepped_back(week: HistoryWeek) -> int:
    """A barely done week: ease back to 80 % of it, never below what was done, never above the plan."""
    return min(week.planned_minutes, max(week.planned_minutes * 4 // 5, week.completed_minutes))


def next_week_minutes(profile: Profile) -> tuple[int, str]:
    """The aerobic minutes this week aims for, before the limits of the person's time, and why.

    Reasons: "start", "build_on_current", "clock_current", "active" (first week); "increase", "hold",
    "step_back" (from the last week; chest pain or dizziness not yet cleared increase by smaller steps,
    PAR-Q+) and "hold_gentle" (a gentle week after a low check-in holds or lowers clock time, never raises
    it). Someone who asked for gentle activity builds up like anyone else (rule 13), at a gentle intensity."""
    if not profile.history or profile.history[-1].planned_minutes == 0:
        return first_week_minutes(profile)
    last = profile.history[-1]
    # Gentle weeks have no vigorous minutes: count last week in clock minutes (its vigorous ones counted
    # double), so that a gentle week never asks for more time than that one took.
    clock = max(0, last.planned_minutes - last.vigorous_minutes) if profile.prefers_gentle else None
    if barely_done(last):
        return stepped_back(last) if clock is None else min(stepped_back(last), clock), "step_back"
    if profile.prefers_gentle and profile.gentle_reason == "checkin":
        return clock, "hold_gentle"
    if mostly_done(last):
        return increased(
            last.planned_minutes if clock is None else clock, held_for_clearance(profile)
        ), "increase"
    return last.planned_minutes if clock is None else clock, "hold"


def strength_done_before(profile: Profile) -> bool:
    """F: has the person done a strength day? They do some now (strength_days_now), or a history week says so
    (strength_days_done), or, where a week does not say, every session planned that week was done."""
    if profile.strength_days_now > 0:
        return True
    for week in profile.history:
        if week.strength_days_done is None:
            if week.planned_sessions > 0 and week.completed_sessions >= week.planned_sessions:
                return True
        elif week.strength_days_done > 0:
            return True
    return False


def strength_days_wanted(profile: Profile) -> int:
    """WHO: strength on 2 days. Someone who does none yet has one day until a first one is done (F)."""
    return WHO_STRENGTH_DAYS if strength_done_before(profile) else 1


def balance_days_wanted(profile: Profile) -> int:
    """WHO: balance on 3 days from 65. Younger people who chose Pilates get one session of it."""
    if is_older_adult(profile.age):
        return WHO_BALANCE_DAYS
    return 1 if "pilates" in profile.preferences else 0


# --- Rules: which activities -------------------------------------------------------------------------------


def aerobic_families(profile: Profile, vigorous_ok: bool) -> tuple[str, ...]:
    """Rule 3: aerobic sessions come from the person's preferences, or walking. Vigorous-only activities
    (running) become walking for people who should not go vigorous, and so do families done partly on the
    floor (a sun salutation's plank) for rule 17's people. Running stays for a pregnant woman who already
    ran (keeps_hard_parts_in_pregnancy): her runs keep hard and easy parts. Gentle options first for
    beginners.
    With dizziness (PAR-Q+ question 3), only the exercise bike and the pool when the person chose them."""
    families = []
    careful = is_careful(profile)
    hard_ok = vigorous_ok or keeps_hard_parts_in_pregnancy(profile)
    for family in profile.preferences:
        if family not in catalogue.AEROBIC_LEVELS:
            continue  # strength, bodyweight and Pilates have sessions of their own
        if family in catalogue.VIGOROUS_ONLY_FAMILIES and not hard_ok:
            family = "walking"
        if careful and family in catalogue.FLOOR_FAMILIES:
            family = "walking"  # rule 17: their yoga is gentle_yoga_session's, light and on top
        if family not in families:
            families.append(family)
    if is_dizzy(profile):
        seated = [family for family in families if family in ("cycling", "swimming")]
        families = seated or families
    if not families:
        return ("walking",)
    if not is_already_active(profile):
        families.sort(key=lambda family: family not in catalogue.GENTLE_FAMILIES)
    return tuple(families)


def goes_vigorous(family: str, vigorous_ok: bool) -> bool:
    return vigorous_ok and family in catalogue.VIGOROUS_FAMILIES


def aerobic_level(minutes: int, gentle: bool) -> str:
    """Easy while starting out or asking for gentle activity, brisker as the weekly minutes grow."""
    if minutes < 90 or (gentle and minutes < WHO_AEROBIC_MINUTES):
        return "easy"
    if minutes < WHO_AEROBIC_MINUTES or gentle:
        return "steady"
    return "brisk"


def shortest_minutes(family: str, vigorous: bool) -> int:
    """Rule 18: 10 minutes, swimming 20; E: a vigorous session 20 (a realistic run or ride)."""
    low = catalogue.SHORTEST_MINUTES.get(family, SHORTEST_SESSION)
    return max(low, SHORTEST_VIGOROUS) if vigorous else low


def longest_minutes(family: str, room: int, dizzy: bool) -> int:
    """A session fills at most its day's room; with dizziness, water sessions stay short."""
    return min(room, DIZZY_LONGEST_SWIM) if dizzy and family == "swimming" else room


def balance_activities(profile: Profile) -> tuple[catalogue.Activity, ...]:
    """From 65: multicomponent sessions, balance and leg strength together (Otago). Younger people who chose
    Pilates get Pilates-style mat work, or, under rule 17 (mat Pilates is lying and kneeling work), the same
    standing balance and leg-strength session as older adults."""
    if is_careful(profile):
        return (catalogue.BY_ID[catalogue.BALANCE_HOME],)
    return (catalogue.BY_ID[catalogue.BALANCE_PILATES],)


def routine_kind(activity: catalogue.Activity) -> str:
    """The routine a strength or balance session's row carries: "strength", "pilates" or "balance"."""
    if activity.category == "strength":
        return "strength"
    return "pilates" if activity.family == "pilates" else "balance"


def strength_activity(routine: dict, profile: Profile) -> catalogue.Activity:
    """The catalogue row that names a strength routine: weights or bands when its moves use them, else a home
    circuit (a supported one for careful people, rule 17)."""
    used = {entry["equipment"] for entry in routine["moves"]}
    if "weights" in used:
        return catalogue.BY_ID[catalogue.STRENGTH_WEIGHTS]
    if "band" in used:
        return catalogue.BY_ID[catalogue.STRENGTH_BANDS]
    if is_careful(profile):
        return catalogue.BY_ID[catalogue.STRENGTH_SUPPORTED]
    return catalogue.BY_ID[catalogue.STRENGTH_BODYWEIGHT]


# --- Routines: what exactly to do in a strength or balance session (rules 16 and 17, ACSM and Otago) --------

SET_SECONDS = 45  # one set of 8-15 repetitions, with getting into position
POSITION_SECONDS = 10  # getting into position for a timed hold
MOST_MOVES = 8  # ACSM: 8 to 10 exercises; 8 fit a 25-minute session
MUSCLE_ORDER = ("legs", "chest", "back", "abdomen", "hips", "shoulders", "arms")

# For each muscle group, the moves that work it, best first: equipment moves first (used only when the person
# listed it), then compound moves that work several groups at once. Rule 17 and the health filters remove
# what does not suit the person, so each list ends with a standing, chair or wall version.
STRENGTH_CHOICES = {
    "legs": ("goblet_squat", "band_squat", "squat", "split_squat", "step_up", "heel_raise"),
    "chest": ("seated_chest_press", "band_chest_press", "push_up", "knee_push_up", "counter_push_up"),
    "back": ("dumbbell_row", "band_row", "bird_dog", "back_extension", "wall_angel"),
    "abdomen": (
        "band_anti_rotation_press",
        "plank",
        "dead_bug",
        "standing_knee_to_elbow",
        "seated_knee_lift",
    ),
    "hips": ("glute_bridge", "side_leg_raise", "step_up"),
    "shoulders": ("overhead_press", "band_pull_apart", "lateral_raise", "wall_angel", "seated_arm_raise"),
    "arms": ("biceps_curl", "band_biceps_curl", "band_triceps_press", "chair_dip"),
}
# Rule 17's people: chair, wall and band versions first.
CAREFUL_STRENGTH_CHOICES = {
    "legs": ("sit_to_stand", "band_squat", "goblet_squat", "squat", "heel_raise", "seated_knee_extension"),
    "chest": ("wall_push_up", "band_chest_press", "seated_chest_press", "counter_push_up"),
    "back": ("band_row", "seated_row_squeeze", "dumbbell_row", "wall_angel"),
    "abdomen": ("seated_twist", "band_anti_rotation_press", "seated_knee_lift", "standing_knee_to_elbow"),
    "hips": ("side_leg_raise", "sit_to_stand"),
    "shoulders": ("band_pull_apart", "seated_arm_raise", "overhead_press", "wall_angel"),
    "arms": ("band_biceps_curl", "biceps_curl", "band_triceps_press", "chair_dip"),
}
# People new to strength (none now, none done yet): the easiest version of each pattern, standing, at a
# wall or on a chair (a wall push-up, sit to stand), whatever rule 17 allows them.
BEGINNER_STRENGTH_CHOICES = {
    "legs": ("sit_to_stand", "squat", "heel_raise", "band_squat", "goblet_squat", "seated_knee_extension"),
    "chest": ("wall_push_up", "counter_push_up", "band_chest_press", "seated_chest_press"),
    "back": ("band_row", "dumbbell_row", "seated_row_squeeze", "wall_angel"),
    "abdomen": ("standing_knee_to_elbow", "seated_knee_lift", "band_anti_rotation_press", "seated_twist"),
    "hips": ("side_leg_raise", "sit_to_stand", "squat"),
    "shoulders": ("wall_angel", "band_pull_apart", "seated_arm_raise", "lateral_raise"),
    "arms": ("band_biceps_curl", "biceps_curl", "band_triceps_press"),
}
# Younger people who chose Pilates (and may work on the floor): Pilates-style core and balance work.
PILATES_ORDER = (
    "dead_bug",
    "bird_dog",
    "glute_bridge",
    "side_leg_raise",
    "one_leg_stand",
    "plank",
    "back_extension",
    "tandem_stance",
)
# Otago's order: a leg-strength move, then a balance move, in turn (docs/evidence.md).
BALANCE_ORDER = (
    "sit_to_stand",
    "tandem_stance",
    "heel_raise",
    "one_leg_stand",
    "side_leg_raise",
    "tandem_walk",
    "toe_raise",
    "sideways_walk",
    "knee_bend",
    "walking_backwards",
    "figure_of_eight_walk",
    "heel_walk",
)
WARM_UP_ORDER = ("march_on_the_spot", "arm_circles", "hip_circles", "shoulder_rolls", "seated_march")
CAREFUL_WARM_UP_ORDER = ("march_on_the_spot", "shoulder_rolls", "arm_circles", "hip_circles", "seated_march")
COOL_DOWN_ORDER = (
    "calf_stretch",
    "chest_stretch",
    "standing_quad_stretch",
    "upper_back_stretch",
    "seated_hamstring_stretch",
)
CAREFUL_COOL_DOWN_ORDER = (
    "calf_stretch",
    "chest_stretch",
    "seated_hamstring_stretch",
    "upper_back_stretch",
    "standing_quad_stretch",
)

EFFORT_STRENGTH = (
    "Work at about 5 to 6 out of 10: the last two or three repetitions of each set feel hard, but you finish "
    "them with good form and keep breathing."
)
EFFORT_CAREFUL = (
    "Keep it at about 5 out of 10 with a light load: you could do a few more repetitions at the end of each "
    "set, and you breathe out on the effort, never holding your breath."
)
EFFORT_FIRST = (
    "A first week: keep it moderate, about 5 to 6 out of 10, with a load you can control; stop each set two "
    "or three repetitions before it gets hard, and keep breathing."
)
EFFORT_BALANCE = (
    "Stand by a kitchen counter or another stable support (never a chair that can move), hold it as much as "
    "you need, and let the leg exercises feel about 5 out of 10."
)
EFFORT_PILATES = (
    "Move slowly and with control, breathing out on the effort: about 5 out of 10, with your back and neck "
    "comfortable throughout."
)


@dataclass(frozen=True, slots=True)
class MoveRules:
    """Which moves suit the person (rules 16 and 17, AHA, ACOG): frozen, so routines can be cached."""

    equipment: frozenset[str]  # what the person listed; "none" and "wall" are always there
    careful: bool  # rule 17: no floor, no high impact; the lighter dose
    no_breath_holds: bool  # heart condition or chest pain: no long isometric holds (AHA)
    no_lying_on_back: bool  # pregnant or recently given birth (ACOG)
    beginner: bool = False  # new to strength: the easiest versions and a first week's effort (ACSM)


def move_rules(profile: Profile) -> MoveRules:
    flags = profile.health_flags
    return MoveRules(
        profile.equipment | {"none", "wall"},
        is_careful(profile),
        bool(flags & {"heart_condition", "chest_pain"}),
        "pregnant" in flags,
        not strength_done_before(profile),
    )


def move_suits(move: moves.Move, rules: MoveRules) -> bool:
    """Rule 16 (only listed equipment, a wall, or none; a move done sitting needs the chair too) and rule 17
    (no floor or high impact for careful people); no breath holds for heart conditions, nothing on the back
    in pregnancy."""
    if move.equipment not in rules.equipment:
        return False
    if moves.needs_chair(move) and "chair" not in rules.equipment:
        return False
    if rules.careful and (move.position == "floor" or move.impact == "high"):
        return False
    if rules.no_breath_holds and move.holds_breath:
        return False
    return not (rules.no_lying_on_back and move.lies_on_back)


def suitable(ids: tuple[str, ...], rules: MoveRules, used: frozenset[str] = frozenset()) -> list[moves.Move]:
    """The moves of `ids` that suit the person, leaving out `used` ids and any second version of a move
    (a pattern already there: a knee push-up after a push-up)."""
    chosen, patterns = [], set()
    for move_id in ids:
        move = moves.BY_ID[move_id]
        if move_id in used or move.pattern in patterns or not move_suits(move, rules):
            continue
        chosen.append(move)
        patterns.add(move.pattern)
    return chosen


def strength_moves(rules: MoveRules, count: int, used: frozenset[str]) -> tuple[list[moves.Move], int]:
    """Rule 16: moves that between them work all seven major muscle groups (a first pass, one move for each
    group not yet worked), then more moves, a group at a time, up to `count`; never two versions of one
    move, nor a move of `used` (the day's other routine). Also returns how many the first pass chose."""
    if rules.careful:
        choices = CAREFUL_STRENGTH_CHOICES
    elif rules.beginner:
        choices = BEGINNER_STRENGTH_CHOICES
    else:
        choices = STRENGTH_CHOICES
    options = {group: suitable(choices[group], rules, used) for group in MUSCLE_ORDER}
    chosen: list[moves.Move] = []
    patterns: set[str] = set()
    worked: set[str] = set()
    for group in MUSCLE_ORDER:
        if group not in worked:
            move = next((m for m in options[group] if m.pattern not in patterns), None)
            if move is None:
                move = next((m for m in options[group] if m not in chosen), None)
            if move is not None:
                chosen.append(move)
                patterns.add(move.pattern)
                worked.update(move.muscle_groups)
    needed = len(chosen)
    for depth in range(1, 6):
        for group in MUSCLE_ORDER:
            if len(chosen) >= count:
                return chosen, needed
            if depth < len(options[group]):
                move = options[group][depth]
                if move.pattern not in patterns:
                    chosen.append(move)
                    patterns.add(move.pattern)
    return chosen, needed


def dose(move: moves.Move, careful: bool) -> dict:
    """One routine entry: ACSM's 8-12 repetitions for most adults, 10-15 at a lighter load for careful people;
    holds, walks and stretches keep their seconds. `sets` count per round; a move done one side at a time
    (`each_side`) has that dose for each side."""
    reps = None
    if move.reps is not None:
        reps = min(max(move.reps + 2, 10), 15) if careful else min(max(move.reps, 8), 12)
    return {
        "id": move.id,
        "name": move.name,
        "muscle_groups": list(move.muscle_groups),
        "position": move.position,
        "impact": move.impact,
        "equipment": move.equipment,
        "sets": 1,
        "reps": reps,
        "seconds": None if reps is not None else move.seconds,
        "each_side": move.each_side,
    }


def set_seconds(move: moves.Move) -> int:
    """A set's time, in seconds: SET_SECONDS for repetitions, a hold's own seconds and getting into position
    for a timed move; a move done one side at a time takes twice as long."""
    work = SET_SECONDS if move.reps is not None else (move.seconds or 0) + POSITION_SECONDS
    return work * (2 if move.each_side else 1)


def rounds_seconds(main: list[moves.Move], rounds: int, rest: int) -> int:
    """The time of a routine's rounds as the session page's guide runs them: each round's sets one after
    another, and the rest between rounds (planner/steps.py, routine_steps)."""
    return rounds * sum(set_seconds(move) for move in main) + (rounds - 1) * rest


def hold_seconds(move: moves.Move) -> int:
    """A warm-up or cool-down entry's time: its seconds, for each side when it is done one side at a time."""
    return (move.seconds or 0) * (2 if move.each_side else 1)


def where_words(main: list[moves.Move]) -> str:
    """Where a routine's moves are done, from its moves: "standing, at a wall and with a chair"."""
    places = []
    positions = {move.position for move in main}
    kit = {move.equipment for move in main}
    if "standing" in positions:
        places.append("standing")
    if "wall" in kit:
        places.append("at a wall")
    if any(moves.needs_chair(move) for move in main):
        places.append("with a chair")
    if "band" in kit:
        places.append("with a band")
    if "weights" in kit:
        places.append("with weights")
    if "floor" in positions:
        places.append("on the floor")
    return places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]


def routine_variant(kind: str, main: list[moves.Move], rules: MoveRules) -> str:
    """The session's `variant`, named from the routine actually built (what it asks, and what it needs)."""
    if kind == "strength":
        reps = "10-15" if rules.careful else "8-12"
        return f"strength exercises {where_words(main)}, {reps} repetitions, every major muscle group"
    if kind == "pilates":
        return "Pilates-style mat exercises for core and balance, lying and kneeling on a mat"
    chair = " and a chair for sit to stand" if any(move.id == "sit_to_stand" for move in main) else ""
    return f"balance and leg strength, standing with a kitchen counter to hold{chair}"


@lru_cache(maxsize=1024)
def routine_template(kind: str, minutes: int, rules: MoveRules, used: frozenset[str] = frozenset()) -> tuple:
    """The routine of a `kind` ("strength", "balance" or "pilates") session of `minutes`, as a tuple (variant,
    rounds, rest_seconds, effort, warm-up entries, moves, cool-down entries) for `routine()` to copy.

    Length: a warm-up and a cool-down (2 moves each under 15 minutes, 3 from 15), then rounds of the moves
    with a rest between rounds, timed as the guide runs them (rounds_seconds: a set of repetitions about
    SET_SECONDS, a hold its seconds and getting into position, twice for a move done one side at a time).
    Rounds: 1 under 15 minutes, 2 under 30, 3 from 30 (ACSM's 1 to 3 sets), and more, up to 3, when the
    time left holds them; as many moves as the time holds, at least those rule 16 needs, at most MOST_MOVES,
    so that the session takes about the minutes it says.

    `used`: the move ids of the day's earlier routine. Then this one is its continuation: no warm-up of its
    own, and none of those moves again (cool-down included)."""
    short = minutes < 15
    warm_order = CAREFUL_WARM_UP_ORDER if rules.careful else WARM_UP_ORDER
    cool_order = CAREFUL_COOL_DOWN_ORDER if rules.careful else COOL_DOWN_ORDER
    warm_up = [] if used else suitable(warm_order, rules)[: 2 if short else 3]
    cool_down = suitable(cool_order, rules, used)[: 2 if short else 3]
    rest = 45 if rules.careful else 30
    rounds = 1 if short else 2 if minutes < 30 else 3
    budget = 60 * minutes - sum(hold_seconds(move) for move in warm_up + cool_down)
    count = min(MOST_MOVES, max(3, (budget - (rounds - 1) * rest) // (rounds * SET_SECONDS)))
    taken = used | {move.id for move in warm_up + cool_down}
    if kind == "strength":
        main, needed = strength_moves(rules, count, taken)
        effort = EFFORT_CAREFUL if rules.careful else EFFORT_FIRST if rules.beginner else EFFORT_STRENGTH
    else:
        order = PILATES_ORDER if kind == "pilates" else BALANCE_ORDER
        # Balance and Pilates moves are mostly short holds: as many as the time holds (the loop below).
        main, needed = suitable(order, rules, taken)[:MOST_MOVES], 3
        effort = EFFORT_PILATES if kind == "pilates" else EFFORT_BALANCE
    while len(main) > max(needed, 3) and rounds_seconds(main, rounds, rest) > budget:
        main.pop()  # moves done one side at a time take longer: fewer of the extra moves fit
    while rounds < 3 and rounds_seconds(main, rounds + 1, rest) <= budget:
        rounds += 1  # short holds, or few moves: another round fills the session
    entries = tuple(tuple(dose(move, rules.careful) for move in part) for part in (warm_up, main, cool_down))
    return (routine_variant(kind, main, rules), rounds, rest, effort, *entries)


def routine(kind: str, minutes: int, rules: MoveRules, used: frozenset[str] = frozenset()) -> dict:
    """The `routine` of docs/planner-interface.md ("Routine"): {"rounds", "rest_seconds", "effort",
    "warm_up", "moves", "cool_down"}, each list of move entries {"id", "name", "muscle_groups", "position",
    "impact", "equipment", "sets", "reps", "seconds", "each_side"}. A fresh copy, so no two plans share a
    list."""
    _, rounds, rest, effort, warm_up, main, cool_down = routine_template(kind, minutes, rules, used)
    return {
        "rounds": rounds,
        "rest_seconds": rest,
        "effort": effort,
        "warm_up": [dict(entry, muscle_groups=list(entry["muscle_groups"])) for entry in warm_up],
        "moves": [dict(entry, muscle_groups=list(entry["muscle_groups"])) for entry in main],
        "cool_down": [dict(entry, muscle_groups=list(entry["muscle_groups"])) for entry in cool_down],
    }


def routine_ids(steps: dict) -> frozenset[str]:
    return frozenset(entry["id"] for part in ("warm_up", "moves", "cool_down") for entry in steps[part])


def intervals(family: str, step_up: int | None, swim: int) -> list[dict]:
    """E: the `intervals` of an aerobic session.

    A harder session while vigorous activity is new (`step_up`, a stage of STEP_UP_STAGES): hard work and
    easy recovery in turn, Couch to 5K's 60 s run / 90 s walk first (hard and easy pedalling, fast and slow
    lengths). Swimming lengths at a steady level: `swim` stage of SWIM_STAGES, then a rest at the wall.
    Each step: {"activity", "seconds", "effort"}, effort "hard", "easy" or "rest"."""
    if step_up is not None:
        hard, easy = STEP_UP_STAGES[step_up]
        return [
            {"activity": family, "seconds": hard, "effort": "hard"},
            {"activity": catalogue.STEP_UP_RECOVERY.get(family, family), "seconds": easy, "effort": "easy"},
        ]
    return [
        {"activity": "swimming", "seconds": SWIM_STAGES[swim], "effort": "easy"},
        {"activity": "rest", "seconds": SWIM_REST_SECONDS, "effort": "rest"},
    ]


# --- The week's layout: which days carry strength and balance, and the room left for aerobic minutes --------


@dataclass(frozen=True, slots=True)
class Layout:
    strength_days: tuple[int, ...]  # best first: a one-day week uses the first
    balance_days: tuple[int, ...]
    strength_minutes: int
    balance_minutes: int
    rooms: tuple[
        int, ...
    ]  # aerobic minutes each weekday can still hold (0 when under SHORTEST_SESSION, rule 18)
    usable: tuple[int, ...]  # the days with room for an aerobic session


def guideline_fits(layout: Layout, capacity: int, older: bool) -> bool:
    """Rule 15: can the person's days and minutes hold the whole guideline?"""
    if len(layout.strength_days) < WHO_STRENGTH_DAYS or capacity < WHO_AEROBIC_MINUTES:
        return False
    return not older or len(layout.balance_days) >= WHO_BALANCE_DAYS


@lru_cache(maxsize=128)
def best_strength_pair(days: tuple[int, ...]) -> tuple[int, int] | None:
    """Rule 7: two strength days never next to each other, as far apart as the week allows. Monday and
    Sunday are avoided as a pair when possible, since Sunday and next Monday are consecutive days."""
    best, best_score = None, None
    for i, a in enumerate(days):
        for b in days[i + 1 :]:
            gap = b - a
            if gap < 2:
                continue
            score = (gap != 6, min(gap, 7 - gap))
            if best_score is None or score > best_score:
                best, best_score = (a, b), score
    return best


def spread(days: tuple[int, ...], count: int) -> tuple[int, ...]:
    """`count` of `days`, evenly spaced through the week."""
    size = len(days)
    return tuple(days[i * size // count] for i in range(count))


@lru_cache(maxsize=1024)
def place_balance(days: tuple[int, ...], strength: tuple[int, ...], count: int) -> tuple[int, ...]:
    """Balance days, away from strength days when there are enough days."""
    free = tuple(day for day in days if day not in strength)
    if len(free) >= count:
        return tuple(sorted(spread(free, count)))
    return tuple(sorted(free + strength[: count - len(free)]))


@lru_cache(maxsize=2048)
def reserved_days(days: tuple[int, ...], strength_count: int, balance_count: int):
    """Strength days, balance days, and for each available day whether it has either."""
    pair = best_strength_pair(days)
    strength = (pair if pair else days[:1])[:strength_count]
    balance = place_balance(days, strength, balance_count) if balance_count else ()
    return strength, balance, tuple((day, day in strength, day in balance) for day in days)


def _rooms(per_day, max_minutes, strength_minutes, balance_minutes) -> list[int] | None:
    rooms = [0] * 7
    for day, has_strength, has_balance in per_day:
        room = max_minutes - strength_minutes * has_strength - balance_minutes * has_balance
        if room < 0:
            return None
        if room >= SHORTEST_SESSION:
            rooms[day] = room
    return rooms


@lru_cache(maxsize=8192)
def plan_layout(days: tuple[int, ...], max_minutes: int, balance_wanted: int, older: bool) -> Layout:
    """The most comfortable strength and balance sessions that still leave room for the guideline's aerobic
    minutes; when the days cannot hold the whole guideline, keep at least half of the time for aerobic.

    The layout depends only on the person's days, minutes and age (not on the week's progress), so the room
    for aerobic minutes stays the same from week to week and a target that grows never has to shrink."""
    strength_most = len(reserved_days(days, WHO_STRENGTH_DAYS, 0)[0])
    balance_most = min(balance_wanted, len(days))

    def layout(strength_count, balance_count, sizes, enough):
        strength, balance, per_day = reserved_days(days, strength_count, balance_count)
        rooms = _rooms(per_day, max_minutes, *sizes)
        if rooms is None or sum(rooms) < enough:
            return None
        usable = tuple(day for day in range(7) if rooms[day])
        return Layout(strength, balance, sizes[0], sizes[1], tuple(rooms), usable)

    if strength_most >= WHO_STRENGTH_DAYS and (not older or balance_most >= WHO_BALANCE_DAYS):
        for balance_count in (balance_most,) if older else (balance_most, 0):
            for sizes in SESSION_SIZES:
                found = layout(WHO_STRENGTH_DAYS, balance_count, sizes, WHO_AEROBIC_MINUTES)
                if found:
                    return found

    # Falls prevention: from 65, a balance session wherever a 10-minute slot exists, before strength days
    # and aerobic room are kept whole (the first pass needs a balance day, the second does not).
    half = (len(days) * max_minutes + 1) // 2
    for least_balance in (1, 0) if older and balance_most else (0,):
        for strength_count in range(strength_most, -1, -1):
            for balance_count in range(balance_most, least_balance - 1, -1):
                for sizes in SESSION_SIZES:
                    found = layout(strength_count, balance_count, sizes, half)
                    if found:
                        return found
    return layout(0, 0, (0, 0), 0)  # not reached: with no strength or balance every minute is room


@lru_cache(maxsize=1024)
def resized_layout(
    days: tuple[int, ...], max_minutes: int, strength_count: int, balance_count: int, sizes: tuple[int, int]
) -> Layout | None:
    """plan_layout's strength and balance days with sessions of other `sizes`; None when a day cannot hold
    them (rule 2)."""
    strength, balance, per_day = reserved_days(days, strength_count, balance_count)
    rooms = _rooms(per_day, max_minutes, *sizes)
    if rooms is None:
        return None
    usable = tuple(day for day in range(7) if rooms[day])
    return Layout(strength, balance, sizes[0], sizes[1], tuple(rooms), usable)


# --- Spreading the aerobic minutes -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """One aerobic session before its length is known; minutes are clock minutes."""

    day: int  # 0 = Monday
    family: str  # rule 3: a preference, or walking
    vigorous: bool  # rules 6 and 19
    low: int  # the shortest it may be (rule 18; a vigorous session 20)
    high: int  # the longest: the day's room (shorter for water with dizziness)
    # Hard and easy parts in turn, counted as moderate (hard_easy_stage): not vigorous, but it takes a
    # vigorous session's place under rule 19 (how many, which days) and lasts 20 minutes or more like one.
    hard_parts: bool = False
    # A session with hard parts (a run/walk too) lasts at most this long (INTERVAL_LONGEST) when the rest of
    # its day can hold a session of its own; None: no limit but `high`.
    longest: int | None = None
    # The rest of the day of a session kept to its `longest`: a continuous moderate session (fill_sessions).
    companion: bool = False
    # The family of that rest of the day; None: the session's own (moderate_family). A lifeguarded swim with
    # dizziness (DIZZY_LONGEST_SWIM) has the exercise bike or a walk, and never runs on past its longest.
    rest_family: str | None = None

    @property
    def weight(self) -> int:
        """Rule 4: a vigorous minute counts twice."""
        return 2 if self.vigorous else 1

    @property
    def key(self) -> int:
        """The slot's key in weighted_fill's shares: its day, or a day of its own for a companion."""
        return self.day + 7 * self.companion

    @property
    def capacity(self) -> int:
        """Moderate-equivalent minutes it holds filled to its day's room: up to `longest` at its weight, the
        rest of the day in a moderate session."""
        if self.longest is None:
            return self.weight * self.high
        return self.weight * self.longest + self.high - self.longest


def make_slot(
    day: int,
    family: str,
    vigorous: bool,
    room: int,
    dizzy: bool,
    hard_parts: bool = False,
    limits: tuple[int, int] | None = None,
    rest_family: str = "walking",
) -> Slot:
    """A slot; `limits` (interval_limits) for a session with hard parts. Its `longest` holds only when the
    day has room for another session after it (rule 18), else it may fill the day. With dizziness a swim
    keeps to DIZZY_LONGEST_SWIM, and a day with room for more has the rest as `rest_family` (the exercise
    bike or a walk): rule 13's minutes are not lost to the cap."""
    high = longest_minutes(family, room, dizzy)
    if dizzy and family == "swimming" and room - DIZZY_LONGEST_SWIM >= SHORTEST_SESSION:
        low = shortest_minutes(family, False)
        return Slot(day, family, False, low, room, longest=DIZZY_LONGEST_SWIM, rest_family=rest_family)
    if limits is None:
        return Slot(day, family, vigorous, shortest_minutes(family, vigorous or hard_parts), high, hard_parts)
    low, longest = limits
    longest = longest if high - longest >= SHORTEST_SESSION else None
    return Slot(day, family, vigorous, low, high, hard_parts, longest)


def moderate_family(family: str, room: int) -> str:
    """The family a moderate session uses: walking stands in for running (vigorous only) and for swimming on a
    day too short for 20 minutes in the water (rule 18)."""
    if family in catalogue.VIGOROUS_ONLY_FAMILIES or room < shortest_minutes(family, False):
        return "walking"
    return family


def assign_families(
    days: tuple[int, ...],
    rooms: tuple[int, ...],
    families: tuple[str, ...],
    vigorous_ok: bool,
    cap: int,
    dizzy: bool,
    hard_easy: frozenset[str] = frozenset(),
    limits: dict[str, tuple[int, int]] | None = None,
) -> list[Slot]:
    """The aerobic sessions on `days` (in week order), the families taking turns (rule 3). A harder session is
    vigorous only when allowed (rule 6), at most `cap` of them, never on consecutive days (rule 19), and only
    where the day has room for a realistic vigorous session. For the families in `hard_easy`, a harder
    session is hard and easy parts in turn, moderate (hard_easy_stage), under the same limits. A harder
    session with hard parts (a family in `limits`, interval_limits) keeps to its shortest and longest."""
    limits = limits or {}
    rest = "cycling" if "cycling" in families else "walking"  # after a short swim with dizziness
    slots = []
    hard_count, last_hard = 0, None
    for index, day in enumerate(days):
        family = families[index % len(families)]
        hard = (
            (family in hard_easy or goes_vigorous(family, vigorous_ok))
            and hard_count < cap
            and (last_hard is None or day - last_hard >= 2)
            and rooms[day] >= limits.get(family, (SHORTEST_VIGOROUS,))[0]
        )
        if hard:
            hard_count, last_hard = hard_count + 1, day
        else:
            family = moderate_family(family, rooms[day])
        hard_parts = hard and family in hard_easy
        slot_limits = limits.get(family) if hard else None
        slots.append(
            make_slot(day, family, hard and not hard_parts, rooms[day], dizzy, hard_parts, slot_limits, rest)
        )
    return slots


def slots_capacity(slots: list[Slot]) -> int:
    """Moderate-equivalent minutes the sessions hold when each fills its day (vigorous counted double)."""
    return sum(slot.capacity for slot in slots)


def aerobic_capacity(
    layout: Layout,
    families,
    vigorous_ok: bool,
    cap: int,
    dizzy: bool,
    hard_easy: frozenset[str],
    limits: dict[str, tuple[int, int]] | None = None,
) -> int:
    """Moderate-equivalent minutes the layout's rooms hold with an aerobic session on every usable day."""
    return slots_capacity(
        assign_families(layout.usable, layout.rooms, families, vigorous_ok, cap, dizzy, hard_easy, limits)
    )


def weighted_fill(total: int, items: list[tuple[int, int, int]]) -> dict[int, int]:
    """Clock minutes per day for `total` moderate-equivalent minutes; items are (cap, weight, day), weight 2
    for a vigorous session. Sessions are as even in length as the caps allow (water filling). The weighted sum
    is `total` when the caps hold it, one minute less when only a vigorous session could take the last one."""
    shares = {}
    left = total
    weight = sum(item[1] for item in items)
    ordered = sorted(items)
    for index, (cap, item_weight, day) in enumerate(ordered):
        level = left // weight
        if cap <= level:
            shares[day] = cap
            left -= item_weight * cap
            weight -= item_weight
            continue
        rest = ordered[index:]
        for _, _, other in rest:
            shares[other] = level
        left -= level * weight
        for _, other_weight, other in sorted(rest, key=lambda item: (item[1], item[2])):
            if left >= other_weight:
                shares[other] += 1
                left -= other_weight
        for other_cap, other_weight, other in rest:  # an odd minute left over: a moderate session takes it
            if left and other_weight == 1 and shares[other] < other_cap:
                shares[other] += left
                left = 0
        break
    return shares


def fill_sessions(total: int, slots: list[Slot]) -> list[tuple[Slot, int]]:
    """Each session with its clock minutes, so that the moderate-equivalent total is `total` or as near
    below it as the sessions allow. A session that would be shorter than its `low` (rule 18) steps down: a
    vigorous one (or one of hard and easy parts) becomes plain moderate, a swim becomes a walk, and a short
    walk makes way for the others.

    A session with hard parts that would pass its `longest` keeps to it, and the rest of its day becomes a
    continuous moderate session of its own, sharing the week's other minutes like any session (its family,
    or walking for running or a day too short for a swim): the companion. When the companion would be too
    short even for a walk (rule 18, only when the other sessions are full), the session fills its day after
    all, passing its longest by less than a session's worth."""
    slots = list(slots)
    kept: list[tuple[Slot, int]] = []  # sessions kept to their longest, out of the sharing
    while slots:
        left = total - sum(slot.weight * minutes for slot, minutes in kept)
        shares = weighted_fill(left, [(slot.high, slot.weight, slot.key) for slot in slots])
        short = [slot for slot in slots if shares[slot.key] < slot.low]
        if not short:
            long = next((slot for slot in slots if slot.longest and shares[slot.key] > slot.longest), None)
            if long is None:
                make_up_odd_minute(left, slots, shares, total)
                return kept + [(slot, shares[slot.key]) for slot in slots]
            slots.remove(long)
            kept.append((long, long.longest))
            slots.append(companion_slot(long.day, long.rest_family or long.family, long.high - long.longest))
            continue
        worst = min(short, key=lambda slot: (shares[slot.key], -slot.key))
        index = slots.index(worst)
        if worst.companion and worst.low <= SHORTEST_SESSION:
            del slots[index]
            session = next(slot for slot, _ in kept if slot.day == worst.day)
            kept = [(slot, minutes) for slot, minutes in kept if slot is not session]
            high = session.longest if session.rest_family else session.high  # a dizzy swim stays short
            slots.append(replace(session, longest=None, high=high))
        elif worst.vigorous or worst.hard_parts:
            family = moderate_family(worst.family, worst.high)
            slots[index] = Slot(worst.day, family, False, shortest_minutes(family, False), worst.high)
        elif worst.low > SHORTEST_SESSION:
            slots[index] = replace(worst, family="walking", low=SHORTEST_SESSION)
        else:
            del slots[index]
    return kept


def companion_slot(day: int, family: str, room: int) -> Slot:
    """The rest of the day of a session kept to its longest: its family (walking for running, or for a swim
    on too little room), moderate, continuous."""
    family = moderate_family(family, room)
    return Slot(day, family, False, shortest_minutes(family, False), room, companion=True)


def make_up_odd_minute(
    total: int, slots: list[Slot], shares: dict[int, int], week: int | None = None
) -> None:
    """Rules 11 and 15: weighted_fill leaves the total one minute short when only a vigorous session had room
    for the last (odd) minute. Make it up: a vigorous minute more and a moderate one less gives exactly
    `total`; with no moderate minute to spare, a vigorous minute more rounds up to `total` + 1, unless that
    would pass the top of the WHO range (rule 9) for the whole `week` (default `total`: `slots` may share
    only what the sessions kept out of them left)."""
    held = sum(slot.weight * shares[slot.key] for slot in slots)
    if held != total - 1:
        return
    longer = next((s for s in slots if s.vigorous and shares[s.key] < min(s.high, s.longest or s.high)), None)
    if longer is None:
        return
    shorter = next((s for s in slots if not s.vigorous and shares[s.key] > s.low), None)
    if shorter is not None:
        shares[shorter.key] -= 1
    elif (total if week is None else week) >= WHO_AEROBIC_UPPER:
        return
    shares[longer.key] += 1


def aerobic_day_count(minutes: int, usable: int, vigorous: bool) -> int:
    """Three or more days where there are, in sessions of about 30 clock minutes (45 moderate-equivalent
    when some can be vigorous) and at least 10."""
    if minutes < 2 * COMFORTABLE_SESSION:
        return min(1, usable)
    per_session = USUAL_SESSION * 3 // 2 if vigorous else USUAL_SESSION
    wanted = max(3, -(-minutes // per_session))
    return min(wanted, minutes // COMFORTABLE_SESSION, usable)


@lru_cache(maxsize=4096)
def roomiest_days(usable: tuple[int, ...], rooms: tuple[int, ...], count: int) -> tuple[int, ...]:
    """`count` days with the most room (days without strength or balance first), spread through the week."""
    if count >= len(usable):
        return usable
    chosen: list[int] = []
    for room in sorted({rooms[day] for day in usable}, reverse=True):
        group = tuple(day for day in usable if rooms[day] == room)
        wanted = count - len(chosen)
        chosen.extend(group if len(group) <= wanted else spread(group, wanted))
        if len(chosen) == count:
            break
    return tuple(sorted(chosen))


def choose_aerobic_days(
    minutes: int,
    layout: Layout,
    families: tuple[str, ...],
    vigorous_ok: bool,
    cap: int,
    dizzy: bool,
    hard_easy: frozenset[str] = frozenset(),
    limits: dict[str, tuple[int, int]] | None = None,
) -> list[tuple[Slot, int]]:
    """The aerobic sessions with their clock minutes (fill_sessions): days spread through the week, each with
    its family in turn, more days if the chosen ones cannot hold the minutes. Their capacity counts a
    vigorous session filling its day, but one too short to stay vigorous steps down and holds half as much
    (a 21-minute day's hike shared down to 12 minutes is a moderate one), so the filled sessions decide."""
    rooms, usable = layout.rooms, layout.usable
    vigorous = any(goes_vigorous(family, vigorous_ok) and family not in hard_easy for family in families)
    count = aerobic_day_count(minutes, len(usable), vigorous)
    while True:
        chosen = roomiest_days(usable, rooms, count) if count else ()
        slots = assign_families(chosen, rooms, families, vigorous_ok, cap, dizzy, hard_easy, limits)
        if slots_capacity(slots) >= minutes or count >= len(usable):
            filled = fill_sessions(minutes, slots)
            if count >= len(usable) or sum(slot.weight * share for slot, share in filled) >= minutes:
                return filled
        count += 1


# --- Words for the person ----------------------------------------------------------------------------------


def room_words(sessions: list[dict], strength_waits: bool = False) -> str:
    """What takes room on the person's days besides the aerobic sessions, as the end of a sentence; with
    `strength_waits`, the time kept free for a second strength day still to come (STRENGTH_WAITS_NOTE)."""
    categories = {session["category"] for session in sessions}
    if {"strength", "balance"} <= categories:
        what = "the strength and balance sessions"
    elif "strength" in categories:
        what = "the strength sessions"
    elif "balance" in categories:
        what = "the balance sessions"
    else:
        what = ""
    if strength_waits:
        what = f"{what} and a second strength day to come" if what else "a second strength day to come"
    return f" once {what} have their time" if what else ""


HOLDING_REASONS = ("increase", "hold", "hold_intensity")  # hold_gentle counts clock time


def week_aim_note(
    aim: "WeekTarget",
    minutes: int,
    plan: dict,
    last: HistoryWeek | None,
    profile: Profile,
    strength_waits: bool = False,
) -> str:
    """The first note: the week's aim (`minutes`, the plan's target) and its real reason, in words that agree
    with the plan's own numbers (rule 15: a note never claims more than the plan holds, nor a rise that is a
    fall). When the days cannot hold what progress asks for, it says so instead of naming the usual reason."""
    held = plan["totals"]["aerobic_moderate_equivalent_minutes"]
    after = room_words(plan["sessions"], strength_waits)
    asked = min(max(aim.wanted, aim.floor), WHO_AEROBIC_UPPER)
    limited = minutes < asked and aim.reason != "step_back"
    planned = last.planned_minutes if last is not None else None
    if aim.reason == "active" and not WHO_AEROBIC_MINUTES <= min(minutes, held) <= WHO_AEROBIC_UPPER:
        limited = True
    holding = planned is not None and aim.reason in HOLDING_REASONS
    if holding and minutes == WHO_AEROBIC_UPPER <= planned:
        than = "like last week" if minutes == planned else f"fewer than the {planned} planned last week"
        verb = "keeps to" if minutes == planned else "has"
        return (
            f"This week {verb} {minutes} minutes, {than}: the top of the WHO range of 150 to 300, which the "
            "plan never goes beyond."
        )
    if holding and minutes < planned and not limited and profile.prefers_gentle:
        return (  # a gentle week counts last week in clock time (next_week_minutes)
            f"This week has {minutes} minutes, fewer than the {planned} planned last week: a gentle week has "
            "no vigorous minutes, and last week's counted twice."
        )
    if holding and minutes == planned and not limited and aim.reason == "increase":
        # A gentle week kept at last week's target (rule 13): its vigorous minutes become gentle ones.
        return f"This week keeps to {minutes} minutes, like last week, all of them at a gentle pace."
    if holding and (limited or minutes < planned or (aim.reason == "increase" and minutes <= planned)):
        if minutes < planned:
            return (
                f"This week has {minutes} minutes, fewer than the {planned} planned last week: that is as "
                f"many as your available days hold{after}."
            )
        if minutes == planned:
            return (
                f"This week keeps to {minutes} minutes, like last week: that is as many as your available "
                f"days hold{after}."
            )
        return (
            f"Last week went well, so this week adds a little: {minutes} minutes, from {planned} planned "
            f"last week, as many as your available days hold{after}."
        )
    if (
        planned is not None
        and aim.reason in HOLDING_REASONS
        and aim.reason != "increase"
        and minutes > planned
    ):
        return (
            f"This week has {minutes} minutes, a little more than the {planned} planned last week: some "
            "activity is better than none, and this is the least the plan offers when your days have room."
        )
    if limited and aim.reason in ("active", "build_on_current", "clock_current"):
        now = profile.current_minutes_per_week
        return (
            f"This week's plan has {minutes} minutes, as many as your available days hold{after}; you do "
            f"about {now} a week now."
        )
    if aim.reason == "step_back" and planned is not None and minutes > planned:
        note = (
            f"Last week was a lighter one, and that is fine: this week has {minutes} minutes, a small amount "
            "so that getting going again is easy."
        )
    elif aim.reason == "increase":
        since = (
            f", from {planned} planned last week" if planned else ""
        )  # rule 20: no note names a week of 0 minutes
        note = f"Last week went well, so this week adds a little: {minutes} minutes{since}."
    else:
        note = target_note(aim.reason, minutes, profile, plan["sessions"])
    if aim.scheduled > aim.target and held > minutes:
        note += f" Your sessions hold {held} minutes, so that you stay at the WHO guideline you already meet."
    return note


def target_note(reason: str, minutes: int, profile: Profile, sessions: list[dict]) -> str:
    """The week's aim and its real reason (F: a note never claims a reason that did not happen), for a week
    of these `sessions`."""
    if reason == "start":
        week = "This week" if profile.history else "This first week"  # after a week planned with nothing
        return (
            f"{week} starts small, with {minutes} minutes of easy activity: some activity is better "
            "than none, and small steps are easier to keep."
        )
    if reason == "build_on_current":
        return f"This week's {minutes} minutes build gently on what you already do."
    if reason == "clock_current":
        return (
            f"This week's {minutes} minutes take no more time than you already spend being active: its "
            "sessions count as moderate, so each minute counts once."
        )
    if reason == "active":
        return (
            f"You are already active: this week's {minutes} minutes keep you in the WHO range of 150 to 300."
        )
    if reason == "hold_gentle":
        if profile.gentle_reason == "checkin":
            return (
                f"Your check-in said things are hard at the moment, so this is a gentle week: {minutes} "
                "minutes, no more time than last week."
            )
        return f"You asked for a gentle week: it keeps to {minutes} minutes, no more time than last week."
    if reason == "hold_intensity" and any(s["intensity"] == "vigorous" for s in sessions):
        return (
            f"This week keeps to {minutes} minutes, like last week, because some sessions step up to "
            "vigorous: one change at a time."
        )
    if reason == "hold_intensity" and any(has_effort(s, "hard") for s in sessions):
        return (
            f"This week keeps to {minutes} minutes, like last week, because some sessions have harder parts: "
            "one change at a time."
        )
    if reason in ("hold", "hold_intensity"):
        return f"This week keeps to {minutes} minutes, like last week, so they can settle into your routine."
    return (
        f"Last week was a lighter one, and that is fine: this week eases back to {minutes} minutes so that "
        "getting going again is easy."
    )


def missing_note(totals: dict, older: bool) -> str:
    """Rule 15: say what the week is short of, against the guideline."""
    aerobic, strength, balance = (
        totals["aerobic_moderate_equivalent_minutes"],
        totals["strength_days"],
        totals["balance_days"],
    )
    missing = []
    if aerobic < WHO_AEROBIC_MINUTES:
        if aerobic:
            missing.append(f"{aerobic} of the {WHO_AEROBIC_MINUTES} moderate aerobic minutes")
        else:
            missing.append(f"none yet of the {WHO_AEROBIC_MINUTES} moderate aerobic minutes")
    if strength < WHO_STRENGTH_DAYS:
        missing.append(f"strength on {strength} of the {WHO_STRENGTH_DAYS} days")
    if older and balance < WHO_BALANCE_DAYS:
        missing.append(f"balance on {balance} of the {WHO_BALANCE_DAYS} days")
    guideline = "150 minutes of moderate aerobic activity and strength on 2 days a week"
    if older:
        guideline += ", with balance on 3 days from 65"
    has = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"This week does not yet meet the WHO guideline ({guideline}): it has {has}."


def no_room_note(profile: Profile, layout: Layout, capacity: int, strength_waits: bool = False) -> str:
    """Rule 15: what the person's days cannot hold, in their real terms (F: a note is true): days that are
    next to each other, too few days, or the aerobic minutes left once strength and balance have their
    time."""
    days = len(profile.available_days)
    older = is_older_adult(profile.age)
    what = []
    if best_strength_pair(profile.available_days) is None:
        what.append("strength on 2 days needs two days that are not next to each other")
    if older and days < WHO_BALANCE_DAYS:
        what.append("balance needs 3 days")
    if not what:
        time = f"{days} {'day' if days == 1 else 'days'} of {profile.max_minutes_per_day} minutes"
        short = []
        if len(layout.strength_days) < WHO_STRENGTH_DAYS:
            short.append("strength on 2 days")
        if older and len(layout.balance_days) < WHO_BALANCE_DAYS:
            short.append("balance on 3 days")
        if short:
            what.append(f"{' and '.join(short)} and 150 aerobic minutes need more time than {time} hold")
        else:
            sessions = "strength and balance sessions" if layout.balance_days else "strength sessions"
            if strength_waits:
                sessions += " (a second strength day's time included, kept free for when it comes)"
            what.append(
                f"after the {sessions}, {time} leave room for {capacity} of the {WHO_AEROBIC_MINUTES} "
                "aerobic minutes"
            )
    return (
        f"Your available time cannot hold the whole guideline yet: {'; '.join(what)}. Adding a day or a few "
        "minutes a day would let the plan reach it; until then, every session still counts."
    )


BUILDING_NOTE = "The plan builds towards the guideline a step at a time, as the weeks go well."
PROFESSIONAL_NOTE = (
    "You answered yes to a health question, so please talk to a doctor or a qualified exercise professional "
    "about this plan."
)
PROFESSIONAL_CLEARED_NOTE = (
    "You answered yes to a health question, and a doctor or qualified exercise professional has cleared you "
    "to be more active: keep talking to them as the plan builds up."
)
# What a health answer does to intensity (rule 6), said after the professional note.
MODERATE_WHILE_FLAGGED = " While a health answer stands, the plan stays at light and moderate intensity."
NOT_WHOLLY_VIGOROUS_WHILE_FLAGGED = " While a health answer stands, no session is wholly vigorous."
STOP_NOTE = (
    "Stop and get help if you feel chest pain or pressure, severe breathlessness, dizziness or faintness, "
    "or a racing or irregular heartbeat."
)
CONDITION_NOTE = (
    "A long-term condition or its medication (depression and antidepressants included) does not stop you "
    "being active: it only keeps the plan moderate."
)
HEART_RATE_NOTE = (
    "If a medicine slows your heart (beta-blockers, for example), heart rate is no guide: use the talk test."
)
HEART_WHY = {
    "heart_condition": "With a heart condition or high blood pressure",
    "chest_pain": "Because you answered yes about chest pain",
    "both": "With a heart condition or high blood pressure, and your answer about chest pain",
}
HEART_ADVICE = (
    "lift lighter for more repetitions, breathe out on the effort and never hold your breath: the routines "
    "leave out long holds such as planks."
)


def heart_note(flags: frozenset[str]) -> str:
    """AHA: the breathing advice, worded for what the person answered (F: a note is true)."""
    both = {"heart_condition", "chest_pain"} <= flags
    why = HEART_WHY["both" if both else "heart_condition" if "heart_condition" in flags else "chest_pain"]
    return f"{why}, {HEART_ADVICE}"


YOGA_GENTLE_NOTE = (
    "Your yoga is a gentle standing and chair form, with no floor, plank or lying poses (a sun salutation "
    "has all three). It is light activity, so it does not count toward the week's active minutes: your "
    "other sessions hold those."
)
PILATES_STANDING_NOTE = (
    "Mat Pilates is done lying and kneeling on the floor, so your Pilates day is a standing balance and "
    "leg-strength routine instead, with a kitchen counter to hold."
)
SUPERVISED_NOTE = (
    "A doctor has said you should only be active under medical supervision, so Steady does not plan sessions "
    "for you: please ask your doctor or care team about a supervised exercise programme."
)
PREGNANT_NOTE = (
    "While you are pregnant, or in the months after giving birth, the plan stays moderate, with strength "
    "work as the WHO advises and nothing done lying flat on your back: you should be able to talk "
    "comfortably throughout, and your midwife or doctor can say what suits you."
)
# WHO 2020 and ACOG: women regularly doing vigorous activity before pregnancy can usually keep it up, in
# pregnancy and after the birth. Rule 6 allows no vigorous session with a health answer, so the plan keeps
# her running, cycling or swimming as hard and easy parts in turn, counted as moderate
# (keeps_hard_parts_in_pregnancy); other vigorous activity it cannot plan, and the note says so plainly.
PREGNANT_KEEPS_NOTE = (
    "While you are pregnant, or in the months after giving birth, the plan keeps strength work as the WHO "
    "advises and nothing done lying flat on your back. You already do vigorous activity, and the WHO and "
    "obstetricians' guidance (ACOG) say that women who were regularly active at that level before "
    "pregnancy can usually keep it up, if their midwife or doctor agrees; so your harder sessions keep "
    "their hard parts. Wholly vigorous sessions are not planned while a health answer stands; if you do "
    "them, log them and each vigorous minute counts as two. Ease off if you feel too hot, short of breath "
    "before you start, or unwell."
)
PREGNANT_VIGOROUS_NOTE = (
    "You already do vigorous activity. The WHO and obstetricians' guidance (ACOG) say that women who were "
    "regularly active at that level before pregnancy can usually keep it up, if their midwife or doctor "
    "agrees. Steady's plan stays moderate while a health answer stands, so it cannot plan those sessions for "
    "you; if you keep them up, log them and they count toward your week, each vigorous minute as two."
)
PREGNANT_GENTLE_NOTE = (
    "You already do vigorous activity, and the WHO and obstetricians' guidance (ACOG) say that women who "
    "were regularly active at that level before pregnancy can usually keep it up, if their midwife or doctor "
    "agrees. While your plan is a gentle one it has no hard parts; they come back with your usual plan."
)
HELD_NOTE = (
    "Because you answered yes about chest pain, or about dizziness or fainting, the plan stays light to "
    "moderate and builds up in smaller steps than usual. A doctor or qualified exercise professional can "
    "clear you to do more; once they have, say so in your profile and the plan will build up at the usual "
    "pace."
)
CLEARED_NOTE = (
    "Since you have been cleared after your answer about chest pain, or about dizziness or fainting, the "
    "plan builds up at the usual pace, step by step, still at light and moderate intensity."
)
DIZZY_WALKING_NOTE = (
    "Because of the dizziness or fainting, an exercise bike or a pool with a lifeguard on duty is the safest "
    "choice: add cycling or swimming to your preferences and the plan will use them. Until then, walk with "
    "someone, on a familiar route."
)
GENTLE_NOTE = "You asked for gentle activity, so nothing in this plan is strenuous."
CHECKIN_NOTE = (
    "After your check-in, this week is a gentle one: nothing strenuous, and no more time than before. Gentle "
    "weeks count too."
)
TALK_TEST_NOTE = "Moderate means you can talk but not sing during the activity."
VIGOROUS_TALK_TEST_NOTE = (
    "Moderate means you can talk but not sing; vigorous means only a few words before you need a breath. "
    "The WHO counts each vigorous minute as two moderate ones, so the week's minutes count your vigorous "
    "sessions twice."
)
RUNNING_WHY = {
    "flag": "while you have answered yes to a health question",
    "asked": "while you have asked for gentle activity",
    "checkin": "while your check-in asks for a gentler week",
    "new": "once you are regularly active",
}
BALANCE_NOTE = (
    "Your balance sessions train balance and leg strength together, standing with a kitchen counter to hold; "
    "they count toward the WHO's balance activity on 3 days a week from 65, which helps prevent falls."
)
STRENGTH_WAITS_NOTE = (
    "Strength starts with one day this week; a second one comes in the week after you have done a first, "
    "and its time is kept free for it, so your other minutes need not shrink when it comes."
)
SWIM_NOTE = (
    "Your swims are lengths with a short rest at the wall between them; the swimming parts grow as the weeks "
    "go well."
)


def has_effort(session: dict, effort: str) -> bool:
    """Has the session an interval step of this effort ("hard", "easy" or "rest")?"""
    return any(step["effort"] == effort for step in session.get("intervals", ()))


# What a week's sessions with hard parts are, for the person: "runs", "rides", "swims".
HARD_PART_SESSIONS = {"running": "runs", "cycling": "rides", "swimming": "swims"}


def span_words(seconds: int) -> str:
    """An interval's length as Couch to 5K says it: "90 seconds", "3 minutes"."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


def step_up_note(sessions: list[dict], week: list[dict] | None = None, pregnancy: bool = False) -> str:
    """E, and notes are true: the week's sessions with hard parts (Couch to 5K's shape), their pattern between
    a warm-up and a cool-down, that a day with more room has an easier session too when `week` (all the
    week's sessions) has one beside them, and for those counted as moderate, why they count once. In
    `pregnancy` (keeps_hard_parts_in_pregnancy) the hard parts keep a vigorous habit and do not grow."""
    patterns: dict[str, list[str]] = {}  # "60 seconds hard, then 90 seconds easy": ["runs", "rides"]
    for session in sessions:
        steps = session["intervals"]
        whats = patterns.setdefault(
            f"{span_words(steps[0]['seconds'])} hard, then {span_words(steps[1]['seconds'])} easy", []
        )
        what = HARD_PART_SESSIONS.get(session["activity"], "sessions")
        if what not in whats:
            whats.append(what)
    if len(patterns) == 1:
        pattern = next(iter(patterns))
    else:
        pattern = "; ".join(f"your {' and '.join(whats)} {words}" for words, whats in patterns.items())
    warm_up = catalogue.INTERVAL_WARM_UP_SECONDS // 60
    if pregnancy:
        note = (
            f"Your harder sessions keep their hard parts, with easy ones between: {pattern}, repeated, "
            f"between a {warm_up}-minute warm-up and an easy cool-down; harder days are never back to back."
        )
    else:
        note = (
            f"Harder sessions start as intervals, the way Couch to 5K does: {pattern}, repeated, between a "
            f"{warm_up}-minute warm-up and an easy cool-down; the hard parts grow as the weeks go well, and "
            "harder days are never back to back."
        )
    dates = {session["date"] for session in sessions}
    if any(s["category"] == "aerobic" and s["date"] in dates and s not in sessions for s in week or ()):
        note += (
            " While the hard parts are new these sessions stay short, so a day with more time has an easier "
            "session of its own as well."
        )
    moderate = [s["activity"] for s in sessions if s["intensity"] != "vigorous"]
    if moderate:
        whats = " and ".join(dict.fromkeys(HARD_PART_SESSIONS.get(family, "sessions") for family in moderate))
        counted = (
            f"{whats} count as moderate minutes, once: the easy parts bring the average down, and the plan "
            "never counts more than you do."
        )
        note += f" Your {counted}" if pregnancy else f" Until the whole session is hard, your {counted}"
    return note


def running_note(profile: Profile) -> str:
    if profile.health_flags and not pregnancy_allows_hard_parts(profile):
        why = RUNNING_WHY["flag"]
    elif profile.prefers_gentle:
        why = RUNNING_WHY[profile.gentle_reason]
    else:
        why = RUNNING_WHY["new"]
    if why == RUNNING_WHY["new"] and older_first_week(profile) and is_already_active(profile):
        return (
            "Running is a vigorous activity, and a first week from 65 starts moderate, so walking stands in "
            "for it this week; run/walk sessions can come in from next week."
        )
    if why == RUNNING_WHY["new"]:
        return f"Running is a vigorous activity, so walking stands in for it for now; it can come in {why}."
    return f"Running is a vigorous activity, so walking stands in for it {why}."


def dizzy_note(profile: Profile, sessions: list[dict] | None) -> str:
    """G, and notes are true: the dizziness note describes the aerobic sessions actually planned (an
    exercise bike, a lifeguarded pool, and a walk on a day too short for a swim), not only the ones chosen."""
    chosen = [family for family in ("cycling", "swimming") if family in profile.preferences]
    if not chosen:
        return DIZZY_WALKING_NOTE
    aerobic = {s["activity"] for s in sessions or () if s["category"] == "aerobic"}
    planned = [family for family in chosen if family in aerobic]
    where = " and ".join(("your " if planned else "") + DIZZY_WHERE[family] for family in planned or chosen)
    note = f"Because of the dizziness or fainting, {where}, not on the road or in open water."
    walks = {s["date"] for s in sessions or () if s["activity"] == "walking" and s["category"] == "aerobic"}
    swims = {s["date"] for s in sessions or () if s["activity"] == "swimming"}
    where = [
        words
        for words, found in ((DIZZY_WALK_SHORT_DAY, walks - swims), (DIZZY_WALK_AFTER, walks & swims))
        if found
    ]
    if where:
        note += f" A walk fills {' and '.join(where)}: walk with someone, on a familiar route."
    return note


DIZZY_WALK_SHORT_DAY = "a day too short for a 20-minute swim"
DIZZY_WALK_AFTER = "the rest of a day after a swim"
DIZZY_WHERE = {
    "cycling": "rides are on an exercise bike",
    "swimming": "swims are in a pool with a lifeguard on duty and stay short",
}


def safety_notes(profile: Profile, sessions: list[dict] | None = None) -> list[str]:
    """Rule 6 and G: the professional, the stop-and-get-help note, and the notes of each flag."""
    if not needs_professional_advice(profile):
        return []
    flags = profile.health_flags
    cleared = profile.cleared_by_professional and bool(flags & {"chest_pain", "dizziness"})
    keeps_hard_parts = keeps_hard_parts_in_pregnancy(profile) and any(
        has_effort(s, "hard") for s in sessions or ()
    )
    intensity = NOT_WHOLLY_VIGOROUS_WHILE_FLAGGED if keeps_hard_parts else MODERATE_WHILE_FLAGGED
    notes = [(PROFESSIONAL_CLEARED_NOTE if cleared else PROFESSIONAL_NOTE) + intensity, STOP_NOTE]
    if "supervised_only" in flags:
        notes.append(SUPERVISED_NOTE)
        return notes
    if flags & {"chest_pain", "dizziness"}:
        notes.append(CLEARED_NOTE if profile.cleared_by_professional else HELD_NOTE)
    if "dizziness" in flags:
        notes.append(dizzy_note(profile, sessions))
    if flags & {"heart_condition", "chest_pain"}:
        notes.append(heart_note(flags))
    if flags & {"chronic_condition", "medication"}:
        notes.append(CONDITION_NOTE)
    if flags & {"medication", "heart_condition"}:
        notes.append(HEART_RATE_NOTE)
    if "pregnant" in flags:
        if keeps_hard_parts:
            notes.append(PREGNANT_KEEPS_NOTE)
        else:
            notes.append(PREGNANT_NOTE)
            if pregnancy_allows_hard_parts(profile) and profile.prefers_gentle:
                notes.append(PREGNANT_GENTLE_NOTE)
            elif has_vigorous_habit(profile) or profile.current_vigorous_minutes > 0:
                notes.append(PREGNANT_VIGOROUS_NOTE)
    return notes


# --- The plan ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def week_dates(monday: datetime.date) -> tuple[str, ...]:
    return tuple((monday + datetime.timedelta(days=day)).isoformat() for day in range(7))


def _session(date_text, weekday, activity: catalogue.Activity, minutes: int) -> dict:
    return {
        "date": date_text,
        "weekday": weekday,
        "activity": activity.family,
        "variant": activity.variant,
        "compendium_code": activity.compendium_code,
        "category": activity.category,
        "intensity": activity.intensity,
        "minutes": minutes,
        "met": activity.met,
        "why": activity.mood,
    }


def _totals(sessions: list[dict]) -> dict:
    aerobic = 0
    strength_dates, balance_dates = set(), set()
    for session in sessions:
        category = session["category"]
        if category == "aerobic":
            aerobic += moderate_equivalent(category, session["intensity"], session["minutes"])
        elif category == "strength":
            strength_dates.add(session["date"])
        elif category == "balance":
            balance_dates.add(session["date"])
    return {
        "aerobic_moderate_equivalent_minutes": aerobic,
        "strength_days": len(strength_dates),
        "balance_days": len(balance_dates),
    }


def plan_result(week_text: str, sessions: list[dict], aim_minutes: int, age: int) -> dict:
    """The plan dict of docs/planner-interface.md ("Plan (output)") for `sessions`, the week that starts on
    `week_text` ("YYYY-MM-DD", a Monday), for a person of `age` years.

    `totals` are counted from the sessions (rule 4) and `meets_who_guideline` from the totals (rule 8). The
    `target` aims for `aim_minutes` moderate-equivalent aerobic minutes, cut to what the sessions hold
    (rule 15: a plan never claims more than it holds), and for the strength and balance days the sessions
    have. `notes` starts empty: the notes are written from these counts, so the caller fills them in.
    """
    totals = _totals(sessions)
    aerobic = totals["aerobic_moderate_equivalent_minutes"]
    strength, balance = totals["strength_days"], totals["balance_days"]
    return {
        "week_start": week_text,
        "sessions": sessions,
        "totals": totals,
        "target": {
            "aerobic_moderate_equivalent_minutes": min(aerobic, aim_minutes),
            "strength_days": strength,
            "balance_days": balance,
        },
        "meets_who_guideline": meets_who_guideline(aerobic, strength, balance, age),
        "notes": [],
    }


@dataclass(frozen=True, slots=True)
class WeekTarget:
    """The week's aerobic aim; every figure is in moderate-equivalent minutes."""

    wanted: int  # what the person's progress asks for, before any limit (next_week_minutes)
    reason: str  # why: see next_week_minutes, and "hold_intensity" (week_target)
    floor: int  # WHO_AEROBIC_MINUTES when the plan must meet the guideline now (rules 10 and 11), else 0
    target: int  # what the week aims for: the plan's target and the first note
    scheduled: int  # what the sessions hold: the target, raised to the floor in a week that eases back
    capacity: int  # the most the layout's rooms hold, vigorous sessions counted double


def week_target(profile: Profile, layout: Layout, families: tuple[str, ...], vigorous_ok: bool) -> WeekTarget:
    """How many aerobic minutes this week aims for and schedules (docs/planner-interface.md, rules 9 to 15,
    19 and 20).

    Progress sets the wanted minutes: start small (rule 12), add a little after a week that went well (rule
    13), ease back after a week barely done (rule 14, which has the last word on the target). A week that
    brings vigorous sessions in for the first time holds the minutes (one change at a time). Someone already
    active keeps the guideline's 150 minutes (rules 10 and 11). Nothing goes above 300 (rule 9) or above what
    the layout's days hold (rule 15), and nothing below 30 minutes when the days hold them (rule 20).
    """
    cap = vigorous_session_cap(profile)
    hard_easy = hard_easy_families(profile, vigorous_ok)
    limits = interval_limits(profile, vigorous_ok)
    capacity = aerobic_capacity(layout, families, vigorous_ok, cap, is_dizzy(profile), hard_easy, limits)
    wanted, reason = next_week_minutes(profile)
    brings_vigorous = vigorous_ok and any(goes_vigorous(family, True) for family in families)
    if reason == "increase" and brings_vigorous and not has_vigorous_habit(profile):
        wanted, reason = profile.history[-1].planned_minutes, "hold_intensity"
    # Rule 13: after weeks done in full the target never goes down, even for a gentle week counted in clock
    # time (a week of vigorous minutes, counted twice, becomes moderate time that counts once).
    wanted = max(wanted, target_kept(profile))
    floor = WHO_AEROBIC_MINUTES if must_meet_guideline_now(profile) else 0
    target = min(max(wanted, floor), WHO_AEROBIC_UPPER, capacity)
    if reason == "step_back":
        target = min(target, profile.history[-1].planned_minutes)  # rule 14 has the last word on the target
    target = max(target, min(SOME_IS_BETTER_MINUTES, capacity))  # rule 20: some is better than none
    # Rule 10: someone already active keeps the guideline's minutes even in a week the target eases back.
    scheduled = min(max(target, floor), WHO_AEROBIC_UPPER, capacity)
    return WeekTarget(wanted, reason, floor, target, scheduled, capacity)


def target_kept(profile: Profile) -> int:
    """Rule 13: while every earlier week was completed in full, the weekly target never goes down, so this
    week keeps last week's planned minutes (at most 300, rule 9). 0 when rule 13 does not apply, and in a
    gentle week after a low check-in, which holds or lowers the clock time (docs/planner-interface.md)."""
    history = profile.history
    if not history or any(week.completed_minutes < week.planned_minutes for week in history):
        return 0
    if profile.prefers_gentle and profile.gentle_reason == "checkin":
        return 0
    return min(history[-1].planned_minutes, WHO_AEROBIC_UPPER)


def roomier_layout(
    profile: Profile, layout: Layout, aim: WeekTarget, keep: int, families: tuple[str, ...], vigorous_ok: bool
) -> tuple[Layout, WeekTarget]:
    """Rule 13 on days that can no longer hold last week's target once strength and balance have their time
    (their sessions came in, or the days changed): the same strength and balance days with shorter sessions
    (never under rule 18's 10 minutes), the first sizes that keep `keep` aerobic minutes. When none does, the
    layout stays as it was and the first note says why the week has fewer minutes."""
    current = (layout.strength_minutes, layout.balance_minutes)
    for sizes in SESSION_SIZES:
        if sizes[0] > current[0] or sizes[1] > current[1] or sizes == current:
            continue
        smaller = resized_layout(
            profile.available_days,
            profile.max_minutes_per_day,
            len(layout.strength_days),
            len(layout.balance_days),
            sizes,
        )
        if smaller is None:
            continue
        roomier = week_target(profile, smaller, families, vigorous_ok)
        if roomier.target >= keep:
            return smaller, roomier
    return layout, aim


def aerobic_session(date_text, weekday, slot: Slot, minutes: int, level: str, profile: Profile) -> dict:
    """One aerobic session dict: the family's row for its level (vigorous, a step-up row with intervals
    while vigorous activity is new, the exercise bike and a lifeguarded pool with dizziness)."""
    family = slot.family
    levels = catalogue.AEROBIC_LEVELS[family]
    steps = None
    if slot.hard_parts:  # hard and easy parts in turn, counted as moderate
        activity = catalogue.BY_ID[catalogue.STEP_UP_INTERVALS[family][0]]
        steps = intervals(family, hard_easy_stage(profile), 0)
    elif slot.vigorous:
        activity = catalogue.BY_ID[levels["vigorous"]]
    else:
        dizzy = is_dizzy(profile)
        activity = catalogue.BY_ID[
            catalogue.DIZZY_CYCLING[level] if dizzy and family == "cycling" else levels[level]
        ]
        if family == "swimming" and level == "steady":
            steps = intervals(family, None, swim_stage(profile))
    session = _session(date_text, weekday, activity, minutes)
    if family == "swimming" and is_dizzy(profile):
        session["variant"] += ", in a pool with a lifeguard on duty"
    if steps:
        session["intervals"] = steps
    return session


def place_sessions(
    profile: Profile, layout: Layout, families: tuple[str, ...], vigorous_ok: bool, scheduled: int
) -> list[dict]:
    """The week's sessions in date order (on one day: aerobic, then strength, then balance), as the session
    dicts of docs/planner-interface.md ("Plan (output)"); each session's `minutes` are clock minutes.

    `scheduled` moderate-equivalent aerobic minutes are shared over days chosen from the layout's rooms, the
    activities taking turns from `families` (rule 3), vigorous only when `vigorous_ok` (rule 6) and as rule 19
    allows, every session 10 minutes or more (rule 18); strength goes on the layout's strength days (rule 7;
    one day until a first one is done) and balance on its balance days, each with its routine (rules 16, 17).
    The layout keeps every day within the person's minutes (rule 2).
    """
    dizzy = is_dizzy(profile)
    cap = vigorous_session_cap(profile)
    hard_easy = hard_easy_families(profile, vigorous_ok)
    limits = interval_limits(profile, vigorous_ok)
    sessions_filled = []
    if scheduled:
        sessions_filled = choose_aerobic_days(
            scheduled, layout, families, vigorous_ok, cap, dizzy, hard_easy, limits
        )
    filled: dict[int, list[tuple[Slot, int]]] = {}  # a day's aerobic sessions: a companion comes second
    for slot, minutes in sorted(sessions_filled, key=lambda item: item[0].key):
        filled.setdefault(slot.day, []).append((slot, minutes))
    level = aerobic_level(scheduled, profile.prefers_gentle or bool(profile.health_flags))

    strength_count = min(strength_days_wanted(profile), len(layout.strength_days))
    strength_days = layout.strength_days[:strength_count]
    balance_options = balance_activities(profile)
    rules = move_rules(profile)

    balance_days = layout.balance_days
    dates = week_dates(profile.week_start)
    sessions = []
    for day in range(7):
        if day not in filled and day not in strength_days and day not in balance_days:
            continue
        date_text = dates[day]
        weekday = WEEKDAYS[day]
        for slot, minutes in filled.get(day, ()):
            sessions.append(aerobic_session(date_text, weekday, slot, minutes, level, profile))
        used: frozenset[str] = frozenset()  # the moves of the day's first routine
        if day in strength_days:
            session, steps = routine_session(
                date_text, weekday, "strength", layout.strength_minutes, rules, used, profile
            )
            sessions.append(session)
            used = routine_ids(steps)
        if day in balance_days:
            activity = balance_options[balance_days.index(day) % len(balance_options)]
            session, _ = routine_session(
                date_text, weekday, routine_kind(activity), layout.balance_minutes, rules, used, profile
            )
            sessions.append(session)
    gentle_yoga = gentle_yoga_session(profile, sessions)
    if gentle_yoga:
        sessions.append(gentle_yoga)
        sessions.sort(key=lambda session: session["date"])  # stable: the day's order stays
    return sessions


def routine_session(
    date_text, weekday, kind: str, minutes: int, rules: MoveRules, used: frozenset[str], profile: Profile
) -> tuple[dict, dict]:
    """A strength, balance or Pilates session with its routine (rules 16 and 17), named from what the
    routine asks; after the day's first routine (`used`), without a warm-up of its own or a move again."""
    steps = routine(kind, minutes, rules, used)
    if kind == "strength":
        activity = strength_activity(steps, profile)
    elif kind == "pilates":
        activity = catalogue.BY_ID[catalogue.BALANCE_PILATES]
    else:
        activity = catalogue.BY_ID[catalogue.BALANCE_HOME]
    session = _session(date_text, weekday, activity, minutes)
    session["variant"] = routine_template(kind, minutes, rules, used)[0]
    session["routine"] = steps
    return session, steps


GENTLE_YOGA_MINUTES = 20


def gentle_yoga_session(profile: Profile, sessions: list[dict]) -> dict | None:
    """Rule 17's people who chose yoga: once a week, gentle standing and chair yoga (light: it counts no
    aerobic minutes, rule 4), on the day with the most time left, a free day first; none without 10 minutes
    left on some day (rule 2)."""
    if not (is_careful(profile) and "yoga" in profile.preferences):
        return None
    used = {}
    for session in sessions:
        used[session["date"]] = used.get(session["date"], 0) + session["minutes"]
    dates = week_dates(profile.week_start)
    best = None
    for day in profile.available_days:
        left = profile.max_minutes_per_day - used.get(dates[day], 0)
        key = (dates[day] not in used, min(left, GENTLE_YOGA_MINUTES), -day)
        if left >= SHORTEST_SESSION and (best is None or key > best[0]):
            best = (key, day)
    if best is None:
        return None
    (_, minutes, _), day = best
    return _session(dates[day], WEEKDAYS[day], catalogue.BY_ID[catalogue.YOGA_GENTLE], minutes)


def plan_notes(profile: Profile, plan: dict, aim: WeekTarget, layout: Layout, vigorous_ok: bool) -> list[str]:
    """The notes of a whole week's `plan` (plan_result's dict), as a list of sentences for the person.

    In order: what the week aims for and why; when the plan does not meet the guideline, what it is missing
    and whether the person's days could hold it (docs/planner-interface.md, rule 15); then the standing notes,
    the safety advice of rule 6 first.
    """
    older = is_older_adult(profile.age)
    last = profile.history[-1] if profile.history else None
    minutes = plan["target"]["aerobic_moderate_equivalent_minutes"]
    # A second strength day still to come keeps its time free (plan_layout), so the aerobic minutes need not
    # shrink when it comes; the notes that speak of the days' room say so.
    strength_waits = (
        len(layout.strength_days) >= WHO_STRENGTH_DAYS and strength_days_wanted(profile) < WHO_STRENGTH_DAYS
    )
    notes = [week_aim_note(aim, minutes, plan, last, profile, strength_waits)]
    if not plan["meets_who_guideline"]:
        notes.append(missing_note(plan["totals"], older))
        fits = guideline_fits(layout, aim.capacity, older)
        notes.append(BUILDING_NOTE if fits else no_room_note(profile, layout, aim.capacity, strength_waits))
    if strength_waits:
        notes.append(STRENGTH_WAITS_NOTE)
    notes.extend(standing_notes(profile, vigorous_ok, plan["sessions"]))
    return notes


def plan_for(profile: Profile) -> dict:
    """The whole week's plan for a validated profile: the dict of docs/planner-interface.md ("Plan (output)").

    The week's aerobic target comes first, then the sessions that hold it, then the notes about them.
    """
    week_text = profile.week_start.isoformat()
    if supervised_only(profile):  # rule 6: no sessions at all, and a note saying why
        plan = plan_result(week_text, [], 0, profile.age)
        plan["notes"] = safety_notes(profile)
        return plan

    older = is_older_adult(profile.age)
    vigorous_ok = may_do_vigorous(profile)
    families = aerobic_families(profile, vigorous_ok)
    layout = plan_layout(
        profile.available_days, profile.max_minutes_per_day, balance_days_wanted(profile), older
    )
    aim = week_target(profile, layout, families, vigorous_ok)
    keep = target_kept(profile)
    if aim.target < keep:  # rule 13: shorter strength and balance sessions, when they keep the target
        layout, aim = roomier_layout(profile, layout, aim, keep, families, vigorous_ok)
    sessions = place_sessions(profile, layout, families, vigorous_ok, aim.scheduled)
    plan = plan_result(week_text, sessions, aim.target, profile.age)
    plan["notes"] = plan_notes(profile, plan, aim, layout, vigorous_ok)
    return plan


def standing_notes(profile: Profile, vigorous_ok: bool, sessions: list[dict]) -> list[str]:
    """Notes that hold for any part of the week: safety, gentleness, running, intervals, balance, the talk
    test."""
    notes = safety_notes(profile, sessions)
    if profile.prefers_gentle:
        notes.append(CHECKIN_NOTE if profile.gentle_reason == "checkin" else GENTLE_NOTE)
    keeps = keeps_hard_parts_in_pregnancy(profile)
    if "running" in profile.preferences and not vigorous_ok and not keeps:
        notes.append(running_note(profile))
    stepping = [s for s in sessions if has_effort(s, "hard")]
    if stepping:
        notes.append(step_up_note(stepping, sessions, pregnancy=keeps))
    if any(has_effort(s, "rest") for s in sessions):
        notes.append(SWIM_NOTE)
    if is_older_adult(profile.age) and any(s["category"] == "balance" for s in sessions):
        notes.append(BALANCE_NOTE)
    elif "pilates" in profile.preferences and any(
        s["category"] == "balance" and s["activity"] != "pilates" for s in sessions
    ):
        notes.append(PILATES_STANDING_NOTE)
    if any(s["variant"] == catalogue.BY_ID[catalogue.YOGA_GENTLE].variant for s in sessions):
        notes.append(YOGA_GENTLE_NOTE)
    if sessions:
        has_vigorous = any(session["intensity"] == "vigorous" for session in sessions)
        notes.append(VIGOROUS_TALK_TEST_NOTE if has_vigorous else TALK_TEST_NOTE)
    return notes


def rest_of_week(profile: Profile, first_day: datetime.date) -> dict:
    """The plan for a week that has already begun, from first_day to Sunday.

    The days already gone are left free: nobody could have followed a plan for them. The week is planned
    whole and cut, so the sessions from first_day on are the ones a whole week would have had; the target,
    totals and guideline are then counted on what is left (rule 15: a plan never claims more than it holds).
    """
    plan = plan_for(profile)
    if first_day <= profile.week_start or supervised_only(profile):
        return plan
    sessions = [session for session in plan["sessions"] if session["date"] >= first_day.isoformat()]
    rest = plan_result(
        plan["week_start"], sessions, plan["target"]["aerobic_moderate_equivalent_minutes"], profile.age
    )
    minutes = rest["target"]["aerobic_moderate_equivalent_minutes"]
    notes = [part_week_note(first_day, minutes, bool(sessions))]
    if not rest["meets_who_guideline"]:
        notes.append(missing_note(rest["totals"], is_older_adult(profile.age)))
    notes.extend(standing_notes(profile, may_do_vigorous(profile), sessions))
    rest["notes"] = notes
    return rest


def within_clock_minutes(sessions: list[dict], first_day: datetime.date, most: int) -> list[dict]:
    """G, gentle weeks: a week re-planned gentle after it began takes no more time than it had left.

    `sessions` are a plan's session dicts; those from `first_day` on that are aerobic and counted (not light)
    hold at most `most` clock minutes in all afterwards: the longest is shortened first, a minute at a
    time, never under its shortest (rule 18: 10 minutes, a swim 20), and when none can be shortened the
    last of them is left out. Returns a new list in the same order (changed sessions are copies); the
    others, and every session before `first_day`, are as they were."""
    start = first_day.isoformat()

    def counted_from_start(session: dict) -> bool:
        return (
            session["date"] >= start and session["category"] == "aerobic" and session["intensity"] != "light"
        )

    counted = {index: dict(session) for index, session in enumerate(sessions) if counted_from_start(session)}
    over = sum(session["minutes"] for session in counted.values()) - max(0, most)
    while over > 0 and counted:
        index, longest = max(
            counted.items(),
            key=lambda item: item[1]["minutes"] - shortest_minutes(item[1]["activity"], False),
        )
        if longest["minutes"] > shortest_minutes(longest["activity"], False):
            longest["minutes"] -= 1
            over -= 1
        else:
            over -= counted.pop(max(counted))["minutes"]
    return [
        counted.get(index, session)
        for index, session in enumerate(sessions)
        if index in counted or not counted_from_start(session)
    ]


def part_week_note(first_day: datetime.date, minutes: int, has_sessions: bool) -> str:
    if not has_sessions:
        return (
            "None of your days is left this week, so your plan starts on Monday. Anything you do before then "
            "can still be logged, and it counts."
        )
    aim = f", with {minutes} active minutes in the days that are left" if minutes else ""
    return (
        f"This week had already begun, so your plan starts on {first_day:%A} and the days before are left "
        f"free{aim}. Next week is a whole one."
    )


def make_plan(profile: dict, first_day: datetime.date | None = None) -> dict:
    """One week's plan for a profile dict (docs/planner-interface.md). Raises ProfileError on bad input.

    With first_day inside the week, only the days from it on are planned (see rest_of_week).
    """
    validated = validate_profile(profile)
    return plan_for(validated) if first_day is None else rest_of_week(validated, first_day)
