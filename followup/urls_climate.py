from django.urls import path

from . import views_climate as views

app_name = "climate"

urlpatterns = [
    # Stable public URL: the partnership's climate account.
    path("", views.climate_home, name="home"),
    path("<slug:table>.csv", views.climate_csv, name="csv"),
    path("factors/", views.factor_list, name="factor-list"),
    path("factors/import/", views.factor_import, name="factor-import"),
    path("factors/import/<int:pk>/", views.factor_import_preview, name="factor-import-preview"),
    path("factors/<slug:code>/", views.factor_detail, name="factor-detail"),
    path("factors/<slug:code>/edit/", views.factor_edit, name="factor-edit"),
    path("years/<int:year>/recalculate/", views.year_recalculate, name="year-recalculate"),
    path("mine/", views.my_climate, name="mine"),
    path("members/<slug:slug>/", views.member_climate, name="member"),
    path("members/<slug:slug>/<slug:table>.csv", views.member_climate_csv, name="member-csv"),
    path("members/<slug:slug>/activity/", views.member_activity_save, name="member-activity-save"),
    path("members/<slug:slug>/activity/<int:pk>/delete/", views.member_activity_delete, name="member-activity-delete"),
    path("members/<slug:slug>/spend/", views.member_spend_import, name="member-spend-import"),
    path("members/<slug:slug>/spend/<int:pk>/", views.member_spend_preview, name="member-spend-preview"),
    path("members/<slug:slug>/years/<int:year>/recalculate/", views.member_recalculate, name="member-recalculate"),
    path("members/<slug:slug>/measures/new/", views.measure_edit, name="measure-create"),
    path("members/<slug:slug>/measures/<int:pk>/", views.measure_edit, name="measure-edit"),
    path("members/<slug:slug>/measures/<int:pk>/status/", views.measure_status, name="measure-status"),
    path("members/<slug:slug>/measures/<int:pk>/delete/", views.measure_delete, name="measure-delete"),
]
