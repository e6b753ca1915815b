"""Query counts of the goal pages and files are pinned and do not grow with the number of goals.

Goal 1 is built through the services (two public versions and a draft, ecolabels on the version and on
criteria, SDG targets); the other goals are inserted in bulk with the same shape, so 200 goals take
a second rather than half a minute. The bulk rows are only for counting queries.
"""

from datetime import date, timedelta
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals import reference, search, services
from goals.models import Criterion, Ecolabel, Goal, GoalVersion, ProductArea, SdgTarget
from tests.factories import A_MONTH_BEFORE, FLOWER, SWAN, add_criteria, goal_in_force, revision_in_force

pytestmark = pytest.mark.django_db

S = GoalVersion.Status
AWARD = Criterion.Kind.AWARD
CLAUSE = Criterion.Kind.CLAUSE
SIZES = [5, 200]


def build_catalogue(size: int) -> GoalVersion:
    """`size` goals in force, every fifth with a draft in progress. Returns goal 1's draft."""
    reference.load()
    v1 = goal_in_force(
        number=1,
        title="Rengøring",
        criteria=[
            {"text": "Rengøringsmidlet skal være mærket med Svanemærket.", "labels": [SWAN, FLOWER]},
            {"text": "Der gives point for koncentrerede produkter.", "kind": AWARD},
            {"text": "Leverandøren skal tage emballagen retur.", "kind": CLAUSE},
        ],
        labels=[SWAN],
        sdg=["12.4", "12.7"],
        effective=date(2020, 1, 1),
        adopted_on=A_MONTH_BEFORE,
    )

    def change(draft):
        first = draft.criteria.get(number="1.a")
        services.criterion_update(criterion=first, by=None, text=first.text + " Eller EU-Blomsten.")
        add_criteria(draft, ["Produkterne må ikke indeholde parfume."])

    v2 = revision_in_force(v1, effective=date(2023, 1, 1), change=change, adopted_on=A_MONTH_BEFORE)
    draft = services.goal_version_draft_start(goal=v2.goal, by=None)
    _bulk_goals(range(2, size + 1))
    return draft


def _bulk_goals(numbers) -> None:
    areas = cycle(ProductArea.objects.order_by("slug").exclude(slug="rengoering"))
    rengoering = ProductArea.objects.get(slug="rengoering")
    swan, flower = Ecolabel.objects.get(slug=SWAN), Ecolabel.objects.get(slug=FLOWER)
    target = SdgTarget.objects.get(code="12.7")
    now = timezone.now()
    Goal.objects.bulk_create(
        Goal(number=n, slug=f"maal-{n}", product_area=rengoering if n % 3 == 2 else next(areas)) for n in numbers
    )
    goals = list(Goal.objects.filter(number__in=numbers).order_by("number"))
    versions = [
        GoalVersion(
            goal=goal,
            number=1,
            status=S.PUBLISHED,
            title=f"Indkøbsmål {goal.number}",
            statement="Medlemmerne vælger produkter med mindre miljøbelastning.",
            effective_date=date(2019, 1, 1) + timedelta(days=goal.number * 7),
            adopted_on=date(2018, 12, 1),
            published_at=now,
        )
        for goal in goals
    ] + [
        GoalVersion(goal=goal, number=2, status=S.DRAFT, title=f"Indkøbsmål {goal.number}", statement="Udkast.")
        for goal in goals
        if goal.number % 5 == 0
    ]
    GoalVersion.objects.bulk_create(versions)
    versions = list(GoalVersion.objects.filter(goal__in=goals).select_related("goal"))
    criteria = []
    for version in versions:
        for position, (kind, text) in enumerate(
            [
                (Criterion.Kind.REQUIREMENT, "Produktet skal være mærket med Svanemærket eller EU-Blomsten."),
                (Criterion.Kind.AWARD, "Der gives point for lang levetid."),
                (Criterion.Kind.CLAUSE, "Leverandøren rapporterer årligt om mængderne."),
            ],
            start=1,
        ):
            number = f"{version.goal.number}.{'abc'[position - 1]}"
            criteria.append(Criterion(version=version, number=number, position=position, kind=kind, text=text))
    Criterion.objects.bulk_create(criteria)
    published = [v for v in versions if v.status == S.PUBLISHED]
    GoalVersion.ecolabels.through.objects.bulk_create(
        GoalVersion.ecolabels.through(goalversion_id=v.pk, ecolabel_id=swan.pk) for v in published
    )
    GoalVersion.sdg_targets.through.objects.bulk_create(
        GoalVersion.sdg_targets.through(goalversion_id=v.pk, sdgtarget_id=target.pk) for v in published
    )
    Criterion.ecolabels.through.objects.bulk_create(
        Criterion.ecolabels.through(criterion_id=c.pk, ecolabel_id=label.pk)
        for c in Criterion.objects.filter(version__in=published, position=1)
        for label in (swan, flower)
    )
    for version in published:
        search.document_update(version)  # PostgreSQL only


