"""Demo data for the revision cycle: this year's work plan, its working groups, hearings and the
steering group's meetings and decisions.

Everything is written through workgroups.services and goals.services, so the data looks as it would
after real use of the portal. It builds on the members and goals demos (load them first):

- the work plan for the current year with two revisions (goal 1 Fødevarer and goal 3 Byggeri og
  anlæg) and one new goal (goal 13 Arbejdsmaskiner), each with its working group;
- goal 1's draft has been through the internal and the industry hearing, every response is answered,
  and it is submitted to the coming steering-group meeting for adoption, with a comment from a
  steering-group member;
- goal 3's draft is in internal hearing;
- the working group for goal 13 is being formed and has fewer than five members;
- two past steering-group meetings with attendance, decisions and minutes (the older minutes
  approved at the newer meeting, which adopted the work plan), and a coming one.

Idempotent: when this year's work plan or goal 13 exists, nothing is created.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from core.formats import date_text
from goals import services as goal_services
from goals.models import Criterion, Goal, GoalVersion, ProductArea
from members.models import Membership, Organisation, Representative, User

from . import services
from .models import (
    AgendaItem,
    Attendance,
    Body,
    Decision,
    DraftComment,
    Hearing,
    HearingResponse,
    Meeting,
    Milestone,
    Vote,
    WorkingGroup,
    WorkingGroupMember,
    WorkPlan,
    WorkPlanItem,
)

SECRETARIAT_EMAIL = "sekretariat@pogi.example"
STEERING_PLACE = "Miljøstyrelsen, Tolderlundsvej 5, Odense"
NEW_GOAL_NUMBER = 13

P = Representative.Position

# People the demo needs besides the members demo's accounts: steering-group representatives (so the
# steering group has a quorum) and specialists for the working groups. They have no password; the
# secretariat can invite them like any other representative.
# email, name, organisation (official code or name), position, steering group, areas of expertise
PEOPLE = [
    ("styregruppe@kk.example", "Camilla Rasmussen", "101", P.DEPUTY, True, "Indkøbspolitik og strategisk indkøb"),
    ("styregruppe@odense.example", "Henrik Dahl", "461", P.PRIMARY, True, "Indkøbsjura og udbud"),
    ("styregruppe@rm.example", "Birgitte Thomsen", "1082", P.PRIMARY, True, "Byggeri og hospitalsdrift"),
    ("styregruppe@rsyd.example", "Morten Skov", "1083", P.PRIMARY, True, "Strategisk indkøb i sundhedssektoren"),
    ("styregruppe@gladsaxe.example", "Lene Kristiansen", "159", P.PRIMARY, True, "Klima og bæredygtighed"),
    ("styregruppe@frederiksberg.example", "Thomas Juhl", "147", P.PRIMARY, True, "Udbud og kontraktstyring"),
    ("mad@kk.example", "Signe Mortensen", "101", P.SPECIALIST, False, "Fødevarer, kantinedrift og madspild"),
    ("koekken@rsyd.example", "Nanna Østergaard", "1083", P.SPECIALIST, False, "Hospitalskøkkener og fødevareindkøb"),
    ("maaltider@frederiksberg.example", "Kasper Winther", "147", P.SPECIALIST, False, "Måltider i dagtilbud og pleje"),
    ("kantine@sonderborg.example", "Ida Lauritsen", "540", P.SPECIALIST, False, "Kantinedrift og økologiomlægning"),
    ("byggeri@aarhus.example", "Jesper Nørgaard", "751", P.SPECIALIST, False, "Bæredygtigt byggeri og LCA"),
    ("anlaeg@herning.example", "Mads Kjeldsen", "657", P.SPECIALIST, False, "Anlæg og entreprenørudbud"),
    ("ejendomme@egedal.example", "Rikke Brandt", "240", P.SPECIALIST, False, "Bygningsdrift og energirenovering"),
    ("klima@albertslund.example", "Ole Frandsen", "165", P.SPECIALIST, False, "Klimakrav i bygge- og anlægsudbud"),
    ("materiel@vestfor.example", "Tina Holst", "Vestforbrænding", P.SPECIALIST, False, "Materiel og arbejdsmaskiner"),
    ("park@ishoj.example", "Søren Bak", "183", P.SPECIALIST, False, "Park og vej, materielgård"),
]

CHAIR = "chair"

# The work plan: kind, goal number (the new goal's number for a new goal), product area slug, title, why.
PLAN_NOTE = (
    "Styregruppen prioriterer i år to revisioner og ét nyt indkøbsmål. Målet er, at alle tre er vedtaget "
    "eller klar til vedtagelse ved årets sidste styregruppemøde."
)
ITEMS = [
    {
        "kind": WorkPlanItem.Kind.REVISION,
        "goal": 1,
        "area": "foedevarer",
        "title": "Revision af indkøbsmål 1 – Fødevarer",
        "rationale": (
            "Målet er fra 2018 og siger intet om klima. Flere medlemmer har nået 60 % økologi, og "
            "kantinerne efterspørger fælles kriterier for plantebaserede måltider og madspild."
        ),
        "terms": (
            "Arbejdsgruppen reviderer indkøbsmål 1, så det også omfatter fødevarernes klimaaftryk. Gruppen "
            "vurderer, om kravet til den økologiske andel kan hæves, formulerer kriterier for plantebaserede "
            "retter og madspild og gennemfører intern høring og branchehøring. Udkastet forelægges "
            "styregruppen til vedtagelse i slutningen af året."
        ),
        "members": [
            ("arbejdsgruppe@odense.example", CHAIR),
            ("styregruppe@aarhus.example", ""),
            ("mad@kk.example", ""),
            ("koekken@rsyd.example", ""),
            ("maaltider@frederiksberg.example", ""),
            ("kantine@sonderborg.example", ""),
        ],
        "status": WorkingGroup.Status.ACTIVE,
    },
    {
        "kind": WorkPlanItem.Kind.REVISION,
        "goal": 3,
        "area": "byggeri",
        "title": "Revision af indkøbsmål 3 – Byggeri og anlæg",
        "rationale": (
            "Bygningsreglementets klimakrav er skærpet, og målet skal følge med. Medlemmerne ønsker fælles "
            "krav til fossilfri byggepladser og til genbrug af byggematerialer."
        ),
        "terms": (
            "Arbejdsgruppen bringer indkøbsmål 3 i overensstemmelse med bygningsreglementets grænseværdier "
            "for klimapåvirkning, undersøger kriterier for fossilfri byggepladser og genbrugte materialer og "
            "holder markedsdialog med rådgivere og entreprenører før høringerne."
        ),
        "members": [
            ("byggeri@aarhus.example", CHAIR),
            ("styregruppe@rm.example", ""),
            ("anlaeg@herning.example", ""),
            ("ejendomme@egedal.example", ""),
            ("klima@albertslund.example", ""),
        ],
        "status": WorkingGroup.Status.ACTIVE,
    },
    {
        "kind": WorkPlanItem.Kind.NEW,
        "goal": NEW_GOAL_NUMBER,
        "area": "transport",
        "title": "Arbejdsmaskiner",
        "rationale": (
            "Arbejdsmaskiner i park, vej og affald udleder meget, og der findes nu el-drevne maskiner i de "
            "fleste størrelser. Intet af de gældende mål dækker området."
        ),
        "statement": (
            "Medlemmerne køber, leaser og lejer el-drevne eller andre fossilfrie arbejdsmaskiner, hvor de findes "
            "på markedet, og stiller krav om fossilfri drift ved udbud af drifts- og anlægsopgaver."
        ),
        "terms": (
            "Arbejdsgruppen udarbejder et nyt indkøbsmål for arbejdsmaskiner: minilæssere, gravemaskiner, "
            "redskabsbærere, plæneklippere og håndværktøj. Gruppen kortlægger markedet, indsamler "
            "medlemmernes erfaringer og foreslår krav for både køb og udbud af ydelser."
        ),
        "members": [
            ("materiel@vestfor.example", CHAIR),
            ("styregruppe@gladsaxe.example", ""),
            ("park@ishoj.example", ""),
        ],
        "status": WorkingGroup.Status.PLANNED,
    },
]


def _day(base: date, days: int) -> date:
    """A weekday `days` from `base` (a weekend moves to the following Monday)."""
    day = base + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _organisation(key: str) -> Organisation | None:
    if key.isdigit():
        return Organisation.objects.filter(country="DK", official_code=key).first()
    return Organisation.objects.filter(name=key).first()


def _people() -> dict[str, User]:
    """The demo's extra representatives (created once), and every demo account by email."""
    for email, name, org_key, position, steering, expertise in PEOPLE:
        organisation = _organisation(org_key)
        if organisation is None:
            continue
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, name=name)
        if Representative.objects.filter(user=user).exists():
            continue
        taken = Representative.objects.filter(organisation=organisation)
        if position != P.SPECIALIST and taken.filter(position=position).exists():
            position = P.SPECIALIST
        if steering and taken.filter(steering_group=True).exists():
            steering = False
        Representative.objects.create(
            user=user, organisation=organisation, position=position, steering_group=steering, expertise=expertise
        )
    return {user.email: user for user in User.objects.filter(email__endswith=".example")}


