"""A response's answers as PDF (WeasyPrint): the receipt's attachment and the member's own copy."""

from django.conf import settings
from django.template.loader import render_to_string

from . import selectors


def response_pdf_render(*, response) -> bytes:
    from weasyprint import HTML

    html = render_to_string("followup/response_print.html", selectors.response_summary(response=response))
    # Static files (fonts, CSS) are read from disk, never over the network.
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )
