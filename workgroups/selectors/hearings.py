"""Reads for hearings: the member's and the public's hearing pages, responses, the hearing memo, who is notified."""

from typing import Any
from uuid import UUID

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from goals.models import Criterion, GoalVersion
from members.models import Membership, Organisation, User

from ..models import (
    Hearing,
    HearingNotice,
    HearingResponse,
    WorkingGroupMember,
)


def hearing_for_member(*, pk: int) -> Hearing:
    """An internal hearing, for member representatives and the secretariat (access checked by the view's rule)."""
    return _hearing(Hearing.objects.filter(pk=pk))


def hearing_for_public(*, token: UUID) -> Hearing:
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
        hearing.responses.filter(keep_private=False, dismissed="")
        .select_related("criterion")
        .order_by("criterion__position", "received_at")
    )


def memo(*, version: GoalVersion) -> QuerySet[HearingResponse]:
    """Every response to every hearing on a version, with the secretariat's answers (the hearing memo)."""
    return (
        HearingResponse.objects.filter(hearing__version=version, dismissed="")
        .select_related("hearing", "criterion", "answered_by")
        .order_by("hearing__kind", "criterion__position", "received_at")
    )


def memo_counts(*, version: GoalVersion) -> dict[str, int]:
    """The memo's responses and how many are answered; `left_out`: those marked as spam or irrelevant (not counted)."""
    kept = Q(dismissed="")
    return HearingResponse.objects.filter(hearing__version=version).aggregate(
        total=Count("pk", filter=kept),
        answered=Count("pk", filter=kept & ~Q(answer="")),
        left_out=Count("pk", filter=~kept),
    )


def with_response_counts(qs: QuerySet[Hearing]) -> QuerySet[Hearing]:
    return qs.annotate(
        response_count=Count("responses", filter=Q(responses__dismissed=""), distinct=True),
        unanswered_count=Count("responses", filter=Q(responses__answer="", responses__dismissed=""), distinct=True),
    )


def open_hearings() -> list[Hearing]:
    """Hearings not yet closed by the secretariat, soonest deadline first, with their unanswered responses."""
    return list(
        with_response_counts(Hearing.objects.filter(closed_at__isnull=True))
        .select_related("version", "version__goal")
        .order_by("closes_at")
    )


def hearing_for_secretariat(*, pk: int) -> tuple[Hearing, list[HearingResponse]]:
    """A hearing with all its responses, private ones included, and the working group drafting the version."""
    hearing = _hearing(Hearing.objects.filter(pk=pk))
    responses = list(
        hearing.responses.select_related("criterion", "member", "answered_by", "dismissed_by").order_by(
            "criterion__position", "received_at", "pk"
        )
    )
    return hearing, responses


def hearing_notices(*, hearing: Hearing) -> list[HearingNotice]:
    """Who was told about the hearing and which member organisations had no one to tell; one query.

    Organisations without a recipient first, so the secretariat sees them before the long list of those sent.
    """
    no_recipient_first = Case(When(status=HearingNotice.Status.NO_RECIPIENT, then=0), default=1)
    return list(
        hearing.notices.select_related("organisation", "user").order_by(
            no_recipient_first, "organisation__name", "role", "email"
        )
    )


def own_responses(*, hearing: Hearing, organisation: Organisation | None) -> list[HearingResponse]:
    """The responses a member organisation gave to a hearing, with the secretariat's answers; nobody else's."""
    if organisation is None:
        return []
    return list(
        hearing.responses.filter(member=organisation)
        .select_related("criterion", "submitted_by")
        .order_by("received_at", "pk")
    )


def version_redline(*, version: GoalVersion) -> dict[str, Any]:
    """The draft against the goal's version in force: the version in force and the redline (None for a new goal)."""
    from goals import redline
    from goals import selectors as goal_selectors

    in_force = goal_selectors.version_in_force(goal=version.goal)
    if in_force is None or in_force.pk == version.pk:
        return {"in_force": None, "redline": None}
    return {
        "in_force": in_force,
        "redline": redline.compare(in_force, version, list(in_force.criteria.all()), list(version.criteria.all())),
    }


