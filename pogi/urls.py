from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from followup import views_climate as climate_views
from goals import views as goal_views

from . import views, views_year_wheel

# The admin is a back office: it goes through allauth's login (rate limits, MFA).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "POGI"
admin.site.site_title = "POGI"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/detail", views.healthz_detail, name="healthz-detail"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links.
    path("favicon.ico", views.favicon, name="favicon"),
    # Stable open-data URLs, outside the language prefix.
    path("open-data/goals.json", goal_views.open_data_json, name="open-data-json"),
    path("open-data/goals.csv", goal_views.open_data_csv, name="open-data-csv"),
    path("open-data/emission-factors.csv", climate_views.factor_csv, name="open-data-emission-factors"),
]

# Danish at the stable URLs (/members/, /goals/ …), English under /en/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("members/", include("members.urls")),
    path("goals/", include("goals.urls")),
    path("workgroups/", include("workgroups.urls")),
    path("projects/", include("workgroups.urls_projects")),
    path("followup/", include("followup.urls")),
    path("climate/", include("followup.urls_climate")),
    path("open-data/", views.open_data, name="open-data"),
    # the year wheel and its iCalendar feed (the feed's language: the prefix, or ?lang=en)
    path("year-wheel/", views_year_wheel.year_wheel, name="year-wheel"),
    path("year-wheel.ics", views_year_wheel.year_wheel_feed, name="year-wheel-ics"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
