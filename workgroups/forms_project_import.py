"""Forms for the projects' spreadsheet import: the upload (previewed) and the confirmation of the preview."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .project_spreadsheet import MAX_UPLOAD_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SpreadsheetFilesField(forms.FileField):
    """One or two files in one field: an XLSX workbook, or the projects' and the phases' CSV files."""

    widget = MultipleFileInput(attrs={"accept": ".xlsx,.csv"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            return super().clean(None, initial)
        return [super(SpreadsheetFilesField, self).clean(f, initial) for f in files]


class ProjectImportForm(forms.Form):
    spreadsheet = SpreadsheetFilesField(
        label=_("Spreadsheet"),
        help_text=_(
            "The XLSX file of the export, or its two CSV files (projects and phases) chosen together; one CSV file "
            "alone is fine too. At most 5 MB per file."
        ),
        error_messages={"required": _("Choose the file to import.")},
    )

    def clean_spreadsheet(self):
        files = self.cleaned_data["spreadsheet"]
        if len(files) > 2:
            raise ValidationError(_("Choose one XLSX file, or at most two CSV files."))
        for upload in files:
            name = upload.name.lower()
            if not name.endswith((".xlsx", ".csv")):
                raise ValidationError(_("“%(name)s” is neither an XLSX nor a CSV file.") % {"name": upload.name})
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("“%(name)s” is larger than 5 MB.") % {"name": upload.name})
        if len(files) == 2 and any(f.name.lower().endswith(".xlsx") for f in files):
            raise ValidationError(_("An XLSX file holds both sheets: choose it alone."))
        return files


class ProjectImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
