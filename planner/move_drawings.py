"""The move pictures: a line drawing of each move's start and end positions, as SVG, drawn for Steady.

Plain Python, no Django. Each move has two poses, its start (left) and end (right), with a small arrow
between them. A pose is a stick figure in a 150 x 140 panel: where its hip is, how far its body leans,
and where its hands and ankles are; the elbows and knees are worked out (two-segment limbs of fixed
lengths), so every figure has the same proportions. Seen from the side the figure faces right, and the
limbs on the far side are drawn paler; a few moves are seen from the front. Props (floor, chair, wall,
counter, step, door, band, weights) are simple grey lines; bands and movement arrows are blue.

Write every picture to planner/static/planner/moves/<id>.svg:

    .venv/bin/python -m planner.move_drawings
"""

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from planner.moves import MOVES

OUT_DIR = Path(__file__).resolve().parent / "static" / "planner" / "moves"

PANEL_W, PANEL_H, GAP = 150, 140, 30
WIDTH, HEIGHT = 2 * PANEL_W + GAP, PANEL_H
FLOOR = 127  # where the ankles of a standing figure are; the floor line is just below
THIGH, SHIN, TORSO, NECK, HEAD, UPPER_ARM, FOREARM, FOOT = 27, 27, 34, 4, 8, 19, 18, 8
SHOULDER_HALF, HIP_HALF = 10, 6  # front view
INK, PALE, PROP, ACCENT, FILL = "#343a40", "#9aa1a8", "#6c757d", "#1d5f8a", "#f1f3f5"

Point = tuple[float, float]


def at_angle(origin: Point, degrees: float, length: float) -> Point:
    """The point `length` away from origin, at an angle measured from straight down (+ turns toward +x)."""
    radians = math.radians(degrees)
    return (origin[0] + length * math.sin(radians), origin[1] + length * math.cos(radians))


def angle_of(a: Point, b: Point) -> float:
    """The angle of the line a to b, measured like at_angle's."""
    return math.degrees(math.atan2(b[0] - a[0], b[1] - a[1]))


def middle_joint(root: Point, target: Point, first: float, second: float, bend: int) -> tuple[Point, Point]:
    """Knee or elbow, and where the limb really ends: a two-segment limb from root reaching for target.

    bend -1 puts the joint on the side a clockwise turn of root-to-target points to (knees, forward of a
    standing leg), +1 the other side (elbows, behind a hanging arm). Out of reach: the limb is straight.
    """
    dx, dy = target[0] - root[0], target[1] - root[1]
    reach = math.hypot(dx, dy)
    if reach >= first + second - 0.01:
        direction = angle_of(root, target)
        joint = at_angle(root, direction, first)
        return joint, at_angle(joint, direction, second)
    reach = max(reach, abs(first - second) + 0.01)
    turn = math.acos((first * first + reach * reach - second * second) / (2 * first * reach))
    ux, uy = dx / reach, dy / reach
    turn *= bend
    jx = ux * math.cos(turn) - uy * math.sin(turn)
    jy = ux * math.sin(turn) + uy * math.cos(turn)
    return (root[0] + first * jx, root[1] + first * jy), target


@dataclass(frozen=True)
class Pose:
    """A figure. Side view: index 0 of hands, ankles and feet is the near limb, 1 the far one (paler).
    Front view: index 0 is on the left of the picture, 1 on the right."""

    hip: Point
    hands: tuple[Point, Point]
    ankles: tuple[Point, Point]
    lean: float = 0  # the body's angle from upright, + leaning toward +x
    head: float | None = None  # the neck's angle from upright; the body's when None
    feet: tuple[float | None, float | None] = (None, None)  # each foot's angle from straight down
    front: bool = False
    shoulder_half: float = SHOULDER_HALF  # front view: a turned body looks narrower
    shrug: float = 0  # front view: shoulders lifted by this much
    elbows: tuple[int, int] = (1, 1)
    knees: tuple[int, int] = (-1, -1)
    reach: bool = False  # arms pointing at the viewer: drawn straight and short (front view)
    sits: bool = False  # front view, sitting: the thighs point at the viewer

    def joints(self) -> dict[str, Point]:
        up = 180 - self.lean
        shoulder = at_angle(self.hip, up, TORSO)
        head_angle = 180 - (self.head if self.head is not None else self.lean)
        joints = {"hip": self.hip, "shoulder": shoulder}
        joints["head"] = at_angle(shoulder, head_angle, NECK + HEAD)
        joints["neck"] = at_angle(shoulder, head_angle, NECK)
        for i, side in enumerate((-1, 1)):
            if self.front:
                across = 90 - self.lean
                sh = at_angle((shoulder[0], shoulder[1] - self.shrug), across, side * self.shoulder_half)
                hp = at_angle(self.hip, across, side * HIP_HALF)
            else:
                sh, hp = shoulder, self.hip
            if self.reach:
                hand = self.hands[i]
                elbow = ((sh[0] + hand[0]) / 2, (sh[1] + hand[1]) / 2)
            else:
                elbow, hand = middle_joint(sh, self.hands[i], UPPER_ARM, FOREARM, self.elbows[i])
            if self.sits:
                knee = (hp[0] + side * 3, SEAT + 4)
                ankle = (self.ankles[i][0], FLOOR)
            else:
                knee, ankle = middle_joint(hp, self.ankles[i], THIGH, SHIN, self.knees[i])
            foot = self.feet[i]
            if foot is None:
                if self.front:
                    foot = 90 * side
                elif ankle[1] >= FLOOR - 6:
                    foot = 90
                else:
                    foot = angle_of(knee, ankle) + 90
            length = FOOT * 0.75 if self.front else FOOT
            joints.update(
                {
                    f"shoulder{i}": sh,
                    f"elbow{i}": elbow,
                    f"hand{i}": hand,
                    f"hip{i}": hp,
                    f"knee{i}": knee,
                    f"ankle{i}": ankle,
                    f"toe{i}": at_angle(ankle, foot, length),
                }
            )
        return joints


