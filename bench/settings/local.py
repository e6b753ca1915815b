"""Settings for generating the bench dataset and rendering its report: the developer's settings, with the bench app."""

from pogi.settings.local import *  # noqa: F403
from pogi.settings.local import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
