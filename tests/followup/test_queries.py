"""Query counts are pinned: the overview does not grow with the number of members, a section save stays within budget."""

import datetime

import pytest
from django.urls import reverse

from followup.models import GoalAnswer, ReminderLog, Response
from members.models import Organisation
from tests.factories import RoundFactory, goal_in_force

from .conftest import CRITERIA, GOAL

pytestmark = pytest.mark.django_db

STATUSES = ["not_started", "draft", "submitted", "reopened"]


def add_members(round_, n, user):
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Medlem {i:04d}", slug=f"medlem-{i:04d}", kind="municipality") for i in range(n)]
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                round=round_,
                organisation=o,
                status=STATUSES[i % 4],
                in_transition=i % 7 == 0,
                last_saved_by=user if i % 4 else None,
                submitted_by=user if i % 4 == 2 else None,
                submitted_at=round_.created_at if i % 4 == 2 else None,
                last_saved_at=round_.created_at if i % 4 else None,
            )
            for i, o in enumerate(organisations)
        ]
    )
    ReminderLog.objects.bulk_create(
        [ReminderLog(round=round_, response=r, user=user, step="before-3", email=user.email) for r in responses[::3]]
    )


# Session, user, representative (roles), two-factor check, the round, the counts per status,
# active members still without a response, the filtered count and the page of responses with
# organisations, people and last reminder.
OVERVIEW_QUERIES = 10  # with the round's history (one query)


@pytest.mark.parametrize("members", [10, 1000])
def test_overview(secretariat_client, open_round, rep_a, django_assert_num_queries, members):
    add_members(open_round, members, rep_a)
    overview = reverse("followup:round-detail", kwargs={"year": open_round.year})
    with django_assert_num_queries(OVERVIEW_QUERIES):
        reply = secretariat_client.get(overview)
    assert reply.status_code == 200
    assert reply.context["page"].paginator.count == members + 2
    with django_assert_num_queries(OVERVIEW_QUERIES):
        reply = secretariat_client.get(
            overview, {"status": "draft", "in_transition": "no", "order": "-last_saved", "q": "Medlem"}
        )
    assert reply.status_code == 200


# Session, user, representative (roles), the response, the round's goal versions; then in the
# save's transaction (2 savepoint queries in tests): the locked response, the answer, the answer
# and its history row, the response's status and its history row; then the session kept alive
# (3 with its savepoint). The budget is 20.
SECTION_SAVE_QUERIES = 16
# Once the response is in progress the response only counts the change: no history row of its own.
SECTION_SAVE_LATER_QUERIES = 15
SECTION_SAVE_BUDGET = 20


@pytest.mark.parametrize("members", [10, 1000])
def test_section_save(client, open_round, response_a, rep_a, goals, django_assert_num_queries, members):
    add_members(open_round, members, rep_a)
    GoalAnswer.objects.create(response=response_a, goal_version=goals[1], **GOAL)
    client.force_login(rep_a)
    page = reverse("followup:response-goal", kwargs={"pk": response_a.pk, "number": goals[0].goal.number})
    data = {
        "version": 0,
        "tenders_completed": "4",
        "tenders_with_criteria": "3",
        "volume_dkk": "1.250.000",
        "status": "partly",
        "reason": "x",
    }
    with django_assert_num_queries(SECTION_SAVE_QUERIES):
        assert client.post(page, data).status_code == 302
    # a later save of a started response
    with django_assert_num_queries(SECTION_SAVE_LATER_QUERIES):
        assert client.post(page, {**data, "version": 1}).status_code == 302


@pytest.mark.parametrize("members", [10, 1000])
def test_organisation_section_save_stays_within_the_budget(
    client, open_round, response_a, rep_a, django_assert_max_num_queries, members
):
    # The other section of the questionnaire: saving it costs no more than the budget, however many members.
    add_members(open_round, members, rep_a)
    client.force_login(rep_a)
    page = reverse("followup:response-organisation", kwargs={"pk": response_a.pk})
    data = {
        "version": 0,
        "total_volume_dkk": "1.250.000",
        "policy_url_valid": "yes",
        "contact_name": "Kim Indkøb",
        "contact_email": "kim@testby.dk",
    }
    with django_assert_max_num_queries(SECTION_SAVE_BUDGET):
        assert client.post(page, data).status_code == 302
    response_a.refresh_from_db()
    assert (response_a.total_volume_dkk, response_a.contact_name, response_a.status) == (
        1_250_000,
        "Kim Indkøb",
        "draft",
    )


@pytest.mark.parametrize("extra_goals", [0, 6])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session, user, representative, the response; the goal versions and the answers
        ("followup:response-detail", 6),
        # + the session kept alive (3 with its savepoint)
        ("followup:response-check", 9),
    ],
)
def test_questionnaire_pages_do_not_grow_with_the_number_of_goals(
    client,
    open_round,
    response_a,
    rep_a,
    goals,
    secretariat_user,
    django_assert_num_queries,
    extra_goals,
    name,
    queries,
):
    areas = ["foedevarer", "byggeri", "trae", "transport", "belysning", "tekstiler"]
    for i in range(extra_goals):
        version = goal_in_force(secretariat_user, number=20 + i, title=f"Mål {i}", area=areas[i], criteria=CRITERIA)
        open_round.goal_versions.add(version)
        GoalAnswer.objects.create(response=response_a, goal_version=version, **GOAL)
    client.force_login(rep_a)
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, kwargs={"pk": response_a.pk})).status_code == 200


@pytest.mark.parametrize("rounds", [1, 8])
def test_round_list(secretariat_client, open_round, django_assert_num_queries, rounds):
    for year in range(2000, 2000 + rounds - 1):
        RoundFactory(year=year, opens_on=datetime.date(year, 1, 1), deadline=datetime.date(year, 2, 1))
    # session, user, representative (roles), two-factor check, the rounds with their counts
    with django_assert_num_queries(5):
        reply = secretariat_client.get(reverse("followup:round-list"))
    assert len(reply.context["rounds"]) == rounds
