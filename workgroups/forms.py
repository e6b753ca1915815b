from django import forms
from django.utils.translation import gettext_lazy as _

from goals.models import Criterion


class HearingResponseForm(forms.Form):
    criterion = forms.ModelChoiceField(
        label=_("Which criterion does your response concern?"),
        queryset=Criterion.objects.none(),
        required=False,
        empty_label=_("The goal in general"),
    )
    text = forms.CharField(label=_("Your response"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    keep_private = forms.BooleanField(label=_("Do not publish my response after the hearing"), required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = version.criteria.order_by("position", "number")
        self.fields["criterion"].label_from_instance = lambda c: f"{c.number} – {c.text[:80]}"


class PublicHearingResponseForm(HearingResponseForm):
    respondent_name = forms.CharField(label=_("Your name"), max_length=200)
    respondent_organisation = forms.CharField(label=_("Organisation"), max_length=200)
    respondent_email = forms.EmailField(
        label=_("Email address"), help_text=_("Used only if the secretariat needs to ask about your response.")
    )
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))  # honeypot

    field_order = [
        "respondent_name",
        "respondent_organisation",
        "respondent_email",
        "criterion",
        "text",
        "keep_private",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["homepage"].honeypot = True

    def clean(self):
        data = super().clean()
        if data.get("homepage"):
            raise forms.ValidationError(_("The response could not be accepted."))
        return data
