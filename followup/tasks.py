from celery import shared_task

from . import services
from .models import Response, Round


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def round_invitations_send(round_id: int) -> int:
    """Invite the representatives of every member to an opened round; once per person."""
    round_ = Round.objects.filter(pk=round_id).first()
    return services.round_invitations_send(round=round_) if round_ else 0


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def reminders_send_due() -> int:
    """Beat: the reminders due today, to members that have not submitted; once per person and step."""
    return services.reminders_send_due()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def response_receipt_send(response_id: int, version: int) -> int:
    """The receipt with the answers as PDF, for one submission; sent once to each recipient."""
    response = Response.objects.filter(pk=response_id).first()
    return services.response_receipt_send(response=response, version=version) if response else 0
