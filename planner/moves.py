"""The library of moves: every exercise a strength, balance, warm-up or cool-down routine can hold, in one table.

Each move says what it works (muscle groups from catalogue.MAJOR_MUSCLE_GROUPS, or "balance"), how it is done
(position: standing, chair, wall or floor; impact: low or high; equipment: none, wall, chair, band or weights),
what makes it unsuitable for some people (an isometric hold that invites holding the breath, lying on the
back), its usual dose, and for the person: three to five short steps, what to feel, what to avoid, an easier
and a harder version, and a picture (static/moves/<id>.svg: the start and end positions) with its alt text.

Plain Python, no Django: the engine builds routines from it (docs/planner-interface.md, rules 16 and 17;
docs/evidence.md, "Strength and balance doses").
"""

from dataclasses import dataclass

KINDS = ("strength", "balance", "warm_up", "cool_down")
POSITIONS = ("standing", "chair", "wall", "floor")
EQUIPMENT = ("none", "wall", "chair", "band", "weights")


@dataclass(frozen=True, slots=True)
class Move:
    id: str
    name: str
    kind: str  # one of KINDS
    muscle_groups: tuple[str, ...]  # MAJOR_MUSCLE_GROUPS, or ("balance",)
    position: str  # one of POSITIONS
    impact: str  # "low" or "high" (jumps, hops)
    equipment: str  # one of EQUIPMENT
    reps: int | None  # the usual dose per set: repetitions, or
    seconds: int | None  # seconds (holds, walks, stretches); exactly one of the two is set
    holds_breath: bool = False  # a long isometric hold (a plank): not for heart conditions or blood pressure
    lies_on_back: bool = False  # done flat on the back: not in pregnancy
    steps: tuple[str, ...] = ()  # three to five short steps, in Steady's words
    feel: str = ""  # where the person should feel it
    avoid: str = ""  # the common mistake, or the warning
    easier: str = ""  # an easier version, one sentence
    harder: str = ""  # a harder version, one sentence
    alt: str = ""  # the picture's alt text: what the start and end positions show


