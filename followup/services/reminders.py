"""The follow-up's emails: invitations, scheduled reminders, the secretariat's "remind now" and receipts, each once per person and step."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import User

from .. import emails
from ..models import ReminderLog, Response, Round
from ..selectors.responses import response_recipients

# A receipt's own task usually sends it within seconds; after this the catch-up sends it instead.
RECEIPT_GRACE = timedelta(minutes=10)


def _claim(response: Response, user: User, step: str, by: User | None) -> ReminderLog | None:
    """Write the log row before sending: only the first caller for (response, person, step) gets it."""
    try:
        with transaction.atomic():
            return ReminderLog.objects.create(
                round_id=response.round_id, response=response, user=user, step=step, email=user.email, sent_by=by
            )
    except IntegrityError:
        return None


def round_invitations_send(*, round: Round) -> int:
    """Email every open response's primary representative and deputy the invitation; once per person.

    Not one transaction: each log row is committed before its email goes, so a
    worker that stops half-way and starts again sends the rest, never twice.
    A round closed before the task ran invites nobody.
    """
    if round.status != Round.Status.OPEN:
        return 0
    responses = round.responses.filter(status__in=Response.EDITABLE).select_related("organisation")
    sent = 0
    for response, user in response_recipients(responses=responses):
        if _claim(response, user, ReminderLog.INVITATION, None) is not None:
            emails.invitation_send(round=round, response=response, user=user)
            sent += 1
    return sent


def reminder_step_due(*, round: Round, today: date) -> str | None:
    """The latest reminder step of the round's schedule that is due today or earlier (and after the opening)."""
    opened = timezone.localdate(round.opened_at) if round.opened_at else round.opens_on
    steps = [(round.deadline - timedelta(days=d), f"before-{d}") for d in round.days_before]
    steps += [(round.deadline + timedelta(days=d), f"after-{d}") for d in round.days_after]
    due = [(day, step) for day, step in steps if opened <= day <= today]
    return max(due)[1] if due else None


def reminders_send_due(*, today: date | None = None) -> int:
    """Send the reminder that is due in each open round to the members that have not submitted.

    A closed round sends none, not even to a response the secretariat reopened in it. Idempotent: a person gets each step once, however often this runs and
    whether or not a worker was restarted in between (see round_invitations_send).
    """
    today = today or timezone.localdate()
    sent = 0
    for round_ in Round.objects.filter(status=Round.Status.OPEN):
        step = reminder_step_due(round=round_, today=today)
        if step is None:
            continue
        responses = round_.responses.filter(status__in=Response.EDITABLE).select_related("organisation")
        for response, user in response_recipients(responses=responses):
            if _claim(response, user, step, None) is not None:
                emails.reminder_send(round=round_, response=response, user=user)
                sent += 1
    return sent


def reminder_send_one(*, response: Response, by: User, today: date | None = None) -> int:
    """The secretariat's "remind now": one reminder a day per person for a response not yet submitted."""
    today = today or timezone.localdate()
    response = Response.objects.select_related("round", "organisation").get(pk=response.pk)
    if response.status not in Response.EDITABLE:
        raise ValidationError(_("%(org)s has already submitted.") % {"org": response.organisation})
    if response.round.status == Round.Status.DRAFT:
        raise ValidationError(_("The round is not open yet."))
    if response.round.status == Round.Status.CLOSED:
        raise ValidationError(_("The round is closed; no reminders are sent."))
    recipients = response_recipients(responses=[response])
    if not recipients:
        raise ValidationError(
            _("%(org)s has no primary representative or deputy to remind.") % {"org": response.organisation}
        )
    sent = 0
    for _response, user in recipients:
        if _claim(response, user, f"manual-{today.isoformat()}", by) is not None:
            emails.reminder_send(round=response.round, response=response, user=user)
            sent += 1
    if not sent:
        raise ValidationError(_("%(org)s has already been reminded today.") % {"org": response.organisation})
    return sent


def response_receipt_send(*, response: Response, version: int) -> int:
    """Email a receipt with the answers as PDF, once per submission.

    It goes to the representative who submitted; when the secretariat submitted
    on the member's behalf, to the member's primary representative and deputy.
    """
    response = Response.objects.select_related("round", "organisation", "submitted_by").get(pk=response.pk)
    submitter = response.submitted_by
    if submitter is None or response.status != Response.Status.SUBMITTED or response.version != version:
        return 0
    rep = submitter.representative_or_none
    if rep is not None and rep.organisation_id == response.organisation_id:
        recipients = [submitter]
    else:
        recipients = [user for _response, user in response_recipients(responses=[response])]
    sent = 0
    for user in recipients:
        if _claim(response, user, f"receipt-{version}", None) is not None:
            emails.receipt_send(response=response, user=user)
            sent += 1
    return sent


def receipts_send_missing(*, now: datetime | None = None, within: timedelta = timedelta(days=3)) -> int:
    """Send the receipts that never went: their task could not be queued (broker down) or was lost.

    Looks at submissions of the last ``within`` that have no receipt row for their version,
    leaving the newest few minutes to the task queued at submission. Idempotent like the
    receipt itself (one log row per person and version).
    """
    now = now or timezone.now()
    receipt_logged = ReminderLog.objects.filter(
        response=OuterRef("pk"), step=Concat(Value("receipt-"), Cast(OuterRef("version"), CharField()))
    )
    missing = (
        Response.objects.filter(
            status=Response.Status.SUBMITTED,
            submitted_at__gte=now - within,
            submitted_at__lte=now - RECEIPT_GRACE,
        )
        .exclude(submitted_by=None)
        .filter(~Exists(receipt_logged))
        .only("pk", "version")
    )
    return sum(response_receipt_send(response=response, version=response.version) for response in missing)
