"""Settings the pages are measured with: production's (DEBUG off, Redis, manifest static files), with the bench app."""

from pogi.settings.production import *  # noqa: F403
from pogi.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
