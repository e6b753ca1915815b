"""The report's charts as SVG (matplotlib), the same on the web overview and in the PDF.

Each chart comes with a data table beside it in the templates; the SVG itself
is an image with a text alternative. Labels are SVG text in DejaVu Sans (the
machine's sans-serif where it is missing): drawn as glyph paths instead, the
31 charts of a Nordic-scale report took WeasyPrint a quarter of the PDF's
time (docs/performance.md). The output is deterministic (fixed
ids and no date), so the same figures always give the same bytes and charts
can be cached by their input.
"""

import base64
import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

GREEN = "#00684a"
GREY = "#6f6f6f"
CACHE_SECONDS = 24 * 60 * 60


def _figure(width_in: float, height_in: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in), dpi=72)
    figure.set_layout_engine("constrained")
    return figure


def _svg(figure, salt: str) -> str:
    import io

    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    with matplotlib.rc_context(
        {"svg.hashsalt": salt, "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9}
    ):
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG can also be placed inline.
    return text[text.index("<svg") :]


def _cached(kind: str, payload: dict, build) -> str:
    if not settings.REPORT_CHART_CACHE:
        return build()
    key = "chart:" + hashlib.sha256((kind + json.dumps(payload, sort_keys=True, default=str)).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = build()
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _percent_axis(axis, *, horizontal: bool = False) -> None:
    from matplotlib.ticker import PercentFormatter

    (axis.set_xlim if horizontal else axis.set_ylim)(0, 100)
    (axis.xaxis if horizontal else axis.yaxis).set_major_formatter(PercentFormatter(decimals=0))
    axis.spines[["top", "right"]].set_visible(False)
    axis.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.6)
    axis.set_axisbelow(True)


def trend_svg(*, points: list[tuple[int, Decimal | None]], label: str) -> str:
    """The share of tenders with the POGI criteria per year (years without tenders are left out)."""
    payload = {"points": [(year, str(value)) for year, value in points], "label": label}

    def build() -> str:
        figure = _figure(4.2, 2.1)
        axis = figure.add_subplot()
        measured = [(year, float(value)) for year, value in points if value is not None]
        if measured:
            years, values = zip(*measured, strict=True)
            axis.plot(years, values, color=GREEN, marker="o", linewidth=2)
            axis.set_xticks(list(years), [str(y) for y in years])
        _percent_axis(axis)
        axis.set_ylabel(label)
        return _svg(figure, "trend-" + hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12])

    return _cached("trend", payload, build)


def shares_svg(*, bars: list[tuple[str, Decimal | None]], label: str) -> str:
    """One horizontal bar per goal: the share of tenders with the POGI criteria this year."""
    payload = {"bars": [(name, str(value)) for name, value in bars], "label": label}

    def build() -> str:
        figure = _figure(6.3, max(1.4, 0.26 * len(bars) + 0.7))
        axis = figure.add_subplot()
        names = [name for name, _value in bars]
        values = [float(value) if value is not None else 0.0 for _name, value in bars]
        positions = list(range(len(bars)))
        axis.barh(positions, values, color=GREEN, height=0.65)
        axis.set_yticks(positions, names)
        axis.invert_yaxis()
        _percent_axis(axis, horizontal=True)
        axis.set_xlabel(label)
        return _svg(figure, "shares-" + hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12])

    return _cached("shares", payload, build)


def data_uri(svg: str) -> str:
    """The SVG as a data: URI for an <img> (the same markup works in the browser and in WeasyPrint)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _tonnes_axis(axis, *, horizontal: bool = False) -> None:
    from django.utils.formats import number_format
    from matplotlib.ticker import FuncFormatter

    (axis.xaxis if horizontal else axis.yaxis).set_major_formatter(
        FuncFormatter(lambda value, _position: number_format(round(value), force_grouping=True))
    )
    axis.spines[["top", "right"]].set_visible(False)
    axis.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.6)
    axis.set_axisbelow(True)


def tonnes_svg(*, bars: list[tuple[str, Decimal | None]], label: str) -> str:
    """One horizontal bar per product area: its estimated emissions in tonnes CO2e."""
    payload = {"bars": [(name, str(value)) for name, value in bars], "label": label, "lang": _lang()}

    def build() -> str:
        figure = _figure(6.3, max(1.4, 0.3 * len(bars) + 0.8))
        axis = figure.add_subplot()
        positions = list(range(len(bars)))
        axis.barh(positions, [float(v or 0) for _n, v in bars], color=GREEN, height=0.65)
        axis.set_yticks(positions, [name for name, _v in bars])
        axis.invert_yaxis()
        _tonnes_axis(axis, horizontal=True)
        axis.set_xlabel(label)
        return _svg(figure, "tonnes-" + hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12])

    return _cached("tonnes", payload, build)


def tonnes_trend_svg(*, points: list[tuple[int, Decimal | None]], label: str) -> str:
    """The estimated emissions per year, in tonnes CO2e."""
    payload = {"points": [(year, str(value)) for year, value in points], "label": label, "lang": _lang()}

    def build() -> str:
        figure = _figure(4.2, 2.1)
        axis = figure.add_subplot()
        measured = [(year, float(value)) for year, value in points if value is not None]
        if measured:
            years, values = zip(*measured, strict=True)
            axis.plot(years, values, color=GREEN, marker="o", linewidth=2)
            axis.set_xticks(list(years), [str(y) for y in years])
            axis.set_ylim(bottom=0)
        _tonnes_axis(axis)
        axis.set_ylabel(label)
        return _svg(figure, "ttrend-" + hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12])

    return _cached("tonnes-trend", payload, build)


def macc_svg(*, bars: list[tuple[str, Decimal | None, Decimal | None]], x_label: str, y_label: str) -> str:
    """The marginal abatement cost curve: measures left to right by cost per tonne, each bar as wide as its tonnes.

    ``bars`` is (name, tonnes a year, DKK per tonne) in the curve's order; a bar under the axis saves money.
    """
    payload = {"bars": [(n, str(t), str(c)) for n, t, c in bars], "x": x_label, "y": y_label, "lang": _lang()}

    def build() -> str:
        figure = _figure(6.3, 2.8)
        axis = figure.add_subplot()
        left = 0.0
        for index, (_name, tonnes, cost) in enumerate(bars):
            width, height = float(tonnes or 0), float(cost or 0)
            axis.bar(
                left, height, width=width, align="edge", color=GREEN if height >= 0 else "#3a7ca5", edgecolor="white"
            )
            axis.annotate(
                str(index + 1),
                (left + width / 2, height),
                ha="center",
                va="bottom" if height >= 0 else "top",
                fontsize=8,
            )
            left += width
        axis.axhline(0, color=GREY, linewidth=0.8)
        axis.set_xlim(0, left or 1)
        _tonnes_axis(axis)
        axis.set_xlabel(x_label)
        axis.set_ylabel(y_label)
        return _svg(figure, "macc-" + hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12])

    return _cached("macc", payload, build)


def _lang() -> str:
    from django.utils.translation import get_language

    return get_language() or ""
