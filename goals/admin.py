from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CpvCode, Criterion, Ecolabel, Goal, GoalVersion, ImplementationPlan, ProductArea, SdgTarget


class CpvCodeInline(admin.TabularInline):
    model = CpvCode
    extra = 0


@admin.register(ProductArea)
class ProductAreaAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_da", "name_en"]
    inlines = [CpvCodeInline]


@admin.register(Ecolabel)
class EcolabelAdmin(admin.ModelAdmin):
    list_display = ["name_da", "name", "slug"]
    search_fields = ["name", "name_da"]


@admin.register(SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "relevance"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["number", "slug", "product_area"]


@admin.register(GoalVersion)
class GoalVersionAdmin(SimpleHistoryAdmin):
    list_display = ["goal", "number", "title", "status", "effective_date"]
    list_filter = ["status"]
    search_fields = ["title"]
    # Versions change only through the portal's services (status, publication, immutability).
    readonly_fields = [
        "status",
        "effective_date",
        "adopted_on",
        "adoption_registered",
        "published_at",
        "superseded_at",
    ]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_editable


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "version", "kind"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.version.is_editable


@admin.register(ImplementationPlan)
class ImplementationPlanAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "created_at", "closed_at"]
