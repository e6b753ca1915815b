"""Demo data for the Nordic buyer dialogues: the zero-emission deliveries dialogue, written through the services.

Four countries with their national contact organisations (the contact persons are fictitious), two gatherings,
eight applications in different states and a small interest list. Idempotent: nothing is added when a dialogue
exists.
"""

from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from members.demo import DEMO_PASSWORD
from members.models import Organisation, User
from members.services import organisation_create

from .models import DIALOGUE_REQUIREMENTS, Dialogue, DialogueApplication, InterestSignup, Project
from .services import dialogues as services

SECRETARIAT_EMAIL = "sekretariat@pogi.example"

ORGANISATIONS = {
    "lead": ("Nasjonalt program for leverandørutvikling", "NO"),
    "no": ("Direktoratet for forvaltning og økonomistyring (DFØ)", "NO"),
    "se": ("Upphandlingsmyndigheten", "SE"),
    "fi": ("Motiva Oy", "FI"),
    "dk": ("Miljøstyrelsen", "DK"),
}

TEXTS = {
    "da": (
        "Emissionsfri levering af varer og tjenester",
        "En nordisk bestillerdialog, hvor offentlige indkøbere fra Norden sammen efterspørger emissionsfri levering "
        "af varer og tjenester. Målet er at udvikle nordisk erhvervsliv og få de offentlige virksomheder i Norden "
        "til at samarbejde mere.",
        "Tildeling af projektet\nMobilisering af offentlige virksomheder\nBehovskortlægning\nDialog med "
        "leverandørerne\nFælles anbefalinger til udbud",
    ),
    "en": (
        "Zero-emission delivery of goods and services",
        "A Nordic buyer dialogue in which public buyers from the Nordic countries ask the market together for "
        "zero-emission delivery of goods and services. It aims to develop Nordic business and to make the public "
        "bodies of the Nordic countries work together more.",
        "The project is awarded\nPublic bodies are mobilised\nThe needs are mapped\nDialogue with the suppliers\n"
        "Joint recommendations for tenders",
    ),
    "nb": (
        "Utslippsfri levering av varer og tjenester",
        "En nordisk bestillerdialog der offentlige innkjøpere i Norden sammen etterspør utslippsfri levering av "
        "varer og tjenester. Målet er å utvikle nordisk næringsliv og sørge for at de offentlige virksomhetene i "
        "Norden samarbeider i større grad.",
        "Tildeling av prosjekt\nMobilisering av offentlige virksomheter\nBehovskartlegging\nDialog med "
        "leverandørene\nFelles anbefalinger til anskaffelser",
    ),
    "sv": (
        "Utsläppsfri leverans av varor och tjänster",
        "En nordisk beställardialog där offentliga inköpare i Norden tillsammans efterfrågar utsläppsfri leverans "
        "av varor och tjänster. Målet är att utveckla det nordiska näringslivet och att de offentliga "
        "verksamheterna i Norden samarbetar mer.",
        "Projektet tilldelas\nOffentliga verksamheter mobiliseras\nBehoven kartläggs\nDialog med leverantörerna\n"
        "Gemensamma rekommendationer för upphandling",
    ),
    "fi": (
        "Päästöttömät tavara- ja palvelutoimitukset",
        "Pohjoismainen tilaajavuoropuhelu, jossa Pohjoismaiden julkiset hankkijat kysyvät yhdessä markkinoilta "
        "päästöttömiä tavara- ja palvelutoimituksia. Tavoitteena on kehittää pohjoismaista elinkeinoelämää ja "
        "lisätä Pohjoismaiden julkisten organisaatioiden yhteistyötä.",
        "Hanke myönnetään\nJulkiset organisaatiot kootaan mukaan\nTarpeet kartoitetaan\nVuoropuhelu toimittajien "
        "kanssa\nYhteiset suositukset hankintoihin",
    ),
}

# Fictitious national contacts: (country, organisation key, name, e-mail address). Sweden's contact has an
# account (CONTACT_EMAIL) and assesses the Swedish applications.
CONTACT_EMAIL = "elin.lindqvist@uhmynd.example"
CONTACTS = [
    ("NO", "no", "Ingrid Halvorsen", "ingrid.halvorsen@dfo.example"),
    ("SE", "se", "Elin Lindqvist", CONTACT_EMAIL),
    ("FI", "fi", "Aino Virtanen", "aino.virtanen@motiva.example"),
    ("DK", "dk", "Mette Lund", "mette.lund@mst.example"),
]

HOW = {
    "leadership": "Ledelsen har besluttet deltagelsen.",
    "need": "Vi har et konkret behov for emissionsfri varelevering i byen.",
    "interdisciplinary": "Fagområde, ledelse og indkøb deltager.",
    "resources": "Der er afsat tid til deltagelsen.",
    "responsible": "En projektdeltager følger projektet til slutdatoen.",
    "competence": "Vi har erfaring med innovative indkøb.",
    "costs": "Vi dækker selv rejser og ophold.",
}

