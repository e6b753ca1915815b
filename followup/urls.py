from django.urls import path

from . import views, views_report

app_name = "followup"

urlpatterns = [
    path("", views.home, name="home"),
    path("responses/<int:pk>/", views.response_detail, name="response-detail"),
    path("responses/<int:pk>/organisation/", views.response_organisation, name="response-organisation"),
    path("responses/<int:pk>/goals/<int:number>/", views.response_goal, name="response-goal"),
    path("responses/<int:pk>/check/", views.response_check, name="response-check"),
    path("responses/<int:pk>/receipt/", views.response_receipt, name="response-receipt"),
    path("responses/<int:pk>/answers.pdf", views.response_pdf, name="response-pdf"),
    path("responses/<int:pk>/remind/", views.response_remind, name="response-remind"),
    path("responses/<int:pk>/reopen/", views.response_reopen, name="response-reopen"),
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:year>/", views.round_detail, name="round-detail"),
    path("rounds/<int:year>/edit/", views.round_edit, name="round-edit"),
    path("rounds/<int:year>/open/", views.round_open, name="round-open"),
    path("rounds/<int:year>/close/", views.round_close, name="round-close"),
    path("rounds/<int:year>/reopen/", views.round_reopen, name="round-reopen"),
    path("rounds/<int:year>/add-members/", views.round_members_add, name="round-members-add"),
    path("rounds/<int:year>/import/", views.round_import, name="round-import"),
    path("rounds/<int:year>/export/<slug:kind>/", views.round_export, name="round-export"),
    path("rounds/<int:year>/report/", views_report.report_detail, name="report-detail"),
    path("rounds/<int:year>/report/status/", views_report.report_status, name="report-status"),
    path("rounds/<int:year>/report/generate/", views_report.report_generate, name="report-generate"),
    path("rounds/<int:year>/report/quotes/", views_report.report_quotes, name="report-quotes"),
    path("rounds/<int:year>/report/<slug:table>.csv", views_report.report_csv, name="report-csv"),
    path("rounds/<int:year>/report/<slug:language>/publish/", views_report.report_publish, name="report-publish"),
    path(
        "rounds/<int:year>/report/<slug:kind>/<slug:language>.pdf",
        views_report.report_download,
        name="report-download",
    ),
    # Stable public URLs: the published annual reports.
    path("reports/", views_report.reports_public, name="report-list"),
    path("reports/<int:year>/<slug:language>.pdf", views_report.report_public_pdf, name="report-public-pdf"),
]
