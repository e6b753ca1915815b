from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.uploads import validate_pdf

from .models import MOTIVATION_MAX_LENGTH, REASON_MAX_LENGTH, Organisation, Representative


class ApplicationForm(forms.Form):
    """The public membership application.

    A Danish municipality or region picks itself from the official list; any
    other public body gives its name and kind and waits for the steering group.
    """

    APPLICANT_LISTED = "listed"
    APPLICANT_OTHER = "other"

    applicant = forms.ChoiceField(
        label=_("Who is applying?"),
        choices=[
            (APPLICANT_LISTED, _("A Danish municipality or region")),
            (APPLICANT_OTHER, _("Another public body (state, utility, education, Nordic)")),
        ],
        widget=forms.RadioSelect,
        initial=APPLICANT_LISTED,
    )
    organisation = forms.ModelChoiceField(
        label=_("Municipality or region"),
        help_text=_("Required when a municipality or region applies."),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Choose …"),
    )
    name = forms.CharField(
        label=_("Name of the public body"),
        max_length=200,
        required=False,
        help_text=_("Required for other public bodies."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of body"),
        choices=[
            ("", _("Choose …")),
            (Organisation.Kind.STATE, _("State body")),
            (Organisation.Kind.OTHER, _("Other public body")),
        ],
        required=False,
    )
    country = forms.ChoiceField(label=_("Country"), choices=Organisation.Country.choices, initial="DK", required=False)
    cvr = forms.RegexField(
        label=_("CVR number"),
        regex=r"^\d{8}$",
        required=False,
        max_length=8,
        error_messages={"invalid": _("A CVR number has exactly eight digits.")},
        help_text=_("Danish bodies only: eight digits."),
    )
    procurement_policy_url = forms.URLField(
        label=_("Link to your public procurement policy"),
        assume_scheme="https",
        max_length=200,
        help_text=_(
            "Membership requires a public procurement policy or strategy in which the environment is a significant factor."
        ),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("Contact email"),
        max_length=254,
        help_text=_(
            "The contact is invited to become the organisation's primary representative once the application "
            "is verified. An address on the organisation's own email domain can be confirmed by a link at once."
        ),
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    enrolment_form = forms.FileField(
        label=_("Signed enrolment form (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MOTIVATION_MAX_LENGTH,
        required=False,
        help_text=_(
            "Required for other public bodies: the steering group assesses whether the body's purchasing portfolio is broad enough."
        ),
    )
    website = forms.CharField(required=False, max_length=200, label=_("Leave this field empty"))  # honeypot

    def __init__(self, *args, listed_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Made per request, in the reader's language (a lazy text formatted at import would stay Danish).
        self.fields["enrolment_form"].help_text = _(
            "Signed by the mayor or the chair of the regional council, or by the body's management. PDF, at most %(max)s."
        ) % {"max": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        self.fields["organisation"].queryset = (
            listed_queryset if listed_queryset is not None else Organisation.objects.none()
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["website"].honeypot = True
        # Required for one kind of applicant only: clean() says which.
        for name in ("organisation", "name", "kind", "motivation"):
            self.fields[name].conditional = True

    def clean_enrolment_form(self):
        upload = self.cleaned_data["enrolment_form"]
        validate_pdf(upload)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("The application could not be accepted."))
        if data.get("applicant") == self.APPLICANT_LISTED:
            if not data.get("organisation"):
                self.add_error("organisation", _("Choose your municipality or region."))
        elif data.get("applicant") == self.APPLICANT_OTHER:
            if not data.get("name", "").strip():
                self.add_error("name", _("Give the name of the public body."))
            if not data.get("kind"):
                self.add_error("kind", _("Choose the kind of body."))
            if not data.get("motivation", "").strip():
                self.add_error("motivation", _("Tell the steering group briefly why you want to join."))
        return data


class OrganisationProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    procurement_policy_url = forms.URLField(
        label=_("Procurement policy"),
        assume_scheme="https",
        help_text=_("Link to the organisation's public procurement policy or strategy."),
    )

    class Meta:
        model = Organisation
        fields = ["website", "procurement_policy_url", "cvr", "purchasing_volume_dkk", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    position = forms.ChoiceField(label=_("Position"), choices=Representative.Position.choices)
    steering_group = forms.BooleanField(label=_("Represents the organisation in the steering group"), required=False)


class DecisionForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"
    decision = forms.ChoiceField(
        label=_("The steering group's decision"),
        choices=[(APPROVE, _("Approved")), (REJECT, _("Rejected"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("Required when the application is rejected; shown to the applicant's contact."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for rejecting the application."))
        return data


class EmailDomainForm(forms.Form):
    email_domain = forms.CharField(
        label=_("Official email domain"),
        max_length=100,
        required=False,
        help_text=_(
            "Only a domain the organisation itself uses for its staff, e.g. aarhus.dk. Leave empty when it is not "
            "known for certain: applications are then always checked by the secretariat."
        ),
    )


class RejectReceivedForm(forms.Form):
    """Rejecting a received application whose signed form is not genuine (no steering-group decision)."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Why the application is rejected, e.g. that the organisation did not sign the form."),
    )


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=REASON_MAX_LENGTH, required=False
    )


class TransitionForm(forms.Form):
    transition_until = forms.DateField(
        label=_("Transition period ends"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to end the transition period now."),
    )


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        from .models import User

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                validate_password(p1, user=User(email=self.email, name=data.get("name", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CommitmentFilterForm(forms.Form):
    """The overview's filter: one choice of status per registered commitment (members.commitments)."""

    def __init__(self, *args, **kwargs):
        from .commitments import registered

        super().__init__(*args, **kwargs)
        for commitment in registered():
            self.fields[commitment.key] = forms.ChoiceField(
                label=commitment.label,
                choices=[("", _("All members")), *commitment.statuses],
                required=False,
            )

    def chosen(self) -> dict[str, str]:
        """The valid choices; a value that is not one of them is left out (and shown as an error on the field)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}
