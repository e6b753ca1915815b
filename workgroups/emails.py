"""The revision cycle's emails, in each recipient's language: the notice of an internal hearing and a meeting's
invitation with its agenda."""

from django.conf import settings
from django.core.mail import get_connection

from core.emails import message_build, sections_render


def _send_each(
    name: str, context: dict, recipients: list[str], languages: dict[str, str] | None = None, connection=None
) -> int:
    """One message per recipient, so no one sees the others' addresses, each in the recipient's language (the one
    they last signed in with; Danish when it is not known), all over one connection to the mail server."""
    context = {**context, "base_url": settings.SITE_URL}
    rendered: dict[str, tuple] = {}
    messages = []
    for email in recipients:
        language = (languages or {}).get(email) or settings.LANGUAGE_CODE
        if language not in rendered:
            rendered[language] = sections_render(f"workgroups/email/{name}", context, languages=(language,))
        subject, sections = rendered[language]
        messages.append(message_build(subject, sections, [email]))
    (connection or get_connection()).send_messages(messages)
    return len(recipients)


def hearing_notice_send(
    *, hearing, recipients: list[str], languages: dict[str, str] | None = None, connection=None
) -> int:
    return _send_each("hearing", {"hearing": hearing}, recipients, languages, connection)


def meeting_invitation_email_send(
    *, meeting, items, recipients: list[str], languages: dict[str, str] | None = None
) -> int:
    return _send_each("meeting", {"meeting": meeting, "items": items}, recipients, languages)


def status_report_reminder_send(*, project, user, year: int, quarter: int) -> None:
    """Remind the project lead that the quarter's status report is due, in their language."""
    from django.urls import reverse

    from core.emails import compose, recipient_languages

    compose(
        "workgroups/email/status_report_reminder",
        {"project": project, "user": user, "year": year, "quarter": quarter},
        to=[user.email],
        path=lambda: reverse("projects:status-reports", kwargs={"slug": project.slug}),
        languages=recipient_languages(user),
        reason="workgroups/email/status_report_reminder_reason.txt",
    ).send()


# --- Nordic buyer dialogues: every e-mail in the recipient's own language, with its links ---------------


def _dialogue_title(dialogue, language: str) -> str:
    from .selectors.dialogues import texts_for

    texts = texts_for(list(dialogue.texts.all()), language)
    return str(texts.title) if texts else dialogue.project.title


def _dialogue_message(name: str, context: dict, *, to: str, language: str, path=None, unsubscribe=None, links=None):
    """The e-mail ``name`` in ``language``. ``path``, ``unsubscribe`` and each of ``links`` (name → callable) give a
    page's path, taken in that language so every link opens the page in the reader's language; ``unsubscribe`` is
    also the List-Unsubscribe header, for a one-click unsubscribe (RFC 8058)."""
    from django.utils import translation

    from core.emails import absolute_url

    headers = None
    with translation.override(language):
        context = {**context, "base_url": settings.SITE_URL}
        for key, link in (links or {}).items():
            context[key] = absolute_url(link())
        if unsubscribe is not None:
            context["unsubscribe_url"] = absolute_url(unsubscribe())
            headers = {
                "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        subject, sections = sections_render(
            f"workgroups/email/{name}",
            context,
            path=path,
            languages=(language,),
            reason=f"workgroups/email/{name}_reason.txt",
        )
    return message_build(subject, sections, [to], headers=headers)


def _dialogue_page(dialogue):
    from django.urls import reverse

    return lambda: reverse("projects:project-detail", kwargs={"slug": dialogue.project.slug})


def dialogue_application_receipt_send(*, application_id: int) -> int:
    from .models import DialogueApplication

    application = DialogueApplication.objects.select_related("dialogue__project").get(pk=application_id)
    _dialogue_message(
        "dialogue_application_received",
        {"application": application, "title": _dialogue_title(application.dialogue, application.language)},
        to=application.responsible_email,
        language=application.language,
        path=_dialogue_page(application.dialogue),
    ).send()
    return 1


def dialogue_application_decision_send(*, application_id: int) -> int:
    from .dialogue_links import participant_unsubscribe_path
    from .models import DialogueApplication

    application = DialogueApplication.objects.select_related("dialogue__project").get(pk=application_id)
    accepted = application.status == DialogueApplication.Status.ACCEPTED
    _dialogue_message(
        "dialogue_application_decided",
        {
            "application": application,
            "accepted": accepted,
            "title": _dialogue_title(application.dialogue, application.language),
        },
        to=application.responsible_email,
        language=application.language,
        path=_dialogue_page(application.dialogue),
        unsubscribe=(lambda: participant_unsubscribe_path(application.pk)) if accepted else None,
    ).send()
    return 1


def interest_confirmation_send(*, signup_id: int) -> int:
    from .dialogue_links import INTEREST_CONFIRM_DAYS, confirm_path, mine_path
    from .models import InterestSignup

    signup = InterestSignup.objects.select_related("dialogue__project").filter(pk=signup_id).first()
    if signup is None or signup.confirmed_at is not None:
        return 0
    _dialogue_message(
        "interest_confirm",
        {"title": _dialogue_title(signup.dialogue, signup.language), "days": INTEREST_CONFIRM_DAYS},
        to=signup.email,
        language=signup.language,
        path=lambda: confirm_path(signup.pk),
        links={"mine_url": lambda: mine_path(signup.pk)},
    ).send()
    return 1


def interest_already_send(*, signup_id: int, language: str) -> int:
    from .dialogue_links import mine_path, unsubscribe_path
    from .models import InterestSignup

    signup = InterestSignup.objects.select_related("dialogue__project").filter(pk=signup_id).first()
    if signup is None:
        return 0
    _dialogue_message(
        "interest_already",
        {"title": _dialogue_title(signup.dialogue, language)},
        to=signup.email,
        language=language,
        path=lambda: mine_path(signup.pk),
        unsubscribe=lambda: unsubscribe_path(signup.pk),
    ).send()
    return 1


def dialogue_news_send(*, news, texts: dict, delivery, connection=None) -> None:
    """One news update to one recipient, in their language (else English, else Danish), with the one-click
    unsubscribe link and header that fits how they came on the list."""
    from .dialogue_links import mine_path, participant_unsubscribe_path, unsubscribe_path
    from .models import NewsDelivery
    from .selectors.dialogues import news_text_for

    if delivery.source == NewsDelivery.Source.INTEREST:
        unsubscribe = lambda: unsubscribe_path(delivery.signup_id)  # noqa: E731
        links = {"mine_url": lambda: mine_path(delivery.signup_id)}
    else:
        unsubscribe = lambda: participant_unsubscribe_path(delivery.application_id)  # noqa: E731
        links = {}
    message = _dialogue_message(
        f"dialogue_news_{delivery.source}",
        {"text": news_text_for(texts, delivery.language), "title": _dialogue_title(news.dialogue, delivery.language)},
        to=delivery.email,
        language=delivery.language,
        path=_dialogue_page(news.dialogue),
        unsubscribe=unsubscribe,
        links=links,
    )
    message.connection = connection
    message.send()
