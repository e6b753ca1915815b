from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import services
from .models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send(invitation_id: int, token: str) -> bool:
    """Email an invitation link. Idempotent: a sent, accepted or revoked invitation is not sent again."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.sent_at is not None or not invitation.is_open:
        return False
    # The invitee's language is not known yet: Danish first, then English.
    parts = []
    for language in ("da", "en"):
        with translation.override(language):
            path = reverse("members:invitation-accept", kwargs={"token": token})
            context = {"invitation": invitation, "url": f"{settings.POGI_BASE_URL}{path}"}
            context["authority"] = settings.POGI_AUTHORITY
            parts.append(render_to_string("members/email/invitation_body.txt", context).strip())
            if language == "da":
                subject = render_to_string("members/email/invitation_subject.txt", context).strip()
    body = "\n\n----------\n\n".join(parts) + "\n"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    Invitation.objects.filter(pk=invitation.pk, sent_at=None).update(sent_at=timezone.now())
    return True


@shared_task
def invitations_expire() -> int:
    return services.invitations_expire()


@shared_task
def ping() -> str:
    """A trivial task used by the health checks and the worker test."""
    return "pong"
