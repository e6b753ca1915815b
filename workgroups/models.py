import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.translated import Translatable
from goals.models import Criterion, Goal, GoalVersion, ProductArea
from members.models import Membership, Organisation, User, private_storage


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

    @property
    def next_milestone(self) -> "Milestone | None":
        """The first milestone not yet reached, while the group works (reads the prefetched milestones)."""
        if self.status in (self.Status.COMPLETED, self.Status.CANCELLED):
            return None
        if self.draft is not None and self.draft.status not in GoalVersion.IN_PROGRESS[:4]:
            return None  # the steering group has adopted the draft (or it was withdrawn)
        return next((m for m in self.milestones.all() if not m.done_on), None)


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
    close_reason = models.TextField(_("reason for closing before the deadline"), blank=True)
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

    @property
    def closed_early(self) -> bool:
        return self.closed_at is not None and self.closed_at < self.closes_at


class HearingNotice(models.Model):
    """Who was told that an internal hearing is open, and which member organisations nobody could be told for."""

    class Role(models.TextChoices):
        PRIMARY = "primary", _("Primary representative")
        DEPUTY = "deputy", _("Deputy")
        STEERING_GROUP = "steering_group", _("Steering-group representative")
        CHAIR = "chair", _("Chair of the working group")
        GROUP_MEMBER = "group_member", _("Member of the working group")
        NONE = "none", _("No one")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        NO_RECIPIENT = "no_recipient", _("No recipient")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("email address"), blank=True)
    role = models.CharField(_("told as"), max_length=20, choices=Role.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["hearing", "organisation__name", "role", "email"]
        verbose_name = _("hearing notice")
        verbose_name_plural = _("hearing notices")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "user"], condition=Q(user__isnull=False), name="hearingnotice_once_per_person"
            ),
            models.UniqueConstraint(
                fields=["hearing", "organisation"],
                condition=Q(status="no_recipient"),
                name="hearingnotice_no_recipient_once_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(status="no_recipient", user__isnull=True) | (~Q(status="no_recipient") & ~Q(email="")),
                name="hearingnotice_recipient_unless_none",
            ),
        ]

    def __str__(self):
        return f"{self.hearing}: {self.email or self.organisation} ({self.get_status_display()})"


