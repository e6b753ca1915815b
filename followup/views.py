from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.formats import whole_number
from core.forms import add_service_error, error_text
from core.security_log import Event, security_event_record
from members.access import SECRETARIAT, login_required, representative_required, roles_of, secretariat_required

from . import pdf, selectors, services, spreadsheet
from .forms import (
    GoalSectionForm,
    ImportForm,
    OrganisationSectionForm,
    ReopenForm,
    RoundCloseForm,
    RoundForm,
    RoundOpenForm,
    RoundReopenForm,
    SubmitForm,
)
from .models import Response, Round

PAGE_SIZE = 25  # responses per page of the round overview (filters and search narrow it further)
# The questionnaire warns this long before the session ends, and saves a changed draft this long before.
SESSION_WARNING_SECONDS = 5 * 60
SESSION_AUTOSAVE_SECONDS = 60


def _keep_session(request) -> int:
    """Mark the session as used, so it lasts its full age from now; return that age in seconds."""
    request.session["followup_active"] = True
    request.session.modified = True
    return request.session.get_expiry_age()


# --- the member's questionnaire ---------------------------------------------------------------------------


@login_required
def home(request):
    """The signed-in person's follow-up: their organisation's responses, this year's and earlier years'."""
    return render(
        request,
        "followup/home.html",
        {
            "responses": selectors.responses_for_user(user=request.user),
            "is_secretariat": SECRETARIAT in roles_of(request.user),
        },
    )


@representative_required
def response_detail(request, pk):
    """The task list: each section and whether it is done."""
    response = selectors.response_for_user(user=request.user, pk=pk)
    tasks = selectors.task_list(response=response)
    context = {"response": response, "tasks": tasks, "round": response.round}
    if SECRETARIAT in roles_of(request.user):
        context["reopen_form"] = ReopenForm()
        context["history"] = selectors.response_audit_trail(response=response)
    return render(request, "followup/response_detail.html", context)


def _section_saved(request, response, next_url):
    messages.success(request, _("Your answers have been saved as a draft."))
    if "continue" in request.POST:
        return redirect(next_url)
    return redirect(request.path)


def _next_section(response, number=None, numbers=None):
    numbers = numbers if numbers is not None else selectors.round_goal_numbers(round=response.round)
    following = numbers[numbers.index(number) + 1 :] if number in numbers else numbers
    if following:
        return f"{response.get_absolute_url()}goals/{following[0]}/"
    return f"{response.get_absolute_url()}check/"


def _section(request, response, form_class, initial, save, template_context, next_url, hints):
    """A questionnaire section; ``initial`` and ``hints`` are callables, read only when the form is shown."""
    conflict = None
    status = 200
    session_seconds = _keep_session(request)
    if request.method == "POST" and response.is_editable:
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(form)
            except services.ResponseConflict as exc:
                conflict = exc
                data = request.POST.copy()
                data["version"] = exc.version
                form = form_class(data, hints=hints())
                form.is_valid()
                status = 409
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return _section_saved(request, response, next_url)
        for name, hint in hints().items():
            form.hint(name, hint)
    elif request.method == "POST":
        messages.error(request, _("The response can no longer be changed."))
        return redirect(response.get_absolute_url())
    else:
        form = form_class(initial=initial(), hints=hints())
    if not response.is_editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "followup/response_section.html",
        {
            "response": response,
            "round": response.round,
            "form": form,
            "conflict": conflict,
            "session_seconds": session_seconds,
            "session_warning_seconds": SESSION_WARNING_SECONDS,
            "session_autosave_seconds": SESSION_AUTOSAVE_SECONDS,
            "next_url": next_url,
            **template_context,
        },
        status=status,
    )


