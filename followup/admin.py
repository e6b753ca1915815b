"""The follow-up in the back office: to look things up. Changes go through the portal's pages (and services)."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import GoalAnswer, ReminderLog, Response, Round


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["year", "status", "opens_on", "deadline"]


class GoalAnswerInline(ReadOnly, admin.StackedInline):
    model = GoalAnswer
    extra = 0


@admin.register(Response)
class ResponseAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["organisation", "round", "status", "last_saved_at", "submitted_at"]
    list_filter = ["round", "status", "in_transition"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "round"]
    inlines = [GoalAnswerInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["round", "step", "email", "created_at"]
    list_filter = ["round", "step"]
    list_select_related = ["round"]
