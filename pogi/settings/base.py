"""Settings shared by every environment, read from the environment with django-environ.

Safe defaults give a first run on SQLite with Celery tasks executed in-process
and email printed to the console; production.py refuses to start without its
secrets.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# --- applications --------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_htmx",
    "simple_history",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "core",
    "pogi",
    "members",
    "goals",
    "workgroups",
    "followup",
]

MIDDLEWARE = [
    # First: refuses an oversize body before any other middleware reads it (CSRF reads POST).
    "pogi.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pogi.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records each session (address, browser, last seen) so members can see and end them.
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "pogi.urls"
WSGI_APPLICATION = "pogi.wsgi.application"

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
                "django.template.context_processors.i18n",
                "pogi.context_processors.portal",
            ],
        },
    },
]

FORM_RENDERER = "core.forms.FormRenderer"

# --- HTTP security headers -------------------------------------------------
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from
# the portal only, no inline script or style; the report's charts are SVG data
# URIs in <img>. htmx's own indicator <style> is switched off in base.html.
# Permissions-Policy and no-store for signed-in users: pogi/middleware.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- data ----------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# Short timeouts: a Redis that is down or frozen costs a request well under a second, and
# core.cache.TolerantRedisCache serves every page without the cache meanwhile (docs/operations.md).
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
    "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=0.5),
    "retry_after": env.float("REDIS_RETRY_AFTER", default=5),
}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": REDIS_URL, "OPTIONS": REDIS_CACHE_OPTIONS}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pogi"}}

# --- accounts --------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    # Django's 20,000 common passwords plus the zxcvbn-ts list of breached passwords, offline (README).
    {"NAME": "members.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A session ends after this long without a saved change; the follow-up questionnaire
# warns before it ends and saves the draft (static/js/followup.js).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_SECONDS", default=8 * 60 * 60)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[POGI] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# allauth's built-in rate limits (login failures, password reset, …) stay on;
# they live in the cache, which is Redis whenever REDIS_URL is set.
ACCOUNT_RATE_LIMITS = {
    # Per address only: failures per account slow down (members.security), they never lock it.
    "login_failed": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "POGI"
# Security emails: password changed, set or reset, authenticator added or removed, recovery codes
# (allauth's own, Danish first through members.adapters); new device and throttling (members.security).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Members see their sessions with the time each was last used (a write per signed-in request).
USERSESSIONS_TRACK_ACTIVITY = env.bool("POGI_TRACK_SESSION_ACTIVITY", default=True)
# The client's address behind the TLS proxy (docs/docker.md): how many proxies append to
# X-Forwarded-For, or the header the proxy puts the client's address in. Every rate limit of
# allauth and of the portal (core.network.client_ip) reads the address the same way.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("POGI_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("POGI_TRUSTED_CLIENT_IP_HEADER", default=None)
# Failed sign-ins slow down per account and address, never lock an account (docs/security.md).
POGI_LOGIN_BACKOFF = {
    "free_failures": env.int("POGI_LOGIN_FREE_FAILURES", default=5),
    "first_delay_seconds": env.int("POGI_LOGIN_FIRST_DELAY", default=30),
    "max_delay_seconds": env.int("POGI_LOGIN_MAX_DELAY", default=15 * 60),
    # Failures against one account from every address together before it slows down for
    # browsers that have not signed in to it before.
    "account_free_failures": env.int("POGI_LOGIN_ACCOUNT_FREE_FAILURES", default=20),
    "window_seconds": 24 * 60 * 60,
    "notice_every_seconds": env.int("POGI_LOGIN_NOTICE_SECONDS", default=6 * 60 * 60),
}
POGI_DEVICE_COOKIE = "pogi_device"
# The roles (members.access) that must have two-factor authentication before they reach their
# pages (allauth cannot force MFA on its own). The break-glass admin always needs it.
POGI_MFA_REQUIRED_ROLES = env.list("POGI_MFA_REQUIRED_ROLES", default=["secretariat"])
# How long the security log (core.models.SecurityEvent) keeps its entries.
POGI_SECURITY_LOG_DAYS = env.int("POGI_SECURITY_LOG_DAYS", default=365)

# --- email -----------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="POGI <pogi@mst.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- i18n ------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [
    ("da", _("Danish")),
    ("en", _("English")),
    ("nb", _("Norwegian Bokmål")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
]
# Languages the language switch offers only on the pages written in them in full (Finnish: the Nordic buyer
# dialogues' pages); a view marks such a page with request.complete_languages.
PARTIAL_LANGUAGES = ["fi"]
# The annual report and its annex are written in Danish and English.
REPORT_LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Date formats of the portal's own (English: day before month, 24-hour clock); Danish is Django's.
FORMAT_MODULE_PATH = ["core.locale_formats"]

# --- static and uploaded files ------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (signed enrolment forms, …) are private: stored outside the static
# root, under generated names, and served only through views that check access.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
# `make backup` (manage.py backup) writes a timestamped directory here: docs/production.md.
BACKUP_DIR = env("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# A request whose Content-Length exceeds this is answered 413 unread (pogi.request_limits); the
# TLS proxy's client_max_body_size (docs/production.md) should be the same 12 MB.
POGI_MAX_REQUEST_BYTES = env.int("POGI_MAX_REQUEST_BYTES", default=12 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker the portal runs its tasks in-process (first look, tests on SQLite).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
# The annual report's own limits (followup.tasks.report_render). A report still "rendering" this long
# after its worker started it was lost with its worker, and may be generated again at once.
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=6 * 60)
REPORT_SOFT_TIME_LIMIT = env.int("REPORT_SOFT_TIME_LIMIT", default=max(1, REPORT_TIME_LIMIT - 60))
# Retries wait at most this long (retry_backoff_max of the tasks, report_render's countdown).
TASK_MAX_COUNTDOWN = 10 * 60
# A message taken by a worker that dies comes back after the visibility timeout. It must exceed the
# longest a message is held unacknowledged: the longest countdown plus the longest hard time limit
# (docs/operations.md). Just above that, so a lost task comes back in about 20 minutes, not hours.
BROKER_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=TASK_MAX_COUNTDOWN + max(CELERY_TASK_TIME_LIMIT, REPORT_TIME_LIMIT) + 60
)
# Bounds on the broker and result-backend sockets, so no thread waits for ever on a frozen Redis (a request
# waits at most 1.5 s to enqueue: core.enqueue).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_TIMEOUT = env.float("CELERY_REDIS_SOCKET_TIMEOUT", default=10)
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = env.float("CELERY_REDIS_SOCKET_CONNECT_TIMEOUT", default=5)
# The report's charts are cached by their figures; the report benchmark switches this off to time the cold path.
REPORT_CHART_CACHE = env.bool("REPORT_CHART_CACHE", default=True)
# A pause between a news update's e-mails (the worker test uses it to stop a worker mid-send).
POGI_NEWS_SEND_PAUSE_SECONDS = env.float("POGI_NEWS_SEND_PAUSE_SECONDS", default=0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "socket_timeout": CELERY_REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": CELERY_REDIS_SOCKET_CONNECT_TIMEOUT,
    # How often (every interval times throttle seconds) a worker puts back tasks whose worker died without acknowledging them.
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_SECONDS", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {
        "task": "members.tasks.invitations_expire",
        "schedule": timedelta(hours=1),
    },
    "publish-adopted-goal-versions": {
        "task": "goals.tasks.goal_versions_publish_due",
        "schedule": timedelta(minutes=15),
    },
    # Receipts whose task could not be queued at submission (broker down): sent late, never lost.
    "send-missing-receipts": {
        "task": "followup.tasks.receipts_send_missing",
        "schedule": timedelta(minutes=15),
    },
    # A submitted follow-up whose climate estimate the worker never computed (the broker was down).
    "climate-accounts-refresh-stale": {
        "task": "followup.tasks.climate_accounts_refresh_stale",
        "schedule": timedelta(hours=1),
    },
    # Idempotent (a log row per person and step): running it often only catches up sooner.
    "send-followup-reminders": {
        "task": "followup.tasks.reminders_send_due",
        "schedule": timedelta(hours=1),
    },
    # A report whose worker died mid-render is queued again once its run is past the hard time limit.
    "requeue-lost-reports": {
        "task": "followup.tasks.reports_requeue_lost",
        "schedule": timedelta(minutes=5),
    },
    "remind-project-status-reports": {
        "task": "workgroups.tasks.status_report_reminders_send_due",
        "schedule": timedelta(hours=6),
    },
    "expire-interest-signups": {
        "task": "workgroups.tasks.interest_expire",
        "schedule": timedelta(hours=6),
    },
    # News whose sending could not be queued (broker down) is picked up again; each e-mail still goes once.
    "resume-dialogue-news": {
        "task": "workgroups.tasks.dialogue_news_resume",
        "schedule": timedelta(minutes=10),
    },
    "purge-security-log": {
        "task": "core.tasks.security_log_purge",
        "schedule": timedelta(hours=24),
    },
}

# --- the portal ----------------------------------------------------------------
# /healthz waits at most this long for its checks; /healthz/detail (the errors and timings) is for the
# secretariat, or for monitoring that sends this token in the X-Healthz-Token header (empty: no token).
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=1.5)
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")
POGI_TRANSITION_MONTHS = env.int("POGI_TRANSITION_MONTHS", default=24)
POGI_OPEN_DATA_LICENCE = env("POGI_OPEN_DATA_LICENCE", default="CC-BY-4.0")
POGI_INVITATION_DAYS = env.int("POGI_INVITATION_DAYS", default=14)
# Enrolment (security issue 13): the secretariat checks a received application's signed form within
# these working days; a confirmation link to an official address lasts these hours; the form is
# accepted at most this often per client address and per organisation (an hour's window).
POGI_VERIFICATION_WORKING_DAYS = env.int("POGI_VERIFICATION_WORKING_DAYS", default=5)
POGI_VERIFICATION_LINK_HOURS = env.int("POGI_VERIFICATION_LINK_HOURS", default=72)
POGI_APPLICATION_LIMIT_PER_IP = env.int("POGI_APPLICATION_LIMIT_PER_IP", default=10)
POGI_APPLICATION_LIMIT_PER_ORGANISATION = env.int("POGI_APPLICATION_LIMIT_PER_ORGANISATION", default=3)
# Members take part in a project every second year; they are warned this many days before the two years run out.
POGI_PROJECT_COMMITMENT_WARNING_DAYS = env.int("POGI_PROJECT_COMMITMENT_WARNING_DAYS", default=90)
POGI_AUTHORITY = {
    "name": "Miljøstyrelsen",
    "role": _("Secretariat of the Partnership for Green Public Procurement"),
    "email": env("POGI_CONTACT_EMAIL", default="pogi@mst.example"),
    "phone": env("POGI_CONTACT_PHONE", default="+45 72 54 40 00"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
# Absolute links in emails.
# The portal's own address: every link in an email is built from it, never from a request's host.
# `make run` sets it from PORT; production refuses to start without an https address.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
