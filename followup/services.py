"""Writes for the annual follow-up: rounds, responses, answers, reminders and the spreadsheet import.

Every function validates before it saves, runs in a transaction and refuses
what the rules do not allow with a ValidationError whose message is shown to
the user. Two people saving the same section get a ResponseConflict instead of
overwriting each other.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from goals.models import GoalVersion
from members.models import Membership, Representative, User
from pogi import history

from . import emails
from .models import GoalAnswer, ReminderLog, Response, Round

ORGANISATION_FIELDS = (
    "total_volume_dkk",
    "policy_url_valid",
    "policy_url",
    "contact_name",
    "contact_email",
    "contact_phone",
)
GOAL_FIELDS = ("tenders_completed", "tenders_with_criteria", "volume_dkk", "status", "reason", "challenges", "comment")
# Statuses for which the counts and the volume are still asked for.
COUNTED = ("meets", "partly", "not_yet")


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
        when = timezone.localtime(self.saved_at).strftime("%d.%m.%Y %H:%M") if self.saved_at else ""
        return _(
            "Your answers were not saved: %(who)s saved this section at %(when)s while you were editing it. "
            "Compare with what they saved below; your own answers are still in the form. Save again to replace theirs."
        ) % {"who": who, "when": when}


def default_goal_versions(*, on: date) -> list[GoalVersion]:
    """The goal versions in force on a date: per goal, the latest published (or since superseded) version in effect."""
    in_force: dict[int, GoalVersion] = {}
    candidates = GoalVersion.objects.filter(
        status__in=[GoalVersion.Status.PUBLISHED, GoalVersion.Status.SUPERSEDED], effective_date__lte=on
    ).order_by("goal_id", "effective_date", "number")
    for version in candidates:
        in_force[version.goal_id] = version
    return list(in_force.values())


# --- rounds -----------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    year: int,
    opens_on: date,
    deadline: date,
    intro: str = "",
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
    round_.full_clean(exclude=["opened_by", "closed_by"])


@transaction.atomic
def round_update(*, round: Round, by: User | None, goal_versions: list[GoalVersion] | None = None, **fields) -> Round:
    """Change a round's dates, text or reminder schedule; the goals asked about only while it is prepared."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    allowed = {"opens_on", "deadline", "intro", "reminder_days_before", "reminder_days_after"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if round_.status == Round.Status.CLOSED:
        raise ValidationError(_("A closed round cannot be changed."))
    if round_.status == Round.Status.OPEN and "opens_on" in fields and fields["opens_on"] != round_.opens_on:
        raise ValidationError(_("The round is open; its opening date cannot change."))
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
    from .tasks import round_invitations_send

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
    transaction.on_commit(lambda: round_invitations_send.delay(round_.pk))
    return round_


def _responses_create(round_: Round, by: User | None) -> int:
    existing = round_.responses.values_list("organisation_id", flat=True)
    memberships = Membership.objects.filter(status=Membership.Status.ACTIVE).exclude(organisation_id__in=existing)
    responses = [
        Response(round=round_, organisation_id=m.organisation_id, in_transition=m.in_transition) for m in memberships
    ]
    bulk_create_with_history(responses, Response, default_user=by, batch_size=500)
    return len(responses)


def round_members_missing(*, round: Round) -> int:
    """Active members that joined after the round opened and have no response in it."""
    if round.status != Round.Status.OPEN:
        return 0
    return (
        Membership.objects.filter(status=Membership.Status.ACTIVE)
        .exclude(organisation_id__in=round.responses.values_list("organisation_id", flat=True))
        .count()
    )


@transaction.atomic
def round_members_add(*, round: Round, by: User | None) -> int:
    """Give members that joined after the opening a response in the open round, and invite them (after commit)."""
    from .tasks import round_invitations_send

    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("Members can be added only to an open round."))
    added = _responses_create(round_, by)
    if added:
        # Invitations are logged per person: those already invited are not invited again.
        transaction.on_commit(lambda: round_invitations_send.delay(round_.pk))
    return added


