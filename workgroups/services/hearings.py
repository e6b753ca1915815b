"""Writes for hearings of a draft: open (notices after commit), close, responses from members and industry, the secretariat's answers."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from core.enqueue import enqueue
from core.formats import datetime_text
from goals import services as goal_services
from goals.models import Criterion, GoalVersion
from members.models import User

from ..models import (
    Hearing,
    HearingNotice,
    HearingResponse,
)


@transaction.atomic
def hearing_open(*, version: GoalVersion, kind: str, closes_at: datetime, by: User | None) -> Hearing:
    """Open the internal hearing on a draft, or the industry hearing after the internal one.

    Members are told about an internal hearing by email (after commit).
    """
    from ..tasks import hearing_notify_members

    version = GoalVersion.objects.select_for_update().get(pk=version.pk)
    if closes_at <= timezone.now():
        raise ValidationError(_("The deadline must be in the future."))
    if kind == Hearing.Kind.INTERNAL:
        goal_services.goal_version_hearing_enter(version=version, kind=Hearing.Kind.INTERNAL, by=by)
    else:
        internal = version.hearings.filter(kind=Hearing.Kind.INTERNAL).first()
        if internal is None:
            raise ValidationError(_("The industry hearing follows the internal hearing."))
        if internal.closed_at is None:
            hearing_close(hearing=internal, by=by, reason=_("Closed when the industry hearing opened."))
        goal_services.goal_version_hearing_enter(version=version, kind=Hearing.Kind.INDUSTRY, by=by)
    if version.hearings.filter(kind=kind).exists():
        raise ValidationError(_("This version has already had that hearing."))
    hearing = Hearing(version=version, kind=kind, closes_at=closes_at, opened_by=by)
    hearing.full_clean()
    history.by(hearing, by).save()
    if kind == Hearing.Kind.INTERNAL:
        transaction.on_commit(lambda: enqueue(hearing_notify_members, hearing.pk))
    return hearing


def hearing_notice_deliver(*, hearing_id: int) -> int:
    """Tell every member organisation and the working group that an internal hearing is open; once per person.

    The first call stamps the hearing and records, in the same transaction, one notice per person to tell
    and one per member organisation with no one to tell (selectors.hearing_notice_recipients). Each waiting
    notice is then claimed before its email goes, so a retried or concurrent task sends nothing twice; a
    notice whose email the mail server refused waits again, and the task's retry sends it. Returns how many
    emails this call sent.
    """
    from ..emails import hearing_notice_send
    from ..selectors import hearing_notice_recipients

    with transaction.atomic():
        if Hearing.objects.filter(pk=hearing_id, notified_at=None).update(notified_at=timezone.now()):
            hearing = Hearing.objects.select_related("version").get(pk=hearing_id)
            recipients, without = hearing_notice_recipients(hearing=hearing)
            HearingNotice.objects.bulk_create(
                [
                    HearingNotice(
                        hearing=hearing,
                        organisation=r["organisation"],
                        user=r["user"],
                        email=r["user"].email,
                        role=r["role"],
                    )
                    for r in recipients
                ]
                + [
                    HearingNotice(
                        hearing=hearing,
                        organisation=organisation,
                        role=HearingNotice.Role.NONE,
                        status=HearingNotice.Status.NO_RECIPIENT,
                    )
                    for organisation in without
                ]
            )
    hearing = Hearing.objects.select_related("version", "version__goal").get(pk=hearing_id)
    sent = 0
    waiting = list(hearing.notices.filter(status=HearingNotice.Status.PENDING).select_related("user").order_by("pk"))
    if not waiting:
        return 0
    # One connection to the mail server for all of them, not one per member.
    with get_connection() as connection:
        for notice in waiting:
            claimed = HearingNotice.objects.filter(pk=notice.pk, status=HearingNotice.Status.PENDING).update(
                status=HearingNotice.Status.SENT, sent_at=timezone.now()
            )
            if not claimed:
                continue
            try:
                hearing_notice_send(
                    hearing=hearing,
                    recipients=[notice.email],
                    languages={notice.email: notice.user.language} if notice.user else None,
                    connection=connection,
                )
            except OSError:  # smtplib's errors included: the task retries
                HearingNotice.objects.filter(pk=notice.pk).update(status=HearingNotice.Status.PENDING, sent_at=None)
                raise
            sent += 1
    return sent


@transaction.atomic
def hearing_close(*, hearing: Hearing, by: User | None, reason: str = "") -> Hearing:
    """Close a hearing (idempotent). Before its published deadline only with a reason, which is kept and shown."""
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.closed_at is not None:
        return hearing
    now = timezone.now()
    reason = reason.strip()
    if now < hearing.closes_at and not reason:
        raise ValidationError(
            _("The deadline is %(date)s. Give the reason for closing the hearing before it.")
            % {"date": datetime_text(hearing.closes_at)}
        )
    hearing.closed_at = now
    hearing.close_reason = reason if now < hearing.closes_at else ""
    hearing.full_clean()
    history.by(hearing, by).save()
    return hearing


@transaction.atomic
def hearing_respond(
    *,
    hearing: Hearing,
    text: str,
    respondent_name: str,
    respondent_organisation: str,
    respondent_email: str = "",
    criterion: Criterion | None = None,
    keep_private: bool = False,
    user: User | None = None,
    channel: str = HearingResponse.Channel.PORTAL,
    received_at: datetime | None = None,
) -> HearingResponse:
    """Record a response. An internal hearing takes responses from member representatives only.

    After the deadline only the secretariat may register a response that arrived
    by email in time (received_at before the deadline).
    """
    hearing = Hearing.objects.select_for_update().select_related("version").get(pk=hearing.pk)
    received_at = received_at or timezone.now()
    by_secretariat = channel == HearingResponse.Channel.EMAIL
    if by_secretariat:
        if user is None or not user.is_secretariat:
            raise ValidationError(_("Only the secretariat registers responses received by email."))
        if received_at > hearing.closes_at:
            raise ValidationError(_("The response was received after the deadline."))
    elif not hearing.is_open:
        raise ValidationError(
            _("The hearing closed on %(date)s; responses can no longer be given.")
            % {"date": datetime_text(hearing.closes_at)}
        )
    member = None
    if hearing.kind == Hearing.Kind.INTERNAL and not by_secretariat:
        rep = user.representative_or_none if user else None
        if user is None or rep is None:
            raise ValidationError(_("The internal hearing is for the representatives of member organisations."))
        member = rep.organisation
        respondent_organisation = rep.organisation.name
        respondent_name = respondent_name or user.name or user.email
        respondent_email = respondent_email or user.email
    if criterion is not None and criterion.version_id != hearing.version_id:
        raise ValidationError(_("The criterion does not belong to the version in hearing."))
    if not text.strip():
        raise ValidationError(_("Write your response."))
    same = HearingResponse.objects.filter(
        hearing=hearing,
        criterion=criterion,
        text=text.strip(),
        respondent_email=respondent_email.strip(),
        respondent_organisation=respondent_organisation.strip(),
    ).first()
    if same is not None:
        return same  # the same response sent twice (a second tab, a double click): kept once
    response = HearingResponse(
        hearing=hearing,
        criterion=criterion,
        respondent_name=respondent_name.strip(),
        respondent_organisation=respondent_organisation.strip(),
        respondent_email=respondent_email.strip(),
        member=member,
        submitted_by=user,
        channel=channel,
        text=text.strip(),
        keep_private=keep_private,
        received_at=received_at,
    )
    response.full_clean()
    history.by(response, user).save()
    return response


@transaction.atomic
def hearing_response_answer(*, response: HearingResponse, answer: str, text: str, by: User) -> HearingResponse:
    """The secretariat's assessment of a response and what it did about it (the hearing memo)."""
    if answer not in HearingResponse.Answer.values:
        raise ValidationError(_("Choose accepted, partly accepted or not accepted."))
    if not text.strip():
        raise ValidationError(_("Give the answer and what was done, with the reason."))
    response = HearingResponse.objects.select_for_update().get(pk=response.pk)
    response.answer = answer
    response.answer_text = text.strip()
    response.answered_by = by
    response.answered_at = timezone.now()
    response.full_clean()
    history.by(response, by).save()
    return response


