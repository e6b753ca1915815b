import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_etags, quote_etag
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import pagecache, ratelimit
from core.forms import ReasonForm, error_text
from members.access import public, representative_required, secretariat_required
from members.models import Organisation, private_storage

from . import opendata, pdf, redline, selectors, services
from .filters import CatalogueFilter
from .forms import (
    CompareForm,
    CriterionForm,
    EffectiveDateForm,
    EnglishVersionForm,
    GoalCreateForm,
    PlanRowForm,
    RegisterAdoptedForm,
    VersionForm,
)
from .models import GoalVersion, ImplementationPlanRow

PAGE_SIZE = 25


# --- public catalogue ------------------------------------------------------------------


@public
@pagecache.anonymous_page("catalogue", params=(*CatalogueFilter.base_filters, "page"))
def catalogue(request):
    catalogue_filter, versions = selectors.catalogue(params=request.GET or None)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "goals/_catalogue_results.html" if request.htmx else "goals/catalogue.html"
    return render(request, template, {"filter": catalogue_filter, "page": page, "query": query.urlencode()})


def _canonical(request, goal, slug):
    if slug != goal.slug:
        return redirect(request.path.replace(f"/{goal.number}-{slug}/", f"/{goal.number}-{goal.slug}/", 1))
    return None


@public
def goal_detail(request, number, slug):
    goal = selectors.goal_get(number=number)
    history = selectors.version_history(goal=goal, user=request.user)
    public_versions = [v for v in history if v.is_public]
    # Visibility first: a goal never published gives nothing away, not even its slug.
    if not public_versions:
        raise Http404
    if (response := _canonical(request, goal, slug)) is not None:
        return response
    version = selectors.version_in_force(goal=goal) or selectors.version_get(
        goal=goal, number=public_versions[0].number
    )
    return _version_page(request, goal, version, history)


@public
def version_detail(request, number, slug, version):
    goal = selectors.goal_get(number=number)
    found = selectors.version_get(goal=goal, number=version, user=request.user)
    if (response := _canonical(request, goal, slug)) is not None:
        return response
    return _version_page(request, goal, found, selectors.version_history(goal=goal, user=request.user))


def _version_page(request, goal, version, history):
    version.goal = goal
    previous = next((v for v in history if v.number < version.number and v.is_public), None)
    # An adopted version that is not yet in force is announced on the version in force, with its redline.
    coming = next((v for v in history if v.status == GoalVersion.Status.ADOPTED and v.number > version.number), None)
    groups = selectors.criteria_by_kind(version)
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "version": version,
            "groups": groups,
            "untranslated": selectors.translation_incomplete(version, groups),
            "history": history,
            "previous": previous,
            "coming": coming,
            "can_edit": selectors.can_edit_goals(request.user),
            "cpv_codes": goal.product_area.cpv_codes.all(),
        },
    )


@public
def version_print(request, number, slug, version):
    goal = selectors.goal_get(number=number)
    found = selectors.version_get(goal=goal, number=version, user=request.user)
    groups = selectors.criteria_by_kind(found)
    return render(
        request,
        "goals/version_print.html",
        {
            "goal": goal,
            "version": found,
            "groups": groups,
            "untranslated": selectors.translation_incomplete(found, groups),
        },
    )


# A draft's PDF is rendered on every request (it changes while it is edited): a few a minute per person.
DRAFT_PDFS_PER_MINUTE = 10


@public
def version_pdf(request, number, slug, version):
    """A public version's stored PDF (rendered once), or a draft's, rendered for its editor within a rate limit."""
    goal = selectors.goal_get(number=number)
    found = selectors.version_get(goal=goal, number=version, user=request.user)
    if found.is_public:
        name = services.goal_version_pdf_stored(version=found, language=get_language())
        with private_storage().open(name, "rb") as stored:
            content = stored.read()
        cache_control = "public, max-age=3600"
    else:
        if ratelimit.exceeded(request, "draft-pdf", limit=DRAFT_PDFS_PER_MINUTE):
            return ratelimit.too_many_requests()
        content = pdf.version_pdf_render(
            request=request, goal=goal, version=found, groups=selectors.criteria_by_kind(found)
        )
        cache_control = "private, no-store"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="indkoebsmaal-{goal.number}-{goal.slug}-v{found.number}.pdf"'
    )
    response["Cache-Control"] = cache_control
    return response


