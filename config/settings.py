"""Steady's settings, read from the environment (12-factor).

Every value has a development default, so `make run` works on a fresh machine with no services:
SQLite, an embedded Celery broker on the filesystem, emails written to var/mail/. Production sets
DEBUG=false and real URLs (see .env.example); with DEBUG off a real SECRET_KEY is required.
"""

from email.utils import parseaddr
from pathlib import Path

import environ
import jinja2
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)

DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of 50+ characters when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    # Steady's apps, lowest layer first: each imports only from those earlier in this list (and from the
    # shared vocabulary, steady/). import-linter checks it (pyproject.toml, [tool.importlinter]).
    "accounts",
    "pages",
    "planner",
    "wellbeing",
    "reminders",
    "pwa",  # the installable app: manifest, service worker, offline copies of the week
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (static files come compressed from whitenoise, above, and never reach it). Above every
    # middleware that reads or changes a body. Against BREACH: CSRF tokens are masked anew in each response,
    # and Django pads each gzipped response with random bytes.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    # A log-out's response clears what the browser kept of the site (pwa/clear_site_data.py).
    "pwa.clear_site_data.ClearSiteDataMiddleware",
    # Last: the 405 page it renders goes out through every middleware above (CSRF cookie, CSP).
    "config.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.csrf_once",
            ],
        },
    },
    {
        # Only the week's pages (planner/fragments.py), with the layout they share with Django's pages
        # (templates/base.html, read by both engines: config/jinja2.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "undefined": jinja2.StrictUndefined,  # a name misspelt in a template is an error
            "keep_trailing_newline": True,  # as Django's engine, so that shared files render the same
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] in (
    "django.core.cache.backends.redis.RedisCache",
    "django_redis.cache.RedisCache",
):
    # Through django-redis, which can ignore Redis errors (and log them): while Redis is down, login sessions
    # come from the database, pages are rendered rather than kept, and rate limits are not counted, instead
    # of every signed-in page failing.
    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    CACHES["default"]["OPTIONS"] = {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 1,  # seconds
        "SOCKET_TIMEOUT": 1,
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions are read on every request: from the cache, falling back to (and written through to) the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ProfileModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Login sessions made before ProfileModelBackend name this one: listed so that they stay valid. It accepts
    # the same passwords as the first, so at log-in it is only reached by a wrong one (one more hash).
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email is the login, verified before the first login; rate limits stay at allauth's defaults.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {
    "signup": "accounts.auth_forms.SteadySignupForm",
    "login": "accounts.auth_forms.SteadyLoginForm",
    "reset_password": "accounts.auth_forms.SteadyResetPasswordForm",
}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset asked for an address nobody signed up with sends nothing (it would mail a stranger).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Behind the TLS proxy (README, Production) every request comes from the proxy's address: count the proxies
# you run in front of Steady, so that rate limits key on the visitor's address from X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Steady: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:  # development: each email becomes a file a developer can open
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Steady <hello@steady.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Celery: JSON only, UTC. The default broker keeps its queue in files under var/, so background jobs
# work without any server; production points CELERY_BROKER_URL at Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir, _control_dir = VAR_DIR / "broker", VAR_DIR / "broker-control"
    for _folder in (_queue_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(_control_dir),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 50
CELERY_TASK_TIME_LIMIT = 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Beat (run exactly one) has one static schedule, in UTC. "expires" drops ticks that waited for a worker.
REMINDER_DISPATCH_EVERY = env.float("REMINDER_DISPATCH_EVERY", default=60.0)  # seconds; tests shorten it
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-reminders": {
        "task": "reminders.tasks.dispatch_due",
        "schedule": REMINDER_DISPATCH_EVERY,
        "options": {"expires": REMINDER_DISPATCH_EVERY},
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 3600},
    },
    "roll-over-plans": {
        "task": "reminders.tasks.roll_over_plans",
        "schedule": crontab(minute="*/15"),  # every timezone offset is a multiple of 15 minutes
        "options": {"expires": 14 * 60},
    },
}
# Beat's tasks go to a queue of their own, consumed by a worker of its own (config/Procfile.dev,
# docker-compose.yml): a minute's tick never waits behind a rush of sends on the default queue.
CELERY_PERIODIC_QUEUE = env("CELERY_PERIODIC_QUEUE", default="periodic")
CELERY_TASK_ROUTES = {
    entry["task"]: {"queue": CELERY_PERIODIC_QUEUE} for entry in CELERY_BEAT_SCHEDULE.values()
}
# Celery closes the database connection after every task unless told to reuse it, and reconnecting costs
# more than sending an email; connections are still recycled every 2 x this many tasks.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=500)
# Seconds the SMTP server has to take a reminder email whole: from connecting (or checking the reused
# connection) to the end of the message, every wait included. A server that takes longer has not got the
# email, which is tried again later (reminders/smtp.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Seconds to wait for the server's answer once it has the whole message. Past that, whether it took the
# email is unknown: the delivery is recorded "unconfirmed" and never sent again, so this wait is the longer
# one, to keep such outcomes rare (RFC 5321 4.5.3.2.6 has clients wait up to 10 minutes; providers answer in
# a second). The time limits of the task that sends reminders follow from these two (reminders/dispatch.py,
# "Time limits").
EMAIL_FINAL_REPLY_TIMEOUT = env.int("EMAIL_FINAL_REPLY_TIMEOUT", default=60)
# Date headers with the zone written out (+0000), not -0000, which says the zone is unknown.
EMAIL_USE_LOCALTIME = True
# A delivery still queued this long after it was enqueued is enqueued again (its message was lost).
REMINDER_REQUEUE_AFTER = env.int("REMINDER_REQUEUE_AFTER", default=600)
# After an SMTP or push service error a delivery is tried again REMINDER_RETRY_AFTER seconds later, then after
# twice as long each time, at most REMINDER_RETRY_AFTER_MAX apart, until its moment is two hours past
# (reminders/dispatch.py, "Retries"). Tests shorten them.
REMINDER_RETRY_AFTER = env.int("REMINDER_RETRY_AFTER", default=60)
REMINDER_RETRY_AFTER_MAX = env.int("REMINDER_RETRY_AFTER_MAX", default=900)
# The weekly roll-over (reminders/rollover.py): people per page (one task each), and how long a claimed page
# may wait for a worker before it is claimed again (its worker died or its message was lost).
ROLLOVER_PAGE_SIZE = env.int("ROLLOVER_PAGE_SIZE", default=500)
ROLLOVER_REQUEUE_AFTER = env.int("ROLLOVER_REQUEUE_AFTER", default=1800)
# Web Push (reminders/push.py): the VAPID key pair that signs every push, as base64url raw keys (a new pair:
# `python manage.py make_vapid_keys`). Without them push is off and reminders go by email only.
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (push off).")
# Seconds before a silent push service is an error (tried again later), for each wait (connecting, TLS, the
# answer); the sending task's time limits allow for it (reminders/dispatch.py, "Time limits").
PUSH_TIMEOUT = env.int("PUSH_TIMEOUT", default=10)
# Who push services contact about this server's pushes: a mailto: (or https:) URL of the operator.
VAPID_SUBJECT = env("VAPID_SUBJECT", default="mailto:" + parseaddr(DEFAULT_FROM_EMAIL)[1])
# The keys' form and match, and the subject's form, are checked by `manage.py check` (reminders/checks.py).

# Production hardening: on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the container healthcheck speaks plain HTTP
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
