from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.translated import Translatable
from members.models import Organisation, User


class ProductArea(models.Model):
    """A purchasing area (cleaning, food, IT …), mapped to EU CPV codes."""

    slug = models.SlugField(_("slug"), unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["name_da"]
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_da


class CpvCode(models.Model):
    """A Common Procurement Vocabulary code (or prefix) that belongs to a product area."""

    area = models.ForeignKey(ProductArea, on_delete=models.CASCADE, related_name="cpv_codes")
    code = models.CharField(_("CPV code"), max_length=10)
    description = models.CharField(_("description"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="cpvcode_unique_per_area")]

    def __str__(self):
        return f"{self.code} {self.description}"


class Ecolabel(models.Model):
    """An ecolabel or certification scheme a criterion can be documented with."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_da = models.CharField(_("Danish name"), max_length=120)
    kind = models.CharField(_("type"), max_length=200, blank=True)
    issuer = models.CharField(_("issuer"), max_length=300, blank=True)
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    url = models.URLField(_("website"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["name_da"]
        verbose_name = _("ecolabel")
        verbose_name_plural = _("ecolabels")

    def __str__(self):
        return self.name_da if get_language() != "en" else self.name


class SdgTarget(models.Model):
    """A UN Sustainable Development Goal target, e.g. 12.7 sustainable public procurement."""

    code = models.CharField(_("target"), max_length=6, unique=True)
    goal = models.PositiveSmallIntegerField(_("SDG"))
    text = models.TextField(_("official text"))
    relevance = models.CharField(_("relevance to green procurement"), max_length=300, blank=True)

    class Meta:
        ordering = ["goal", "code"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return f"{self.code}"

    @property
    def sort_key(self):
        return tuple(int(part) for part in self.code.split(".") if part.isdigit())


class Goal(models.Model):
    """A purchasing goal's stable identity: its number and slug ("5 Rengøring"). The content lives in versions."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), max_length=80)
    product_area = models.ForeignKey(
        ProductArea, verbose_name=_("product area"), on_delete=models.PROTECT, related_name="goals"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("purchasing goal")
        verbose_name_plural = _("purchasing goals")

    def __str__(self):
        return f"{self.number} {self.slug}"

    def get_absolute_url(self):
        return reverse("goals:goal-detail", kwargs={"number": self.number, "slug": self.slug})


class GoalVersion(Translatable, models.Model):
    """One version of a goal. Published versions are immutable: a change is a new version.

    Status changes only through goals.services; the database keeps one version
    in force and one revision in progress per goal.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        INTERNAL_HEARING = "internal_hearing", _("Internal hearing")
        INDUSTRY_HEARING = "industry_hearing", _("Industry hearing")
        SUBMITTED = "submitted", _("Submitted to the steering group")
        ADOPTED = "adopted", _("Adopted")
        PUBLISHED = "published", _("In force")
        SUPERSEDED = "superseded", _("Superseded")
        WITHDRAWN = "withdrawn", pgettext_lazy("goal version status", "Withdrawn")

    IN_PROGRESS = ("draft", "internal_hearing", "industry_hearing", "submitted", "adopted")

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("goal statement"))
    scope = models.TextField(_("scope"), blank=True, help_text=_("What the goal covers and what it does not."))
    transition_note = models.TextField(
        _("transition"), blank=True, help_text=_("How and when members move to this version.")
    )
    change_note = models.TextField(_("what has changed"), blank=True)
    # The English version of the content, entered beside the Danish; the Danish text is the one adopted.
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    statement_en = models.TextField(_("goal statement (English)"), blank=True)
    scope_en = models.TextField(_("scope (English)"), blank=True)
    transition_note_en = models.TextField(_("transition (English)"), blank=True)
    change_note_en = models.TextField(_("what has changed (English)"), blank=True)
    english_updated_at = models.DateTimeField(_("English version updated"), null=True, blank=True)
    effective_date = models.DateField(_("in force from"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    adoption_registered = models.TextField(
        _("adoption registered from the records"),
        blank=True,
        help_text=_(
            "Where the steering group's adoption is recorded, for a version adopted outside the portal; "
            "empty when the adoption is a decision recorded at a meeting in the portal."
        ),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    ecolabels = models.ManyToManyField(Ecolabel, verbose_name=_("ecolabels"), blank=True, related_name="goal_versions")
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="goal_versions"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Full-text document (PostgreSQL, Danish configuration), written when the version is published.
    search_document = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["search_document", "updated_at", "english_updated_at"], m2m_fields=[ecolabels, sdg_targets]
    )

    class Meta:
        ordering = ["goal__number", "-number"]
        verbose_name = _("goal version")
        verbose_name_plural = _("goal versions")
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="goalversion_number_unique"),
            models.UniqueConstraint(fields=["goal"], condition=Q(status="published"), name="goalversion_one_in_force"),
            models.UniqueConstraint(
                fields=["goal"],
                condition=Q(status__in=["draft", "internal_hearing", "industry_hearing", "submitted", "adopted"]),
                name="goalversion_one_in_progress",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(effective_date__isnull=False),
                name="goalversion_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_date"])]

    translated_fields = ("title", "statement", "scope", "transition_note", "change_note")

    def __str__(self):
        return f"{self.goal.number} {self.title} (v{self.number})"

    def get_absolute_url(self):
        return reverse(
            "goals:version-detail",
            kwargs={"number": self.goal.number, "slug": self.goal.slug, "version": self.number},
        )

    @classmethod
    def public_q(cls) -> Q:
        """Versions anyone may read: adopted (coming into force), in force, superseded, or withdrawn after having
        been in force.

        A draft that is abandoned (withdrawn before publication) stays private.
        """
        return Q(status__in=["adopted", "published", "superseded"]) | Q(status="withdrawn", published_at__isnull=False)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in ("adopted", "published", "superseded") or (
            self.status == self.Status.WITHDRAWN and self.published_at is not None
        )


class Criterion(Translatable, models.Model):
    """A numbered requirement, recommendation, award criterion or contract clause of a goal version."""

    class Kind(models.TextChoices):
        REQUIREMENT = "requirement", _("Requirement")
        RECOMMENDATION = "recommendation", _("Recommendation")
        AWARD = "award", _("Award criterion")
        CLAUSE = "clause", _("Contract clause")

    class Ambition(models.TextChoices):
        CORE = "core", _("Core")
        COMPREHENSIVE = "comprehensive", _("Comprehensive")

    version = models.ForeignKey(GoalVersion, on_delete=models.CASCADE, related_name="criteria")
    number = models.CharField(_("number"), max_length=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REQUIREMENT)
    text = models.TextField(_("text for the tender"))
    documentation = models.TextField(
        _("documentation"), blank=True, help_text=_("How the supplier documents compliance.")
    )
    ecolabels = models.ManyToManyField(
        Ecolabel, verbose_name=_("documented by ecolabel"), blank=True, related_name="criteria"
    )
    guidance = models.TextField(_("guidance for the buyer"), blank=True)
    text_en = models.TextField(_("text for the tender (English)"), blank=True)
    documentation_en = models.TextField(_("documentation (English)"), blank=True)
    guidance_en = models.TextField(_("guidance for the buyer (English)"), blank=True)
    ambition = models.CharField(_("ambition level"), max_length=20, choices=Ambition.choices, blank=True)

    history = HistoricalRecords(m2m_fields=[ecolabels])

    class Meta:
        ordering = ["version", "position", "number"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="criterion_number_unique")]
        indexes = [models.Index(fields=["version", "kind"])]

    translated_fields = ("text", "documentation", "guidance")

    def __str__(self):
        return f"{self.number} {self.text[:60]}"


class ImplementationPlan(models.Model):
    """A new member's plan for meeting the goals in force, made with the secretariat during its transition."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="implementation_plan"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")

    def __str__(self):
        return f"{self.organisation}"


class ImplementationPlanRow(models.Model):
    """When the member expects to meet one goal version, and where it stands."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "met", _("Met")

    plan = models.ForeignKey(ImplementationPlan, on_delete=models.CASCADE, related_name="rows")
    goal_version = models.ForeignKey(GoalVersion, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="+")
    expected_by = models.DateField(_("expected to be met by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["plan", "goal_version__goal__number", "goal_version__number"]
        verbose_name = _("implementation plan row")
        verbose_name_plural = _("implementation plan rows")
        constraints = [
            models.UniqueConstraint(fields=["plan", "goal_version"], name="planrow_one_per_goal_version"),
        ]

    def __str__(self):
        return f"{self.plan} – {self.goal_version}"
