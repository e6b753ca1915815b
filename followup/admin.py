from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GoalAnswer, ReminderLog, Response, Round


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["year", "status", "opens_on", "deadline"]
    filter_horizontal = ["goal_versions"]
    readonly_fields = ["status", "opened_at", "opened_by", "closed_at", "closed_by"]


class GoalAnswerInline(admin.StackedInline):
    model = GoalAnswer
    extra = 0
    readonly_fields = ["version", "saved_at", "saved_by"]


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "round", "status", "last_saved_at", "submitted_at"]
    list_filter = ["round", "status", "in_transition"]
    search_fields = ["organisation__name"]
    readonly_fields = [
        "status",
        "version",
        "organisation_version",
        "submitted_at",
        "submitted_by",
        "reopened_at",
        "reopened_by",
    ]
    inlines = [GoalAnswerInline]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["round", "step", "email", "created_at"]
    list_filter = ["round", "step"]
    readonly_fields = ["round", "response", "user", "step", "email", "sent_by", "created_at"]
