"""What an operator relies on: production settings are safe, and docker-compose names real things."""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Gq2-production-like-secret-key-for-the-check-only-9dKs01LmZpQ",
    "ALLOWED_HOSTS": "steady.example.org",
    "SITE_URL": "https://steady.example.org",
    "CACHE_URL": "redis://redis:6379/1",
}


def manage(*args, env):
    # The browser tests allow async-unsafe calls in this process; a production start must not inherit that.
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_in_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_each_process_would_have_its_own_cache():
    settings = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=settings)

    assert result.returncode != 0
    assert "steady.W001" in result.stderr
    assert "Set CACHE_URL" in result.stderr


def test_production_refuses_to_start_without_a_real_secret_key():
    settings = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage("check", env=settings)

    assert result.returncode != 0
    assert "Set SECRET_KEY to a random string" in result.stderr


def test_compose_runs_one_image_with_healthy_dependencies():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert {"postgres", "redis", "web", "worker", "periodic", "beat", "mailpit"} <= set(services)
    for name in ("web", "worker", "periodic", "beat"):
        assert services[name]["build"] == "."
        assert services[name]["env_file"] == ".env"
        for dependency in services[name]["depends_on"].values():
            assert dependency["condition"] in {"service_healthy", "service_completed_successfully"}
    for name in ("postgres", "redis", "mailpit", "web", "worker", "periodic"):
        assert "test" in services[name]["healthcheck"]
    assert services["beat"]["deploy"]["replicas"] == 1


def test_compose_commands_name_things_that_exist():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]

    assert services["web"]["command"][:2] == ["gunicorn", "config.wsgi:application"]
    assert (ROOT / "config" / "wsgi.py").exists()
    for name, role in (("worker", "worker"), ("periodic", "worker"), ("beat", "beat")):
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "config"]
        assert command[3] == role
    assert "-B" not in services["worker"]["command"] + services["periodic"]["command"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    celery = subprocess.run(
        [sys.executable, "-c", "import config; print(config.celery_app.main)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert celery.stdout.strip() == "steady"


def celery_queues() -> tuple[str, set[str]]:
    """The default queue, and the queues beat's tasks are routed to, as the settings give them when the
    environment does not override them (the integration tests do, with queues of their own)."""
    code = (
        "import json, django; django.setup(); from config.celery import app; "
        "print(json.dumps([app.conf.task_default_queue, "
        "[app.amqp.router.route({}, e['task'])['queue'].name for e in app.conf.beat_schedule.values()]]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    default, beats = json.loads(result.stdout.strip().splitlines()[-1])
    return default, set(beats)


def consumed_queues(commands: list[list[str]], default: str) -> list[set[str]]:
    """The queues each `celery worker` among the commands consumes (-Q, else the default queue)."""
    workers = [command for command in commands if "celery" in command[0] and "worker" in command]
    return [
        set(command[command.index("-Q") + 1].split(",")) if "-Q" in command else {default}
        for command in workers
    ]


def procfile_commands() -> list[list[str]]:
    lines = (ROOT / "config" / "Procfile.dev").read_text().splitlines()
    return [shlex.split(line.split(":", 1)[1]) for line in lines if line.strip()]


@pytest.mark.parametrize("deployment", ["docker-compose.yml", "make run"])
def test_every_queue_has_a_worker_and_beats_queue_one_of_its_own(deployment):
    """Nothing is left on a queue no worker reads, and beat's ticks never wait behind sends: their queue's
    worker reads nothing else, and the default queue's workers do not read it."""
    default, beats = celery_queues()
    if deployment == "docker-compose.yml":
        services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
        commands = [service["command"] for service in services.values() if "command" in service]
    else:
        commands = procfile_commands()
    workers = consumed_queues(commands, default)

    assert beats and default not in beats
    assert {default} | beats <= set().union(*workers)
    for queues in workers:
        assert queues.isdisjoint(beats) or queues <= beats, queues


def test_migrations_match_the_models():
    result = manage("makemigrations", "--check", "--dry-run", env={})

    assert result.returncode == 0, result.stdout + result.stderr


def served_site_url(port: str, environment: dict) -> str:
    """SITE_URL as `make run` would give the web, worker and beat processes: its recipe, run by sh."""
    recipe = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    [start] = [line for line in recipe.splitlines() if "honcho" in line]
    command = start.split(" .venv/bin/honcho", 1)[0] + " sh -c 'printf %s \"$SITE_URL\"'"
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=environment).stdout


def test_make_run_gives_emails_the_address_it_serves_on():
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    assert served_site_url("18801", environment) == "http://localhost:18801"
    assert served_site_url("18801", {**environment, "SITE_URL": "https://steady.example"}) == (
        "https://steady.example"
    )