def standing(x: float, **changes) -> Pose:
    """Upright on both feet at x, arms by the sides (side view)."""
    values = {
        "hip": (x, FLOOR - THIGH - SHIN),
        "hands": ((x + 5, 73), (x - 3, 74)),
        "ankles": ((x, FLOOR),) * 2,
    }
    values.update(changes)
    return Pose(**values)


def standing_front(x: float, **changes) -> Pose:
    values = {
        "hip": (x, FLOOR - THIGH - SHIN),
        "hands": ((x - 14, 73), (x + 14, 73)),
        "ankles": ((x - 7, FLOOR), (x + 7, FLOOR)),
        "front": True,
    }
    values.update(changes)
    return Pose(**values)


SEAT = 100  # a chair's seat height


def seated(chair_x: float, **changes) -> Pose:
    """Sitting tall on a chair whose back is at chair_x (side view)."""
    values = {
        "hip": (chair_x + 12, SEAT - 3),
        "hands": ((chair_x + 30, 93), (chair_x + 26, 94)),
        "ankles": ((chair_x + 41, FLOOR), (chair_x + 37, FLOOR)),
    }
    values.update(changes)
    return Pose(**values)


# --- Props: each draws itself as SVG elements, given the pose's joints -----------------------------------


def line(a: Point, b: Point, colour=PROP, width=2, extra="") -> str:
    return (
        f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"{extra}/>'
    )


def polyline(points, colour=PROP, width=2, extra="") -> str:
    text = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline points="{text}" fill="none" stroke="{colour}" stroke-width="{width}"{extra}/>'


def rect(x, y, w, h, fill=FILL) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}" '
        f'stroke="{PROP}" stroke-width="2"/>'
    )


def chair(x: float, facing: int = 1):
    """A chair seen from the side, its back at x, its seat reaching 28 toward `facing`."""

    def draw(j):
        front = x + 28 * facing
        return [
            polyline([(x, 56), (x, FLOOR + 2)]),
            polyline([(x, SEAT), (front, SEAT), (front, FLOOR + 2)]),
        ]

    return draw


def chair_front(x: float):
    """A chair seen from the front, centred on x: the back behind the figure, the seat, two legs."""

    def draw(j):
        return [
            polyline([(x - 17, SEAT), (x - 17, 58), (x + 17, 58), (x + 17, SEAT)], colour=PALE),
            line((x - 19, SEAT), (x + 19, SEAT)),
            line((x - 16, SEAT), (x - 16, FLOOR + 2)),
            line((x + 16, SEAT), (x + 16, FLOOR + 2)),
        ]

    return draw


def wall(x: float, side: int = -1, top: float = 14):
    """A wall at x; its hatching on the side away from the figure (side -1: to the left)."""

    def draw(j):
        items = [line((x, top), (x, FLOOR + 2), width=3)]
        for y in range(int(top) + 6, FLOOR, 12):
            items.append(line((x, y), (x + 6 * side, y + 6), width=1))
        return items

    return draw


def counter(x: float, width: float = 40, top: float = 72):
    def draw(j):
        return [rect(x, top, width, FLOOR + 2 - top), line((x - 3, top), (x + width + 3, top), width=3)]

    return draw


def table(x: float, width: float, top: float = SEAT):
    """A sturdy low table seen from the side: a top and two legs."""

    def draw(j):
        return [
            line((x - 2, top), (x + width + 2, top), width=3),
            line((x + 3, top), (x + 3, FLOOR + 2)),
            line((x + width - 3, top), (x + width - 3, FLOOR + 2)),
        ]

    return draw


def step_box(x: float, width: float, height: float):
    def draw(j):
        return [rect(x, FLOOR + 2 - height, width, height)]

    return draw


def door(x: float):
    """A door frame seen edge-on: where a band is fixed."""

    def draw(j):
        return [rect(x - 3, 12, 6, FLOOR + 2 - 12, fill="#fff")]

    return draw


def mat(x1: float, x2: float):
    def draw(j):
        return [rect(x1, FLOOR + 2, x2 - x1, 3, fill="#dee2e6")]

    return draw