@representative_required
def response_organisation(request, pk):
    response = selectors.response_for_user(user=request.user, pk=pk)

    def hints():
        previous = selectors.previous_response(response=response)
        if previous is not None and previous.total_volume_dkk is not None:
            return {"total_volume_dkk": whole_number(previous.total_volume_dkk)}
        return {}

    def save(form):
        services.response_organisation_save(
            response=response, by=request.user, expected_version=form.cleaned_data["version"], data=form.answers()
        )

    return _section(
        request,
        response,
        OrganisationSectionForm,
        lambda: OrganisationSectionForm.initial_from(response),
        save,
        {"title": _("About your organisation"), "section": "organisation"},
        _next_section(response),
        hints,
    )


@representative_required
def response_goal(request, pk, number):
    response = selectors.response_for_user(user=request.user, pk=pk)
    version = selectors.round_goal_version(round=response.round, number=number)

    def hints():
        previous = selectors.previous_goal_answer(response=response, version=version)
        if previous is None:
            return {}
        return {
            "tenders_completed": previous.tenders_completed,
            "tenders_with_criteria": previous.tenders_with_criteria,
            "volume_dkk": whole_number(previous.volume_dkk) if previous.volume_dkk is not None else None,
            "status": previous.get_status_display() if previous.status else None,
        }

    def save(form):
        services.response_goal_save(
            response=response,
            goal_version=version,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            data=form.answers(),
            checked_in_round=True,
        )

    return _section(
        request,
        response,
        GoalSectionForm,
        lambda: GoalSectionForm.initial_from(response.answers.filter(goal_version=version).first()),
        save,
        {
            # The page's <title>; the heading marks a Danish title with its language (response_section.html).
            "title": _("Goal %(number)s: %(title)s") % {"number": version.goal.number, "title": version.tr.title},
            "version": version,
            "section": str(number),
        },
        # Read only when shown or followed: a plain save needs no list of sections.
        lazy(_next_section, str)(response, number),
        hints,
    )


