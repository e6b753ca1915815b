from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from goals.models import GoalVersion

from .amounts import parse_whole_number
from .models import GoalAnswer, Response, Round

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class WholeNumberField(forms.Field):
    """A non-negative whole number typed with or without thousand separators ("1.250.000")."""

    widget = forms.TextInput

    def __init__(self, *, max_value: int | None = None, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "class": "input-width-m"})
        return attrs

    def to_python(self, value):
        number = parse_whole_number(value)
        if number is not None and self.max_value is not None and number > self.max_value:
            raise ValidationError(_("The number is too large."), code="max_value")
        return number

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return formats.number_format(value, force_grouping=True)
        return value


class SectionForm(forms.Form):
    """A questionnaire section: every field may be left empty when saving a draft; submit checks them."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    required_at_submit: tuple[str, ...] = ()

    def __init__(self, *args, hints: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required_at_submit:
            self.fields[name].conditional = True
        for name, hint in (hints or {}).items():
            self.hint(name, hint)

    def hint(self, name: str, value) -> None:
        """Show last year's answer under a field (never copied into it)."""
        if name in self.fields and value not in (None, ""):
            self.fields[name].help_text = _("Last year: %(value)s") % {"value": value}

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class OrganisationSectionForm(SectionForm):
    total_volume_dkk = WholeNumberField(
        label=_("Estimated total purchasing volume of the year (DKK)"), required=False, max_value=10**15
    )
    policy_url_valid = forms.TypedChoiceField(
        label=_("Is the link to your procurement policy still valid?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        coerce=lambda v: v == "yes",
        empty_value=None,
    )
    policy_url = forms.URLField(
        label=_("New link to the procurement policy"),
        required=False,
        assume_scheme="https",
        help_text=_("Only if the link is no longer valid."),
    )
    contact_name = forms.CharField(label=_("Contact person for the follow-up"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact person's email address"), required=False)
    contact_phone = forms.CharField(label=_("Contact person's phone"), max_length=40, required=False)

    required_at_submit = ("total_volume_dkk", "policy_url_valid", "contact_name", "contact_email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy_url"].conditional = True

    @classmethod
    def initial_from(cls, response: Response) -> dict:
        valid = response.policy_url_valid
        return {
            "version": response.organisation_version,
            "total_volume_dkk": response.total_volume_dkk,
            "policy_url_valid": None if valid is None else ("yes" if valid else "no"),
            "policy_url": response.policy_url,
            "contact_name": response.contact_name,
            "contact_email": response.contact_email,
            "contact_phone": response.contact_phone,
        }

    def clean(self):
        data = super().clean()
        if data.get("policy_url_valid") is not False:
            data["policy_url"] = ""
        return data


class GoalSectionForm(SectionForm):
    tenders_completed = forms.IntegerField(
        label=_("Number of tenders completed in the year within the goal's area"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={"min_value": _("The number cannot be negative.")},
        widget=forms.NumberInput(attrs={"class": "input-width-xs", "inputmode": "numeric"}),
    )
    tenders_with_criteria = forms.IntegerField(
        label=_("How many of them used the POGI criteria"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={"min_value": _("The number cannot be negative.")},
        widget=forms.NumberInput(attrs={"class": "input-width-xs", "inputmode": "numeric"}),
    )
    volume_dkk = WholeNumberField(label=_("Purchasing volume in the area (DKK)"), required=False, max_value=10**15)
    status = forms.ChoiceField(
        label=_("Where do you stand on the goal?"),
        choices=GoalAnswer.Status.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required unless you meet the goal."),
    )
    challenges_met = forms.TypedChoiceField(
        label=_("Did you meet challenges?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        coerce=lambda v: v == "yes",
        empty_value=None,
    )
    challenges = forms.CharField(
        label=_("Challenges you met"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only if you met challenges: describe them."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )

    required_at_submit = ("tenders_completed", "tenders_with_criteria", "volume_dkk", "status")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].conditional = True
        self.fields["challenges"].conditional = True

    @classmethod
    def initial_from(cls, answer: GoalAnswer | None) -> dict:
        if answer is None:
            return {"version": 0}
        return {
            "version": answer.version,
            "tenders_completed": answer.tenders_completed,
            "tenders_with_criteria": answer.tenders_with_criteria,
            "volume_dkk": answer.volume_dkk,
            "status": answer.status,
            "reason": answer.reason,
            "challenges_met": None if answer.challenges_met is None else ("yes" if answer.challenges_met else "no"),
            "challenges": answer.challenges,
            "comment": answer.comment,
        }

    def clean(self):
        data = super().clean()
        completed, with_criteria = data.get("tenders_completed"), data.get("tenders_with_criteria")
        if completed is not None and with_criteria is not None and with_criteria > completed:
            self.add_error(
                "tenders_with_criteria",
                ValidationError(
                    _("Cannot be more than the number of tenders completed (%(completed)s)."),
                    code="more_than_completed",
                    params={"completed": completed},
                ),
            )
        return data


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(
        label=_("I confirm that the answers are correct and may be used in the partnership's annual report."),
        error_messages={"required": _("Confirm the answers before you submit.")},
    )


class RoundForm(forms.ModelForm):
    goal_versions = forms.ModelMultipleChoiceField(
        label=_("Goals asked about"),
        queryset=GoalVersion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to ask about every goal in force on the opening date."),
    )

    class Meta:
        model = Round
        fields = ["year", "opens_on", "deadline", "intro", "intro_en", "reminder_days_before", "reminder_days_after"]
        widgets = {
            "opens_on": DateInput(),
            "deadline": DateInput(),
            "intro": forms.Textarea(attrs={"rows": 5}),
            "intro_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_versions"].queryset = GoalVersion.objects.filter(status="published").select_related("goal")
        self.fields["goal_versions"].label_from_instance = lambda v: f"{v.goal.number} {v.title} (v{v.number})"
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.fields["goal_versions"].initial = list(self.instance.goal_versions.values_list("pk", flat=True))
            if self.instance.status != Round.Status.DRAFT:
                self.fields["goal_versions"].disabled = True
                self.fields["opens_on"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("deadline") and data["deadline"] < data["opens_on"]:
            self.add_error("deadline", _("The deadline cannot be before the opening date."))
        return data

    def _post_clean(self):
        # The service validates and saves; the form only parses.
        pass


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("Same columns as the export of all answers; see the description of the format."),
    )
    submit = forms.BooleanField(
        label=_("Submit the imported responses on the members' behalf"),
        required=False,
        help_text=_("Only responses with every required answer can be submitted."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an XLSX or CSV file."))
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


CONFIRM_REQUIRED = _("Tick the box to confirm.")


class RoundOpenForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, open the round and email the invitations"), error_messages={"required": CONFIRM_REQUIRED}
    )


class RoundCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the round closed before its deadline?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the round's history and stated in the annual report."),
    )
    confirm = forms.BooleanField(
        label=_("Yes, close the round: members that have not submitted can no longer answer"),
        error_messages={"required": CONFIRM_REQUIRED},
    )

    def __init__(self, *args, early: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.early = early
        if early:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "The deadline has not passed yet. Give the reason for closing the round before it."
            )
        else:
            del self.fields["reason"]


class RoundReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the round reopened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    confirm = forms.BooleanField(
        label=_("Yes, reopen the round: members that have not submitted can answer again"),
        error_messages={"required": CONFIRM_REQUIRED},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the response reopened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
