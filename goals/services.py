"""Writes for purchasing goals: versions, their criteria and their life from draft to in force.

Every function validates, runs in a transaction and refuses what the status
does not allow with a ValidationError whose message is shown to the user.
Published versions are never edited: a change is a new version (only their English
text is written after publication, by goal_version_english_update).
"""

import os
import string
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import history
from core.formats import date_text, datetime_text
from core.text import ascii_slug
from members.models import Organisation, User, private_storage

from . import pdf, search, selectors
from .models import (
    Criterion,
    Ecolabel,
    Goal,
    GoalVersion,
    ImplementationPlan,
    ImplementationPlanRow,
    ProductArea,
    SdgTarget,
)

S = GoalVersion.Status

# Every status change of a goal version, and the one service that makes it. A move not
# listed here is refused, and a service makes only its own moves (`_move`). The table in
# docs/architecture.md lists the same moves with their conditions; tests/goals/
# test_transitions.py holds the code to both, forbidden moves included.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.INTERNAL_HEARING): "goal_version_hearing_enter",
    (S.DRAFT, S.INDUSTRY_HEARING): "goal_version_hearing_enter",
    (S.INTERNAL_HEARING, S.INDUSTRY_HEARING): "goal_version_hearing_enter",
    (S.INTERNAL_HEARING, S.DRAFT): "goal_version_return_to_draft",
    (S.INDUSTRY_HEARING, S.DRAFT): "goal_version_return_to_draft",
    (S.SUBMITTED, S.DRAFT): "goal_version_return_to_draft",
    (S.INDUSTRY_HEARING, S.SUBMITTED): "goal_version_submit",
    (S.DRAFT, S.SUBMITTED): "goal_version_submit",
    (S.SUBMITTED, S.ADOPTED): "goal_version_adopt",
    (S.DRAFT, S.ADOPTED): "goal_version_register_adopted",
    (S.INTERNAL_HEARING, S.ADOPTED): "goal_version_register_adopted",
    (S.INDUSTRY_HEARING, S.ADOPTED): "goal_version_register_adopted",
    (S.ADOPTED, S.PUBLISHED): "goal_version_publish",
    (S.PUBLISHED, S.SUPERSEDED): "goal_version_publish",
    (S.DRAFT, S.WITHDRAWN): "goal_version_withdraw",
    (S.INTERNAL_HEARING, S.WITHDRAWN): "goal_version_withdraw",
    (S.INDUSTRY_HEARING, S.WITHDRAWN): "goal_version_withdraw",
    (S.SUBMITTED, S.WITHDRAWN): "goal_version_withdraw",
    (S.ADOPTED, S.WITHDRAWN): "goal_version_withdraw",
    (S.PUBLISHED, S.WITHDRAWN): "goal_version_withdraw",
}


def _status_label(status: str) -> str:
    return str(S(status).label).lower()


def _editable(version: GoalVersion) -> GoalVersion:
    """Lock the version and check that it is a draft."""
    locked = _locked(version)
    if not locked.is_editable:
        raise ValidationError(
            _("Only a draft can be edited; this version is %(status)s. Start a new draft to change it.")
            % {"status": _status_label(locked.status)}
        )
    return locked


@transaction.atomic
def goal_create(
    *,
    number: int,
    title: str,
    product_area: ProductArea,
    statement: str,
    scope: str = "",
    slug: str = "",
    by: User | None,
) -> GoalVersion:
    """Create a goal with its first version, a draft."""
    if Goal.objects.filter(number=number).exists():
        raise ValidationError(_("Goal number %(number)s is already in use.") % {"number": number})
    goal = Goal(number=number, slug=slug or ascii_slug(title, max_length=80), product_area=product_area)
    goal.full_clean()
    history.by(goal, by).save()
    version = GoalVersion(goal=goal, number=1, title=title, statement=statement, scope=scope, created_by=by)
    version.full_clean()
    history.by(version, by).save()
    return version


