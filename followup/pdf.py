"""PDFs of the follow-up (WeasyPrint): a response's answers (the receipt's attachment), the annual report and its annex."""

from django.template.loader import render_to_string

from core.pdf import template_to_pdf

from . import selectors


def response_pdf_render(*, response) -> bytes:
    return template_to_pdf("followup/response_print.html", selectors.response_summary(response=response))


SHORT_TITLE = 26


def chart_label(number: int, title: str) -> str:
    """A goal on a chart's axis: its number and a short title ("9 Træbaserede kontorarti…")."""
    short = title if len(title) <= SHORT_TITLE else title[: SHORT_TITLE - 1].rstrip() + "…"
    return f"{number} {short}"


def _report_charts(data) -> dict:
    from django.utils.translation import gettext as _

    from . import charts

    label = _("Share of tenders with the POGI criteria")
    # The axis labels in the report's language: the English short title where there is one.
    shares = charts.shares_svg(bars=[(chart_label(g.number, g.tr.title), g.share) for g in data.goals], label=label)
    goal_charts = [
        (
            g,
            charts.data_uri(charts.trend_svg(points=[(p.year, p.share) for p in g.trend], label=_("Share")))
            if g.trend
            else "",
        )
        for g in data.goals
    ]
    return {"shares_chart": charts.data_uri(shares), "goal_charts": goal_charts}


def report_context(*, round, data) -> dict:
    """What the report's pages show, on the web and in the PDF."""
    return {"round": round, "data": data, **_report_charts(data)}


FIGURES_HTML_SECONDS = 7 * 24 * 60 * 60


def report_figures_html(*, round, data) -> str:
    """The figures with their charts for the web page, rendered once per set of figures and language."""
    from django.core.cache import cache
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    from .selectors.reports import report_data_hash

    key = "report-figures-html:" + report_data_hash(data=data, kind="web", language=get_language())
    html = cache.get(key)
    if html is None:
        html = render_to_string("followup/_report_figures.html", report_context(round=round, data=data))
        cache.set(key, html, FIGURES_HTML_SECONDS)
    return mark_safe(html)  # rendered by the template engine, which escaped it


def report_pdf_render(*, round, data) -> bytes:
    """The annual report as a tagged PDF (PDF/UA-1): cover, contents, summary, problem areas, one chapter per goal."""
    from django.conf import settings
    from django.utils import timezone

    today = timezone.localdate()
    context = {
        **report_context(round=round, data=data),
        "generated_on": today,
        # The answers counted are those submitted by the time the round closed (or by today, while it is open).
        "figures_until": timezone.localdate(round.closed_at) if round.closed_at else today,
        "authority": settings.POGI_AUTHORITY,
        "open_data_licence": settings.POGI_OPEN_DATA_LICENCE,
    }
    return template_to_pdf("followup/report_print.html", context)


def annex_pdf_render(*, round) -> bytes:
    """The secretariat's annex: every member's answers, member by member. Never published."""
    from django.utils import timezone

    from .selectors.reports import annex_rows

    return template_to_pdf(
        "followup/report_annex_print.html",
        {"round": round, "rows": annex_rows(round=round), "generated_on": timezone.localdate()},
    )
