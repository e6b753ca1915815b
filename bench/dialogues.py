"""The bench dataset's Nordic buyer dialogues: each with its texts in every dialogue language, four countries and
their national contacts, gatherings, a hundred applications in every state, a thousand interest-list sign-ups
(most confirmed) and two news updates sent to them, with their send log.

Written with the ORM's bulk inserts (a few tens of thousands of rows); what the services would have checked is
kept by construction: a decided application has its reason and never more are accepted than the largest group,
a country's contact organisation is from that country, a delivery goes to a confirmed address or an accepted
participant once.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.management.color import no_style
from django.db import connection

from workgroups.models import (
    DIALOGUE_LANGUAGES,
    DIALOGUE_REQUIREMENTS,
    Dialogue,
    DialogueApplication,
    DialogueCountry,
    DialogueGathering,
    DialogueNews,
    DialogueNewsText,
    DialogueText,
    InterestSignup,
    NewsDelivery,
    Project,
)
from workgroups.services.dialogues import consent_current

if TYPE_CHECKING:
    from .dataset import _Build

APPLICATIONS = 100
SIGNUPS = 1000
COUNTRIES = ("DK", "NO", "SE", "FI")
TOPICS = ["utslippsfri levering", "fossilfri anleggsplass", "sirkulære møbler", "klimavennlig mat", "grønn IT"]


def write_dialogues(build: "_Build") -> int:
    """Write one dialogue per 200 projects of the scale (at least one); returns the rows written."""
    from .dataset import SLUG_PREFIX

    n = max(1, build.scale.projects // 200) if build.scale.projects else 0
    by_country = {c: [o for o in build.orgs if o.country == c] for c in COUNTRIES}
    if not n or not all(by_country.values()):
        return 0
    # The projects were written with explicit ids: the sequence catches up before the ORM adds to the table.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Project]):
            cursor.execute(statement)
    rng = build.rng("dialogues")
    today = build.now.date()
    consent = consent_current()
    rows = 0
    for index in range(n):
        topic = TOPICS[index % len(TOPICS)]
        lead = rng.choice(by_country["NO"])
        project = Project.objects.create(
            slug=f"{SLUG_PREFIX}dialog-{index + 1:03d}",
            title=f"Nordisk bestillerdialog: {topic}",
            purpose=f"Offentlige indkøbere i Norden efterspørger sammen {topic}.",
            track=Project.Track.NORDIC,
            kind=Project.Kind.DIALOGUE,
            status=Project.Status.RUNNING,
            owner_id=lead.id,
            started_on=today - timedelta(days=60),
        )
        dialogue = Dialogue.objects.create(
            project=project,
            funder="Nordisk Ministerråd",
            steering_group="Nordisk arbejdsgruppe for cirkulær økonomi",
            project_group="\n".join(f"Partner {c}" for c in COUNTRIES),
            target_min=6,
            target_max=40,
            ends_on=today + timedelta(days=300),
        )
        DialogueText.objects.bulk_create(
            [
                DialogueText(
                    dialogue=dialogue,
                    language=code,
                    title=f"{topic} ({code})",
                    purpose=f"Purpose of the dialogue on {topic} ({code}).",
                    process="Mobilisation\nNeeds\nSupplier dialogue\nRecommendations",
                )
                for code, _name in DIALOGUE_LANGUAGES
            ]
        )
        DialogueCountry.objects.bulk_create(
            [
                DialogueCountry(
                    dialogue=dialogue,
                    country=c,
                    contact_organisation_id=rng.choice(by_country[c]).id,
                    contact_name=f"Kontakt {c}",
                    contact_email=f"kontakt-{c.lower()}-{index}@bench.example",
                )
                for c in COUNTRIES
            ]
        )
        DialogueGathering.objects.bulk_create(
            [
                DialogueGathering(
                    dialogue=dialogue,
                    title=f"Samling {g + 1}",
                    starts_at=build.now + timedelta(days=60 * g - 60),
                    place=["Oslo", "Stockholm", "Helsinki", "København"][g],
                    agenda="Velkommen\nStatus\nVeien videre",
                )
                for g in range(4)
            ]
        )
        how = {key: "Ja, det gør vi." for key, _label in DIALOGUE_REQUIREMENTS}
        applications = []
        accepted = 0
        for a in range(APPLICATIONS):
            country = COUNTRIES[a % len(COUNTRIES)]
            org = by_country[country][a % len(by_country[country])]
            roll = rng.random()
            status = "submitted" if roll < 0.4 else "declined" if roll < 0.6 or accepted >= 40 else "accepted"
            accepted += status == "accepted"
            applications.append(
                DialogueApplication(
                    dialogue=dialogue,
                    organisation_name=org.name,
                    country=country,
                    organisation_id=org.id if status == "accepted" else None,
                    requirements=how,
                    responsible_name=f"Ansvarlig {a}",
                    responsible_email=f"ansvarlig-{index}-{a}@bench.example",
                    language={"DK": "da", "NO": "nb", "SE": "sv", "FI": "fi"}[country],
                    status=status,
                    reason="" if status == "submitted" else "Vurderet.",
                    assessed_at=None if status == "submitted" else build.now,
                )
            )
        applications = DialogueApplication.objects.bulk_create(applications, batch_size=500)
        signups = InterestSignup.objects.bulk_create(
            [
                InterestSignup(
                    dialogue=dialogue,
                    email=f"interesse-{index}-{s}@bench.example",
                    name=f"Interesseret {s}",
                    country=COUNTRIES[s % len(COUNTRIES)],
                    language=DIALOGUE_LANGUAGES[s % len(DIALOGUE_LANGUAGES)][0],
                    consent=consent,
                    consent_language="en",
                    consented_at=build.now,
                    confirmed_at=build.now if s % 5 else None,
                )
                for s in range(SIGNUPS)
            ],
            batch_size=1000,
        )
        deliveries = []
        for k in range(2):
            news = DialogueNews.objects.create(
                dialogue=dialogue, status=DialogueNews.Status.SENT, send_requested_at=build.now, sent_at=build.now
            )
            DialogueNewsText.objects.bulk_create(
                [
                    DialogueNewsText(news=news, language=code, title=f"Nyt {k + 1} ({code})", body="Tekst.")
                    for code in ("en", "da", "sv")
                ]
            )
            deliveries += [
                NewsDelivery(
                    news=news,
                    email=s.email,
                    name=s.name,
                    language=s.language,
                    source=NewsDelivery.Source.INTEREST,
                    signup=s,
                    status=NewsDelivery.Status.SENT,
                    sent_at=build.now,
                )
                for s in signups
                if s.confirmed_at is not None
            ]
            deliveries += [
                NewsDelivery(
                    news=news,
                    email=a.responsible_email,
                    name=a.responsible_name,
                    language=a.language,
                    source=NewsDelivery.Source.PARTICIPANT,
                    application=a,
                    status=NewsDelivery.Status.SENT,
                    sent_at=build.now,
                )
                for a in applications
                if a.status == "accepted"
            ]
        NewsDelivery.objects.bulk_create(deliveries, batch_size=2000)
        rows += 1 + 1 + 5 + 4 + 4 + len(applications) + len(signups) + 2 + 6 + len(deliveries)
    return rows
