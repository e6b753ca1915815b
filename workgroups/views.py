from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.access import public, representative_required

from . import selectors, services
from .forms import HearingResponseForm, PublicHearingResponseForm

# Public hearing responses: at most this many per address and hour.
PUBLIC_RESPONSES_PER_HOUR = 10


@public
def overview(request):
    year = request.GET.get("year")
    plan, groups = selectors.overview(year=int(year) if year and year.isdigit() else None)
    return render(
        request,
        "workgroups/overview.html",
        {
            "plan": plan,
            "groups": groups,
            "kpi": selectors.adopted_per_year(),
            "target": selectors.ADOPTED_PER_YEAR_TARGET,
        },
    )


@public
def group_detail(request, slug):
    group = selectors.group_public_get(slug=slug)
    hearings = list(group.draft.hearings.all()) if group.draft else []
    return render(request, "workgroups/group_detail.html", {"group": group, "hearings": hearings})


def _respond(request, hearing, form, **identity):
    try:
        services.hearing_respond(
            hearing=hearing,
            text=form.cleaned_data["text"],
            criterion=form.cleaned_data["criterion"],
            keep_private=form.cleaned_data["keep_private"],
            **identity,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, _("Thank you. Your response has been received."))
    return True


@representative_required
def hearing_detail(request, pk):
    """An internal hearing: member representatives read the draft and respond per criterion or in general."""
    hearing = selectors.hearing_for_member(pk=pk)
    form = HearingResponseForm(request.POST or None, version=hearing.version)
    if request.method == "POST" and form.is_valid():
        user = request.user
        if _respond(request, hearing, form, user=user, respondent_name=user.name, respondent_organisation=""):
            return redirect("workgroups:hearing-detail", pk=hearing.pk)
    return render(
        request,
        "workgroups/hearing_detail.html",
        {
            "hearing": hearing,
            "form": form,
            "responses": selectors.published_responses(hearing=hearing),
            "public": False,
        },
    )


@public
def hearing_public(request, token):
    """The industry hearing's public page: anyone may respond, without an account (spam-protected, rate-limited)."""
    hearing = selectors.hearing_for_public(token=token)
    form = PublicHearingResponseForm(request.POST or None, version=hearing.version)
    if request.method == "POST" and form.is_valid():
        key = f"hearing-responses:{request.META.get('REMOTE_ADDR', '')}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > PUBLIC_RESPONSES_PER_HOUR:
            form.add_error(None, _("Too many responses from your address. Try again in an hour."))
        elif _respond(
            request,
            hearing,
            form,
            respondent_name=form.cleaned_data["respondent_name"],
            respondent_organisation=form.cleaned_data["respondent_organisation"],
            respondent_email=form.cleaned_data["respondent_email"],
        ):
            return redirect("workgroups:hearing-public", token=hearing.token)
    return render(
        request,
        "workgroups/hearing_detail.html",
        {"hearing": hearing, "form": form, "responses": selectors.published_responses(hearing=hearing), "public": True},
    )
