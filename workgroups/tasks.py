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


# --- Nordic buyer dialogues -----------------------------------------------------------------------------


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def dialogue_application_receipt_send(application_id: int) -> int:
    """Tell the responsible person that the application was received, in the language they applied in."""
    from .emails import dialogue_application_receipt_send as send

    return send(application_id=application_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def dialogue_application_decision_send(application_id: int) -> int:
    """Tell the responsible person whether the body was accepted, with the reason."""
    from .emails import dialogue_application_decision_send as send

    return send(application_id=application_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def interest_confirmation_send(signup_id: int) -> int:
    """The double opt-in: the link that confirms the address (nothing else is sent before it is followed)."""
    from .emails import interest_confirmation_send as send

    return send(signup_id=signup_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def interest_already_send(signup_id: int, language: str) -> int:
    """An address already on the list signed up again: it is told so, with its own links (the form said nothing)."""
    from .emails import interest_already_send as send

    return send(signup_id=signup_id, language=language)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def dialogue_news_deliver(news_id: int) -> int:
    """Send a news update to every recipient in its send log, once each (see services.dialogues.news_deliver)."""
    from .services.dialogues import news_deliver

    return news_deliver(news_id=news_id)


@shared_task
def interest_expire() -> int:
    """Beat: delete interest-list sign-ups not confirmed within 30 days."""
    from .services.dialogues import interest_expire as expire

    return expire()


@shared_task
def dialogue_news_resume() -> int:
    """Beat: queue again the news updates still being sent after ten minutes (their task was never queued, or
    its worker was lost); returns how many."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import DialogueNews, NewsDelivery

    stale = DialogueNews.objects.filter(
        status=DialogueNews.Status.SENDING,
        send_requested_at__lt=timezone.now() - timedelta(minutes=10),
        deliveries__status=NewsDelivery.Status.PENDING,
    ).distinct()
    count = 0
    for news_id in stale.values_list("pk", flat=True):
        dialogue_news_deliver.delay(news_id)
        count += 1
    return count
