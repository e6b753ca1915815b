from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Hearing, Meeting
from .services import member_recipients


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def hearing_notify_members(hearing_id: int) -> int:
    """Email every member representative that an internal hearing is open. Sent once per hearing."""
    updated = Hearing.objects.filter(pk=hearing_id, notified_at=None).update(notified_at=timezone.now())
    if not updated:
        return 0
    hearing = Hearing.objects.select_related("version", "version__goal").get(pk=hearing_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"hearing": hearing, "base_url": settings.POGI_BASE_URL, "authority": settings.POGI_AUTHORITY}
        subject = render_to_string("workgroups/email/hearing_subject.txt", context).strip()
        body = render_to_string("workgroups/email/hearing_body.txt", context)
    recipients = member_recipients()
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients])
    return len(recipients)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meeting_invitation_send(meeting_id: int, requested_at: str) -> int:
    """Email a meeting's invitation and agenda to its participants, once per request.

    The meeting row is stamped before sending, so a retried or repeated task does
    not send the same invitation twice; a newer request supersedes an older one.
    """
    from . import selectors

    requested = datetime.fromisoformat(requested_at)
    updated = (
        Meeting.objects.filter(pk=meeting_id, invitation_requested_at=requested)
        .filter(Q(invitation_sent_at=None) | Q(invitation_sent_at__lt=requested))
        .update(invitation_sent_at=timezone.now())
    )
    if not updated:
        return 0
    meeting = Meeting.objects.select_related("body", "working_group").get(pk=meeting_id)
    items = list(meeting.items.order_by("position"))
    recipients = sorted({p.user.email for p in selectors.meeting_participants(meeting=meeting) if p.user.email})
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "meeting": meeting,
            "items": items,
            "base_url": settings.POGI_BASE_URL,
            "authority": settings.POGI_AUTHORITY,
        }
        subject = render_to_string("workgroups/email/meeting_subject.txt", context).strip()
        body = render_to_string("workgroups/email/meeting_body.txt", context)
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients])
    return len(recipients)
