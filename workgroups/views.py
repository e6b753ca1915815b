from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ratelimit
from core.formats import date_text
from core.forms import error_text
from core.network import client_ip
from core.uploads import pdf_download
from members.access import public, representative_required, secretariat_required

from . import selectors, services
from .forms import (
    AgendaDocumentForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    DraftCommentForm,
    HearingResponseForm,
    MeetingEditForm,
    MeetingForm,
    MinutesApproveForm,
    MinutesForm,
    PublicHearingResponseForm,
)

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
    rep = request.user.representative_or_none
    organisation = rep.organisation if rep is not None else None
    own = selectors.own_responses(hearing=hearing, organisation=organisation)
    others = selectors.published_responses(hearing=hearing)
    if organisation is not None:
        others = others.exclude(member=organisation)  # the organisation's own are listed with their answers
    return render(
        request,
        "workgroups/hearing_detail.html",
        {
            "hearing": hearing,
            "form": form,
            "organisation": organisation,
            "own_responses": own,
            "responses": others,
            "public": False,
            **selectors.version_redline(version=hearing.version),
        },
    )


@public
def hearing_public(request, token):
    """The industry hearing's public page: anyone may respond, without an account (spam-protected, rate-limited)."""
    hearing = selectors.hearing_for_public(token=token)
    form = PublicHearingResponseForm(request.POST or None, version=hearing.version)
    if request.method == "POST" and form.is_valid():
        # The client behind the TLS proxy, as allauth's login limits count it (core.network).
        if ratelimit.counted_over(
            f"hearing-responses:{client_ip(request)}", limit=PUBLIC_RESPONSES_PER_HOUR, seconds=3600
        ):
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
        {
            "hearing": hearing,
            "form": form,
            "responses": selectors.published_responses(hearing=hearing),
            "public": True,
            **selectors.version_redline(version=hearing.version),
        },
    )


# --- meetings and decisions ---------------------------------------------------------------


@representative_required
def meeting_list(request):
    """The meetings a person takes part in (all of them for the secretariat), and drafts up for decision."""
    upcoming, past = selectors.meetings_for(user=request.user)
    return render(
        request,
        "workgroups/meeting_list.html",
        {"upcoming": upcoming, "past": past, "drafts": selectors.drafts_for_review(user=request.user)},
    )


@secretariat_required
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting has been created. Put its items on the agenda."))
            return redirect(meeting)
    return render(request, "workgroups/meeting_form.html", {"form": form, "meeting": None})


@secretariat_required
def meeting_edit(request, pk):
    meeting = selectors.meeting_for(pk=pk, user=request.user)
    initial = {
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "place": meeting.place,
        "online_url": meeting.online_url,
    }
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting has been changed."))
            return redirect(meeting)
    return render(request, "workgroups/meeting_form.html", {"form": form, "meeting": meeting})


def _meeting_page(request, meeting, *, status=200, **forms):
    """A meeting's page; the secretariat's forms are bound to refused input when a post was refused."""
    context = {"meeting": meeting, "is_secretariat": request.user.is_secretariat}
    attendance = list(meeting.attendance.all())
    context["attendance"] = attendance
    context["present_organisations"] = sorted({a.organisation.name for a in attendance})
    if request.user.is_secretariat:
        participants = selectors.meeting_participants(meeting=meeting)
        earlier = selectors.minutes_awaiting_approval(meeting=meeting)
        present = [a.user_id for a in attendance]
        context.update(
            participants=participants,
            eligible=len({p.organisation_id for p in participants}),
            quorum=meeting.body.quorum_needed(len({p.organisation_id for p in participants})),
            earlier=earlier,
            item_form=forms.get("item_form") or AgendaItemForm(meeting=meeting),
            document_form=forms.get("document_form") or AgendaDocumentForm(meeting=meeting),
            attendance_form=forms.get("attendance_form")
            or AttendanceForm(participants=participants, initial={"present": [str(u) for u in present]}),
            minutes_form=forms.get("minutes_form") or MinutesForm(initial={"minutes": meeting.minutes}),
            approve_form=forms.get("approve_form") or (MinutesApproveForm(earlier=earlier) if earlier else None),
        )
    return render(request, "workgroups/meeting_detail.html", context, status=status)


@representative_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_for(pk=pk, user=request.user)
    return _meeting_page(request, meeting)


