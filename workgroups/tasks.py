from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def hearing_notify_members(hearing_id: int) -> int:
    """Email every member organisation and the working group that an internal hearing is open; once per person.

    Retried while the mail server refuses: only the notices still waiting are sent again.
    """
    return services.hearing_notice_deliver(hearing_id=hearing_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def meeting_invitation_send(meeting_id: int, requested_at: str) -> int:
    """Email a meeting's invitation and agenda to its participants, once per request."""
    return services.meeting_invitation_deliver(meeting_id=meeting_id, requested_at=requested_at)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def status_report_reminders_send_due(today: str | None = None) -> int:
    """Beat: remind the leads of running projects of the quarter's status report; once per project, quarter and
    person (a row per reminder), so running it often only catches up sooner. ``today`` (ISO date) is for a catch-up
    run of a given day."""
    from datetime import date

    return services.status_report_reminders_send_due(today=date.fromisoformat(today) if today else None)
