"""A large, reproducible dataset for benchmarks: members, goals and their history, hearings, meetings, projects
(bench/projects.py) and years of follow-up answers.

Every value comes from the seed and the options (no clock, no global random state): two runs with the same
options give the same rows. Rows are written with COPY on PostgreSQL and with batched INSERTs elsewhere (the
tests' SQLite), straight into the tables: services would take hours at this size. What the services would have
checked is kept by construction instead (one version in force per goal, never more tenders with the criteria
than tenders completed, a submitted response complete and dated, ...).

Bench data is recognised by the users' email domain and the slug prefix of organisations, goals and projects. The
generator refuses a database holding anything else, and it replaces an earlier bench dataset only when asked to.
"""

import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from followup.models import GoalAnswer, Response, Round
from goals import reference as goal_reference
from goals import search
from goals.models import (
    CpvCode,
    Criterion,
    Ecolabel,
    Goal,
    GoalVersion,
    ImplementationPlan,
    ImplementationPlanRow,
    ProductArea,
    SdgTarget,
)
from members import reference as member_reference
from members.models import Membership, Organisation, Region, Representative, User
from workgroups.models import (
    AgendaItem,
    Attendance,
    Body,
    Decision,
    DialogueApplication,
    Hearing,
    HearingResponse,
    InterestSignup,
    Meeting,
    Project,
    ProjectParticipant,
    ProjectPhase,
    ProjectStatusReport,
    Vote,
)
from workgroups.services import body_for

from .dialogues import write_dialogues
from .projects import write_projects

DOMAIN = "bench.pogi.example"
SLUG_PREFIX = "bench-"
APPS = ("members", "goals", "workgroups", "followup")
# Reference data survives a reset: it is loaded by its own idempotent loaders, not generated.
REFERENCE_MODELS = (Region, ProductArea, CpvCode, Ecolabel, SdgTarget, Body)
HISTORY_FIELDS = ("history_id", "history_date", "history_change_reason", "history_type", "history_user_id")


@dataclass(frozen=True)
class Scale:
    organisations: int
    goals: int
    versions: int
    criteria: int
    rounds: int
    goals_per_round: int
    projects: int = 0


SCALES = {
    "nordic10": Scale(
        organisations=5000, goals=300, versions=5, criteria=10, rounds=10, goals_per_round=30, projects=2000
    ),
    "small": Scale(organisations=50, goals=20, versions=5, criteria=10, rounds=3, goals_per_round=10, projects=40),
}


class BenchDataRefused(Exception):
    """The database holds data the generator must not touch, or an earlier bench dataset to keep."""


@dataclass
class Stage:
    name: str
    seconds: float = 0.0
    rows: int = 0


@dataclass
class Result:
    stages: list[Stage]
    counts: dict[str, int]
    seconds: float
    last_year: int


# --- the database's state ----------------------------------------------------------------------------------


def foreign_counts() -> dict[str, int]:
    """Rows the generator did not make, by kind (only kinds that have some)."""
    counts = {
        "users": User.objects.exclude(email__endswith="@" + DOMAIN).count(),
        "organisations": Organisation.objects.exclude(slug__startswith=SLUG_PREFIX).count(),
        "goals": Goal.objects.exclude(slug__startswith=SLUG_PREFIX).count(),
        "follow-up rounds": Round.objects.exclude(opened_by__email__endswith="@" + DOMAIN).count(),
        "projects": Project.objects.exclude(slug__startswith=SLUG_PREFIX).count(),
    }
    return {kind: n for kind, n in counts.items() if n}


def bench_counts() -> dict[str, int]:
    counts = {
        "users": User.objects.filter(email__endswith="@" + DOMAIN).count(),
        "organisations": Organisation.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        "goals": Goal.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        "projects": Project.objects.filter(slug__startswith=SLUG_PREFIX).count(),
    }
    return {kind: n for kind, n in counts.items() if n}


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {kind if n != 1 else kind.removesuffix('s')}" for kind, n in counts.items())


def _generated_tables() -> list[str]:
    """Every table of the portal's apps except reference data, with their history and many-to-many tables."""
    existing = set(connection.introspection.table_names())
    tables = set()
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            origin = getattr(model, "instance_type", model)
            if origin in REFERENCE_MODELS or model._meta.db_table not in existing:
                continue
            tables.add(model._meta.db_table)
    return sorted(tables)


def _refuse_foreign_data() -> None:
    foreign = foreign_counts()
    if foreign:
        raise BenchDataRefused(
            f"This database holds data that bench_dataset did not generate ({describe(foreign)}). "
            "Nothing was changed. Generate into a database of its own: create an empty one, migrate it "
            "and run the command there."
        )


def dataset_reset() -> None:
    """Delete an earlier bench dataset; refuses a database that holds anything else."""
    _refuse_foreign_data()
    # Everything in these tables belongs to the bench dataset (checked above); rows in other apps that point
    # at them (e-mail addresses, admin log entries of bench users) go with them.
    statements = connection.ops.sql_flush(no_style(), _generated_tables(), reset_sequences=True, allow_cascade=True)
    connection.ops.execute_sql_flush(statements)


def dataset_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "memberships (active)": Membership.objects.filter(status=Membership.Status.ACTIVE).count(),
        "users": User.objects.count(),
        "representatives": Representative.objects.count(),
        "goals": Goal.objects.count(),
        "goal versions": GoalVersion.objects.count(),
        "goal versions in force": GoalVersion.objects.filter(status=GoalVersion.Status.PUBLISHED).count(),
        "criteria": Criterion.objects.count(),
        "hearings": Hearing.objects.count(),
        "hearing responses": HearingResponse.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda items": AgendaItem.objects.count(),
        "decisions": Decision.objects.count(),
        "votes": Vote.objects.count(),
        "projects": Project.objects.count(),
        "project phases": ProjectPhase.objects.count(),
        "project participants": ProjectParticipant.objects.count(),
        "project status reports": ProjectStatusReport.objects.count(),
        "dialogue applications": DialogueApplication.objects.count(),
        "interest-list sign-ups": InterestSignup.objects.count(),
        "implementation plans": ImplementationPlan.objects.count(),
        "follow-up rounds": Round.objects.count(),
        "responses": Response.objects.count(),
        "responses submitted": Response.objects.filter(status=Response.Status.SUBMITTED).count(),
        "goal answers": GoalAnswer.objects.count(),
        "history: responses": Response.history.count(),
        "history: goal answers": GoalAnswer.history.count(),
        "history: goal versions": GoalVersion.history.count(),
        "history: organisations": Organisation.history.count(),
    }


