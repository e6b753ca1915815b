from django.urls import path

from . import security_views, views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("apply/", views.application_create, name="application-create"),
    path("apply/received/", views.application_received, name="application-received"),
    path("apply/confirm/<str:token>/", views.application_confirm, name="application-confirm"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("secretariat/", views.secretariat_commitments, name="secretariat-commitments"),
    path("secretariat/applications/", views.secretariat_applications, name="secretariat-applications"),
    path(
        "secretariat/applications/<int:pk>/",
        views.secretariat_application_detail,
        name="secretariat-application-detail",
    ),
    path(
        "secretariat/applications/<int:pk>/verify/",
        views.secretariat_application_verify,
        name="secretariat-application-verify",
    ),
    path("secretariat/transition/", views.secretariat_transition, name="secretariat-transition"),
    path("secretariat/security-log/", security_views.secretariat_security_log, name="secretariat-security-log"),
    path(
        "secretariat/security-log/export/",
        security_views.secretariat_security_log_export,
        name="secretariat-security-log-export",
    ),
    path(
        "secretariat/representatives/<int:pk>/remove/",
        views.secretariat_representative_remove,
        name="secretariat-representative-remove",
    ),
    path(
        "secretariat/invitations/<int:pk>/revoke/",
        views.secretariat_invitation_revoke,
        name="secretariat-invitation-revoke",
    ),
    path("secretariat/organisations/<slug:slug>/", views.secretariat_organisation, name="secretariat-organisation"),
    path("secretariat/organisations/<slug:slug>/invite/", views.secretariat_invite, name="secretariat-invite"),
    path(
        "secretariat/organisations/<slug:slug>/email-domain/",
        views.secretariat_email_domain_set,
        name="secretariat-email-domain-set",
    ),
    path("secretariat/organisations/<slug:slug>/withdraw/", views.secretariat_withdraw, name="secretariat-withdraw"),
    path(
        "secretariat/organisations/<slug:slug>/transition/",
        views.secretariat_transition_set,
        name="secretariat-transition-set",
    ),
    path("enrolment-forms/<int:pk>/", views.enrolment_form_download, name="enrolment-form-download"),
    path("<slug:slug>/", views.member_detail, name="member-detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("<slug:slug>/withdraw/", views.membership_withdraw, name="membership-withdraw"),
]
