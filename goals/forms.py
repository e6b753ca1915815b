from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, ReasonForm

from .models import Criterion, Ecolabel, GoalVersion, ImplementationPlanRow, ProductArea, SdgTarget


class GoalCreateForm(forms.Form):
    number = forms.IntegerField(label=_("Goal number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Title"), max_length=200)
    product_area = forms.ModelChoiceField(label=_("Product area"), queryset=ProductArea.objects.all())
    statement = forms.CharField(label=_("Goal statement"), widget=forms.Textarea(attrs={"rows": 3}))


class VersionForm(forms.ModelForm):
    ecolabels = forms.ModelMultipleChoiceField(
        label=_("Ecolabels"), queryset=Ecolabel.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    sdg_targets = forms.ModelMultipleChoiceField(
        label=_("SDG targets"), queryset=SdgTarget.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = GoalVersion
        fields = ["title", "statement", "scope", "transition_note", "change_note", "ecolabels", "sdg_targets"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "transition_note": forms.Textarea(attrs={"rows": 2}),
            "change_note": forms.Textarea(attrs={"rows": 3}),
        }


class CriterionForm(forms.ModelForm):
    # A plain form field, not the model's: empty means "number it for me" (add) or "keep it" (edit).
    number = forms.CharField(
        label=_("Number"), max_length=10, required=False, help_text=_("Leave empty to number it after the last one.")
    )
    ecolabels = forms.ModelMultipleChoiceField(
        label=_("Documented by ecolabel"),
        queryset=Ecolabel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Criterion
        fields = ["kind", "text", "documentation", "guidance", "ambition", "ecolabels"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "documentation": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
        }


CriterionForm.field_order = ["number", "kind", "text", "documentation", "guidance", "ambition", "ecolabels"]


class RegisterAdoptedForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted by the steering group on"), widget=DateInput())
    effective_date = forms.DateField(label=_("In force from"), widget=DateInput())
    reason = forms.CharField(
        label=_("Where the adoption is recorded"),
        help_text=_("For example: the minutes of the steering group's meeting on 12 March 2019, item 4."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EffectiveDateForm(ReasonForm):
    effective_date = forms.DateField(label=_("New date in force from"), widget=DateInput())
    field_order = ["effective_date", "reason"]


class PlanRowForm(forms.ModelForm):
    class Meta:
        model = ImplementationPlanRow
        fields = ["expected_by", "status", "note"]
        widgets = {"expected_by": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class CompareForm(forms.Form):
    from_version = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    to_version = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, f"{v.number} – {v.get_status_display()}") for v in versions]
        self.fields["from_version"].choices = choices
        self.fields["to_version"].choices = choices
