"""Reads for the Nordic buyer dialogues: the public page (texts in the reader's language, countries and contacts,
gatherings, places by country), the assessors' list of applications and the secretariat's news and send log."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.translated import LocalText
from members.models import Organisation, User

from ..models import (
    DIALOGUE_LANGUAGES,
    Dialogue,
    DialogueApplication,
    DialogueCountry,
    DialogueNews,
    DialogueText,
    NewsDelivery,
    Project,
)

FALLBACK = ("en", "da")


def language_order(language: str) -> list[str]:
    """The languages to read a dialogue's own text in: the reader's, then English, then Danish."""
    code = (language or "da").split("-")[0]
    return [code, *[fallback for fallback in FALLBACK if fallback != code]]


@dataclass(frozen=True)
class DialogueTexts:
    title: LocalText
    purpose: LocalText
    process: list[LocalText]
    lang: str


def texts_for(texts: list[DialogueText], language: str) -> DialogueTexts | None:
    """The dialogue's texts for a reader of ``language`` (each marked with the language it is written in)."""
    by_language = {t.language: t for t in texts}
    for code in language_order(language):
        text = by_language.get(code)
        if text is not None:
            return DialogueTexts(
                title=LocalText(text.title, code),
                purpose=LocalText(text.purpose, code),
                process=[LocalText(line.strip(), code) for line in text.process.splitlines() if line.strip()],
                lang=code,
            )
    return None


def news_text_for(texts: dict[str, Any], language: str) -> Any:
    """A news update's text for a reader of ``language``: theirs, else English, else Danish."""
    for code in language_order(language):
        if code in texts:
            return texts[code]
    return next(iter(texts.values()))


def dialogue_get(*, slug: str) -> Dialogue:
    """A dialogue with what its public page shows, in a fixed number of queries."""
    dialogue = (
        Dialogue.objects.select_related("project", "project__owner")
        .prefetch_related(
            "texts",
            Prefetch("countries", queryset=DialogueCountry.objects.select_related("contact_organisation")),
            "gatherings",
        )
        .filter(project__slug=slug, project__kind=Project.Kind.DIALOGUE)
        .first()
    )
    if dialogue is None:
        raise Http404
    return dialogue


def applications_closed_reason(*, dialogue: Dialogue) -> str:
    """Why the dialogue takes no applications now, in the reader's language; empty when it takes them."""
    if not dialogue.applications_open or dialogue.project.status != Project.Status.RUNNING:
        return _("The dialogue is not taking applications.")
    if dialogue.ends_on <= timezone.localdate():
        return _("The dialogue has ended.")
    return ""


def registration_closed_reason(*, gathering: Any) -> str:
    """Why a gathering takes no registrations, in the reader's language; empty when it takes them."""
    if not gathering.registration_open or gathering.is_past:
        return _("Registration for this gathering is closed.")
    return ""


def places_by_country(*, dialogue: Dialogue) -> dict[str, Any]:
    """Places taken (accepted bodies) and applications waiting, per country taking part, against the target."""
    counts: dict[str, dict[str, int]] = {
        row["country"]: {"accepted": row["accepted"], "waiting": row["waiting"]}
        for row in dialogue.applications.values("country").annotate(
            accepted=Count("pk", filter=Q(status=DialogueApplication.Status.ACCEPTED)),
            waiting=Count("pk", filter=Q(status=DialogueApplication.Status.SUBMITTED)),
        )
    }
    names = dict(Organisation.Country.choices)
    rows: list[dict[str, Any]] = [
        {
            "country": c.country,
            "name": names.get(c.country, c.country),
            "accepted": counts.get(c.country, {"accepted": 0})["accepted"],
            "waiting": counts.get(c.country, {"waiting": 0})["waiting"],
        }
        for c in dialogue.countries.all()
    ]
    taken = sum(r["accepted"] for r in rows)
    return {
        "rows": rows,
        "taken": taken,
        "target_min": dialogue.target_min,
        "target_max": dialogue.target_max,
        "free": max(dialogue.target_max - taken, 0),
        "short_of_min": max(dialogue.target_min - taken, 0),
    }


def assessor_countries(*, dialogue: Dialogue, user: User | AnonymousUser) -> list[str] | None:
    """The countries whose applications the person assesses: all (None) for the secretariat, their own as a
    national contact, none ([]) for anyone else."""
    if not user.is_authenticated:
        return []
    if getattr(user, "is_secretariat", False):
        return None
    return [c.country for c in dialogue.countries.all() if c.contact_user_id == user.pk]


def applications_for(*, dialogue: Dialogue, countries: list[str] | None, status: str = "") -> list[DialogueApplication]:
    qs = dialogue.applications.select_related("assessed_by").order_by("status", "country", "submitted_at")
    if countries is not None:
        qs = qs.filter(country__in=countries)
    if status in DialogueApplication.Status.values:
        qs = qs.filter(status=status)
    return list(qs)


def application_for_assessor(*, dialogue: Dialogue, pk: int, user: User | AnonymousUser) -> DialogueApplication:
    countries = assessor_countries(dialogue=dialogue, user=user)
    qs = dialogue.applications.all()
    if countries is not None:
        qs = qs.filter(country__in=countries)
    application = qs.filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def news_list(*, dialogue: Dialogue) -> list[DialogueNews]:
    return list(
        dialogue.news.prefetch_related("texts").annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=NewsDelivery.Status.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__status=NewsDelivery.Status.FAILED)),
            waiting=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[NewsDelivery.Status.PENDING, NewsDelivery.Status.SENDING]),
            ),
        )
    )


def news_get(*, dialogue: Dialogue, pk: int) -> DialogueNews:
    news = dialogue.news.prefetch_related("texts").filter(pk=pk).first()
    if news is None:
        raise Http404
    return news


def send_log(*, news: DialogueNews) -> list[NewsDelivery]:
    return list(news.deliveries.order_by("status", "email"))


def recipients_waiting(*, dialogue: Dialogue) -> dict[str, int]:
    """How many a news update would go to now."""
    return {
        "interest": dialogue.interest.exclude(confirmed_at=None).count(),
        "participants": dialogue.applications.filter(
            status=DialogueApplication.Status.ACCEPTED, news_opt_out=False
        ).count(),
    }


LANGUAGE_NAMES = dict(DIALOGUE_LANGUAGES)


def contact_assignments(*, user: User | AnonymousUser) -> list[dict[str, Any]]:
    """The dialogues whose applications the person assesses as a national contact, with how many wait."""
    if not user.is_authenticated:
        return []
    rows = (
        DialogueCountry.objects.filter(contact_user_id=user.pk)
        .select_related("dialogue__project")
        .annotate(
            waiting=Count(
                "dialogue__applications",
                filter=Q(dialogue__applications__status=DialogueApplication.Status.SUBMITTED)
                & Q(dialogue__applications__country=F("country")),
            )
        )
        .order_by("dialogue__project__title", "country")
    )
    return [
        {"project": row.dialogue.project, "country": row.get_country_display(), "waiting": row.waiting} for row in rows
    ]
