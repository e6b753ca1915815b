import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.models import Goal
from members.models import Organisation

from .models import Project


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    track = django_filters.ChoiceFilter(label=_("Track"), choices=Project.Track.choices, empty_label=_("Both tracks"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Project.Kind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, empty_label=_("All statuses")
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Purchasing goal"),
        field_name="goals",
        queryset=Goal.objects.order_by("number"),
        to_field_name="number",
        empty_label=_("All goals"),
        distinct=True,
    )
    member = django_filters.ModelChoiceFilter(
        label=_("Member"),
        field_name="participants__organisation",
        queryset=Organisation.objects.filter(project_participations__isnull=False).distinct().order_by("name"),
        to_field_name="slug",
        empty_label=_("All members"),
        distinct=True,
    )

    class Meta:
        model = Project
        fields = ["q", "track", "kind", "status", "goal", "member"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(purpose__icontains=value))
