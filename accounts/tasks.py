"""Celery tasks of the accounts app: thin wrappers. Beat runs clear_expired_sessions every night."""

from celery import shared_task

from accounts import once, sessions


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=330)
def clear_expired_sessions():
    """Every night: expired login sessions (and their records) go, and forms' used one-time keys."""
    sessions.clear_expired()
    once.forget_old_keys()
