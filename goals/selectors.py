"""Reads for goals. Public readers see versions in force, superseded or withdrawn; drafts only their editors."""

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from core.translated import CONTENT_LANGUAGE, reading_language
from members.access import SECRETARIAT, roles_of
from members.models import Organisation, User

from .editors import drafted_by
from .filters import CatalogueFilter
from .models import Criterion, Goal, GoalVersion, ImplementationPlan, ImplementationPlanRow

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = GoalVersion.Status


def _criteria_count() -> Coalesce:
    counted = (
        Criterion.objects.filter(version=OuterRef("pk"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def catalogue(*, params: Mapping[str, Any] | None = None) -> tuple[CatalogueFilter, QuerySet[GoalVersion]]:
    """The goals in force for the public catalogue, searched, filtered and ordered by the query string."""
    qs = (
        GoalVersion.objects.filter(status=S.PUBLISHED)
        .select_related("goal", "goal__product_area")
        .prefetch_related("ecolabels")
        .annotate(criteria_count=_criteria_count())
        .defer(
            "search_document",
            "scope",
            "transition_note",
            "change_note",
            "scope_en",
            "transition_note_en",
            "change_note_en",
        )
        .order_by("goal__number")
    )
    catalogue_filter = CatalogueFilter(params, queryset=qs)
    return catalogue_filter, catalogue_filter.qs


def goal_get(*, number: int) -> Goal:
    goal = Goal.objects.select_related("product_area").filter(number=number).first()
    if goal is None:
        raise Http404
    return goal


def can_edit_goals(user: User) -> bool:
    """Who edits drafts: the secretariat (working-group members of the goal join with the working groups)."""
    return SECRETARIAT in roles_of(user)


def _with_content(qs: QuerySet[GoalVersion]) -> QuerySet[GoalVersion]:
    criteria = Criterion.objects.prefetch_related("ecolabels").order_by("position", "number")
    return qs.prefetch_related(Prefetch("criteria", queryset=criteria), "ecolabels", "sdg_targets")


def version_in_force(*, goal: Goal) -> GoalVersion | None:
    return _with_content(goal.versions.filter(status=S.PUBLISHED)).first()


def version_for_review(*, pk: int) -> GoalVersion:
    """A version with its criteria, ecolabels and targets (access is checked by the caller)."""
    return _with_content(GoalVersion.objects.select_related("goal")).get(pk=pk)


def version_get(*, goal: Goal, number: int, user: User | None = None) -> GoalVersion:
    """A version of a goal: public ones for everyone, drafts and hearings only for their editors."""
    qs = goal.versions.filter(number=number)
    if user is None or not can_edit_goals(user):
        visible = GoalVersion.public_q()
        if user is not None and user.is_authenticated:
            visible |= drafted_by(user)  # those who draft it preview their own draft
        qs = qs.filter(visible).distinct()
    version = _with_content(qs).first()
    if version is None:
        raise Http404
    version.goal = goal
    return version


def version_history(*, goal: Goal, user: User | None = None) -> list[GoalVersion]:
    qs = goal.versions.order_by("-number")
    if user is None or not can_edit_goals(user):
        visible = GoalVersion.public_q()
        if user is not None and user.is_authenticated:
            visible |= drafted_by(user)
        qs = qs.filter(visible).distinct()
    versions = list(qs.defer("search_document"))
    for v in versions:
        v.goal = goal
    return versions


def criteria_by_kind(version: GoalVersion) -> list[tuple["StrOrPromise", list[Criterion]]]:
    groups: list[tuple[StrOrPromise, list[Criterion]]] = []
    for kind, label in Criterion.Kind.choices:
        items = [c for c in version.criteria.all() if c.kind == kind]
        if items:
            groups.append((label, items))
    return groups


def translation_incomplete(
    version: GoalVersion, groups: list[tuple["StrOrPromise", list[Criterion]]], language: str | None = None
) -> bool:
    """Whether a reader in the language meets Danish text in the version: some of it has no version in theirs."""
    wanted = reading_language(language)
    if wanted == CONTENT_LANGUAGE:
        return False
    return bool(version.translation_missing(wanted)) or any(
        c.translation_missing(wanted) for _label, criteria in groups for c in criteria
    )


def open_data_last_modified() -> tuple[datetime | None, int]:
    """When the public catalogue last changed (an adoption, a publication, a withdrawal, a date corrected)."""
    from django.db.models import Max

    values = GoalVersion.objects.filter(GoalVersion.public_q()).aggregate(
        published=Max("published_at"), superseded=Max("superseded_at"), changed=Max("updated_at"), n=Count("pk")
    )
    # updated_at: an adopted version's date in force can be corrected before it is published.
    stamps = [v for v in (values["published"], values["superseded"], values["changed"]) if v]
    return (max(stamps) if stamps else None), values["n"]


def manage_goals() -> QuerySet[Goal]:
    """All goals with their version in force and revision in progress, for the secretariat."""
    in_force = GoalVersion.objects.filter(status=S.PUBLISHED).defer("search_document")
    progress = GoalVersion.objects.filter(status__in=GoalVersion.IN_PROGRESS).defer("search_document")
    return (
        Goal.objects.select_related("product_area")
        .prefetch_related(Prefetch("versions", queryset=in_force, to_attr="in_force"))
        .prefetch_related(Prefetch("versions", queryset=progress, to_attr="in_progress"))
        .order_by("number")
    )


def _editable_by(user: User) -> Q:
    """Versions the user may work on: all for the secretariat, else those their working group drafts."""
    if SECRETARIAT in roles_of(user):
        return Q()
    return drafted_by(user)


def version_for_editing(*, pk: int, user: User) -> GoalVersion:
    """A version for its editors: the secretariat, or members of the working group drafting it (404 otherwise)."""
    qs = GoalVersion.objects.filter(_editable_by(user), pk=pk).distinct()
    version = _with_content(qs.select_related("goal", "goal__product_area")).first()
    if version is None:
        raise Http404
    return version


def criterion_for_editing(*, pk: int, user: User) -> Criterion:
    criterion = (
        Criterion.objects.select_related("version", "version__goal")
        .filter(pk=pk, version__in=GoalVersion.objects.filter(_editable_by(user)))
        .first()
    )
    if criterion is None:
        raise Http404
    return criterion


def working_group_drafts(*, user: User) -> QuerySet[GoalVersion]:
    """The drafts of the working groups a person sits in (for their overview)."""
    return (
        GoalVersion.objects.filter(drafted_by(user), status__in=GoalVersion.IN_PROGRESS)
        .select_related("goal")
        .distinct()
        .order_by("goal__number")
    )


def plan_for_user(
    *, user: User, slug: str
) -> tuple[Organisation, ImplementationPlan | None, list[ImplementationPlanRow]]:
    """An organisation's implementation plan: its own representatives and the secretariat only."""
    from members.selectors import organisation_for_user

    organisation = organisation_for_user(user=user, slug=slug)
    plan = ImplementationPlan.objects.filter(organisation=organisation).first()
    rows = []
    if plan is not None:
        rows = list(
            plan.rows.select_related("goal_version", "goal_version__goal").order_by(
                "goal_version__goal__number", "-goal_version__number"
            )
        )
    return organisation, plan, rows


def plans_overview() -> QuerySet[ImplementationPlan]:
    """Open plans with counts of rows met and overdue, for the secretariat."""
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    return (
        ImplementationPlan.objects.filter(closed_at__isnull=True)
        .select_related("organisation")
        .annotate(
            rows_total=Count("rows"),
            rows_met=Count("rows", filter=Q(rows__status=ImplementationPlanRow.Status.MET)),
            rows_overdue=Count(
                "rows", filter=Q(rows__expected_by__lt=today) & ~Q(rows__status=ImplementationPlanRow.Status.MET)
            ),
        )
        .order_by("organisation__name")
    )


def plan_summary(*, organisation: Organisation) -> dict[str, Any] | None:
    """How a member stands against its implementation plan (for its pages), in one query."""
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    met = Q(rows__status=ImplementationPlanRow.Status.MET)
    plan = (
        ImplementationPlan.objects.filter(organisation=organisation)
        .annotate(
            total=Count("rows"),
            met=Count("rows", filter=met),
            overdue=Count("rows", filter=Q(rows__expected_by__lt=today) & ~met),
        )
        .first()
    )
    if plan is None:
        return None
    return {"plan": plan, "total": plan.total, "met": plan.met, "overdue": plan.overdue}


def version_audit_trail(*, version: GoalVersion, limit: int = 50) -> list[dict[str, Any]]:
    """Who changed this version and its criteria, and what (the secretariat's view)."""
    from core import history

    return history.entries(
        [
            (version.history.select_related("history_user"), lambda r: f"v{r.number} {r.title}"),
            (
                Criterion.history.filter(version_id=version.pk).select_related("history_user"),
                lambda r: r.number,
            ),
        ],
        limit=limit,
    )


def version_process(*, version: GoalVersion) -> dict[str, Any]:
    """Where the version is in the revision cycle and where its next step is taken: its working group, its
    hearings, the steering-group agenda items and decisions on it.

    Read through the relations the workgroups app declares on GoalVersion, so this app does not import the one
    above it. Three queries.
    """
    groups = list(version.working_groups.order_by("-created_at").values("slug", "name")[:1])
    hearings = {h.kind: h for h in version.hearings.all()}
    items = list(
        version.agenda_items.select_related("meeting", "meeting__body", "decision").order_by("meeting__starts_at")
    )
    pending = next((item for item in items if not hasattr(item, "decision")), None)
    carried = next((item for item in items if hasattr(item, "decision") and item.decision.outcome == "carried"), None)
    return {
        "group": groups[0] if groups else None,
        "internal": hearings.get("internal"),
        "industry": hearings.get("industry"),
        "items": items,
        "pending_item": pending,
        "carried_item": carried,
    }
