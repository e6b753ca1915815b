"""A goal version as PDF (WeasyPrint), for buyers who attach it to a tender."""

from core.pdf import template_to_pdf


def version_pdf_render(*, request, goal, version, groups) -> bytes:
    return template_to_pdf(
        "goals/version_print.html", {"goal": goal, "version": version, "groups": groups}, request=request
    )
