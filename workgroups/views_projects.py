"""The projects' pages: the public list and project page, a member's proposal, and the management page where the
owner's representatives and the secretariat keep the plan and take the project through its status."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import ReasonForm, error_text
from members.access import public, representative_required, secretariat_required

from . import services
from .forms_projects import (
    FundingForm,
    FundingStatusForm,
    HandOverForm,
    PhaseForm,
    PhaseStatusForm,
    ProjectCompleteForm,
    ProjectProposalForm,
    StatusReportForm,
)
from .models import Project
from .quarters import quarter_of
from .selectors import projects as selectors

PAGE_SIZE = 50
P = Project.Status


@public
def project_list(request):
    found, projects = selectors.project_list(params=request.GET or None)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # htmx swaps only the results when a filter changes; without JavaScript the whole page is sent.
    template = "workgroups/projects/_results.html" if request.htmx else "workgroups/projects/list.html"
    return render(request, template, {"filter": found, "page": page, "query": query.urlencode()})


@public
def project_detail(request, slug):
    project = selectors.project_public_get(slug=slug)
    if project.kind == Project.Kind.DIALOGUE:
        from .selectors.dialogues import dialogue_get
        from .views_dialogues import dialogue_detail

        return dialogue_detail(request, dialogue_get(slug=slug))
    return render(
        request,
        "workgroups/projects/detail.html",
        {
            "project": project,
            "can_manage": selectors.can_manage(project=project, user=request.user),
            "can_join": selectors.can_join(project=project, user=request.user),
            "insider": selectors.project_insider(project=project, user=request.user),
        },
    )


@representative_required
def project_propose(request):
    form = ProjectProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner", None) or request.user.representative_or_none.organisation
        lead = None if request.user.is_secretariat else request.user
        try:
            project = services.project_propose(
                owner=owner, by=request.user, lead=lead, **{**data, "goals": list(data["goals"])}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The project has been proposed. The secretariat takes proposals to POGI Move or POGI Lab."),
            )
            return redirect("projects:project-manage", slug=project.slug)
    return render(request, "workgroups/projects/propose.html", {"form": form}, status=400 if form.errors else 200)


@representative_required
@require_POST
def project_join(request, slug):
    project = selectors.project_public_get(slug=slug)
    rep = request.user.representative_or_none
    if rep is None:
        raise Http404
    try:
        services.project_participant_add(project=project, organisation=rep.organisation, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("%(organisation)s now takes part in the project.") % {"organisation": rep.organisation.name}
        )
    return redirect(project)


# The status changes a management page offers: the form each needs, and the service that makes it.
ACTIONS: dict[str, dict[str, Any]] = {
    "prioritise": {
        "to": P.PRIORITISED,
        "title": gettext_lazy("Prioritise the proposal"),
        "explain": gettext_lazy(
            "A prioritised project can go on the agenda: a Lab project at the Council, a Move project at POGI Move, "
            "whose carried decision approves it."
        ),
        "secretariat": True,
    },
    "start": {
        "to": P.RUNNING,
        "title": gettext_lazy("Start the project"),
        "explain": gettext_lazy("The approved project begins its work on the plan."),
    },
    "complete": {
        "to": P.COMPLETED,
        "title": gettext_lazy("Complete the project"),
        "explain": gettext_lazy(
            "Every phase must have reached its milestone or be cancelled. The measured effect is shown beside the "
            "potential on the project's page."
        ),
        "form": ProjectCompleteForm,
    },
    "stop": {
        "to": P.STOPPED,
        "title": gettext_lazy("Stop the project"),
        "explain": gettext_lazy("The reason is shown on the project's page and kept in its history."),
        "form": ReasonForm,
        "secretariat": True,
        "warning": True,
    },
    "hand-over": {
        "to": None,
        "title": gettext_lazy("Hand over to POGI Move"),
        "explain": gettext_lazy(
            "A linked Move project is proposed, with the owner, goals and partners; the Lab project's participants "
            "support the hand-over. The Move project then goes through its own approval."
        ),
        "form": HandOverForm,
        "secretariat": True,
    },
}


def _actions_for(project: Project, user: Any) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, spec in ACTIONS.items():
        if spec.get("secretariat") and not user.is_secretariat:
            continue
        if name == "hand-over":
            possible = project.track == Project.Track.LAB and project.status == P.COMPLETED
            possible = possible and not hasattr(project, "handed_over_to")
        else:
            possible = (project.status, spec["to"]) in services.PROJECT_TRANSITIONS
        if possible:
            found.append((name, spec))
    return found


@representative_required
def project_manage(request, slug):
    project = selectors.project_for_manager(slug=slug, user=request.user)
    return _manage_page(request, project)


def _manage_page(request, project, phase_form=None, funding_form=None, status=200):
    ended = project.status in (P.COMPLETED, P.STOPPED)
    phases = [
        (
            phase,
            PhaseStatusForm(
                prefix=f"p{phase.pk}",
                initial={
                    "status": phase.status,
                    "actual_start": phase.actual_start,
                    "actual_end": phase.actual_end,
                    "spent_dkk": phase.spent_dkk,
                },
            ),
        )
        for phase in project.phases.all()
    ]
    financing = selectors.financing_of(project=project)
    sources = [
        (f, FundingStatusForm(prefix=f"f{f.pk}", initial={"status": f.status, "amount_dkk": f.amount_dkk}))
        for f in financing["sources"]
    ]
    return render(
        request,
        "workgroups/projects/manage.html",
        {
            "project": project,
            "actions": _actions_for(project, request.user),
            "phases": phases,
            "phase_form": None if ended else (phase_form or PhaseForm()),
            "financing": financing,
            "sources": sources,
            "funding_form": None if ended else (funding_form or FundingForm()),
            "ended": ended,
            "waiting_for_decision": project.status == P.PRIORITISED,
        },
        status=status,
    )


@representative_required
@require_POST
def phase_add(request, slug):
    project = selectors.project_for_manager(slug=slug, user=request.user)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.project_phase_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The phase has been added to the plan."))
            return redirect("projects:project-manage", slug=slug)
    return _manage_page(request, project, phase_form=form, status=400)


@representative_required
@require_POST
def funding_add(request, slug):
    project = selectors.project_for_manager(slug=slug, user=request.user)
    form = FundingForm(request.POST)
    if form.is_valid():
        try:
            services.project_funding_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The source has been added to the financing plan."))
            return redirect("projects:project-manage", slug=slug)
    return _manage_page(request, project, funding_form=form, status=400)


@representative_required
@require_POST
def funding_update(request, pk):
    funding = selectors.funding_for_manager(pk=pk, user=request.user)
    form = FundingStatusForm(request.POST, prefix=f"f{funding.pk}")
    if form.is_valid():
        try:
            services.project_funding_update(funding=funding, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The financing plan has been saved."))
    else:
        messages.error(request, _("Give the amount in whole kroner."))
    return redirect("projects:project-manage", slug=funding.project.slug)


@representative_required
@require_POST
def phase_update(request, pk):
    phase = selectors.phase_for_manager(pk=pk, user=request.user)
    form = PhaseStatusForm(request.POST, prefix=f"p{phase.pk}")
    if form.is_valid():
        try:
            services.project_phase_update(phase=phase, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The phase has been saved; the progress follows its milestones."))
    else:
        messages.error(request, _("Check the phase's dates."))
    return redirect("projects:project-manage", slug=phase.project.slug)


@representative_required
def project_action(request, slug, action):
    """A confirmation page (with the form the step needs), then the one service that makes the change."""
    project = selectors.project_for_manager(slug=slug, user=request.user)
    spec = dict(_actions_for(project, request.user)).get(action)
    if spec is None:
        raise Http404
    form_class = spec.get("form")
    form = form_class(request.POST if request.method == "POST" else None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        fields = dict(form.cleaned_data) if form is not None else {}
        try:
            if action == "hand-over":
                result = services.project_hand_over(project=project, by=request.user, **fields)
            else:
                service = getattr(services, services.PROJECT_TRANSITIONS[(project.status, spec["to"])])
                result = service(project=project, by=request.user, **fields)
        except ValidationError as exc:
            if form is None:
                messages.error(request, error_text(exc))
                return redirect("projects:project-manage", slug=slug)
            form.add_error(None, exc)
        else:
            if action == "hand-over":
                messages.success(request, _("The Move project has been proposed from the Lab project."))
                return redirect("projects:project-manage", slug=result.slug)
            messages.success(request, _("The project is now: %(status)s.") % {"status": P(result.status).label})
            return redirect("projects:project-manage", slug=slug)
    return render(
        request,
        "workgroups/projects/action.html",
        {"project": project, "spec": spec, "form": form, "action": action},
        status=400 if form is not None and form.errors else 200,
    )


@representative_required
def status_reports(request, slug):
    """A project's quarterly status reports, for its participants and the secretariat; the owner files them here."""
    project = selectors.project_for_insider(slug=slug, user=request.user)
    today = timezone.localdate()
    can_file = selectors.can_manage(project=project, user=request.user) and project.status == P.RUNNING
    form = None
    if can_file:
        quarters = selectors.report_quarters(project=project, today=today)
        current = quarter_of(today)
        initial: dict[str, Any] = {"period": f"{current[0]}-{current[1]}"}
        filed = project.status_reports.filter(year=current[0], quarter=current[1]).first()
        if filed is not None:  # the quarter's report is corrected, not written again from nothing
            initial.update({name: getattr(filed, name) for name in services.REPORT_FIELDS})
        form = StatusReportForm(request.POST or None, quarters=quarters, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            year, quarter = data.pop("period")
            try:
                services.status_report_file(project=project, by=request.user, year=year, quarter=quarter, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("The status report for %(year)s Q%(quarter)s has been filed.")
                    % {"year": year, "quarter": quarter},
                )
                return redirect("projects:status-reports", slug=slug)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "workgroups/projects/status_reports.html",
        {
            "project": project,
            "reports": selectors.status_reports_of(project=project),
            "form": form,
            "financing": selectors.financing_of(project=project),
        },
        status=400 if form is not None and form.errors else 200,
    )


@secretariat_required
def status_report_overview(request):
    """The secretariat's overview of the running projects' status reports: missing ones and red lights."""
    overview = selectors.status_reports_overview(today=timezone.localdate())
    return render(request, "workgroups/projects/report_overview.html", overview)
