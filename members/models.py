import hashlib
import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.files.storage import Storage, storages
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("is_secretariat", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an email address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    is_secretariat = models.BooleanField(
        _("secretariat staff"), default=False, help_text=_("Staff of the secretariat may do everything in the portal.")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language the person last signed in with; e-mails to them are written in it."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email

    @property
    def representative_or_none(self):
        """The person's representative role while their organisation is an active member, else None.

        A withdrawn member's representatives (or one whose new application is not yet
        verified) keep their record but act for nobody: every rule that reads this loses them.
        One query, cached on the instance like the one-to-one it replaces.
        """
        if "_member_representative" not in self.__dict__:
            rep = (
                Representative.objects.filter(user=self)
                .select_related("organisation")
                .annotate(
                    member_active=models.Exists(
                        Membership.objects.filter(
                            organisation_id=models.OuterRef("organisation_id"), status=Membership.Status.ACTIVE
                        )
                    )
                )
                .first()
            )
            if rep is not None:
                rep.user = self
            type(self).representative.related.set_cached_value(self, rep)  # fills the one-to-one's cache
            self.__dict__["_member_representative"] = rep if rep is not None and rep.member_active else None
        return self.__dict__["_member_representative"]


class Region(models.Model):
    """A Danish region (reference data with its official code)."""

    code = models.CharField(_("region code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    nuts2 = models.CharField(_("NUTS 2 code"), max_length=4, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A public organisation that is, was, or may become a member."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Region")
        STATE = "state", _("State body")
        OTHER = "other", _("Other public body")

    class Country(models.TextChoices):
        DK = "DK", _("Denmark")
        NO = "NO", _("Norway")
        SE = "SE", _("Sweden")
        FI = "FI", _("Finland")
        IS = "IS", _("Iceland")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.DK)
    official_code = models.CharField(
        _("official code"),
        max_length=10,
        blank=True,
        help_text=_("Municipality or region code (kommunekode / regionskode)."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    cvr = models.CharField(
        _("CVR number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A CVR number has exactly eight digits."))],
    )
    registry_number = models.CharField(
        _("organisation number"),
        max_length=20,
        blank=True,
        help_text=_(
            "Norway and Sweden: the organisation number; Finland: the Business ID (Y-tunnus); Iceland: the "
            "kennitala. Checked by the register's check-digit rule."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    procurement_policy_url = models.URLField(
        _("procurement policy"),
        blank=True,
        help_text=_("Link to the organisation's public procurement policy or strategy."),
    )
    email_domain = models.CharField(
        _("official email domain"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", _("Give a domain such as aarhus.dk."))],
        help_text=_(
            "Applicants with an address on this domain confirm it by a link instead of waiting for the "
            "secretariat's check. Reference data; only the secretariat changes it."
        ),
    )
    purchasing_volume_dkk = models.PositiveBigIntegerField(
        _("estimated yearly purchasing volume (DKK)"), null=True, blank=True
    )
    description = models.TextField(_("about the organisation"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "official_code"],
                condition=~Q(official_code=""),
                name="organisation_official_code_unique",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:member-detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        from core import identifiers

        super().clean()
        if self.registry_number:
            if self.country == self.Country.DK:
                raise ValidationError({"registry_number": _("A Danish organisation is identified by its CVR number.")})
            problem = identifiers.problem(self.country, self.registry_number)
            if problem:
                raise ValidationError({"registry_number": problem})
            self.registry_number = identifiers.normalise(self.country, self.registry_number)

    @property
    def needs_no_approval(self) -> bool:
        """Municipalities and regions join without the steering group's assessment."""
        return self.kind in (self.Kind.MUNICIPALITY, self.Kind.REGION)

    def is_official_email(self, email: str) -> bool:
        """Whether the address is on the organisation's official email domain (never when none is known)."""
        domain = email.rpartition("@")[2].strip().lower()
        return bool(self.email_domain) and domain == self.email_domain.lower()


def add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``; public holidays are not counted out."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def enrolment_form_path(instance, filename):
    # Generated names only: the uploader's file name is kept in a field, never on disk.
    return f"enrolment-forms/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


def private_storage() -> Storage:
    return storages["private"]


OPEN_STATUSES = ["received", "applied", "active"]
MOTIVATION_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000


class Membership(models.Model):
    """An organisation's life in the partnership: received or applied → active → withdrawn, or rejected.

    A municipality or region is ``received`` until its applicant is verified (the
    secretariat's check of the signed form, or a link to an official address);
    any other body is ``applied`` until the steering group decides. Status changes
    only through members.services; the database keeps at most one open
    (received, applied or active) membership per organisation, and an active one
    is always verified.
    """

    class Verification(models.TextChoices):
        SECRETARIAT = "secretariat", _("the secretariat's check of the signed form")
        EMAIL = "email", _("a confirmed address on the official email domain")
        RECORDS = "records", _("the secretariat's records")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, awaiting verification")
        APPLIED = "applied", _("Application pending")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_title = models.CharField(_("contact's job title"), max_length=200, blank=True)
    motivation = models.TextField(_("motivation"), blank=True, validators=[MaxLengthValidator(MOTIVATION_MAX_LENGTH)])
    procurement_policy_url = models.URLField(
        _("procurement policy given in the application"),
        blank=True,
        help_text=_("Copied to the organisation's public page only when the applicant is verified."),
    )
    enrolment_form = models.FileField(
        _("signed enrolment form"), storage=private_storage, upload_to=enrolment_form_path, blank=True
    )
    enrolment_form_name = models.CharField(_("original file name"), max_length=255, blank=True)
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    transition_until = models.DateField(
        _("transition period ends"),
        null=True,
        blank=True,
        help_text=_("A new member has a transition period to implement the goals."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(
        _("reason for the decision"), blank=True, validators=[MaxLengthValidator(REASON_MAX_LENGTH)]
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User, verbose_name=_("verified by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verification_method = models.CharField(
        _("verified by way of"), max_length=20, choices=Verification.choices, blank=True
    )
    verification_email_sent_at = models.DateTimeField(_("confirmation link sent"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"), blank=True, validators=[MaxLengthValidator(REASON_MAX_LENGTH)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=OPEN_STATUSES),
                name="membership_one_open_per_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(verified_at__isnull=False),
                name="membership_active_is_verified",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="membership_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(joined_on__isnull=False),
                name="membership_active_has_join_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "transition_until"])]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"

    @property
    def in_transition(self) -> bool:
        return (
            self.status == self.Status.ACTIVE
            and self.transition_until is not None
            and self.transition_until >= date.today()
        )

    @property
    def verification_due(self) -> date | None:
        """The day by which the secretariat checks a received application (working days, Monday to Friday)."""
        if self.status != self.Status.RECEIVED or self.applied_at is None:
            return None
        return add_working_days(timezone.localdate(self.applied_at), settings.POGI_VERIFICATION_WORKING_DAYS)

    @property
    def verification_overdue(self) -> bool:
        due = self.verification_due
        return due is not None and due < timezone.localdate()

    @property
    def enrolment_form_filename(self) -> str:
        return self.enrolment_form_name or Path(self.enrolment_form.name).name


class Representative(models.Model):
    """A person acting for ONE organisation.

    An organisation has at most one primary representative, one deputy and one
    steering-group representative; other representatives are specialists.
    """

    class Position(models.TextChoices):
        PRIMARY = "primary", _("Primary representative")
        DEPUTY = "deputy", _("Deputy")
        SPECIALIST = "specialist", _("Specialist")

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="representative")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="representatives"
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    steering_group = models.BooleanField(_("steering-group representative"), default=False)
    expertise = models.CharField(_("areas of expertise"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "position", "user__name"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(position="primary"), name="representative_one_primary"
            ),
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(position="deputy"), name="representative_one_deputy"
            ),
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(steering_group=True), name="representative_one_steering_group"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_position_display()})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An emailed invitation to become a representative of an organisation.

    Only the token's hash is stored; the token itself is in the email link.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=20, choices=Representative.Position.choices)
    steering_group = models.BooleanField(_("steering-group representative"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, verbose_name=_("accepted by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    def get_state_display(self) -> str:
        return {
            "accepted": _("Accepted"),
            "revoked": _("Revoked"),
            "expired": _("Expired"),
            "pending": _("Pending"),
        }[self.state]
