from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.widgets import QuickSelect
from goals.models import Goal
from members.models import Organisation

from .models import Project, ProjectParticipant


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    track = django_filters.ChoiceFilter(label=_("Track"), choices=Project.Track.choices, empty_label=_("All tracks"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Project.Kind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, empty_label=_("All statuses")
    )
    # Long lists (hundreds of goals, thousands of members taking part) are written by QuickSelect.
    goal = django_filters.ModelChoiceFilter(
        label=_("Purchasing goal"),
        field_name="goals",
        queryset=Goal.objects.only("pk", "number", "slug").order_by("number"),
        to_field_name="number",
        empty_label=_("All goals"),
        distinct=True,
        widget=QuickSelect,
    )
    member = django_filters.ChoiceFilter(
        label=_("Member"),
        field_name="participants__organisation__slug",
        empty_label=_("All members"),
        distinct=True,
        widget=QuickSelect,
    )

    class Meta:
        model = Project
        fields = ["q", "track", "kind", "status", "goal", "member"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The members taking part in a project: read once a request, as pairs (not model instances), for both the
        # check of the value and the list; given as a function, so the form's copy of its fields copies no list.
        members: list[tuple[str, str]] = []

        def taking_part() -> list[tuple[str, str]]:
            if not members:
                found = Organisation.objects.filter(
                    Exists(ProjectParticipant.objects.filter(organisation=OuterRef("pk")))
                )
                members.extend(found.order_by("name").values_list("slug", "name"))
            return members

        self.filters["member"].extra["choices"] = taking_part

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(purpose__icontains=value))
