"""The membership's emails: the invitation to create an account, in Danish followed by English."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def invitation_email_send(*, invitation, token: str) -> None:
    """Send the invitation link; the invitee's language is not known yet, so Danish comes first, then English."""
    parts, subject = [], ""
    for language in ("da", "en"):
        with translation.override(language):
            path = reverse("members:invitation-accept", kwargs={"token": token})
            context = {
                "invitation": invitation,
                "url": f"{settings.SITE_URL}{path}",
                "authority": settings.POGI_AUTHORITY,
            }
            parts.append(render_to_string("members/email/invitation_body.txt", context).strip())
            if language == "da":
                subject = render_to_string("members/email/invitation_subject.txt", context).strip()
    body = "\n\n----------\n\n".join(parts) + "\n"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
