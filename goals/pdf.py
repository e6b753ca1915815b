"""A goal version as PDF (WeasyPrint), for buyers who attach it to a tender."""

from django.conf import settings
from django.template.loader import render_to_string


def version_pdf_render(*, request, goal, version, groups) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "goals/version_print.html",
        {"goal": goal, "version": version, "groups": groups, "for_pdf": True},
        request=request,
    )
    # Static files (fonts, CSS) are read from disk, never over the network.
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )
