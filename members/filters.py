import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, Region


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name"), method="filter_name")
    kind = django_filters.ChoiceFilter(
        field_name="organisation__kind", label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("All kinds")
    )
    region = django_filters.ModelChoiceFilter(
        field_name="organisation__region",
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        empty_label=_("All regions"),
    )

    class Meta:
        model = Membership
        fields = ["q", "kind", "region"]

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(organisation__name__icontains=value) | Q(organisation__official_code=value))