def _criterion(version: GoalVersion, number: str) -> Criterion:
    return version.criteria.get(number=number)


def _steering_users() -> list[User]:
    return [
        rep.user
        for rep in Representative.objects.filter(
            steering_group=True, organisation__memberships__status=Membership.Status.ACTIVE
        )
        .select_related("user")
        .distinct()
        .order_by("organisation__name")
    ]


def _groups(plan: WorkPlan, people: dict[str, User], by: User, today: date) -> list[WorkingGroup]:
    areas = {area.slug: area for area in ProductArea.objects.all()}
    groups = []
    for spec in ITEMS:
        goal = Goal.objects.get(number=spec["goal"]) if spec["kind"] == WorkPlanItem.Kind.REVISION else None
        item = services.work_plan_item_add(
            plan=plan,
            kind=spec["kind"],
            title=spec["title"],
            product_area=areas[spec["area"]],
            goal=goal,
            rationale=spec["rationale"],
            by=by,
        )
        group = services.working_group_create(
            item=item,
            facilitator=by,
            terms_of_reference=spec["terms"],
            goal_number=spec["goal"] if goal is None else None,
            statement=spec.get("statement", ""),
            by=by,
        )
        # The group is named after the goal it drafts, not after the plan item.
        group = services.working_group_update(
            group=group, name=f"Indkøbsmål {group.goal.number} – {group.draft.title}", by=by
        )
        for email, role in spec["members"]:
            services.working_group_member_add(group=group, user=people[email], is_chair=role == CHAIR, by=by)
        if spec["status"] == WorkingGroup.Status.ACTIVE:
            group = services.working_group_start(group=group, by=by)
        groups.append(group)
    return groups


