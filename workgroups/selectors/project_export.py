"""Reads for the projects' spreadsheet export: every project for the secretariat, one project for its managers."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from goals.models import Goal, ProductArea
from members.models import User

from ..models import Project, ProjectPhase
from .projects import can_manage


def _exported() -> QuerySet[Project]:
    return (
        Project.objects.select_related("owner", "lead")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("number")),
            Prefetch("product_areas", queryset=ProductArea.objects.order_by("slug")),
            Prefetch("phases", queryset=ProjectPhase.objects.order_by("position", "pk")),
        )
        .order_by("slug")
    )


def projects_for_export(*, user: "User | AnonymousUser") -> list[Project]:
    """Every project with what its rows hold (owner, lead, goals, product areas, phases): four queries.
    Only the secretariat exports the whole portfolio; anyone else gets 404."""
    if not user.is_authenticated or not user.is_secretariat:
        raise Http404
    return list(_exported())


def project_for_export(*, slug: str, user: "User | AnonymousUser") -> list[Project]:
    """One project, for the secretariat and the representatives of its owner (404 for anyone else)."""
    projects = list(_exported().filter(slug=slug))
    if not projects or not can_manage(project=projects[0], user=user):
        raise Http404
    return projects
