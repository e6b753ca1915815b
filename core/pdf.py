"""One way to make a PDF: a template rendered to HTML, laid out by WeasyPrint as a tagged PDF (PDF/UA-1).

Every print template extends ``core/print_base.html``, which links the portal's
print stylesheet and fonts. Static files are read from disk, never over the
network, so a PDF renders the same on a machine without internet access.
"""

from django.conf import settings
from django.template.loader import render_to_string


def html_to_pdf(html: str) -> bytes:
    """The HTML as a tagged PDF (PDF/UA-1), with relative links resolved against the static folder."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )


def template_to_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render a print template (with ``for_pdf`` set, so it links its styles from disk) and lay it out as PDF."""
    return html_to_pdf(render_to_string(template_name, {**context, "for_pdf": True}, request=request))
