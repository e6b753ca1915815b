"""The membership's emails: the invitation to create an account, in Danish followed by English."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from core.emails import render_bilingual


def invitation_email_send(*, invitation, token: str) -> None:
    """Send the invitation link; the invitee's language is not known yet, so Danish comes first, then English."""
    subject, body = render_bilingual(
        "members/email/invitation",
        {"invitation": invitation},
        path=lambda: reverse("members:invitation-accept", kwargs={"token": token}),
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
