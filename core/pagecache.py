"""Whole pages cached for anonymous visitors, dropped as soon as what they show changes.

Most visitors of the public catalogue are not signed in and see exactly the
same page for the same address and language. For them the rendered page is
kept in the cache under its path, query string and language, and a version per
namespace: saving or deleting any model the pages read (connected in the app's
``ready``) gives the namespace a new version, so no visitor sees an old page.

A visitor who carries a session or messages, or any signed-in user, always
gets a freshly rendered page; so does every response that sets a cookie (a
page that needs a CSRF token, say), is not a 200, or streams.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

PAGE_SECONDS = 60 * 60


def _version_key(namespace: str) -> str:
    return f"pagecache:version:{namespace}"


def version(namespace: str) -> str:
    return cache.get_or_set(_version_key(namespace), lambda: uuid.uuid4().hex, None)


def bump(namespace: str) -> None:
    """Everything cached in the namespace is out of date."""
    cache.set(_version_key(namespace), uuid.uuid4().hex, None)


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


def anonymous_page(namespace: str):
    """Serve the view's page from the cache to anonymous visitors (see the module's docstring)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            address = f"{get_language()}|{bool(getattr(request, 'htmx', False))}|{request.get_full_path()}"
            key = f"pagecache:{namespace}:{version(namespace)}:{hashlib.sha256(address.encode()).hexdigest()}"
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
            return response

        return wrapped

    return decorator
