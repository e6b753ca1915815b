"""The Nordic buyer dialogues: a project of the kind "dialogue" with its countries and national contacts, its
texts per language, gatherings, applications, interest list (double opt-in, versioned consent) and news."""

from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.translated import LocalText
from members.models import Organisation, User

from .models import Project

# --- Nordic buyer dialogues ------------------------------------------------------------------------

DIALOGUE_LANGUAGES: list[tuple[str, Any]] = [
    ("da", _("Danish")),
    ("en", _("English")),
    ("nb", _("Norwegian Bokmål")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
]

# What a dialogue asks of every participating body (the Nordic buyer dialogues' own list): the application
# confirms each one explicitly and says in a few words how the body meets it.
DIALOGUE_REQUIREMENTS: list[tuple[str, Any]] = [
    ("leadership", _("Leadership anchoring: the management backs the participation")),
    ("need", _("A real need for the solution, and the wish to buy it")),
    ("interdisciplinary", _("Interdisciplinary participation: subject matter, management and purchasing")),
    ("resources", _("Time and resources to follow the project and anchor it internally")),
    ("responsible", _("One responsible person who follows the project to its end date")),
    ("competence", _("Competence in the subject, in procurement and in innovation")),
    ("costs", _("The body covers its own costs of taking part, travel and stays included")),
]


class Dialogue(models.Model):
    """A Nordic buyer dialogue: a project of the kind "dialogue" with the countries taking part, the funder,
    the project and steering groups, the size of the group it recruits and the date it ends.

    The project's owner is the lead organisation (a member or an external participant)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="dialogue")
    funder = models.CharField(_("funder"), max_length=200)
    steering_group = models.CharField(_("steering group"), max_length=300, blank=True)
    project_group = models.TextField(
        _("project group"), blank=True, help_text=_("The organisations in the project group, one per line.")
    )
    target_min = models.PositiveSmallIntegerField(
        _("smallest group (bodies)"), default=6, validators=[MinValueValidator(1)]
    )
    target_max = models.PositiveSmallIntegerField(
        _("largest group (bodies)"), default=12, validators=[MinValueValidator(1)]
    )
    ends_on = models.DateField(_("end date"))
    applications_open = models.BooleanField(_("open for applications"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Nordic buyer dialogue")
        verbose_name_plural = _("Nordic buyer dialogues")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_min__gte=1) & Q(target_min__lte=models.F("target_max")),
                name="dialogue_target_range",
            ),
        ]

    def __str__(self):
        return str(self.project)


class DialogueText(models.Model):
    """A dialogue's own texts in one language; a reader gets their language, else English, else Danish."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=5, choices=DIALOGUE_LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    process = models.TextField(_("process"), blank=True, help_text=_("The steps of the process, one per line."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["dialogue", "language"]
        verbose_name = _("dialogue text")
        verbose_name_plural = _("dialogue texts")
        constraints = [models.UniqueConstraint(fields=["dialogue", "language"], name="dialogue_text_once")]

    def __str__(self):
        return f"{self.title} [{self.language}]"


class DialogueCountry(models.Model):
    """A country taking part in a dialogue, with its national contact organisation and person; the person, when
    they have an account, assesses the applications from their country beside the secretariat."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(_("country"), max_length=2, choices=Organisation.Country.choices)
    contact_organisation = models.ForeignKey(
        Organisation, verbose_name=_("contact organisation"), on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact's e-mail address"))
    contact_user = models.ForeignKey(
        User,
        verbose_name=_("contact's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_contacts",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["dialogue", "country"]
        verbose_name = _("country in a dialogue")
        verbose_name_plural = _("countries in a dialogue")
        constraints = [models.UniqueConstraint(fields=["dialogue", "country"], name="dialogue_country_once")]

    def __str__(self):
        return f"{self.get_country_display()}: {self.contact_organisation}"


class DialogueGathering(models.Model):
    """A gathering of a dialogue (a kick-off in Oslo, a workshop): date, place, agenda and registration."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="gatherings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=DIALOGUE_LANGUAGES,
        default="en",
        help_text=_("The language the title and agenda are written in."),
    )
    registration_open = models.BooleanField(_("open for registration"), default=True)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def title_text(self) -> LocalText:
        """The title with the language it is written in (``{{ gathering.title_text|in_lang }}``)."""
        return LocalText(self.title, self.language)


