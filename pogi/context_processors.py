from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from members.access import roles_of

LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


def portal(request):
    """What every page's header, footer and navigation need."""
    current = get_language()
    path = request.get_full_path() if request is not None else "/"
    return {
        "authority": settings.POGI_AUTHORITY,
        "user_roles": roles_of(getattr(request, "user", None)),
        "language_links": [
            (code, LANGUAGE_NAMES.get(code, name), translate_url(path, code))
            for code, name in settings.LANGUAGES
            if code != current
        ],
    }
