"""Forms of the climate pages: they parse input; followup.services.climate decides."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.translated import translated
from core.widgets import QuickSelect
from goals.models import Criterion, Goal, GoalVersion, ProductArea

from .models import ClimateMeasure, EmissionFactor, EmissionFactorVersion
from .selectors.climate import activity_factors

MAX_UPLOAD = 5 * 1024 * 1024


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, 2014, -1)]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an XLSX or CSV file."))
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class SpendUploadForm(UploadForm):
    year = forms.TypedChoiceField(label=_("Year the spend is from"), coerce=int, choices=_year_choices)
    field_order = ["year", "file"]


class FactorImportApplyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("Kept with every new version, e.g. “The 2026 factor set from the supplier of the data”."),
    )
    confirm = forms.BooleanField(
        label=_("I have read the preview: apply the whole file"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, do it"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class FactorVersionForm(forms.ModelForm):
    expected_number = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)

    class Meta:
        model = EmissionFactorVersion
        fields = [
            "value",
            "per",
            "price_year",
            "source",
            "source_url",
            "source_year",
            "licence",
            "quality",
            "valid_from",
            "valid_to",
            "note",
        ]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class ActivityForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    factor = forms.ModelChoiceField(label=_("What you measured"), queryset=EmissionFactor.objects.none())
    product_area = forms.ModelChoiceField(
        label=_("Product area"),
        queryset=ProductArea.objects.all(),
        required=False,
        help_text=_("Leave empty for the area the activity belongs to."),
    )
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=16, decimal_places=3)
    note = forms.CharField(
        label=_("Where the figure comes from"),
        max_length=300,
        required=False,
        help_text=_("e.g. “the fuel cards' statement for the year”"),
    )
    replace = forms.BooleanField(
        label=_("Replace the quantity saved for that year"),
        required=False,
        help_text=_("Only when a quantity of the same kind is saved for the year already."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["factor"]
        field.queryset = activity_factors()
        field.label_from_instance = lambda factor: f"{factor.tr.name} ({EmissionFactorVersion.Per(factor.per).label})"


class MeasureForm(forms.ModelForm):
    criterion_number = forms.CharField(
        label=_("Criterion that carries it"),
        max_length=10,
        required=False,
        help_text=_("The criterion's number in the goal in force, e.g. 5.b."),
    )

    class Meta:
        model = ClimateMeasure
        fields = [
            "title",
            "kind",
            "product_area",
            "goal",
            "project",
            "reduction_tonnes",
            "reduction_percent",
            "assumption",
            "cost_once_dkk",
            "cost_yearly_dkk",
            "lifetime_years",
            "owner",
        ]
        widgets = {"assumption": forms.Textarea(attrs={"rows": 3}), "goal": QuickSelect, "project": QuickSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        in_force = GoalVersion.objects.filter(goal=OuterRef("pk"), status=GoalVersion.Status.PUBLISHED)
        self.fields["goal"].queryset = (
            Goal.objects.annotate(
                title=Subquery(in_force.values("title")[:1]), title_en=Subquery(in_force.values("title_en")[:1])
            )
            .filter(title__isnull=False)
            .order_by("number")
        )
        self.fields["goal"].label_from_instance = lambda goal: f"{goal.number} {translated(goal, 'title')}"
        if self.instance.pk and self.instance.status in ClimateMeasure.EFFECTIVE:
            # The start date of a measure that took effect can be corrected here; its status step set it.
            self.fields["starts_on"] = forms.DateField(
                label=_("Takes effect from"), widget=DateInput(), initial=self.instance.starts_on
            )
        for name in ("reduction_tonnes", "reduction_percent", "cost_once_dkk", "cost_yearly_dkk"):
            value = self.initial.get(name)
            if value is not None:
                # 85.000 reads as 85 thousand to a Danish eye: show 85.
                self.initial[name] = format(Decimal(value).normalize(), "f")
        self.fields["goal"].help_text = _("The purchasing goal the measure concerns, if any.")
        self.fields["reduction_tonnes"].help_text = _("Give either this or the per cent below.")
        if self.instance.pk and self.instance.criterion_id:
            self.initial["criterion_number"] = self.instance.criterion.number

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("criterion_number") or "").strip()
        goal = cleaned.get("goal")
        cleaned["criterion"] = None
        if number:
            if goal is None:
                self.add_error("criterion_number", _("Choose the goal the criterion belongs to."))
            else:
                criterion = Criterion.objects.filter(
                    version__goal=goal, version__status=GoalVersion.Status.PUBLISHED, number=number
                ).first()
                if criterion is None:
                    self.add_error(
                        "criterion_number",
                        _("Goal %(goal)s in force has no criterion %(number)s.")
                        % {"goal": goal.number, "number": number},
                    )
                else:
                    cleaned["criterion"] = criterion
        return cleaned

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["criterion"] = self.cleaned_data["criterion"]
        if "starts_on" in self.fields:
            values["starts_on"] = self.cleaned_data["starts_on"]
        return values


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    starts_on = forms.DateField(
        label=_("Takes effect from"),
        required=False,
        widget=DateInput(),
        help_text=_("Needed when the measure is implemented: its effect counts from this day."),
    )

    def __init__(self, *args, measure: ClimateMeasure, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (status, ClimateMeasure.Status(status).label) for status in ClimateMeasure.NEXT[measure.status]
        ]
        if ClimateMeasure.NEXT[measure.status] == ("implemented",):
            self.fields["starts_on"].required = True
