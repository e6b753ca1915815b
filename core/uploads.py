"""Checks for uploaded files: PDF by content, not by name, and at most 10 MB."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def validate_pdf(upload, *, signed_form: bool = True) -> None:
    """Refuse a missing, too large or non-PDF upload (the messages speak of the signed form by default)."""
    if upload is None:
        if signed_form:
            raise ValidationError(_("Attach the signed enrolment form as a PDF file."))
        raise ValidationError(_("Attach the document as a PDF file."))
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the largest file accepted is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if PDF_MAGIC not in head:
        if signed_form:
            raise ValidationError(_("The file is not a PDF document. Save the signed form as PDF and try again."))
        raise ValidationError(_("The file is not a PDF document. Save it as PDF and try again."))


def pdf_download(stored_file, *, filename: str, public: bool = False):
    """A stored PDF as a download for someone already allowed to see it; 404 when the file is gone.

    ``public`` files (published reports) may be kept by shared caches; the others never.
    """
    from django.http import FileResponse, Http404

    try:
        handle = stored_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
