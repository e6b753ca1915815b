import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from . import services
from .models import Report, Response, Round
from .services import reports as report_services

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def round_invitations_send(round_id: int) -> int:
    """Invite the representatives of every member to an opened round; once per person."""
    round_ = Round.objects.filter(pk=round_id).first()
    return services.round_invitations_send(round=round_) if round_ else 0


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def reminders_send_due() -> int:
    """Beat: the reminders due today, to members that have not submitted; once per person and step."""
    return services.reminders_send_due()


@shared_task
def receipts_send_missing() -> int:
    """Beat: the receipts whose task never ran (the broker was down at submission); once per person."""
    return services.receipts_send_missing()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def response_receipt_send(response_id: int, version: int) -> int:
    """The receipt with the answers as PDF, for one submission; sent once to each recipient."""
    response = Response.objects.filter(pk=response_id).first()
    return services.response_receipt_send(response=response, version=version) if response else 0


# Rendering the report of the largest round takes seconds; these limits stop one that hangs. A report
# "rendering" for longer than the hard limit was lost with its worker (Report.is_lost).
REPORT_TIME_LIMIT = settings.REPORT_TIME_LIMIT
REPORT_SOFT_TIME_LIMIT = min(settings.REPORT_SOFT_TIME_LIMIT, REPORT_TIME_LIMIT)
TRANSIENT = (OperationalError, InterfaceError, OSError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_TIME_LIMIT,
    max_retries=4,
)
def report_render(self, report_id: int) -> str:
    """Render and store a report's PDF. Idempotent: a report already done is left as it is.

    A worker that dies mid-render leaves the message unacknowledged, so another
    worker takes it up and renders again from the start. Transient failures
    (database, disk) are retried with a growing delay; anything else is
    recorded on the report with its reason, which the secretariat sees, and
    logged: the task itself then ends without raising, so a report that cannot
    be rendered never breaks the page that asked for it.
    """
    try:
        report = report_services.report_build(report_id=report_id)
    except TRANSIENT as exc:
        # In-process (no broker) there is nobody to retry later: the failure is shown at once.
        if not self.request.is_eager and self.request.retries < self.max_retries:
            reason = _("Temporary error, trying again: %(error)s") % {"error": exc}
            report_services.report_retry_wait(report_id=report_id, reason=reason)
            raise self.retry(exc=exc, countdown=min(300, 10 * 2**self.request.retries)) from exc
        logger.exception("Report %s failed after %s attempts", report_id, self.request.retries + 1)
        report_services.report_fail(report_id=report_id, reason=str(exc))
        return Report.Status.FAILED
    except SoftTimeLimitExceeded:
        logger.error("Report %s took longer than %s s", report_id, REPORT_SOFT_TIME_LIMIT)
        report_services.report_fail(
            report_id=report_id,
            reason=_("Rendering took longer than %(minutes)d minutes and was stopped.")
            % {"minutes": max(1, REPORT_SOFT_TIME_LIMIT // 60)},
        )
        return Report.Status.FAILED
    except Exception as exc:
        logger.exception("Report %s failed", report_id)
        report_services.report_fail(report_id=report_id, reason=f"{type(exc).__name__}: {exc}")
        return Report.Status.FAILED
    return report.status if report else "skipped"


@shared_task
def reports_requeue_lost() -> int:
    """Beat: queue again the reports whose worker died while rendering them (see ``Report.is_lost``)."""
    return report_services.reports_requeue_lost()


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def climate_account_refresh(organisation_id: int, year: int) -> int:
    """Recompute a member's climate estimates of a year after its follow-up was submitted."""
    from members.models import Organisation

    from .services import climate

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    return len(climate.climate_account_refresh(organisation=organisation, year=year))


@shared_task
def climate_accounts_refresh_stale() -> int:
    """Beat: the years whose submitted follow-up is newer than their climate estimates."""
    from .services import climate

    return climate.climate_accounts_refresh_stale()
