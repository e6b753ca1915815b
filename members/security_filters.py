import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.models import SecurityEvent


class SecurityEventFilter(django_filters.FilterSet):
    """The secretariat's filters of the security log, kept in the query string."""

    event = django_filters.ChoiceFilter(
        label=_("Event"), choices=SecurityEvent.Event.choices, empty_label=_("All events")
    )
    user = django_filters.CharFilter(field_name="email", lookup_expr="icontains", label=_("User (email)"))
    date_from = django_filters.DateFilter(
        field_name="created_at__date",
        lookup_expr="gte",
        label=_("From"),
        widget=DateInput(),
    )
    date_to = django_filters.DateFilter(
        field_name="created_at__date", lookup_expr="lte", label=_("To"), widget=DateInput()
    )

    class Meta:
        model = SecurityEvent
        fields = ["event", "user", "date_from", "date_to"]
