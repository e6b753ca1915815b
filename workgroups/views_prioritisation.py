"""The secretariat's prioritisation of POGI Lab proposals: the weights, each proposal's scores, the ranked list with
its chart, and the top-ranked proposals put on the agenda of the next POGI Lab or Council meeting."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import error_text
from members.access import secretariat_required

from . import services
from .forms_prioritisation import AgendaFeedForm, ScoreForm, WeightsForm
from .models import Project
from .selectors import prioritisation as selectors

# The chart's geometry in CSS pixels: one row per ranked proposal, its label above its bar.
CHART_ROW = 46
CHART_BAR = 16
CHART_AXIS = 24


def _chart(ranked: list[selectors.RankedProposal]) -> dict[str, Any]:
    rows = [
        {"row": row, "label_y": i * CHART_ROW + 16, "bar_y": i * CHART_ROW + 23, "bar_height": CHART_BAR}
        for i, row in enumerate(ranked)
    ]
    axis_y = len(ranked) * CHART_ROW + 4
    return {
        "rows": rows,
        "axis_y": axis_y,
        "tick_y": axis_y + 16,
        "height": axis_y + CHART_AXIS,
        "ticks": [{"value": n, "percent": 20 * n} for n in range(1, 6)],
    }


def _page(request, *, weights_form=None, status=200):
    ranking = selectors.ranking()
    meetings = selectors.agenda_meetings()
    weights = ranking.weights
    return render(
        request,
        "workgroups/projects/prioritisation.html",
        {
            "ranking": ranking,
            "chart": _chart(ranking.ranked),
            "weights_form": weights_form
            or WeightsForm(
                initial={"co2": weights.co2, "scalability": weights.scalability, "relevance": weights.relevance}
            ),
            "feed_form": AgendaFeedForm(meetings=meetings, candidates=[row.project for row in ranking.rows]),
            "meetings": meetings,
        },
        status=status,
    )


@secretariat_required
def prioritisation(request):
    """The ranked list of Lab proposals with its chart, the weights and the agenda feed."""
    return _page(request)


@secretariat_required
@require_POST
def prioritisation_weights(request):
    form = WeightsForm(request.POST)
    if form.is_valid():
        try:
            services.prioritisation_weights_set(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The weights have been saved; the ranking follows them."))
            return redirect("projects:prioritisation")
    return _page(request, weights_form=form, status=400)


@secretariat_required
def prioritisation_score(request, slug):
    """A Lab proposal's scores: CO2 reduction potential with its assumption, scalability and relevance."""
    project = (
        Project.objects.select_related("owner")
        .filter(slug=slug, track=Project.Track.LAB, status__in=selectors.CANDIDATE_STATUSES)
        .first()
    )
    if project is None:
        raise Http404
    form = ScoreForm.for_project(project, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_score_set(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The scores of %(title)s have been saved.") % {"title": project.title})
            return redirect(reverse("projects:prioritisation") + f"#proposal-{project.pk}")
    return render(
        request,
        "workgroups/projects/prioritisation_score.html",
        {"project": project, "form": form},
        status=400 if form.errors else 200,
    )


@secretariat_required
@require_POST
def prioritisation_agenda(request):
    """Put the top-ranked proposals, or one chosen, on the agenda of a coming POGI Lab or Council meeting."""
    ranking = selectors.ranking()
    form = AgendaFeedForm(
        request.POST, meetings=selectors.agenda_meetings(), candidates=[row.project for row in ranking.rows]
    )
    if not form.is_valid():
        messages.error(request, _("Choose a coming meeting of POGI Lab or the Council, and how many proposals."))
        return redirect("projects:prioritisation")
    meeting = form.cleaned_data["meeting"]
    chosen = form.cleaned_data["project"]
    projects = (
        [chosen]
        if chosen is not None
        else selectors.agenda_choice(ranked=ranking, meeting=meeting, count=form.cleaned_data["count"])
    )
    try:
        feed = services.prioritisation_agenda_feed(meeting=meeting, projects=projects, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("projects:prioritisation")
    if feed.added:
        messages.success(
            request,
            _("Put on the agenda of %(meeting)s: %(titles)s.")
            % {"meeting": meeting.title, "titles": "; ".join(item.title for item in feed.added)},
        )
    for project, reason in feed.skipped:
        messages.info(request, _("%(title)s: %(reason)s.") % {"title": project.title, "reason": reason})
    return redirect(meeting.get_absolute_url() if feed.added else reverse("projects:prioritisation"))
