"""A follow-up world: two goals in force, an open round, organisations A and B with their representatives."""

import datetime
import time

import pytest
from django.utils import translation

from followup import services
from followup.models import Round
from goals import reference
from tests.factories import (
    GoalAnswerFactory,
    OrganisationFactory,
    RepresentativeFactory,
    ResponseFactory,
    RoundFactory,
    goal_in_force,
)

CRITERIA = ["Svanemærket eller EU-Blomsten."]


@pytest.fixture
def goals(db, secretariat_user):
    reference.load()
    return [
        goal_in_force(secretariat_user, number=5, title="Rengøring", area="rengoering", criteria=CRITERIA),
        goal_in_force(secretariat_user, number=7, title="IT-udstyr", area="it-udstyr", criteria=CRITERIA),
    ]


@pytest.fixture
def english():
    """English active: the messages are asserted in English; their Danish is checked by the translation test."""
    with translation.override("en"):
        yield


def wait_for(condition, timeout=60):
    """Poll `condition` until it holds (True) or `timeout` seconds have passed (False): for work done by a worker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def deputy_a(org_a):
    return RepresentativeFactory(organisation=org_a, position="deputy").user


@pytest.fixture
def open_round(goals, secretariat_user, org_a, org_b, rep_a, rep_b, django_capture_on_commit_callbacks):
    round_ = services.round_create(
        year=2026,
        opens_on=datetime.date(2026, 2, 1),
        deadline=datetime.date(2026, 4, 1),
        intro="Svar senest 1. april.",
        by=secretariat_user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round=round_, by=secretariat_user)
    # As if opened on its opening date, so its reminder schedule lies after the opening.
    Round.objects.filter(pk=round_.pk).update(opened_at=datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC))
    round_.refresh_from_db()
    return round_


@pytest.fixture
def response_a(open_round, org_a):
    return open_round.responses.get(organisation=org_a)


@pytest.fixture
def response_b(open_round, org_b):
    return open_round.responses.get(organisation=org_b)


ORGANISATION = {
    "total_volume_dkk": 1_250_000,
    "policy_url_valid": True,
    "policy_url": "",
    "contact_name": "Kim Indkøb",
    "contact_email": "kim@testby.dk",
    "contact_phone": "",
}
GOAL = {
    "tenders_completed": 4,
    "tenders_with_criteria": 3,
    "volume_dkk": 800_000,
    "status": "partly",
    "reason": "Et udbud var en genudbud med gamle krav.",
    "challenges_met": True,
    "challenges": "Få leverandører.",
    "comment": "",
}


def complete(response, user, goals):
    """Answer every section of a response; return it fresh from the database."""
    services.response_organisation_save(
        response=response, by=user, expected_version=response.organisation_version, data=ORGANISATION
    )
    for version in goals:
        answer = response.answers.filter(goal_version=version).first()
        services.response_goal_save(
            response=response,
            goal_version=version,
            by=user,
            expected_version=answer.version if answer else 0,
            data=GOAL,
        )
    response.refresh_from_db()
    return response


# --- the annual report's world ---------------------------------------------------------------------


def answer(response, version, completed, with_criteria, volume=None, status="", challenges="", challenges_met=None):
    """An answer; it reports challenges (yes) when it has a text, unless ``challenges_met`` says otherwise."""
    return GoalAnswerFactory(
        response=response,
        goal_version=version,
        tenders_completed=completed,
        tenders_with_criteria=with_criteria,
        volume_dkk=volume,
        status=status,
        challenges_met=bool(challenges) if challenges_met is None else challenges_met,
        challenges=challenges,
        version=1,
    )


def respond(round_, organisation, status, volume=None):
    return ResponseFactory(round=round_, organisation=organisation, status=status, total_volume_dkk=volume, version=1)


@pytest.fixture
def report_years():
    """The years of the earlier and the current round in the report world."""
    return 2025, 2026


@pytest.fixture
def world(goals, secretariat_user, report_years):
    """Two closed rounds, four members and three goals, as described in tests/followup/test_report.py."""
    g5, g7 = goals
    g9 = goal_in_force(secretariat_user, number=9, title="Tekstiler", area="tekstiler", criteria=CRITERIA)
    a = OrganisationFactory(name="Aby Kommune")
    b = OrganisationFactory(name="Bby Kommune")
    c = OrganisationFactory(name="Cby Kommune", purchasing_volume_dkk=7_000_000)
    d = OrganisationFactory(name="Dby Kommune", purchasing_volume_dkk=None)
    first, second = report_years
    earlier = RoundFactory(
        year=first, opens_on=datetime.date(first, 9, 1), deadline=datetime.date(first, 10, 1), status="closed"
    )
    earlier.goal_versions.set([g5])
    answer(respond(earlier, a, "submitted", 900_000), g5, 4, 2, status="partly")
    answer(respond(earlier, b, "submitted", 2_000_000), g5, 6, 4, status="partly")
    current = RoundFactory(
        year=second, opens_on=datetime.date(second, 9, 1), deadline=datetime.date(second, 10, 1), status="closed"
    )
    current.goal_versions.set([g5, g7, g9])
    ra = respond(current, a, "submitted", 1_000_000)
    rb = respond(current, b, "submitted", 3_000_000)
    rc = respond(current, c, "draft", 5_000_000)
    respond(current, d, "not_started")
    answer(ra, g5, 5, 4, 100_000, "partly", challenges="Aby Kommune: leverandørerne manglede dokumentation.")
    answer(ra, g7, None, None, None, "not_relevant")
    answer(rb, g5, 3, 0, 50_000, "not_yet")
    answer(rb, g7, 0, 0, 0, "not_relevant")
    answer(rc, g5, 100, 100, 9_999_999, "meets", challenges="Kladde, tæller ikke.")
    return {"round": current, "earlier": earlier, "goals": (g5, g7, g9), "orgs": (a, b, c, d)}
