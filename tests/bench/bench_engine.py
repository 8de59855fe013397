"""How fast is the planner? Run from the project root: `python tests/bench/bench_engine.py [N]`.

1. The engine: plans per second over N random profiles (seeded, so every run plans the same profiles), and in
   the same run the cost of serializing those plans to JSON. Goal: the engine costs at most 3 times the JSON.
2. The command line: `manage.py plan --jsonl` over 100,000 profiles. Goal: under 60 seconds.
"""

import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from planner import engine  # noqa: E402
from planner.engine import make_plan  # noqa: E402
from planner.tests.profiles import random_profile  # noqa: E402

SEED = 2026
ENGINE_PROFILES = 20_000
COMMAND_PROFILES = 100_000
ENGINE_GOAL_RATIO = 3.0
COMMAND_GOAL_SECONDS = 60.0

encode = json.JSONEncoder(separators=(",", ":")).encode  # the command's own encoder settings


def best_of(runs: int, work) -> float:
    """The fastest of a few runs, to keep other processes' noise out of the figure."""
    return min(_timed(work) for _ in range(runs))


def _timed(work) -> float:
    """Like timeit: the garbage collector waits until the run is over."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start
    finally:
        gc.enable()


def bench_engine(count: int) -> bool:
    rng = random.Random(SEED)
    profiles = [random_profile(rng) for _ in range(count)]
    plans = [make_plan(profile) for profile in profiles]  # warm up, and the plans to serialize

    def plan_all():
        engine.plan_layout.cache_clear()  # no help from the engine's caches: every pass starts cold
        engine.roomiest_days.cache_clear()
        for profile in profiles:
            make_plan(profile)

    engine_seconds = best_of(3, plan_all)

    def encode_all():
        for plan in plans:
            encode(plan)

    json_seconds = best_of(3, encode_all)
    ratio = engine_seconds / json_seconds
    sessions = sum(len(plan["sessions"]) for plan in plans) / count
    for label, seconds in (("engine:       ", engine_seconds), ("serialization:", json_seconds)):
        print(f"{label} {count / seconds:>10,.0f} plans/s   ({1e6 * seconds / count:.1f} us a plan)")
    print(f"ratio engine/serialization: {ratio:.2f} (goal: at most {ENGINE_GOAL_RATIO:.0f})", end="   ")
    print("OK" if ratio <= ENGINE_GOAL_RATIO else "OVER GOAL")
    print(f"({count:,} random profiles, seed {SEED}, {sessions:.1f} sessions a plan on average)")
    return ratio <= ENGINE_GOAL_RATIO


def bench_command(count: int) -> bool:
    rng = random.Random(SEED + 1)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "profiles.jsonl"
        with source.open("w") as file:
            for _ in range(count):
                file.write(json.dumps(random_profile(rng)) + "\n")
        with source.open("rb") as stdin, (Path(folder) / "plans.jsonl").open("wb") as stdout:
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "manage.py", "plan", "--jsonl"],
                stdin=stdin,
                stdout=stdout,
                cwd=ROOT,
                env=dict(os.environ, PYTHONHASHSEED="0"),
                check=False,
            )
            seconds = time.perf_counter() - start
        lines = sum(1 for _ in (Path(folder) / "plans.jsonl").open("rb"))
    good = result.returncode == 0 and lines == count and seconds < COMMAND_GOAL_SECONDS
    goal = f"goal: under {COMMAND_GOAL_SECONDS:.0f} s"
    print(f"manage.py plan --jsonl: {count:,} profiles in {seconds:.1f} s ({goal})", end="   ")
    print("OK" if good else f"FAILED (exit {result.returncode}, {lines:,} lines out)")
    return good


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else ENGINE_PROFILES
    engine_ok = bench_engine(count)
    command_ok = bench_command(COMMAND_PROFILES)
    return 0 if engine_ok and command_ok else 1


if __name__ == "__main__":
    sys.exit(main())