@transaction.atomic
def goal_version_draft_start(*, goal: Goal, by: User | None) -> GoalVersion:
    """Start a new draft from the version in force (or the latest version), criteria copied."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    in_progress = goal.versions.filter(status__in=GoalVersion.IN_PROGRESS).first()
    if in_progress is not None:
        raise ValidationError(
            _("Version %(number)s of this goal is already being revised (%(status)s).")
            % {"number": in_progress.number, "status": _status_label(in_progress.status)}
        )
    source = goal.versions.filter(status=S.PUBLISHED).first() or goal.versions.order_by("-number").first()
    number = (goal.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = GoalVersion(
        goal=goal,
        number=number,
        title=source.title if source else "",
        statement=source.statement if source else "",
        scope=source.scope if source else "",
        transition_note="",
        change_note="",
        title_en=source.title_en if source else "",
        statement_en=source.statement_en if source else "",
        scope_en=source.scope_en if source else "",
        created_by=by,
    )
    history.by(draft, by).save()
    if source is not None:
        draft.ecolabels.set(source.ecolabels.all())
        draft.sdg_targets.set(source.sdg_targets.all())
        for criterion in source.criteria.prefetch_related("ecolabels"):
            copy = Criterion(
                version=draft,
                number=criterion.number,
                position=criterion.position,
                kind=criterion.kind,
                text=criterion.text,
                documentation=criterion.documentation,
                guidance=criterion.guidance,
                text_en=criterion.text_en,
                documentation_en=criterion.documentation_en,
                guidance_en=criterion.guidance_en,
                ambition=criterion.ambition,
            )
            history.by(copy, by).save()
            copy.ecolabels.set(criterion.ecolabels.all())
    return draft


VERSION_FIELDS = ("title", "statement", "scope", "transition_note", "change_note", "effective_date")


@transaction.atomic
def goal_version_update(
    *,
    version: GoalVersion,
    by: User | None,
    ecolabels: Iterable[Ecolabel] | None = None,
    sdg_targets: Iterable[SdgTarget] | None = None,
    **fields: Any,
) -> GoalVersion:
    """Edit a draft's text, labels and SDG targets."""
    version = _editable(version)
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        _set_danish(version, name, value)
    version.full_clean()
    history.by(version, by).save()
    if ecolabels is not None:
        version.ecolabels.set(ecolabels)
    if sdg_targets is not None:
        version.sdg_targets.set(sdg_targets)
    return version


def _set_danish(obj: GoalVersion | Criterion, name: str, value: Any) -> None:
    """Set a Danish field; a changed Danish text clears its English, which translated the old wording.

    A reader in English then meets the new Danish text, marked as Danish, rather
    than an English text that says something the goal no longer says (a draft
    copied from the version in force carries its English until the text changes).
    """
    if name in type(obj).translated_fields and getattr(obj, name) != value:
        setattr(obj, f"{name}_en", "")
    setattr(obj, name, value)


def _letters(index: int) -> str:
    """0 → a, 25 → z, 26 → aa …"""
    letters = string.ascii_lowercase
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = letters[rest] + out
    return out


CRITERION_FIELDS = ("kind", "text", "documentation", "guidance", "ambition")


@transaction.atomic
def criterion_add(
    *,
    version: GoalVersion,
    by: User | None,
    ecolabels: Iterable[Ecolabel] | None = None,
    number: str = "",
    **fields: Any,
) -> Criterion:
    """Add a criterion at the end of a draft, numbered after the last one unless a number is given."""
    version = _editable(version)
    position = (version.criteria.aggregate(p=Max("position"))["p"] or 0) + 1
    taken = set(version.criteria.values_list("number", flat=True))
    if not number:
        # A number the goal has used before is not reused, so a redline never
        # shows a new criterion as a change to a removed one.
        used = taken | set(Criterion.objects.filter(version__goal=version.goal).values_list("number", flat=True))
        index = len(taken)
        while f"{version.goal.number}.{_letters(index)}" in used:
            index += 1
        number = f"{version.goal.number}.{_letters(index)}"
    elif number in taken:
        raise ValidationError(_("Criterion %(number)s already exists in this version.") % {"number": number})
    criterion = Criterion(version=version, number=number, position=position, **fields)
    criterion.full_clean()
    history.by(criterion, by).save()
    if ecolabels is not None:
        criterion.ecolabels.set(ecolabels)
    return criterion


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    by: User | None,
    ecolabels: Iterable[Ecolabel] | None = None,
    number: str | None = None,
    **fields: Any,
) -> Criterion:
    _editable(criterion.version)
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if number is not None and number != criterion.number:
        if criterion.version.criteria.filter(number=number).exclude(pk=criterion.pk).exists():
            raise ValidationError(_("Criterion %(number)s already exists in this version.") % {"number": number})
        criterion.number = number
    for name, value in fields.items():
        _set_danish(criterion, name, value)
    criterion.full_clean()
    history.by(criterion, by).save()
    if ecolabels is not None:
        criterion.ecolabels.set(ecolabels)
    return criterion