def _milestones(group: WorkingGroup, rows, by: User, today: date) -> None:
    """rows: (title, days from today planned, days from today done or None)."""
    for title, planned, done in rows:
        milestone = services.milestone_add(group=group, title=title, planned_on=_day(today, planned), by=by)
        if done is not None:
            services.milestone_done(milestone=milestone, on=today + timedelta(days=done), by=by)


def _food_group(group: WorkingGroup, people: dict[str, User], by: User) -> GoalVersion:
    """Goal 1: edit the draft, take it through both hearings, answer every response and submit it."""
    draft = group.draft
    goal_services.criterion_update(
        criterion=_criterion(draft, "1.c"),
        by=by,
        text=(
            "Ordregiver bør planlægge menuerne efter sæsonen og efterspørge frugt og grønt i sæson, fx ved at "
            "lægge en sæsonkalender ved udbudsmaterialet og bede leverandøren markere sæsonvarer i sortimentet."
        ),
    )
    goal_services.criterion_add(
        version=draft,
        by=by,
        kind=Criterion.Kind.CLAUSE,
        text=(
            "Leverandøren skal to gange om året opgøre returvarer og varer kasseret på grund af overskredet "
            "holdbarhed i kontrakten og foreslå tiltag, der nedbringer madspildet."
        ),
        documentation="Dokumentation: halvårlig opgørelse efter ordregivers skabelon.",
        guidance="Brug opgørelsen på statusmøderne med leverandøren, så tiltagene følges op.",
        ambition=Criterion.Ambition.COMPREHENSIVE,
    )
    draft = goal_services.goal_version_update(
        version=draft,
        by=by,
        change_note=(
            "Revideret af arbejdsgruppen efter styregruppens arbejdsplan. Klimahensyn er skrevet ind i målet, "
            "kravet til den økologiske andel er hævet fra 60 % til 75 %, der er tilføjet et tildelingskriterium "
            "om plantebaserede retter og en kontraktklausul om opgørelse af madspild."
        ),
        transition_note="Gælder for udbud af fødevarer og kantinedrift, der annonceres efter ikrafttrædelsen.",
    )

    now = timezone.now()
    internal = services.hearing_open(
        version=draft, kind=Hearing.Kind.INTERNAL, closes_at=now + timedelta(days=1), by=by
    )
    kk = services.hearing_respond(
        hearing=internal,
        user=people["indkoeb@kk.example"],
        criterion=_criterion(draft, "1.a"),
        respondent_name="",
        respondent_organisation="",
        text=(
            "Vi støtter, at kravet hæves til 75 %. Vi foreslår, at andelen kan opgøres samlet for kontrakten, "
            "så mindre institutionskøkkener med få økologiske varer i sortimentet ikke trækker ned."
        ),
    )
    roskilde = services.hearing_respond(
        hearing=internal,
        user=people["indkoeb@roskilde.example"],
        respondent_name="",
        respondent_organisation="",
        text=(
            "Godt udkast. Det vil hjælpe os, hvis vejledningen giver et eksempel på, hvordan plantebaserede "
            "retter vægtes i forhold til pris ved udbud af kantinedrift."
        ),
    )
    industry = services.hearing_open(
        version=draft, kind=Hearing.Kind.INDUSTRY, closes_at=now + timedelta(days=2), by=by
    )
    association = services.hearing_respond(
        hearing=industry,
        criterion=_criterion(draft, "1.b"),
        respondent_name="Jakob Lindberg",
        respondent_organisation="Dansk Foodservice Forening",
        respondent_email="jl@foodservice-forening.example",
        text=(
            "Kvartalsvis statistik i både kroner og kilo er en stor byrde for mindre grossister. Vi foreslår, "
            "at opgørelsen i kilo kun kræves én gang om året."
        ),
    )
    supplier = services.hearing_respond(
        hearing=industry,
        criterion=_criterion(draft, "1.a"),
        respondent_name="Maria Holt",
        respondent_organisation="Grøn Grossist A/S",
        respondent_email="maria.holt@groen-grossist.example",
        keep_private=True,
        text=(
            "Vi kan levere 75 % økologi i de fleste varegrupper, men ikke i frost og kolonial til storkøkkener "
            "med vores nuværende leverandører. Vi beder om, at kravet indfases over to år."
        ),
    )
    services.hearing_close(
        hearing=industry, by=by, reason="Alle brancheorganisationer har svaret; styregruppen mødes før fristen."
    )

    answers = [
        (
            kk,
            HearingResponse.Answer.ACCEPTED,
            "Vejledningen til 1.a er suppleret: andelen opgøres samlet for kontrakten og ikke for det enkelte køkken.",
        ),
        (
            roskilde,
            HearingResponse.Answer.PARTLY,
            "Vejledningen til tildelingskriteriet om plantebaserede retter anbefaler en vægt på 10–20 % af "
            "kvaliteten. Et egentligt regneeksempel kommer i sekretariatets udbudsvejledning.",
        ),
        (
            association,
            HearingResponse.Answer.PARTLY,
            "Opgørelsen i kroner er fortsat kvartalsvis, fordi den bruges til at følge økologiandelen. "
            "Opgørelsen i kilo er ændret til én gang om året.",
        ),
        (
            supplier,
            HearingResponse.Answer.NOT_ACCEPTED,
            "Flere leverandører kan allerede levere 75 %, og ordregiver kan fastsætte en indfasning i den "
            "enkelte kontrakt. Kravet fastholdes.",
        ),
    ]
    for response, answer, text in answers:
        services.hearing_response_answer(response=response, answer=answer, text=text, by=by)
    # Still in its (closed) industry hearing: putting it on the steering group's agenda submits it.
    return draft


