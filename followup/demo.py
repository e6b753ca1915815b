"""Demo data for the follow-up: two closed rounds answered by most members and this year's open round.

Idempotent: a round that exists is left as it is. The answers are made up but
stable (the same on every machine), with the share of tenders using the POGI
criteria rising from year to year, so the trend shows at once.
"""

import hashlib
import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from members.models import Membership, Representative, User

from .models import GoalAnswer, Response, Round
from .selectors import default_goal_versions

SECRETARIAT_EMAIL = "sekretariat@pogi.example"
# In this year's round the demo representatives find one response in progress and one to start.
OPEN_ROUND_STATUS = {"101": Response.Status.DRAFT, "265": Response.Status.NOT_STARTED}
CHALLENGES = [
    "Få leverandører kunne dokumentere kravene.",
    "Kravene gav højere priser i første omgang.",
    "Indkøberne kendte ikke kriterierne godt nok.",
    "Rammeaftalen blev indgået før målet trådte i kraft.",
    "",
    "",
]
REASONS = {
    "partly": "Ikke alle udbud i året brugte kriterierne.",
    "not_yet": "Kontrakten løber til næste år; kravene kommer med i genudbuddet.",
    "not_relevant": "Vi køber ikke ind på området.",
}


def _rng(*parts) -> random.Random:
    seed = int(hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:12], 16)
    return random.Random(seed)


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _answers(response: Response, versions, year_index: int, user) -> list[GoalAnswer]:
    out = []
    for version in versions:
        rng = _rng(response.organisation.slug, response.round.year, version.goal.number)
        if rng.random() < 0.08:
            status = "not_relevant"
            out.append(
                GoalAnswer(
                    response=response, goal_version=version, status=status, reason=REASONS[status], challenges_met=False
                )
            )
            continue
        completed = rng.randint(0, 6)
        share = min(1.0, 0.35 + 0.2 * year_index + rng.random() * 0.3)
        with_criteria = round(completed * share)
        status = "meets" if completed and with_criteria == completed else ("partly" if with_criteria else "not_yet")
        volume = rng.randint(2, 400) * 25_000  # drawn in this order: the demo's figures stay as they were
        challenges = rng.choice(CHALLENGES)
        out.append(
            GoalAnswer(
                response=response,
                goal_version=version,
                version=1,
                tenders_completed=completed,
                tenders_with_criteria=with_criteria,
                volume_dkk=volume,
                status=status,
                reason=REASONS.get(status, ""),
                challenges_met=bool(challenges),
                challenges=challenges,
                saved_at=response.last_saved_at,
                saved_by=user,
            )
        )
    return out


def _round(year: int, opens_on: date, deadline: date, status: str, by) -> tuple[Round, list]:
    versions = default_goal_versions(on=opens_on)
    round_ = Round(
        year=year,
        opens_on=opens_on,
        deadline=deadline,
        status=status,
        intro="Fortæl, hvordan I har brugt POGI's indkøbsmål i årets udbud. Svarene bruges til at lære af, "
        "ikke til kontrol: årsrapporten nævner ikke enkelte medlemmer i sine tal.",
        intro_en="Tell us how you have used POGI's purchasing goals in this year's tenders. The answers are used "
        "to learn from, not for control: the annual report names no single member in its figures.",
        opened_at=_moment(opens_on, 9),
        opened_by=by,
        closed_at=_moment(deadline + timedelta(days=14), 9) if status == Round.Status.CLOSED else None,
        closed_by=by if status == Round.Status.CLOSED else None,
    )
    round_.full_clean()
    round_.save()
    round_.goal_versions.set(versions)
    return round_, sorted(versions, key=lambda v: v.goal.number)