_ROWS = (
    # --- Legs and hips -----------------------------------------------------------------------------------
    Move("squat", "Squat", "strength", ("legs", "hips"), "standing", "low", "none", 10, None),
    Move("sit_to_stand", "Sit to stand", "strength", ("legs", "hips"), "chair", "low", "chair", 10, None),
    Move("split_squat", "Split squat", "strength", ("legs", "hips"), "standing", "low", "none", 8, None),
    Move("step_up", "Step-up", "strength", ("legs", "hips"), "standing", "low", "none", 10, None),
    Move("glute_bridge", "Glute bridge", "strength", ("hips", "back"), "floor", "low", "none", 10, None, lies_on_back=True),
    Move("wall_sit", "Wall sit", "strength", ("legs",), "wall", "low", "wall", None, 20, holds_breath=True),
    Move("heel_raise", "Heel raise", "strength", ("legs",), "standing", "low", "none", 12, None),
    Move("seated_knee_extension", "Seated knee extension", "strength", ("legs",), "chair", "low", "chair", 10, None),
    Move("side_leg_raise", "Side leg raise", "strength", ("hips",), "standing", "low", "none", 10, None),
    Move("goblet_squat", "Goblet squat", "strength", ("legs", "hips"), "standing", "low", "weights", 10, None),
    Move("band_squat", "Band squat", "strength", ("legs", "hips"), "standing", "low", "band", 10, None),
    Move("jump_squat", "Jump squat", "strength", ("legs", "hips"), "standing", "high", "none", 8, None),
    # --- Back ---------------------------------------------------------------------------------------------
    Move("back_extension", "Back extension", "strength", ("back",), "floor", "low", "none", 10, None),
    Move("bird_dog", "Bird dog", "strength", ("back", "abdomen", "hips"), "floor", "low", "none", 8, None),
    Move("wall_angel", "Wall angel", "strength", ("back", "shoulders"), "wall", "low", "wall", 10, None),
    Move("band_row", "Band row", "strength", ("back", "arms"), "standing", "low", "band", 12, None),
    Move("dumbbell_row", "One-arm row", "strength", ("back", "arms"), "standing", "low", "weights", 10, None),
    Move("seated_row_squeeze", "Seated shoulder-blade squeeze", "strength", ("back", "shoulders"), "chair", "low", "chair", 12, None),
    # --- Abdomen ------------------------------------------------------------------------------------------
    Move("plank", "Plank", "strength", ("abdomen", "shoulders"), "floor", "low", "none", None, 20, holds_breath=True),
    Move("dead_bug", "Dead bug", "strength", ("abdomen",), "floor", "low", "none", 8, None, lies_on_back=True),
    Move("seated_knee_lift", "Seated knee lift", "strength", ("abdomen", "hips"), "chair", "low", "chair", 10, None),
    Move("standing_knee_to_elbow", "Standing knee to elbow", "strength", ("abdomen",), "standing", "low", "none", 10, None),
    Move("seated_twist", "Seated twist", "strength", ("abdomen", "back"), "chair", "low", "chair", 10, None),
    Move("band_anti_rotation_press", "Band press-out", "strength", ("abdomen", "shoulders"), "standing", "low", "band", 10, None),
    # --- Chest --------------------------------------------------------------------------------------------
    Move("wall_push_up", "Wall push-up", "strength", ("chest", "shoulders", "arms"), "wall", "low", "wall", 10, None),
    Move("counter_push_up", "Counter push-up", "strength", ("chest", "shoulders", "arms"), "standing", "low", "none", 10, None),
    Move("knee_push_up", "Knee push-up", "strength", ("chest", "shoulders", "arms"), "floor", "low", "none", 8, None),
    Move("push_up", "Push-up", "strength", ("chest", "shoulders", "arms"), "floor", "low", "none", 8, None),
    Move("band_chest_press", "Band chest press", "strength", ("chest", "arms"), "standing", "low", "band", 12, None),
    Move("seated_chest_press", "Seated chest press", "strength", ("chest", "arms"), "chair", "low", "weights", 10, None),
    # --- Shoulders ----------------------------------------------------------------------------------------
    Move("overhead_press", "Overhead press", "strength", ("shoulders", "arms"), "standing", "low", "weights", 10, None),
    Move("band_pull_apart", "Band pull-apart", "strength", ("shoulders", "back"), "standing", "low", "band", 12, None),
    Move("lateral_raise", "Side arm raise", "strength", ("shoulders",), "standing", "low", "weights", 10, None),
    Move("seated_arm_raise", "Seated arm raise", "strength", ("shoulders", "arms"), "chair", "low", "chair", 10, None),
    # --- Arms ---------------------------------------------------------------------------------------------
    Move("biceps_curl", "Biceps curl", "strength", ("arms",), "standing", "low", "weights", 10, None),
    Move("band_biceps_curl", "Band curl", "strength", ("arms",), "standing", "low", "band", 12, None),
    Move("chair_dip", "Chair dip", "strength", ("arms", "chest", "shoulders"), "chair", "low", "chair", 8, None),
    Move("band_triceps_press", "Band triceps press", "strength", ("arms",), "standing", "low", "band", 12, None),
    # --- Balance (in the spirit of the Otago programme: standing, a stable support at hand) ----------------
    Move("tandem_stance", "Heel-to-toe stand", "balance", ("balance",), "standing", "low", "none", None, 10),
    Move("tandem_walk", "Heel-to-toe walk", "balance", ("balance",), "standing", "low", "none", 10, None),
    Move("one_leg_stand", "One-leg stand", "balance", ("balance", "legs"), "standing", "low", "none", None, 10),
    Move("walking_backwards", "Walking backwards", "balance", ("balance",), "standing", "low", "none", 10, None),
    Move("sideways_walk", "Sideways walking", "balance", ("balance", "hips"), "standing", "low", "none", 10, None),
    Move("figure_of_eight_walk", "Figure-of-eight walk", "balance", ("balance",), "standing", "low", "none", None, 30),
    Move("toe_raise", "Toe raise", "balance", ("balance", "legs"), "standing", "low", "none", 10, None),
    Move("knee_bend", "Knee bend with support", "balance", ("balance", "legs"), "standing", "low", "none", 10, None),
    Move("heel_walk", "Heel walk", "balance", ("balance", "legs"), "standing", "low", "none", 10, None),
    # --- Warm-up ------------------------------------------------------------------------------------------
    Move("march_on_the_spot", "March on the spot", "warm_up", ("legs",), "standing", "low", "none", None, 60),
    Move("seated_march", "Seated march", "warm_up", ("legs",), "chair", "low", "chair", None, 60),
    Move("arm_circles", "Arm circles", "warm_up", ("shoulders",), "standing", "low", "none", None, 30),
    Move("shoulder_rolls", "Shoulder rolls", "warm_up", ("shoulders",), "chair", "low", "chair", None, 30),
    Move("hip_circles", "Hip circles", "warm_up", ("hips",), "standing", "low", "none", None, 30),
    # --- Cool-down and stretches --------------------------------------------------------------------------
    Move("calf_stretch", "Calf stretch", "cool_down", ("legs",), "wall", "low", "wall", None, 30),
    Move("seated_hamstring_stretch", "Seated hamstring stretch", "cool_down", ("legs", "hips"), "chair", "low", "chair", None, 30),
    Move("chest_stretch", "Chest stretch", "cool_down", ("chest", "shoulders"), "wall", "low", "wall", None, 30),
    Move("standing_quad_stretch", "Front-of-thigh stretch", "cool_down", ("legs",), "standing", "low", "none", None, 30),
    Move("upper_back_stretch", "Upper-back stretch", "cool_down", ("back", "shoulders"), "chair", "low", "chair", None, 30),
    Move("slow_breathing", "Slow breathing", "cool_down", (), "chair", "low", "chair", None, 60),
)  # fmt: skip

MOVES: tuple[Move, ...] = _ROWS
BY_ID: dict[str, Move] = {move.id: move for move in MOVES}