class HearingResponse(models.Model):
    """A response to a hearing, on one criterion or in general, and the secretariat's answer to it."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("In the portal")
        EMAIL = "email", _("By email, registered by the secretariat")

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("hearing answer", "Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    class Dismissal(models.TextChoices):
        SPAM = "spam", _("Spam")
        IRRELEVANT = "irrelevant", _("Irrelevant to the goal")

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
    dismissed = models.CharField(_("left out of the memo as"), max_length=20, choices=Dismissal.choices, blank=True)
    dismissed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dismissed_at = models.DateTimeField(_("left out"), null=True, blank=True)

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


class Body(models.Model):
    """A body that meets and decides, with its quorum rule (from the partnership's rules of procedure)."""

    class Kind(models.TextChoices):
        STEERING_GROUP = "steering_group", _("Steering group")
        WORKING_GROUP = "working_group", _("Working group")
        MOVE = "move", _("POGI Move")
        LAB = "lab", _("POGI Lab")
        # The partnership's Council ("Rådet"), which formally starts every Lab project.
        COUNCIL = "council", _("The Council")

    # The rules of procedure: a body decides with more than half of its member
    # organisations present; the steering group also needs at least three.
    DEFAULT_MIN_PRESENT: dict[str, int] = {Kind.STEERING_GROUP: 3}
    # The partnership's rules for the two tracks: Move's chair is elected for two years and it has one
    # representative from every member; Lab's chair is chosen by the founding municipalities for at least
    # two years, and any member may take part beside them.
    DEFAULT_RULES: dict[str, dict[str, object]] = {
        Kind.MOVE: {
            "chair_rule": "elected",
            "chair_term_years": 2,
            "chair_term_is_minimum": False,
            "composition": "one_per_member",
        },
        Kind.LAB: {
            "chair_rule": "founders",
            "chair_term_years": 2,
            "chair_term_is_minimum": True,
            "composition": "founders_and_open",
        },
    }

    kind = models.CharField(_("body"), max_length=20, choices=Kind.choices, unique=True)
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (per cent of member organisations present)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("A decision needs more than this share of the body's member organisations present."),
    )
    min_present = models.PositiveSmallIntegerField(
        _("minimum number of organisations present"),
        default=2,
        help_text=_("A decision also needs at least this many member organisations present."),
    )

    class ChairRule(models.TextChoices):
        ELECTED = "elected", _("Elected by the body's members")
        FOUNDERS = "founders", _("Chosen by the founding municipalities")
        APPOINTED = "appointed", _("Appointed by the partnership")

    class Composition(models.TextChoices):
        ONE_PER_MEMBER = "one_per_member", _("One representative from every member")
        FOUNDERS_AND_OPEN = "founders_and_open", _("The founding municipalities; any member may take part")
        SEATS = "seats", _("The organisations seated on it")

    chair_rule = models.CharField(
        _("how the chair is chosen"), max_length=20, choices=ChairRule.choices, default=ChairRule.ELECTED
    )
    chair_term_years = models.PositiveSmallIntegerField(
        _("chair's term (years)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    chair_term_is_minimum = models.BooleanField(
        _("the term is a minimum"),
        default=False,
        help_text=_("Whether the chair serves at least the term (and may serve longer) instead of exactly the term."),
    )
    composition = models.CharField(
        _("composition"), max_length=20, choices=Composition.choices, default=Composition.SEATS
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self):
        return self.get_kind_display()

    def quorum_needed(self, eligible: int) -> int:
        """How many organisations must be present for a decision, out of `eligible`."""
        more_than = eligible * self.quorum_percent // 100
        return max(self.min_present, more_than + 1 if eligible else self.min_present)


class Meeting(models.Model):
    """A meeting of a body: when and where, agenda, attendance, decisions and minutes."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    invitation_requested_at = models.DateTimeField(_("invitation requested"), null=True, blank=True)
    invitation_sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_in = models.ForeignKey(
        "self",
        verbose_name=_("minutes approved at"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["body", "starts_at"], name="meeting_body_starts")]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("workgroups:meeting-detail", kwargs={"pk": self.pk})

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class AgendaItem(models.Model):
    """An item on a meeting's agenda; a decision item may concern a draft, an application or the work plan."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("For information")
        DISCUSSION = "discussion", _("For discussion")
        DECISION = "decision", _("For decision")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INFORMATION)
    version = models.ForeignKey(
        GoalVersion,
        verbose_name=_("draft to adopt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    effective_date = models.DateField(_("in force from"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    work_plan = models.ForeignKey(
        WorkPlan, verbose_name=_("work plan"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        "Project",
        verbose_name=_("project to approve"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="decision")
                | (
                    Q(version__isnull=True)
                    & Q(membership__isnull=True)
                    & Q(work_plan__isnull=True)
                    & Q(project__isnull=True)
                ),
                name="agendaitem_subject_needs_decision",
            ),
            models.CheckConstraint(
                condition=Q(version__isnull=True) | Q(effective_date__isnull=False),
                name="agendaitem_draft_has_effective_date",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


def document_path(instance, filename):
    return f"meeting-documents/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class AgendaDocument(models.Model):
    """A PDF attached to an agenda item (a note, a memo, a presentation), for the meeting's participants."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file (PDF)"), storage=private_storage, upload_to=document_path)
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["item", "uploaded_at", "pk"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """A person who attended a meeting, for the organisation they represent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "organisation__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once_per_person")]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class Decision(Translatable, models.Model):
    """The decision on an agenda item: proposal, quorum at the time, votes and outcome."""

    class Outcome(models.TextChoices):
        CARRIED = "carried", _("Carried")
        NOT_CARRIED = "not_carried", _("Not carried")

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    proposal = models.TextField(_("proposal"))
    proposal_en = models.TextField(_("proposal (English)"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    eligible = models.PositiveSmallIntegerField(_("member organisations of the body"))
    present = models.PositiveSmallIntegerField(_("member organisations present"))
    quorum = models.PositiveSmallIntegerField(_("quorum"))
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=Q(present__gte=models.F("quorum")), name="decision_has_quorum"),
        ]

    translated_fields = ("proposal",)

    def __str__(self):
        return f"{self.item}: {self.get_outcome_display()}"


class Vote(models.Model):
    """One member organisation's vote on a decision."""

    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)

    class Meta:
        ordering = ["decision", "organisation__name"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["decision", "organisation"], name="vote_once_per_organisation")]

    def __str__(self):
        return f"{self.organisation}: {self.get_choice_display()}"