@public
def compare(request, number, slug):
    goal = selectors.goal_get(number=number)
    history = selectors.version_history(goal=goal, user=request.user)
    if not history:
        raise Http404
    if (response := _canonical(request, goal, slug)) is not None:
        return response
    if len(history) < 2:
        return render(request, "goals/compare.html", {"goal": goal, "form": None, "result": None})
    in_force = next((v for v in history if v.status == GoalVersion.Status.PUBLISHED), history[0])
    older = next((v for v in history if v.number < in_force.number), history[-1])
    initial = {"from_version": older.number, "to_version": in_force.number}
    form = CompareForm(request.GET or None, versions=history, initial=initial)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else initial
    old = selectors.version_get(goal=goal, number=chosen["from_version"], user=request.user)
    new = selectors.version_get(goal=goal, number=chosen["to_version"], user=request.user)
    result = redline.compare(old, new, list(old.criteria.all()), list(new.criteria.all()))
    if not form.is_bound:
        form = CompareForm(versions=history, initial=initial)
    return render(request, "goals/compare.html", {"goal": goal, "form": form, "old": old, "new": new, "result": result})


# --- open data ----------------------------------------------------------------------------


def _open_data(request, build, content_type: str, name: str, language: str | None = None):
    """An open-data file with Last-Modified and ETag; 304 when the client is up to date.

    The file is cached under its ETag (which changes with every publication,
    supersession, withdrawal or translation, and differs per file and per language),
    so it is built once per change of the catalogue.
    """
    last_modified, count = selectors.open_data_last_modified()
    host = request.get_host()
    stamp = (
        f"{last_modified.isoformat() if last_modified else '-'}:{count}:{opendata.generation()}"
        f":{name}:{language or '-'}:{host}"
    )
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:32]
    etag = quote_etag(digest)
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in wanted or "*" in wanted:
        response = HttpResponse(status=304)
    else:
        key = f"open-data:{digest}"
        content = cache.get(key)
        if content is None:
            content = build(request=request) if language is None else build(request=request, language=language)
            cache.set(key, content, timeout=24 * 60 * 60)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{name}"'
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


OPEN_DATA_UNKNOWN_LANGUAGE = (
    "Ukendt sprog. Brug language=da (dansk, standard) eller language=en (engelsk).\n"
    "Unknown language. Use language=da (Danish, the default) or language=en (English).\n"
)


@public
def open_data_json(request):
    return _open_data(request, opendata.goals_json, "application/json", "goals.json")


@public
def open_data_csv(request):
    """The CSV file; ``?language=en`` for the English edition (Danish where no English is entered)."""
    language = opendata.csv_language(request.GET.get("language"))
    if language is None:  # both languages in the message: the reader's language is what is unknown
        response = HttpResponse(OPEN_DATA_UNKNOWN_LANGUAGE, status=400, content_type="text/plain; charset=utf-8")
        response["Access-Control-Allow-Origin"] = "*"
        return response
    name = "goals.csv" if language == opendata.CONTENT_LANGUAGE else f"goals-{language}.csv"
    return _open_data(request, opendata.goals_csv, "text/csv; charset=utf-8", name, language)


# --- secretariat: goals and drafts ----------------------------------------------------------------


@secretariat_required
def manage_list(request):
    return render(request, "goals/manage_list.html", {"goals": selectors.manage_goals(), "form": GoalCreateForm()})


@secretariat_required
def manage_create(request):
    form = GoalCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.goal_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Goal %(number)s has been created as a draft.") % {"number": version.goal.number}
            )
            return redirect("goals:manage-version", pk=version.pk)
    return render(request, "goals/manage_create.html", {"form": form})


