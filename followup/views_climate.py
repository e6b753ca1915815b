"""The climate pages: the partnership's figures and the factor table (public), a member's account (its
representatives and the secretariat), factor maintenance (the secretariat)."""

import csv
import io
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from core.spreadsheet import neutralise
from members.access import login_required, public, representative_required, secretariat_required
from members.models import Organisation
from members.selectors import organisation_for_user

from . import charts, spreadsheet
from .forms_climate import (
    ActivityForm,
    ConfirmForm,
    FactorImportApplyForm,
    FactorVersionForm,
    MeasureForm,
    MeasureStatusForm,
    SpendUploadForm,
    UploadForm,
)
from .models import ClimateActivity, ClimateImport, ClimateMeasure
from .selectors import climate as selectors
from .services import climate as services

FACTOR_FILE_COLUMNS = services.FACTOR_COLUMNS


def _refused_rows(form, exc: services.ImportRefused) -> list[tuple[int, str]]:
    form.add_error(
        "file",
        ngettext(
            "The file has %(count)s error; nothing has been saved. Correct the row in the table of errors and upload "
            "the file again.",
            "The file has %(count)s errors; nothing has been saved. Correct the rows in the table of errors and "
            "upload the file again.",
            len(exc.rows),
        )
        % {"count": len(exc.rows)},
    )
    return exc.rows


def _csv(filename: str, header: list[str], rows: list[list]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows([[neutralise(value) for value in row] for row in rows])
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _fixed(value, places: int) -> str:
    """A figure for a CSV file: fixed decimals, a dot, never 1E+3."""
    if value is None:
        return ""
    return format(Decimal(value).quantize(Decimal(1).scaleb(-places)), "f")


def _area_chart(areas) -> str:
    bars = [(str(a.area), selectors.tonnes(a.net_kg)) for a in areas]
    return charts.data_uri(charts.tonnes_svg(bars=bars, label=_("t CO2e"))) if bars else ""


def _trend_chart(years) -> str:
    points = [(row["year"], selectors.tonnes(row["calculated"] - row["measures"])) for row in years]
    return charts.data_uri(charts.tonnes_trend_svg(points=points, label=_("t CO2e"))) if points else ""


# --- public -----------------------------------------------------------------------------------------------


@public
def climate_home(request):
    """The partnership's climate account: sums only, no member named."""
    figures = selectors.partnership_climate(year=_year(request))
    return render(
        request,
        "followup/climate/home.html",
        {
            "figures": figures,
            "min_members": selectors.MIN_MEMBERS,
            "area_chart": _area_chart(figures.areas),
            "trend_chart": _trend_chart(figures.years),
        },
    )


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise Http404
    return int(value)


@public
def climate_csv(request, table):
    figures = selectors.partnership_climate(year=_year(request))
    if table == "areas":
        return _csv(
            f"pogi-climate-areas-{figures.year or ''}.csv",
            ["year", "product_area", "members", "calculated_t_co2e", "measures_t_co2e", "net_t_co2e", "methods"],
            [
                [
                    figures.year,
                    a.area.slug,
                    a.members,
                    _fixed(selectors.tonnes(a.calculated_kg), 3),
                    _fixed(selectors.tonnes(a.measures_kg), 3),
                    _fixed(selectors.tonnes(a.net_kg), 3),
                    " ".join(f"{method}:{count}" for method, count in sorted(a.methods.items())),
                ]
                for a in figures.areas
            ],
        )
    if table == "trend":
        return _csv(
            "pogi-climate-trend.csv",
            ["year", "product_areas", "calculated_t_co2e", "measures_t_co2e", "net_t_co2e"],
            [
                [
                    row["year"],
                    row["areas"],
                    _fixed(selectors.tonnes(row["calculated"]), 3),
                    _fixed(selectors.tonnes(row["measures"]), 3),
                    _fixed(selectors.tonnes(row["calculated"] - row["measures"]), 3),
                ]
                for row in figures.years
            ],
        )
    raise Http404


@public
def factor_list(request):
    indices, rates = selectors.conversion_tables()
    return render(
        request,
        "followup/climate/factor_list.html",
        {
            "versions": selectors.factor_table(),
            "indices": indices,
            "rates": rates,
            "populations": selectors.population_sources(),
        },
    )


@public
def factor_csv(request):
    rows = []
    for v in selectors.factor_table():
        f = v.factor
        rows.append(
            [
                f.code,
                f.name_en or f.name,
                f.name,
                f.product_area.slug if f.product_area else "",
                "yes" if f.area_default else "",
                f.cpv_codes,
                f.method,
                v.value,
                v.per,
                v.price_year or "",
                v.source,
                v.source_url,
                v.source_year,
                v.licence,
                v.quality,
                v.valid_from or "",
                v.valid_to or "",
                v.note,
                v.number,
            ]
        )
    return _csv("pogi-emission-factors.csv", [*FACTOR_FILE_COLUMNS, "version"], rows)


@public
def factor_detail(request, code):
    factor = selectors.factor_get(code=code)
    return render(
        request,
        "followup/climate/factor_detail.html",
        {"factor": factor, "versions": selectors.factor_versions(factor=factor)},
    )


# --- the secretariat: factors -----------------------------------------------------------------------------


@secretariat_required
def factor_edit(request, code):
    factor = selectors.factor_get(code=code)
    current = factor.versions.filter(superseded_at__isnull=True).first()
    initial = {"expected_number": current.number if current else 0}
    form = FactorVersionForm(request.POST or None, instance=None, initial=initial)
    if request.method == "GET" and current is not None:
        form = FactorVersionForm(instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in FactorVersionForm.Meta.fields}
        try:
            version = services.emission_factor_revise(
                factor=factor,
                expected_number=form.cleaned_data["expected_number"],
                values=values,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)s of the factor is saved; estimates keep the version they used.")
                % {"number": version.number},
            )
            return redirect("climate:factor-detail", code=factor.code)
    return render(request, "followup/climate/factor_edit.html", {"factor": factor, "current": current, "form": form})


