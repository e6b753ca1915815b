from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send(invitation_id: int, token: str) -> bool:
    """Email an invitation link. Idempotent: a sent, accepted or revoked invitation is not sent again."""
    return services.invitation_deliver(invitation_id=invitation_id, token=token)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def membership_verification_email_send(membership_id: int) -> bool:
    """Email an application's confirmation link. Idempotent: sent once, and only while the application waits."""
    return services.membership_verification_email_deliver(membership_id=membership_id)


@shared_task
def invitations_expire() -> int:
    return services.invitations_expire()


@shared_task
def ping() -> str:
    """A trivial task used by the health checks and the worker test."""
    return "pong"
