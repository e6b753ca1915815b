"""The annual report: the secretariat's data page, generation and publishing, quotes; the public list of reports."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import error_text
from core.uploads import pdf_download
from members.access import public, secretariat_required

from . import pdf, selectors, spreadsheet
from .models import GoalAnswer, Report, ReportQuote
from .selectors import reports as report_selectors
from .services import reports as report_services

QUOTES_PAGE_SIZE = 25
CSV_TABLES = ("summary", "goals", "trend")


def _reports(round_) -> dict:
    """The report in each language and the annex, as the status panel shows them."""
    existing = report_selectors.reports_for_round(round=round_)
    rows = []
    for kind in Report.Kind.values:
        for language, language_name in settings.REPORT_LANGUAGES:
            rows.append(
                {
                    "kind": kind,
                    "kind_label": Report.Kind(kind).label,
                    "language": language,
                    "language_name": language_name,
                    "report": existing.get((kind, language)),
                }
            )
    active = any(report.is_active and not report.is_lost for report in existing.values())
    return {"report_rows": rows, "any_active": active}


@secretariat_required
def report_detail(request, year):
    """The report's figures as the PDF will show them, with generation, status and publishing."""
    round_ = selectors.round_get(year=year)
    data = report_selectors.report_data(round=round_)
    context = {
        "round": round_,
        "data": data,
        "figures": pdf.report_figures_html(round=round_, data=data),
        **_reports(round_),
    }
    context["quote_count"] = report_selectors.quote_count(round=round_)
    return render(request, "followup/report_detail.html", context)


@secretariat_required
def report_status(request, year):
    """The status panel alone, for htmx polling while a report is queued or rendering."""
    round_ = selectors.round_get(year=year)
    return render(request, "followup/_report_status.html", {"round": round_, **_reports(round_)})


@secretariat_required
@require_POST
def report_generate(request, year):
    round_ = selectors.round_get(year=year)
    try:
        report = report_services.report_generate(
            round=round_,
            kind=request.POST.get("kind", ""),
            language=request.POST.get("language", ""),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if report.status == Report.Status.DONE:
            messages.success(request, _("The report is ready."))
        else:
            messages.success(request, _("The report is being generated. This page shows when it is ready."))
    if request.htmx:
        return report_status(request, year)
    return redirect("followup:report-detail", year=round_.year)


def _posted_id(request, name: str) -> int:
    """A posted row id; anything but digits matches no row (a 404, never a 500)."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _report(round_, kind, language) -> Report:
    return get_object_or_404(Report, round=round_, kind=kind, language=language)


@secretariat_required
@require_POST
def report_publish(request, year, language):
    round_ = selectors.round_get(year=year)
    report = _report(round_, Report.Kind.REPORT, language)
    unpublish = "unpublish" in request.POST
    try:
        if unpublish:
            report_services.report_unpublish(report=report, by=request.user)
        else:
            report_services.report_publish(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("The report has been taken off the public list.")
            if unpublish
            else _("The report is published on the public list of reports."),
        )
    return redirect("followup:report-detail", year=round_.year)


@secretariat_required
def report_download(request, year, kind, language):
    """The latest generated PDF (the annex too): for the secretariat only."""
    round_ = selectors.round_get(year=year)
    if kind not in Report.Kind.values:
        raise Http404
    report = _report(round_, kind, language)
    if not report.file:
        raise Http404
    return pdf_download(report.file, filename=report.download_name)


@secretariat_required
def report_csv(request, year, table):
    """The report's tables as CSV (semicolon-separated, for Excel), from the same figures as the PDF."""
    if table not in CSV_TABLES:
        raise Http404
    round_ = selectors.round_get(year=year)
    data = report_selectors.report_data(round=round_)
    columns, rows = report_selectors.report_table(data=data, table=table)
    reply = HttpResponse(spreadsheet.csv_bytes(columns, rows), content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="pogi-aarsrapport-{round_.year}-{table}.csv"'
    return reply


@secretariat_required
def report_quotes(request, year):
    """Choose and edit the challenges quoted in the report, goal by goal."""
    round_ = selectors.round_get(year=year)
    versions = selectors.round_goal_versions(round=round_)
    if not versions:
        raise Http404
    numbers = [v.goal.number for v in versions]
    try:
        number = int(request.GET.get("goal") or request.POST.get("goal") or numbers[0])
    except ValueError:
        number = numbers[0]
    if number not in numbers:
        raise Http404
    version = versions[numbers.index(number)]
    here = f"{reverse('followup:report-quotes', kwargs={'year': round_.year})}?goal={number}"

    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                answer = get_object_or_404(
                    GoalAnswer.objects.select_related("response", "goal_version"),
                    pk=_posted_id(request, "answer"),
                    response__round=round_,
                )
                report_services.quote_add(round=round_, answer=answer, text=request.POST.get("text"), by=request.user)
                messages.success(request, _("The quote is added to the report."))
            else:
                quote = get_object_or_404(ReportQuote, pk=_posted_id(request, "quote"), round=round_)
                if action == "remove":
                    report_services.quote_remove(quote=quote, by=request.user)
                    messages.success(request, _("The quote is left out of the report."))
                else:
                    report_services.quote_update(quote=quote, text=request.POST.get("text", ""), by=request.user)
                    messages.success(request, _("The quote is saved."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect(here + (f"&page={request.POST['page']}" if request.POST.get("page", "").isdigit() else ""))

    chosen = report_selectors.quotes_for_goal(round=round_, goal_id=version.goal_id)
    chosen_answers = {q.answer_id for q in chosen}
    page = Paginator(report_selectors.quote_candidates(round=round_, number=number), QUOTES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "followup/report_quotes.html",
        {
            "round": round_,
            "versions": versions,
            "version": version,
            "number": number,
            "chosen": chosen,
            "chosen_answers": chosen_answers,
            "page": page,
            "max_length": report_services.QUOTE_MAX_LENGTH,
            "goal_query": f"goal={number}",
        },
    )


# --- public ------------------------------------------------------------------------------------------


@public
def reports_public(request):
    """The published annual reports, newest first: year, language, size and the PDF."""
    return render(request, "followup/reports_public.html", {"reports": report_selectors.reports_published()})


@public
def report_public_pdf(request, year, language):
    report = get_object_or_404(
        Report.objects.select_related("round"),
        round__year=year,
        kind=Report.Kind.REPORT,
        language=language,
        published_at__isnull=False,
    )
    return pdf_download(report.published_file, filename=report.download_name, public=True)
