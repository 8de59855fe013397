"""Which login sessions are whose: recorded at log-in, forgotten at log-out (receivers connected in
AccountsConfig.ready()). Expired sessions are cleared every night (accounts/tasks.py)."""

from importlib import import_module

from django.conf import settings

from accounts.models import LoginSession


def remember_login(sender, request, user, **kwargs):
    """Receives user_logged_in: note the new session's key against the person."""
    key = request.session.session_key
    if key:
        LoginSession.objects.get_or_create(session_key=key, defaults={"user": user})


def forget_login(sender, request, user, **kwargs):
    """Receives user_logged_out."""
    if request.session.session_key:
        LoginSession.objects.filter(session_key=request.session.session_key).delete()


def end_login_sessions(user) -> int:
    """End every recorded login session of the person, in the cache and the database; how many there were.

    Sessions from before sessions were recorded cannot reach the account once the user row is gone (their
    user id finds no one), and expire with the rest."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(key).delete()
    return len(keys)


def clear_expired() -> None:
    """Delete expired sessions from the session store, and the records of sessions that no longer exist."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    from django.contrib.sessions.models import Session

    LoginSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
