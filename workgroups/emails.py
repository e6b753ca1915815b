"""The revision cycle's emails, in each recipient's language: the notice of an internal hearing and a meeting's
invitation with its agenda."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation


def _send_each(
    name: str, context: dict, recipients: list[str], languages: dict[str, str] | None = None, connection=None
) -> int:
    """One message per recipient, so no one sees the others' addresses, each in the recipient's language (the one
    they last signed in with; Danish when it is not known)."""
    context = {**context, "base_url": settings.SITE_URL, "authority": settings.POGI_AUTHORITY}
    rendered: dict[str, tuple[str, str]] = {}
    messages = []
    for email in recipients:
        language = (languages or {}).get(email) or settings.LANGUAGE_CODE
        if language not in rendered:
            with translation.override(language):
                rendered[language] = (
                    render_to_string(f"workgroups/email/{name}_subject.txt", context).strip(),
                    render_to_string(f"workgroups/email/{name}_body.txt", context),
                )
        subject, body = rendered[language]
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    send_mass_mail(messages, connection=connection)
    return len(recipients)


def hearing_notice_send(
    *, hearing, recipients: list[str], languages: dict[str, str] | None = None, connection=None
) -> int:
    return _send_each("hearing", {"hearing": hearing}, recipients, languages, connection)


def meeting_invitation_email_send(
    *, meeting, items, recipients: list[str], languages: dict[str, str] | None = None
) -> int:
    return _send_each("meeting", {"meeting": meeting, "items": items}, recipients, languages)
