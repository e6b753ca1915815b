"""Reads for members, scoped to the user asking.

A representative of organisation A gets nothing of organisation B from these:
a lookup outside the user's scope raises Http404.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core import history

from . import commitments
from .access import SECRETARIAT, roles_of
from .filters import DirectoryFilter
from .models import OPEN_STATUSES, Invitation, Membership, Organisation, Representative, User


def member_directory(*, params: Mapping[str, Any] | None = None) -> tuple[DirectoryFilter, QuerySet[Membership]]:
    """Active members for the public directory, filtered by the query string."""
    qs = Membership.objects.filter(status=Membership.Status.ACTIVE).select_related(
        "organisation", "organisation__region"
    )
    directory = DirectoryFilter(params, queryset=qs)
    return directory, directory.qs.order_by("organisation__name")


def active_member_count() -> int:
    return Membership.objects.filter(status=Membership.Status.ACTIVE).count()


def member_public_get(*, slug: str) -> Membership:
    """The active membership behind a public member page (404 for anything else)."""
    membership = (
        Membership.objects.filter(organisation__slug=slug, status=Membership.Status.ACTIVE)
        .select_related("organisation", "organisation__region")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def organisation_for_user(*, user: User, slug: str) -> Organisation:
    """An organisation the user may act for: their own, or any for the secretariat."""
    qs = Organisation.objects.select_related("region")
    if SECRETARIAT not in roles_of(user):
        rep = user.representative_or_none
        if rep is None:
            raise Http404
        qs = qs.filter(pk=rep.organisation_id)
    organisation = qs.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


def membership_with_form_for_user(*, user: User, pk: int) -> Membership:
    """A membership whose enrolment form the user may download (404 otherwise)."""
    qs = Membership.objects.select_related("organisation").exclude(enrolment_form="")
    if SECRETARIAT not in roles_of(user):
        rep = user.representative_or_none
        if rep is None:
            raise Http404
        qs = qs.filter(organisation_id=rep.organisation_id)
    membership = qs.filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def applications_pending() -> QuerySet[Membership]:
    """Applications on the secretariat's desk: received ones to verify and pending ones to decide, oldest first."""
    return (
        Membership.objects.filter(status__in=[Membership.Status.RECEIVED, Membership.Status.APPLIED])
        .select_related("organisation", "organisation__region")
        .order_by("applied_at")
    )


def applications_decided(*, limit: int = 20) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(status__in=[Membership.Status.REJECTED], decided_at__isnull=False)
        .select_related("organisation", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def members_in_transition(*, today: date | None = None) -> QuerySet[Membership]:
    today = today or timezone.localdate()
    return (
        Membership.objects.filter(status=Membership.Status.ACTIVE, transition_until__gte=today)
        .select_related("organisation", "organisation__region")
        .order_by("transition_until", "organisation__name")
    )


def member_commitments(*, chosen: Mapping[str, str] | None = None, today: date | None = None) -> QuerySet[Membership]:
    """Active members with what the secretariat checks: representatives named, policy link present.

    ``chosen`` keeps only the members in the chosen status of the registered commitments (members.commitments).
    """
    reps = Representative.objects.select_related("user").order_by("position")
    active = commitments.filter_by_status(
        Membership.objects.filter(status=Membership.Status.ACTIVE), chosen or {}, today=today or timezone.localdate()
    )
    return (
        active.select_related("organisation", "organisation__region")
        .prefetch_related(Prefetch("organisation__representatives", queryset=reps))
        .annotate(
            open_invitations=Count(
                "organisation__invitations",
                filter=Q(
                    organisation__invitations__accepted_at=None,
                    organisation__invitations__revoked_at=None,
                    organisation__invitations__expires_at__gt=timezone.now(),
                ),
            )
        )
        .order_by("organisation__name")
    )


def organisation_admin_get(*, slug: str) -> Organisation:
    organisation = Organisation.objects.select_related("region").filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


def organisation_admin_context(*, organisation: Organisation) -> dict[str, Any]:
    """Everything the secretariat's page for one organisation shows, in a fixed number of queries."""
    memberships = list(organisation.memberships.select_related("decided_by", "verified_by").order_by("-created_at"))
    representatives = list(organisation.representatives.select_related("user").order_by("position", "user__name"))
    invitations = list(organisation.invitations.select_related("invited_by").order_by("-created_at")[:20])
    open_membership = next((m for m in memberships if m.status in OPEN_STATUSES), None)
    return {
        "memberships": memberships,
        "membership": open_membership,
        "representatives": representatives,
        "invitations": invitations,
        "history": _history_for(organisation, memberships, representatives),
    }


def _history_for(
    organisation: Organisation,
    memberships: list[Membership],
    representatives: list[Representative],
    *,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The audit trail for an organisation: its own changes, its memberships', representatives' and invitations'."""
    return history.entries(
        [
            (organisation.history.select_related("history_user"), lambda r: r.name),
            (
                Membership.history.filter(organisation_id=organisation.pk).select_related("history_user"),
                lambda r: r.get_status_display(),
            ),
            (
                Representative.history.filter(organisation_id=organisation.pk).select_related("history_user", "user"),
                lambda r: f"{r.user} ({r.get_position_display()})",
            ),
            (
                Invitation.history.filter(organisation_id=organisation.pk).select_related("history_user"),
                lambda r: r.email,
            ),
        ],
        limit=limit,
    )


def representative_get_for_secretariat(*, pk: int) -> Representative:
    rep = Representative.objects.select_related("organisation", "user").filter(pk=pk).first()
    if rep is None:
        raise Http404
    return rep


def invitation_get_for_secretariat(*, pk: int) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def application_get(*, pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("organisation", "organisation__region", "decided_by", "verified_by")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def municipalities_and_regions_without_membership() -> QuerySet[Organisation]:
    """Danish municipalities and regions that can apply (no open membership)."""
    return (
        Organisation.objects.filter(
            country=Organisation.Country.DK, kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION]
        )
        .exclude(memberships__status__in=OPEN_STATUSES)
        .order_by("kind", "name")
    )
