"""The annual follow-up: rounds, each member's response, its answers, and the reminders sent.

Status fields change only through followup.services. The database keeps one
response per organisation and round, one answer per goal and response, and
never more tenders with the POGI criteria than tenders completed.
"""

from django.core.validators import validate_comma_separated_integer_list
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.models import GoalVersion
from members.models import Organisation, User


class Round(models.Model):
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("opens_on")), name="round_deadline_after_opening"),
        ]

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
        indexes = [models.Index(fields=["round", "status"])]

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
