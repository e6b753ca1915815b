"""Demo data for projects: POGI Move and POGI Lab projects in every stage, written through the project services.

A Move purchasing project with SKI (ecolabelled cleaning products), a Move
behaviour project, a running Lab project whose external financing does not yet cover its budget, a completed
Lab project handed over to Move, and Lab proposals scored for the prioritisation (one still missing its scores)
with a coming POGI Lab and Council meeting to put them on; the running projects have this
quarter's status report (the Lab project's with a red light on time), a risk register and a stakeholder table.
Approvals are carried decisions at a Council or Move meeting, recorded through
decision_record as the secretariat records them. Idempotent: no project is added
when a project exists, and a risk register only to a running project that has none.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from goals.models import Goal, ProductArea
from members.models import Membership, Organisation, Representative, User

from . import services
from .models import Body, Meeting, Project, ProjectPhase, Vote
from .quarters import quarter_of
from .selectors import meeting_participants

SECRETARIAT_EMAIL = "sekretariat@pogi.example"
K = Project.Kind
PH = ProjectPhase.Status

# Each project: its proposal, the phases of its plan (offsets in days from today), and where it ends.
PROJECTS: list[dict[str, Any]] = [
    {
        "owner": "101",
        "kind": K.PURCHASING,
        "title": "Miljømærkede rengøringsmidler på de fælles aftaler",
        "purpose": "Sammen med SKI og Miljømærkning Danmark sikrer projektet, at de fælles aftaler om rengøringsmidler "
        "og rengøringsydelser kun omfatter svanemærkede eller EU-Blomst-mærkede produkter, og at medlemmerne får "
        "en vejledning til at bestille dem.",
        "goals": [5],
        "areas": ["rengoering"],
        "participants": ["461", "751"],
        "partners": [("SKI", "Aftalerne og sortimentet"), ("Miljømærkning Danmark", "Kriterier og dokumentation")],
        "phases": [
            ("Kortlægning af sortimentet", "Liste over mærkede produkter på aftalerne", 3, -240, -180, PH.DONE),
            ("Dialog med leverandørerne", "Leverandørerne har tilpasset sortimentet", 3, -170, -60, PH.DONE),
            ("Vejledning til medlemmerne", "Vejledningen er udgivet", 2, -50, 30, PH.IN_PROGRESS),
            ("Opfølgning", "Andelen af mærkede køb er målt", 2, 40, 150, PH.PLANNED),
        ],
        "approve": ("move", -260),
        "start": -245,
        "report": {
            "activities": "Dialogmøder med de tre leverandører på aftalen; vejledningen er skrevet færdig i udkast.",
            "results": "To af tre leverandører har taget de umærkede produkter ud af sortimentet.",
            "deviations": "",
            "next_activities": "Vejledningen udgives og præsenteres på POGI Moves næste møde.",
            "cost": "green",
            "time": "green",
            "quality": "green",
        },
    },
    {
        "owner": "147",
        "kind": K.BEHAVIOUR,
        "title": "Grønne indkøbsvaner i decentrale enheder",
        "purpose": "Projektet hjælper institutioner og decentrale enheder med at bruge de grønne aftaler i "
        "hverdagen: korte kurser, en fast grøn kontaktperson i hver enhed og et enkelt overblik over, hvad der "
        "bestilles uden for aftalerne.",
        "goals": [],
        "areas": [],
        "participants": ["159"],
        "partners": [],
        "phases": [
            ("Forberedelse", "Kursusmateriale klar", 1, 10, 60, PH.PLANNED),
            ("Kurser i enhederne", "Alle enheder har haft kursus", 2, 60, 200, PH.PLANNED),
        ],
        "approve": ("move", -20),
    },
    {
        "owner": "751",
        "kind": K.DEVELOPMENT,
        "title": "Klimaregnskab for indkøb af bygge- og anlægsydelser",
        "purpose": "Lab-projektet udvikler en metode til at opgøre klimaaftrykket af bygge- og anlægsudbud ud fra "
        "mængder i stedet for kroner, så medlemmerne kan se effekten af klimakrav i udbuddene.",
        "goals": [3],
        "areas": ["byggeri-og-anlaeg"],
        "participants": ["461", "101"],
        "partners": [("Aarhus Universitet", "Metode og LCA-data"), ("Realdania", "Ekstern finansiering")],
        "co2": (
            Decimal("4500"),
            "Skønnet ud fra 5 % lavere udledning på medlemmernes byggeindkøb på ca. 90.000 t CO2e om året.",
        ),
        "phases": [
            ("Metode", "Metoden er beskrevet og godkendt af projektgruppen", 2, -200, -120, PH.DONE),
            ("Afprøvning i tre udbud", "Tre udbud er gennemført med metoden", 3, -110, -10, PH.IN_PROGRESS),
            ("Rapport og værktøj", "Rapport og regneark er udgivet", 2, 0, 90, PH.PLANNED),
        ],
        # budget and spend per phase (DKK), and the financing plan: the own share, a granted foundation grant and
        # an application still pending, so the secured financing falls short of the budget
        "budgets": [(400_000, 380_000), (600_000, 310_000), (300_000, None)],
        "funding": [
            ("Aarhus, Odense og København (egenandel)", "own", 325_000, "granted"),
            ("Realdania", "grant", 750_000, "granted"),
            ("EU LIFE", "grant", 225_000, "applied"),
        ],
        "approve": ("council", -230),
        "start": -210,
        "report": {
            "activities": "Metoden er afprøvet i to af de tre planlagte udbud.",
            "results": "Mængdeopgørelsen virker for beton og stål; for installationer mangler data.",
            "deviations": "Det tredje udbud er udskudt et halvt år af kommunen, så afprøvningen bliver forsinket. "
            "Projektgruppen finder et andet udbud hos et af de deltagende medlemmer.",
            "next_activities": "Afprøvning i et erstatningsudbud og dataindsamling for installationer.",
            "cost": "yellow",
            "time": "red",
            "quality": "green",
        },
    },
    {
        "owner": "461",
        "kind": K.DEVELOPMENT,
        "title": "Genbrug af kontormøbler",
        "purpose": "Lab-projektet afprøvede en model, hvor kontormøbler istandsættes og genbruges på tværs af "
        "medlemmernes forvaltninger, før der købes nyt.",
        "goals": [],
        "areas": [],
        "participants": ["101", "751"],
        "partners": [("Dansk Møbelgenbrug", "Istandsættelse og lager")],
        "co2": (
            Decimal("350"),
            "Ca. 2.500 stole og borde om året genbrugt i stedet for købt nye, 140 kg CO2e pr. møbel.",
        ),
        "phases": [
            ("Forsøg i én forvaltning", "Forsøget er evalueret", 1, -500, -380, PH.DONE),
            ("Udvidelse til tre medlemmer", "Modellen er afprøvet hos tre medlemmer", 2, -370, -200, PH.DONE),
        ],
        "approve": ("council", -520),
        "start": -505,
        "complete": (Decimal("410"), "Målt på de møbler, der faktisk blev genbrugt i forsøgsperioden (2.930 stk.)."),
        "hand_over": (K.PURCHASING, "Genbrugte kontormøbler på de fælles aftaler"),
    },
    {
        "owner": "101",
        "kind": K.DEVELOPMENT,
        "title": "Emissionsfri varelevering i byerne",
        "purpose": "Et forslag om at udvikle fælles krav til emissionsfri levering af varer til medlemmernes "
        "institutioner, i samarbejde med de nordiske indkøbere.",
        "goals": [7],
        "areas": [],
        "participants": [],
        "partners": [],
        "co2": (Decimal("1200"), "Skønnet ud fra dieselforbruget ved vareleveringer til medlemmernes institutioner."),
        "phases": [],
        "prioritise": True,
        "scores": (4, 3),  # scalability and relevance, as the secretariat scores them for the prioritisation
    },
    {
        "owner": "159",
        "kind": K.DEVELOPMENT,
        "title": "Plantebaserede måltider i kantinerne",
        "purpose": "Et forslag om at udvikle og afprøve udbudskrav, der gør plantebaserede retter til standard i "
        "kantinerne.",
        "goals": [1],
        "areas": ["foedevarer"],
        "participants": [],
        "partners": [],
        "co2": (
            Decimal("900"),
            "Skønnet ud fra 1,5 mio. måltider om året i medlemmernes kantiner, hvor halvdelen bliver plantebaserede "
            "og hver sparer ca. 1,2 kg CO2e.",
        ),
        "phases": [],
        "scores": (5, 5),
    },
    {
        "owner": "461",
        "kind": K.DEVELOPMENT,
        "title": "Længere levetid for it-udstyr",
        "purpose": "Et forslag om at udvikle udbudskrav og en model for reparation og genbrug, så medlemmernes "
        "bærbare computere og skærme bruges i seks år i stedet for fire.",
        "goals": [],
        "areas": [],
        "participants": [],
        "partners": [],
        "co2": (Decimal("350"), "Ca. 7.000 computere om året købes ikke nye, 50 kg CO2e pr. computer."),
        "phases": [],
    },
]

# The coming meetings the ranked Lab proposals can be put on (days from today).
COMING_MEETINGS = [("lab", "POGI Lab: møde om prioritering af forslag", 21), ("council", "Rådets møde", 45)]


def _organisation(code: str) -> Organisation | None:
    return Organisation.objects.filter(
        country="DK", official_code=code, memberships__status=Membership.Status.ACTIVE
    ).first()


def _lead(organisation: Organisation) -> User | None:
    rep = (
        Representative.objects.filter(organisation=organisation, position=Representative.Position.PRIMARY)
        .select_related("user")
        .first()
    )
    return rep.user if rep else None


def _meeting(kind: str, day: date, by: User) -> Meeting:
    """The body's meeting on the day, with every participant present (created once)."""
    starts_at = timezone.make_aware(datetime.combine(day, time(13, 0)))
    meeting = Meeting.objects.filter(body__kind=kind, starts_at=starts_at).first()
    if meeting is None:
        title = {"council": "Rådets møde", "move": "POGI Move: møde"}[kind]
        meeting = services.meeting_create(
            kind=kind, title=title, starts_at=starts_at, place="Miljøstyrelsen, Tolderlundsvej 5, Odense", by=by
        )
        services.attendance_record(
            meeting=meeting, users=[p.user for p in meeting_participants(meeting=meeting)], by=by
        )
    return meeting