class DraftComment(models.Model):
    """A steering-group member's comment on a draft before the meeting, on one criterion or in general."""

    version = models.ForeignKey(GoalVersion, on_delete=models.CASCADE, related_name="steering_comments")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "criterion__position", "created_at"]
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")

    def __str__(self):
        return f"{self.author}: {self.text[:40]}"


# --- projects: POGI Move and POGI Lab ------------------------------------------------------------


class Project(models.Model):
    """A project of the partnership: a Move project that scales a solution, or a Lab project that develops one.

    Its status moves only through workgroups.services.projects; a Lab project is
    approved by a carried decision of the Council, a Move project by one of POGI
    Move, both recorded at a meeting through decision_record.
    """

    class Track(models.TextChoices):
        MOVE = "move", _("POGI Move")
        LAB = "lab", _("POGI Lab")
        NORDIC = "nordic", _("Nordic cooperation")

    class Kind(models.TextChoices):
        PURCHASING = "purchasing", _("Purchasing project")
        BEHAVIOUR = "behaviour", _("Behaviour and culture project")
        DEVELOPMENT = "development", _("Development project")
        DIALOGUE = "dialogue", _("Nordic buyer dialogue")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PRIORITISED = "prioritised", _("Prioritised")
        APPROVED = "approved", _("Approved")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    TRACK_OF_KIND: dict[str, str] = {
        Kind.PURCHASING: Track.MOVE,
        Kind.BEHAVIOUR: Track.MOVE,
        Kind.DEVELOPMENT: Track.LAB,
        Kind.DIALOGUE: Track.NORDIC,
    }

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    track = models.CharField(_("track"), max_length=10, choices=Track.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="owned_projects"
    )
    lead = models.ForeignKey(
        User,
        verbose_name=_("project lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    goals = models.ManyToManyField(Goal, verbose_name=_("purchasing goals"), blank=True, related_name="projects")
    product_areas = models.ManyToManyField(
        ProductArea, verbose_name=_("product areas"), blank=True, related_name="projects"
    )
    co2_potential_tonnes = models.DecimalField(
        _("CO2 reduction potential (t CO2e per year)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    co2_assumption = models.TextField(_("assumption behind the potential"), blank=True)
    measured_effect_tonnes = models.DecimalField(
        _("measured effect (t CO2e per year)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    effect_note = models.TextField(_("how the effect was measured"), blank=True)
    scalability = models.PositiveSmallIntegerField(
        _("scalability (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    relevance = models.PositiveSmallIntegerField(
        _("relevance to the members (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    decision = models.OneToOneField(
        Decision,
        verbose_name=_("approved by decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    stop_reason = models.TextField(_("why the project was stopped"), blank=True)
    handed_over_from = models.OneToOneField(
        "self",
        verbose_name=_("handed over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handed_over_to",
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["status", "track"], name="project_status_track")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(track="move") & Q(kind__in=["purchasing", "behaviour"]))
                | (Q(track="lab") & Q(kind="development"))
                | (Q(track="nordic") & Q(kind="dialogue")),
                name="project_kind_fits_track",
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | ~Q(stop_reason=""), name="project_stopped_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(scalability__isnull=True) | Q(scalability__gte=1, scalability__lte=5))
                & (Q(relevance__isnull=True) | Q(relevance__gte=1, relevance__lte=5)),
                name="project_scores_1_5",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project-detail", kwargs={"slug": self.slug})

    @property
    def progress(self) -> int | None:
        """Progress in whole per cent, derived from the phases (never typed in): the weight of the milestones
        reached over the weight of all that are not cancelled; None without a plan. Uses the list's annotations
        (selectors.projects.with_progress) where present, else the (prefetched) phases."""
        if hasattr(self, "weight_total"):
            done, total = getattr(self, "weight_done", 0), self.weight_total
        else:
            phases = list(self.phases.all())
            done = sum(p.weight for p in phases if p.status == ProjectPhase.Status.DONE)
            total = sum(p.weight for p in phases if p.status != ProjectPhase.Status.CANCELLED)
        return round(100 * done / total) if total else None


class ProjectParticipant(models.Model):
    """A member organisation taking part in a project, with its role."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Project owner")
        PARTICIPANT = "participant", _("Participant")
        SUPPORT = "support", _("Supports the hand-over")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="project_participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    joined_on = models.DateField(_("taking part from"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "organisation__name"]
        verbose_name = _("project participant")
        verbose_name_plural = _("project participants")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="project_participant_once"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectPartner(models.Model):
    """An external partner of a project, such as SKI, Miljømærkning Danmark or a university."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("external partner")
        verbose_name_plural = _("external partners")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="project_partner_once")]

    def __str__(self):
        return self.name


class ProjectPhase(models.Model):
    """A phase of a project's plan with its milestone: planned and actual dates, a status and a weight.

    The project's progress is derived from its phases: the weight of the
    milestones reached over the weight of all that are not cancelled.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Milestone reached")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("phase"), max_length=200)
    milestone = models.CharField(_("milestone"), max_length=300)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MaxValueValidator(100)],
        help_text=_("How much the milestone counts in the project's progress, relative to the others."),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("milestone reached on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    budget_dkk = models.PositiveBigIntegerField(_("budget (DKK)"), null=True, blank=True)
    spent_dkk = models.PositiveBigIntegerField(_("spent so far (DKK)"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "position", "pk"]
        verbose_name = _("project phase")
        verbose_name_plural = _("project phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")), name="projectphase_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(actual_end__isnull=False), name="projectphase_done_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def is_late(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS) and self.planned_end < timezone.localdate()


class ProjectStatusReport(models.Model):
    """The quarterly status report to the project's owner: activities, results, deviations with their corrective
    action, and the next period's activities, with a traffic light on cost, time and quality."""

    class Light(models.TextChoices):
        GREEN = "green", _("Green: as planned")
        YELLOW = "yellow", _("Yellow: at risk")
        RED = "red", _("Red: off track")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    activities = models.TextField(_("main activities in the period"))
    results = models.TextField(_("results: what has been achieved"))
    deviations = models.TextField(_("deviations and corrective action (cost, time, quality)"), blank=True)
    next_activities = models.TextField(_("main activities next period"))
    cost = models.CharField(_("cost"), max_length=10, choices=Light.choices)
    time = models.CharField(pgettext_lazy("status report", "time"), max_length=10, choices=Light.choices)
    quality = models.CharField(_("quality"), max_length=10, choices=Light.choices)
    filed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-year", "-quarter"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "quarter"], name="status_report_once_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="status_report_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.project}: {self.year} Q{self.quarter}"

    @property
    def is_red(self) -> bool:
        return self.Light.RED in (self.cost, self.time, self.quality)

    @property
    def is_late(self) -> bool:
        """Filed after the quarter it reports on had ended."""
        from .quarters import quarter_end

        return timezone.localdate(self.filed_at) > quarter_end(self.year, self.quarter)


class ProjectReportReminder(models.Model):
    """A reminder of a quarter's status report sent to one person: written before the e-mail goes, so it is sent
    once per project, quarter and person however often the worker runs."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="report_reminders")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("status report reminder")
        verbose_name_plural = _("status report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "quarter", "email"], name="report_reminder_once_per_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.year} Q{self.quarter} → {self.email}"


class ProjectFunding(models.Model):
    """A source in a project's financing plan: the owner's own share, a grant or another contribution,
    with its amount and whether it is applied for, granted or refused."""

    class Kind(models.TextChoices):
        OWN = "own", _("Own share")
        GRANT = "grant", _("Grant")
        OTHER = "other", _("Other contribution")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied for")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("source"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_dkk = models.PositiveBigIntegerField(_("amount (DKK)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "kind", "source"]
        verbose_name = _("source of financing")
        verbose_name_plural = _("sources of financing")
        constraints = [models.UniqueConstraint(fields=["project", "source"], name="project_funding_source_once")]

    def __str__(self):
        return f"{self.source}: {self.amount_dkk} DKK ({self.get_status_display()})"


class ProjectRisk(models.Model):
    """A risk in a project's register, scored for probability and consequence on a scale of 1 to 4, with the measure that
    meets it and the person or party who owns it. The score is probability times consequence (1 to 16)."""

    SCALE = (1, 2, 3, 4)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risk"), max_length=300)
    probability = models.PositiveSmallIntegerField(
        _("probability (1–4)"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    consequence = models.PositiveSmallIntegerField(
        _("consequence (1–4)"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    measure = models.TextField(_("measure"))
    owner = models.CharField(_("risk owner"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=4, consequence__gte=1, consequence__lte=4),
                name="projectrisk_scores_1_4",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.score})"

    @property
    def score(self) -> int:
        return self.probability * self.consequence


class ProjectStakeholder(models.Model):
    """One cell of a project's stakeholder table: who is responsible (H), takes part (D) or is informed (I)
    at one step (activity) of the project."""

    class Involvement(models.TextChoices):
        RESPONSIBLE = "H", _("H: responsible")
        TAKES_PART = "D", _("D: takes part")
        INFORMED = "I", _("I: informed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stakeholders")
    activity = models.CharField(_("activity"), max_length=200)
    stakeholder = models.CharField(_("stakeholder"), max_length=200)
    involvement = models.CharField(_("involvement"), max_length=1, choices=Involvement.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "activity", "stakeholder"], name="projectstakeholder_once_per_activity"
            ),
        ]

    def __str__(self):
        return f"{self.activity}: {self.stakeholder} ({self.involvement})"


class PrioritisationWeights(models.Model):
    """The weights the secretariat sets for scoring Lab proposals: CO2 reduction potential, scalability and
    relevance to the members. One row, changed through services.prioritisation.prioritisation_weights_set."""

    co2 = models.PositiveSmallIntegerField(_("weight of the CO2 reduction potential"), default=2)
    scalability = models.PositiveSmallIntegerField(_("weight of scalability"), default=1)
    relevance = models.PositiveSmallIntegerField(_("weight of relevance to the members"), default=1)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prioritisation weights")
        verbose_name_plural = _("prioritisation weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(co2__lte=10, scalability__lte=10, relevance__lte=10), name="weights_at_most_10"
            ),
        ]

    def __str__(self):
        return f"CO2 {self.co2} · {self.scalability} · {self.relevance}"


class BodySeat(models.Model):
    """An organisation's seat on a body, with the person representing it: POGI Move has one representative from
    every member; POGI Lab is carried by the founding municipalities, and any member may take part."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="seats")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="body_seats"
    )
    person = models.ForeignKey(
        User, verbose_name=_("representative"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    founding = models.BooleanField(_("founding organisation"), default=False)
    since = models.DateField(_("since"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-founding", "organisation__name"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [models.UniqueConstraint(fields=["body", "organisation"], name="bodyseat_one_per_organisation")]

    def __str__(self):
        return f"{self.body}: {self.organisation}"


class BodyOffice(models.Model):
    """A chair or vice-chair of a body for the period they serve, and how they were chosen."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="offices")
    role = models.CharField(_("office"), max_length=20, choices=Role.choices)
    person = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("chosen by decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("how they were chosen"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-starts_on", "role"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="bodyoffice_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.body}: {self.get_role_display()} {self.person}"


class YearWheelEvent(Translatable, models.Model):
    """A recurring event of the partnership's year wheel ("årshjul"): a body's regular meeting, the follow-up
    round, a hearing period or the annual conference, in the month (and day, where it is fixed) it comes each
    year. Meetings, rounds and hearings with real dates are shown from their own records beside it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting of a body")
        FOLLOWUP = "followup", _("Follow-up round")
        HEARING = "hearing", _("Hearing")
        CONFERENCE = "conference", _("Annual conference")
        OTHER = "other", _("Other event")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, null=True, blank=True, related_name="year_wheel"
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(
        _("day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Leave empty when the event comes some time in the month."),
    )
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), default=1, validators=[MinValueValidator(1)])

    history = HistoricalRecords()

    translated_fields = ("title", "description")

    class Meta:
        ordering = ["month", "day", "title"]
        verbose_name = _("year wheel event")
        verbose_name_plural = _("year wheel events")
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="yearwheel_month_1_12"),
            models.CheckConstraint(condition=Q(day__isnull=True) | Q(day__gte=1, day__lte=31), name="yearwheel_day"),
        ]

    def __str__(self):
        return self.title


# The Nordic buyer dialogues, a sub-domain of projects, have their models in a module of their own.
from .models_dialogues import (  # noqa: E402
    DIALOGUE_LANGUAGES,
    DIALOGUE_REQUIREMENTS,
    ConsentText,
    Dialogue,
    DialogueApplication,
    DialogueCountry,
    DialogueGathering,
    DialogueNews,
    DialogueNewsText,
    DialogueText,
    GatheringRegistration,
    InterestSignup,
    NewsDelivery,
)

__all__ = [
    "DIALOGUE_LANGUAGES",
    "DIALOGUE_REQUIREMENTS",
    "ConsentText",
    "Dialogue",
    "DialogueApplication",
    "DialogueCountry",
    "DialogueGathering",
    "DialogueNews",
    "DialogueNewsText",
    "DialogueText",
    "GatheringRegistration",
    "InterestSignup",
    "NewsDelivery",
]
