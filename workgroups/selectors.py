"""Reads for the revision cycle. The public sees status, never internal documents or member-only hearings."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from goals.models import Criterion, GoalVersion
from members.models import Membership, Organisation, User

from .models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Body,
    DraftComment,
    Hearing,
    HearingResponse,
    Meeting,
    Milestone,
    Vote,
    WorkingGroup,
    WorkingGroupMember,
    WorkPlan,
)

ADOPTED_PER_YEAR_TARGET = 3


def overview(*, year: int | None = None) -> tuple[WorkPlan | None, list[WorkingGroup]]:
    """A year's work plan and its working groups with their milestones (the public overview)."""
    plans = WorkPlan.objects.order_by("-year")
    plan = (
        plans.filter(year=year).first()
        if year
        else plans.filter(year__lte=timezone.localdate().year).first() or plans.first()
    )
    if plan is None:
        return None, []
    groups = list(
        WorkingGroup.objects.filter(item__plan=plan)
        .select_related("goal", "draft", "item")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on")))
        .annotate(member_count=Count("members"))
        .order_by("item__position")
    )
    return plan, groups


def adopted_per_year(*, years: int = 5) -> list[dict]:
    """Goals adopted per year (new or revised versions in force or since superseded) against the target of three."""
    this_year = timezone.localdate().year
    rows = (
        # adopted_on is set only when the steering group adopts a version
        GoalVersion.objects.filter(adopted_on__year__gte=this_year - years + 1)
        .annotate(year=ExtractYear("adopted_on"))
        .values("year")
        .annotate(n=Count("pk"))
    )
    counts = {r["year"]: r["n"] for r in rows}
    return [
        {
            "year": y,
            "adopted": counts.get(y, 0),
            "target": ADOPTED_PER_YEAR_TARGET,
            "met": counts.get(y, 0) >= ADOPTED_PER_YEAR_TARGET,
        }
        for y in range(this_year, this_year - years, -1)
    ]


def group_public_get(*, slug: str) -> WorkingGroup:
    group = (
        WorkingGroup.objects.select_related("goal", "draft", "item", "item__plan", "facilitator")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on")),
            Prefetch("members", queryset=WorkingGroupMember.objects.select_related("organisation", "user")),
            Prefetch("draft__hearings", queryset=Hearing.objects.order_by("opened_at")),
        )
        .filter(slug=slug)
        .first()
    )
    if group is None:
        raise Http404
    return group


def hearing_for_member(*, pk: int) -> Hearing:
    """An internal hearing, for member representatives and the secretariat (access checked by the view's rule)."""
    return _hearing(Hearing.objects.filter(pk=pk))


def hearing_for_public(*, token) -> Hearing:
    """An industry hearing reached through its public link."""
    return _hearing(Hearing.objects.filter(token=token, kind=Hearing.Kind.INDUSTRY))


def _hearing(qs: QuerySet[Hearing]) -> Hearing:
    hearing = (
        qs.select_related("version", "version__goal")
        .prefetch_related(Prefetch("version__criteria", queryset=Criterion.objects.order_by("position", "number")))
        .first()
    )
    if hearing is None:
        raise Http404
    return hearing


def published_responses(*, hearing: Hearing) -> QuerySet[HearingResponse]:
    """Responses shown once the hearing has closed, unless the respondent asked otherwise."""
    if hearing.closed_at is None and hearing.closes_at > timezone.now():
        return HearingResponse.objects.none()
    return (
        hearing.responses.filter(keep_private=False)
        .select_related("criterion")
        .order_by("criterion__position", "received_at")
    )


def memo(*, version: GoalVersion) -> QuerySet[HearingResponse]:
    """Every response to every hearing on a version, with the secretariat's answers (the hearing memo)."""
    return (
        HearingResponse.objects.filter(hearing__version=version)
        .select_related("hearing", "criterion", "answered_by")
        .order_by("hearing__kind", "criterion__position", "received_at")
    )


def memo_counts(*, version: GoalVersion) -> dict:
    return HearingResponse.objects.filter(hearing__version=version).aggregate(
        total=Count("pk"), answered=Count("pk", filter=~Q(answer=""))
    )


# --- meetings and decisions ---