def goal_url(name, **kwargs):
    return reverse(name, kwargs={"number": 1, "slug": "rengoering", **kwargs})


# Anonymous pages: no session or user queries.
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        # count, page, the page's ecolabels; areas, ecolabels, SDG targets and years for the filter form
        pytest.param(reverse("goals:catalogue"), {}, 7, id="catalogue"),
        # + the chosen area and ecolabel looked up
        pytest.param(
            reverse("goals:catalogue"),
            {"q": "svanemærket", "area": "rengoering", "kind": "award", "ecolabel": SWAN},
            9,
            id="catalogue-filtered",
        ),
        # goal, version with criteria, their ecolabels, its ecolabels and SDG targets, history, CPV codes
        pytest.param(goal_url("goals:goal-detail"), {}, 8, id="goal"),
        pytest.param(goal_url("goals:version-detail", version=1), {}, 8, id="version"),
        # goal, history, and each of the two versions with criteria, their ecolabels, ecolabels, SDG targets
        pytest.param(goal_url("goals:compare"), {}, 12, id="compare"),
        pytest.param(goal_url("goals:compare"), {"from_version": "2", "to_version": "1"}, 12, id="compare-chosen"),
        # when the catalogue last changed; versions, criteria, criterion ecolabels, version ecolabels,
        # SDG targets, CPV codes, version history
        pytest.param("/open-data/goals.json", {}, 8, id="json"),
        pytest.param("/open-data/goals.csv", {}, 8, id="csv"),
    ],
)
def test_public_pages(client, django_assert_num_queries, size, url, params, queries):
    build_catalogue(size)
    with django_assert_num_queries(queries):
        response = client.get(url, params)
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("url", ["/open-data/goals.json", "/open-data/goals.csv"])
def test_open_data_again_and_not_modified(client, django_assert_num_queries, size, url):
    build_catalogue(size)
    etag = client.get(url)["ETag"]
    # only when the catalogue last changed: the file itself is cached under its ETag
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_catalogue_shape(client):
    """The data the counts are taken on: goal 1 is found by the filters, and so are bulk goals."""
    build_catalogue(5)
    response = client.get(
        reverse("goals:catalogue"), {"q": "svanemærket", "area": "rengoering", "kind": "award", "ecolabel": SWAN}
    )
    assert [v.goal.number for v in response.context["page"].object_list] == [1, 2, 5]
    assert response.context["page"].paginator.count == 3


# Secretariat pages: + session, user, representative (roles) and two-factor check.
@pytest.mark.parametrize("size", SIZES)
def test_manage_list(secretariat_client, django_assert_num_queries, size):
    build_catalogue(size)
    with django_assert_num_queries(7):  # + goals, their versions in force, their revisions in progress
        response = secretariat_client.get(reverse("goals:manage-list"))
    assert response.status_code == 200
    assert len(response.context["goals"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_manage_version(secretariat_client, django_assert_num_queries, size):
    draft = build_catalogue(size)
    # + the version with criteria, their ecolabels, its ecolabels and SDG targets;
    # ecolabels and SDG targets for the version form, ecolabels for the criterion form;
    # the audit trail: the version's and its criteria's history tables;
    # where it is in the cycle: its working group, its hearings, the agenda items on it
    with django_assert_num_queries(17):
        response = secretariat_client.get(reverse("goals:manage-version", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    assert response.context["version"] == draft


def test_manage_version_does_not_grow_with_the_drafts_history(secretariat_client, django_assert_num_queries):
    """The page's audit trail reads each history table once, however often the draft was edited."""
    draft = build_catalogue(5)
    url = reverse("goals:manage-version", kwargs={"pk": draft.pk})
    with CaptureQueriesContext(connection) as first:
        assert secretariat_client.get(url).status_code == 200
    # when the draft and one of its criteria are edited ten times
    criterion = draft.criteria.get(number="1.a")
    labels = [list(Ecolabel.objects.filter(slug=SWAN)), list(Ecolabel.objects.filter(slug=FLOWER))]
    for i in range(10):
        services.goal_version_update(version=draft, by=None, title=f"Rengøring, udkast {i}", ecolabels=labels[i % 2])
        services.criterion_update(criterion=criterion, by=None, text=f"Rengøringsmidlet skal være svanemærket ({i}).")
    # then the page makes as many queries as before
    with django_assert_num_queries(len(first.captured_queries)):
        response = secretariat_client.get(url)
    assert len(response.context["audit_trail"]) > 20
