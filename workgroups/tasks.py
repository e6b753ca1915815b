from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Hearing
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
