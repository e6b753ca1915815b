from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form in the portal, allauth's included, renders with the design system's markup."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def error_text(exc) -> str:
    """A refused change's messages as one line, for messages.error."""
    return " ".join(exc.messages)
