from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaItem,
    Body,
    Decision,
    Hearing,
    HearingResponse,
    Meeting,
    Milestone,
    Vote,
    WorkingGroup,
    WorkingGroupMember,
    WorkPlan,
    WorkPlanItem,
)


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
    readonly_fields = ["draft", "status"]  # the status changes through its services (the group's page)


@admin.register(Hearing)
class HearingAdmin(SimpleHistoryAdmin):
    list_display = ["version", "kind", "opened_at", "closes_at", "closed_at"]
    readonly_fields = ["token", "notified_at", "version", "kind", "closes_at", "closed_at"]


@admin.register(HearingResponse)
class HearingResponseAdmin(SimpleHistoryAdmin):
    list_display = ["hearing", "respondent_organisation", "criterion", "answer"]
    list_filter = ["answer", "channel"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    """The quorum rule of each body is set here (the rules of procedure)."""

    list_display = ["kind", "quorum_percent", "min_present"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "kind"]
    readonly_fields = fields
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "body", "starts_at", "invitation_sent_at", "minutes_approved_at"]
    list_filter = ["body"]
    readonly_fields = ["invitation_requested_at", "invitation_sent_at", "minutes_approved_at", "minutes_approved_in"]
    inlines = [AgendaItemInline]


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    readonly_fields = ["organisation", "choice"]
    can_delete = False


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    """Decisions are recorded on the meeting's page (quorum and votes checked); here they are read only."""

    list_display = ["item", "outcome", "votes_for", "votes_against", "abstentions", "decided_at"]
    inlines = [VoteInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
