"""Emails in the recipient's language when the portal knows it (``User.language``), else Danish first, then English.

Every email is written once, as text (``<prefix>_body.txt``), and goes out with two parts made from it by
``message_build``: the text itself, and an HTML part in the portal's look (``templates/emails/base.html``) that
wraps each language's text in its own ``<div lang=…>``. Both end, in each language, with the footer that says why
the person receives the email (``<prefix>_reason.txt``, or the template the sender names) and how to reach the
secretariat.

Every link in them is built from the portal's one configured address
(``SITE_URL``), never from the host a request came by.
"""

import logging
import re
import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string, select_template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

SEPARATOR = "\n\n----------\n\n"
# Said in every email whose sender names no reason of its own.
DEFAULT_REASON = "emails/reason.txt"
_URL = re.compile(r"https?://[^\s<>\"']+")
_URL_TRAILING = ".,;:!?)"


def absolute_url(path: str) -> str:
    """A link to a page of the portal, at its configured address."""
    return f"{settings.SITE_URL}{path}"


def recipient_languages(user: Any) -> tuple[str, ...]:
    """The languages to write to a person in: the one they last signed in with, or Danish then English."""
    language = getattr(user, "language", "") or ""
    return (language,) if language in dict(settings.LANGUAGES) else ("da", "en")


@dataclass(frozen=True)
class Section:
    """One language's text of an email, and the reason, in that language, why the reader receives it."""

    language: str
    body: str
    reason: str


def reason_render(template_prefix: str, context: dict[str, Any], reason: str | None = None) -> str:
    """Why the reader receives the email, in the active language: ``reason`` (a template's name) when the sender
    names one, else ``<template_prefix>_reason.txt``, else the portal's general reason."""
    candidates = [reason] if reason else [f"{template_prefix}_reason.txt"]
    template = select_template([*candidates, DEFAULT_REASON])
    return " ".join(template.render({**context, "authority": settings.POGI_AUTHORITY}).split())


def sections_render(
    template_prefix: str,
    context: dict[str, Any],
    *,
    path: Callable[[], str] | None = None,
    languages: Sequence[str] = ("da", "en"),
    reason: str | None = None,
) -> tuple[str, list[Section]]:
    """The subject (in the first language) and, per language, the body ``<template_prefix>_body.txt`` and its reason.

    ``path`` (when given) is called in each language, so the link ``url`` leads to the page in that language.
    """
    sections: list[Section] = []
    subject = ""
    for language in languages:
        with translation.override(language):
            rendered = {**context, "authority": settings.POGI_AUTHORITY}
            if path is not None:
                rendered["url"] = absolute_url(path())
            body = render_to_string(f"{template_prefix}_body.txt", rendered).strip()
            if not subject:
                subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", rendered).split())
            sections.append(Section(language, body, reason_render(template_prefix, rendered, reason)))
    return subject, sections


def _footer_text(section: Section) -> str:
    with translation.override(section.language):
        return render_to_string(
            "emails/footer.txt", {"reason": section.reason, "authority": settings.POGI_AUTHORITY}
        ).strip()


def text_render(sections: Iterable[Section]) -> str:
    """The text part: each language's body with its footer, Danish then English when both are written."""
    return SEPARATOR.join(f"{section.body}\n\n-- \n{_footer_text(section)}" for section in sections) + "\n"


def text_to_html(text: str) -> SafeString:
    """Plain text as HTML: every character escaped, paragraphs at blank lines, line breaks kept, and each link to
    the portal made a link (other addresses stay text: the email's links all lead to the portal)."""

    def inline(line: str) -> str:
        out: list[str] = []
        last = 0
        for match in _URL.finditer(line):
            url = match.group().rstrip(_URL_TRAILING)
            end = match.start() + len(url)
            out.append(escape(line[last : match.start()]))
            if url == settings.SITE_URL or url.startswith(settings.SITE_URL + "/"):
                out.append(f'<a href="{escape(url)}">{escape(url)}</a>')
            else:
                out.append(escape(url))
            last = end
        out.append(escape(line[last:]))
        return "".join(out)

    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if p.strip()]
    # every piece of the text is escaped above
    return mark_safe(
        "\n".join("<p>" + "<br>\n".join(inline(line) for line in p.split("\n")) + "</p>" for p in paragraphs)
    )


def html_render(subject: str, sections: Sequence[Section]) -> str:
    """The HTML part: the portal's header, then each language's text in its own ``<div lang=…>`` with its footer."""
    with translation.override(sections[0].language):
        return render_to_string(
            "emails/base.html",
            {
                "subject": subject,
                "language": sections[0].language,
                "sections": [
                    {
                        "language": section.language,
                        "name": translation.get_language_info(section.language)["name_local"],
                        "body": text_to_html(section.body),
                        "reason": section.reason,
                    }
                    for section in sections
                ],
                "bilingual": len(sections) > 1,
                "authority": settings.POGI_AUTHORITY,
            },
        )


def message_build(
    subject: str,
    sections: Sequence[Section],
    to: Sequence[str],
    *,
    from_email: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """The one place an email is put together: the text part (``message.body``) and the HTML part."""
    message = EmailMultiAlternatives(
        subject,
        text_render(sections),
        from_email or settings.DEFAULT_FROM_EMAIL,
        list(to),
        headers=headers or None,
    )
    message.attach_alternative(html_render(subject, sections), "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    return message


def compose(
    template_prefix: str,
    context: dict[str, Any],
    *,
    to: Sequence[str],
    path: Callable[[], str] | None = None,
    languages: Sequence[str] = ("da", "en"),
    reason: str | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """The email ``<template_prefix>_subject.txt`` / ``_body.txt`` to ``to``, in ``languages``, text and HTML."""
    subject, sections = sections_render(template_prefix, context, path=path, languages=languages, reason=reason)
    return message_build(subject, sections, to, attachments=attachments)


def render_bilingual(
    template_prefix: str,
    context: dict[str, Any],
    *,
    path: Callable[[], str],
    languages: tuple[str, ...] = ("da", "en"),
) -> tuple[str, str]:
    """The subject (in the first language) and the text (in each language, Danish then English when the reader's
    language is not known, each with its footer) of ``<template_prefix>_subject.txt`` / ``_body.txt``.

    Emails are sent with ``compose``, which adds the HTML part; this is the text alone.
    """
    subject, sections = sections_render(template_prefix, context, path=path, languages=languages)
    return subject, text_render(sections)


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
