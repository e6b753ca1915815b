"""The follow-up's emails, in the representative's language (the one they last signed in with), else Danish then English."""

from django.urls import reverse

from core.emails import compose, recipient_languages


def _send(name: str, user, context: dict, attachments=()) -> None:
    response = context["response"]
    compose(
        f"followup/email/{name}",
        {**context, "user": user},
        to=[user.email],
        path=lambda: reverse("followup:response-detail", kwargs={"pk": response.pk}),
        languages=recipient_languages(user),
        # every follow-up email goes to the organisation's representatives, and says so
        reason="followup/email/representative_reason.txt",
        attachments=attachments,
    ).send()


def invitation_send(*, round, response, user) -> None:
    _send("invitation", user, {"round": round, "response": response})


def reminder_send(*, round, response, user) -> None:
    _send("reminder", user, {"round": round, "response": response})


def receipt_send(*, response, user) -> None:
    from .pdf import response_pdf_render

    pdf = response_pdf_render(response=response)
    filename = f"pogi-opfoelgning-{response.round.year}-{response.organisation.slug}.pdf"
    _send("receipt", user, {"round": response.round, "response": response}, [(filename, pdf, "application/pdf")])
