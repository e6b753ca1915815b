"""The revision cycle's emails, in each recipient's language: the notice of an internal hearing and a meeting's
invitation with its agenda."""

from django.conf import settings
from django.core.mail import get_connection

from core.emails import message_build, sections_render


def _send_each(
    name: str, context: dict, recipients: list[str], languages: dict[str, str] | None = None, connection=None
) -> int:
    """One message per recipient, so no one sees the others' addresses, each in the recipient's language (the one
    they last signed in with; Danish when it is not known), all over one connection to the mail server."""
    context = {**context, "base_url": settings.SITE_URL}
    rendered: dict[str, tuple] = {}
    messages = []
    for email in recipients:
        language = (languages or {}).get(email) or settings.LANGUAGE_CODE
        if language not in rendered:
            rendered[language] = sections_render(f"workgroups/email/{name}", context, languages=(language,))
        subject, sections = rendered[language]
        messages.append(message_build(subject, sections, [email]))
    (connection or get_connection()).send_messages(messages)
    return len(recipients)


def hearing_notice_send(
    *, hearing, recipients: list[str], languages: dict[str, str] | None = None, connection=None
) -> int:
    return _send_each("hearing", {"hearing": hearing}, recipients, languages, connection)


def meeting_invitation_email_send(
    *, meeting, items, recipients: list[str], languages: dict[str, str] | None = None
) -> int:
    return _send_each("meeting", {"meeting": meeting, "items": items}, recipients, languages)


def status_report_reminder_send(*, project, user, year: int, quarter: int) -> None:
    """Remind the project lead that the quarter's status report is due, in their language."""
    from django.urls import reverse

    from core.emails import compose, recipient_languages

    compose(
        "workgroups/email/status_report_reminder",
        {"project": project, "user": user, "year": year, "quarter": quarter},
        to=[user.email],
        path=lambda: reverse("projects:status-reports", kwargs={"slug": project.slug}),
        languages=recipient_languages(user),
        reason="workgroups/email/status_report_reminder_reason.txt",
    ).send()