def open_internal_hearings_for(*, user: User) -> list[Hearing]:
    """Open internal hearings a member representative can answer, soonest deadline first (empty for anyone else).

    Each with `own_response_count`, the responses the representative's organisation has given. One query.
    """
    rep = user.representative_or_none
    if rep is None:
        return []
    return list(
        Hearing.objects.filter(kind=Hearing.Kind.INTERNAL, closed_at__isnull=True, closes_at__gt=timezone.now())
        .annotate(own_response_count=Count("responses", filter=Q(responses__member_id=rep.organisation_id)))
        .select_related("version", "version__goal")
        .order_by("closes_at", "pk")
    )


def memo_version(*, pk: int) -> GoalVersion:
    version = GoalVersion.objects.select_related("goal", "goal__product_area").filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def memo_sections(*, version: GoalVersion) -> list[dict[str, Any]]:
    """The hearing memo in reading order: each hearing on the version (internal first), its responses by criterion.

    Two queries whatever the number of responses.
    """
    hearings = list(version.hearings.order_by("opened_at", "pk"))
    by_hearing: dict[int, list[HearingResponse]] = {h.pk: [] for h in hearings}
    for response in memo(version=version):
        by_hearing.setdefault(response.hearing_id, []).append(response)
    sections = []
    for hearing in hearings:
        groups: list[dict[str, Any]] = []
        for response in by_hearing[hearing.pk]:
            if not groups or groups[-1]["criterion"] != response.criterion:
                groups.append({"criterion": response.criterion, "responses": []})
            groups[-1]["responses"].append(response)
        sections.append({"hearing": hearing, "criteria": groups})
    return sections


def response_get(*, pk: int) -> HearingResponse:
    response = HearingResponse.objects.select_related("hearing").filter(pk=pk).first()
    if response is None:
        raise Http404
    return response


def memo_report(*, version: GoalVersion) -> dict[str, Any]:
    """Everything templates/workgroups/_memo.html shows: the sections and the counts, unanswered included."""
    counts = memo_counts(version=version)
    counts["unanswered"] = counts["total"] - counts["answered"]
    return {"sections": memo_sections(version=version), "counts": counts}


def hearing_notice_recipients(*, hearing: Hearing) -> tuple[list[dict[str, Any]], list[Organisation]]:
    """Whom to tell that an internal hearing is open: every active member organisation and the working group.

    Each organisation's primary representative and deputy; when it has no primary representative, its
    steering-group representative too. Then the chair and members of the working group drafting the version.
    A person is told once (as the first reason found). Returns the recipients (organisation, user, role) and
    the active member organisations with no one to tell. Three queries whatever the number of members.
    """
    from members.models import Representative

    Role = HearingNotice.Role
    organisations = list(
        Organisation.objects.filter(memberships__status=Membership.Status.ACTIVE)
        .distinct()
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "representatives",
                queryset=Representative.objects.select_related("user").filter(user__is_active=True),
                to_attr="notice_representatives",
            )
        )
    )
    recipients: list[dict[str, Any]] = []
    seen: set[int] = set()

    def add(organisation: Organisation, user: User, role: str) -> bool:
        if not user.email:
            return False
        if user.pk not in seen:
            seen.add(user.pk)
            recipients.append({"organisation": organisation, "user": user, "role": role})
        return True

    without: list[Organisation] = []
    for organisation in organisations:
        reps = organisation.notice_representatives
        primary = next((r for r in reps if r.position == Representative.Position.PRIMARY), None)
        deputy = next((r for r in reps if r.position == Representative.Position.DEPUTY), None)
        steering = next((r for r in reps if r.steering_group), None)
        told = False
        if primary is not None:
            told |= add(organisation, primary.user, Role.PRIMARY)
        if deputy is not None:
            told |= add(organisation, deputy.user, Role.DEPUTY)
        if primary is None and steering is not None:
            told |= add(organisation, steering.user, Role.STEERING_GROUP)
        if not told:
            without.append(organisation)
    members = (
        WorkingGroupMember.objects.filter(group__draft_id=hearing.version_id, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("-is_chair", "organisation__name", "pk")
    )
    for member in members:
        add(member.organisation, member.user, Role.CHAIR if member.is_chair else Role.GROUP_MEMBER)
    return recipients, without


def member_recipients() -> list[str]:
    """Email addresses of the primary representatives and deputies of active members."""
    from members.models import Representative

    return list(
        Representative.objects.filter(
            position__in=[Representative.Position.PRIMARY, Representative.Position.DEPUTY],
            organisation__memberships__status=Membership.Status.ACTIVE,
        )
        .values_list("user__email", flat=True)
        .distinct()
        .order_by("user__email")
    )
