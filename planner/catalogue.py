"""The activity catalogue: every activity Steady can offer, in one table.

Each row is one variant of an activity family. The family id (`walking`, `yoga`, ...) is the word a person
chooses as a preference and the `activity` of a planned session; the variant names the pace or style.

MET values and codes come from the Compendium of Physical Activities (Ainsworth et al. 2011). The 2024 adult
compendium (Herrmann et al.) revised some values: update them here, in this one table, and nowhere else.

The mood notes draw on docs/evidence.md: Noetel et al., BMJ 2024 (218 trials of exercise for depression);
Gordon et al., JAMA Psychiatry 2018 (resistance training); Choi et al., JAMA Psychiatry 2019; the WHO 2020
guidelines. Each one is a single sentence, shown to the person as the "why" of a session.
"""

from dataclasses import dataclass

from steady import vocabulary

# The WHO intensity bands, by MET value.
MODERATE_FROM_MET = 3.0
VIGOROUS_FROM_MET = 6.0

MAJOR_MUSCLE_GROUPS = ("legs", "hips", "back", "abdomen", "chest", "shoulders", "arms")


def intensity_for_met(met: float) -> str:
    """Light below 3.0 METs, moderate 3.0 to 5.9, vigorous 6.0 and up."""
    if met >= VIGOROUS_FROM_MET:
        return "vigorous"
    if met >= MODERATE_FROM_MET:
        return "moderate"
    return "light"


@dataclass(frozen=True, slots=True)
class Activity:
    id: str  # this row's own id, e.g. "walking_brisk"
    family: str  # the preference vocabulary, e.g. "walking"
    name: str  # a plain name for the page, e.g. "Brisk walk"
    variant: str  # the particular form, as it appears in a plan
    compendium_code: str
    met: float
    category: str  # aerobic, strength, balance or flexibility
    mood: str  # one sentence: what it does for mood, from the evidence
    intensity: str = ""  # from the MET value, filled in below
    # Done partly on the floor: kneeling, lying, plank or push-up positions (a sun salutation's plank and
    # chaturanga, mat Pilates). Rule 17's people (65 and over, any health flag, prefers_gentle) never get it.
    floor_work: bool = False

    def __post_init__(self):
        object.__setattr__(self, "intensity", intensity_for_met(self.met))


# What each kind of activity does for mood: one sentence each, shown as the "why" of a session.
MOOD = {
    "walk": "Walking is one of the best-studied ways to lift mood: in a review of 218 trials, walking or "
    "jogging eased depression about as much as talking therapy.",
    "run": "Walking or jogging was among the most helpful exercise for depression in a review of 218 trials, "
    "and harder sessions helped a little more.",
    "yoga": "Yoga eased depression about as much as talking therapy in a review of 218 trials, and people "
    "kept it up well.",
    "dance": "Dancing showed the largest effect on depression in a review of 218 trials (from fewer "
    "studies), and music with movement is easy to enjoy.",
    "tai_chi": "Tai chi and qigong eased depression in trials, and their slow, steady movements also train "
    "balance.",
    "cardio": "Steady aerobic exercise like this eased depression in many trials, and moving more is linked "
    "with a lower risk of depression.",
    "water": "Aerobic exercise eased depression in many trials (swimming was not studied on its own), and "
    "the water makes it kind to the joints.",
    "garden": "Any activity is better than none, and moderate work outdoors like gardening counts towards "
    "your weekly minutes.",
    "strength": "Works all the major muscle groups (legs, hips, back, abdomen, chest, shoulders, arms); "
    "strength training eased depression in trials, whatever the weight lifted.",
    "pilates": "Pilates trains core strength, balance and posture; any activity you enjoy and keep up helps "
    "your mood.",
    "balance": "Balance and strength practice on three days a week helps prevent falls, and tai chi also "
    "eased depression in trials.",
    "stretch": "Gentle stretching eases tension and is a calm way to wind down.",
    "step_up": "Aerobic exercise eased depression in many trials, and harder sessions helped a little more; "
    "short hard parts with easy ones between are a gentle way to build up to them.",
    "chair_yoga": "Yoga eased depression about as much as talking therapy in a review of 218 trials; this "
    "gentle form is light activity, a calm addition to your week rather than part of its active minutes.",
}

