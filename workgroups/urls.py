from django.urls import path

from . import views
from . import views_bodies as bodies
from . import views_secretariat as manage

app_name = "workgroups"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing-detail"),
    path("hearings/<uuid:token>/respond/", views.hearing_public, name="hearing-public"),
    # the secretariat's desk (before the group catch-all)
    path("manage/", manage.desk, name="manage-desk"),
    path("manage/plans/", manage.plan_create, name="manage-plan-create"),
    path("manage/plans/<int:pk>/items/", manage.plan_item_add, name="manage-plan-item-add"),
    path("manage/items/<int:pk>/group/", manage.group_create, name="manage-group-create"),
    path("manage/groups/<slug:slug>/", manage.group_manage, name="manage-group"),
    path("manage/groups/<slug:slug>/terms.pdf", manage.group_terms_pdf, name="manage-group-terms"),
    path("manage/groups/<slug:slug>/status/<slug:action>/", manage.group_status, name="manage-group-status"),
    path("manage/groups/<slug:slug>/members/", manage.member_add, name="manage-member-add"),
    path("manage/groups/<slug:slug>/members/<int:pk>/remove/", manage.member_remove, name="manage-member-remove"),
    path("manage/groups/<slug:slug>/milestones/", manage.milestone_add, name="manage-milestone-add"),
    path("manage/groups/<slug:slug>/milestones/<int:pk>/done/", manage.milestone_done, name="manage-milestone-done"),
    path("manage/groups/<slug:slug>/hearings/", manage.hearing_open, name="manage-hearing-open"),
    path("manage/hearings/<int:pk>/", manage.hearing_manage, name="manage-hearing"),
    path("manage/hearings/<int:pk>/close/", manage.hearing_close, name="manage-hearing-close"),
    path("manage/hearings/<int:pk>/register/", manage.hearing_register, name="manage-hearing-register"),
    path("manage/responses/<int:pk>/answer/", manage.response_answer, name="manage-response-answer"),
    path("manage/responses/<int:pk>/leave-out/", manage.response_dismiss, name="manage-response-dismiss"),
    path("manage/responses/<int:pk>/restore/", manage.response_restore, name="manage-response-restore"),
    path("manage/memo/<int:version_pk>/", manage.memo, name="manage-memo"),
    path("manage/memo/<int:version_pk>/pdf/", manage.memo_pdf, name="manage-memo-pdf"),
    # the year wheel's recurring events
    path("manage/year-wheel/", bodies.year_wheel_manage, name="manage-year-wheel"),
    path("manage/year-wheel/events/", bodies.year_wheel_event_add, name="manage-year-wheel-add"),
    path("manage/year-wheel/events/<int:pk>/", bodies.year_wheel_event_save, name="manage-year-wheel-save"),
    path("manage/year-wheel/events/<int:pk>/remove/", bodies.year_wheel_event_remove, name="manage-year-wheel-remove"),
    # meetings of the bodies, decisions and the steering group's review of drafts
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting-invite"),
    path("meetings/<int:pk>/items/", views.agenda_item_add, name="agenda-item-add"),
    path("meetings/<int:pk>/documents/", views.agenda_document_add, name="agenda-document-add"),
    path("meetings/<int:pk>/attendance/", views.attendance_save, name="attendance-save"),
    path("meetings/<int:pk>/minutes/", views.minutes_save, name="minutes-save"),
    path("meetings/<int:pk>/minutes/approve/", views.minutes_approve, name="minutes-approve"),
    path("meetings/items/<int:pk>/decision/", views.decision_record, name="decision-record"),
    path("meetings/items/<int:pk>/remove/", views.agenda_item_remove, name="agenda-item-remove"),
    path("meetings/documents/<int:pk>/", views.meeting_document, name="meeting-document"),
    path("review/<int:pk>/", views.draft_review, name="draft-review"),
    path("<slug:slug>/", views.group_detail, name="group-detail"),
]