@transaction.atomic
def round_close(*, round: Round, by: User | None) -> Round:
    """Close an open round. Responses reopened later can still be completed."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    round_.status = Round.Status.CLOSED
    round_.closed_at = timezone.now()
    round_.closed_by = by
    history.by(round_, by).save()
    return round_


# --- responses --------------------------------------------------------------------------------------


def _lock(response: Response) -> Response:
    return Response.objects.select_for_update(of=("self",)).select_related("round").get(pk=response.pk)


def _check_editable(response: Response) -> None:
    if response.status == Response.Status.SUBMITTED:
        raise ValidationError(
            _("The response has been submitted and can no longer be changed. Ask the secretariat to reopen it.")
        )
    if not response.is_editable:
        raise ValidationError(_("The %(year)s round is not open for answers.") % {"year": response.round.year})


def _display(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def _values(instance, names) -> list[tuple[str, str]]:
    meta = instance._meta
    out = []
    for name in names:
        value = getattr(instance, name)
        if name == "status" and isinstance(instance, GoalAnswer):
            value = instance.get_status_display() if value else ""
        out.append((str(meta.get_field(name).verbose_name), _display(value)))
    return out


def _organisation_apply(response: Response, data: dict, by: User | None) -> None:
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
def response_organisation_save(*, response: Response, by: User | None, expected_version: int, data: dict) -> Response:
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


def _goal_apply(response: Response, answer: GoalAnswer, data: dict, by: User | None) -> GoalAnswer:
    for name in GOAL_FIELDS:
        if name in data:
            value = data[name]
            setattr(
                answer,
                name,
                value
                if value is not None or name in ("tenders_completed", "tenders_with_criteria", "volume_dkk")
                else "",
            )
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
    data: dict,
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


@dataclass(frozen=True)
class Missing:
    """An answer that is needed before the response can be submitted."""

    section: str  # "organisation" or a goal number
    field: str
    message: str


def organisation_missing(response: Response) -> list[Missing]:
    out = []
    labels = {
        "total_volume_dkk": _("Give the estimated total purchasing volume."),
        "policy_url_valid": _("Say whether the link to the procurement policy is still valid."),
        "contact_name": _("Give a contact person."),
        "contact_email": _("Give the contact person's email address."),
    }
    for name, message in labels.items():
        if getattr(response, name) in (None, ""):
            out.append(Missing("organisation", name, message))
    if response.policy_url_valid is False and not response.policy_url:
        out.append(Missing("organisation", "policy_url", _("Give the new link to the procurement policy.")))
    return out


def goal_missing(version: GoalVersion, answer: GoalAnswer | None) -> list[Missing]:
    section = str(version.goal.number)
    title = f"{version.goal.number} {version.title}"
    if answer is None or not answer.status:
        return [Missing(section, "status", _("Goal %(goal)s: say where you stand on the goal.") % {"goal": title})]
    out = []
    if answer.status in COUNTED:
        messages = {
            "tenders_completed": _("Goal %(goal)s: give the number of tenders completed."),
            "tenders_with_criteria": _("Goal %(goal)s: give how many tenders used the POGI criteria."),
            "volume_dkk": _("Goal %(goal)s: give the purchasing volume in the area."),
        }
        for name, message in messages.items():
            if getattr(answer, name) is None:
                out.append(Missing(section, name, message % {"goal": title}))
    if answer.status != GoalAnswer.Status.MEETS and not answer.reason.strip():
        out.append(Missing(section, "reason", _("Goal %(goal)s: give the reason.") % {"goal": title}))
    return out


def response_missing(
    *, response: Response, goal_versions: list[GoalVersion], answers: dict[int, GoalAnswer]
) -> list[Missing]:
    """What is still needed before submitting (``answers`` maps goal version id to answer)."""
    out = organisation_missing(response)
    for version in goal_versions:
        out.extend(goal_missing(version, answers.get(version.pk)))
    return out


@transaction.atomic
def response_submit(*, response: Response, by: User | None, expected_version: int | None = None) -> Response:
    """Submit a complete response; the answers checked must be the answers saved (``expected_version``).

    A receipt with the answers as PDF is emailed to the person who submitted, after commit.
    """
    from .tasks import response_receipt_send

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
    transaction.on_commit(lambda: response_receipt_send.delay(response.pk, version))
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


# --- emails: invitations, reminders, receipts --------------------------------------------------------------


def _recipients(responses) -> list[tuple[Response, User]]:
    """The primary representative and the deputy of each response's organisation."""
    responses = list(responses)
    by_org = {r.organisation_id: r for r in responses}
    reps = Representative.objects.filter(
        organisation_id__in=by_org,
        position__in=[Representative.Position.PRIMARY, Representative.Position.DEPUTY],
    ).select_related("user")
    return [(by_org[rep.organisation_id], rep.user) for rep in reps if rep.user.is_active and rep.user.email]


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
    """
    responses = round.responses.filter(status__in=Response.EDITABLE).select_related("organisation")
    sent = 0
    for response, user in _recipients(responses):
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

    Idempotent: a person gets each step once, however often this runs and
    whether or not a worker was restarted in between (see round_invitations_send).
    """
    today = today or timezone.localdate()
    sent = 0
    for round_ in Round.objects.filter(status=Round.Status.OPEN):
        step = reminder_step_due(round=round_, today=today)
        if step is None:
            continue
        responses = round_.responses.filter(status__in=Response.EDITABLE).select_related("organisation")
        for response, user in _recipients(responses):
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
    recipients = _recipients([response])
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
        recipients = [user for _response, user in _recipients([response])]
    sent = 0
    for user in recipients:
        if _claim(response, user, f"receipt-{version}", None) is not None:
            emails.receipt_send(response=response, user=user)
            sent += 1
    return sent


