"""Settings for the Lighthouse test's server: production's (DEBUG off, whitenoise serving the collected,
compressed and hashed static files from STATIC_ROOT), over plain HTTP on this machine, on a throwaway
database.

STEADY_STATIC_ROOT names the folder collectstatic writes to; DATABASE_URL the throwaway database.
"""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "lighthouse-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("CACHE_URL", "locmemcache://")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

from config.settings import *  # noqa: E402, F403

STATIC_ROOT = Path(os.environ["STEADY_STATIC_ROOT"])
