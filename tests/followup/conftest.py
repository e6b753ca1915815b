"""A follow-up world: two goals in force, an open round, organisations A and B with their representatives."""

import datetime

import pytest

from followup import services
from followup.models import Round
from goals import reference
from tests.factories import RepresentativeFactory, goal_published


def publish_goal(by, *, number: int, title: str, area: str):
    return goal_published(
        by,
        number=number,
        title=title,
        area=area,
        statement=f"{title} er grønt.",
        criterion="Svanemærket eller EU-Blomsten.",
    )


@pytest.fixture
def goals(db, secretariat_user):
    reference.load()
    return [
        publish_goal(secretariat_user, number=5, title="Rengøring", area="rengoering"),
        publish_goal(secretariat_user, number=7, title="IT-udstyr", area="it-udstyr"),
    ]


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
