"""Pages that belong to no single app: the front page, the dashboard, health and accessibility."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from members import selectors as member_selectors
from members.access import SECRETARIAT, login_required, public, roles_of, secretariat_or_token

from . import health

ROBOTS = """User-agent: *
Disallow: /accounts/
Disallow: /en/accounts/
Disallow: /admin/
Disallow: /en/admin/
"""


@public
def robots_txt(request):
    """Search engines index the public pages, not the sign-in or back-office ones."""
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")


@public
def favicon(request):
    """The portal's icon for clients that ask for /favicon.ico (the pages link the SVG themselves)."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)


@public
def home(request):
    return render(request, "pogi/home.html", {"member_count": member_selectors.active_member_count()})


@login_required
def dashboard(request):
    """What the signed-in person has to do, by role."""
    roles = roles_of(request.user)
    context = {"roles": roles, "representative": request.user.representative_or_none}
    if context["representative"] is not None:
        from goals.selectors import working_group_drafts

        context["drafts"] = working_group_drafts(user=request.user)
        from followup.selectors import open_response_for_user

        context["followup"] = open_response_for_user(user=request.user)
        from workgroups.selectors import commitments

        context["project_commitment"] = commitments.project_commitment_of(
            organisation=context["representative"].organisation, today=timezone.localdate()
        )
    if context["representative"] is not None or SECRETARIAT in roles:
        from workgroups import selectors as workgroup_selectors

        context["meetings"] = workgroup_selectors.meetings_for(user=request.user)[0][:5]
        context["hearings"] = workgroup_selectors.open_internal_hearings_for(user=request.user)
        context["reviews"] = workgroup_selectors.drafts_for_review(user=request.user)
    from workgroups.selectors.dialogues import contact_assignments

    context["assessments"] = contact_assignments(user=request.user)
    if SECRETARIAT in roles:
        context["pending_count"] = member_selectors.applications_pending().count()
        context["transition_count"] = member_selectors.members_in_transition().count()
        from workgroups import selectors as workgroup_selectors

        context["kpi"] = workgroup_selectors.adopted_per_year(years=1)[0]
    return render(request, "pogi/dashboard.html", context)


@public
def open_data(request):
    from goals.opendata import CSV_FIELDS

    return render(request, "pogi/open_data.html", {"csv_fields": CSV_FIELDS})


@public
def accessibility_statement(request):
    return render(request, "pogi/accessibility.html")


@public
@never_cache
def healthz(request):
    """200 when the database, cache and broker answer, 503 otherwise; within 2 s whatever hangs.

    The public answer names no error: the detail is at ``healthz-detail``.
    """
    healthy, results = health.run_checks()
    return JsonResponse(health.public_summary(healthy, results), status=200 if healthy else 503)


@secretariat_or_token("HEALTHZ_TOKEN", header="X-Healthz-Token")
@never_cache
def healthz_detail(request):
    """The checks with their errors and timings, for the secretariat and for monitoring with the token."""
    healthy, results = health.run_checks()
    return JsonResponse(health.detail(healthy, results), status=200 if healthy else 503)
