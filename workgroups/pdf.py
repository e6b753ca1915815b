"""The hearing memo (høringsnotat) of a draft as PDF (WeasyPrint, PDF/UA-1), to go with the draft to the steering group."""

from core.pdf import template_to_pdf


def memo_pdf_render(*, request, version, goal, sections, counts) -> bytes:
    return template_to_pdf(
        "workgroups/memo_print.html",
        {"version": version, "goal": goal, "sections": sections, "counts": counts},
        request=request,
    )
