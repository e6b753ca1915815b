"""Checks for uploaded files: PDF by content, not by name, and at most 10 MB.

A file is a PDF when it starts with ``%PDF-`` and parses as one (pypdf); a PDF
that carries JavaScript, automatic actions, launch actions or embedded files is
refused, since the secretariat opens these files on its own machines.
"""

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"

# Keys and values that make a PDF do something when it is opened or carry another file.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EmbeddedFile", "/Launch"})
ACTIVE_VALUES = frozenset({"/JavaScript", "/Launch", "/EmbeddedFile"})
# A form has a few hundred objects; a file with far more is not walked to the end, it is refused.
MAX_OBJECTS = 200_000

logger = logging.getLogger(__name__)


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
    data = upload.read()
    upload.seek(0)
    reader = _parsed(data) if data.startswith(PDF_MAGIC) else None
    if reader is None:
        if signed_form:
            raise ValidationError(_("The file is not a PDF document. Save the signed form as PDF and try again."))
        raise ValidationError(_("The file is not a PDF document. Save it as PDF and try again."))
    if reader is _ENCRYPTED:
        raise ValidationError(_("The PDF is protected by a password. Save it without a password and try again."))
    if _has_active_content(reader):
        raise ValidationError(
            _(
                "The PDF contains JavaScript, automatic actions or embedded files, which are not accepted. "
                "Print it to a new PDF (or save it as PDF/A) and try again."
            )
        )


_ENCRYPTED = object()


def _parsed(data: bytes):
    """A pypdf reader for the file, ``_ENCRYPTED`` when it needs a password, or None when it is no PDF."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return _ENCRYPTED
        if len(reader.pages) < 1:
            return None
        reader.trailer["/Root"].get_object()
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on a damaged or disguised file: all mean "no PDF"
        logger.info("upload refused: the file does not parse as a PDF")
        return None
    return reader


def _has_active_content(reader) -> bool:
    """Walk every object reachable from the trailer, looking for scripts, actions and embedded files."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    walked = 0
    try:
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                ref = (item.idnum, item.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                item = item.get_object()
            walked += 1
            if walked > MAX_OBJECTS:
                return True
            if isinstance(item, DictionaryObject):  # streams are dictionaries too: their keys are checked
                for key, value in item.items():
                    if key in ACTIVE_KEYS:
                        return True
                    if key == "/Parent":  # back up the page tree: already on the way down
                        continue
                    stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(item)
            elif isinstance(item, NameObject) and item in ACTIVE_VALUES:
                return True
    except Exception:  # noqa: BLE001 - a reference that cannot be read: the file cannot be vouched for
        logger.info("upload refused: the PDF could not be checked")
        return True
    return False


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