def _approve(project: Project, kind: str, day: date, by: User) -> None:
    meeting = _meeting(kind, day, by)
    item = services.agenda_item_add(
        meeting=meeting, title=f"Godkendelse af projektet: {project.title}", project=project, by=by
    )
    present = {a.organisation for a in meeting.attendance.select_related("organisation")}
    services.decision_record(
        item=item,
        proposal=f"Projektet «{project.title}» godkendes og kan gå i gang.",
        votes=[(organisation, Vote.Choice.FOR) for organisation in present],
        by=by,
    )


def _create(spec: dict[str, Any], by: User, today: date) -> None:
    owner = _organisation(spec["owner"])
    if owner is None:
        return
    co2, assumption = spec.get("co2", (None, ""))
    project = services.project_propose(
        owner=owner,
        kind=spec["kind"],
        title=spec["title"],
        purpose=spec["purpose"],
        by=by,
        lead=_lead(owner),
        goals=list(Goal.objects.filter(number__in=spec["goals"])),
        product_areas=list(ProductArea.objects.filter(slug__in=spec["areas"])),
        participants=[o for o in (_organisation(code) for code in spec["participants"]) if o is not None],
        partners=spec["partners"],
        co2_potential_tonnes=co2,
        co2_assumption=assumption,
    )
    budgets = spec.get("budgets", [(None, None)] * len(spec["phases"]))
    for (title, milestone, weight, start, end, _status), (budget, _spent) in zip(spec["phases"], budgets, strict=True):
        services.project_phase_add(
            project=project,
            by=by,
            title=title,
            milestone=milestone,
            weight=weight,
            planned_start=today + timedelta(days=start),
            planned_end=today + timedelta(days=end),
            budget_dkk=budget,
        )
    for source, kind, amount, status in spec.get("funding", []):
        services.project_funding_add(project=project, by=by, source=source, kind=kind, amount_dkk=amount, status=status)
    if spec.get("prioritise") or "approve" in spec:
        project = services.project_prioritise(project=project, by=by)
    if "scores" in spec:
        scalability, relevance = spec["scores"]
        project = services.project_score_set(
            project=project,
            by=by,
            scalability=scalability,
            relevance=relevance,
            co2_potential_tonnes=co2,
            co2_assumption=assumption,
        )
    if "approve" in spec:
        kind, days = spec["approve"]
        _approve(project, kind, today + timedelta(days=days), by)
    if "start" in spec:
        project = services.project_start(project=project, by=by, started_on=today + timedelta(days=spec["start"]))
        for phase, (_t, _m, _w, start, end, status), (_budget, spent) in zip(
            project.phases.order_by("position"), spec["phases"], budgets, strict=True
        ):
            if status == PH.PLANNED:
                continue
            services.project_phase_update(
                phase=phase,
                by=by,
                status=status,
                actual_start=today + timedelta(days=start),
                actual_end=today + timedelta(days=min(end, 0)) if status == PH.DONE else None,
                spent_dkk=spent,
            )
    if "report" in spec:
        year, quarter = quarter_of(today)
        services.status_report_file(project=project, by=by, year=year, quarter=quarter, **spec["report"])
    if "complete" in spec:
        effect, note = spec["complete"]
        project = services.project_complete(
            project=project,
            by=by,
            measured_effect_tonnes=effect,
            effect_note=note,
            ended_on=today - timedelta(days=190),
        )
    if "hand_over" in spec:
        kind, title = spec["hand_over"]
        services.project_hand_over(project=project, kind=kind, title=title, by=by)


