"""Forms for a project's risk register and stakeholder table."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProjectStakeholder

PROBABILITY_CHOICES = [
    (1, _("1: unlikely")),
    (2, _("2: possible")),
    (3, _("3: likely")),
    (4, _("4: very likely")),
]
CONSEQUENCE_CHOICES = [
    (1, _("1: minor")),
    (2, _("2: moderate")),
    (3, _("3: serious")),
    (4, _("4: critical")),
]


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Risk"), max_length=300, help_text=_("What could go wrong, in a sentence."))
    probability = forms.TypedChoiceField(
        label=_("Probability (1–4)"), choices=PROBABILITY_CHOICES, coerce=int, initial=2
    )
    consequence = forms.TypedChoiceField(
        label=_("Consequence (1–4)"), choices=CONSEQUENCE_CHOICES, coerce=int, initial=2
    )
    measure = forms.CharField(
        label=_("Measure"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is done to prevent the risk or to limit its consequence."),
    )
    owner = forms.CharField(
        label=_("Risk owner"), max_length=200, help_text=_("The person or party who follows the risk.")
    )


class StakeholderForm(forms.Form):
    prefix = "stakeholder"
    activity = forms.CharField(
        label=_("Activity"),
        max_length=200,
        help_text=_(
            "A step of the project, for example a phase or a tender. An activity already in the table "
            "is matched by its name."
        ),
    )
    stakeholder = forms.CharField(
        label=_("Stakeholder"),
        max_length=200,
        help_text=_("A person, an organisation or a group, for example a supplier or the members' buyers."),
    )
    involvement = forms.ChoiceField(
        label=_("Involvement"), choices=ProjectStakeholder.Involvement.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, activities=(), stakeholders=(), **kwargs):
        super().__init__(*args, **kwargs)
        # the names already in the table are offered as the person types (a datalist, no script)
        if activities:
            self.fields["activity"].widget.attrs["list"] = "stakeholder-activities"
        if stakeholders:
            self.fields["stakeholder"].widget.attrs["list"] = "stakeholder-names"
