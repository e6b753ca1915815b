from django.urls import path

from . import views_projects as views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("propose/", views.project_propose, name="project-propose"),
    path("phases/<int:pk>/", views.phase_update, name="phase-update"),
    path("financing/<int:pk>/", views.funding_update, name="funding-update"),
    path("reports/", views.status_report_overview, name="report-overview"),
    path("<slug:slug>/", views.project_detail, name="project-detail"),
    path("<slug:slug>/join/", views.project_join, name="project-join"),
    path("<slug:slug>/reports/", views.status_reports, name="status-reports"),
    path("<slug:slug>/manage/", views.project_manage, name="project-manage"),
    path("<slug:slug>/manage/phases/", views.phase_add, name="phase-add"),
    path("<slug:slug>/manage/financing/", views.funding_add, name="funding-add"),
    path("<slug:slug>/manage/<slug:action>/", views.project_action, name="project-action"),
]
