"""Climate accounting of what members buy: factors, indices, the members' data, estimates and measures.

Reference data (emission factors, price indices, exchange rates, population)
is kept with its source. A factor's value is never edited in place: a change is
a new ``EmissionFactorVersion`` and the old one is marked superseded, so an
estimate that used it keeps its figure and says which version it used. Writes
go through ``followup.services.climate``; the method is described in
docs/climate-method.md.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.translated import Translatable
from goals.models import Criterion, Goal, ProductArea
from members.models import Organisation, User

CURRENCIES = [("DKK", "DKK"), ("EUR", "EUR"), ("NOK", "NOK"), ("SEK", "SEK"), ("GBP", "GBP"), ("USD", "USD")]
HOME_CURRENCY = "DKK"
"""Members report spend in Danish kroner; the portal's price index is Denmark's."""


class EmissionFactor(Translatable, models.Model):
    """A category of purchase (spend) or of activity whose emissions a factor gives.

    The category is stable; its values over time and corrections are its versions.
    A spend factor marked ``area_default`` turns the follow-up's purchasing volume of
    its product area into an estimate.
    """

    class Method(models.TextChoices):
        SPEND = "spend", _("Spend-based")
        ACTIVITY = "activity", _("Activity-based")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("category"), max_length=200)
    name_en = models.CharField(_("category (English)"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    product_area = models.ForeignKey(
        ProductArea,
        verbose_name=_("product area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emission_factors",
    )
    area_default = models.BooleanField(
        _("used for the area's purchasing volume"),
        default=False,
        help_text=_("The follow-up's purchasing volume of the product area is multiplied by this factor."),
    )
    cpv_codes = models.CharField(_("CPV codes"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    translated_fields = ("name",)

    class Meta:
        ordering = ["method", "product_area__name_da", "code"]
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")
        constraints = [
            models.UniqueConstraint(
                fields=["product_area"],
                condition=Q(area_default=True),
                name="emissionfactor_one_default_per_area",
            ),
            models.CheckConstraint(
                condition=Q(area_default=False) | (Q(method="spend") & Q(product_area__isnull=False)),
                name="emissionfactor_default_is_spend_with_area",
                violation_error_message=_("Only a spend-based factor with a product area can be the area's factor."),
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.name}"


class EmissionFactorVersion(models.Model):
    """One value of a factor with its source, as it stood from ``created_at`` until ``superseded_at``.

    Never changed once written: a correction or a new factor set makes a new version.
    """

    class Quality(models.TextChoices):
        PRIMARY = "primary", _("Primary: the publisher's own figure")
        SECONDARY = "secondary", _("Secondary: a copy of the publisher's figure")
        DERIVED = "derived", _("Derived: computed from published totals")

    class Per(models.TextChoices):
        DKK = "DKK", "DKK"
        EUR = "EUR", "EUR"
        NOK = "NOK", "NOK"
        SEK = "SEK", "SEK"
        GBP = "GBP", "GBP"
        USD = "USD", "USD"
        KWH = "kWh", "kWh"
        LITRE = "litre", _("litre")
        KG = "kg", "kg"
        KM = "km", "km"

    CURRENCY_UNITS = ("DKK", "EUR", "NOK", "SEK", "GBP", "USD")

    factor = models.ForeignKey(
        EmissionFactor, verbose_name=_("emission factor"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    value = models.DecimalField(_("kg CO2e per unit"), max_digits=18, decimal_places=9)
    per = models.CharField(_("per"), max_length=8, choices=Per.choices)
    price_year = models.PositiveSmallIntegerField(
        _("price year"), null=True, blank=True, help_text=_("The year whose prices a spend factor is in.")
    )
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_year = models.CharField(_("year of the source"), max_length=60, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    quality = models.CharField(_("quality"), max_length=10, choices=Quality.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    class Meta:
        ordering = ["factor", "-number"]
        verbose_name = _("emission factor version")
        verbose_name_plural = _("emission factor versions")
        constraints = [
            models.UniqueConstraint(fields=["factor", "number"], name="emissionfactorversion_number_unique"),
            models.UniqueConstraint(
                fields=["factor"], condition=Q(superseded_at__isnull=True), name="emissionfactorversion_one_current"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="emissionfactorversion_value_not_negative",
                violation_error_message=_("A factor cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(per__in=["DKK", "EUR", "NOK", "SEK", "GBP", "USD"]) | Q(price_year__isnull=False),
                name="emissionfactorversion_spend_has_price_year",
                violation_error_message=_("A spend-based factor needs the year whose prices it is in."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="emissionfactorversion_valid_period",
                violation_error_message=_("The validity ends before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.factor.code} v{self.number}"

    @property
    def is_spend(self) -> bool:
        return self.per in self.CURRENCY_UNITS

    @property
    def unit_label(self) -> str:
        return f"kg CO2e / {self.get_per_display()}"


class PriceIndex(models.Model):
    """A year's consumer price index (annual average) of a country, used to move spend between price years."""

    country = models.CharField(_("country"), max_length=2, default="DK")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("index"), max_digits=10, decimal_places=3)
    base = models.CharField(_("base"), max_length=40, help_text=_("e.g. 2015=100"))
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country", "year"]
        verbose_name = _("price index")
        verbose_name_plural = _("price indices")
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="priceindex_one_per_country_and_year"),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="priceindex_positive",
                violation_error_message=_("An index is a positive number."),
            ),
        ]

    def __str__(self):
        return f"{self.country} {self.year}: {self.value} ({self.base})"


