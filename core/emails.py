"""Emails in the recipient's language when the portal knows it (``User.language``), else Danish first, then English.

Every link in them is built from the portal's one configured address
(``SITE_URL``), never from the host a request came by.
"""

import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

SEPARATOR = "\n\n----------\n\n"


def absolute_url(path: str) -> str:
    """A link to a page of the portal, at its configured address."""
    return f"{settings.SITE_URL}{path}"


def recipient_languages(user: Any) -> tuple[str, ...]:
    """The languages to write to a person in: the one they last signed in with, or Danish then English."""
    language = getattr(user, "language", "") or ""
    return (language,) if language in dict(settings.LANGUAGES) else ("da", "en")


def render_bilingual(
    template_prefix: str,
    context: dict[str, Any],
    *,
    path: Callable[[], str],
    languages: tuple[str, ...] = ("da", "en"),
) -> tuple[str, str]:
    """The subject (in the first language) and the body (in each language, Danish then English when the reader's
    language is not known) of ``<template_prefix>_subject.txt`` / ``_body.txt``.

    ``path`` is called in each language, so the link leads to the page in that language.
    """
    parts, subject = [], ""
    for language in languages:
        with translation.override(language):
            rendered = {**context, "url": absolute_url(path()), "authority": settings.POGI_AUTHORITY}
            parts.append(render_to_string(f"{template_prefix}_body.txt", rendered).strip())
            if not subject:
                subject = render_to_string(f"{template_prefix}_subject.txt", rendered).strip()
    return subject, SEPARATOR.join(parts) + "\n"


def message_data(message: EmailMessage) -> dict[str, Any]:
    """An email as plain data, for a task's arguments."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(alternative) for alternative in getattr(message, "alternatives", [])],
    }


def message_from_data(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        data["subject"], data["body"], data["from_email"], data["to"], headers=data.get("headers") or None
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def send_later(message: EmailMessage) -> None:
    """Send an email written during a request without letting the mail server fail or slow that request.

    With a broker, a task sends it (and retries while the mail server is down); with tasks
    in-process (first run, tests), it is sent at once, and a mail server that refuses is logged,
    never turned into an error page: the sign-in or the password change it reports has happened.
    """
    from .enqueue import enqueue
    from .tasks import email_send

    data = message_data(message)
    if email_send.app.conf.task_always_eager:
        try:
            message_from_data(data).send()
        except (OSError, smtplib.SMTPException):
            logger.exception("Could not send the email %r to %s", data["subject"], ", ".join(data["to"]))
        return
    enqueue(email_send, data)
