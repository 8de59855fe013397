import pytest

from reminders import smtp
from reminders.management.commands.make_vapid_keys import new_key_pair
from reminders.tests.people import run_beat_tick
from tests.push_peer import PushPeer
from tests.smtp_server import Inbox


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """Run beat's dispatcher once at the current (travelled) time and send what it enqueued: the ids."""
    return lambda: run_beat_tick(django_capture_on_commit_callbacks)


@pytest.fixture
def vapid(settings):
    """Push switched on, with a VAPID key pair of this test's own: the public key."""
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = new_key_pair()
    settings.VAPID_SUBJECT = "mailto:operator@steady.test"
    return settings.VAPID_PUBLIC_KEY


@pytest.fixture
def push_service(vapid, monkeypatch):
    """A push service on 127.0.0.1 (tests/push_peer.py) whose certificate this test's HTTP clients trust."""
    peer = PushPeer(server_key=vapid).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", peer.ca_file)
    yield peer
    peer.stop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (tests/smtp_server.py) that reminders go to, which a test can make
    slow, refuse or answer late; with short timeouts: EMAIL_TIMEOUT 1 s to hand a message over, 1 s for the
    answer (EMAIL_FINAL_REPLY_TIMEOUT), PUSH_TIMEOUT 1 s: a send takes 3 s at most, a task may send for 6."""
    server = Inbox().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = settings.EMAIL_FINAL_REPLY_TIMEOUT = settings.PUSH_TIMEOUT = 1
    smtp.close_connection()
    yield server
    smtp.close_connection()
    server.stop()