_FLOOR = "floor"  # an eighth column: the row involves floor, plank or lying work (Activity.floor_work)

_A, _S, _B, _F = "aerobic", "strength", "balance", "flexibility"

# fmt: off
_ROWS = (
    # id, family, plain name, variant, Compendium code, MET, category, mood
    ("walking_stroll", "walking", "Stroll", "stroll, slower than 3 km/h", "17151", 2.0, _A, "walk"),
    ("walking_easy", "walking", "Comfortable walk", "walk at a comfortable pace, about 4 km/h", "17170", 3.0,
     _A, "walk"),
    ("walking_steady", "walking", "Steady walk", "walk at a steady pace, about 5 km/h",
     "17190", 3.5, _A, "walk"),
    ("walking_brisk", "walking", "Brisk walk", "brisk walk, about 5.5 km/h", "17200", 4.3, _A, "walk"),
    ("walking_fast", "walking", "Fast walk", "fast walk, about 6.5 km/h", "17220", 5.0, _A, "walk"),
    ("walking_very_fast", "walking", "Very fast walk", "very fast walk, about 7 km/h",
     "17230", 7.0, _A, "walk"),
    ("hiking_hills", "hiking", "Hike", "hike over fields and hillsides", "17082", 5.3, _A, "walk"),
    ("hiking_cross_country", "hiking", "Cross-country hike", "cross-country hike", "17080", 6.0, _A, "run"),
    ("yoga_sun_salutation", "yoga", "Yoga flow", "yoga, sun salutation flow", "02180", 3.3, _A, "yoga",
     _FLOOR),
    ("yoga_power", "yoga", "Power yoga", "power yoga", "02160", 4.0, _A, "yoga", _FLOOR),
    ("yoga_hatha", "yoga", "Hatha yoga", "Hatha yoga", "02150", 2.5, _F, "yoga", _FLOOR),
    # Standing and chair yoga has no Compendium code of its own: Hatha yoga's (2.5 METs) is the honest one,
    # and it is light, so it counts no aerobic minutes (rule 4).
    ("yoga_chair", "yoga", "Chair yoga", "gentle yoga standing and on a chair, with no floor or lying poses "
     "(light effort)", "02150", 2.5, _F, "chair_yoga"),
    ("yoga_stretching", "yoga", "Gentle stretching", "mild stretching", "02101", 2.3, _F, "stretch"),
    ("tai_chi_flow", "tai_chi", "Tai chi", "tai chi or qigong, general", "15670", 3.0, _A, "tai_chi"),
    ("tai_chi_balance", "tai_chi", "Tai chi for balance", "tai chi or qigong, for balance", "15670", 3.0, _B,
     "balance"),
    ("pilates_mat", "pilates", "Pilates", "Pilates-style mat exercises for core and balance, lying and "
     "kneeling on a mat", "02105", 3.0, _B, "pilates", _FLOOR),
    ("dancing_slow", "dancing", "Slow dancing", "slow ballroom dancing (waltz, foxtrot)", "03040", 3.0, _A,
     "dance"),
    ("dancing_salsa", "dancing", "Salsa", "salsa or cultural dancing", "03025", 4.5, _A, "dance"),
    ("dancing_low_impact", "dancing", "Low-impact dance", "low-impact aerobic dance",
     "03020", 5.0, _A, "dance"),
    ("dancing_fast_ballroom", "dancing", "Fast ballroom", "fast ballroom dancing", "03030", 5.5, _A, "dance"),
    ("dancing_aerobic", "dancing", "Aerobic dance", "aerobic dance class", "03015", 7.3, _A, "dance"),
    ("dancing_general", "dancing", "Disco, folk or line dancing", "disco, folk or line dancing",
     "03031", 7.8, _A,
     "dance"),
    ("cycling_stationary_easy", "cycling", "Easy exercise bike", "exercise bike, easy (30-50 watts)", "02011",
     3.5, _A, "cardio"),
    ("cycling_leisure", "cycling", "Leisure ride", "leisurely bike ride, under 16 km/h", "01010", 4.0, _A,
     "cardio"),
    ("cycling_stationary_moderate", "cycling", "Exercise bike", "exercise bike, moderate (51-89 watts)",
     "02017",
     4.8, _A, "cardio"),
    ("cycling_brisk", "cycling", "Brisk ride", "brisk bike ride, 16-19 km/h", "01020", 6.8, _A, "cardio"),
    ("cycling_stationary_hard", "cycling", "Hard exercise bike", "exercise bike, hard (90-100 watts)",
     "02012",
     6.8, _A, "cardio"),
    ("cycling_stationary_very_hard", "cycling", "Very hard exercise bike",
     "exercise bike, very hard (101-160 watts)", "02013", 8.8, _A, "cardio"),
    # Hard and easy pedalling in turn, by feel, counted as its easy part (STEP_UP_INTERVALS below).
    ("cycling_hard_easy", "cycling", "Hard and easy pedalling",
     "hard and easy pedalling in turn, on a bike or an exercise bike", "02011", 3.5, _A, "step_up"),
    # Jog and walk in turn, counted as brisk walking (STEP_UP_INTERVALS below).
    ("running_jog_walk", "running", "Jog and walk", "jog and walk intervals", "17200", 4.3, _A, "run"),
    ("running_jog", "running", "Jog", "steady jog, breathing hard", "12020", 7.0, _A, "run"),
    ("running_8kmh", "running", "Run", "run at about 8 km/h", "12030", 8.3, _A, "run"),
    ("running_10kmh", "running", "Faster run", "run at about 10 km/h", "12050", 9.8, _A, "run"),
    ("swimming_water_aerobics", "swimming", "Water aerobics", "water aerobics", "18355", 5.5, _A, "water"),
    ("swimming_laps_slow", "swimming", "Slow lengths", "swim lengths at a slow pace",
     "18240", 5.8, _A, "water"),
    ("swimming_leisure", "swimming", "Leisure swim", "leisure swimming", "18310", 6.0, _A, "water"),
    ("swimming_laps_fast", "swimming", "Fast lengths", "swim lengths at a fast pace",
     "18230", 9.8, _A, "water"),
    # Fast and slow lengths in turn, counted as slow lengths (STEP_UP_INTERVALS below).
    ("swimming_fast_slow", "swimming", "Fast and slow lengths", "fast and slow lengths in turn", "18240", 5.8,
     _A, "step_up"),
    ("gardening_general", "gardening", "Gardening", "gardening: digging, raking, weeding", "08245", 3.8, _A,
     "garden"),
    ("stairs_slow", "stairs", "Stair climbing", "climb stairs at a slow pace", "17133", 4.0, _A, "cardio"),
    ("elliptical_moderate", "elliptical", "Cross-trainer", "cross-trainer (elliptical), moderate effort",
     "02048", 5.0, _A, "cardio"),
    ("rowing_moderate", "rowing", "Rowing machine", "rowing machine, moderate effort",
     "02071", 4.8, _A, "cardio"),
    ("strength_weights", "strength", "Weights", "weights at home, 8-15 repetitions, every major muscle group",
     "02054", 3.5, _S, "strength"),
    ("strength_bands", "strength", "Resistance bands",
     "resistance bands, 8-15 repetitions, every major muscle group", "02054", 3.5, _S, "strength"),
    ("strength_circuit", "strength", "Circuit training", "circuit training with weights", "02035", 4.3, _S,
     "strength"),
    ("strength_vigorous", "strength", "Heavy weights", "heavy weights, vigorous effort", "02050", 6.0, _S,
     "strength"),
    ("bodyweight_light", "bodyweight", "Light home exercises", "light home exercises", "02024", 2.8, _S,
     "strength"),
    ("bodyweight_moderate", "bodyweight", "Home strength circuit",
     "home strength circuit, no equipment needed", "02022", 3.8, _S, "strength"),
    ("bodyweight_supported", "bodyweight", "Supported strength",
     "strength exercises standing, at a wall or with a chair, 10-15 repetitions", "02022", 3.8, _S,
     "strength"),
    ("bodyweight_vigorous", "bodyweight", "Hard home circuit", "hard home circuit: burpees, jump squats",
     "02020",
     8.0, _S, "strength", _FLOOR),
    ("balance_home", "bodyweight", "Balance and leg strength",
     "balance and leg strength, standing with a kitchen counter to hold", "02022", 3.8, _B, "balance"),
)
# fmt: on

