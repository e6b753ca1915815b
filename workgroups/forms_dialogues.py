"""The forms of the Nordic buyer dialogues: the public's application, interest-list sign-up and gathering
registration (each with a honeypot), the assessment, the news and the secretariat's set-up of a dialogue."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, User

from .forms import DATE_INPUT, DATETIME_INPUT
from .models import DIALOGUE_LANGUAGES, DIALOGUE_REQUIREMENTS, Dialogue

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class _Honeypot(forms.Form):
    """A field people never see or fill in; a form that comes back with it filled in was sent by a program."""

    website = forms.CharField(required=False, label=_("Leave this field empty"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["website"].honeypot = True

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


def _countries(dialogue: Dialogue) -> list[tuple[str, Any]]:
    names = dict(Organisation.Country.choices)
    return [(c.country, names.get(c.country, c.country)) for c in dialogue.countries.all()]


class ApplicationForm(_Honeypot):
    organisation_name = forms.CharField(label=_("Public body"), max_length=200)
    country = forms.ChoiceField(label=_("Country"))
    identifier = forms.CharField(
        label=_("Official identifier"),
        required=False,
        max_length=20,
        help_text=_(
            "Norway and Sweden: the organisation number; Finland: the Business ID (1234567-8); Denmark: the CVR "
            "number; Iceland: the kennitala."
        ),
    )
    responsible_name = forms.CharField(label=_("Responsible person"), max_length=200)
    responsible_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    responsible_email = forms.EmailField(label=_("Responsible person's e-mail address"), max_length=254)

    def __init__(self, *args, dialogue: Dialogue, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("Choose the country")), *_countries(dialogue)]
        self.requirements = []
        for number, (key, label) in enumerate(DIALOGUE_REQUIREMENTS, start=1):
            confirm = forms.BooleanField(
                label=_("We confirm this requirement"),
                error_messages={"required": _("Confirm this requirement to apply.")},
            )
            how = forms.CharField(
                label=_("How your body meets it"),
                widget=TEXTAREA,
                max_length=1000,
                error_messages={"required": _("Say in a few words how your body meets it.")},
            )
            # The error summary names the requirement, not the label that every requirement's field shares.
            confirm.summary_label = how.summary_label = f"{number}. {label}"  # type: ignore[attr-defined]
            self.fields[f"confirm_{key}"], self.fields[f"how_{key}"] = confirm, how
            self.requirements.append((key, label))

    def clean(self):
        from core import identifiers

        data = super().clean()
        if data.get("country"):
            problem = identifiers.problem(data["country"], data.get("identifier", ""))
            if problem:
                self.add_error("identifier", problem)
        return data

    def requirement_rows(self):
        return [(key, label, self[f"confirm_{key}"], self[f"how_{key}"]) for key, label in self.requirements]


class InterestForm(_Honeypot):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[("", "—"), *Organisation.Country.choices])
    consent = forms.BooleanField(
        label=_("I give my consent as written above"),
        error_messages={"required": _("Tick the box to give your consent; without it we cannot e-mail you.")},
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput)


class RegistrationForm(_Honeypot):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=[("", "—"), *Organisation.Country.choices])


class AssessForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept: the body takes a place")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=TEXTAREA,
        max_length=2000,
        help_text=_("The applicant receives it by e-mail."),
    )


class NewsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = []
        for code, name in DIALOGUE_LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(label=_("Title"), max_length=200, required=False)
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, required=False
            )
            self.languages.append((code, name))

    def language_rows(self):
        return [(code, name, self[f"title_{code}"], self[f"body_{code}"]) for code, name in self.languages]

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            code: (self.cleaned_data.get(f"title_{code}", ""), self.cleaned_data.get(f"body_{code}", ""))
            for code, _name in self.languages
        }


class SendForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, send it now"), required=True)


class DialogueCreateForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.exclude(country=Organisation.Country.DK).order_by("country", "name"),
        help_text=_("The organisation that leads the dialogue (register it first if it is new)."),
    )
    title = forms.CharField(label=_("Title (Danish)"), max_length=200)
    purpose = forms.CharField(label=_("Purpose (Danish)"), widget=TEXTAREA)
    funder = forms.CharField(label=_("Funder"), max_length=200)
    ends_on = forms.DateField(label=_("End date"), widget=DATE_INPUT)
    target_min = forms.IntegerField(label=_("Smallest group (bodies)"), min_value=1, max_value=500, initial=6)
    target_max = forms.IntegerField(label=_("Largest group (bodies)"), min_value=1, max_value=500, initial=12)
    steering_group = forms.CharField(label=_("Steering group"), max_length=300, required=False)
    project_group = forms.CharField(
        label=_("Project group"), widget=TEXTAREA, required=False, help_text=_("One organisation per line.")
    )


class DialogueUpdateForm(forms.Form):
    funder = forms.CharField(label=_("Funder"), max_length=200)
    ends_on = forms.DateField(label=_("End date"), widget=DATE_INPUT)
    target_min = forms.IntegerField(label=_("Smallest group (bodies)"), min_value=1, max_value=500)
    target_max = forms.IntegerField(label=_("Largest group (bodies)"), min_value=1, max_value=500)
    steering_group = forms.CharField(label=_("Steering group"), max_length=300, required=False)
    project_group = forms.CharField(
        label=_("Project group"), widget=TEXTAREA, required=False, help_text=_("One organisation per line.")
    )
    applications_open = forms.BooleanField(label=_("Open for applications"), required=False)


class DialogueTextForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=DIALOGUE_LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=TEXTAREA)
    process = forms.CharField(
        label=_("Process"), widget=TEXTAREA, required=False, help_text=_("The steps of the process, one per line.")
    )


class CountryForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=Organisation.Country.choices)
    contact_organisation = forms.ModelChoiceField(
        label=_("Contact organisation"), queryset=Organisation.objects.order_by("country", "name")
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact's e-mail address"))
    contact_account = forms.EmailField(
        label=_("Contact's account in the portal (optional)"),
        required=False,
        help_text=_("The e-mail address the contact signs in with; they can then assess their country's applications."),
    )

    def clean_contact_account(self):
        email = self.cleaned_data.get("contact_account")
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No one signs in to the portal with this address."))
        return user


class GatheringForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(label=_("Agenda"), widget=TEXTAREA, required=False, help_text=_("One item per line."))
    language = forms.ChoiceField(
        label=_("Language"),
        choices=DIALOGUE_LANGUAGES,
        initial="en",
        help_text=_("The language the title and agenda are written in."),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000, required=False)