@secretariat_required
def factor_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    row_errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = spreadsheet.read(
                form.cleaned_data["file"], required=("code", "method", "value", "per"), sheet="factors"
            )
            pending = services.emission_factors_import_read(
                rows=rows, filename=form.cleaned_data["file"].name, by=request.user
            )
        except spreadsheet.UnreadableFile as exc:
            form.add_error("file", str(exc))
        except services.ImportRefused as exc:
            row_errors = _refused_rows(form, exc)
        else:
            return redirect("climate:factor-import-preview", pk=pending.pk)
    return render(
        request,
        "followup/climate/factor_import.html",
        {"form": form, "row_errors": row_errors, "columns": FACTOR_FILE_COLUMNS},
    )


@secretariat_required
def factor_import_preview(request, pk):
    pending = selectors.climate_import_get(pk=pk, kind=ClimateImport.Kind.FACTORS)
    form = FactorImportApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.emission_factors_import_apply(
                climate_import=pending, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The factor file is applied: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % counts,
            )
            return redirect("climate:factor-list")
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    for item in pending.rows:
        counts[item["action"]] += 1
    return render(
        request, "followup/climate/factor_import_preview.html", {"pending": pending, "form": form, "counts": counts}
    )


@secretariat_required
def year_recalculate(request, year):
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.climate_year_refresh(year=year, by=request.user)
        messages.success(
            request,
            ngettext(
                "The %(year)s estimates of %(count)s member now use the current factors.",
                "The %(year)s estimates of %(count)s members now use the current factors.",
                count,
            )
            % {"year": year, "count": count},
        )
        return redirect("climate:home")
    return render(request, "followup/climate/year_recalculate.html", {"form": form, "year": year})


# --- a member's account -----------------------------------------------------------------------------------


def _organisation(request, slug) -> Organisation:
    return organisation_for_user(user=request.user, slug=slug)


@representative_required
def member_climate(request, slug):
    organisation = _organisation(request, slug)
    account = selectors.member_account(organisation=organisation)
    latest = account.latest
    curve = selectors.macc(account.measures)
    return render(
        request,
        "followup/climate/member.html",
        {
            "organisation": organisation,
            "account": account,
            "latest": latest,
            "per_citizen": account.per_citizen_kg(latest) if latest else None,
            "curve": curve,
            "macc_chart": charts.data_uri(
                charts.macc_svg(
                    bars=[(row.measure.title, row.tonnes_per_year, row.cost_per_tonne) for row in curve],
                    x_label=_("t CO2e a year"),
                    y_label=_("DKK per tonne"),
                )
            )
            if curve
            else "",
            "area_chart": charts.data_uri(
                charts.tonnes_svg(
                    bars=[
                        (str(e.product_area), selectors.tonnes(e.net_kg))
                        for e in latest.estimates
                        if e.net_kg is not None
                    ],
                    label=_("t CO2e"),
                )
            )
            if latest and latest.calculated_kg
            else "",
            "activity_form": ActivityForm(),
        },
    )