class GatheringRegistration(models.Model):
    """A person registered for a gathering."""

    gathering = models.ForeignKey(DialogueGathering, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Organisation.Country.choices)
    language = models.CharField(_("language"), max_length=5, choices=DIALOGUE_LANGUAGES)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["gathering", "created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["gathering", "email"], name="gathering_registration_once")]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class DialogueApplication(models.Model):
    """A public body's application to take part in a dialogue: each requirement confirmed with how the body
    meets it, and the responsible person; assessed by its country's national contact or the secretariat."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for assessment")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="applications")
    organisation_name = models.CharField(_("public body"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Organisation.Country.choices)
    identifier = models.CharField(_("official identifier"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogue_applications",
    )
    requirements = models.JSONField(
        _("how the body meets the requirements"), default=dict, help_text=_("Requirement → the body's own words.")
    )
    responsible_name = models.CharField(_("responsible person"), max_length=200)
    responsible_title = models.CharField(_("job title"), max_length=200, blank=True)
    responsible_email = models.EmailField(_("responsible person's e-mail address"))
    language = models.CharField(_("language"), max_length=5, choices=DIALOGUE_LANGUAGES)
    news_opt_out = models.BooleanField(_("no news by e-mail"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(_("reason"), blank=True)
    assessed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dialogue", "country", "submitted_at"]
        verbose_name = _("application to take part")
        verbose_name_plural = _("applications to take part")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted") | ~Q(reason=""), name="dialogue_application_decided_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["dialogue", "status", "country"], name="dialogue_application_places")]

    def __str__(self):
        return f"{self.organisation_name} ({self.get_status_display()})"


class ConsentText(models.Model):
    """A version of the consent text an interest-list sign-up agrees to, in every dialogue language.

    A new wording is a new version; a sign-up keeps the version and language it agreed to, with the time."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_da = models.TextField(_("text (Danish)"))
    text_en = models.TextField(_("text (English)"))
    text_nb = models.TextField(_("text (Norwegian Bokmål)"))
    text_sv = models.TextField(_("text (Swedish)"))
    text_fi = models.TextField(_("text (Finnish)"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")

    def __str__(self):
        return f"v{self.version}"

    def text(self, language: str) -> str:
        return getattr(self, f"text_{language}", "") or self.text_en


class InterestSignup(models.Model):
    """A person on a dialogue's interest list: news by e-mail only once they confirmed the address (double
    opt-in). Unconfirmed sign-ups are deleted after INTEREST_CONFIRM_DAYS; unsubscribing deletes the row."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="interest")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Organisation.Country.choices, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=DIALOGUE_LANGUAGES)
    consent = models.ForeignKey(ConsentText, verbose_name=_("consent text"), on_delete=models.PROTECT, related_name="+")
    consent_language = models.CharField(_("consent given in"), max_length=5, choices=DIALOGUE_LANGUAGES)
    consented_at = models.DateTimeField(_("consent given"))
    confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "created_at"]
        verbose_name = _("interest-list sign-up")
        verbose_name_plural = _("interest-list sign-ups")
        constraints = [models.UniqueConstraint(fields=["dialogue", "email"], name="interest_signup_once")]
        indexes = [models.Index(fields=["confirmed_at", "created_at"], name="interest_unconfirmed")]

    def __str__(self):
        return self.email


class DialogueNews(models.Model):
    """A news update of a dialogue, written per language, sent once to the confirmed interest list and the
    accepted participants (a delivery row per address, so no one gets it twice)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="news")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    send_requested_at = models.DateTimeField(_("sending requested"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("news update")
        verbose_name_plural = _("news updates")

    def __str__(self):
        first = next(iter(self.texts.all()), None)
        return first.title if first else f"#{self.pk}"


class DialogueNewsText(models.Model):
    news = models.ForeignKey(DialogueNews, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=5, choices=DIALOGUE_LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["news", "language"]
        verbose_name = _("news text")
        verbose_name_plural = _("news texts")
        constraints = [models.UniqueConstraint(fields=["news", "language"], name="dialogue_news_text_once")]

    def __str__(self):
        return self.title


class NewsDelivery(models.Model):
    """The send log: one row per news update and address, claimed before its e-mail goes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Delivered to the mail server")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        INTEREST = "interest", _("Interest list")
        PARTICIPANT = "participant", _("Participant")

    news = models.ForeignKey(DialogueNews, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=DIALOGUE_LANGUAGES)
    source = models.CharField(_("recipient"), max_length=20, choices=Source.choices)
    signup = models.ForeignKey(InterestSignup, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    application = models.ForeignKey(
        DialogueApplication, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(_("error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["news", "email"]
        verbose_name = _("news delivery")
        verbose_name_plural = _("news deliveries")
        constraints = [models.UniqueConstraint(fields=["news", "email"], name="news_delivery_once")]
        indexes = [models.Index(fields=["news", "status"], name="news_delivery_status")]

    def __str__(self):
        return f"{self.email}: {self.get_status_display()}"