# --- import -----------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    responses: int = 0
    answers: int = 0
    submitted: int = 0


class ImportRefused(ValidationError):
    """The file has errors; nothing was saved. ``rows`` lists (row number, reason)."""

    def __init__(self, rows: list[tuple[int, str]]):
        self.rows = rows
        super().__init__([_("Row %(row)s: %(reason)s") % {"row": n, "reason": reason} for n, reason in rows])


@transaction.atomic
def round_import(*, round: Round, rows: list[dict], by: User, submit: bool = False) -> ImportResult:
    """Save members' answers from spreadsheet rows (see docs/followup-import.md): all of them or none.

    Every row is checked first; any error refuses the whole file with the row
    number and the reason. Imported answers replace the saved ones and are
    recorded in the history as changed by the importing person.
    """
    from . import spreadsheet

    round_ = Round.objects.select_for_update().get(pk=round.pk)
    plan, errors = spreadsheet.rows_parse(round=round_, rows=rows)
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    refused = []
    for first_row, response, organisation_data, goal_rows in plan:
        if not organisation_data and not goal_rows and not submit:
            continue
        response = _lock(response)
        if organisation_data:
            _organisation_apply(response, organisation_data, by)
        existing = {a.goal_version_id: a for a in response.answers.all()}
        for version, data, row in goal_rows:
            answer = existing.get(version.pk) or GoalAnswer(response=response, goal_version=version)
            try:
                # The answers in the file combined with the saved ones must still hold together.
                with transaction.atomic():
                    _goal_apply(response, answer, data, by)
            except ValidationError as exc:
                refused.append((row, " ".join(exc.messages)))
                continue
            result.answers += 1
        result.responses += 1
        if submit:
            try:
                with transaction.atomic():
                    response_submit(response=response, by=by)
                result.submitted += 1
            except ValidationError as exc:
                refused.append(
                    (
                        first_row,
                        _("%(org)s cannot be submitted: %(reasons)s")
                        % {"org": response.organisation, "reasons": " ".join(exc.messages)},
                    )
                )
    if refused:
        # Raising rolls back every row: the file is saved completely or not at all.
        raise ImportRefused(refused)
    return result