class ExchangeRate(models.Model):
    """A year's average exchange rate: Danish kroner per one unit of ``currency``."""

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    year = models.PositiveSmallIntegerField(_("year"))
    dkk_per_unit = models.DecimalField(_("DKK per unit"), max_digits=12, decimal_places=6)
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["currency", "year"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "year"], name="exchangerate_one_per_currency_and_year"),
            models.CheckConstraint(
                condition=Q(dkk_per_unit__gt=0),
                name="exchangerate_positive",
                violation_error_message=_("A rate is a positive number."),
            ),
        ]

    def __str__(self):
        return f"{self.currency} {self.year}: {self.dkk_per_unit} DKK"


class Population(models.Model):
    """The population of a municipality (by its official code) on a date, for figures per citizen."""

    country = models.CharField(_("country"), max_length=2, default="DK")
    code = models.CharField(_("municipality code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    counted_on = models.DateField(_("counted on"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)

    class Meta:
        ordering = ["country", "code", "year"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [
            models.UniqueConstraint(fields=["country", "code", "year"], name="population_one_per_code_and_year"),
        ]

    def __str__(self):
        return f"{self.name} {self.year}: {self.population}"


class ClimateImport(models.Model):
    """An uploaded file read and checked, waiting to be applied as a whole (or never).

    The rows are kept as read; ``basis`` records what they were compared with, so a
    preview that has gone stale (someone changed the data since) is refused at apply.
    """

    class Kind(models.TextChoices):
        FACTORS = "factors", _("Emission factors")
        SPEND = "spend", _("Spend per category")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="climate_imports",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    filename = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(_("rows"), default=list)
    basis = models.JSONField(_("compared with"), default=dict)
    created_at = models.DateTimeField(_("read"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("read by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    applied_by = models.ForeignKey(
        User, verbose_name=_("applied by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("climate import")
        verbose_name_plural = _("climate imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="factors") | (Q(organisation__isnull=False) & Q(year__isnull=False)),
                name="climateimport_spend_has_organisation_and_year",
                violation_error_message="A spend import belongs to an organisation and a year.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"


class ClimateSpend(models.Model):
    """A member's spend in one category and year, imported from its accounting system (DKK, excl. VAT)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="climate_spend"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    factor = models.ForeignKey(
        EmissionFactor, verbose_name=_("category"), on_delete=models.PROTECT, related_name="spend"
    )
    amount_dkk = models.DecimalField(_("spend (DKK, excl. VAT)"), max_digits=16, decimal_places=2)
    source_import = models.ForeignKey(
        ClimateImport, verbose_name=_("import"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "year", "factor__code"]
        verbose_name = _("spend per category")
        verbose_name_plural = _("spend per category")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "factor"], name="climatespend_one_per_category"),
            models.CheckConstraint(
                condition=Q(amount_dkk__gte=0),
                name="climatespend_not_negative",
                violation_error_message=_("The amount must not be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.factor.code}: {self.amount_dkk}"


class ClimateActivity(models.Model):
    """A quantity a member measured (litres of diesel, kWh, kg of beef) in a year, with its activity factor."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="climate_activities"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    factor = models.ForeignKey(
        EmissionFactor, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="activities"
    )
    product_area = models.ForeignKey(
        ProductArea,
        verbose_name=_("product area"),
        on_delete=models.PROTECT,
        related_name="climate_activities",
        help_text=_("The area whose spend-based figure this quantity replaces."),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    note = models.CharField(_("where the figure comes from"), max_length=300, blank=True)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)
    saved_by = models.ForeignKey(
        User, verbose_name=_("saved by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "year", "factor__code"]
        verbose_name = _("activity data")
        verbose_name_plural = _("activity data")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "factor"], name="climateactivity_one_per_factor"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="climateactivity_not_negative",
                violation_error_message=_("The quantity cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.factor.code}: {self.quantity}"


class ClimateEstimate(models.Model):
    """A member's estimated emissions in one product area and year, with the method that gave it.

    ``calculated_kg`` comes from the member's data (spend or quantities) times the
    factors; ``measures_kg`` is the assumed effect of its implemented measures.
    The two are kept apart: the report never mixes what was calculated with
    what was assumed. An area that could not be calculated has ``problem`` set
    and no figure, rather than a guessed one.
    """

    class Method(models.TextChoices):
        ACTIVITY = "activity", _("Activity data × activity factors")
        SPEND = "spend", _("Spend per category × spend factors")
        VOLUME = "volume", _("Follow-up purchasing volume × the area's spend factor")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="climate_estimates"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    product_area = models.ForeignKey(
        ProductArea, verbose_name=_("product area"), on_delete=models.PROTECT, related_name="climate_estimates"
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    spend_dkk = models.DecimalField(_("spend (DKK)"), max_digits=16, decimal_places=2, null=True, blank=True)
    calculated_kg = models.DecimalField(
        _("calculated (kg CO2e)"), max_digits=20, decimal_places=3, null=True, blank=True
    )
    measures_kg = models.DecimalField(
        _("assumed effect of measures (kg CO2e)"), max_digits=20, decimal_places=3, default=Decimal(0)
    )
    problem = models.CharField(_("why no figure"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        ordering = ["organisation", "-year", "product_area__name_da"]
        verbose_name = _("climate estimate")
        verbose_name_plural = _("climate estimates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "product_area"], name="climateestimate_one_per_area_and_year"
            ),
            models.CheckConstraint(
                condition=Q(calculated_kg__isnull=False) | ~Q(problem=""),
                name="climateestimate_figure_or_problem",
                violation_error_message="An estimate has a figure or the reason it has none.",
            ),
        ]
        indexes = [models.Index(fields=["year", "product_area"], name="climateestimate_year_area")]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.product_area}"

    @property
    def net_kg(self) -> Decimal | None:
        if self.calculated_kg is None:
            return None
        return max(self.calculated_kg - self.measures_kg, Decimal(0))


class ClimateEstimateLine(models.Model):
    """One quantity times one factor version in an estimate, with every conversion it went through."""

    estimate = models.ForeignKey(
        ClimateEstimate, verbose_name=_("estimate"), on_delete=models.CASCADE, related_name="lines"
    )
    factor_version = models.ForeignKey(
        EmissionFactorVersion, verbose_name=_("factor version"), on_delete=models.PROTECT, related_name="uses"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8)
    index_from = models.DecimalField(
        _("price index of the spend year"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    index_to = models.DecimalField(
        _("price index of the factor's price year"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    exchange_rate = models.DecimalField(
        _("DKK per unit of the factor's currency"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    converted = models.DecimalField(_("quantity in the factor's unit"), max_digits=20, decimal_places=3)
    kg = models.DecimalField(_("kg CO2e"), max_digits=20, decimal_places=3)

    class Meta:
        ordering = ["estimate", "factor_version__factor__code"]
        verbose_name = _("estimate line")
        verbose_name_plural = _("estimate lines")

    def __str__(self):
        return f"{self.estimate}: {self.factor_version}"


class ClimateMeasure(models.Model):
    """Something a member does to buy with less climate impact, its expected effect and its cost.

    Status moves proposed → decided → implemented → evaluated through
    ``climate_measure_status_set``. From its start date an implemented (or
    evaluated) measure reduces the estimate of its area by its assumed effect.
    """

    class Kind(models.TextChoices):
        REUSE = "reuse", _("Reuse and circularity")
        USE = "use", _("A changed use or kind of purchase")
        PRODUCT = "product", _("Changed product requirements")
        TENDER = "tender", _("Climate requirements in tenders")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DECIDED = "decided", _("Decided")
        IMPLEMENTED = "implemented", _("Implemented")
        EVALUATED = "evaluated", _("Evaluated")

    EFFECTIVE = ("implemented", "evaluated")
    NEXT = {"proposed": ("decided",), "decided": ("implemented",), "implemented": ("evaluated",), "evaluated": ()}

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="climate_measures"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    product_area = models.ForeignKey(
        ProductArea, verbose_name=_("product area"), on_delete=models.PROTECT, related_name="climate_measures"
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion that carries it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        "workgroups.Project",
        verbose_name=_("project that carries it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reduction_tonnes = models.DecimalField(
        _("expected reduction (t CO2e per year)"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    reduction_percent = models.DecimalField(
        _("expected reduction (per cent of the area's emissions)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    assumption = models.TextField(_("assumption behind the reduction"))
    cost_once_dkk = models.DecimalField(_("one-off cost (DKK)"), max_digits=14, decimal_places=2, default=Decimal(0))
    cost_yearly_dkk = models.DecimalField(
        _("yearly cost (DKK)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("A saving is a negative cost."),
    )
    lifetime_years = models.PositiveSmallIntegerField(
        _("lifetime (years)"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("The years the one-off cost is spread over."),
    )
    starts_on = models.DateField(_("takes effect from"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    owner = models.CharField(_("owner"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "product_area__name_da", "title"]
        verbose_name = _("climate measure")
        verbose_name_plural = _("climate measures")
        constraints = [
            models.CheckConstraint(
                condition=(Q(reduction_tonnes__isnull=False) & Q(reduction_percent__isnull=True))
                | (Q(reduction_tonnes__isnull=True) & Q(reduction_percent__isnull=False)),
                name="climatemeasure_one_kind_of_reduction",
                violation_error_message=_(
                    "Give the expected reduction either in tonnes a year or as a per cent of the area's emissions."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reduction_tonnes__isnull=True) | Q(reduction_tonnes__gt=0),
                name="climatemeasure_tonnes_positive",
                violation_error_message=_("The reduction in tonnes must be above 0."),
            ),
            models.CheckConstraint(
                condition=Q(reduction_percent__isnull=True)
                | (Q(reduction_percent__gt=0) & Q(reduction_percent__lte=100)),
                name="climatemeasure_percent_in_range",
                violation_error_message=_("The per cent must be above 0 and at most 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["implemented", "evaluated"]) | Q(starts_on__isnull=False),
                name="climatemeasure_effective_has_start",
                violation_error_message=_("An implemented measure needs the date it takes effect from."),
            ),
            models.CheckConstraint(
                condition=Q(lifetime_years__gte=1),
                name="climatemeasure_lifetime_positive",
                violation_error_message=_("The lifetime is at least one year."),
            ),
        ]

    def __str__(self):
        return self.title