def _building_group(group: WorkingGroup, people: dict[str, User], by: User) -> Hearing:
    """Goal 3: the draft is in internal hearing with one response so far."""
    draft = group.draft
    hearing = services.hearing_open(
        version=draft, kind=Hearing.Kind.INTERNAL, closes_at=_at(timezone.localdate() + timedelta(days=14), 12), by=by
    )
    services.hearing_respond(
        hearing=hearing,
        user=people["styregruppe@odense.example"],
        criterion=_criterion(draft, "3.a"),
        respondent_name="",
        respondent_organisation="",
        text=(
            "Lavemissionsklassen er et godt pejlemærke, men kravet bør også gælde tilbygninger over 250 m², "
            "som bygningsreglementet ikke omfatter i dag."
        ),
    )
    return hearing


def _wood_hearing(people: dict[str, User], by: User) -> Hearing | None:
    """Goal 4: the revised draft from an earlier working group is in internal hearing."""
    draft = GoalVersion.objects.filter(goal__number=4, status=GoalVersion.Status.DRAFT).first()
    if draft is None:
        return None
    return services.hearing_open(
        version=draft, kind=Hearing.Kind.INTERNAL, closes_at=_at(timezone.localdate() + timedelta(days=10), 12), by=by
    )


def _steering_meetings(plan: WorkPlan, submitted: GoalVersion, people: dict[str, User], by: User, today: date):
    """Two past steering-group meetings and the coming one."""
    steering = _steering_users()
    kind = Body.Kind.STEERING_GROUP

    older = services.meeting_create(
        kind=kind,
        title="Styregruppemøde",
        starts_at=_at(_day(today, -240), 10),
        place=STEERING_PLACE,
        by=by,
    )
    services.agenda_item_add(
        meeting=older,
        title="Orientering om nye medlemmer",
        description="Sekretariatet orienterer om de kommuner, der er trådt ind i partnerskabet siden sidste møde.",
        by=by,
    )
    services.agenda_item_add(
        meeting=older,
        title="Drøftelse af emner til arbejdsplanen",
        kind=AgendaItem.Kind.DISCUSSION,
        description="Medlemmernes forslag til nye og reviderede indkøbsmål for det kommende år.",
        by=by,
    )
    services.attendance_record(meeting=older, users=steering[:-2], by=by)
    services.minutes_save(
        meeting=older,
        text=(
            "1. Orientering om nye medlemmer\n"
            "Sekretariatet orienterede om de nye medlemmer og deres implementeringsplaner. Taget til efterretning.\n\n"
            "2. Drøftelse af emner til arbejdsplanen\n"
            "Styregruppen drøftede medlemmernes forslag. Der var bred opbakning til at revidere målene for "
            "fødevarer og for byggeri og anlæg og til et nyt mål for arbejdsmaskiner. Sekretariatet udarbejder "
            "et forslag til arbejdsplan til næste møde."
        ),
        by=by,
    )

    newer = services.meeting_create(
        kind=kind,
        title="Styregruppemøde",
        starts_at=_at(_day(today, -150), 10),
        place=STEERING_PLACE,
        by=by,
    )
    older_day = date_text(older.starts_at)
    services.agenda_item_add(
        meeting=newer,
        title=f"Godkendelse af referat fra mødet den {older_day}",
        kind=AgendaItem.Kind.DECISION,
        by=by,
    )
    plan_item = services.agenda_item_add(
        meeting=newer,
        title=f"Arbejdsplan for {plan.year}",
        description="Sekretariatets forslag: revision af indkøbsmål 1 og 3 og et nyt indkøbsmål for arbejdsmaskiner.",
        work_plan=plan,
        by=by,
    )
    services.attendance_record(meeting=newer, users=steering[:-1], by=by)
    present = [user.representative.organisation for user in steering[:-1]]
    services.decision_record(
        item=plan_item,
        proposal=f"Styregruppen vedtager arbejdsplanen for {plan.year} som foreslået af sekretariatet.",
        proposal_en=f"The steering group adopts the work plan for {plan.year} as proposed by the secretariat.",
        votes=[(organisation, Vote.Choice.FOR) for organisation in present[:-1]] + [(present[-1], Vote.Choice.ABSTAIN)],
        by=by,
    )
    services.minutes_approve(meeting=older, at=newer, by=by)
    services.minutes_save(
        meeting=newer,
        text=(
            f"1. Godkendelse af referat fra mødet den {older_day}\n"
            "Referatet blev godkendt uden bemærkninger.\n\n"
            f"2. Arbejdsplan for {plan.year}\n"
            "Arbejdsplanen blev vedtaget. Sekretariatet nedsætter de tre arbejdsgrupper og indkalder "
            "medlemmerne til at udpege deltagere."
        ),
        by=by,
    )

    coming_day = _day(today, 21)
    coming = services.meeting_create(
        kind=kind,
        title="Styregruppemøde",
        starts_at=_at(coming_day, 10),
        place=STEERING_PLACE,
        by=by,
    )
    newer_day = date_text(newer.starts_at)
    services.agenda_item_add(
        meeting=coming,
        title=f"Godkendelse af referat fra mødet den {newer_day}",
        kind=AgendaItem.Kind.DECISION,
        by=by,
    )
    # In force from the first day of the month after next, so members have time to prepare.
    year, month = divmod(coming_day.month + 1, 12)
    effective = date(coming_day.year + year, month + 1, 1)
    adoption = services.agenda_item_add(
        meeting=coming,
        title=f"Vedtagelse af indkøbsmål {submitted.goal.number} – {submitted.title}, version {submitted.number}",
        description=(
            "Arbejdsgruppen indstiller udkastet til vedtagelse. Høringsnotatet med sekretariatets svar på "
            "høringssvarene følger udkastet."
        ),
        version=submitted,
        effective_date=effective,
        by=by,
    )
    application = Membership.objects.filter(status=Membership.Status.APPLIED).select_related("organisation").first()
    if application is not None and application.organisation.kind != Organisation.Kind.MUNICIPALITY:
        services.agenda_item_add(
            meeting=coming,
            title=f"Ansøgning om medlemskab fra {application.organisation.name}",
            description="Sekretariatet har gennemgået ansøgningen og indkøbspolitikken og anbefaler optagelse.",
            membership=application,
            by=by,
        )
    services.agenda_item_add(
        meeting=coming,
        title="Status for arbejdsgrupperne",
        description=(
            "Orientering om revisionen af indkøbsmål 3, hvor den interne høring er i gang, og om "
            "arbejdsgruppen for arbejdsmaskiner, der mangler deltagere."
        ),
        by=by,
    )
    services.draft_comment_add(
        version=adoption.version,
        criterion=_criterion(adoption.version, "1.a"),
        by=people["styregruppe@aarhus.example"],
        text=(
            "Aarhus støtter de 75 %. Kan sekretariatet på mødet redegøre for, hvordan andelen opgøres for "
            "køkkener, der kun køber en del af deres varer på aftalen?"
        ),
    )


