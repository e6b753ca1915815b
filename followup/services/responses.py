"""Writes for a member's response: the organisation part and each goal's answer saved as drafts with a version check, submit, reopen.

Two people saving the same section get a ResponseConflict instead of
overwriting each other; a submitted response is changed only after the
secretariat reopens it.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from core.enqueue import enqueue
from core.formats import datetime_text, whole_number
from goals.models import GoalVersion
from members.models import User

from ..completeness import response_missing
from ..models import GoalAnswer, Response
from .climate import climate_account_enqueue

ORGANISATION_FIELDS = (
    "total_volume_dkk",
    "policy_url_valid",
    "policy_url",
    "contact_name",
    "contact_email",
    "contact_phone",
)


GOAL_FIELDS = (
    "tenders_completed",
    "tenders_with_criteria",
    "volume_dkk",
    "status",
    "reason",
    "challenges_met",
    "challenges",
    "comment",
)
NULLABLE_GOAL_FIELDS = ("tenders_completed", "tenders_with_criteria", "volume_dkk", "challenges_met")


class ResponseConflict(Exception):
    """Someone else saved the section since it was opened: nothing was saved.

    Carries who saved, when, what they saved (label, value pairs) and the
    section's current version, so the form can be sent again on purpose.
    """

    def __init__(
        self, *, saved_by: User | None, saved_at: datetime | None, values: list[tuple[str, str]], version: int
    ):
        self.saved_by, self.saved_at, self.values, self.version = saved_by, saved_at, values, version
        super().__init__(self.message)

    @property
    def message(self) -> str:
        who = str(self.saved_by) if self.saved_by else _("someone else")
        when = datetime_text(self.saved_at) if self.saved_at else ""
        return _(
            "Your answers were not saved: %(who)s saved this section at %(when)s while you were editing it. "
            "Compare with what they saved below; your own answers are still in the form. Save again to replace theirs."
        ) % {"who": who, "when": when}


def _lock(response: Response) -> Response:
    return Response.objects.select_for_update(of=("self",)).select_related("round").get(pk=response.pk)


def _check_editable(response: Response) -> None:
    if response.status == Response.Status.SUBMITTED:
        raise ValidationError(
            _("The response has been submitted and can no longer be changed. Ask the secretariat to reopen it.")
        )
    if not response.is_editable:
        raise ValidationError(_("The %(year)s round is not open for answers.") % {"year": response.round.year})


def _display(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return whole_number(value)
    return str(value)


def _values(instance: Response | GoalAnswer, names: Iterable[str]) -> list[tuple[str, str]]:
    meta = instance._meta
    out = []
    for name in names:
        value = getattr(instance, name)
        if name == "status" and isinstance(instance, GoalAnswer):
            value = instance.get_status_display() if value else ""
        out.append((str(meta.get_field(name).verbose_name), _display(value)))  # type: ignore[union-attr]  # names are concrete fields
    return out


def _organisation_apply(response: Response, data: dict[str, Any], by: User | None) -> None:
    for name in ORGANISATION_FIELDS:
        if name in data:
            value = data[name]
            setattr(
                response, name, value if value is not None or name in ("total_volume_dkk", "policy_url_valid") else ""
            )
    if response.policy_url_valid is not False:
        response.policy_url = ""
    now = timezone.now()
    response.organisation_version += 1
    response.version += 1
    response.organisation_saved_at = response.last_saved_at = now
    response.organisation_saved_by = response.last_saved_by = by
    if response.status == Response.Status.NOT_STARTED:
        response.status = Response.Status.DRAFT
    response.full_clean(
        exclude=["round", "organisation", "last_saved_by", "organisation_saved_by", "submitted_by", "reopened_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    history.by(response, by).save()


@transaction.atomic
def response_organisation_save(
    *, response: Response, by: User | None, expected_version: int, data: dict[str, Any]
) -> Response:
    """Save the organisation part as a draft, unless someone else saved it since ``expected_version``."""
    response = _lock(response)
    _check_editable(response)
    if response.organisation_version != expected_version:
        raise ResponseConflict(
            saved_by=response.organisation_saved_by,
            saved_at=response.organisation_saved_at,
            values=_values(response, ORGANISATION_FIELDS),
            version=response.organisation_version,
        )
    _organisation_apply(response, data, by)
    return response


def _goal_apply(response: Response, answer: GoalAnswer, data: dict[str, Any], by: User | None) -> GoalAnswer:
    for name in GOAL_FIELDS:
        if name in data:
            value = data[name]
            setattr(
                answer,
                name,
                value if value is not None or name in NULLABLE_GOAL_FIELDS else "",
            )
    if data.get("challenges_met") is False:
        answer.challenges = ""  # "no challenges": a text typed before the answer changed is not kept as one
    if (
        answer.tenders_completed is not None
        and answer.tenders_with_criteria is not None
        and answer.tenders_with_criteria > answer.tenders_completed
    ):
        raise ValidationError(
            {
                "tenders_with_criteria": _("Cannot be more than the number of tenders completed (%(completed)s).")
                % {"completed": answer.tenders_completed}
            }
        )
    now = timezone.now()
    answer.version += 1
    answer.saved_at, answer.saved_by = now, by
    # The rule between the two counts is checked above and guarded by the database's check constraint.
    answer.full_clean(
        exclude=["response", "goal_version", "saved_by"], validate_unique=False, validate_constraints=False
    )
    history.by(answer, by).save()
    if response.status == Response.Status.NOT_STARTED:
        response.status = Response.Status.DRAFT
        response.version += 1
        response.last_saved_at, response.last_saved_by = now, by
        history.by(response, by).save(update_fields=["status", "version", "last_saved_at", "last_saved_by"])
    else:
        # The answer's own history records the change; the response only counts it.
        Response.objects.filter(pk=response.pk).update(version=F("version") + 1, last_saved_at=now, last_saved_by=by)
        response.version += 1
        response.last_saved_at, response.last_saved_by = now, by
    return answer


@transaction.atomic
def response_goal_save(
    *,
    response: Response,
    goal_version: GoalVersion,
    by: User | None,
    expected_version: int,
    data: dict[str, Any],
    checked_in_round: bool = False,
) -> GoalAnswer:
    """Save one goal's answer as a draft, unless someone else saved it since ``expected_version``.

    ``checked_in_round``: the caller took the goal version from the round's own list.
    """
    response = _lock(response)
    _check_editable(response)
    if not checked_in_round and not response.round.goal_versions.filter(pk=goal_version.pk).exists():
        raise ValidationError(_("The round does not ask about this goal."))
    answer = GoalAnswer.objects.select_related("saved_by").filter(response=response, goal_version=goal_version).first()
    answer = answer or GoalAnswer(response=response, goal_version=goal_version)
    if answer.version != expected_version:
        raise ResponseConflict(
            saved_by=answer.saved_by,
            saved_at=answer.saved_at,
            values=_values(answer, GOAL_FIELDS),
            version=answer.version,
        )
    return _goal_apply(response, answer, data, by)


@transaction.atomic
def response_submit(*, response: Response, by: User | None, expected_version: int | None = None) -> Response:
    """Submit a complete response; the answers checked must be the answers saved (``expected_version``).

    A receipt with the answers as PDF is emailed to the person who submitted, after commit.
    """
    from ..tasks import response_receipt_send

    response = _lock(response)
    _check_editable(response)
    if expected_version is not None and response.version != expected_version:
        raise ValidationError(
            _("The answers were changed by %(who)s after you opened this page. Check them again before you submit.")
            % {"who": response.last_saved_by or _("someone else")}
        )
    versions = list(response.round.goal_versions.select_related("goal").order_by("goal__number"))
    answers = {a.goal_version_id: a for a in response.answers.all()}
    missing = response_missing(response=response, goal_versions=versions, answers=answers)
    if missing:
        raise ValidationError([m.message for m in missing])
    now = timezone.now()
    response.status = Response.Status.SUBMITTED
    response.submitted_at, response.submitted_by = now, by
    response.version += 1
    history.by(response, by).save()
    version = response.version
    # The submission stands even when the broker is down; the failure is logged (core.enqueue).
    transaction.on_commit(lambda: enqueue(response_receipt_send, response.pk, version))
    # The purchasing volumes feed the member's climate estimate of the year (a beat task catches a missed one).
    climate_account_enqueue(organisation_id=response.organisation_id, year=response.round.year)
    return response


@transaction.atomic
def response_reopen(*, response: Response, by: User, reason: str) -> Response:
    """The secretariat reopens a submitted response on the member's request; the reason is kept."""
    response = _lock(response)
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted response can be reopened."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the response."))
    response.status = Response.Status.REOPENED
    response.reopened_at, response.reopened_by = timezone.now(), by
    response.reopen_reason = reason.strip()
    response.version += 1
    history.by(response, by).save()
    return response