# (body, country, language, responsible person, e-mail address, outcome, reason)
APPLICATIONS = [
    ("Oslo kommune", "NO", "nb", "Kari Nordmann", "kari.nordmann@oslo.example", "accept", "Oppfyller alle krav."),
    ("Bergen kommune", "NO", "nb", "Ola Hansen", "ola.hansen@bergen.example", None, ""),
    (
        "Trondheim kommune",
        "NO",
        "nb",
        "Siri Berg",
        "siri.berg@trondheim.example",
        "decline",
        "Ingen ressurser satt av.",
    ),
    ("Stockholms stad", "SE", "sv", "Anna Svensson", "anna.svensson@stockholm.example", "accept", "Uppfyller kraven."),
    ("Göteborgs Stad", "SE", "sv", "Erik Johansson", "erik.johansson@goteborg.example", None, ""),
    (
        "Helsingin kaupunki",
        "FI",
        "fi",
        "Mikko Korhonen",
        "mikko.korhonen@hel.example",
        "accept",
        "Täyttää vaatimukset.",
    ),
    ("Tampereen kaupunki", "FI", "fi", "Laura Mäkinen", "laura.makinen@tampere.example", None, ""),
    ("Københavns Kommune", "DK", "da", "Jens Holm", "jens.holm@kk.example", "accept", "Opfylder alle krav."),
]

# (e-mail address, name, organisation, country, language, confirmed)
INTEREST = [
    ("nyheder@bodo.example", "Per Olsen", "Bodø kommune", "NO", "nb", True),
    ("info@uppsala.example", "Maria Berg", "Uppsala kommun", "SE", "sv", True),
    ("hankinnat@espoo.example", "Juha Laine", "Espoon kaupunki", "FI", "fi", True),
    ("indkob@odense.example", "Lene Mortensen", "Odense Kommune", "DK", "da", False),
]


def _organisation(key: str, by: User) -> Organisation:
    name, country = ORGANISATIONS[key]
    found = Organisation.objects.filter(name=name, country=country).first()
    return found or organisation_create(name=name, kind=Organisation.Kind.STATE, country=country, created_by=by)


@transaction.atomic
def load() -> dict[str, int]:
    by = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    if by is not None and not Project.objects.filter(kind=Project.Kind.DIALOGUE).exists():
        _create(by)
    return {
        "dialogues": Dialogue.objects.count(),
        "applications": DialogueApplication.objects.count(),
        "interest": InterestSignup.objects.count(),
    }


def _create(by: User) -> None:
    today = timezone.localdate()
    title, purpose, process = TEXTS["da"]
    dialogue = services.dialogue_create(
        by=by,
        lead=_organisation("lead", by),
        title=title,
        purpose=purpose,
        funder="Nordisk Ministerråd",
        ends_on=today + timedelta(days=240),
        steering_group="Nordisk arbejdsgruppe for cirkulær økonomi (NCE)",
        project_group="Motiva (Finland)\nUpphandlingsmyndigheten (Sverige)\nMiljøstyrelsen (Danmark)",
        target_min=6,
        target_max=12,
    )
    for language, (title, purpose, process) in TEXTS.items():
        services.dialogue_text_set(
            dialogue=dialogue, language=language, title=title, purpose=purpose, process=process, by=by
        )
    for country, key, name, email in CONTACTS:
        account = None
        if email == CONTACT_EMAIL:
            account = User.objects.filter(email=email).first() or User.objects.create_user(
                email=email, password=DEMO_PASSWORD, name=name, language="sv"
            )
            EmailAddress.objects.update_or_create(
                user=account, email=email, defaults={"verified": True, "primary": True}
            )
        services.dialogue_country_set(
            dialogue=dialogue,
            country=country,
            contact_organisation=_organisation(key, by),
            contact_name=name,
            contact_email=email,
            contact_user=account,
            by=by,
        )
    for days, gathering_title, place, agenda in [
        (
            -45,
            "Oppstartsmøte i Oslo",
            "Oslo",
            "Velkommen\nHva deltakelse krever\nBehovskartlegging: første runde",
        ),
        (
            35,
            "Leverandørdialog i Stockholm",
            "Stockholm",
            "Status fra behovskartleggingen\nLeverandørenes innlegg\nVeien videre",
        ),
    ]:
        services.gathering_add(
            dialogue=dialogue,
            title=gathering_title,
            starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=days), time(10, 0))),
            place=place,
            agenda=agenda,
            language="nb",
            by=by,
        )
    keys = {key for key, _label in DIALOGUE_REQUIREMENTS}
    for name, country, language, person, email, outcome, reason in APPLICATIONS:
        application = services.application_submit(
            dialogue=dialogue,
            organisation_name=name,
            country=country,
            identifier="",
            confirmed=keys,
            how=HOW,
            responsible_name=person,
            responsible_title="",
            responsible_email=email,
            language=language,
        )
        if outcome:
            services.application_assess(application=application, accept=outcome == "accept", reason=reason, by=by)
    consent = services.consent_current()
    for email, name, organisation, country, language, confirmed in INTEREST:
        services.interest_signup(
            dialogue=dialogue,
            email=email,
            name=name,
            organisation=organisation,
            country=country,
            language=language,
            consent=consent,
            consent_given=True,
        )
        if confirmed:
            signup = InterestSignup.objects.get(dialogue=dialogue, email=email)
            services.interest_confirm(signup_pk=signup.pk)
