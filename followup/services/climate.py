"""Writes for climate accounting: factors and their versions, a member's data, estimates and measures.

Every figure is stored with what produced it: an estimate line keeps the factor
version, price index values and exchange rate it used. A factor change never
alters an estimate by itself; ``climate_account_refresh`` with
``current_factors=True`` is the one explicit way to move a year onto the
current factors. The method is in docs/climate-method.md.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from core.enqueue import enqueue
from goals.models import Criterion, Goal, ProductArea
from members.models import Organisation, User

from ..climate_method import (
    HOME_CURRENCY,
    NoConversionPath,
    conversion_missing,
    convert_spend,
    measure_effect_kg,
    measure_tonnes_per_year,
    rounded,
)
from ..models import (
    ClimateActivity,
    ClimateEstimate,
    ClimateEstimateLine,
    ClimateImport,
    ClimateMeasure,
    ClimateSpend,
    EmissionFactor,
    EmissionFactorVersion,
    ExchangeRate,
    GoalAnswer,
    PriceIndex,
    Response,
)

VERSION_FIELDS = (
    "value",
    "per",
    "price_year",
    "source",
    "source_url",
    "source_year",
    "licence",
    "quality",
    "valid_from",
    "valid_to",
    "note",
)
FACTOR_COLUMNS = (
    "code",
    "category",
    "category_da",
    "product_area",
    "area_default",
    "cpv_codes",
    "method",
    *VERSION_FIELDS,
)
SPEND_COLUMNS = ("category", "amount_dkk")
MAX_IMPORT_ROWS = 5000


class ImportRefused(ValidationError):
    """The file has errors; nothing was saved. ``rows`` lists (row number, reason)."""

    def __init__(self, rows: list[tuple[int, str]]):
        self.rows = rows
        super().__init__([_("Row %(row)s: %(reason)s") % {"row": n, "reason": reason} for n, reason in rows])


# --- reference tables -----------------------------------------------------------------------------------


def price_indices() -> dict[int, Decimal]:
    return {row.year: row.value for row in PriceIndex.objects.filter(country="DK")}


def exchange_rates() -> dict[tuple[str, int], Decimal]:
    return {(row.currency, row.year): row.dkk_per_unit for row in ExchangeRate.objects.all()}


# --- factors ----------------------------------------------------------------------------------------------


def _version_values(version: EmissionFactorVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in VERSION_FIELDS}


def _version_check(
    version: EmissionFactorVersion,
    *,
    method: str,
    indices: dict[int, Decimal],
    rates: dict[tuple[str, int], Decimal],
) -> None:
    """Validate an unsaved version of a factor of ``method``; a spend factor needs a conversion path."""
    version.full_clean(exclude=["factor", "number", "created_by"])
    errors: dict[str, list[str]] = {}
    if method == EmissionFactor.Method.SPEND:
        if not version.is_spend:
            errors["per"] = [_("A spend-based factor is per unit of a currency.")]
        elif version.price_year is None:
            errors["price_year"] = [_("A spend-based factor needs the year whose prices it is in.")]
        else:
            problem = conversion_missing(
                spend_year=None, currency=version.per, price_year=version.price_year, indices=indices, rates=rates
            )
            if problem:
                errors["price_year"] = [problem]
    else:
        if version.is_spend:
            errors["per"] = [_("An activity-based factor is per kWh, litre, kg or km.")]
        if version.price_year is not None:
            errors["price_year"] = [_("An activity-based factor has no price year.")]
    if errors:
        raise ValidationError(errors)


def _version_add(
    *, factor: EmissionFactor, values: dict[str, Any], reason: str, by: User | None, number: int
) -> EmissionFactorVersion:
    now = timezone.now()
    EmissionFactorVersion.objects.filter(factor=factor, superseded_at__isnull=True).update(superseded_at=now)
    return EmissionFactorVersion.objects.create(factor=factor, number=number, reason=reason, created_by=by, **values)


@transaction.atomic
def emission_factor_revise(
    *, factor: EmissionFactor, expected_number: int, values: dict[str, Any], reason: str, by: User
) -> EmissionFactorVersion:
    """A new version of ``factor`` with ``values``; the current one is kept, marked superseded.

    Refused when someone made a version after the editor opened the page
    (``expected_number``), when nothing changed, when there is no reason, and
    for a spend factor whose currency and price year have no conversion path.
    """
    factor = EmissionFactor.objects.select_for_update().get(pk=factor.pk)
    current = factor.versions.filter(superseded_at__isnull=True).first()
    number = current.number if current else 0
    if number != expected_number:
        raise ValidationError(
            _("Someone saved version %(number)s of this factor after you opened the page. Check it again.")
            % {"number": number}
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the factor changes: the reason is kept with the version.")]})
    values = {
        name: value.replace("\r\n", "\n").strip() if isinstance(value, str) else value for name, value in values.items()
    }
    version = EmissionFactorVersion(factor=factor, number=number + 1, **values)
    _version_check(version, method=factor.method, indices=price_indices(), rates=exchange_rates())
    if current is not None and _version_values(current) == _version_values(version):
        raise ValidationError(_("Nothing changed: the values are those of version %(number)s.") % {"number": number})
    return _version_add(factor=factor, values=_version_values(version), reason=reason.strip(), by=by, number=number + 1)


def _cell(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(text: str) -> Decimal:
    # Danish spreadsheets write a decimal comma; a thousands separator is refused rather than guessed.
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def _label(model: Any, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return ""


_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_ONE_DOT_THOUSANDS = re.compile(r"^-?\d{1,3}\.\d{3}$")


def _amount(text: str) -> Decimal:
    """An amount of kroner as Danish accounts write it: 1250000, 1.250.000, 1250000,50 or 1.250.000,50.

    “1.250” could be 1,250 or 1.25 and is refused rather than guessed.
    """
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if _ONE_DOT_THOUSANDS.match(cleaned):
        raise ValueError(text)
    if _GROUPED.match(cleaned) and (cleaned.count(".") > 1 or "," in cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    return _decimal(cleaned)


def _extra_cells(row: dict[str, Any]) -> str:
    if row.get("__extra__"):
        return _(
            "The row has more cells than the header has columns. Is there a comma inside a number? Use ; between "
            "columns, or write the number without thousands separators."
        )
    return ""


def _messages(error: ValidationError, model: Any = EmissionFactorVersion) -> str:
    """A model's validation error as one line, each message after its field's name in the reader's language."""
    if hasattr(error, "error_dict"):
        parts: list[str] = []
        for field, errors in error.message_dict.items():
            label = _label(model, field) if field != "__all__" else ""
            parts.extend(f"{label}: {message}" if label else message for message in errors)
        return " ".join(parts)
    return " ".join(error.messages)


def _factor_row(
    row: dict[str, Any],
    *,
    areas: dict[str, ProductArea],
    indices: dict[int, Decimal],
    rates: dict[tuple[str, int], Decimal],
) -> dict[str, Any]:
    """One row of a factor file checked and normalised; raises ValueError with the reason."""
    code = _cell(row, "code").lower()
    if not code:
        raise ValueError(_("The code is missing."))
    method = _cell(row, "method").lower()
    if method not in EmissionFactor.Method.values:
        raise ValueError(_("The method must be “spend” or “activity”, not “%(value)s”.") % {"value": method})
    area_slug = _cell(row, "product_area")
    if area_slug and area_slug not in areas:
        raise ValueError(_("There is no product area “%(slug)s”.") % {"slug": area_slug})
    default = _cell(row, "area_default").lower() in ("yes", "ja", "true", "1", "x")
    values: dict[str, Any] = {}
    try:
        values["value"] = _decimal(_cell(row, "value"))
    except ValueError as exc:
        raise ValueError(_("The value “%(value)s” is not a number.") % {"value": _cell(row, "value")}) from exc
    values["per"] = _cell(row, "per")
    price_year = _cell(row, "price_year")
    if price_year and not price_year.isdigit():
        raise ValueError(_("The price year “%(value)s” is not a year.") % {"value": price_year})
    values["price_year"] = int(price_year) if price_year else None
    for name in ("source", "source_url", "source_year", "licence", "note"):
        values[name] = _cell(row, name)
    values["quality"] = _cell(row, "quality").lower()
    for name in ("valid_from", "valid_to"):
        text = _cell(row, name)[:10]
        try:
            parsed = parse_date(text) if text else None
        except ValueError:
            parsed = None
        if text and parsed is None:
            raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})
        values[name] = parsed
    version = EmissionFactorVersion(**values)
    try:
        _version_check(version, method=method, indices=indices, rates=rates)
    except ValidationError as exc:
        raise ValueError(_messages(exc)) from exc
    factor = EmissionFactor(
        code=code,
        name=_cell(row, "category_da") or _cell(row, "category"),
        name_en=_cell(row, "category"),
        method=method,
        product_area=areas.get(area_slug),
        area_default=default,
        cpv_codes=_cell(row, "cpv_codes"),
    )
    try:
        factor.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValueError(_messages(exc, EmissionFactor)) from exc
    if default and (method != "spend" or not area_slug):
        raise ValueError(_("Only a spend-based factor with a product area can be the area's factor."))
    return {
        "code": code,
        "name": factor.name,
        "name_en": factor.name_en,
        "method": method,
        "product_area": area_slug,
        "area_default": default,
        "cpv_codes": factor.cpv_codes,
        "version": {
            **values,
            "value": str(values["value"]),
            "valid_from": values["valid_from"].isoformat() if values["valid_from"] else None,
            "valid_to": values["valid_to"].isoformat() if values["valid_to"] else None,
        },
    }


def _version_from_row(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    out["value"] = Decimal(values["value"])
    out["valid_from"] = date.fromisoformat(values["valid_from"]) if values["valid_from"] else None
    out["valid_to"] = date.fromisoformat(values["valid_to"]) if values["valid_to"] else None
    return out


@transaction.atomic
def emission_factors_import_read(*, rows: list[dict[str, Any]], filename: str, by: User) -> ClimateImport:
    """Check a factor file and keep it for a preview; nothing changes until ``emission_factors_import_apply``.

    Each row is compared with the factor's current version: new, changed or
    unchanged. Any bad row refuses the whole file (ImportRefused lists them all).
    """
    if not rows:
        raise ImportRefused([(1, _("The file has no rows."))])
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportRefused([(1, _("The file has more than %(max)s rows.") % {"max": MAX_IMPORT_ROWS})])
    areas = {area.slug: area for area in ProductArea.objects.all()}
    indices, rates = price_indices(), exchange_rates()
    current = {
        v.factor.code: v
        for v in EmissionFactorVersion.objects.filter(superseded_at__isnull=True).select_related("factor")
    }
    errors: list[tuple[int, str]] = []
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    defaults: dict[str, str] = {}
    for row in rows:
        number = row.get("__row__", 0)
        if extra := _extra_cells(row):
            errors.append((number, extra))
            continue
        try:
            item = _factor_row(row, areas=areas, indices=indices, rates=rates)
        except ValueError as exc:
            errors.append((number, str(exc)))
            continue
        if item["code"] in seen:
            errors.append((number, _("The code “%(code)s” appears twice.") % {"code": item["code"]}))
            continue
        seen.add(item["code"])
        if item["area_default"]:
            if item["product_area"] in defaults:
                errors.append(
                    (
                        number,
                        _("Two factors are marked as the factor of the area “%(area)s”.")
                        % {"area": item["product_area"]},
                    )
                )
                continue
            defaults[item["product_area"]] = item["code"]
        old = current.get(item["code"])
        if old is None:
            item["action"] = "new"
        elif old.factor.method != item["method"]:
            errors.append((number, _("The factor “%(code)s” exists with another method.") % {"code": item["code"]}))
            continue
        else:
            changed = _version_values(old) != _version_from_row(item["version"])
            item["action"] = "changed" if changed else "unchanged"
            item["old"] = {"number": old.number, "value": str(old.value), "per": old.per, "price_year": old.price_year}
        item["row"] = number
        parsed.append(item)
    if errors:
        raise ImportRefused(errors)
    basis = {code: version.pk for code, version in current.items()}
    return ClimateImport.objects.create(
        kind=ClimateImport.Kind.FACTORS, filename=filename[:200], rows=parsed, basis=basis, created_by=by
    )


def _pending(climate_import: ClimateImport, kind: str) -> ClimateImport:
    locked = ClimateImport.objects.select_for_update().get(pk=climate_import.pk)
    if locked.kind != kind:
        raise ValidationError(_("This is not an import of that kind."))
    if locked.applied_at is not None:
        raise ValidationError(_("This file was applied already, on %(when)s.") % {"when": locked.applied_at})
    return locked


@transaction.atomic
def emission_factors_import_apply(*, climate_import: ClimateImport, reason: str, by: User) -> dict[str, int]:
    """Apply a previewed factor file as a whole: new factors created, changed ones get a new version.

    Refused if any factor changed since the preview (the preview would be
    wrong). Factors not in the file stay as they are. Estimates are not
    touched: they keep the versions they used.
    """
    climate_import = _pending(climate_import, ClimateImport.Kind.FACTORS)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the factors change: the reason is kept with each version.")]})
    current = {
        v.factor.code: v.pk
        for v in EmissionFactorVersion.objects.select_for_update(of=("self",))
        .filter(superseded_at__isnull=True)
        .select_related("factor")
        .order_by("pk")
    }
    if current != climate_import.basis:
        raise ValidationError(_("The factors changed after this file was read. Upload it again to see a new preview."))
    areas = {area.slug: area for area in ProductArea.objects.all()}
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    defaults = {item["product_area"]: item["code"] for item in climate_import.rows if item["area_default"]}
    # A new area factor takes over: the old default of that area steps down first (one default per area).
    EmissionFactor.objects.filter(area_default=True, product_area__slug__in=defaults).exclude(
        code__in=defaults.values()
    ).update(area_default=False)
    for item in climate_import.rows:
        counts[item["action"]] += 1
        factor, _created = EmissionFactor.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "name_en": item["name_en"],
                "method": item["method"],
                "product_area": areas.get(item["product_area"]),
                "area_default": item["area_default"],
                "cpv_codes": item["cpv_codes"],
            },
        )
        if item["action"] == "unchanged":
            continue
        number = (factor.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        _version_add(
            factor=factor,
            values=_version_from_row(item["version"]),
            reason=reason.strip()[:300],
            by=by,
            number=number,
        )
    climate_import.applied_at, climate_import.applied_by = timezone.now(), by
    climate_import.save(update_fields=["applied_at", "applied_by"])
    return counts


# --- a member's data --------------------------------------------------------------------------------------


def _year_check(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": [_("Choose a year from 2000 to this year.")]})


@transaction.atomic
def climate_spend_import_read(
    *, organisation: Organisation, year: int, rows: list[dict[str, Any]], filename: str, by: User
) -> ClimateImport:
    """Check a member's spend file (one row per category, docs/climate-method.md) and keep it for a preview."""
    _year_check(year)
    if not rows:
        raise ImportRefused([(1, _("The file has no rows."))])
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportRefused([(1, _("The file has more than %(max)s rows.") % {"max": MAX_IMPORT_ROWS})])
    factors = {
        f.code: f
        for f in EmissionFactor.objects.filter(method=EmissionFactor.Method.SPEND).select_related("product_area")
    }
    errors: list[tuple[int, str]] = []
    totals: dict[str, Decimal] = {}
    for row in rows:
        number = row.get("__row__", 0)
        if extra := _extra_cells(row):
            errors.append((number, extra))
            continue
        code = _cell(row, "category").lower()
        factor = factors.get(code)
        if factor is None:
            errors.append((number, _("There is no spend category “%(code)s” in the factor table.") % {"code": code}))
            continue
        if factor.product_area_id is None:
            errors.append((number, _("The category “%(code)s” belongs to no product area.") % {"code": code}))
            continue
        try:
            amount = _amount(_cell(row, "amount_dkk"))
        except ValueError:
            errors.append(
                (
                    number,
                    _("The amount “%(value)s” is not a number of kroner. Write it as 1250000, 1.250.000 or 1250000,50.")
                    % {"value": _cell(row, "amount_dkk")},
                )
            )
            continue
        if amount < 0:
            errors.append((number, _("The amount must not be negative.")))
            continue
        if amount >= Decimal(10) ** 14:
            errors.append((number, _("The amount is too large.")))
            continue
        # Several accounting lines may share a category: they add up.
        totals[code] = totals.get(code, Decimal(0)) + amount
    if errors:
        raise ImportRefused(errors)
    current = {
        s.factor.code: str(s.amount_dkk)
        for s in ClimateSpend.objects.filter(organisation=organisation, year=year).select_related("factor")
    }
    parsed = []
    for code, amount in sorted(totals.items()):
        factor = factors[code]
        area = factor.product_area
        parsed.append(
            {
                "category": code,
                "name": factor.name,
                "name_en": factor.name_en,
                "area": area.slug if area else "",
                "amount_dkk": str(amount),
                "old": current.get(code),
            }
        )
    return ClimateImport.objects.create(
        kind=ClimateImport.Kind.SPEND,
        organisation=organisation,
        year=year,
        filename=filename[:200],
        rows=parsed,
        basis=current,
        created_by=by,
    )


@transaction.atomic
def climate_spend_import_apply(*, climate_import: ClimateImport, by: User) -> list[ClimateEstimate]:
    """Replace the member's spend of that year by the previewed file, all or nothing, and recompute the year."""
    climate_import = _pending(climate_import, ClimateImport.Kind.SPEND)
    assert climate_import.organisation is not None and climate_import.year is not None
    organisation, year = climate_import.organisation, climate_import.year
    current = {
        s.factor.code: str(s.amount_dkk)
        for s in ClimateSpend.objects.select_for_update()
        .filter(organisation=organisation, year=year)
        .select_related("factor")
    }
    if current != climate_import.basis:
        raise ValidationError(_("The spend of this year changed after the file was read. Upload it again."))
    factors = {f.code: f for f in EmissionFactor.objects.filter(code__in=[r["category"] for r in climate_import.rows])}
    ClimateSpend.objects.filter(organisation=organisation, year=year).delete()
    ClimateSpend.objects.bulk_create(
        [
            ClimateSpend(
                organisation=organisation,
                year=year,
                factor=factors[item["category"]],
                amount_dkk=Decimal(item["amount_dkk"]),
                source_import=climate_import,
            )
            for item in climate_import.rows
        ]
    )
    climate_import.applied_at, climate_import.applied_by = timezone.now(), by
    climate_import.save(update_fields=["applied_at", "applied_by"])
    return climate_account_refresh(organisation=organisation, year=year)


@transaction.atomic
def climate_spend_clear(*, organisation: Organisation, year: int, by: User) -> list[ClimateEstimate]:
    """Remove the member's imported spend of a year; its areas fall back to the follow-up's volumes."""
    ClimateSpend.objects.filter(organisation=organisation, year=year).delete()
    return climate_account_refresh(organisation=organisation, year=year)


@transaction.atomic
def climate_activity_save(
    *,
    organisation: Organisation,
    year: int,
    factor: EmissionFactor,
    product_area: ProductArea | None,
    quantity: Decimal,
    note: str,
    by: User,
    replace: bool = False,
) -> ClimateActivity:
    """Record a measured quantity of a year; it replaces the spend-based figure of its area.

    One quantity per activity and year: a second one is refused unless ``replace`` says to overwrite the first.
    """
    _year_check(year)
    if factor.method != EmissionFactor.Method.ACTIVITY:
        raise ValidationError({"factor": [_("Choose an activity factor (per kWh, litre, kg or km).")]})
    area = product_area or factor.product_area
    if area is None:
        raise ValidationError({"product_area": [_("Choose the product area this quantity belongs to.")]})
    activity = (
        ClimateActivity.objects.select_for_update().filter(organisation=organisation, year=year, factor=factor).first()
    )
    if activity is not None and not replace:
        raise ValidationError(
            {
                "replace": [
                    _(
                        "%(quantity)s %(unit)s of %(what)s is saved for %(year)s already (%(note)s). Tick the box to "
                        "replace it, or add the two figures together first."
                    )
                    % {
                        "quantity": activity.quantity.normalize(),
                        "unit": factor.versions.filter(superseded_at__isnull=True).values_list("per", flat=True).first()
                        or "",
                        "what": factor.tr.name,
                        "year": year,
                        "note": activity.note or _("no note"),
                    }
                ]
            }
        )
    if activity is None:
        activity = ClimateActivity(organisation=organisation, year=year, factor=factor)
    activity.product_area, activity.quantity, activity.note, activity.saved_by = area, quantity, note.strip(), by
    activity.full_clean(validate_constraints=False, validate_unique=False)
    activity.save()
    climate_account_refresh(organisation=organisation, year=year)
    return activity


@transaction.atomic
def climate_activity_delete(*, activity: ClimateActivity, by: User) -> None:
    organisation, year = activity.organisation, activity.year
    activity.delete()
    climate_account_refresh(organisation=organisation, year=year)


# --- estimates --------------------------------------------------------------------------------------------


@dataclass
class _Input:
    factor: EmissionFactor
    quantity: Decimal
    unit: str


def _valid_in(version: EmissionFactorVersion, year: int) -> bool:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return (version.valid_from is None or version.valid_from <= end) and (
        version.valid_to is None or version.valid_to >= start
    )


def _volumes(organisation: Organisation, year: int) -> dict[int, Decimal]:
    rows = (
        GoalAnswer.objects.filter(
            response__organisation=organisation,
            response__round__year=year,
            response__status=Response.Status.SUBMITTED,
            volume_dkk__isnull=False,
        )
        .values("goal_version__goal__product_area")
        .annotate(total=Sum("volume_dkk"))
    )
    return {
        row["goal_version__goal__product_area"]: Decimal(row["total"])
        for row in rows
        if row["total"] and row["goal_version__goal__product_area"] is not None
    }


@transaction.atomic
def climate_account_refresh(
    *, organisation: Organisation, year: int, current_factors: bool = False
) -> list[ClimateEstimate]:
    """Recompute a member's estimates of one year from its data; guarantees:

    - per product area one method: activity data where there is any, else the
      imported spend per category, else the follow-up's purchasing volume (the
      submitted response of that year) times the area's factor;
    - the factor versions the year used before are kept, unless
      ``current_factors``: a new factor never changes a figure silently;
    - a figure that cannot be computed (no factor valid that year, no
      conversion path) is stored as a problem, never guessed;
    - implemented measures take their assumed effect off their area from their
      start date, kept apart from the calculated figure and never beyond it.
    """
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    existing = list(
        ClimateEstimateLine.objects.filter(estimate__organisation=organisation, estimate__year=year).select_related(
            "factor_version"
        )
    )
    pinned = {} if current_factors else {line.factor_version.factor_id: line.factor_version for line in existing}
    current = {
        v.factor_id: v
        for v in EmissionFactorVersion.objects.filter(superseded_at__isnull=True).select_related("factor")
    }
    indices, rates = price_indices(), exchange_rates()
    inputs: dict[int, tuple[str, list[_Input]]] = {}
    for activity in ClimateActivity.objects.filter(organisation=organisation, year=year).select_related("factor"):
        inputs.setdefault(activity.product_area_id, (ClimateEstimate.Method.ACTIVITY, []))[1].append(
            _Input(activity.factor, activity.quantity, "")
        )
    for spend in ClimateSpend.objects.filter(organisation=organisation, year=year).select_related("factor"):
        area_id = spend.factor.product_area_id
        assert area_id is not None
        method, items = inputs.setdefault(area_id, (ClimateEstimate.Method.SPEND, []))
        if method == ClimateEstimate.Method.SPEND:
            items.append(_Input(spend.factor, spend.amount_dkk, HOME_CURRENCY))
    volumes = _volumes(organisation, year)
    defaults = {f.product_area_id: f for f in EmissionFactor.objects.filter(area_default=True)}
    for area_id, amount in volumes.items():
        if area_id in inputs:
            continue
        factor = defaults.get(area_id)
        inputs[area_id] = (
            ClimateEstimate.Method.VOLUME,
            [_Input(factor, amount, HOME_CURRENCY)] if factor else [],
        )
    measures = list(
        ClimateMeasure.objects.filter(
            organisation=organisation, status__in=ClimateMeasure.EFFECTIVE, starts_on__lte=date(year, 12, 31)
        )
    )
    ClimateEstimate.objects.filter(organisation=organisation, year=year).delete()
    estimates = []
    for area_id, (method, items) in sorted(inputs.items(), key=lambda pair: pair[0] or 0):
        estimate = ClimateEstimate(organisation=organisation, year=year, product_area_id=area_id, method=method)
        lines: list[ClimateEstimateLine] = []
        problem = "" if items else _("The product area has no spend-based factor.")
        for item in items:
            version = pinned.get(item.factor.pk) or current.get(item.factor.pk)
            if version is None or not _valid_in(version, year):
                problem = _("No factor for “%(category)s” is valid in %(year)s.") % {
                    "category": item.factor.tr.name,
                    "year": year,
                }
                break
            if item.unit:
                try:
                    conversion = convert_spend(
                        amount_dkk=item.quantity,
                        spend_year=year,
                        currency=version.per,
                        price_year=version.price_year or year,
                        indices=indices,
                        rates=rates,
                    )
                except NoConversionPath as exc:
                    problem = str(exc)
                    break
                converted = conversion.amount
                index_from, index_to, rate = conversion.index_from, conversion.index_to, conversion.exchange_rate
            else:
                converted, index_from, index_to, rate = item.quantity, None, None, None
            lines.append(
                ClimateEstimateLine(
                    factor_version=version,
                    quantity=item.quantity,
                    unit=item.unit or version.per,
                    index_from=index_from,
                    index_to=index_to,
                    exchange_rate=rate,
                    converted=rounded(converted),
                    kg=rounded(converted * version.value),
                )
            )
        if problem:
            estimate.problem = problem[:300]
            lines = []
        else:
            estimate.calculated_kg = sum((line.kg for line in lines), Decimal(0))
            estimate.spend_dkk = sum((i.quantity for i in items), Decimal(0)) if method != "activity" else None
            effect = sum(
                (
                    measure_effect_kg(
                        tonnes_per_year=measure_tonnes_per_year(
                            reduction_tonnes=m.reduction_tonnes,
                            reduction_percent=m.reduction_percent,
                            area_kg=estimate.calculated_kg,
                        ),
                        starts_on=m.starts_on,
                        year=year,
                    )
                    for m in measures
                    if m.product_area_id == area_id
                ),
                Decimal(0),
            )
            estimate.measures_kg = rounded(min(effect, estimate.calculated_kg))
        estimate.save()
        for line in lines:
            line.estimate = estimate
        ClimateEstimateLine.objects.bulk_create(lines)
        estimates.append(estimate)
    return estimates


def climate_account_enqueue(*, organisation_id: int, year: int) -> None:
    """After commit, recompute the member's year in a worker (the submitted follow-up changed its volumes)."""
    from ..tasks import climate_account_refresh as task

    transaction.on_commit(lambda: enqueue(task, organisation_id, year))


def climate_accounts_refresh_stale() -> int:
    """Recompute every year whose submitted follow-up is newer than its estimates (a worker that never ran)."""
    from ..selectors.climate import climate_accounts_stale

    done = 0
    for organisation_id, year in climate_accounts_stale():
        organisation = Organisation.objects.get(pk=organisation_id)
        climate_account_refresh(organisation=organisation, year=year)
        done += 1
    return done


@transaction.atomic
def climate_year_refresh(*, year: int, by: User) -> int:
    """Move every member's estimates of ``year`` onto the current factors: the secretariat's explicit step."""
    organisations = Organisation.objects.filter(
        Q(climate_estimates__year=year)
        | Q(climate_spend__year=year)
        | Q(climate_activities__year=year)
        | Q(followup_responses__round__year=year, followup_responses__status=Response.Status.SUBMITTED)
    ).distinct()
    count = 0
    for organisation in organisations:
        climate_account_refresh(organisation=organisation, year=year, current_factors=True)
        count += 1
    return count


# --- measures ---------------------------------------------------------------------------------------------


MEASURE_FIELDS = (
    "title",
    "kind",
    "product_area",
    "goal",
    "criterion",
    "project",
    "reduction_tonnes",
    "reduction_percent",
    "assumption",
    "cost_once_dkk",
    "cost_yearly_dkk",
    "lifetime_years",
    "starts_on",
    "owner",
)


def _measure_check(measure: ClimateMeasure) -> None:
    errors: dict[str, list[str]] = {}
    if (measure.reduction_tonnes is None) == (measure.reduction_percent is None):
        errors["reduction_tonnes"] = [
            _("Give the expected reduction either in tonnes a year or as a per cent of the area's emissions.")
        ]
    criterion: Criterion | None = measure.criterion
    goal: Goal | None = measure.goal
    if criterion is not None and goal is not None and criterion.version.goal_id != goal.pk:
        errors["criterion"] = [_("The criterion belongs to another goal.")]
    if goal is not None and goal.product_area_id != measure.product_area_id:
        errors["goal"] = [_("The goal belongs to another product area.")]
    if measure.status in ClimateMeasure.EFFECTIVE and measure.starts_on is None:
        errors["starts_on"] = [_("An implemented measure needs the date it takes effect from.")]
    latest = timezone.localdate().year + 10
    if measure.starts_on is not None and not 2000 <= measure.starts_on.year <= latest:
        errors["starts_on"] = [_("Give a date from 2000 to %(year)s.") % {"year": latest}]
    if errors:
        raise ValidationError(errors)
    measure.full_clean(exclude=["organisation", "created_by"])


def _years_from(starts_on: date | None) -> list[int]:
    if starts_on is None:
        return []
    return list(range(starts_on.year, timezone.localdate().year + 1))


def _estimated_years(organisation: Organisation, years: list[int]) -> list[int]:
    return sorted(
        set(ClimateEstimate.objects.filter(organisation=organisation, year__in=years).values_list("year", flat=True))
    )


@transaction.atomic
def climate_measure_save(
    *, organisation: Organisation, measure: ClimateMeasure | None, values: dict[str, Any], by: User
) -> ClimateMeasure:
    """Create or edit a member's measure (its status changes only through ``climate_measure_status_set``).

    The estimates of the years the measure touches (before and after the edit) are recomputed.
    """
    if measure is None:
        measure = ClimateMeasure(organisation=organisation, created_by=by)
    elif measure.organisation_id != organisation.pk:
        raise ValidationError(_("This measure belongs to another organisation."))
    before = _years_from(measure.starts_on) if measure.pk and measure.status in ClimateMeasure.EFFECTIVE else []
    for name in MEASURE_FIELDS:
        if name in values:
            setattr(measure, name, values[name])
    _measure_check(measure)
    measure.save()
    after = _years_from(measure.starts_on) if measure.status in ClimateMeasure.EFFECTIVE else []
    for year in _estimated_years(organisation, sorted(set(before) | set(after))):
        climate_account_refresh(organisation=organisation, year=year)
    return measure


@transaction.atomic
def climate_measure_status_set(
    *, measure: ClimateMeasure, status: str, starts_on: date | None, by: User
) -> ClimateMeasure:
    """Move a measure one step on: proposed → decided → implemented (from a date) → evaluated."""
    measure = ClimateMeasure.objects.select_for_update().get(pk=measure.pk)
    if status not in ClimateMeasure.NEXT.get(measure.status, ()):
        raise ValidationError(
            _("A measure that is “%(current)s” cannot become “%(status)s”.")
            % {
                "current": measure.get_status_display(),
                "status": ClimateMeasure.Status(status).label if status in ClimateMeasure.Status.values else status,
            }
        )
    if status == ClimateMeasure.Status.IMPLEMENTED:
        if starts_on is None:
            raise ValidationError({"starts_on": [_("Give the date the measure takes effect from.")]})
        measure.starts_on = starts_on
    measure.status = status
    _measure_check(measure)
    measure.save()
    for year in _estimated_years(measure.organisation, _years_from(measure.starts_on)):
        climate_account_refresh(organisation=measure.organisation, year=year)
    return measure


@transaction.atomic
def climate_measure_delete(*, measure: ClimateMeasure, by: User) -> None:
    """Delete a proposed or decided measure; one that took effect is kept (its effect is in the figures)."""
    if measure.status in ClimateMeasure.EFFECTIVE:
        raise ValidationError(_("An implemented measure cannot be deleted: its effect is part of the estimates."))
    measure.delete()