VERSION_ENGLISH_FIELDS = tuple(f"{name}_en" for name in GoalVersion.translated_fields)
CRITERION_ENGLISH_FIELDS = tuple(f"{name}_en" for name in Criterion.translated_fields)


@transaction.atomic
def goal_version_english_update(
    *,
    version: GoalVersion,
    by: User | None,
    fields: Mapping[str, str],
    criteria: Mapping[int, Mapping[str, str]],
) -> GoalVersion:
    """Write the English version of a goal version's content and of its criteria.

    The one route for English text, in every status: a translation changes no
    rule, so a version in force is translated without a new version. The Danish
    text stays the adopted one. Public pages, the PDFs, the open data and the
    search follow at once.
    """
    version = _locked(version)
    if version.status == S.WITHDRAWN and version.published_at is None:
        raise ValidationError(_("This draft was withdrawn; there is nothing to translate."))
    unknown = set(fields) - set(VERSION_ENGLISH_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    own = {c.pk: c for c in version.criteria.all()}
    foreign = set(criteria) - set(own)
    if foreign:
        raise ValidationError(_("A criterion given is not one of this version's."))
    changed = False
    for name, value in fields.items():
        if getattr(version, name) != value.strip():
            setattr(version, name, value.strip())
            changed = True
    for pk, values in criteria.items():
        criterion = own[pk]
        unknown = set(values) - set(CRITERION_ENGLISH_FIELDS)
        if unknown:
            raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
        touched = False
        for name, value in values.items():
            if getattr(criterion, name) != value.strip():
                setattr(criterion, name, value.strip())
                touched = True
        if touched:
            criterion.full_clean()
            history.by(criterion, by).save()
            changed = True
    if not changed:
        return version
    version.english_updated_at = timezone.now()
    version.full_clean()
    history.by(version, by).save()
    if version.status == S.PUBLISHED:
        search.document_update(version)
    return version


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by: User | None) -> None:
    _editable(criterion.version)
    history.by(criterion, by).delete()


