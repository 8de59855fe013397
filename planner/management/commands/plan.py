"""`manage.py plan PROFILE.json` and `manage.py plan --jsonl < IN > OUT` (docs/planner-interface.md).

Needs no database and no network. Output is byte for byte the same for the same input.
"""

import json
import sys

from django.core.management.base import BaseCommand

from planner.engine import ProfileError, make_plan

BAD_INPUT = 2
BATCH = 2000  # lines written at once in --jsonl mode

_encode_line = json.JSONEncoder(separators=(",", ":")).encode  # ASCII only: the same bytes in any locale


def plan_line(line: bytes | str) -> tuple[str, bool]:
    """One JSON line in, one JSON line out (without its newline), and whether the input was good."""
    if not line.strip():
        return _encode_line({"error": "The line is empty: each line must hold one profile."}), False
    try:
        profile = json.loads(line)
    except (ValueError, RecursionError) as error:
        return _encode_line({"error": f"The line is not valid JSON: {error}."}), False
    try:
        return _encode_line(make_plan(profile)), True
    except ProfileError as error:
        return _encode_line({"error": str(error)}), False


class Command(BaseCommand):
    help = "Print the week's plan for a profile (JSON file), or plan JSON Lines from stdin with --jsonl."
    requires_system_checks = []
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("profile", nargs="?", help="a JSON file holding one profile ('-' for stdin)")
        parser.add_argument(
            "--jsonl", action="store_true", help="one profile a line on stdin, one plan a line out"
        )

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        if options["jsonl"]:
            if options["profile"]:
                self.fail("Give either a profile file or --jsonl, not both.")
            self.handle_jsonl(stdin)
        elif options["profile"]:
            self.handle_one(options["profile"], stdin)
        else:
            self.fail("Give a profile file (PROFILE.json), or --jsonl to read JSON Lines from stdin.")

    def fail(self, sentence: str):
        self.stderr.write(sentence)
        sys.exit(BAD_INPUT)

    def handle_one(self, path: str, stdin):
        try:
            if path == "-":
                text = stdin.read()
            else:
                with open(path, "rb") as file:
                    text = file.read()
        except OSError as error:
            self.fail(f"Cannot read the profile file {path}: {error.strerror}.")
        try:
            profile = json.loads(text)
        except (ValueError, RecursionError) as error:
            self.fail(f"The profile is not valid JSON: {error}.")
        try:
            plan = make_plan(profile)
        except ProfileError as error:
            self.fail(str(error))
        self.stdout.write(json.dumps(plan, indent=2))

    def handle_jsonl(self, stdin):
        source = getattr(stdin, "buffer", stdin)  # bytes when we can: json.loads reads UTF-8 itself
        out = self.stdout
        all_good = True
        batch = []
        for line in source:
            text, good = plan_line(line)
            all_good = all_good and good
            batch.append(text)
            if len(batch) >= BATCH:
                out.write("\n".join(batch), ending="\n")
                batch = []
        if batch:
            out.write("\n".join(batch), ending="\n")
        out.flush()
        if not all_good:
            sys.exit(BAD_INPUT)