ACTIVITIES: tuple[Activity, ...] = tuple(
    Activity(*row[:7], MOOD[row[7]], floor_work=row[8:] == (_FLOOR,)) for row in _ROWS
)
BY_ID: dict[str, Activity] = {activity.id: activity for activity in ACTIVITIES}

# The preference vocabulary (the families a person can choose) is shared by every app: steady.vocabulary.
ACTIVITY_NAMES = vocabulary.ACTIVITY_NAMES

# Gentle options come first for people starting out (walking, yoga, dance and tai chi, and Pilates).
GENTLE_FAMILIES = frozenset({"walking", "yoga", "dancing", "tai_chi", "pilates"})

# Which row a family uses at each level: "easy" for starting out or asking for gentle activity, "steady"
# for building up, "brisk" for people at the guideline, "vigorous" only for people the engine allows it.
AEROBIC_LEVELS: dict[str, dict[str, str]] = {
    "walking": {"easy": "walking_easy", "steady": "walking_steady", "brisk": "walking_brisk"},
    "hiking": {
        "easy": "hiking_hills",
        "steady": "hiking_hills",
        "brisk": "hiking_hills",
        "vigorous": "hiking_cross_country",
    },
    "yoga": {"easy": "yoga_sun_salutation", "steady": "yoga_sun_salutation", "brisk": "yoga_power"},
    "tai_chi": {"easy": "tai_chi_flow", "steady": "tai_chi_flow", "brisk": "tai_chi_flow"},
    "dancing": {
        "easy": "dancing_slow",
        "steady": "dancing_salsa",
        "brisk": "dancing_low_impact",
        "vigorous": "dancing_general",
    },
    "cycling": {
        "easy": "cycling_stationary_easy",
        "steady": "cycling_leisure",
        "brisk": "cycling_stationary_moderate",
        "vigorous": "cycling_brisk",
    },
    "running": {"vigorous": "running_jog"},
    "swimming": {
        "easy": "swimming_water_aerobics",
        "steady": "swimming_laps_slow",
        "brisk": "swimming_laps_slow",
        "vigorous": "swimming_laps_fast",
    },
    "gardening": {"easy": "gardening_general", "steady": "gardening_general", "brisk": "gardening_general"},
    "stairs": {"easy": "stairs_slow", "steady": "stairs_slow", "brisk": "stairs_slow"},
    "elliptical": {
        "easy": "elliptical_moderate",
        "steady": "elliptical_moderate",
        "brisk": "elliptical_moderate",
    },
    "rowing": {"easy": "rowing_moderate", "steady": "rowing_moderate", "brisk": "rowing_moderate"},
}