def meeting_participants(*, meeting: Meeting) -> list:
    """Who is invited to and may attend a meeting, each with `.user` and `.organisation`.

    Steering group: each active member's steering-group representative. Working
    group: its members. Move and Lab: the primary representatives of active members.
    """
    from members.models import Representative

    kind = meeting.body.kind
    if kind == Body.Kind.WORKING_GROUP:
        return list(
            WorkingGroupMember.objects.filter(group_id=meeting.working_group_id)
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__name")
        )
    reps = Representative.objects.filter(organisation__memberships__status=Membership.Status.ACTIVE)
    if kind == Body.Kind.STEERING_GROUP:
        reps = reps.filter(steering_group=True)
    else:
        reps = reps.filter(position=Representative.Position.PRIMARY)
    return list(reps.select_related("user", "organisation").distinct().order_by("organisation__name", "user__name"))


def meeting_eligible_count(*, meeting: Meeting) -> int:
    """The number of member organisations of the body (the basis of its quorum)."""
    return len({p.organisation_id for p in meeting_participants(meeting=meeting)})


def _meeting_scope(user: User) -> Q:
    """Meetings a person may see: the secretariat all; the steering group its own; a working group its own."""
    if user.is_secretariat:
        return Q()
    rep = user.representative_or_none
    scope = Q(working_group__members__user=user)
    if rep is not None and rep.steering_group:
        scope |= Q(body__kind=Body.Kind.STEERING_GROUP)
    if rep is not None and rep.position == rep.Position.PRIMARY:
        scope |= Q(body__kind__in=[Body.Kind.MOVE, Body.Kind.LAB])
    return scope


