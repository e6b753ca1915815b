"""The membership's emails: the invitation to create an account and the application's confirmation link, in Danish followed by English."""

from django.conf import settings
from django.urls import reverse

from core.emails import compose


def invitation_email_send(*, invitation, token: str) -> None:
    """Send the invitation link; the invitee's language is not known yet, so Danish comes first, then English."""
    compose(
        "members/email/invitation",
        {"invitation": invitation},
        to=[invitation.email],
        path=lambda: reverse("members:invitation-accept", kwargs={"token": token}),
    ).send()


def membership_verification_email_send(*, membership, token: str) -> None:
    """Send the link that confirms an application from an address on the organisation's official domain."""
    compose(
        "members/email/membership_verification",
        {"membership": membership, "hours": settings.POGI_VERIFICATION_LINK_HOURS},
        to=[membership.contact_email],
        path=lambda: reverse("members:application-confirm", kwargs={"token": token}),
    ).send()