# The risk registers (risk, probability, consequence, measure, owner) and stakeholder tables (activity, then each
# stakeholder's H, D or I) of the two running projects.
REGISTERS: dict[str, dict[str, Any]] = {
    "Miljømærkede rengøringsmidler på de fælles aftaler": {
        "risks": [
            (
                "Institutionerne bestiller fortsat umærkede produkter uden for aftalerne",
                3,
                3,
                "Vejledning og korte introduktioner for indkøberne; SKI's kvartalsvise udtræk viser købene uden for "
                "aftalerne, og de drøftes med de enkelte medlemmer.",
                "Projektlederen, Københavns Kommune",
            ),
            (
                "Leverandørerne når ikke at tilpasse sortimentet før aftalerne genudbydes",
                2,
                3,
                "Tæt dialog med SKI om tidsplanen; kravet om mærkede produkter skrives ind i genudbuddet.",
                "SKI",
            ),
            (
                "De mærkede produkter bliver dyrere end de umærkede",
                2,
                2,
                "Prisudviklingen følges i aftalernes statistik og drøftes på POGI Moves møder.",
                "SKI",
            ),
            (
                "Miljømærkets kriterier skærpes i projektperioden",
                1,
                2,
                "Miljømærkning Danmark orienterer projektgruppen om kommende kriterier i god tid.",
                "Miljømærkning Danmark",
            ),
        ],
        "stakeholders": [
            (
                "Kortlægning af sortimentet",
                [("SKI", "H"), ("Københavns Kommune", "D"), ("Miljømærkning Danmark", "D"), ("Indkøberne", "I")],
            ),
            (
                "Dialog med leverandørerne",
                [("SKI", "H"), ("Københavns Kommune", "D"), ("Miljømærkning Danmark", "I"), ("Leverandørerne", "D")],
            ),
            (
                "Vejledning til medlemmerne",
                [("SKI", "D"), ("Københavns Kommune", "H"), ("Miljømærkning Danmark", "D"), ("Indkøberne", "I")],
            ),
            ("Opfølgning", [("SKI", "D"), ("Københavns Kommune", "H"), ("Indkøberne", "I")]),
        ],
    },
    "Klimaregnskab for indkøb af bygge- og anlægsydelser": {
        "risks": [
            (
                "Det tredje afprøvningsudbud er udskudt af kommunen",
                4,
                3,
                "Et erstatningsudbud findes hos et af de deltagende medlemmer; tidsplanen for rapporten justeres.",
                "Projektlederen, Aarhus Kommune",
            ),
            (
                "Der mangler mængde- og klimadata for installationer",
                3,
                3,
                "Aarhus Universitet indsamler data hos leverandørerne; indtil da bruges generiske data, som "
                "markeres i værktøjet.",
                "Aarhus Universitet",
            ),
            (
                "Ansøgningen til EU LIFE bliver afslået",
                2,
                4,
                "Rapport og værktøj skaleres ned til det, der er finansieret; egenandelen dækker en mindre udgave.",
                "Aarhus Kommune",
            ),
            (
                "Rådgiverne finder metoden for tung at bruge i praksis",
                2,
                2,
                "Metoden afprøves sammen med rådgiverne i udbuddene, og værktøjet forenkles efter deres "
                "tilbagemeldinger.",
                "Projektgruppen",
            ),
            (
                "Nøglepersoner forlader projektet",
                1,
                3,
                "Metoden dokumenteres løbende i den fælles projektmappe, og to personer kender hver del af den.",
                "Aarhus Kommune",
            ),
        ],
        "stakeholders": [
            (
                "Metode",
                [
                    ("Aarhus Kommune", "D"),
                    ("Aarhus Universitet", "H"),
                    ("Odense og København", "D"),
                    ("Realdania", "I"),
                ],
            ),
            (
                "Afprøvning i tre udbud",
                [
                    ("Aarhus Kommune", "H"),
                    ("Aarhus Universitet", "D"),
                    ("Odense og København", "D"),
                    ("Realdania", "I"),
                    ("Rådgivere og entreprenører", "D"),
                ],
            ),
            (
                "Rapport og værktøj",
                [
                    ("Aarhus Kommune", "D"),
                    ("Aarhus Universitet", "H"),
                    ("Odense og København", "I"),
                    ("Realdania", "I"),
                    ("Rådgivere og entreprenører", "I"),
                ],
            ),
        ],
    },
}


