from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.translation import get_language

from members.access import roles_of

LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "nb": "Norsk (bokmål)", "sv": "Svenska", "fi": "Suomi"}


def local_link(request) -> str:
    """The request's path and query as a link on this site: one leading "/", never a scheme or another host.

    A request for ``//evil.example/`` (or ``/\\evil.example/``) must not become a
    link to evil.example; so the path is escaped (a backslash, tab or newline
    becomes %5C, %09, %0A) and its leading slashes collapse into one.
    """
    path = "/" + escape_uri_path(request.path).lstrip("/")
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path


def _resolves(path: str) -> bool:
    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return True


def _prefix_swapped(path: str, code: str) -> str:
    """The same path under ``code``'s prefix (Danish has none), for a path no URL pattern knows (a 404 page)."""
    current = get_language()
    if current != settings.LANGUAGE_CODE and (path == f"/{current}" or path.startswith(f"/{current}/")):
        path = path[len(current) + 1 :] or "/"
    path = "/" + path.lstrip("/")
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def _other_language(path: str, code: str) -> str:
    url = translate_url(path, code)
    if url == path and not _resolves(path):
        url = _prefix_swapped(path, code)
    return url if url.startswith("/") and not url.startswith("//") else "/"


def portal(request):
    """What every page's header, footer and navigation need."""
    current = get_language()
    path = local_link(request) if request is not None else "/"
    return {
        "authority": settings.POGI_AUTHORITY,
        "user_roles": roles_of(getattr(request, "user", None)),
        "language_links": [
            (code, LANGUAGE_NAMES.get(code, name), _other_language(path, code))
            for code, name in settings.LANGUAGES
            if code != current
            and (code not in settings.PARTIAL_LANGUAGES or code in getattr(request, "complete_languages", ()))
        ],
    }
