"""The bench dataset's projects: POGI Move and POGI Lab projects in every stage, with their plans, participants,
partners, financing, quarterly status reports and the Council's and POGI Move's approving decisions.

Written with the dataset's writer (COPY on PostgreSQL), straight into the tables, like the rest of the dataset.
What the project services would have checked is kept by construction: the kind fits the track; an approved
project has a carried decision of the body for its track (the Council for Lab, POGI Move for Move) on its own
agenda item, with a quorum; a running or ended project started on or after its approval; a reached milestone
has its date, never in the future; a completed project has every phase reached or cancelled and says how its
effect was measured; a stopped project has its reason; a status report is one per quarter, within the time
the project ran, and a red light has its deviation.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Model

from goals.models import Goal
from workgroups.models import (
    AgendaItem,
    Body,
    Decision,
    Meeting,
    Project,
    ProjectFunding,
    ProjectParticipant,
    ProjectPartner,
    ProjectPhase,
    ProjectStatusReport,
)
from workgroups.quarters import quarter_end, quarter_of, quarter_start
from workgroups.services import body_for

if TYPE_CHECKING:
    from .dataset import _Build

K = Project.Kind
S = Project.Status
PH = ProjectPhase.Status

KINDS = [(K.PURCHASING, 40), (K.BEHAVIOUR, 25), (K.DEVELOPMENT, 35)]
STATUSES = [
    (S.PROPOSED, 10),
    (S.PRIORITISED, 8),
    (S.APPROVED, 7),
    (S.RUNNING, 45),
    (S.COMPLETED, 22),
    (S.STOPPED, 8),
]
TITLES = {
    K.PURCHASING: ["Fælles indkøb af {topic}", "Miljømærkede {topic} på de fælles aftaler", "Klimakrav til {topic}"],
    K.BEHAVIOUR: ["Netværk om {topic}", "Kampagne for {topic}", "Kompetenceløft i {topic}"],
    K.DEVELOPMENT: ["Udvikling af {topic}", "Forsøg med {topic}", "Ny model for {topic}"],
}
PURPOSES = [
    "Projektet samler medlemmerne om {topic}, så flere udbud bruger partnerskabets kriterier.",
    "Projektet afprøver {topic} hos nogle af medlemmerne og samler erfaringerne til de øvrige.",
    "Projektet udvikler en fælles tilgang til {topic}, som medlemmerne kan bruge i deres egne udbud.",
]
PHASES = [
    ("Kortlægning", "Kortlægningen er afsluttet"),
    ("Markedsdialog", "Leverandørerne er hørt"),
    ("Forsøg", "Forsøget er evalueret"),
    ("Vejledning", "Vejledningen er udgivet"),
    ("Udrulning", "Medlemmerne bruger løsningen"),
    ("Opfølgning", "Effekten er målt"),
]
PARTNERS = [
    ("SKI", "De fælles aftaler"),
    ("Miljømærkning Danmark", "Kriterier og dokumentation"),
    ("Danmarks Tekniske Universitet", "Måling af effekten"),
    ("KL", "Formidling til kommunerne"),
    ("Dansk Standard", "Standarder"),
]
STOP_REASONS = [
    "Markedet kunne ikke levere inden for projektets tidsplan.",
    "Finansieringen faldt bort.",
    "Projektet er lagt sammen med et andet projekt.",
]
EFFECT_NOTES = [
    "Målt ud fra medlemmernes indkøbsdata før og efter projektet.",
    "Beregnet ud fra leverandørernes opgørelse af solgte mængder.",
    "Effekten kunne ikke måles; skønnet bygger på forsøgets tal.",
]
REPORT = {
    "activities": "Projektgruppen har holdt møder og arbejdet med planens næste fase.",
    "results": "Fasens milepæl nærmer sig; medlemmerne har delt erfaringer.",
    "next_activities": "Næste fase forberedes, og resultaterne formidles.",
}
DEVIATION = "Fasen er forsinket; tidsplanen er lagt om, og styregruppen er orienteret."
MEETING_TITLE: dict[str, str] = {Body.Kind.COUNCIL: "Rådets møde", Body.Kind.MOVE: "POGI Moves møde"}
# The Council and POGI Move have this many member organisations at their meetings; more than half are present.
BODY_MEMBERS = 12
PRESENT = 8


@dataclass
class _Meeting:
    id: int
    body: str
    day: date
    items: list[int] = field(default_factory=list)


def _weighted(rng, pairs):
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def write_projects(build: "_Build") -> int:
    """Write ``build.scale.projects`` projects; returns the rows written."""
    from .dataset import AREA_TOPICS, GENERIC_TOPICS, _ascii_slug, _next_id, _qn

    n = build.scale.projects
    if not n or not build.orgs:
        return 0
    rng = build.rng("projects")
    today = build.now.date()
    bodies: dict[str, Body] = {kind: body_for(kind=kind) for kind in (Body.Kind.COUNCIL, Body.Kind.MOVE)}
    approving: dict[str, str] = {Project.Track.LAB: Body.Kind.COUNCIL, Project.Track.MOVE: Body.Kind.MOVE}
    goal_ids = [build.first_ids[Goal] + g for g in range(build.scale.goals)]
    areas = build.areas
    project_ids = build.ids(Project, n)
    width = max(4, len(str(n)))

    projects, participants, partners, funding, phases, reports = [], [], [], [], [], []
    goal_links, area_links = [], []
    meetings: dict[tuple[str, date], _Meeting] = {}
    approvals: list[tuple[int, str, date, str]] = []  # project id, body, meeting day, title
    for index, project_id in enumerate(project_ids):
        owner = build.orgs[rng.randrange(len(build.orgs))]
        kind = _weighted(rng, KINDS)
        track = Project.TRACK_OF_KIND[kind]
        status = _weighted(rng, STATUSES)
        goal_index = rng.randrange(len(goal_ids)) if goal_ids else None
        area = areas[goal_index % len(areas)] if areas and goal_index is not None else None
        topics = AREA_TOPICS.get(area.slug, GENERIC_TOPICS) if area is not None else GENERIC_TOPICS
        topic = rng.choice(topics)
        title = rng.choice(TITLES[kind]).format(topic=topic)
        title = f"{title[0].upper()}{title[1:]}"[:190]

        # The project's dates, from its proposal to where it stands on the dataset's "now".
        approved_on = started_on = ended_on = None
        if status in (S.PROPOSED, S.PRIORITISED):
            created = today - timedelta(days=rng.randint(5, 300))
        elif status == S.APPROVED:
            approved_on = today - timedelta(days=rng.randint(10, 120))
            created = approved_on - timedelta(days=rng.randint(30, 180))
        elif status == S.RUNNING:
            approved_on = today - timedelta(days=rng.randint(60, 900))
            started_on = approved_on + timedelta(days=rng.randint(5, 40))
            created = approved_on - timedelta(days=rng.randint(30, 180))
        elif status == S.COMPLETED:
            approved_on = today - timedelta(days=rng.randint(500, 1800))
            started_on = approved_on + timedelta(days=rng.randint(5, 40))
            ended_on = min(
                today - timedelta(days=rng.randint(1, 60)), started_on + timedelta(days=rng.randint(300, 800))
            )
            created = approved_on - timedelta(days=rng.randint(30, 180))
        else:  # stopped: before or after its approval
            if rng.random() < 0.5:
                approved_on = today - timedelta(days=rng.randint(200, 1200))
                started_on = approved_on + timedelta(days=rng.randint(5, 40))
                ended_on = min(today - timedelta(days=1), started_on + timedelta(days=rng.randint(60, 400)))
                created = approved_on - timedelta(days=rng.randint(30, 180))
            else:
                ended_on = today - timedelta(days=rng.randint(1, 400))
                created = ended_on - timedelta(days=rng.randint(20, 200))
        created = max(created, owner.joined_on)
        created_at = build.at(created, 10)
        ended_at = build.at(ended_on, 15) if ended_on else None

        potential = Decimal(f"{rng.uniform(5, 5000):.1f}") if rng.random() < 0.8 else None
        record = {
            "id": project_id,
            "slug": f"bench-{index + 1:0{width}d}-{_ascii_slug(title)}"[:80].rstrip("-"),
            "title": title,
            "purpose": rng.choice(PURPOSES).format(topic=topic),
            "track": track,
            "kind": kind,
            "status": status,
            "owner_id": owner.id,
            "lead_id": owner.primary_id,
            "co2_potential_tonnes": potential,
            "co2_assumption": f"Skønnet ud fra {rng.randint(5, 60)} medlemmers indkøb på området." if potential else "",
            "measured_effect_tonnes": None,
            "effect_note": "",
            "scalability": rng.randint(1, 5) if status != S.PROPOSED else None,
            "relevance": rng.randint(1, 5) if status != S.PROPOSED else None,
            "decision_id": None,
            "approved_on": approved_on,
            "started_on": started_on,
            "ended_on": ended_on,
            "stop_reason": rng.choice(STOP_REASONS) if status == S.STOPPED else "",
            "handed_over_from_id": None,
            "created_by_id": owner.primary_id,
            "created_at": created_at,
            "updated_at": ended_at or (build.at(started_on, 9) if started_on else created_at),
        }
        if status == S.COMPLETED:
            measured = rng.random() < 0.8
            record["measured_effect_tonnes"] = Decimal(f"{rng.uniform(1, 4000):.1f}") if measured else None
            record["effect_note"] = rng.choice(EFFECT_NOTES)
        projects.append(record)
        if approved_on is not None:
            approvals.append((project_id, approving[track], approved_on, title))

        if goal_index is not None:
            goal_links.append((project_id, goal_ids[goal_index]))
            if rng.random() < 0.3:
                other = rng.randrange(len(goal_ids))
                if other != goal_index:
                    goal_links.append((project_id, goal_ids[other]))
        if area is not None:
            area_links.append((project_id, area.pk))

        # The owner and the members taking part.
        participants.append((project_id, owner.id, ProjectParticipant.Role.OWNER, created))
        others = {build.orgs[rng.randrange(len(build.orgs))].id for _ in range(rng.randint(0, 7))} - {owner.id}
        for org_id in sorted(others):
            participants.append(
                (project_id, org_id, ProjectParticipant.Role.PARTICIPANT, created + timedelta(days=rng.randint(0, 60)))
            )
        for name, contribution in rng.sample(PARTNERS, rng.randint(0, 2)):
            partners.append((project_id, name, contribution))

        # The plan: proposals may have none yet; an approved project has one.
        plan = _plan(rng, status, created, approved_on, started_on, ended_on, today)
        budget = 0
        for position, (title_, milestone, weight, start, end, phase_status, actual_start, actual_end) in enumerate(
            plan, start=1
        ):
            amount = rng.randint(5, 200) * 10_000
            budget += amount
            spent = {
                PH.DONE: round(amount * rng.uniform(0.8, 1.2), -3),
                PH.IN_PROGRESS: round(amount * rng.uniform(0.1, 0.7), -3),
            }.get(phase_status)
            phases.append(
                (
                    project_id,
                    position,
                    title_,
                    milestone,
                    weight,
                    start,
                    end,
                    actual_start,
                    actual_end,
                    phase_status,
                    amount,
                    int(spent) if spent is not None else None,
                )
            )
        if budget and track == Project.Track.LAB:
            own = round(budget * rng.uniform(0.2, 0.5), -4)
            funding.append((project_id, "Egenfinansiering", ProjectFunding.Kind.OWN, int(own), "granted"))
            grant_status = rng.choice(["granted", "granted", "applied", "refused"])
            funding.append((project_id, "Fondsbevilling", ProjectFunding.Kind.GRANT, int(budget - own), grant_status))

        # Quarterly status reports while the project ran (the last six quarters at most).
        if started_on is not None:
            last_day = min(ended_on or today, today)
            year, quarter = quarter_of(last_day)
            for _ in range(6):
                if quarter_end(year, quarter) < started_on:
                    break
                current = (year, quarter) == quarter_of(today)
                if not current or rng.random() < 0.6:  # this quarter's report is not yet in for some
                    red = rng.random() < 0.08
                    lights = ["red" if red else "green", rng.choice(["green", "green", "yellow"]), "green"]
                    rng.shuffle(lights)
                    filed = min(quarter_end(year, quarter) + timedelta(days=rng.randint(-10, 20)), today)
                    filed = max(min(filed, ended_on or today), quarter_start(year, quarter), started_on)
                    reports.append(
                        {
                            "project_id": project_id,
                            "year": year,
                            "quarter": quarter,
                            **REPORT,
                            "deviations": DEVIATION if red else "",
                            "cost": lights[0],
                            "time": lights[1],
                            "quality": lights[2],
                            "filed_by_id": owner.primary_id,
                            "filed_at": build.at(filed, 14),
                        }
                    )
                year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)

    # The approving decisions: one meeting of the body per month, an agenda item and a carried decision each.
    for project_id, body, approved_on, _title in approvals:
        day = date(approved_on.year, approved_on.month, 1)
        meetings.setdefault((body, day), _Meeting(id=0, body=body, day=day)).items.append(project_id)
    meeting_ids = iter(build.ids(Meeting, len(meetings)))
    item_ids = iter(build.ids(AgendaItem, len(approvals)))
    decision_ids = iter(build.ids(Decision, len(approvals)))
    approved_on_of = {project_id: approved_on for project_id, _b, approved_on, _t in approvals}
    title_of = {project_id: title for project_id, _b, _a, title in approvals}
    meeting_rows: list[dict[str, Any]] = []
    item_rows: list[dict[str, Any]] = []
    decision_rows: list[dict[str, Any]] = []
    decision_of: dict[int, int] = {}
    for meeting in sorted(meetings.values(), key=lambda m: (m.day, m.body)):
        meeting.id = next(meeting_ids)
        # Held on the earliest approval day of the month, so no project is approved before its meeting.
        held = min(approved_on_of[p] for p in meeting.items)
        starts = build.at(held, 13)
        quorum = bodies[meeting.body].quorum_needed(BODY_MEMBERS)
        meeting_rows.append(
            {
                "id": meeting.id,
                "body_id": bodies[meeting.body].pk,
                "working_group_id": None,
                "title": MEETING_TITLE[meeting.body],
                "starts_at": starts,
                "place": "Miljøstyrelsen, Odense",
                "online_url": "",
                "invitation_requested_at": starts - timedelta(days=14),
                "invitation_sent_at": starts - timedelta(days=14),
                "minutes": "\n\n".join(f"{n}. Projektet blev godkendt." for n in range(1, len(meeting.items) + 1)),
                "minutes_approved_at": None,
                "minutes_approved_in_id": None,
                "created_by_id": build.secretariat_id,
                "created_at": starts - timedelta(days=30),
            }
        )
        for position, project_id in enumerate(meeting.items, start=1):
            item_id, decision_id = next(item_ids), next(decision_ids)
            item_rows.append(
                {
                    "id": item_id,
                    "meeting_id": meeting.id,
                    "position": position,
                    "title": f"Godkendelse af {title_of[project_id]}"[:200],
                    "description": "",
                    "kind": AgendaItem.Kind.DECISION,
                    "version_id": None,
                    "effective_date": None,
                    "membership_id": None,
                    "work_plan_id": None,
                    "project_id": project_id,
                }
            )
            decision_rows.append(
                {
                    "id": decision_id,
                    "item_id": item_id,
                    "proposal": "Projektet godkendes.",
                    "proposal_en": "",
                    "outcome": Decision.Outcome.CARRIED,
                    "eligible": BODY_MEMBERS,
                    "present": PRESENT,
                    "quorum": quorum,
                    "votes_for": PRESENT,
                    "votes_against": 0,
                    "abstentions": 0,
                    "decided_at": starts + timedelta(minutes=10 * position),
                    "recorded_by_id": build.secretariat_id,
                }
            )
            decision_of[project_id] = decision_id
            # The project is approved on the day its meeting was held.
            approved_on_of[project_id] = held
    for record in projects:
        if record["id"] in decision_of:
            record["decision_id"] = decision_of[record["id"]]
            record["approved_on"] = approved_on_of[record["id"]]

    w = build.writer
    tracked: tuple[type[Model], ...] = (
        ProjectParticipant,
        ProjectPartner,
        ProjectFunding,
        ProjectPhase,
        ProjectStatusReport,
    )
    first = {model: _next_id(model) for model in tracked}
    # A project refers to its decision, whose item refers to the project: the foreign keys are checked at the
    # end of the stage, when both are written.
    count = w.records(Meeting, meeting_rows)
    count += w.records(AgendaItem, item_rows)
    count += w.records(Decision, decision_rows)
    count += w.records(Project, projects)
    count += w.write(ProjectParticipant, ["project_id", "organisation_id", "role", "joined_on"], participants)
    count += w.write(ProjectPartner, ["project_id", "name", "contribution"], partners)
    count += w.write(ProjectFunding, ["project_id", "source", "kind", "amount_dkk", "status"], funding)
    count += w.write(
        ProjectPhase,
        [
            "project_id",
            "position",
            "title",
            "milestone",
            "weight",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "status",
            "budget_dkk",
            "spent_dkk",
        ],
        phases,
    )
    count += w.records(ProjectStatusReport, reports, with_pk=False)
    count += w.write(Project.goals.through, ["project_id", "goal_id"], goal_links)
    count += w.write(Project.product_areas.through, ["project_id", "productarea_id"], area_links)

    # One creation record per row in the history, as the services would have left.
    project_table = _qn(Project._meta.db_table)
    meeting_table = _qn(Meeting._meta.db_table)
    project_created = f"(SELECT p.created_at FROM {project_table} p WHERE p.id = t.project_id)"
    by = build.secretariat_id
    if meeting_rows:
        count += w.history_copy(Meeting, date_sql="t.created_at", user_id=by, min_id=meeting_rows[0]["id"])
        count += w.history_copy(
            AgendaItem,
            date_sql=f"(SELECT m.created_at FROM {meeting_table} m WHERE m.id = t.meeting_id)",
            user_id=by,
            min_id=item_rows[0]["id"],
        )
        count += w.history_copy(Decision, date_sql="t.decided_at", user_id=by, min_id=decision_rows[0]["id"])
    count += w.history_copy(Project, date_sql="t.created_at", user_column="created_by_id", min_id=project_ids[0])
    for model in (ProjectParticipant, ProjectPartner, ProjectFunding, ProjectPhase):
        count += w.history_copy(model, date_sql=project_created, user_id=by, min_id=first[model])
    count += w.history_copy(
        ProjectStatusReport, date_sql="t.filed_at", user_column="filed_by_id", min_id=first[ProjectStatusReport]
    )
    return count


def _plan(rng, status, created, approved_on, started_on, ended_on, today):
    """The phases of a project's plan as (title, milestone, weight, planned start and end, status, actual start
    and end), consistent with where the project stands."""
    if status in (S.PROPOSED, S.PRIORITISED) and rng.random() < 0.5:
        return []
    count = rng.randint(3, 6)
    start = started_on or (approved_on or created) + timedelta(days=rng.randint(10, 60))
    out = []
    for position in range(count):
        title, milestone = PHASES[position]
        length = rng.randint(45, 200)
        end = start + timedelta(days=length)
        weight = rng.randint(1, 3)
        phase_status, actual_start, actual_end = PH.PLANNED, None, None
        if started_on is not None:
            stop = ended_on or today
            if status == S.COMPLETED:
                phase_status = PH.CANCELLED if rng.random() < 0.05 else PH.DONE
            elif end <= stop - timedelta(days=20) or (status == S.RUNNING and end <= stop and rng.random() < 0.5):
                phase_status = PH.DONE
            elif start <= stop:
                phase_status = PH.IN_PROGRESS if status == S.RUNNING else PH.CANCELLED
            elif status == S.STOPPED:
                phase_status = PH.CANCELLED
            if phase_status in (PH.DONE, PH.IN_PROGRESS):
                actual_start = min(start + timedelta(days=rng.randint(-5, 10)), stop)
            if phase_status == PH.DONE:
                actual_end = min(max(end + timedelta(days=rng.randint(-10, 20)), actual_start), stop)
        out.append((title, milestone, weight, start, end, phase_status, actual_start, actual_end))
        start = end + timedelta(days=1)
    if status == S.RUNNING and out[-1][4] < today:
        # A running project's plan reaches past today: its last phase is under way.
        title, milestone, weight, start, _end, _status, actual_start, _actual_end = out[-1]
        actual_start = min(actual_start or start, today)
        out[-1] = (title, milestone, weight, start, today + timedelta(days=rng.randint(30, 240)), PH.IN_PROGRESS)
        out[-1] += (actual_start, None)
    return out