def _registers(by: User) -> None:
    """The running projects' risk registers and stakeholder tables, once: a project that has either is left alone
    (also a demo loaded before the registers were part of it gets them)."""
    for title, register in REGISTERS.items():
        project = Project.objects.filter(title=title).first()
        if project is None or project.risks.exists() or project.stakeholders.exists():
            continue
        for risk, probability, consequence, measure, owner in register["risks"]:
            services.risk_add(
                project=project,
                by=by,
                title=risk,
                probability=probability,
                consequence=consequence,
                measure=measure,
                owner=owner,
            )
        for activity, cells in register["stakeholders"]:
            for stakeholder, involvement in cells:
                services.stakeholder_set(
                    project=project, by=by, activity=activity, stakeholder=stakeholder, involvement=involvement
                )


def summary() -> dict[str, int]:
    return {"projects": Project.objects.count(), "councils": Meeting.objects.filter(body__kind="council").count()}


@transaction.atomic
def load() -> dict[str, int]:
    """Create the demo projects unless there are projects already, and the registers of the running ones unless
    they have theirs; return the totals."""
    by = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    if by is None:
        return summary()
    if not Project.objects.exists():
        Body.objects.get_or_create(kind=Body.Kind.COUNCIL, defaults={"min_present": 2})
        today = timezone.localdate()
        for spec in PROJECTS:
            _create(spec, by, today)
        for kind, title, days in COMING_MEETINGS:
            starts_at = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(13, 0)))
            services.meeting_create(
                kind=kind, title=title, starts_at=starts_at, place="Miljøstyrelsen, Tolderlundsvej 5, Odense", by=by
            )
    _registers(by)
    return summary()
