# syntax=docker/dockerfile:1
#
# One image for every process of the portal: the web server (default command),
# the Celery worker and beat, and one-off management commands. See
# docker-compose.yml and docs/docker.md.

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=pogi.settings.production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    PRIVATE_MEDIA_ROOT=/app/var/private \
    DJANGO_MEDIA_ROOT=/app/var/media

# WeasyPrint (PDF) needs Pango, HarfBuzz and fonts; compilemessages needs gettext.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-liberation \
        fonts-symbola \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# The processes run as an unprivileged user; the code stays owned by root.
RUN groupadd --system --gid 10001 pogi \
    && useradd --system --uid 10001 --gid pogi --home-dir /home/pogi --create-home \
        --shell /usr/sbin/nologin pogi

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Compile translations and collect static files with the production settings.
# Those settings refuse to load without their secrets, so this step exports
# placeholders that exist only for this RUN instruction: nothing connects to
# them, and they are not part of the image's environment.
RUN export DJANGO_SECRET_KEY=build-time-placeholder-not-used-at-runtime \
        DJANGO_ALLOWED_HOSTS=localhost \
        DATABASE_URL=postgres://build:build@localhost:5432/build \
        REDIS_URL=redis://localhost:6379/0 \
        CELERY_BROKER_URL=redis://localhost:6379/1 \
        SITE_URL=https://localhost \
    && python manage.py compilemessages \
    && python manage.py collectstatic --noinput

# Writable directories for uploads. Named volumes mounted here start out with
# this ownership.
RUN mkdir -p "$PRIVATE_MEDIA_ROOT" "$DJANGO_MEDIA_ROOT" \
    && chown -R pogi:pogi /app/var

USER pogi

EXPOSE 8000

# Bind, workers (WEB_CONCURRENCY), timeouts, request limits and trusted proxies: gunicorn.conf.py.
CMD ["gunicorn", "pogi.wsgi:application", "-c", "gunicorn.conf.py"]