def band(anchor: Point, *hands: str):
    """A band from a fixed point to each named joint."""

    def draw(j):
        return [line(anchor, j[h], colour=ACCENT, width=2) for h in hands]

    return draw


def band_between(*names: str):
    """A band running through the named joints in order (hands, feet)."""

    def draw(j):
        return [polyline([j[n] for n in names], colour=ACCENT, width=2)]

    return draw


def band_under_feet(*hands: str):
    """A band from under the feet up to each hand."""

    def draw(j):
        foot = ((j["ankle0"][0] + j["toe0"][0]) / 2, FLOOR + 1)
        return [line(foot, j[h], colour=ACCENT, width=2) for h in hands]

    return draw


def weights(*hands: str):
    """A small dumbbell in each named hand, across the forearm."""

    def draw(j):
        items = []
        for h in hands:
            i = h[-1]
            direction = angle_of(j[f"elbow{i}"], j[h]) + 90
            a, b = at_angle(j[h], direction, 6), at_angle(j[h], direction, -6)
            items.append(line(a, b, colour=INK, width=3))
            for end in (a, b):
                items.append(f'<circle cx="{end[0]:.1f}" cy="{end[1]:.1f}" r="3" fill="{INK}"/>')
        return items

    return draw


def held_weight(offset: Point = (4, 0)):
    """One weight held upright at the chest with both hands."""

    def draw(j):
        x, y = j["hand0"][0] + offset[0], j["hand0"][1] + offset[1]
        return [f'<rect x="{x - 4:.1f}" y="{y - 9:.1f}" width="8" height="18" rx="3" fill="{INK}"/>']

    return draw


def arrow(a: Point, b: Point, colour=ACCENT):
    """A small straight arrow from a to b."""

    def draw(j):
        return [line(a, b, colour=colour, width=2), arrowhead(b, angle_of(a, b), colour)]

    return draw


