"""The follow-up's emails, in Danish followed by English (a representative's language is not stored)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _render(name: str, context: dict) -> tuple[str, str]:
    parts, subject = [], ""
    for language in ("da", "en"):
        with translation.override(language):
            path = reverse("followup:response-detail", kwargs={"pk": context["response"].pk})
            context = {**context, "url": f"{settings.SITE_URL}{path}", "authority": settings.POGI_AUTHORITY}
            parts.append(render_to_string(f"followup/email/{name}_body.txt", context).strip())
            if language == "da":
                subject = render_to_string(f"followup/email/{name}_subject.txt", context).strip()
    return subject, "\n\n----------\n\n".join(parts) + "\n"


def _send(name: str, user, context: dict, attachments=()) -> None:
    subject, body = _render(name, {**context, "user": user})
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


def invitation_send(*, round, response, user) -> None:
    _send("invitation", user, {"round": round, "response": response})


def reminder_send(*, round, response, user) -> None:
    _send("reminder", user, {"round": round, "response": response})


def receipt_send(*, response, user) -> None:
    from .pdf import response_pdf_render

    pdf = response_pdf_render(response=response)
    filename = f"pogi-opfoelgning-{response.round.year}-{response.organisation.slug}.pdf"
    _send("receipt", user, {"round": response.round, "response": response}, [(filename, pdf, "application/pdf")])
