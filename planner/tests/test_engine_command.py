"""`manage.py plan`, in both modes, as a person at a shell would run it (and through call_command)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from planner.catalogue import ACTIVITY_NAMES
from planner.tests.invariants import assert_plan_ok

ROOT = Path(__file__).resolve().parents[2]

PROFILE = {
    "week_start": "2026-11-23",
    "age": 52,
    "current_minutes_per_week": 40,
    "preferences": ["dancing", "walking"],
    "available_days": ["mon", "tue", "thu", "sat"],
    "max_minutes_per_day": 40,
    "health_flags": ["chronic_condition"],
}
OTHER = PROFILE | {"age": 70, "current_minutes_per_week": 0, "available_days": ["wed", "sun"]}
BAD = PROFILE | {"week_start": "2026-11-24"}


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "plan", *args], input=stdin, capture_output=True, cwd=ROOT, check=False
    )


def lines(*profiles) -> bytes:
    return "".join(json.dumps(profile) + "\n" for profile in profiles).encode()


@pytest.fixture
def profile_file(tmp_path):
    def write(data, name="profile.json") -> str:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data))
        return str(path)

    return write


def test_one_profile_prints_its_plan(profile_file):
    result = run(profile_file(PROFILE))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert_plan_ok(PROFILE, json.loads(result.stdout), ACTIVITY_NAMES)


def test_one_profile_is_byte_for_byte_the_same_every_time(profile_file):
    path = profile_file(PROFILE)
    assert run(path).stdout == run(path).stdout


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (BAD, "week_start"),
        (PROFILE | {"age": 12}, "age"),
        (PROFILE | {"preferences": ["parkour"]}, "preferences"),
        ({k: v for k, v in PROFILE.items() if k != "max_minutes_per_day"}, "max_minutes_per_day"),
        ('{"week_start": ', "JSON"),
        ("[1, 2]", "JSON object"),
        ("", "JSON"),
    ],
)
def test_bad_profile_exits_2_with_one_sentence_and_no_output(profile_file, content, field):
    result = run(profile_file(content))
    assert result.returncode == 2
    assert result.stdout == b""
    message = result.stderr.decode().strip()
    assert field in message
    assert "\n" not in message and "Traceback" not in message


def test_missing_file_exits_2(tmp_path):
    result = run(str(tmp_path / "nowhere.json"))
    assert result.returncode == 2
    assert result.stdout == b"" and b"nowhere.json" in result.stderr


def test_jsonl_plans_every_line_in_order():
    result = run("--jsonl", stdin=lines(PROFILE, OTHER, PROFILE))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode().splitlines()
    assert len(out) == 3
    plans = [json.loads(line) for line in out]
    for profile, plan in zip((PROFILE, OTHER, PROFILE), plans, strict=True):
        assert_plan_ok(profile, plan, ACTIVITY_NAMES)
    assert out[0] == out[2] and out[0] != out[1]


def test_jsonl_bad_lines_get_an_error_and_the_rest_are_planned():
    stdin = lines(PROFILE, BAD) + b"not json\n" + b"\n" + b"[]\n" + lines(OTHER)
    result = run("--jsonl", stdin=stdin)
    assert result.returncode == 2
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(out) == 6
    assert_plan_ok(PROFILE, out[0], ACTIVITY_NAMES)
    assert set(out[1]) == {"error"} and "week_start" in out[1]["error"]
    assert set(out[2]) == {"error"} and "JSON" in out[2]["error"]
    assert set(out[3]) == {"error"} and "empty" in out[3]["error"]
    assert set(out[4]) == {"error"} and "object" in out[4]["error"]
    assert_plan_ok(OTHER, out[5], ACTIVITY_NAMES)


def test_jsonl_is_byte_for_byte_the_same_every_time_and_one_plan_a_line():
    stdin = lines(PROFILE, OTHER, BAD) * 20
    first, second = run("--jsonl", stdin=stdin), run("--jsonl", stdin=stdin)
    assert first.stdout == second.stdout
    assert first.stdout.count(b"\n") == 60 and first.stdout.endswith(b"\n")


def test_jsonl_last_line_without_a_newline_is_still_planned():
    result = run("--jsonl", stdin=lines(PROFILE) + json.dumps(OTHER).encode())
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2


def test_jsonl_empty_input_is_empty_output():
    result = run("--jsonl")
    assert result.returncode == 0 and result.stdout == b""


def test_no_arguments_exits_2():
    result = run()
    assert result.returncode == 2 and result.stdout == b""


def test_call_command_single_mode(profile_file):
    out = io.StringIO()
    call_command("plan", profile_file(PROFILE), stdout=out)
    assert_plan_ok(PROFILE, json.loads(out.getvalue()), ACTIVITY_NAMES)


def test_call_command_bad_input_exits_2(profile_file):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("plan", profile_file(BAD), stdout=out, stderr=err)
    assert exited.value.code == 2
    assert out.getvalue() == "" and "Monday" in err.getvalue()


def test_call_command_jsonl_mode():
    out = io.StringIO()
    stdin = io.StringIO(lines(PROFILE, OTHER).decode())
    call_command("plan", "--jsonl", stdin=stdin, stdout=out)
    plans = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [plan["week_start"] for plan in plans] == ["2026-11-23", "2026-11-23"]
    assert_plan_ok(OTHER, plans[1], ACTIVITY_NAMES)
