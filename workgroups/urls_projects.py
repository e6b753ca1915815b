from django.urls import path

from . import views_bodies as bodies
from . import views_dialogues as dialogues
from . import views_prioritisation as prioritisation
from . import views_project_import as spreadsheet
from . import views_project_plan as plan
from . import views_projects as views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("propose/", views.project_propose, name="project-propose"),
    path("phases/<int:pk>/", views.phase_update, name="phase-update"),
    path("financing/<int:pk>/", views.funding_update, name="funding-update"),
    path("reports/", views.status_report_overview, name="report-overview"),
    # the secretariat's prioritisation of Lab proposals ("prioritisation" is never a project's address)
    path("prioritisation/", prioritisation.prioritisation, name="prioritisation"),
    path("prioritisation/weights/", prioritisation.prioritisation_weights, name="prioritisation-weights"),
    path("prioritisation/agenda/", prioritisation.prioritisation_agenda, name="prioritisation-agenda"),
    path("prioritisation/<slug:slug>/score/", prioritisation.prioritisation_score, name="prioritisation-score"),
    # the secretariat's spreadsheet export and import ("export" and "import" are never a project's address)
    path("export/", spreadsheet.projects_export, name="projects-export"),
    path("import/", spreadsheet.projects_import, name="projects-import"),
    # the bodies POGI Move and POGI Lab ("bodies" is never a project's address)
    path("bodies/<slug:kind>/", bodies.body_detail, name="body-detail"),
    path("bodies/<slug:kind>/manage/", bodies.body_manage, name="body-manage"),
    path("bodies/<slug:kind>/manage/offices/", bodies.office_assign, name="body-office-assign"),
    path("bodies/<slug:kind>/manage/offices/<int:pk>/end/", bodies.office_end, name="body-office-end"),
    path("bodies/<slug:kind>/manage/offices/<int:pk>/remove/", bodies.office_remove, name="body-office-remove"),
    path("bodies/<slug:kind>/manage/seats/", bodies.seat_set, name="body-seat-set"),
    path("bodies/<slug:kind>/manage/seats/<int:pk>/remove/", bodies.seat_remove, name="body-seat-remove"),
    # the Nordic buyer dialogues: the secretariat's new dialogue and the pages the e-mails link to
    # ("dialogues" and "interest" are never a project's address)
    path("dialogues/new/", dialogues.dialogue_create, name="dialogue-create"),
    path("interest/confirm/<str:token>/", dialogues.interest_confirm, name="interest-confirm"),
    path("interest/mine/<str:token>/", dialogues.interest_mine, name="interest-mine"),
    path("interest/unsubscribe/<str:token>/", dialogues.interest_unsubscribe, name="interest-unsubscribe"),
    path("interest/news-stop/<str:token>/", dialogues.participant_unsubscribe, name="participant-unsubscribe"),
    path("<slug:slug>/", views.project_detail, name="project-detail"),
    path("<slug:slug>/apply/", dialogues.dialogue_apply, name="dialogue-apply"),
    path("<slug:slug>/interest/", dialogues.dialogue_interest, name="dialogue-interest"),
    path("<slug:slug>/interest/sent/", dialogues.interest_sent, name="interest-sent"),
    path("<slug:slug>/gatherings/<int:pk>/register/", dialogues.gathering_register, name="gathering-register"),
    path("<slug:slug>/applications/", dialogues.dialogue_applications, name="dialogue-applications"),
    path("<slug:slug>/applications/<int:pk>/", dialogues.application_assess, name="application-assess"),
    path("<slug:slug>/news/", dialogues.dialogue_news, name="dialogue-news"),
    path("<slug:slug>/news/<int:pk>/", dialogues.dialogue_news_detail, name="dialogue-news-detail"),
    path("<slug:slug>/dialogue/", dialogues.dialogue_manage, name="dialogue-manage"),
    path("<slug:slug>/join/", views.project_join, name="project-join"),
    path("<slug:slug>/reports/", views.status_reports, name="status-reports"),
    path("<slug:slug>/export/", spreadsheet.project_export, name="project-export"),
    path("<slug:slug>/risks/", plan.project_risks, name="project-risks"),
    path("<slug:slug>/risks/<int:pk>/", plan.risk_update, name="risk-update"),
    path("<slug:slug>/risks/<int:pk>/remove/", plan.risk_remove, name="risk-remove"),
    path("<slug:slug>/stakeholders/", plan.stakeholder_set, name="stakeholder-set"),
    path("<slug:slug>/stakeholders/<int:pk>/remove/", plan.stakeholder_remove, name="stakeholder-remove"),
    path("<slug:slug>/manage/", views.project_manage, name="project-manage"),
    path("<slug:slug>/manage/phases/", views.phase_add, name="phase-add"),
    path("<slug:slug>/manage/financing/", views.funding_add, name="funding-add"),
    path("<slug:slug>/manage/<slug:action>/", views.project_action, name="project-action"),
]