# Families whose every form is done partly on the floor (yoga's sun salutation and power yoga): rule 17's
# people walk in their place and get YOGA_GENTLE on top.
FLOOR_FAMILIES = frozenset(
    family
    for family, levels in AEROBIC_LEVELS.items()
    if all(BY_ID[row].floor_work for row in levels.values())
)
# Families that only come as vigorous activity: people who may not do vigorous activity walk instead.
VIGOROUS_ONLY_FAMILIES = frozenset(
    family for family, levels in AEROBIC_LEVELS.items() if "easy" not in levels
)
# Families a person can choose for vigorous sessions (walking stays the moderate companion).
VIGOROUS_FAMILIES = frozenset(family for family, levels in AEROBIC_LEVELS.items() if "vigorous" in levels)

# Strength and balance sessions.
STRENGTH_WEIGHTS = "strength_weights"
STRENGTH_BANDS = "strength_bands"
STRENGTH_BODYWEIGHT = "bodyweight_moderate"
STRENGTH_SUPPORTED = "bodyweight_supported"
BALANCE_TAI_CHI = "tai_chi_balance"
BALANCE_PILATES = "pilates_mat"
BALANCE_HOME = "balance_home"  # older adults' multicomponent session: balance and leg strength (Otago)
# Rule 17's people who chose yoga: a gentle standing and chair form, light, on top of the week's minutes.
YOGA_GENTLE = "yoga_chair"

