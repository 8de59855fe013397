"""The weekly planner: a person's profile and recent weeks in, one week's plan out.

A pure function of its input: no clock, no randomness, no Django. docs/planner-interface.md fixes the
input, the output and the fifteen rules every plan satisfies; the rules below are named after the WHO 2020
guidelines and the PAR-Q+ practice they come from (docs/evidence.md), so each can be checked against the text.

    from planner.engine import make_plan, ProfileError
    plan = make_plan(profile_dict)          # raises ProfileError(field, message) on bad input
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from planner import catalogue
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
# The 2020 guideline dropped the 10-minute bouts, but a session still needs some length.
SHORTEST_SESSION = 5
COMFORTABLE_SESSION = 10
USUAL_SESSION = 30  # aerobic minutes are spread in sessions of about this length

# Strength and balance session lengths, most comfortable first; shorter ones only when the days are tight.
SESSION_SIZES = ((20, 15), (15, 15), (15, 10), (10, 10), (10, 5), (5, 5))


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


def is_already_active(profile: Profile) -> bool:
    """At the guideline's aerobic minutes now, or last week."""
    if profile.current_minutes_per_week >= WHO_AEROBIC_MINUTES:
        return True
    return bool(profile.history) and profile.history[-1].completed_minutes >= WHO_AEROBIC_MINUTES


def may_do_vigorous(profile: Profile) -> bool:
    """Rule 6 and good practice: vigorous only for people already active, with no health flag, not asking for
    gentle activity (pregnancy is a flag, so it stays moderate too)."""
    return not profile.health_flags and not profile.prefers_gentle and is_already_active(profile)


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


def first_week_minutes(current_minutes: int) -> tuple[int, str]:
    """Start from what the person does now; from nothing, start small (rule 12)."""
    if current_minutes == 0:
        return BEGINNER_START_MINUTES, "start"
    if current_minutes >= WHO_AEROBIC_MINUTES:
        return current_minutes, "active"
    return max(BEGINNER_START_MINUTES, current_minutes), "build_on_current"


def barely_done(week: HistoryWeek) -> bool:
    """Under half of what was planned (rule 14)."""
    return 2 * week.completed_minutes < week.planned_minutes


def mostly_done(week: HistoryWeek) -> bool:
    """At least 80 % of what was planned."""
    return 5 * week.completed_minutes >= 4 * week.planned_minutes