@representative_required
def member_climate_csv(request, slug, table):
    organisation = _organisation(request, slug)
    account = selectors.member_account(organisation=organisation)
    if table == "estimates":
        rows = []
        for year in account.years:
            for e in year.estimates:
                for line in e.lines.all() or [None]:
                    version = line.factor_version if line else None
                    rows.append(
                        [
                            e.year,
                            e.product_area.slug,
                            e.method,
                            e.spend_dkk or "",
                            e.calculated_kg if e.calculated_kg is not None else "",
                            e.measures_kg,
                            e.problem,
                            version.factor.code if version else "",
                            version.number if version else "",
                            version.value if version else "",
                            version.per if version else "",
                            line.quantity if line else "",
                            line.index_from or "" if line else "",
                            line.index_to or "" if line else "",
                            line.exchange_rate or "" if line else "",
                            line.kg if line else "",
                        ]
                    )
        header = [
            "year",
            "product_area",
            "method",
            "spend_dkk",
            "calculated_kg_co2e",
            "measures_kg_co2e",
            "problem",
            "factor",
            "factor_version",
            "factor_value",
            "factor_per",
            "quantity",
            "price_index_spend_year",
            "price_index_factor_year",
            "dkk_per_unit",
            "line_kg_co2e",
        ]
        return _csv(f"climate-{organisation.slug}-estimates.csv", header, rows)
    if table == "measures":
        header = [
            "title",
            "type",
            "product_area",
            "status",
            "takes_effect_from",
            "reduction_t_per_year",
            "reduction_percent",
            "assumption",
            "cost_once_dkk",
            "cost_yearly_dkk",
            "lifetime_years",
            "annual_cost_dkk",
            "dkk_per_tonne",
            "owner",
        ]
        rows = [
            [
                r.measure.title,
                r.measure.kind,
                r.measure.product_area.slug,
                r.measure.status,
                r.measure.starts_on or "",
                _fixed(r.tonnes_per_year, 3),
                r.measure.reduction_percent or "",
                r.measure.assumption,
                r.measure.cost_once_dkk,
                r.measure.cost_yearly_dkk,
                r.measure.lifetime_years,
                _fixed(r.annual_cost, 2),
                _fixed(r.cost_per_tonne, 2),
                r.measure.owner,
            ]
            for r in account.measures
        ]
        return _csv(f"climate-{organisation.slug}-measures.csv", header, rows)
    raise Http404


@representative_required
@require_POST
def member_activity_save(request, slug):
    organisation = _organisation(request, slug)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.climate_activity_save(
                organisation=organisation,
                year=form.cleaned_data["year"],
                factor=form.cleaned_data["factor"],
                product_area=form.cleaned_data["product_area"],
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                by=request.user,
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The quantity is saved and the estimate of its year recalculated."))
            return redirect(reverse("climate:member", kwargs={"slug": organisation.slug}) + "#activity")
    account = selectors.member_account(organisation=organisation)
    return render(
        request,
        "followup/climate/activity_form.html",
        {"organisation": organisation, "form": form, "account": account},
        status=400,
    )


@representative_required
def member_activity_delete(request, slug, pk):
    organisation = _organisation(request, slug)
    activity = ClimateActivity.objects.filter(organisation=organisation, pk=pk).select_related("factor").first()
    if activity is None:
        raise Http404
    back = reverse("climate:member", kwargs={"slug": organisation.slug}) + "#activity"
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.climate_activity_delete(activity=activity, by=request.user)
        messages.success(request, _("The quantity is deleted; its area falls back to the spend-based figure."))
        return redirect(back)
    return render(
        request,
        "followup/climate/confirm_delete.html",
        {
            "form": form,
            "back": back,
            "heading": _("Delete the quantity of %(what)s for %(year)s?")
            % {"what": activity.factor.tr.name, "year": activity.year},
            "consequence": _("The %(year)s estimate of its area is calculated again without it.")
            % {"year": activity.year},
        },
    )


@representative_required
def member_spend_import(request, slug):
    organisation = _organisation(request, slug)
    form = SpendUploadForm(request.POST or None, request.FILES or None)
    row_errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = spreadsheet.read(form.cleaned_data["file"], required=services.SPEND_COLUMNS, sheet="spend")
            pending = services.climate_spend_import_read(
                organisation=organisation,
                year=form.cleaned_data["year"],
                rows=rows,
                filename=form.cleaned_data["file"].name,
                by=request.user,
            )
        except spreadsheet.UnreadableFile as exc:
            form.add_error("file", str(exc))
        except services.ImportRefused as exc:
            row_errors = _refused_rows(form, exc)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("climate:member-spend-preview", slug=organisation.slug, pk=pending.pk)
    return render(
        request,
        "followup/climate/spend_import.html",
        {
            "organisation": organisation,
            "form": form,
            "row_errors": row_errors,
            "categories": selectors.factor_table(),
        },
    )


@representative_required
def member_spend_preview(request, slug, pk):
    organisation = _organisation(request, slug)
    pending = selectors.climate_import_get(pk=pk, kind=ClimateImport.Kind.SPEND, organisation=organisation)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.climate_spend_import_apply(climate_import=pending, by=request.user)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The spend of %(year)s is imported and its estimate recalculated.") % {"year": pending.year}
            )
            return redirect("climate:member", slug=organisation.slug)
    total = sum((Decimal(item["amount_dkk"]) for item in pending.rows), Decimal(0))
    in_file = {item["category"] for item in pending.rows}
    removed = selectors.spend_categories(codes=[code for code in pending.basis if code not in in_file])
    areas = selectors.area_names()
    rows = [{**item, "area_name": areas.get(item["area"], item["area"])} for item in pending.rows]
    return render(
        request,
        "followup/climate/spend_preview.html",
        {
            "organisation": organisation,
            "pending": pending,
            "rows": rows,
            "removed": [(factor, pending.basis[factor.code]) for factor in removed],
            "form": form,
            "total": total,
        },
    )