def _memo_open(response: HearingResponse) -> None:
    """The memo the steering group decided on stays as it was: no response is left out or taken back after."""
    if response.hearing.version.status not in GoalVersion.IN_PROGRESS or (
        response.hearing.version.status == GoalVersion.Status.ADOPTED
    ):
        raise ValidationError(
            _("The steering group has decided on this draft with its hearing memo; the memo is no longer changed.")
        )


def _secretariat_only(by: User | None) -> None:
    if by is None or not by.is_secretariat:
        raise ValidationError(_("Only the secretariat can leave a response out of the memo."))


@transaction.atomic
def hearing_response_dismiss(*, response: HearingResponse, reason: str, by: User) -> HearingResponse:
    """Leave an industry response out of the memo as spam or irrelevant, instead of answering it.

    The response is kept (and can be restored); the history records who did it and when.
    """
    _secretariat_only(by)
    if reason not in HearingResponse.Dismissal.values:
        raise ValidationError(_("Choose spam or irrelevant."))
    response = HearingResponse.objects.select_for_update().select_related("hearing__version").get(pk=response.pk)
    _memo_open(response)
    if response.hearing.kind != Hearing.Kind.INDUSTRY:
        raise ValidationError(_("Only responses to the industry hearing can be left out; answer a member's response."))
    response.dismissed = reason
    response.dismissed_by = by
    response.dismissed_at = timezone.now()
    response.full_clean()
    history.by(response, by).save()
    return response


@transaction.atomic
def hearing_response_restore(*, response: HearingResponse, by: User) -> HearingResponse:
    """Take a response marked as spam or irrelevant back into the memo."""
    _secretariat_only(by)
    response = HearingResponse.objects.select_for_update().select_related("hearing__version").get(pk=response.pk)
    _memo_open(response)
    if not response.dismissed:
        raise ValidationError(_("The response is already in the memo."))
    response.dismissed = ""
    response.dismissed_by = None
    response.dismissed_at = None
    response.full_clean()
    history.by(response, by).save()
    return response