def curved_arrow(a: Point, control: Point, b: Point, colour=ACCENT):
    def draw(j):
        path = (
            f'<path d="M{a[0]:.1f} {a[1]:.1f} Q{control[0]:.1f} {control[1]:.1f} {b[0]:.1f} {b[1]:.1f}" '
            f'fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        return [path, arrowhead(b, angle_of(control, b), colour)]

    return draw


def circle_mark(joint: str, radius: float = 7):
    def draw(j):
        x, y = j[joint]
        return [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="none" stroke="{ACCENT}" '
            f'stroke-width="1.5" stroke-dasharray="3 2"/>'
        ]

    return draw


def eight(x: float, width: float = 110):
    """A figure-of-eight path on the floor, seen at a low angle, with a marker in each loop."""

    def draw(j):
        rx, ry, y = width / 4, 6, FLOOR + 1
        items = []
        for cx in (x + rx, x + 3 * rx):
            items.append(
                f'<ellipse cx="{cx:.1f}" cy="{y}" rx="{rx:.1f}" ry="{ry}" fill="none" stroke="{ACCENT}" '
                f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
            items.append(f'<rect x="{cx - 4:.1f}" y="{y - 3}" width="8" height="5" rx="2" fill="{PROP}"/>')
        return items

    return draw


def arrowhead(tip: Point, direction: float, colour: str) -> str:
    left, right = at_angle(tip, direction + 150, 6), at_angle(tip, direction - 150, 6)
    return (
        f'<path d="M{left[0]:.1f} {left[1]:.1f} L{tip[0]:.1f} {tip[1]:.1f} L{right[0]:.1f} {right[1]:.1f}" '
        f'fill="none" stroke="{colour}" stroke-width="2"/>'
    )


# --- The figure ------------------------------------------------------------------------------------------


def figure(pose: Pose, j: dict[str, Point]) -> list[str]:
    pale = INK if pose.front else PALE
    items = []
    for i, colour in ((1, pale), (0, INK)):
        if i == 0:
            spine = [j["hip1"], j["hip0"]] if pose.front else []
            if spine:
                items.append(polyline(spine, colour=INK, width=3))
            items.append(polyline([j["hip"], j["shoulder"], j["neck"]], colour=INK, width=3))
            if pose.front:
                items.append(polyline([j["shoulder0"], j["shoulder1"]], colour=INK, width=3))
            hx, hy = j["head"]
            items.append(
                f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="{HEAD}" fill="#fff" '
                f'stroke="{INK}" stroke-width="3"/>'
            )
        items.append(
            polyline([j[f"hip{i}"], j[f"knee{i}"], j[f"ankle{i}"], j[f"toe{i}"]], colour=colour, width=3)
        )
        items.append(polyline([j[f"shoulder{i}"], j[f"elbow{i}"], j[f"hand{i}"]], colour=colour, width=3))
    return items


@dataclass
class Panel:
    pose: Pose
    props: list = field(default_factory=list)  # drawn behind the figure
    marks: list = field(default_factory=list)  # drawn in front of it (bands, weights, arrows)


@dataclass
class Drawing:
    start: Panel
    end: Panel
    floor: bool = True


def render(move_id: str, drawing: Drawing, title: str) -> str:
    parts = []
    for offset, panel in ((0, drawing.start), (PANEL_W + GAP, drawing.end)):
        j = panel.pose.joints()
        items = []
        if drawing.floor:
            items.append(line((4, FLOOR + 2), (PANEL_W - 4, FLOOR + 2)))
        for prop in panel.props:
            items.extend(prop(j))
        items.extend(figure(panel.pose, j))
        for mark in panel.marks:
            items.extend(mark(j))
        body = "".join(items)
        parts.append(f'<g transform="translate({offset} 0)">{body}</g>' if offset else f"<g>{body}</g>")
    mid = PANEL_W + GAP / 2
    parts.append(line((mid - 10, 70), (mid + 9, 70), colour=PROP) + arrowhead((mid + 10, 70), 90, PROP))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="{move_id}-title">'
        f'<title id="{move_id}-title">{escape(title)}</title>'
        f'<g fill="none" stroke-linecap="round" stroke-linejoin="round">{"".join(parts)}</g></svg>\n'
    )


# --- The moves -------------------------------------------------------------------------------------------

S = FLOOR - THIGH - SHIN  # a standing hip's height


def drawings() -> dict[str, Drawing]:
    d: dict[str, Drawing] = {}

    def at_counter(x: float, **changes) -> Pose:
        """Standing at x, the near hand on a counter just in front (see beside_counter)."""
        values = {"hands": ((x + 19, 72), (x - 3, 74))}
        values.update(changes)
        return standing(x, **values)

    def beside_counter(x: float, width: float = 44) -> list:
        return [counter(x + 18, width)]

    # Legs and hips
    d["squat"] = Drawing(
        Panel(standing(70)),
        Panel(standing(70, hip=(57, 95), lean=36, ankles=((74, FLOOR),) * 2, hands=((116, 62), (114, 64)))),
    )
    d["sit_to_stand"] = Drawing(
        Panel(seated(30, lean=22, hands=((62, 70), (58, 70))), [chair(30)]),
        Panel(standing(78, hands=((92, 46), (88, 46))), [chair(30)]),
    )
    d["split_squat"] = Drawing(
        Panel(standing(75, ankles=((92, FLOOR), (52, FLOOR - 4)), hip=(72, S + 2), feet=(None, 120))),
        Panel(standing(75, hip=(70, S + 22), ankles=((92, FLOOR), (46, FLOOR - 4)), feet=(None, 120))),
    )
    d["step_up"] = Drawing(
        Panel(
            standing(60, ankles=((88, 113), (58, FLOOR)), hip=(62, S), hands=((66, 74), (58, 74))),
            [step_box(80, 56, 14)],
        ),
        Panel(
            standing(100, hip=(100, S - 14), ankles=((102, 113), (96, 113)), hands=((105, 60), (97, 60))),
            [step_box(80, 56, 14)],
        ),
    )
    d["glute_bridge"] = Drawing(
        Panel(
            Pose(
                hip=(72, 120),
                lean=-90,
                head=-90,
                hands=((74, 124), (72, 124)),
                ankles=((110, FLOOR), (106, FLOOR)),
                elbows=(-1, -1),
            ),
            [mat(8, 142)],
        ),
        Panel(
            Pose(
                hip=(72, 98),
                lean=-120,
                head=-90,
                hands=((74, 124), (72, 124)),
                ankles=((110, FLOOR), (106, FLOOR)),
                elbows=(-1, -1),
            ),
            [mat(8, 142)],
        ),
    )
    d["wall_sit"] = Drawing(
        Panel(
            standing(30, hip=(28, S), hands=((33, 73), (26, 74)), ankles=((40, FLOOR), (38, FLOOR))),
            [wall(18)],
        ),
        Panel(
            standing(30, hip=(26, 100), hands=((50, 100), (46, 100)), ankles=((52, FLOOR), (50, FLOOR))),
            [wall(18)],
        ),
    )
    d["heel_raise"] = Drawing(
        Panel(at_counter(60), beside_counter(60)),
        Panel(
            at_counter(
                60, hip=(61, S - 6), ankles=((62, FLOOR - 6),) * 2, feet=(40, 40), hands=((79, 72), (59, 68))
            ),
            beside_counter(60),
        ),
    )
    d["seated_knee_extension"] = Drawing(
        Panel(seated(30, hands=((44, 98), (40, 98))), [chair(30)]),
        Panel(
            seated(30, hands=((44, 98), (40, 98)), ankles=((94, 92), (67, FLOOR)), feet=(170, None)),
            [chair(30)],
        ),
    )
    d["side_leg_raise"] = Drawing(
        Panel(
            standing_front(85, hands=((56, 68), (99, 73)), ankles=((82, FLOOR), (88, FLOOR))),
            [chair_front(50)],
        ),
        Panel(
            standing_front(82, hands=((53, 68), (96, 73)), ankles=((80, FLOOR), (120, 117))),
            [chair_front(50)],
        ),
    )
    d["goblet_squat"] = Drawing(
        Panel(standing(70, hands=((80, 55), (78, 55))), marks=[held_weight()]),
        Panel(
            standing(70, hip=(58, 97), lean=30, ankles=((74, FLOOR),) * 2, hands=((87, 80), (85, 80))),
            marks=[held_weight()],
        ),
    )
    d["band_squat"] = Drawing(
        Panel(standing(70, hands=((80, 42), (77, 42))), marks=[band_under_feet("hand0")]),
        Panel(
            standing(70, hip=(58, 97), lean=30, ankles=((74, FLOOR),) * 2, hands=((84, 70), (81, 70))),
            marks=[band_under_feet("hand0")],
        ),
    )
    d["jump_squat"] = Drawing(
        Panel(standing(70, hip=(62, 90), lean=30, ankles=((74, FLOOR),) * 2, hands=((50, 96), (52, 96)))),
        Panel(
            standing(
                70,
                hip=(72, S - 12),
                ankles=((73, FLOOR - 12), (70, FLOOR - 12)),
                feet=(30, 30),
                hands=((96, 12), (92, 12)),
            ),
            marks=[arrow((112, 100), (112, 76))],
        ),
    )

    # Back
    d["back_extension"] = Drawing(
        Panel(
            Pose(
                hip=(62, 120), lean=90, head=90, hands=((62, 124), (60, 124)), ankles=((10, 122), (12, 122))
            ),
            [mat(6, 144)],
        ),
        Panel(
            Pose(
                hip=(62, 120), lean=70, head=60, hands=((60, 121), (58, 121)), ankles=((10, 122), (12, 122))
            ),
            [mat(6, 144)],
        ),
    )
    bird = {"hip": (60, 92), "lean": 90, "head": 100, "knees": (1, 1), "feet": (-90, -90)}
    d["bird_dog"] = Drawing(
        Panel(
            Pose(**bird, hands=((96, FLOOR), (92, FLOOR)), ankles=((36, FLOOR - 2), (32, FLOOR - 2))),
            [mat(6, 144)],
        ),
        Panel(Pose(**bird, hands=((132, 88), (92, FLOOR)), ankles=((6, 90), (32, FLOOR - 2))), [mat(6, 144)]),
    )
    d["wall_angel"] = Drawing(
        Panel(standing_front(75, hands=((52, 30), (98, 30)), elbows=(-1, 1)), [wall_front()]),
        Panel(standing_front(75, hands=((57, 4), (93, 4)), elbows=(-1, 1)), [wall_front()]),
    )
    d["band_row"] = Drawing(
        Panel(
            standing(70, hands=((106, 60), (104, 60)), ankles=((74, FLOOR), (66, FLOOR))),
            [door(136)],
            [band((136, 60), "hand0")],
        ),
        Panel(
            standing(70, hands=((84, 58), (82, 58)), ankles=((74, FLOOR), (66, FLOOR))),
            [door(136)],
            [band((136, 60), "hand0")],
        ),
    )
    row = {"hip": (48, 76), "lean": 72, "head": 78, "ankles": ((50, FLOOR), (38, FLOOR))}
    d["dumbbell_row"] = Drawing(
        Panel(Pose(**row, hands=((82, 108), (106, SEAT - 1))), [table(94, 44)], [weights("hand0")]),
        Panel(Pose(**row, hands=((60, 78), (106, SEAT - 1))), [table(94, 44)], [weights("hand0")]),
    )
    d["seated_row_squeeze"] = Drawing(
        Panel(seated(30, hands=((78, 66), (76, 66))), [chair(30)]),
        Panel(seated(30, hands=((48, 78), (46, 78))), [chair(30)]),
    )

    # Abdomen
    d["plank"] = Drawing(
        Panel(
            Pose(
                hip=(61, 100),
                lean=104,
                head=100,
                hands=((112, FLOOR), (110, FLOOR)),
                ankles=((34, 126), (32, 126)),
                feet=(-90, -90),
            ),
            [mat(6, 144)],
        ),
        Panel(
            Pose(
                hip=(61, 114),
                lean=80,
                head=84,
                hands=((112, FLOOR), (110, FLOOR)),
                ankles=((8, 121), (8, 121)),
                feet=(10, 10),
            ),
            [mat(4, 146)],
        ),
    )
    d["dead_bug"] = Drawing(
        Panel(
            Pose(hip=(72, 120), lean=-90, head=-90, hands=((40, 84), (36, 84)), ankles=((99, 94), (95, 94))),
            [mat(6, 144)],
        ),
        Panel(
            Pose(
                hip=(72, 120), lean=-90, head=-90, hands=((4, 112), (36, 84)), ankles=((124, 113), (95, 94))
            ),
            [mat(6, 144)],
        ),
    )
    d["seated_knee_lift"] = Drawing(
        Panel(seated(30, lean=-6, hands=((45, 100), (41, 100))), [chair(30)]),
        Panel(
            seated(30, lean=-10, hands=((45, 100), (41, 100)), ankles=((72, 98), (67, FLOOR))), [chair(30)]
        ),
    )
    d["standing_knee_to_elbow"] = Drawing(
        Panel(standing(70, hands=((66, 22), (64, 22)), elbows=(-1, -1))),
        Panel(
            standing(
                70,
                lean=18,
                head=20,
                hands=((72, 24), (70, 24)),
                ankles=((88, 96), (70, FLOOR)),
                elbows=(-1, -1),
            )
        ),
    )
    d["seated_twist"] = Drawing(
        Panel(seated_front(75, hands=((86, 52), (64, 52))), [chair_front(75)]),
        Panel(
            seated_front(75, hands=((90, 54), (74, 50)), shoulder_half=5, head=6),
            [chair_front(75)],
            [curved_arrow((60, 26), (75, 14), (92, 22))],
        ),
    )
    d["band_anti_rotation_press"] = Drawing(
        Panel(
            standing(80, hands=((92, 50), (90, 50)), ankles=((84, FLOOR), (76, FLOOR))),
            [door(20)],
            [band((20, 50), "hand0")],
        ),
        Panel(
            standing(80, hands=((118, 50), (116, 50)), ankles=((84, FLOOR), (76, FLOOR))),
            [door(20)],
            [band((20, 50), "hand0")],
        ),
    )

    # Chest
    d["wall_push_up"] = Drawing(
        Panel(
            Pose(
                hip=(76, 76),
                lean=20,
                hands=((124, 42), (122, 44)),
                ankles=((60, FLOOR), (58, FLOOR)),
                feet=(75, 75),
            ),
            [wall(128, 1)],
        ),
        Panel(
            Pose(
                hip=(86, 74),
                lean=30,
                head=32,
                hands=((124, 42), (122, 44)),
                ankles=((60, FLOOR), (58, FLOOR)),
                feet=(60, 60),
            ),
            [wall(128, 1)],
        ),
    )
    d["counter_push_up"] = Drawing(
        Panel(
            Pose(
                hip=(76, 89),
                lean=45,
                hands=((126, 90), (124, 90)),
                ankles=((38, FLOOR), (36, FLOOR)),
                feet=(60, 60),
            ),
            [counter(120, 28, top=91)],
        ),
        Panel(
            Pose(
                hip=(82, 96),
                lean=55,
                hands=((126, 90), (124, 90)),
                ankles=((38, FLOOR), (36, FLOOR)),
                feet=(50, 50),
            ),
            [counter(120, 28, top=91)],
        ),
    )
    d["knee_push_up"] = Drawing(
        Panel(
            Pose(
                hip=(62, 110),
                lean=54,
                head=58,
                hands=((92, FLOOR), (90, FLOOR)),
                ankles=((16, 112), (14, 112)),
                feet=(-90, -90),
            ),
            [mat(6, 144)],
        ),
        Panel(
            Pose(
                hip=(66, 120),
                lean=77,
                head=80,
                hands=((92, FLOOR), (90, FLOOR)),
                ankles=((16, 112), (14, 112)),
                feet=(-90, -90),
            ),
            [mat(6, 144)],
        ),
    )
    d["push_up"] = Drawing(
        Panel(
            Pose(
                hip=(58, 102),
                lean=69,
                head=72,
                hands=((92, FLOOR), (90, FLOOR)),
                ankles=((8, 122), (8, 122)),
                feet=(20, 20),
            ),
            [mat(4, 146)],
        ),
        Panel(
            Pose(
                hip=(62, 116),
                lean=83,
                head=85,
                hands=((92, FLOOR), (90, FLOOR)),
                ankles=((8, 122), (8, 122)),
                feet=(20, 20),
            ),
            [mat(4, 146)],
        ),
    )
    d["band_chest_press"] = Drawing(
        Panel(
            standing(70, hands=((84, 52), (82, 52)), ankles=((78, FLOOR), (64, FLOOR))),
            [door(20)],
            [band((20, 52), "hand0")],
        ),
        Panel(
            standing(70, hands=((108, 48), (106, 48)), ankles=((78, FLOOR), (64, FLOOR))),
            [door(20)],
            [band((20, 52), "hand0")],
        ),
    )
    d["seated_chest_press"] = Drawing(
        Panel(seated(30, hands=((58, 66), (56, 66))), [chair(30)], [weights("hand0")]),
        Panel(seated(30, hands=((80, 46), (78, 46))), [chair(30)], [weights("hand0")]),
    )

    # Shoulders
    d["overhead_press"] = Drawing(
        Panel(
            standing_front(75, hands=((54, 32), (96, 32)), elbows=(-1, 1)), marks=[weights("hand0", "hand1")]
        ),
        Panel(standing_front(75, hands=((62, 4), (88, 4))), marks=[weights("hand0", "hand1")]),
    )
    d["band_pull_apart"] = Drawing(
        Panel(
            standing_front(75, hands=((69, 54), (81, 54)), reach=True), marks=[band_between("hand0", "hand1")]
        ),
        Panel(standing_front(75, hands=((28, 42), (122, 42))), marks=[band_between("hand0", "hand1")]),
    )
    d["lateral_raise"] = Drawing(
        Panel(standing_front(75), marks=[weights("hand0", "hand1")]),
        Panel(standing_front(75, hands=((28, 44), (122, 44))), marks=[weights("hand0", "hand1")]),
    )
    d["seated_arm_raise"] = Drawing(
        Panel(seated(30, hands=((45, 100), (41, 100))), [chair(30)]),
        Panel(seated(30, hands=((64, 28), (62, 28))), [chair(30)]),
    )

    # Arms
    d["biceps_curl"] = Drawing(
        Panel(standing(70, hands=((73, 76), (68, 76))), marks=[weights("hand0")]),
        Panel(standing(70, hands=((82, 45), (80, 45))), marks=[weights("hand0")]),
    )
    d["band_biceps_curl"] = Drawing(
        Panel(standing(70, hands=((73, 76), (68, 76))), marks=[band_under_feet("hand0")]),
        Panel(standing(70, hands=((82, 45), (80, 45))), marks=[band_under_feet("hand0")]),
    )
    d["chair_dip"] = Drawing(
        Panel(
            Pose(hip=(46, 97), lean=-3, hands=((42, SEAT), (40, SEAT)), ankles=((74, FLOOR), (70, FLOOR))),
            [chair(14)],
        ),
        Panel(
            Pose(hip=(47, 111), lean=-3, hands=((42, SEAT), (40, SEAT)), ankles=((78, FLOOR), (74, FLOOR))),
            [chair(14)],
        ),
    )
    d["band_triceps_press"] = Drawing(
        Panel(standing(70, hands=((87, 50), (85, 50))), [door(126)], [band((126, 16), "hand0")]),
        Panel(standing(70, hands=((76, 76), (74, 76))), [door(126)], [band((126, 16), "hand0")]),
    )

    # Balance
    d["tandem_stance"] = Drawing(
        Panel(at_counter(60), beside_counter(60)),
        Panel(
            at_counter(60, hip=(62, S), ankles=((70, FLOOR), (57, FLOOR)), hands=((81, 72), (58, 74))),
            beside_counter(60),
        ),
    )
    d["tandem_walk"] = Drawing(
        Panel(
            at_counter(40, hip=(42, S), ankles=((50, FLOOR), (37, FLOOR)), hands=((61, 72), (38, 74))),
            beside_counter(40, 90),
        ),
        Panel(
            at_counter(54, hip=(56, S), ankles=((50, FLOOR), (63, FLOOR)), hands=((75, 72), (52, 74))),
            beside_counter(40, 90),
        ),
    )
    d["one_leg_stand"] = Drawing(
        Panel(at_counter(60), beside_counter(60)),
        Panel(at_counter(60, ankles=((44, 106), (60, FLOOR)), feet=(120, None)), beside_counter(60)),
    )
    d["walking_backwards"] = Drawing(
        Panel(at_counter(86), beside_counter(86, 40)),
        Panel(
            at_counter(
                74,
                hip=(76, S + 2),
                ankles=((82, FLOOR), (60, FLOOR - 2)),
                hands=((95, 72), (72, 74)),
                feet=(None, 60),
            ),
            beside_counter(86, 40),
            [arrow((70, 116), (44, 116))],
        ),
    )
    d["sideways_walk"] = Drawing(
        Panel(standing_front(60, ankles=((56, FLOOR), (64, FLOOR)))),
        Panel(standing_front(72, ankles=((58, FLOOR), (88, FLOOR))), marks=[arrow((98, 112), (124, 112))]),
    )
    d["figure_of_eight_walk"] = Drawing(
        Panel(
            standing(32, hip=(34, S), ankles=((42, FLOOR - 1), (26, FLOOR - 1)), hands=((44, 70), (24, 70))),
            [eight(20)],
        ),
        Panel(
            standing(
                112, hip=(114, S), ankles=((122, FLOOR - 1), (106, FLOOR - 1)), hands=((124, 70), (104, 70))
            ),
            [eight(20)],
        ),
    )
    d["toe_raise"] = Drawing(
        Panel(at_counter(60), beside_counter(60)),
        Panel(at_counter(60, hip=(59, S), feet=(125, 125), hands=((78, 72), (58, 74))), beside_counter(60)),
    )
    d["knee_bend"] = Drawing(
        Panel(at_counter(60, hands=((79, 72), (77, 72))), beside_counter(60)),
        Panel(
            at_counter(60, hip=(55, S + 10), lean=12, ankles=((62, FLOOR),) * 2, hands=((79, 72), (77, 72))),
            beside_counter(60),
        ),
    )
    d["heel_walk"] = Drawing(
        Panel(
            at_counter(
                40,
                hip=(41, S),
                ankles=((46, FLOOR), (34, FLOOR)),
                feet=(130, 130),
                hands=((60, 72), (38, 74)),
            ),
            beside_counter(40, 90),
        ),
        Panel(
            at_counter(
                56,
                hip=(57, S),
                ankles=((50, FLOOR), (62, FLOOR)),
                feet=(130, 130),
                hands=((76, 72), (54, 74)),
            ),
            beside_counter(40, 90),
        ),
    )

    # Warm-up
    d["march_on_the_spot"] = Drawing(
        Panel(standing(75, ankles=((86, 100), (75, FLOOR)), hands=((64, 74), (92, 66)))),
        Panel(standing(75, ankles=((75, FLOOR), (86, 100)), hands=((92, 66), (64, 74)))),
    )
    d["seated_march"] = Drawing(
        Panel(seated(30, ankles=((70, 104), (67, FLOOR)), hands=((38, 96), (58, 80))), [chair(30)]),
        Panel(seated(30, ankles=((71, FLOOR), (66, 104)), hands=((58, 80), (38, 96))), [chair(30)]),
    )
    d["arm_circles"] = Drawing(
        Panel(standing_front(75, hands=((42, 66), (108, 66)))),
        Panel(
            standing_front(75, hands=((38, 42), (112, 42))),
            marks=[circle_mark("hand0"), circle_mark("hand1")],
        ),
    )
    d["shoulder_rolls"] = Drawing(
        Panel(seated_front(75), [chair_front(75)]),
        Panel(
            seated_front(75, shrug=5, hands=((60, 90), (90, 90))),
            [chair_front(75)],
            [curved_arrow((54, 52), (52, 30), (64, 28)), curved_arrow((96, 52), (98, 30), (86, 28))],
        ),
    )
    d["hip_circles"] = Drawing(
        Panel(
            standing_front(75, hands=((64, 76), (86, 76)), elbows=(1, -1), ankles=((65, FLOOR), (85, FLOOR)))
        ),
        Panel(
            standing_front(
                75,
                hip=(84, S + 1),
                lean=-10,
                hands=((72, 76), (96, 78)),
                elbows=(1, -1),
                ankles=((65, FLOOR), (85, FLOOR)),
            ),
            marks=[curved_arrow((58, 96), (76, 112), (106, 94))],
        ),
    )

    # Cool-down
    d["calf_stretch"] = Drawing(
        Panel(standing(96, hands=((126, 44), (124, 46))), [wall(130, 1)]),
        Panel(
            standing(
                90, hip=(90, S + 4), lean=14, ankles=((106, FLOOR), (52, FLOOR)), hands=((126, 44), (124, 46))
            ),
            [wall(130, 1)],
        ),
    )
    d["seated_hamstring_stretch"] = Drawing(
        Panel(
            seated(30, ankles=((92, FLOOR - 2), (67, FLOOR)), feet=(160, None), hands=((62, 96), (58, 96))),
            [chair(30)],
        ),
        Panel(
            seated(
                30,
                lean=40,
                head=45,
                ankles=((92, FLOOR - 2), (67, FLOOR)),
                feet=(160, None),
                hands=((78, 102), (74, 102)),
            ),
            [chair(30)],
        ),
    )
    d["chest_stretch"] = Drawing(
        Panel(standing(54, hands=((36, 38), (50, 74)), elbows=(-1, 1)), [wall(30)]),
        Panel(
            standing(66, hip=(66, S), lean=6, ankles=((76, FLOOR), (62, FLOOR)), hands=((36, 38), (62, 74))),
            [wall(30)],
        ),
    )
    d["standing_quad_stretch"] = Drawing(
        Panel(at_counter(60), beside_counter(60)),
        Panel(
            at_counter(60, ankles=((50, 77), (60, FLOOR)), hands=((52, 80), (79, 72)), feet=(180, None)),
            beside_counter(60),
        ),
    )
    d["upper_back_stretch"] = Drawing(
        Panel(seated(30, hands=((45, 100), (41, 100))), [chair(30)]),
        Panel(seated(30, lean=16, head=55, hands=((86, 66), (84, 66))), [chair(30)]),
    )
    d["slow_breathing"] = Drawing(
        Panel(seated(30, lean=-6, hands=((50, 82), (48, 80))), [chair(30)], [arrow((60, 82), (70, 82))]),
        Panel(
            seated(30, lean=-6, hands=((48, 82), (46, 80)), head=-10),
            [chair(30)],
            [arrow((70, 82), (60, 82))],
        ),
    )
    return d


def seated_front(x: float, **changes) -> Pose:
    """Sitting on a chair, seen from the front: the chair drawn by the Panel's props."""
    values = {
        "hip": (x, SEAT - 8),
        "hands": ((x - 12, 96), (x + 12, 96)),
        "ankles": ((x - 10, FLOOR), (x + 10, FLOOR)),
        "front": True,
        "sits": True,
    }
    values.update(changes)
    return Pose(**values)


def wall_front():
    """The wall behind a figure seen from the front: a pale panel."""

    def draw(j):
        return [rect(30, 0, 90, FLOOR + 2, fill=FILL)]

    return draw


def write_all(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    all_drawings = drawings()
    missing = [move.id for move in MOVES if move.id not in all_drawings]
    if missing:
        raise SystemExit(f"No drawing for: {', '.join(missing)}")
    written = []
    for move in MOVES:
        path = out_dir / f"{move.id}.svg"
        path.write_text(render(move.id, all_drawings[move.id], move.alt), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    paths = write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR)
    print(f"Wrote {len(paths)} pictures to {paths[0].parent}")