def _working_group_meetings(groups: list[WorkingGroup], by: User, today: date) -> None:
    food, building, _machines = groups
    kickoff = services.meeting_create(
        kind=Body.Kind.WORKING_GROUP,
        working_group=food,
        title="Opstartsmøde",
        starts_at=_at(_day(today, -120), 13),
        online_url="https://meet.pogi.example/foedevarer",
        by=by,
    )
    services.agenda_item_add(meeting=kickoff, title="Kommissorium og tidsplan", by=by)
    services.agenda_item_add(
        meeting=kickoff,
        title="Erfaringer med økologiandel og madspild",
        kind=AgendaItem.Kind.DISCUSSION,
        by=by,
    )
    members = [member.user for member in food.members.select_related("user")]
    services.attendance_record(meeting=kickoff, users=members[:-1], by=by)
    services.minutes_save(
        meeting=kickoff,
        text=(
            "Kommissorium og tidsplan blev gennemgået. Medlemmerne fortalte om deres erfaringer; flere har nået "
            "60 % økologi og ønsker et højere krav. Louise Kjær er tovholder."
        ),
        by=by,
    )
    services.meeting_create(
        kind=Body.Kind.WORKING_GROUP,
        working_group=building,
        title="Gennemgang af høringssvar",
        starts_at=_at(_day(today, 17), 9, 30),
        place="Aarhus Rådhus, Rådhuspladsen 2, Aarhus",
        by=by,
    )


