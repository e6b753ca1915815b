from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .history import REASON_LIMIT


class FormRenderer(TemplatesSetting):
    """Every form in the portal, allauth's included, renders with the design system's markup."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def error_text(exc) -> str:
    """A refused change's messages as one line, for messages.error."""
    return " ".join(exc.messages)


def add_service_error(form, exc) -> None:
    """A service's refusal (a ValidationError) on the form: on its field when the form has it, else at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class DateInput(forms.DateInput):
    """The browser's date picker: its value is always ISO 8601 (a localised "2.12.2026" would show as empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReasonForm(forms.Form):
    """The reason for a step that is kept in the history (a version sent back, a group cancelled, a date moved)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LIMIT,
        help_text=_("Kept in the history. At most 100 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
