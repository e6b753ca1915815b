"""Writes for hearings of a draft: open (notices after commit), close, responses from members and industry, the secretariat's answers."""

from datetime import datetime

from django.core.exceptions import ValidationError
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
        goal_services.goal_version_transition(version=version, to=GoalVersion.Status.INTERNAL_HEARING, by=by)
    else:
        internal = version.hearings.filter(kind=Hearing.Kind.INTERNAL).first()
        if internal is None:
            raise ValidationError(_("The industry hearing follows the internal hearing."))
        if internal.closed_at is None:
            hearing_close(hearing=internal, by=by)
        goal_services.goal_version_transition(version=version, to=GoalVersion.Status.INDUSTRY_HEARING, by=by)
    if version.hearings.filter(kind=kind).exists():
        raise ValidationError(_("This version has already had that hearing."))
    hearing = Hearing(version=version, kind=kind, closes_at=closes_at, opened_by=by)
    hearing.full_clean()
    history.by(hearing, by).save()
    if kind == Hearing.Kind.INTERNAL:
        transaction.on_commit(lambda: enqueue(hearing_notify_members, hearing.pk))
    return hearing


def hearing_notice_deliver(*, hearing_id: int) -> int:
    """Tell every member representative that an internal hearing is open; once per hearing, whoever calls again.

    The hearing is stamped before the emails go, so a retried task sends nothing twice.
    """
    from ..emails import hearing_notice_send
    from ..selectors import member_recipients

    updated = Hearing.objects.filter(pk=hearing_id, notified_at=None).update(notified_at=timezone.now())
    if not updated:
        return 0
    hearing = Hearing.objects.select_related("version", "version__goal").get(pk=hearing_id)
    return hearing_notice_send(hearing=hearing, recipients=member_recipients())


@transaction.atomic
def hearing_close(*, hearing: Hearing, by: User | None) -> Hearing:
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.closed_at is None:
        hearing.closed_at = timezone.now()
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
