import smtplib
from typing import Any

from celery import shared_task

from . import security_log
from .emails import message_from_data


@shared_task
def security_log_purge() -> int:
    """Delete security-log entries past their retention (idempotent: a second run finds none)."""
    return security_log.security_events_purge()


@shared_task(autoretry_for=(OSError, smtplib.SMTPException), retry_backoff=True, max_retries=8)
def email_send(message: dict[str, Any]) -> None:
    """Send an email written during a request (core.emails.send_later); retried while the mail server is down."""
    message_from_data(message).send()
