import django_filters
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.utils.translation import gettext_lazy as _

from core.translated import CONTENT_LANGUAGE, reading_language

from . import search
from .models import Criterion, Ecolabel, GoalVersion, ProductArea, SdgTarget


def adopted_years():
    years = (
        GoalVersion.objects.filter(status=GoalVersion.Status.PUBLISHED)
        .annotate(year=ExtractYear("effective_date"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return [(str(y), str(y)) for y in years]


class CatalogueFilter(django_filters.FilterSet):
    """The public catalogue's search, filters and order, all in the query string."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    area = django_filters.ModelChoiceFilter(
        label=_("Product area"),
        field_name="goal__product_area",
        queryset=ProductArea.objects.all(),
        to_field_name="slug",
        empty_label=_("All areas"),
    )
    ecolabel = django_filters.ModelChoiceFilter(
        label=_("Ecolabel"),
        queryset=Ecolabel.objects.all(),
        to_field_name="slug",
        method="filter_ecolabel",
        empty_label=_("All ecolabels"),
    )
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG target"),
        queryset=SdgTarget.objects.all(),
        to_field_name="code",
        method="filter_sdg",
        empty_label=_("All SDG targets"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Criterion kind"), choices=Criterion.Kind.choices, method="filter_kind", empty_label=_("All kinds")
    )
    year = django_filters.ChoiceFilter(
        label=_("In force since"), choices=adopted_years, method="filter_year", empty_label=_("All years")
    )
    order = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("number", _("Number")),
            ("title", _("Title")),
            ("-date", _("Newest in force first")),
            ("date", _("Oldest in force first")),
        ],
        method="filter_order",
        empty_label=None,
    )

    class Meta:
        model = GoalVersion
        fields = ["q", "area", "ecolabel", "sdg", "kind", "year"]

    ORDERING = {
        "number": ("goal__number",),
        "title": ("title", "goal__number"),
        "-date": ("-effective_date", "goal__number"),
        "date": ("effective_date", "goal__number"),
    }

    def filter_order(self, queryset, name, value):
        if value == "title" and reading_language() != CONTENT_LANGUAGE:
            # the title the reader sees: the English one where it is written, the Danish one otherwise
            shown = Coalesce(NullIf(f"title_{reading_language()}", Value("")), "title")
            return queryset.order_by(shown, "goal__number")
        return queryset.order_by(*self.ORDERING.get(value, ("goal__number",)))

    def filter_search(self, queryset, name, value):
        return search.search(queryset, value)

    def filter_ecolabel(self, queryset, name, value):
        on_criterion = Criterion.ecolabels.through.objects.filter(criterion__version=OuterRef("pk"), ecolabel=value)
        on_version = GoalVersion.ecolabels.through.objects.filter(goalversion=OuterRef("pk"), ecolabel=value)
        return queryset.filter(Exists(on_criterion) | Exists(on_version))

    def filter_sdg(self, queryset, name, value):
        return queryset.filter(
            Exists(GoalVersion.sdg_targets.through.objects.filter(goalversion=OuterRef("pk"), sdgtarget=value))
        )

    def filter_kind(self, queryset, name, value):
        return queryset.filter(Exists(Criterion.objects.filter(version=OuterRef("pk"), kind=value)))

    def filter_year(self, queryset, name, value):
        return queryset.filter(effective_date__year=int(value))
