"""Emails to people whose language the portal does not know: Danish first, then English.

Every link in them is built from the portal's one configured address
(``SITE_URL``), never from the host a request came by.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

SEPARATOR = "\n\n----------\n\n"


def absolute_url(path: str) -> str:
    """A link to a page of the portal, at its configured address."""
    return f"{settings.SITE_URL}{path}"


def render_bilingual(template_prefix: str, context: dict[str, Any], *, path: Callable[[], str]) -> tuple[str, str]:
    """The subject (Danish) and the body (Danish, then English) of ``<template_prefix>_subject.txt`` / ``_body.txt``.

    ``path`` is called in each language, so the link leads to the page in that language.
    """
    parts, subject = [], ""
    for language in ("da", "en"):
        with translation.override(language):
            rendered = {**context, "url": absolute_url(path()), "authority": settings.POGI_AUTHORITY}
            parts.append(render_to_string(f"{template_prefix}_body.txt", rendered).strip())
            if language == "da":
                subject = render_to_string(f"{template_prefix}_subject.txt", rendered).strip()
    return subject, SEPARATOR.join(parts) + "\n"
