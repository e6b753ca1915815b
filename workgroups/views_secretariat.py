"""The secretariat's desk for the revision cycle: work plans, working groups, hearings and the hearing memo.

Views parse input, call a service and render; a refused input comes back with
what was typed and the reason (never a 500).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import ReasonForm, error_text
from core.security_log import Event, security_event_record
from core.uploads import pdf_download
from members.access import secretariat_required

from . import pdf, selectors, services
from .forms_secretariat import (
    EmailResponseForm,
    HearingCloseForm,
    HearingOpenForm,
    MemberAddForm,
    MilestoneDoneForm,
    MilestoneForm,
    ResponseAnswerForm,
    ResponseDismissForm,
    WorkingGroupCreateForm,
    WorkingGroupForm,
    WorkPlanForm,
    WorkPlanItemForm,
    share_choices,
)
from .models import Hearing, HearingResponse, WorkingGroup, WorkPlanItem

# --- the desk: work plans, their items and working groups ------------------------------------------


def _desk_page(request, *, plan_form=None, item_form=None, group_form=None):
    """The desk; a refused form (plan, item or group) is shown again in its place with the input and errors."""
    plans = selectors.desk_plans()
    kpi = selectors.adopted_per_year()
    rows = []
    for plan in plans:
        items = []
        for item in plan.items.all():
            group = getattr(item, "working_group", None)
            form = None
            if group is None:
                bound = group_form if group_form is not None and group_form.prefix == f"item{item.pk}" else None
                form = bound or WorkingGroupCreateForm(item=item)
            items.append({"item": item, "group": group, "form": form})
        item_forms = {}
        for kind in WorkPlanItem.Kind.values:
            bound = item_form is not None and item_form.prefix == f"plan{plan.pk}" and item_form.item_kind == kind
            item_forms[kind] = item_form if bound else WorkPlanItemForm(prefix=f"plan{plan.pk}", kind=kind)
        rows.append(
            {
                "plan": plan,
                "items": items,
                "revision_form": item_forms[WorkPlanItem.Kind.REVISION],
                "new_form": item_forms[WorkPlanItem.Kind.NEW],
            }
        )
    # One query per choice list for the whole page, however many plans and items it shows.
    share_choices([r[f] for r in rows for f in ("revision_form", "new_form")], "goal", "product_area")
    share_choices([e["form"] for r in rows for e in r["items"] if e["form"] is not None], "facilitator")
    return render(
        request,
        "workgroups/secretariat/desk.html",
        {
            "rows": rows,
            "plan_form": plan_form or WorkPlanForm(initial={"year": timezone.localdate().year}),
            "kpi": kpi,
            "kpi_now": kpi[0],
            "target": selectors.ADOPTED_PER_YEAR_TARGET,
            "hearings": selectors.open_hearings(),
            "has_errors": any(f is not None and f.errors for f in (plan_form, item_form, group_form)),
        },
    )


@secretariat_required
def desk(request):
    return _desk_page(request)


@secretariat_required
@require_POST
def plan_create(request):
    form = WorkPlanForm(request.POST)
    if form.is_valid():
        try:
            plan = services.work_plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The work plan for %(year)s has been created.") % {"year": plan.year})
            return redirect(reverse("workgroups:manage-desk") + f"#plan-{plan.year}")
    return _desk_page(request, plan_form=form)


@secretariat_required
@require_POST
def plan_item_add(request, pk):
    plan = selectors.plan_get(pk=pk)
    prefix = f"plan{plan.pk}"
    form = WorkPlanItemForm(request.POST, prefix=prefix, kind=WorkPlanItemForm.kind_of(request.POST, prefix))
    if form.is_valid():
        try:
            item = services.work_plan_item_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("“%(title)s” is on the %(year)s plan.") % {"title": item.title, "year": plan.year}
            )
            return redirect(reverse("workgroups:manage-desk") + f"#plan-{plan.year}")
    return _desk_page(request, item_form=form)


@secretariat_required
@require_POST
def group_create(request, pk):
    item = selectors.plan_item_get(pk=pk)
    form = WorkingGroupCreateForm(request.POST, item=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            group = services.working_group_create(
                item=item,
                facilitator=data["facilitator"],
                terms_of_reference=data["terms_of_reference"],
                goal_number=data.get("goal_number"),
                statement=data.get("statement", ""),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The working group “%(name)s” has been set up.") % {"name": group.name})
            return redirect("workgroups:manage-group", slug=group.slug)
    return _desk_page(request, group_form=form)


# --- one working group ------------------------------------------------------------------------------


def _group_page(
    request, group, *, group_form=None, member_form=None, milestone_form=None, done_form=None, hearing_form=None
):
    members = list(group.members.all())
    milestones = list(group.milestones.all())
    hearings = list(group.draft.hearings.all()) if group.draft else []
    for hearing in hearings:
        if hearing.kind == Hearing.Kind.INDUSTRY:
            hearing.public_url = request.build_absolute_uri(
                reverse("workgroups:hearing-public", kwargs={"token": hearing.token})
            )
    done_forms = {
        m.pk: (
            done_form if done_form is not None and done_form.prefix == f"m{m.pk}" else MilestoneDoneForm(milestone=m)
        )
        for m in milestones
        if m.done_on is None
    }
    return render(
        request,
        "workgroups/secretariat/group.html",
        {
            "group": group,
            "members": members,
            "warnings": selectors.working_group_warnings(group=group, members=members),
            "milestones": [(m, done_forms.get(m.pk)) for m in milestones],
            "hearings": hearings,
            "has_internal": any(h.kind == Hearing.Kind.INTERNAL for h in hearings),
            "group_form": group_form
            or WorkingGroupForm(
                initial={
                    "name": group.name,
                    "facilitator": group.facilitator_id,
                    "terms_of_reference": group.terms_of_reference,
                }
            ),
            "member_form": member_form or MemberAddForm(candidates=selectors.group_member_candidates(group=group)),
            "milestone_form": milestone_form or MilestoneForm(),
            "hearing_form": hearing_form or HearingOpenForm(),
            "audit_trail": selectors.group_audit_trail(group=group),
            "status_actions": [
                (name, spec)
                for name, spec in GROUP_ACTIONS.items()
                if (group.status, spec["to"]) in services.GROUP_TRANSITIONS
            ],
            "has_errors": any(
                f is not None and f.errors for f in (group_form, member_form, milestone_form, done_form, hearing_form)
            ),
        },
    )


@secretariat_required
def group_manage(request, slug):
    group = selectors.group_for_secretariat(slug=slug)
    form = None
    if request.method == "POST":
        form = WorkingGroupForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("terms_pdf")
            try:
                services.working_group_update(group=group, by=request.user, **data)
                if upload is not None:
                    services.working_group_terms_pdf_set(group=group, upload=upload, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The working group has been saved."))
                return redirect("workgroups:manage-group", slug=group.slug)
        # Validating copied nothing onto the group, but a refused service may have: read it again.
        group = selectors.group_for_secretariat(slug=slug)
    return _group_page(request, group, group_form=form)


@secretariat_required
def group_terms_pdf(request, slug):
    group = selectors.group_for_secretariat(slug=slug)
    if not group.terms_pdf:
        raise Http404
    return pdf_download(group.terms_pdf, filename=f"kommissorium-{group.slug}.pdf")


@secretariat_required
@require_POST
def member_add(request, slug):
    group = selectors.group_for_secretariat(slug=slug)
    form = MemberAddForm(request.POST, candidates=selectors.group_member_candidates(group=group))
    if form.is_valid():
        rep = form.cleaned_data["representative"]
        try:
            services.working_group_member_add(
                group=group, user=rep.user, is_chair=form.cleaned_data["is_chair"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(who)s (%(org)s) has joined the working group.")
                % {"who": rep.user.name or rep.user.email, "org": rep.organisation.name},
            )
            return redirect(reverse("workgroups:manage-group", kwargs={"slug": group.slug}) + "#members")
    return _group_page(request, group, member_form=form)


@secretariat_required
@require_POST
def member_remove(request, slug, pk):
    group = selectors.group_for_secretariat(slug=slug)
    member = selectors.group_member_get(group=group, pk=pk)
    try:
        services.working_group_member_remove(member=member, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("%(who)s has left the working group.") % {"who": member.user.name or member.user.email}
        )
    return redirect(reverse("workgroups:manage-group", kwargs={"slug": group.slug}) + "#members")


@secretariat_required
@require_POST
def milestone_add(request, slug):
    group = selectors.group_for_secretariat(slug=slug)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The milestone has been added."))
            return redirect(reverse("workgroups:manage-group", kwargs={"slug": group.slug}) + "#milestones")
    return _group_page(request, group, milestone_form=form)


@secretariat_required
@require_POST
def milestone_done(request, slug, pk):
    group = selectors.group_for_secretariat(slug=slug)
    milestone = selectors.group_milestone_get(group=group, pk=pk)
    form = MilestoneDoneForm(request.POST, milestone=milestone)
    if form.is_valid():
        try:
            services.milestone_done(milestone=milestone, on=form.cleaned_data["done_on"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(title)s” is marked as done.") % {"title": milestone.title})
            return redirect(reverse("workgroups:manage-group", kwargs={"slug": group.slug}) + "#milestones")
    return _group_page(request, selectors.group_for_secretariat(slug=slug), done_form=form)


@secretariat_required
@require_POST
def hearing_open(request, slug):
    group = selectors.group_for_secretariat(slug=slug)
    form = HearingOpenForm(request.POST)
    if form.is_valid():
        try:
            if group.draft is None:
                raise ValidationError(_("The working group has no draft to send to hearing."))
            hearing = services.hearing_open(version=group.draft, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if hearing.kind == Hearing.Kind.INTERNAL:
                messages.success(
                    request, _("The internal hearing is open. The member representatives are told by email.")
                )
            else:
                messages.success(request, _("The industry hearing is open. Share its public link with respondents."))
            return redirect(reverse("workgroups:manage-group", kwargs={"slug": group.slug}) + "#hearings")
    return _group_page(request, selectors.group_for_secretariat(slug=slug), hearing_form=form)


# --- one hearing ------------------------------------------------------------------------------------


def _hearing_page(request, hearing, responses, *, answer_form=None, email_form=None, dismiss_form=None):
    def bound_or_new(form, cls, r, prefix):
        return form if form is not None and form.prefix == f"{prefix}{r.pk}" else cls(response=r)

    rows = [
        (
            r,
            bound_or_new(answer_form, ResponseAnswerForm, r, "r"),
            bound_or_new(dismiss_form, ResponseDismissForm, r, "d")
            if hearing.kind == Hearing.Kind.INDUSTRY and not r.dismissed
            else None,
        )
        for r in responses
    ]
    public_url = None
    if hearing.kind == Hearing.Kind.INDUSTRY:
        public_url = request.build_absolute_uri(reverse("workgroups:hearing-public", kwargs={"token": hearing.token}))
    notices = selectors.hearing_notices(hearing=hearing) if hearing.kind == Hearing.Kind.INTERNAL else []
    kept = [r for r in responses if not r.dismissed]
    return render(
        request,
        "workgroups/secretariat/hearing.html",
        {
            "hearing": hearing,
            "group": selectors.group_drafting(version=hearing.version),
            "rows": rows,
            "kept_count": len(kept),
            "left_out_count": len(responses) - len(kept),
            "unanswered": sum(1 for r in kept if not r.answer),
            "notices": notices,
            "no_recipient_count": sum(1 for n in notices if n.status == n.Status.NO_RECIPIENT),
            "sent_count": sum(1 for n in notices if n.status == n.Status.SENT),
            "email_form": email_form or EmailResponseForm(hearing=hearing),
            "public_url": public_url,
            "has_errors": any(f is not None and f.errors for f in (answer_form, email_form, dismiss_form)),
        },
    )


@secretariat_required
def hearing_manage(request, pk):
    hearing, responses = selectors.hearing_for_secretariat(pk=pk)
    return _hearing_page(request, hearing, responses)


@secretariat_required
def hearing_close(request, pk):
    """Close a hearing. Before its deadline a confirmation page asks why; after it, the button closes it at once."""
    hearing, _responses = selectors.hearing_for_secretariat(pk=pk)
    if hearing.closed_at is not None and request.method == "POST":
        messages.info(request, _("The hearing is already closed."))
        return redirect("workgroups:manage-hearing", pk=hearing.pk)
    early = hearing.closed_at is None and hearing.closes_at > timezone.now()
    form = HearingCloseForm(request.POST if request.method == "POST" else None, early=early)
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_close(hearing=hearing, by=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as exc:
            form.add_error("reason" if early else None, exc)
        else:
            messages.success(request, _("The hearing is closed."))
            return redirect("workgroups:manage-hearing", pk=hearing.pk)
    return render(
        request,
        "workgroups/secretariat/hearing_close.html",
        {"hearing": hearing, "form": form, "early": early, "group": selectors.group_drafting(version=hearing.version)},
    )


@secretariat_required
@require_POST
def hearing_register(request, pk):
    """A response that reached the secretariat by email, registered on the respondent's behalf."""
    hearing, _responses = selectors.hearing_for_secretariat(pk=pk)
    form = EmailResponseForm(request.POST, hearing=hearing)
    if form.is_valid():
        try:
            services.hearing_respond(
                hearing=hearing, user=request.user, channel=HearingResponse.Channel.EMAIL, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The response received by email has been registered."))
            return redirect("workgroups:manage-hearing", pk=hearing.pk)
    return _hearing_page(request, *selectors.hearing_for_secretariat(pk=hearing.pk), email_form=form)


@secretariat_required
@require_POST
def response_answer(request, pk):
    response = selectors.response_get(pk=pk)
    form = ResponseAnswerForm(request.POST, response=response)
    if form.is_valid():
        try:
            services.hearing_response_answer(response=response, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The answer to %(org)s has been saved.") % {"org": response.respondent_organisation}
            )
            return redirect(
                reverse("workgroups:manage-hearing", kwargs={"pk": response.hearing_id}) + f"#r{response.pk}"
            )
    return _hearing_page(request, *selectors.hearing_for_secretariat(pk=response.hearing_id), answer_form=form)


@secretariat_required
@require_POST
def response_dismiss(request, pk):
    """Leave an industry response out of the memo as spam or irrelevant (kept, and reversible)."""
    response = selectors.response_get(pk=pk)
    form = ResponseDismissForm(request.POST, response=response)
    if form.is_valid():
        try:
            response = services.hearing_response_dismiss(
                response=response, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The response from %(org)s is left out of the memo as “%(reason)s”.")
                % {"org": response.respondent_organisation, "reason": response.get_dismissed_display()},
            )
            return redirect(
                reverse("workgroups:manage-hearing", kwargs={"pk": response.hearing_id}) + f"#r{response.pk}"
            )
    return _hearing_page(request, *selectors.hearing_for_secretariat(pk=response.hearing_id), dismiss_form=form)


@secretariat_required
@require_POST
def response_restore(request, pk):
    response = selectors.response_get(pk=pk)
    try:
        services.hearing_response_restore(response=response, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("The response from %(org)s is back in the memo.") % {"org": response.respondent_organisation}
        )
    return redirect(reverse("workgroups:manage-hearing", kwargs={"pk": response.hearing_id}) + f"#r{response.pk}")


# --- the hearing memo -------------------------------------------------------------------------------


def _memo_context(version):
    return {"version": version, "goal": version.goal, **selectors.memo_report(version=version)}


@secretariat_required
def memo(request, version_pk):
    version = selectors.memo_version(pk=version_pk)
    context = _memo_context(version)
    context["group"] = selectors.group_drafting(version=version)
    return render(request, "workgroups/secretariat/memo.html", context)


@secretariat_required
def memo_pdf(request, version_pk):
    version = selectors.memo_version(pk=version_pk)
    content = pdf.memo_pdf_render(request=request, **_memo_context(version))
    # The memo names the respondents of the hearing.
    security_event_record(
        event=Event.PERSONAL_DATA_EXPORT, request=request, details={"what": "hearing_memo", "version": version.pk}
    )
    response = HttpResponse(content, content_type="application/pdf")
    # The goal's slug is already plain ASCII (æ, ø, å spelled out), safe in every browser's download name.
    response["Content-Disposition"] = (
        f'attachment; filename="hoeringsnotat-maal-{version.goal.number}-{version.goal.slug}-v{version.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


GROUP_ACTIONS = {
    "start": {
        "to": WorkingGroup.Status.ACTIVE,
        "service": "working_group_start",
        "title": gettext_lazy("Start the group's work"),
        "explain": gettext_lazy("The group is working: it needs a chair among its members."),
    },
    "complete": {
        "to": WorkingGroup.Status.COMPLETED,
        "service": "working_group_complete",
        "title": gettext_lazy("Mark the group as completed"),
        "explain": gettext_lazy("The group has finished when the steering group has adopted its draft."),
    },
    "cancel": {
        "to": WorkingGroup.Status.CANCELLED,
        "service": "working_group_cancel",
        "title": gettext_lazy("Cancel the group"),
        "explain": gettext_lazy(
            "The group stops before it has finished. Its draft is left as it is; withdraw it on the goal's page "
            "if it will not be taken up again. A cancelled group cannot be started again."
        ),
    },
}


@secretariat_required
def group_status(request, slug, action):
    """A confirmation page, then the one service that makes the group's status change."""
    spec = GROUP_ACTIONS.get(action)
    if spec is None:
        raise Http404
    group = selectors.group_for_secretariat(slug=slug)
    form = ReasonForm(request.POST if request.method == "POST" else None) if action == "cancel" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        fields = dict(form.cleaned_data) if form is not None else {}
        try:
            getattr(services, spec["service"])(group=group, by=request.user, **fields)
        except ValidationError as exc:
            if form is None:
                messages.error(request, error_text(exc))
                return redirect("workgroups:manage-group", slug=slug)
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The group is now: %(status)s.") % {"status": WorkingGroup.Status(spec["to"]).label}
            )
            return redirect("workgroups:manage-group", slug=slug)
    return render(
        request,
        "workgroups/secretariat/group_status.html",
        {
            "group": group,
            "spec": spec,
            "form": form,
            "action": action,
            "warnings": selectors.working_group_warnings(group=group) if action == "start" else [],
        },
    )