def _fill(
    round_: Round, versions, memberships, *, year_index: int, submitted_share: float, draft_share: float, by, fixed=None
):
    primaries = {
        rep.organisation_id: rep.user
        for rep in Representative.objects.filter(position=Representative.Position.PRIMARY).select_related("user")
    }
    responses, answers = [], []
    for membership in memberships:
        organisation = membership.organisation
        rng = _rng(organisation.slug, round_.year)
        draw = rng.random()
        forced = (fixed or {}).get(organisation.official_code)
        if forced == Response.Status.DRAFT:
            draw = submitted_share
        elif forced == Response.Status.NOT_STARTED:
            draw = 1.0
        user = primaries.get(organisation.pk)
        response = Response(round=round_, organisation=organisation, in_transition=membership.in_transition)
        if draw < submitted_share + draft_share:
            saved = _moment(round_.opens_on + timedelta(days=rng.randint(3, 20)), 10)
            # Nothing in the demo happens after today: the current round opened only weeks ago.
            saved = min(saved, timezone.now() - timedelta(days=6))
            response.status = Response.Status.SUBMITTED if draw < submitted_share else Response.Status.DRAFT
            response.version = len(versions) + 1
            response.organisation_version = 1
            response.total_volume_dkk = rng.randint(40, 4000) * 250_000
            response.policy_url_valid = True
            response.contact_name = user.name if user else membership.contact_name
            response.contact_email = user.email if user else membership.contact_email
            response.last_saved_at = response.organisation_saved_at = saved
            response.last_saved_by = response.organisation_saved_by = user
            if response.status == Response.Status.SUBMITTED:
                response.submitted_at = min(saved + timedelta(days=rng.randint(0, 5)), timezone.now())
                response.submitted_by = user
        responses.append(response)
    bulk_create_with_history(responses, Response, default_user=by)
    saved = {r.organisation_id: r for r in Response.objects.filter(round=round_).select_related("organisation")}
    for response in saved.values():
        if response.status == Response.Status.NOT_STARTED:
            continue
        chosen = versions if response.status == Response.Status.SUBMITTED else versions[: max(1, len(versions) // 2)]
        answers.extend(_answers(response, chosen, year_index, response.last_saved_by))
    bulk_create_with_history(answers, GoalAnswer, default_user=by)


@transaction.atomic
def load(today: date | None = None) -> dict[str, int]:
    """Create the follow-up rounds that do not exist yet; return the totals."""
    today = today or timezone.localdate()
    by = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    memberships = list(
        Membership.objects.filter(status=Membership.Status.ACTIVE)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    plan = [
        # year, opens, deadline, status, year index (trend), submitted share, draft share
        (today.year - 2, date(today.year - 2, 9, 1), date(today.year - 2, 10, 15), Round.Status.CLOSED, 0, 0.8, 0.05),
        (today.year - 1, date(today.year - 1, 9, 1), date(today.year - 1, 10, 15), Round.Status.CLOSED, 1, 0.85, 0.05),
        (today.year, today - timedelta(days=21), today + timedelta(days=30), Round.Status.OPEN, 2, 0.35, 0.3),
    ]
    for year, opens_on, deadline, status, index, submitted, draft in plan:
        if Round.objects.filter(year=year).exists():
            continue
        round_, versions = _round(year, opens_on, deadline, status, by)
        if not versions:
            continue
        # Members that joined after the round opened have no response in it.
        members = [m for m in memberships if m.joined_on is None or m.joined_on <= opens_on]
        _fill(
            round_,
            versions,
            members,
            year_index=index,
            submitted_share=submitted,
            draft_share=draft,
            by=by,
            fixed=OPEN_ROUND_STATUS if status == Round.Status.OPEN else None,
        )
    return summary()


def _quotes_choose(round_: Round, by) -> None:
    """A few reported challenges quoted in the report, as the secretariat would choose them."""
    from .models import ReportQuote
    from .services import reports as report_services

    if ReportQuote.objects.filter(round=round_).exists():
        return
    chosen: dict[int, int] = {}
    texts: set[tuple[int, str]] = set()
    answers = (
        GoalAnswer.objects.filter(response__round=round_, response__status=Response.Status.SUBMITTED)
        .exclude(challenges="")
        .select_related("response", "goal_version")
        .order_by("goal_version__goal__number", "response__organisation__name")
    )
    for answer in answers:
        goal_id = answer.goal_version.goal_id
        if chosen.get(goal_id, 0) >= 2 or (len(chosen) > 3 and goal_id not in chosen):
            continue
        # The demo's challenges repeat: each wording is quoted once per goal.
        if (goal_id, answer.challenges) in texts:
            continue
        report_services.quote_add(round=round_, answer=answer, by=by)
        chosen[goal_id] = chosen.get(goal_id, 0) + 1
        texts.add((goal_id, answer.challenges))


def report_publish_last_closed(by=None) -> int:
    """Render and publish the annual report of the last closed round (Danish and English), unless it is published."""
    from .models import Report
    from .services import reports as report_services

    round_ = Round.objects.filter(status=Round.Status.CLOSED).order_by("-year").first()
    if round_ is None:
        return 0
    by = by or User.objects.filter(email=SECRETARIAT_EMAIL).first()
    _quotes_choose(round_, by)
    published = 0
    for language in ("da", "en"):
        if Report.objects.filter(round=round_, kind=Report.Kind.REPORT, language=language, published_at__isnull=False):
            continue
        report = report_services.report_generate(
            round=round_, kind=Report.Kind.REPORT, language=language, by=by, enqueue=False
        )
        report_services.report_build(report_id=report.pk)
        report_services.report_publish(report=report, by=by)
        published += 1
    return published


def summary() -> dict[str, int]:
    return {
        "rounds": Round.objects.count(),
        "responses": Response.objects.count(),
        "submitted": Response.objects.filter(status=Response.Status.SUBMITTED).count(),
        "answers": GoalAnswer.objects.count(),
    }
