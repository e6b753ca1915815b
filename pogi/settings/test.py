"""Settings for the test suite: fast hashing, mail kept in memory, plain static storage."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

# The tests also test the benchmark's generator; no other settings but bench.settings.* install it.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)
# Tasks run in-process in tests; the worker test switches this off for its own
# app and starts a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "pogi-test-private"))
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
ALLOWED_HOSTS = ["*"]
# Tracking every signed-in request's "last seen" costs three queries (one a write) a request; the
# query-count pins measure the pages' own queries, and tests/security turns it on where it matters.
USERSESSIONS_TRACK_ACTIVITY = False
# The report worker test sets this on one worker, so it can be stopped while rendering.
REPORT_RENDER_PAUSE_SECONDS = env.float("REPORT_RENDER_PAUSE_SECONDS", default=0)
# Serve static files straight from the finders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
