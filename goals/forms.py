from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
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


class EnglishVersionForm(forms.Form):
    """The English version of a goal version's text and of each of its criteria, written beside the Danish.

    Fields: ``title_en`` … for the version, ``c<pk>-text_en`` … for each criterion.
    Each bound field carries the Danish text it translates (``danish``).
    """

    def __init__(self, *args: Any, version: GoalVersion, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version, self.criteria = version, criteria
        self.version_names: list[str] = []
        self.criterion_names: list[tuple[Criterion, list[str]]] = []
        for name in GoalVersion.translated_fields:
            if not getattr(version, name) and not getattr(version, f"{name}_en"):
                continue  # nothing in Danish, nothing to translate
            self.fields[f"{name}_en"] = self._field(GoalVersion, name, getattr(version, f"{name}_en"))
            self.version_names.append(f"{name}_en")
        for criterion in criteria:
            names = []
            for name in Criterion.translated_fields:
                if not getattr(criterion, name) and not getattr(criterion, f"{name}_en"):
                    continue
                key = f"c{criterion.pk}-{name}_en"
                self.fields[key] = self._field(Criterion, name, getattr(criterion, f"{name}_en"))
                names.append(key)
            self.criterion_names.append((criterion, names))
        self.danish = {f"{name}_en": getattr(version, name) for name in GoalVersion.translated_fields} | {
            f"c{c.pk}-{name}_en": getattr(c, name) for c in criteria for name in Criterion.translated_fields
        }

    @staticmethod
    def _field(model: Any, name: str, initial: str) -> forms.CharField:
        english = model._meta.get_field(f"{name}_en")
        single_line = isinstance(english, models.CharField)
        return forms.CharField(
            label=capfirst(english.verbose_name),
            max_length=english.max_length,
            required=False,
            initial=initial,
            widget=forms.TextInput(attrs={"lang": "en"})
            if single_line
            else forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        )

    def rows(self) -> list[tuple[forms.BoundField, str]]:
        return [(self[name], self.danish[name]) for name in self.version_names]

    def criterion_rows(self) -> list[tuple[Criterion, list[tuple[forms.BoundField, str]]]]:
        return [(c, [(self[name], self.danish[name]) for name in names]) for c, names in self.criterion_names if names]

    def service_arguments(self) -> dict[str, Any]:
        """``fields`` and ``criteria`` for ``goals.services.goal_version_english_update``."""
        data = self.cleaned_data
        criteria: dict[int, dict[str, str]] = {}
        for criterion, names in self.criterion_names:
            for key in names:
                criteria.setdefault(criterion.pk, {})[key.split("-", 1)[1]] = data[key]
        return {"fields": {name: data[name] for name in self.version_names}, "criteria": criteria}