@secretariat_required
@require_POST
def manage_draft_start(request, number):
    goal = selectors.goal_get(number=number)
    try:
        draft = services.goal_version_draft_start(goal=goal, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("goals:manage-list")
    messages.success(request, _("Version %(number)s has been started as a draft.") % {"number": draft.number})
    return redirect("goals:manage-version", pk=draft.pk)


@representative_required
def manage_version(request, pk):
    version = selectors.version_for_editing(pk=pk, user=request.user)
    form = VersionForm(request.POST or None, instance=version) if version.is_editable else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Only a draft can be edited."))
        elif form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.goal_version_update(
                    version=version,
                    by=request.user,
                    ecolabels=data.pop("ecolabels"),
                    sdg_targets=data.pop("sdg_targets"),
                    **data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The draft has been saved."))
                return redirect("goals:manage-version", pk=version.pk)
    return _draft_page(request, version, form=form)


def _offered(name, spec, version, process) -> bool:
    """Whether the version's page offers a step: the services refuse the others with their reason anyway."""
    if version.status not in spec["allowed"]:
        return False
    hearing_open = any(h is not None and h.is_open for h in (process["internal"], process["industry"]))
    if name in ("return", "withdraw") and (hearing_open or process["pending_item"] is not None):
        return False
    return not (name == "register" and (process["internal"] or process["industry"]))


def _draft_page(request, version, *, form=None, criterion_form=None):
    """The draft page; a criterion form with the editor's input and errors is shown again, never lost."""
    process = selectors.version_process(version=version)
    if criterion_form is None and version.is_editable:
        criterion_form = CriterionForm(prefix="criterion")
    return render(
        request,
        "goals/manage_version.html",
        {
            "version": version,
            "goal": version.goal,
            "form": form,
            "criterion_form": criterion_form,
            "audit_trail": selectors.version_audit_trail(version=version),
            "is_secretariat": selectors.can_edit_goals(request.user),
            "process": process,
            "actions": [(name, spec) for name, spec in ACTIONS.items() if _offered(name, spec, version, process)],
            "publish_due": version.status == GoalVersion.Status.ADOPTED
            and version.effective_date is not None
            and version.effective_date <= timezone.localdate(),
        },
    )


def _criteria_response(request, version_pk):
    """After a criterion change: the criteria list for htmx, the whole page otherwise."""
    if request.htmx:
        version = selectors.version_for_editing(pk=version_pk, user=request.user)
        return render(
            request,
            "goals/_criteria_editor.html",
            {"version": version, "criterion_form": CriterionForm(prefix="criterion")},
        )
    return redirect(reverse("goals:manage-version", kwargs={"pk": version_pk}) + "#criteria")


@representative_required
@require_POST
def manage_criterion_add(request, pk):
    version = selectors.version_for_editing(pk=pk, user=request.user)
    form = CriterionForm(request.POST, prefix="criterion")
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.criterion_add(version=version, by=request.user, ecolabels=data.pop("ecolabels"), **data)
        except ValidationError as exc:
            if not version.is_editable:
                # Not a draft: there is no form on the page to return to, only the reason.
                messages.error(request, error_text(exc))
                return _criteria_response(request, pk)
            form.add_error(None, exc)
        else:
            messages.success(request, _("The criterion has been added."))
            return _criteria_response(request, pk)
    # Invalid or refused: the form comes back with the editor's text and the errors (200, so htmx swaps it in).
    if request.htmx:
        return render(request, "goals/_criteria_editor.html", {"version": version, "criterion_form": form})
    return _draft_page(request, version, form=VersionForm(instance=version), criterion_form=form)


@representative_required
def manage_criterion_edit(request, pk):
    criterion = selectors.criterion_for_editing(pk=pk, user=request.user)
    form = CriterionForm(
        request.POST or None, instance=criterion, prefix=f"c{criterion.pk}", initial={"number": criterion.number}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.criterion_update(
                criterion=criterion,
                by=request.user,
                ecolabels=data.pop("ecolabels"),
                number=data.pop("number") or None,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Criterion %(number)s has been saved.") % {"number": criterion.number})
            return _criteria_response(request, criterion.version_id)
    return render(
        request, "goals/manage_criterion.html", {"criterion": criterion, "form": form, "version": criterion.version}
    )


@representative_required
@require_POST
def manage_criterion_delete(request, pk):
    criterion = selectors.criterion_for_editing(pk=pk, user=request.user)
    try:
        services.criterion_delete(criterion=criterion, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Criterion %(number)s has been deleted.") % {"number": criterion.number})
    return _criteria_response(request, criterion.version_id)


@representative_required
@require_POST
def manage_criterion_move(request, pk):
    criterion = selectors.criterion_for_editing(pk=pk, user=request.user)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.criterion_move(criterion=criterion, by=request.user, offset=offset)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _criteria_response(request, criterion.version_id)


@representative_required
@require_POST
def manage_renumber(request, pk):
    version = selectors.version_for_editing(pk=pk, user=request.user)
    try:
        services.criteria_renumber(version=version, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The criteria have been renumbered in their order."))
    return _criteria_response(request, pk)


# The secretariat's steps on a version that are not the steering group's decision. Each is one service with a
# confirmation page and a reason; the hearings and the agenda are on the working group's and the meeting's pages.
ACTIONS = {
    "return": {
        "service": "goal_version_return_to_draft",
        "form": ReasonForm,
        "allowed": (
            GoalVersion.Status.INTERNAL_HEARING,
            GoalVersion.Status.INDUSTRY_HEARING,
            GoalVersion.Status.SUBMITTED,
        ),
        "title": gettext_lazy("Send the version back to the working group"),
        "explain": gettext_lazy(
            "The version becomes a draft again so the working group can change it. Its hearings stay on record; "
            "it goes on with the next hearing it has not had, or to the steering group."
        ),
        "button": gettext_lazy("Send back to draft"),
        "done": gettext_lazy("The version is a draft again."),
    },
    "withdraw": {
        "service": "goal_version_withdraw",
        "form": ReasonForm,
        "allowed": tuple(s for s in GoalVersion.Status.values if s not in ("superseded", "withdrawn")),
        "title": gettext_lazy("Withdraw the version"),
        "explain": gettext_lazy(
            "A withdrawn version cannot be taken up again. A withdrawn version in force leaves the goal without one."
        ),
        "button": gettext_lazy("Withdraw the version"),
        "done": gettext_lazy("The version has been withdrawn."),
    },
    "register": {
        "service": "goal_version_register_adopted",
        "form": RegisterAdoptedForm,
        "allowed": (GoalVersion.Status.DRAFT, GoalVersion.Status.INTERNAL_HEARING, GoalVersion.Status.INDUSTRY_HEARING),
        "title": gettext_lazy("Register an adoption from the records"),
        "explain": gettext_lazy(
            "Only for a version the steering group adopted outside the portal, for example before the portal "
            "existed. A draft before the steering group now is adopted by the decision recorded at its meeting. "
            "The version's page and history show the adoption as registered by you, with where it is recorded."
        ),
        "button": gettext_lazy("Register the adoption"),
        "done": gettext_lazy("The adoption has been registered."),
    },
    "date": {
        "service": "goal_version_effective_date_change",
        "form": EffectiveDateForm,
        "allowed": (GoalVersion.Status.ADOPTED,),
        "title": gettext_lazy("Change the date the version comes into force"),
        "explain": gettext_lazy(
            "A correction of the date needs no new decision; the change and its reason are kept in the history. "
            "A date that has come puts the version in force at once."
        ),
        "button": gettext_lazy("Change the date"),
        "done": gettext_lazy("The date has been changed."),
    },
}


@secretariat_required
def manage_action(request, pk, action):
    """A confirmation page with the reason, then the one service that makes the step."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    version = selectors.version_for_editing(pk=pk, user=request.user)
    if version.status not in spec["allowed"]:
        messages.error(
            request,
            _("This step is not possible for a version that is %(status)s.")
            % {"status": str(version.get_status_display()).lower()},
        )
        return redirect("goals:manage-version", pk=pk)
    initial = {"effective_date": version.effective_date} if action == "date" else None
    form = spec["form"](request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            result = getattr(services, spec["service"])(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, spec["done"])
            if result.status == GoalVersion.Status.PUBLISHED:
                messages.success(request, _("Version %(number)s is now in force.") % {"number": result.number})
            return redirect("goals:manage-version", pk=pk)
    return render(
        request,
        "goals/manage_action.html",
        {"version": version, "goal": version.goal, "form": form, "action": action, "spec": spec},
    )


@secretariat_required
def manage_english(request, pk):
    """The English version of a goal version's text, written beside the Danish, in any status."""
    version = selectors.version_for_editing(pk=pk, user=request.user)
    criteria = list(version.criteria.all())
    form = EnglishVersionForm(request.POST or None, version=version, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_version_english_update(version=version, by=request.user, **form.service_arguments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The English version has been saved."))
            return redirect("goals:manage-english", pk=version.pk)
    return render(
        request,
        "goals/manage_english.html",
        {
            "version": version,
            "goal": version.goal,
            "form": form,
            "missing": version.translation_missing() + [n for c in criteria for n in c.translation_missing()],
        },
    )


@secretariat_required
@require_POST
def manage_publish(request, pk):
    version = selectors.version_for_editing(pk=pk, user=request.user)
    try:
        services.goal_version_publish(version=version, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("goals:manage-version", pk=pk)
    messages.success(request, _("Version %(number)s is now in force.") % {"number": version.number})
    return redirect(version.goal.get_absolute_url())


# --- implementation plans ---------------------------------------------------------------------


@secretariat_required
def plans_overview(request):
    return render(request, "goals/plans_overview.html", {"plans": selectors.plans_overview()})


@representative_required
def plan_detail(request, slug):
    organisation, plan, rows = selectors.plan_for_user(user=request.user, slug=slug)
    return _plan_page(request, organisation, plan, rows)


def _plan_page(request, organisation, plan, rows, *, bound=None):
    """The plan with a form per row; `bound` is a row's submitted form, shown again with its errors."""
    today = timezone.localdate()
    forms_by_row = [
        (
            row,
            bound
            if bound is not None and bound.instance.pk == row.pk
            else PlanRowForm(instance=row, prefix=f"row{row.pk}"),
            bool(row.expected_by and row.expected_by < today and row.status != ImplementationPlanRow.Status.MET),
        )
        for row in rows
    ]
    return render(
        request,
        "goals/plan_detail.html",
        {
            "organisation": organisation,
            "plan": plan,
            "rows": forms_by_row,
            "can_create": selectors.can_edit_goals(request.user),
        },
    )


@representative_required
@require_POST
def plan_row_update(request, slug, pk):
    organisation, plan, rows = selectors.plan_for_user(user=request.user, slug=slug)
    row = next((r for r in rows if r.pk == pk), None)
    if row is None:
        raise Http404
    form = PlanRowForm(request.POST, instance=row, prefix=f"row{row.pk}")
    if form.is_valid():
        try:
            services.implementation_plan_row_update(row=row, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Goal %(number)s in the plan has been saved.") % {"number": row.goal_version.goal.number}
            )
            return redirect("goals:plan-detail", slug=organisation.slug)
    # Not saved: the row is shown again with what the representative wrote and why it was refused.
    # The rows are read again, because validating the form already copied the input onto this row.
    _organisation, _plan, stored_rows = selectors.plan_for_user(user=request.user, slug=slug)
    return _plan_page(request, organisation, plan, stored_rows, bound=form)


@secretariat_required
@require_POST
def plan_create(request, slug):
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    try:
        services.implementation_plan_create(organisation=organisation, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The implementation plan has been made."))
    return redirect("goals:plan-detail", slug=slug)