@secretariat_required
@require_POST
def meeting_invite(request, pk):
    meeting = selectors.meeting_for(pk=pk, user=request.user)
    try:
        services.meeting_invite(meeting=meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The invitation is being sent to the participants."))
    return redirect(meeting)


@secretariat_required
@require_POST
def agenda_item_add(request, pk):
    meeting = selectors.meeting_for(pk=pk, user=request.user)
    form = AgendaItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if getattr(form, "kind_set_to_decision", False):
                messages.success(
                    request,
                    _("The item has been put on the agenda for decision: a project is approved by a decision.")
                    if form.cleaned_data.get("project")
                    else _(
                        "The item has been put on the agenda for decision: a draft, an application or a work plan "
                        "is decided by the steering group."
                    ),
                )
            else:
                messages.success(request, _("The item has been put on the agenda."))
            return redirect(meeting)
    return _meeting_page(request, meeting, item_form=form, status=400)


@secretariat_required
def agenda_item_remove(request, pk):
    """A confirmation page naming the item, then the post that takes it off the agenda."""
    item = selectors.agenda_item_for_secretariat(pk=pk)
    if request.method != "POST":
        return render(request, "workgroups/agenda_item_remove.html", {"item": item, "meeting": item.meeting})
    try:
        services.agenda_item_remove(item=item, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The item has been taken off the agenda."))
    return redirect(item.meeting)


@secretariat_required
@require_POST
def agenda_document_add(request, pk):
    meeting = selectors.meeting_for(pk=pk, user=request.user)
    form = AgendaDocumentForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        try:
            services.agenda_document_add(
                item=form.cleaned_data["item"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("The document has been attached."))
            return redirect(meeting)
    return _meeting_page(request, meeting, document_form=form, status=400)


@representative_required
def meeting_document(request, pk):
    document = selectors.document_for(pk=pk, user=request.user)
    return pdf_download(document.file, filename=f"{slugify(document.title) or 'document'}.pdf")


@secretariat_required
@require_POST
def attendance_save(request, pk):
    meeting = selectors.meeting_for(pk=pk, user=request.user)
    form = AttendanceForm(request.POST, participants=selectors.meeting_participants(meeting=meeting))
    if form.is_valid():
        try:
            services.attendance_record(meeting=meeting, users=form.users(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The attendance has been recorded."))
            return redirect(meeting)
    return _meeting_page(request, meeting, attendance_form=form, status=400)


@secretariat_required
def decision_record(request, pk):
    """Record the vote on a decision item: the proposal and one vote per organisation present."""
    item = selectors.agenda_item_for_decision(pk=pk)
    organisations = selectors.present_organisations(meeting=item.meeting)
    initial = {"proposal": _default_proposal(item)}
    form = DecisionForm(request.POST or None, organisations=organisations, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                decision = services.decision_record(
                    item=item,
                    proposal=form.cleaned_data["proposal"],
                    proposal_en=form.cleaned_data["proposal_en"],
                    votes=form.votes(),
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if decision.outcome == decision.Outcome.CARRIED:
                    messages.success(request, _("The proposal was carried. The decision has been recorded."))
                else:
                    messages.success(request, _("The proposal was not carried. The decision has been recorded."))
                return redirect(item.meeting)
        status = 400
    eligible = selectors.meeting_eligible_count(meeting=item.meeting)
    return render(
        request,
        "workgroups/decision_form.html",
        {
            "item": item,
            "meeting": item.meeting,
            "form": form,
            "eligible": eligible,
            "quorum": item.meeting.body.quorum_needed(eligible),
            "present": len(organisations),
        },
        status=status,
    )


def _default_proposal(item) -> str:
    if item.version_id:
        return _("Adopt version %(version)s of goal %(number)s (%(title)s), in force from %(date)s.") % {
            "version": item.version.number,
            "number": item.version.goal.number,
            "title": item.version.title,
            "date": date_text(item.effective_date),
        }
    if item.membership_id:
        return _("Approve the application for membership from %(organisation)s.") % {
            "organisation": item.membership.organisation.name
        }
    if item.work_plan_id:
        return _("Adopt the work plan for %(year)s.") % {"year": item.work_plan.year}
    if item.project_id:
        return _("Approve the project %(title)s, which can then start.") % {"title": item.project.title}
    return item.title


@secretariat_required
@require_POST
def minutes_save(request, pk):
    meeting = selectors.meeting_for(pk=pk, user=request.user)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_save(meeting=meeting, text=form.cleaned_data["minutes"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes have been saved."))
            return redirect(meeting)
    return _meeting_page(request, meeting, minutes_form=form, status=400)


@secretariat_required
@require_POST
def minutes_approve(request, pk):
    meeting = selectors.meeting_for(pk=pk, user=request.user)
    form = MinutesApproveForm(request.POST, earlier=selectors.minutes_awaiting_approval(meeting=meeting))
    if form.is_valid():
        try:
            services.minutes_approve(meeting=form.cleaned_data["earlier"], at=meeting, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes have been approved."))
            return redirect(meeting)
    return _meeting_page(request, meeting, approve_form=form, status=400)


@representative_required
def draft_review(request, pk):
    """A draft before the steering group decides it: redline against the version in force, memo, comments."""
    version, item = selectors.version_for_review(pk=pk, user=request.user)
    form = DraftCommentForm(request.POST or None, version=version)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.draft_comment_add(
                    version=version,
                    criterion=form.cleaned_data["criterion"],
                    text=form.cleaned_data["text"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your comment has been saved."))
                return redirect("workgroups:draft-review", pk=version.pk)
        status = 400
    review = selectors.review(version=version)
    return render(
        request,
        "workgroups/draft_review.html",
        {
            "version": version,
            "item": item,
            "form": form,
            "open_for_comments": selectors.draft_open_for_comments(version=version),
            **review,
        },
        status=status,
    )