@transaction.atomic
def criterion_move(*, criterion: Criterion, by: User | None, offset: int) -> None:
    """Move a criterion up (offset -1) or down (+1) in its draft."""
    version = _editable(criterion.version)
    ordered = list(version.criteria.order_by("position", "number"))
    index = next(i for i, c in enumerate(ordered) if c.pk == criterion.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
            history.by(item, by).save(update_fields=["position"])


@transaction.atomic
def criteria_renumber(*, version: GoalVersion, by: User | None) -> None:
    """Number a draft's criteria in their order: 5.a, 5.b, …"""
    version = _editable(version)
    ordered = list(version.criteria.order_by("position", "number"))
    # Two passes: temporary numbers first, so the unique constraint holds throughout.
    for i, item in enumerate(ordered):
        Criterion.objects.filter(pk=item.pk).update(number=f"~{i}")
    for i, item in enumerate(ordered):
        item.number = f"{version.goal.number}.{_letters(i)}"
        item.position = i + 1
        history.by(item, by).save(update_fields=["number", "position"])


def _move(version: GoalVersion, to: str, service: str) -> None:
    """Check that `service` may move the (locked) version to `to`; refuse with the reason otherwise."""
    if TRANSITIONS.get((version.status, to)) != service:
        raise ValidationError(
            _("A version that is %(from)s cannot be moved to %(to)s this way.")
            % {"from": _status_label(version.status), "to": _status_label(to)}
        )
    if to in (S.INTERNAL_HEARING, S.INDUSTRY_HEARING, S.SUBMITTED, S.ADOPTED) and not version.criteria.exists():
        raise ValidationError(_("Add at least one criterion before the version goes further."))
    version.status = to


def _locked(version: GoalVersion) -> GoalVersion:
    return GoalVersion.objects.select_for_update().select_related("goal").get(pk=version.pk)


def _on_agenda(version: GoalVersion) -> bool:
    """Whether the version is on a steering-group agenda waiting for its decision (workgroups' agenda items,
    read through the relation so the goals app does not import the one above it)."""
    return version.agenda_items.filter(decision__isnull=True).exists()


def _hearing_open_until(version: GoalVersion) -> Any:
    """The deadline of the version's hearing that is still open, if any (read through the relation)."""
    hearing = version.hearings.filter(closed_at__isnull=True, closes_at__gt=timezone.now()).first()
    return hearing.closes_at if hearing is not None else None


def _not_in_a_step(version: GoalVersion) -> None:
    """A version waiting for a decision or with a hearing open is not sent back or withdrawn behind it."""
    if _on_agenda(version):
        raise ValidationError(
            _("This draft is on a steering-group agenda waiting for its decision; take it off the agenda first.")
        )
    if (until := _hearing_open_until(version)) is not None:
        raise ValidationError(
            _("A hearing on this version is open until %(date)s; close it on the hearing's page first.")
            % {"date": datetime_text(until)}
        )


class HearingLike(Protocol):
    """What the goals app needs to know of a hearing (workgroups.models.Hearing), without importing it."""

    kind: str
    version_id: int

    @property
    def is_open(self) -> bool: ...


HEARING_STATUS = {"internal": S.INTERNAL_HEARING, "industry": S.INDUSTRY_HEARING}


@transaction.atomic
def goal_version_hearing_enter(*, version: GoalVersion, kind: str, by: User | None) -> GoalVersion:
    """The version goes into its internal or industry hearing; only `workgroups.services.hearing_open` calls this,
    in the same transaction as it creates the hearing with its deadline and notices."""
    if kind not in HEARING_STATUS:
        raise ValidationError(_("Unknown kind of hearing."))
    version = _locked(version)
    _move(version, HEARING_STATUS[kind], "goal_version_hearing_enter")
    version.full_clean()
    history.by(version, by).save()
    return version


@transaction.atomic
def goal_version_submit(*, version: GoalVersion, industry_hearing: HearingLike | None, by: User | None) -> GoalVersion:
    """The version goes to the steering group: `workgroups.services.agenda_item_add` calls this when it puts the
    version on a steering-group meeting's agenda, with its hearing memo. The industry hearing must be over."""
    version = _locked(version)
    if version.status == S.SUBMITTED:
        return version  # on a later meeting's agenda again, after a decision that was not carried
    if industry_hearing is None or industry_hearing.version_id != version.pk or industry_hearing.kind != "industry":
        raise ValidationError(_("The draft goes to the steering group after its industry hearing; it has not had one."))
    if industry_hearing.is_open:
        raise ValidationError(
            _("The industry hearing is still open; put the draft on the agenda when the hearing has closed.")
        )
    _move(version, S.SUBMITTED, "goal_version_submit")
    version.full_clean()
    history.by(version, by).save()
    return version


@transaction.atomic
def goal_version_return_to_draft(*, version: GoalVersion, by: User | None, reason: str) -> GoalVersion:
    """Send a version in a hearing or before the steering group back to the working group to be changed.

    Its hearings stay on record; it goes on with the next hearing it has not had, or to the steering group.
    """
    reason = history.reason_checked(reason)
    version = _locked(version)
    _not_in_a_step(version)
    _move(version, S.DRAFT, "goal_version_return_to_draft")
    version.full_clean()
    version._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    history.by(version, by).save()
    return version


@transaction.atomic
def goal_version_withdraw(*, version: GoalVersion, by: User | None, reason: str) -> GoalVersion:
    """Withdraw a version (a draft that is abandoned, or a version that should no longer apply)."""
    reason = history.reason_checked(reason)
    version = _locked(version)
    _not_in_a_step(version)
    _move(version, S.WITHDRAWN, "goal_version_withdraw")
    if version.superseded_at is None:
        version.superseded_at = timezone.now()
    version.full_clean()
    version._change_reason = reason  # type: ignore[attr-defined]
    history.by(version, by).save()
    return version


@transaction.atomic
def goal_version_adopt(
    *, version: GoalVersion, by: User | None, effective_date: date, adopted_on: date, decision_id: int
) -> GoalVersion:
    """The steering group carried the proposal to adopt a submitted version, to be in force from the effective date.

    Only `workgroups.services.decision_record` calls this, inside the transaction that records the carried
    decision (quorum, attendance and votes); `decision_id` is that decision, kept in the history.
    """
    version = _locked(version)
    if version.status != S.SUBMITTED:
        raise ValidationError(
            _("Only a version submitted to the steering group can be adopted; this version is %(status)s.")
            % {"status": _status_label(version.status)}
        )
    if effective_date is None:
        raise ValidationError(_("Give the date from which the version is in force."))
    _move(version, S.ADOPTED, "goal_version_adopt")
    version.adopted_on = adopted_on
    version.effective_date = effective_date
    version.full_clean()
    version._change_reason = f"decision:{decision_id}"  # type: ignore[attr-defined]
    history.by(version, by).save()
    return version


@transaction.atomic
def goal_version_register_adopted(
    *,
    version: GoalVersion,
    by: User | None,
    adopted_on: date,
    effective_date: date,
    reason: str,
) -> GoalVersion:
    """Register a version the steering group adopted outside the portal (before it existed), from the secretariat's
    records. The reason is required and the version's page and history show the adoption as registered.

    Refused for a version before the steering group now (submitted, or on an agenda): its adoption is the meeting's.
    """
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise ValidationError(
            _("Say where the adoption is recorded (e.g. the minutes of the meeting); at least 10 characters.")
        )
    if adopted_on is None or effective_date is None:
        raise ValidationError(_("Give the date of the decision and the date the version is in force from."))
    if adopted_on > timezone.localdate():
        raise ValidationError(_("An adoption registered from the records has already happened; the date is ahead."))
    if effective_date < adopted_on:
        raise ValidationError(_("The version cannot be in force before it was adopted."))
    version = _locked(version)
    if version.status == S.SUBMITTED or _on_agenda(version):
        raise ValidationError(
            _("This draft is before the steering group; its adoption is recorded with the decision at the meeting.")
        )
    if version.hearings.exists():
        raise ValidationError(
            _(
                "This version has had its hearings in the portal, so the steering group adopts it at a meeting "
                "here; only a version adopted outside the portal is registered from the records."
            )
        )
    if adopted_on > timezone.localdate(version.created_at):
        raise ValidationError(
            _("A version adopted outside the portal was adopted before it was entered here, on %(date)s.")
            % {"date": date_text(timezone.localdate(version.created_at))}
        )
    _move(version, S.ADOPTED, "goal_version_register_adopted")
    version.adopted_on = adopted_on
    version.effective_date = effective_date
    version.adoption_registered = reason
    version.full_clean()
    version._change_reason = "registered"  # type: ignore[attr-defined]
    history.by(version, by).save()
    return version


@transaction.atomic
def goal_version_effective_date_change(
    *, version: GoalVersion, effective_date: date, reason: str, by: User | None, today: date | None = None
) -> GoalVersion:
    """Correct the date an adopted version comes into force (no new decision is needed; the change is in the history).

    A date that has come publishes the version at once.
    """
    today = today or timezone.localdate()
    reason = history.reason_checked(reason)
    version = _locked(version)
    if version.status != S.ADOPTED:
        raise ValidationError(
            _(
                "Only the date of an adopted version that is not yet in force can be changed; this version is %(status)s."
            )
            % {"status": _status_label(version.status)}
        )
    if effective_date is None:
        raise ValidationError(_("Give the date from which the version is in force."))
    if effective_date < today:
        raise ValidationError(_("The new date cannot be in the past."))
    if effective_date == version.effective_date:
        raise ValidationError(_("That is the date already; nothing has been changed."))
    if version.adopted_on and effective_date < version.adopted_on:
        raise ValidationError(_("The version cannot be in force before it was adopted."))
    version.effective_date = effective_date
    version.full_clean()
    version._change_reason = reason  # type: ignore[attr-defined]
    history.by(version, by).save()
    if effective_date <= today:
        return goal_version_publish(version=version, by=by, today=today)
    return version


@transaction.atomic
def goal_version_publish(*, version: GoalVersion, by: User | None, today: date | None = None) -> GoalVersion:
    """Put an adopted version in force and supersede the one before it, in one transaction.

    The goal row is locked, so two versions of a goal are never in force at once,
    even when two publications race; the database's unique index is the last guard.
    Idempotent: publishing a version already in force changes nothing.
    """
    today = today or timezone.localdate()
    Goal.objects.select_for_update().filter(pk=version.goal_id).first()
    version = _locked(version)
    if version.status == S.PUBLISHED:
        return version
    if version.status != S.ADOPTED:
        raise ValidationError(
            _("Only an adopted version can be published; this version is %(status)s.")
            % {"status": _status_label(version.status)}
        )
    _move(version, S.PUBLISHED, "goal_version_publish")
    if version.effective_date and version.effective_date > today:
        raise ValidationError(
            _("This version is in force from %(date)s; it is published on that date.")
            % {"date": date_text(version.effective_date)}
        )
    now = timezone.now()
    previous = GoalVersion.objects.select_for_update().filter(goal_id=version.goal_id, status=S.PUBLISHED).first()
    if previous is not None:
        _move(previous, S.SUPERSEDED, "goal_version_publish")
        previous.superseded_at = now
        history.by(previous, by).save()
    version.status = S.PUBLISHED
    version.published_at = now
    version.effective_date = version.effective_date or today
    version.full_clean()
    try:
        with transaction.atomic():
            history.by(version, by).save()
    except IntegrityError as exc:
        raise ValidationError(_("Another version of this goal was put in force at the same moment.")) from exc
    search.document_update(version)
    implementation_plans_add_version(version=version)
    return version


def goal_versions_publish_due(*, today: date | None = None) -> int:
    """Publish every adopted version whose effective date has come. Idempotent (the beat task calls it)."""
    today = today or timezone.localdate()
    count = 0
    for version in GoalVersion.objects.filter(status=S.ADOPTED, effective_date__lte=today).order_by("effective_date"):
        goal_version_publish(version=version, by=None, today=today)
        count += 1
    return count


def goal_version_pdf_stored(*, version: GoalVersion, language: str) -> str:
    """The name, in the private storage, of a public version's PDF in the language; rendered only the first time.

    A public version never changes, so its PDF is rendered once per status (the
    PDF states it), language and ``goals.pdf.FORMAT``. Concurrent first requests
    wait on the version's row lock and then read the file the first one wrote:
    the PDF is rendered once. The file is written under a temporary name and
    renamed, so no reader ever sees half a PDF.
    """
    if not GoalVersion.objects.filter(GoalVersion.public_q(), pk=version.pk).exists():
        raise ValueError("Only a public version's PDF is stored.")
    storage = private_storage()
    name = pdf.stored_name(version=version, language=language)
    if storage.exists(name):
        return name
    with transaction.atomic():
        GoalVersion.objects.select_for_update().filter(pk=version.pk).first()
        if storage.exists(name):
            return name
        with override(language):
            content = pdf.version_pdf_render(
                goal=version.goal, version=version, groups=selectors.criteria_by_kind(version)
            )
        partial = storage.save(f"{name}.{uuid.uuid4().hex}.part", ContentFile(content))
        os.replace(storage.path(partial), storage.path(name))
    return name


# --- implementation plans -----------------------------------------------------------------


@transaction.atomic
def implementation_plan_create(*, organisation: Organisation, by: User | None) -> ImplementationPlan:
    """Make a member's plan with one row per goal in force."""
    if ImplementationPlan.objects.filter(organisation=organisation).exists():
        raise ValidationError(_("%(org)s already has an implementation plan.") % {"org": organisation})
    plan = ImplementationPlan(organisation=organisation, created_by=by)
    history.by(plan, by).save()
    ImplementationPlanRow.objects.bulk_create(
        ImplementationPlanRow(plan=plan, goal_version=v) for v in GoalVersion.objects.filter(status=S.PUBLISHED)
    )
    return plan


@transaction.atomic
def implementation_plans_add_version(*, version: GoalVersion) -> int:
    """A new version in force adds a row to every plan still open."""
    plans = ImplementationPlan.objects.filter(closed_at__isnull=True).exclude(rows__goal_version=version)
    rows = [ImplementationPlanRow(plan=plan, goal_version=version) for plan in plans]
    ImplementationPlanRow.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def implementation_plan_row_update(
    *, row: ImplementationPlanRow, by: User | None, expected_by: date | None, status: str, note: str = ""
) -> ImplementationPlanRow:
    row = ImplementationPlanRow.objects.select_for_update().select_related("plan").get(pk=row.pk)
    if row.plan.closed_at is not None:
        raise ValidationError(_("The implementation plan is closed."))
    row.expected_by = expected_by
    row.status = status
    row.note = note
    row.full_clean()
    history.by(row, by).save()
    return row


@transaction.atomic
def implementation_plan_close(*, plan: ImplementationPlan, by: User | None) -> ImplementationPlan:
    plan = ImplementationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.closed_at is None:
        plan.closed_at = timezone.now()
        history.by(plan, by).save()
    return plan
