"""A goal version as PDF (WeasyPrint), for buyers who attach it to a tender.

A public version's PDF is rendered once per status and language and then read
from the private storage (``goals.services.goal_version_pdf_stored``): rendering
takes a web worker a second or more, so it must never happen on every request.
"""

from django.conf import settings

from core.pdf import template_to_pdf

from .selectors import translation_incomplete

# Bump when templates/goals/version_print.html or static/css/print.css changes:
# the stored PDFs carry the number in their names, so every one is rendered again.
FORMAT = 2


def version_pdf_render(*, goal, version, groups, request=None) -> bytes:
    return template_to_pdf(
        "goals/version_print.html",
        {
            "goal": goal,
            "version": version,
            "groups": groups,
            "authority": settings.POGI_AUTHORITY,
            "untranslated": translation_incomplete(version, groups),
        },
        request=request,
    )


def stored_name(*, version, language: str) -> str:
    """Where a public version's PDF is kept: by version, status and date in force (the PDF states both), language
    and format.

    The moment of publication is in the name too, so a database restored or
    rebuilt with the same ids never meets another version's file.
    """
    published = version.published_at.strftime("%Y%m%d%H%M%S%f") if version.published_at else "unpublished"
    effective = version.effective_date.strftime("%Y%m%d") if version.effective_date else "undated"
    # A translated edition changes when its English text does; the Danish one never does.
    english = version.english_updated_at
    edition = f"{language}-{english:%Y%m%d%H%M%S%f}" if language != "da" and english else language
    return f"goals/pdf/version-{version.pk}-{published}-{version.status}-{effective}-{edition}-f{FORMAT}.pdf"
