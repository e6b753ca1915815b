"""Whole pages cached for anonymous visitors, dropped as soon as what they show changes.

Most visitors of the public catalogue are not signed in and see exactly the
same page for the same address and language. For them the rendered page is
kept in the cache under its path, the query parameters the page reads and
language, and a version per namespace: saving or deleting any model the pages
read (connected in the app's ``ready``) gives the namespace a new version, so
no visitor sees an old page.

Each cached view declares the query parameters it reads. Any other parameter
(``?utm_source=…``, a random cache-buster) is dropped before the view runs,
so it neither changes the page nor adds a cache entry: a flood of made-up
query strings fills at most one entry per real page. The cache itself is
bounded (Redis with ``maxmemory`` and LRU eviction, docs/docker.md).

A visitor who carries a session or messages, or any signed-in user, always
gets a freshly rendered page; so does every response that sets a cookie (a
page that needs a CSRF token, say), is not a 200, or streams.
"""

import hashlib
import uuid
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

PAGE_SECONDS = 60 * 60
# How long a browser or proxy may keep an anonymous page; a change shows here at once, there within this time.
SHARED_SECONDS = 60


def _version_key(namespace: str) -> str:
    return f"pagecache:version:{namespace}"


# Namespaces whose bump this process could not write while the cache was down; written once it is back,
# so pages cached before the outage are not served after it.
_pending_bumps: set[str] = set()


def _cache_down() -> bool:
    return bool(getattr(cache, "is_down", lambda: False)())


def version(namespace: str) -> str:
    if _pending_bumps and not _cache_down():
        for pending in list(_pending_bumps):
            bump(pending)
    return cache.get_or_set(_version_key(namespace), lambda: uuid.uuid4().hex, None)


def bump(namespace: str) -> None:
    """Everything cached in the namespace is out of date (retried later when the cache is down)."""
    _pending_bumps.discard(namespace)
    cache.set(_version_key(namespace), uuid.uuid4().hex, None)
    if _cache_down():
        _pending_bumps.add(namespace)


def invalidate_on_change(namespace: str, *models) -> None:
    """Bump the namespace whenever one of the models (or its many-to-many links) is saved or deleted."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(**kwargs):
        bump(namespace)

    for model in models:
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"pagecache-{namespace}-{model.__name__}")
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"pagecache-del-{namespace}-{model.__name__}"
        )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"pagecache-m2m-{namespace}-{model.__name__}-{field.name}",
            )


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _shared(response: HttpResponse) -> HttpResponse:
    """The page is the same for every anonymous visitor: shared caches may keep it a minute.

    It differs for a visitor with a session cookie (signed in) and for htmx's partial
    requests, so caches must tell those apart.
    """
    patch_cache_control(response, public=True, max_age=SHARED_SECONDS)
    patch_vary_headers(response, ("Cookie", "HX-Request"))
    return response


def _known_query(request, params: frozenset[str]) -> QueryDict:
    """The request's query string with only the parameters the page reads, in a fixed order."""
    known = QueryDict(mutable=True)
    for name in sorted(set(request.GET) & params):
        known.setlist(name, request.GET.getlist(name))
    return known


def anonymous_page(namespace: str, *, params: Iterable[str] = ()):
    """Serve the view's page from the cache to anonymous visitors (see the module's docstring).

    ``params`` are the query parameters the view reads; the others are dropped
    from the request for everyone, signed in or not, so the page never depends on them.
    """
    known_params = frozenset(params)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            known = _known_query(request, known_params)
            if set(request.GET) - known_params:
                request.GET = known
                request.META["QUERY_STRING"] = known.urlencode()
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            address = f"{get_language()}|{bool(getattr(request, 'htmx', False))}|{request.path}?{known.urlencode()}"
            key = f"pagecache:{namespace}:{version(namespace)}:{hashlib.sha256(address.encode()).hexdigest()}"
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                return _shared(HttpResponse(content, content_type=content_type))
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
                _shared(response)
            return response

        return wrapped

    return decorator
