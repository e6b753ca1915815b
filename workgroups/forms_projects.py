"""Forms for projects: a member's proposal, the plan's phases, completion with the effect, and the hand-over."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goals.models import Goal
from members.models import Membership, Organisation

from .forms import DATE_INPUT
from .models import Project, ProjectFunding, ProjectPhase, ProjectStatusReport

MOVE_KINDS = [(k, label) for k, label in Project.Kind.choices if Project.TRACK_OF_KIND[k] == Project.Track.MOVE]


class ProjectProposalForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner organisation"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of project"),
        choices=Project.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "POGI Move scales what works into the members' purchasing; POGI Lab develops new solutions, "
            "with their own financing."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the project is to achieve, and for whom."),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Purchasing goals it serves"),
        queryset=Goal.objects.select_related("product_area").order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co2_potential_tonnes = forms.DecimalField(
        label=_("CO2 reduction potential (t CO2e per year)"),
        required=False,
        max_digits=12,
        decimal_places=1,
        min_value=0,
    )
    co2_assumption = forms.CharField(
        label=_("Assumption behind the potential"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the figure is estimated, so others can check it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].label_from_instance = lambda goal: (
            _("Goal %(number)s: %(area)s")
            % {
                "number": goal.number,
                "area": goal.product_area,
            }
        )
        if user.is_secretariat:
            self.fields["owner"].queryset = Organisation.objects.filter(
                memberships__status=Membership.Status.ACTIVE
            ).order_by("name")
        else:
            del self.fields["owner"]


class PhaseForm(forms.Form):
    prefix = "phase"
    title = forms.CharField(label=_("Phase"), max_length=200)
    milestone = forms.CharField(
        label=_("Milestone"), max_length=300, help_text=_("What is reached when the phase ends.")
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=_("How much the milestone counts in the project's progress, relative to the others."),
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE_INPUT)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE_INPUT)
    budget_dkk = forms.IntegerField(label=_("Budget (DKK)"), min_value=0, required=False)


class PhaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProjectPhase.Status.choices)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE_INPUT)
    actual_end = forms.DateField(label=_("Milestone reached on"), required=False, widget=DATE_INPUT)
    spent_dkk = forms.IntegerField(label=_("Spent so far (DKK)"), min_value=0, required=False)


class ProjectCompleteForm(forms.Form):
    measured_effect_tonnes = forms.DecimalField(
        label=_("Measured effect (t CO2e per year)"),
        required=False,
        help_text=_("Leave empty if the effect could not be measured, and say why below."),
        max_digits=12,
        decimal_places=1,
        min_value=0,
    )
    effect_note = forms.CharField(
        label=_("How the effect was measured"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandOverForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of Move project"), choices=MOVE_KINDS, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title of the Move project"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to keep the Lab project's title."),
    )


class StatusReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Quarter"))
    activities = forms.CharField(
        label=_("Main activities in the period"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    results = forms.CharField(
        label=_("Results: what has been achieved"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    deviations = forms.CharField(
        label=_("Deviations and corrective action"),
        help_text=_("On cost, time and quality. Required when a light is red."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_activities = forms.CharField(
        label=_("Main activities next period"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    cost = forms.ChoiceField(label=_("Cost"), choices=ProjectStatusReport.Light.choices, widget=forms.RadioSelect)
    time = forms.ChoiceField(
        label=pgettext_lazy("status report", "Time"),
        choices=ProjectStatusReport.Light.choices,
        widget=forms.RadioSelect,
    )
    quality = forms.ChoiceField(label=_("Quality"), choices=ProjectStatusReport.Light.choices, widget=forms.RadioSelect)

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (f"{y}-{q}", _("%(year)s Q%(quarter)s") % {"year": y, "quarter": q}) for y, q in quarters
        ]

    def clean_period(self):
        year, quarter = self.cleaned_data["period"].split("-")
        return int(year), int(quarter)


class FundingForm(forms.Form):
    prefix = "funding"
    source = forms.CharField(
        label=_("Source"), max_length=200, help_text=_("For example the owner, a foundation or an EU programme.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectFunding.Kind.choices)
    amount_dkk = forms.IntegerField(label=_("Amount (DKK)"), min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectFunding.Status.choices)


class FundingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProjectFunding.Status.choices)
    amount_dkk = forms.IntegerField(label=_("Amount (DKK)"), min_value=1)
