"""The hearing memo (høringsnotat) of a draft as PDF (WeasyPrint, PDF/UA-1), to go with the draft to the steering group."""

from django.conf import settings
from django.template.loader import render_to_string


def memo_pdf_render(*, request, version, goal, sections, counts) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "workgroups/memo_print.html",
        {"version": version, "goal": goal, "sections": sections, "counts": counts, "for_pdf": True},
        request=request,
    )
    # Static files (fonts, CSS) are read from disk, never over the network.
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static") + "/").write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )
