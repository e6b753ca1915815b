from django.urls import path

from . import views

app_name = "workgroups"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing-detail"),
    path("hearings/<uuid:token>/respond/", views.hearing_public, name="hearing-public"),
    path("<slug:slug>/", views.group_detail, name="group-detail"),
]
