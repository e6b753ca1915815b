import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Response


class ResponseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name"), method="filter_name")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Response.Status.choices, empty_label=_("All"))
    in_transition = django_filters.ChoiceFilter(
        label=_("Transition period"),
        choices=[("yes", _("In transition")), ("no", _("Not in transition"))],
        empty_label=_("All"),
        method="filter_transition",
    )
    order = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Organisation name"),
        fields=(
            ("organisation__name", "organisation"),
            ("status", "status"),
            ("last_saved_at", "last_saved"),
            ("submitted_at", "submitted"),
        ),
        # The choices are given with lazy labels: django-filter would build "… (descending)" once, in the
        # language active when the module is imported. No sort is "Organisation name", so it is not listed twice.
        choices=[
            ("-organisation", _("Organisation name, Z to A")),
            ("status", _("Status")),
            ("-status", _("Status, in reverse")),
            ("last_saved", _("Last saved, oldest first")),
            ("-last_saved", _("Last saved, newest first")),
            ("submitted", _("Submitted, oldest first")),
            ("-submitted", _("Submitted, newest first")),
        ],
    )

    class Meta:
        model = Response
        fields = ["q", "status", "in_transition"]

    def filter_name(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(organisation__name__icontains=value) if value else queryset

    def filter_transition(self, queryset, name, value):
        return queryset.filter(in_transition=(value == "yes"))
