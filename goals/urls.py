from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("manage/", views.manage_list, name="manage-list"),
    path("manage/new/", views.manage_create, name="manage-create"),
    path("manage/<int:number>/draft/", views.manage_draft_start, name="manage-draft-start"),
    path("manage/versions/<int:pk>/", views.manage_version, name="manage-version"),
    path("manage/versions/<int:pk>/criteria/", views.manage_criterion_add, name="manage-criterion-add"),
    path("manage/versions/<int:pk>/renumber/", views.manage_renumber, name="manage-renumber"),
    path("manage/versions/<int:pk>/steps/<slug:action>/", views.manage_action, name="manage-action"),
    path("manage/versions/<int:pk>/publish/", views.manage_publish, name="manage-publish"),
    path("manage/versions/<int:pk>/english/", views.manage_english, name="manage-english"),
    path("manage/criteria/<int:pk>/", views.manage_criterion_edit, name="manage-criterion-edit"),
    path("manage/criteria/<int:pk>/delete/", views.manage_criterion_delete, name="manage-criterion-delete"),
    path("manage/criteria/<int:pk>/move/", views.manage_criterion_move, name="manage-criterion-move"),
    path("plans/", views.plans_overview, name="plans-overview"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("plans/<slug:slug>/create/", views.plan_create, name="plan-create"),
    path("plans/<slug:slug>/rows/<int:pk>/", views.plan_row_update, name="plan-row-update"),
    path("<int:number>-<slug:slug>/", views.goal_detail, name="goal-detail"),
    path("<int:number>-<slug:slug>/compare/", views.compare, name="compare"),
    path("<int:number>-<slug:slug>/versions/<int:version>/", views.version_detail, name="version-detail"),
    path("<int:number>-<slug:slug>/versions/<int:version>/print/", views.version_print, name="version-print"),
    path("<int:number>-<slug:slug>/versions/<int:version>/pdf/", views.version_pdf, name="version-pdf"),
]