def summary() -> dict[str, int]:
    return {
        "work_plans": WorkPlan.objects.count(),
        "groups": WorkingGroup.objects.count(),
        "group_members": WorkingGroupMember.objects.count(),
        "milestones": Milestone.objects.count(),
        "hearings": Hearing.objects.count(),
        "responses": HearingResponse.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda_items": AgendaItem.objects.count(),
        "attendance": Attendance.objects.count(),
        "decisions": Decision.objects.count(),
        "comments": DraftComment.objects.count(),
    }


@transaction.atomic
def load() -> dict[str, int]:
    """Create this year's revision cycle unless it exists; return the totals."""
    today = timezone.localdate()
    by = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    if (
        by is None
        or WorkPlan.objects.filter(year=today.year).exists()
        or Goal.objects.filter(number=NEW_GOAL_NUMBER).exists()
        or Goal.objects.filter(number__in=[spec["goal"] for spec in ITEMS[:2]]).count() != 2
    ):
        return summary()
    people = _people()
    plan = services.work_plan_create(year=today.year, note=PLAN_NOTE, by=by)
    groups = _groups(plan, people, by, today)
    food, building, machines = groups
    _milestones(
        food,
        [
            ("Opstartsmøde", -120, -120),
            ("Udkast klar til intern høring", -30, -28),
            ("Intern høring afsluttet", -10, 0),
            ("Branchehøring og høringsnotat afsluttet", -3, 0),
            ("Indstilling til styregruppen", 21, None),
        ],
        by,
        today,
    )
    _milestones(
        building,
        [
            ("Opstartsmøde", -110, -106),
            ("Markedsdialog med rådgivere og entreprenører", -45, -40),
            ("Intern høring afsluttet", 14, None),
            ("Branchehøring afsluttet", 50, None),
            ("Indstilling til styregruppen", 120, None),
        ],
        by,
        today,
    )
    _milestones(
        machines,
        [
            ("Deltagere udpeget", 14, None),
            ("Opstartsmøde", 47, None),
        ],
        by,
        today,
    )
    submitted = _food_group(food, people, by)
    _building_group(building, people, by)
    _wood_hearing(people, by)
    _steering_meetings(plan, submitted, people, by, today)
    _working_group_meetings(groups, by, today)
    return summary()
