"""The annual follow-up: rounds, each member's response, its answers, and the reminders sent.

Status fields change only through followup.services. The database keeps one
response per organisation and round, one answer per goal and response, and
never more tenders with the POGI criteria than tenders completed.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import validate_comma_separated_integer_list
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.translated import Translatable
from goals.models import Goal, GoalVersion
from members.models import Organisation, User, private_storage


class Round(Translatable, models.Model):
    """One year's follow-up: when it opens, its deadline, and the goal versions it asks about."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True, help_text=_("The year the answers are about."))
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown to the members above the questionnaire.")
    )
    intro_en = models.TextField(
        _("introduction (English)"), blank=True, help_text=_("Shown instead to members who read the portal in English.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    goal_versions = models.ManyToManyField(
        GoalVersion, verbose_name=_("goal versions asked about"), related_name="followup_rounds", blank=True
    )
    reminder_days_before = models.CharField(
        _("reminders before the deadline (days)"),
        max_length=50,
        blank=True,
        default="14,3",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Days before the deadline, separated by commas, e.g. 14,3."),
    )
    reminder_days_after = models.CharField(
        _("reminders after the deadline (days)"),
        max_length=50,
        blank=True,
        default="7",
        validators=[validate_comma_separated_integer_list],
        help_text=_("Days after the deadline, separated by commas, e.g. 7."),
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    opened_by = models.ForeignKey(
        User, verbose_name=_("opened by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, verbose_name=_("closed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(
        _("reason for closing before the deadline"),
        blank=True,
        help_text=_("Required when the round is closed before its deadline."),
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        User, verbose_name=_("reopened by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("opens_on")), name="round_deadline_after_opening"),
        ]

    translated_fields = ("intro",)

    def __str__(self):
        return str(self.year)

    def get_absolute_url(self):
        return reverse("followup:round-detail", kwargs={"year": self.year})

    @staticmethod
    def _days(value: str) -> list[int]:
        return sorted({int(part) for part in value.split(",") if part.strip()}, reverse=True)

    @property
    def days_before(self) -> list[int]:
        return self._days(self.reminder_days_before)

    @property
    def days_after(self) -> list[int]:
        return sorted(self._days(self.reminder_days_after))

    @property
    def closed_on(self) -> date | None:
        """The day the round was (last) closed, in local time."""
        return timezone.localdate(self.closed_at) if self.closed_at else None

    @property
    def closed_early(self) -> bool:
        """Closed on a day before its deadline: members lost days they had been promised."""
        closed_on = self.closed_on
        return closed_on is not None and closed_on < self.deadline


class Response(models.Model):
    """One member organisation's answer to a round: not started → draft → submitted (→ reopened → submitted).

    ``version`` grows with every saved change; each section also has its own
    counter, so two people editing the same section are told instead of
    overwriting each other.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")

    EDITABLE = ("not_started", "draft", "reopened")

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="followup_responses"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    in_transition = models.BooleanField(
        _("in transition period"),
        default=False,
        help_text=_("The member was in its transition period when the round opened."),
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    organisation_version = models.PositiveIntegerField(_("version of the organisation part"), default=0)
    total_volume_dkk = models.PositiveBigIntegerField(
        _("estimated total purchasing volume (DKK)"), null=True, blank=True
    )
    policy_url_valid = models.BooleanField(_("procurement policy link still valid"), null=True, blank=True)
    policy_url = models.URLField(_("new link to the procurement policy"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    last_saved_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    last_saved_by = models.ForeignKey(
        User, verbose_name=_("last saved by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation_saved_at = models.DateTimeField(_("organisation part saved"), null=True, blank=True)
    organisation_saved_by = models.ForeignKey(
        User,
        verbose_name=_("organisation part saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        User, verbose_name=_("reopened by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "organisation__name"]
        verbose_name = _("follow-up response")
        verbose_name_plural = _("follow-up responses")
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="response_one_per_organisation_and_round"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False), name="response_submitted_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"]),
            # The report's cache key reads the submitted responses' versions from this index alone.
            models.Index(
                fields=["round"],
                include=["id", "version", "submitted_at"],
                condition=models.Q(status="submitted"),
                name="response_submitted_versions",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.round}"

    def get_absolute_url(self):
        return reverse("followup:response-detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        if self.status == self.Status.REOPENED:
            return True
        return self.status in self.EDITABLE and self.round.status == Round.Status.OPEN


class GoalAnswer(models.Model):
    """A member's answer about one goal version in a round."""

    class Status(models.TextChoices):
        MEETS = "meets", _("Meets the goal")
        PARTLY = "partly", _("Partly meets the goal")
        NOT_YET = "not_yet", _("Does not yet meet the goal")
        NOT_RELEVANT = "not_relevant", _("Not relevant for us")

    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    goal_version = models.ForeignKey(
        GoalVersion, verbose_name=_("goal version"), on_delete=models.PROTECT, related_name="followup_answers"
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    tenders_completed = models.PositiveIntegerField(_("tenders completed"), null=True, blank=True)
    tenders_with_criteria = models.PositiveIntegerField(_("tenders with the POGI criteria"), null=True, blank=True)
    volume_dkk = models.PositiveBigIntegerField(_("purchasing volume in the area (DKK)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    challenges_met = models.BooleanField(_("challenges met"), null=True, blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    saved_at = models.DateTimeField(_("saved"), null=True, blank=True)
    saved_by = models.ForeignKey(
        User, verbose_name=_("saved by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "goal_version__goal__number"]
        verbose_name = _("goal answer")
        verbose_name_plural = _("goal answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "goal_version"], name="goalanswer_one_per_goal"),
            models.CheckConstraint(
                condition=Q(tenders_with_criteria__isnull=True)
                | Q(tenders_completed__isnull=True)
                | Q(tenders_with_criteria__lte=F("tenders_completed")),
                name="goalanswer_criteria_within_completed",
            ),
        ]

    def __str__(self):
        return f"{self.response}: {self.goal_version}"


class ReminderLog(models.Model):
    """An email about a round sent to one person for one step (the invitation, a reminder).

    The row is written before the email is sent: a step is never sent twice to
    the same person, even when two workers or a restarted worker try.
    """

    INVITATION = "invitation"

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reminders")
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+")
    step = models.CharField(_("step"), max_length=40)
    email = models.EmailField(_("email address"))
    sent_by = models.ForeignKey(
        User, verbose_name=_("sent by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow-up email")
        verbose_name_plural = _("follow-up emails")
        constraints = [
            models.UniqueConstraint(fields=["response", "user", "step"], name="reminderlog_once_per_person_and_step"),
        ]

    def __str__(self):
        return f"{self.round} {self.step} → {self.email}"


def report_path(instance, filename: str) -> str:
    return f"followup/reports/{instance.round.year}/{filename}"


class Report(models.Model):
    """The annual report of a round (or its secretariat-only annex) in one language, and its latest PDF.

    One row per round, kind and language. Generating again replaces ``file``
    (content-addressed names, so a file is never overwritten in place); the
    published copy stays as it was until the secretariat publishes again. The
    annex is never published.
    """

    class Kind(models.TextChoices):
        REPORT = "report", _("Annual report")
        ANNEX = "annex", _("Annex: each member's answers")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", pgettext_lazy("report status", "Done")
        FAILED = "failed", _("Failed")

    ACTIVE = ("queued", "rendering")

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    language = models.CharField(_("language"), max_length=5, choices=settings.REPORT_LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("reason for the failure"), blank=True)
    reused = models.BooleanField(
        _("data unchanged"),
        default=False,
        help_text=_("The last generation found the data unchanged and kept the file."),
    )
    data_hash = models.CharField(_("hash of the data"), max_length=64, blank=True)
    file = models.FileField(_("PDF"), storage=private_storage, upload_to=report_path, max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    published_file = models.FileField(
        _("published PDF"), storage=private_storage, upload_to=report_path, max_length=255, blank=True
    )
    published_size = models.PositiveIntegerField(_("size of the published PDF (bytes)"), null=True, blank=True)
    published_hash = models.CharField(_("SHA-256 of the published PDF"), max_length=64, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-round__year", "kind", "language"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            models.UniqueConstraint(fields=["round", "kind", "language"], name="report_one_per_round_kind_language"),
            models.CheckConstraint(
                condition=Q(kind="report") | Q(published_at__isnull=True), name="report_annex_never_published"
            ),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="report_done_has_file"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(published_file=""), name="report_published_has_file"
            ),
        ]
        indexes = [models.Index(fields=["published_at"], name="report_published_idx")]

    def __str__(self):
        return f"{self.round} {self.get_kind_display()} ({self.language})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_lost(self) -> bool:
        """Still "rendering" longer than the task's hard time limit: the worker died with it (killed, say).

        No live worker renders past that limit, so the run will not finish; the
        secretariat may generate the report again at once, and the beat task
        ``reports_requeue_lost`` queues it again by itself.
        """
        if self.status != self.Status.RENDERING or self.started_at is None:
            return False
        return timezone.now() - self.started_at > timedelta(seconds=settings.REPORT_TIME_LIMIT)

    @property
    def download_name(self) -> str:
        stem = "pogi-aarsrapport" if self.language == "da" else "pogi-annual-report"
        if self.kind == self.Kind.ANNEX:
            stem = "pogi-bilag-svar" if self.language == "da" else "pogi-annex-answers"
        return f"{stem}-{self.round.year}.pdf"

    def get_public_url(self):
        return reverse("followup:report-public-pdf", kwargs={"year": self.round.year, "language": self.language})


class ReportQuote(models.Model):
    """A challenge a member reported, chosen (and perhaps edited) by the secretariat to quote anonymously."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="quotes")
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="+")
    answer = models.ForeignKey(
        GoalAnswer,
        verbose_name=_("answer quoted"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
    )
    text = models.TextField(
        _("quote"), help_text=_("As it will appear in the report. Remove anything that identifies the member.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    chosen_by = models.ForeignKey(
        User, verbose_name=_("chosen by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "goal__number", "position", "pk"]
        verbose_name = _("quote in the report")
        verbose_name_plural = _("quotes in the report")
        constraints = [
            models.UniqueConstraint(fields=["round", "answer"], name="reportquote_answer_once_per_round"),
        ]

    def __str__(self):
        return f"{self.round} {self.goal.number}: {self.text[:40]}"


# Climate accounting, a sub-domain of its own (followup/models_climate.py).
from .models_climate import (  # noqa: E402
    ClimateActivity,
    ClimateEstimate,
    ClimateEstimateLine,
    ClimateImport,
    ClimateMeasure,
    ClimateSpend,
    EmissionFactor,
    EmissionFactorVersion,
    ExchangeRate,
    Population,
    PriceIndex,
)

__all__ = [
    "ClimateActivity",
    "ClimateEstimate",
    "ClimateEstimateLine",
    "ClimateImport",
    "ClimateMeasure",
    "ClimateSpend",
    "EmissionFactor",
    "EmissionFactorVersion",
    "ExchangeRate",
    "GoalAnswer",
    "Population",
    "PriceIndex",
    "ReminderLog",
    "Report",
    "ReportQuote",
    "Response",
    "Round",
]