def meetings_for(*, user: User) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming and past meetings a person may see, with their agenda sizes."""
    qs = (
        Meeting.objects.filter(_meeting_scope(user))
        .select_related("body", "working_group")
        .annotate(item_count=Count("items", distinct=True))
        .distinct()
    )
    now = timezone.now()
    upcoming = list(qs.filter(starts_at__gt=now).order_by("starts_at"))
    past = list(qs.filter(starts_at__lte=now).order_by("-starts_at")[:50])
    return upcoming, past


def meeting_for(*, pk: int, user: User) -> Meeting:
    """A meeting with its agenda, documents, decisions and votes, for those who may see it (404 otherwise)."""
    meeting = (
        Meeting.objects.filter(_meeting_scope(user), pk=pk)
        .select_related("body", "working_group", "minutes_approved_in")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related(
                    "version", "version__goal", "membership", "membership__organisation", "work_plan", "decision"
                ).prefetch_related(
                    "documents", Prefetch("decision__votes", queryset=Vote.objects.select_related("organisation"))
                ),
            ),
            Prefetch("attendance", queryset=Attendance.objects.select_related("user", "organisation")),
            Prefetch("approved_minutes", queryset=Meeting.objects.order_by("starts_at")),
        )
        .distinct()
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def minutes_awaiting_approval(*, meeting: Meeting) -> list[Meeting]:
    """Earlier meetings of the same body whose minutes are written but not yet approved."""
    return list(
        Meeting.objects.filter(
            body_id=meeting.body_id,
            working_group_id=meeting.working_group_id,
            starts_at__lt=meeting.starts_at,
            minutes_approved_at=None,
        )
        .exclude(minutes="")
        .order_by("starts_at")
    )


def document_for(*, pk: int, user: User) -> AgendaDocument:
    document = (
        AgendaDocument.objects.filter(pk=pk, item__meeting__in=Meeting.objects.filter(_meeting_scope(user)))
        .select_related("item")
        .first()
    )
    if document is None:
        raise Http404
    return document


def _steering_agenda_items(version_ids) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(
        version_id__in=version_ids, meeting__body__kind=Body.Kind.STEERING_GROUP, decision__isnull=True
    )


def draft_open_for_comments(*, version: GoalVersion) -> bool:
    """A draft takes steering-group comments while it is on the agenda of a meeting that has not yet begun."""
    return _steering_agenda_items([version.pk]).filter(meeting__starts_at__gt=timezone.now()).exists()


def drafts_for_review(*, user: User) -> list[AgendaItem]:
    """Drafts on the agenda of coming steering-group meetings, for its members and the secretariat."""
    rep = user.representative_or_none
    if not (user.is_secretariat or (rep is not None and rep.steering_group)):
        return []
    return list(
        AgendaItem.objects.filter(
            version__isnull=False,
            meeting__body__kind=Body.Kind.STEERING_GROUP,
            meeting__starts_at__gt=timezone.now(),
        )
        .select_related("meeting", "version", "version__goal")
        .order_by("meeting__starts_at", "position")
    )


def version_for_review(*, pk: int, user: User) -> tuple[GoalVersion, AgendaItem]:
    """A draft on a steering-group agenda, for the steering group and the secretariat (404 otherwise)."""
    rep = user.representative_or_none
    if not (user.is_secretariat or (rep is not None and rep.steering_group)):
        raise Http404
    item = (
        AgendaItem.objects.filter(version_id=pk, meeting__body__kind=Body.Kind.STEERING_GROUP)
        .select_related("meeting", "version", "version__goal", "version__goal__product_area")
        .order_by("-meeting__starts_at")
        .first()
    )
    if item is None:
        raise Http404
    return item.version, item


def review_comments(*, version: GoalVersion) -> dict:
    """Steering-group comments on a draft, by criterion id (None for general comments)."""
    grouped: dict = {}
    for comment in (
        DraftComment.objects.filter(version=version).select_related("author", "organisation").order_by("created_at")
    ):
        grouped.setdefault(comment.criterion_id, []).append(comment)
    return grouped


def agenda_item_for_decision(*, pk: int) -> AgendaItem:
    """A decision item with what it concerns (the secretariat records decisions; 404 for other items)."""
    item = (
        AgendaItem.objects.filter(pk=pk, kind=AgendaItem.Kind.DECISION)
        .select_related(
            "meeting",
            "meeting__body",
            "meeting__working_group",
            "version",
            "version__goal",
            "membership",
            "membership__organisation",
            "work_plan",
            "decision",
        )
        .first()
    )
    if item is None:
        raise Http404
    return item


def present_organisations(*, meeting: Meeting) -> list[Organisation]:
    """The organisations present at a meeting (one vote each), by name."""
    return list(Organisation.objects.filter(pk__in=meeting.attendance.values("organisation_id")).order_by("name"))


def review(*, version: GoalVersion) -> dict:
    """What the steering group reads before deciding a draft: redline against the version in force, memo, comments."""
    from goals import redline
    from goals import selectors as goal_selectors

    draft = goal_selectors.version_for_review(pk=version.pk)
    in_force = goal_selectors.version_in_force(goal=version.goal)
    result = None
    if in_force is not None and in_force.pk != draft.pk:
        result = redline.compare(in_force, draft, list(in_force.criteria.all()), list(draft.criteria.all()))
    counts = memo_counts(version=version)
    counts["unanswered"] = counts["total"] - counts["answered"]
    comments = review_comments(version=version)
    for criterion in draft.criteria.all():
        criterion.review_comments = comments.get(criterion.pk, [])
    return {
        "draft": draft,
        "in_force": in_force,
        "result": result,
        "sections": memo_sections(version=version),
        "counts": counts,
        "general_comments": comments.get(None, []),
    }


# --- secretariat desk ---


def desk_plans() -> list[WorkPlan]:
    """Every work plan, newest first, with its items, their goals and working groups (the secretariat's desk)."""
    from .models import WorkPlanItem

    items = WorkPlanItem.objects.select_related("goal", "product_area", "working_group").order_by("position", "pk")
    return list(WorkPlan.objects.prefetch_related(Prefetch("items", queryset=items)).order_by("-year"))


def _with_response_counts(qs: QuerySet[Hearing]) -> QuerySet[Hearing]:
    return qs.annotate(
        response_count=Count("responses", distinct=True),
        unanswered_count=Count("responses", filter=Q(responses__answer=""), distinct=True),
    )


def open_hearings() -> list[Hearing]:
    """Hearings not yet closed by the secretariat, soonest deadline first, with their unanswered responses."""
    return list(
        _with_response_counts(Hearing.objects.filter(closed_at__isnull=True))
        .select_related("version", "version__goal")
        .order_by("closes_at")
    )


def group_for_secretariat(*, slug: str) -> WorkingGroup:
    """A working group with everything its secretariat page shows, internal documents included."""
    hearings = _with_response_counts(Hearing.objects.all()).order_by("opened_at")
    group = (
        WorkingGroup.objects.select_related("goal", "draft", "item", "item__plan", "item__product_area", "facilitator")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "pk")),
            Prefetch(
                "members",
                queryset=WorkingGroupMember.objects.select_related("organisation", "user", "user__representative"),
            ),
            Prefetch("draft__hearings", queryset=hearings),
        )
        .filter(slug=slug)
        .first()
    )
    if group is None:
        raise Http404
    return group


