"""A project's risks and stakeholders page: the risk register with its 4 x 4 matrix and the stakeholder table, for
the project's participants and the secretariat; the owner's representatives and the secretariat keep them here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import error_text
from members.access import representative_required

from . import services
from .forms_project_plan import RiskForm, StakeholderForm
from .models import Project
from .selectors import project_plan as selectors
from .selectors.projects import can_manage

P = Project.Status


def _page_url(slug):
    # the top of the page's content, where the message says what was done (a form's own fragment, which
    # brings a refused form into view, would otherwise carry over to the redirect)
    return reverse("projects:project-risks", kwargs={"slug": slug}) + "#main-content"


def _ended(project):
    return project.status in (P.COMPLETED, P.STOPPED)


def _refused_on_ended(request, project, exc):
    """A change refused because the project has ended goes back as a message: the page shows no forms then."""
    if not _ended(project):
        return None
    messages.error(request, error_text(exc))
    return redirect(_page_url(project.slug))


def _page(request, project, *, risk_form=None, edit_form=None, stakeholder_form=None, status=200):
    """The page; a refused form comes back bound, with its errors, in place of its empty twin."""
    manager = can_manage(project=project, user=request.user)
    ended = _ended(project)
    register = selectors.risk_register(project=project)
    table = selectors.stakeholder_table(project=project)
    editable = manager and not ended
    edits = []
    if editable:
        for entry in register:
            risk = entry.risk
            if edit_form is not None and edit_form.prefix == f"r{risk.pk}":
                form = edit_form
            else:
                form = RiskForm(
                    prefix=f"r{risk.pk}",
                    initial={
                        "title": risk.title,
                        "probability": risk.probability,
                        "consequence": risk.consequence,
                        "measure": risk.measure,
                        "owner": risk.owner,
                    },
                )
            edits.append((entry, form))
    activities = [row.activity for row in table.rows]
    return render(
        request,
        "workgroups/projects/risks.html",
        {
            "project": project,
            "register": register,
            "matrix": selectors.risk_matrix(register=register),
            "table": table,
            "activities": activities,
            "manager": manager,
            "ended": ended,
            "edits": edits,
            "risk_form": (risk_form or RiskForm(prefix="risk")) if editable else None,
            "stakeholder_form": (
                stakeholder_form or StakeholderForm(activities=activities, stakeholders=table.stakeholders)
            )
            if editable
            else None,
            "has_errors": any(f is not None and f.errors for f in (risk_form, edit_form, stakeholder_form)),
        },
        status=status,
    )


@representative_required
def project_risks(request, slug):
    """The page (GET); a new risk for the register (POST, the project's managers only)."""
    project = selectors.project_for_plan(slug=slug, user=request.user)
    if request.method != "POST":
        return _page(request, project)
    if not can_manage(project=project, user=request.user):
        raise Http404
    form = RiskForm(request.POST, prefix="risk")
    if form.is_valid():
        try:
            services.risk_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if refused := _refused_on_ended(request, project, exc):
                return refused
            form.add_error(None, exc)
        else:
            messages.success(request, _("The risk has been added to the register."))
            return redirect(_page_url(slug))
    return _page(request, project, risk_form=form, status=400)


@representative_required
@require_POST
def risk_update(request, slug, pk):
    risk = selectors.risk_for_manager(slug=slug, pk=pk, user=request.user)
    form = RiskForm(request.POST, prefix=f"r{risk.pk}")
    if form.is_valid():
        try:
            services.risk_update(risk=risk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if refused := _refused_on_ended(request, risk.project, exc):
                return refused
            form.add_error(None, exc)
        else:
            messages.success(request, _("The risk has been saved."))
            return redirect(_page_url(slug))
    project = selectors.project_for_plan(slug=slug, user=request.user)
    return _page(request, project, edit_form=form, status=400)


@representative_required
@require_POST
def risk_remove(request, slug, pk):
    risk = selectors.risk_for_manager(slug=slug, pk=pk, user=request.user)
    try:
        services.risk_remove(risk=risk, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(risk)s has been taken out of the risk register.") % {"risk": risk.title})
    return redirect(_page_url(slug))


@representative_required
@require_POST
def stakeholder_set(request, slug):
    project = selectors.project_for_plan(slug=slug, user=request.user)
    if not can_manage(project=project, user=request.user):
        raise Http404
    form = StakeholderForm(request.POST)
    if form.is_valid():
        try:
            entry = services.stakeholder_set(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if refused := _refused_on_ended(request, project, exc):
                return refused
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The stakeholder table has been saved: %(stakeholder)s at %(activity)s, %(involvement)s.")
                % {
                    "stakeholder": entry.stakeholder,
                    "activity": entry.activity,
                    "involvement": entry.get_involvement_display(),
                },
            )
            return redirect(_page_url(slug))
    return _page(request, project, stakeholder_form=form, status=400)


@representative_required
@require_POST
def stakeholder_remove(request, slug, pk):
    entry = selectors.stakeholder_for_manager(slug=slug, pk=pk, user=request.user)
    try:
        services.stakeholder_remove(entry=entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(stakeholder)s has been taken out of the table at %(activity)s.")
            % {"stakeholder": entry.stakeholder, "activity": entry.activity},
        )
    return redirect(_page_url(slug))