# Dizziness or fainting (PAR-Q+ question 3): cycling only on an exercise bike, whatever the level.
DIZZY_CYCLING = {
    "easy": "cycling_stationary_easy",
    "steady": "cycling_stationary_moderate",
    "brisk": "cycling_stationary_moderate",
}

# Stepping up to vigorous activity one thing at a time (docs/evidence.md, Couch to 5K): hard parts and easy
# ones in turn while vigorous sessions are new, the hard parts growing week by week, then continuous sessions.
# A session counts at its row's MET (rules 4 and 5), one intensity for the whole session, so a row with
# intervals must be a Compendium entry whose MET is not above the session's time-weighted mean (MET-minutes
# add up): the plan never counts more than the session holds.
#
# Counting such a session at its hard part's MET would count the easy parts as vigorous too, and the
# Compendium's jog/walk combination (12010, 6.0) is vigorous for the whole session, warm-up and cool-down
# walking included: a 30-minute run/walk would count as 60 minutes, more than the person did. So every one
# is counted as the Compendium entry of its easy part, which every minute of the session reaches (the warm-up
# and cool-down are easy parts too): moderate, counted once (rule 4), an honest lower bound. After the last
# stage come continuous sessions at the family's vigorous row (AEROBIC_LEVELS).
# Each family: (the session's row, the hard part's row, the easy part's row). Jogging (12020, 7.0) between
# brisk walking (17200, 4.3) counts as brisk walking; hard pedalling (02012, 6.8) between easy pedalling
# (02011, 3.5) counts as easy pedalling; fast lengths (18230, 9.8) between slow ones (18240, 5.8) count as
# slow lengths. The parts are asked for by feel (hard: only a few words; easy: you can chat), on a bike or an
# exercise bike, so no power meter is needed. People with a health flag, or who ask for gentle activity, get
# no hard parts (no vigorous activity, rule 6), so dizziness never meets these rows; the one exception is a
# pregnant woman who already did vigorous activity (engine.keeps_hard_parts_in_pregnancy).
STEP_UP_INTERVALS = {
    "running": ("running_jog_walk", "running_jog", "walking_brisk"),
    "cycling": ("cycling_hard_easy", "cycling_stationary_hard", "cycling_stationary_easy"),
    "swimming": ("swimming_fast_slow", "swimming_laps_fast", "swimming_laps_slow"),
}
STEP_UP_RECOVERY = {"running": "walking"}  # the activity of the easy parts, when it is not the family itself
# Every row whose sessions have hard and easy parts in turn (run/walk, hard and easy pedalling, fast and slow
# lengths).
HARD_AND_EASY_ROWS = frozenset(rows[0] for rows in STEP_UP_INTERVALS.values())

# A session with hard parts starts with a warm-up and ends with a cool-down of its easy part (a brisk walk,
# easy pedalling, slow lengths), inside its minutes: Couch to 5K starts every run with a 5-minute brisk walk
# and ends it walking (docs/planner-interface.md, "Intervals (v2)"). planner/steps.py builds the steps.
INTERVAL_WARM_UP_SECONDS = 300
INTERVAL_COOL_DOWN_SECONDS = 300

# The shortest session worth the trip, in clock minutes (docs/planner-interface.md, rule 18).
SHORTEST_MINUTES = {"swimming": 20}
