from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Hearing, HearingResponse, Milestone, WorkingGroup, WorkingGroupMember, WorkPlan, WorkPlanItem


class WorkPlanItemInline(admin.TabularInline):
    model = WorkPlanItem
    extra = 0


@admin.register(WorkPlan)
class WorkPlanAdmin(SimpleHistoryAdmin):
    list_display = ["year", "decided_on"]
    inlines = [WorkPlanItemInline]


class MemberInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "goal", "status"]
    list_filter = ["status"]
    inlines = [MemberInline, MilestoneInline]
    readonly_fields = ["draft"]


@admin.register(Hearing)
class HearingAdmin(SimpleHistoryAdmin):
    list_display = ["version", "kind", "opened_at", "closes_at", "closed_at"]
    readonly_fields = ["token", "notified_at"]


@admin.register(HearingResponse)
class HearingResponseAdmin(SimpleHistoryAdmin):
    list_display = ["hearing", "respondent_organisation", "criterion", "answer"]
    list_filter = ["answer", "channel"]
