"""The words and order of the move pages (/moves/ and /moves/<id>/): plain Python over planner/moves.py.

The views stay thin: they look a move up and hand these dicts to the templates.
"""

from planner.catalogue import MAJOR_MUSCLE_GROUPS
from planner.moves import MOVES, Move
from planner.steps import duration_words

KIND_HEADINGS = {
    "strength": "Strength",
    "balance": "Balance",
    "warm_up": "Warm-up",
    "cool_down": "Cool-down and stretches",
}
KIND_INTROS = {
    "strength": (
        "Moves that make your muscles work against your own weight, a band or a weight, by muscle group."
    ),
    "balance": "Moves that train your balance. Keep a kitchen counter or something else steady within reach.",
    "warm_up": "Gentle moves to get your body ready before you start.",
    "cool_down": "Slow moves and stretches to finish with.",
}
POSITION_WORDS = {"standing": "Standing", "chair": "On a chair", "wall": "At a wall", "floor": "On the floor"}
EQUIPMENT_WORDS = {
    "none": "Nothing needed",
    "wall": "A wall",
    "chair": "A steady chair",
    "band": "A resistance band",
    "weights": "Hand weights (water bottles will do)",
}
IMPACT_WORDS = {"low": "Low: no jumping", "high": "High: includes jumping"}
# Walking moves count their repetitions in steps.
COUNTED_IN_STEPS = {"tandem_walk", "walking_backwards", "sideways_walk", "heel_walk"}


def picture_path(move: Move) -> str:
    """The picture's path for {% static %}: the start and end positions (planner/move_drawings.py)."""
    return f"planner/moves/{move.id}.svg"


def dose_words(move: Move) -> str:
    """ "10 repetitions", "10 steps", "30 seconds", "1 minute"."""
    if move.reps:
        unit = "step" if move.id in COUNTED_IN_STEPS else "repetition"
        return f"{move.reps} {unit}{'' if move.reps == 1 else 's'}"
    return duration_words(move.seconds or 0)


def muscle_words(move: Move) -> str:
    groups = [group.capitalize() for group in move.muscle_groups]
    return ", ".join(groups) if groups else "None in particular: it helps you calm down"


def cautions(move: Move) -> list[str]:
    """Who should leave the move out, from its attributes."""
    notes = []
    if move.holds_breath:
        notes.append(
            "It is a held position, which can tempt you to hold your breath: leave it out if you have "
            "a heart condition or high blood pressure, unless a doctor has said it is fine."
        )
    if move.lies_on_back:
        notes.append(
            "It is done lying flat on your back: leave it out after the first three months of pregnancy."
        )
    if move.impact == "high":
        notes.append(
            "It includes jumping: leave it out if you are pregnant, have sore joints or a health "
            "condition, or are new to exercise."
        )
    if move.position == "floor":
        notes.append(
            "You need to get down to the floor and back up again: choose a standing or chair move "
            "if that is hard."
        )
    return notes


def card(move: Move) -> dict:
    """What the index shows for one move."""
    return {
        "move": move,
        "picture": picture_path(move),
        "position": POSITION_WORDS.get(move.position, move.position),
        "equipment": EQUIPMENT_WORDS.get(move.equipment, move.equipment),
    }


def detail(move: Move) -> dict:
    """What a move's page shows besides its own text fields."""
    return {
        **card(move),
        "kind": KIND_HEADINGS.get(move.kind, move.kind),
        "muscles": muscle_words(move),
        "impact": IMPACT_WORDS.get(move.impact, move.impact),
        "dose": dose_words(move),
        "cautions": cautions(move),
    }


def sections(moves: tuple[Move, ...] = MOVES) -> list[dict]:
    """The index: strength by its main (first) muscle group, then balance, warm-up and cool-down.

    [{"kind", "heading", "intro", "groups": [{"heading": "Legs" or None, "slug", "cards": [...]}]}]
    """
    result = []
    for kind, heading in KIND_HEADINGS.items():
        of_kind = [move for move in moves if move.kind == kind]
        if not of_kind:
            continue
        if kind == "strength":
            groups = []
            for group in MAJOR_MUSCLE_GROUPS:
                cards = [card(move) for move in of_kind if move.muscle_groups[:1] == (group,)]
                if cards:
                    groups.append(
                        {"heading": group.capitalize(), "slug": f"strength-{group}", "cards": cards}
                    )
            others = [
                card(move)
                for move in of_kind
                if move.muscle_groups[:1] not in [(g,) for g in MAJOR_MUSCLE_GROUPS]
            ]
            if others:
                groups.append({"heading": "Other", "slug": "strength-other", "cards": others})
        else:
            groups = [
                {"heading": None, "slug": kind.replace("_", "-"), "cards": [card(move) for move in of_kind]}
            ]
        result.append(
            {
                "kind": kind,
                "slug": kind.replace("_", "-"),
                "heading": heading,
                "intro": KIND_INTROS[kind],
                "groups": groups,
            }
        )
    return result