@representative_required
def member_recalculate(request, slug, year):
    organisation = _organisation(request, slug)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.climate_account_refresh(organisation=organisation, year=year, current_factors=True)
        messages.success(request, _("The %(year)s estimate now uses the current factors.") % {"year": year})
        return redirect("climate:member", slug=organisation.slug)
    return render(
        request,
        "followup/climate/member_recalculate.html",
        {"organisation": organisation, "form": form, "year": year},
    )


def _measure(organisation: Organisation, pk: int) -> ClimateMeasure:
    measure = ClimateMeasure.objects.filter(organisation=organisation, pk=pk).first()
    if measure is None:
        raise Http404
    return measure


@representative_required
def measure_edit(request, slug, pk=None):
    organisation = _organisation(request, slug)
    measure = _measure(organisation, pk) if pk else None
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.climate_measure_save(
                organisation=organisation,
                measure=ClimateMeasure.objects.get(pk=measure.pk) if measure else None,
                values=form.values(),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The measure “%(title)s” is saved.") % {"title": saved.title})
            return redirect(reverse("climate:member", kwargs={"slug": organisation.slug}) + "#measures")
    return render(
        request,
        "followup/climate/measure_form.html",
        {"organisation": organisation, "measure": measure, "form": form},
    )


@representative_required
def measure_status(request, slug, pk):
    organisation = _organisation(request, slug)
    measure = _measure(organisation, pk)
    if not ClimateMeasure.NEXT[measure.status]:
        messages.info(request, _("The measure has been evaluated: its status does not change any more."))
        return redirect(reverse("climate:member", kwargs={"slug": organisation.slug}) + "#measures")
    form = MeasureStatusForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services.climate_measure_status_set(
                measure=measure,
                status=form.cleaned_data["status"],
                starts_on=form.cleaned_data["starts_on"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The status of “%(title)s” is changed.") % {"title": measure.title})
            return redirect(reverse("climate:member", kwargs={"slug": organisation.slug}) + "#measures")
    return render(
        request,
        "followup/climate/measure_status.html",
        {"organisation": organisation, "measure": measure, "form": form},
    )


@representative_required
def measure_delete(request, slug, pk):
    organisation = _organisation(request, slug)
    measure = _measure(organisation, pk)
    back = reverse("climate:member", kwargs={"slug": organisation.slug}) + "#measures"
    if measure.status in ClimateMeasure.EFFECTIVE:
        messages.error(request, _("An implemented measure cannot be deleted: its effect is part of the estimates."))
        return redirect(back)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.climate_measure_delete(measure=measure, by=request.user)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The measure “%(title)s” is deleted.") % {"title": measure.title})
            return redirect(back)
    return render(
        request,
        "followup/climate/confirm_delete.html",
        {
            "form": form,
            "back": back,
            "heading": _("Delete the measure “%(title)s”?") % {"title": measure.title},
            "consequence": _(
                "The measure and its history are removed. It had not taken effect, so no estimate changes."
            ),
        },
    )


@login_required
def my_climate(request):
    """The signed-in representative's own climate page (the dashboard links here)."""
    rep = request.user.representative_or_none
    if rep is None:
        if request.user.is_secretariat:
            return redirect("climate:home")
        raise Http404
    return redirect("climate:member", slug=rep.organisation.slug)
