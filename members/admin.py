from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation, Membership, Organisation, Region, Representative, User


def _break_glass_admin(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser and is_mfa_enabled(user))


# The back office is for the break-glass administrator only (a superuser with two-factor
# authentication, made by `manage.py createbreakglassadmin`); the secretariat's daily accounts
# are not superusers and work in the portal's own pages. Every sign-in is in the security log.
admin.site.has_permission = _break_glass_admin


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_secretariat", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "name")}),
        ("Roles", {"fields": ("is_secretariat", "is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "nuts2"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "official_code", "region"]
    list_filter = ["kind", "country", "region"]
    search_fields = ["name", "official_code", "cvr"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "status", "joined_on", "transition_until"]
    list_filter = ["status"]
    search_fields = ["organisation__name"]
    # Status changes go through the portal's services, never by hand here.
    readonly_fields = [
        "status",
        "decided_at",
        "decided_by",
        "joined_on",
        "withdrawn_on",
        "verified_at",
        "verified_by",
        "verification_method",
    ]


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "position", "steering_group"]
    list_filter = ["position", "steering_group"]
    search_fields = ["user__email", "user__name", "organisation__name"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "organisation", "position", "created_at", "accepted_at", "revoked_at"]
    readonly_fields = ["token_hash"]
