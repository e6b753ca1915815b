"""Writes for follow-up rounds: prepare, open (a response per active member, invitations after commit), add late members, close, reopen."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import history
from core.enqueue import enqueue
from goals.models import GoalVersion
from members.models import Membership, User

from ..models import Response, Round
from ..selectors.rounds import default_goal_versions


@transaction.atomic
def round_create(
    *,
    year: int,
    opens_on: date,
    deadline: date,
    intro: str = "",
    intro_en: str = "",
    goal_versions: list[GoalVersion] | None = None,
    reminder_days_before: str = "14,3",
    reminder_days_after: str = "7",
    by: User | None,
) -> Round:
    """A round in preparation; without goal versions it asks about every goal in force on the opening date."""
    if Round.objects.filter(year=year).exists():
        raise ValidationError(_("There is already a follow-up round for %(year)s.") % {"year": year})
    round_ = Round(
        year=year,
        opens_on=opens_on,
        deadline=deadline,
        intro=intro.strip(),
        intro_en=intro_en.strip(),
        reminder_days_before=reminder_days_before.replace(" ", ""),
        reminder_days_after=reminder_days_after.replace(" ", ""),
    )
    _validate_round(round_)
    history.by(round_, by).save()
    round_.goal_versions.set(goal_versions or default_goal_versions(on=opens_on))
    return round_


def _validate_round(round_: Round) -> None:
    if round_.deadline and round_.opens_on and round_.deadline < round_.opens_on:
        raise ValidationError({"deadline": _("The deadline cannot be before the opening date.")})
    round_.full_clean(exclude=["opened_by", "closed_by", "reopened_by"])


@transaction.atomic
def round_update(
    *, round: Round, by: User | None, goal_versions: list[GoalVersion] | None = None, **fields: Any
) -> Round:
    """Change a round's dates, text or reminder schedule; the goals asked about only while it is prepared.

    An open round's deadline can be extended (or brought forward) but not moved into the past; a closed
    round is changed only by reopening it (``round_reopen``). Every change is in the round's history.
    """
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    allowed = {"opens_on", "deadline", "intro", "intro_en", "reminder_days_before", "reminder_days_after"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if round_.status == Round.Status.CLOSED:
        raise ValidationError(_("A closed round cannot be changed."))
    if round_.status == Round.Status.OPEN and "opens_on" in fields and fields["opens_on"] != round_.opens_on:
        raise ValidationError(_("The round is open; its opening date cannot change."))
    if (
        round_.status == Round.Status.OPEN
        and fields.get("deadline") is not None
        and fields["deadline"] != round_.deadline
        and fields["deadline"] < timezone.localdate()
    ):
        raise ValidationError({"deadline": _("The round is open; its deadline cannot be moved into the past.")})
    for name, value in fields.items():
        setattr(round_, name, value.replace(" ", "") if name.startswith("reminder_") else value)
    _validate_round(round_)
    history.by(round_, by).save()
    if goal_versions is not None and round_.status == Round.Status.DRAFT:
        round_.goal_versions.set(goal_versions or default_goal_versions(on=round_.opens_on))
    return round_


@transaction.atomic
def round_open(*, round: Round, by: User | None) -> Round:
    """Open the round: a response for every active member (those in transition marked), invitations emailed after commit."""
    from ..tasks import round_invitations_send

    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != Round.Status.DRAFT:
        raise ValidationError(_("Only a round being prepared can be opened."))
    if not round_.goal_versions.exists():
        raise ValidationError(_("The round asks about no goals. Choose the goals first."))
    if Round.objects.filter(status=Round.Status.OPEN).exists():
        raise ValidationError(_("Another round is open. Close it first."))
    round_.status = Round.Status.OPEN
    round_.opened_at = timezone.now()
    round_.opened_by = by
    history.by(round_, by).save()
    _responses_create(round_, by)
    transaction.on_commit(lambda: enqueue(round_invitations_send, round_.pk))
    return round_


def _responses_create(round_: Round, by: User | None) -> int:
    existing = round_.responses.values_list("organisation_id", flat=True)
    memberships = Membership.objects.filter(status=Membership.Status.ACTIVE).exclude(organisation_id__in=existing)
    responses = [
        Response(round=round_, organisation_id=m.organisation_id, in_transition=m.in_transition) for m in memberships
    ]
    bulk_create_with_history(responses, Response, default_user=by, batch_size=500)
    return len(responses)


@transaction.atomic
def round_members_add(*, round: Round, by: User | None) -> int:
    """Give members that joined after the opening a response in the open round, and invite them (after commit)."""
    from ..tasks import round_invitations_send

    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("Members can be added only to an open round."))
    added = _responses_create(round_, by)
    if added:
        # Invitations are logged per person: those already invited are not invited again.
        transaction.on_commit(lambda: enqueue(round_invitations_send, round_.pk))
    return added


@transaction.atomic
def round_close(*, round: Round, by: User | None, reason: str = "", today: date | None = None) -> Round:
    """Close an open round; closing before the deadline day needs a reason, which is kept.

    Responses reopened later can still be completed; no reminder goes out while it is closed.
    """
    today = today or timezone.localdate()
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    reason = reason.strip()
    if today < round_.deadline and not reason:
        raise ValidationError(
            {"reason": _("The deadline has not passed yet. Give the reason for closing the round before it.")}
        )
    round_.status = Round.Status.CLOSED
    round_.closed_at = timezone.now()
    round_.closed_by = by
    round_.close_reason = reason if today < round_.deadline else ""
    history.by(round_, by).save()
    return round_


@transaction.atomic
def round_reopen(*, round: Round, by: User | None, reason: str, deadline: date) -> Round:
    """Open a closed round again, with a reason and a new deadline in the future; the reason is kept.

    The members that had not submitted can answer again until the new deadline, and are reminded on
    the round's schedule for it. No invitation is sent again.
    """
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != Round.Status.CLOSED:
        raise ValidationError(_("Only a closed round can be reopened."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the round.")})
    if deadline is None or deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("The new deadline must be in the future.")})
    if Round.objects.filter(status=Round.Status.OPEN).exclude(pk=round_.pk).exists():
        raise ValidationError(_("Another round is open. Close it first."))
    round_.status = Round.Status.OPEN
    round_.deadline = deadline
    round_.reopened_at = timezone.now()
    round_.reopened_by = by
    round_.reopen_reason = reason
    # The earlier closing stays in the round's history; the report reads the closing that ends this opening.
    round_.closed_at, round_.closed_by, round_.close_reason = None, None, ""
    _validate_round(round_)
    history.by(round_, by).save()
    return round_
