"""The portal's Celery app: tasks live in each app's tasks.py, the beat schedule in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pogi.settings.local")

app = Celery("pogi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
