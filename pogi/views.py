"""Pages that belong to no single app: the front page, the dashboard, health and accessibility."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from members import selectors as member_selectors
from members.access import SECRETARIAT, login_required, public, roles_of

from .health import run_checks


@public
def home(request):
    return render(request, "pogi/home.html", {"member_count": member_selectors.active_member_count()})


@login_required
def dashboard(request):
    """What the signed-in person has to do, by role."""
    roles = roles_of(request.user)
    context = {"roles": roles, "representative": request.user.representative_or_none}
    if SECRETARIAT in roles:
        context["pending_count"] = member_selectors.applications_pending().count()
        context["transition_count"] = member_selectors.members_in_transition().count()
    return render(request, "pogi/dashboard.html", context)


@public
def accessibility_statement(request):
    return render(request, "pogi/accessibility.html")


@public
@never_cache
def healthz(request):
    healthy, checks = run_checks()
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