# --- writing rows --------------------------------------------------------------------------------------------


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class _Writer:
    """Writes rows into one table at a time: COPY on PostgreSQL, batched INSERTs elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.tables: set[str] = set()

    def write(self, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
        meta = model._meta
        model_fields = [meta.get_field(name) for name in fields]
        columns = [f.column for f in model_fields]
        self.tables.add(meta.db_table)
        count = 0
        if self.postgres:
            from psycopg import sql

            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
            connection.ensure_connection()
            with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        insert = (
            f"INSERT INTO {_qn(meta.db_table)} ({', '.join(map(_qn, columns))}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        with connection.cursor() as cursor:
            for batch in _batches(rows, 2000):
                # Prepared as Django would (aware datetimes to UTC, UUIDs to text), without save()'s
                # auto_now stamps, so the generated dates stay the generated dates.
                cursor.executemany(
                    insert,
                    [
                        [f.get_db_prep_save(v, connection) for f, v in zip(model_fields, row, strict=True)]
                        for row in batch
                    ],
                )
                count += len(batch)
        return count

    def records(self, model: type[Model], records: Iterable[dict], *, with_pk: bool = True) -> int:
        """Write dicts keyed by attname; a field a record leaves out gets the field's default (taken once per call,
        so every field with a callable default must be given)."""
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        defaults = [(f.attname, f.get_default()) for f in fields]
        rows = (tuple(record.get(name, default) for name, default in defaults) for record in records)
        return self.write(model, [f.attname for f in fields], rows)

    def history_copy(
        self, model: type[Model], *, date_sql: str, min_id: int, user_id: int | None = None, user_column: str = ""
    ) -> int:
        """One creation record ('+') per row of ``model`` from ``min_id`` on, dated by ``date_sql`` (over ``t``),
        by ``user_id`` or by the user in the row's ``user_column``. Set-based: no row passes through Python."""
        history_model = model.history.model
        tracked = [f.column for f in history_model._meta.concrete_fields if f.attname not in HISTORY_FIELDS]
        columns = [*tracked, "history_date", "history_type", "history_user_id"]
        select = [f"t.{_qn(c)}" for c in tracked] + [date_sql, "'+'", f"t.{_qn(user_column)}" if user_column else "%s"]
        statement = (
            f"INSERT INTO {_qn(history_model._meta.db_table)} ({', '.join(map(_qn, columns))}) "
            f"SELECT {', '.join(select)} FROM {_qn(model._meta.db_table)} t WHERE t.{_qn(model._meta.pk.column)} >= %s"
        )
        self.tables.add(history_model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(statement, [min_id] if user_column else [user_id, min_id])
            return cursor.rowcount


def _next_id(model: type[Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({_qn(model._meta.pk.column)}), 0) FROM {_qn(model._meta.db_table)}")
        return cursor.fetchone()[0] + 1


# --- words ------------------------------------------------------------------------------------------------------

COUNTRIES = [("DK", 40), ("SE", 22), ("NO", 18), ("FI", 15), ("IS", 5)]
KINDS = [("municipality", 72), ("state", 18), ("region", 4), ("other", 6)]
PLACES = {
    "DK": (
        "Nørre Sønder Øster Vester Ny Gammel Store Lille Høje Lange Bøge Ege Hvide Sande Strand Skov Mose Bro "
        "Kirke Holme Ring Sol Hammer Fjord Vinde Aa Græs Hede Lyng Rosen",
        "by rup strup sted løse lev bjerg lund holm havn køb ager bæk dal næs toft torp vig skov høj borg",
    ),
    "SE": (
        "Norr Söder Öster Väster Ny Gamle Stor Lill Berg Sjö Skog Ljung Ek Björk Sand Strand Å Holm Kyrk Hög "
        "Lin Mal Tall Gran",
        "by köping hamn berg sund vik dal holm ås torp stad fors näs lund ryd hult bro",
    ),
    "NO": (
        "Nord Sør Øst Vest Ny Stor Lille Berg Sjø Skog Fjell Bjørk Sand Strand Elve Holm Kirke Høy Li Ås Fur Gran Ler",
        "by vik fjord dal berg sund nes stad holm heim øy våg land rud eid vang",
    ),
    # Finnish place names end in a vowel here, so the genitive ("…n kunta") is regular.
    "FI": (
        "Järvi Koski Mäki Lahti Salo Niemi Kallio Laakso Harju Kivi Metsä Suo Ranta Kangas Pelto Vuori Joki "
        "Lampi Saari Aho Kuusi Koivu Haapa Pihla",
        "la lä salo kylä vaara harju pää maa linna",
    ),
    "IS": (
        "Norður Suður Austur Vestur Hval Fjarða Skaga Borgar Hvera Snæ Mýra Rangár Hafnar Dala Grundar Hólma "
        "Reykja Ísa Stykkis Blöndu",
        "byggð fjörður vík nes dalur ey höfn þing bær staðir ós",
    ),
}
MUNICIPALITY = {
    "DK": "{} Kommune",
    "NO": "{} kommune",
    "SE": "{} kommun",
    "FI": "{}n kunta",
    "IS": "Sveitarfélagið {}",
}
REGION = {"DK": "Region {}", "NO": "{} fylkeskommune", "SE": "Region {}", "FI": "{}n hyvinvointialue"}
STATE = {
    "DK": [
        "Vejdirektoratet",
        "Skattestyrelsen",
        "Kriminalforsorgen",
        "Naturstyrelsen",
        "Politiet",
        "Bygningsstyrelsen",
        "Forsvarsministeriets Ejendomsstyrelse",
        "Banedanmark",
        "Kystdirektoratet",
        "Arbejdstilsynet",
    ],
    "SE": [
        "Trafikverket",
        "Skatteverket",
        "Kriminalvården",
        "Polismyndigheten",
        "Fortifikationsverket",
        "Statens fastighetsverk",
        "Länsstyrelsen",
        "Försäkringskassan",
    ],
    "NO": ["Statens vegvesen", "Skatteetaten", "Kriminalomsorgen", "Politiet", "Forsvarsbygg", "Statsbygg", "NAV"],
    "FI": ["Väylävirasto", "Verohallinto", "Rikosseuraamuslaitos", "Poliisi", "Senaatti-kiinteistöt", "Kela"],
    "IS": ["Vegagerðin", "Skatturinn", "Lögreglan", "Ríkiskaup", "Landspítali", "Fangelsismálastofnun"],
}
OTHER = {
    "DK": ["{} Forsyning", "{} Havn", "Professionshøjskolen {}", "{} Boligselskab", "{} Affald"],
    "SE": ["{} Energi AB", "{} Hamn AB", "{} Bostäder AB", "{} Vatten AB"],
    "NO": ["{} Energi AS", "{} havn KF", "{} Vann og avløp KF"],
    "FI": ["{}n Vesi Oy", "{}n Satama Oy", "{}n Energia Oy"],
    "IS": ["{} veitur", "{} höfn"],
}
FIRST_NAMES = {
    "DK": "Anne Mette Louise Camilla Maria Lars Jens Peter Søren Mikkel Kirsten Henrik Rasmus Sofie Ida Morten Line",
    "SE": "Anna Eva Karin Sara Emma Erik Lars Anders Johan Per Maja Oskar Linnea",
    "NO": "Ingrid Kari Silje Marit Nora Ole Lars Knut Jon Håkon Sindre Eirik Tuva",
    "FI": "Aino Helmi Liisa Sanna Emilia Juha Mikko Timo Antti Ville Jari Veera",
    "IS": "Guðrún Anna Sigríður Kristín Jón Sigurður Guðmundur Gunnar Ólafur Helga",
}
LAST_NAMES = {
    "DK": "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Kjær Holm Lund Madsen Møller",
    "SE": "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Lindberg",
    "NO": "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Berg Haugen Bakken",
    "FI": "Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen",
    "IS": "Jónsdóttir Jónsson Sigurðardóttir Sigurðsson Gunnarsdóttir Gunnarsson Ólafsdóttir Ólafsson",
}
PHONE_PREFIX = {"DK": "+45", "SE": "+46", "NO": "+47", "FI": "+358", "IS": "+354"}
TLD = {"DK": "dk", "SE": "se", "NO": "no", "FI": "fi", "IS": "is"}
JOB_TITLES = ["Indkøbschef", "Indkøbskonsulent", "Udbudsjurist", "Miljøkoordinator", "Indkøber", "Udbudskonsulent"]
EXPERTISE = ["", "", "udbudsret", "fødevarer", "byggeri", "it-indkøb", "transport", "kemikalier", "opfølgning"]
SECRETARIAT = [
    ("sekretariat@" + DOMAIN, "POGI-sekretariatet"),
    ("karen.holm@" + DOMAIN, "Karen Holm"),
    ("jonas.berg@" + DOMAIN, "Jonas Berg"),
]
LETTERS = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ð": "d", "þ": "th", "Þ": "Th"}
)

AREA_TOPICS = {
    "foedevarer": ["økologiske fødevarer", "mindre madspild", "plantebaserede måltider", "bæredygtig fisk"],
    "it-udstyr": ["energieffektive computere", "skærme med lang levetid", "genbrug af it-udstyr", "servere"],
    "byggeri": ["lavenergibyggeri", "genanvendte byggematerialer", "klimakrav til beton", "byggepladsens miljø"],
    "trae": ["lovligt og bæredygtigt træ", "certificeret træ", "træ i byggeri", "møbler af træ"],
    "rengoering": ["svanemærkede rengøringsmidler", "rengøringsservice", "dosering og emballage", "mikrofiberklude"],
    "boerneartikler": ["legetøj uden skadelige kemikalier", "bleer", "hobbymaterialer", "madrasser"],
    "transport": ["elbiler i kommunale flåder", "fossilfri kørsel", "cykler og ladcykler", "busdrift"],
    "belysning": ["LED-belysning", "vejbelysning", "lysstyring", "belysning i kontorer"],
    "papir-tryksager": ["kopipapir", "svanemærkede tryksager", "hygiejnepapir", "konvolutter"],
    "koekkenudstyr": ["energieffektive hvidevarer", "storkøkkenudstyr", "engangsservice", "opvaskemidler"],
    "tekstiler": ["arbejdstøj", "sengelinned og håndklæder", "genbrugstekstiler", "tekstilservice"],
}
GENERIC_TOPICS = ["grønne indkøb", "miljøkrav i udbud", "cirkulære indkøb", "klimavenlige løsninger"]
SEGMENTS = ["", " i skoler", " i plejecentre", " i daginstitutioner", " på hospitaler", " i administrationen"]
CHEMICALS = ["parfume", "PFAS", "ftalater", "halogenerede flammehæmmere", "biocider", "nanomaterialer", "bisphenoler"]
CRITERION_TEXTS = {
    "requirement": [
        "Produktet skal opfylde kravene i {label} eller tilsvarende dokumenterede krav.",
        "Produktet må ikke indeholde tilsat {chemical}.",
        "Leverandøren skal tage emballagen retur og sikre, at mindst {pct} % genanvendes.",
        "Ydelsen skal leveres, så mindst {pct} % af {topic} opfylder målets kriterier.",
    ],
    "recommendation": [
        "Ordregiver bør stille krav om {label} ved indkøb af {topic}.",
        "Det anbefales at indhente tilbud på varianter med lavere klimaaftryk.",
    ],
    "award": [
        "Ved tildelingen vægtes andelen af {topic} med {label} med {pct} %.",
        "Tilbud, der dokumenterer lavere energiforbrug end kravet, tildeles point efter en lineær model.",
    ],
    "clause": [
        "Leverandøren skal hvert år rapportere andelen af {topic}, der opfylder kriterierne.",
        "Leverandøren skal i hele kontraktperioden dokumentere, at produkterne fortsat opfylder kravene.",
    ],
}
DOCUMENTATION = [
    "Produktet er mærket med {label}, eller leverandøren fremlægger et teknisk dossier.",
    "Erklæring fra producenten eller testrapport fra et uafhængigt, akkrediteret laboratorium.",
    "Leverandørens årlige opgørelse, som ordregiver kan få efterprøvet.",
]
GUIDANCE = [
    "",
    "Kravet kan bruges i både rammeaftaler og enkeltindkøb.",
    "Tal med markedet før udbuddet; ikke alle leverandører kan dokumentere kravet endnu.",
    "Kriteriet egner sig til mindre indkøb under tærskelværdien.",
]
CHANGE_NOTES = [
    "Kravniveauet er skærpet, og målet gælder nu flere produktgrupper.",
    "Nye kriterier for emballage og kemikalier.",
    "Dokumentationskravene er forenklet efter høringen.",
    "Målet er opdateret til de nyeste miljømærkekriterier.",
]
CHALLENGES = [
    "Få leverandører kunne dokumentere kravene.",
    "Kravene gav højere priser i første omgang.",
    "Indkøberne kendte ikke kriterierne godt nok.",
    "Rammeaftalen blev indgået før målet trådte i kraft.",
    "Markedsdialogen viste, at kun én leverandør kunne levere.",
    "Det var svært at følge op på kravene i kontraktperioden.",
    "Kravene passede dårligt til små indkøb under tærskelværdien.",
    "Der var ikke tid til at tilpasse udbudsmaterialet.",
    "Leverandørerne bad om en længere overgangsperiode.",
    "Vi køber via fælles aftaler, hvor kravene ikke indgår.",
]
REASONS = {
    "partly": [
        "Ikke alle udbud i året brugte kriterierne.",
        "Kriterierne blev brugt i de store udbud, ikke i miniudbuddene.",
        "Et af udbuddene blev forberedt, før målet trådte i kraft.",
    ],
    "not_yet": [
        "Kontrakten løber til næste år; kravene kommer med i genudbuddet.",
        "Vi har ikke haft udbud på området i år.",
        "Kravene indarbejdes i vores nye indkøbspolitik.",
    ],
    "not_relevant": ["Vi køber ikke ind på området.", "Området dækkes af en statslig aftale."],
}
COMMENTS = [
    "Vi deler gerne vores udbudsmateriale med andre medlemmer.",
    "Tallene er et skøn ud fra indkøbssystemet.",
    "Se også vores svar fra sidste år.",
]
COMPANIES = [
    "Nordisk Rengøring A/S",
    "Grøn Facility ApS",
    "Dansk Byggeri",
    "DI Handel",
    "Dansk Erhverv",
    "Lederne i Indkøb",
    "Fødevareleverandørerne",
    "Nordic Lighting A/S",
    "Papirgrossisten A/S",
    "Storkøkken Service ApS",
    "Træ- og Møbelindustrien",
    "IT-Branchen",
]
HEARING_TEXTS = [
    "Kravet er godt, men markedet har brug for en overgangsperiode på et år.",
    "Vi foreslår, at tilsvarende dokumentation også kan være en testrapport.",
    "Procentsatsen bør hæves; mange leverandører kan allerede leve op til den.",
    "Det er uklart, hvordan andelen skal opgøres i en rammeaftale.",
    "Kriteriet bør også omfatte reservedele og service.",
    "Vi støtter målet og har ingen bemærkninger til kriterierne.",
]
HEARING_ANSWERS = {
    "accepted": "Bemærkningen er taget til følge, og kriteriet er tilpasset.",
    "partly": "Bemærkningen er delvist taget til følge; vejledningen er uddybet.",
    "not_accepted": "Kriteriet fastholdes, da markedsdialogen viste, at kravet kan opfyldes.",
}
STEERING_PLACE = "Miljøstyrelsen, Tolderlundsvej 5, Odense C"
ROUND_INTRO = (
    "Fortæl, hvordan I har brugt POGI's indkøbsmål i årets udbud. Svarene bruges til at lære af, "
    "ikke til kontrol: årsrapporten nævner ikke enkelte medlemmer i sine tal."
)


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


class _Names:
    """Plausible, unique organisation names per country, drawn from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.places = {}
        for country, (prefixes, stems) in PLACES.items():
            places = [p + s for p in prefixes.split() for s in stems.split() if _fits(p, s)]
            rng.shuffle(places)
            self.places[country] = places
        self.taken = dict.fromkeys(PLACES, 0)
        self.used: set[str] = set()

    def _place(self, country: str) -> str:
        places = self.places[country]
        n = self.taken[country]
        self.taken[country] += 1
        if n < len(places):
            return places[n]
        # Past the simple names, two joined by a hyphen, as after the Danish municipal reform.
        first, second = places[n % len(places)], places[(n // len(places) + n) % len(places)]
        return f"{first}-{second}" if first != second else f"{first}-{places[(n + 1) % len(places)]}"

    def organisation(self, kind: str, country: str) -> str:
        name = ""
        for _ in range(100):
            if kind == "municipality":
                name = MUNICIPALITY[country].format(self._place(country))
            elif kind == "region":
                name = REGION[country].format(self.rng.choice(self.places[country]))
            elif kind == "state":
                name = f"{self.rng.choice(STATE[country])}, {self.rng.choice(self.places[country])}"
            else:
                name = self.rng.choice(OTHER[country]).format(self.rng.choice(self.places[country]))
            if name not in self.used:
                break
        else:
            name = f"{name} {len(self.used)}"
        self.used.add(name)
        return name


def _fits(prefix: str, stem: str) -> bool:
    if prefix.lower().endswith(stem):
        return False
    # Finnish vowel harmony: -la after back vowels (Koskela), -lä after front vowels only (Mäkelä).
    if stem == "la":
        return any(v in prefix.lower() for v in "aou")
    if stem == "lä":
        return not any(v in prefix.lower() for v in "aou")
    return True


def _person(rng: random.Random, country: str) -> str:
    return f"{rng.choice(FIRST_NAMES[country].split())} {rng.choice(LAST_NAMES[country].split())}"


def _ascii_slug(text: str) -> str:
    return slugify(text.translate(LETTERS))


# --- plans shared between the stages ---------------------------------------------------------------------------


@dataclass
class _Org:
    index: int
    id: int
    name: str
    slug: str
    kind: str
    country: str
    volume: int
    joined_on: date
    transition_until: date
    primary_id: int = 0
    primary_name: str = ""
    primary_email: str = ""
    deputy_id: int | None = None
    phone: str = ""
    steering: bool = False
    # Follow-up profile: how many tenders a year, how far ahead of the others, which goals do not apply.
    tenders: float = 0.0
    offset: float = 0.0
    not_relevant: frozenset[int] = frozenset()


@dataclass
class _Version:
    id: int
    goal_index: int
    number: int
    title: str
    effective: date
    adopted_on: date
    created_at: datetime
    internal_at: datetime
    industry_at: datetime
    submitted_at: datetime
    published_at: datetime
    superseded_at: datetime | None = None


@dataclass
class _Round:
    id: int
    year: int
    opens_on: date
    deadline: date
    created_at: datetime
    opened_at: datetime
    closed_at: datetime | None  # None: the round is still open
    versions: list[int] = field(default_factory=list)  # per goal of the round, the version in force


@dataclass
class _GoalProfile:
    """How one goal of the rounds fares: a starting share, a yearly rise and yearly ups and downs."""

    base: float
    slope: float
    shocks: list[float]
    volume_share: float


@dataclass
class _ResponsePlan:
    id: int
    org: _Org
    answered: int
    first_saved: datetime
    step: timedelta
    user_id: int
    total_volume: int


# --- the build ---------------------------------------------------------------------------------------------------


class _Build:
    def __init__(self, *, scale: Scale, seed: int, last_year: int, progress: Callable[[Stage], None] | None):
        self.scale, self.seed, self.last_year = scale, seed, last_year
        self.progress = progress
        self.tz = timezone.get_default_timezone()
        self.writer = _Writer()
        self.stages: dict[str, Stage] = {}
        self.explicit_ids: list[type[Model]] = []
        self.first_ids: dict[type[Model], int] = {}
        # The dataset's "now": after the last round closed, whatever day the command runs.
        self.now = self.at(date(last_year, 11, 15), 12)
        self.rounds = [self._round_plan(year) for year in range(last_year - scale.rounds + 1, last_year + 1)]

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def ids(self, model: type[Model], n: int) -> range:
        """Ids for ``n`` new rows; rows that refer to each other are written without a lookup."""
        start = _next_id(model)
        self.explicit_ids.append(model)
        self.first_ids[model] = start
        return range(start, start + n)

    @contextmanager
    def stage(self, name: str):
        stage = self.stages.setdefault(name, Stage(name))
        started = time.perf_counter()
        counter = [0]
        yield counter
        if self.writer.postgres:
            # The foreign keys are deferred: check them now, so each stage is timed with its own checks.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        stage.seconds += time.perf_counter() - started
        stage.rows += counter[0]

    def report(self, name: str) -> None:
        if self.progress:
            self.progress(self.stages[name])

    def _round_plan(self, year: int) -> _Round:
        """Earlier rounds are closed; the last one is open, two weeks before its deadline: the deadline crunch."""
        opens_on = date(year, 9, 1)
        last = year == self.last_year
        return _Round(
            id=0,
            year=year,
            opens_on=opens_on,
            deadline=date(year, 11, 29) if last else date(year, 10, 15),
            created_at=self.at(date(year, 8, 1), 10),
            opened_at=self.at(opens_on, 9),
            closed_at=None if last else self.at(date(year, 10, 31), 15),
        )

    # --- reference data ---

    def reference(self) -> None:
        with self.stage("reference data") as rows:
            goal_reference.load()
            for row in member_reference.read_csv("regions_dk.csv"):
                Region.objects.get_or_create(code=row["code"], defaults={"name": row["name"], "nuts2": row["nuts2"]})
            self.body = body_for(kind=Body.Kind.STEERING_GROUP)
            self.regions = list(Region.objects.order_by("code"))
            self.areas = list(ProductArea.objects.order_by("slug"))
            self.labels = list(Ecolabel.objects.order_by("slug"))
            self.targets = list(SdgTarget.objects.order_by("code"))
            rows[0] = len(self.regions) + len(self.areas) + len(self.labels) + len(self.targets) + 1
        self.report("reference data")

    # --- members ---

    def members(self) -> None:
        with self.stage("members") as rows:
            rows[0] = self._members()
        self.report("members")

    def _members(self) -> int:
        rng = self.rng("members")
        names = _Names(self.rng("names"))
        n = self.scale.organisations
        first_open = self.rounds[0].opens_on
        last_open = self.rounds[-1].opens_on
        late = max(1, n // 100) if n >= 20 else 0
        late_indexes = set(rng.sample(range(n), late))
        orgs = []
        for index, org_id in enumerate(self.ids(Organisation, n)):
            country = _weighted(rng, COUNTRIES)
            kind = _weighted(
                rng, [(k, w) for k, w in KINDS if k in ("municipality", "state", "other") or country in REGION]
            )
            name = names.organisation(kind, country)
            if index in late_indexes:
                # Joined in the last year: answers only the last round, in its transition period.
                joined_on = last_open - timedelta(days=rng.randint(30, 300))
            else:
                joined_on = first_open - timedelta(days=rng.randint(2 * 365 + 1, 14 * 365))
            size = {"municipality": 1.0, "region": 4.0, "state": 0.6, "other": 0.3}[kind] * rng.lognormvariate(0, 0.6)
            orgs.append(
                _Org(
                    index=index,
                    id=org_id,
                    name=name,
                    slug=f"{SLUG_PREFIX}{index + 1:04d}-{_ascii_slug(name)}"[:220],
                    kind=kind,
                    country=country,
                    volume=max(20, round(size * 1500)) * 1_000_000,
                    joined_on=joined_on,
                    transition_until=date(joined_on.year + 2, joined_on.month, min(joined_on.day, 28)),
                    phone=f"{PHONE_PREFIX[country]} {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    tenders=min(9.0, 1.5 + 5 * size),
                    offset=rng.gauss(0, 0.12),
                )
            )
        self.orgs = orgs
        # The steering group: long-standing Danish municipalities and regions first, as in the partnership.
        veterans = [o for o in orgs if o.index not in late_indexes]
        steering = [o for o in veterans if o.country == "DK" and o.kind in ("municipality", "region")][:15]
        chosen = {o.index for o in steering}
        steering += [o for o in veterans if o.index not in chosen][: 15 - len(steering)]
        for org in steering:
            org.steering = True
        self.steering = steering

        deputies = [o for o in orgs if rng.random() < 0.2]
        all_user_ids = self.ids(User, len(SECRETARIAT) + n + len(deputies))
        self.secretariat_id = all_user_ids[0]
        self.secretary_ids = list(all_user_ids[: len(SECRETARIAT)])
        width = max(4, len(str(n)))
        users, reps = [], []
        user_ids = iter(all_user_ids)
        founded = self.at(first_open - timedelta(days=15 * 365), 9)
        for email, name in SECRETARIAT:
            users.append(self._user(rng, next(user_ids), email, name, founded, staff=True))
        rep_ids = iter(self.ids(Representative, n + len(deputies)))
        for org in orgs:
            org.primary_id = next(user_ids)
            org.primary_name = _person(rng, org.country)
            org.primary_email = f"rep-{org.index + 1:0{width}d}@{DOMAIN}"
            joined = self.at(org.joined_on, 10)
            users.append(self._user(rng, org.primary_id, org.primary_email, org.primary_name, joined))
            reps.append(self._representative(rng, next(rep_ids), org.primary_id, org, "primary", joined))
        for org in deputies:
            org.deputy_id = next(user_ids)
            joined = self.at(org.joined_on + timedelta(days=rng.randint(1, 90)), 11)
            email = f"deputy-{org.index + 1:0{width}d}@{DOMAIN}"
            users.append(self._user(rng, org.deputy_id, email, _person(rng, org.country), joined))
            reps.append(self._representative(rng, next(rep_ids), org.deputy_id, org, "deputy", joined))

        membership_ids = self.ids(Membership, n)
        w = self.writer
        count = w.records(User, users)
        count += w.records(Organisation, (self._organisation(rng, org) for org in orgs))
        count += w.records(
            Membership, (self._membership(rng, org, m_id) for org, m_id in zip(orgs, membership_ids, strict=True))
        )
        count += w.records(Representative, reps)
        by = self.secretariat_id
        for model, date_sql in (
            (User, "t.date_joined"),
            (Organisation, "t.created_at"),
            (Membership, "t.created_at"),
            (Representative, "t.created_at"),
        ):
            count += w.history_copy(model, date_sql=date_sql, user_id=by, min_id=self.first_ids[model])
        return count

    def _user(self, rng, user_id: int, email: str, name: str, joined: datetime, *, staff: bool = False) -> dict:
        return {
            "id": user_id,
            "password": UNUSABLE_PASSWORD_PREFIX + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40)),
            "last_login": None,
            "is_superuser": False,
            "is_staff": staff,
            "is_active": True,
            "date_joined": joined,
            "email": email,
            "name": name,
            "is_secretariat": staff,
        }

    def _organisation(self, rng, org: _Org) -> dict:
        host = f"www.{org.slug.removeprefix(SLUG_PREFIX).split('-', 1)[1]}.{TLD[org.country]}"
        created = self.at(org.joined_on - timedelta(days=rng.randint(20, 120)), 10)
        return {
            "id": org.id,
            "name": org.name,
            "slug": org.slug,
            "kind": org.kind,
            "country": org.country,
            "official_code": "",
            "region_id": rng.choice(self.regions).pk if org.country == "DK" and self.regions else None,
            "cvr": f"{rng.randint(10_000_000, 99_999_999)}" if org.country == "DK" else "",
            "website": f"https://{host}",
            "procurement_policy_url": f"https://{host}/indkoebspolitik",
            "purchasing_volume_dkk": org.volume,
            "description": "",
            "created_at": created,
            "updated_at": created,
        }

    def _membership(self, rng, org: _Org, membership_id: int) -> dict:
        applied = self.at(org.joined_on - timedelta(days=rng.randint(14, 90)), 10)
        # Municipalities and regions join without the steering group's assessment.
        assessed = org.kind not in ("municipality", "region")
        return {
            "id": membership_id,
            "organisation_id": org.id,
            "status": Membership.Status.ACTIVE,
            "applied_at": applied,
            "contact_name": org.primary_name,
            "contact_email": org.primary_email,
            "contact_phone": org.phone,
            "contact_title": rng.choice(JOB_TITLES),
            "motivation": "Vi vil bruge partnerskabets indkøbsmål og lære af de andre medlemmer.",
            "joined_on": org.joined_on,
            "transition_until": org.transition_until,
            "decided_at": self.at(org.joined_on, 12) if assessed else None,
            "decided_by_id": self.secretariat_id if assessed else None,
            "verified_at": self.at(org.joined_on, 12),
            "verification_method": Membership.Verification.RECORDS,
            "created_at": applied,
        }

    def _representative(self, rng, rep_id: int, user_id: int, org: _Org, position: str, joined: datetime) -> dict:
        return {
            "id": rep_id,
            "user_id": user_id,
            "organisation_id": org.id,
            "position": position,
            "steering_group": position == "primary" and org.steering,
            "expertise": rng.choice(EXPERTISE),
            "created_at": joined,
        }

    # --- goals ---

    def goals(self) -> None:
        with self.stage("goals") as rows:
            rows[0] = self._goals()
        self.report("goals")

    def _version_dates(self, rng) -> list[date]:
        """Effective dates, one per version, the first before the first round, the last before the last round."""
        count = self.scale.versions
        first = self.rounds[0].opens_on - timedelta(days=rng.randint(365, 3 * 365))
        last = self.rounds[-1].opens_on - timedelta(days=rng.randint(30, 300))
        out = []
        for k in range(count):
            day = first if count == 1 else first + (last - first) * k / (count - 1)
            if 0 < k < count - 1:
                day += timedelta(days=rng.randint(-45, 45))
            day = date(day.year, day.month, 1)
            if out and day <= out[-1]:
                day = out[-1] + timedelta(days=1)
            out.append(day)
        return out

    @staticmethod
    def _meeting_day(on_or_before: date) -> date:
        """The steering group meets on the 10th of March, June, September and December."""
        for year in (on_or_before.year, on_or_before.year - 1):
            for month in (12, 9, 6, 3):
                if date(year, month, 10) <= on_or_before:
                    return date(year, month, 10)
        raise AssertionError("unreachable")

    def _goals(self) -> int:
        rng = self.rng("goals")
        g_count, v_count, c_count = self.scale.goals, self.scale.versions, self.scale.criteria
        goal_ids = self.ids(Goal, g_count)
        version_ids = iter(self.ids(GoalVersion, g_count * v_count))
        criterion_ids = iter(self.ids(Criterion, g_count * v_count * c_count))
        first_number = (Goal.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        self.first_goal_number = first_number
        author = self.secretary_ids[1 % len(self.secretary_ids)]
        goals, versions, criteria, version_labels, version_targets, criterion_labels = [], [], [], [], [], []
        history = []
        self.versions: list[list[_Version]] = []
        for g in range(g_count):
            area = self.areas[g % len(self.areas)] if self.areas else None
            topics = AREA_TOPICS.get(area.slug if area else "", GENERIC_TOPICS)
            topic = rng.choice(topics)
            title = f"{topic[0].upper()}{topic[1:]}{rng.choice(SEGMENTS)}"
            number = first_number + g
            effective = self._version_dates(rng)
            plans = []
            previous_adopted = None
            for k, day in enumerate(effective):
                adopted_on = self._meeting_day(day - timedelta(days=30))
                gap = (adopted_on - previous_adopted).days if previous_adopted else 400
                lead = max(20, min(360, int(gap * 0.8)))
                created = self.at(adopted_on - timedelta(days=lead), 10)
                plans.append(
                    _Version(
                        id=next(version_ids),
                        goal_index=g,
                        number=k + 1,
                        title=title,
                        effective=day,
                        adopted_on=adopted_on,
                        created_at=created,
                        internal_at=created + timedelta(days=int(lead * 0.35)),
                        industry_at=created + timedelta(days=int(lead * 0.6)),
                        submitted_at=created + timedelta(days=int(lead * 0.85)),
                        published_at=self.at(day, 8),
                    )
                )
                previous_adopted = adopted_on
            for older, newer in itertools.pairwise(plans):
                older.superseded_at = newer.published_at
            self.versions.append(plans)
            goals.append(
                {
                    "id": goal_ids[g],
                    "number": number,
                    "slug": f"{SLUG_PREFIX}{_ascii_slug(area.name_da if area else 'maal')}-{number}"[:80],
                    "product_area_id": area.pk if area else None,
                    "created_at": plans[0].created_at,
                }
            )
            for plan in plans:
                pct = min(100, 40 + 10 * plan.number + rng.choice([0, 5, 10]))
                label = rng.choice(self.labels) if self.labels else None
                label_name = label.name_da if label else "Svanemærket"
                record = {
                    "id": plan.id,
                    "goal_id": goal_ids[g],
                    "number": plan.number,
                    "status": GoalVersion.Status.PUBLISHED
                    if plan.superseded_at is None
                    else GoalVersion.Status.SUPERSEDED,
                    "title": title,
                    "statement": (
                        f"Partnerskabets medlemmer stiller krav om {topic} i alle udbud på området, så mindst "
                        f"{pct} % af indkøbene opfylder kriterierne senest {plan.effective.year + 3}."
                    ),
                    "scope": (
                        f"Målet omfatter indkøb af {topic}{rng.choice(SEGMENTS)}. Det omfatter ikke indkøb under "
                        f"{rng.choice([50, 100, 250])}.000 kr. eller varer, der købes via statslige aftaler."
                    ),
                    "transition_note": f"Gælder udbud, der annonceres fra {plan.effective:%d.%m.%Y}.",
                    "change_note": rng.choice(CHANGE_NOTES) if plan.number > 1 else "",
                    "effective_date": plan.effective,
                    "adopted_on": plan.adopted_on,
                    "published_at": plan.published_at,
                    "superseded_at": plan.superseded_at,
                    "created_by_id": author,
                    "created_at": plan.created_at,
                    "updated_at": plan.superseded_at or plan.published_at,
                }
                versions.append(record)
                history.extend(self._version_history(record, plan, author))
                picked = rng.sample(self.labels, min(2, len(self.labels))) if self.labels else []
                version_labels.extend((plan.id, lab.pk) for lab in picked[: rng.randint(1, 2)])
                if self.targets:
                    version_targets.append((plan.id, rng.choice(self.targets).pk))
                for c in range(c_count):
                    kind = rng.choices(Criterion.Kind.values, weights=[6, 2, 1, 1])[0]
                    c_label = rng.choice(self.labels) if self.labels else None
                    words = {
                        "label": c_label.name_da if c_label else label_name,
                        "chemical": rng.choice(CHEMICALS),
                        "pct": rng.choice([25, 50, 75, 90]),
                        "topic": topic,
                    }
                    criterion_id = next(criterion_ids)
                    criteria.append(
                        {
                            "id": criterion_id,
                            "version_id": plan.id,
                            "number": f"{number}.{chr(97 + c)}" if c_count <= 26 else f"{number}.{c + 1}",
                            "position": c + 1,
                            "kind": kind,
                            "text": rng.choice(CRITERION_TEXTS[kind]).format(**words),
                            "documentation": rng.choice(DOCUMENTATION).format(**words),
                            "guidance": rng.choice(GUIDANCE),
                            "ambition": rng.choice(["", "core", "comprehensive"]),
                        }
                    )
                    if c_label and rng.random() < 0.4:
                        criterion_labels.append((criterion_id, c_label.pk))
        w = self.writer
        count = w.records(Goal, goals)
        count += w.records(GoalVersion, versions)
        count += w.records(Criterion, criteria)
        count += w.write(GoalVersion.ecolabels.through, ["goalversion_id", "ecolabel_id"], version_labels)
        count += w.write(GoalVersion.sdg_targets.through, ["goalversion_id", "sdgtarget_id"], version_targets)
        count += w.write(Criterion.ecolabels.through, ["criterion_id", "ecolabel_id"], criterion_labels)
        count += w.records(GoalVersion.history.model, history, with_pk=False)
        count += w.history_copy(Goal, date_sql="t.created_at", user_id=author, min_id=self.first_ids[Goal])
        count += w.history_copy(
            Criterion,
            date_sql=f"(SELECT v.created_at FROM {_qn(GoalVersion._meta.db_table)} v WHERE v.id = t.version_id)",
            user_id=author,
            min_id=self.first_ids[Criterion],
        )
        self._search_documents(self.first_ids[GoalVersion])
        return count

    def _version_history(self, record: dict, plan: _Version, author: int) -> list[dict]:
        """The version's way from draft to in force (and superseded), one history record per change."""
        S = GoalVersion.Status
        unset = {"adopted_on": None, "published_at": None, "superseded_at": None}
        steps = [
            ("+", plan.created_at, S.DRAFT, unset),
            ("~", plan.internal_at, S.INTERNAL_HEARING, unset),
            ("~", plan.industry_at, S.INDUSTRY_HEARING, unset),
            ("~", plan.submitted_at, S.SUBMITTED, unset),
            ("~", self.at(plan.adopted_on, 12), S.ADOPTED, {"published_at": None, "superseded_at": None}),
            ("~", plan.published_at, S.PUBLISHED, {"superseded_at": None}),
        ]
        if plan.superseded_at:
            steps.append(("~", plan.superseded_at, S.SUPERSEDED, {}))
        return [
            {
                **record,
                **overrides,
                "status": status,
                "history_date": when,
                "history_type": kind,
                "history_user_id": author,
            }
            for kind, when, status, overrides in steps
        ]

    def _search_documents(self, min_id: int) -> None:
        """The catalogue's full-text documents, as goals.search.document_update writes them, in one statement."""
        if not self.writer.postgres:
            return
        version, criterion = _qn(GoalVersion._meta.db_table), _qn(Criterion._meta.db_table)
        labels, label = _qn(GoalVersion.ecolabels.through._meta.db_table), _qn(Ecolabel._meta.db_table)
        config = search.search_config()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {version} v SET search_document =
                    setweight(to_tsvector(%(config)s::regconfig, COALESCE(v.title, '')), 'A')
                    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(v.statement, '')), 'B')
                    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(v.scope, '')), 'C')
                    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(
                        (SELECT string_agg(c.text || ' ' || c.documentation || ' ' || c.guidance, ' '
                                           ORDER BY c.position, c.number)
                           FROM {criterion} c WHERE c.version_id = v.id), '')
                        || ' ' || COALESCE(
                        (SELECT string_agg(e.name || ' ' || e.name_da, ' ' ORDER BY e.name_da)
                           FROM {labels} l JOIN {label} e ON e.id = l.ecolabel_id WHERE l.goalversion_id = v.id),
                        '')), 'C')
                WHERE v.id >= %(min_id)s AND v.status IN ('published', 'superseded')
                """,
                {"config": config, "min_id": min_id},
            )

    # --- hearings and meetings ---

    def workgroups(self) -> None:
        with self.stage("hearings and meetings") as rows:
            rows[0] = self._hearings() + self._meetings()
        self.report("hearings and meetings")

    def _hearings(self) -> int:
        rng = self.rng("hearings")
        all_versions = [v for plans in self.versions for v in plans]
        hearing_ids = iter(self.ids(Hearing, 2 * len(all_versions)))
        c_count = self.scale.criteria
        first_criterion = self.first_ids[Criterion]
        hearings, responses = [], []
        for v_index, version in enumerate(all_versions):
            for kind, opened in (
                (Hearing.Kind.INTERNAL, version.internal_at),
                (Hearing.Kind.INDUSTRY, version.industry_at),
            ):
                hearing_id = next(hearing_ids)
                closes = opened + timedelta(days=21)
                hearings.append(
                    {
                        "id": hearing_id,
                        "version_id": version.id,
                        "kind": kind,
                        "token": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "opened_at": opened,
                        "closes_at": closes,
                        "closed_at": closes,
                        "notified_at": opened,
                        "opened_by_id": self.secretariat_id,
                    }
                )
                for _ in range(rng.randint(0, 3)):
                    answer = rng.choice(list(HEARING_ANSWERS))
                    record = {
                        "hearing_id": hearing_id,
                        "criterion_id": first_criterion + v_index * c_count + rng.randrange(c_count)
                        if rng.random() < 0.7
                        else None,
                        "text": rng.choice(HEARING_TEXTS),
                        "keep_private": rng.random() < 0.1,
                        "received_at": opened + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)),
                        "answer": answer,
                        "answer_text": HEARING_ANSWERS[answer],
                        "answered_by_id": self.secretariat_id,
                        "answered_at": closes + timedelta(days=rng.randint(1, 14)),
                    }
                    if kind == Hearing.Kind.INTERNAL:
                        org = rng.choice(self.orgs)
                        record |= {
                            "respondent_name": org.primary_name,
                            "respondent_organisation": org.name,
                            "respondent_email": org.primary_email,
                            "member_id": org.id,
                            "submitted_by_id": org.primary_id,
                            "channel": HearingResponse.Channel.PORTAL,
                        }
                    else:
                        company = rng.choice(COMPANIES)
                        record |= {
                            "respondent_name": _person(rng, "DK"),
                            "respondent_organisation": company,
                            "respondent_email": f"hoering@{_ascii_slug(company)}.example",
                            "channel": rng.choice(HearingResponse.Channel.values),
                        }
                    responses.append(record)
        w = self.writer
        first_response = _next_id(HearingResponse)
        count = w.records(Hearing, hearings)
        count += w.records(HearingResponse, responses, with_pk=False)
        count += w.history_copy(
            Hearing, date_sql="t.opened_at", user_id=self.secretariat_id, min_id=self.first_ids[Hearing]
        )
        count += w.history_copy(
            HearingResponse, date_sql="t.received_at", user_column="submitted_by_id", min_id=first_response
        )
        return count

    def _meetings(self) -> int:
        rng = self.rng("meetings")
        adoptions: dict[date, list[_Version]] = {}
        for plans in self.versions:
            for version in plans:
                adoptions.setdefault(version.adopted_on, []).append(version)
        start = min(adoptions, default=self._meeting_day(self.now.date()))
        days = []
        day = start
        while day <= self.now.date():
            days.append(day)
            day = date(day.year + (day.month == 12), day.month % 12 + 3, 10)
        days.append(day)  # the coming meeting: planned, no minutes yet
        meeting_ids = list(self.ids(Meeting, len(days)))
        eligible = len(self.steering)
        quorum = self.body.quorum_needed(eligible)
        meetings, items, decisions, votes, attendance = [], [], [], [], []
        item_ids = iter(self.ids(AgendaItem, len(days) * 3 + sum(len(v) for v in adoptions.values())))
        decision_ids = iter(self.ids(Decision, sum(len(v) for v in adoptions.values())))
        version_titles = {v.id: (self.goal_number(v.goal_index), v) for plans in self.versions for v in plans}
        for m, day in enumerate(days):
            starts = self.at(day, 10)
            past = starts < self.now
            following = self.at(days[m + 1], 10) if m + 1 < len(days) else None
            approved = following is not None and following < self.now
            present = rng.sample(self.steering, rng.randint(min(quorum, eligible), eligible)) if past else []
            present.sort(key=lambda o: o.index)
            minutes = []
            agenda = []  # this meeting's items, numbered in order

            def item(title: str, kind: str, agenda=agenda, meeting_id=meeting_ids[m], **extra) -> int:
                item_id = next(item_ids)
                agenda.append({"id": item_id, "meeting_id": meeting_id, "title": title, "kind": kind, **extra})
                agenda[-1]["position"] = len(agenda)
                return item_id

            if m > 0:
                item(f"Godkendelse af referat fra mødet den {days[m - 1]:%d.%m.%Y}", AgendaItem.Kind.DECISION)
                minutes.append(f"{len(agenda)}. Referatet blev godkendt uden bemærkninger.")
            for version in adoptions.get(day, []):
                number, plan = version_titles[version.id]
                title = f"Vedtagelse af indkøbsmål {number} – {plan.title}, version {plan.number}"
                item_id = item(title[:200], AgendaItem.Kind.DECISION, version_id=plan.id, effective_date=plan.effective)
                if not past or len(present) < quorum:
                    continue
                against = 1 if rng.random() < 0.1 else 0
                abstain = rng.randint(0, 1)
                choices = ["against"] * against + ["abstain"] * abstain
                choices += ["for"] * (len(present) - len(choices))
                decision_id = next(decision_ids)
                decisions.append(
                    {
                        "id": decision_id,
                        "item_id": item_id,
                        "proposal": f"Styregruppen vedtager version {plan.number} med ikrafttræden den {plan.effective:%d.%m.%Y}.",
                        "outcome": Decision.Outcome.CARRIED,
                        "eligible": eligible,
                        "present": len(present),
                        "quorum": quorum,
                        "votes_for": choices.count("for"),
                        "votes_against": against,
                        "abstentions": abstain,
                        "decided_at": starts + timedelta(minutes=10 * len(agenda)),
                        "recorded_by_id": self.secretariat_id,
                    }
                )
                votes.extend((decision_id, org.id, choice) for org, choice in zip(present, choices, strict=True))
                minutes.append(f"{len(agenda)}. Indkøbsmål {number}, version {plan.number}, blev vedtaget.")
            item("Orientering fra sekretariatet", AgendaItem.Kind.INFORMATION, description="Nyt fra partnerskabet.")
            minutes.append(f"{len(agenda)}. Taget til efterretning.")
            if day.month == 12:
                item(f"Status for opfølgningen {day.year}", AgendaItem.Kind.DISCUSSION)
                minutes.append(f"{len(agenda)}. Styregruppen drøftede årets svar og temaerne for årsrapporten.")
            meetings.append(
                {
                    "id": meeting_ids[m],
                    "body_id": self.body.pk,
                    "title": "Styregruppemøde",
                    "starts_at": starts,
                    "place": STEERING_PLACE,
                    "invitation_requested_at": starts - timedelta(days=14),
                    "invitation_sent_at": starts - timedelta(days=14)
                    if starts - timedelta(days=14) < self.now
                    else None,
                    "minutes": "\n\n".join(minutes) if past else "",
                    "minutes_approved_at": following + timedelta(minutes=15) if approved else None,
                    "minutes_approved_in_id": meeting_ids[m + 1] if approved else None,
                    "created_by_id": self.secretariat_id,
                    "created_at": starts - timedelta(days=30),
                }
            )
            items.extend(agenda)
            attendance.extend((meeting_ids[m], org.primary_id, org.id) for org in present)
        w = self.writer
        first_attendance = _next_id(Attendance)
        count = w.records(Meeting, meetings)
        count += w.records(AgendaItem, items)
        count += w.records(Decision, decisions)
        count += w.write(Vote, ["decision_id", "organisation_id", "choice"], votes)
        count += w.write(Attendance, ["meeting_id", "user_id", "organisation_id"], attendance)
        meeting_table = _qn(Meeting._meta.db_table)
        by = self.secretariat_id
        count += w.history_copy(Meeting, date_sql="t.created_at", user_id=by, min_id=meeting_ids[0])
        count += w.history_copy(
            AgendaItem,
            date_sql=f"(SELECT m.created_at FROM {meeting_table} m WHERE m.id = t.meeting_id)",
            user_id=by,
            min_id=self.first_ids[AgendaItem],
        )
        count += w.history_copy(Decision, date_sql="t.decided_at", user_id=by, min_id=self.first_ids[Decision])
        count += w.history_copy(
            Attendance,
            date_sql=f"(SELECT m.starts_at FROM {meeting_table} m WHERE m.id = t.meeting_id)",
            user_id=by,
            min_id=first_attendance,
        )
        return count

    # --- projects ---

    def projects(self) -> None:
        with self.stage("projects") as rows:
            rows[0] = write_projects(self)
        self.report("projects")

    def dialogues(self) -> None:
        with self.stage("dialogues") as rows:
            rows[0] = write_dialogues(self)
        self.report("dialogues")

    def goal_number(self, goal_index: int) -> int:
        return self.first_goal_number + goal_index

    # --- follow-up ---

    def followup(self) -> None:
        """The rounds, then round by round the responses and their answers (memory stays one round's worth)."""
        with self.stage("rounds") as rows:
            rows[0] = self._rounds()
        self.report("rounds")
        profiles_rng = self.rng("profiles")
        positions = range(len(self.round_goals))
        for org in self.orgs:
            org.not_relevant = frozenset(p for p in positions if profiles_rng.random() < 0.05)
        self.goal_profiles = [
            _GoalProfile(
                base=profiles_rng.uniform(0.25, 0.6),
                slope=profiles_rng.uniform(0.0, 0.05),
                shocks=[profiles_rng.gauss(0, 0.08) for _ in self.rounds],
                volume_share=profiles_rng.uniform(0.002, 0.018),
            )
            for _ in positions
        ]
        for r_index, round_ in enumerate(self.rounds):
            with self.stage("responses") as rows:
                plans, count = self._responses(round_, r_index)
                rows[0] = count
            with self.stage("goal answers") as rows:
                rows[0] = self.writer.write(
                    GoalAnswer,
                    [
                        "response_id",
                        "goal_version_id",
                        "version",
                        "tenders_completed",
                        "tenders_with_criteria",
                        "volume_dkk",
                        "status",
                        "reason",
                        "challenges_met",
                        "challenges",
                        "comment",
                        "saved_at",
                        "saved_by_id",
                    ],
                    self._answers(round_, r_index, plans),
                )
        self.report("responses")
        self.report("goal answers")

    def _rounds(self) -> int:
        rng = self.rng("rounds")
        goal_count = self.scale.goals
        self.round_goals = sorted(rng.sample(range(goal_count), self.scale.goals_per_round))
        ids = self.ids(Round, len(self.rounds))
        records, history, links = [], [], []
        by = self.secretariat_id
        for round_, round_id in zip(self.rounds, ids, strict=True):
            round_.id = round_id
            # As followup.services.default_goal_versions: per goal the latest version in effect at the opening.
            round_.versions = [
                [v for v in self.versions[g] if v.effective <= round_.opens_on][-1].id for g in self.round_goals
            ]
            links.extend((round_id, version_id) for version_id in round_.versions)
            record = {
                "id": round_id,
                "year": round_.year,
                "opens_on": round_.opens_on,
                "deadline": round_.deadline,
                "intro": ROUND_INTRO,
                "status": Round.Status.OPEN if round_.closed_at is None else Round.Status.CLOSED,
                "reminder_days_before": "14,3",
                "reminder_days_after": "7",
                "opened_at": round_.opened_at,
                "opened_by_id": by,
                "closed_at": round_.closed_at,
                "closed_by_id": None if round_.closed_at is None else by,
                "created_at": round_.created_at,
            }
            records.append(record)
            draft = {"status": Round.Status.DRAFT, "opened_at": None, "opened_by_id": None}
            draft |= {"closed_at": None, "closed_by_id": None}
            history += [
                {**record, **draft, "history_date": round_.created_at, "history_type": "+", "history_user_id": by},
                {
                    **record,
                    "status": Round.Status.OPEN,
                    "closed_at": None,
                    "closed_by_id": None,
                    "history_date": round_.opened_at,
                    "history_type": "~",
                    "history_user_id": by,
                },
            ]
            if round_.closed_at is not None:
                history.append({**record, "history_date": round_.closed_at, "history_type": "~", "history_user_id": by})
        w = self.writer
        count = w.records(Round, records)
        count += w.write(Round.goal_versions.through, ["round_id", "goalversion_id"], links)
        count += w.records(Round.history.model, history, with_pk=False)
        count += self._implementation_plans()
        return count

    def _implementation_plans(self) -> int:
        """Members in their transition period plan when they will meet the goals of the last round."""
        rng = self.rng("plans")
        members = [o for o in self.orgs if o.transition_until >= self.now.date()]
        plan_ids = self.ids(ImplementationPlan, len(members))
        plans, rows = [], []
        for org, plan_id in zip(members, plan_ids, strict=True):
            created = self.at(org.joined_on + timedelta(days=14), 10)
            plans.append(
                {"id": plan_id, "organisation_id": org.id, "created_at": created, "created_by_id": self.secretariat_id}
            )
            for version_id in self.rounds[-1].versions:
                expected = org.joined_on + timedelta(days=rng.randint(90, 700))
                rows.append(
                    {
                        "plan_id": plan_id,
                        "goal_version_id": version_id,
                        "expected_by": date(expected.year, expected.month, 1),
                        "status": rng.choice(ImplementationPlanRow.Status.values),
                        "updated_at": created,
                    }
                )
        if not plans:
            return 0
        w = self.writer
        first_row = _next_id(ImplementationPlanRow)
        count = w.records(ImplementationPlan, plans) + w.records(ImplementationPlanRow, rows, with_pk=False)
        count += w.history_copy(
            ImplementationPlan, date_sql="t.created_at", user_id=self.secretariat_id, min_id=plan_ids[0]
        )
        count += w.history_copy(
            ImplementationPlanRow, date_sql="t.updated_at", user_id=self.secretariat_id, min_id=first_row
        )
        return count

    def _responses(self, round_: _Round, r_index: int) -> tuple[list[_ResponsePlan], int]:
        rng = self.rng(f"responses:{round_.year}")
        members = [o for o in self.orgs if o.joined_on <= round_.opens_on]
        ids = self.ids(Response, len(members))
        goals = len(round_.versions)
        records, history, plans = [], [], []
        S = Response.Status
        for org, response_id in zip(members, ids, strict=True):
            draw = rng.random()
            if round_.closed_at is None:  # two weeks before the deadline: many are still drafting
                status = S.SUBMITTED if draw < 0.6 else S.DRAFT if draw < 0.9 else S.NOT_STARTED
            else:
                status = S.SUBMITTED if draw < 0.85 else S.DRAFT if draw < 0.95 else S.NOT_STARTED
            in_transition = org.joined_on <= round_.opens_on <= org.transition_until
            record = {
                "id": response_id,
                "round_id": round_.id,
                "organisation_id": org.id,
                "status": S.NOT_STARTED,
                "in_transition": in_transition,
                "version": 0,
                "organisation_version": 0,
                "total_volume_dkk": None,
                "policy_url_valid": None,
                "created_at": round_.opened_at,
            }
            history.append(
                {
                    **record,
                    "history_date": round_.opened_at,
                    "history_type": "+",
                    "history_user_id": self.secretariat_id,
                }
            )
            if status != S.NOT_STARTED:
                user_id = org.deputy_id if org.deputy_id and rng.random() < 0.25 else org.primary_id
                answered = goals if status == S.SUBMITTED else rng.randint(1, max(1, goals - 1))
                first_saved = self.at(
                    round_.opens_on + timedelta(days=rng.randint(0, 50)), rng.randint(8, 15), rng.randint(0, 59)
                )
                step = timedelta(minutes=rng.randint(2, 12))
                last_saved = first_saved + step * answered
                total = int(round(org.volume * (1 + 0.02 * r_index) * rng.uniform(0.92, 1.08), -5))
                policy_ok = rng.random() < 0.94
                record |= {
                    "status": S.DRAFT,
                    "version": 1,
                    "organisation_version": 1,
                    "total_volume_dkk": total,
                    "policy_url_valid": policy_ok,
                    "policy_url": ""
                    if policy_ok
                    else f"https://{org.slug[len(SLUG_PREFIX) :]}.example/politik-{round_.year}",
                    "contact_name": org.primary_name,
                    "contact_email": org.primary_email,
                    "contact_phone": org.phone,
                    "last_saved_at": first_saved,
                    "last_saved_by_id": user_id,
                    "organisation_saved_at": first_saved,
                    "organisation_saved_by_id": user_id,
                }
                history.append({**record, "history_date": first_saved, "history_type": "~", "history_user_id": user_id})
                # Each answer saved counts on the response, without a history record of its own (as the services do).
                record |= {"version": 1 + answered, "last_saved_at": last_saved}
                if status == S.SUBMITTED:
                    submitted = min(
                        last_saved + timedelta(minutes=rng.randint(5, 2 * 24 * 60)),
                        (round_.closed_at or self.now) - timedelta(hours=2),
                    )
                    record |= {
                        "status": S.SUBMITTED,
                        "version": record["version"] + 1,
                        "submitted_at": submitted,
                        "submitted_by_id": user_id,
                    }
                    history.append(
                        {**record, "history_date": submitted, "history_type": "~", "history_user_id": user_id}
                    )
                    if rng.random() < 0.01:
                        reopened = submitted + timedelta(minutes=rng.randint(30, 600))
                        reason = "Medlemmet har rettet tallene for et af målene."
                        record |= {
                            "status": S.REOPENED,
                            "version": record["version"] + 1,
                            "reopened_at": reopened,
                            "reopened_by_id": self.secretariat_id,
                            "reopen_reason": reason,
                        }
                        history.append(
                            {
                                **record,
                                "history_date": reopened,
                                "history_type": "~",
                                "history_user_id": self.secretariat_id,
                            }
                        )
                        again = reopened + timedelta(minutes=rng.randint(30, 600))
                        record |= {"status": S.SUBMITTED, "version": record["version"] + 1, "submitted_at": again}
                        history.append(
                            {**record, "history_date": again, "history_type": "~", "history_user_id": user_id}
                        )
                plans.append(_ResponsePlan(response_id, org, answered, first_saved, step, user_id, total))
            records.append(record)
        count = self.writer.records(Response, records)
        count += self.writer.records(Response.history.model, history, with_pk=False)
        return plans, count

    def _answers(self, round_: _Round, r_index: int, plans: list[_ResponsePlan]) -> Iterator[tuple]:
        """The round's goal answers, streamed: the counts consistent with the status, as goal_missing requires."""
        rng = self.rng(f"answers:{round_.year}")
        random_, choice = rng.random, rng.choice
        shares = [p.base + p.slope * r_index + p.shocks[r_index] for p in self.goal_profiles]
        volume_shares = [p.volume_share for p in self.goal_profiles]
        versions = round_.versions
        reasons_partly, reasons_not_yet, reasons_not_relevant = (
            REASONS["partly"],
            REASONS["not_yet"],
            REASONS["not_relevant"],
        )
        for plan in plans:
            org = plan.org
            not_relevant, offset, tenders = org.not_relevant, org.offset, org.tenders
            saved_at, step, user_id, total = plan.first_saved, plan.step, plan.user_id, plan.total_volume
            for position in range(plan.answered):
                saved_at += step
                if position in not_relevant:
                    yield (
                        plan.id,
                        versions[position],
                        1,
                        None,
                        None,
                        None,
                        "not_relevant",
                        choice(reasons_not_relevant),
                        None,
                        "",
                        "",
                        saved_at,
                        user_id,
                    )
                    continue
                completed = min(8, int(random_() * tenders))
                share = min(0.98, max(0.02, shares[position] + offset))
                with_criteria = sum(1 for _ in range(completed) if random_() < share)
                if completed and with_criteria == completed:
                    status, reason = "meets", ""
                elif with_criteria:
                    status, reason = "partly", choice(reasons_partly)
                else:
                    status, reason = "not_yet", choice(reasons_not_yet)
                volume = int(round(total * volume_shares[position] * (0.6 + 0.8 * random_()), -3))
                challenges = choice(CHALLENGES) if random_() < 0.2 else ""
                comment = choice(COMMENTS) if random_() < 0.03 else ""
                yield (
                    plan.id,
                    versions[position],
                    1,
                    completed,
                    with_criteria,
                    volume,
                    status,
                    reason,
                    bool(challenges),
                    challenges,
                    comment,
                    saved_at,
                    user_id,
                )

    def answer_history(self) -> None:
        with self.stage("goal answer history") as rows:
            rows[0] = self.writer.history_copy(
                GoalAnswer, date_sql="t.saved_at", user_column="saved_by_id", min_id=self.first_answer
            )
        self.report("goal answer history")

    def finish(self) -> None:
        with self.stage("sequences") as rows:
            statements = connection.ops.sequence_reset_sql(no_style(), list(dict.fromkeys(self.explicit_ids)))
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            rows[0] = 0


def dataset_build(
    *,
    scale: Scale,
    seed: int = 1,
    last_year: int | None = None,
    reset: bool = False,
    progress: Callable[[Stage], None] | None = None,
) -> Result:
    """Generate the bench dataset at ``scale`` from ``seed``, the last follow-up round in ``last_year``.

    Guarantees: a database holding data the generator did not make is refused and left as it was; so is one
    holding an earlier bench dataset, unless ``reset`` (which deletes it first). Everything is written in one
    transaction, so a failure leaves nothing behind. The same options give the same rows. Every row satisfies
    the database's constraints, every round is closed, and every submitted response is complete as
    followup.services.response_submit requires. The tables written are analysed afterwards.
    """
    started = time.perf_counter()
    last_year = last_year or timezone.localdate().year
    build = _Build(scale=scale, seed=seed, last_year=last_year, progress=progress)
    with transaction.atomic():
        _refuse_foreign_data()
        existing = bench_counts()
        if existing and not reset:
            raise BenchDataRefused(
                f"This database already holds a bench dataset ({describe(existing)}). "
                "Run again with --reset to replace it."
            )
        if existing:
            with build.stage("reset"):
                dataset_reset()
            build.report("reset")
        build.reference()
        build.members()
        build.goals()
        build.workgroups()
        build.projects()
        build.dialogues()
        build.first_answer = _next_id(GoalAnswer)
        build.followup()
        build.answer_history()
        build.finish()
    with build.stage("analyse") as rows:
        _analyse(sorted(build.writer.tables))
        rows[0] = 0
    build.report("analyse")
    counts = dataset_counts()
    return Result(
        stages=list(build.stages.values()), counts=counts, seconds=time.perf_counter() - started, last_year=last_year
    )


def _analyse(tables: list[str]) -> None:
    if connection.vendor != "postgresql":
        return
    # VACUUM also sets the visibility map, so the first benchmark run does not pay for it; it cannot run in a
    # transaction (as in the tests), where ANALYZE alone does.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {_qn(table)}")