def group_member_candidates(*, group: WorkingGroup) -> QuerySet:
    """Representatives of active member organisations who are not yet in the group."""
    from members.models import Membership, Representative

    active = Membership.objects.filter(status=Membership.Status.ACTIVE).values("organisation_id")
    return (
        Representative.objects.filter(organisation_id__in=active)
        .exclude(user__working_groups__group=group)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__name")
    )


def group_audit_trail(*, group: WorkingGroup, limit: int = 50) -> list[dict]:
    """Who changed the group, its members and milestones, and what."""
    from pogi import history

    return history.entries(
        [
            (group.history.select_related("history_user"), lambda r: r.name),
            (
                WorkingGroupMember.history.filter(group_id=group.pk).select_related(
                    "history_user", "user", "organisation"
                ),
                lambda r: f"{r.user} ({r.organisation})",
            ),
            (Milestone.history.filter(group_id=group.pk).select_related("history_user"), lambda r: r.title),
        ],
        limit=limit,
    )


def hearing_for_secretariat(*, pk: int) -> tuple[Hearing, list[HearingResponse]]:
    """A hearing with all its responses, private ones included, and the working group drafting the version."""
    hearing = _hearing(Hearing.objects.filter(pk=pk))
    responses = list(
        hearing.responses.select_related("criterion", "member", "answered_by").order_by(
            "criterion__position", "received_at", "pk"
        )
    )
    return hearing, responses


def memo_version(*, pk: int) -> GoalVersion:
    version = GoalVersion.objects.select_related("goal", "goal__product_area").filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def memo_sections(*, version: GoalVersion) -> list[dict]:
    """The hearing memo in reading order: each hearing on the version (internal first), its responses by criterion.

    Two queries whatever the number of responses.
    """
    hearings = list(version.hearings.order_by("opened_at", "pk"))
    by_hearing: dict[int, list[HearingResponse]] = {h.pk: [] for h in hearings}
    for response in memo(version=version):
        by_hearing.setdefault(response.hearing_id, []).append(response)
    sections = []
    for hearing in hearings:
        groups: list[dict] = []
        for response in by_hearing[hearing.pk]:
            if not groups or groups[-1]["criterion"] != response.criterion:
                groups.append({"criterion": response.criterion, "responses": []})
            groups[-1]["responses"].append(response)
        sections.append({"hearing": hearing, "criteria": groups})
    return sections


def plan_get(*, pk: int) -> WorkPlan:
    plan = WorkPlan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def plan_item_get(*, pk: int):
    from .models import WorkPlanItem

    item = WorkPlanItem.objects.select_related("plan", "goal", "product_area").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def group_member_get(*, group: WorkingGroup, pk: int) -> WorkingGroupMember:
    member = group.members.select_related("user", "organisation").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def group_milestone_get(*, group: WorkingGroup, pk: int) -> Milestone:
    milestone = group.milestones.filter(pk=pk).first()
    if milestone is None:
        raise Http404
    return milestone


def response_get(*, pk: int) -> HearingResponse:
    response = HearingResponse.objects.select_related("hearing").filter(pk=pk).first()
    if response is None:
        raise Http404
    return response


def group_drafting(*, version: GoalVersion) -> WorkingGroup | None:
    """The working group drafting a version, if any."""
    return WorkingGroup.objects.filter(draft=version).first()


def memo_report(*, version: GoalVersion) -> dict:
    """Everything templates/workgroups/_memo.html shows: the sections and the counts, unanswered included."""
    counts = memo_counts(version=version)
    counts["unanswered"] = counts["total"] - counts["answered"]
    return {"sections": memo_sections(version=version), "counts": counts}