@representative_required
def response_check(request, pk):
    """The summary of every answer, then submit."""
    response = selectors.response_for_user(user=request.user, pk=pk)
    form = SubmitForm(request.POST or None, initial={"version": response.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(response=response, by=request.user, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            # Show the answers as they are now; the form carries their version, so a second submit is deliberate.
            response = selectors.response_for_user(user=request.user, pk=pk)
            form = SubmitForm(request.POST.dict() | {"version": response.version})
            form.is_valid()
            add_service_error(form, exc)
        else:
            return redirect("followup:response-receipt", pk=response.pk)
    context = selectors.response_summary(response=response)
    context.update({"form": form, "session_seconds": _keep_session(request)})
    return render(request, "followup/response_check.html", context)


@representative_required
def response_receipt(request, pk):
    response = selectors.response_for_user(user=request.user, pk=pk)
    if response.status != Response.Status.SUBMITTED:
        return redirect(response.get_absolute_url())
    return render(request, "followup/response_receipt.html", {"response": response, "round": response.round})


@representative_required
def response_pdf(request, pk):
    response = selectors.response_for_user(user=request.user, pk=pk)
    content = pdf.response_pdf_render(response=response)
    reply = HttpResponse(content, content_type="application/pdf")
    filename = f"pogi-opfoelgning-{response.round.year}-{response.organisation.slug}.pdf"
    security_event_record(
        event=Event.PERSONAL_DATA_EXPORT, request=request, details={"what": "response_pdf", "response": response.pk}
    )
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply


# --- the secretariat ------------------------------------------------------------------------------------


@secretariat_required
def round_list(request):
    return render(request, "followup/round_list.html", {"rounds": selectors.rounds_list()})


@secretariat_required
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                year=data["year"],
                opens_on=data["opens_on"],
                deadline=data["deadline"],
                intro=data["intro"],
                intro_en=data["intro_en"],
                goal_versions=list(data["goal_versions"]),
                reminder_days_before=data["reminder_days_before"],
                reminder_days_after=data["reminder_days_after"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The %(year)s round has been created.") % {"year": round_.year})
            return redirect(round_.get_absolute_url())
    return render(request, "followup/round_form.html", {"form": form})


@secretariat_required
def round_edit(request, year):
    round_ = selectors.round_get(year=year)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("deadline", "intro", "intro_en", "reminder_days_before", "reminder_days_after")}
        if round_.status == Round.Status.DRAFT:
            fields["opens_on"] = data["opens_on"]
        try:
            services.round_update(
                round=round_,
                by=request.user,
                goal_versions=list(data["goal_versions"]) if round_.status == Round.Status.DRAFT else None,
                **fields,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect(round_.get_absolute_url())
    return render(request, "followup/round_form.html", {"form": form, "round": round_})


@secretariat_required
def round_detail(request, year):
    """The overview: each member's status, last saved, submitted by and when; filter, sort, remind, export."""
    round_ = selectors.round_get(year=year)
    response_filter, responses, counts = selectors.round_overview(round=round_, params=request.GET or None)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "followup/round_detail.html",
        {
            "round": round_,
            "filter": response_filter,
            "page": page,
            "counts": counts,
            "query": query.urlencode(),
            "history": selectors.round_audit_trail(round=round_) if round_.status != Round.Status.DRAFT else None,
        },
    )


def _round_confirm(request, round_, action, form, counts):
    # Opening or reopening while another round is open is refused by the service: say so before the form.
    other_open = selectors.other_open_round(round=round_) if action in ("open", "reopen") else None
    return render(
        request,
        "followup/round_confirm.html",
        {"round": round_, "action": action, "form": form, "other_open": other_open, **counts},
    )


def _confirm_missing(request, form) -> None:
    if "confirm" in form.errors:
        messages.error(request, _("Nothing has been changed: tick the box to confirm."))


@secretariat_required
def round_open(request, year):
    """Open the round after a page that says how many members are invited; the POST must confirm."""
    round_ = selectors.round_get(year=year)
    if round_.status != Round.Status.DRAFT:
        messages.info(request, _("Only a round being prepared can be opened."))
        return redirect(round_.get_absolute_url())
    form = RoundOpenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.round_open(round=round_, by=request.user)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(
                    request, _("The round is open. The members' representatives are being invited by email.")
                )
            return redirect(round_.get_absolute_url())
        _confirm_missing(request, form)
    return _round_confirm(request, round_, "open", form, {"invited": selectors.round_members_to_invite(round=round_)})


@secretariat_required
@require_POST
def round_members_add(request, year):
    round_ = selectors.round_get(year=year)
    try:
        added = services.round_members_add(round=round_, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(count)s new member(s) added to the round and invited.") % {"count": added})
    return redirect(round_.get_absolute_url())


@secretariat_required
def round_close(request, year):
    """Close the round after a page that says how many members can no longer answer; early needs a reason."""
    round_ = selectors.round_get(year=year)
    if round_.status != Round.Status.OPEN:
        messages.info(request, _("Only an open round can be closed."))
        return redirect(round_.get_absolute_url())
    early = timezone.localdate() < round_.deadline
    form = RoundCloseForm(request.POST if request.method == "POST" else None, early=early)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.round_close(round=round_, by=request.user, reason=form.cleaned_data.get("reason", ""))
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The round is closed."))
                return redirect(round_.get_absolute_url())
        _confirm_missing(request, form)
    counts = {"unsubmitted": selectors.round_unsubmitted_count(round=round_), "early": early}
    return _round_confirm(request, round_, "close", form, counts)


@secretariat_required
def round_reopen(request, year):
    """Reopen a closed round with a reason and a new deadline, after a page that says whom it concerns."""
    round_ = selectors.round_get(year=year)
    if round_.status != Round.Status.CLOSED:
        messages.info(request, _("Only a closed round can be reopened."))
        return redirect(round_.get_absolute_url())
    form = RoundReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.round_reopen(
                    round=round_,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    deadline=form.cleaned_data["deadline"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The round is open again. Members that have not submitted can answer until the new deadline."),
                )
                return redirect(round_.get_absolute_url())
        _confirm_missing(request, form)
    return _round_confirm(
        request, round_, "reopen", form, {"unsubmitted": selectors.round_unsubmitted_count(round=round_)}
    )


EXPORTS = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "answers-csv": ("csv", "text/csv; charset=utf-8"),
    "overview-csv": ("csv", "text/csv; charset=utf-8"),
}


@secretariat_required
def round_export(request, year, kind):
    round_ = selectors.round_get(year=year)
    if kind not in EXPORTS:
        raise Http404
    extension, content_type = EXPORTS[kind]
    if kind == "xlsx":
        content = spreadsheet.xlsx_bytes(round=round_)
        filename = f"pogi-opfoelgning-{round_.year}.xlsx"
    elif kind == "answers-csv":
        content = spreadsheet.csv_bytes(spreadsheet.ANSWER_COLUMNS, spreadsheet.answer_rows(round=round_))
        filename = f"pogi-opfoelgning-{round_.year}-svar.{extension}"
    else:
        content = spreadsheet.csv_bytes(spreadsheet.OVERVIEW_COLUMNS, spreadsheet.overview_rows(round=round_))
        filename = f"pogi-opfoelgning-{round_.year}-oversigt.{extension}"
    security_event_record(
        event=Event.PERSONAL_DATA_EXPORT, request=request, details={"what": f"round_{kind}", "round": round_.year}
    )
    reply = HttpResponse(content, content_type=content_type)
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply


IMPORT_REPORT_KEY = "followup_import_report"


@secretariat_required
def round_import(request, year):
    """Upload a spreadsheet; after a successful import the same page shows what happened to each member."""
    round_ = selectors.round_get(year=year)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = spreadsheet.read(form.cleaned_data["file"])
            result = services.round_import(round=round_, rows=rows, by=request.user, submit=form.cleaned_data["submit"])
        except spreadsheet.UnreadableFile as exc:
            form.add_error("file", str(exc))
        except services.ImportRefused as exc:
            row_errors = exc.rows
            form.add_error(
                "file",
                ngettext(
                    "The file has %(count)s error; nothing has been saved. Correct the row listed in the table of "
                    "errors and upload the file again.",
                    "The file has %(count)s errors; nothing has been saved. Correct the rows listed in the table of "
                    "errors and upload the file again.",
                    len(row_errors),
                )
                % {"count": len(row_errors)},
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Imported %(answers)s goal answers for %(responses)s member",
                    "Imported %(answers)s goal answers for %(responses)s members",
                    result.responses,
                )
                % {"answers": result.answers, "responses": result.responses}
                + "; "
                + ngettext("%(submitted)s response submitted.", "%(submitted)s responses submitted.", result.submitted)
                % {"submitted": result.submitted},
            )
            # Shown once on the next page (after the redirect, so reloading does not import again).
            request.session[IMPORT_REPORT_KEY] = {
                "year": round_.year,
                "submit": form.cleaned_data["submit"],
                "members": [asdict(m) for m in result.members],
            }
            return redirect("followup:round-import", year=round_.year)
    report = request.session.pop(IMPORT_REPORT_KEY, None) if request.method == "GET" else None
    if report is not None and report.get("year") != round_.year:
        report = None
    return render(
        request,
        "followup/round_import.html",
        {"round": round_, "form": form, "row_errors": row_errors, "report": report},
    )


@secretariat_required
@require_POST
def response_remind(request, pk):
    response = selectors.response_for_user(user=request.user, pk=pk)
    try:
        sent = services.reminder_send_one(response=response, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("A reminder has been sent to %(count)s person(s) at %(org)s.")
            % {"count": sent, "org": response.organisation},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = response.round.get_absolute_url()
    return redirect(back)


@secretariat_required
@require_POST
def response_reopen(request, pk):
    response = selectors.response_for_user(user=request.user, pk=pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.response_reopen(response=response, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The response has been reopened; the member can change and submit it again."))
    else:
        messages.error(request, _("Give the reason for reopening the response."))
    return redirect(response.get_absolute_url())
