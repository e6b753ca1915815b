"""The revision cycle's emails, in Danish: the notice of an internal hearing and a meeting's invitation with its agenda."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation


def _send_each(name: str, context: dict, recipients: list[str]) -> int:
    """One message per recipient, so no one sees the others' addresses."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "base_url": settings.SITE_URL, "authority": settings.POGI_AUTHORITY}
        subject = render_to_string(f"workgroups/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"workgroups/email/{name}_body.txt", context)
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients])
    return len(recipients)


def hearing_notice_send(*, hearing, recipients: list[str]) -> int:
    return _send_each("hearing", {"hearing": hearing}, recipients)


def meeting_invitation_email_send(*, meeting, items, recipients: list[str]) -> int:
    return _send_each("meeting", {"meeting": meeting, "items": items}, recipients)