def increased(planned: int) -> int:
    """WHO: gradually increase. Add 20 % (at least a minute), the top of the usual 10 to 20 %."""
    return planned + max(1, planned // 5)


def stepped_back(week: HistoryWeek) -> int:
    """A barely done week: ease back to 80 % of it, never below what was done, never above the plan."""
    return min(week.planned_minutes, max(week.planned_minutes * 4 // 5, week.completed_minutes))


def next_week_minutes(profile: Profile) -> tuple[int, str]:
    """The aerobic minutes this week aims for, before the limits of the person's time, and why."""
    if not profile.history or profile.history[-1].planned_minutes == 0:
        return first_week_minutes(profile.current_minutes_per_week)
    last = profile.history[-1]
    if barely_done(last):
        return stepped_back(last), "step_back"
    if mostly_done(last):
        return increased(last.planned_minutes), "increase"
    return last.planned_minutes, "hold"


def strength_days_wanted(profile: Profile) -> int:
    """WHO: strength on 2 days. Someone who does none yet starts with one day in their first week."""
    if not profile.history and profile.strength_days_now == 0:
        return 1
    return WHO_STRENGTH_DAYS


def balance_days_wanted(profile: Profile) -> int:
    """WHO: balance on 3 days from 65. Younger people who chose Pilates get one session of it."""
    if is_older_adult(profile.age):
        return WHO_BALANCE_DAYS
    return 1 if "pilates" in profile.preferences else 0


# --- Rules: which activities -------------------------------------------------------------------------------


def aerobic_families(profile: Profile, vigorous_ok: bool) -> tuple[str, ...]:
    """Rule 3: aerobic sessions come from the person's preferences, or walking. Vigorous-only activities
    (running) become walking for people who should not go vigorous. Gentle options first for beginners."""
    families = []
    for family in profile.preferences:
        if family not in catalogue.AEROBIC_LEVELS:
            continue  # strength, bodyweight and Pilates have sessions of their own
        if family in catalogue.VIGOROUS_ONLY_FAMILIES and not vigorous_ok:
            family = "walking"
        if family not in families:
            families.append(family)
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


def strength_activity(profile: Profile) -> catalogue.Activity:
    """Weights for people who chose them (bands when gentle, older or flagged), else a home circuit."""
    if "strength" in profile.preferences:
        careful = profile.prefers_gentle or profile.health_flags or is_older_adult(profile.age)
        return catalogue.BY_ID[catalogue.STRENGTH_BANDS if careful else catalogue.STRENGTH_WEIGHTS]
    return catalogue.BY_ID[catalogue.STRENGTH_BODYWEIGHT]


def balance_activities(profile: Profile) -> tuple[catalogue.Activity, ...]:
    """Tai chi by default (balance, and it eased depression in trials); Pilates for people who chose it."""
    chosen = [
        catalogue.BY_ID[catalogue.BALANCE_PILATES if family == "pilates" else catalogue.BALANCE_TAI_CHI]
        for family in profile.preferences
        if family in ("pilates", "tai_chi")
    ]
    if not is_older_adult(profile.age):
        chosen = [activity for activity in chosen if activity.family == "pilates"]
    return tuple(chosen) or (catalogue.BY_ID[catalogue.BALANCE_TAI_CHI],)


# --- The week's layout: which days carry strength and balance, and the room left for aerobic minutes --------


@dataclass(frozen=True, slots=True)
class Layout:
    strength_days: tuple[int, ...]  # best first: a one-day week uses the first
    balance_days: tuple[int, ...]
    strength_minutes: int
    balance_minutes: int
    rooms: tuple[int, ...]  # aerobic minutes each weekday can still hold (0 when under SHORTEST_SESSION)
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


def aerobic_capacity(layout: Layout, vigorous_rotation: tuple[bool, ...]) -> int:
    """Moderate-equivalent minutes the rooms hold when every usable day has one aerobic session, the
    activities taken in turn (vigorous ones count double)."""
    rooms = layout.rooms
    if not any(vigorous_rotation):
        return sum(rooms)
    total = 0
    for index, day in enumerate(layout.usable):
        total += 2 * rooms[day] if vigorous_rotation[index % len(vigorous_rotation)] else rooms[day]
    return total


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

    half = (len(days) * max_minutes + 1) // 2
    for strength_count in range(strength_most, -1, -1):
        for balance_count in range(balance_most, -1, -1):
            for sizes in SESSION_SIZES:
                found = layout(strength_count, balance_count, sizes, half)
                if found:
                    return found
    return layout(0, 0, (0, 0), 0)  # not reached: with no strength or balance every minute is room


# --- Spreading the aerobic minutes -------------------------------------------------------------------------


def water_fill(total: int, caps: list[tuple[int, int]]) -> dict[int, int]:
    """Share `total` minutes as evenly as the caps allow; caps are (cap, day). Needs sum of caps >= total."""
    shares = {}
    left, count = total, len(caps)
    for cap, day in sorted(caps):
        give = min(cap, left // count)
        shares[day] = give
        left -= give
        count -= 1
    return shares


def aerobic_day_count(minutes: int, usable: int) -> int:
    """Three or more days where there are, in sessions of about 30 minutes and at least 10."""
    if minutes < 2 * COMFORTABLE_SESSION:
        return min(1, usable)
    wanted = max(3, -(-minutes // USUAL_SESSION))
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


def choose_aerobic_days(minutes: int, layout: Layout, families: tuple[str, ...], vigorous_ok: bool):
    """The days for aerobic sessions, each with its family in turn: spread through the week, more days if the
    chosen ones cannot hold the minutes."""
    rooms, usable = layout.rooms, layout.usable
    count = aerobic_day_count(minutes, len(usable))
    while True:
        chosen = roomiest_days(usable, rooms, count) if count else ()
        plan = [(day, families[i % len(families)]) for i, day in enumerate(chosen)]
        if vigorous_ok:
            capacity = sum(rooms[day] * (2 if goes_vigorous(family, True) else 1) for day, family in plan)
        else:
            capacity = sum(rooms[day] for day in chosen)
        if capacity >= minutes or count >= len(usable):
            return plan
        count += 1


def share_aerobic_minutes(minutes, plan, rooms, vigorous_ok) -> dict[int, int]:
    """Session minutes per day, so that the moderate-equivalent total is `minutes` (vigorous counts double).
    Where whole minutes cannot make the exact total the plan holds one minute less, never more."""
    vigorous = [(rooms[day], day) for day, family in plan if goes_vigorous(family, vigorous_ok)]
    moderate = [(rooms[day], day) for day, family in plan if not goes_vigorous(family, vigorous_ok)]
    if not vigorous:
        return water_fill(min(minutes, sum(cap for cap, _ in moderate)), moderate)
    vigorous_room = sum(cap for cap, _ in vigorous)
    if not moderate:
        return water_fill(min(minutes // 2, vigorous_room), vigorous)
    moderate_room = sum(cap for cap, _ in moderate)
    low = max(SHORTEST_SESSION * len(vigorous), -(-(minutes - moderate_room) // 2))
    high = min(vigorous_room, (minutes - SHORTEST_SESSION * len(moderate)) // 2)
    share = round(minutes * len(vigorous) / (2 * len(plan)))
    vigorous_minutes = max(0, min(max(share, low), high))
    shares = water_fill(vigorous_minutes, vigorous)
    shares.update(water_fill(min(minutes - 2 * vigorous_minutes, moderate_room), moderate))
    return shares


# --- Words for the person ----------------------------------------------------------------------------------


def target_note(reason: str, minutes: int, last: HistoryWeek | None) -> str:
    if reason == "start":
        return (
            f"This first week starts small, with {minutes} minutes of easy activity: some activity is better "
            "than none, and small steps are easier to keep."
        )
    if reason == "build_on_current":
        return f"This week's {minutes} minutes build gently on what you already do."
    if reason == "active":
        return (
            f"You are already active: this week's {minutes} minutes keep you in the WHO range of 150 to 300."
        )
    if reason == "increase":
        return (
            f"Last week went well, so this week adds a little: {minutes} minutes, "
            f"from {last.planned_minutes} planned last week."
        )
    if reason == "hold":
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
        missing.append(f"{aerobic} of the {WHO_AEROBIC_MINUTES} moderate aerobic minutes")
    if strength < WHO_STRENGTH_DAYS:
        missing.append(f"strength on {strength} of the {WHO_STRENGTH_DAYS} days")
    if older and balance < WHO_BALANCE_DAYS:
        missing.append(f"balance on {balance} of the {WHO_BALANCE_DAYS} days")
    guideline = "150 minutes of moderate aerobic activity and strength on 2 days a week"
    if older:
        guideline += ", with balance on 3 days from 65"
    has = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"This week does not yet meet the WHO guideline ({guideline}): it has {has}."


def no_room_note(profile: Profile) -> str:
    days = len(profile.available_days)
    what = []
    if best_strength_pair(profile.available_days) is None:
        what.append("strength on 2 days needs two days that are not next to each other")
    if is_older_adult(profile.age) and days < WHO_BALANCE_DAYS:
        what.append("balance needs 3 days")
    if not what:
        what.append(
            f"the aerobic minutes need more time than {days} day(s) of {profile.max_minutes_per_day} "
            "minutes leave"
        )
    return (
        f"Your available time cannot hold the whole guideline yet: {'; '.join(what)}. Adding a day or a few "
        "minutes a day would let the plan reach it; until then, every session still counts."
    )


BUILDING_NOTE = "The plan builds towards the guideline a step at a time, as the weeks go well."
PROFESSIONAL_NOTE = (
    "You answered yes to a health question, so please talk to a doctor or a qualified exercise professional "
    "about this plan; until then it stays at light and moderate intensity."
)
CONDITION_NOTE = (
    "A long-term condition or its medication (depression and antidepressants included) does not stop you "
    "being active: it only keeps the plan moderate."
)
HEART_RATE_NOTE = (
    "If a medicine slows your heart (beta-blockers, for example), heart rate is no guide: use the talk test."
)
SUPERVISED_NOTE = (
    "A doctor has said you should only be active under medical supervision, so Steady does not plan sessions "
    "for you: please ask your doctor or care team about a supervised exercise programme."
)
PREGNANT_NOTE = (
    "In pregnancy the plan stays moderate, with strength work as the WHO advises: you should be able to talk "
    "comfortably throughout, and your midwife or doctor can say what suits you."
)
GENTLE_NOTE = "You asked for gentle activity, so nothing in this plan is strenuous."
TALK_TEST_NOTE = "Moderate means you can talk but not sing during the activity."
VIGOROUS_TALK_TEST_NOTE = (
    "Moderate means you can talk but not sing; vigorous means only a few words before you need a breath."
)
RUNNING_NOTE = (
    "Running is a vigorous activity, so walking stands in for it for now; it can come in once you are "
    "regularly active, with no health question answered yes."
)


def safety_notes(profile: Profile) -> list[str]:
    if not needs_professional_advice(profile):
        return []
    flags = profile.health_flags
    notes = [PROFESSIONAL_NOTE]
    if "supervised_only" in flags:
        notes.append(SUPERVISED_NOTE)
        return notes
    if flags & {"chronic_condition", "medication"}:
        notes.append(CONDITION_NOTE)
    if flags & {"medication", "heart_condition"}:
        notes.append(HEART_RATE_NOTE)
    if "pregnant" in flags:
        notes.append(PREGNANT_NOTE)
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
    reason: str  # why: "start", "build_on_current", "active", "increase", "hold" or "step_back"
    floor: int  # WHO_AEROBIC_MINUTES when the plan must meet the guideline now (rules 10 and 11), else 0
    target: int  # what the week aims for: the plan's target and the first note
    scheduled: int  # what the sessions hold: the target, raised to the floor in a week that eases back
    capacity: int  # the most the layout's rooms hold, vigorous sessions counted double


def week_target(profile: Profile, layout: Layout, families: tuple[str, ...], vigorous_ok: bool) -> WeekTarget:
    """How many aerobic minutes this week aims for and schedules (docs/planner-interface.md, rules 9 to 15).

    Progress sets the wanted minutes: start small (rule 12), add a little after a week that went well (rule
    13), ease back after a week barely done (rule 14, which has the last word on the target). Someone already
    active keeps the guideline's 150 minutes (rules 10 and 11). Nothing goes above 300 (rule 9) or above what
    the layout's days hold when the aerobic sessions rotate through `families` (rule 15).
    """
    if vigorous_ok:
        capacity = aerobic_capacity(layout, tuple(goes_vigorous(family, True) for family in families))
    else:
        capacity = sum(layout.rooms)

    wanted, reason = next_week_minutes(profile)
    floor = WHO_AEROBIC_MINUTES if must_meet_guideline_now(profile) else 0
    target = min(max(wanted, floor), WHO_AEROBIC_UPPER, capacity)
    if reason == "step_back":
        target = min(target, profile.history[-1].planned_minutes)  # rule 14 has the last word on the target
    if 0 < target < SHORTEST_SESSION:
        target = 0 if reason == "step_back" else min(SHORTEST_SESSION, capacity)
    # Rule 10: someone already active keeps the guideline's minutes even in a week the target eases back.
    scheduled = min(max(target, floor), WHO_AEROBIC_UPPER, capacity)
    return WeekTarget(wanted, reason, floor, target, scheduled, capacity)


def place_sessions(
    profile: Profile, layout: Layout, families: tuple[str, ...], vigorous_ok: bool, scheduled: int
) -> list[dict]:
    """The week's sessions in date order (on one day: aerobic, then strength, then balance), as the session
    dicts of docs/planner-interface.md ("Plan (output)"); each session's `minutes` are clock minutes.

    `scheduled` moderate-equivalent aerobic minutes are shared over days chosen from the layout's rooms, the
    activities taking turns from `families` (rule 3), vigorous only when `vigorous_ok` (rule 6); strength goes
    on the layout's strength days (rule 7; one day in a beginner's first week) and balance on its balance
    days. The layout keeps every day within the person's minutes (rule 2).
    """
    aerobic_plan = choose_aerobic_days(scheduled, layout, families, vigorous_ok) if scheduled else []
    shares = share_aerobic_minutes(scheduled, aerobic_plan, layout.rooms, vigorous_ok) if aerobic_plan else {}
    level = aerobic_level(scheduled, profile.prefers_gentle or bool(profile.health_flags))

    strength_count = min(strength_days_wanted(profile), len(layout.strength_days))
    strength_days = layout.strength_days[:strength_count]
    strength = strength_activity(profile)
    balance_options = balance_activities(profile)

    family_of_day = dict(aerobic_plan)
    balance_days = layout.balance_days
    dates = week_dates(profile.week_start)
    sessions = []
    for day in range(7):
        minutes = shares.get(day, 0)
        if minutes < SHORTEST_SESSION and day not in strength_days and day not in balance_days:
            continue
        date_text = dates[day]
        weekday = WEEKDAYS[day]
        if minutes >= SHORTEST_SESSION:
            family = family_of_day[day]
            levels = catalogue.AEROBIC_LEVELS[family]
            activity = catalogue.BY_ID[levels["vigorous" if goes_vigorous(family, vigorous_ok) else level]]
            sessions.append(_session(date_text, weekday, activity, minutes))
        if day in strength_days:
            sessions.append(_session(date_text, weekday, strength, layout.strength_minutes))
        if day in balance_days:
            activity = balance_options[balance_days.index(day) % len(balance_options)]
            sessions.append(_session(date_text, weekday, activity, layout.balance_minutes))
    return sessions


def plan_notes(profile: Profile, plan: dict, aim: WeekTarget, layout: Layout, vigorous_ok: bool) -> list[str]:
    """The notes of a whole week's `plan` (plan_result's dict), as a list of sentences for the person.

    In order: what the week aims for and why; when the plan does not meet the guideline, what it is missing
    and whether the person's days could hold it (docs/planner-interface.md, rule 15); then the standing notes,
    the safety advice of rule 6 first.
    """
    older = is_older_adult(profile.age)
    last = profile.history[-1] if profile.history else None
    notes = [target_note(aim.reason, plan["target"]["aerobic_moderate_equivalent_minutes"], last)]
    if not plan["meets_who_guideline"]:
        notes.append(missing_note(plan["totals"], older))
        fits = guideline_fits(layout, aim.capacity, older)
        notes.append(BUILDING_NOTE if fits else no_room_note(profile))
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
    sessions = place_sessions(profile, layout, families, vigorous_ok, aim.scheduled)
    plan = plan_result(week_text, sessions, aim.target, profile.age)
    plan["notes"] = plan_notes(profile, plan, aim, layout, vigorous_ok)
    return plan


def standing_notes(profile: Profile, vigorous_ok: bool, sessions: list[dict]) -> list[str]:
    """Notes that hold for any part of the week: safety, gentleness, running, the talk test."""
    notes = safety_notes(profile)
    if profile.prefers_gentle:
        notes.append(GENTLE_NOTE)
    if "running" in profile.preferences and not vigorous_ok:
        notes.append(RUNNING_NOTE)
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
