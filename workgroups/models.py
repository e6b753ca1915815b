import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from goals.models import Criterion, Goal, GoalVersion, ProductArea
from members.models import Organisation, User, private_storage


class WorkPlan(models.Model):
    """The steering group's plan for a year: which goals to develop or revise."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    decided_on = models.DateField(_("decided by the steering group on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self):
        return str(self.year)


class WorkPlanItem(models.Model):
    """One goal to develop (new) or revise in a year's work plan, and why."""

    class Kind(models.TextChoices):
        NEW = "new", _("New goal")
        REVISION = "revision", _("Revision")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, null=True, blank=True, related_name="work_plan_items"
    )
    product_area = models.ForeignKey(ProductArea, verbose_name=_("product area"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    rationale = models.TextField(_("why"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="new") | Q(goal__isnull=False), name="workplanitem_revision_names_goal"
            ),
            models.UniqueConstraint(
                fields=["plan", "goal"], condition=Q(goal__isnull=False), name="workplanitem_goal_once_a_year"
            ),
        ]

    def __str__(self):
        return f"{self.plan}: {self.title}"


def terms_path(instance, filename):
    return f"terms-of-reference/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class WorkingGroup(models.Model):
    """A working group that drafts one goal version under its terms of reference (kommissorium)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Being formed")
        ACTIVE = "active", _("Working")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    MIN_MEMBERS = 5

    item = models.OneToOneField(
        WorkPlanItem, verbose_name=_("work plan item"), on_delete=models.PROTECT, related_name="working_group"
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="working_groups")
    draft = models.ForeignKey(
        GoalVersion,
        verbose_name=_("goal version being drafted"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
    )
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    terms_pdf = models.FileField(
        _("terms of reference (PDF)"), storage=private_storage, upload_to=terms_path, blank=True
    )
    facilitator = models.ForeignKey(
        User,
        verbose_name=_("secretariat facilitator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-item__plan__year", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workgroups:group-detail", kwargs={"slug": self.slug})


class WorkingGroupMember(models.Model):
    """A representative of a member organisation appointed to a working group."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="working_groups")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    is_chair = models.BooleanField(_("chair (tovholder)"), default=False)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_chair", "organisation__name"]
        verbose_name = _("working-group member")
        verbose_name_plural = _("working-group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="wgmember_once_per_group"),
            models.UniqueConstraint(fields=["group"], condition=Q(is_chair=True), name="wgmember_one_chair"),
        ]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class Milestone(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    planned_on = models.DateField(_("planned"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "planned_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class Hearing(models.Model):
    """An internal (members) or industry (external respondents) hearing on a draft goal version."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal hearing")
        INDUSTRY = "industry", _("Industry hearing")

    version = models.ForeignKey(
        GoalVersion, verbose_name=_("goal version"), on_delete=models.PROTECT, related_name="hearings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closes_at = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    notified_at = models.DateTimeField(_("members notified"), null=True, blank=True)
    opened_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="hearing_one_per_kind_and_version")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.version}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.closes_at > timezone.now()


class HearingResponse(models.Model):
    """A response to a hearing, on one criterion or in general, and the secretariat's answer to it."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("In the portal")
        EMAIL = "email", _("By email, registered by the secretariat")

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("hearing answer", "Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="responses")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    respondent_name = models.CharField(_("name"), max_length=200)
    respondent_organisation = models.CharField(_("organisation"), max_length=200)
    respondent_email = models.EmailField(_("email address"), blank=True)
    member = models.ForeignKey(
        Organisation,
        verbose_name=_("member organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    text = models.TextField(_("response"))
    keep_private = models.BooleanField(_("do not publish my response"), default=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    answer = models.CharField(_("secretariat's assessment"), max_length=20, choices=Answer.choices, blank=True)
    answer_text = models.TextField(_("answer and action"), blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["hearing", "criterion__position", "received_at"]
        verbose_name = _("hearing response")
        verbose_name_plural = _("hearing responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="") | ~Q(answer_text=""), name="hearingresponse_answer_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.respondent_organisation}: {self.text[:40]}"
